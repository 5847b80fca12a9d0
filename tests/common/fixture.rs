//! The header of a fixture in `tests/fixtures/`: where the log comes from and what it must
//! produce. Shared by examples.rs (which runs every fixture) and rules.rs (which tests this parser).

/// A real (or documented variant) log: its header says where it comes from and which diagnoses a
/// support engineer expects.
#[derive(Debug)]
pub struct Fixture {
    pub source: String,
    /// Every id the log produces, in rank order.
    pub expect: Vec<String>,
    /// The log itself, header removed, line endings untouched.
    pub body: String,
}

/// Reads the header: leading `# source: ...`, `# expect: id[, id...]` and optional `# note: ...`
/// lines. Everything from the first other line on is the log.
pub fn parse_fixture(name: &str, text: &str) -> Result<Fixture, String> {
    let (mut source, mut expect) = (None, None);
    let mut rest = text;
    loop {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_end].trim_end_matches(['\r', '\n']);
        let Some((key, value)) = line
            .strip_prefix("# ")
            .and_then(|h| h.split_once(':'))
            .filter(|(k, _)| matches!(*k, "source" | "expect" | "note"))
        else {
            break;
        };
        let value = value.trim();
        match key {
            "source" => source = Some(value.to_string()),
            "expect" => {
                expect = Some(
                    value
                        .split(',')
                        .map(|id| id.trim().to_string())
                        .filter(|id| !id.is_empty())
                        .collect::<Vec<_>>(),
                )
            }
            _ => {}
        }
        rest = &rest[line_end..];
    }
    let source = source.filter(|s| !s.is_empty()).ok_or_else(|| {
        format!(
            "{name}: no `# source: <public URL or reference>` header line; every fixture says \
             where its text comes from"
        )
    })?;
    let expect = expect.filter(|e| !e.is_empty()).ok_or_else(|| {
        format!(
            "{name}: no `# expect: <rule-id>[, <rule-id>...]` header line; name the diagnosis a \
             support engineer would pick first, then every other one the log produces, in rank \
             order"
        )
    })?;
    if rest.trim().is_empty() {
        return Err(format!("{name}: the fixture has headers but no log text"));
    }
    Ok(Fixture {
        source,
        expect,
        body: rest.to_string(),
    })
}
