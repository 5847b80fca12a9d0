//! One piece of troubleshooting knowledge, exactly as a person writes it in `rules/**/<id>.toml`.
//! The format is documented in `rules/README.md`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a rule tells the user, which decides how it ranks against the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Names a root cause (a row of the table, or a known field failure).
    Cause,
    /// Names an `AZCMnnnn` exit code: a category of failure, less specific than a cause.
    Code,
    /// Names the step that failed (the table's Message column) without its detail; only reported,
    /// as a partial diagnosis, when none of the step's rows explains the failure.
    Stage,
}

/// A row of the troubleshooting table as the user sees it: what a rule says, with a variant's
/// meaning applied when one was chosen. Diagnoses, the CLI's rule list and the page's deep links
/// all show this one shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// The table's Message column: the step the agent was in.
    pub message: String,
    /// The table's Error column, verbatim: what the agent prints.
    pub error: String,
    pub cause: String,
    pub solution: String,
    pub docs: String,
    pub source: String,
    /// Where the cause and the fix come from.
    pub sources: Vec<SourceLink>,
    /// When the rule was last checked against its sources (`YYYY-MM` or `YYYY-MM-DD`).
    pub checked: String,
    /// What has no public source, said plainly.
    pub unsourced: Option<String>,
    /// For a row of the table: the stage (Message) it shares with sibling rows.
    pub stage: Option<String>,
}

/// A citation, ready to show as a link.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SourceLink {
    /// As written in the rule: a URL or `owner/repo#N`.
    pub label: String,
    pub url: String,
}

impl SourceLink {
    /// `owner/repo#N` becomes the GitHub issue or pull request URL (GitHub redirects `issues/N`
    /// to a pull request); a URL stays itself, shown without its scheme.
    pub fn from_citation(citation: &str) -> SourceLink {
        match citation.strip_prefix("https://") {
            Some(rest) => SourceLink {
                label: rest.trim_end_matches('/').to_string(),
                url: citation.to_string(),
            },
            None => {
                let (repo, number) = citation.split_once('#').unwrap_or((citation, ""));
                SourceLink {
                    label: citation.to_string(),
                    url: format!("https://github.com/{repo}/issues/{number}"),
                }
            }
        }
    }
}

/// A rule as written. Field meanings are in `rules/README.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// The table's "Message" column: the step the agent was in.
    #[serde(default)]
    pub message: String,
    /// The table's "Error" column, verbatim: what the agent prints.
    #[serde(default)]
    pub error: String,
    pub cause: String,
    /// Filled in at load time from the rule `solution_from` names, when it names one.
    #[serde(default)]
    pub solution: String,
    /// The id of the rule whose `solution` this rule shows, verbatim: one text for the codes
    /// that share a fix. Resolved when the rule set loads, so every consumer sees the text.
    #[serde(default, skip_serializing)]
    pub solution_from: Option<String>,
    pub docs: String,
    /// Where the knowledge comes from (`troubleshooting-table-2020`, `azcm-codes`, `field-reports`...).
    pub source: String,
    /// Where the cause and the fix come from: documentation URLs (`https://...`) and public
    /// issue references (`owner/repo#N`). Shown under the solution; a rule without them fails
    /// the rule lint.
    #[serde(default)]
    pub sources: Vec<String>,
    /// When the rule was last checked against its sources: `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    pub checked: String,
    /// Said plainly when the cause has no public source (what is known, and from where).
    #[serde(default)]
    pub unsourced: Option<String>,
    /// For a `code` rule: the agent's process exit code with the same meaning (exit code N is
    /// AZCM00NN). Wrappers that print only the number (`exitcode: 42`) name this rule.
    #[serde(default)]
    pub exit_code: Option<u16>,
    /// For a `code` rule: the `AZCMnnnn` code it explains. When the rule's own `[[match]]`es do
    /// not capture `azcm_code`, the loader adds the standard pattern for it (see
    /// `rules/README.md`), and `error` defaults to the code.
    #[serde(default, skip_serializing)]
    pub code: Option<String>,
    /// Causes whose errors this one produces later in the same log (a secret that cannot be
    /// decrypted is then refused as invalid): when both are found, they rank after this one.
    #[serde(default)]
    pub leads_to: Vec<String>,
    /// For a row of the table: the id of its stage rule (the Message it shares with sibling rows).
    #[serde(default)]
    pub stage: Option<String>,
    /// The patterns; the rule matches where any of them matches.
    #[serde(rename = "match", default)]
    pub patterns: Vec<Pattern>,
    /// Other meanings of the same error: chosen by the pattern that matched (its `variant`) or
    /// by the platform the log comes from.
    #[serde(rename = "variant", default)]
    pub variants: Vec<Variant>,
    /// Text that must produce this rule as the first diagnosis.
    #[serde(rename = "sample", default, skip_serializing)]
    pub samples: Vec<Sample>,
    /// Text close to the rule's that must not produce it.
    #[serde(rename = "near_miss", default, skip_serializing)]
    pub near_misses: Vec<NearMiss>,
}

