//! Several files as one input (the logs of a support bundle): one report whose evidence names
//! the file and the line, and that answers as the files do one by one. Reading the archive
//! itself is tested in `src/bundle/tests.rs` and, with inflating, in `tests/cli.rs`.

use arc_triage::{Classifier, Evidence, Format, Report};
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules compile"))
}

/// A fixture log without its `# ` header lines.
fn fixture(path: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(format!("{}/tests/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let body: Vec<&str> = text.split('\n').filter(|l| !l.starts_with("# ")).collect();
    body.join("\n").into_bytes()
}

/// The files fed as one input, each in pieces of `chunk` bytes.
fn bundle(files: &[(&str, Vec<u8>)], chunk: usize) -> Report {
    let mut session = classifier().session();
    for (name, bytes) in files {
        session.begin_file(name);
        for piece in bytes.chunks(chunk) {
            session.feed(piece);
        }
    }
    session.finish()
}

/// A diagnosis's id and evidence as (file, line, text, span), for comparing reports.
fn answers(report: &Report, file: Option<&str>) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = (report.matches.iter())
        .map(|d| {
            let lines = d.evidence.iter().flat_map(|e: &Evidence| &e.lines);
            let shown = lines
                .map(|l| {
                    let f = l.file.as_deref().or(file).unwrap_or("-");
                    format!("{f}:{} {:?} {}", l.line, l.span, l.text)
                })
                .collect();
            (d.row.id.clone(), shown)
        })
        .collect();
    out.sort();
    out
}

fn linux_bundle() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "var/opt/azcmagent/log/azcmagent.log",
            fixture("fixtures/d-tls-unknown-authority-2020.log"),
        ),
        (
            "var/opt/azcmagent/log/himds.log",
            fixture("benign/himds-heartbeat.log"),
        ),
        (
            "var/lib/GuestConfig/ext_mgr_logs/gc_ext.log",
            fixture("fixtures/b7-gc-ext-log-only.log"),
        ),
    ]
}

#[test]
fn a_bundle_answers_as_its_logs_do_one_by_one() {
    let files = linux_bundle();
    let report = bundle(&files, 1 << 20);
    let mut one_by_one: Vec<(String, Vec<String>)> = Vec::new();
    for (name, bytes) in &files {
        one_by_one.extend(answers(&classifier().classify_bytes(bytes), Some(name)));
    }
    one_by_one.sort();
    assert_eq!(answers(&report, None), one_by_one);
    let ids: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
    assert_eq!(ids, ["tls-inspection", "guest-config-service-error"]);
    assert_eq!(
        report.matches[0].lines,
        [3],
        "numbered within azcmagent.log"
    );
    assert_eq!(report.matches[1].lines, [2], "numbered within gc_ext.log");
    assert_eq!(report.matches[1].evidence[0].line, 2);
    assert!(
        report.matches[1]
            .rank_reason
            .contains("(seen once, at line 2 of gc_ext.log)"),
        "{}",
        report.matches[1].rank_reason
    );
    assert!(
        report.matches[0]
            .rank_reason
            .contains("at line 3 of azcmagent.log")
    );
    let lines: u64 = files
        .iter()
        .map(|(_, b)| classifier().classify_bytes(b).input.lines)
        .sum();
    assert_eq!(report.input.lines, lines);
    assert_eq!(report.input.files.len(), 3);
    assert_eq!(
        report.notes,
        ["Read 3 logs from the archive: azcmagent.log, himds.log, gc_ext.log."]
    );
}

#[test]
fn how_the_bytes_are_cut_does_not_change_a_bundles_answer() {
    let files = linux_bundle();
    let whole = serde_json::to_string(&bundle(&files, 1 << 20)).unwrap();
    for chunk in [1, 2, 7, 4096] {
        let cut = serde_json::to_string(&bundle(&files, chunk)).unwrap();
        assert_eq!(cut, whole, "pieces of {chunk} bytes");
    }
}

