//! First use in a process of its own: the secret and onboarding detectors are process-wide and
//! compile the first time a record may need them, so only a fresh process shows that the page's
//! compile limit spreads them over calls as it does rule patterns (issue 10: no call holds the
//! main thread long).

use arc_triage::{Classifier, detectors_compiled};

#[test]
fn the_detectors_compile_in_a_call_of_their_own_and_the_answer_is_the_same() {
    let log = "time=\"2024-05-01T10:00:00Z\" level=fatal msg=\"Failed to AzcmagentConnect ARM \
        resource\" Error=\"The subscription is not registered to use namespace \
        'Microsoft.HybridCompute'\"\n\
        azcmagent connect --tenant-id 72f988bf-86f1-41af-91ab-2d7cd011db47\n\
        azcmagent connect --service-principal-secret s3cr3t-Value-0123456789abcdef\n";
    let classifier = Classifier::builtin().unwrap();
    assert_eq!(detectors_compiled(), (false, false));
    let mut session = classifier.text_session();
    session.compile_at_most(4);
    session.feed(log.as_bytes());
    // Each step of the detectors takes a call to itself; the patterns wait for the calls after.
    let mut calls = Vec::new();
    while session.end() {
        calls.push((detectors_compiled(), classifier.compiled_patterns()));
    }
    assert_eq!(calls[0], ((true, false), 0), "{calls:?}");
    // The onboarding detectors in two steps: the set that finds them all, then each one.
    assert_eq!(calls[1], ((true, false), 0), "{calls:?}");
    assert_eq!(calls[2], ((true, true), 0), "{calls:?}");
    assert!(calls[3].1 > 0, "{calls:?}");
    let report = session.finish();
    let whole = classifier.classify(log);
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
    assert_eq!(report.matches[0].row.id, "provider-not-registered");
    assert_eq!(report.secret_count, 1);
    assert!(report.onboarding.tenant_id.is_some());
}
