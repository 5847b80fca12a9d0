//! Secrets in a log: found once per record, named in the report by kind and line, and masked in
//! every text the engine hands out (evidence, error lines, fields). The value itself never
//! leaves the engine.
//!
//! Which records can hold a secret is decided by the prefilter's one pass ([`TRIGGERS`]); only
//! those records are searched, each with the detectors below whose triggers it holds
//! ([`crate::detectors`]). The detectors are engine mechanics, like
//! normalising, so they live here rather than in `rules/`; each kind's advice cites its source.

use crate::detectors::{Detector, Seen};
use crate::evidence::{ceil_boundary, floor_boundary};
use crate::report::SecretKindInfo;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::sync::OnceLock;

/// What replaces a secret's value wherever the engine shows text.
pub const MASK: &str = "<secret hidden>";
/// Secrets listed in a report; a log holding more says how many there were.
pub const MAX_LISTED: usize = 100;

/// Text whose presence (any case) makes a record worth searching for secrets.
pub const TRIGGERS: [&str; 22] = [
    "secret",
    "service-principal-secret",
    "-serviceprincipal",
    "clientsecret",
    "client_secret",
    "password",
    "passwd",
    "pwd=",
    "azcmagent",
    "--service-principal",
    "bearer",
    "eyj",
    "access-token",
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "sig=",
    "private key",
    "accountkey",
    "sharedaccesskey",
    "@",
];
// One bit each in a record's `Seen`.
const _: () = assert!(TRIGGERS.len() <= crate::detectors::Seen::BITS as usize);

/// The kinds of secret, with what to do when one was exposed.
pub const KINDS: [Kind; 10] = [
    Kind {
        id: "service-principal-secret",
        name: "service principal secret",
        rotate: SECRET_ROTATION,
        sources: &[AZCMAGENT_CONNECT, AZ_APP_CREDENTIAL],
    },
    Kind {
        id: "client-secret",
        name: "client secret",
        rotate: SECRET_ROTATION,
        sources: &[AZ_APP_CREDENTIAL],
    },
    Kind {
        id: "access-token",
        name: "access token",
        rotate: TOKEN_ADVICE,
        sources: &[ACCESS_TOKENS, REVOKE_ACCESS],
    },
    Kind {
        id: "refresh-token",
        name: "refresh token",
        rotate: "A refresh token gets new access tokens until it expires (90 days by default, and each use hands out a fresh one) or is revoked. Revoke the account's sessions in Microsoft Entra ID, which revokes every refresh token issued to it, and review its sign-in logs.",
        sources: &[REFRESH_TOKENS, REVOKE_ACCESS],
    },
    Kind {
        id: "jwt",
        name: "JSON web token",
        rotate: TOKEN_ADVICE,
        sources: &[ACCESS_TOKENS, REVOKE_ACCESS],
    },
    Kind {
        id: "sas-signature",
        name: "storage SAS signature",
        rotate: "A SAS works until its expiry (`se=` in the URL) unless the key that signed it changes. Move what uses the storage account to its other key, then renew the signing one: `az storage account keys renew --account-name <account> --key key1` (or `key2`). For a user-delegation SAS (`skoid=` in the URL) run `az storage account revoke-delegation-keys --name <account> --resource-group <group>` instead.",
        sources: &[STORAGE_KEYS, SAS_REVOKE],
    },
    Kind {
        id: "storage-key",
        name: "storage account key",
        rotate: "Move what uses this key to the account's other key, then renew it: `az storage account keys renew --account-name <account> --key key1` (or `key2`). Renewing replaces the key; anything still using the old one stops working, which is the point.",
        sources: &[STORAGE_KEYS],
    },
    Kind {
        id: "url-password",
        name: "password in a URL (often a proxy's)",
        rotate: "Change that account's password where the account lives (for a proxy account, on the proxy or in its directory), then update every server and script that uses it.",
        sources: &[],
    },
    Kind {
        id: "password",
        name: "password",
        rotate: "Change that password where the account lives, then update every server and script that uses it.",
        sources: &[],
    },
    Kind {
        id: "private-key",
        name: "private key",
        rotate: "Treat the key as known to others: issue a new certificate with a new key, register it where the old one was trusted (for a service principal, `az ad app credential reset --id <app-id> --cert @new.pem --append`), then remove the old certificate credential: `az ad app credential list --id <app-id> --cert` shows its key id, and `az ad app credential delete --id <app-id> --key-id <key-id> --cert` removes it.",
        sources: &[AZCMAGENT_CONNECT, AZ_APP_CREDENTIAL],
    },
];

