//! Occurrences: what each rule's confirmed matches add up to over the whole input. A record is
//! one log entry, so a rule counts once per record however many of its patterns match there.

use crate::confirm::Hit;
use crate::evidence::{context_line, evidence};
use crate::records::RecordBuffer;
use crate::report::{Evidence, Level};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Evidence kept per diagnosis: the first occurrence and the last few.
pub const MAX_EVIDENCE: usize = 5;
/// Occurrence lines remembered per rule, to decide whether a stage is explained.
const MAX_REMEMBERED_LINES: usize = 4096;

/// One rule's matches so far.
#[derive(Default)]
pub struct Occurrence {
    /// Records it matched in.
    pub count: u64,
    first: Option<Evidence>,
    tail: VecDeque<Evidence>,
    /// Captured values; a later occurrence's value replaces an earlier one.
    pub fields: BTreeMap<String, String>,
    /// The most severe level it was seen at (a record without a level counts as an error).
    pub max_level: Option<Level>,
    pub last_line: u64,
    /// First lines of occurrences (the first [`MAX_REMEMBERED_LINES`]).
    pub lines: Vec<u64>,
    /// The variant the latest match that named one selected.
    pub variant: Option<usize>,
}

impl Occurrence {
    /// The first occurrence's evidence and the latest ones', at most [`MAX_EVIDENCE`].
    pub fn evidence(&self) -> Vec<Evidence> {
        self.first.iter().chain(&self.tail).cloned().collect()
    }

    fn latest_mut(&mut self) -> Option<&mut Evidence> {
        self.tail.back_mut().or(self.first.as_mut())
    }
}

/// Every rule's occurrences, by rule index.
#[derive(Default)]
pub struct Occurrences {
    pub by_rule: BTreeMap<usize, Occurrence>,
    /// Rules whose latest evidence sits in the last record of a batch, its line after still in
    /// the record that was growing: [`Self::add_line_after`] adds it with the next batch.
    awaiting_after: Vec<usize>,
    /// Per rule, the latest occurrences of the batch being scanned (record, match), whose
    /// evidence [`Self::end_batch`] builds.
    latest: BTreeMap<usize, VecDeque<(usize, usize, usize)>>,
}

impl Occurrences {
    /// Gives the evidence that waits for its line after (in a record that was still growing
    /// when its batch was scanned) that line, once the buffer has it, so that no answer depends
    /// on where batches end. Call once the batch's secrets are marked.
    pub fn add_line_after(&mut self, buffer: &RecordBuffer) {
        if self.awaiting_after.is_empty() {
            return;
        }
        let Some(line) = buffer.first_line() else {
            return;
        };
        for rule in std::mem::take(&mut self.awaiting_after) {
            if let Some(e) = self.by_rule.get_mut(&rule).and_then(Occurrence::latest_mut) {
                let last = e.lines.last().map_or(e.line, |l| l.line);
                e.after = context_line(line.clone(), last);
            }
        }
    }

    /// Adds the hits of record `r` (relative to its decoded text). Evidence is built at once
    /// only for a rule's first occurrence; the latest ones wait for [`Self::end_batch`], so a
    /// batch with thousands of occurrences builds evidence for the few that are kept.
    pub fn add_record(&mut self, buffer: &RecordBuffer, r: usize, mut hits: Vec<Hit>) {
        hits.sort_by_key(|h| (h.start, h.rule, h.end));
        let level = buffer.level(r);
        let record = buffer.decoded_record(r);
        let mut counted = BTreeSet::new();
        for hit in hits {
            let occurrence = self.by_rule.entry(hit.rule).or_default();
            occurrence.variant = hit.variant.or(occurrence.variant);
            if !counted.insert(hit.rule) {
                // The same record again: only fields not captured yet are added.
                for (k, v) in hit.fields {
                    occurrence.fields.entry(k).or_insert(v);
                }
                continue;
            }
            let line = record.line_at(hit.start);
            occurrence.count += 1;
            occurrence.max_level = occurrence
                .max_level
                .max(Some(level.unwrap_or(Level::Error)));
            occurrence.last_line = line;
            if occurrence.lines.len() < MAX_REMEMBERED_LINES {
                occurrence.lines.push(line);
            }
            for (k, v) in hit.fields {
                occurrence.fields.insert(k, v);
            }
            if occurrence.first.is_none() {
                let (evidence, pending) = evidence(buffer, r, hit.start, hit.end);
                if pending {
                    self.awaiting_after.push(hit.rule);
                }
                occurrence.first = Some(evidence);
            } else {
                let latest = self.latest.entry(hit.rule).or_default();
                latest.push_back((r, hit.start, hit.end));
                if latest.len() > MAX_EVIDENCE - 1 {
                    latest.pop_front();
                }
            }
        }
    }

    /// Builds the evidence of the latest occurrences the batch in `buffer` kept. Call before
    /// the batch's records are forgotten.
    pub fn end_batch(&mut self, buffer: &RecordBuffer) {
        for (rule, latest) in std::mem::take(&mut self.latest) {
            let Some(occurrence) = self.by_rule.get_mut(&rule) else {
                continue;
            };
            let last = latest.len() - 1;
            for (i, (r, start, end)) in latest.into_iter().enumerate() {
                let (evidence, pending) = evidence(buffer, r, start, end);
                if pending && i == last {
                    self.awaiting_after.push(rule);
                }
                occurrence.tail.push_back(evidence);
                if occurrence.tail.len() > MAX_EVIDENCE - 1 {
                    occurrence.tail.pop_front();
                }
            }
        }
    }
}
