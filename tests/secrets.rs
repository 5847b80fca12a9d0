//! Secrets in a log: every report names them by kind and line, and no text the engine hands out
//! (evidence, error lines, fields, in any output format) carries their value.

use arc_triage::{Classifier, Report, SECRET_MASK, SecretFound, secret_kinds};
use proptest::prelude::*;
use std::sync::OnceLock;

mod common;
use common::written::{classifier as written, rule_file};

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules load"))
}

fn json(report: &Report) -> String {
    serde_json::to_string(report).expect("reports serialise")
}

fn ids(report: &Report) -> Vec<&str> {
    report.matches.iter().map(|d| d.row.id.as_str()).collect()
}

fn found(kind: &str, line: u64) -> SecretFound {
    SecretFound {
        kind: kind.into(),
        file: None,
        line,
    }
}

const SECRET: &str = "Ke58Q~abc.DEF_ghi-123";

/// The support case from issue 9: a customer's mail quoting a PowerShell session, secret and all.
fn session(secret: &str) -> String {
    format!(
        r#"PS C:\> & "$env:ProgramFiles\AzureConnectedMachineAgent\azcmagent.exe" connect --service-principal-id "0d0c7bd1-1234-4c1e-9d2b-2f1b0a6e3f44" --service-principal-secret "{secret}" --tenant-id "72f988bf-86f1-41af-91ab-2d7cd011db47" --subscription-id "5f4c1f8b-7a35-4a5b-9d55-0d2b8f9a1e11" --resource-group "rg-arc" --location "westeurope"
time="2026-11-20T10:00:01Z" level=info msg="Onboarding Machine. It usually takes a few minutes to complete. Sometimes it may take longer depending on network and server load status."
time="2026-11-20T10:00:03Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.'"
"#
    )
}

#[test]
fn a_secret_on_the_command_line_is_named_and_never_shown() {
    let report = classifier().classify(&session(SECRET));
    assert_eq!(report.secrets, [found("service-principal-secret", 1)]);
    assert_eq!(report.secret_count, 1);
    assert!(!json(&report).contains("Ke58Q"), "{}", json(&report));
    // The diagnosis is the one the log gives without a secret in it.
    let without = classifier().classify(&session("$ServicePrincipalSecret"));
    assert_eq!(ids(&report), ids(&without));
    assert_eq!(ids(&report)[0], "spn-invalid-secret");
    assert_eq!(without.secrets, []);
}

#[test]
fn evidence_masks_the_secret_and_keeps_its_highlight_on_the_same_words() {
    let log = r#"time="2026-11-20T10:00:03Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" proxy="http://svc-arc:Winter2024@proxy.contoso.local:8080" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'""#;
    let report = classifier().classify(log);
    assert_eq!(ids(&report)[0], "provider-not-registered");
    assert_eq!(report.secrets, [found("url-password", 1)]);
    let line = &report.matches[0].evidence[0].lines[0];
    assert!(
        line.text
            .contains(&format!("http://svc-arc:{SECRET_MASK}@proxy.contoso.local")),
        "{}",
        line.text
    );
    let [s, e] = line.span.expect("the match is highlighted");
    let highlighted: String = line.text.chars().skip(s).take(e - s).collect();
    assert!(
        highlighted.starts_with("The subscription is not registered"),
        "{highlighted}"
    );
    assert!(!json(&report).contains("Winter2024"));
}