#[test]
fn a_file_ends_its_last_line_and_record() {
    // The first file has no final line break and the second starts without a header: read as one
    // text they would be one line, or one wrapped record.
    let first =
        b"time=\"2020-10-20T15:20:50Z\" level=info msg=\"Check network connectivity\"".to_vec();
    let second = b"x509: certificate signed by unknown authority\n".to_vec();
    let report = bundle(&[("a.log", first), ("b.log", second)], 1 << 20);
    assert_eq!(report.input.lines, 2);
    assert!(
        !report.input.formats.contains(&Format::Wrapped),
        "{:?}",
        report.input.formats
    );
    let d = &report.matches[0];
    assert_eq!(d.row.id, "tls-inspection");
    let shown: Vec<(Option<&str>, u64)> = (d.evidence.iter())
        .flat_map(|e| &e.lines)
        .map(|l| (l.file.as_deref(), l.line))
        .collect();
    assert_eq!(shown, [(Some("b.log"), 1)]);
    assert_eq!(d.lines, [1]);
}

#[test]
fn each_file_is_decoded_as_what_it_is() {
    let text = "x509: certificate signed by unknown authority\r\n";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let files = [
        ("himds.log", fixture("benign/himds-heartbeat.log")),
        ("installationlog.txt", utf16),
    ];
    let report = bundle(&files, 3);
    let encodings: Vec<String> = (report.input.files.iter())
        .map(|f| serde_json::to_string(&f.encoding).unwrap())
        .collect();
    assert_eq!(encodings, ["\"utf8\"", "\"utf16le\""]);
    assert!(report.input.formats.contains(&Format::Utf16));
    assert!(report.input.formats.contains(&Format::Crlf));
    let line = &report.matches[0].evidence[0].lines[0];
    assert_eq!(line.file.as_deref(), Some("installationlog.txt"));
    assert_eq!(line.line, 1);
    assert_eq!(line.text, "x509: certificate signed by unknown authority");
    assert_eq!(
        report.input.encoding,
        arc_triage::Encoding::Utf8,
        "the first file's"
    );
}

