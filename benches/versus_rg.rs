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
//!
//! Where `npm run bench` also built the floor (`target/floor/release/arc-triage`, the CLI with the
//! Cargo feature `floor`: it confirms no candidate), the floor is timed against ripgrep too: what
//! reading, cleaning, joining records, decoding, the prefilter and the secret and onboarding
//! detectors cost before any pattern runs, which no way of confirming can take away.

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
    let floor = root.join("target/floor/release/arc-triage");
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
        let theirs = format!("rg -i -c -f {} {}", patterns.display(), log.display());
        let lines = output(&theirs);
        println!("{name}: rg counts {} matching lines", lines.trim());
        compare(
            name,
            &format!("{} --json {}", cli.display(), log.display()),
            &theirs,
        );
        if floor.exists() {
            let floor = format!("{} --json {}", floor.display(), log.display());
            let rg = compare(
                &format!("{name}, the floor (confirms nothing)"),
                &floor,
                &theirs,
            );
            let least = least_confirming(&rule_patterns(), &logs::generate(shape, SIZE));
            println!(
                "{name}, the least confirming can cost (which patterns match each matching line, one lazy DFA, in process): {:.3} s, {:.2}× rg",
                least,
                least / rg
            );
        }
    }
}

/// Prints `ours` against `theirs`: paired CPU where farm-bench is installed, else wall clock.
/// Returns their time in seconds.
fn compare(name: &str, ours: &str, theirs: &str) -> f64 {
    match farm_bench(ours, theirs) {
        Some((a, b, ratio)) => {
            println!("{name}: CLI {a} s CPU, rg {b} s CPU, CLI / rg {ratio}× (medians; paired)");
            b
        }
        None => {
            let (a, b) = (wall(ours), wall(theirs));
            println!(
                "{name}: CLI {a:.0} ms, rg {b:.0} ms wall (medians), {:.2}× (farm-bench not found: wall clock, not CPU)",
                a / b
            );
            b / 1e3
        }
    }
}

/// The least confirming can cost on `log`, in seconds (median of [`RUNS`]): one lazy DFA of
/// every rule pattern (the engine's dialect) says which patterns match each line that holds a
/// match, and nothing more: no line that matches nothing, no match's start or end (which
/// evidence, occurrence lines and fields need), no captured value, no record joined. The lines
/// are picked before timing; each run starts with empty working memory, as each input does in
/// the engine. regex-automata's lazy DFA is the engine that `regex` and ripgrep both use. It
/// reads every byte of those lines, where the engine reads windows around its anchors: on
/// these logs' lines of a few hundred bytes the two are close, on lines of many kilobytes with
/// short matches the engine could read less. Divided by ripgrep's whole-process CPU, which
/// includes reading the file, the ratio errs low.
fn least_confirming(patterns: &[String], log: &str) -> f64 {
    use regex_automata::hybrid::dfa::DFA;
    use regex_automata::util::syntax;
    use regex_automata::{Input, MatchKind, PatternSet, nfa::thompson};
    let dfa = DFA::builder()
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false),
        )
        .thompson(thompson::Config::new().utf8(false))
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(64 << 20),
        )
        .build_many(patterns)
        .expect("the rule patterns compile together");
    let mut set = PatternSet::new(dfa.pattern_len());
    let mut which = |cache: &mut regex_automata::hybrid::dfa::Cache, line: &str| {
        set.clear();
        (dfa.try_which_overlapping_matches(cache, &Input::new(line), &mut set))
            .expect("the lazy DFA may clear its states, never give up");
        set.len()
    };
    let mut cache = dfa.create_cache();
    let matching: Vec<&str> = (log.lines()).filter(|l| which(&mut cache, l) > 0).collect();
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let mut cache = dfa.create_cache();
            let found: usize = matching.iter().map(|l| which(&mut cache, l)).sum();
            assert!(found >= matching.len());
            // Its states fit: the time is not one of rebuilding them over and over.
            assert_eq!(
                cache.clear_count(),
                0,
                "64 MB of states are enough for these lines"
            );
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

/// Every rule pattern as the engine compiles it, one per line, in the form ripgrep accepts.
fn rg_patterns() -> String {
    let names = regex::Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("valid");
    let mut out = String::new();
    for prepared in rule_patterns() {
        out.push_str("(?-u)");
        out.push_str(&names.replace_all(&prepared, "(?:"));
        out.push('\n');
    }
    out
}

/// Every rule pattern as the engine compiles it ([`pattern::prepare`]).
fn rule_patterns() -> Vec<String> {
    let set = RuleSet::precompiled();
    (set.rules.iter())
        .flat_map(|loaded| &loaded.rule.patterns)
        .map(|p| pattern::prepare(&p.regex))
        .collect()
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

/// farm-bench's paired CPU medians (ours, theirs, their ratio) in seconds, or None where it is
/// not installed.
fn farm_bench(ours: &str, theirs: &str) -> Option<(f64, f64, f64)> {
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
            .and_then(|n| n.parse().ok())
    };
    Some((median("A cpu s")?, median("B cpu s")?, median("A/B cpu")?))
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
