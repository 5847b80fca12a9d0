//! The pattern dialect of rules, and the literal every match must contain.
//!
//! Rules are written against the agent's text, but users paste that text re-wrapped, re-indented
//! and re-escaped. So a pattern is rewritten before it is compiled: every space in it matches any
//! run of whitespace, *including none* (a terminal that wraps at a space drops it). Matching is
//! ASCII case-insensitive (agent versions capitalise the same message differently) and runs on
//! bytes, so the shipped `regex` needs no Unicode tables.
//!
//! Every pattern must also name a literal of at least [`MIN_ANCHOR_LEN`] bytes that any match
//! contains: the classifier finds those literals in one pass over the input and runs the full
//! pattern only on the records where one occurs.

use regex_syntax::hir::{Class, ClassBytesRange, Hir, HirKind, Look};

mod common;
mod gaps;

pub use common::{ENGINE_COMMON_WORDS, MIN_PHRASE_LEN};
pub use gaps::MAX_GAP;

/// The shortest literal that may serve as a pattern's prefilter anchor.
pub const MIN_ANCHOR_LEN: usize = 4;

/// Compiled patterns never need more than this; a rule that does is a mistake worth hearing about.
pub(crate) const SIZE_LIMIT: usize = 1 << 20;

/// Rewrites a rule pattern into the regex that is compiled: each run of unescaped spaces outside a
/// character class becomes `\s*`.
pub fn prepare(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                // A `]` right after the opening bracket is a literal, not the end of the class.
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            ' ' if class_depth == 0 => {
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                out.push_str(r"\s*");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Parses a rule pattern exactly as [`crate::Matcher::for_pattern`] reads it, without building the matcher: the
/// lint checks syntax this way and leaves compiling (and its size limit) to the classifier, so
/// start-up compiles each pattern once, not twice.
pub fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .unicode(false)
        .utf8(false)
        .build()
        .parse(&prepare(pattern))
        .map_err(|e| one_line(&e.to_string()))
}

/// What [`check`] learns about a valid pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternFacts {
    /// Lower-case literals; every match contains at least one of them.
    pub anchors: Vec<Vec<u8>>,
    /// The names of the capture groups: they become the diagnosis' fields.
    pub fields: Vec<String>,
}

/// Checks a pattern against the dialect's rules and returns its anchors and field names.
/// `common` lists lower-case words healthy agent output is full of (the manifest's; the
/// engine's own [`ENGINE_COMMON_WORDS`] always count too): the anchor is chosen among the
/// pattern's required literals to avoid them, and one made only of them is refused. The error
/// says what is wrong and how to write it instead.
pub fn check(pattern: &str, common: &[String]) -> Result<PatternFacts, (String, String)> {
    let hir = check_dialect(pattern)?;
    let anchors = match required(&hir, common) {
        Required::Exact(s) => vec![s],
        Required::AnyOf(set) => set,
        Required::Nothing => Vec::new(),
    };
    let shortest = anchors.iter().map(Vec::len).min().unwrap_or(0);
    if anchors.is_empty() || shortest < MIN_ANCHOR_LEN {
        return Err((
            format!(
                "pattern `{pattern}` has no literal of at least {MIN_ANCHOR_LEN} characters that \
                 every match contains"
            ),
            "include a fixed word of the message (the prefilter looks for it before running \
             the pattern)"
                .into(),
        ));
    }
    let everyday: Vec<String> = anchors
        .iter()
        .filter(|a| common::is_common(a, common))
        .map(|a| format!("`{}`", String::from_utf8_lossy(a)))
        .collect();
    if !everyday.is_empty() {
        return Err((
            format!(
                "pattern `{pattern}` is found by {}, made only of common words",
                everyday.join(", ")
            ),
            format!(
                "every match must contain a rarer fixed word (an error code, a file or function \
                 name, a word healthy logs do not use) or a phrase of common words at least \
                 {MIN_PHRASE_LEN} characters long joined by `\\x20`: the prefilter runs the pattern \
                 on every record that holds it"
            ),
        ));
    }
    let fields = capture_names(&hir);
    if let Some(bad) = fields.iter().find(|n| !is_field_name(n)) {
        return Err((
            format!("capture group name `{bad}` is not a snake_case field name"),
            "name groups like `(?P<tenant_id>...)`".into(),
        ));
    }
    Ok(PatternFacts { anchors, fields })
}

/// Checks an `unless` pattern: the dialect's rules without the anchor (it runs only on records
/// its pattern already matched, so the prefilter never looks for it).
pub fn check_unless(pattern: &str) -> Result<(), (String, String)> {
    check_dialect(pattern).map(|_| ())
}

