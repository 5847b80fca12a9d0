//! The shape of the rule corpus, the fixture header format, and the cause-before-code ranking on
//! real excerpts. Every example, fixture and benign log has its own named test in examples.rs.

use arc_triage::{Classifier, Kind, RuleSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;
#[path = "common/fixture.rs"]
mod fixture;
use common::{CAUSE_IDS, table_rows};
use fixture::parse_fixture;

fn classifier() -> Classifier {
    Classifier::builtin().expect("the built-in rules load")
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

/// The corpus is linted on load; this pins the properties the page and links rely on.
#[test]
fn corpus_shape() {
    let set = RuleSet::builtin().expect("valid");
    let ids: BTreeSet<&str> = set.rules.iter().map(|r| r.rule.id.as_str()).collect();
    let rows = table_rows();
    for id in rows.iter().map(|r| r.id.as_str()).chain(CAUSE_IDS) {
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

/// Ids are public and unique; the loader refuses a second rule with an id already taken, even
/// in another folder (where the file-name check cannot see it; table/ has folder defaults too).
#[test]
fn the_loader_refuses_a_duplicate_id() {
    let (_, scope_locked) = arc_triage::BUILTIN_FILES
        .iter()
        .find(|(path, _)| path.ends_with("/scope-locked.toml"))
        .expect("scope-locked is a built-in rule");
    let files = arc_triage::BUILTIN_FILES
        .iter()
        .copied()
        .chain([("rules/table/scope-locked.toml", *scope_locked)]);
    let Err(err) = RuleSet::from_files(files) else {
        panic!("the loader accepted two rules with the id `scope-locked`");
    };
    let err = err.to_string();
    assert!(
        err.contains("id `scope-locked` is used by")
            && err.contains("rules/table/scope-locked.toml"),
        "{err}"
    );
}

/// build.rs embeds only `*.toml` files, so a rule saved under another extension (`.TOML`,
/// `.toml.txt`, `.yaml`) would silently not exist. Everything under rules/ is embedded, except
/// the README.
#[test]
fn every_file_under_rules_is_embedded() {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("rules/ is readable") {
            let path = entry.expect("readable").path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut on_disk = Vec::new();
    walk(&root.join("rules"), &mut on_disk);
    let embedded: BTreeMap<&str, &str> = arc_triage::BUILTIN_FILES.iter().copied().collect();
    let mut stray = Vec::new();
    for path in on_disk {
        let rel = path
            .strip_prefix(root)
            .expect("under the crate root")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "rules/README.md" {
            continue;
        }
        match embedded.get(rel.as_str()) {
            None => stray.push(rel),
            Some(content) => {
                let text = std::fs::read_to_string(&path).expect("rule files are UTF-8");
                assert_eq!(&text, content, "{rel} changed without a rebuild");
            }
        }
    }
    assert!(
        stray.is_empty(),
        "not loaded as rules: {stray:?}. Rule files end in `.toml`; anything else belongs \
         outside rules/"
    );
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
