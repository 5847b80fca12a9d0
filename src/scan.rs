//! The one-pass prefilter: one Aho-Corasick automaton finds every pattern's anchor literal, the
//! platform signals and the strong error signals in one pass over a batch of records. Each full
//! pattern then runs only on the records where its anchor occurs.
//!
//! The same pass decides which records look like errors, for the no-match answer: a record at
//! error level or above, one holding a strong signal (`exit code`, `AZCM0`), or one without a
//! level holding a weak signal (`failed`, `denied`...). Weak signals are everyday words, so they
//! have their own automaton and are looked for only in records without a level.

use crate::detectors::Seen;
use crate::error::Error;
use crate::records::RecordBuffer;
use crate::report::Level;
use crate::rule::Platform;
use crate::ruleset::RuleSet;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, MatchKind, dfa::DFA};
use std::ops::Range;
use std::sync::OnceLock;

/// Words that make a line without a level look like an error.
const WEAK_SIGNALS: [&str; 8] = [
    "error",
    "fail",
    "fatal",
    "exception",
    "denied",
    "refused",
    "timed out",
    "unable",
];
/// Text that makes any line look like an error, whatever its level.
const STRONG_SIGNALS: [&str; 2] = ["exit code", "azcm0"];

/// How much of one input, scanned so far or in the batch at hand, makes the prefilter build its
/// DFA (once per classifier).
/// The DFA finds the same matches in the same order as the NFA, in 0.65 times the time, but takes
/// longer to build: natively 1-2 ms, against 1.3 ms saved per MB, and in a fresh browser page
/// most of `prepare()`. A paste never pays for it; a log of megabytes soon does.
pub const DFA_AFTER: usize = 1 << 20;

pub struct Prefilter {
    /// Every literal, lower-cased, as an NFA over text lower-cased byte by byte: quick to
    /// build, what small inputs scan with. Built case-insensitive it took three times as long
    /// (a letter's other case is a transition of its own), most of `prepare()`.
    automaton: Nfa,
    /// The same as a DFA, built for the first input of [`DFA_AFTER`] bytes; `None` when it is
    /// over the crate's size limit (rules can reach it; the NFA then scans). Case-sensitive,
    /// it has half the states' width of a case-insensitive one (a letter's two cases are two
    /// byte classes), so more of it stays in the processor's cache.
    dfa: OnceLock<Option<DFA>>,
    /// Every literal, lower-cased; its index is its id in both automata.
    literals: Vec<Vec<u8>>,
    /// What each literal of the automaton stands for.
    targets: Vec<Target>,
    weak_signals: AhoCorasick,
    /// The secret and onboarding triggers alone, for records whose decoding changed their
    /// text (below).
    pasted_triggers: PastedTriggers,
    patterns: usize,
}

/// The triggers a record's pasted text is searched for where decoding may have hidden one.
struct PastedTriggers {
    /// Built the first time such a record comes (most logs have none); `None` if it cannot be.
    finder: OnceLock<Option<AhoCorasick>>,
    literals: Vec<Vec<u8>>,
    /// What each literal is: (secret bits, onboarding bits).
    bits: Vec<(Seen, Seen)>,
}

#[derive(Default, Clone)]
struct Target {
    /// The patterns this literal anchors.
    patterns: Vec<usize>,
    strong: bool,
    platform: Option<Platform>,
    /// Which secret triggers this literal is ([`crate::secrets::TRIGGERS`], one bit each).
    secret: Seen,
    /// Which onboarding triggers ([`crate::onboarding::TRIGGERS`]).
    onboarding: Seen,
}

/// Where a pattern's anchors may be listed in one record: beyond this many, it runs on the
/// whole record (windows that many would mostly cover it anyway).
const MAX_SITES: usize = 32;

/// A pattern to confirm on a record.
pub struct Candidate {
    pub record: usize,
    pub pattern: usize,
    /// Where its anchors were found in the record's decoded text, in order of their start
    /// (into [`Scan::sites`]); `None` when there were more than [`MAX_SITES`].
    pub sites: Option<Range<usize>>,
}

/// The prefilter's NFA: contiguous, else (past that kind's size limits) noncontiguous.
enum Nfa {
    Contiguous(contiguous::NFA),
    Noncontiguous(noncontiguous::NFA),
}

