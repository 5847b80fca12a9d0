//! The nine rows of Microsoft's 2020 troubleshooting table stay word for word what the article
//! printed. The Message and Error cells are copied in tests/reference/troubleshooting-table-2020.md
//! (CI runs without the shared reference folder); this test renders the same two columns from
//! rules/ with `arc-triage --table`'s renderer and compares them.

use arc_triage::RuleSet;
use arc_triage::render::markdown_table;
use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::TABLE_ROWS as ROWS;

/// One row of a Markdown table: its cells, split at `|` not escaped as `\|`, trimmed.
fn cells(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    if !cell.trim().is_empty() {
        out.push(cell.trim().to_string());
    }
    out
}

/// The text between the first and the last backtick of a cell (the article leaves a full stop
/// outside the backticks in some rows).
fn code_span(cell: &str) -> &str {
    match (cell.find('`'), cell.rfind('`')) {
        (Some(a), Some(b)) if b > a => &cell[a + 1..b],
        _ => cell,
    }
}

/// Markdown cells collapse runs of whitespace, so the rendered table is compared that way.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `(message, error)` of each data row of a Markdown table with those two columns first.
fn reference_rows() -> Vec<(String, String)> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/troubleshooting-table-2020.md");
    let text = std::fs::read_to_string(&path).expect("the reference table is in the repository");
    text.lines()
        .filter(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            let c = cells(l);
            assert!(c.len() >= 2, "{}: bad row `{l}`", path.display());
            (c[0].clone(), code_span(&c[1]).to_string())
        })
        .collect()
}

#[test]
fn rendered_table_rows_match_the_2020_article() {
    let set = RuleSet::builtin().expect("the rules load");
    let reference = reference_rows();
    assert_eq!(
        reference.len(),
        ROWS.len(),
        "the 2020 article's table has nine rows"
    );
    // `arc-triage --table` output, by rule id.
    let rendered: BTreeMap<String, Vec<String>> = markdown_table(&set)
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let c = cells(l);
            (c[0].trim_matches('`').to_string(), c)
        })
        .collect();
    let mut failures = Vec::new();
    for (id, (message, error)) in ROWS.iter().zip(&reference) {
        let Some(row) = rendered.get(*id) else {
            failures.push(format!("`{id}` is missing from the rendered table"));
            continue;
        };
        let file = &set.get(id).expect("rendered rules exist").file;
        if squash(&row[1]) != squash(message) {
            failures.push(format!(
                "{file}: rendered Message `{}` differs from the article's `{message}`",
                row[1]
            ));
        }
        // The renderer shows the error in backticks, with backticks inside replaced by `'`.
        if squash(code_span(&row[2])) != squash(&error.replace('`', "'")) {
            failures.push(format!(
                "{file}: rendered Error\n  {}\ndiffers from the article's\n  {error}",
                code_span(&row[2])
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// The rule data itself keeps the article's exact text, double spaces included: the Error
/// column is what users search for.
#[test]
fn rule_error_and_message_fields_are_verbatim() {
    let set = RuleSet::builtin().expect("the rules load");
    let mut failures = Vec::new();
    for (id, (message, error)) in ROWS.iter().zip(reference_rows()) {
        let rule = &set.get(id).expect("table rows exist").rule;
        if rule.message != message {
            failures.push(format!(
                "{id}: message {:?} != article {message:?}",
                rule.message
            ));
        }
        if rule.error != error {
            failures.push(format!(
                "{id}: error\n  {:?}\n!= article\n  {error:?}",
                rule.error
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn cells_respect_escaped_pipes_and_code_spans() {
    assert_eq!(cells("| a | `b\\|c` | d |"), ["a", "`b|c`", "d"]);
    assert_eq!(code_span("`x y`."), "x y");
    assert_eq!(code_span("plain"), "plain");
}
