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