/// One regular expression of a rule (see "Patterns" in `rules/README.md` for the dialect).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub regex: String,
    /// A match is dropped when this pattern matches the same record: it lets a broad pattern
    /// give way to a more specific rule.
    #[serde(default)]
    pub unless: Option<String>,
    /// The id of the rule's `[[variant]]` a match of this pattern selects.
    #[serde(default)]
    pub variant: Option<String>,
}

/// The operating system a log comes from, as far as its text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Windows,
    Linux,
}

/// One meaning of a rule's error that replaces the rule's title, cause and solution when it is
/// selected: by a `[[match]]` that names it, or (`platform`) by the platform of the log.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    /// Selected when no pattern named a variant and the log comes from this platform.
    #[serde(default)]
    pub platform: Option<Platform>,
    pub title: String,
    /// What the agent prints in this meaning, when it differs from the rule's `error`.
    #[serde(default)]
    pub error: Option<String>,
    pub cause: String,
    pub solution: String,
}

/// Text that must be diagnosed as the rule it belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    pub text: String,
    /// Where the sample comes from, when it is not written by us (an issue URL, say).
    #[serde(default)]
    pub source: Option<String>,
    /// Fields the diagnosis must carry, with their values.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The variant the diagnosis must pick, when the rule has variants.
    #[serde(default)]
    pub variant: Option<String>,
    /// The other rules this text also produces, after this one. Any rule not listed here is an
    /// unexpected match, and the sample fails (semgrep's convention: what is not annotated must
    /// not match).
    #[serde(default)]
    pub also: Vec<String>,
    /// Rules this text must not produce, said out loud where a reader would expect them.
    #[serde(default)]
    pub not: Vec<String>,
}

/// Text that must not be diagnosed as the rule it belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearMiss {
    pub text: String,
    /// Where the text comes from, when it is not written by us.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this must not match: it documents the boundary of the rule.
    pub why: String,
    /// The rules this text produces instead, if any. Any other match fails.
    #[serde(default)]
    pub also: Vec<String>,
    /// The `_folder.toml` this near-miss comes from, when the folder shares it with every rule.
    #[serde(skip)]
    pub folder: Option<String>,
}

impl Rule {
    /// The row this rule shows, in `variant`'s meaning when given.
    pub fn row(&self, variant: Option<&Variant>) -> Row {
        let (title, cause, solution) = variant
            .map_or((&self.title, &self.cause, &self.solution), |v| {
                (&v.title, &v.cause, &v.solution)
            });
        Row {
            id: self.id.clone(),
            kind: self.kind,
            title: title.clone(),
            message: self.message.clone(),
            error: variant
                .and_then(|v| v.error.clone())
                .unwrap_or_else(|| self.error.clone()),
            cause: cause.clone(),
            solution: solution.clone(),
            docs: self.docs.clone(),
            source: self.source.clone(),
            sources: self
                .sources
                .iter()
                .map(|s| SourceLink::from_citation(s))
                .collect(),
            checked: self.checked.clone(),
            unsourced: self.unsourced.clone(),
            stage: self.stage.clone(),
        }
    }
}
