//! Ranking: occurrences become diagnoses, in the order `rules/README.md` ("Kinds and ranking")
//! states, each with the sentence that says why it is where it is.

use crate::occurrences::Occurrences;
use crate::report::{Candidate, Confidence, Diagnosis, Evidence, Level};
use crate::rule::{Kind, Platform};
use crate::ruleset::RuleSet;
use std::collections::BTreeMap;

/// A cause within this many lines of a stage message explains it.
pub const EXPLAINS_WITHIN: u64 = 3;

/// The diagnoses the occurrences add up to, best first. A stage is reported only when none of
/// its rows matched and no cause is within [`EXPLAINS_WITHIN`] lines of each of its
/// occurrences; the variant of a rule is chosen by the matching text, then by `platform`.
/// `line_name` says where a line is in the ranking reasons (`line 3`, `line 2 of gc_ext.log`).
pub fn diagnose(
    set: &RuleSet,
    occurrences: &Occurrences,
    platform: Option<Platform>,
    line_name: &dyn Fn(u64) -> String,
) -> Vec<Diagnosis> {
    let cause_lines: Vec<u64> = {
        let mut v: Vec<u64> = occurrences
            .by_rule
            .iter()
            // Only a specific cause explains a failing step. An exit code does not: it
            // names the category, and the step's candidate rows still help.
            .filter(|(i, _)| set.rules[**i].rule.kind == Kind::Cause)
            .flat_map(|(_, a)| a.lines.iter().copied())
            .collect();
        v.sort_unstable();
        v
    };
    let mut matches: Vec<(Diagnosis, Option<Level>, u64)> = Vec::new();
    let mut variant_notes: BTreeMap<String, String> = BTreeMap::new();
    for (&index, agg) in &occurrences.by_rule {
        let loaded = &set.rules[index];
        let rule = &loaded.rule;
        let mut candidates = Vec::new();
        let confidence = if rule.kind == Kind::Stage {
            let rows: Vec<_> = set.rows_of_stage(&rule.id).collect();
            let row_matched = rows.iter().any(|row| {
                set.rules
                    .iter()
                    .position(|r| r.rule.id == row.rule.id)
                    .is_some_and(|i| occurrences.by_rule.contains_key(&i))
            });
            let explained = agg.lines.iter().all(|line| {
                let from = cause_lines.partition_point(|l| *l + EXPLAINS_WITHIN < *line);
                cause_lines
                    .get(from)
                    .is_some_and(|l| *l <= line + EXPLAINS_WITHIN)
            });
            if row_matched || explained {
                continue;
            }
            candidates = rows
                .iter()
                .map(|row| Candidate {
                    id: row.rule.id.clone(),
                    title: row.rule.title.clone(),
                    error: row.rule.error.clone(),
                })
                .collect();
            Confidence::Partial
        } else {
            Confidence::Exact
        };
        let evidence: Vec<Evidence> = agg.evidence();
        let mut lines: Vec<u64> = evidence
            .iter()
            .flat_map(|e| e.lines.iter().map(|l| l.line))
            .collect();
        lines.dedup();
        // The error's own text picks a meaning first; the log's platform second.
        let variant = match agg.variant {
            Some(v) => rule.variants.get(v),
            None => platform.and_then(|p| rule.variants.iter().find(|v| v.platform == Some(p))),
        };
        if let Some(v) = variant {
            let note = match (agg.variant, v.platform) {
                (None, Some(p)) => format!(
                    " This code means different things on Windows and Linux; the log comes \
                     from a {} machine, so that meaning is shown.",
                    platform_name(p)
                ),
                _ => " The text after the code says which of its meanings applies.".into(),
            };
            variant_notes.insert(rule.id.clone(), note);
        }
        matches.push((
            Diagnosis {
                row: rule.row(variant),
                confidence,
                variant: variant.map(|v| v.id.clone()),
                lines,
                occurrences: agg.count,
                evidence,
                fields: agg.fields.clone(),
                candidates,
                rank_reason: String::new(),
                explained_by: None,
            },
            agg.max_level,
            agg.last_line,
        ));
    }
    // A cause that produces another one found in the same log ranks before it.
    let led_by: BTreeMap<String, String> = matches
        .iter()
        .filter_map(|(d, _, _)| {
            let (by, _, _) = matches.iter().find(|(cause, _, _)| {
                cause.confidence == Confidence::Exact
                    && set
                        .get(&cause.row.id)
                        .is_some_and(|r| r.rule.leads_to.contains(&d.row.id))
            })?;
            Some((d.row.id.clone(), by.row.id.clone()))
        })
        .collect();
    // Specific before generic, a cause before the causes it leads to, then the most severe,
    // then the latest: the last fatal error comes before the retries that preceded it.
    matches.sort_by(|(a, la, na), (b, lb, nb)| {
        (a.confidence, a.row.kind, led_by.contains_key(&a.row.id))
            .cmp(&(b.confidence, b.row.kind, led_by.contains_key(&b.row.id)))
            .then(lb.cmp(la))
            .then(nb.cmp(na))
            .then(a.row.id.cmp(&b.row.id))
    });
    // The best exact cause explains every exit code (the order above puts it first).
    let explaining = matches
        .iter()
        .find(|(d, _, _)| d.row.kind == Kind::Cause && d.confidence == Confidence::Exact)
        .map(|(d, _, _)| d.row.id.clone());
    let has_cause = explaining.is_some();
    // Each rule is one diagnosis: occurrences are already grouped by rule.
    matches
        .into_iter()
        .map(|(mut d, level, last)| {
            d.rank_reason = match led_by.get(&d.row.id) {
                Some(by) => format!(
                    "Consequence: `{by}` above leads to this error, so it ranks after it \
                     ({}).",
                    seen(&d, &line_name(last))
                ),
                None => rank_reason(&d, level, &line_name(last), has_cause),
            };
            if let Some(note) = variant_notes.get(&d.row.id) {
                d.rank_reason.push_str(note);
            }
            if d.row.kind == Kind::Code {
                d.explained_by = explaining.clone();
            }
            d
        })
        .collect()
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Windows => "Windows",
        Platform::Linux => "Linux",
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warning",
        Level::Error => "error",
        Level::Fatal => "fatal",
    }
}

fn seen(d: &Diagnosis, last: &str) -> String {
    match d.occurrences {
        1 => format!("seen once, at {last}"),
        n => format!("seen {n} times, last at {last}"),
    }
}

fn rank_reason(d: &Diagnosis, level: Option<Level>, last: &str, has_cause: bool) -> String {
    let seen = seen(d, last);
    let level = level.map_or("", level_name);
    match (d.confidence, d.row.kind) {
        (Confidence::Partial, _) => format!(
            "Partial: the failing step is recognised but its error detail matches none of its \
             {} known rows; listed after exact matches ({seen}).",
            d.candidates.len()
        ),
        (_, Kind::Code) if has_cause => format!(
            "Exit code: names the category of the failure; ranked below the specific cause \
             above, which explains it ({seen}, {level})."
        ),
        (_, Kind::Code) => format!(
            "Exit code: names the category of the failure; no more specific cause was \
             recognised ({seen}, {level})."
        ),
        _ => format!(
            "Exact match of a specific cause ({seen}, {level}). Causes are ordered by severity, \
             then latest first, so the final fatal error comes before earlier retries."
        ),
    }
}
