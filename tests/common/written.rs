//! Rule sets written inside a test, so the test holds whatever the built-in rules become.
// Each test crate includes `common`; only some of them write rule sets.
#![allow(dead_code)]

use arc_triage::{Classifier, RuleSet};

const MANIFEST: &str = r#"
version = "2026.11.26"
[no_match]
steps = ["rerun with --verbose"]
"#;

/// A rule file at `rules/test/<id>.toml` with every field the loader requires; `body` adds
/// keys, patterns and examples.
pub fn rule_file(id: &str, kind: &str, body: &str) -> (String, String) {
    let text = format!(
        r#"id = "{id}"
kind = "{kind}"
title = "Rule {id}"
message = "The step of {id}"
error = "The error of {id}"
cause = "Because of {id}."
solution = "Fix {id}."
docs = "https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard"
source = "field-reports"
sources = ["https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard"]
checked = "2026-11"
{body}
"#
    );
    (format!("rules/test/{id}.toml"), text)
}

/// The classifier over `rules` and a minimal manifest, every pattern compiled.
pub fn classifier(rules: &[(String, String)]) -> Classifier {
    let files = std::iter::once(("rules/ruleset.toml", MANIFEST))
        .chain(rules.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let set = RuleSet::from_files(files).expect("the test rules are valid");
    Classifier::new(set).expect("the test rules compile")
}
