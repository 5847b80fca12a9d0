//! A complete record as evidence shows it: decoded (escapes undone, the text the rules matched),
//! cut back into its physical lines, with its secrets moved into the decoded text.
//!
//! The [`OffsetMap`] gives, for each decoded byte, the pasted byte its source starts at; it
//! never decreases, and every pasted byte belongs to the source of exactly one decoded
//! character (decoding drops nothing). So a pasted offset maps to the first decoded byte whose
//! source starts at or after it, found by binary search.

use crate::normalize::OffsetMap;
use crate::report::Level;
use std::borrow::Cow;

/// One physical line of a record, decoded, with the record's secrets that fall in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedLine<'a> {
    /// The original line number.
    pub number: u64,
    pub text: Cow<'a, str>,
    /// Byte ranges of secrets in `text`, in order: every text made from the line masks them.
    pub secrets: Vec<(usize, usize)>,
}

impl DecodedLine<'_> {
    pub fn into_owned(self) -> DecodedLine<'static> {
        DecodedLine {
            number: self.number,
            text: Cow::Owned(self.text.into_owned()),
            secrets: self.secrets,
        }
    }
}

/// A complete record, decoded, with its physical lines.
pub struct DecodedRecord<'a> {
    /// The record's decoded text.
    pub text: &'a str,
    /// `(offset in text, original line number)` of each line, in order.
    pub lines: Vec<(usize, u64)>,
    /// Byte ranges of the record's secrets in `text`, in order.
    pub secrets: Vec<(usize, usize)>,
    pub level: Option<Level>,
}

/// How the pasted record a decoded one came from looks: what [`DecodedRecord::new`] maps.
pub struct Pasted<'a> {
    pub len: usize,
    /// `(offset, original line number)` of each line, relative to the record.
    pub lines: &'a [(usize, u64)],
    /// Byte ranges of secrets, relative to the record, in order.
    pub secrets: &'a [(usize, usize)],
}

impl<'a> DecodedRecord<'a> {
    /// The number of the line that byte `at` of the text is on.
    pub fn line_at(&self, at: usize) -> u64 {
        let i = self.lines.partition_point(|l| l.0 <= at).saturating_sub(1);
        self.lines[i].1
    }

    pub fn new(
        text: &'a str,
        map: Option<&OffsetMap>,
        pasted: Pasted<'_>,
        level: Option<Level>,
    ) -> Self {
        let origin = |i: usize| match map {
            None => i,
            Some(m) => m.pasted(i).unwrap_or(pasted.len),
        };
        // The first decoded byte whose source starts at `p` or later.
        let at = |p: usize| first(text.len(), |i| origin(i) >= p);
        let lines = (pasted.lines.iter())
            .map(|&(offset, number)| (at(offset), number))
            .collect();
        let secrets = (pasted.secrets.iter())
            .map(|&(s, e)| {
                // A secret may start inside an escape (`\u0041bc…`): the character that escape
                // spells is masked too, so no part of the value shows.
                let after = first(text.len(), |i| origin(i) > s);
                let start = match after.checked_sub(1) {
                    Some(last) => at(origin(last)),
                    None => 0,
                };
                (start, at(e).max(start))
            })
            .filter(|(s, e)| e > s)
            .collect();
        DecodedRecord {
            text,
            lines,
            secrets,
            level,
        }
    }

    /// Line `i`'s byte range in [`Self::text`].
    pub fn range(&self, i: usize) -> (usize, usize) {
        let start = self.lines[i].0;
        let end = self.lines.get(i + 1).map_or(self.text.len(), |l| l.0);
        (start, end)
    }

    /// Line `i`, with the secrets in it.
    pub fn line(&self, i: usize) -> DecodedLine<'a> {
        let (start, end) = self.range(i);
        DecodedLine {
            number: self.lines[i].1,
            text: Cow::Borrowed(&self.text[start..end]),
            secrets: self.secrets_within(start, end),
        }
    }

    /// The secrets that fall in `[start, end)`, relative to `start`.
    pub fn secrets_within(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        (self.secrets.iter())
            .filter(|&&(s, e)| e > start && s < end)
            .map(|&(s, e)| (s.max(start) - start, e.min(end) - start))
            .collect()
    }
}

/// The first `i` in `0..len` for which `pred` holds (`pred` is false, then true), else `len`.
fn first(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::decode_record;

    /// A record wrapped in the middle of an escape, with a secret whose pasted range starts
    /// inside another escape.
    #[test]
    fn lines_and_secrets_move_into_the_decoded_text() {
        let (one, two) = (r#"msg="x \"q"#, r#"uoted\" k=\u0041bcdef""#);
        let pasted = format!("{one}{two}");
        let decoded = decode_record(&pasted);
        assert_eq!(decoded.text, r#"msg="x "quoted" k=Abcdef""#);
        let secret_start = pasted.find("0041").unwrap();
        let record = DecodedRecord::new(
            &decoded.text,
            decoded.map.as_ref(),
            Pasted {
                len: pasted.len(),
                lines: &[(0, 1), (one.len(), 2)],
                secrets: &[(secret_start, pasted.len() - 1)],
            },
            None,
        );
        let line = |i: usize| {
            let l = record.line(i);
            (l.number, l.text.into_owned(), l.secrets)
        };
        let masked_from = r#"uoted" k="#.len();
        assert_eq!(line(0), (1, r#"msg="x "q"#.to_string(), vec![]));
        assert_eq!(
            line(1),
            (
                2,
                r#"uoted" k=Abcdef""#.to_string(),
                vec![(masked_from, masked_from + "Abcdef".len())]
            ),
            "the character the escape spells is hidden with the rest of the value"
        );
    }
}
