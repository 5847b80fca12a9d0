//! Evidence: the pasted lines a match covers, each clipped around its part of the match, and
//! the error-looking lines shown when nothing matched.

use crate::records::RecordLines;
use crate::report::{Evidence, EvidenceLine};
use crate::secrets::mask;

/// Characters of context kept on each side of a match in an evidence line.
pub const CONTEXT: usize = 120;
/// Longest matched text shown in an evidence line.
const MAX_SHOWN_SPAN: usize = 600;

/// The lines of a record that the pasted span `[start, end)` covers.
pub fn evidence(record: &RecordLines<'_>, start: usize, end: usize) -> Evidence {
    let lines = record.lines;
    let first = lines.partition_point(|l| l.0 <= start).saturating_sub(1);
    let last = lines
        .partition_point(|l| l.0 < end)
        .saturating_sub(1)
        .max(first);
    let mut out: Vec<EvidenceLine> = Vec::new();
    for i in first..=last {
        // No two lines here are pieces of one physical line: a piece is cut at MAX_LINE_PIECE,
        // far past MAX_RECORD, so the next piece starts a record of its own.
        let (line_start, number) = lines[i];
        let line_end = lines.get(i + 1).map_or(record.end, |l| l.0);
        let seg = record
            .text
            .as_bytes()
            .get(line_start..line_end)
            .unwrap_or_default();
        let s = start.clamp(line_start, line_end) - line_start;
        let e = end.clamp(line_start, line_end) - line_start;
        let secrets = secrets_within(record, line_start, line_end);
        out.push(clip(
            seg,
            Some((s, e)).filter(|(s, e)| e > s),
            number,
            &secrets,
        ));
    }
    Evidence {
        line: out.first().map_or(0, |l| l.line),
        level: record.level,
        lines: out,
    }
}

/// The first line of a record, as an error line for the no-match answer; `None` when empty.
pub fn error_line(record: &RecordLines<'_>) -> Option<EvidenceLine> {
    let (start, number) = record.lines[0];
    let end = record
        .lines
        .get(1)
        .map(|l| l.0)
        .filter(|e| *e <= record.end)
        .unwrap_or(record.end);
    let secrets = secrets_within(record, start, end);
    let line = clip(&record.text.as_bytes()[start..end], None, number, &secrets);
    (!line.text.is_empty()).then_some(line)
}

/// The record's secrets that fall in `[start, end)` of its text, relative to `start`.
fn secrets_within(record: &RecordLines<'_>, start: usize, end: usize) -> Vec<(usize, usize)> {
    (record.secrets.iter())
        .filter(|&&(s, e)| e > start && s < end)
        .map(|&(s, e)| (s.max(start) - start, e.min(end) - start))
        .collect()
}

/// Builds an evidence line from a cleaned line, its `secrets` (byte ranges) masked, clipped
/// around the byte span `[s, e)`.
fn clip(
    seg: &[u8],
    span: Option<(usize, usize)>,
    line: u64,
    secrets: &[(usize, usize)],
) -> EvidenceLine {
    // The haystack is built from `str`s; a match edge may still fall inside a character because
    // patterns run on bytes, so edges are widened to character boundaries.
    let masked = mask(&String::from_utf8_lossy(seg), secrets);
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
