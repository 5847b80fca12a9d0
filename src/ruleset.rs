//! The rule set: every rule file parsed and checked as a corpus, with the manifest's version and a
//! hash of the content.
//!
//! The loader and its checks (`from_files` and the modules below) are the authoring half: the
//! CLI, the tests and build.rs have them (build.rs includes this file to check the built-in rules
//! and emit them as static data); the shipped wasm (`cfg(lean)`, set by build.rs) has only the
//! types, filled from that data by `crate::builtin`.

#[cfg(not(lean))]
mod code;
#[cfg(not(lean))]
mod corpus;
#[cfg(not(lean))]
mod folder;
#[cfg(not(lean))]
mod lint;

#[cfg(not(lean))]
use crate::error::Error;
use crate::pattern;
#[cfg(not(lean))]
use crate::rule::Kind;
use crate::rule::{Pattern, Platform, Rule};
#[cfg(not(lean))]
use corpus::{check_corpus, check_manifest, resolve_shared_solutions};
#[cfg(not(lean))]
use folder::Folder;
#[cfg(not(lean))]
use lint::check_rule;
use serde::Deserialize;
use std::collections::BTreeMap;
#[cfg(not(lean))]
use std::collections::BTreeSet;

#[cfg(not(lean))]
pub use folder::FOLDER_FILE;

/// The file that holds the version and the no-match guidance; every other file is one rule or a
/// folder's shared fields ([`FOLDER_FILE`]).
pub const MANIFEST: &str = "ruleset.toml";

/// The manifest: what is true of the rule set as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Bumped whenever the knowledge changes: `YYYY.MM.DD` plus `.N` for a second change that day.
    pub version: String,
    /// Lower-case words healthy agent output is full of; prefilter anchors avoid them.
    #[serde(default)]
    pub common_words: Vec<String>,
    pub no_match: Guidance,
    /// How wrappers print the agent's numeric exit code (`exitcode: 42`, `$LASTEXITCODE`):
    /// patterns that capture `exit_code`. A match names the `code` rule with that `exit_code`.
    #[serde(default, rename = "exit_code")]
    pub exit_codes: Vec<Pattern>,
    /// Text that tells which operating system a log comes from (paths, prompts, tools).
    #[serde(default)]
    pub platform: PlatformSignals,
    /// Public ids that no longer name a rule, and the rows that replaced them: links to them
    /// keep working.
    #[serde(default)]
    pub retired: Vec<Retired>,
    /// What the page calls a diagnosis' fields and each group of rules.
    #[serde(default)]
    pub labels: Labels,
}

/// Literals (matched case-insensitively) whose presence says a log comes from a platform.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformSignals {
    #[serde(default)]
    pub windows: Vec<String>,
    #[serde(default)]
    pub linux: Vec<String>,
}

impl PlatformSignals {
    /// Every signal with its platform.
    pub fn all(&self) -> impl Iterator<Item = (&str, Platform)> {
        self.windows
            .iter()
            .map(|s| (s.as_str(), Platform::Windows))
            .chain(self.linux.iter().map(|s| (s.as_str(), Platform::Linux)))
    }
}

/// A public id that was retired, and what replaced it.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    pub id: String,
    /// The rows that now answer what it answered, best first.
    pub replaced_by: Vec<String>,
    /// Why, in one or two sentences a user reads when a link points to the old id.
    pub why: String,
}

/// Words for readers, kept with the rules so the page never carries its own copy.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// A heading per rule `source`, in the order the page lists the groups.
    #[serde(default)]
    pub sources: Vec<SourceLabel>,
    /// A label per capture name (a diagnosis' field).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// The heading of the rules whose `source` is `id`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceLabel {
    pub id: String,
    pub label: String,
}

/// What to tell a user when no rule identified the problem.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    pub steps: Vec<String>,
}

/// A checked rule and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedRule {
    pub rule: Rule,
    pub file: String,
    /// Per pattern: the prefilter anchors and the field names.
    pub checked: Vec<pattern::PatternFacts>,
}

/// All rules, checked together.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub manifest: Manifest,
    pub rules: Vec<LoadedRule>,
    pub hash: String,
    /// Per manifest `[[exit_code]]` pattern: its prefilter anchors and fields.
    pub exit_codes: Vec<pattern::PatternFacts>,
}

