//! Plain-text renderings of reports and rule sets: what the CLI prints and what docs writers paste.

use crate::report::{Confidence, Diagnosis, EvidenceLine, Report};
use crate::rule::Kind;
use crate::rule::SourceLink;
use crate::ruleset::RuleSet;
use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` made safe to print on a terminal: a control character from the input (a file name, an
/// archive member, a log line, a captured value, a custom rule's text) can never move the cursor,
/// clear the screen, set the window title or write the clipboard (OSC 52). Each one is shown
/// instead, one character for one, so highlight spans counted in characters still line up:
/// ESC becomes `␛`; a tab a space; every other C0 control its Control Picture (BEL `␇`, BS `␈`,
/// CR `␍`, LF `␊`: U+2400 plus its code); DEL `␡`; the C1 controls (U+0080 to U+009F, which
/// some terminals read as CSI and OSC) `\u{fffd}`. Nothing else changes.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{1b}' => '␛',
                '\t' => ' ',
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '␡',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// [`printable`] applied to each line of `text`, the line breaks kept (a multi-line message).
pub fn printable_lines(text: &str) -> String {
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(printable).collect();
    lines.join("\n")
}

/// Appends a formatted text and a line break, every line of it through [`printable`]: all of the
/// report's text but its evidence lines (which add their own highlight codes) goes through here.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let text = format!($($arg)*);
        let out: &mut String = $out;
        out.push_str(&printable_lines(&text));
        out.push('\n');
    }};
}

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
    put!(
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
        put!(out, "  {} ({at} {})", kind.name, lines.join(", "));
        let advice = format!(
            "If this log was sent anywhere else (a ticket, a mail, a chat): {}",
            kind.rotate
        );
        out.push_str(&indent_all(&wrap(&advice, 92), "    "));
        out.push('\n');
    }
    if report.secret_count > report.secrets.len() as u64 {
        put!(
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
    put!(
        &mut out,
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
        put!(&mut out, "Note: {note}");
    }
    for (i, d) in report.matches.iter().enumerate() {
        out.push('\n');
        diagnosis_text(&mut out, i + 1, d, style);
    }
    if !report.has_exact() {
        out.push('\n');
        if report.matches.is_empty() {
            put!(
                &mut out,
                "No row of the troubleshooting table matches this input."
            );
        }
        if !report.error_lines.is_empty() {
            put!(
                &mut out,
                "Lines that look like errors ({} of {}, last first):",
                report.error_lines.len(),
                number(report.error_line_count)
            );
            for line in &report.error_lines {
                evidence_line(&mut out, line, style, "  ");
            }
        }
        put!(&mut out, "Next steps:");
        for (i, step) in report.next_steps.iter().enumerate() {
            put!(&mut out, "  {}. {}", i + 1, indent_rest(step, "     "));
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
    put!(
        out,
        "{n}. {} [{confidence} · {kind}] {}",
        d.row.id,
        d.row.title
    );
    if !d.row.message.is_empty() {
        put!(out, "   Message:  {}", d.row.message);
    }
    if !d.row.error.is_empty() {
        put!(
            out,
            "   Error:    {}",
            indent_rest(&d.row.error, "             ")
        );
    }
    if !d.fields.is_empty() {
        let fields: Vec<String> = d.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
        put!(out, "   Values:   {}", fields.join("  "));
    }
    put!(
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
        put!(out, "   Could be one of:");
        for c in &d.candidates {
            put!(out, "     - {} ({})", c.id, c.title);
        }
    }
    put!(out, "   Probable cause:");
    put!(out, "{}", indent_all(&d.row.cause, "     "));
    put!(out, "   Solution:");
    put!(out, "{}", indent_all(&d.row.solution, "     "));
    put!(out, "   Docs:     {}", d.row.docs);
    put!(
        out,
        "   Sources:  {}",
        indent_rest(
            &sources_line(&d.row.sources, &d.row.checked),
            "             "
        )
    );
    if let Some(unsourced) = &d.row.unsourced {
        put!(out, "   Unsourced: {}", unsourced.trim());
    }
    put!(out, "   Ranked:   {}", d.rank_reason);
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
        Some(file) => format!("{}:{}", printable(file), line.line),
        None => format!("{:>6}", line.line),
    }
}

/// A line's text with its span marked, safe to print on a terminal.
fn shown(line: &EvidenceLine, style: Style) -> String {
    // The log's own escapes are made harmless before the highlight adds ours: `printable` maps
    // one character to one, so the span (counted in characters) still covers the match.
    let safe = printable(&line.text);
    match line.span {
        Some([s, e]) => {
            let chars: Vec<char> = safe.chars().collect();
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
        None => safe.into_owned(),
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