/// Evidence is shown decoded: a secret inside an escaped JSON body (a token request logged in
/// a logrus field) is still hidden once the escapes around it are undone, in the evidence line
/// and in the context lines beside it.
#[test]
fn decoded_evidence_hides_a_secret_inside_an_escaped_json_body() {
    let log = format!(
        r#"time="2026-11-20T10:00:02Z" level=debug msg="token request" Body="{{\"client_id\":\"0d0c7bd1-1234-4c1e-9d2b-2f1b0a6e3f44\",\"client_secret\":\"{SECRET}\"}}"
time="2026-11-20T10:00:03Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="{{\"error\":\"invalid_client\",\"client_secret\":\"{SECRET}\",\"error_description\":\"Invalid client secret is provided.\"}}"
"#
    );
    let report = classifier().classify(&log);
    assert_eq!(
        report.secrets,
        [found("client-secret", 1), found("client-secret", 2)]
    );
    let evidence = &report.matches[0].evidence[0];
    let line = &evidence.lines[0];
    assert!(
        line.text.contains(&format!(
            r#""client_secret":"{SECRET_MASK}","error_description""#
        )),
        "decoded, and masked: {}",
        line.text
    );
    let before = evidence
        .before
        .as_ref()
        .expect("the request is the line before");
    assert!(
        before
            .text
            .contains(&format!(r#""client_secret":"{SECRET_MASK}"}}"#)),
        "{}",
        before.text
    );
    assert!(!json(&report).contains(SECRET), "{}", json(&report));
}

#[test]
fn error_lines_and_fields_are_masked_too() {
    // No rule matches: the error line is the answer, and it holds a client secret.
    let log = "ERROR token request failed: POST https://login.microsoftonline.com/t/oauth2/v2.0/token body=grant_type=client_credentials&client_secret=Q8w~Secret.Value&scope=x";
    let report = classifier().classify(log);
    assert_eq!(report.error_lines.len(), 1);
    assert!(
        report.error_lines[0]
            .text
            .contains(&format!("client_secret={SECRET_MASK}&scope")),
        "{}",
        report.error_lines[0].text
    );
    assert_eq!(report.secrets, [found("client-secret", 1)]);
    assert!(!json(&report).contains("Q8w~Secret"));
}

/// Each detector runs only on records holding one of its triggers: `passwd=` is one of its own
/// (a record holding no other trigger once showed such a password in clear).
#[test]
fn a_passwd_value_alone_in_its_record_is_masked() {
    let log =
        "level=error msg=\"proxy auth failed: connection refused\" user=svc passwd=Hunter2Xyz99";
    let report = classifier().classify(log);
    assert_eq!(report.secrets, [found("password", 1)]);
    assert!(
        report.error_lines[0]
            .text
            .ends_with(&format!("passwd={SECRET_MASK}")),
        "{}",
        report.error_lines[0].text
    );
    assert!(!json(&report).contains("Hunter2Xyz99"));
}

/// Detectors search the text as pasted, but the prefilter sees it decoded, where `\r`, `\t` and
/// `\n` are spaces: `C:\refresh_token=…` decodes to `C: efresh_token=…`. The triggers of such a
/// record are looked for in its pasted text too (found in review, 2026-11-27).
#[test]
fn a_trigger_that_decoding_breaks_still_runs_its_detector() {
    let log = "time=\"t\" level=error msg=\"token cache C:\\refresh_token=AbCdEf0123456789XyZq check failed\"\n\
               time=\"t\" level=error msg=\"read C:\\tenant_id=72f988bf-86f1-41af-91ab-2d7cd011db47 failed\"";
    let report = classifier().classify(log);
    assert_eq!(report.secrets, [found("refresh-token", 1)]);
    assert!(!json(&report).contains("AbCdEf0123456789XyZq"));
    assert_eq!(
        report.onboarding.tenant_id.as_deref(),
        Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
    );
}

/// A rule that captures a whole proxy URL, password included: the field shows it masked.
#[test]
fn a_captured_field_holding_a_secret_is_masked() {
    let rules = [rule_file(
        "proxy-captured",
        "cause",
        r#"
[[match]]
regex = 'proxyconnect tcp: (?P<proxy>https?://\S{1,200})'
[[sample]]
text = "proxyconnect tcp: http://proxy:8080"
[[near_miss]]
text = "nothing to see"
why = "unrelated"
"#,
    )];
    let log = "ERROR proxyconnect tcp: http://svc:Sup3rPass@proxy:8080";
    let report = written(&rules).classify(log);
    assert_eq!(ids(&report), ["proxy-captured"]);
    assert_eq!(
        report.matches[0].fields["proxy"],
        format!("http://svc:{SECRET_MASK}@proxy:8080")
    );
    assert!(!json(&report).contains("Sup3rPass"), "{}", json(&report));
}

#[test]
fn a_secret_wrapped_over_two_lines_is_hidden_on_both() {
    // The terminal wrapped the command line inside the secret; the lines join into one record.
    let log = "ERROR connect failed: azcmagent connect --service-principal-secret \"Ke58Q~abc.DE\nF_ghi-123\" --tenant-id t\n";
    let report = classifier().classify(log);
    assert_eq!(report.secret_count, 1);
    let text = json(&report);
    assert!(
        !text.contains("Ke58Q~abc.DE") && !text.contains("F_ghi-123"),
        "{text}"
    );
}

#[test]
fn a_private_key_block_is_hidden_whole() {
    let log = "ERROR cannot load certificate: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAwJ3mSECRETKEYMATERIAL0001\nAAKCAQEAwJ3mSECRETKEYMATERIAL0002\n-----END RSA PRIVATE KEY-----\n";
    let report = classifier().classify(log);
    // The key material starts on line 2.
    assert_eq!(report.secrets, [found("private-key", 2)]);
    assert!(!json(&report).contains("SECRETKEYMATERIAL"));
}

#[test]
fn the_list_is_capped_and_the_count_is_not() {
    let log: String = (0..150)
        .map(|i| format!("Using proxy http://svc:Pass{i:04}word@proxy:8080\n"))
        .collect();
    let report = classifier().classify(&log);
    assert_eq!(report.secret_count, 150);
    assert_eq!(report.secrets.len(), 100);
    assert_eq!(report.secrets[99], found("url-password", 100));
}

#[test]
fn every_kind_a_report_names_is_described() {
    let kinds = secret_kinds();
    for id in [
        "service-principal-secret",
        "client-secret",
        "access-token",
        "refresh-token",
        "jwt",
        "sas-signature",
        "storage-key",
        "url-password",
        "password",
        "private-key",
    ] {
        assert!(kinds.iter().any(|k| k.kind == id), "{id} is described");
    }
}

/// The session the security report (2026-11-26, F1) pasted: one secret of each shape, the
/// no-match path included (error lines), read as a support bundle's logs whose names hold one
/// too. Not one value may appear anywhere in the report: evidence, error lines, fields,
/// onboarding, notes, the files' names.
#[test]
fn a_log_full_of_secrets_leaks_none_of_them_anywhere_in_the_report() {
    const VALUES: [&str; 9] = [
        "SECRETSECRETSECRET0123456789",
        "SIGNATUREsignatureSIGNATURE",
        "BEARERSIGNATURE",
        "SASSIGNATURE",
        "Winter2024PROXYPASS",
        "ACCESSTOKENSIG",
        "REFRESHTOKENVALUE",
        "NAMEPASSWORD",
        "NAMESIG",
    ];
    let log = r#"root@edge-03:~# azcmagent connect --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b --service-principal-secret 'Xy8Q~SECRETSECRETSECRET0123456789abcdEFG' --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d --subscription-id 4f9e31f7-1845-4909-bdc1-cb4952ffe058 --resource-group rg-arc --location westeurope
PS C:\> azcmagent connect --access-token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.SIGNATUREsignatureSIGNATURE --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d
time="2024-05-05T10:25:31Z" level=debug msg="Sending request" Authorization="Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcmMifQ.BEARERSIGNATURE" url="https://management.azure.com/subscriptions/4f9e31f7-1845-4909-bdc1-cb4952ffe058"
time="2024-05-05T10:25:32Z" level=error msg="Failed to download extension" Error="Get "https://arcext.blob.core.windows.net/pkgs/ext.zip?sv=2021-08-06&se=2024-06-01T00%3A00%3A00Z&sr=b&sp=r&sig=SASSIGNATURE%2Babc%3D": x509: certificate signed by unknown authority"
PS C:\> azcmagent config set proxy.url http://svc-arc:Winter2024PROXYPASS@proxy.contoso.local:8080
time="2024-05-05T10:25:33Z" level=error msg="Token response" Body="{"token_type":"Bearer","access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.ACCESSTOKENSIG","refresh_token":"0.REFRESHTOKENVALUE"}"
time="2024-05-05T10:25:34Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.' client_secret=Xy8Q~SECRETSECRETSECRET0123456789abcdEFG"
"#;
    // Read whole, and as a bundle's logs (every line an error line too, none matching a rule).
    let whole = classifier().classify(log);
    let errors_only = log.replace("Invalid client secret", "something else");
    let mut session = classifier().session();
    session.begin_file("logs/password=NAMEPASSWORD/azcmagent.log");
    session.feed(log.as_bytes());
    session.begin_file("logs/ext.zip?sv=1&sig=NAMESIG.log");
    session.feed(errors_only.as_bytes());
    session.skip_file("proxy http://u:NAMEPASSWORD@p/.json", "not a log");
    let bundle = session.finish();
    for report in [&whole, &classifier().classify(&errors_only), &bundle] {
        let text = json(report);
        for value in VALUES {
            assert!(
                !text.contains(value),
                "{value} in
{text}"
            );
        }
    }
    assert!(!bundle.error_lines.is_empty(), "the error lines were built");
    assert_eq!(whole.secret_count, 8, "{:?}", whole.secrets);
    assert!(
        whole
            .secrets
            .iter()
            .any(|s| s.kind == "refresh-token" && s.line == 6),
        "{:?}",
        whole.secrets
    );
}

/// Where a secret can sit in a line the agent or a shell prints, `{}` standing for it.
const PLACES: [&str; 12] = [
    r#"PS C:\> azcmagent connect --service-principal-id "id" --service-principal-secret "{}" --tenant-id "t""#,
    "$ sudo azcmagent connect -i id -p '{}' -t tenant",
    "az login --service-principal -u id -p {} --tenant t",
    r#"$ServicePrincipalClientSecret="{}""#,
    r#"time="t" level=error msg="request" body="grant_type=client_credentials&client_secret={}&scope=x""#,
    "ERROR azcmagent connect --access-token {} failed",
    "ERROR GET https://a.blob.core.windows.net/c/b?sv=1&sig={} failed: 403",
    "ERROR DefaultEndpointsProtocol=https;AccountName=a;AccountKey={};EndpointSuffix=x",
    "ERROR proxyconnect tcp: http://user:{}@proxy:8080: 407",
    "ERROR Server=db;Password={};",
    "Authorization: Bearer {}",
    r#"{"level":"error","msg":"connect","args":"--service-principal-secret \"{}\""}"#,
];

proptest! {
    /// Whatever the secret and wherever it sits, among lines that give a diagnosis, no output
    /// carries it, the report names it, and the diagnosis is the one without it.
    #[test]
    fn no_output_carries_a_secret(
        secret in "[A-Za-z0-9][A-Za-z0-9~._-]{15,40}",
        place in 0usize..PLACES.len(),
        row in 0usize..2,
    ) {
        let rows = [
            r#"time="t" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.'""#,
            r#"time="t" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'""#,
        ];
        let log = format!("{}\n{}\n", PLACES[place].replace("{}", &secret), rows[row]);
        let report = classifier().classify(&log);
        prop_assert!(!json(&report).contains(&secret), "{}", json(&report));
        prop_assert_eq!(report.secret_count, 1);
        prop_assert_eq!(report.secrets[0].line, 1);
        let plain = classifier().classify(&format!("{}\n{}\n", PLACES[place].replace("{}", "$NAME"), rows[row]));
        prop_assert_eq!(ids(&report), ids(&plain));
    }
}
