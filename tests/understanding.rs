//! The same error names the same rule however it reaches the user: whatever the operation, the
//! stage, the endpoint or the envelope (a JSON body, an escaped logrus field, the Azure SDK's
//! `RESPONSE`/`ERROR CODE` block, a PowerShell error record, a line cut off after the code).
//! Each case is one error in several shapes; the first diagnosis must be the expected rule.

use arc_triage::Classifier;

fn classifier() -> Classifier {
    Classifier::builtin().expect("the built-in rules load")
}

/// Every shape of `body` an ARM error with `code` and `message` takes in what people paste.
fn arm_shapes(code: &str, message: &str) -> Vec<String> {
    let escaped = message.replace('\'', "\\u0027");
    vec![
        format!(r#"{{"error":{{"code":"{code}","message":"{message}"}}}}"#),
        format!(
            r#"time="2026-09-01T10:00:00Z" level=fatal msg="Failed to create resource" Error="{{\"error\":{{\"code\":\"{code}\",\"message\":\"{message}\"}}}}""#
        ),
        format!(
            "FATAL   PUT https://management.azure.com/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01\n--------------------------------------------------------------------------------\nRESPONSE 403: 403 Forbidden\nERROR CODE: {code}\n--------------------------------------------------------------------------------\n{{\n  \"error\": {{\n    \"code\": \"{code}\",\n    \"message\": \"{message}\"\n  }}\n}}"
        ),
        format!("New-AzConnectedMachineExtension: {message}\nErrorCode: {code}"),
        format!(r#"    "error": {{ "code": "{code}", "message": "{escaped}" }}"#),
        // Cut off right after the code.
        format!(r#"Body="{{\"error\":{{\"code\":\"{code}\",\"message\":\"The"#),
    ]
}

fn check(cases: &[(&str, Vec<String>)]) {
    let c = classifier();
    let mut failures = Vec::new();
    for (expected, shapes) in cases {
        for text in shapes {
            let report = c.classify(text);
            let got: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
            if got.first() != Some(expected) {
                failures.push(format!(
                    "expected `{expected}` first, got {got:?} for:\n  {}",
                    text.replace('\n', "\n  ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "\n{}\n({} failures)",
        failures.join("\n"),
        failures.len()
    );
}

#[test]
fn arm_error_codes_name_their_rule_whatever_the_operation_and_envelope() {
    let cases = [
        (
            "arm-authorization-failed",
            [
                "Microsoft.HybridCompute/machines/write",
                "Microsoft.HybridCompute/machines/delete",
                "Microsoft.HybridCompute/machines/read",
                "Microsoft.HybridCompute/machines/extensions/write",
                "Microsoft.HybridCompute/register/action",
                "Microsoft.GuestConfiguration/register/action",
            ]
            .iter()
            .flat_map(|action| {
                arm_shapes(
                    "AuthorizationFailed",
                    &format!(
                        "The client 'ops@contoso.com' with object id '6b0c0a43-2a8e-4c7e-9b53-3f0d8f2e4b11' does not have authorization to perform action '{action}' over scope '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-arc' or the scope is invalid. If access was recently granted, please refresh your credentials."
                    ),
                )
            })
            .collect::<Vec<_>>(),
        ),
        (
            "policy-denied",
            arm_shapes(
                "RequestDisallowedByPolicy",
                "Resource 'web01' was disallowed by policy. Policy identifiers: '[{\\\"policyAssignment\\\":{\\\"name\\\":\\\"Allowed locations\\\",\\\"id\\\":\\\"/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policyAssignments/allowed-locations\\\"}}]'.",
            ),
        ),
        (
            "scope-locked",
            arm_shapes(
                "ScopeLocked",
                "The scope '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01' cannot perform delete operation because following scope(s) are locked: '/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-arc'. Please remove the lock and try again.",
            ),
        ),
        (
            "provider-not-registered",
            arm_shapes(
                "MissingSubscriptionRegistration",
                "The subscription is not registered to use namespace 'Microsoft.HybridCompute'. See https://aka.ms/rps-not-found for how to register subscriptions.",
            ),
        ),
        (
            "api-version-unsupported",
            arm_shapes(
                "NoRegisteredProviderFound",
                "No registered resource provider found for location 'westeurope' and API version '2019-01-01' for type 'machines'. The supported api-versions are '2020-08-02, 2022-12-27, 2024-07-10'.",
            ),
        ),
        (
            "machine-not-found",
            arm_shapes(
                "ResourceNotFound",
                "The Resource 'Microsoft.HybridCompute/machines/web01' under resource group 'rg-arc' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
            ),
        ),
        (
            "resource-group-not-found",
            arm_shapes("ResourceGroupNotFound", "Resource group 'rg-arc' could not be found."),
        ),
        (
            "wrong-tenant-token",
            arm_shapes(
                "InvalidAuthenticationTokenTenant",
                "The access token is from the wrong issuer 'https://sts.windows.net/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0/'. It must match the tenant 'https://sts.windows.net/1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809/' associated with this subscription.",
            ),
        ),
        (
            "extension-operation-in-progress",
            arm_shapes(
                "HCRP409",
                "An extension of type AzureMonitorWindowsAgent is still processing. Only one instance of an extension may be in progress at a time for the same resource.",
            ),
        ),
    ];
    check(&cases);
}

#[test]
fn go_network_errors_name_their_rule_at_any_stage_and_endpoint() {
    let urls = [
        r#"Post "https://login.microsoftonline.com/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0/oauth2/v2.0/token""#,
        "Get https://management.azure.com/subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01?api-version=2024-07-10",
        r#"Put "https://weu.his.arc.azure.com/machine/11b51d59-1e28-4716-88b3-a00dbfaa4440/status?api-version=2021-01-28""#,
        r#"Get "https://agentserviceapi.guestconfiguration.azure.com/subscriptions/x""#,
    ];
    let host = |url: &str| {
        url.split("://")
            .nth(1)
            .unwrap_or_default()
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let shapes = |detail: &dyn Fn(&str) -> String| -> Vec<String> {
        urls.iter()
            .flat_map(|u| {
                let d = detail(&host(u));
                vec![
                    format!(r#"time="2026-09-01T10:00:00Z" level=fatal msg="Failed to connect" Error="{}: {d}""#, u.replace('"', "\\\"")),
                    format!("FATAL   {u}: {d}"),
                ]
            })
            .collect()
    };
    let cases = [
        (
            "endpoint-timeout",
            shapes(&|_| "dial tcp 20.190.151.7:443: i/o timeout".to_string()),
        ),
        (
            "endpoint-timeout",
            shapes(&|_| {
                "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                    .to_string()
            }),
        ),
        (
            "endpoint-timeout",
            shapes(&|_| "net/http: TLS handshake timeout".to_string()),
        ),
        (
            "endpoint-name-not-resolved",
            shapes(&|h| format!("dial tcp: lookup {h} on 10.0.0.2:53: no such host")),
        ),
        (
            "endpoint-connection-refused",
            shapes(&|_| "dial tcp 20.190.151.7:443: connect: connection refused".to_string()),
        ),
        (
            "endpoint-connection-refused",
            shapes(&|_| {
                "read tcp 10.1.2.3:50123->20.190.151.7:443: read: connection reset by peer"
                    .to_string()
            }),
        ),
        (
            "proxy-unreachable",
            shapes(&|_| {
                "proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused".to_string()
            }),
        ),
        (
            "tls-inspection",
            shapes(&|_| {
                "tls: failed to verify certificate: x509: certificate signed by unknown authority"
                    .to_string()
            }),
        ),
        (
            "tls-inspection",
            shapes(&|_| "x509: certificate signed by unknown authority".to_string()),
        ),
    ];
    check(&cases);
}

#[test]
fn the_device_code_endpoints_keep_their_table_rows_in_every_url_form() {
    let forms = [
        "Post https://login.windows.net/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0/oauth2/devicecode?api-version=1.0:",
        r#"Post "https://login.microsoftonline.com/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0/oauth2/v2.0/devicecode":"#,
    ];
    let with = |tail: &str| -> Vec<String> {
        forms
            .iter()
            .map(|f| format!(r#"FATAL   Failed to acquire authorization token device flow: Error occurred while sending request for Device Authorization Code: {f} {tail}"#))
            .collect()
    };
    check(&[
        (
            "device-flow-network-unreachable",
            with("dial tcp 40.126.9.7:443: connect: network is unreachable"),
        ),
        (
            "device-flow-no-such-host",
            with("dial tcp: lookup login.microsoftonline.com on 10.0.0.2:53: no such host"),
        ),
        ("device-flow-forbidden", with("Forbidden")),
    ]);
}

#[test]
fn entra_codes_name_their_rule_in_any_envelope() {
    let shapes = |code: &str, text: &str| -> Vec<String> {
        vec![
            format!(
                r#"{{"error":"invalid_client","error_description":"{code}: {text} Trace ID: 0a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b","error_codes":[{}],"timestamp":"2026-09-01 10:00:00Z"}}"#,
                code.trim_start_matches("AADSTS")
            ),
            format!(
                "FATAL   ClientSecretCredential authentication failed\nPOST https://login.microsoftonline.com/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0/oauth2/v2.0/token\n--------------------------------------------------------------------------------\nRESPONSE 401 Unauthorized\n--------------------------------------------------------------------------------\n{{\n  \"error\": \"invalid_client\",\n  \"error_description\": \"{code}: {text}\"\n}}"
            ),
            format!(
                r#"time="2026-09-01T10:00:00Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="{{\"error\":\"invalid_client\",\"error_description\":\"{code}: {text}\"}}""#
            ),
        ]
    };
    check(&[
        (
            "spn-invalid-secret",
            shapes(
                "AADSTS7000215",
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
            ),
        ),
        (
            "spn-secret-expired",
            shapes(
                "AADSTS7000222",
                "The provided client secret keys for app '6b0c0a43-2a8e-4c7e-9b53-3f0d8f2e4b11' are expired.",
            ),
        ),
        (
            "spn-app-not-found",
            shapes(
                "AADSTS700016",
                "Application with identifier '6b0c0a43-2a8e-4c7e-9b53-3f0d8f2e4b11' was not found in the directory 'Contoso'.",
            ),
        ),
        (
            "tenant-not-found",
            shapes(
                "AADSTS90002",
                "Tenant '9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0' not found.",
            ),
        ),
        (
            "conditional-access-blocked",
            shapes(
                "AADSTS53003",
                "Access has been blocked by Conditional Access policies.",
            ),
        ),
        (
            "conditional-access-blocked",
            shapes(
                "AADSTS50076",
                "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
            ),
        ),
        (
            "device-code-expired",
            shapes("AADSTS70019", "Verification code expired."),
        ),
    ]);
}

#[test]
fn windows_installer_errors_name_their_rule() {
    let script = |n: &str, text: &str| {
        format!(
            "Installation failed: Installation failed: [{n}]: {text} : See C:\\Windows\\Temp\\installationlog.txt for additional details."
        )
    };
    check(&[
        ("azcm0156", vec![script("1603", "Fatal error during installation.")]),
        ("azcm0159", vec![script("1618", "Another installation is already in progress. Complete that installation before proceeding with this install.")]),
        ("azcm0153", vec![script("1633", "This installation package is not supported by this processor type. Contact your product vendor. Unsupported: Azure Connected Machine Agent is only compatible with X64 operating systems")]),
        ("azcm0158", vec![script("112", "There is not enough space on the disk.")]),
        ("azcm0160", vec![script("1622", "Error opening installation log file. Verify that the specified log file location exists and that you can write to it.")]),
        ("msi-install-failed", vec![
            "MSI (s) (A0:B4) [10:00:01:123]: MainEngineThread is returning 1603".to_string(),
            "MSI (s) (A0:B4) [10:00:01:120]: Product: Azure Connected Machine Agent -- Installation failed.".to_string(),
        ]),
        ("agent-service-start-failed", vec![
            "Error 1920. Service 'Guest Configuration Extension service' (ExtensionService) failed to start. Verify that you have sufficient privileges to start system services.".to_string(),
        ]),
    ]);
}

#[test]
fn package_manager_failures_at_the_package_step_name_their_rule() {
    check(&[
        ("linux-package-not-found", vec![
            "E: Unable to locate package azcmagent".to_string(),
            "No match for argument: azcmagent\nError: Unable to find a match: azcmagent".to_string(),
            "'azcmagent' not found in package names. Trying capabilities.\nNo provider of 'azcmagent' found.".to_string(),
        ]),
        ("linux-repo-unreachable", vec![
            "Err:5 https://packages.microsoft.com/ubuntu/22.04/prod jammy InRelease\n  Temporary failure resolving 'packages.microsoft.com'".to_string(),
            "Errors during downloading metadata for repository 'packages-microsoft-com-prod':\n  - Curl error (28): Timeout was reached for https://packages.microsoft.com/rhel/9/prod/repodata/repomd.xml [Connection timed out after 30001 milliseconds]".to_string(),
        ]),
        ("linux-repo-intercepted", vec![
            "Err:5 https://packages.microsoft.com/ubuntu/22.04/prod jammy InRelease\n  Certificate verification failed: The certificate is NOT trusted. The certificate issuer is unknown.  Could not handshake: Error in the certificate verification. [IP: 13.107.213.40 443]".to_string(),
        ]),
        ("linux-package-manager-busy", vec![
            "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2345 (unattended-upgr)".to_string(),
        ]),
        ("linux-repo-signature-failed", vec![
            "W: GPG error: https://packages.microsoft.com/ubuntu/22.04/prod jammy InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY EB3E94ADBE1229CF".to_string(),
        ]),
    ]);
}
