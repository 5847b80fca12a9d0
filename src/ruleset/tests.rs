use super::*;

pub(super) const MANIFEST_OK: &str =
    "version = \"2026.11.25\"\n[no_match]\nsteps = [\"rerun with --verbose\"]\n";

pub(super) fn rule(id: &str, extra: &str) -> String {
    format!(
        r#"id = "{id}"
kind = "cause"
title = "A title"
error = "Some error text"
cause = "Because."
solution = "Do this."
docs = "https://learn.microsoft.com/x"
source = "test"
sources = ["https://learn.microsoft.com/x", "MicrosoftDocs/azure-docs#1"]
checked = "2026-11"
{extra}
[[match]]
regex = 'some error text'
[[sample]]
text = "Some error text"
[[near_miss]]
text = "Some other text"
why = "different"
"#
    )
}

pub(super) fn load(files: &[(&str, &str)]) -> Result<RuleSet, Error> {
    RuleSet::from_files(files.iter().copied())
}

#[test]
fn builtin_rules_load() {
    let set = RuleSet::builtin().expect("the shipped rules are valid");
    assert!(set.rules.len() >= 9);
    assert_eq!(set.hash.len(), 16);
}

#[test]
fn errors_name_file_rule_and_fix() {
    let bad = rule("Bad_Id", "");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/x/Bad_Id.toml", &bad),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("rules/x/Bad_Id.toml") && err.contains("'Bad_Id'"),
        "{err}"
    );
    assert!(err.contains("kebab-case") && err.contains("Fix:"), "{err}");

    let no_near = rule("a-rule", "").replace(
        "[[near_miss]]\ntext = \"Some other text\"\nwhy = \"different\"\n",
        "",
    );
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &no_near),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("no [[near_miss]]"), "{err}");

    let bad_re = rule("a-rule", "").replace("regex = 'some error text'", "regex = 'some (error'");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &bad_re),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("does not compile"), "{err}");

    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", "id = "),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("rules/a-rule.toml: cannot read"), "{err}");
}

#[test]
fn duplicate_ids_and_dangling_stages_are_refused() {
    let a = rule("a-rule", "");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/one/a-rule.toml", &a),
        ("rules/two/a-rule.toml", &a),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("used by rules/one/a-rule.toml and rules/two/a-rule.toml"),
        "{err}"
    );
    let b = rule("b-rule", "stage = \"nope\"");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/b-rule.toml", &b),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("names no rule"), "{err}");
}

fn err_of(rule_text: &str) -> String {
    load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", rule_text),
    ])
    .unwrap_err()
    .to_string()
}

#[test]
fn sources_and_checked_date_are_required_and_well_formed() {
    let no_sources = rule("a-rule", "").replace(
        "sources = [\"https://learn.microsoft.com/x\", \"MicrosoftDocs/azure-docs#1\"]\n",
        "",
    );
    assert!(err_of(&no_sources).contains("no `sources`"));
    let bad = rule("a-rule", "").replace("MicrosoftDocs/azure-docs#1", "azure-docs 1");
    assert!(err_of(&bad).contains("source `azure-docs 1`"));
    let http = rule("a-rule", "").replace(
        "[\"https://learn.microsoft.com/x\",",
        "[\"http://learn.microsoft.com/x\",",
    );
    assert!(err_of(&http).contains("neither an https URL"));
    let date = rule("a-rule", "").replace("checked = \"2026-11\"", "checked = \"Nov 2026\"");
    assert!(err_of(&date).contains("not YYYY-MM"));
    let day = rule("a-rule", "").replace("checked = \"2026-11\"", "checked = \"2026-11-26\"");
    assert!(
        load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &day)
        ])
        .is_ok()
    );
}

#[test]
fn variants_and_exit_codes_are_checked() {
    let bad_variant = rule("a-rule", "").replace(
        "regex = 'some error text'",
        "regex = 'some error text'\nvariant = \"nope\"",
    );
    assert!(
        err_of(&bad_variant).contains("names no [[variant]]"),
        "{}",
        err_of(&bad_variant)
    );
    let cause_exit = rule("a-rule", "exit_code = 42");
    assert!(err_of(&cause_exit).contains("only `code` rules"));
    let code = |id: &str| rule(id, "exit_code = 42").replace("kind = \"cause\"", "kind = \"code\"");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/azcm0042.toml", &code("azcm0042")),
        ("rules/other.toml", &code("other")),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("also claimed by `azcm0042`"), "{err}");
}