impl Nfa {
    /// `literals` (lower case), all matches (overlapping), contiguous or not.
    fn build(literals: &[Vec<u8>], contiguous: bool) -> Result<Nfa, aho_corasick::BuildError> {
        if contiguous {
            (contiguous::NFA::builder())
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(literals)
                .map(Nfa::Contiguous)
        } else {
            (noncontiguous::NFA::builder())
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(literals)
                .map(Nfa::Noncontiguous)
        }
    }
}

/// What one pass over a batch found.
pub struct Scan {
    /// The patterns to confirm, ordered by pattern, then record.
    pub candidates: Vec<Candidate>,
    /// Anchor occurrences, as offsets in their record's decoded text.
    pub sites: Vec<Range<usize>>,
    /// Records that look like errors, in order.
    pub error_records: Vec<usize>,
    /// Platform signals seen: Windows, Linux.
    pub platform_hits: [u64; 2],
    /// Records that may hold a secret, in order, with the secret triggers each holds.
    pub secret_records: Vec<(usize, Seen)>,
    /// Records that may name the onboarding's tenant, subscription, region..., in order, with
    /// the onboarding triggers each holds.
    pub onboarding_records: Vec<(usize, Seen)>,
}

impl Prefilter {
    /// `anchors[p]` are pattern `p`'s anchor literals (lower case).
    pub fn build(set: &RuleSet, anchors: &[&[Vec<u8>]]) -> Result<Prefilter, Error> {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut target = |literal: &[u8]| match literals.iter().position(|a| a == literal) {
            Some(i) => i,
            None => {
                literals.push(literal.to_vec());
                targets.push(Target::default());
                literals.len() - 1
            }
        };
        let mut wants: Vec<(usize, usize)> = Vec::new();
        for (p, pattern_anchors) in anchors.iter().enumerate() {
            for anchor in *pattern_anchors {
                wants.push((target(anchor), p));
            }
        }
        let strong: Vec<usize> = STRONG_SIGNALS
            .iter()
            .map(|s| target(s.as_bytes()))
            .collect();
        let secret: Vec<usize> = crate::secrets::TRIGGERS
            .iter()
            .map(|s| target(s.as_bytes()))
            .collect();
        let onboarding: Vec<usize> = crate::onboarding::TRIGGERS
            .iter()
            .map(|s| target(s.as_bytes()))
            .collect();
        let platform: Vec<(usize, Platform)> = set
            .manifest
            .platform
            .all()
            .map(|(signal, p)| (target(signal.to_ascii_lowercase().as_bytes()), p))
            .collect();
        for (t, p) in wants {
            targets[t].patterns.push(p);
        }
        for t in strong {
            targets[t].strong = true;
        }
        for (i, t) in secret.into_iter().enumerate() {
            targets[t].secret |= 1 << i;
        }
        for (i, t) in onboarding.into_iter().enumerate() {
            targets[t].onboarding |= 1 << i;
        }
        for (t, p) in platform {
            targets[t].platform = Some(p);
        }
        // Lower-cased once, here: both automata run over text lower-cased byte by byte.
        let literals: Vec<Vec<u8>> = literals.iter().map(|l| l.to_ascii_lowercase()).collect();
        let nfa = Nfa::build(&literals, true)
            .or_else(|_| Nfa::build(&literals, false))
            .map_err(|e| Error::RuleSet {
                problem: format!("the prefilter cannot be built: {e}"),
                fix: "shorten the rules' anchor literals".into(),
            })?;
        let weak_signals = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(WEAK_SIGNALS)
            .map_err(|e| Error::RuleSet {
                problem: format!("the error-line detector cannot be built: {e}"),
                fix: "report this as a bug".into(),
            })?;
        // The detectors search a record as pasted, the automaton sees it decoded:
        // `C:\refresh_token` decodes to `C: efresh_token` (`\r` is a space there). Where decoding
        // changed a record, its pasted text is searched for the triggers too.
        let (trigger_literals, trigger_bits): (Vec<Vec<u8>>, Vec<(Seen, Seen)>) = targets
            .iter()
            .zip(&literals)
            .filter(|(t, _)| t.secret != 0 || t.onboarding != 0)
            .map(|(t, l)| (l.clone(), (t.secret, t.onboarding)))
            .unzip();
        Ok(Prefilter {
            automaton: nfa,
            dfa: OnceLock::new(),
            literals,
            targets,
            weak_signals,
            pasted_triggers: PastedTriggers {
                finder: OnceLock::new(),
                literals: trigger_literals,
                bits: trigger_bits,
            },
            patterns: anchors.len(),
        })
    }

