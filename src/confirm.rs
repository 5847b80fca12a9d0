//! Confirming a candidate: the full pattern runs on a record the prefilter picked for it. Every
//! pattern is compiled once, the first time a record needs it, and runs at a bounded cost
//! ([`matcher`]): a record too costly to match is skipped and counted, never slow.

use crate::error::Error;
use crate::ruleset::RuleSet;
use regex_automata::util::captures::Captures;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

mod matcher;
mod reach;

pub use matcher::{MAX_GIVE_UPS, MatchCache, Matcher, STATE_BUDGET, TooCostly};

impl Matcher {
    /// Compiles a rule pattern in the rules' dialect ([`crate::pattern::prepare`]); rule files
    /// have it checked by the lint first.
    pub fn for_pattern(pattern: &str) -> Result<Matcher, String> {
        use crate::pattern::{SIZE_LIMIT, one_line, prepare};
        Matcher::new(&prepare(pattern), SIZE_LIMIT).map_err(|e| one_line(&e))
    }
}

/// Every pattern of a rule set: the rules' own, then the manifest's exit-code patterns.
pub struct Patterns {
    patterns: Vec<CompiledPattern>,
    /// The `code` rule of each exit code, for the manifest's `[[exit_code]]` patterns.
    by_exit_code: BTreeMap<u16, usize>,
}

struct CompiledPattern {
    /// The rule it belongs to; `None` for an exit-code pattern, whose captured `exit_code`
    /// picks the rule.
    rule: Option<usize>,
    regex: LazyRegex,
    unless: Option<LazyRegex>,
    fields: Vec<String>,
    /// Index of the rule's variant a match selects.
    variant: Option<usize>,
}

/// Each pattern's prefilter anchors (lower-case literals), by pattern index.
pub type Anchors<'s> = Vec<&'s [Vec<u8>]>;

/// One confirmed match in a record.
pub struct Hit {
    pub rule: usize,
    pub variant: Option<usize>,
    /// The match in the record's decoded text.
    pub start: usize,
    pub end: usize,
    pub fields: Fields,
}

/// A hit's captured values. Reading them costs a second search of the match, so a rule
/// pattern's are read only if the answer needs them ([`Patterns::read_fields`], from
/// [`crate::occurrences`]); an exit-code pattern's are read at once, its number names the rule.
pub enum Fields {
    Read(Vec<(String, String)>),
    /// Pattern `p`'s captures on the hit's span, not read yet.
    Later(usize),
}

/// A pattern compiled the first time a record needs it. The prefilter runs a pattern only where
/// its anchor occurs, so most patterns never run on a given log, and start-up (the cold regex
/// compiler, worst in the browser) need not build them all.
struct LazyRegex {
    source: String,
    compiled: OnceLock<Option<Matcher>>,
}

impl LazyRegex {
    /// With `eager`, compiles now and reports why it cannot.
    fn new(source: &str, eager: bool) -> Result<Self, String> {
        let lazy = LazyRegex {
            source: source.to_string(),
            compiled: OnceLock::new(),
        };
        if eager {
            let _ = lazy.compiled.set(Some(Matcher::for_pattern(source)?));
        }
        Ok(lazy)
    }

