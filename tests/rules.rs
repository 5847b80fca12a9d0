//! The rule corpus, checked as data: every rule's samples and near-misses, the benign corpus, and
//! the shape of the corpus itself. Adding a rule adds no code here.

use arc_triage::{Classifier, Kind, RuleSet, check_samples};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;
use common::{CAUSE_IDS, TABLE_ROWS};

/// The files of a test corpus folder, sorted; only those ending in `.ext` when given.
fn files_in(folder: &str, ext: Option<&str>) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{folder} is readable: {e}"))
        .map(|e| e.expect("readable").path())
        .filter(|p| ext.is_none_or(|ext| p.extension().is_some_and(|e| e == ext)))
        .collect();
    files.sort();
    files
}

fn classifier() -> Classifier {
    Classifier::builtin().expect("the built-in rules load")
}

/// Every `[[sample]]` must produce its rule first, with the right confidence, variant, fields
/// and highlighted evidence, then exactly the rules its `also` lists; every `[[near_miss]]` must
/// not produce its rule, and produces exactly its `also`. All failures are reported together.
#[test]
fn samples_and_near_misses_produce_exactly_what_they_declare() {
    let failures = check_samples(&classifier());
    let lines: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "\n{}\n", lines.join("\n"));
}

/// The built-in classifier compiles patterns on first use, so this is where a built-in pattern
/// that cannot compile (too large once built) would be caught.
#[test]
fn every_builtin_pattern_compiles() {
    let set = RuleSet::builtin().expect("the built-in rules load");
    if let Err(e) = Classifier::new(set) {
        panic!("{e}");
    }
}

