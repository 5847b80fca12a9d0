//! First use in a process of its own: the secret and onboarding detectors are process-wide and
//! each compiles the first time a record holding one of its triggers needs it, so only a fresh
//! process shows that only those compile, and that the page's compile limit spreads them over
//! calls as it does rule patterns (issue 10: no call holds the main thread long).

use arc_triage::{Classifier, detectors_compiled};

#[test]
fn only_the_detectors_a_log_needs_compile_within_the_limit_and_the_answer_is_the_same() {
    let log = "time=\"2024-05-01T10:00:00Z\" level=fatal msg=\"Failed to AzcmagentConnect ARM \
        resource\" Error=\"The subscription is not registered to use namespace \
        'Microsoft.HybridCompute'\"\n\
        azcmagent connect --tenant-id 72f988bf-86f1-41af-91ab-2d7cd011db47\n\
        azcmagent connect --service-principal-secret s3cr3t-Value-0123456789abcdef\n";
    let classifier = Classifier::builtin().unwrap();
    assert_eq!(detectors_compiled(), (0, 0));
    let mut session = classifier.text_session();
    session.compile_at_most(2);
    session.feed(log.as_bytes());
    let compiled = || {
        let (secrets, onboarding) = detectors_compiled();
        secrets + onboarding + classifier.compiled_patterns()
    };
    let mut before = compiled();
    let mut calls = 0;
    while session.end() {
        let now = compiled();
        assert!(now - before <= 2, "{} compiled in one call", now - before);
        assert!(now > before, "a call that compiled nothing");
        before = now;
        calls += 1;
    }
    assert!(calls >= 3, "{calls} calls");
    // The secret triggers `azcmagent`, `--service-principal`, `service-principal-secret` and
    // `secret` need 5 of the 17 secret detectors; `tenant-id` 1 of the 10 onboarding ones (the
    // subscription is named in prose, which no detector reads).
    assert_eq!(detectors_compiled(), (5, 1));
    let report = session.finish();
    let whole = classifier.classify(log);
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
    assert_eq!(report.matches[0].row.id, "provider-not-registered");
    assert_eq!(report.secret_count, 1);
    assert!(report.onboarding.tenant_id.is_some());
    assert!(report.onboarding.subscription_id.is_none());
    assert_eq!(detectors_compiled(), (5, 1), "classify() needed no other");
}
