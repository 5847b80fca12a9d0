//! What one rule file may cite, date and vary, checked at the edges.

use super::*;
use crate::ruleset::tests::{MANIFEST_OK, load, rule};

#[test]
fn a_source_url_needs_a_dotted_host_and_no_spaces() {
    assert!(is_source("https://a.bc"));
    assert!(is_source("https://learn.microsoft.com/azure/azure-arc"));
    assert!(!is_source("https://a.b"), "three characters are too few");
    assert!(!is_source("https://abcd"), "no dot: not a host");
    assert!(!is_source("https://learn microsoft.com"));
    assert!(!is_source("http://learn.microsoft.com"));
}

#[test]
fn a_source_reference_is_owner_slash_repo_hash_number() {
    assert!(is_source("MicrosoftDocs/azure-docs#123"));
    assert!(is_source("a_b/c.d#1"));
    for bad in [
        "/azure-docs#1",
        "MicrosoftDocs/#1",
        "Microsoft Docs/azure-docs#1",
        "MicrosoftDocs/azure docs#1",
        "MicrosoftDocs/azure-docs#",
        "MicrosoftDocs/azure-docs#12a",
        "MicrosoftDocs-azure-docs#1",
        "MicrosoftDocs/azure-docs",
    ] {
        assert!(!is_source(bad), "{bad}");
    }
}

#[test]
fn checked_is_a_real_month_or_day_with_exact_digit_counts() {
    assert!(is_month_or_day("2026-11"));
    assert!(is_month_or_day("2026-11-26"));
    assert!(is_month_or_day("2026-01-01"));
    assert!(is_month_or_day("2026-12-31"));
    for bad in [
        "2026",
        "2026-11-26-01",
        "20x6-11",
        "2026-1x",
        "2026-1",
        "2026-11-2",
        "2026-11-2x",
        "26-11",
        "2026-00",
        "2026-13",
        "2026-11-00",
        "2026-11-32",
        "",
    ] {
        assert!(!is_month_or_day(bad), "{bad}");
    }
}

/// The problem a rule with this `[[variant]]` is refused for, or `None` if it loads.
fn variant_problem(title: &str, cause: &str, solution: &str) -> Option<String> {
    let variant = format!(
        "[[variant]]\nid = \"on-linux\"\ntitle = \"{title}\"\ncause = \"{cause}\"\nsolution = \
         \"{solution}\"\n"
    );
    match load(&[
        ("rules/ruleset.toml", MANIFEST_OK),
        ("rules/a-rule.toml", &rule("a-rule", &variant)),
    ]) {
        Ok(_) => None,
        Err(Error::Rule { problem, .. }) => Some(problem),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn a_variant_title_is_one_short_line() {
    let long_title = "variant `on-linux` has an empty title or one over 90 characters";
    assert_eq!(variant_problem(&"t".repeat(90), "Why.", "Do."), None);
    assert_eq!(
        variant_problem(&"t".repeat(91), "Why.", "Do.").as_deref(),
        Some(long_title)
    );
    assert_eq!(
        variant_problem(" ", "Why.", "Do.").as_deref(),
        Some(long_title)
    );
}

#[test]
fn a_variant_needs_both_a_cause_and_a_solution() {
    let missing = Some("variant `on-linux` has no cause or solution");
    assert_eq!(variant_problem("T", "Why.", " ").as_deref(), missing);
    assert_eq!(variant_problem("T", " ", "Do.").as_deref(), missing);
    assert_eq!(variant_problem("T", "Why.", "Do."), None);
}
