//! The rule corpus, checked as data: every rule's samples and near-misses, the benign corpus, and
//! the shape of the corpus itself. Adding a rule adds no code here.

use arc_triage::{Classifier, Confidence, Kind, RuleSet};
use std::collections::BTreeSet;
use std::path::Path;

fn classifier() -> Classifier {
    Classifier::builtin().expect("the built-in rules load")
}

fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or_default();
    line.chars().take(90).collect()
}

/// Every `[[sample]]` must produce its rule first, with the right confidence and fields; every
/// `[[near_miss]]` must not produce it at all. All failures are reported together.
#[test]
fn samples_produce_their_rule_first_and_near_misses_do_not() {
    let c = classifier();
    let mut failures = Vec::new();
    let mut checked = 0;
    for loaded in &c.ruleset().rules {
        let rule = &loaded.rule;
        let want = if rule.kind == Kind::Stage {
            Confidence::Partial
        } else {
            Confidence::Exact
        };
        for (i, sample) in rule.samples.iter().enumerate() {
            checked += 1;
            let report = c.classify(&sample.text);
            let got: Vec<String> = report
                .matches
                .iter()
                .map(|d| format!("{} ({:?})", d.id, d.confidence))
                .collect();
            let Some(best) = report.matches.first() else {
                failures.push(format!(
                    "{}: sample {} `{}`: expected `{}` first, nothing matched",
                    loaded.file,
                    i + 1,
                    first_line(&sample.text),
                    rule.id
                ));
                continue;
            };
            if best.id != rule.id || best.confidence != want {
                failures.push(format!(
                    "{}: sample {} `{}`: expected `{}` ({want:?}) first, got [{}]",
                    loaded.file,
                    i + 1,
                    first_line(&sample.text),
                    rule.id,
                    got.join(", ")
                ));
                continue;
            }
            for (key, value) in &sample.fields {
                if best.fields.get(key) != Some(value) {
                    failures.push(format!(
                        "{}: sample {}: field `{key}` should be `{value}`, got {:?}",
                        loaded.file,
                        i + 1,
                        best.fields.get(key)
                    ));
                }
            }
            if best.lines.is_empty()
                || best
                    .evidence
                    .iter()
                    .all(|e| e.lines.iter().all(|l| l.span.is_none()))
            {
                failures.push(format!(
                    "{}: sample {}: the diagnosis carries no highlighted evidence",
                    loaded.file,
                    i + 1
                ));
            }
        }
        for (i, miss) in rule.near_misses.iter().enumerate() {
            checked += 1;
            let report = c.classify(&miss.text);
            if report.matches.iter().any(|d| d.id == rule.id) {
                failures.push(format!(
                    "{}: near_miss {} `{}` matched `{}`, but must not: {}",
                    loaded.file,
                    i + 1,
                    first_line(&miss.text),
                    rule.id,
                    miss.why
                ));
            }
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// Healthy output (successful onboarding, `azcmagent show`, endpoint checks...) must produce
/// no diagnosis at all.
#[test]
fn benign_corpus_yields_no_match() {
    let c = classifier();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/benign");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/benign exists")
        .map(|e| e.expect("readable").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "the benign corpus is too small: {files:?}"
    );
    let mut failures = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let report = c.classify_bytes(&bytes);
        assert!(
            report.input.lines > 5,
            "{} is not a real log",
            path.display()
        );
        for d in &report.matches {
            failures.push(format!(
                "{}: matched `{}` at lines {:?}",
                path.display(),
                d.id,
                d.lines
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// The corpus is linted on load; this pins the properties the page and links rely on.
#[test]
fn corpus_shape() {
    let set = RuleSet::builtin().expect("valid");
    let ids: BTreeSet<&str> = set.rules.iter().map(|r| r.rule.id.as_str()).collect();
    assert_eq!(ids.len(), set.rules.len(), "ids are unique");
    for id in [
        "device-flow-network-unreachable",
        "device-flow-forbidden",
        "device-flow-no-such-host",
        "spn-token-forbidden",
        "spn-invalid-secret",
        "spn-app-not-found",
        "arm-authorization-failed",
        "provider-not-registered",
        "arm-endpoint-forbidden",
    ] {
        assert!(
            ids.contains(id),
            "the table row `{id}` is public and must exist"
        );
    }
    for r in &set.rules {
        assert!(
            r.file.starts_with("rules/") && r.file.ends_with(&format!("/{}.toml", r.rule.id)),
            "{} must live at rules/<group>/{}.toml",
            r.file,
            r.rule.id
        );
    }
}

/// A rule file on disk that breaks the format fails with a message naming the file, the rule and
/// the fix, and the CLI's `--check-rules` reports the same.
#[test]
fn rule_files_on_disk_match_the_embedded_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (path, content) in arc_triage::BUILTIN_FILES {
        let on_disk = std::fs::read_to_string(root.join(path)).expect("embedded files exist");
        assert_eq!(&on_disk, content, "{path} changed without a rebuild");
    }
}
