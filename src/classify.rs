//! The classifier: rules compiled once, then input streamed through in one pass.
//!
//! Lines are cleaned ([`crate::normalize`]) and grouped into records (a line with a header and the
//! lines that continue it), joined without separators so a wrapped GUID or URL is whole again.
//! One Aho-Corasick automaton finds every pattern's anchor literal in one pass over a batch of
//! records; each full pattern then runs only on the records where its anchor occurs.

use crate::error::Error;
use crate::input::{Encoding, Lines, Piece};
use crate::normalize::{
    Cleaner, Format, Level, decode_record, decode_record_tracked, format_bit, formats_in,
};
use crate::report::{
    Candidate, Confidence, Diagnosis, Evidence, EvidenceLine, InputSummary, Report, SourceLink,
};
use crate::rule::{Kind, Platform};
use crate::ruleset::RuleSet;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;
use std::collections::{BTreeMap, VecDeque};
use std::sync::OnceLock;

/// Records are scanned in batches of about this many bytes, so memory stays bounded.
const BATCH: usize = 4 << 20;
/// A record longer than this is split at the next line: headerless input (a tool's raw output)
/// would otherwise become one record as long as the input.
const MAX_RECORD: usize = 64 << 10;
/// Evidence kept per diagnosis: the first occurrence and the last few.
pub const MAX_EVIDENCE: usize = 5;
/// Error-looking lines kept for the no-match answer.
pub const MAX_ERROR_LINES: usize = 20;
/// Characters of context kept on each side of a match in an evidence line.
const CONTEXT: usize = 120;
/// Longest matched text shown in an evidence line.
const MAX_SHOWN_SPAN: usize = 600;
/// Stage occurrences and cause lines remembered to decide whether a stage is explained.
const MAX_REMEMBERED_LINES: usize = 4096;
/// A cause within this many lines of a stage message explains it.
const EXPLAINS_WITHIN: u64 = 3;

/// Words that make a line without a level look like an error. They are common, so they are
/// searched for only in records without a level, not in the one-pass prefilter.
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

/// Rules compiled for matching. Build once, classify many times.
pub struct Classifier {
    set: RuleSet,
    patterns: Vec<CompiledPattern>,
    /// The `code` rule of each exit code, for the manifest's `[[exit_code]]` patterns.
    by_exit_code: BTreeMap<u16, usize>,
    prefilter: AhoCorasick,
    targets: Vec<Target>,
    weak_signals: AhoCorasick,
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

/// A pattern compiled the first time a record needs it. The prefilter runs a pattern only where
/// its anchor occurs, so most patterns never run on a given log, and start-up (the cold regex
/// compiler, worst in the browser) need not build them all.
struct LazyRegex {
    source: String,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(source: &str) -> Self {
        LazyRegex {
            source: source.to_string(),
            compiled: OnceLock::new(),
        }
    }

    /// The compiled pattern; `None` only if it cannot compile, which [`Classifier::new`]
    /// rules out and the test suite rules out for the built-in rules.
    fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| crate::pattern::compile(&self.source).ok())
            .as_ref()
    }

    /// Compiles now, reporting why it cannot.
    fn force(&self) -> Result<(), String> {
        let regex = crate::pattern::compile(&self.source)?;
        // A fresh LazyRegex is empty, so this cannot lose an earlier value.
        let _ = self.compiled.set(Some(regex));
        Ok(())
    }
}

#[derive(Default, Clone)]
struct Target {
    patterns: Vec<usize>,
    strong: bool,
    platform: Option<Platform>,
}

impl Classifier {
    /// The classifier over the rules compiled into this build. Its patterns compile on first
    /// use: the test suite compiles every one of them (`every_builtin_pattern_compiles`).
    pub fn builtin() -> Result<Classifier, Error> {
        Classifier::build(RuleSet::builtin()?, false)
    }

    /// Compiles a checked rule set, every pattern now: a pattern too large once compiled is
    /// reported here, with its file and rule.
    pub fn new(set: RuleSet) -> Result<Classifier, Error> {
        Classifier::build(set, true)
    }

