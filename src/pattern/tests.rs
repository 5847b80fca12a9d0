//! Pattern rewriting, the dialect's checks and the anchors it picks.

use super::*;

#[test]
fn spaces_become_optional_whitespace_outside_classes() {
    assert_eq!(
        prepare("network is  unreachable"),
        r"network\s*is\s*unreachable"
    );
    assert_eq!(prepare(r"a[ b]c\ d"), r"a[ b]c\ d");
    assert_eq!(prepare("[] ]x y"), r"[] ]x\s*y");
}

#[test]
fn compiled_patterns_tolerate_wrapping_and_case() {
    let re = compile("network is unreachable").unwrap();
    assert!(re.is_match(b"connect: Network isunreachable."));
    assert!(re.is_match(b"network   is\tunreachable"));
    assert!(!re.is_match(b"network was unreachable"));
}

fn none() -> Vec<String> {
    Vec::new()
}

#[test]
fn anchor_is_the_longest_required_literal() {
    let c = check(r"dial tcp \S+ connect: network is unreachable", &none()).unwrap();
    assert_eq!(c.anchors, vec![b"unreachable".to_vec()]);
    let c = check(r"(?:AADSTS7000215|invalid client secret)", &none()).unwrap();
    assert_eq!(
        c.anchors,
        vec![b"aadsts7000215".to_vec(), b"invalid".to_vec()],
        "an alternation needs one anchor per branch; each branch keeps its longest word"
    );
}

#[test]
fn anchor_avoids_words_common_in_healthy_logs() {
    let common: Vec<String> = ["authorization", "acquired", "token"]
        .map(String::from)
        .to_vec();
    let c = check("Failed to acquire authorization token device flow", &common).unwrap();
    assert_eq!(
        c.anchors,
        vec![b"device".to_vec()],
        "ties go to the later word"
    );
    assert_eq!(rarity(b"acquire", &common), 0, "part of a common word");
    assert_eq!(rarity(b"token/devicecode", &common), 10);
}

#[test]
fn lint_rejects_patterns_the_prefilter_cannot_serve() {
    assert!(check(r"\d+", &none()).is_err());
    assert!(check("foo.*bar", &none()).is_err());
    assert!(check("^Exit Code", &none()).is_err());
    assert!(check("(?x)exit code", &none()).is_err());
    assert!(check("(unclosed", &none()).is_err());
    assert!(check(r"(?P<TenantId>[0-9a-f-]{36}) oauth2", &none()).is_err());
    let ok = check(
        r"oauth2/token\S{0,200}(?P<tenant_id>[0-9a-f-]{36})",
        &none(),
    )
    .unwrap();
    assert_eq!(ok.fields, vec!["tenant_id".to_string()]);
}

#[test]
fn a_closing_bracket_outside_a_class_is_a_literal() {
    assert_eq!(prepare("a] b"), r"a]\s*b");
    assert_eq!(prepare("[x] ] y"), r"[x]\s*]\s*y");
}

fn error_of(pattern: &str) -> String {
    check(pattern, &none()).unwrap_err().0
}

#[test]
fn every_inline_flag_that_changes_the_dialect_is_rejected() {
    for pattern in ["(?x)exit code", "(?-i)Exit Code", "(?u)exit code"] {
        assert_eq!(
            error_of(pattern),
            format!("pattern `{pattern}` changes the dialect's flags")
        );
    }
}

#[test]
fn every_kind_of_line_anchor_is_rejected() {
    for pattern in ["^Exit Code", r"\AExit Code", "Exit Code$", "(?m)^Exit Code"] {
        assert_eq!(
            error_of(pattern),
            format!("pattern `{pattern}` is anchored with `^`, `$` or `\\A`")
        );
    }
}

#[test]
fn an_anchor_needs_four_characters() {
    assert_eq!(
        error_of("abc"),
        "pattern `abc` has no literal of at least 4 characters that every match contains"
    );
    assert_eq!(check("abcd", &none()).unwrap().anchors, [b"abcd"]);
}

#[test]
fn a_field_name_starts_with_a_lower_case_letter() {
    assert!(is_field_name("tenant_id2"));
    assert!(!is_field_name("_tenant"));
    assert!(!is_field_name("2tenant"));
    assert!(!is_field_name("tenantId"));
    assert!(!is_field_name(""));
    assert_eq!(
        error_of(r"oauth2 (?P<_tenant>\S+)"),
        "capture group name `_tenant` is not a snake_case field name"
    );
}

#[test]
fn a_syntax_error_is_reported_on_one_line() {
    assert_eq!(
        one_line(" regex parse error:\n    (x\n    ^\n"),
        "regex parse error: (x ^"
    );
    assert_eq!(
        compile("(unclosed").unwrap_err(),
        "regex parse error: (unclosed ^ error: unclosed group"
    );
    assert_eq!(
        error_of("(unclosed"),
        "pattern `(unclosed` does not compile: regex parse error: (unclosed ^ error: unclosed \
         group"
    );
}

#[test]
fn an_unbounded_gap_is_rejected_and_named() {
    assert_eq!(
        error_of("failed.*connect"),
        "pattern `failed.*connect` has an unbounded `.*`"
    );
    assert_eq!(
        error_of("failed.+connect"),
        "pattern `failed.+connect` has an unbounded `.+`"
    );
    assert_eq!(
        error_of("failed(?P<rest>.*)connect"),
        "pattern `failed(?P<rest>.*)connect` has an unbounded `.*`"
    );
    assert_eq!(
        error_of("failed(?:x|[^z]+)connect"),
        "pattern `failed(?:x|[^z]+)connect` has an unbounded `.+`"
    );
}

#[test]
fn an_unbounded_run_that_stops_at_a_delimiter_is_allowed() {
    for pattern in [
        r"failed \S+ connect",
        "failed '[^']*' connect",
        r#"failed "[^"]*" connect"#,
    ] {
        assert_eq!(check(pattern, &none()).unwrap().anchors, [b"connect"]);
    }
}

#[test]
fn a_repeated_word_is_an_anchor_but_not_part_of_its_neighbours() {
    // `(?:xyz)+` may repeat, so `errorcodexyzfailed` is not in every match.
    let c = check("errorcode(?:xyz)+failed", &none()).unwrap();
    assert_eq!(c.anchors, [b"errorcode"]);
    let c = check("errorcode(?:xyzw){2}", &none()).unwrap();
    assert_eq!(c.anchors, [b"errorcode"]);
}

#[test]
fn a_one_byte_class_and_a_single_repetition_are_plain_text() {
    // regex-syntax makes `[1]` a literal and `(?:abc){1}` its text, so they join their neighbours.
    let c = check("error[1]code(?:abc){1}", &none()).unwrap();
    assert_eq!(c.anchors, [b"error1codeabc"]);
}
