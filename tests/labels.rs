//! The page titles fields and groups of rules with the labels in `rules/ruleset.toml`. A capture
//! name or a rule `source` without a label would show up as a made-up title; a label nothing uses
//! is a leftover. Both fail here, so the labels cannot drift from the rules again (the
//! aesthetics review of 2026-11-26 found 22 of 38 capture names unlabelled in a JavaScript table).

use arc_triage::RuleSet;
use std::collections::BTreeSet;

fn builtin() -> RuleSet {
    RuleSet::builtin().expect("the built-in rules load")
}

/// Every field a diagnosis can carry: the capture names of every rule pattern and of the
/// manifest's exit-code patterns.
fn field_names(set: &RuleSet) -> BTreeSet<&str> {
    set.rules
        .iter()
        .flat_map(|r| &r.checked)
        .chain(&set.exit_codes)
        .flat_map(|c| &c.fields)
        .map(String::as_str)
        .collect()
}

fn difference<'a>(a: &BTreeSet<&'a str>, b: &BTreeSet<&'a str>) -> Vec<&'a str> {
    a.difference(b).copied().collect()
}

#[test]
fn every_field_has_a_label_and_every_field_label_is_used() {
    let set = builtin();
    let used = field_names(&set);
    let labelled: BTreeSet<&str> = set
        .manifest
        .labels
        .fields
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        difference(&used, &labelled),
        Vec::<&str>::new(),
        "capture names without a label: add them to [labels.fields] in rules/ruleset.toml"
    );
    assert_eq!(
        difference(&labelled, &used),
        Vec::<&str>::new(),
        "labels no pattern captures: remove them from [labels.fields] in rules/ruleset.toml"
    );
}

#[test]
fn every_rule_source_has_a_label_and_every_source_label_is_used() {
    let set = builtin();
    let used: BTreeSet<&str> = set.rules.iter().map(|r| r.rule.source.as_str()).collect();
    let sources = &set.manifest.labels.sources;
    let labelled: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        labelled.len(),
        sources.len(),
        "a source is labelled twice in [labels]"
    );
    assert_eq!(
        difference(&used, &labelled),
        Vec::<&str>::new(),
        "rule sources without a label: add them to [labels] sources in rules/ruleset.toml"
    );
    assert_eq!(
        difference(&labelled, &used),
        Vec::<&str>::new(),
        "source labels no rule uses: remove them from [labels] sources in rules/ruleset.toml"
    );
}

#[test]
fn labels_are_written_for_readers() {
    let labels = builtin().manifest.labels;
    let texts = labels
        .fields
        .values()
        .chain(labels.sources.iter().map(|s| &s.label));
    for text in texts {
        assert!(
            !text.trim().is_empty() && text.trim() == text && !text.contains('_'),
            "label {text:?} is empty, padded or looks like a capture name"
        );
    }
}
