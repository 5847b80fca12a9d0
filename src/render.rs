//! Plain-text renderings of reports and rule sets: what the CLI prints and what docs writers paste.

use crate::report::{Confidence, Diagnosis, EvidenceLine, Report};
use crate::rule::Kind;
use crate::rule::SourceLink;
use crate::ruleset::RuleSet;
use std::fmt::Write as _;

/// How a match is marked inside an evidence line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `«` and `»` around the match: readable anywhere, survives copy and paste.
    Plain,
    /// Bold red on a terminal.
    Ansi,
}

fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", number(n), if n == 1 { one } else { many })
}

/// The warning that the input holds secrets: which kinds, on which lines, and what to do if the
/// log went anywhere else. Nothing when it holds none.
fn secret_warning(out: &mut String, report: &Report) {
    if report.secret_count == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\nWarning: this log holds {}. Every text shown here has {} in its place.",
        plural(report.secret_count, "secret", "secrets"),
        crate::secrets::MASK
    );
    for kind in &crate::secrets::KINDS {
        let lines: Vec<String> = (report.secrets.iter())
            .filter(|s| s.kind == kind.id)
            .map(|s| match &s.file {
                Some(file) => format!("{} {}", crate::parts::base_name(file), s.line),
                None => s.line.to_string(),
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let at = if lines.len() == 1 { "line" } else { "lines" };
        let _ = writeln!(out, "  {} ({at} {})", kind.name, lines.join(", "));
        let advice = format!(
            "If this log was sent anywhere else (a ticket, a mail, a chat): {}",
            kind.rotate
        );
        out.push_str(&indent_all(&wrap(&advice, 92), "    "));
        out.push('\n');
    }
    if report.secret_count > report.secrets.len() as u64 {
        let _ = writeln!(
            out,
            "  (the first {} are listed)",
            number(report.secrets.len() as u64)
        );
    }
}

/// `text` folded at spaces into lines of at most `width` characters (a longer word stays whole).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut column = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if column > 0 && column + 1 + len > width {
            out.push('\n');
            column = 0;
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
    }
    out
}

/// The report as a person reads it in a terminal.
pub fn report_text(report: &Report, style: Style, source: Option<&str>) -> String {
    let mut out = String::new();
    let input = &report.input;
    let mut read = plural(input.lines, "line", "lines");
    let logs = input.files.iter().filter(|f| f.skipped.is_none()).count();
    if !input.files.is_empty() {
        read = format!("{read} of {}", plural(logs as u64, "log", "logs"));
    }
    let formats = if input.formats.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = input.formats.iter().map(|f| f.describe()).collect();
        format!(" ({})", names.join(", "))
    };
    let from = source.map(|s| format!("{s}: ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{from}{} in {read}{formats} · rules {} ({})",
        match report.matches.len() {
            0 => "no diagnosis".to_string(),
            n => plural(n as u64, "diagnosis", "diagnoses"),
        },
        report.ruleset.version,
        report.ruleset.hash
    );
    secret_warning(&mut out, report);
    for note in &report.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    for (i, d) in report.matches.iter().enumerate() {
        out.push('\n');
        diagnosis_text(&mut out, i + 1, d, style);
    }
    if !report.has_exact() {
        out.push('\n');
        if report.matches.is_empty() {
            let _ = writeln!(
                out,
                "No row of the troubleshooting table matches this input."
            );
        }
        if !report.error_lines.is_empty() {
            let _ = writeln!(
                out,
                "Lines that look like errors ({} of {}, last first):",
                report.error_lines.len(),
                number(report.error_line_count)
            );
            for line in &report.error_lines {
                evidence_line(&mut out, line, style, "  ");
            }
        }
        let _ = writeln!(out, "Next steps:");
        for (i, step) in report.next_steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, indent_rest(step, "     "));
        }
    }
    out
}

fn diagnosis_text(out: &mut String, n: usize, d: &Diagnosis, style: Style) {
    let confidence = match d.confidence {
        Confidence::Exact => "exact",
        Confidence::Partial => "partial",
    };
    let kind = match d.row.kind {
        Kind::Cause => "cause",
        Kind::Code => "exit code",
        Kind::Stage => "step",
    };
    let _ = writeln!(
        out,
        "{n}. {} [{confidence} · {kind}] {}",
        d.row.id, d.row.title
    );
    if !d.row.message.is_empty() {
        let _ = writeln!(out, "   Message:  {}", d.row.message);
    }
    if !d.row.error.is_empty() {
        let _ = writeln!(
            out,
            "   Error:    {}",
            indent_rest(&d.row.error, "             ")
        );
    }
    if !d.fields.is_empty() {
        let fields: Vec<String> = d.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "   Values:   {}", fields.join("  "));
    }
    let _ = writeln!(
        out,
        "   Evidence: {}",
        match d.occurrences {
            1 => "1 occurrence".to_string(),
            n if n as usize > d.evidence.len() => {
                format!(
                    "{} occurrences (first and last {} shown)",
                    number(n),
                    d.evidence.len() - 1
                )
            }
            n => format!("{} occurrences", number(n)),
        }
    );
    for e in &d.evidence {
        if let Some(line) = &e.before {
            context_line(out, line, style, "     ");
        }
        for line in &e.lines {
            evidence_line(out, line, style, "     ");
        }
        if let Some(line) = &e.after {
            context_line(out, line, style, "     ");
        }
    }
    if !d.candidates.is_empty() {
        let _ = writeln!(out, "   Could be one of:");
        for c in &d.candidates {
            let _ = writeln!(out, "     - {} ({})", c.id, c.title);
        }
    }
    let _ = writeln!(out, "   Probable cause:");
    let _ = writeln!(out, "{}", indent_all(&d.row.cause, "     "));
    let _ = writeln!(out, "   Solution:");
    let _ = writeln!(out, "{}", indent_all(&d.row.solution, "     "));
    let _ = writeln!(out, "   Docs:     {}", d.row.docs);
    let _ = writeln!(
        out,
        "   Sources:  {}",
        indent_rest(
            &sources_line(&d.row.sources, &d.row.checked),
            "             "
        )
    );
    if let Some(unsourced) = &d.row.unsourced {
        let _ = writeln!(out, "   Unsourced: {}", unsourced.trim());
    }
    let _ = writeln!(out, "   Ranked:   {}", d.rank_reason);
}

