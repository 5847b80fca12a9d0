//! Shared by the integration tests.

/// The nine rows of Microsoft's 2020 troubleshooting table, in the article's order. These ids are
/// public (links and other tools use them) and never change.
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