impl RuleSet {
    /// Parses and checks rule files given as `(path, content)`; one file must be the manifest.
    /// At most [`MAX_RULE_FILES`] files of at most [`MAX_RULE_FILE_BYTES`] each and
    /// [`MAX_RULES_BYTES`] in all are read.
    #[cfg(not(lean))]
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RuleSet, Error> {
        let mut files: Vec<(&str, &str)> = files.into_iter().collect();
        check_sizes(&files)?;
        files.sort();
        let hash = content_hash(&files);
        let mut manifest = None;
        let mut exit_codes = Vec::new();
        for (path, content) in &files {
            if file_name(path) == MANIFEST {
                let parsed: Manifest = toml::from_str(content).map_err(|e| Error::RuleFile {
                    file: path.to_string(),
                    problem: toml_problem(content, &e),
                })?;
                exit_codes = check_manifest(path, &parsed)?;
                manifest = Some(parsed);
            }
        }
        let mut folders = BTreeMap::new();
        for (path, content) in &files {
            if file_name(path) == FOLDER_FILE {
                folders.insert(Folder::dir_of(path), Folder::parse(path, content)?);
            }
        }
        let common = manifest.as_ref().map_or(&[][..], |m| &m.common_words[..]);
        let mut rules = Vec::new();
        for (path, content) in &files {
            if [MANIFEST, FOLDER_FILE].contains(&file_name(path)) {
                continue;
            }
            let rule = match folders.get_mut(Folder::dir_of(path)) {
                Some(folder) => folder.read_rule(path, content)?,
                None => toml::from_str(content).map_err(|e| Error::RuleFile {
                    file: path.to_string(),
                    problem: toml_problem(content, &e),
                })?,
            };
            rules.push(check_rule(path, rule, common)?);
        }
        if let Some(unused) = folders.values().find(|f| !f.used) {
            return Err(Error::rule(
                &unused.file,
                "folder defaults",
                "no rule file in this folder uses it",
                "put it beside the rule files that share its fields, or remove it",
            ));
        }
        let manifest = manifest.ok_or_else(|| Error::RuleSet {
            problem: format!("there is no {MANIFEST}"),
            fix: format!("add rules/{MANIFEST} with `version` and `[no_match]` steps"),
        })?;
        resolve_shared_solutions(&mut rules)?;
        check_corpus(&rules, &manifest)?;
        Ok(RuleSet {
            manifest,
            rules,
            hash,
            exit_codes,
        })
    }

    pub fn get(&self, id: &str) -> Option<&LoadedRule> {
        self.rules.iter().find(|r| r.rule.id == id)
    }

    /// A retired public id and the rows that replaced it.
    pub fn retired(&self, id: &str) -> Option<&Retired> {
        self.manifest.retired.iter().find(|r| r.id == id)
    }

    /// The rows that share a stage (the stage's candidates), in file order.
    pub fn rows_of_stage<'s>(&'s self, stage: &'s str) -> impl Iterator<Item = &'s LoadedRule> {
        self.rules
            .iter()
            .filter(move |r| r.rule.stage.as_deref() == Some(stage))
    }
}

#[cfg(not(lean))]
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The most rule files a rule set may have, and how large they may be: the limits the CLI's
/// folder walk checks before it reads anything (`src/cli/rules_dir.rs`, which tests that its
/// values are these), held here for rule text that arrives any other way (the page's
/// `checkRules`). The built-in rules use about a tenth of each.
pub const MAX_RULE_FILES: usize = 2_000;
pub const MAX_RULE_FILE_BYTES: usize = 256 * 1024;
pub const MAX_RULES_BYTES: usize = 8 * 1024 * 1024;

#[cfg(not(lean))]
fn check_sizes(files: &[(&str, &str)]) -> Result<(), Error> {
    const FIX: &str = "split the rule set or remove what it does not need";
    let too = |problem: String| Error::RuleSet {
        problem,
        fix: FIX.to_string(),
    };
    if files.len() > MAX_RULE_FILES {
        return Err(too(format!(
            "{} rule files, more than the {MAX_RULE_FILES} a rule set may have",
            files.len()
        )));
    }
    if let Some((path, content)) = files.iter().find(|(_, c)| c.len() > MAX_RULE_FILE_BYTES) {
        return Err(Error::RuleFile {
            file: path.to_string(),
            problem: format!(
                "it is {} bytes, more than the {MAX_RULE_FILE_BYTES} a rule file may be",
                content.len()
            ),
        });
    }
    let total: usize = files.iter().map(|(_, c)| c.len()).sum();
    if total > MAX_RULES_BYTES {
        return Err(too(format!(
            "the rule files hold {total} bytes, more than the {MAX_RULES_BYTES} a rule set may"
        )));
    }
    Ok(())
}

#[cfg(not(lean))]
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(not(lean))]
/// A TOML error as one line: where, what, and at most [`EXCERPT`] characters of the text there
/// (the parser's own message quotes the whole line, which can be a file's worth).
fn toml_problem(content: &str, e: &toml::de::Error) -> String {
    const EXCERPT: usize = 60;
    let message = one_line(e.message());
    let Some(span) = e.span() else {
        return message;
    };
    let mut at = span.start.min(content.len());
    while !content.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = content[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = content[at..].find('\n').map_or(content.len(), |i| at + i);
    let line = content[..at].matches('\n').count() + 1;
    let column = content[line_start..at].chars().count() + 1;
    let from = content[line_start..at]
        .char_indices()
        .rev()
        .nth(EXCERPT / 2 - 1)
        .map_or(line_start, |(i, _)| line_start + i);
    let excerpt: String = content[from..line_end].chars().take(EXCERPT).collect();
    let more = content[from..line_end].chars().count() > EXCERPT;
    format!(
        "at line {line}, column {column}: {message} (near `{}{}{}`)",
        if from > line_start { "…" } else { "" },
        one_line(&excerpt),
        if more { "…" } else { "" }
    )
}

#[cfg(not(lean))]
/// FNV-1a 64: dependency-free and the same on every target. It identifies content; it is not a
/// security hash.
fn content_hash(files: &[(&str, &str)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, content) in files {
        for b in path
            .bytes()
            .chain([0])
            .chain(content.bytes().filter(|b| *b != b'\r'))
            .chain([0])
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests;