#[test]
fn leads_to_links_existing_causes_one_way() {
    let a = rule("a-rule", "leads_to = [\"b-rule\"]");
    let b = rule("b-rule", "");
    assert!(
        load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &a),
            ("rules/b-rule.toml", &b),
        ])
        .is_ok()
    );
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &a),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("`b-rule`, which is not a rule"), "{err}");
    let back = rule("b-rule", "leads_to = [\"a-rule\"]");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &a),
        ("rules/b-rule.toml", &back),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("lead to each other"), "{err}");
    let code = rule("b-rule", "").replace("kind = \"cause\"", "kind = \"code\"");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &a),
        ("rules/b-rule.toml", &code),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("not both causes"), "{err}");
}

#[test]
fn retired_ids_must_point_at_rules() {
    let manifest = format!(
        "{MANIFEST_OK}[[retired]]\nid = \"old-row\"\nreplaced_by = [\"a-rule\"]\nwhy = \"split\"\n"
    );
    let a = rule("a-rule", "");
    let set = load(&[("rules/ruleset.toml", &manifest), ("rules/a-rule.toml", &a)]).unwrap();
    assert_eq!(set.retired("old-row").unwrap().replaced_by, ["a-rule"]);
    let dangling = manifest.replace("[\"a-rule\"]", "[\"b-rule\"]");
    let err = load(&[("rules/ruleset.toml", &dangling), ("rules/a-rule.toml", &a)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("`b-rule`, which is not a rule"), "{err}");
    let clash = manifest.replace("old-row", "a-rule");
    let err = load(&[("rules/ruleset.toml", &clash), ("rules/a-rule.toml", &a)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("both a rule and a retired id"), "{err}");
}

#[test]
fn a_shared_solution_is_copied_from_the_rule_that_writes_it() {
    let writer = rule("a-rule", "");
    let sharer = |id: &str, from: &str| {
        rule(id, &format!("solution_from = \"{from}\"")).replace("solution = \"Do this.\"\n", "")
    };
    let b = sharer("b-rule", "a-rule");
    let set = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &writer),
        ("rules/b-rule.toml", &b),
    ])
    .unwrap();
    assert_eq!(set.get("b-rule").unwrap().rule.solution, "Do this.");

    let err = err_of(&sharer("a-rule", "nope"));
    assert!(
        err.contains("`solution_from = \"nope\"` names no rule"),
        "{err}"
    );
    let err = err_of(&sharer("a-rule", "a-rule"));
    assert!(err.contains("names the rule itself"), "{err}");
    let err = err_of(&writer.replace(
        "solution = \"Do this.\"",
        "solution = \"Do this.\"\nsolution_from = \"b-rule\"",
    ));
    assert!(err.contains("both `solution` and `solution_from"), "{err}");
    let err = err_of(&writer.replace("solution = \"Do this.\"\n", ""));
    assert!(err.contains("`solution` is empty"), "{err}");
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &writer),
        ("rules/b-rule.toml", &b),
        ("rules/c-rule.toml", &sharer("c-rule", "b-rule")),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("rules/c-rule.toml: rule 'c-rule'")
            && err.contains("takes its own solution from `a-rule`")
            && err.contains("Fix: name `a-rule`"),
        "{err}"
    );
}

#[test]
fn hash_follows_content_not_line_endings() {
    let a = rule("a-rule", "");
    let one = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &a),
    ])
    .unwrap();
    let crlf = a.replace('\n', "\r\n");
    let two = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &crlf),
    ])
    .unwrap();
    assert_eq!(
        one.hash, two.hash,
        "a checkout with CRLF must not change the hash"
    );
    let changed = a.replace("Because.", "Because!");
    let three = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &changed),
    ])
    .unwrap();
    assert_ne!(one.hash, three.hash);
}

