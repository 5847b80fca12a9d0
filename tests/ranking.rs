//! Each sentence of "Kinds and ranking" (rules/README.md) and of the ranking paragraph of the top
//! README, as a test that fails when the sentence stops being true. Each builds a tiny rule set
//! of its own, so no change to the built-in rules can make one pass or fail, and each input is
//! arranged so that only the sentence under test can produce the expected order.

use arc_triage::{Confidence, Diagnosis, Kind, MAX_EVIDENCE, Report};

mod common;
use common::written::{classifier, rule_file};

/// A rule with one pattern, `regex`; `extra` adds top-level keys.
fn rule(id: &str, kind: &str, regex: &str, extra: &str) -> (String, String) {
    rule_file(
        id,
        kind,
        &format!(
            r#"{extra}
[[match]]
regex = '{regex}'
[[sample]]
text = "written for the ranking tests"
[[near_miss]]
text = "nothing to see"
why = "unrelated"
"#
        ),
    )
}

fn cause(id: &str, regex: &str) -> (String, String) {
    rule(id, "cause", regex, "")
}

fn classify(rules: &[(String, String)], log: &[String]) -> Report {
    classifier(rules).classify(&log.join("\n"))
}

/// One agent log line (logrus key=value, so each line is its own record with its level).
fn line(level: &str, msg: &str) -> String {
    format!(r#"time="2026-11-26T10:00:00Z" level={level} msg="{msg}""#)
}

/// A healthy line that matches nothing, to put distance between two others.
fn filler() -> String {
    line("info", "heartbeat sent")
}

fn ids(report: &Report) -> Vec<&str> {
    report.matches.iter().map(|d| d.row.id.as_str()).collect()
}

fn find<'r>(report: &'r Report, id: &str) -> &'r Diagnosis {
    report
        .matches
        .iter()
        .find(|d| d.row.id == id)
        .unwrap_or_else(|| panic!("`{id}` is reported, got {:?}", ids(report)))
}

/// A stage `connect-step` with one row, `connect-row`, which the tests never trigger unless
/// they say so.
fn stage_and_row() -> Vec<(String, String)> {
    vec![
        rule("connect-step", "stage", "connect step failed", ""),
        rule(
            "connect-row",
            "cause",
            "connect row detail",
            r#"stage = "connect-step""#,
        ),
    ]
}

