//! The values redaction replaces, found by their shape (a GUID, an e-mail or IPv4 address, a
//! secret) or by what stands before them (`/resourceGroups/`, a shell prompt, a URL).

use super::kind::Kind;
use crate::secrets;
use regex::bytes::{Regex, RegexBuilder};
use std::collections::HashSet;
use std::sync::OnceLock;

/// A value to replace: its kind, byte range and key (the value, lower-cased where case does
/// not tell two values apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub key: String,
}

/// What [`find`] learned: the values, in order, and the documentation addresses the text
/// already holds (placeholders must not collide with them).
pub struct Findings {
    pub found: Vec<Found>,
    pub documentation_ips: HashSet<String>,
}

const GUID: &str = r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b";
const EMAIL: &str = r"(?i)\b[a-z0-9._%+-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,62}\.){1,8}[a-z]{2,24}\b";
const IPV4: &str = r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b";

/// A name after its context: quotes and escaped quotes around it are allowed.
const NAME: &str = r#"\\?["']?(?P<v>[A-Za-z0-9_.()~-]{1,90})"#;

/// `(kind of group v, pattern)`; a pattern with groups `u` and `h` names a user and a host.
fn contexts() -> Vec<(Kind, String)> {
    let n = NAME;
    vec![
        (
            Kind::ResourceGroup,
            format!(
                r#"(?i)(?:--resource-group\b|-ResourceGroupName\b|\s-g\b|/resourceGroups/|\bresourceGroup(?:Name)?\\?["']?\s*[:=]|\bResource Group Name\s*:)[\s=]*{n}"#
            ),
        ),
        (
            Kind::ResourceGroup,
            r#"(?i)\bresource group\s+\\?['"](?P<v>[A-Za-z0-9_.()-]{1,90})\\?['"]"#.to_string(),
        ),
        (
            Kind::Machine,
            format!(
                r#"(?i)(?:--resource-name\b|--machine-name\b|-MachineName\b|/providers/Microsoft\.(?:HybridCompute/machines|Compute/virtualMachines)/|\bmachineName\\?["']?\s*[:=]|\bResource Name\s*:|\bComputer ?Name\s*[:=])[\s=]*{n}"#
            ),
        ),
        (
            Kind::Machine,
            r#"(?i)['"]Microsoft\.HybridCompute/machines/(?P<v>[A-Za-z0-9_.-]{1,64})['"]"#
                .to_string(),
        ),
        (
            Kind::User,
            r#"(?i)\b[a-z]:\\{1,2}Users\\{1,2}(?P<v>[^\\/\s"'<>:|*?]{1,64})"#.to_string(),
        ),
        (
            Kind::User,
            r#"(?:^|[\s"'=:])/home/(?P<v>[^/\s"'<>:]{1,64})"#.to_string(),
        ),
        // A shell prompt: `user@host:~$`, `[user@host dir]#`.
        (
            Kind::User,
            r"(?m)^\[?(?P<u>[a-z_][a-z0-9_.-]{0,31})@(?P<h>[A-Za-z0-9][A-Za-z0-9.-]{0,62})(?::[~/]|\s[^\]\n]{0,60}\][#$])"
                .to_string(),
        ),
        // A URL's user and host.
        (
            Kind::Host,
            // The password may already be masked by the engine (`<secret hidden>`).
            format!(
                r#"(?i)\b(?:https?|wss?|socks5?h?)://(?:(?P<u>[^\s/?#@:"'<>\\]{{1,64}})(?::(?:{mask}|[^\s/?#@"'\\]{{0,200}}))?@)?(?P<h>[a-z0-9](?:[a-z0-9.-]{{0,251}}[a-z0-9])?)"#,
                mask = secrets::MASK
            ),
        ),
        // A name resolved or dialled (`dial tcp: lookup proxy.contoso.local on …`).
        (
            Kind::Host,
            r"(?i)\b(?:dial (?:tcp|udp)[46]?:?\s+(?:lookup\s+)?|lookup\s+)(?P<h>[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?:[:\s]|$)"
                .to_string(),
        ),
    ]
}

struct Detectors {
    guid: Regex,
    email: Regex,
    ipv4: Regex,
    contexts: Vec<(Kind, Regex)>,
}

