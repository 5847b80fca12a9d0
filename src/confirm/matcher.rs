//! A pattern compiled for confirmation, at a cost per byte that no text can drive up.
//!
//! The `regex` crate finds a match with a lazy DFA, and when crafted text makes that DFA build
//! a new state at nearly every byte (counted gaps such as `.{0,400}` or `\S{0,400}` after a
//! word the text repeats every few bytes) it falls back to an engine a hundred times slower:
//! 0.1 MB/s on the records of issue 10. So a match is found here by a lazy DFA that gives up
//! instead: its cache of states holds [`STATE_BUDGET`] bytes and is never cleared during a
//! search, and the states earlier records built are dropped before a search once they fill
//! half of it, so each record has at least half the budget to itself. (Dropping them at a
//! quarter made real logs rebuild their hot states over and over: the 10 MB bench log took 1.8
//! times as long.) A record
//! that needs more is not checked against that pattern (the caller says so in a note), and
//! after [`MAX_GIVE_UPS`] such records the pattern no longer runs on that input. Building the
//! states is the slow part: a budget's worth costs about 30 ms natively, so one input pays at
//! most that, times the give-ups, per pattern it drives there. Real logs need a few hundred
//! kilobytes per record at most (tested: `tests/cost.rs`).
//!
//! The captured values are read afterwards on the match's own span, which bounded gaps keep
//! short, so that second engine's cost is bounded by the match, not the record. It runs on the
//! match finder's own forward NFA, which keeps the capture groups: a bounded backtracker where
//! the span fits its memory, else a PikeVM, both leftmost-first like the finder. So it costs
//! nothing to build; a `meta` regex of its own compiled the pattern a second time and tried
//! each of its engines, a third of a small paste's first answer.

use regex_automata::hybrid::regex::{Cache as FindCache, Regex as FindRegex};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, Span, hybrid, nfa::thompson};
use std::ops::Range;
use std::sync::Mutex;

/// Bytes of DFA states one pattern may build for one input (per search direction).
pub const STATE_BUDGET: usize = 1 << 20;
/// Records a pattern may give up on in one input before it is no longer run on that input.
pub const MAX_GIVE_UPS: u32 = 2;

/// A pattern ready to run: its match finder and its field reader.
#[derive(Debug)]
pub struct Matcher {
    find: FindRegex,
    /// The field reader, on `find`'s forward NFA: the backtracker for the spans it can hold.
    backtrack: BoundedBacktracker,
    /// ... and the PikeVM for longer ones.
    pikevm: PikeVM,
    /// The most non-whitespace bytes a match holds ([`super::reach`]); `None` if unbounded.
    reach: Option<usize>,
    /// Working memory of finished inputs, reset before it is used again: allocating it costs
    /// more than a small input's whole search.
    spare: Mutex<Vec<FindCache>>,
}

/// One input's working memory for one [`Matcher`].
pub struct MatchCache {
    find: FindCache,
    /// Made when a value is first read.
    fields: Option<FieldCache>,
    give_ups: u32,
}

/// The field reader's working memory.
struct FieldCache {
    captures: Captures,
    backtrack: backtrack::Cache,
    /// Made when a span first needs the PikeVM.
    pikevm: Option<pikevm::Cache>,
}

/// The budget ran out on this text: it was not checked against the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooCostly;

