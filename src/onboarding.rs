//! Where the log says the machine is being onboarded: tenant, subscription, resource group,
//! region, service principal and resource name, from `azcmagent connect`'s flags, `azcmagent
//! show`'s fields and resource ids. The page fills the fixes' `<rg>`, `<region>`… with them.
//!
//! As for secrets, the prefilter's one pass picks the records worth reading ([`TRIGGERS`]), and
//! each is read with the detectors whose triggers it holds ([`crate::detectors`]); a value read
//! later replaces an earlier one (the last attempt is the one that failed).

use crate::detectors::{Detector, Seen};
use crate::records::RecordLines;
use crate::report::Onboarding;
use std::sync::OnceLock;

/// Text whose presence (any case) makes a record worth reading.
pub const TRIGGERS: [&str; 22] = [
    "tenant-id",
    "tenantid",
    "tenant id",
    "tenant_id",
    "microsoftonline.com/",
    "subscription-id",
    "subscriptionid",
    "subscription id",
    "subscription_id",
    "/subscriptions/",
    "service-principal-id",
    "serviceprincipalid",
    "service_principal",
    "serviceprincipal_id",
    "resource-group",
    "resourcegroup",
    "resource group name",
    "location",
    "resource-name",
    "machinename",
    "resource name",
    "hybridcompute/machines/",
];
// One bit each in a record's `Seen`.
const _: () = assert!(TRIGGERS.len() <= crate::detectors::Seen::BITS as usize);

/// The value a detector reads.
#[derive(Clone, Copy)]
pub enum Field {
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
/// A resource group or machine name (Azure allows 90 characters); a run of dashes (a table
/// rule, a separator) ends it. Written as 90 steps of a character or a dash and a character,
/// not as 21 dash-separated runs of up to 90: the same names, but a fifth of the automaton, which
/// took 1-2 ms to compile natively and most of a first answer's time in a fresh browser page.
const NAME: &str = r"([A-Za-z0-9_.()](?:[A-Za-z0-9_.()]|-[A-Za-z0-9_.()]){0,89})";
/// What may follow a name (a separator, a quote, a run of dashes): a value cut short by a
/// character names cannot hold (`rg;rm`) is no value at all.
const END: &str = r#"(?:[/\\"'\s,?#&:\]}]|--|$)"#;

/// Each detector: the field it reads, the triggers every match of it holds, its pattern.
fn list() -> Vec<(Field, &'static [&'static str], String)> {
    vec![
        (
            Field::Tenant,
            &["tenant-id", "tenantid", "tenant id", "tenant_id"],
            format!(r"(?i)(?:--tenant-id|-TenantId\b|\btenant[ _]?id){SEP}{GUID}"),
        ),
        (
            Field::Tenant,
            &["microsoftonline.com/"],
            format!(r"(?i)login\.microsoftonline\.com/{GUID}"),
        ),
        (
            Field::Subscription,
            &["subscription-id", "subscriptionid", "subscription id", "subscription_id"],
            format!(r"(?i)(?:--subscription-id|-SubscriptionId\b|\bsubscription[ _]?id){SEP}{GUID}"),
        ),
        (
            Field::Subscription,
            &["/subscriptions/"],
            format!(r"(?i)/subscriptions/{GUID}"),
        ),
        (
            Field::ServicePrincipal,
            &["service-principal-id", "serviceprincipalid", "service_principal", "serviceprincipal_id"],
            format!(r"(?i)(?:--service-principal-id|-ServicePrincipalId\b|\bservice_?principal_?id){SEP}{GUID}"),
        ),
        (
            Field::ResourceGroup,
            &["resource-group", "resourcegroup", "resource group name"],
            format!(r"(?i)(?:--resource-group|-ResourceGroupName\b|\bResource Group Name|\bresourceGroup(?:Name)?\b){SEP}{NAME}{END}"),
        ),
        (
            Field::ResourceGroup,
            &["resourcegroup"],
            format!(r"(?i)/resourceGroups/{NAME}{END}"),
        ),
        (
            Field::Location,
            &["location"],
            r#"(?i)(?:(?:--location|-Location\b)(?:\s*=\s*|\s+)|(?m:^)\s*Location\s*:\s*|[?&]location=|"location\\?"\s*:\s*\\?")(?:"([^"\r\n]{2,40})"|'([^'\r\n]{2,40})'|([a-z][a-z0-9]{2,30})\b)"#
                .to_string(),
        ),
        (
            Field::ResourceName,
            &["resource-name", "machinename", "resource name"],
            format!(r"(?i)(?:--resource-name|-MachineName\b|\bResource Name){SEP}{NAME}{END}"),
        ),
        (
            Field::ResourceName,
            &["hybridcompute/machines/"],
            format!(r"(?i)/providers/Microsoft\.HybridCompute/machines/{NAME}{END}"),
        ),
    ]
}

static DETECTORS: OnceLock<Vec<Detector<Field>>> = OnceLock::new();

/// The detectors, each compiled the first time a record holding one of its triggers needs it.
pub fn detectors() -> &'static [Detector<Field>] {
    DETECTORS.get_or_init(|| {
        list()
            .into_iter()
            .map(|(field, triggers, p)| Detector::new(field, triggers, &TRIGGERS, p))
            .collect()
    })
}

/// Reads the values a record holding the triggers `seen` names, line by line: a record joins
/// its wrapped lines without a separator, which would glue a name to the next line's first word.
pub fn read_record(record: &RecordLines<'_>, seen: Seen, into: &mut Onboarding) {
    for (i, &(start, _)) in record.lines.iter().enumerate() {
        let end = record.lines.get(i + 1).map_or(record.end, |l| l.0);
        read_where(&record.text[start..end], seen, into);
    }
}

/// Reads the values `text` (one line) names into `into`, each replacing what was there.
#[cfg(test)]
pub fn read(text: &str, into: &mut Onboarding) {
    read_where(text, crate::detectors::EVERY, into);
}

/// [`read`] with only the detectors whose triggers are among those `seen`.
fn read_where(text: &str, seen: Seen, into: &mut Onboarding) {
    let bytes = text.as_bytes();
    for d in detectors().iter().filter(|d| d.runs_on(seen)) {
        let (field, regex) = (d.kind, d.regex());
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
