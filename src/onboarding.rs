//! Where the log says the machine is being onboarded: tenant, subscription, resource group,
//! region, service principal and resource name, from `azcmagent connect`'s flags, `azcmagent
//! show`'s fields and resource ids. The page fills the fixes' `<rg>`, `<region>`… with them.
//!
//! As for secrets, the prefilter's one pass picks the records worth reading ([`TRIGGERS`]); a
//! value read later replaces an earlier one (the last attempt is the one that failed).

use crate::records::RecordLines;
use crate::report::Onboarding;
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::sync::OnceLock;

/// Text whose presence (any case) makes a record worth reading.
pub const TRIGGERS: [&str; 8] = [
    "tenant",
    "subscription",
    "service-principal-id",
    "serviceprincipalid",
    "resource-group",
    "resourcegroup",
    "resource group",
    "location",
];

#[derive(Clone, Copy)]
enum Field {
    Tenant,
    Subscription,
    ServicePrincipal,
    ResourceGroup,
    Location,
    ResourceName,
}

const GUID: &str = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
/// Between a name and its value: `--flag value`, `Name : value`, `"name": "value"`, `name=value`.
const SEP: &str = r#"\\?["']?(?:\s*[=:]\s*|\s+)\\?["']?"#;
/// A resource group or machine name; a run of dashes (a table rule, a separator) ends it.
const NAME: &str = r"([A-Za-z0-9_.()]{1,90}(?:-[A-Za-z0-9_.()]{1,90}){0,20})";
/// What may follow a name (a separator, a quote, a run of dashes): a value cut short by a
/// character names cannot hold (`rg;rm`) is no value at all.
const END: &str = r#"(?:[/\\"'\s,?#&:\]}]|--|$)"#;

fn detectors() -> Vec<(Field, String)> {
    vec![
        (
            Field::Tenant,
            format!(r"(?i)(?:--tenant-id|-TenantId\b|\btenant[ _]?id){SEP}{GUID}"),
        ),
        (Field::Tenant, format!(r"(?i)login\.microsoftonline\.com/{GUID}")),
        (
            Field::Subscription,
            format!(r"(?i)(?:--subscription-id|-SubscriptionId\b|\bsubscription[ _]?id){SEP}{GUID}"),
        ),
        (Field::Subscription, format!(r"(?i)/subscriptions/{GUID}")),
        (
            Field::ServicePrincipal,
            format!(r"(?i)(?:--service-principal-id|-ServicePrincipalId\b|\bservice_?principal_?id){SEP}{GUID}"),
        ),
        (
            Field::ResourceGroup,
            format!(r"(?i)(?:--resource-group|-ResourceGroupName\b|\bResource Group Name|\bresourceGroup(?:Name)?\b){SEP}{NAME}{END}"),
        ),
        (Field::ResourceGroup, format!(r"(?i)/resourceGroups/{NAME}{END}")),
        (
            Field::Location,
            r#"(?i)(?:(?:--location|-Location\b)(?:\s*=\s*|\s+)|(?m:^)\s*Location\s*:\s*|[?&]location=|"location\\?"\s*:\s*\\?")(?:"([^"\r\n]{2,40})"|'([^'\r\n]{2,40})'|([a-z][a-z0-9]{2,30})\b)"#
                .to_string(),
        ),
        (
            Field::ResourceName,
            format!(r"(?i)(?:--resource-name|-MachineName\b|\bResource Name){SEP}{NAME}{END}"),
        ),
        (
            Field::ResourceName,
            format!(r"(?i)/providers/Microsoft\.HybridCompute/machines/{NAME}{END}"),
        ),
    ]
}

/// Every detector at once: one pass says which of them match a line at all.
static ANY: OnceLock<RegexSet> = OnceLock::new();
/// Each detector, to read the value of those that match.
static EACH: OnceLock<Vec<(Field, Regex)>> = OnceLock::new();

/// Whether the detectors are compiled yet (they compile the first time a record may name the
/// onboarding; the page spreads such first-use work over its turns).
pub fn compiled_yet() -> bool {
    ANY.get().is_some() && EACH.get().is_some()
}

/// Compiles the next half of the detectors (the set that finds them all, then each one): in
/// the browser each half is about as much compiling as one call should hold.
pub fn prepare() {
    if ANY.get().is_none() {
        any();
    } else {
        each();
    }
}

fn any() -> &'static RegexSet {
    ANY.get_or_init(|| {
        RegexSetBuilder::new(detectors().iter().map(|(_, p)| p))
            .unicode(false)
            .build()
            .expect("the onboarding detectors are valid")
    })
}

fn each() -> &'static [(Field, Regex)] {
    EACH.get_or_init(|| {
        detectors()
            .into_iter()
            .map(|(field, p)| {
                let regex = RegexBuilder::new(&p).unicode(false).build();
                (field, regex.expect("the onboarding detectors are valid"))
            })
            .collect()
    })
}

/// Reads the values a record names, line by line: a record joins its wrapped lines without a
/// separator, which would glue a name to the next line's first word.
pub fn read_record(record: &RecordLines<'_>, into: &mut Onboarding) {
    for (i, &(start, _)) in record.lines.iter().enumerate() {
        let end = record.lines.get(i + 1).map_or(record.end, |l| l.0);
        read(&record.text[start..end], into);
    }
}

/// Reads the values `text` (one line) names into `into`, each replacing what was there.
pub fn read(text: &str, into: &mut Onboarding) {
    let bytes = text.as_bytes();
    for d in any().matches(bytes).iter() {
        let (field, regex) = &each()[d];
        // The last match, found without capture groups (the fast path), then read once.
        let Some(last) = regex.find_iter(bytes).last() else {
            continue;
        };
        let Some(value) = regex
            .captures_at(bytes, last.start())
            .and_then(|c| c.iter().skip(1).flatten().next())
        else {
            continue;
        };
        let value = String::from_utf8_lossy(value.as_bytes())
            .trim_end_matches('.')
            .to_string();
        // A variable, a placeholder or the nil GUID is not the log's value.
        let reference = value.starts_with(['$', '%', '<', '{']);
        if value.is_empty() || reference || value.bytes().all(|b| b == b'0' || b == b'-') {
            continue;
        }
        let slot = match field {
            Field::Tenant => &mut into.tenant_id,
            Field::Subscription => &mut into.subscription_id,
            Field::ServicePrincipal => &mut into.service_principal_id,
            Field::ResourceGroup => &mut into.resource_group,
            Field::Location => &mut into.location,
            Field::ResourceName => &mut into.resource_name,
        };
        *slot = Some(value);
    }
}

#[cfg(test)]
mod tests;
