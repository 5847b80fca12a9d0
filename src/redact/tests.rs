use super::*;

fn redacted(text: &str) -> String {
    redact(text).text
}

#[test]
fn a_guid_is_named_by_the_nearest_keyword_before_it() {
    let log = "azcmagent connect --tenant-id 98FBB231-4A93-4DEE-85A8-9C286DDFB92D --subscription-id 4f9e31f7-1845-4909-bdc1-cb4952ffe058 --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b\n\
        Correlation ID=9da15c96-31b0-4b1d-9d6c-abdf8be29f57 principalId 0d6b7c2e-8f1a-4b3c-9d5e-6f7a8b9c0d1e\n\
        [ERROR] [11b51d59-1e28-4716-88b3-a00dbfaa4440] [00000000-0000-0000-0000-000000000000]\n\
        POST https://login.microsoftonline.com/98fbb231-4a93-4dee-85a8-9c286ddfb92d/oauth2/token";
    assert_eq!(
        redacted(log),
        "azcmagent connect --tenant-id <tenant-1> --subscription-id <subscription-1> --service-principal-id <application-1>\n\
        Correlation ID=<correlation-1> principalId <object-1>\n\
        [ERROR] [<id-1>] [00000000-0000-0000-0000-000000000000]\n\
        POST https://login.microsoftonline.com/<tenant-1>/oauth2/token"
    );
}

#[test]
fn a_guid_seen_once_in_context_keeps_that_kind_everywhere() {
    let log = "app 'fde13302-cb6c-4e9a-92b7-934840222253' failed\n\
        The client 'fde13302-cb6c-4e9a-92b7-934840222253' with object id 'fde13302-cb6c-4e9a-92b7-934840222253'";
    let r = redact(log);
    assert_eq!(
        r.text,
        "app '<object-1>' failed\nThe client '<object-1>' with object id '<object-1>'"
    );
    assert_eq!(
        r.replaced,
        vec![Replaced {
            kind: "object".into(),
            name: "object (principal) id".into(),
            count: 1,
            occurrences: 3
        }]
    );
}

#[test]
fn names_are_found_by_what_stands_before_them_and_then_everywhere() {
    let log = "[root@rhel9-app01 ~]# azcmagent connect --resource-group \"rg-arc\" --resource-name web01\n\
        PS C:\\Users\\jsmith> azcmagent show\n\
        copying to /home/alice/arc\n\
        'Microsoft.HybridCompute/machines/web01' under resource group 'rg-arc' on rhel9-app01\n\
        action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/x/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01'";
    assert_eq!(
        redacted(log),
        "[root@<machine-1> ~]# azcmagent connect --resource-group \"<resource-group-1>\" --resource-name <machine-2>\n\
        PS C:\\Users\\<user-1>> azcmagent show\n\
        copying to /home/<user-2>/arc\n\
        'Microsoft.HybridCompute/machines/<machine-2>' under resource group '<resource-group-1>' on <machine-1>\n\
        action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/x/resourceGroups/<resource-group-1>/providers/Microsoft.HybridCompute/machines/<machine-2>'"
    );
}

#[test]
fn a_short_plain_word_is_replaced_only_where_its_context_names_it() {
    // `arc` as a resource group must not turn "Azure Arc" into a placeholder.
    assert_eq!(
        redacted("--resource-group arc\nConnecting to Azure Arc"),
        "--resource-group <resource-group-1>\nConnecting to Azure Arc"
    );
    // A name with a digit is replaced wherever it stands as a word, not inside another word.
    assert_eq!(
        redacted("--resource-name web01\nweb01 ok; web012 and xweb01 are others"),
        "--resource-name <machine-1>\n<machine-1> ok; web012 and xweb01 are others"
    );
}

#[test]
fn microsofts_endpoints_stay_and_the_customers_hosts_go() {
    let log = "Get https://gbl.his.arc.azure.com/discovery\n\
        proxyconnect tcp: dial tcp: lookup proxy.contoso.local on 127.0.0.53:53: no such host\n\
        https://contoso-kv.vault.azure.net/secrets and https://contoso.onmicrosoft.com/\n\
        https://management.azure.com/ http://localhost:40342/metadata";
    assert_eq!(
        redacted(log),
        "Get https://gbl.his.arc.azure.com/discovery\n\
        proxyconnect tcp: dial tcp: lookup <host-1> on 127.0.0.53:53: no such host\n\
        https://<host-2>/secrets and https://<host-3>/\n\
        https://management.azure.com/ http://localhost:40342/metadata"
    );
}

#[test]
fn a_proxy_url_loses_its_user_password_and_host() {
    let r = redact("Using HTTPS Proxy : http://svc-arc:Winter2024@proxy.contoso.local:8080");
    assert_eq!(
        r.text,
        "Using HTTPS Proxy : http://<user-1>:<secret-1>@<host-1>:8080"
    );
    let kinds: Vec<&str> = r.replaced.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(kinds, ["secret", "host", "user"]);
}

#[test]
fn a_password_the_engine_already_masked_keeps_the_url_whole() {
    assert_eq!(
        redacted("http://svc-arc:<secret hidden>@proxy.contoso.local:8080"),
        "http://<user-1>:<secret hidden>@<host-1>:8080"
    );
}