const SECRET_ROTATION: &str = "Add a new secret to the app registration with `az ad app credential reset --id <app-id> --append` (it prints the new secret once: run it where the output is not logged), and move your onboarding to it; a `--config` file keeps it off command lines and out of logs. Then revoke the exposed secret: `az ad app credential list --id <app-id>` shows its key id, and `az ad app credential delete --id <app-id> --key-id <key-id>` removes that one credential (not the app), which is what stops the leaked value working.";
const TOKEN_ADVICE: &str = "An access token cannot be revoked: it works until it expires, 60 to 90 minutes after it was issued by default (longer for clients using continuous access evaluation). If it may have been used, revoke the account's sessions in Microsoft Entra ID so no new tokens are issued from them, and review its sign-in logs.";

const AZCMAGENT_CONNECT: &str =
    "https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-connect#authentication-options";
const AZ_APP_CREDENTIAL: &str = "https://learn.microsoft.com/cli/azure/ad/app/credential";
const ACCESS_TOKENS: &str =
    "https://learn.microsoft.com/entra/identity-platform/access-tokens#token-lifetime";
const REFRESH_TOKENS: &str =
    "https://learn.microsoft.com/entra/identity-platform/refresh-tokens#token-lifetime";
const REVOKE_ACCESS: &str = "https://learn.microsoft.com/entra/identity/users/users-revoke-access";
const STORAGE_KEYS: &str =
    "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage";
const SAS_REVOKE: &str =
    "https://learn.microsoft.com/azure/storage/blobs/storage-blob-user-delegation-sas-create-cli";

/// A kind of secret.
pub struct Kind {
    pub id: &'static str,
    pub name: &'static str,
    /// What to do if a log holding one was sent anywhere else.
    pub rotate: &'static str,
    pub sources: &'static [&'static str],
}

