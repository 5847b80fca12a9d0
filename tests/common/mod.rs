//! Shared by the integration tests.

pub mod written;

/// The nine rows of Microsoft's 2020 troubleshooting table, in the article's order. These ids are
/// public (links and other tools use them) and never change.
#[allow(dead_code)] // ranking.rs and self_check.rs include `common` for `written` only
pub const TABLE_ROWS: [&str; 9] = [
    "device-flow-network-unreachable",
    "device-flow-forbidden",
    "device-flow-no-such-host",
    "spn-token-forbidden",
    "spn-invalid-secret",
    "spn-app-not-found",
    "arm-authorization-failed",
    "provider-not-registered",
    "arm-endpoint-forbidden",
];

/// Ids that issue 7 made public for causes people hit (links and support replies use them), and
/// the public ids of the install ranges. They never change.
#[allow(dead_code)] // each test crate includes this module; only rules.rs reads this list
pub const CAUSE_IDS: [&str; 19] = [
    "policy-denied",
    "conditional-access-blocked",
    "machine-expired",
    "cloned-machine",
    "private-endpoint-dns",
    "extension-noexec",
    "extension-operation-in-progress",
    "extension-not-found",
    "esu-certificate-chain",
    "esu-not-eligible",
    "windows-tls-cipher-suites",
    "gpo-secret-decrypt-failed",
    "managed-identity-imds-address",
    "managed-identity-api-version",
    "managed-identity-challenge-token",
    "api-version-unsupported",
    "machine-not-found",
    "azcm-install-linux",
    "tls-inspection",
];