/// Issue 10: `unless` patterns were only compiled, so a dot-all flag or an unbounded gap in
/// one was accepted. They follow the dialect like every pattern, in rules and the manifest.
#[test]
fn unless_patterns_are_linted_in_rules_and_the_manifest() {
    let with_unless = |unless: &str| {
        rule("a-rule", "").replace(
            "regex = 'some error text'",
            &format!("regex = 'some error text'\nunless = '{unless}'"),
        )
    };
    assert!(
        load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &with_unless("40342"))
        ])
        .is_ok()
    );
    for (unless, problem) in [
        (
            "(?s)other.{0,9}text",
            "sets the dot-matches-newline flag `s`",
        ),
        ("other.*text", "has an unbounded `.*`"),
        ("other[^x]{0,9000}text", "over the limit of 3000"),
        ("(?m)text$", "is anchored with"),
    ] {
        let err = err_of(&with_unless(unless));
        assert!(
            err.starts_with(&format!(
                "rules/a-rule.toml: rule 'a-rule': `unless`: pattern `{unless}` "
            )) && err.contains(problem)
                && err.contains("Fix:"),
            "{err}"
        );
    }
    let manifest = format!(
        "{MANIFEST_OK}[[exit_code]]\nregex = 'azcmagent exit code (?P<exit_code>\\d{{1,3}})'\nunless = 'x.+y'\n"
    );
    let err = load(&[
        ("rules/ruleset.toml", &manifest),
        ("rules/a-rule.toml", &rule("a-rule", "")),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(
            "rules/ruleset.toml: rule 'manifest': `unless`: pattern `x.+y` has an unbounded `.+`"
        ),
        "{err}"
    );
}

/// Issue 10: built-in anchors were everyday words; the prefilter then ran those patterns on
/// every record holding one. Every built-in pattern passes the lint (so no anchor is made only
/// of common words), and none of the words the issue found is an anchor any more.
#[test]
fn no_builtin_anchor_is_an_everyday_word() {
    let set = RuleSet::builtin().expect("the shipped rules pass the lint");
    let anchors = set
        .rules
        .iter()
        .flat_map(|r| &r.checked)
        .chain(&set.exit_codes)
        .flat_map(|c| &c.anchors);
    for anchor in anchors {
        assert!(
            !pattern::ENGINE_COMMON_WORDS.contains(&String::from_utf8_lossy(anchor).as_ref()),
            "{}",
            String::from_utf8_lossy(anchor)
        );
    }
}

#[test]
fn a_toml_error_says_where_and_quotes_only_a_little_of_the_line() {
    // A 200 KB line with a syntax error near its end: the message names line and column and
    // quotes a bounded excerpt, not the line.
    let content = format!(
        "id = \"a-rule\"\ntitle = \"{}\" oops\n",
        "x".repeat(200_000)
    );
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &content),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("rules/a-rule.toml: cannot read this rule file: at line 2, column 200012"),
        "{}",
        &err[..200.min(err.len())]
    );
    assert!(err.len() < 600, "{} bytes: {}", err.len(), &err[..300]);
    assert!(
        err.contains("(near `…xxxxxxxxxxxxxxxxxxxxxxxxxxxx\" oops`)"),
        "{err}"
    );
    let short = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", "id = "),
    ])
    .unwrap_err()
    .to_string();
    assert!(short.contains("at line 1, column 6"), "{short}");
}

#[test]
fn rule_text_from_anywhere_is_held_to_the_folder_limits() {
    let big = format!("id = \"a-rule\"\n# {}\n", "x".repeat(MAX_RULE_FILE_BYTES));
    let err = load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &big),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("rules/a-rule.toml: cannot read this rule file: it is 262161 bytes, more than the 262144 a rule file may be"),
        "{err}"
    );
    let names: Vec<String> = (0..=MAX_RULE_FILES)
        .map(|i| format!("rules/r{i}.toml"))
        .collect();
    let mut files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
    files.push(("rules/ruleset.toml", MANIFEST_OK));
    let err = load(&files).unwrap_err().to_string();
    assert!(
        err.contains("2002 rule files, more than the 2000 a rule set may have"),
        "{err}"
    );
    let chunk = format!("# {}\n", "y".repeat(200 * 1024));
    let names: Vec<String> = (0..41).map(|i| format!("rules/r{i}.toml")).collect();
    let mut files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), chunk.as_str())).collect();
    files.push(("rules/ruleset.toml", MANIFEST_OK));
    let err = load(&files).unwrap_err().to_string();
    assert!(
        err.contains("more than the 8388608 a rule set may"),
        "{err}"
    );
}
