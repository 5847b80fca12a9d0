//! A report as text, one fact per line, for the snapshots. Everything the engine decides is in:
//! ids in order, kind, confidence, variant, lines, fields, rank reasons, evidence with its spans
//! and context lines, candidates, notes, secrets found, where the log says the machine is onboarded and how the input was read. The rules' prose (title, cause, solution,
//! sources) and the rule set's version and hash are left out, so rewording a rule changes no
//! snapshot.

use arc_triage::{Diagnosis, Evidence, EvidenceLine, Report};
use serde::Serialize;
use std::fmt::Write as _;

/// The outcome of one classification; ends with a newline.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let input = &report.input;
    let formats: Vec<String> = input.formats.iter().map(name).collect();
    let _ = writeln!(out, "input: {} bytes, {} lines", input.bytes, input.lines);
    let _ = writeln!(out, "encoding: {}", name(&input.encoding));
    let _ = writeln!(out, "invalid sequences: {}", input.invalid_sequences);
    let _ = writeln!(out, "formats: {}", list_or(&formats, "none"));
    let _ = writeln!(
        out,
        "platform: {}",
        input.platform.as_ref().map_or("unknown".into(), name)
    );
    let error_lines: Vec<String> = report
        .error_lines
        .iter()
        .map(|l| l.line.to_string())
        .collect();
    let _ = writeln!(
        out,
        "error lines: {} (shown: {})",
        report.error_line_count,
        list_or(&error_lines, "none")
    );
    for note in &report.notes {
        let _ = writeln!(out, "note: {}", visible(note));
    }
    if report.secret_count > 0 {
        let found: Vec<String> = (report.secrets.iter())
            .map(|s| format!("{} at line {}", s.kind, s.line))
            .collect();
        let _ = writeln!(
            out,
            "secrets: {} ({})",
            report.secret_count,
            found.join(", ")
        );
    }
    let o = &report.onboarding;
    let named: Vec<String> = [
        ("tenant", &o.tenant_id),
        ("subscription", &o.subscription_id),
        ("resource group", &o.resource_group),
        ("location", &o.location),
        ("service principal", &o.service_principal_id),
        ("resource", &o.resource_name),
    ]
    .iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} {v}")))
    .collect();
    if !named.is_empty() {
        let _ = writeln!(out, "onboarding: {}", named.join(", "));
    }
    if report.matches.is_empty() {
        out.push_str("matches: none\n");
    }
    for (i, d) in report.matches.iter().enumerate() {
        diagnosis(&mut out, i + 1, d);
    }
    out
}

fn diagnosis(out: &mut String, rank: usize, d: &Diagnosis) {
    let lines: Vec<String> = d.lines.iter().map(u64::to_string).collect();
    let _ = writeln!(out, "match {rank}: {}", d.row.id);
    let _ = writeln!(out, "  kind: {}", name(&d.row.kind));
    let _ = writeln!(out, "  confidence: {}", name(&d.confidence));
    let _ = writeln!(out, "  variant: {}", d.variant.as_deref().unwrap_or("none"));
    let _ = writeln!(out, "  lines: {}", list_or(&lines, "none"));
    let _ = writeln!(out, "  occurrences: {}", d.occurrences);
    for (key, value) in &d.fields {
        let _ = writeln!(out, "  field {key}: {}", visible(value));
    }
    let _ = writeln!(out, "  rank reason: {}", visible(&d.rank_reason));
    if let Some(by) = &d.explained_by {
        let _ = writeln!(out, "  explained by: {by}");
    }
    for e in &d.evidence {
        evidence(out, e);
    }
    for c in &d.candidates {
        let _ = writeln!(out, "  candidate: {}", c.id);
    }
}

fn evidence(out: &mut String, e: &Evidence) {
    let level = e.level.as_ref().map_or("none".into(), name);
    let _ = writeln!(out, "  evidence at line {} (level {level})", e.line);
    if let Some(l) = &e.before {
        context_line(out, "before", l);
    }
    for l in &e.lines {
        evidence_line(out, l);
    }
    if let Some(l) = &e.after {
        context_line(out, "after", l);
    }
}

/// A line of context: never highlighted, so a span on one shows.
fn context_line(out: &mut String, side: &str, l: &EvidenceLine) {
    let _ = writeln!(out, "    {side} line {}: {}", l.line, visible(&l.text));
    if let Some([start, end]) = l.span {
        let _ = writeln!(out, "    span {start}..{end} on a context line");
    }
}

fn evidence_line(out: &mut String, l: &EvidenceLine) {
    let _ = writeln!(out, "    line {}: {}", l.line, visible(&l.text));
    if let Some([start, end]) = l.span {
        // The span counts characters; showing its text makes a shifted span visible.
        let shown: String = l.text.chars().skip(start).take(end - start).collect();
        let _ = writeln!(out, "    span {start}..{end}: {}", visible(&shown));
    }
}

/// A value's name in the JSON contract (`cause`, `agent-console`, `utf16le`...).
fn name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

fn list_or(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_string()
    } else {
        items.join(", ")
    }
}

/// Control characters escaped, so every fact stays on its line and nothing invisible hides in a
/// snapshot.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
