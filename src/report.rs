//! What a classification returns. The CLI's `--json`, the WASM `classify()` and the page all
//! serialise these types, so the field names here are a public contract: `matches`, `id` and
//! `lines` in particular are relied on by other tools.

use crate::input::Encoding;
use crate::rule::{Platform, Row};
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole answer for one input.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Diagnoses, best first. Empty when no rule matched.
    pub matches: Vec<Diagnosis>,
    /// Which knowledge produced this report.
    pub ruleset: RulesetInfo,
    pub input: InputSummary,
    /// Lines that look like errors (error/fatal level, `Exit Code`, ...), the last ones first
    /// capped at [`crate::classify::MAX_ERROR_LINES`]; most useful when nothing matched.
    pub error_lines: Vec<EvidenceLine>,
    /// How many lines looked like errors in all.
    pub error_line_count: u64,
    /// What to do next when no rule identified the problem; empty when one did.
    pub next_steps: Vec<String>,
    /// Things the user should know about how the input was read.
    pub notes: Vec<String>,
    /// Secrets the input holds, by kind and line (never the value: every text in this report
    /// shows [`crate::secrets::MASK`] in its place), the first
    /// [`crate::secrets::MAX_LISTED`] in line order.
    pub secrets: Vec<SecretFound>,
    /// How many secrets the input holds in all.
    pub secret_count: u64,
    /// Where the log says the machine is onboarded, for filling in the fixes' commands.
    pub onboarding: Onboarding,
}

impl Report {
    /// True when at least one diagnosis identifies its row exactly.
    pub fn has_exact(&self) -> bool {
        self.matches
            .iter()
            .any(|d| d.confidence == Confidence::Exact)
    }
}

/// The rule set's identity: shown with every result so a diagnosis can be traced to the
/// knowledge that made it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RulesetInfo {
    pub version: String,
    /// FNV-1a 64 of every rule file's path and content, in hex: changes whenever any rule does.
    pub hash: String,
    pub rules: usize,
}

impl crate::RuleSet {
    pub fn info(&self) -> RulesetInfo {
        RulesetInfo {
            version: self.manifest.version.clone(),
            hash: self.hash.clone(),
            rules: self.rules.len(),
        }
    }
}

/// Where the log says the machine is onboarded; each value as the log last gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Onboarding {
    pub tenant_id: Option<String>,
    pub subscription_id: Option<String>,
    pub resource_group: Option<String>,
    /// The Azure region (`--location`).
    pub location: Option<String>,
    /// The service principal's application (client) id.
    pub service_principal_id: Option<String>,
    /// The machine's Azure resource name.
    pub resource_name: Option<String>,
}

/// How the input was read.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    pub bytes: u64,
    pub lines: u64,
    pub encoding: Encoding,
    /// Invalid byte sequences replaced with U+FFFD.
    pub invalid_sequences: u64,
    /// Formatting layers that were recognised and peeled off.
    pub formats: Vec<Format>,
    /// The operating system the log comes from, when its text says (paths, prompts, tools).
    pub platform: Option<Platform>,
    /// For an archive (a support bundle): every file in it, read or not, in archive order.
    /// Absent for a single log.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileSummary>,
}

/// One file of an archive, and how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// Its path inside the archive.
    pub name: String,
    pub bytes: u64,
    pub lines: u64,
    /// `None` when it was not read.
    pub encoding: Option<Encoding>,
    /// Why it was not read (`not a log`, `password-protected`), or `None` when it was.
    pub skipped: Option<String>,
    /// What was wrong with it when it was read anyway (cut short, checksum).
    pub damaged: Option<String>,
}

/// How sure a diagnosis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The row is identified by its error text.
    Exact,
    /// The failing step is known, but its error detail fits none of its rows.
    Partial,
}

/// One row of the table, recognised in the input.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// What the row says (with the chosen variant's meaning applied).
    #[serde(flatten)]
    pub row: Row,
    pub confidence: Confidence,
    /// The meaning of the error that applies here, when the rule has several (its title, cause
    /// and solution are that variant's).
    pub variant: Option<String>,
    /// 1-based numbers of the original lines that carry the evidence (of the kept evidence).
    pub lines: Vec<u64>,
    /// How many times the rule matched (evidence keeps the first and the last few).
    pub occurrences: u64,
    pub evidence: Vec<Evidence>,
    /// Values that matter, named by the rule (`tenant_id`, `endpoint`, `http_status`...).
    pub fields: BTreeMap<String, String>,
    /// For a partial diagnosis: the rows the failing step could be.
    pub candidates: Vec<Candidate>,
    /// Why the diagnosis sits where it does in the list.
    pub rank_reason: String,
    /// For an exit code: the cause above it that explains it (the best exact cause in the
    /// log), so a page can show the code inside that cause's card as one problem.
    pub explained_by: Option<String>,
}