    fn build(set: RuleSet, eager: bool) -> Result<Classifier, Error> {
        let mut patterns = Vec::new();
        let mut anchors: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let anchor_index = |anchor: &[u8],
                            anchors: &mut Vec<Vec<u8>>,
                            targets: &mut Vec<Target>| {
            match anchors.iter().position(|a| a == anchor) {
                Some(i) => i,
                None => {
                    anchors.push(anchor.to_vec());
                    targets.push(Target::default());
                    anchors.len() - 1
                }
            }
        };
        for (rule_index, loaded) in set.rules.iter().enumerate() {
            for (pattern, checked) in loaded.rule.patterns.iter().zip(&loaded.checked) {
                let compile = |src: &str| {
                    let lazy = LazyRegex::new(src);
                    if eager {
                        lazy.force().map_err(|e| {
                            Error::rule(
                                &loaded.file,
                                &loaded.rule.id,
                                format!("pattern `{src}` does not compile: {e}"),
                                "the rule lint accepted its syntax, so it is too large once \
                                 compiled: shorten bounded gaps such as `.{0,400}` and long \
                                 alternations",
                            )
                        })?;
                    }
                    Ok::<_, Error>(lazy)
                };
                let index = patterns.len();
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
                for anchor in &checked.anchors {
                    let i = anchor_index(anchor, &mut anchors, &mut targets);
                    targets[i].patterns.push(index);
                }
            }
        }
        for (pattern, checked) in set.manifest.exit_codes.iter().zip(&set.exit_codes) {
            let fail = |problem: String, fix: String| {
                Error::rule(crate::MANIFEST, "manifest", problem, fix)
            };
            let compile = |src: &str| {
                let lazy = LazyRegex::new(src);
                if eager {
                    lazy.force()
                        .map_err(|e| fail(e, "shorten the pattern's bounded gaps".into()))?;
                }
                Ok::<_, Error>(lazy)
            };
            let index = patterns.len();
            patterns.push(CompiledPattern {
                rule: None,
                regex: compile(&pattern.regex)?,
                unless: pattern.unless.as_deref().map(compile).transpose()?,
                fields: checked.fields.clone(),
                variant: None,
            });
            for anchor in &checked.anchors {
                let i = anchor_index(anchor, &mut anchors, &mut targets);
                targets[i].patterns.push(index);
            }
        }
        let by_exit_code = set
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.rule.exit_code.map(|code| (code, i)))
            .collect();
        for s in STRONG_SIGNALS {
            let i = anchor_index(s.as_bytes(), &mut anchors, &mut targets);
            targets[i].strong = true;
        }
        for (signal, platform) in set.manifest.platform.all() {
            let i = anchor_index(
                signal.to_ascii_lowercase().as_bytes(),
                &mut anchors,
                &mut targets,
            );
            targets[i].platform = Some(platform);
        }
        let prefilter = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&anchors)
            .or_else(|_| {
                // The DFA has a size limit; the contiguous NFA has none that rules can reach.
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&anchors)
            })
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
        Ok(Classifier {
            set,
            patterns,
            by_exit_code,
            prefilter,
            targets,
            weak_signals,
        })
    }

    pub fn ruleset(&self) -> &RuleSet {
        &self.set
    }

    /// Classifies text.
    pub fn classify(&self, text: &str) -> Report {
        let mut session = Session::with_encoding(self, Some(Encoding::Utf8));
        session.feed(text.as_bytes());
        session.finish()
    }

    /// Classifies bytes of unknown encoding (a dropped or read file): UTF-8, or UTF-16 with or
    /// without a byte-order mark; invalid sequences are replaced and counted.
    pub fn classify_bytes(&self, bytes: &[u8]) -> Report {
        let mut session = self.session();
        session.feed(bytes);
        session.finish()
    }

    /// A streaming classification: feed chunks of any size, then finish.
    pub fn session(&self) -> Session<'_> {
        Session::with_encoding(self, None)
    }

    /// A streaming classification of text known to be UTF-8 (pasted text fed in pieces).
    pub fn text_session(&self) -> Session<'_> {
        Session::with_encoding(self, Some(Encoding::Utf8))
    }
}

