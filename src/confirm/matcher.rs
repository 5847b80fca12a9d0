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
//! short, so that second engine's cost is bounded by the match, not the record. It is built
//! the first time a value is read: most patterns' values never are (a rule's fields are read
//! from the hits that decide them, [`crate::occurrences`]), and building it was two thirds of
//! a pattern's first use.

use regex_automata::hybrid::regex::{Cache as FindCache, Regex as FindRegex};
use regex_automata::meta::Regex as FieldRegex;
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, Span, hybrid, meta, nfa::thompson};
use regex_syntax::hir::Hir;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

/// Bytes of DFA states one pattern may build for one input (per search direction).
pub const STATE_BUDGET: usize = 1 << 20;
/// Records a pattern may give up on in one input before it is no longer run on that input.
pub const MAX_GIVE_UPS: u32 = 2;

/// A pattern ready to run: its match finder and its field reader.
#[derive(Debug)]
pub struct Matcher {
    find: FindRegex,
    /// The field reader, built from `hir` when a value is first read.
    fields: OnceLock<Result<FieldRegex, String>>,
    hir: Hir,
    size_limit: usize,
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
    captures: Option<Captures>,
    give_ups: u32,
}

/// The budget ran out on this text: it was not checked against the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooCostly;

impl Matcher {
    /// Compiles a prepared pattern ([`crate::pattern::prepare`]); `size_limit` bounds each
    /// compiled automaton.
    pub fn new(prepared: &str, size_limit: usize) -> Result<Matcher, String> {
        let syntax = syntax::Config::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false);
        let thompson = thompson::Config::new()
            .utf8(false)
            .nfa_size_limit(Some(size_limit));
        // Parsed once for the field reader and the reach; its errors say what is wrong with the
        // pattern's syntax.
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false)
            .build()
            .parse(prepared)
            .map_err(|e| e.to_string())?;
        let find = FindRegex::builder()
            .syntax(syntax)
            .thompson(thompson)
            .dfa(
                hybrid::dfa::Config::new()
                    .cache_capacity(STATE_BUDGET)
                    .minimum_cache_clear_count(Some(0))
                    .minimum_bytes_per_state(None),
            )
            .build(prepared)
            .map_err(|e| too_large(&e))?;
        let reach = super::reach::of(&hir);
        Ok(Matcher {
            find,
            fields: OnceLock::new(),
            hir,
            size_limit,
            reach,
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
            captures: None,
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

    /// Whether the field reader is built yet.
    pub fn has_field_reader(&self) -> bool {
        self.fields.get().is_some()
    }

    /// The field reader, built the first time it is asked for; its errors say why it cannot
    /// be built (a pattern within the size limit for finding matches is within it here too).
    pub fn field_reader(&self) -> Result<&FieldRegex, &str> {
        let built = self.fields.get_or_init(|| {
            let config = meta::Config::new()
                .utf8_empty(false)
                .nfa_size_limit(Some(self.size_limit));
            (FieldRegex::builder().configure(config))
                .build_from_hir(&self.hir)
                .map_err(|e| too_large(&e))
        });
        built.as_ref().map_err(String::as_str)
    }

    /// Reads the captures of a match [`Self::matches`] found, on its span alone: the
    /// field reader's cost is bounded by the match, not the record. `None` if the reader
    /// cannot be built.
    pub fn captures<'c>(
        &self,
        cache: &'c mut MatchCache,
        hay: &[u8],
        span: Span,
    ) -> Option<&'c Captures> {
        let fields = self.field_reader().ok()?;
        let captures = cache
            .captures
            .get_or_insert_with(|| fields.create_captures());
        let input = Input::new(hay).span(span).anchored(Anchored::Yes);
        // Its own pool of working memory: what it reads does not depend on it.
        fields.search_captures(&input, captures);
        Some(captures)
    }
}

/// What a failed build says: the size limit it exceeded if that is why (the NFA compiler's error,
/// somewhere in the chain), else the error itself.
fn too_large(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = Some(e);
    while let Some(err) = cause {
        let limit = (err
            .downcast_ref::<thompson::BuildError>()
            .and_then(|b| b.size_limit()))
        .or_else(|| err.downcast_ref::<meta::BuildError>()?.size_limit());
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