/// One citation per line (a link, or `owner/repo#N (link)`), then `checked <date>`.
fn sources_line(sources: &[SourceLink], checked: &str) -> String {
    let list: Vec<String> = sources
        .iter()
        .map(|s| {
            if s.label == s.url.trim_start_matches("https://") {
                s.url.clone()
            } else {
                format!("{} ({})", s.label, s.url)
            }
        })
        .collect();
    format!("{}\nchecked {checked}", list.join("\n"))
}

/// A line of context beside the evidence: `┆` instead of `│` after its number, and dim on a
/// terminal.
fn context_line(out: &mut String, line: &EvidenceLine, style: Style, indent: &str) {
    let (at, text) = (position(line), shown(line, style));
    let _ = match style {
        Style::Plain => writeln!(out, "{indent}{at} ┆ {text}"),
        Style::Ansi => writeln!(out, "\u{1b}[2m{indent}{at} ┆ {text}\u{1b}[0m"),
    };
}

fn evidence_line(out: &mut String, line: &EvidenceLine, style: Style, indent: &str) {
    let _ = writeln!(out, "{indent}{} │ {}", position(line), shown(line, style));
}

/// Where a line is: its number, or for a line of a support bundle's log the file's path in the
/// archive and the line there.
fn position(line: &EvidenceLine) -> String {
    match &line.file {
        Some(file) => format!("{file}:{}", line.line),
        None => format!("{:>6}", line.line),
    }
}

/// A line's text with its span marked, safe to print on a terminal.
fn shown(line: &EvidenceLine, style: Style) -> String {
    let text = match line.span {
        Some([s, e]) => {
            let chars: Vec<char> = line.text.chars().collect();
            let (s, e) = (s.min(chars.len()), e.min(chars.len()));
            let (open, close) = match style {
                Style::Plain => ("«", "»"),
                Style::Ansi => ("\u{1b}[1;31m", "\u{1b}[0m"),
            };
            let before: String = chars[..s].iter().collect();
            let inside: String = chars[s..e].iter().collect();
            let after: String = chars[e..].iter().collect();
            format!("{before}{open}{inside}{close}{after}")
        }
        None => line.text.clone(),
    };
    // Terminal escapes from the log itself are never replayed on the user's terminal.
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_control() && c != '\u{1b}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    if style == Style::Plain {
        text.replace('\u{1b}', "␛")
    } else {
        text
    }
}

fn indent_all(text: &str, indent: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn indent_rest(text: &str, indent: &str) -> String {
    let mut lines = text.trim_end().lines();
    let first = lines.next().unwrap_or_default().to_string();
    lines.fold(first, |acc, l| format!("{acc}\n{indent}{l}"))
}

/// Every rule as a Markdown table in the layout of Microsoft's article, for docs writers.
pub fn markdown_table(set: &RuleSet) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- arc-triage rules {} ({}): {} rules. Generated by `arc-triage --table`. -->",
        set.manifest.version,
        set.hash,
        set.rules.len()
    );
    out.push_str("| Id | Message | Error | Probable cause | Solution | Sources |\n");
    out.push_str("|----|---------|-------|----------------|----------|---------|\n");
    for r in &set.rules {
        let rule = &r.rule;
        let error = if rule.error.is_empty() {
            String::new()
        } else {
            format!("`{}`", cell(&rule.error).replace('`', "'"))
        };
        let mut sources: Vec<String> = rule
            .sources
            .iter()
            .map(|s| {
                let link = SourceLink::from_citation(s);
                format!("[{}]({})", cell(&link.label), link.url)
            })
            .collect();
        sources.push(format!("checked {}", rule.checked));
        if let Some(u) = &rule.unsourced {
            sources.push(format!("Unsourced: {}", cell(u)));
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            rule.id,
            cell(&rule.message),
            error,
            cell(&rule.cause),
            cell(&rule.solution),
            sources.join("<br>")
        );
    }
    for r in &set.manifest.retired {
        let _ = writeln!(
            out,
            "| `{}` | retired |  | {} | Replaced by {} |  |",
            r.id,
            cell(&r.why),
            r.replaced_by
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.trim()
        .replace('|', "\\|")
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("<br><br>")
}

/// One line per rule: id, kind and title.
pub fn rule_list(set: &RuleSet) -> String {
    let width = set
        .rules
        .iter()
        .map(|r| r.rule.id.len())
        .chain(set.manifest.retired.iter().map(|r| r.id.len()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for r in &set.rules {
        let kind = match r.rule.kind {
            Kind::Cause => "cause",
            Kind::Code => "code",
            Kind::Stage => "stage",
        };
        let _ = writeln!(out, "{:width$}  {kind:5}  {}", r.rule.id, r.rule.title);
    }
    for r in &set.manifest.retired {
        let _ = writeln!(
            out,
            "{:width$}  {:5}  replaced by {}",
            r.id,
            "gone",
            r.replaced_by.join(", ")
        );
    }
    out
}
