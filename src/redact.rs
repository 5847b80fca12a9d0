//! Redaction: the values that identify a customer or unlock their resources are replaced by
//! stable placeholders (one value, one placeholder: `<subscription-1>`), so a log can travel with
//! a ticket and still diagnose exactly as the original did.
//!
//! Three passes over the text:
//! 1. [`identifiers`] finds values by their shape (GUIDs, e-mail addresses, IPv4 addresses,
//!    secrets) and by their context (the name after `/resourceGroups/`, a shell prompt's host,
//!    a URL's host…);
//! 2. each distinct value gets its kind (the most specific context it was seen in) and a
//!    numbered placeholder, in order of first appearance;
//! 3. every occurrence of a value named by its context is found again wherever it stands as a
//!    whole word (a machine name in a prompt, then in a message), and the text is rebuilt.
//!
//! Placeholders never contain a line break, so line numbers survive; a secret that spans lines
//! (a PEM key's body) is replaced line by line.

mod identifiers;
mod kind;
#[cfg(test)]
mod tests;

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use identifiers::Found;
use kind::Kind;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A redacted text and what was replaced in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redacted {
    pub text: String,
    /// One entry per kind that had at least one value, in [`Kind`] order.
    pub replaced: Vec<Replaced>,
}

/// How many values of one kind were replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replaced {
    /// `secret`, `tenant`, `subscription`, `application`, `object`, `correlation`, `id`,
    /// `resource-group`, `machine`, `host`, `user`, `email` or `ip`.
    pub kind: String,
    /// What was replaced, in words, singular or plural as `count` says ("2 subscription ids").
    pub name: String,
    /// Distinct values (placeholders) of this kind.
    pub count: usize,
    /// Places in the text where one of them was replaced.
    pub occurrences: usize,
}

/// A value named only by its context is also replaced where it stands alone if it is at least
/// this long or holds a digit: shorter everyday words (`arc`, `prod`) would otherwise be
/// replaced all over the log, diagnosis words included.
const BARE_MIN_LEN: usize = 5;

/// Replaces every identifying value and every secret in `text` (see the module comment).
/// Redacting a redacted text changes nothing.
pub fn redact(text: &str) -> Redacted {
    let findings = identifiers::find(text);
    let found = &findings.found;
    let values = assign(found, &findings.documentation_ips);
    let mut spans: Vec<(usize, usize, usize)> = found
        .iter()
        .map(|f| (f.start, f.end, values.index[&f.key]))
        .collect();
    spans.extend(bare_occurrences(text, &values));
    spans.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));

    let mut out = String::with_capacity(text.len());
    let mut occurrences = vec![0usize; values.list.len()];
    let mut at = 0;
    for (start, end, value) in spans {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        push_placeholder(&mut out, &text[start..end], &values.list[value].placeholder);
        occurrences[value] += 1;
        at = end;
    }
    out.push_str(&text[at..]);

    let mut replaced: Vec<Replaced> = Vec::new();
    for kind in Kind::ALL {
        let of_kind: Vec<usize> = (0..values.list.len())
            .filter(|&v| values.list[v].kind == kind && occurrences[v] > 0)
            .collect();
        if !of_kind.is_empty() {
            replaced.push(Replaced {
                kind: kind.id().to_string(),
                name: kind.name(of_kind.len()).to_string(),
                count: of_kind.len(),
                occurrences: of_kind.iter().map(|&v| occurrences[v]).sum(),
            });
        }
    }
    Redacted {
        text: out,
        replaced,
    }
}

/// Writes `placeholder` in place of `original`, once per line the original spans, so the
/// redacted text keeps its line breaks.
fn push_placeholder(out: &mut String, original: &str, placeholder: &str) {
    if !original.contains('\n') {
        out.push_str(placeholder);
        return;
    }
    let mut placed = false;
    for (i, part) in original.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (body, cr) = match part.strip_suffix('\r') {
            Some(b) => (b, "\r"),
            None => (part, ""),
        };
        if !body.trim().is_empty() {
            out.push_str(placeholder);
            placed = true;
        }
        out.push_str(cr);
    }
    if !placed {
        out.push_str(placeholder);
    }
}

struct Value {
    kind: Kind,
    placeholder: String,
    key: String,
}

struct Values {
    list: Vec<Value>,
    /// From a value's key (its text, lower-cased where case does not matter) to `list`.
    index: HashMap<String, usize>,
}

/// Gives each distinct value its kind and placeholder: a value seen in several contexts takes
/// the most specific (a GUID after `--tenant-id` is a tenant wherever else it appears), and
/// placeholders are numbered per kind in order of first appearance.
fn assign(found: &[Found], documentation_ips: &HashSet<String>) -> Values {
    let mut kinds: HashMap<&str, Kind> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for f in found {
        match kinds.get_mut(f.key.as_str()) {
            Some(kind) => {
                if f.kind.more_specific_than(*kind) {
                    *kind = f.kind;
                }
            }
            None => {
                kinds.insert(&f.key, f.kind);
                order.push(&f.key);
            }
        }
    }
    let mut numbers: HashMap<Kind, usize> = HashMap::new();
    let mut list = Vec::with_capacity(order.len());
    let mut index = HashMap::with_capacity(order.len());
    for key in order {
        let kind = kinds[key];
        let n = numbers.entry(kind).or_insert(0);
        *n += 1;
        let placeholder = if kind == Kind::Ip {
            identifiers::documentation_ip(*n, documentation_ips)
        } else {
            format!("<{}-{n}>", kind.id())
        };
        index.insert(key.to_string(), list.len());
        list.push(Value {
            kind,
            placeholder,
            key: key.to_string(),
        });
    }
    Values { list, index }
}

/// Where a value that was named by its context (a machine, a host, a user, a resource group,
/// a secret) appears again as a whole word.
fn bare_occurrences(text: &str, values: &Values) -> Vec<(usize, usize, usize)> {
    let wanted: Vec<usize> = (0..values.list.len())
        .filter(|&v| {
            let value = &values.list[v];
            value.kind.found_by_context()
                && (value.key.len() >= BARE_MIN_LEN
                    || value.key.bytes().any(|b| b.is_ascii_digit()))
        })
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let Ok(automaton) = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(wanted.iter().map(|&v| values.list[v].key.as_bytes()))
    else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let word = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
    };
    automaton
        .find_iter(bytes)
        .filter(|m| !(m.start() > 0 && word(m.start() - 1) || word(m.end())))
        .map(|m| (m.start(), m.end(), wanted[m.pattern().as_usize()]))
        .collect()
}
