//! The classifier: rules compiled once, then input streamed through the pipeline in one pass.
//!
//! bytes → lines ([`crate::input`]) → clean line and record header ([`crate::normalize`]) →
//! records ([`crate::records`]) → one prefilter scan per batch ([`crate::scan`]) → confirm
//! ([`crate::confirm`]) → occurrences and evidence ([`crate::occurrences`],
//! [`crate::evidence`]) → rank ([`crate::rank`]) → [`Report`]. [`Classifier`] and [`Session`]
//! only wire the stages; the session alone decides when a batch is scanned.

use crate::confirm::{Caches, Hit, Patterns};
use crate::detectors::{self, Seen};
use crate::error::Error;
use crate::evidence::error_line;
use crate::input::{Encoding, Lines, Piece};
use crate::normalize::clean_line;
use crate::occurrences::{FieldReader, Occurrences};
use crate::onboarding;
use crate::parts::Parts;
use crate::rank::diagnose;
use crate::records::RecordBuffer;
use crate::report::{Confidence, EvidenceLine, InputSummary, Onboarding, Report, SecretFound};
use crate::rule::Platform;
use crate::ruleset::RuleSet;
use crate::scan::{DFA_AFTER, Prefilter};
use crate::secrets;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

/// Records are scanned in batches of about this many bytes, so memory stays bounded.
const BATCH: usize = 4 << 20;
/// ... or of this many lines, whichever comes first: a line costs about 40 bytes of bookkeeping
/// however short it is, so 10 MB of empty lines would otherwise be one batch of 10 million.
const BATCH_LINES: usize = 1 << 16;

/// The sizes a session cuts its work at. Only tests change them, to reach the edges (a batch
/// boundary, a line cut for length) with small inputs: the answer must not depend on them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of records scanned at once.
    pub batch: usize,
    /// Lines of records scanned at once.
    pub batch_lines: usize,
    /// A line longer than this is cut into pieces; at least one byte more than the longest
    /// record (64 KB), so a piece always starts a record.
    pub line_piece: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            batch: BATCH,
            batch_lines: BATCH_LINES,
            line_piece: crate::input::MAX_LINE_PIECE,
        }
    }
}
/// Error-looking lines kept for the no-match answer.
pub const MAX_ERROR_LINES: usize = 20;

/// Rules compiled for matching. Build once, classify many times.
pub struct Classifier {
    set: RuleSet,
    patterns: Patterns,
    prefilter: Prefilter,
}

impl Classifier {
    /// The classifier over the rules compiled into this build. Its patterns compile on first
    /// use: the test suite compiles every one of them (`every_builtin_pattern_compiles`).
    pub fn builtin() -> Result<Classifier, Error> {
        Classifier::build(RuleSet::builtin()?, false)
    }

    /// The built-in rules from the data build.rs wrote after checking them, without their
    /// samples and near-misses: what the CLI and the wasm run. Native start-up is 1 ms of rule
    /// copying instead of 40 ms of TOML, lint and corpus checks ([`RuleSet::precompiled`]).
    pub fn precompiled() -> Result<Classifier, Error> {
        Classifier::build(RuleSet::precompiled(), false)
    }

    /// Compiles a checked rule set, every pattern now: a pattern too large once compiled is
    /// reported here, with its file and rule.
    pub fn new(set: RuleSet) -> Result<Classifier, Error> {
        Classifier::build(set, true)
    }

    fn build(set: RuleSet, eager: bool) -> Result<Classifier, Error> {
        let (patterns, anchors) = Patterns::build(&set, eager)?;
        let prefilter = Prefilter::build(&set, &anchors)?;
        Ok(Classifier {
            set,
            patterns,
            prefilter,
        })
    }

