//! The one error type of the crate. Every message says what went wrong *and* what to do about it,
//! because the people who read them are rule authors and users, not the engine's developers.

use std::fmt;

/// Everything that can go wrong while loading rules or classifying input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A rule file is not valid TOML or does not have the rule shape.
    RuleFile { file: String, problem: String },
    /// One rule in a file breaks a rule of the rule format.
    Rule {
        file: String,
        rule: String,
        problem: String,
        fix: String,
    },
    /// The rule set as a whole is inconsistent (duplicate ids, missing manifest...).
    RuleSet { problem: String, fix: String },
    /// A caller passed something the API cannot use (an unknown rule id, say).
    Usage { problem: String, fix: String },
}

impl Error {
    pub(crate) fn rule(
        file: &str,
        rule: &str,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Error::Rule {
            file: file.to_string(),
            rule: rule.to_string(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::RuleFile { file, problem } => {
                write!(
                    f,
                    "{file}: cannot read this rule file: {problem}. \
                     Compare it with an existing file under rules/ and the format in README.md."
                )
            }
            Error::Rule {
                file,
                rule,
                problem,
                fix,
            } => write!(f, "{file}: rule '{rule}': {problem}. Fix: {fix}"),
            Error::RuleSet { problem, fix } => write!(f, "rule set: {problem}. Fix: {fix}"),
            Error::Usage { problem, fix } => write!(f, "{problem}. {fix}"),
        }
    }
}

impl std::error::Error for Error {}