/// One classification in progress.
pub struct Session<'c> {
    lines: Lines,
    work: Work<'c>,
}

impl<'c> Session<'c> {
    fn with_encoding(c: &'c Classifier, encoding: Option<Encoding>) -> Self {
        let mut lines = Lines::new();
        if let Some(e) = encoding {
            lines.assume(e);
        }
        Session {
            lines,
            work: Work::new(c),
        }
    }

    /// Feeds the next chunk of input.
    pub fn feed(&mut self, bytes: &[u8]) {
        let Session { lines, work } = self;
        lines.feed(bytes, &mut |piece| work.add_piece(piece));
    }

    /// Ends the input and returns the report.
    pub fn finish(mut self) -> Report {
        let Session { lines, work } = &mut self;
        lines.finish(&mut |piece| work.add_piece(piece));
        work.scan(true);
        let facts = lines.facts().clone();
        self.work.report(facts)
    }
}

struct RecordEntry {
    /// The record in `Work::light` (cleaned lines joined, as the user pasted them).
    light: (usize, usize),
    /// The record in `Work::hay` (decoded, what rules match), once the record is complete.
    hay: (usize, usize),
    /// Decoding changed the text, so offsets need mapping between the two.
    decoded: bool,
    /// Index of its first line in `Work::lines`.
    first_line: usize,
    level: Option<Level>,
}

#[derive(Default)]
struct Aggregate {
    occurrences: u64,
    first: Option<Evidence>,
    tail: VecDeque<Evidence>,
    fields: BTreeMap<String, String>,
    max_level: Option<Level>,
    last_line: u64,
    /// First lines of occurrences, for deciding whether a stage is explained.
    lines: Vec<u64>,
    /// The variant the latest match that named one selected.
    variant: Option<usize>,
}

struct Work<'c> {
    c: &'c Classifier,
    cleaner: Cleaner,
    /// Cleaned lines; records separated by `\n`, a record's lines joined without separator.
    light: String,
    /// `(offset in light, original line number)` of each line piece.
    lines: Vec<(usize, u64)>,
    /// Decoded records, separated by `\n`.
    hay: String,
    records: Vec<RecordEntry>,
    /// Records `..complete` are decoded into `hay`; the last one may still grow.
    complete: usize,
    formats: u16,
    found: BTreeMap<usize, Aggregate>,
    error_lines: VecDeque<EvidenceLine>,
    error_line_count: u64,
    /// Scratch: per pattern, the last record it was queued for.
    queued_in: Vec<usize>,
    /// How many platform signals of each kind were seen: Windows, Linux.
    platform_hits: [u64; 2],
}

struct Found {
    rule: usize,
    variant: Option<usize>,
    /// The match in `hay`.
    start: usize,
    end: usize,
    fields: Vec<(String, String)>,
}

impl<'c> Work<'c> {
    fn new(c: &'c Classifier) -> Self {
        Work {
            c,
            cleaner: Cleaner,
            light: String::new(),
            lines: Vec::new(),
            hay: String::new(),
            records: Vec::new(),
            complete: 0,
            formats: 0,
            found: BTreeMap::new(),
            error_lines: VecDeque::new(),
            error_line_count: 0,
            queued_in: vec![usize::MAX; c.patterns.len()],
            platform_hits: [0; 2],
        }
    }

    fn add_piece(&mut self, piece: Piece<'_>) {
        let (text, info) = self.cleaner.clean(piece.text);
        let record_len = self
            .records
            .last()
            .map_or(0, |r| self.light.len() - r.light.0);
        let starts = (info.starts_record && !piece.cut)
            || self.records.is_empty()
            || record_len > MAX_RECORD;
        if starts {
            self.complete_last();
            if !self.records.is_empty() {
                self.light.push('\n');
            }
            self.records.push(RecordEntry {
                light: (self.light.len(), self.light.len()),
                hay: (0, 0),
                decoded: false,
                first_line: self.lines.len(),
                level: info.level,
            });
        } else if !text.is_empty() && !piece.cut {
            self.formats |= format_bit(Format::Wrapped);
        }
        self.formats |= info.formats;
        self.lines.push((self.light.len(), piece.line));
        self.light.push_str(&text);
        if let Some(r) = self.records.last_mut() {
            r.light.1 = self.light.len();
        }
        if self.light.len() >= BATCH {
            self.scan(false);
        }
    }

