//! Records: a line with a header and the lines that continue it, joined without separators so a
//! wrapped GUID or URL is whole again. The buffer keeps each record twice: as pasted (cleaned
//! lines, where secrets and onboarding values are read) and decoded (escapes undone, what rules
//! match and evidence shows), with the way back from one to the other.

mod decoded;

pub use decoded::{DecodedLine, DecodedRecord};

use crate::input::Piece;
use crate::normalize::{LineInfo, OffsetMap, decode_record};
use crate::report::{Format, Formats, Level};
use decoded::Pasted;

/// A record longer than this is split at the next line: headerless input (a tool's raw output)
/// would otherwise become one record as long as the input.
pub const MAX_RECORD: usize = 64 << 10;
const _: () = assert!(crate::input::MAX_LINE_PIECE > MAX_RECORD);

/// Records not yet scanned.
#[derive(Default)]
pub struct RecordBuffer {
    /// Cleaned lines, each record's lines joined without separator (records are found by their
    /// offsets, never by searching this text).
    pasted: String,
    /// `(offset in pasted, original line number)` of each line piece.
    lines: Vec<(usize, u64)>,
    /// Decoded records, separated by `\n`.
    decoded: String,
    records: Vec<Record>,
    /// Records `..complete` are decoded; the last one may still grow.
    complete: usize,
    formats: Formats,
    /// The next line starts a record (set by [`RecordBuffer::end_record`]).
    break_next: bool,
    /// The last line of the records drained so far: the line before the first one kept, which
    /// evidence shows as context.
    previous: Option<DecodedLine<'static>>,
}

struct Record {
    /// The record in `pasted`.
    pasted: (usize, usize),
    /// The record in `decoded`, once it is complete.
    decoded: (usize, usize),
    /// How decoded offsets map back, when decoding changed the text.
    map: Option<OffsetMap>,
    /// Index of its first line in `lines`.
    first_line: usize,
    level: Option<Level>,
    /// Byte ranges of secrets in the record, relative to its pasted text.
    secrets: Vec<(usize, usize)>,
}

/// What follows a record.
#[derive(Debug, PartialEq, Eq)]
pub enum After<'a> {
    /// The next line, decoded.
    Line(DecodedLine<'a>),
    /// Nothing: the input ended.
    End,
    /// The next record is still growing, so its secrets are not known yet: its first line is
    /// [`RecordBuffer::first_line`] once the next batch is scanned.
    NotYet,
}

/// The lines of one record, as pasted.
pub struct RecordLines<'a> {
    /// The pasted text the line offsets point into.
    pub text: &'a str,
    /// `(offset in text, original line number)`, in order.
    pub lines: &'a [(usize, u64)],
    /// Where the record ends in `text`.
    pub end: usize,
}

impl RecordBuffer {
    /// Adds one cleaned line piece: it starts a record or continues the last one.
    pub fn push(&mut self, piece: &Piece<'_>, text: &str, info: LineInfo) {
        let record_len = self
            .records
            .last()
            .map_or(0, |r| self.pasted.len() - r.pasted.0);
        // A piece of a line cut for length always starts a record: it follows a piece of
        // MAX_LINE_PIECE bytes, longer than any record.
        let forced = std::mem::take(&mut self.break_next);
        let starts =
            forced || info.starts_record || self.records.is_empty() || record_len > MAX_RECORD;
        if starts {
            self.complete_last();
            self.records.push(Record {
                pasted: (self.pasted.len(), self.pasted.len()),
                decoded: (0, 0),
                map: None,
                first_line: self.lines.len(),
                level: info.level,
                secrets: Vec::new(),
            });
        } else {
            // A line that continues a record was wrapped (an empty line always starts one).
            self.formats.insert(Format::Wrapped);
        }
        self.formats = self.formats.union(info.formats);
        self.lines.push((self.pasted.len(), piece.line));
        self.pasted.push_str(text);
        if let Some(r) = self.records.last_mut() {
            r.pasted.1 = self.pasted.len();
        }
    }

    /// Bytes buffered, as pasted.
    pub fn len(&self) -> usize {
        self.pasted.len()
    }

    /// Line pieces held (complete records' and the growing one's).
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Formats seen in every line pushed so far.
    pub fn formats(&self) -> Formats {
        self.formats
    }

    /// Decodes the last record: it is complete once the next one starts, or the input ends.
    /// Ends the last record: the next line starts a new one whatever it looks like (the next
    /// file of a several-file input).
    pub fn end_record(&mut self) {
        self.complete_last();
        self.break_next = true;
    }