#[test]
fn files_not_read_and_damaged_ones_are_listed_and_said() {
    let mut session = classifier().session();
    session.skip_file("var/opt/azcmagent/agentconfig.json", "not a log");
    session.begin_file("var/opt/azcmagent/log/azcmagent.log");
    session.feed(&fixture("fixtures/d-tls-unknown-authority-2020.log"));
    session.file_damaged("its checksum does not match: some of its text may be wrong");
    session.skip_file("x/events.evtx", "not a log");
    let report = session.finish();
    let listed: Vec<(&str, Option<&str>, Option<&str>, bool)> = (report.input.files.iter())
        .map(|f| {
            (
                f.name.as_str(),
                f.skipped.as_deref(),
                f.damaged.as_deref(),
                f.encoding.is_some(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (
                "var/opt/azcmagent/agentconfig.json",
                Some("not a log"),
                None,
                false
            ),
            (
                "var/opt/azcmagent/log/azcmagent.log",
                None,
                Some("its checksum does not match: some of its text may be wrong"),
                true
            ),
            ("x/events.evtx", Some("not a log"), None, false),
        ]
    );
    assert_eq!(
        report.notes,
        [
            "Read 1 log from the archive: azcmagent.log.",
            "Not read: agentconfig.json (not a log), events.evtx (not a log).",
            "var/opt/azcmagent/log/azcmagent.log is damaged: its checksum does not match: some \
             of its text may be wrong."
        ]
    );
    assert_eq!(report.matches[0].row.id, "tls-inspection");
    assert_eq!(report.matches[0].evidence[0].lines[0].line, 3);
}

#[test]
fn a_long_list_of_files_is_cut_in_the_note() {
    let mut session = classifier().session();
    for i in 0..15 {
        session.skip_file(&format!("dir/f{i}.json"), "not a log");
    }
    session.begin_file("a.log");
    let report = session.finish();
    assert_eq!(report.notes[0], "Every log in the archive is empty.");
    assert_eq!(
        report.notes[2],
        "Not read: f0.json (not a log), f1.json (not a log), f2.json (not a log), f3.json (not \
         a log), f4.json (not a log), f5.json (not a log), f6.json (not a log), f7.json (not a \
         log), f8.json (not a log), f9.json (not a log), f10.json (not a log), f11.json (not a \
         log) and 3 more."
    );
}

#[test]
fn secrets_and_error_lines_name_their_file() {
    let secret = b"azcmagent connect --service-principal-id 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f --service-principal-secret 'Zx8Q~verysecretvalue1234567890abcdefghi' --tenant-id t\n".to_vec();
    let error =
        b"time=\"2020-10-20T15:20:50Z\" level=error msg=\"something nobody knows\"\n".to_vec();
    let report = bundle(
        &[
            ("one.log", error.clone()),
            ("two.log", [error, secret].concat()),
        ],
        1 << 20,
    );
    let secrets: Vec<(Option<&str>, u64)> = (report.secrets.iter())
        .map(|s| (s.file.as_deref(), s.line))
        .collect();
    assert_eq!(secrets, [(Some("two.log"), 2)]);
    let errors: Vec<(Option<&str>, u64)> = (report.error_lines.iter())
        .map(|l| (l.file.as_deref(), l.line))
        .collect();
    assert!(errors.contains(&(Some("two.log"), 1)), "{errors:?}");
    assert!(errors.contains(&(Some("one.log"), 1)), "{errors:?}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["secrets"][0]["file"], "two.log");
    assert!(
        !serde_json::to_string(&classifier().classify("x"))
            .unwrap()
            .contains("\"file"),
        "a single log's report has no file keys"
    );
}

#[test]
fn context_lines_stay_in_their_own_log() {
    let first =
        b"time=\"2020-10-20T15:20:50Z\" level=info msg=\"the last line of a.log\"\n".to_vec();
    let second = b"x509: certificate signed by unknown authority\ntime=\"2020-10-20T15:20:51Z\" level=info msg=\"next in b.log\"\n".to_vec();
    let report = bundle(&[("a.log", first.clone()), ("b.log", second)], 1 << 20);
    let e = &report.matches[0].evidence[0];
    assert_eq!(e.lines[0].file.as_deref(), Some("b.log"));
    assert_eq!(e.before, None, "a.log's last line is not b.log's context");
    let after = e.after.as_ref().expect("the next line of b.log");
    assert_eq!((after.file.as_deref(), after.line), (Some("b.log"), 2));
    // Read as one log, the same line has its neighbour.
    let report = bundle(
        &[(
            "b.log",
            [
                first,
                b"x509: certificate signed by unknown authority\n".to_vec(),
            ]
            .concat(),
        )],
        1 << 20,
    );
    let before = report.matches[0].evidence[0]
        .before
        .as_ref()
        .expect("line 1");
    assert_eq!((before.file.as_deref(), before.line), (Some("b.log"), 1));
}

/// The page reads a bundle with a compile limit: a file can end while its last records wait for
/// patterns, and the next `settle` scans them with nothing left to grow. They must be forgotten
/// then, or the next file's first batch scans them again (each occurrence, error line and
/// secret counted twice; found in review, 2026-11-27).
#[test]
fn records_scanned_after_their_file_ended_are_not_scanned_again() {
    let first = format!(
        "{}{}{}",
        "time=\"t\" level=fatal msg=\"Failed\" Error=\"The subscription is not registered to use \
         namespace 'Microsoft.HybridCompute'\"\n\
         azcmagent connect --service-principal-secret s3cr3t-Value-0123456789abcdef\n",
        "time=\"t\" level=info msg=\"padding line\"\n".repeat(60),
        "time=\"t\" level=error msg=\"Failed\" Error=\"x\" azcmagent connect --tenant-id \
         72f988bf-86f1-41af-91ab-2d7cd011db47\n"
    );
    let second = "time=\"t\" level=info msg=\"hello\"\n".repeat(200);
    let expected = {
        let mut s = classifier().session();
        s.begin_file("a.log");
        s.feed(first.as_bytes());
        s.begin_file("b.log");
        s.feed(second.as_bytes());
        s.finish()
    };
    let fresh = Classifier::builtin().unwrap();
    let mut s = fresh.session();
    s.scan_every(1024);
    s.compile_at_most(1);
    s.begin_file("a.log");
    s.feed(first.as_bytes());
    s.begin_file("b.log");
    while s.settle() {}
    s.feed(second.as_bytes());
    while s.settle() {}
    while s.end() {}
    let got = s.finish();
    assert_eq!(got.matches[0].occurrences, 1);
    assert_eq!(got.secret_count, 1);
    assert_eq!(
        serde_json::to_string(&got).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}