impl Matcher {
    /// Compiles a prepared pattern ([`crate::pattern::prepare`]); `size_limit` bounds each
    /// compiled automaton.
    pub fn new(prepared: &str, size_limit: usize) -> Result<Matcher, String> {
        // Parsed once: the reach, both directions' automata and the field reader come from it.
        // Its errors say what is wrong with the pattern's syntax.
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false)
            .build()
            .parse(prepared)
            .map_err(|e| e.to_string())?;
        let thompson = thompson::Config::new()
            .utf8(false)
            .nfa_size_limit(Some(size_limit));
        let compile = |config: thompson::Config| {
            (thompson::Compiler::new().configure(config))
                .build_from_hir(&hir)
                .map_err(|e| too_large(&e))
        };
        // The forward NFA keeps the capture groups, for the field reader; the lazy DFA steps
        // over them. Its states name a few more NFA states, so the same search fills its budget
        // a little sooner (a review measured at most 2 KB of the 1 MB, 0.2%): a record that
        // close to the edge may now be given up on. The reverse one finds where a match
        // starts, so it needs none.
        let forward = compile(thompson.clone())?;
        let reverse = compile(thompson.reverse(true).which_captures(WhichCaptures::None))?;
        let dfa = hybrid::dfa::Config::new()
            .cache_capacity(STATE_BUDGET)
            .minimum_cache_clear_count(Some(0))
            .minimum_bytes_per_state(None);
        let lazy = |config: hybrid::dfa::Config, nfa: thompson::NFA| {
            (hybrid::dfa::Builder::new().configure(config))
                .build_from_nfa(nfa)
                .map_err(|e| too_large(&e))
        };
        // The two lazy DFAs as `hybrid::regex::Builder` configures them.
        let reverse_dfa = dfa
            .clone()
            .prefilter(None)
            .specialize_start_states(false)
            .match_kind(MatchKind::All);
        let find = FindRegex::builder()
            .build_from_dfas(lazy(dfa, forward.clone())?, lazy(reverse_dfa, reverse)?);
        let backtrack = BoundedBacktracker::builder()
            .build_from_nfa(forward.clone())
            .map_err(|e| too_large(&e))?;
        let pikevm = PikeVM::builder()
            .build_from_nfa(forward)
            .map_err(|e| too_large(&e))?;
        Ok(Matcher {
            find,
            backtrack,
            pikevm,
            reach: super::reach::of(&hir),
            spare: Mutex::new(Vec::new()),
        })
    }

    /// Whether the pattern occurs in `hay`, with working memory of its own (tests).
    #[cfg(test)]
    pub fn finds(&self, hay: &[u8]) -> bool {
        self.is_match(&mut self.cache(), hay) == Ok(true)
    }

    /// Working memory for one input, empty: no input's answer depends on an earlier one's.
    pub fn cache(&self) -> MatchCache {
        let spare = self.spare.lock().ok().and_then(|mut s| s.pop());
        let find = match spare {
            Some(mut cache) => {
                cache.reset(&self.find);
                cache
            }
            None => self.find.create_cache(),
        };
        MatchCache {
            find,
            fields: None,
            give_ups: 0,
        }
    }

    /// Takes back the working memory of a finished input, for the next.
    pub fn recycle(&self, cache: MatchCache) {
        if let Ok(mut spare) = self.spare.lock() {
            if spare.is_empty() {
                spare.push(cache.find);
            }
        }
    }

    /// Whether the pattern occurs in `hay`.
    pub fn is_match(&self, cache: &mut MatchCache, hay: &[u8]) -> Result<bool, TooCostly> {
        cache.usable(&self.find)?;
        match self.find.try_search(&mut cache.find, &Input::new(hay)) {
            Ok(found) => Ok(found.is_some()),
            Err(_) => Err(cache.gave_up(&self.find)),
        }
    }

    /// The pattern's matches in `hay`, leftmost first and not overlapping, as the `regex`
    /// crate's `find_iter` gives them. Nothing is reported if the budget runs out on `hay`.
    ///
    /// `anchors` are where the prefilter found the pattern's anchor literals in `hay`, in order
    /// of their start (`None`: not known). Every match holds one, so only the text the
    /// pattern's reach allows around them is searched ([`super::reach`]); the matches are the
    /// same.
    pub fn matches(
        &self,
        cache: &mut MatchCache,
        hay: &[u8],
        anchors: Option<&[Range<usize>]>,
        spans: &mut Vec<Span>,
    ) -> Result<(), TooCostly> {
        cache.usable(&self.find)?;
        let windows = match (anchors, self.reach) {
            (Some(sites), Some(reach)) => super::reach::windows(hay, reach, sites),
            _ => std::iter::once(0..hay.len()).collect(),
        };
        let first = spans.len();
        let mut at = 0;
        for window in windows {
            at = at.max(window.start);
            while at <= window.end {
                match (self.find)
                    .try_search(&mut cache.find, &Input::new(hay).range(at..window.end))
                {
                    Ok(Some(m)) => {
                        spans.push(m.span());
                        // The lint refuses patterns that match empty text; step past one anyway.
                        at = if m.is_empty() { m.end() + 1 } else { m.end() };
                    }
                    Ok(None) => break,
                    Err(_) => {
                        spans.truncate(first);
                        return Err(cache.gave_up(&self.find));
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads the captures of a match [`Self::matches`] found, on its span alone: the
    /// field reader's cost is bounded by the match, not the record.
    pub fn captures<'c>(&self, cache: &'c mut MatchCache, hay: &[u8], span: Span) -> &'c Captures {
        let fields = cache.fields.get_or_insert_with(|| FieldCache {
            captures: self.backtrack.create_captures(),
            backtrack: self.backtrack.create_cache(),
            pikevm: None,
        });
        let input = Input::new(hay).span(span).anchored(Anchored::Yes);
        // Neither engine's answer depends on its working memory.
        if span.len() > self.backtrack.max_haystack_len()
            || (self.backtrack)
                .try_search(&mut fields.backtrack, &input, &mut fields.captures)
                .is_err()
        {
            let pikevm = (fields.pikevm).get_or_insert_with(|| self.pikevm.create_cache());
            self.pikevm.search(pikevm, &input, &mut fields.captures);
        }
        &fields.captures
    }
}

/// What a failed build says: the size limit it exceeded if that is why (the NFA compiler's error,
/// somewhere in the chain), else the error itself.
fn too_large(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = Some(e);
    while let Some(err) = cause {
        let limit = (err.downcast_ref::<thompson::BuildError>()).and_then(|b| b.size_limit());
        if let Some(limit) = limit {
            return format!("compiled, it exceeds the size limit of {limit} bytes");
        }
        cause = err.source();
    }
    format!("compiled, it is too large: {e}")
}

impl MatchCache {
    /// Ready for a search of one record: refused once the pattern is spent; otherwise states
    /// kept from earlier records are dropped once they fill half the budget, so every record
    /// has half of it to itself, whatever came before.
    fn usable(&mut self, find: &FindRegex) -> Result<(), TooCostly> {
        if self.give_ups >= MAX_GIVE_UPS {
            return Err(TooCostly);
        }
        if self.find.memory_usage() > STATE_BUDGET / 2 {
            self.find.reset(find);
        }
        Ok(())
    }

    /// Counts a give-up and starts the states afresh for the next record.
    fn gave_up(&mut self, find: &FindRegex) -> TooCostly {
        self.give_ups += 1;
        self.find.reset(find);
        TooCostly
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A match too long for the backtracker's memory has its values read by the PikeVM: the
    /// same values, not none.
    #[test]
    fn values_of_a_match_too_long_for_the_backtracker_are_read() {
        let matcher = Matcher::new(r"begin (?P<a>\w+) (?:\w+ ){0,400}(?P<b>\w+) end", 1 << 24)
            .expect("compiles");
        let words: String = (0..390).map(|i| format!("w{i} ")).collect();
        let hay = format!("x begin first {words}last end y");
        let mut cache = matcher.cache();
        let mut spans = Vec::new();
        (matcher.matches(&mut cache, hay.as_bytes(), None, &mut spans)).expect("within budget");
        assert_eq!(spans.len(), 1);
        assert!(
            spans[0].len() > matcher.backtrack.max_haystack_len(),
            "it must reach the PikeVM"
        );
        let captures = matcher.captures(&mut cache, hay.as_bytes(), spans[0]);
        let value = |name| captures.get_group_by_name(name).map(|s| &hay[s.range()]);
        assert_eq!((value("a"), value("b")), (Some("first"), Some("last")));
    }
}
