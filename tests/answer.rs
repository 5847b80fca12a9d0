//! The parts of the answer no rule sample reaches: the no-match answer's error lines, the note
//! on a very short paste, and evidence on a line too long to keep whole.

use arc_triage::{Classifier, MAX_ERROR_LINES, MAX_LINE_PIECE, Report};

fn classify(text: &str) -> Report {
    Classifier::builtin()
        .expect("the built-in rules load")
        .classify(text)
}

const PROVIDER: &str =
    "Error=\"The subscription is not registered to use namespace 'Microsoft.HybridCompute'\"";

#[test]
fn the_no_match_answer_keeps_the_latest_error_lines_newest_first() {
    let lines: Vec<String> = (1..=MAX_ERROR_LINES + 5)
        .map(|n| format!("ERROR   step {n} went wrong"))
        .collect();
    let report = classify(&lines.join("\n"));
    assert!(report.matches.is_empty(), "{:?}", report.matches);
    assert_eq!(report.error_line_count, (MAX_ERROR_LINES + 5) as u64);
    let shown: Vec<(u64, &str)> = report
        .error_lines
        .iter()
        .map(|l| (l.line, l.text.as_str()))
        .collect();
    assert_eq!(shown.len(), MAX_ERROR_LINES, "{shown:?}");
    assert_eq!(shown[0], (25, "ERROR   step 25 went wrong"), "newest first");
    assert_eq!(shown[MAX_ERROR_LINES - 1], (6, "ERROR   step 6 went wrong"));
    assert!(report.error_lines.iter().all(|l| l.span.is_none()));
}

#[test]
fn a_long_error_line_is_shown_up_to_240_characters() {
    let long = format!("FATAL   {}", "x".repeat(400));
    let report = classify(&long);
    let line = &report.error_lines[0];
    assert_eq!(line.text, format!("{}…", &long[..240]));
}

#[test]
fn only_a_very_short_paste_that_matched_nothing_gets_the_short_note() {
    let short = |r: &Report| r.notes.iter().any(|n| n.contains("very short"));
    assert!(short(&classify("fail")), "4 bytes, no match");
    assert!(!short(&classify("nothing to see here")), "long enough");
    assert!(!short(&classify("")), "empty has its own note");
}

#[test]
fn an_error_after_the_cut_of_an_endless_line_keeps_its_line_number() {
    // The physical line is cut into pieces of MAX_LINE_PIECE bytes; each piece starts a record,
    // so the error text after the cut is matched in the second piece, as line 2.
    let head = "y".repeat(MAX_LINE_PIECE + 10);
    let log = format!(
        "time=\"2020-07-20T10:00:00Z\" level=info msg=\"start\"\ntime=\"x\" level=fatal msg=\"{head}\" {PROVIDER}"
    );
    let report = classify(&log);
    assert_eq!(report.input.lines, 2);
    let d = &report.matches[0];
    assert_eq!(d.row.id, "provider-not-registered");
    let lines = &d.evidence[0].lines;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].line, 2);
    let [s, e] = lines[0].span.expect("highlighted");
    let shown: String = lines[0].text.chars().skip(s).take(e - s).collect();
    assert!(
        shown.starts_with("The subscription is not registered"),
        "{shown}"
    );
}

#[test]
fn evidence_is_clipped_on_character_boundaries() {
    // Two-byte characters at an odd offset: 120 bytes before the match falls inside one, and
    // the clip widens to the whole character rather than cutting it or dropping it.
    let before = format!("x{}", "é".repeat(100));
    let log = format!("time=\"x\" level=fatal msg=\"{before}\" {PROVIDER}");
    let report = classify(&log);
    let line = &report.matches[0].evidence[0].lines[0];
    let [s, _] = line.span.expect("highlighted");
    let context: String = line.text.chars().skip(1).take(s - 1).collect();
    assert!(line.text.starts_with('…'), "{}", line.text);
    // The match starts after `" Error="`; 120 bytes before it are 111 bytes of `é`s, 55 and a
    // half: the half is kept whole.
    assert_eq!(
        context,
        format!("{}\" Error=\"", "é".repeat(56)),
        "{}",
        line.text
    );
}

#[test]
fn a_wrapped_error_deep_into_a_long_log_is_joined_again() {
    // Well past the longest record (64 KB), a message a terminal wrapped in two is still one
    // record: the length that splits a record is the record's own, not the buffer's.
    let mut log: Vec<String> = (0..2000)
        .map(|n| format!("time=\"x\" level=info msg=\"heartbeat {n} sent to the service\""))
        .collect();
    log.push("time=\"x\" level=fatal msg=\"connect\" Error=\"The subscription is not regis".into());
    log.push("tered to use namespace 'Microsoft.HybridCompute'\"".into());
    let report = classify(&log.join("\n"));
    let ids: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
    assert_eq!(ids, ["provider-not-registered"]);
    assert_eq!(report.matches[0].lines, [2001, 2002]);
}

#[test]
fn headerless_text_is_cut_into_records_past_64_kb() {
    // Lines without a header continue the record above; past 64 KB the next line starts a new
    // one. 64-byte lines: the first record ends once it holds more than 1024 lines' worth.
    let line = |n: usize| format!("{:<60}{n:04}", "step failed");
    let text: Vec<String> = (1..=1100).map(line).collect();
    let report = classify(&text.join("\n"));
    let first_lines: Vec<u64> = report.error_lines.iter().map(|l| l.line).collect();
    assert_eq!(report.error_line_count, 2, "{first_lines:?}");
    assert_eq!(first_lines, [1026, 1], "newest first");
}

#[test]
fn a_line_cut_for_length_is_not_reported_as_wrapped() {
    let log = format!(
        "time=\"x\" level=fatal msg=\"{}\" {PROVIDER}",
        "y".repeat(MAX_LINE_PIECE + 10)
    );
    let report = classify(&log);
    assert!(
        !report.input.formats.contains(&arc_triage::Format::Wrapped),
        "{:?}",
        report.input.formats
    );
}

/// `has_exact` is what the CLI's exit status and the no-match steps rest on.
#[test]
fn has_exact_tells_an_exact_answer_from_a_partial_one() {
    let c = arc_triage::Classifier::builtin().expect("built-in rules load");
    let exact = c.classify(r#"time="t" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'""#);
    assert!(exact.has_exact());
    let partial = c.classify(
        "FATAL   Failed to acquire authorization token device flow: context deadline exceeded",
    );
    assert_eq!(partial.matches.len(), 1);
    assert!(!partial.has_exact());
    assert!(!c.classify("nothing to see").has_exact());
}

/// Each input format has its own words in the CLI's summary line.
#[test]
fn every_format_is_described_in_words() {
    use arc_triage::Format;
    let all = Format::ALL;
    let words: std::collections::BTreeSet<&str> = all.iter().map(|f| f.describe()).collect();
    assert_eq!(words.len(), all.len(), "{words:?}");
    assert_eq!(Format::PowerShell.describe(), "a PowerShell session");
    assert!(words.iter().all(|w| w.len() > 8 && !w.contains("xyzzy")));
}