    /// Whether the DFA is built (or known to be over the size limit).
    pub fn has_dfa(&self) -> bool {
        self.dfa.get().is_some()
    }

    /// Builds the DFA if it is not yet (see [`DFA_AFTER`]).
    pub fn build_dfa(&self) {
        self.dfa.get_or_init(|| {
            DFA::builder()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&self.literals)
                .ok()
        });
    }

    /// Calls `found(literal, start, end)` for every occurrence of every literal in `text`, any
    /// case, overlapping ones too, in order of their end (then as the automaton lists them).
    fn each_match(&self, text: &[u8], found: impl FnMut(usize, usize, usize)) {
        match (self.dfa.get().and_then(Option::as_ref), &self.automaton) {
            (Some(dfa), _) => each_end(dfa, text, found),
            (None, Nfa::Contiguous(nfa)) => each_end(nfa, text, found),
            (None, Nfa::Noncontiguous(nfa)) => each_end(nfa, text, found),
        }
    }

    /// One pass over the complete records of `buffer`, with the DFA if it is built.
    pub fn scan(&self, buffer: &RecordBuffer) -> Scan {
        let upto = buffer.complete();
        let mut scan = Scan {
            candidates: Vec::new(),
            sites: Vec::new(),
            error_records: Vec::new(),
            platform_hits: [0; 2],
            secret_records: Vec::new(),
            onboarding_records: Vec::new(),
        };
        if upto == 0 {
            return scan;
        }
        // Per pattern, the last record it was queued for and its candidate there: a pattern runs
        // once per record. Each candidate counts its anchor sites.
        let mut queued_in = vec![(usize::MAX, 0); self.patterns];
        let mut counts: Vec<usize> = Vec::new();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let mut strong = vec![false; upto];
        let mut secret: Vec<Seen> = vec![0; upto];
        let mut onboarding: Vec<Seen> = vec![0; upto];
        let mut record = 0;
        self.each_match(buffer.decoded_text(), |literal, start, end| {
            let last_byte = end - 1;
            while record + 1 < upto && buffer.decoded_start(record + 1) <= last_byte {
                record += 1;
            }
            let target = &self.targets[literal];
            let base = buffer.decoded_start(record);
            for &p in &target.patterns {
                if queued_in[p].0 != record {
                    queued_in[p] = (record, scan.candidates.len());
                    scan.candidates.push(Candidate {
                        record,
                        pattern: p,
                        sites: None,
                    });
                    counts.push(0);
                }
                let c = queued_in[p].1;
                counts[c] += 1;
                if counts[c] <= MAX_SITES {
                    found.push((c, start.saturating_sub(base), end - base));
                }
            }
            strong[record] |= target.strong;
            secret[record] |= target.secret;
            onboarding[record] |= target.onboarding;
            match target.platform {
                Some(Platform::Windows) => scan.platform_hits[0] += 1,
                Some(Platform::Linux) => scan.platform_hits[1] += 1,
                None => {}
            }
        });
        found.sort_unstable();
        let mut from = 0;
        for (c, candidate) in scan.candidates.iter_mut().enumerate() {
            let to = from + counts[c].min(MAX_SITES);
            candidate.sites = (counts[c] <= MAX_SITES).then_some(from..to);
            from = to;
        }
        scan.sites = found.into_iter().map(|(_, s, e)| s..e).collect();
        scan.candidates
            .sort_unstable_by_key(|c| (c.pattern, c.record));
        let PastedTriggers {
            finder,
            literals: trigger_literals,
            bits,
        } = &self.pasted_triggers;
        let hidden = |r: usize| buffer.decoding_changed(r) && may_hide_a_trigger(buffer.pasted(r));
        for r in (0..upto).filter(|&r| hidden(r)) {
            let finder = finder.get_or_init(|| {
                (AhoCorasick::builder())
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(trigger_literals)
                    .ok()
            });
            let Some(finder) = finder else {
                // Never (a few dozen short literals): every detector runs, nothing is missed.
                secret[r] = Seen::MAX;
                onboarding[r] = Seen::MAX;
                continue;
            };
            for m in finder.find_overlapping_iter(buffer.pasted(r)) {
                let (s, o) = bits[m.pattern().as_usize()];
                secret[r] |= s;
                onboarding[r] |= o;
            }
        }
        let seen = |triggers: Vec<Seen>| -> Vec<(usize, Seen)> {
            triggers
                .into_iter()
                .enumerate()
                .filter(|&(_, t)| t != 0)
                .collect()
        };
        scan.secret_records = seen(secret);
        scan.onboarding_records = seen(onboarding);
        scan.error_records = (0..upto)
            .filter(|&r| {
                let level = buffer.level(r);
                strong[r]
                    || level.is_some_and(|l| l >= Level::Error)
                    || (level.is_none() && self.weak_signals.is_match(buffer.decoded(r)))
            })
            .collect();
        scan
    }
}