/// A row a partial diagnosis could be.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub title: String,
    pub error: String,
}

/// A secret found in the input: what kind, and on which line. The value stays in the engine.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SecretFound {
    /// One of the ids [`crate::secret_kinds`] describes, e.g. `service-principal-secret`.
    pub kind: String,
    /// For an archive: the file the secret is in. Absent for a single log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: u64,
}

/// A kind of secret: its name, and what to do if a log holding one was sent anywhere.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SecretKindInfo {
    pub kind: String,
    pub name: String,
    pub rotate: String,
    pub sources: Vec<String>,
}

/// One occurrence: the lines a match covers, and a line of context on each side.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The first line of the occurrence.
    pub line: u64,
    /// The level of the record the match sits in, when the line says.
    pub level: Option<Level>,
    pub lines: Vec<EvidenceLine>,
    /// The input's line just before the first of `lines` (span `None`), when there is one and
    /// it is not blank. It may belong to another record.
    pub before: Option<EvidenceLine>,
    /// The input's line just after the last of `lines`, likewise.
    pub after: Option<EvidenceLine>,
}

/// One line of evidence as the rules read it: cleaned (colour codes and tool prefixes removed)
/// and decoded (escapes undone, so a JSON body reads as JSON), clipped to a window around the
/// match, secrets masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EvidenceLine {
    /// For an archive: the file the line is in (its path inside the archive). Absent for a
    /// single log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based, within its file.
    pub line: u64,
    pub text: String,
    /// The matched part of `text`, as `[start, end)` in Unicode scalar values (characters).
    pub span: Option<[usize; 2]>,
}

/// A log level, as far as the line tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

/// A layer of formatting the input was recognised to carry (reported to the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `time="..." level=error msg="..." Error="..."` (azcmagent.log, himds.log, older consoles).
    LogrusKeyValue,
    /// `ERROR[0032] message   Error="..."` (agent consoles up to about 1.7).
    LogrusTerminal,
    /// `INFO    Exit Code: ...` / `FATAL   ...` (current agent consoles).
    AgentConsole,
    /// A PowerShell prompt, continuation or error record.
    PowerShell,
    /// Lines re-shipped as JSON by a log collector (`{"log":"..."}`).
    JsonEnvelope,
    /// ANSI colour codes.
    AnsiColours,
    /// Windows line endings.
    Crlf,
    /// UTF-16 text (what Windows PowerShell 5 writes with `>`).
    Utf16,
    /// Lines a terminal or mail client wrapped, joined back.
    Wrapped,
}

impl Format {
    pub fn describe(self) -> &'static str {
        match self {
            Format::LogrusKeyValue => "logrus key=value lines",
            Format::LogrusTerminal => "logrus terminal lines",
            Format::AgentConsole => "agent console output",
            Format::PowerShell => "a PowerShell session",
            Format::JsonEnvelope => "JSON log-collector lines",
            Format::AnsiColours => "ANSI colour codes",
            Format::Crlf => "Windows line endings",
            Format::Utf16 => "UTF-16 text",
            Format::Wrapped => "wrapped lines",
        }
    }
}

impl Format {
    /// Every format, in the order reports list them.
    pub const ALL: [Format; 9] = [
        Format::LogrusKeyValue,
        Format::LogrusTerminal,
        Format::AgentConsole,
        Format::PowerShell,
        Format::JsonEnvelope,
        Format::AnsiColours,
        Format::Crlf,
        Format::Utf16,
        Format::Wrapped,
    ];
}

/// A set of [`Format`]s, small enough to copy per line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Formats(u16);

impl Formats {
    pub fn insert(&mut self, format: Format) {
        self.0 |= 1 << format as u16;
    }

    pub fn union(self, other: Formats) -> Formats {
        Formats(self.0 | other.0)
    }

    pub fn contains(self, format: Format) -> bool {
        self.0 & (1 << format as u16) != 0
    }

    /// The formats in the set, in report order.
    pub fn to_vec(self) -> Vec<Format> {
        Format::ALL
            .into_iter()
            .filter(|f| self.contains(*f))
            .collect()
    }
}
