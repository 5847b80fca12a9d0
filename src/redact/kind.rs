//! What a replaced value is: its placeholder's stem, its name in the summary, and how it is
//! found.

/// What a replaced value is. The order is the order of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Secret,
    Tenant,
    Subscription,
    Application,
    Object,
    Correlation,
    /// A GUID whose context says nothing more (a VM id, a GUID in a message).
    Id,
    ResourceGroup,
    Machine,
    Host,
    User,
    Email,
    Ip,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Secret,
        Kind::Tenant,
        Kind::Subscription,
        Kind::Application,
        Kind::Object,
        Kind::Correlation,
        Kind::Id,
        Kind::ResourceGroup,
        Kind::Machine,
        Kind::Host,
        Kind::User,
        Kind::Email,
        Kind::Ip,
    ];

    /// The placeholder's stem and the summary's `kind`.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Tenant => "tenant",
            Kind::Subscription => "subscription",
            Kind::Application => "application",
            Kind::Object => "object",
            Kind::Correlation => "correlation",
            Kind::Id => "id",
            Kind::ResourceGroup => "resource-group",
            Kind::Machine => "machine",
            Kind::Host => "host",
            Kind::User => "user",
            Kind::Email => "email",
            Kind::Ip => "ip",
        }
    }

    /// What one value of the kind is, in words, and what several are.
    pub fn name(self, count: usize) -> &'static str {
        let (one, several) = match self {
            Kind::Secret => ("secret", "secrets"),
            Kind::Tenant => ("tenant id", "tenant ids"),
            Kind::Subscription => ("subscription id", "subscription ids"),
            Kind::Application => ("application (client) id", "application (client) ids"),
            Kind::Object => ("object (principal) id", "object (principal) ids"),
            Kind::Correlation => ("correlation or request id", "correlation and request ids"),
            Kind::Id => ("other id", "other ids"),
            Kind::ResourceGroup => ("resource group name", "resource group names"),
            Kind::Machine => ("machine name", "machine names"),
            Kind::Host => ("host name", "host names"),
            Kind::User => ("user name", "user names"),
            Kind::Email => ("e-mail address", "e-mail addresses"),
            Kind::Ip => ("IP address", "IP addresses"),
        };
        if count == 1 { one } else { several }
    }

    /// A GUID seen once after `--tenant-id` is a tenant id everywhere, even where it stands
    /// alone.
    pub fn more_specific_than(self, other: Kind) -> bool {
        other == Kind::Id && self != Kind::Id
    }

    /// Values found through what stands before them, so they may also appear elsewhere with
    /// nothing before them.
    pub fn found_by_context(self) -> bool {
        matches!(
            self,
            Kind::Secret | Kind::ResourceGroup | Kind::Machine | Kind::Host | Kind::User
        )
    }
}