/// Whether decoding `pasted` may have hidden a trigger it holds: only an escape that eats a
/// letter does that (`\r`, `\n`, `\t` become a space; `\u` and `\x` take hex digits with them,
/// `crate::normalize`); `\"`, `\\` and `\/` only drop the backslash, which no trigger holds.
fn may_hide_a_trigger(pasted: &str) -> bool {
    let bytes = pasted.as_bytes();
    memchr::memchr_iter(b'\\', bytes)
        .any(|at| matches!(bytes.get(at + 1), Some(b'n' | b'r' | b't' | b'u' | b'x')))
}

/// How much text the automaton runs over before its matches are read.
const PIECE: usize = 64 << 10;

/// [`Prefilter::each_match`] with one automaton (case-sensitive, lower-case literals). The
/// crate's own overlapping search keeps its place in a struct between matches; `run` keeps it
/// in registers (0.8 times the time), a piece at a time, so the list of ends stays small even
/// where every byte ends a match.
fn each_end<A: Automaton>(automaton: &A, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
    // Never refused: both automata are built for unanchored searches (the default).
    let Ok(mut state) = automaton.start_state(Anchored::No) else {
        return;
    };
    let mut ends = Vec::new();
    for (n, piece) in text.chunks(PIECE).enumerate() {
        run(automaton, &mut state, piece, &mut ends);
        for (end, state) in ends.drain(..) {
            let end = n * PIECE + end;
            for k in 0..automaton.match_len(state) {
                let literal = automaton.match_pattern(state, k);
                found(
                    literal.as_usize(),
                    end - automaton.pattern_len(literal),
                    end,
                );
            }
        }
    }
}