/// The rules every pattern follows: it compiles, sets no flag that changes the dialect, is not
/// tied to a line's start or end, and repeats nothing without bound or over a long gap.
fn check_dialect(pattern: &str) -> Result<Hir, (String, String)> {
    if pattern.trim().is_empty() {
        return Err((
            "a pattern is empty".into(),
            "write the fixed words of the error message the agent prints".into(),
        ));
    }
    if pattern.contains("(?x") || pattern.contains("(?-i") || pattern.contains("(?u") {
        return Err((
            format!("pattern `{pattern}` changes the dialect's flags"),
            "remove the inline flag: spaces already match any whitespace and matching is \
             always case-insensitive"
                .into(),
        ));
    }
    let hir = parse(pattern).map_err(|e| {
        (
            format!("pattern `{pattern}` does not compile: {e}"),
            "patterns use the `regex` crate syntax on bytes (ASCII classes only); see \
             rules/README.md"
                .into(),
        )
    })?;
    let looks = hir.properties().look_set();
    if [
        Look::Start,
        Look::End,
        Look::StartLF,
        Look::EndLF,
        Look::StartCRLF,
        Look::EndCRLF,
    ]
    .into_iter()
    .any(|l| looks.contains(l))
    {
        return Err((
            format!("pattern `{pattern}` is anchored with `^`, `$` or `\\A`"),
            "remove the anchor: pasted lines carry prefixes (timestamps, prompts, `Line 12:`) \
             that the engine does not always strip"
                .into(),
        ));
    }
    gaps::check(pattern, &prepare(pattern))?;
    Ok(hir)
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn capture_names(hir: &Hir) -> Vec<String> {
    let mut names = Vec::new();
    collect_names(hir, &mut names);
    names
}

fn collect_names(hir: &Hir, names: &mut Vec<String>) {
    match hir.kind() {
        HirKind::Capture(cap) => {
            if let Some(name) = &cap.name {
                if !names.iter().any(|n| n.as_str() == &**name) {
                    names.push(name.to_string());
                }
            }
            collect_names(&cap.sub, names);
        }
        HirKind::Repetition(rep) => collect_names(&rep.sub, names),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| collect_names(s, names))
        }
        _ => {}
    }
}

/// What every match of a piece of pattern must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Required {
    /// The piece matches exactly this (lower-case) text.
    Exact(Vec<u8>),
    /// Every match contains at least one of these.
    AnyOf(Vec<Vec<u8>>),
    /// Nothing is known.
    Nothing,
}

/// The byte a class stands for when it is one ASCII letter in both cases. (A class of one byte
/// never gets here: regex-syntax turns it into a literal.)
fn single_byte(class: &Class) -> Option<u8> {
    let Class::Bytes(class) = class else {
        return None;
    };
    let [a, b] = class.ranges() else {
        return None;
    };
    let single = |r: &ClassBytesRange| (r.start() == r.end()).then(|| r.start());
    let (a, b) = (single(a)?, single(b)?);
    a.eq_ignore_ascii_case(&b).then(|| a.to_ascii_lowercase())
}

/// How many bytes of `literal` are not part of a common word; 0 when the literal is itself part
/// of one (`acquire` in `acquired`).
pub fn rarity(literal: &[u8], common: &[String]) -> usize {
    if common
        .iter()
        .any(|w| memchr::memmem::find(w.as_bytes(), literal).is_some())
    {
        return 0;
    }
    let mut covered = vec![false; literal.len()];
    for w in common.iter().filter(|w| !w.is_empty()) {
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&literal[from..], w.as_bytes()) {
            covered[from + i..from + i + w.len()].fill(true);
            from += i + 1;
        }
    }
    literal
        .iter()
        .zip(&covered)
        .filter(|(b, c)| !**c && b.is_ascii_alphanumeric())
        .count()
}

fn required(hir: &Hir, common: &[String]) -> Required {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Required::Exact(Vec::new()),
        HirKind::Literal(lit) => Required::Exact(lit.0.to_ascii_lowercase()),
        HirKind::Class(class) => {
            single_byte(class).map_or(Required::Nothing, |b| Required::Exact(vec![b]))
        }
        HirKind::Capture(cap) => required(&cap.sub, common),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                return Required::Nothing;
            }
            // A repeated piece is never exactly its text: regex-syntax already made `x{1}` into `x`.
            match required(&rep.sub, common) {
                Required::Exact(s) => Required::AnyOf(vec![s]),
                other => other,
            }
        }
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for sub in subs {
                match required(sub, common) {
                    Required::Exact(s) => all.push(s),
                    Required::AnyOf(set) => all.extend(set),
                    Required::Nothing => return Required::Nothing,
                }
            }
            all.sort();
            all.dedup();
            Required::AnyOf(all)
        }
        HirKind::Concat(subs) => {
            let mut run = Vec::new();
            let mut all_exact = true;
            let mut candidates: Vec<Vec<Vec<u8>>> = Vec::new();
            for sub in subs {
                match required(sub, common) {
                    Required::Exact(s) => run.extend_from_slice(&s),
                    other => {
                        all_exact = false;
                        if !run.is_empty() {
                            candidates.push(vec![std::mem::take(&mut run)]);
                        }
                        if let Required::AnyOf(set) = other {
                            candidates.push(set);
                        }
                    }
                }
            }
            if all_exact {
                return Required::Exact(run);
            }
            if !run.is_empty() {
                candidates.push(vec![run]);
            }
            // The best anchor is the rarest: no literal made only of common words, then the most
            // bytes outside common words, then the longest.
            candidates
                .into_iter()
                .max_by_key(|set| {
                    let rare = set.iter().map(|l| rarity(l, common)).min().unwrap_or(0);
                    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
                    let usable = shortest >= MIN_ANCHOR_LEN
                        && !set.iter().any(|l| common::is_common(l, common));
                    (usable, rare, shortest, std::cmp::Reverse(set.len()))
                })
                .map_or(Required::Nothing, Required::AnyOf)
        }
    }
}

#[cfg(test)]
mod tests;
