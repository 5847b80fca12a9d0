//! `cargo bench`: classification throughput on a generated 10 MB azcmagent-style log.
//!
//! Prints the median of several runs for the classifier (a healthy and a retry-heavy log), for
//! start-up (the precompiled rules; the built-in patterns compile on first use), and for a naive
//! baseline (every line against a `RegexSet` of every pattern) so the design's gain is visible. Numbers are for this machine's native build; the browser figures
//! come from `npm run bench`.

use arc_triage::{Classifier, RuleSet};
use std::time::{Duration, Instant};

#[path = "shared/logs.rs"]
mod logs;
use logs::Shape;

const TARGET: usize = 10 << 20;
/// How much of the log the naive baseline reads.
const NAIVE_BYTES: usize = 256 << 10;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = None;
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(start.elapsed());
    }
    (median(times), last.expect("runs > 0"))
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / (1 << 20) as f64 / d.as_secs_f64()
}

fn main() {
    let log = logs::generate(Shape::Healthy, TARGET);
    let bytes = log.len();
    let (startup, classifier) = time(5, || Classifier::precompiled().expect("rules load"));
    let (classify, report) = time(9, || classifier.classify(&log));
    let (classify_bytes, _) = time(9, || classifier.classify_bytes(log.as_bytes()));
    assert_eq!(report.matches[0].row.id, "provider-not-registered");
    let retries = logs::generate(Shape::RetryHeavy, TARGET);
    let (retry_heavy, report) = time(5, || classifier.classify(&retries));
    assert_eq!(report.matches[0].row.id, "provider-not-registered");

    // The naive design: every line against every pattern at once.
    let set = RuleSet::builtin().expect("rules load");
    let patterns: Vec<String> = set
        .rules
        .iter()
        .flat_map(|r| {
            r.rule
                .patterns
                .iter()
                .map(|p| arc_triage::pattern::prepare(&p.regex))
        })
        .collect();
    let regex_set = regex::bytes::RegexSetBuilder::new(&patterns)
        .case_insensitive(true)
        .unicode(false)
        .build()
        .expect("patterns compile");
    // With every pattern in one set, the lazy DFA's cache thrashes: the naive design is so slow
    // that it is timed on the log's first 256 KB (its rate does not depend on the length).
    let prefix = &log.as_bytes()[..NAIVE_BYTES];
    let (naive, hits) = time(3, || {
        prefix
            .split(|b| *b == b'\n')
            .filter(|line| regex_set.is_match(line))
            .count()
    });
    assert!(hits > 0);

    println!(
        "input: {:.1} MB, {} lines, {} rules",
        bytes as f64 / (1 << 20) as f64,
        report.input.lines,
        set.rules.len()
    );
    println!(
        "start-up (precompiled rules):           {:>8.2} ms  (patterns compile on first use)",
        startup.as_secs_f64() * 1e3
    );
    println!(
        "classify(&str):                         {:>8.2} ms  {:>7.0} MB/s",
        classify.as_secs_f64() * 1e3,
        mb_per_s(bytes, classify)
    );
    println!(
        "classify_bytes (encoding detection):    {:>8.2} ms  {:>7.0} MB/s",
        classify_bytes.as_secs_f64() * 1e3,
        mb_per_s(bytes, classify_bytes)
    );
    println!(
        "classify(&str), retry-heavy log:        {:>8.2} ms  {:>7.0} MB/s  (six lines in eight are errors)",
        retry_heavy.as_secs_f64() * 1e3,
        mb_per_s(retries.len(), retry_heavy)
    );
    println!(
        "naive baseline (RegexSet per line):     {:>8.2} ms  {:>7.1} MB/s  (first {} KB)",
        naive.as_secs_f64() * 1e3,
        mb_per_s(NAIVE_BYTES, naive),
        NAIVE_BYTES >> 10
    );
}
