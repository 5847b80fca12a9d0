//! One named test per example, each comparing the example's whole outcome with a reviewed
//! snapshot in `tests/snapshots/`:
//! - `sample::<rule-id>::<n>` and `near_miss::<rule-id>::<n>` for every rule's examples, which
//!   also must produce exactly what they declare (`check_samples`);
//! - `fixture::<stem>` for every `tests/fixtures/*.log`, which must produce exactly the ids of
//!   its `# expect:` header, in that order;
//! - `benign::<stem>` for every file in `tests/benign/`, which must produce no diagnosis.
//!
//! `cargo test -- spn-secret-expired` runs one rule's examples; `UPDATE_SNAPSHOTS=1 cargo test
//! --test examples` rewrites the snapshots, to be reviewed with `git diff tests/snapshots`.
//! Adding a rule, a fixture or a benign log adds no code here.

use arc_triage::{Classifier, SampleFailure, check_samples};
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[path = "common/fixture.rs"]
mod fixture;
#[path = "examples/outcome.rs"]
mod outcome;
#[path = "examples/snapshot.rs"]
mod snapshot;

use snapshot::Section;

fn classifier() -> &'static Classifier {
    static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();
    CLASSIFIER.get_or_init(|| Classifier::builtin().expect("the built-in rules load"))
}

/// Every example's declared-expectation failures, computed once for all the tests.
fn sample_failures() -> &'static [SampleFailure] {
    static FAILURES: OnceLock<Vec<SampleFailure>> = OnceLock::new();
    FAILURES.get_or_init(|| check_samples(classifier()))
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    // Which snapshot sections the examples own; any other section is stale.
    let mut owned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |trial: Trial, section: &Section| {
        owned
            .entry(section.file.clone())
            .or_default()
            .insert(section.title.clone());
        trials.push(trial);
    };
    for loaded in &classifier().ruleset().rules {
        let rule = &loaded.rule;
        let samples = rule.samples.iter().map(|s| ("sample", &s.text));
        let misses = rule.near_misses.iter().map(|m| ("near_miss", &m.text));
        let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
        for (kind, text) in samples.chain(misses) {
            let n = numbers.entry(kind).or_insert(0);
            *n += 1;
            let test = format!("{kind}::{}::{n}", rule.id);
            let section = Section {
                file: format!("rules/{}.snap", rule.id),
                header: format!(
                    "# What each example of {} produces (tests/examples.rs).",
                    loaded.file
                ),
                title: format!("{kind} {n}"),
                test: test.clone(),
            };
            let (file, text) = (loaded.file.clone(), text.clone());
            let trial_section = section.clone();
            add(
                Trial::test(test, move || rule_example(&file, &text, &trial_section)),
                &section,
            );
        }
    }
    for path in corpus("tests/fixtures", Some("log")) {
        let stem = stem(&path);
        let test = format!("fixture::{stem}");
        let section = Section {
            file: format!("fixtures/{stem}.snap"),
            header: format!("# What tests/fixtures/{stem}.log produces (tests/examples.rs)."),
            title: "outcome".into(),
            test: test.clone(),
        };
        let trial_section = section.clone();
        add(
            Trial::test(test, move || fixture(&path, &trial_section)),
            &section,
        );
    }
    for path in corpus("tests/benign", None) {
        let stem = stem(&path);
        let test = format!("benign::{stem}");
        let section = Section {
            file: format!("benign/{stem}.snap"),
            header: format!(
                "# How tests/benign/{} is read; it must produce no diagnosis (tests/examples.rs).",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            title: "outcome".into(),
            test: test.clone(),
        };
        let trial_section = section.clone();
        add(
            Trial::test(test, move || benign(&path, &trial_section)),
            &section,
        );
    }
    trials.push(Trial::test("snapshots::orphans", move || {
        let orphans = snapshot::orphans(&owned)?;
        if orphans.is_empty() || snapshot::updating() {
            return Ok(());
        }
        Err(format!(
            "snapshots no example produces (a rule renamed, an example removed):\n{}\n\
             Delete them with `UPDATE_SNAPSHOTS=1 cargo test --test examples -- --exact \
             snapshots::orphans`.",
            orphans.join("\n")
        )
        .into())
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// A sample or near-miss: it produces what it declares, and its outcome is the reviewed one.
fn rule_example(file: &str, text: &str, section: &Section) -> Result<(), Failed> {
    let mut problems: Vec<String> = sample_failures()
        .iter()
        .filter(|f| f.file == file && f.example == section.title)
        .map(|f| format!("{}: {}", f.example, f.problem))
        .collect();
    let report = classifier().classify(text);
    if let Err(e) = section.check(&outcome::render(&report)) {
        problems.push(e);
    }
    verdict(problems)
}

/// A real excerpt: it produces exactly the ids its header expects, in order.
fn fixture(path: &Path, section: &Section) -> Result<(), Failed> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let fixture = fixture::parse_fixture(&name, &text)?;
    let mut problems: Vec<String> = fixture
        .expect
        .iter()
        .filter(|id| classifier().ruleset().get(id).is_none())
        .map(|id| format!("`# expect:` names `{id}`, which is not a rule id"))
        .collect();
    let report = classifier().classify(&fixture.body);
    let got: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
    if got != fixture.expect {
        problems.push(format!(
            "{name} ({}): `# expect: {}`, but the log produces `{}`. The header lists every \
             diagnosis in rank order.",
            fixture.source,
            fixture.expect.join(", "),
            got.join(", ")
        ));
    }
    if let Err(e) = section.check(&outcome::render(&report)) {
        problems.push(e);
    }
    verdict(problems)
}

/// Healthy output: no diagnosis at all.
fn benign(path: &Path, section: &Section) -> Result<(), Failed> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    let report = classifier().classify_bytes(&bytes);
    let mut problems: Vec<String> = report
        .matches
        .iter()
        .map(|d| format!("{name}: matched `{}` at lines {:?}", d.row.id, d.lines))
        .collect();
    if report.input.lines <= 5 {
        problems.push(format!("{name} is not a real log (5 lines or fewer)"));
    }
    if let Err(e) = section.check(&outcome::render(&report)) {
        problems.push(e);
    }
    verdict(problems)
}

fn verdict(problems: Vec<String>) -> Result<(), Failed> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n\n").into())
    }
}

/// The files of a corpus folder, sorted; only those ending in `.ext` when given. An empty or
/// missing folder stops the run: the tests would pass by testing nothing.
fn corpus(folder: &str, ext: Option<&str>) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{folder} is readable: {e}"))
        .map(|e| e.expect("readable").path())
        .filter(|p| ext.is_none_or(|ext| p.extension().is_some_and(|e| e == ext)))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{folder} holds no examples");
    let stems: BTreeSet<String> = files.iter().map(|p| stem(p)).collect();
    assert_eq!(
        stems.len(),
        files.len(),
        "two files of {folder} share a name before the extension; their tests would too"
    );
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}
