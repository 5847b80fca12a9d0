//! Pattern rewriting, the dialect's checks and the anchors it picks.

use super::*;
use crate::Matcher;

fn compile(pattern: &str) -> Result<Matcher, String> {
    Matcher::for_pattern(pattern)
}

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
    assert!(re.finds(b"connect: Network isunreachable."));
    assert!(re.finds(b"network   is\tunreachable"));
    assert!(!re.finds(b"network was unreachable"));
}

fn none() -> Vec<String> {
    Vec::new()
}

#[test]
fn anchor_is_the_longest_required_literal() {
    let c = check(
        r"dial tcp \S{1,60} connect: network is unreachable",
        &none(),
    )
    .unwrap();
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
        error_of(r"oauth2 (?P<_tenant>\S{1,80})"),
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
    for (pattern, piece) in [
        ("failed.*connect", ".*"),
        ("failed.+connect", ".+"),
        ("failed(?P<rest>.*)connect", ".*"),
        ("failed(?:x|[^z]+)connect", "[^z]+"),
        // Issue 10: every other form of an unbounded gap was accepted.
        ("failed[^x]*connect", "[^x]*"),
        ("failed(?:ab|c d)*connect", "(?:ab|c d)*"),
        ("failed.{2,}connect", ".{2,}"),
        (r"failed \S+ connect", r"\S+"),
        ("failed '[^']*' connect", "[^']*"),
        (r"failed \d+ connect", r"\d+"),
    ] {
        assert_eq!(
            error_of(pattern),
            format!("pattern `{pattern}` has an unbounded `{piece}`")
        );
    }
}

#[test]
fn whitespace_may_repeat_without_bound() {
    // A space in a pattern is `\s*`; writing `\s+` is the same kind of run.
    for pattern in [
        r"failed \S{1,200} connect",
        r"failed\s+connect",
        "failed   connect",
    ] {
        assert_eq!(check(pattern, &none()).unwrap().anchors, [b"connect"]);
    }
}

#[test]
fn a_long_gap_over_a_wide_class_is_rejected_and_measured() {
    // Issue 10: `needle[^x]{0,5000}y` ran at 0.1 MB/s.
    assert_eq!(
        error_of("needle[^x]{0,5000}y"),
        format!(
            "pattern `needle[^x]{{0,5000}}y` has a gap `[^x]{{0,5000}}` of up to 5000 characters, \
             over the limit of {MAX_GAP}"
        )
    );
    // Repetitions around a gap multiply it.
    assert_eq!(
        error_of("needle(?:.{0,400} ){40}"),
        format!(
            "pattern `needle(?:.{{0,400}} ){{40}}` has a gap `.{{0,400}}` of up to 16000 \
             characters, over the limit of {MAX_GAP}"
        )
    );
    assert!(check(r"needle\S{0,3001}", &none()).is_err());
    // At the limit, and a long run of a narrow (value) class, are fine.
    assert!(check("needle.{0,3000}?y", &none()).is_ok());
    assert!(check("needle(?:.{0,300}?x){10}", &none()).is_ok());
    assert!(check("needle[a-z0-9.-]{1,5000}", &none()).is_ok());
}

#[test]
fn multi_line_and_dotall_flags_are_rejected_anywhere() {
    for (pattern, flag) in [
        ("(?m)exit code", "the multi-line flag `m`"),
        ("exit (?im:code)", "the multi-line flag `m`"),
        ("(?-m)exit code", "the multi-line flag `m`"),
        ("(?s)exit.{0,20}code", "the dot-matches-newline flag `s`"),
        ("exit(?s:.{0,20})code", "the dot-matches-newline flag `s`"),
        ("exit (?is)code", "the dot-matches-newline flag `s`"),
    ] {
        assert_eq!(
            error_of(pattern),
            format!("pattern `{pattern}` sets {flag}")
        );
    }
}

