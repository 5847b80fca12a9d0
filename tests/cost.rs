//! A bounded cost per byte (issue 10). Crafted records that used to make matching 1,000 times
//! slower than a real log now make a pattern run out of its budget of DFA states: the record is
//! skipped for that pattern, a note names the rule and the line, and every other record is
//! checked as before. And the new matcher finds exactly what the `regex` crate found, on every
//! rule's samples and near misses, whole and run together.

use arc_triage::{Classifier, MAX_GIVE_UPS, Matcher, Report, pattern};
use proptest::prelude::*;
use std::ops::Range;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules compile"))
}

/// A 60 KB log entry of overlapping `https://` fragments (the counted gaps of tls-inspection's
/// patterns start at each one), then the phrase that pattern ends with, `repeats` times: the
/// shape of the security review's `adv-builtin-tls.txt`. Said once, only the text the pattern
/// can reach from the phrase is searched; said more times than the prefilter lists (32), the
/// whole entry is, and the search runs out of budget.
fn crafted_tls_record(seed: u64) -> String {
    crafted_tls(seed, 40)
}

fn crafted_tls(seed: u64, repeats: usize) -> String {
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
    let phrase = " x509: certificate signed by unknown authority".repeat(repeats);
    format!("level=error msg=\"{body}{phrase}\"\n")
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
fn a_crafted_entry_whose_anchor_occurs_once_is_checked_near_it() {
    let log = crafted_tls(1, 1) + REAL_TLS;
    let report = classifier().classify(&log);
    assert_eq!(ids(&report), ["tls-inspection"]);
    // The pattern that names it searched only the kilobyte its reach allows before the
    // phrase, so the crafted entry is checked and found; another of the rule's patterns
    // reaches further back and still runs out there.
    assert_eq!(report.matches[0].lines, [1, 2], "both entries are checked");
    assert_eq!(report.notes.len(), 1);
    assert!(report.notes[0].contains("tls-inspection (1 entry, the first at line 1)"));
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
/// matcher, with its anchors (none for an `unless` pattern).
struct Both {
    reference: regex::bytes::Regex,
    matcher: arc_triage::Matcher,
    anchors: Vec<Vec<u8>>,
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
        let anchors = pattern::check(source, &[]).map_or(Vec::new(), |facts| facts.anchors);
        Both {
            reference,
            matcher,
            anchors,
        }
    }

    /// The matches and captured values `(start, end, values)`, as the `regex` crate finds them,
    /// as the matcher does on the whole text, and as it does near the anchors only.
    fn find(&self, hay: &[u8]) -> (Found, Found, Option<Found>) {
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
        let run = |anchors: Option<&[Range<usize>]>| {
            let mut cache = self.matcher.cache();
            let mut spans = Vec::new();
            (self.matcher)
                .matches(&mut cache, hay, anchors, &mut spans)
                .unwrap();
            (spans.into_iter())
                .map(|whole| {
                    let captures = self.matcher.captures(&mut cache, hay, whole);
                    let values = (names.iter())
                        .map(|n| captures.get_group_by_name(n).map(|s| hay[s].to_vec()))
                        .collect();
                    (whole.start, whole.end, values)
                })
                .collect()
        };
        let near = (!self.anchors.is_empty()).then(|| run(Some(&sites(hay, &self.anchors))));
        (expected, run(None), near)
    }
}

/// Every place one of `anchors` occurs in `hay`, ignoring ASCII case, in order of start, as
/// the prefilter reports them.
fn sites(hay: &[u8], anchors: &[Vec<u8>]) -> Vec<Range<usize>> {
    let lower = hay.to_ascii_lowercase();
    let mut all: Vec<Range<usize>> = anchors
        .iter()
        .flat_map(|a| {
            (0..lower.len().saturating_sub(a.len() - 1))
                .filter(|&i| lower[i..].starts_with(a))
                .map(|i| i..i + a.len())
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort_by_key(|r| (r.start, r.end));
    all
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
            let (expected, found, near) = both.find(text.as_bytes());
            assert_eq!(found, expected, "pattern {source} on {text:?}");
            if let Some(near) = near {
                assert_eq!(
                    near, expected,
                    "pattern {source} near its anchors in {text:?}"
                );
            }
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
        let (expected, found, near) = Both::new(&patterns[pattern % patterns.len()]).find(hay.as_bytes());
        prop_assert_eq!(&found, &expected);
        if let Some(near) = near {
            prop_assert_eq!(near, expected);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A rule's own samples, cut and run together with runs of whitespace between them (which
    /// widen the windows searched near each anchor): every pattern of the rule finds near its
    /// anchors what it finds in the whole text.
    #[test]
    fn near_the_anchors_a_rule_finds_what_it_finds_everywhere(
        rule in 0usize..10_000,
        picks in prop::collection::vec((0usize..100, 0usize..200, 0usize..6), 1..8),
    ) {
        let set = classifier().ruleset();
        let rule = &set.rules[rule % set.rules.len()].rule;
        let samples: Vec<&str> = rule.samples.iter().map(|s| s.text.as_str()).collect();
        let mut hay = String::new();
        for (pick, cut, joint) in picks {
            let text = samples[pick % samples.len()];
            let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            hay.push_str(if pick % 3 == 0 { &text[cut..] } else { text });
            hay.push_str(["", " ", "\n", "   \t   \n   ", "x", "\r\n  \r\n"][joint]);
        }
        for p in &rule.patterns {
            let (expected, _, near) = Both::new(&p.regex).find(hay.as_bytes());
            prop_assert_eq!(near, Some(expected), "{}", p.regex);
        }
    }
}

/// Text naming every rule (each pattern's anchors on one line), then every sample: it needs
/// nearly every pattern compiled.
fn every_anchor_then_every_sample(classifier: &Classifier) -> String {
    let mut words: Vec<String> = Vec::new();
    for rule in &classifier.ruleset().rules {
        for facts in &rule.checked {
            words.extend(
                facts
                    .anchors
                    .iter()
                    .map(|a| String::from_utf8_lossy(a).into()),
            );
        }
    }
    let mut text = format!("level=error {}\n", words.join(" "));
    for sample in texts() {
        text.push_str(sample);
        text.push('\n');
    }
    text
}

#[test]
fn with_a_compile_limit_no_call_compiles_more_and_the_answer_is_the_same() {
    let expected = classifier().classify(&every_anchor_then_every_sample(classifier()));
    // A classifier of its own: nothing compiled yet.
    let fresh = Classifier::builtin().unwrap();
    let text = every_anchor_then_every_sample(&fresh);
    let mut session = fresh.text_session();
    session.scan_every(16 << 10);
    session.compile_at_most(3);
    // One small paste too: everything waits for the end.
    let small = Classifier::builtin().unwrap();
    let paste = every_anchor_then_every_sample(&small)[..4000].to_string();
    let mut one = small.text_session();
    one.compile_at_most(3);
    one.feed(paste.as_bytes());
    let mut ends = 0;
    while one.end() {
        ends += 1;
    }
    assert!(ends > 50, "{ends}");
    assert_eq!(
        serde_json::to_string(&one.finish()).unwrap(),
        serde_json::to_string(&classifier().classify(&paste)).unwrap()
    );
    let mut calls = 0;
    let mut before = fresh.compiled_patterns();
    let mut check = |now: usize| {
        assert!(
            now - before <= 3,
            "{} patterns compiled in one call",
            now - before
        );
        before = now;
        calls += 1;
    };
    for piece in text.as_bytes().chunks(16 << 10) {
        session.feed(piece);
        check(fresh.compiled_patterns());
        while session.settle() {
            check(fresh.compiled_patterns());
        }
        check(fresh.compiled_patterns());
    }
    // The last record, and what waits for patterns, within the limit too.
    while session.end() {
        check(fresh.compiled_patterns());
    }
    check(fresh.compiled_patterns());
    assert!(
        fresh.compiled_patterns() > 250,
        "{}",
        fresh.compiled_patterns()
    );
    assert!(calls > 80, "{calls} calls");
    let report = session.finish();
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    assert!(report.matches.len() > 100, "{}", report.matches.len());
}

#[test]
fn records_waiting_for_patterns_are_scanned_by_the_next_feed_or_by_finish() {
    let expected = classifier().classify(&every_anchor_then_every_sample(classifier()));
    let fresh = Classifier::builtin().unwrap();
    let text = every_anchor_then_every_sample(&fresh);
    let mut session = fresh.text_session();
    session.scan_every(1 << 10);
    session.compile_at_most(1);
    for piece in text.as_bytes().chunks(4 << 10) {
        session.feed(piece); // and never settle
    }
    assert!(
        fresh.compiled_patterns() < 100,
        "{}",
        fresh.compiled_patterns()
    );
    let report = session.finish();
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}
