//! `cargo bench`: classification throughput on a generated 10 MB azcmagent-style log.
//!
//! Prints the median of several runs for the classifier, for start-up (rules parsed and checked;
//! the built-in patterns compile on first use), and for a naive baseline (every line against a `RegexSet` of every pattern) so the
//! design's gain is visible. Numbers are for this machine's native build; the browser figures
//! come from `npm run bench`.

use arc_triage::{Classifier, RuleSet};
use std::time::{Duration, Instant};

const TARGET: usize = 10 << 20;
/// How much of the log the naive baseline reads.
const NAIVE_BYTES: usize = 256 << 10;

/// A log that looks like a long, noisy verbose connect with retries: debug chatter, escaped JSON
/// bodies, colour codes, and a few real failures near the end.
fn generate() -> String {
    let lines = [
        r#"time="2022-09-30T10:04:14Z" level=debug msg="Checking connectivity to https://westeurope-gas.guestconfiguration.azure.com, proxy status: proxy is not used""#,
        r#"time="2022-09-30T10:04:14Z" level=debug msg="https://management.azure.com is available, using cryptographic protocol: TLS 1.2""#,
        r#"time="2022-09-30T10:04:16Z" level=debug msg="Get ARM Resource Response" Body="{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource 'Microsoft.HybridCompute/machines/web01' under resource group 'rg' was not found.\"}}" Status Code=404"#,
        r#"time="2022-09-30T10:04:17Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/11b51d59-1e28-4716-88b3-a00dbfaa4440/status?api-version=2021-01-28""#,
        "\u{1b}[36mDEBU\u{1b}[0m[0031] Successfully acquired Authorization Token",
        "INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.",
        r#"time="2022-09-30T10:04:09Z" level=debug msg="Validating HTTP response. getting a non-200 response (404 Not Found)" Endpoint="http://169.254.169.254/metadata/instance/compute?api-version=2019-06-01""#,
        r#"time="2022-09-30T10:04:18Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable""#,
    ];
    let mut out = String::with_capacity(TARGET + 4096);
    let mut i = 0usize;
    while out.len() < TARGET {
        // Mostly chatter; one retry error every 500 lines.
        let line = if i % 500 == 499 {
            lines[7]
        } else {
            lines[i % 7]
        };
        out.push_str(line);
        out.push('\n');
        i += 1;
    }
    out.push_str(r#"time="2022-09-30T10:09:41Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'""#);
    out.push('\n');
    out
}

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
    let log = generate();
    let bytes = log.len();
    let (startup, classifier) = time(5, || Classifier::builtin().expect("rules load"));
    let (classify, report) = time(9, || classifier.classify(&log));
    let (classify_bytes, _) = time(9, || classifier.classify_bytes(log.as_bytes()));
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
        "start-up (rules parsed and checked):    {:>8.2} ms  (patterns compile on first use)",
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
        "naive baseline (RegexSet per line):     {:>8.2} ms  {:>7.1} MB/s  (first {} KB)",
        naive.as_secs_f64() * 1e3,
        mb_per_s(NAIVE_BYTES, naive),
        NAIVE_BYTES >> 10
    );
}