fn detectors() -> &'static Detectors {
    static DETECTORS: OnceLock<Detectors> = OnceLock::new();
    DETECTORS.get_or_init(|| {
        // Bytes and ASCII classes, as the secret detectors: the build has no Unicode tables.
        let build = |p: &str| {
            RegexBuilder::new(p)
                .unicode(false)
                .build()
                .expect("the redaction detectors are valid")
        };
        Detectors {
            guid: build(GUID),
            email: build(EMAIL),
            ipv4: build(IPV4),
            contexts: contexts().iter().map(|(k, p)| (*k, build(p))).collect(),
        }
    })
}

/// Every value to replace in `text`, sorted by position.
pub fn find(text: &str) -> Findings {
    let bytes = text.as_bytes();
    let d = detectors();
    let mut found = Vec::new();
    let mut push = |kind: Kind, start: usize, end: usize, key: String| {
        found.push(Found {
            kind,
            start,
            end,
            key,
        })
    };

    for s in secrets::find(text) {
        push(
            Kind::Secret,
            s.start,
            s.end,
            text[s.start..s.end].to_string(),
        );
    }
    let mut previous_end = 0;
    for m in d.guid.find_iter(bytes) {
        let key = text[m.start()..m.end()].to_ascii_lowercase();
        if key.bytes().all(|b| b == b'0' || b == b'-') {
            continue; // the nil GUID identifies nothing
        }
        let kind = guid_kind(text, previous_end, m.start());
        previous_end = m.end();
        push(kind, m.start(), m.end(), key);
    }
    for m in d.email.find_iter(bytes) {
        let value = &text[m.start()..m.end()];
        let domain = value.rsplit('@').next().unwrap_or_default();
        // `://user@host` and `://user:password@host` are a URL's user and host, not an address.
        let in_url = m.start() > 0 && matches!(bytes[m.start() - 1], b':' | b'/');
        if !in_url && !is_microsoft_host(domain) {
            push(Kind::Email, m.start(), m.end(), value.to_ascii_lowercase());
        }
    }
    let mut documentation_ips = HashSet::new();
    for m in d.ipv4.find_iter(bytes) {
        let value = &text[m.start()..m.end()];
        let Some(octets) = octets(value) else {
            continue;
        };
        // `1.2.3.4.5` is a version, not an address.
        let dotted = |i: Option<&u8>| i == Some(&b'.');
        if dotted(bytes.get(m.end())) && bytes.get(m.end() + 1).is_some_and(u8::is_ascii_digit)
            || m.start() > 0 && dotted(bytes.get(m.start() - 1))
        {
            continue;
        }
        if is_documentation_ip(octets) {
            documentation_ips.insert(value.to_string());
        } else if !is_public_knowledge_ip(octets) {
            push(Kind::Ip, m.start(), m.end(), value.to_string());
        }
    }
    for (kind, regex) in &d.contexts {
        for caps in regex.captures_iter(bytes) {
            for (group, group_kind) in [("v", *kind), ("u", Kind::User), ("h", *kind)] {
                let Some(m) = caps.name(group) else { continue };
                let group_kind = if group == "h" && *kind == Kind::User {
                    Kind::Machine // a prompt's host is the machine itself
                } else {
                    group_kind
                };
                let value = text[m.start()..m.end()].trim_end_matches(['.', ')', '(']);
                if is_name(value, group_kind) {
                    let end = m.start() + value.len();
                    push(group_kind, m.start(), end, value.to_ascii_lowercase());
                }
            }
        }
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    Findings {
        found,
        documentation_ips,
    }
}

/// Which id a GUID is, from the nearest keyword before it on its line (after the previous
/// GUID, at most 64 bytes back).
fn guid_kind(text: &str, previous_end: usize, start: usize) -> Kind {
    const KEYWORDS: &[(&str, Kind)] = &[
        ("tenant", Kind::Tenant),
        ("microsoftonline.com/", Kind::Tenant),
        ("login.windows.net/", Kind::Tenant),
        ("#@", Kind::Tenant),
        ("directory", Kind::Tenant),
        ("subscription", Kind::Subscription),
        ("service-principal-id", Kind::Application),
        ("serviceprincipalid", Kind::Application),
        ("service principal id", Kind::Application),
        ("client_id", Kind::Application),
        ("clientid", Kind::Application),
        ("client-id", Kind::Application),
        ("client id", Kind::Application),
        ("appid", Kind::Application),
        ("app id", Kind::Application),
        ("for app '", Kind::Application),
        ("application", Kind::Application),
        ("object", Kind::Object),
        ("principalid", Kind::Object),
        ("principal id", Kind::Object),
        ("correlation", Kind::Correlation),
        ("request-id", Kind::Correlation),
        ("requestid", Kind::Correlation),
        ("request id", Kind::Correlation),
        ("trace id", Kind::Correlation),
        ("traceid", Kind::Correlation),
        ("activity id", Kind::Correlation),
        ("activityid", Kind::Correlation),
        ("operation id", Kind::Correlation),
        ("operationid", Kind::Correlation),
        ("vm id", Kind::Id),
        ("vmid", Kind::Id),
        ("vm uuid", Kind::Id),
        ("vmuuid", Kind::Id),
        ("resource id", Kind::Id),
    ];
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let from = crate::evidence::ceil_boundary(text, start.saturating_sub(64))
        .max(line_start)
        .max(previous_end);
    let window = text[from..start].to_ascii_lowercase();
    let mut best: Option<(usize, usize, Kind)> = None; // (end, length, kind)
    for &(keyword, kind) in KEYWORDS {
        if let Some(at) = window.rfind(keyword) {
            let candidate = (at + keyword.len(), keyword.len(), kind);
            if best.is_none_or(|(end, len, _)| (candidate.0, candidate.1) > (end, len)) {
                best = Some(candidate);
            }
        }
    }
    best.map_or(Kind::Id, |(_, _, kind)| kind)
}

fn octets(value: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = value.split('.');
    for o in &mut out {
        *o = parts.next()?.parse().ok()?;
    }
    Some(out)
}

/// Addresses every machine has or Azure publishes: loopback, link-local (the instance
/// metadata service), the Azure platform's virtual address, unspecified, broadcast and masks.
fn is_public_knowledge_ip([a, b, c, d]: [u8; 4]) -> bool {
    a == 127 || a == 0 || a == 255 || (a == 169 && b == 254) || [a, b, c, d] == [168, 63, 129, 16]
}

/// The three ranges RFC 5737 reserves for documentation; placeholders come from them.
fn is_documentation_ip([a, b, c, _]: [u8; 4]) -> bool {
    matches!([a, b, c], [192, 0, 2] | [198, 51, 100] | [203, 0, 113])
}

/// The `n`th (1-based) documentation address not already in the text, or `<ip-n>` when the
/// ranges run out.
pub fn documentation_ip(n: usize, taken: &HashSet<String>) -> String {
    ["192.0.2", "198.51.100", "203.0.113"]
        .iter()
        .flat_map(|net| (1..=254).map(move |host| format!("{net}.{host}")))
        .filter(|ip| !taken.contains(ip))
        .nth(n - 1)
        .unwrap_or_else(|| format!("<ip-{n}>"))
}

/// Microsoft's public service domains: the endpoints a diagnosis is about, named the same for
/// every customer. A key vault's name and a `*.onmicrosoft.com` domain are the customer's.
pub fn is_microsoft_host(host: &str) -> bool {
    const DOMAINS: &[&str] = &[
        "azure.com",
        "azure.net",
        "azure.us",
        "azure.cn",
        "microsoft.com",
        "microsoftonline.com",
        "microsoftonline.us",
        "windows.net",
        "usgovcloudapi.net",
        "chinacloudapi.cn",
        "azureedge.net",
        "azurefd.net",
        "msauth.net",
        "msftauth.net",
        "msft.net",
        "aka.ms",
        "digicert.com",
        "windowsupdate.com",
        "visualstudio.com",
        "azure-automation.net",
        "live.com",
    ];
    let host = host.to_ascii_lowercase();
    if host.ends_with(".vault.azure.net") {
        return false;
    }
    DOMAINS
        .iter()
        .any(|d| host == *d || host.strip_suffix(d).is_some_and(|rest| rest.ends_with('.')))
}

/// A name worth replacing: not a reference or placeholder, not a well-known account or host,
/// not Microsoft's, not an address (those are replaced as addresses).
fn is_name(value: &str, kind: Kind) -> bool {
    const WELL_KNOWN: &[&str] = &[
        "root",
        "localhost",
        "public",
        "default",
        "system",
        "all users",
        "administrator",
        // The word before a name, where a dial line holds a placeholder instead of the name.
        "lookup",
    ];
    let lower = value.to_ascii_lowercase();
    let reference = matches!(
        value.chars().next(),
        None | Some('$' | '%' | '<' | '{' | '[' | '(' | '@' | '-')
    );
    let not_a_name = reference
        || WELL_KNOWN.contains(&lower.as_str())
        || octets(value).is_some()
        || matches!(kind, Kind::Host | Kind::Machine) && is_microsoft_host(value)
        || kind == Kind::Machine
            && matches!(lower.as_str(), "read" | "write" | "delete" | "action");
    !not_a_name
}