    /// Decodes the last record into `hay`: it is complete once the next one starts.
    fn complete_last(&mut self) {
        if self.complete == self.records.len() {
            return;
        }
        let r = self.records.len() - 1;
        let (s, e) = self.records[r].light;
        let decoded = decode_record(&self.light[s..e]);
        let changed = matches!(decoded, std::borrow::Cow::Owned(_));
        if !self.hay.is_empty() {
            self.hay.push('\n');
        }
        let start = self.hay.len();
        self.hay.push_str(&decoded);
        let record = &mut self.records[r];
        record.hay = (start, self.hay.len());
        record.decoded = changed;
        self.complete = self.records.len();
    }

    /// Scans every complete record (all of them at the end of input), then drops them.
    fn scan(&mut self, at_end: bool) {
        if at_end {
            self.complete_last();
        }
        let upto = self.complete;
        if upto == 0 {
            return;
        }
        let region_end = self.records[upto - 1].hay.1;
        let c = self.c;
        let mut queue: Vec<(usize, usize)> = Vec::new();
        let mut strong = vec![false; upto];
        let mut record = 0;
        for m in c
            .prefilter
            .find_overlapping_iter(&self.hay.as_bytes()[..region_end])
        {
            let last_byte = m.end() - 1;
            while record + 1 < upto && self.records[record + 1].hay.0 <= last_byte {
                record += 1;
            }
            let target = &c.targets[m.pattern().as_usize()];
            for &p in &target.patterns {
                if self.queued_in[p] != record {
                    self.queued_in[p] = record;
                    queue.push((record, p));
                }
            }
            strong[record] |= target.strong;
            match target.platform {
                Some(Platform::Windows) => self.platform_hits[0] += 1,
                Some(Platform::Linux) => self.platform_hits[1] += 1,
                None => {}
            }
        }
        queue.sort_unstable();
        let mut i = 0;
        while i < queue.len() {
            let r = queue[i].0;
            let mut found = Vec::new();
            while i < queue.len() && queue[i].0 == r {
                self.match_pattern(r, queue[i].1, &mut found);
                i += 1;
            }
            self.record_found(r, found);
        }
        for (r, &strong) in strong.iter().enumerate().take(upto) {
            let level = self.records[r].level;
            let (start, end) = self.records[r].hay;
            let looks_bad = strong
                || level.is_some_and(|l| l >= Level::Error)
                || (level.is_none() && c.weak_signals.is_match(&self.hay.as_bytes()[start..end]));
            if looks_bad {
                self.note_error_line(r);
            }
        }
        self.queued_in.iter_mut().for_each(|q| *q = usize::MAX);
        if upto == self.records.len() {
            return;
        }
        // Keep the record that may still grow; everything before it is done.
        let keep_from = self.records[upto].light.0;
        let first_kept_line = self.records[upto].first_line;
        self.light.drain(..keep_from);
        self.hay.clear();
        self.records.drain(..upto);
        self.complete = 0;
        self.lines.drain(..first_kept_line);
        for r in &mut self.records {
            r.light.0 -= keep_from;
            r.light.1 -= keep_from;
            r.first_line -= first_kept_line;
        }
        for l in &mut self.lines {
            l.0 -= keep_from;
        }
    }

