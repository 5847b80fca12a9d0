//! `check_samples`, the verdict `cargo test` and `--check-rules` share, on a rule set whose
//! examples are wrong in every way it knows: each failure is reported, with its file, example,
//! text and a problem that says what to change.

use arc_triage::check_samples;

mod common;
use common::written::{classifier, rule_file as rule};

fn failures(rules: &[(String, String)]) -> Vec<String> {
    check_samples(&classifier(rules))
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn other() -> (String, String) {
    rule(
        "other",
        "cause",
        r#"
[[match]]
regex = 'other thing broke'
[[sample]]
text = "other thing broke"
[[near_miss]]
text = "nothing"
why = "unrelated"
"#,
    )
}

#[test]
fn examples_that_hold_pass() {
    assert_eq!(failures(&[other()]), Vec::<String>::new());
}

#[test]
fn every_way_an_example_can_be_wrong_is_reported() {
    let alpha = rule(
        "alpha",
        "cause",
        r#"
[[match]]
regex = 'alpha (?P<host>[a-z]{1,60}) failed'
[[variant]]
id = "v"
title = "Alpha, the other meaning"
cause = "Other."
solution = "Other fix."
[[sample]]
text = "nothing of the kind"
[[sample]]
text = "other thing broke"
[[sample]]
text = "alpha box failed"
fields = { host = "crate" }
variant = "v"
[[sample]]
text = "alpha box failed, and other thing broke"
not = ["other"]
also = ["ghost"]
[[sample]]
text = "alpha box failed"
also = ["other"]
[[sample]]
text = "alpha box failed"
not = ["other"]
[[near_miss]]
text = "alpha box failed"
why = "it should not match"
[[near_miss]]
text = "other thing broke"
why = "another rule's text"
"#,
    );
    let got = failures(&[alpha, other()]);
    let expected = [
        "rules/test/alpha.toml: sample 1 `nothing of the kind`: expected `alpha` first, nothing matched",
        "rules/test/alpha.toml: sample 2 `other thing broke`: expected `alpha` (exact) first, got [other (exact)]",
        "rules/test/alpha.toml: sample 3 `alpha box failed`: the meaning chosen should be `v`, got the rule's own text",
        "rules/test/alpha.toml: sample 3 `alpha box failed`: field `host` should be `crate`, got `box`",
        "rules/test/alpha.toml: sample 4 `alpha box failed, and other thing broke`: `also` names `ghost`, which is not a rule id. Fix the id.",
        "rules/test/alpha.toml: sample 4 `alpha box failed, and other thing broke`: also produced `other`, which it does not declare. If that is right, add it to `also`; if not, narrow the rule that matched",
        "rules/test/alpha.toml: sample 4 `alpha box failed, and other thing broke`: declares `ghost` in `also`, but it was not produced",
        "rules/test/alpha.toml: sample 4 `alpha box failed, and other thing broke`: produced `other`, which its `not` forbids",
        "rules/test/alpha.toml: sample 5 `alpha box failed`: declares `other` in `also`, but it was not produced",
        "rules/test/alpha.toml: near_miss 1 `alpha box failed`: matched `alpha`, but must not: it should not match",
        "rules/test/alpha.toml: near_miss 2 `other thing broke`: also produced `other`, which it does not declare. If that is right, add it to `also`; if not, narrow the rule that matched",
    ];
    assert_eq!(got, expected, "\n{}", got.join("\n"));
}

#[test]
fn a_stage_sample_must_come_first_as_partial() {
    let stage = rule(
        "step",
        "stage",
        r#"
[[match]]
regex = 'step went wrong'
[[sample]]
text = "step went wrong"
[[sample]]
text = "step went wrong because other thing broke"
[[near_miss]]
text = "nothing"
why = "unrelated"
"#,
    );
    let row = rule(
        "row",
        "cause",
        r#"stage = "step"
[[match]]
regex = 'row detail'
[[sample]]
text = "step went wrong: row detail"
[[near_miss]]
text = "nothing"
why = "unrelated"
"#,
    );
    let got = failures(&[stage, row, other()]);
    assert_eq!(
        got,
        [
            "rules/test/step.toml: sample 2 `step went wrong because other thing broke`: expected `step` (partial) first, got [other (exact)]"
        ],
        "\n{}",
        got.join("\n")
    );
}
