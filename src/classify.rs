//! The classifier: rules compiled once, then input streamed through the pipeline in one pass.
//!
//! bytes → lines ([`crate::input`]) → clean line and record header ([`crate::normalize`]) →
//! records ([`crate::records`]) → one prefilter scan per batch ([`crate::scan`]) → confirm
//! ([`crate::confirm`]) → occurrences and evidence ([`crate::occurrences`],
//! [`crate::evidence`]) → rank ([`crate::rank`]) → [`Report`]. [`Classifier`] and [`Session`]
//! only wire the stages; the session alone decides when a batch is scanned.

use crate::confirm::{Hit, Patterns};
use crate::error::Error;
use crate::evidence::error_line;
use crate::input::{Encoding, Lines, Piece};
use crate::normalize::clean_line;
use crate::occurrences::Occurrences;
use crate::onboarding;
use crate::rank::diagnose;
use crate::records::RecordBuffer;
use crate::report::{Confidence, EvidenceLine, InputSummary, Onboarding, Report, SecretFound};
use crate::rule::Platform;
use crate::ruleset::RuleSet;
use crate::scan::Prefilter;
use crate::secrets;
use std::collections::VecDeque;

/// Records are scanned in batches of about this many bytes, so memory stays bounded.
const BATCH: usize = 4 << 20;
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
        }
    }

    /// Feeds the next chunk of input.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut lines = std::mem::take(&mut self.lines);
        lines.feed(bytes, &mut |piece| self.push_line(piece));
        self.lines = lines;
    }

    /// Ends the input and returns the report.
    pub fn finish(mut self) -> Report {
        let mut lines = std::mem::take(&mut self.lines);
        lines.finish(&mut |piece| self.push_line(piece));
        self.records.complete_last();
        self.scan_batch();
        self.report(lines.facts())
    }

    fn push_line(&mut self, piece: Piece<'_>) {
        let (text, info) = clean_line(piece.text);
        self.records.push(&piece, &text, info);
        if self.records.len() >= BATCH {
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
        let scan = prefilter.scan(&self.records);
        for &r in &scan.secret_records {
            self.find_secrets(r);
        }
        self.occurrences.add_line_after(&self.records);
        for &r in &scan.onboarding_records {
            onboarding::read_record(&self.records.lines(r), &mut self.onboarding);
        }
        let mut candidates = scan.candidates.iter().peekable();
        while let Some(&&(record, _)) = candidates.peek() {
            let mut hits: Vec<Hit> = Vec::new();
            while let Some((_, p)) = candidates.next_if(|(r, _)| *r == record) {
                patterns.confirm(*p, self.records.decoded(record), &mut hits);
            }
            if !hits.is_empty() {
                self.occurrences.add_record(&self.records, record, hits);
            }
        }
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
        self.records.drain_complete();
    }

    /// Finds the secrets in record `r`, lists them, and marks them for masking.
    fn find_secrets(&mut self, r: usize) {
        let found = secrets::find(self.records.pasted(r));
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
                    kind: secrets::KINDS[f.kind].id.to_string(),
                    line: lines.lines[at.saturating_sub(1)].1,
                });
            }
        }
        let ranges = found.iter().map(|f| (f.start, f.end)).collect();
        self.records.set_secrets(r, ranges);
    }

    fn report(self, facts: &crate::input::InputFacts) -> Report {
        let set = &self.classifier.set;
        let platform = match self.platform_hits {
            [windows, linux] if windows > linux => Some(Platform::Windows),
            [windows, linux] if linux > windows => Some(Platform::Linux),
            _ => None,
        };
        let mut matches = diagnose(set, &self.occurrences, platform);
        for value in matches.iter_mut().flat_map(|d| d.fields.values_mut()) {
            *value = secrets::mask_value(value);
        }
        let mut formats = self.records.formats();
        if facts.crlf {
            formats.insert(crate::report::Format::Crlf);
        }
        if matches!(facts.encoding, Some(Encoding::Utf16le | Encoding::Utf16be)) {
            formats.insert(crate::report::Format::Utf16);
        }
        let has_exact = matches.iter().any(|d| d.confidence == Confidence::Exact);
        let next_steps = if has_exact {
            Vec::new()
        } else {
            set.manifest.no_match.steps.clone()
        };
        Report {
            notes: facts.notes(!matches.is_empty()),
            matches,
            ruleset: set.info(),
            input: InputSummary {
                bytes: facts.bytes,
                lines: facts.lines,
                encoding: facts.encoding.unwrap_or(Encoding::Utf8),
                invalid_sequences: facts.invalid_sequences,
                formats: formats.to_vec(),
                platform,
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