    fn match_pattern(&self, r: usize, p: usize, found: &mut Vec<Found>) {
        let (start, end) = self.records[r].hay;
        let text = &self.hay.as_bytes()[start..end];
        let pattern = &self.c.patterns[p];
        if pattern
            .unless
            .as_ref()
            .and_then(LazyRegex::get)
            .is_some_and(|u| u.is_match(text))
        {
            return;
        }
        let Some(regex) = pattern.regex.get() else {
            return;
        };
        for caps in regex.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let mut fields: Vec<(String, String)> = pattern
                .fields
                .iter()
                .filter_map(|name| {
                    let value = caps.name(name)?;
                    let value = String::from_utf8_lossy(value.as_bytes());
                    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
                    (!value.is_empty()).then(|| (name.clone(), value))
                })
                .collect();
            let rule = match pattern.rule {
                Some(rule) => rule,
                None => {
                    // An exit-code pattern: the number names the code rule (exit code N is
                    // AZCM00NN); a number no rule claims is not a diagnosis.
                    let code = fields
                        .iter()
                        .find(|(k, _)| k == "exit_code")
                        .and_then(|(_, v)| v.parse::<u16>().ok());
                    let Some((code, &rule)) =
                        code.and_then(|n| self.c.by_exit_code.get(&n).map(|r| (n, r)))
                    else {
                        continue;
                    };
                    fields.push(("azcm_code".into(), format!("AZCM{code:04}")));
                    rule
                }
            };
            found.push(Found {
                rule,
                variant: pattern.variant,
                start: start + whole.start(),
                end: start + whole.end(),
                fields,
            });
        }
    }

    /// Turns the matches of one record into occurrences. A record is one log entry, so a rule
    /// counts once per record however many of its patterns match there; later matches only add
    /// the fields they capture.
    fn record_found(&mut self, r: usize, mut found: Vec<Found>) {
        if found.is_empty() {
            return;
        }
        found.sort_by_key(|f| (f.start, f.rule, f.end));
        let origin = self.records[r].decoded.then(|| {
            let (s, e) = self.records[r].light;
            decode_record_tracked(&self.light[s..e]).1
        });
        let mut counted = std::collections::BTreeSet::new();
        for f in found {
            if !counted.insert(f.rule) {
                let agg = self.found.entry(f.rule).or_default();
                for (k, v) in f.fields {
                    agg.fields.entry(k).or_insert(v);
                }
                agg.variant = f.variant.or(agg.variant);
                continue;
            }
            let (light_start, light_end) = self.to_light(r, f.start, f.end, origin.as_deref());
            let evidence = self.evidence(r, light_start, light_end);
            let level = self.records[r].level;
            let agg = self.found.entry(f.rule).or_default();
            agg.occurrences += 1;
            agg.variant = f.variant.or(agg.variant);
            agg.max_level = agg.max_level.max(Some(rank_level(level)));
            agg.last_line = evidence.line;
            if agg.lines.len() < MAX_REMEMBERED_LINES {
                agg.lines.push(evidence.line);
            }
            for (k, v) in f.fields {
                agg.fields.insert(k, v);
            }
            if agg.first.is_none() {
                agg.first = Some(evidence);
            } else {
                agg.tail.push_back(evidence);
                if agg.tail.len() > MAX_EVIDENCE - 1 {
                    agg.tail.pop_front();
                }
            }
        }
    }

    /// Maps a span of the decoded record to the cleaned lines the user pasted.
    fn to_light(
        &self,
        r: usize,
        start: usize,
        end: usize,
        origin: Option<&[u32]>,
    ) -> (usize, usize) {
        let record = &self.records[r];
        let (hay_start, light_start) = (record.hay.0, record.light.0);
        let (rel_start, rel_end) = (start - hay_start, end - hay_start);
        match origin {
            None => (light_start + rel_start, light_start + rel_end),
            Some(origin) => {
                let at = |i: usize| {
                    origin
                        .get(i)
                        .map_or(record.light.1, |o| light_start + *o as usize)
                };
                (at(rel_start), at(rel_end).max(at(rel_start)))
            }
        }
    }

    /// The lines a match covers (in `light`), each clipped around its part of the match.
    fn evidence(&self, r: usize, start: usize, end: usize) -> Evidence {
        let record = &self.records[r];
        let last_line = self
            .records
            .get(r + 1)
            .map_or(self.lines.len(), |n| n.first_line);
        let lines = &self.lines[record.first_line..last_line];
        let first = lines.partition_point(|l| l.0 <= start).saturating_sub(1);
        let last = lines
            .partition_point(|l| l.0 < end.max(start + 1))
            .saturating_sub(1)
            .max(first);
        let mut out: Vec<EvidenceLine> = Vec::new();
        for i in first..=last {
            let (line_start, number) = lines[i];
            let line_end = lines.get(i + 1).map_or(record.light.1, |l| l.0);
            let seg = self
                .light
                .as_bytes()
                .get(line_start..line_end)
                .unwrap_or_default();
            let s = start.clamp(line_start, line_end) - line_start;
            let e = end.clamp(line_start, line_end) - line_start;
            // Pieces of one cut physical line are shown as one evidence line.
            if let Some(prev) = out.last_mut().filter(|p| p.line == number) {
                if prev.span.is_none() && e > s {
                    *prev = clip(seg, Some((s, e)), number);
                }
                continue;
            }
            if seg.is_empty() && i != first {
                continue;
            }
            out.push(clip(seg, Some((s, e)).filter(|(s, e)| e > s), number));
        }
        Evidence {
            line: out.first().map_or(0, |l| l.line),
            level: record.level,
            lines: out,
        }
    }

    fn note_error_line(&mut self, r: usize) {
        let record = &self.records[r];
        let (start, number) = self.lines[record.first_line];
        let end = self
            .lines
            .get(record.first_line + 1)
            .map(|l| l.0)
            .filter(|e| *e <= record.light.1)
            .unwrap_or(record.light.1);
        let line = clip(&self.light.as_bytes()[start..end], None, number);
        if line.text.is_empty() {
            return;
        }
        self.error_line_count += 1;
        self.error_lines.push_back(line);
        if self.error_lines.len() > MAX_ERROR_LINES {
            self.error_lines.pop_front();
        }
    }

    fn report(self, facts: crate::input::InputFacts) -> Report {
        let set = &self.c.set;
        let mut formats = self.formats;
        if facts.crlf {
            formats |= format_bit(Format::Crlf);
        }
        if matches!(facts.encoding, Some(Encoding::Utf16le | Encoding::Utf16be)) {
            formats |= format_bit(Format::Utf16);
        }
        let cause_lines: Vec<u64> = {
            let mut v: Vec<u64> = self
                .found
                .iter()
                // Only a specific cause explains a failing step. An exit code does not: it
                // names the category, and the step's candidate rows still help.
                .filter(|(i, _)| set.rules[**i].rule.kind == Kind::Cause)
                .flat_map(|(_, a)| a.lines.iter().copied())
                .collect();
            v.sort_unstable();
            v
        };
        let platform = match self.platform_hits {
            [windows, linux] if windows > linux => Some(Platform::Windows),
            [windows, linux] if linux > windows => Some(Platform::Linux),
            _ => None,
        };
        let mut matches: Vec<(Diagnosis, Option<Level>, u64)> = Vec::new();
        let mut variant_notes: BTreeMap<String, String> = BTreeMap::new();
        for (&index, agg) in &self.found {
            let loaded = &set.rules[index];
            let rule = &loaded.rule;
            let mut candidates = Vec::new();
            let confidence = if rule.kind == Kind::Stage {
                let rows: Vec<_> = set.rows_of_stage(&rule.id).collect();
                let row_matched = rows.iter().any(|row| {
                    set.rules
                        .iter()
                        .position(|r| r.rule.id == row.rule.id)
                        .is_some_and(|i| self.found.contains_key(&i))
                });
                let explained = agg.lines.iter().all(|line| {
                    let from = cause_lines.partition_point(|l| *l + EXPLAINS_WITHIN < *line);
                    cause_lines
                        .get(from)
                        .is_some_and(|l| *l <= line + EXPLAINS_WITHIN)
                });
                if row_matched || explained {
                    continue;
                }
                candidates = rows
                    .iter()
                    .map(|row| Candidate {
                        id: row.rule.id.clone(),
                        title: row.rule.title.clone(),
                        error: row.rule.error.clone(),
                    })
                    .collect();
                Confidence::Partial
            } else {
                Confidence::Exact
            };
            let evidence: Vec<Evidence> = agg.first.iter().chain(&agg.tail).cloned().collect();
            let mut lines: Vec<u64> = evidence
                .iter()
                .flat_map(|e| e.lines.iter().map(|l| l.line))
                .collect();
            lines.dedup();
            // The error's own text picks a meaning first; the log's platform second.
            let variant = match agg.variant {
                Some(v) => rule.variants.get(v),
                None => platform.and_then(|p| rule.variants.iter().find(|v| v.platform == Some(p))),
            };
            if let Some(v) = variant {
                let note = match (agg.variant, v.platform) {
                    (None, Some(p)) => format!(
                        " This code means different things on Windows and Linux; the log comes \
                         from a {} machine, so that meaning is shown.",
                        platform_name(p)
                    ),
                    _ => " The text after the code says which of its meanings applies.".into(),
                };
                variant_notes.insert(rule.id.clone(), note);
            }
            let (title, cause, solution) = variant
                .map_or((&rule.title, &rule.cause, &rule.solution), |v| {
                    (&v.title, &v.cause, &v.solution)
                });
            let error = variant
                .and_then(|v| v.error.as_ref())
                .unwrap_or(&rule.error);
            matches.push((
                Diagnosis {
                    id: rule.id.clone(),
                    confidence,
                    kind: rule.kind,
                    title: title.clone(),
                    message: rule.message.clone(),
                    error: error.clone(),
                    cause: cause.clone(),
                    solution: solution.clone(),
                    docs: rule.docs.clone(),
                    source: rule.source.clone(),
                    sources: rule
                        .sources
                        .iter()
                        .map(|s| SourceLink::from_citation(s))
                        .collect(),
                    checked: rule.checked.clone(),
                    unsourced: rule.unsourced.clone(),
                    variant: variant.map(|v| v.id.clone()),
                    lines,
                    occurrences: agg.occurrences,
                    evidence,
                    fields: agg.fields.clone(),
                    candidates,
                    rank_reason: String::new(),
                },
                agg.max_level,
                agg.last_line,
            ));
        }
        // A cause that produces another one found in the same log ranks before it.
        let mut led_by: BTreeMap<String, String> = BTreeMap::new();
        for (d, _, _) in matches
            .iter()
            .filter(|(d, _, _)| d.confidence == Confidence::Exact)
        {
            if let Some(r) = set.get(&d.id) {
                for target in &r.rule.leads_to {
                    if matches.iter().any(|(m, _, _)| &m.id == target) {
                        led_by.entry(target.clone()).or_insert_with(|| d.id.clone());
                    }
                }
            }
        }
        // Specific before generic, a cause before the causes it leads to, then the most severe,
        // then the latest: the last fatal error comes before the retries that preceded it.
        matches.sort_by(|(a, la, na), (b, lb, nb)| {
            (a.confidence, a.kind, led_by.contains_key(&a.id))
                .cmp(&(b.confidence, b.kind, led_by.contains_key(&b.id)))
                .then(lb.cmp(la))
                .then(nb.cmp(na))
                .then(a.id.cmp(&b.id))
        });
        let has_cause = matches
            .iter()
            .any(|(d, _, _)| d.kind == Kind::Cause && d.confidence == Confidence::Exact);
        let mut matches: Vec<Diagnosis> = matches
            .into_iter()
            .map(|(mut d, level, last)| {
                d.rank_reason = match led_by.get(&d.id) {
                    Some(by) => format!(
                        "Consequence: `{by}` above leads to this error, so it ranks after it \
                         ({}).",
                        seen(&d, last)
                    ),
                    None => rank_reason(&d, level, last, has_cause),
                };
                if let Some(note) = variant_notes.get(&d.id) {
                    d.rank_reason.push_str(note);
                }
                d
            })
            .collect();
        matches.dedup_by(|a, b| a.id == b.id);
        let has_exact = matches.iter().any(|d| d.confidence == Confidence::Exact);
        let next_steps = if has_exact {
            Vec::new()
        } else {
            set.manifest.no_match.steps.clone()
        };
        let notes = input_notes(&facts, &matches);
        Report {
            matches,
            ruleset: set.info(),
            input: InputSummary {
                bytes: facts.bytes,
                lines: facts.lines,
                encoding: facts.encoding.unwrap_or(Encoding::Utf8),
                invalid_sequences: facts.invalid_sequences,
                formats: formats_in(formats),
                platform,
            },
            error_lines: self.error_lines.into_iter().rev().collect(),
            error_line_count: self.error_line_count,
            next_steps,
            notes,
        }
    }
}

