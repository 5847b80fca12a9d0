//! Occurrences: what each rule's confirmed matches add up to over the whole input. A record is
//! one log entry, so a rule counts once per record however many of its patterns match there.

use crate::confirm::{Fields, Hit};
use crate::evidence::{context_line, evidence};
use crate::records::RecordBuffer;
use crate::report::{Evidence, Level};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::Range;

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
    /// Per rule, the captured values of the batch being scanned, in the order they apply;
    /// [`Self::end_batch`] reads only those that decide the rule's fields.
    pending: BTreeMap<usize, Vec<FieldOp>>,
}

/// Reads the values a hit captured, from the records of the batch being scanned.
pub trait FieldReader {
    /// The names pattern `p` captures.
    fn names(&self, p: usize) -> &[String];
    /// The values pattern `p` captured in `span` of record `r`.
    fn read(&mut self, p: usize, r: usize, span: Range<usize>) -> Vec<(String, String)>;
}

/// One hit's captured values, as they apply to its rule's fields: the rule's first hit in a
/// record (`first`) replaces earlier values; a later hit in the same record only adds names
/// no value has yet.
struct FieldOp {
    first: bool,
    record: usize,
    span: Range<usize>,
    fields: Fields,
}

impl FieldOp {
    fn names<'a>(&'a self, reader: &'a impl FieldReader) -> impl Iterator<Item = &'a str> + 'a {
        let (read, later): (&[(String, String)], &[String]) = match &self.fields {
            Fields::Read(values) => (values, &[]),
            Fields::Later(p) => (&[], reader.names(*p)),
        };
        (read.iter().map(|(k, _)| k.as_str())).chain(later.iter().map(String::as_str))
    }

    fn values(&self, reader: &mut impl FieldReader) -> Vec<(String, String)> {
        match &self.fields {
            Fields::Read(values) => values.clone(),
            Fields::Later(p) => reader.read(*p, self.record, self.span.clone()),
        }
    }
}

/// Applies a batch's captured values to a rule's `fields` with the reads the result depends
/// on, which is what applying them all in order gives: a name takes the value of the latest
/// `first` hit that has it, else keeps the value it had, else takes the value of the earliest
/// later-in-record hit that has it. One read per rule and batch where the latest hit has every
/// name; a name an optional group left out is looked for in earlier hits, at worst all of them.
fn settle(fields: &mut BTreeMap<String, String>, ops: &[FieldOp], reader: &mut impl FieldReader) {
    let firsts: Vec<&FieldOp> = ops.iter().filter(|op| op.first).collect();
    // The names not decided yet (a pattern captures a handful: a list is enough).
    let mut open: Vec<String> = Vec::new();
    for op in &firsts {
        for name in op.names(reader) {
            if !open.iter().any(|n| n == name) {
                open.push(name.to_owned());
            }
        }
    }
    let mut latest = Vec::new();
    for op in firsts.into_iter().rev() {
        if open.is_empty() {
            break;
        }
        if !op.names(reader).any(|n| open.iter().any(|o| o == n)) {
            continue;
        }
        for (k, v) in op.values(reader) {
            if let Some(i) = open.iter().position(|o| *o == k) {
                open.swap_remove(i);
                latest.push((k, v));
            }
        }
    }
    for (k, v) in latest {
        fields.insert(k, v);
    }
    for op in ops.iter().filter(|op| !op.first) {
        if op.names(reader).all(|n| fields.contains_key(n)) {
            continue;
        }
        for (k, v) in op.values(reader) {
            fields.entry(k).or_insert(v);
        }
    }
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
            let first = counted.insert(hit.rule);
            if !matches!(&hit.fields, Fields::Read(values) if values.is_empty()) {
                // The same record again: only fields not captured yet are added ([`settle`]).
                self.pending.entry(hit.rule).or_default().push(FieldOp {
                    first,
                    record: r,
                    span: hit.start..hit.end,
                    fields: hit.fields,
                });
            }
            if !first {
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

    /// Builds the evidence of the latest occurrences the batch in `buffer` kept, and settles
    /// the fields its hits captured. Call before the batch's records are forgotten.
    pub fn end_batch(&mut self, buffer: &RecordBuffer, reader: &mut impl FieldReader) {
        for (rule, ops) in std::mem::take(&mut self.pending) {
            if let Some(occurrence) = self.by_rule.get_mut(&rule) {
                settle(&mut occurrence.fields, &ops, reader);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Patterns capture names `a`, `b`, `c` (pattern 0: a b; 1: b c; 2: a c); which of them a
    /// hit has, and their values, come from the test case.
    struct Table {
        names: Vec<Vec<String>>,
        values: BTreeMap<(usize, usize), Vec<(String, String)>>,
        reads: usize,
    }

    impl FieldReader for Table {
        fn names(&self, p: usize) -> &[String] {
            &self.names[p]
        }

        fn read(&mut self, p: usize, r: usize, _: Range<usize>) -> Vec<(String, String)> {
            self.reads += 1;
            self.values[&(r, p)].clone()
        }
    }

    fn table(hits: &[(bool, usize, u8)]) -> Table {
        let names: Vec<Vec<String>> = [["a", "b"], ["b", "c"], ["a", "c"]]
            .iter()
            .map(|n| n.iter().map(|s| s.to_string()).collect())
            .collect();
        let mut values = BTreeMap::new();
        for (r, &(_, p, has)) in hits.iter().enumerate() {
            let have = (names[p].iter().enumerate())
                .filter(|(i, _)| has & (1 << i) != 0)
                .map(|(_, n)| (n.clone(), format!("{n}{r}")))
                .collect();
            values.insert((r, p), have);
        }
        Table {
            names,
            values,
            reads: 0,
        }
    }

    fn ops(hits: &[(bool, usize, u8)]) -> Vec<FieldOp> {
        (hits.iter().enumerate())
            .map(|(r, &(first, p, _))| FieldOp {
                first,
                record: r,
                span: 0..1,
                fields: Fields::Later(p),
            })
            .collect()
    }

    proptest! {
        /// Settling a batch gives what applying every hit's values in order gives, whatever
        /// the fields held before and whichever names each hit has.
        #[test]
        fn settling_is_applying_every_hit_in_order(
            hits in prop::collection::vec((any::<bool>(), 0..3usize, 0..4u8), 0..12),
            before in prop::collection::btree_map("[abc]", "[xy]", 0..3),
        ) {
            let mut reader = table(&hits);
            let mut expected = before.clone();
            for (r, &(first, p, _)) in hits.iter().enumerate() {
                for (k, v) in reader.read(p, r, 0..1) {
                    if first {
                        expected.insert(k, v);
                    } else {
                        expected.entry(k).or_insert(v);
                    }
                }
            }
            let mut got = before;
            settle(&mut got, &ops(&hits), &mut reader);
            prop_assert_eq!(got, expected);
        }
    }

    /// A retry loop's hits all capture the same names: the batch reads the latest one only.
    #[test]
    fn a_batch_of_complete_hits_reads_one() {
        let hits = vec![(true, 0, 3); 1000];
        let mut reader = table(&hits);
        let mut fields = BTreeMap::new();
        settle(&mut fields, &ops(&hits), &mut reader);
        assert_eq!(reader.reads, 1);
        assert_eq!(fields["a"], "a999");
        assert_eq!(fields["b"], "b999");
    }
}
