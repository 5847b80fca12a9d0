use super::*;

/// The kind id and value of each secret `find` reports in `text`.
fn found(text: &str) -> Vec<(&'static str, &str)> {
    find(text)
        .iter()
        .map(|f| (KINDS[f.kind].id, &text[f.start..f.end]))
        .collect()
}

#[test]
fn each_kind_is_found_with_exactly_its_value() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            r#"PS C:\> & "$env:ProgramFiles\AzureConnectedMachineAgent\azcmagent.exe" connect --service-principal-id "0d0c7bd1-1234-4c1e-9d2b-2f1b0a6e3f44" --service-principal-secret "Ke58Q~abc.DEF_ghi-123" --tenant-id "t""#,
            &[("service-principal-secret", "Ke58Q~abc.DEF_ghi-123")],
        ),
        (
            "sudo azcmagent connect -i 0d0c7bd1 -p 'p4ss~word' -t 72f988bf --location westeurope",
            &[("service-principal-secret", "p4ss~word")],
        ),
        (
            "azcmagent connect --service-principal-secret=s3cr3tV4lue --tenant-id t",
            &[("service-principal-secret", "s3cr3tV4lue")],
        ),
        (
            "az login --service-principal -u 0d0c7bd1 -p Zx9~secretvalue --tenant 72f988bf",
            &[("service-principal-secret", "Zx9~secretvalue")],
        ),
        (
            r#"$ServicePrincipalClientSecret="Q8w~Secret.Value";"#,
            &[("service-principal-secret", "Q8w~Secret.Value")],
        ),
        (
            r#"export servicePrincipalSecret="Q8w~Secret.Value""#,
            &[("service-principal-secret", "Q8w~Secret.Value")],
        ),
        (
            r#".\DeployGPO.ps1 -DomainFQDN contoso.com -ServicePrincipalSecret "Q8w~Secret.Value" -ServicePrincipalClientId x"#,
            &[("service-principal-secret", "Q8w~Secret.Value")],
        ),
        (
            r#"{"tenant-id": "t", "service-principal-secret": "Q8w~Secret.Value"}"#,
            &[("service-principal-secret", "Q8w~Secret.Value")],
        ),
        (
            r#"msg="connect" args="--service-principal-secret \"Q8w~Secret.Value\" --tenant-id t""#,
            &[("service-principal-secret", "Q8w~Secret.Value")],
        ),
        (
            "grant_type=client_credentials&client_id=abc&client_secret=Q8w~Secret.Value&scope=x",
            &[("client-secret", "Q8w~Secret.Value")],
        ),
        (
            r#"{"clientSecret": "Q8w~Secret.Value"}"#,
            &[("client-secret", "Q8w~Secret.Value")],
        ),
        (
            "azcmagent connect --access-token eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJodHRwcz.sIgnAtUrE --location eastus",
            &[(
                "access-token",
                "eyJ0eXAiOiJKV1Qi.eyJhdWQiOiJodHRwcz.sIgnAtUrE",
            )],
        ),
        (
            r#"{"token_type":"Bearer","access_token":"abcdEFGH1234ijklMNOP"}"#,
            &[("access-token", "abcdEFGH1234ijklMNOP")],
        ),
        (
            r#"{\"token_type\":\"Bearer\",\"refresh_token\":\"0.AXkAabcdEFGH1234-ijkl\"}"#,
            &[("refresh-token", "0.AXkAabcdEFGH1234-ijkl")],
        ),
        (
            "grant_type=refresh_token&refresh_token=0.AXkAabcdEFGH1234&client_id=x",
            &[("refresh-token", "0.AXkAabcdEFGH1234")],
        ),
        (
            "Authorization: Bearer abcdEFGH1234ijklMNOP5678",
            &[("access-token", "abcdEFGH1234ijklMNOP5678")],
        ),
        (
            "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl in the cache",
            &[(
                "jwt",
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl",
            )],
        ),
        (
            "GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-12-01&sig=AbC%2Bdef%3D123456 failed",
            &[("sas-signature", "AbC%2Bdef%3D123456")],
        ),
        (
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=QmFzZTY0S2V5VmFsdWUxMjM0NTY3OA==;EndpointSuffix=core.windows.net",
            &[("storage-key", "QmFzZTY0S2V5VmFsdWUxMjM0NTY3OA==")],
        ),
        (
            "Using proxy http://svc-arc:Pr0xy!Pass@proxy.contoso.com:8080",
            &[("url-password", "Pr0xy!Pass")],
        ),
        (
            "Server=db;User Id=sa;Password=Sup3rS3cret;",
            &[("password", "Sup3rS3cret")],
        ),
        (
            "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEAwJ3m-----END RSA PRIVATE KEY-----",
            &[("private-key", "MIIEowIBAAKCAQEAwJ3m")],
        ),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let got = found(text);
        if got != *want {
            failures.push(format!("{text}\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Names of secrets, references to them and values already hidden are not secrets.
#[test]
fn references_and_hidden_values_are_not_secrets() {
    let texts = [
        r#"azcmagent connect --service-principal-id "$ServicePrincipalId" --service-principal-secret "$ServicePrincipalClientSecret" --tenant-id "$TenantId""#,
        r#"azcmagent connect --service-principal-secret "{serviceprincipalPassword}""#,
        "azcmagent connect --service-principal-secret <serviceprincipalPassword>",
        "azcmagent connect --service-principal-secret %SP_SECRET%",
        r#"azcmagent connect --service-principal-secret "SECRET""#,
        "azcmagent connect --service-principal-cert /etc/arc/sp.pem --tenant-id t",
        ".\\DeployGPO.ps1 -ServicePrincipalSecret $ServicePrincipalSecret",
        "Using proxy http://xxxxx:xxxxx@proxy.contoso.com:8080",
        "Using proxy http://proxy.contoso.com:8080",
        "mail jane@contoso.com about https://user@host.example/path",
        "level=error msg=\"Invalid client secret is provided.\" AADSTS7000215",
        "The client secret has expired (AADSTS7000222)",
        "-----BEGIN CERTIFICATE-----MIIDdzCCAl+gAwIBAgIE-----END CERTIFICATE-----",
        "azcmagent connect --service-principal-secret REDACTED --tenant-id t",
        "Server=db;Password=null;",
        "Bearer short",
        "sig=short",
    ];
    for text in texts {
        assert_eq!(found(text), [], "{text}");
    }
}

#[test]
fn overlapping_finds_are_one_secret_named_by_the_first() {
    let text = "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl";
    assert_eq!(
        found(text),
        [(
            "access-token",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"
        )]
    );
}

#[test]
fn a_quoted_secret_cut_by_a_wrapped_line_is_found_to_the_end() {
    let text = r#"azcmagent connect --service-principal-secret "Ke58Q~abc.DEF"#;
    assert_eq!(found(text), [("service-principal-secret", "Ke58Q~abc.DEF")]);
}

#[test]
fn masking_replaces_each_range_and_maps_positions() {
    let text = "a SECRET b OTHER c";
    let m = mask(text, &[(2, 8), (11, 16)]);
    assert_eq!(m.text, format!("a {MASK} b {MASK} c"));
    let after_first = 2 + MASK.len();
    // Before, at the edges of, inside and after each mask.
    assert_eq!(m.position(1, false), 1);
    assert_eq!(m.position(2, false), 2);
    assert_eq!(m.position(2, true), 2);
    assert_eq!(m.position(5, false), 2);
    assert_eq!(m.position(5, true), after_first);
    assert_eq!(m.position(8, false), after_first);
    assert_eq!(m.position(9, false), after_first + 1);
    assert_eq!(m.position(13, false), after_first + 3);
    assert_eq!(m.position(13, true), after_first + 3 + MASK.len());
    assert_eq!(m.position(18, false), after_first + 3 + MASK.len() + 2);
}

#[test]
fn masking_keeps_characters_whole_and_ignores_empty_or_out_of_range_ranges() {
    let text = "é€x";
    // Ranges cutting into `é` (2 bytes) and `€` (3 bytes) are widened to whole characters.
    assert_eq!(mask(text, &[(1, 3)]).text, format!("{MASK}x"));
    assert_eq!(mask(text, &[(3, 3), (40, 50)]).text, text);
    assert_eq!(mask(text, &[]).text, text);
}

#[test]
fn a_field_value_is_masked_on_its_own() {
    assert_eq!(
        mask_value("http://svc:Pr0xyPass@proxy:8080"),
        format!("http://svc:{MASK}@proxy:8080")
    );
    assert_eq!(mask_value("proxy:8080"), "proxy:8080");
}

#[test]
fn every_kind_has_a_name_and_advice() {
    for kind in &KINDS {
        assert!(
            !kind.name.is_empty() && kind.rotate.len() > 40,
            "{}",
            kind.id
        );
        assert!(
            kind.sources
                .iter()
                .all(|s| s.starts_with("https://learn.microsoft.com/")),
            "{}",
            kind.id
        );
    }
    let ids: std::collections::BTreeSet<_> = KINDS.iter().map(|k| k.id).collect();
    assert_eq!(ids.len(), KINDS.len(), "kind ids are unique");
}

#[test]
fn two_secrets_in_one_text_stay_two() {
    let text = "azcmagent connect --service-principal-secret aaaa1111bbbb --tenant-id t; Server=db;Password=cccc2222;";
    assert_eq!(
        found(text),
        [
            ("service-principal-secret", "aaaa1111bbbb"),
            ("password", "cccc2222")
        ]
    );
}

/// Text the prefilter did not scan (a field's value, a file's name, a log being redacted) finds
/// its own triggers, overlapping ones included: `secret` ends where `client_secret` does, and
/// only the `secret` detector reads a script's `$service_principal_client_secret`. Short text
/// and a whole log are searched by different automata; both find it.
#[test]
fn text_the_prefilter_did_not_scan_finds_overlapping_triggers() {
    let line = "$service_principal_client_secret = 'Zq8~Abc.Value-42'";
    for text in [line.to_string(), " ".repeat(LONG_TEXT) + line] {
        let found = find(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].start..found[0].end], "Zq8~Abc.Value-42");
    }
}
