//! Evidence: the lines a match covers, each clipped around its part of the match, with a line
//! of context on each side; and the error-looking lines shown when nothing matched.
//!
//! Every line is shown decoded, as the rules matched it: escapes undone, so a JSON error body
//! reads as JSON. Decoding turns an escaped line break (`\n`) inside a value into a space, as
//! it does for the rules, so one shown line is still one physical line of the input.

use crate::records::{After, DecodedLine, DecodedRecord, RecordBuffer};
use crate::report::{Evidence, EvidenceLine};
use crate::secrets::mask;

/// Characters of context kept on each side of a match in an evidence line.
pub const CONTEXT: usize = 120;
/// Longest matched text shown in an evidence line.
const MAX_SHOWN_SPAN: usize = 600;

/// The evidence for the match `[start, end)` in complete record `r`'s decoded text, and
/// whether its `after` line waits for the next batch ([`After::NotYet`]; see
/// [`context_line`]).
pub fn evidence(buffer: &RecordBuffer, r: usize, start: usize, end: usize) -> (Evidence, bool) {
    let record = buffer.decoded_record(r);
    let lines = &record.lines;
    let first = lines.partition_point(|l| l.0 <= start).saturating_sub(1);
    let last = lines
        .partition_point(|l| l.0 < end)
        .saturating_sub(1)
        .max(first);
    let mut out: Vec<EvidenceLine> = Vec::new();
    for i in first..=last {
        // No two lines here are pieces of one physical line: a piece is cut at MAX_LINE_PIECE,
        // far past MAX_RECORD, so the next piece starts a record of its own.
        let (line_start, line_end) = record.range(i);
        let s = start.clamp(line_start, line_end) - line_start;
        let e = end.clamp(line_start, line_end) - line_start;
        let line = record.line(i);
        let span = Some((s, e)).filter(|(s, e)| e > s);
        out.push(clip(&line.text, span, line.number, &line.secrets));
    }
    let first_number = lines[first].1;
    let last_number = lines[last].1;
    let before = match first.checked_sub(1) {
        Some(i) => Some(record.line(i)),
        None => buffer.line_before(r),
    };
    let (after, pending) = match lines.get(last + 1) {
        Some(_) => (Some(record.line(last + 1)), false),
        None => match buffer.line_after(r) {
            After::Line(line) => (Some(line), false),
            After::End => (None, false),
            After::NotYet => (None, true),
        },
    };
    let evidence = Evidence {
        line: first_number,
        level: record.level,
        lines: out,
        before: before.and_then(|l| context_line(l, first_number)),
        after: after.and_then(|l| context_line(l, last_number)),
    };
    (evidence, pending)
}

/// A line of context beside evidence line `beside`: `None` when it is blank, or another piece of
/// the same physical line (a line cut for length).
pub fn context_line(line: DecodedLine<'_>, beside: u64) -> Option<EvidenceLine> {
    if line.number == beside || line.text.trim().is_empty() {
        return None;
    }
    Some(clip(&line.text, None, line.number, &line.secrets))
}

/// The first line of a record, as an error line for the no-match answer; `None` when empty.
pub fn error_line(record: &DecodedRecord<'_>) -> Option<EvidenceLine> {
    let line = record.line(0);
    let line = clip(&line.text, None, line.number, &line.secrets);
    (!line.text.is_empty()).then_some(line)
}

/// Builds an evidence line from a decoded line, its `secrets` (byte ranges) masked, clipped
/// around the byte span `[s, e)`.
fn clip(
    seg: &str,
    span: Option<(usize, usize)>,
    line: u64,
    secrets: &[(usize, usize)],
) -> EvidenceLine {
    // The haystack is built from `str`s; a match edge may still fall inside a character because
    // patterns run on bytes, so edges are widened to character boundaries.
    let masked = mask(seg, secrets);
    let text: &str = &masked.text;
    let (s, e) = span.unwrap_or((0, 0));
    let (s, e) = (masked.position(s, false), masked.position(e, true));
    let s = floor_boundary(text, s);
    let e = ceil_boundary(text, e);
    let shown_end = ceil_boundary(text, e.min(s + MAX_SHOWN_SPAN));
    let lo = floor_boundary(text, s.saturating_sub(CONTEXT));
    let hi = ceil_boundary(
        text,
        shown_end + CONTEXT + if span.is_none() { CONTEXT } else { 0 },
    );
    let mut out = String::with_capacity(hi - lo + 8);
    let mut offset = 0;
    if lo > 0 {
        out.push('…');
        offset = 1;
    }
    out.push_str(&text[lo..hi]);
    if hi < text.len() {
        out.push('…');
    }
    let span = span.map(|_| {
        let start = offset + text[lo..s].chars().count();
        [start, start + text[s..shown_end].chars().count()]
    });
    EvidenceLine {
        file: None,
        line,
        text: out,
        span,
    }
}

/// `i` (clamped to `s`), moved back to a character boundary.
pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `i` (clamped to `s`), moved forward to a character boundary.
pub fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