#[test]
fn addresses_become_documentation_addresses_unless_everyone_has_them() {
    let log = "dial tcp 10.0.0.5:443 via 10.0.0.5 and 172.16.4.20; dns 192.0.2.1\n\
        kept: 127.0.0.1 169.254.169.254 168.63.129.16 0.0.0.0 255.255.255.0\n\
        versions: 1.48.02881.1941 10.0.17763.1 1.2.3.4.5 v1.2.3.4";
    assert_eq!(
        redacted(log),
        "dial tcp 192.0.2.2:443 via 192.0.2.2 and 192.0.2.3; dns 192.0.2.1\n\
        kept: 127.0.0.1 169.254.169.254 168.63.129.16 0.0.0.0 255.255.255.0\n\
        versions: 1.48.02881.1941 10.0.17763.1 1.2.3.4.5 v1.2.3.4"
    );
}

#[test]
fn the_documentation_ranges_run_out_into_numbered_placeholders() {
    let none = HashSet::new();
    assert_eq!(identifiers::documentation_ip(1, &none), "192.0.2.1");
    assert_eq!(identifiers::documentation_ip(255, &none), "198.51.100.1");
    assert_eq!(identifiers::documentation_ip(762, &none), "203.0.113.254");
    assert_eq!(identifiers::documentation_ip(763, &none), "<ip-763>");
    let taken: HashSet<String> = ["192.0.2.1".to_string()].into();
    assert_eq!(identifiers::documentation_ip(1, &taken), "192.0.2.2");
}

#[test]
fn customer_addresses_go_and_microsofts_stay() {
    assert_eq!(
        redacted(
            "from arc-admin@contoso.com to gpgsecurity@microsoft.com, admin@contoso.onmicrosoft.com"
        ),
        "from <email-1> to gpgsecurity@microsoft.com, <email-2>"
    );
}

#[test]
fn a_secret_over_several_lines_keeps_every_line_break() {
    let log = "key:\r\n-----BEGIN RSA PRIVATE KEY-----\r\nMIIEowIBAAKCAQEA1\r\n\r\nZm9vYmFy\r\n-----END RSA PRIVATE KEY-----\r\n";
    let r = redact(log);
    assert_eq!(
        r.text,
        "key:\r\n-----BEGIN RSA PRIVATE KEY-----\r\n<secret-1>\r\n\r\n<secret-1>\r\n-----END RSA PRIVATE KEY-----\r\n"
    );
    assert_eq!(r.replaced[0].occurrences, 1);
}

#[test]
fn a_secret_is_replaced_wherever_it_appears_again() {
    assert_eq!(
        redacted("--service-principal-secret 'Ke58Q~abc.DEF_ghi-123'\necho Ke58Q~abc.DEF_ghi-123"),
        "--service-principal-secret '<secret-1>'\necho <secret-1>"
    );
}

#[test]
fn placeholders_and_references_are_left_alone() {
    let text = "--resource-group <resource-group-1> --resource-name $machine -g %RG% https://<host-1>:8080 C:\\Users\\<user-1>\\x";
    let r = redact(text);
    assert_eq!(r.text, text);
    assert!(r.replaced.is_empty());
    assert_eq!(
        redact(""),
        Redacted {
            text: String::new(),
            replaced: Vec::new()
        }
    );
}

#[test]
fn a_value_swallowed_by_a_longer_one_is_not_counted() {
    // The prompt names a user and a host, but the e-mail address covering both is what is
    // replaced: the summary counts only what the text shows.
    let r = redact("bob@contoso.com:~$ ls");
    assert_eq!(r.text, "<email-1>:~$ ls");
    let kinds: Vec<&str> = r.replaced.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(kinds, ["email"]);
}

#[test]
fn a_long_name_without_a_digit_is_replaced_where_it_stands_alone_too() {
    assert_eq!(
        redacted("--resource-name dbserver\ndbserver failed"),
        "--resource-name <machine-1>\n<machine-1> failed"
    );
}

#[test]
fn the_first_named_kind_of_a_guid_stays_even_if_a_later_context_names_another() {
    let log = "--tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d\nSubscription ID: 98fbb231-4a93-4dee-85a8-9c286ddfb92d";
    assert_eq!(
        redacted(log),
        "--tenant-id <tenant-1>\nSubscription ID: <tenant-1>"
    );
}

#[test]
fn an_address_at_the_very_start_is_replaced_and_a_version_that_starts_like_one_is_not() {
    assert_eq!(
        redacted("10.0.0.5 is down; version 10.0.0.5.1 is not an address"),
        "192.0.2.1 is down; version 10.0.0.5.1 is not an address"
    );
}

#[test]
fn an_address_at_the_very_start_of_the_text_is_replaced() {
    assert_eq!(redacted("arc-admin@contoso.com ran it"), "<email-1> ran it");
}

#[test]
fn an_address_that_ends_a_sentence_is_still_an_address() {
    assert_eq!(
        redacted("could not reach 10.0.0.5. Retrying"),
        "could not reach 192.0.2.1. Retrying"
    );
}

#[test]
fn four_numbers_after_a_dot_are_part_of_a_longer_version_not_an_address() {
    assert_eq!(
        redacted("build 1234.10.20.30.40 done"),
        "build 1234.10.20.30.40 done"
    );
}

#[test]
fn the_keyword_nearest_a_guid_names_it_however_long_the_others_are() {
    let guid = "98fbb231-4a93-4dee-85a8-9c286ddfb92d";
    assert_eq!(
        redacted(&format!("tenant contoso, application {guid}")),
        "tenant contoso, application <application-1>"
    );
    assert_eq!(
        redacted(&format!("0123456789service principal id, tenant {guid}")),
        "0123456789service principal id, tenant <tenant-1>"
    );
}

#[test]
fn only_link_local_addresses_are_kept_not_every_169_or_254() {
    assert_eq!(
        redacted("via 10.254.0.9 and 169.10.0.1"),
        "via 192.0.2.1 and 192.0.2.2"
    );
}