/// Runs `automaton` over `text` lower-cased, from `state`, listing where it is in a match state
/// (an end of one or more literals). Kept apart from what reads the matches so its few values
/// stay in registers. Without a prefilter, the only special states an unanchored search meets
/// are match states.
#[inline(never)]
fn run<A: Automaton>(
    automaton: &A,
    state: &mut StateID,
    text: &[u8],
    ends: &mut Vec<(usize, StateID)>,
) {
    const LOWER: [u8; 256] = {
        let mut table = [0; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = (b as u8).to_ascii_lowercase();
            b += 1;
        }
        table
    };
    let mut now = *state;
    for (i, &byte) in text.iter().enumerate() {
        now = automaton.next_state(Anchored::No, now, LOWER[usize::from(byte)]);
        if automaton.is_special(now) {
            ends.push((i + 1, now));
        }
    }
    *state = now;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::confirm::Patterns;
    use crate::input::Piece;
    use crate::normalize::clean_line;
    use proptest::prelude::*;

    /// Everything a scan found, in the order it lists it.
    type Found = (
        Vec<(usize, usize, Option<Range<usize>>)>,
        Vec<Range<usize>>,
        Vec<usize>,
        [u64; 2],
        Vec<(usize, Seen)>,
        Vec<(usize, Seen)>,
    );

    fn found(scan: Scan) -> Found {
        (
            scan.candidates
                .into_iter()
                .map(|c| (c.record, c.pattern, c.sites))
                .collect(),
            scan.sites,
            scan.error_records,
            scan.platform_hits,
            scan.secret_records,
            scan.onboarding_records,
        )
    }

    /// The built-in rules' prefilter scans `text` with its NFA, then with its DFA.
    fn both(text: &str) -> (Found, Found) {
        let set = RuleSet::precompiled();
        let (_, anchors) = Patterns::build(&set, false).unwrap();
        let mut prefilter = Prefilter::build(&set, &anchors).unwrap();
        let mut buffer = RecordBuffer::default();
        for (n, raw) in text.lines().enumerate() {
            let (clean, info) = clean_line(raw);
            buffer.push(
                &Piece {
                    text: raw,
                    line: n as u64 + 1,
                },
                &clean,
                info,
            );
        }
        buffer.complete_last();
        // Each automaton's matches are the crate's own case-insensitive search's: a reference
        // that lower-cases nothing.
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&prefilter.literals)
            .unwrap();
        let text = buffer.decoded_text();
        let expected: Vec<(usize, usize, usize)> = (reference.find_overlapping_iter(text))
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        let listed = |prefilter: &Prefilter| {
            let mut all = Vec::new();
            prefilter.each_match(text, |literal, start, end| all.push((literal, start, end)));
            all
        };
        assert!(!prefilter.has_dfa());
        assert!(matches!(prefilter.automaton, Nfa::Contiguous(_)));
        assert_eq!(listed(&prefilter), expected, "the NFA");
        let nfa = found(prefilter.scan(&buffer));
        // The NFA the prefilter falls back to where rules outgrow the contiguous kind.
        let contiguous = std::mem::replace(
            &mut prefilter.automaton,
            Nfa::build(&prefilter.literals, false).unwrap(),
        );
        assert_eq!(listed(&prefilter), expected, "the noncontiguous NFA");
        assert!(found(prefilter.scan(&buffer)) == nfa);
        prefilter.automaton = contiguous;
        prefilter.build_dfa();
        assert!(prefilter.dfa.get().is_some_and(Option::is_some));
        assert_eq!(listed(&prefilter), expected, "the DFA");
        (nfa, found(prefilter.scan(&buffer)))
    }

    /// Every anchor of every built-in pattern, on lines of their own and run together, any
    /// case, more than `MAX_SITES` times in one record.
    fn anchors_text() -> String {
        let set = RuleSet::precompiled();
        let (_, anchors) = Patterns::build(&set, false).unwrap();
        let prefilter = Prefilter::build(&set, &anchors).unwrap();
        let mut text = String::new();
        let mut all = String::new();
        // Every literal the automaton holds: anchors, signals, platform signals, triggers.
        for (i, literal) in prefilter.literals.iter().enumerate() {
            let literal = String::from_utf8_lossy(literal);
            let literal = if i % 2 == 0 {
                literal.to_uppercase()
            } else {
                literal.to_string()
            };
            text.push_str(&format!("level=error msg=\"x {literal} y\"\n"));
            all.push_str(&literal);
        }
        text.push_str(&format!("{all}\n{}\n", all.repeat(3)));
        text
    }

    /// The DFA is built only for large inputs; small ones scan with the NFA. Both must find the
    /// same things in the same order, or an answer would depend on the input's size.
    #[test]
    fn the_dfa_finds_what_the_nfa_finds() {
        // And across the pieces the automata run over (`PIECE`), from a few offsets.
        let long = anchors_text().repeat(3 * PIECE / anchors_text().len() + 1);
        let mut texts = vec![anchors_text(), format!("x{long}"), format!("xyz{long}")];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        for entry in std::fs::read_dir(dir).unwrap() {
            texts.push(
                String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into(),
            );
        }
        for text in texts {
            let (nfa, dfa) = both(&text);
            assert!(!nfa.0.is_empty());
            assert_eq!(nfa, dfa);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Lines made of anchors, signals and filler, cut and joined anywhere.
        #[test]
        fn any_mix_of_anchors_scans_the_same(picks in prop::collection::vec((0usize..10_000, 0usize..8), 1..200)) {
            let source = anchors_text();
            let pieces: Vec<&str> = source.split(['"', ' ']).collect();
            let mut text = String::new();
            for (i, sep) in picks {
                text.push_str(pieces[i % pieces.len()]);
                text.push_str(["", " ", "\n", "level=fatal ", "AZCM0041 ", "Exit Code ", "C:\\", "\\\""][sep]);
            }
            let (nfa, dfa) = both(&text);
            prop_assert_eq!(nfa, dfa);
        }
    }
}
