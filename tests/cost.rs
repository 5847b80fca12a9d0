//! A bounded cost per byte (issue 10). Crafted records that used to make matching 1,000 times
//! slower than a real log now make a pattern run out of its budget of DFA states: the record is
//! skipped for that pattern, a note names the rule and the line, and every other record is
//! checked as before. And the new matcher finds exactly what the `regex` crate found, on every
//! rule's samples and near misses, whole and run together.

use arc_triage::{Classifier, MAX_GIVE_UPS, Matcher, Report, pattern};
use proptest::prelude::*;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules compile"))
}

/// A 60 KB log entry of overlapping `https://` fragments (the counted gaps of tls-inspection's
/// patterns start at each one), then the phrase that pattern ends with: the shape of the
/// security review's `adv-builtin-tls.txt`.
fn crafted_tls_record(seed: u64) -> String {
    let mut state = seed;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut body = String::new();
    while body.len() < 60_000 {
        body.push_str("https://");
        for _ in 0..4 + next(36) {
            body.push(b"abc.-"[next(5) as usize] as char);
        }
        for _ in 0..next(60) {
            body.push(b"/?=&x"[next(5) as usize] as char);
        }
    }
    format!("level=error msg=\"{body} x509: certificate signed by unknown authority\"\n")
}

const REAL_TLS: &str = "time=\"2024-03-01T10:00:00Z\" level=fatal msg=\"Failed to get \
    token\" Error=\"Post https://login.microsoftonline.com/x/oauth2/token: x509: certificate \
    signed by unknown authority\"\n";

fn ids(report: &Report) -> Vec<&str> {
    report.matches.iter().map(|d| d.row.id.as_str()).collect()
}

#[test]
fn a_crafted_entry_is_skipped_for_its_rule_and_said_so_and_the_next_real_one_is_found() {
    let log = crafted_tls_record(1) + REAL_TLS;
    let report = classifier().classify(&log);
    assert_eq!(ids(&report), ["tls-inspection"]);
    assert_eq!(
        report.matches[0].lines,
        [2],
        "the real entry, not the crafted one"
    );
    assert_eq!(
        report.notes,
        [
            "Some log entries were not checked against every rule, because matching them would \
          have taken too long: tls-inspection (1 entry, the first at line 1). Text like this \
          (thousands of repeated phrases or addresses in one entry) is rarely a real log; \
          everything else was checked."
        ]
    );
}

#[test]
fn a_pattern_that_gives_up_again_and_again_stops_running_on_that_input_only() {
    let mut log = String::new();
    for seed in 0..MAX_GIVE_UPS as u64 + 2 {
        log.push_str(&crafted_tls_record(seed));
    }
    log.push_str(REAL_TLS);
    let report = classifier().classify(&log);
    // Spent after MAX_GIVE_UPS entries: the rest, the real one included, is not checked
    // against it, and the note counts every entry skipped.
    assert_eq!(ids(&report), Vec::<&str>::new());
    let skipped = MAX_GIVE_UPS + 3;
    assert!(
        report.notes[0].contains(&format!(
            "tls-inspection ({skipped} entries, the first at line 1)"
        )),
        "{:?}",
        report.notes
    );
    // The next input starts afresh.
    assert_eq!(ids(&classifier().classify(REAL_TLS)), ["tls-inspection"]);
}

#[test]
fn real_logs_never_run_out_of_budget() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut checked = 0;
    let mut all = Vec::new();
    for dir in ["fixtures", "benign", "examples", "data", "reference"] {
        for entry in std::fs::read_dir(format!("{root}/tests/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let report = classifier().classify_bytes(&bytes);
            assert!(
                !report.notes.iter().any(|n| n.contains("taken too long")),
                "{}: {:?}",
                path.display(),
                report.notes
            );
            checked += 1;
            if std::str::from_utf8(&bytes).is_ok() {
                all.extend_from_slice(&bytes);
                all.push(b'\n');
            }
        }
    }
    assert!(checked > 60, "{checked} files");
    // All of them as one input, and every sample after them: the states one record builds
    // add up over a long input, and must not count against a later record.
    for text in texts() {
        all.extend_from_slice(text.as_bytes());
        all.push(b'\n');
    }
    let report = classifier().classify_bytes(&all);
    assert!(
        !report.notes.iter().any(|n| n.contains("taken too long")),
        "{:?}",
        report.notes
    );
}

