//! The nine rows of Microsoft's 2020 troubleshooting table stay word for word what the article
//! printed. The Message and Error cells are copied in tests/reference/troubleshooting-table-2020.md
//! (CI runs without the shared reference folder); this test renders the same two columns from
//! rules/ with `arc-triage --table`'s renderer and compares them.

use arc_triage::render::markdown_table;
use arc_triage::{Classifier, Kind, RuleSet};
use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::table_rows;

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
    let rows = table_rows();
    assert_eq!(
        reference.len(),
        rows.len(),
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
    for (id, (message, error)) in rows.iter().map(|r| &r.id).zip(&reference) {
        let Some(row) = rendered.get(id) else {
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
    for (row, (message, error)) in table_rows().iter().zip(reference_rows()) {
        let id = &row.id;
        let rule = &set.get(id).expect("table rows exist").rule;
        // The tests' own copy of the stage (tests/data/table-rows.json) is the article's too.
        if row.message != message {
            failures.push(format!(
                "tests/data/table-rows.json: {id}: message {:?} != article {message:?}",
                row.message
            ));
        }
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

/// Rows of one `## heading` table in the 2026-07-07 reference: `(first cell, second cell)`.
fn table_2026(heading: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/agent-error-codes-2026-07-07.md");
    let text =
        std::fs::read_to_string(&path).expect("the 2026 reference table is in the repository");
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with(heading))
        .unwrap_or_else(|| panic!("{}: no `## {heading}` section", path.display()));
    section
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            let c = cells(l);
            (c[0].replace("**", ""), c[1].clone())
        })
        .collect()
}

/// Words (any one of `a|b`) that a code rule's title must contain to say what Microsoft's table
/// says the code means. A title that drifts from the table's meaning (AZCM0157 once said
/// "repository could not be read" for what is a curl permission error) fails here.
const MEANING: &[(&str, &[&str])] = &[
    ("AZCM0001", &["unknown"]),
    ("AZCM0002", &["internal"]),
    ("AZCM0003", &["not supported|unsupported|isn't supported"]),
    ("AZCM0004", &["proxy"]),
    ("AZCM0005", &["log"]),
    ("AZCM0006", &["initiali"]),
    ("AZCM0011", &["cancel|ctrl+c|interrupt"]),
    ("AZCM0012", &["access token"]),
    ("AZCM0016", &["parameter"]),
    ("AZCM0018", &["administrat|root|elevat"]),
    ("AZCM0019", &["config"]),
    ("AZCM0020", &["region"]),
    ("AZCM0023", &["parameter|argument|value"]),
    ("AZCM0026", &["network|endpoint"]),
    ("AZCM0027", &["conflict"]),
    ("AZCM0028", &["tpm"]),
    ("AZCM0041", &["credential|sign"]),
    ("AZCM0042", &["creat"]),
    ("AZCM0043", &["delet"]),
    ("AZCM0044", &["already exists|same name"]),
    ("AZCM0045", &["public key"]),
    ("AZCM0061", &["service"]),
    ("AZCM0062", &["connect"]),
    ("AZCM0063", &["disconnect"]),
    ("AZCM0064", &["service"]),
    ("AZCM0065", &["service"]),
    ("AZCM0066", &["service"]),
    ("AZCM0067", &["already connected"]),
    ("AZCM0068", &["subscription"]),
    ("AZCM0069", &["config"]),
    ("AZCM0070", &["service"]),
    ("AZCM0072", &["extension"]),
    ("AZCM0073", &["partner"]),
    ("AZCM0074", &["extension"]),
    ("AZCM0075", &["cloud"]),
    ("AZCM0076", &["tpm"]),
    ("AZCM0081", &["certificate"]),
    ("AZCM0082", &["tpm"]),
    ("AZCM0083", &["persistent credential"]),
    ("AZCM0101", &["command"]),
    ("AZCM0102", &["hostname|host name"]),
    ("AZCM0103", &["rsa"]),
    ("AZCM0104", &["private key"]),
    ("AZCM0105", &["signed message"]),
    ("AZCM0106", &["parameters file"]),
    ("AZCM0107", &["certificate"]),
    ("AZCM0108", &["tpm"]),
    ("AZCM0130", &["systemd|systemctl"]),
    ("AZCM0131", &["distribution|distro"]),
    ("AZCM0132", &["architecture|platform"]),
    ("AZCM0133", &["distribution|distro"]),
    ("AZCM0141", &["azure vm|azure virtual machine"]),
    ("AZCM0143", &["package"]),
    ("AZCM0145", &["lock"]),
    ("AZCM0146", &["repository|packages-microsoft-prod"]),
    ("AZCM0147", &["version", "azure vm|azure virtual machine"]),
    ("AZCM0148", &["download"]),
    ("AZCM0149", &["msiexec|windows installer"]),
    ("AZCM0150", &["install"]),
    ("AZCM0151", &[".net"]),
    ("AZCM0152", &["azure stack hci|azure local"]),
    ("AZCM0153", &["x64|64-bit"]),
    ("AZCM0154", &["powershell"]),
    ("AZCM0155", &["administrator"]),
    ("AZCM0156", &["1603|fatal"]),
    ("AZCM0157", &["curl", "permission"]),
    ("AZCM0158", &["disk"]),
    ("AZCM0159", &["another install|in progress"]),
    ("AZCM0160", &["log file"]),
    ("AZCM0171", &["signature"]),
];

/// Every code of Microsoft's current table has its rule: `azcmNNNN`, kind `code`, the table's
/// "Probable cause" verbatim as its Message, and a title that says the same thing.
#[test]
fn every_current_error_code_has_a_rule_that_agrees_with_the_table() {
    let set = RuleSet::builtin().expect("the rules load");
    let rows = table_2026("Agent error codes");
    assert_eq!(rows.len(), 69, "the 2026 table has AZCM0000 and 68 codes");
    let mut failures = Vec::new();
    for (code, meaning) in &rows {
        if code == "AZCM0000" {
            continue;
        }
        let id = code.to_ascii_lowercase();
        let Some(loaded) = set.get(&id) else {
            failures.push(format!("{code}: no rule `{id}` (Microsoft: {meaning})"));
            continue;
        };
        let rule = &loaded.rule;
        if rule.kind != arc_triage::Kind::Code {
            failures.push(format!("{}: kind should be `code`", loaded.file));
        }
        if rule.message != *meaning {
            failures.push(format!(
                "{}: message\n  {:?}\nshould be the table's\n  {meaning:?}",
                loaded.file, rule.message
            ));
        }
        failures.extend(title_problems(&loaded.file, code, &rule.title));
    }
    for (code, _) in MEANING {
        if !rows.iter().any(|(c, _)| c == code) && set.get(&code.to_ascii_lowercase()).is_none() {
            failures.push(format!("{code}: listed in MEANING but has no rule"));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

fn title_problems(file: &str, code: &str, title: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !title.starts_with(&format!("{code}: ")) {
        problems.push(format!(
            "{file}: title `{title}` should start with `{code}: `"
        ));
    }
    let Some((_, terms)) = MEANING.iter().find(|(c, _)| *c == code) else {
        problems.push(format!(
            "{file}: add `{code}` to MEANING in tests/docs_sync.rs"
        ));
        return problems;
    };
    let lower = title.to_ascii_lowercase();
    for term in *terms {
        if !term.split('|').any(|t| lower.contains(t)) {
            problems.push(format!(
                "{file}: title `{title}` does not carry the table's meaning (`{term}`)"
            ));
        }
    }
    problems
}

/// The numeric exit-code table: exit code N names the rule of AZCM00NN, which carries
/// `exit_code = N`; codes only in this table (104, 106) take its description as their Message.
#[test]
fn every_documented_exit_code_names_the_rule_of_the_same_number() {
    let set = RuleSet::builtin().expect("the rules load");
    let rows = table_2026("Agent exit codes");
    let codes = table_2026("Agent error codes");
    assert_eq!(rows.len(), 47, "the 2026 exit-code table has 47 rows");
    let mut failures = Vec::new();
    for (number, description) in &rows {
        let n: u16 = number
            .parse()
            .unwrap_or_else(|_| panic!("`{number}` is not a number"));
        if n == 0 {
            continue;
        }
        let code = format!("AZCM{n:04}");
        let Some(loaded) = set.get(&code.to_ascii_lowercase()) else {
            failures.push(format!("exit code {n}: no rule for {code} ({description})"));
            continue;
        };
        if loaded.rule.exit_code != Some(n) {
            failures.push(format!(
                "{}: `exit_code` should be {n}, is {:?}",
                loaded.file, loaded.rule.exit_code
            ));
        }
        if !codes.iter().any(|(c, _)| *c == code) {
            if loaded.rule.message != *description {
                failures.push(format!(
                    "{}: message {:?} should be the exit-code table's {description:?}",
                    loaded.file, loaded.rule.message
                ));
            }
            failures.extend(title_problems(&loaded.file, &code, &loaded.rule.title));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// Each code rule answers its code alone, in every form the agent and its scripts print it:
/// azcmagent's `Exit Code:` line on the console and in azcmagent.log (bare, with the code's
/// name, with Microsoft's meaning), the install scripts' JSON, and a wrapper's numeric exit code.
/// Nothing else may match: this one check replaces a "different exit code" near-miss per rule.
#[test]
fn every_code_line_names_exactly_its_rule() {
    let set = RuleSet::builtin().expect("the rules load");
    let classifier = Classifier::new(set.clone()).expect("the rules compile");
    let mut failures = Vec::new();
    let mut checked = 0;
    for loaded in &set.rules {
        let rule = &loaded.rule;
        let Some(code) = rule.code.as_deref() else {
            let numbered = rule
                .id
                .strip_prefix("azcm")
                .is_some_and(|n| n.parse::<u16>().is_ok());
            if rule.kind == Kind::Code && numbered {
                failures.push(format!(
                    "{}: set `code = \"{}\"`",
                    loaded.file,
                    rule.id.to_ascii_uppercase()
                ));
            }
            continue;
        };
        let mut said = vec![code.to_string(), format!("{code}: {}", rule.message)];
        if let Some(name) = rule
            .error
            .strip_prefix(code)
            .and_then(|r| r.strip_prefix(": "))
        {
            said.push(format!("{code}: {name}"));
        }
        let mut lines: Vec<String> = said
            .iter()
            .flat_map(|s| {
                [
                    format!("INFO    Exit Code:  {s}"),
                    format!("time=\"2026-09-01T10:00:00Z\" level=info msg=\"Exit Code:  {s}\""),
                ]
            })
            .collect();
        lines.push(format!("\"code\": \"{code}\","));
        lines.push(format!("    \"code\":  \"{code}\","));
        if let Some(n) = rule.exit_code {
            lines.push(format!("azcmagent connect failed with exit code {n}"));
        }
        for line in lines {
            checked += 1;
            let ids: Vec<String> = classifier
                .classify(&line)
                .matches
                .into_iter()
                .map(|d| d.row.id)
                .collect();
            if ids != [rule.id.as_str()] {
                failures.push(format!("{}: `{line}` gave {ids:?}", loaded.file));
            }
        }
    }
    assert!(checked > 400, "only {checked} code lines were checked");
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}