/// A line without a level is ranked like an error line: a bare pasted error string is one.
fn rank_level(level: Option<Level>) -> Level {
    level.unwrap_or(Level::Error)
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Windows => "Windows",
        Platform::Linux => "Linux",
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warning",
        Level::Error => "error",
        Level::Fatal => "fatal",
    }
}

fn seen(d: &Diagnosis, last: u64) -> String {
    match d.occurrences {
        1 => format!("seen once, at line {last}"),
        n => format!("seen {n} times, last at line {last}"),
    }
}

fn rank_reason(d: &Diagnosis, level: Option<Level>, last: u64, has_cause: bool) -> String {
    let seen = seen(d, last);
    let level = level.map_or("", level_name);
    match (d.confidence, d.kind) {
        (Confidence::Partial, _) => format!(
            "Partial: the failing step is recognised but its error detail matches none of its \
             {} known rows; listed after exact matches ({seen}).",
            d.candidates.len()
        ),
        (_, Kind::Code) if has_cause => format!(
            "Exit code: names the category of the failure; ranked below the specific cause \
             above, which explains it ({seen}, {level})."
        ),
        (_, Kind::Code) => format!(
            "Exit code: names the category of the failure; no more specific cause was \
             recognised ({seen}, {level})."
        ),
        _ => format!(
            "Exact match of a specific cause ({seen}, {level}). Causes are ordered by severity, \
             then latest first, so the final fatal error comes before earlier retries."
        ),
    }
}