/// Healthy output (successful onboarding, `azcmagent show`, endpoint checks...) must produce
/// no diagnosis at all.
#[test]
fn benign_corpus_yields_no_match() {
    let c = classifier();
    let files = files_in("tests/benign", None);
    assert!(
        files.len() >= 5,
        "the benign corpus is too small: {files:?}"
    );
    let mut failures = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let report = c.classify_bytes(&bytes);
        assert!(
            report.input.lines > 5,
            "{} is not a real log",
            path.display()
        );
        for d in &report.matches {
            failures.push(format!(
                "{}: matched `{}` at lines {:?}",
                path.display(),
                d.row.id,
                d.lines
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// The corpus is linted on load; this pins the properties the page and links rely on.
#[test]
fn corpus_shape() {
    let set = RuleSet::builtin().expect("valid");
    let ids: BTreeSet<&str> = set.rules.iter().map(|r| r.rule.id.as_str()).collect();
    assert_eq!(ids.len(), set.rules.len(), "ids are unique");
    for id in TABLE_ROWS.iter().chain(&CAUSE_IDS) {
        assert!(ids.contains(id), "the row `{id}` is public and must exist");
    }
    // A retired public id still answers, with the rows that replaced it.
    let windows = set
        .retired("azcm-install-windows")
        .expect("azcm-install-windows is retired, not forgotten");
    for id in &windows.replaced_by {
        assert!(
            ids.contains(id.as_str()),
            "{id} replaces azcm-install-windows"
        );
    }
    for r in &set.rules {
        assert!(
            r.file.starts_with("rules/") && r.file.ends_with(&format!("/{}.toml", r.rule.id)),
            "{} must live at rules/<group>/{}.toml",
            r.file,
            r.rule.id
        );
    }
}

/// A rule file on disk that breaks the format fails with a message naming the file, the rule and
/// the fix, and the CLI's `--check-rules` reports the same.
#[test]
fn rule_files_on_disk_match_the_embedded_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (path, content) in arc_triage::BUILTIN_FILES {
        let on_disk = std::fs::read_to_string(root.join(path)).expect("embedded files exist");
        assert_eq!(&on_disk, content, "{path} changed without a rebuild");
    }
}

/// A real (or documented variant) log from `tests/fixtures/`: its header says where it comes from
/// and which diagnoses a support engineer expects.
#[derive(Debug)]
struct Fixture {
    source: String,
    /// The first id must be ranked first; the others must be present.
    expect: Vec<String>,
    /// The log itself, header removed, line endings untouched.
    body: String,
}

/// Reads the header: leading `# source: ...`, `# expect: id[, id...]` and optional `# note: ...`
/// lines. Everything from the first other line on is the log.
fn parse_fixture(name: &str, text: &str) -> Result<Fixture, String> {
    let (mut source, mut expect) = (None, None);
    let mut rest = text;
    loop {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_end].trim_end_matches(['\r', '\n']);
        let Some((key, value)) = line
            .strip_prefix("# ")
            .and_then(|h| h.split_once(':'))
            .filter(|(k, _)| matches!(*k, "source" | "expect" | "note"))
        else {
            break;
        };
        let value = value.trim();
        match key {
            "source" => source = Some(value.to_string()),
            "expect" => {
                expect = Some(
                    value
                        .split(',')
                        .map(|id| id.trim().to_string())
                        .filter(|id| !id.is_empty())
                        .collect::<Vec<_>>(),
                )
            }
            _ => {}
        }
        rest = &rest[line_end..];
    }
    let source = source.filter(|s| !s.is_empty()).ok_or_else(|| {
        format!(
            "{name}: no `# source: <public URL or reference>` header line; every fixture says \
             where its text comes from"
        )
    })?;
    let expect = expect.filter(|e| !e.is_empty()).ok_or_else(|| {
        format!(
            "{name}: no `# expect: <rule-id>[, <rule-id>...]` header line; name the diagnosis a \
             support engineer would pick first, then any others that must be present"
        )
    })?;
    if rest.trim().is_empty() {
        return Err(format!("{name}: the fixture has headers but no log text"));
    }
    Ok(Fixture {
        source,
        expect,
        body: rest.to_string(),
    })
}

#[test]
fn fixture_headers_are_required() {
    let err = parse_fixture("x.log", "INFO    Exit Code:  AZCM0026: Network Error\n").unwrap_err();
    assert!(err.contains("# source:"), "{err}");
    let err = parse_fixture(
        "x.log",
        "# source: somewhere\nINFO    Exit Code:  AZCM0026\n",
    )
    .unwrap_err();
    assert!(err.contains("# expect:"), "{err}");
    let ok = parse_fixture(
        "x.log",
        "# source: somewhere\r\n# expect: azcm0026, tls-inspection\r\n# root prompt\r\n",
    )
    .unwrap();
    assert_eq!(ok.expect, ["azcm0026", "tls-inspection"]);
    assert_eq!(ok.source, "somewhere");
    assert_eq!(
        ok.body, "# root prompt\r\n",
        "only known header keys are header"
    );
}

/// Every fixture's expected diagnosis comes first and the other expected ones are present. The
/// fixtures are real excerpts from public reports (and variants of them), not written for the
/// rules, so this is the closest test of what users paste.
#[test]
fn fixtures_rank_the_expected_diagnosis_first() {
    let c = classifier();
    let files = files_in("tests/fixtures", Some("log"));
    assert!(files.len() >= 20, "too few fixtures: {files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(path).expect("fixtures are UTF-8");
        let fixture = match parse_fixture(&name, &text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        for id in &fixture.expect {
            if c.ruleset().get(id).is_none() {
                failures.push(format!("{name}: expects `{id}`, which is not a rule id"));
            }
        }
        let report = c.classify(&fixture.body);
        let got: Vec<String> = report
            .matches
            .iter()
            .map(|d| format!("{} ({:?})", d.row.id, d.confidence))
            .collect();
        if report.matches.first().map(|d| d.row.id.as_str()) != Some(fixture.expect[0].as_str()) {
            failures.push(format!(
                "{name} ({}): expected `{}` first, got [{}]",
                fixture.source,
                fixture.expect[0],
                got.join(", ")
            ));
        }
        for id in &fixture.expect[1..] {
            if !report.matches.iter().any(|d| &d.row.id == id) {
                failures.push(format!(
                    "{name}: expected `{id}` among the diagnoses, got [{}]",
                    got.join(", ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// A specific cause outranks the generic exit code it comes with; both are reported, and the
/// code's rank reason says why it is second. Real excerpts: MicrosoftDocs/azure-docs#109136
/// (Private Link Scope + AZCM0026) and the MSLAB cleanup write-up (ScopeLocked + AZCM0043).
#[test]
fn a_cause_outranks_the_exit_code_it_explains() {
    let c = classifier();
    let cases = [
        (
            "b1-private-link-scope-gpo.log",
            "private-link-scope-required",
            "azcm0026",
        ),
        ("c2-disconnect-scope-locked.log", "scope-locked", "azcm0043"),
        (
            "b3-tls-inspection-console.log",
            "tls-inspection",
            "azcm0026",
        ),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (file, cause, code) in cases {
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture exists");
        let fixture = parse_fixture(file, &text).expect("valid fixture");
        let report = c.classify(&fixture.body);
        let ids: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
        let pos = |id: &str| ids.iter().position(|i| *i == id);
        let (Some(cause_at), Some(code_at)) = (pos(cause), pos(code)) else {
            panic!("{file}: both `{cause}` and `{code}` must be reported, got {ids:?}");
        };
        assert_eq!(cause_at, 0, "{file}: the cause comes first, got {ids:?}");
        assert!(cause_at < code_at, "{file}: {ids:?}");
        let (cause_d, code_d) = (&report.matches[cause_at], &report.matches[code_at]);
        assert_eq!(
            (cause_d.row.kind, code_d.row.kind),
            (Kind::Cause, Kind::Code)
        );
        assert!(
            cause_d.rank_reason.contains("specific cause"),
            "{file}: {}",
            cause_d.rank_reason
        );
        assert!(
            code_d
                .rank_reason
                .contains("ranked below the specific cause"),
            "{file}: the code's rank reason must say why it is second: {}",
            code_d.rank_reason
        );
    }
}