    /// How many of its patterns are compiled so far (tests).
    #[doc(hidden)]
    pub fn compiled_patterns(&self) -> usize {
        self.patterns.compiled()
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

    /// A session of file bytes that cuts its work at other sizes (tests only).
    #[doc(hidden)]
    pub fn session_with(&self, limits: Limits) -> Session<'_> {
        let mut session = self.session();
        session.limits = Limits {
            batch: limits.batch.max(1),
            batch_lines: limits.batch_lines.max(1),
            line_piece: limits.line_piece.max(crate::records::MAX_RECORD + 1),
        };
        session.lines.set_piece_limit(session.limits.line_piece);
        session
    }
}

/// Reads captured values from the records of the batch being scanned, for [`Occurrences`].
struct Reader<'a> {
    patterns: &'a Patterns,
    records: &'a RecordBuffer,
    caches: &'a mut Caches,
}

impl FieldReader for Reader<'_> {
    fn names(&self, p: usize) -> &[String] {
        self.patterns.field_names(p)
    }

    fn read(&mut self, p: usize, r: usize, span: Range<usize>) -> Vec<(String, String)> {
        let record = self.records.decoded(r);
        self.patterns.read_fields(p, record, span, self.caches)
    }
}

/// One classification in progress.
pub struct Session<'c> {
    classifier: &'c Classifier,
    lines: Lines,
    records: RecordBuffer,
    occurrences: Occurrences,
    /// The last [`MAX_ERROR_LINES`] error-looking lines, and how many there were.
    error_lines: VecDeque<EvidenceLine>,
    error_line_count: u64,
    /// Platform signals seen: Windows, Linux.
    platform_hits: [u64; 2],
    /// The first [`secrets::MAX_LISTED`] secrets, and how many there were.
    secrets: Vec<SecretFound>,
    secret_count: u64,
    onboarding: Onboarding,
    /// The files of a several-file input; empty for one log.
    parts: Parts,
    limits: Limits,
    /// The patterns' working memory for this input.
    caches: Caches,
    /// Per rule (`None`: the exit-code patterns), the records too costly to match against
    /// one of its patterns: how many, and the first line of the first and of the latest one.
    costly: BTreeMap<Option<usize>, (u64, u64, u64)>,
    /// Patterns one call may compile ([`Self::compile_at_most`]); `None`: no limit.
    compile_budget: Option<usize>,
    /// What is left of it in this call.
    compile_left: usize,
    /// The buffered records wait for patterns still to compile: they are scanned in a later
    /// call ([`Self::settle`], the next [`Self::feed`], or [`Self::finish`]).
    deferred: bool,
    /// The input has ended ([`Self::end`]).
    ended: bool,
    /// Bytes of decoded records scanned so far (for [`DFA_AFTER`]).
    scanned: usize,
}

impl<'c> Session<'c> {
    fn with_encoding(classifier: &'c Classifier, encoding: Option<Encoding>) -> Self {
        let mut lines = Lines::new();
        if let Some(e) = encoding {
            lines.assume(e);
        }
        Session {
            classifier,
            lines,
            records: RecordBuffer::default(),
            occurrences: Occurrences::default(),
            error_lines: VecDeque::new(),
            error_line_count: 0,
            platform_hits: [0; 2],
            secrets: Vec::new(),
            secret_count: 0,
            onboarding: Onboarding::default(),
            parts: Parts::default(),
            limits: Limits::default(),
            caches: Caches::default(),
            costly: BTreeMap::new(),
            compile_budget: None,
            compile_left: usize::MAX,
            deferred: false,
            ended: false,
            scanned: 0,
        }
    }

    /// Compiles at most `patterns` patterns per call ([`Self::feed`], [`Self::settle`]; at
    /// least 1). Patterns compile the first time a record needs them, and text naming dozens of
    /// rules would compile them all in one call, holding the page's main thread for a quarter
    /// of a second in the browser. With a limit, records that need more wait in the buffer for
    /// later calls; the answer does not change (`tests/cost.rs`).
    pub fn compile_at_most(&mut self, patterns: usize) {
        self.compile_budget = Some(patterns.max(1));
    }