#[test]
fn a_multi_line_end_anchor_is_rejected() {
    // Issue 10: `(?m)...$` was accepted (only `^` was looked for under `m`).
    for pattern in ["(?m)Exit Code$", "(?Rm)Exit Code$", "(?Rm)^Exit Code"] {
        assert_eq!(
            error_of(pattern),
            format!("pattern `{pattern}` is anchored with `^`, `$` or `\\A`")
        );
    }
}

/// Words of the built-in manifest's `common_words`.
fn manifest_words() -> Vec<String> {
    [
        "acquired",
        "authorization",
        "because",
        "cannot",
        "device",
        "failed",
        "found",
        "token",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn an_anchor_made_only_of_common_words_is_rejected() {
    let error_of = |pattern: &str| check(pattern, &manifest_words()).unwrap_err().0;
    // Issue 10: built-in anchors were `from`, `flow`, `pull`, `exist`, `network`.
    for (pattern, anchor) in [
        ("Failed to acquire authorization token from SPN", "from"),
        ("Failed to acquire authorization token device flow", "flow"),
        ("because it does not exist", "exist"),
        ("failed with error", "error"),
        (r"not\x20found", "not found"),
        ("proxy network change", "network"),
    ] {
        assert_eq!(
            error_of(pattern),
            format!("pattern `{pattern}` is found by `{anchor}`, made only of common words"),
        );
    }
    // A word that is part of a common one fires wherever that one occurs.
    assert!(error_of("cannot exis").contains("found by `exis`"));
    // The manifest's words count as well as the engine's.
    let manifest: Vec<String> = vec!["refresh".into()];
    assert!(check("Failed to Run Pull Refresh", &none()).is_ok());
    assert_eq!(
        check("Failed to Run Pull Refresh", &manifest)
            .unwrap_err()
            .0,
        "pattern `Failed to Run Pull Refresh` is found by `failed`, made only of common words"
    );
    // All branches of an alternation are named.
    assert_eq!(
        error_of("(?:from|with) the"),
        "pattern `(?:from|with) the` is found by `from`, `with`, made only of common words"
    );
}

#[test]
fn a_rare_word_or_a_long_phrase_of_common_words_is_an_anchor() {
    let anchors = |p: &str| check(p, &manifest_words()).unwrap().anchors;
    assert_eq!(
        anchors(r"authorization token from\x20SPN"),
        [b"from spn"],
        "`spn` is rare; the space is written so the anchor can hold it"
    );
    assert_eq!(
        anchors(r"Agent is\x20not\x20connected"),
        [b"is not connected"]
    );
    assert_eq!(anchors(r"'\x20not\x20found"), [b"' not found"]);
    assert!(common::is_common(b"not found", &manifest_words()));
    assert!(
        !common::is_common(b"https_proxy", &none()),
        "`_` joins a word"
    );
    assert!(common::is_common(b"http proxy", &["http".into()]));
    assert!(
        !common::is_common(b"https proxy", &["https".into()]),
        "a phrase"
    );
    // The chooser takes a rare literal over an everyday one when the pattern has both, even
    // when the everyday one has more letters outside the manifest's words (`exist`, 5; `msi`, 3).
    let mut words = manifest_words();
    words.push("agent".into());
    let c = check(
        r"Cannot find path '[^']{0,300}Agent\.msi' because it does not exist",
        &words,
    );
    assert_eq!(c.unwrap().anchors, [b"agent.msi'"]);
}

#[test]
fn unless_patterns_follow_the_dialect_but_need_no_anchor() {
    assert!(check_unless(r"\[certStore\]|AADSTS\d{4,7}").is_ok());
    assert!(
        check_unless("40342").is_ok(),
        "no anchor of four letters is needed"
    );
    for pattern in [
        "(?s)a.{0,9}b",
        "foo.*",
        "^foo",
        "foo[^x]{0,9000}",
        "(unclosed",
        "",
    ] {
        assert!(check_unless(pattern).is_err(), "{pattern}");
    }
}

#[test]
fn a_repeated_word_is_an_anchor_but_not_part_of_its_neighbours() {
    // `(?:xyz){1,3}` may repeat, so `errorcodexyzfailed` is not in every match.
    let c = check("errorcode(?:xyz){1,3}failed", &none()).unwrap();
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
