//! `code = "AZCMnnnn"`: an exit-code rule names its code once, and the loader writes the pattern
//! every such rule would repeat. The format is documented in `rules/README.md`.

use crate::error::Error;
use crate::pattern;
use crate::rule::{Kind, Pattern, Rule};

/// Checks `code` against the rule's kind, id and exit code; an empty `error` becomes the code.
pub fn apply(path: &str, rule: &mut Rule) -> Result<(), Error> {
    let Some(code) = rule.code.clone() else {
        return Ok(());
    };
    let fail = |problem: String, fix: &str| Error::rule(path, &rule.id, problem, fix);
    let number = code
        .strip_prefix("AZCM")
        .filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()));
    let Some(number) = number else {
        return Err(fail(
            format!("`code = \"{code}\"` is not AZCM and four digits"),
            "write the code as the agent prints it, e.g. code = \"AZCM0042\"",
        ));
    };
    if rule.kind != Kind::Code {
        return Err(fail(
            format!("`code` on a {:?} rule", rule.kind),
            "only `code` rules name an AZCM code; set kind = \"code\" or remove `code`",
        ));
    }
    if rule.id != code.to_ascii_lowercase() {
        return Err(fail(
            format!("`code = \"{code}\"` on the rule `{}`", rule.id),
            "a code's rule is named after it: id = the code in lower case",
        ));
    }
    if let Some(exit) = rule.exit_code {
        if number.parse::<u16>().ok() != Some(exit) {
            return Err(fail(
                format!("`exit_code = {exit}` on the rule of {code}"),
                "exit code N means AZCM code N (Microsoft's exit-code table): fix either number",
            ));
        }
    }
    if rule.error.trim().is_empty() {
        rule.error = code;
    }
    Ok(())
}

/// The pattern a `code` stands for, unless one of the rule's own patterns (whose lint results
/// are `checked`) already captures `azcm_code`: then the rule says how its code is matched.
///
/// The code alone, captured as `azcm_code`; when `error` is `AZCMnnnn: Name` (what the agent
/// prints after `Exit Code:`), the name may follow and is captured as `code_name`.
pub fn standard_pattern(rule: &Rule, checked: &[pattern::PatternFacts]) -> Option<Pattern> {
    let code = rule.code.as_deref()?;
    if checked
        .iter()
        .any(|c| c.fields.iter().any(|f| f == "azcm_code"))
    {
        return None;
    }
    let name = rule
        .error
        .strip_prefix(code)
        .and_then(|rest| rest.strip_prefix(':'))
        .map(str::trim)
        .filter(|name| !name.is_empty());
    let regex = match name {
        Some(name) => format!(
            "(?P<azcm_code>{code})(?::? (?P<code_name>{}))?",
            regex_syntax::escape(name)
        ),
        None => format!("(?P<azcm_code>{code})"),
    };
    Some(Pattern {
        regex,
        unless: None,
        variant: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::ruleset::RuleSet;
    use crate::{Classifier, Kind};

    const MANIFEST: &str =
        "version = \"2026.11.25\"\n[no_match]\nsteps = [\"rerun with --verbose\"]\n";

    fn code_rule(id: &str, code: &str, extra: &str) -> String {
        format!(
            r#"id = "{id}"
kind = "code"
code = "{code}"
title = "A title"
cause = "Because."
solution = "Do this."
docs = "https://learn.microsoft.com/x"
source = "azcm-codes"
sources = ["https://learn.microsoft.com/x"]
checked = "2026-11"
{extra}
[[sample]]
text = "INFO    Exit Code:  {code}"
[[near_miss]]
text = "INFO    Exit Code:  AZCM0000: No Error"
why = "success"
"#
        )
    }

    fn load(rule: &str) -> Result<RuleSet, String> {
        RuleSet::from_files([
            ("rules/ruleset.toml", MANIFEST),
            ("rules/azcm/azcm0042.toml", rule),
        ])
        .map_err(|e| e.to_string())
    }

    fn patterns(set: &RuleSet) -> Vec<&str> {
        let rule = &set.get("azcm0042").unwrap().rule;
        rule.patterns.iter().map(|p| p.regex.as_str()).collect()
    }

    #[test]
    fn a_code_writes_its_pattern_with_the_name_the_agent_prints() {
        let named = code_rule(
            "azcm0042",
            "AZCM0042",
            "error = 'AZCM0042: Failed To Create Resource'",
        );
        let set = load(&named).unwrap();
        assert_eq!(
            patterns(&set),
            ["(?P<azcm_code>AZCM0042)(?::? (?P<code_name>Failed To Create Resource))?"]
        );
        let c = Classifier::new(set).unwrap();
        let report = c.classify("INFO    Exit Code:  AZCM0042: Failed to Create Resource");
        let fields = &report.matches[0].fields;
        assert_eq!(fields["azcm_code"], "AZCM0042");
        assert_eq!(fields["code_name"], "Failed to Create Resource");

        let bare = load(&code_rule("azcm0042", "AZCM0042", "")).unwrap();
        assert_eq!(patterns(&bare), ["(?P<azcm_code>AZCM0042)"]);
        let rule = &bare.get("azcm0042").unwrap().rule;
        assert_eq!(rule.error, "AZCM0042", "`error` defaults to the code");
        assert_eq!(rule.kind, Kind::Code);
    }

    #[test]
    fn a_rules_own_code_pattern_replaces_the_written_one() {
        let own = code_rule(
            "azcm0042",
            "AZCM0042",
            "[[match]]\nregex = '(?P<azcm_code>AZCM0042):? (?P<code_name>Failed to Create (?:the )?Resource)'",
        );
        assert_eq!(patterns(&load(&own).unwrap()).len(), 1);
        let other = code_rule(
            "azcm0042",
            "AZCM0042",
            "[[match]]\nregex = 'resource creation refused'",
        );
        assert_eq!(
            patterns(&load(&other).unwrap()),
            ["(?P<azcm_code>AZCM0042)", "resource creation refused"],
            "the code's pattern comes first, then the rule's own"
        );
    }

    #[test]
    fn a_code_must_agree_with_the_rule() {
        let cases = [
            (
                code_rule("azcm0042", "AZCM42", ""),
                "is not AZCM and four digits",
            ),
            (
                code_rule("azcm0042", "AZCM0043", ""),
                "`code = \"AZCM0043\"` on the rule `azcm0042`",
            ),
            (
                code_rule("azcm0042", "AZCM0042", "")
                    .replace("kind = \"code\"", "kind = \"cause\""),
                "`code` on a Cause rule",
            ),
            (
                code_rule("azcm0042", "AZCM0042", "exit_code = 43"),
                "`exit_code = 43` on the rule of AZCM0042",
            ),
        ];
        for (text, problem) in cases {
            let err = load(&text).unwrap_err();
            assert!(
                err.contains("rules/azcm/azcm0042.toml: rule 'azcm0042'")
                    && err.contains(problem)
                    && err.contains("Fix:"),
                "{err}"
            );
        }
    }
}