    pub fn complete_last(&mut self) {
        if self.complete == self.records.len() {
            return;
        }
        let r = self.records.len() - 1;
        let (s, e) = self.records[r].pasted;
        let decoded = decode_record(&self.pasted[s..e]);
        if !self.decoded.is_empty() {
            self.decoded.push('\n');
        }
        let start = self.decoded.len();
        self.decoded.push_str(&decoded.text);
        let record = &mut self.records[r];
        record.decoded = (start, self.decoded.len());
        record.map = decoded.map;
        self.complete = self.records.len();
    }

    /// How many records are complete (decoded and ready to scan).
    pub fn complete(&self) -> usize {
        self.complete
    }

    /// The decoded text of the complete records, separated by `\n`.
    pub fn decoded_text(&self) -> &[u8] {
        let end = self
            .complete
            .checked_sub(1)
            .map_or(0, |r| self.records[r].decoded.1);
        &self.decoded.as_bytes()[..end]
    }

    /// Where complete record `r` starts in [`Self::decoded_text`].
    pub fn decoded_start(&self, r: usize) -> usize {
        self.records[r].decoded.0
    }

    /// The decoded text of complete record `r`.
    pub fn decoded(&self, r: usize) -> &[u8] {
        let (s, e) = self.records[r].decoded;
        &self.decoded.as_bytes()[s..e]
    }

    pub fn level(&self, r: usize) -> Option<Level> {
        self.records[r].level
    }

    /// Whether decoding record `r` changed its text (escapes, ANSI codes...).
    pub fn decoding_changed(&self, r: usize) -> bool {
        self.records[r].map.is_some()
    }

    /// The pasted text of record `r`.
    pub fn pasted(&self, r: usize) -> &str {
        let (s, e) = self.records[r].pasted;
        &self.pasted[s..e]
    }

    /// Marks secrets in record `r`: byte ranges relative to [`Self::pasted`], in order.
    pub fn set_secrets(&mut self, r: usize, ranges: Vec<(usize, usize)>) {
        self.records[r].secrets = ranges;
    }

    /// Where record `r`'s lines are in `lines`.
    fn line_range(&self, r: usize) -> std::ops::Range<usize> {
        let last = (self.records.get(r + 1)).map_or(self.lines.len(), |n| n.first_line);
        self.records[r].first_line..last
    }