fn input_notes(facts: &crate::input::InputFacts, matches: &[Diagnosis]) -> Vec<String> {
    let mut notes = Vec::new();
    if facts.zip {
        notes.push(
            "This is a ZIP archive (probably from `azcmagent logs`). Unzip it and use \
             azcmagent.log and himds.log from inside it."
                .to_string(),
        );
    } else if facts.nul_bytes {
        notes.push(
            "The input contains NUL bytes, so it looks like a binary file rather than a log; \
             its readable text was still checked."
                .to_string(),
        );
    }
    if facts.invalid_sequences > 0 {
        notes.push(format!(
            "{} invalid text sequence{} replaced with \u{fffd}; everything else was read \
             normally.",
            facts.invalid_sequences,
            if facts.invalid_sequences == 1 {
                " was"
            } else {
                "s were"
            }
        ));
    }
    if facts.bytes == 0 {
        notes.push(
            "The input is empty. Paste the output of `azcmagent connect --verbose`, or drop \
             azcmagent.log (see the next steps for where it is)."
                .to_string(),
        );
    } else if facts.lines > 0 && matches.is_empty() && facts.bytes < 8 {
        notes.push("The input is very short; paste the whole error output.".to_string());
    }
    notes
}

/// Builds an evidence line from a cleaned line, clipped around the byte span `[s, e)`.
fn clip(seg: &[u8], span: Option<(usize, usize)>, line: u64) -> EvidenceLine {
    // The haystack is built from `str`s; a match edge may still fall inside a character because
    // patterns run on bytes, so edges are widened to character boundaries.
    let text = String::from_utf8_lossy(seg);
    let text: &str = &text;
    let (s, e) = span.unwrap_or((0, 0));
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
        line,
        text: out,
        span,
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
