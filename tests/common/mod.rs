//! Shared by the integration tests.

pub mod written;

/// One row of Microsoft's 2020 troubleshooting table, as `tests/data/table-rows.json` writes it.
#[allow(dead_code)] // each test crate includes this module; not every one reads the rows
#[derive(serde::Deserialize)]
pub struct TableRow {
    /// Public and never changes: links and other tools use it.
    pub id: String,
    /// The stage the agent prints.
    pub message: String,
    /// The error detail, its varying parts written `{tenant}`, `{ip}`, ….
    pub error: String,
    /// The row as the agent printed it in one real session, line by line.
    #[allow(dead_code)]
    pub session: Vec<String>,
}

/// The nine rows in the article's order, read from the one file the Rust and browser tests share.
#[allow(dead_code)]
pub fn table_rows() -> Vec<TableRow> {
    #[derive(serde::Deserialize)]
    struct File {
        placeholders: Vec<String>,
        rows: Vec<TableRow>,
    }
    let text = include_str!("../data/table-rows.json");
    let file: File = serde_json::from_str(text).expect("tests/data/table-rows.json parses");
    assert_eq!(file.rows.len(), 9, "the 2020 table has nine rows");
    // A misspelt placeholder would stay in the text and quietly stop varying.
    let named = regex::Regex::new(r"\{([a-z]+)\}").expect("valid");
    for row in &file.rows {
        for name in named.captures_iter(&row.error) {
            assert!(
                file.placeholders.contains(&name[1].to_string()),
                "tests/data/table-rows.json: {}: unknown placeholder {}",
                row.id,
                &name[0]
            );
        }
    }
    file.rows
}

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