/// Every rule's samples and near misses, as the texts a pattern runs on.
fn texts() -> &'static [String] {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| {
        let set = classifier().ruleset();
        set.rules
            .iter()
            .flat_map(|r| {
                let samples = r.rule.samples.iter().map(|s| s.text.clone());
                samples.chain(r.rule.near_misses.iter().map(|n| n.text.clone()))
            })
            .collect()
    })
}

type Found = Vec<(usize, usize, Vec<Option<Vec<u8>>>)>;

/// A pattern compiled by the `regex` crate (the engine the matcher replaced) and as the
/// matcher.
struct Both {
    reference: regex::bytes::Regex,
    matcher: arc_triage::Matcher,
}

impl Both {
    fn new(source: &str) -> Both {
        let reference = regex::bytes::RegexBuilder::new(&pattern::prepare(source))
            .case_insensitive(true)
            .unicode(false)
            .size_limit(1 << 20)
            .build()
            .unwrap();
        let matcher = Matcher::for_pattern(source).unwrap();
        Both { reference, matcher }
    }

    /// The matches and captured values `(start, end, values)`, as the `regex` crate finds them
    /// and as the matcher does.
    fn find(&self, hay: &[u8]) -> (Found, Found) {
        let names: Vec<&str> = self.reference.capture_names().flatten().collect();
        let expected = (self.reference.captures_iter(hay))
            .map(|c| {
                let m = c.get(0).unwrap();
                let values = (names.iter())
                    .map(|n| c.name(n).map(|v| v.as_bytes().to_vec()))
                    .collect();
                (m.start(), m.end(), values)
            })
            .collect();
        let mut cache = self.matcher.cache();
        let mut found = Vec::new();
        (self.matcher)
            .matches(&mut cache, hay, |whole, group| {
                let values = names
                    .iter()
                    .map(|n| group(n).map(|s| hay[s].to_vec()))
                    .collect();
                found.push((whole.start, whole.end, values));
            })
            .unwrap();
        (expected, found)
    }
}

fn all_patterns() -> Vec<String> {
    let set = classifier().ruleset();
    let mut all: Vec<String> = set
        .rules
        .iter()
        .flat_map(|r| r.rule.patterns.iter())
        .flat_map(|p| std::iter::once(p.regex.clone()).chain(p.unless.clone()))
        .collect();
    all.extend(set.manifest.exit_codes.iter().map(|p| p.regex.clone()));
    all
}

#[test]
fn the_matcher_finds_what_the_regex_crate_finds_on_every_sample() {
    let patterns = all_patterns();
    assert!(patterns.len() > 200, "{}", patterns.len());
    for source in &patterns {
        let both = Both::new(source);
        for text in texts() {
            let (expected, found) = both.find(text.as_bytes());
            assert_eq!(found, expected, "pattern {source} on {text:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Samples run together, cut and repeated, so matches sit next to each other, overlap
    /// their candidates and end at the text's edges.
    #[test]
    fn the_matcher_finds_what_the_regex_crate_finds_on_samples_run_together(
        picks in prop::collection::vec((0usize..10_000, 0usize..400, 0usize..3), 1..6),
        pattern in 0usize..10_000,
    ) {
        let patterns = all_patterns();
        let texts = texts();
        let mut hay = String::new();
        for (pick, cut, joint) in picks {
            let text = &texts[pick % texts.len()];
            let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            hay.push_str(&text[cut..]);
            hay.push_str(["", " ", "\n"][joint]);
        }
        let (expected, found) = Both::new(&patterns[pattern % patterns.len()]).find(hay.as_bytes());
        prop_assert_eq!(found, expected);
    }
}