    /// The pasted lines of record `r`.
    pub fn lines(&self, r: usize) -> RecordLines<'_> {
        let record = &self.records[r];
        RecordLines {
            text: &self.pasted,
            lines: &self.lines[self.line_range(r)],
            end: record.pasted.1,
        }
    }

    /// Complete record `r` as evidence shows it: decoded, in its lines, secrets marked.
    pub fn decoded_record(&self, r: usize) -> DecodedRecord<'_> {
        let record = &self.records[r];
        let from = record.pasted.0;
        let lines: Vec<(usize, u64)> = (self.lines[self.line_range(r)].iter())
            .map(|&(offset, number)| (offset - from, number))
            .collect();
        let pasted = Pasted {
            len: record.pasted.1 - from,
            lines: &lines,
            secrets: &record.secrets,
        };
        let (s, e) = record.decoded;
        DecodedRecord::new(
            &self.decoded[s..e],
            record.map.as_ref(),
            pasted,
            record.level,
        )
    }

    /// The line just before complete record `r`: the previous record's last line, which may
    /// have been drained with an earlier batch. `None` at the start of the input.
    pub fn line_before(&self, r: usize) -> Option<DecodedLine<'_>> {
        match r.checked_sub(1) {
            Some(p) => Some(self.last_line(p)),
            None => self.previous.clone(),
        }
    }

    /// The line just after complete record `r`: the next record's first line.
    pub fn line_after(&self, r: usize) -> After<'_> {
        let next = r + 1;
        if next == self.records.len() {
            After::End
        } else if next >= self.complete {
            After::NotYet
        } else {
            After::Line(self.decoded_record(next).line(0))
        }
    }

    /// The first line of the buffer, once its record is complete: the line after the records
    /// drained last.
    pub fn first_line(&self) -> Option<DecodedLine<'_>> {
        (self.complete > 0).then(|| self.decoded_record(0).line(0))
    }

    fn last_line(&self, r: usize) -> DecodedLine<'_> {
        let record = self.decoded_record(r);
        record.line(record.lines.len() - 1)
    }

    /// Forgets the complete records, keeping the one that may still grow (and the last line
    /// before it, as context). With every record complete (a file or the input ended) all go:
    /// more may follow (the next file), and they must not be scanned twice.
    pub fn drain_complete(&mut self) {
        let upto = self.complete;
        if let Some(last) = upto.checked_sub(1) {
            self.previous = Some(self.last_line(last).into_owned());
        }
        let (keep_from, first_kept_line) = match self.records.get(upto) {
            Some(kept) => (kept.pasted.0, kept.first_line),
            None => (self.pasted.len(), self.lines.len()),
        };
        self.pasted.drain(..keep_from);
        self.decoded.clear();
        self.records.drain(..upto);
        self.complete = 0;
        self.lines.drain(..first_kept_line);
        for r in &mut self.records {
            r.pasted.0 -= keep_from;
            r.pasted.1 -= keep_from;
            r.first_line -= first_kept_line;
        }
        for l in &mut self.lines {
            l.0 -= keep_from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::clean_line;

    fn push(buffer: &mut RecordBuffer, line: u64, raw: &str) {
        let (text, info) = clean_line(raw);
        buffer.push(&Piece { text: raw, line }, &text, info);
    }

    /// A batch is scanned, then drained: the record still growing is kept, and everything about
    /// it (its lines, their numbers, spans, its decoded text once complete) stays right.
    #[test]
    fn draining_keeps_the_growing_record_whole() {
        let mut buffer = RecordBuffer::default();
        push(&mut buffer, 1, r#"time="t" level=info msg="first""#);
        push(
            &mut buffer,
            2,
            r#"time="t" level=error msg="second \"quoted\"""#,
        );
        assert_eq!(buffer.complete(), 1, "the first record is complete");
        assert_eq!(buffer.decoded(0), br#"time="t" level=info msg="first""#);
        buffer.drain_complete();
        assert_eq!(buffer.complete(), 0);
        push(&mut buffer, 3, r#"time="t" level=info msg="third""#);
        assert_eq!(buffer.complete(), 1);
        assert_eq!(
            buffer.decoded(0),
            br#"time="t" level=error msg="second "quoted"""#
        );
        assert_eq!(buffer.level(0), Some(Level::Error));
        let lines = buffer.lines(0);
        assert_eq!(lines.lines.len(), 1);
        assert_eq!(lines.lines[0].1, 2);
        let pasted = &lines.text[lines.lines[0].0..lines.end];
        assert_eq!(pasted, r#"time="t" level=error msg="second \"quoted\"""#);
        // Evidence sees the record decoded, and the line before it, drained, is still known.
        let decoded = buffer.decoded_record(0);
        assert_eq!(decoded.lines, [(0, 2)]);
        assert_eq!(
            buffer
                .line_before(0)
                .map(|l| (l.number, l.text.into_owned())),
            Some((1, r#"time="t" level=info msg="first""#.to_string()))
        );
        assert_eq!(buffer.line_after(0), After::NotYet);
        buffer.complete_last();
        assert_eq!(buffer.complete(), 2);
        assert_eq!(buffer.decoded(1), br#"time="t" level=info msg="third""#);
        assert_eq!(buffer.lines(1).lines[0].1, 3);
        // Decoded records are separated, so no anchor can span two of them.
        assert_eq!(
            buffer.decoded_text(),
            br#"time="t" level=error msg="second "quoted""
time="t" level=info msg="third""#
        );
    }

    #[test]
    fn a_record_growing_across_a_drain_keeps_its_lines() {
        let mut buffer = RecordBuffer::default();
        push(&mut buffer, 1, r#"time="t" level=info msg="first""#);
        push(&mut buffer, 2, r#"time="t" level=error msg="sec"#);
        buffer.drain_complete();
        push(&mut buffer, 3, r#"ond""#);
        buffer.complete_last();
        assert_eq!(buffer.decoded(0), br#"time="t" level=error msg="second""#);
        let lines = buffer.lines(0);
        let shown: Vec<(&str, u64)> = lines
            .lines
            .iter()
            .zip(lines.lines.iter().skip(1).map(|l| l.0).chain([lines.end]))
            .map(|(&(start, n), end)| (&lines.text[start..end], n))
            .collect();
        assert_eq!(
            shown,
            [(r#"time="t" level=error msg="sec"#, 2), (r#"ond""#, 3)]
        );
    }
}