    /// Goes on with records waiting for patterns to compile, within the limit; returns whether
    /// some still wait. The page calls it, taking turns in between, until it returns `false`
    /// before [`Self::finish`] (which would otherwise compile what is left at once).
    pub fn settle(&mut self) -> bool {
        self.compile_left = self.compile_budget.unwrap_or(usize::MAX);
        if self.deferred {
            self.scan_batch();
        }
        self.deferred
    }

    /// Scans the buffered records whenever `bytes` of them are held (4 MB unless set; at least
    /// 1 KB), so no single [`Self::feed`] does more than that much work: the page feeds 64 KB
    /// at a time and sets the same, so the main thread is never held long. The answer does not
    /// depend on it (`tests/chunks.rs` moves the batch edge everywhere).
    pub fn scan_every(&mut self, bytes: usize) {
        self.limits.batch = bytes.max(1024);
    }

    /// Starts the next file of an input made of several (the logs of a support bundle), before
    /// its first byte is fed: the previous file's last line ends there, no record spans two
    /// files, and each file's encoding is detected afresh. The report then numbers lines within
    /// each file and names the file of every evidence line and secret.
    pub fn begin_file(&mut self, name: &str) {
        self.end_file();
        // A name is text the report hands out too (files, notes, evidence): masked like the rest.
        self.parts.begin(&secrets::mask_value(name));
    }

    /// Lists a file of the input that is not read, and why (`not a log`).
    pub fn skip_file(&mut self, name: &str, why: &str) {
        self.end_file();
        self.parts.skip(&secrets::mask_value(name), why);
    }

    /// Says what was wrong with the file just read (it was read all the same).
    pub fn file_damaged(&mut self, why: &str) {
        self.parts.damaged(why);
    }

    fn end_file(&mut self) {
        if !self.parts.is_open() {
            return;
        }
        let mut next = Lines::new();
        next.set_piece_limit(self.limits.line_piece);
        let mut lines = std::mem::replace(&mut self.lines, next);
        lines.finish(&mut |piece| self.push_line(piece));
        self.records.end_record();
        self.parts.close(lines.facts());
    }

