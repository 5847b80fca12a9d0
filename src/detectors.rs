//! The secret and onboarding detectors' common mechanics: each detector is a regex that runs
//! only on records where the prefilter saw one of its *triggers* (literals every match of it
//! holds, any case: `detectors::tests` proves it for each), and compiles the first time such a
//! record turns up. A first answer then compiles the two or three detectors its log needs,
//! not all 27 (in a fresh browser page that compiling was most of a first answer's time).

use regex::bytes::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// Which of a module's triggers a record holds: bit `i` for its `TRIGGERS[i]`.
pub type Seen = u32;

/// Every trigger: runs every detector (tests).
#[cfg(test)]
pub const EVERY: Seen = Seen::MAX;

/// One detector.
pub struct Detector<K> {
    pub kind: K,
    /// Its triggers, as bits of the module's list.
    triggers: Seen,
    source: String,
    regex: OnceLock<Regex>,
}

impl<K> Detector<K> {
    /// A detector whose every match holds one of `triggers` (entries of `all`, the module's
    /// trigger list).
    pub fn new(kind: K, triggers: &[&str], all: &[&str], source: String) -> Self {
        let bits = triggers.iter().fold(0, |bits, t| {
            let i = all.iter().position(|a| a == t);
            bits | 1 << i.expect("a detector's trigger is in its module's list")
        });
        Detector {
            kind,
            triggers: bits,
            source,
            regex: OnceLock::new(),
        }
    }

    /// Whether it runs on a record holding `seen`.
    pub fn runs_on(&self, seen: Seen) -> bool {
        self.triggers & seen != 0
    }

    /// The compiled regex: bytes and ASCII classes (the build has no Unicode tables, and a
    /// value's edges are widened to character boundaries where it is masked).
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            let regex = RegexBuilder::new(&self.source).unicode(false).build();
            regex.expect("the detectors are valid")
        })
    }

    fn compiled(&self) -> bool {
        self.regex.get().is_some()
    }

    #[cfg(test)]
    pub fn source(&self) -> &str {
        &self.source
    }

    #[cfg(test)]
    pub fn triggers<'a>(&self, all: &[&'a str]) -> Vec<&'a str> {
        let bits = self.triggers;
        (0..all.len())
            .filter(|i| bits & 1 << i != 0)
            .map(|i| all[i])
            .collect()
    }
}

/// Compiles at most `budget` of the detectors that records holding `seen` need; returns how
/// many compiled, and whether some still wait.
pub fn compile_some<K>(detectors: &[Detector<K>], seen: Seen, budget: usize) -> (usize, bool) {
    let mut waiting = detectors
        .iter()
        .filter(|d| d.runs_on(seen) && !d.compiled());
    let mut compiled = 0;
    for d in waiting.by_ref().take(budget) {
        d.regex();
        compiled += 1;
    }
    (compiled, waiting.next().is_some())
}

/// How many of `detectors` are compiled (tests).
pub fn compiled_count<K>(detectors: &[Detector<K>]) -> usize {
    detectors.iter().filter(|d| d.compiled()).count()
}

#[cfg(test)]
mod tests;