/// "Diagnoses are ordered by confidence (exact before partial)": an exact cause on an early
/// info line comes before a partial stage on the last, fatal line.
#[test]
fn exact_comes_before_partial() {
    let mut rules = stage_and_row();
    rules.push(cause("quiet-cause", "quiet cause happened"));
    let log = [
        line("info", "quiet cause happened"),
        filler(),
        filler(),
        filler(),
        filler(),
        line("fatal", "connect step failed"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["quiet-cause", "connect-step"]);
    assert_eq!(report.matches[0].confidence, Confidence::Exact);
    assert_eq!(report.matches[1].confidence, Confidence::Partial);
}

/// "then kind (cause, code, stage)": on lines ordered the other way (the stage latest and most
/// severe, the cause first and least), the cause still comes first, then the code, then the
/// stage; the code says it is below the cause that explains it.
#[test]
fn kind_orders_cause_then_code_then_stage() {
    let mut rules = stage_and_row();
    rules.push(cause("zulu-cause", "zulu cause happened"));
    rules.push(rule("azcm0099", "code", "AZCM0099", ""));
    let log = [
        line("info", "zulu cause happened"),
        filler(),
        filler(),
        filler(),
        line("error", "Exit Code: AZCM0099"),
        filler(),
        filler(),
        filler(),
        filler(),
        line("fatal", "connect step failed"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["zulu-cause", "azcm0099", "connect-step"]);
    let kinds: Vec<Kind> = report.matches.iter().map(|d| d.row.kind).collect();
    assert_eq!(kinds, [Kind::Cause, Kind::Code, Kind::Stage]);
    assert!(
        report.matches[1]
            .rank_reason
            .contains("ranked below the specific cause above"),
        "{}",
        report.matches[1].rank_reason
    );
}

/// "every exit code carries `explained_by`, the best such cause's id": the most severe exact
/// cause, whichever line it is on; nothing else carries it, and without a cause nothing does.
#[test]
fn an_exit_code_is_explained_by_the_best_exact_cause() {
    let mut rules = stage_and_row();
    rules.push(cause("alpha-cause", "alpha cause happened"));
    rules.push(cause("zulu-cause", "zulu cause happened"));
    rules.push(rule("azcm0099", "code", "AZCM0099", ""));
    let log = [
        line("fatal", "zulu cause happened"),
        line("warning", "alpha cause happened"),
        line("error", "Exit Code: AZCM0099"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["zulu-cause", "alpha-cause", "azcm0099"]);
    let explained: Vec<Option<&str>> = report
        .matches
        .iter()
        .map(|d| d.explained_by.as_deref())
        .collect();
    assert_eq!(explained, [None, None, Some("zulu-cause")]);
    let alone = classify(&rules, &[line("error", "Exit Code: AZCM0099")]);
    assert_eq!(alone.matches[0].explained_by, None);
}

/// "then a cause before the causes it `leads_to`": the consequence is later and more severe,
/// and would otherwise come first; its rank reason names the cause above it.
#[test]
fn a_cause_comes_before_the_causes_it_leads_to() {
    let rules = [
        rule(
            "secret-unreadable",
            "cause",
            "secret unreadable",
            r#"leads_to = ["secret-refused"]"#,
        ),
        cause("secret-refused", "secret refused"),
    ];
    let log = [
        line("warning", "secret unreadable"),
        filler(),
        line("fatal", "secret refused"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["secret-unreadable", "secret-refused"]);
    let reason = &report.matches[1].rank_reason;
    assert!(
        reason.starts_with("Consequence: `secret-unreadable` above leads to this error"),
        "{reason}"
    );
}

/// "then the most severe log level": the fatal cause is on the first line and its id sorts
/// last, so neither the latest line nor the id can put it first; only its level does.
#[test]
fn the_most_severe_level_comes_first() {
    let rules = [
        cause("zulu-fatal", "zulu went down"),
        cause("alpha-error", "alpha went down"),
    ];
    let log = [
        line("fatal", "zulu went down"),
        filler(),
        line("error", "alpha went down"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["zulu-fatal", "alpha-error"]);
}

/// "then the latest line": at the same level, the later error comes first; its id sorts last,
/// so the id order cannot produce this.
#[test]
fn at_the_same_level_the_latest_line_comes_first() {
    let rules = [
        cause("alpha-early", "alpha went down"),
        cause("zulu-late", "zulu went down"),
    ];
    let log = [
        line("error", "alpha went down"),
        filler(),
        line("error", "zulu went down"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["zulu-late", "alpha-early"]);
    assert!(
        report.matches[0]
            .rank_reason
            .contains("seen once, at line 3"),
        "{}",
        report.matches[0].rank_reason
    );
}

/// The stage log for the "within three lines" tests: an unrelated cause, then `gap` lines later
/// the stage message.
fn stage_with_cause_at(gap: usize) -> Report {
    let mut rules = stage_and_row();
    rules.push(cause("other-cause", "other cause happened"));
    let mut log = vec![line("error", "other cause happened")];
    log.extend((1..gap).map(|_| filler()));
    log.push(line("fatal", "connect step failed"));
    classify(&rules, &log)
}

/// "only when ... no other diagnosis is within three lines": a cause three lines before the
/// stage message explains it, so the stage is not reported.
#[test]
fn a_stage_is_not_reported_with_a_cause_three_lines_away() {
    let report = stage_with_cause_at(3);
    assert_eq!(ids(&report), ["other-cause"]);
}

/// Four lines away the cause explains nothing: the stage is reported, partial, with its rows as
/// candidates.
#[test]
fn a_stage_is_reported_with_a_cause_four_lines_away() {
    let report = stage_with_cause_at(4);
    assert_eq!(ids(&report), ["other-cause", "connect-step"]);
    let stage = find(&report, "connect-step");
    assert_eq!(stage.confidence, Confidence::Partial);
    let candidates: Vec<&str> = stage.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(candidates, ["connect-row"]);
    assert!(
        stage.rank_reason.starts_with("Partial:"),
        "{}",
        stage.rank_reason
    );
}

/// The window reaches both ways: a cause three lines after the stage message explains it, four
/// lines after it does not.
#[test]
fn the_three_line_window_also_looks_after_the_stage() {
    let after = |gap: usize| {
        let mut rules = stage_and_row();
        rules.push(cause("other-cause", "other cause happened"));
        let mut log = vec![line("fatal", "connect step failed")];
        log.extend((1..gap).map(|_| filler()));
        log.push(line("error", "other cause happened"));
        classify(&rules, &log)
    };
    assert_eq!(ids(&after(3)), ["other-cause"]);
    assert_eq!(ids(&after(4)), ["other-cause", "connect-step"]);
}

/// A stage is judged on its first 4096 occurrences (the lines remembered per rule, so memory
/// stays bounded on a log of endless retries): a 4097th, unexplained, changes nothing.
#[test]
fn a_stage_is_judged_on_its_first_4096_occurrences() {
    let mut rules = stage_and_row();
    rules.push(cause("other-cause", "other cause happened"));
    let mut log = Vec::new();
    for _ in 0..4096 {
        log.push(line("fatal", "connect step failed"));
        log.push(line("error", "other cause happened"));
    }
    log.extend((0..5).map(|_| filler()));
    log.push(line("fatal", "connect step failed"));
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["other-cause"]);
}

/// Only a cause explains a stage: an exit code on the next line names a category, and the
/// stage's candidate rows still help.
#[test]
fn an_exit_code_next_to_a_stage_does_not_explain_it() {
    let mut rules = stage_and_row();
    rules.push(rule("azcm0099", "code", "AZCM0099", ""));
    let log = [
        line("fatal", "connect step failed"),
        line("info", "Exit Code: AZCM0099"),
    ];
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["azcm0099", "connect-step"]);
}

/// "only when none of its rows matched": a row anywhere in the log suppresses its stage, even
/// far from the stage message.
#[test]
fn a_stage_is_not_reported_when_one_of_its_rows_matched() {
    let rules = stage_and_row();
    let mut log = vec![line("error", "connect row detail")];
    log.extend((0..10).map(|_| filler()));
    log.push(line("fatal", "connect step failed"));
    let report = classify(&rules, &log);
    assert_eq!(ids(&report), ["connect-row"]);
}

/// A rule seen several times reports the values of its latest occurrence (the final attempt,
/// not the first retry), with every occurrence counted.
#[test]
fn the_latest_occurrences_fields_win() {
    let rules = [cause(
        "endpoint-down",
        r"endpoint (?P<endpoint>[a-z.]{1,40}) is down",
    )];
    let log = [
        line("error", "endpoint first.example.com is down"),
        filler(),
        line("error", "endpoint second.example.com is down"),
    ];
    let report = classify(&rules, &log);
    let d = find(&report, "endpoint-down");
    assert_eq!(d.occurrences, 2);
    assert_eq!(d.fields["endpoint"], "second.example.com");
    assert_eq!(d.lines, [1, 3]);
}

/// An evidence line is clipped to a window of 120 characters on each side of the match, with
/// `…` where text was cut, and the span counts characters of the clipped text.
#[test]
fn evidence_keeps_a_window_around_the_match() {
    let rules = [cause("marker-failed", r"MARKER failure \d{1,3}")];
    let left = "0123456789".repeat(20);
    let right = "abcdefghij".repeat(20);
    let log = [format!("{left}MARKER failure 42{right}")];
    let report = classify(&rules, &log);
    let d = find(&report, "marker-failed");
    let shown = &d.evidence[0].lines[0];
    let expected = format!(
        "…{}MARKER failure 42{}…",
        "0123456789".repeat(12),
        "abcdefghij".repeat(12)
    );
    assert_eq!(shown.text, expected);
    assert_eq!(shown.span, Some([121, 138]));
}

/// Evidence keeps the first occurrence and the last ones, `MAX_EVIDENCE` in all, while every
/// occurrence is counted.
#[test]
fn evidence_is_capped_at_max_evidence() {
    let rules = [cause(
        "retry-failed",
        r"attempt (?P<attempt>\d{1,2}) failed",
    )];
    let log: Vec<String> = (1..=8)
        .map(|n| line("error", &format!("attempt {n} failed")))
        .collect();
    let report = classify(&rules, &log);
    let d = find(&report, "retry-failed");
    assert_eq!(d.occurrences, 8);
    assert_eq!(d.evidence.len(), MAX_EVIDENCE);
    let first_lines: Vec<u64> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(first_lines, [1, 5, 6, 7, 8]);
    assert_eq!(d.lines, [1, 5, 6, 7, 8]);
}
