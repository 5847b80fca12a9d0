//! The manifest's own checks, and stages that must have rows.

use super::*;
use crate::ruleset::tests::{MANIFEST_OK, load, rule};

/// The problem the manifest `top` (its top-level keys) plus `tables` is refused for, or `None`.
fn manifest_problem(top: &str, tables: &str) -> Option<String> {
    let text = format!("{top}\n[no_match]\nsteps = [\"rerun with --verbose\"]\n{tables}");
    let manifest: Manifest = toml::from_str(&text).unwrap();
    match check_manifest("rules/ruleset.toml", &manifest) {
        Ok(_) => None,
        Err(Error::Rule { problem, .. }) => Some(problem),
        Err(other) => panic!("{other}"),
    }
}

fn version_problem(version: &str) -> Option<String> {
    manifest_problem(&format!("version = \"{version}\""), "")
}

#[test]
fn the_version_is_a_date_with_an_optional_count() {
    assert_eq!(version_problem("2026.11.25"), None);
    assert_eq!(version_problem("2026.11.25.2"), None);
    for bad in [
        "2026.1x.25",
        "2026..25",
        "26.11.25",
        "2026.11",
        "2026.11.25.2.1",
    ] {
        assert_eq!(
            version_problem(bad),
            Some(format!("version `{bad}` is not YYYY.MM.DD[.N]"))
        );
    }
}

#[test]
fn common_words_are_single_lower_case_words_of_three_letters_or_more() {
    let words = |list: &str| {
        manifest_problem(
            &format!("version = \"2026.11.25\"\ncommon_words = [{list}]"),
            "",
        )
    };
    assert_eq!(words("\"the\", \"token\""), None);
    for bad in ["ab", "Token", "two words"] {
        assert_eq!(
            words(&format!("\"token\", \"{bad}\"")),
            Some(format!(
                "common word `{bad}` is not a lower-case word of three or more characters"
            ))
        );
    }
}

#[test]
fn no_match_steps_are_all_written() {
    let steps = |list: &str| {
        let text = format!("version = \"2026.11.25\"\n[no_match]\nsteps = [{list}]\n");
        let manifest: Manifest = toml::from_str(&text).unwrap();
        check_manifest("rules/ruleset.toml", &manifest).err()
    };
    assert_eq!(steps("\"rerun\""), None);
    for bad in ["", "\"rerun\", \" \""] {
        assert_eq!(
            steps(bad).unwrap().to_string(),
            "rules/ruleset.toml: rule 'manifest': [no_match] steps are missing or empty. Fix: \
             list what a user should do when no rule matches"
        );
    }
}

#[test]
fn a_retired_id_needs_a_kebab_case_id_replacements_and_a_reason() {
    let retired = |id: &str, replaced_by: &str, why: &str| {
        manifest_problem(
            "version = \"2026.11.25\"",
            &format!(
                "[[retired]]\nid = \"{id}\"\nreplaced_by = [{replaced_by}]\nwhy = \"{why}\"\n"
            ),
        )
    };
    assert_eq!(retired("old-row", "\"a-rule\"", "Split."), None);
    for (id, replaced_by, why) in [
        ("Old_Row", "\"a-rule\"", "Split."),
        ("old-row", "", "Split."),
        ("old-row", "\"a-rule\"", " "),
    ] {
        assert_eq!(
            retired(id, replaced_by, why),
            Some(format!(
                "[[retired]] `{id}` needs a kebab-case id, `replaced_by` and `why`"
            ))
        );
    }
}

fn stage(id: &str) -> String {
    rule(id, "message = \"Failed to connect\"")
        .replace("kind = \"cause\"", "kind = \"stage\"")
        .replace("error = \"Some error text\"\n", "")
}

fn problem_of(files: &[(&str, &str)]) -> Option<String> {
    let mut all = vec![("rules/ruleset.toml", MANIFEST_OK)];
    all.extend_from_slice(files);
    match load(&all) {
        Ok(_) => None,
        Err(Error::Rule { problem, .. }) => Some(problem),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn a_row_names_a_stage_rule_as_its_stage() {
    let row = rule("a-rule", "stage = \"b-rule\"");
    assert_eq!(
        problem_of(&[
            ("rules/a-rule.toml", &row),
            ("rules/b-rule.toml", &stage("b-rule"))
        ]),
        None
    );
    assert_eq!(
        problem_of(&[
            ("rules/a-rule.toml", &row),
            ("rules/b-rule.toml", &rule("b-rule", ""))
        ]),
        Some("`stage = \"b-rule\"` names a rule that is not a stage".into())
    );
}

#[test]
fn a_stage_without_rows_is_refused() {
    assert_eq!(
        problem_of(&[
            ("rules/a-rule.toml", &rule("a-rule", "")),
            ("rules/b-rule.toml", &stage("b-rule"))
        ]),
        Some("no row names this stage".into())
    );
}
