//! How far a match can reach from its anchor, so a pattern need only run near the places the
//! prefilter found that anchor, not over the whole record.
//!
//! Every match contains one of its pattern's anchor literals, and the dialect bounds every
//! repetition except runs of whitespace. So the bytes of a match that are *not* whitespace are
//! bounded: that bound is the pattern's reach. Around an anchor found at `start..end`, any match
//! holding it lies within the text that has at most `reach` non-whitespace bytes before
//! `start` and after `end`: a window that runs of whitespace can widen, but nothing else.
//!
//! Searching each window instead of the record finds the same matches: a match found in a
//! window is a match in the record (look-around still reads the bytes outside the window), and
//! the record's next leftmost match lies wholly inside some window (`tests/cost.rs` checks
//! this against the `regex` crate).

use regex_syntax::hir::{Class, Hir, HirKind};
use std::ops::Range;

/// The bytes `\s` stands for when Unicode is off: runs of them are free.
pub fn is_space(b: u8) -> bool {
    // `\t \n \v \f \r` are 9 to 13; written so the counting loops vectorise.
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

/// A reach beyond this is no help: the pattern runs on the whole record.
const FAR: usize = 1 << 16;

/// The most non-whitespace bytes a match of `hir` can hold; `None` if unbounded.
pub fn of(hir: &Hir) -> Option<usize> {
    let reach = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(lit) => lit.0.iter().filter(|b| !is_space(**b)).count(),
        HirKind::Class(class) => usize::from(!only_spaces(class)),
        HirKind::Capture(cap) => of(&cap.sub)?,
        HirKind::Repetition(rep) => match (of(&rep.sub)?, rep.max) {
            (0, _) => 0,
            (each, Some(max)) => each.checked_mul(usize::try_from(max).ok()?)?,
            (_, None) => return None,
        },
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(0usize, |sum, s| sum.checked_add(of(s)?))?,
        HirKind::Alternation(subs) => subs.iter().map(of).try_fold(0, |m, r| Some(m.max(r?)))?,
    };
    (reach <= FAR).then_some(reach)
}

fn only_spaces(class: &Class) -> bool {
    match class {
        Class::Bytes(bytes) => bytes
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(is_space)),
        Class::Unicode(chars) => chars
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(|c| u8::try_from(c).is_ok_and(is_space))),
    }
}

/// The windows of `hay` a pattern of `reach` must search, given where its anchors were found
/// (`sites`, in order of their start): sorted, not overlapping, each widened on both sides by
/// as many non-whitespace bytes as `reach` leaves beside the anchor. Windows that touch are
/// merged.
pub fn windows(hay: &[u8], reach: usize, sites: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for site in sites {
        let site = site.start.min(hay.len())..site.end.min(hay.len());
        // The anchor's own bytes are part of the reach.
        let side = reach.saturating_sub(non_space(&hay[site.clone()]));
        let floor = out.last().map_or(0, |w| w.end);
        let start = walk_back(hay, site.start, side, floor);
        let end = walk_forward(hay, site.end, side);
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

/// The start of the text before `at` holding at most `reach` non-whitespace bytes; no earlier
/// than `floor` (an earlier window already covers what lies before it).
fn walk_back(hay: &[u8], mut at: usize, reach: usize, floor: usize) -> usize {
    if at <= floor {
        return at; // inside the earlier window: merged with it
    }
    if at - floor <= reach {
        return floor; // the budget covers every byte back to the floor, whatever they are
    }
    // Jump over as many bytes as the budget has left (all might count), then give back what
    // was whitespace; the steps shrink until the budget is spent.
    let mut left = reach;
    while left > 0 && at > floor {
        let from = at.saturating_sub(left).max(floor);
        left -= non_space(&hay[from..at]);
        at = from;
    }
    while at > floor && is_space(hay[at - 1]) {
        at -= 1;
    }
    at
}

/// The end of the text after `at` holding at most `reach` non-whitespace bytes.
fn walk_forward(hay: &[u8], mut at: usize, reach: usize) -> usize {
    if hay.len() - at <= reach {
        return hay.len(); // the budget covers every byte to the end, whatever they are
    }
    let mut left = reach;
    while left > 0 && at < hay.len() {
        let to = at.saturating_add(left).min(hay.len());
        left -= non_space(&hay[at..to]);
        at = to;
    }
    while at < hay.len() && is_space(hay[at]) {
        at += 1;
    }
    at
}

fn non_space(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| !is_space(**b)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reach(pattern: &str) -> Option<usize> {
        of(&crate::pattern::parse(pattern).unwrap())
    }

    #[test]
    fn reach_counts_what_is_not_whitespace() {
        assert_eq!(reach("AZCM0041"), Some(8));
        // A space matches any run of whitespace: free.
        assert_eq!(reach("no such host"), Some(10));
        assert_eq!(reach(r"code (?P<code>\d{1,5})"), Some(9));
        assert_eq!(reach(r"ab(?:cd|efgh)\S{0,400}"), Some(406));
        assert_eq!(reach(r"abcd[\t ]{0,9}x"), Some(5));
        assert_eq!(reach(r"abcd.{0,3}"), Some(7));
        assert_eq!(reach(r"abcd\S+"), None);
        assert_eq!(reach(r"abcd(?:x{0,9000}){9000}"), None);
    }

    #[test]
    fn the_spaces_are_those_of_backslash_s() {
        let s = regex::bytes::Regex::new(r"(?-u)\A\s\z").unwrap();
        for b in 0..=255u8 {
            assert_eq!(is_space(b), s.is_match(&[b]), "{b}");
        }
    }

    fn around(hay: &[u8], reach: usize, site: &Range<usize>) -> Vec<(usize, usize)> {
        let sites = std::slice::from_ref(site);
        windows(hay, reach, sites)
            .iter()
            .map(|w| (w.start, w.end))
            .collect()
    }

    fn around_both(hay: &[u8], reach: usize) -> Vec<(usize, usize)> {
        let sites = [0..6, 16..22];
        windows(hay, reach, &sites)
            .iter()
            .map(|w| (w.start, w.end))
            .collect()
    }

    #[test]
    fn windows_widen_over_whitespace_and_merge() {
        let hay = b"aa   bb  ANCHOR  cc dd ee";
        let site = 9..15;
        assert_eq!(&hay[site.clone()], b"ANCHOR");
        // A reach of 8 leaves two non-whitespace bytes each side, and the whitespace around.
        assert_eq!(around(hay, 8, &site), [(2, 20)]);
        assert_eq!(around(hay, 6, &site), [(7, 17)]);
        assert_eq!(around(hay, 0, &site), [(7, 17)]);
        assert_eq!(around(hay, 99, &site), [(0, hay.len())]);
        let far = b"ANCHOR xx yy zz ANCHOR";
        assert_eq!(around_both(far, 7), [(0, 8), (14, 22)]);
        assert_eq!(around_both(far, 8), [(0, 10), (12, 22)]);
        assert_eq!(around_both(far, 9), [(0, 22)]);
    }
}