    /// Feeds the next chunk of input.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.settle();
        let mut lines = std::mem::take(&mut self.lines);
        lines.feed(bytes, &mut |piece| self.push_line(piece));
        self.lines = lines;
    }

    /// Ends the input and returns the report.
    pub fn finish(mut self) -> Report {
        self.compile_budget = None;
        self.end();
        if self.parts.is_empty() {
            let lines = std::mem::take(&mut self.lines);
            return self.report(lines.facts(), &Parts::default());
        }
        let parts = std::mem::take(&mut self.parts);
        let mut report = self.report(&parts.facts(), &parts);
        parts.relabel(&mut report);
        report
    }

    /// Ends the input (after the last [`Self::feed`]) and scans what is left, within the
    /// compile limit ([`Self::compile_at_most`]); returns whether records still wait, as
    /// [`Self::settle`] does. The page calls it until it returns `false`, then
    /// [`Self::finish`], which does the rest at once.
    pub fn end(&mut self) -> bool {
        if self.ended {
            return self.settle();
        }
        self.ended = true;
        self.compile_left = self.compile_budget.unwrap_or(usize::MAX);
        if self.parts.is_empty() {
            let mut lines = std::mem::take(&mut self.lines);
            lines.finish(&mut |piece| self.push_line(piece));
            self.lines = lines;
            self.records.complete_last();
        } else {
            self.end_file();
        }
        self.scan_batch();
        self.deferred
    }

    fn push_line(&mut self, piece: Piece<'_>) {
        // Numbered through every file of a several-file input.
        let piece = Piece {
            text: piece.text,
            line: piece.line + self.parts.offset(),
        };
        let (text, info) = clean_line(piece.text);
        self.records.push(&piece, &text, info);
        if !self.deferred
            && (self.records.len() >= self.limits.batch
                || self.records.line_count() >= self.limits.batch_lines)
        {
            self.scan_batch();
        }
    }

    /// Scans the complete records, then forgets them.
    fn scan_batch(&mut self) {
        let Classifier {
            patterns,
            prefilter,
            ..
        } = self.classifier;
        if self.scanned + self.records.decoded_text().len() >= DFA_AFTER && !prefilter.has_dfa() {
            // Under a compile limit the DFA takes a call of its own, as a detector does; until
            // then the NFA scans (the same matches).
            match self.compile_budget {
                None => prefilter.build_dfa(),
                Some(budget) if self.compile_left == budget => {
                    prefilter.build_dfa();
                    self.compile_left = 0;
                }
                Some(_) => {}
            }
        }
        let scan = prefilter.scan(&self.records);
        // The floor (feature `floor`, a measuring build `npm run bench` makes and never ships):
        // no candidate is confirmed, so its figures are what every other stage costs.
        #[cfg(feature = "floor")]
        let scan = crate::scan::Scan {
            candidates: Vec::new(),
            ..scan
        };
        if self.compile_budget.is_some() {
            // A detector counts as one pattern, and the detectors the batch needs come first.
            let seen = |records: &[(usize, Seen)]| records.iter().fold(0, |all, r| all | r.1);
            let (compiled, secrets_wait) = detectors::compile_some(
                secrets::detectors(),
                seen(&scan.secret_records),
                self.compile_left,
            );
            self.compile_left -= compiled;
            let (compiled, onboarding_waits) = detectors::compile_some(
                onboarding::detectors(),
                seen(&scan.onboarding_records),
                self.compile_left,
            );
            self.compile_left -= compiled;
            let waiting = secrets_wait || onboarding_waits;
            let mut wanted: Vec<usize> = scan.candidates.iter().map(|c| c.pattern).collect();
            wanted.sort_unstable();
            wanted.dedup();
            let (compiled, left) = patterns.compile_some(&wanted, self.compile_left);
            self.compile_left -= compiled;
            self.deferred = waiting || left > 0;
            if self.deferred {
                return;
            }
        }
        for &(r, seen) in &scan.secret_records {
            self.find_secrets(r, seen);
        }
        self.occurrences.add_line_after(&self.records);
        for &(r, seen) in &scan.onboarding_records {
            onboarding::read_record(&self.records.lines(r), seen, &mut self.onboarding);
        }
        // Pattern by pattern, each over every record that needs it: one pattern's states stay
        // in the processor's cache while it runs, where record by record every pattern's would
        // take turns (1.5 times as fast on a retry-heavy log). Each pattern sees its records in
        // the same order either way, so its budget gives up on the same ones; the hits and the
        // give-ups are put back in record order, then pattern order, before they count.
        // Hits and give-ups are listed as (record, order found, index) and sorted as such
        // triples: the order found keeps a record's hits in pattern order, then match order, and
        // the type is the prefilter's own sort's, so no other sort is compiled into the .wasm.
        let mut hits: Vec<Option<Hit>> = Vec::new();
        let mut order: Vec<(usize, usize, usize)> = Vec::new();
        let mut gave_up: Vec<(usize, usize, usize)> = Vec::new();
        let mut found = Vec::new();
        for c in &scan.candidates {
            let sites = c.sites.clone().map(|s| &scan.sites[s]);
            let text = self.records.decoded(c.record);
            // A pattern spent on this input refuses at once (TooCostly) and is counted too.
            if (patterns.confirm(c.pattern, text, sites, &mut found, &mut self.caches)).is_err() {
                gave_up.push((c.record, c.pattern, 0));
            }
            for hit in found.drain(..) {
                order.push((c.record, hits.len(), hits.len()));
                hits.push(Some(hit));
            }
        }
        order.sort_unstable();
        gave_up.sort_unstable();
        for (record, p, _) in gave_up {
            let line = self.records.lines(record).lines[0].1;
            let seen = (self.costly)
                .entry(patterns.rule_of(p))
                .or_insert((0, line, 0));
            if seen.2 != line {
                *seen = (seen.0 + 1, seen.1, line);
            }
        }
        let mut order = order.into_iter().peekable();
        while let Some(&(record, _, _)) = order.peek() {
            let mut record_hits = Vec::new();
            while let Some((_, _, i)) = order.next_if(|(r, _, _)| *r == record) {
                record_hits.extend(hits[i].take());
            }
            self.occurrences
                .add_record(&self.records, record, record_hits);
        }
        let mut reader = Reader {
            patterns,
            records: &self.records,
            caches: &mut self.caches,
        };
        self.occurrences.end_batch(&self.records, &mut reader);
        for r in scan.error_records {
            if let Some(line) = error_line(&self.records.decoded_record(r)) {
                self.error_line_count += 1;
                self.error_lines.push_back(line);
                if self.error_lines.len() > MAX_ERROR_LINES {
                    self.error_lines.pop_front();
                }
            }
        }
        self.platform_hits[0] += scan.platform_hits[0];
        self.platform_hits[1] += scan.platform_hits[1];
        self.scanned += self.records.decoded_text().len();
        self.records.drain_complete();
    }

    /// Finds the secrets in record `r` (which holds the triggers `seen`), lists them, and marks
    /// them for masking.
    fn find_secrets(&mut self, r: usize, seen: Seen) {
        let found = secrets::find_where(self.records.pasted(r), seen);
        if found.is_empty() {
            return;
        }
        let lines = self.records.lines(r);
        let record_start = lines.lines[0].0;
        for f in &found {
            self.secret_count += 1;
            if self.secrets.len() < secrets::MAX_LISTED {
                let at = lines
                    .lines
                    .partition_point(|l| l.0 <= record_start + f.start);
                self.secrets.push(SecretFound {
                    file: None,
                    kind: secrets::KINDS[f.kind].id.to_string(),
                    line: lines.lines[at.saturating_sub(1)].1,
                });
            }
        }
        let ranges = found.iter().map(|f| (f.start, f.end)).collect();
        self.records.set_secrets(r, ranges);
    }

    /// Which records were too costly to match against which rules, if any.
    fn costly_note(&self, parts: &Parts) -> Option<String> {
        let set = &self.classifier.set;
        if self.costly.is_empty() {
            return None;
        }
        let list: Vec<String> = self
            .costly
            .iter()
            .map(|(rule, (count, line, _))| {
                let rule = rule.map_or("the exit codes", |r| set.rules[r].rule.id.as_str());
                let records = if *count == 1 { "entry" } else { "entries" };
                format!(
                    "{rule} ({count} {records}, the first at {})",
                    parts.line_name(*line)
                )
            })
            .collect();
        Some(format!(
            "Some log entries were not checked against every rule, because matching them would \
             have taken too long: {}. Text like this (thousands of repeated phrases or addresses \
             in one entry) is rarely a real log; everything else was checked.",
            list.join("; ")
        ))
    }

    /// The report; `parts` are the files of a several-file input (none for one log).
    fn report(mut self, facts: &crate::input::InputFacts, parts: &Parts) -> Report {
        // Everything is scanned: the patterns' working memory goes back for the next input.
        std::mem::take(&mut self.caches).recycle(&self.classifier.patterns);
        let set = &self.classifier.set;
        let platform = match self.platform_hits {
            [windows, linux] if windows > linux => Some(Platform::Windows),
            [windows, linux] if linux > windows => Some(Platform::Linux),
            _ => None,
        };
        let mut matches = diagnose(set, &self.occurrences, platform, &|l| parts.line_name(l));
        for value in matches.iter_mut().flat_map(|d| d.fields.values_mut()) {
            *value = secrets::mask_value(value);
        }
        let mut formats = self.records.formats();
        if facts.crlf {
            formats.insert(crate::report::Format::Crlf);
        }
        // The summary's encoding is the first file's; any UTF-16 file is still a format read.
        if parts.any_utf16()
            || facts.utf16_from_line.is_some()
            || matches!(facts.encoding, Some(Encoding::Utf16le | Encoding::Utf16be))
        {
            formats.insert(crate::report::Format::Utf16);
        }
        let has_exact = matches.iter().any(|d| d.confidence == Confidence::Exact);
        let next_steps = if has_exact {
            Vec::new()
        } else {
            set.manifest.no_match.steps.clone()
        };
        let mut notes = facts.notes(!matches.is_empty());
        notes.extend(self.costly_note(parts));
        Report {
            notes,
            matches,
            ruleset: set.info(),
            input: InputSummary {
                bytes: facts.bytes,
                lines: facts.lines,
                encoding: facts.encoding.unwrap_or(Encoding::Utf8),
                invalid_sequences: facts.invalid_sequences,
                formats: formats.to_vec(),
                platform,
                files: Vec::new(),
            },
            error_lines: self.error_lines.into_iter().rev().collect(),
            error_line_count: self.error_line_count,
            next_steps,
            secrets: self.secrets,
            secret_count: self.secret_count,
            onboarding: self.onboarding,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in patterns compile when a record first needs them, so a small log costs a
    /// few compilations, not 314: giving the patterns' working memory back at the end of an
    /// input used to compile every pattern that had not run.
    #[test]
    fn a_small_log_compiles_only_the_patterns_it_needs() {
        let classifier = Classifier::builtin().unwrap();
        assert_eq!(classifier.patterns.compiled_count().0, 0);
        let report = classifier.classify(
            "level=fatal msg=\"Failed\" Error=\"The subscription is not registered to use \
             namespace 'Microsoft.HybridCompute'\"",
        );
        assert_eq!(report.matches[0].row.id, "provider-not-registered");
        let (compiled, all) = classifier.patterns.compiled_count();
        assert!((1..=20).contains(&compiled), "{compiled} of {all} compiled");
    }

    /// The prefilter's DFA is built once an input has passed [`DFA_AFTER`] bytes: a paste never
    /// pays for it, and under a compile limit it is built in a later call. The answer does not
    /// depend on which automaton scanned.
    #[test]
    fn the_prefilter_dfa_waits_for_a_large_input() {
        let line = "time=\"t\" level=info msg=\"Checking connectivity to \
                    https://management.azure.com, proxy status: proxy is not used\"\n";
        let fatal = "level=fatal msg=\"Failed\" Error=\"The subscription is not registered to \
                     use namespace 'Microsoft.HybridCompute'\"\n";
        let classifier = Classifier::builtin().unwrap();
        let small = line.repeat(DFA_AFTER / line.len() - 3) + fatal;
        let mut session = classifier.session();
        session.scan_every(16 << 10);
        session.feed(small.as_bytes());
        let report = session.finish();
        assert_eq!(report.matches[0].row.id, "provider-not-registered");
        assert!(!classifier.prefilter.has_dfa());

        let large = line.repeat(2 * DFA_AFTER / line.len()) + fatal;
        let expected = Classifier::builtin().unwrap().classify(&large);
        let mut session = classifier.text_session();
        session.scan_every(16 << 10);
        session.compile_at_most(3);
        for piece in large.as_bytes().chunks(16 << 10) {
            session.feed(piece);
            while session.settle() {}
        }
        while session.end() {}
        assert!(classifier.prefilter.has_dfa());
        assert_eq!(
            serde_json::to_string(&session.finish()).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn lines_held_at_once_are_bounded_however_short_they_are() {
        let classifier = Classifier::builtin().unwrap();
        let mut session = classifier.session();
        let empty = vec![b'\n'; 10_000];
        for _ in 0..30 {
            session.feed(&empty);
            assert!(session.records.line_count() <= BATCH_LINES);
        }
        session.feed(b"x509: certificate signed by unknown authority\n");
        let report = session.finish();
        assert_eq!(report.input.lines, 300_001);
        assert_eq!(report.matches[0].lines, [300_001]);
    }
}
