//! `cargo bench --bench versus_rg`: the release CLI against ripgrep on the same patterns, for a
//! healthy and a retry-heavy log (issue 11: healthy ≤ 1.0× ripgrep's CPU, retry-heavy ≤ 3×).
//!
//! ripgrep gets every built-in rule pattern as the engine compiles it (the dialect's rewrite,
//! ASCII classes, case-insensitive), capture names removed because it joins the patterns into
//! one regex. It only counts matching lines; the CLI also decodes, joins wrapped records, reads
//! fields, builds evidence and ranks, so the ratio is what the whole answer costs over a search.
//! Whole processes are timed by `farm-bench` (CPU, paired runs) where it is installed; without
//! it the bench prints wall-clock medians of its own. Needs `target/release/arc-triage` built
//! (`npm run bench` builds it first) and `rg` on PATH.

use arc_triage::{RuleSet, pattern};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "shared/logs.rs"]
mod logs;
use logs::Shape;

const SIZE: usize = 50 << 20;
const RUNS: usize = 7;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli = root.join("target/release/arc-triage");
    if !cli.exists() {
        println!("versus rg: skipped, build the CLI first: cargo build --release --bin arc-triage");
        return;
    }
    if !runs("rg", &["--version"]) {
        println!("versus rg: skipped, ripgrep is not installed (Debian: apt-get install ripgrep)");
        return;
    }
    let dir = root.join("target/versus-rg");
    std::fs::create_dir_all(&dir).expect("target/versus-rg is writable");
    let patterns = dir.join("patterns.txt");
    std::fs::write(&patterns, rg_patterns()).expect("patterns written");
    println!(
        "\nCLI --json against rg -i -c -f patterns.txt ({} patterns), {} MB logs, {RUNS} paired runs",
        rg_patterns().lines().count(),
        SIZE >> 20
    );
    for (name, shape) in [
        ("healthy", Shape::Healthy),
        ("retry-heavy", Shape::RetryHeavy),
    ] {
        let log = dir.join(format!("{name}.log"));
        std::fs::write(&log, logs::generate(shape, SIZE)).expect("log written");
        let ours = format!("{} --json {}", cli.display(), log.display());
        let theirs = format!("rg -i -c -f {} {}", patterns.display(), log.display());
        let lines = output(&theirs);
        println!("{name}: rg counts {} matching lines", lines.trim());
        match farm_bench(&ours, &theirs) {
            Some(figures) => println!("{name}: {figures}"),
            None => {
                let (a, b) = (wall(&ours), wall(&theirs));
                println!(
                    "{name}: CLI {a:.0} ms, rg {b:.0} ms wall (medians), {:.2}× (farm-bench not found: wall clock, not CPU)",
                    a / b
                );
            }
        }
    }
}

/// Every rule pattern as the engine compiles it, one per line, in the form ripgrep accepts.
fn rg_patterns() -> String {
    let set = RuleSet::precompiled();
    let names = regex::Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("valid");
    let mut out = String::new();
    for loaded in &set.rules {
        for p in &loaded.rule.patterns {
            let prepared = pattern::prepare(&p.regex);
            out.push_str("(?-u)");
            out.push_str(&names.replace_all(&prepared, "(?:"));
            out.push('\n');
        }
    }
    out
}

fn words(command: &str) -> Command {
    let mut parts = command.split(' ');
    let mut c = Command::new(parts.next().expect("a program"));
    c.args(parts);
    c
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn output(command: &str) -> String {
    let out = words(command).output().expect("the command runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// farm-bench's paired CPU medians and ratio, or None where it is not installed.
fn farm_bench(ours: &str, theirs: &str) -> Option<String> {
    let out = Command::new("farm-bench")
        .args(["-n", &RUNS.to_string(), "--vs", theirs, "--"])
        .args(ours.split(' '))
        .output()
        .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let median = |label: &str| {
        text.lines()
            .find(|l| l.starts_with(label))
            .and_then(|l| l.split_whitespace().nth(label.split(' ').count() + 1))
            .map(str::to_owned)
    };
    Some(format!(
        "CLI {} s CPU, rg {} s CPU, CLI / rg {}× (medians; paired)",
        median("A cpu s")?,
        median("B cpu s")?,
        median("A/B cpu")?
    ))
}

fn wall(command: &str) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let out = words(command).stdout(Stdio::piped()).output();
            assert!(out.is_ok_and(|o| o.status.success()), "{command} failed");
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}