    /// Whether compiling it was tried, successfully or not.
    fn tried(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// The compiled pattern if it was already compiled; never compiles.
    fn compiled(&self) -> Option<&Matcher> {
        self.compiled.get().and_then(Option::as_ref)
    }

    /// The compiled pattern; `None` only if it cannot compile, which [`Patterns::build`] with
    /// `eager` rules out, and the test suite rules out for the built-in rules.
    fn get(&self) -> Option<&Matcher> {
        self.compiled
            .get_or_init(|| Matcher::for_pattern(&self.source).ok())
            .as_ref()
    }
}

impl Patterns {
    /// The patterns of `set`, and each one's prefilter anchors (by pattern index). With
    /// `eager`, every pattern compiles now, so one too large once compiled is reported here,
    /// with its file and rule.
    pub fn build(set: &RuleSet, eager: bool) -> Result<(Patterns, Anchors<'_>), Error> {
        let mut patterns = Vec::new();
        let mut anchors = Vec::new();
        for (rule_index, loaded) in set.rules.iter().enumerate() {
            for (pattern, checked) in loaded.rule.patterns.iter().zip(&loaded.checked) {
                let compile = |src: &str| {
                    LazyRegex::new(src, eager).map_err(|e| {
                        Error::rule(
                            &loaded.file,
                            &loaded.rule.id,
                            format!("pattern `{src}` does not compile: {e}"),
                            "the rule lint accepted its syntax, so it is too large once \
                             compiled: shorten bounded gaps such as `.{0,400}` and long \
                             alternations",
                        )
                    })
                };
                patterns.push(CompiledPattern {
                    rule: Some(rule_index),
                    regex: compile(&pattern.regex)?,
                    unless: pattern.unless.as_deref().map(compile).transpose()?,
                    fields: checked.fields.clone(),
                    variant: pattern
                        .variant
                        .as_deref()
                        .and_then(|v| loaded.rule.variants.iter().position(|x| x.id == v)),
                });
                anchors.push(checked.anchors.as_slice());
            }
        }
        for (pattern, checked) in set.manifest.exit_codes.iter().zip(&set.exit_codes) {
            let compile = |src: &str| {
                LazyRegex::new(src, eager).map_err(|e| {
                    Error::rule(
                        crate::ruleset::MANIFEST,
                        "manifest",
                        e,
                        "shorten the pattern's bounded gaps",
                    )
                })
            };
            patterns.push(CompiledPattern {
                rule: None,
                regex: compile(&pattern.regex)?,
                unless: pattern.unless.as_deref().map(compile).transpose()?,
                fields: checked.fields.clone(),
                variant: None,
            });
            anchors.push(checked.anchors.as_slice());
        }
        let by_exit_code = set
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.rule.exit_code.map(|code| (code, i)))
            .collect();
        Ok((
            Patterns {
                patterns,
                by_exit_code,
            },
            anchors,
        ))
    }

    /// Compiles up to `max` of `wanted` (pattern indices, each once) that are not compiled
    /// yet, with their `unless`: everything confirming them and reading their values may need,
    /// so that no later step of the call builds more. Returns how many it compiled and how
    /// many are left.
    pub fn compile_some(&self, wanted: &[usize], max: usize) -> (usize, usize) {
        let (mut compiled, mut left) = (0, 0);
        for &p in wanted {
            let pattern = &self.patterns[p];
            // A pattern that cannot compile has been tried: it is as ready as it will be.
            if pattern.regex.tried() {
                continue;
            }
            if compiled == max {
                left += 1;
                continue;
            }
            compiled += 1;
            pattern.regex.get();
            pattern.unless.as_ref().map(LazyRegex::get);
        }
        (compiled, left)
    }

    /// How many patterns are compiled so far.
    pub fn compiled(&self) -> usize {
        self.patterns.iter().filter(|p| p.regex.tried()).count()
    }

    /// How many patterns are compiled so far, and how many there are.
    #[cfg(test)]
    pub fn compiled_count(&self) -> (usize, usize) {
        (self.compiled(), self.patterns.len())
    }

    /// The names pattern `p` captures.
    pub fn field_names(&self, p: usize) -> &[String] {
        &self.patterns[p].fields
    }

    /// The values pattern `p` captures in its match `span` of `record` (a [`Fields::Later`]),
    /// whitespace runs made single spaces, empty ones left out.
    pub fn read_fields(
        &self,
        p: usize,
        record: &[u8],
        span: Range<usize>,
        caches: &mut Caches,
    ) -> Vec<(String, String)> {
        let pattern = &self.patterns[p];
        let Some(matcher) = pattern.regex.compiled() else {
            return Vec::new();
        };
        let cache = caches.slots(p, self.patterns.len())[0].get_or_insert_with(|| matcher.cache());
        let span = regex_automata::Span::from(span);
        values(
            &pattern.fields,
            record,
            matcher.captures(cache, record, span),
        )
    }

    /// The rule pattern `p` belongs to; `None` for an exit-code pattern.
    pub fn rule_of(&self, p: usize) -> Option<usize> {
        self.patterns[p].rule
    }