impl Kind {
    pub fn info(&self) -> SecretKindInfo {
        SecretKindInfo {
            kind: self.id.into(),
            name: self.name.into(),
            rotate: self.rotate.into(),
            sources: self.sources.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// A secret's value in a text: its kind (index into [`KINDS`]) and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub kind: usize,
    pub start: usize,
    pub end: usize,
}

/// A value after a flag or `=`: quoted (closed or cut off by a wrapped line), JSON-escaped, or
/// bare. The value is whichever group matched.
const VALUE: &str = r#"(?:\\"([^"\\]+)\\"|"([^"]+)"?|'([^']+)'?|([^\s"'`\\,;&]+))"#;

/// `(kind, pattern)`: the secret's value is the first group that matched.
/// Each detector: the kind it finds, the triggers every match of it holds, its pattern.
fn list() -> Vec<(usize, &'static [&'static str], String)> {
    let v = VALUE;
    vec![
        // azcmagent connect/disconnect --service-principal-secret, and its `-p` short form.
        (
            0,
            &["--service-principal"],
            format!(r"(?i)--service-principal-secret(?:\s*=\s*|\s+){v}"),
        ),
        (
            0,
            &["azcmagent"],
            format!(r"(?i)\bazcmagent(?:\.exe)?\b.*?\s-p(?:\s*=\s*|\s+){v}"),
        ),
        // `az login --service-principal -u <app> -p <secret>`.
        (
            0,
            &["--service-principal"],
            format!(r"(?i)--service-principal\b.*?\s(?:-p|--password)(?:\s*=\s*|\s+){v}"),
        ),
        // The onboarding scripts' variables and parameters, and a `--config` file's key.
        (
            0,
            &["secret"],
            format!(r"(?i)\$?\b(?:service_?principal_?(?:client_?)?secret|sp_?secret)\s*=\s*{v}"),
        ),
        (
            0,
            &["-serviceprincipal"],
            format!(r"(?i)(?:^|\s)-ServicePrincipal(?:Client)?Secret\s+{v}"),
        ),
        (
            0,
            &["service-principal-secret"],
            format!(r#"(?i)\\?"service-principal-secret\\?"\s*:\s*{v}"#),
        ),
        // A token request's form body or a JSON configuration.
        (
            1,
            &["clientsecret", "client_secret"],
            format!(r#"(?i)\bclient_?secret\\?["']?\s*[:=]\s*{v}"#),
        ),
        (
            2,
            &["access-token"],
            format!(r"(?i)--access-token(?:\s*=\s*|\s+){v}"),
        ),
        (
            2,
            &["access_token", "accesstoken"],
            format!(r#"(?i)\baccess_?token\\?["']?\s*[:=]\s*{v}"#),
        ),
        (
            3,
            &["refresh_token", "refreshtoken"],
            format!(r#"(?i)\brefresh_?token\\?["']?\s*[:=]\s*{v}"#),
        ),
        (
            2,
            &["bearer"],
            r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{16,}=*)".to_string(),
        ),
        (
            4,
            &["eyj"],
            r"\b(eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)".to_string(),
        ),
        (5, &["sig="], r#"(?i)[?&]sig=([^&\s"'\\#]{8,})"#.to_string()),
        (
            6,
            &["accountkey", "sharedaccesskey"],
            r#"(?i)\b(?:AccountKey|SharedAccessKey)=([^;\s"'\\]{16,})"#.to_string(),
        ),
        (
            7,
            &["@"],
            r#"(?i)\b[a-z][a-z0-9+.-]*://[^\s/?#@:"'\\]+:([^\s/?#@"'\\]+)@"#.to_string(),
        ),
        (
            8,
            &["password", "passwd", "pwd="],
            r#"(?i)\b(?:password|passwd|pwd)=([^\s;&"'\\]+)"#.to_string(),
        ),
        (
            9,
            &["private key"],
            r"(?s)-----BEGIN[A-Z0-9 ]* PRIVATE KEY-----(.+?)(?:-----END|\z)".to_string(),
        ),
    ]
}

static DETECTORS: OnceLock<Vec<Detector<usize>>> = OnceLock::new();

/// The detectors, each compiled the first time a record holding one of its triggers needs it.
pub fn detectors() -> &'static [Detector<usize>] {
    DETECTORS.get_or_init(|| {
        list()
            .into_iter()
            .map(|(kind, triggers, p)| Detector::new(kind, triggers, &TRIGGERS, p))
            .collect()
    })
}

/// Every secret value in `text`, in order, overlapping finds merged (the earlier one names the
/// kind).
pub fn find(text: &str) -> Vec<Found> {
    find_where(text, triggers_in(text))
}

/// Text this long or longer is searched for triggers with a DFA ([`triggers_in`]).
const LONG_TEXT: usize = 64 << 10;

/// The triggers `text` holds: what the prefilter would have seen in it (for text it did not
/// scan: a field's value, a file's name, a whole log being redacted), in one pass.
fn triggers_in(text: &str) -> Seen {
    // Values and names are short: an NFA is searched as soon as it is built, where building a
    // DFA was a tenth of a small paste's first answer. A whole log gets the DFA, quicker per byte.
    static NFA: OnceLock<AhoCorasick> = OnceLock::new();
    static DFA: OnceLock<AhoCorasick> = OnceLock::new();
    let (finder, kind) = if text.len() < LONG_TEXT {
        (&NFA, AhoCorasickKind::ContiguousNFA)
    } else {
        (&DFA, AhoCorasickKind::DFA)
    };
    let finder = finder.get_or_init(|| {
        let finder = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(TRIGGERS);
        finder.expect("the triggers are valid")
    });
    // Overlapping: `secret` inside `client_secret` is a trigger of its own.
    let mut seen = 0;
    for m in finder.find_overlapping_iter(text) {
        seen |= 1 << m.pattern().as_usize();
    }
    seen
}

/// [`find`], running only the detectors whose triggers are among those `seen` in `text`
/// (the prefilter's: the same secrets, as every match holds one of its detector's triggers).
pub fn find_where(text: &str, seen: Seen) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    for d in detectors().iter().filter(|d| d.runs_on(seen)) {
        for caps in d.regex().captures_iter(text.as_bytes()) {
            let Some(value) = caps.iter().skip(1).flatten().next() else {
                continue;
            };
            if is_secret_value(&String::from_utf8_lossy(value.as_bytes())) {
                found.push(Found {
                    kind: d.kind,
                    start: value.start(),
                    end: value.end(),
                });
            }
        }
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut merged: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        match merged.last_mut() {
            Some(last) if f.start < last.end => last.end = last.end.max(f.end),
            _ => merged.push(f),
        }
    }
    merged
}

/// A literal value rather than a reference to one (`$secret`, `%SECRET%`, `<secret>`,
/// `{secret}`) or an already hidden one (`***`, `xxxxx`, `REDACTED`).
fn is_secret_value(value: &str) -> bool {
    let v = value.trim();
    let first = v.chars().next();
    let reference = matches!(first, Some('$' | '%' | '<' | '{' | '[' | '(' | '@'));
    let hidden = v.chars().all(|c| matches!(c, '*' | 'x' | 'X' | '•' | '.'))
        || v.eq_ignore_ascii_case("redacted")
        || v.eq_ignore_ascii_case("secret")
        || v.eq_ignore_ascii_case("password")
        || v.eq_ignore_ascii_case("null");
    v.len() >= 4 && !reference && !hidden
}

/// A text with its secrets masked, and the way from a position in the original to the masked
/// text.
pub struct Masked {
    pub text: String,
    /// `(start, end)` in the original and start in the masked text, of each mask.
    masks: Vec<(usize, usize, usize)>,
}

impl Masked {
    /// Where byte `i` of the original text is in the masked text. A position inside a secret
    /// moves to the mask's start, or with `round_up` to its end.
    pub fn position(&self, i: usize, round_up: bool) -> usize {
        let mut shifted = i;
        for &(start, end, at) in &self.masks {
            if i <= start {
                break;
            }
            if i < end {
                return if round_up { at + MASK.len() } else { at };
            }
            shifted = at + MASK.len() + (i - end);
        }
        shifted
    }
}

/// Masks the ranges `found` (byte ranges relative to `text`, clamped to it and widened to
/// character boundaries).
pub fn mask(text: &str, found: &[(usize, usize)]) -> Masked {
    let mut out = String::with_capacity(text.len());
    let mut masks = Vec::new();
    let mut at = 0;
    for &(s, e) in found {
        let s = s.max(at);
        if e <= s || s >= text.len() {
            continue;
        }
        let (s, e) = (floor_boundary(text, s), ceil_boundary(text, e));
        out.push_str(&text[at..s]);
        masks.push((s, e, out.len()));
        out.push_str(MASK);
        at = e;
    }
    out.push_str(&text[at.min(text.len())..]);
    Masked { text: out, masks }
}

/// `value` with every secret it holds masked (a captured field, searched on its own).
pub fn mask_value(value: &str) -> String {
    let ranges: Vec<(usize, usize)> = find(value).iter().map(|f| (f.start, f.end)).collect();
    if ranges.is_empty() {
        value.to_string()
    } else {
        mask(value, &ranges).text
    }
}

#[cfg(test)]
mod tests;
