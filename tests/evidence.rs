//! Evidence as the answer shows it: decoded (escapes undone, the span on the matched text), with
//! the input's line before and after each occurrence, whatever batch those lines fall in.

use arc_triage::{Classifier, Evidence, EvidenceLine, Report, SECRET_MASK};
use std::sync::OnceLock;

fn classify(text: &str) -> Report {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("the built-in rules load"))
        .classify(text)
}

/// The evidence of the first diagnosis with id `id`.
fn evidence<'r>(report: &'r Report, id: &str) -> &'r Evidence {
    let d = (report.matches.iter())
        .find(|d| d.row.id == id)
        .unwrap_or_else(|| panic!("{id} in {:?}", report.matches));
    &d.evidence[0]
}

fn spanned(line: &EvidenceLine) -> String {
    let [s, e] = line.span.expect("a span");
    line.text.chars().skip(s).take(e - s).collect()
}

const PROVIDER: &str = r#"time="2026-01-01T00:00:01Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'" password=Hunter2Secret"#;
const SPN: &str = r#"time="2026-01-01T00:00:02Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.'" password=Another1Secret pad=................................................................"#;
const TAIL: &str = r#"time="2026-01-01T00:00:03Z" level=info msg="For troubleshooting, see https://aka.ms/arc/azcmerror""#;

#[test]
fn a_json_body_in_a_logrus_field_is_shown_decoded_with_the_span_on_the_match() {
    let log = r#"time="2020-11-03T16:22:41Z" level=debug msg="Get ARM Resource Response" Body="{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client 'a@contoso.com' does not have authorization to perform action 'Microsoft.HybridCompute/machines/read'.\"}}""#;
    let report = classify(log);
    let line = &evidence(&report, "arm-authorization-failed").lines[0];
    assert!(
        line.text
            .contains(r#"Body="{"error":{"code":"AuthorizationFailed","message":"#),
        "{}",
        line.text
    );
    assert_eq!(spanned(line), "AuthorizationFailed");
}

#[test]
fn context_lines_are_the_neighbours_decoded_and_masked_and_blank_ones_are_left_out() {
    let log = format!("{PROVIDER}\n\n{SPN}\n  \n{TAIL}\n");
    let report = classify(&log);
    let provider = evidence(&report, "provider-not-registered");
    assert_eq!(provider.before, None, "nothing comes before line 1");
    assert_eq!(provider.after, None, "line 2 is blank");
    let spn = evidence(&report, "spn-invalid-secret");
    assert_eq!((spn.before.as_ref(), spn.after.as_ref()), (None, None));

    let log = format!(
        "{PROVIDER}\n{SPN}\ntime=\"t\" level=info msg=\"body\" Body=\"{{\\\"a\\\":\\\"b\\\"}}\""
    );
    let report = classify(&log);
    let spn = evidence(&report, "spn-invalid-secret");
    let before = spn.before.as_ref().expect("line 1");
    assert_eq!(before.line, 1);
    assert_eq!(before.span, None, "a context line is not evidence");
    assert!(before.text.contains(SECRET_MASK), "{}", before.text);
    assert!(!before.text.contains("Hunter2Secret"), "{}", before.text);
    let after = spn.after.as_ref().expect("line 3");
    assert_eq!(
        (after.line, after.text.as_str()),
        (3, r#"time="t" level=info msg="body" Body="{"a":"b"}""#)
    );
}

/// Records are scanned in batches of 4 MiB (`BATCH` in src/classify.rs) and forgotten after:
/// the line before the first record of a batch is gone by then, and the line after the last
/// one is in a record still growing, whose secrets are not known yet. The answer is the same.
#[test]
fn context_lines_do_not_depend_on_where_a_batch_ends() {
    const BATCH: usize = 4 << 20;
    let filler =
        |n: usize| format!(r#"time="2026-01-01T00:00:00Z" level=info msg="filler {n:08}""#);
    let width = filler(0).len();
    assert!(
        SPN.len() > width,
        "the line after the provider error ends the batch"
    );
    // The fillers and the provider error stay under a batch; the next line crosses it.
    let count = (BATCH - 1 - PROVIDER.len()) / width;
    let mut log = String::new();
    for n in 0..count - 1 {
        log.push_str(&filler(n));
        log.push('\n');
    }
    // The same lines alone, without the fillers that push them to a batch's end.
    let small = format!("{}\n{PROVIDER}\n{SPN}\n{TAIL}\n", filler(count - 1));
    log.push_str(&small);
    let (big, small) = (classify(&log), classify(&small));
    let shift = count as u64 - 1;
    for id in ["provider-not-registered", "spn-invalid-secret"] {
        let (b, s) = (evidence(&big, id), evidence(&small, id));
        let numbers = |e: &Evidence| {
            let n = |l: &Option<EvidenceLine>| l.as_ref().map(|l| l.line);
            (n(&e.before), e.line, n(&e.after))
        };
        let (before, line, after) = numbers(s);
        assert_eq!(
            numbers(b),
            (
                before.map(|n| n + shift),
                line + shift,
                after.map(|n| n + shift)
            ),
            "{id}"
        );
        let texts = |e: &Evidence| {
            let t = |l: &Option<EvidenceLine>| l.as_ref().map(|l| l.text.clone());
            (t(&e.before), t(&e.after))
        };
        assert_eq!(texts(b), texts(s), "{id}");
    }
    let provider = evidence(&big, "provider-not-registered");
    let after = provider.after.as_ref().expect("the spn error follows");
    assert!(after.text.contains(SECRET_MASK), "{}", after.text);
    assert!(!after.text.contains("Another1Secret"), "{}", after.text);
    let spn = evidence(&big, "spn-invalid-secret");
    let before = spn.before.as_ref().expect("the provider error precedes");
    assert!(before.text.starts_with(r#"time="2026-01-01T00:00:01Z""#));
    assert!(!before.text.contains("Hunter2Secret"), "{}", before.text);
}

#[test]
fn the_latest_occurrences_show_their_line_after_wherever_batches_end() {
    // The same error five times, each followed by a line of its own: the kept evidence (the
    // first and the latest four) shows each one's line after, whichever record a batch ends
    // on, including when the batch ends right after an occurrence and several of that batch's
    // occurrences are kept.
    let mut log = String::new();
    for i in 0..5 {
        log.push_str(PROVIDER);
        log.push_str(&format!(
            "\ntime=\"2026-01-01T00:00:0{i}Z\" level=info msg=\"after occurrence {i}\"\n"
        ));
    }
    let whole = classify(&log);
    let afters: Vec<String> = whole.matches[0]
        .evidence
        .iter()
        .map(|e| e.after.as_ref().expect("a line after").text.clone())
        .collect();
    assert_eq!(afters.len(), 5);
    assert_eq!(
        afters[4],
        r#"time="2026-01-01T00:00:04Z" level=info msg="after occurrence 4""#
    );
    static C: OnceLock<Classifier> = OnceLock::new();
    let classifier = C.get_or_init(|| Classifier::builtin().unwrap());
    for batch in 1..log.len() {
        let limits = arc_triage::Limits {
            batch,
            ..Default::default()
        };
        let mut session = classifier.session_with(limits);
        session.feed(log.as_bytes());
        let report = session.finish();
        assert_eq!(
            serde_json::to_string(&report.matches[0].evidence).unwrap(),
            serde_json::to_string(&whole.matches[0].evidence).unwrap(),
            "batch of {batch} bytes"
        );
    }
}
