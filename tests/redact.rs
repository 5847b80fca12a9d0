//! Redaction: a redacted log diagnoses exactly as the original, holds none of the identifying
//! values or secrets, and redacting it again changes nothing.

use arc_triage::{Classifier, Report, decode, redact};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules load"))
}

/// What a diagnosis is, without the values redaction changes: each match's row, variant,
/// confidence and lines, and the error lines' numbers.
fn diagnosis(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = report
        .matches
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {:?} lines {:?}",
                d.row.id, d.variant, d.confidence, d.lines
            )
        })
        .collect();
    out.extend(
        report
            .error_lines
            .iter()
            .map(|e| format!("error line {}", e.line)),
    );
    out
}

/// Every real or written log the project holds: fixtures, healthy logs and each rule's samples
/// and near-misses, with a name for the failure message.
fn corpus() -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for dir in ["tests/fixtures", "tests/benign"] {
        let mut paths: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .expect("the corpus folders exist")
            .map(|e| e.expect("readable entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("readable file");
            if let Ok(text) = String::from_utf8(bytes) {
                texts.push((path.display().to_string(), text));
            }
        }
    }
    for loaded in &classifier().ruleset().rules {
        let rule = &loaded.rule;
        for (i, s) in rule.samples.iter().enumerate() {
            texts.push((format!("{} sample {}", rule.id, i + 1), s.text.clone()));
        }
        for (i, n) in rule.near_misses.iter().enumerate() {
            texts.push((format!("{} near-miss {}", rule.id, i + 1), n.text.clone()));
        }
    }
    texts
}

#[test]
fn a_redacted_log_diagnoses_exactly_as_the_original() {
    let mut failures = Vec::new();
    let corpus = corpus();
    assert!(
        corpus.len() > 300,
        "the corpus is all there: {}",
        corpus.len()
    );
    for (name, text) in &corpus {
        let redacted = redact(text).text;
        let before = diagnosis(&classifier().classify(text));
        let report = classifier().classify(&redacted);
        assert!(
            report.secrets.is_empty(),
            "{name}: a secret is left: {:?}",
            report.secrets
        );
        let after = diagnosis(&report);
        if before != after {
            failures.push(format!("{name}:\n  before {before:?}\n  after  {after:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} texts diagnose differently once redacted:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn redacting_a_redacted_log_changes_nothing() {
    for (name, text) in corpus() {
        let once = redact(&text);
        let twice = redact(&once.text);
        assert_eq!(twice.text, once.text, "{name}");
        assert!(twice.replaced.is_empty(), "{name}: {:?}", twice.replaced);
    }
}

/// The values a customer's paste carries, to be seeded into a session.
#[derive(Debug, Clone)]
struct Seeds {
    tenant: String,
    subscription: String,
    application: String,
    object: String,
    resource_group: String,
    machine: String,
    user: String,
    proxy: String,
    proxy_user: String,
    dns: String,
    email: String,
    secret: String,
    proxy_password: String,
}

impl Seeds {
    fn all(&self) -> Vec<&str> {
        vec![
            &self.tenant,
            &self.subscription,
            &self.application,
            &self.object,
            &self.resource_group,
            &self.machine,
            &self.user,
            &self.proxy,
            &self.proxy_user,
            &self.dns,
            &self.email,
            &self.secret,
            &self.proxy_password,
        ]
    }
}

fn guid() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
}

fn seeds() -> impl Strategy<Value = Seeds> {
    (
        (guid(), guid(), guid(), guid()),
        (
            "rg-[a-z]{3,8}[0-9]{0,2}",
            "[a-z]{2,6}[0-9]{2}-[a-z]{2,5}",
            "[a-z]{3,6}[0-9]{1,2}",
            "(proxy|gw|fw)[0-9]{1,2}\\.[a-z]{4,8}\\.(local|corp|com)",
            "svc[0-9]{2}[a-z]{2,5}",
        ),
        (
            "10\\.[0-9]{1,2}\\.[0-9]{1,2}\\.[1-9][0-9]?",
            "[a-z]{3,6}\\.[a-z]{3,6}@[a-z]{4,8}\\.(com|de|org)",
            "[A-Za-z0-9][A-Za-z0-9~._-]{23,39}",
            "[A-Za-z][A-Za-z0-9!]{9,15}",
        ),
    )
        .prop_map(
            |(
                (tenant, subscription, application, object),
                (resource_group, machine, user, proxy, proxy_user),
                (dns, email, secret, proxy_password),
            )| Seeds {
                tenant,
                subscription,
                application,
                object,
                resource_group,
                machine,
                user,
                proxy,
                proxy_user,
                dns,
                email,
                secret,
                proxy_password,
            },
        )
}

/// A support case: a shell session with the onboarding command, the proxy the customer set,
/// a DNS failure through it and an authorization error naming the principal and the scope.
fn session(s: &Seeds) -> String {
    format!(
        r#"{user}@{machine}:~$ sudo azcmagent config set proxy.url "http://{proxy_user}:{proxy_password}@{proxy}:3128"
{user}@{machine}:~$ sudo azcmagent connect --service-principal-id {application} --service-principal-secret '{secret}' --tenant-id {tenant} --subscription-id {subscription} --resource-group {resource_group} --location westeurope
INFO    Connecting machine to Azure... This might take a few minutes.
FATAL   Get "https://gbl.his.arc.azure.com/discovery?location=westeurope&api-version=2.1": proxyconnect tcp: dial tcp: lookup {proxy} on {dns}:53: no such host
time="2026-11-20T10:00:03Z" level=error msg="The client '{email}' with object id '{object}' does not have authorization to perform action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.HybridCompute/machines/{machine}' or the scope is invalid."
Log file: /home/{user}/arc/onboard-{machine}.log
"#,
        user = s.user,
        machine = s.machine,
        proxy_user = s.proxy_user,
        proxy_password = s.proxy_password,
        proxy = s.proxy,
        application = s.application,
        secret = s.secret,
        tenant = s.tenant,
        subscription = s.subscription,
        resource_group = s.resource_group,
        dns = s.dns,
        email = s.email,
        object = s.object,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn redaction_leaks_no_seeded_value_and_keeps_the_diagnosis(seeds in seeds()) {
        let log = session(&seeds);
        let once = redact(&log);
        let lower = once.text.to_ascii_lowercase();
        for value in seeds.all() {
            prop_assert!(
                !lower.contains(&value.to_ascii_lowercase()),
                "{value} is still in:\n{}", once.text
            );
        }
        prop_assert_eq!(&redact(&once.text).text, &once.text);
        // The rows, variants, confidence and lines. Not the error lines: those are found by
        // words, and a generated name may hold one ("vffail43"), which redaction then removes.
        let rows = |r: &Report| -> Vec<String> {
            diagnosis(r).into_iter().filter(|d| !d.starts_with("error line")).collect()
        };
        let before = rows(&classifier().classify(&log));
        prop_assert!(!before.is_empty());
        prop_assert_eq!(rows(&classifier().classify(&once.text)), before);
        prop_assert_eq!(once.text.lines().count(), log.lines().count());
    }
}

#[test]
fn decode_gives_the_whole_text_as_a_stream_would_read_it() {
    assert_eq!(decode(b"\xef\xbb\xbfa\r\nb"), "a\r\nb");
    assert_eq!(decode(b"a\n\nb\n"), "a\n\nb\n");
    assert_eq!(decode(b""), "");
    assert_eq!(decode(b"bad \xff byte\n"), "bad \u{fffd} byte\n");
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain("x\ny\n".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(decode(&be), "x\ny\n");
}
