//! The files of a several-file input (the logs of a support bundle). The pipeline numbers lines
//! straight through every file; the report numbers them within each file and names the file.

use crate::input::InputFacts;
use crate::report::{EvidenceLine, FileSummary, Report};

/// The files read so far, and the one being read.
#[derive(Debug, Default)]
pub struct Parts {
    parts: Vec<Part>,
    /// A file was begun and is still being read.
    open: bool,
    /// Lines of every file before the one being read.
    offset: u64,
}

#[derive(Debug)]
struct Part {
    name: String,
    /// Lines of the input before this file's first.
    offset: u64,
    facts: InputFacts,
    skipped: Option<String>,
    damaged: Option<String>,
}

impl Parts {
    /// No file was named: the input is one log.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    /// What to add to a line number of the file being read to number it through the input.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Starts reading `name` (the previous file is closed).
    pub fn begin(&mut self, name: &str) {
        self.push(name, None);
        self.open = true;
    }

    /// Lists `name` as not read, and why.
    pub fn skip(&mut self, name: &str, why: &str) {
        self.push(name, Some(why.to_string()));
    }

    fn push(&mut self, name: &str, skipped: Option<String>) {
        debug_assert!(!self.open, "close the file being read first");
        self.parts.push(Part {
            name: name.to_string(),
            offset: self.offset,
            facts: InputFacts::default(),
            skipped,
            damaged: None,
        });
    }

    /// The file being read is complete; `facts` say how it was read.
    pub fn close(&mut self, facts: &InputFacts) {
        if let Some(part) = self.parts.last_mut().filter(|_| self.open) {
            part.facts = facts.clone();
            self.offset += facts.lines;
        }
        self.open = false;
    }

    /// The last file begun was read, but something was wrong with it.
    pub fn damaged(&mut self, why: &str) {
        if let Some(part) = self.parts.iter_mut().rev().find(|p| p.skipped.is_none()) {
            part.damaged = Some(why.to_string());
        }
    }

    fn read(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|p| p.skipped.is_none())
    }

    /// How the files, together, were read: sizes and counts summed, the first file's encoding.
    pub fn facts(&self) -> InputFacts {
        let mut all = InputFacts {
            bundle: true,
            ..InputFacts::default()
        };
        for f in self.read().map(|p| &p.facts) {
            all.bytes += f.bytes;
            all.lines += f.lines;
            all.invalid_sequences += f.invalid_sequences;
            all.encoding = all.encoding.or(f.encoding);
            all.crlf |= f.crlf;
            all.nul_bytes |= f.nul_bytes;
            all.zip |= f.zip;
        }
        all
    }

    /// Whether any file read was UTF-16.
    pub fn any_utf16(&self) -> bool {
        self.read().any(|p| {
            matches!(
                p.facts.encoding,
                Some(crate::Encoding::Utf16le | crate::Encoding::Utf16be)
            )
        })
    }

    /// The file a line numbered through the input is in, and its number there.
    pub fn locate(&self, line: u64) -> (Option<&str>, u64) {
        // Offsets never decrease; a file not read starts where the next one does.
        let before = &self.parts[..self.parts.partition_point(|p| p.offset < line)];
        match before.iter().rev().find(|p| p.skipped.is_none()) {
            Some(p) => (Some(p.name.as_str()), line - p.offset),
            None => (None, line),
        }
    }

    /// How a ranking reason names a line numbered through the input: `line 3`, or for a file
    /// of several `line 2 of gc_ext.log`.
    pub fn line_name(&self, line: u64) -> String {
        match self.locate(line) {
            (Some(file), line) => format!("line {line} of {}", base_name(file)),
            (None, line) => format!("line {line}"),
        }
    }

    /// Renumbers every line in `report` within its file, and names the file.
    pub fn relabel(&self, report: &mut Report) {
        let relabel = |l: &mut EvidenceLine| {
            let (file, line) = self.locate(l.line);
            l.file = file.map(str::to_string);
            l.line = line;
        };
        for d in &mut report.matches {
            for e in &mut d.evidence {
                e.line = self.locate(e.line).1;
                e.lines.iter_mut().for_each(relabel);
                // Context comes from the same log only: the line before a log's first line is
                // the end of another log.
                let file = e.lines.first().and_then(|l| l.file.clone());
                for context in [&mut e.before, &mut e.after] {
                    if let Some(line) = context.as_mut() {
                        relabel(line);
                    }
                    if context.as_ref().is_some_and(|l| l.file != file) {
                        *context = None;
                    }
                }
            }
            for line in &mut d.lines {
                *line = self.locate(*line).1;
            }
        }
        report.error_lines.iter_mut().for_each(relabel);
        for s in &mut report.secrets {
            let (file, line) = self.locate(s.line);
            s.file = file.map(str::to_string);
            s.line = line;
        }
        report.input.files = self.summaries();
        report.notes.extend(self.notes());
    }

    fn summaries(&self) -> Vec<FileSummary> {
        (self.parts.iter())
            .map(|p| FileSummary {
                name: p.name.clone(),
                bytes: p.facts.bytes,
                lines: p.facts.lines,
                encoding: p.facts.encoding.filter(|_| p.skipped.is_none()),
                skipped: p.skipped.clone(),
                damaged: p.damaged.clone(),
            })
            .collect()
    }

    /// What the user should know about the files: which were read, which were not and why,
    /// and which were damaged.
    fn notes(&self) -> Vec<String> {
        let read: Vec<&str> = self.read().map(|p| base_name(&p.name)).collect();
        let mut notes = vec![format!(
            "Read {} log{} from the archive: {}.",
            read.len(),
            if read.len() == 1 { "" } else { "s" },
            listed(&read)
        )];
        let skipped: Vec<String> = (self.parts.iter())
            .filter_map(|p| Some(format!("{} ({})", base_name(&p.name), p.skipped.as_ref()?)))
            .collect();
        if !skipped.is_empty() {
            notes.push(format!("Not read: {}.", listed(&skipped)));
        }
        for p in &self.parts {
            if let Some(why) = &p.damaged {
                notes.push(format!("{} is damaged: {why}.", p.name));
            }
        }
        notes
    }
}

/// Names listed for a note, the first [`MAX_NAMED`] of them.
fn listed<S: AsRef<str>>(names: &[S]) -> String {
    const MAX_NAMED: usize = 12;
    let shown: Vec<&str> = names.iter().take(MAX_NAMED).map(AsRef::as_ref).collect();
    match names.len().saturating_sub(MAX_NAMED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The file name without its folders.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
