//! `cargo bench --bench hostile`: the cost per byte of crafted text beside a real log's (issue
//! 10). Each shape is the worst found for one cost of the pipeline; the figure to watch is how
//! many times slower than the real log it is (the README states the bound). The shapes are also
//! written to `target/hostile/` for the browser half of `npm run bench`.

use arc_triage::Classifier;
use std::time::{Duration, Instant};

#[path = "shared/logs.rs"]
#[allow(dead_code, reason = "this bench times the healthy log only")]
mod logs;

const SIZE: usize = 4 << 20;

/// A small deterministic generator, so every run times the same text.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = (self.0)
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    fn pick(&mut self, from: &[u8], n: u64) -> String {
        (0..n)
            .map(|_| from[self.below(from.len() as u64) as usize] as char)
            .collect()
    }
}

fn repeat_until(size: usize, mut next: impl FnMut() -> String) -> String {
    let mut out = String::with_capacity(size + 70_000);
    while out.len() < size {
        out.push_str(&next());
    }
    out
}

/// 60 KB entries of overlapping `https://` fragments ending in tls-inspection's phrase: every
/// fragment starts its counted gaps again (0.1 MB/s before the matcher had a budget).
fn tls(rng: &mut Rng) -> String {
    repeat_until(SIZE, || {
        let mut body = String::new();
        while body.len() < 60_000 {
            let host = 4 + rng.below(36);
            let path = rng.below(60);
            body.push_str(&format!(
                "https://{}{}",
                rng.pick(b"abc.-", host),
                rng.pick(b"/?=&x", path)
            ));
        }
        format!("level=error msg=\"{body} x509: certificate signed by unknown authority\"\n")
    })
}

/// The device-flow phrases a few bytes apart, the error they wait for 500 bytes on.
fn device_flow(rng: &mut Rng) -> String {
    let phrases = [
        "Device Authorization Code",
        "authorization token device flow",
    ];
    repeat_until(SIZE, || {
        let mut body = String::new();
        while body.len() < 60_000 {
            let gap = rng.below(30);
            body.push_str(phrases[rng.below(2) as usize]);
            body.push_str(&rng.pick(b"abcdefgh", gap));
            body.push(' ');
        }
        format!(
            "time=\"x\" level=error msg=\"{body} {} network is unreachable\"\n",
            "z".repeat(500)
        )
    })
}

/// Every AZCM code on every line: dozens of rules match each record.
fn all_codes() -> String {
    let codes: Vec<String> = (1..=157).map(|c| format!("AZCM{c:04}")).collect();
    let line = format!("VERBOSE: E {}\n", codes.join(" "));
    repeat_until(SIZE, || line.clone())
}

/// One line per entry holding every built-in pattern's anchor: every pattern runs on every
/// entry.
fn anchors(classifier: &Classifier) -> String {
    let mut words: Vec<String> = Vec::new();
    for rule in &classifier.ruleset().rules {
        for facts in &rule.checked {
            for anchor in &facts.anchors {
                words.push(String::from_utf8_lossy(anchor).into_owned());
            }
        }
    }
    let line = format!("level=error {}\n", words.join(" "));
    repeat_until(SIZE, || line.clone())
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let classifier = Classifier::builtin().expect("the built-in rules load");
    let mut rng = Rng(7);
    let shapes = [
        (
            "real log (the baseline)",
            logs::generate(logs::Shape::Healthy, SIZE),
        ),
        ("tls: 60 KB entries of https:// fragments", tls(&mut rng)),
        (
            "device flow: phrases every few bytes",
            device_flow(&mut rng),
        ),
        ("every AZCM code on every line", all_codes()),
        ("every rule's anchor on every line", anchors(&classifier)),
    ];
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/hostile");
    std::fs::create_dir_all(&out).expect("target/hostile");
    println!("\nnative, crafted text beside a real log (medians of 5, one classify_bytes each)");
    let mut real_rate = 0.0;
    for (i, (label, text)) in shapes.iter().enumerate() {
        std::fs::write(out.join(format!("{i}.log")), text).expect("a shape file");
        let mut notes = 0;
        let times = (0..5)
            .map(|_| {
                let start = Instant::now();
                notes = std::hint::black_box(classifier.classify_bytes(text.as_bytes()))
                    .notes
                    .len();
                start.elapsed()
            })
            .collect();
        let ms = median(times).as_secs_f64() * 1000.0;
        let rate = text.len() as f64 / (1 << 20) as f64 / (ms / 1000.0);
        if i == 0 {
            real_rate = rate;
        }
        println!(
            "{label:<44} {:5.1} MB {ms:8.1} ms {rate:7.1} MB/s  {:5.1}x slower{}",
            text.len() as f64 / (1 << 20) as f64,
            real_rate / rate,
            if notes > 0 {
                "  (a note says what was skipped)"
            } else {
                ""
            }
        );
    }
}