    /// Runs pattern `p` over one record's decoded text, adding its matches to `hits`; nothing
    /// is added if the record is too costly to match ([`matcher`]).
    /// `anchors` are where the prefilter found the pattern's anchors in the record, if known.
    pub fn confirm(
        &self,
        p: usize,
        record: &[u8],
        anchors: Option<&[Range<usize>]>,
        hits: &mut Vec<Hit>,
        caches: &mut Caches,
    ) -> Result<(), TooCostly> {
        let pattern = &self.patterns[p];
        let slots = caches.slots(p, self.patterns.len());
        let Some(matcher) = pattern.regex.get() else {
            return Ok(());
        };
        let first = hits.len();
        let cache = slots[0].get_or_insert_with(|| matcher.cache());
        let mut spans = Vec::new();
        let found = matcher.matches(cache, record, anchors, &mut spans);
        for whole in spans {
            let (rule, fields) = match pattern.rule {
                Some(rule) if pattern.fields.is_empty() => (rule, Fields::Read(Vec::new())),
                Some(rule) => (rule, Fields::Later(p)),
                None => {
                    // An exit-code pattern: the number names the code rule (exit code N is
                    // AZCM00NN); a number no rule claims is not a diagnosis.
                    let mut fields = values(
                        &pattern.fields,
                        record,
                        matcher.captures(cache, record, whole),
                    );
                    let code = fields
                        .iter()
                        .find(|(k, _)| k == "exit_code")
                        .and_then(|(_, v)| v.parse::<u16>().ok());
                    let Some((code, &rule)) =
                        code.and_then(|n| self.by_exit_code.get(&n).map(|r| (n, r)))
                    else {
                        continue;
                    };
                    fields.push(("azcm_code".into(), format!("AZCM{code:04}")));
                    (rule, Fields::Read(fields))
                }
            };
            hits.push(Hit {
                rule,
                variant: pattern.variant,
                start: whole.start,
                end: whole.end,
                fields,
            });
        }
        // `unless` vetoes the whole record, so it need only run where the pattern matched.
        if let (Ok(()), true) = (found, hits.len() > first) {
            if let Some(unless) = pattern.unless.as_ref().and_then(LazyRegex::get) {
                let cache = slots[1].get_or_insert_with(|| unless.cache());
                let vetoed = unless.is_match(cache, record);
                if vetoed != Ok(false) {
                    hits.truncate(first);
                }
                vetoed?;
            }
        }
        found
    }
}

/// The values of `names` in one match's captures, whitespace runs made single spaces, empty
/// ones left out.
fn values(names: &[String], record: &[u8], captures: &Captures) -> Vec<(String, String)> {
    (names.iter())
        .filter_map(|name| {
            let span = captures.get_group_by_name(name)?;
            let value = String::from_utf8_lossy(&record[span.range()]);
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            (!value.is_empty()).then(|| (name.clone(), value))
        })
        .collect()
}

/// One input's working memory for every pattern (its match finder and its `unless`), made the
/// first time a pattern runs on that input, so no input's answer depends on an earlier one's.
#[derive(Default)]
pub struct Caches {
    slots: Vec<[Option<MatchCache>; 2]>,
}

impl Caches {
    fn slots(&mut self, p: usize, patterns: usize) -> &mut [Option<MatchCache>; 2] {
        if self.slots.len() < patterns {
            self.slots.resize_with(patterns, Default::default);
        }
        &mut self.slots[p]
    }

    /// Gives every pattern's working memory back to it, for the next input.
    pub fn recycle(self, patterns: &Patterns) {
        for (pattern, slots) in patterns.patterns.iter().zip(self.slots) {
            let [find, unless] = slots;
            // Only a pattern that ran has a cache, and it is compiled: asking `get` here would
            // compile every other pattern at the end of the first input.
            if let (Some(c), Some(m)) = (find, pattern.regex.compiled()) {
                m.recycle(c);
            }
            let unless = unless.zip(pattern.unless.as_ref().and_then(LazyRegex::compiled));
            if let Some((c, m)) = unless {
                m.recycle(c);
            }
        }
    }
}
