//! Reviewed snapshots. One file holds the sections of one rule's examples (`## sample 1`,
//! `## near_miss 2`) or of one corpus file; a test compares only its own section and, with
//! `UPDATE_SNAPSHOTS=1`, rewrites only that section.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Tests run in parallel and several write sections of one file: each read-modify-write holds
/// this lock.
static FILES: Mutex<()> = Mutex::new(());

const REVIEW: &str = "then review the change with `git diff tests/snapshots` (new files: \
                      `git status tests/snapshots`)";

/// The folder holding every snapshot.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

pub fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// One section of one snapshot file.
#[derive(Clone)]
pub struct Section {
    /// Relative to [`root`]: `rules/<id>.snap`.
    pub file: String,
    /// What the file is about; rewritten with the file, never compared.
    pub header: String,
    /// `sample 1`, `near_miss 2`, `outcome`.
    pub title: String,
    /// The name of the test, for the update command.
    pub test: String,
}

impl Section {
    /// Compares `got` with the stored section, or stores it when updating.
    pub fn check(&self, got: &str) -> Result<(), String> {
        let _guard = FILES.lock().unwrap_or_else(|e| e.into_inner());
        let path = root().join(&self.file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let (_, mut sections) = parse(&text);
        let got = got.trim_end();
        if updating() {
            if sections.get(&self.title).map(String::as_str) != Some(got) {
                sections.insert(self.title.clone(), got.to_string());
                write(&path, &self.header, &sections)?;
            }
            return Ok(());
        }
        let update = format!(
            "UPDATE_SNAPSHOTS=1 cargo test --test examples -- --exact {}",
            self.test
        );
        match sections.get(&self.title) {
            None => Err(format!(
                "no snapshot `## {}` in tests/snapshots/{}. Create it with\n    {update}\n{REVIEW}.",
                self.title, self.file
            )),
            Some(expected) if expected == got => Ok(()),
            Some(expected) => Err(format!(
                "the outcome differs from tests/snapshots/{} `## {}` (- expected, + got):\n{}\n\
                 If the new outcome is right, update the snapshot with\n    {update}\n{REVIEW}.",
                self.file,
                self.title,
                diff(expected, got)
            )),
        }
    }
}

/// Snapshot files and sections no example produces any more (a renamed rule, a removed sample).
/// When updating, they are deleted.
pub fn orphans(expected: &BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>, String> {
    let _guard = FILES.lock().unwrap_or_else(|e| e.into_inner());
    let mut found = Vec::new();
    for folder in ["rules", "fixtures", "benign"] {
        let Ok(entries) = std::fs::read_dir(root().join(folder)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for path in files {
            let file = format!(
                "{folder}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            let Some(titles) = expected.get(&file) else {
                found.push(format!("tests/snapshots/{file}"));
                if updating() {
                    std::fs::remove_file(&path).map_err(|e| format!("{file}: {e}"))?;
                }
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
            let (header, mut sections) = parse(&text);
            let stale: Vec<String> = sections
                .keys()
                .filter(|t| !titles.contains(*t))
                .cloned()
                .collect();
            for title in &stale {
                found.push(format!("tests/snapshots/{file} `## {title}`"));
                sections.remove(title);
            }
            if updating() && !stale.is_empty() {
                write(&path, header.trim_end(), &sections)?;
            }
        }
    }
    Ok(found)
}

/// Sections are kept in example order: samples, then near-misses, each by number.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Order(u8, u64, String);

fn order(title: &str) -> Order {
    let (kind, n) = title.rsplit_once(' ').unwrap_or((title, ""));
    let rank = match kind {
        "sample" => 0,
        "near_miss" => 1,
        _ => 2,
    };
    Order(rank, n.parse().unwrap_or(0), title.to_string())
}

/// The header (everything before the first `## `) and the sections by title. Rendered outcomes
/// never start a line with `## `.
fn parse(text: &str) -> (String, BTreeMap<String, String>) {
    let mut header = String::new();
    let mut sections = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            if let Some((t, body)) = current.take() {
                sections.insert(t, body.trim_end().to_string());
            }
            current = Some((title.trim().to_string(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        } else {
            header.push_str(line);
            header.push('\n');
        }
    }
    if let Some((t, body)) = current {
        sections.insert(t, body.trim_end().to_string());
    }
    (header, sections)
}

fn write(path: &Path, header: &str, sections: &BTreeMap<String, String>) -> Result<(), String> {
    let mut ordered: Vec<(&String, &String)> = sections.iter().collect();
    ordered.sort_by_key(|(title, _)| order(title));
    let mut text = format!("{}\n", header.trim_end());
    for (title, body) in ordered {
        text.push_str(&format!("\n## {title}\n{body}\n"));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The lines that differ, with two lines of context around each change.
fn diff(expected: &str, got: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    // Longest common subsequence of lines; sections are a few hundred lines at most.
    let mut common = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        ops[k.saturating_sub(2)..(k + 3).min(ops.len())]
            .iter()
            .any(|(op, _)| *op != ' ')
    };
    let mut out = Vec::new();
    let mut skipped = false;
    for (k, (op, line)) in ops.iter().enumerate() {
        if near_change(k) {
            if skipped {
                out.push("  ...".to_string());
                skipped = false;
            }
            out.push(format!("{op} {line}"));
        } else {
            skipped = true;
        }
    }
    if skipped {
        out.push("  ...".to_string());
    }
    out.join("\n")
}
