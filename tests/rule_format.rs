//! What the rule format promises beyond matching: numeric exit codes name their AZCM code's rule,
//! a code with several meanings picks the right one, every diagnosis carries its sources, and
//! retired public ids stay answerable. Small rule sets written here keep each promise visible.

use arc_triage::render::{Style, markdown_table, report_text, rule_list};
use arc_triage::{Classifier, Kind, Platform, RuleSet};

const MANIFEST: &str = r#"
version = "2026.11.26"
[no_match]
steps = ["rerun with --verbose"]

[[exit_code]]
regex = 'azcmagent command failed with error: (?:>> )?exit ?code ?[:=]? (?P<exit_code>\d{1,3})\b'

[[exit_code]]
regex = '''azcmagent(?:\.exe)?["']?\x20.{0,160}?(?:exit(?:ed)?(?: with)?(?: exit)? (?:code|status)|exit ?status)[ :=\[(]{0,4}(?P<exit_code>\d{1,3})\b'''
unless = 'error installing azcmagent \(exit code'

[platform]
windows = ["PS C:\\", "C:\\ProgramData"]
linux = ["/var/opt/azcmagent", "sudo "]

[[retired]]
id = "old-install-row"
replaced_by = ["azcm0042", "azcm0147"]
why = "Microsoft now documents each code on its own."
"#;

const CODE_42: &str = r#"
id = "azcm0042"
kind = "code"
exit_code = 42
source = "azcm-codes"
title = "AZCM0042: creating the resource failed"
error = "AZCM0042"
cause = "ARM refused."
solution = "Read the ARM error."
docs = "https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard"
sources = ["https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-exit-codes", "Azure/AzureLocal-Supportability#184"]
checked = "2026-11"
unsourced = "Nothing public says why ARM refused."
[[match]]
regex = '(?P<azcm_code>AZCM0042)'
[[sample]]
text = "Exit Code:  AZCM0042"
[[near_miss]]
text = "Exit Code:  AZCM0043"
why = "another code"
"#;

const CODE_147: &str = r#"
id = "azcm0147"
kind = "code"
source = "azcm-codes"
title = "AZCM0147: version not found (Linux) or Azure VM (Windows)"
error = "AZCM0147"
cause = "Both meanings."
solution = "Both fixes."
docs = "https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard"
sources = ["https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard"]
checked = "2026-11-26"
[[match]]
regex = '(?P<azcm_code>AZCM0147)'
[[match]]
regex = 'desired_version not found: (?P<version>[0-9.]{1,20})'
variant = "linux"
[[variant]]
id = "linux"
platform = "linux"
title = "AZCM0147: the requested agent version is not in the repository"
cause = "Linux meaning."
solution = "List the versions."
[[variant]]
id = "windows"
platform = "windows"
title = "AZCM0147: the agent cannot be installed on an Azure VM"
cause = "Windows meaning."
solution = "See azure-vm-detected."
[[sample]]
text = "AZCM0147"
[[near_miss]]
text = "AZCM0148"
why = "another code"
"#;

fn classifier() -> Classifier {
    let set = RuleSet::from_files([
        ("rules/ruleset.toml", MANIFEST),
        ("rules/azcm/azcm0042.toml", CODE_42),
        ("rules/azcm/azcm0147.toml", CODE_147),
    ])
    .expect("the test rules are valid");
    Classifier::new(set).expect("the test rules compile")
}

fn ids(c: &Classifier, text: &str) -> Vec<String> {
    c.classify(text)
        .matches
        .into_iter()
        .map(|d| d.row.id)
        .collect()
}

#[test]
fn a_wrappers_numeric_exit_code_names_the_code_rule() {
    let c = classifier();
    for text in [
        "Bootstrap reported error: A ArcAgentConnectionException error occurred with the message: 'AZCMAgent command failed with error:  >> exitcode: 42. Additional Info: See https://aka.ms/arc/azcmerror'",
        "azcmagent connect failed with exit code 42",
        "\"C:\\Program Files\\AzureConnectedMachineAgent\\azcmagent.exe\" connect exited with code 42",
    ] {
        let report = c.classify(text);
        let d = report
            .matches
            .first()
            .unwrap_or_else(|| panic!("`{text}` matched nothing"));
        assert_eq!(d.row.id, "azcm0042", "{text}");
        assert_eq!(d.fields["exit_code"], "42");
        assert_eq!(d.fields["azcm_code"], "AZCM0042");
        assert!(
            d.evidence[0].lines[0].span.is_some(),
            "the number is highlighted"
        );
    }
}

#[test]
fn exit_codes_nobody_claims_or_that_are_not_the_agents_name_nothing() {
    let c = classifier();
    assert!(ids(&c, "azcmagent connect failed with exit code 43").is_empty());
    assert!(
        ids(&c, "exit code 42").is_empty(),
        "no azcmagent in the record"
    );
    assert!(
        ids(
            &c,
            "./install_linux_azcmagent.sh: error installing azcmagent (exit code: 42). See 'apt' command logs"
        )
        .is_empty(),
        "the package manager's exit code, not the agent's"
    );
    assert!(ids(&c, "azcmagent connect failed with exit code 420").is_empty());
}

#[test]
fn the_matching_text_picks_a_meaning_before_the_platform_does() {
    let c = classifier();
    let report = c.classify(
        "PS C:\\> .\\install.ps1\n./install_linux_azcmagent.sh: desired_version not found: 1.99\nAZCM0147",
    );
    let d = &report.matches[0];
    assert_eq!(d.variant.as_deref(), Some("linux"));
    assert_eq!(
        d.row.title,
        "AZCM0147: the requested agent version is not in the repository"
    );
    assert_eq!(d.row.cause, "Linux meaning.");
    assert_eq!(d.fields["version"], "1.99");
    assert!(
        d.rank_reason.contains("text after the code says"),
        "{}",
        d.rank_reason
    );
}

#[test]
fn the_logs_platform_picks_a_meaning_when_the_text_does_not() {
    let c = classifier();
    let windows = c.classify("PS C:\\> & C:\\ProgramData\\install_windows_azcmagent.ps1\nAZCM0147");
    assert_eq!(windows.input.platform, Some(Platform::Windows));
    let d = &windows.matches[0];
    assert_eq!(d.variant.as_deref(), Some("windows"));
    assert_eq!(d.row.solution, "See azure-vm-detected.");
    assert!(
        d.rank_reason.contains("Windows machine"),
        "{}",
        d.rank_reason
    );

    let linux = c.classify("$ sudo bash install.sh\nsudo ls /var/opt/azcmagent\nAZCM0147");
    assert_eq!(linux.input.platform, Some(Platform::Linux));
    assert_eq!(linux.matches[0].variant.as_deref(), Some("linux"));

    let unknown = c.classify("Exit Code: AZCM0147");
    assert_eq!(unknown.input.platform, None);
    let d = &unknown.matches[0];
    assert_eq!(
        d.variant, None,
        "no clue: the rule's own text names both meanings"
    );
    assert_eq!(d.row.cause, "Both meanings.");

    let tied = c.classify("PS C:\\> x\nsudo y\nAZCM0147");
    assert_eq!(
        tied.input.platform, None,
        "as many Windows as Linux signals"
    );
}

#[test]
fn every_diagnosis_carries_its_sources_and_when_they_were_checked() {
    let c = classifier();
    let report = c.classify("Exit Code:  AZCM0042");
    let d = &report.matches[0];
    assert_eq!(d.row.checked, "2026-11");
    assert_eq!(d.row.sources.len(), 2);
    assert_eq!(
        d.row.sources[0].url,
        "https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-exit-codes"
    );
    assert_eq!(
        d.row.sources[1].label,
        "Azure/AzureLocal-Supportability#184"
    );
    assert_eq!(
        d.row.sources[1].url,
        "https://github.com/Azure/AzureLocal-Supportability/issues/184"
    );
    assert_eq!(
        d.row.unsourced.as_deref(),
        Some("Nothing public says why ARM refused.")
    );
    let json = serde_json::to_value(&report).expect("serialisable");
    assert_eq!(
        json["matches"][0]["sources"][1]["label"],
        "Azure/AzureLocal-Supportability#184"
    );
    assert_eq!(json["input"]["platform"], serde_json::Value::Null);
    let text = report_text(&report, Style::Plain, None);
    assert!(
        text.contains("Sources:  learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-exit-codes")
            || text.contains("Sources:  https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-exit-codes"),
        "{text}"
    );
    assert!(text.contains("checked 2026-11"), "{text}");
    assert!(
        text.contains("Unsourced: Nothing public says why ARM refused."),
        "{text}"
    );
}

#[test]
fn retired_ids_are_listed_with_what_replaced_them() {
    let c = classifier();
    let set = c.ruleset();
    let retired = set.retired("old-install-row").expect("retired id known");
    assert_eq!(retired.replaced_by, ["azcm0042", "azcm0147"]);
    assert!(set.get("old-install-row").is_none(), "not a rule any more");
    let list = rule_list(set);
    assert!(
        list.lines()
            .any(|l| l.starts_with("old-install-row")
                && l.ends_with("replaced by azcm0042, azcm0147")),
        "{list}"
    );
    let table = markdown_table(set);
    assert!(table.contains("| `old-install-row` | retired |"), "{table}");
    assert!(
        table.contains("[Azure/AzureLocal-Supportability#184](https://github.com/Azure/AzureLocal-Supportability/issues/184)"),
        "the table cites sources as links: {table}"
    );
}

/// The shipped manifest's exit-code patterns, on the shapes wrappers print (Azure Local's
/// bootstrap, PowerShell's `$LASTEXITCODE`, scripts and schedulers), and on the numbers that
/// are not the agent's.
#[test]
fn shipped_exit_code_patterns_read_the_wrappers_people_paste() {
    let c = Classifier::builtin().expect("the built-in rules load");
    let named = |text: &str| -> Option<(String, String)> {
        let report = c.classify(text);
        let d = report
            .matches
            .iter()
            .find(|d| d.row.kind == Kind::Code && d.fields.contains_key("exit_code"))?;
        Some((d.row.id.clone(), d.fields["exit_code"].clone()))
    };
    let want = |id: &str, n: &str| Some((id.to_string(), n.to_string()));
    for (text, expected) in [
        (
            "Bootstrap reported error: A ArcAgentConnectionException error occurred with the message: 'AZCMAgent command failed with error:  >> exitcode: 42. Additional Info: See https://aka.ms/arc/azcmerror'",
            want("azcm0042", "42"),
        ),
        ("PS C:\\> $LASTEXITCODE\n26", want("azcm0026", "26")),
        (
            "Write-Host: azcmagent exit code: $LASTEXITCODE = 41",
            want("azcm0041", "41"),
        ),
        (
            "azcmagent connect failed with exit code 44",
            want("azcm0044", "44"),
        ),
        (
            "/opt/azcmagent/bin/azcmagent connect exited with status 67",
            want("azcm0067", "67"),
        ),
        (
            "Azure Arc onboarding failed with exit code 43",
            want("azcm0043", "43"),
        ),
        (
            "Arc registration failing with error 42",
            want("azcm0042", "42"),
        ),
        ("make: *** [all] exit code 42", None),
        ("Process exited with code 26", None),
        (
            "./install_linux_azcmagent.sh: error installing azcmagent (exit code: 1). See 'apt' command logs for more information.",
            None,
        ),
        ("PS C:\\> $LASTEXITCODE\n0", None),
        (
            "dpkg: error processing package azcmagent (--configure):\n installed azcmagent package post-installation script subprocess returned error exit status 1",
            None,
        ),
    ] {
        assert_eq!(named(text), expected, "{text}");
    }
}

fn cause(id: &str, regex: &str, extra: &str) -> String {
    format!(
        r#"id = "{id}"
kind = "cause"
source = "field-reports"
title = "{id}"
error = "{id}"
cause = "c"
solution = "s"
docs = "https://learn.microsoft.com/azure/azure-arc/servers/overview"
sources = ["https://learn.microsoft.com/azure/azure-arc/servers/overview"]
checked = "2026-11"
{extra}
[[match]]
regex = '{regex}'
[[sample]]
text = "{regex}"
[[near_miss]]
text = "nothing"
why = "unrelated"
"#
    )
}

/// A cause that produces another later in the log ranks first, although the consequence is the
/// latest and most severe line; without the link, the latest line would win.
#[test]
fn a_cause_ranks_before_the_causes_it_leads_to() {
    let rules = |extra: &str| {
        let set = RuleSet::from_files([
            ("rules/ruleset.toml", MANIFEST),
            ("rules/azcm/azcm0042.toml", CODE_42),
            ("rules/azcm/azcm0147.toml", CODE_147),
            (
                "rules/field/secret-undecryptable.toml",
                &cause("secret-undecryptable", "could not be decrypted", extra),
            ),
            (
                "rules/field/secret-refused.toml",
                &cause("secret-refused", "invalid client secret", ""),
            ),
        ])
        .expect("valid");
        Classifier::new(set).expect("compiles")
    };
    let log = "[2024-04-22][10:00:01] ERROR The specified data could not be decrypted.\n\
               time=\"2024-04-22T10:00:05Z\" level=fatal msg=\"Invalid client secret is provided\"";
    let plain = rules("").classify(log);
    assert_eq!(
        plain.matches[0].row.id, "secret-refused",
        "latest and fatal first"
    );
    let linked = rules("leads_to = [\"secret-refused\"]").classify(log);
    let ids: Vec<&str> = linked.matches.iter().map(|d| d.row.id.as_str()).collect();
    assert_eq!(ids, ["secret-undecryptable", "secret-refused"]);
    assert!(
        linked.matches[1]
            .rank_reason
            .starts_with("Consequence: `secret-undecryptable` above leads to this error"),
        "{}",
        linked.matches[1].rank_reason
    );
    // Alone, the consequence is an ordinary cause.
    let alone = rules("leads_to = [\"secret-refused\"]")
        .classify("level=fatal msg=\"Invalid client secret is provided\"");
    assert!(alone.matches[0].rank_reason.starts_with("Exact match"));
}

/// A meaning that prints its own text shows it in the Error column; the others keep the rule's.
#[test]
fn a_variant_may_name_what_the_agent_prints_in_that_meaning() {
    let with_error = CODE_147.replace(
        "title = \"AZCM0147: the requested agent version is not in the repository\"",
        "title = \"AZCM0147: the requested agent version is not in the repository\"\nerror = \"desired_version not found: <version>\"",
    );
    let set = RuleSet::from_files([
        ("rules/ruleset.toml", MANIFEST),
        ("rules/azcm/azcm0042.toml", CODE_42),
        ("rules/azcm/azcm0147.toml", with_error.as_str()),
    ])
    .expect("valid");
    let c = Classifier::new(set).expect("compiles");
    let linux = c.classify("./install_linux_azcmagent.sh: desired_version not found: 1.99");
    assert_eq!(
        linux.matches[0].row.error,
        "desired_version not found: <version>"
    );
    let windows = c.classify("PS C:\\> x\nAZCM0147");
    assert_eq!(windows.matches[0].variant.as_deref(), Some("windows"));
    assert_eq!(
        windows.matches[0].row.error, "AZCM0147",
        "no error of its own: the rule's"
    );
}

/// What a folder shares, what `code` writes and the solution another rule writes are all in the
/// loaded rule, so the diagnosis, its JSON and the table show them with no help downstream.
#[test]
fn shorthands_are_resolved_before_any_consumer_sees_the_rule() {
    const FOLDER: &str = r#"
kind = "code"
source = "azcm-codes"
docs = "https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-error-codes"
checked = "2026-11"
[[near_miss]]
text = "INFO    Exit Code:  AZCM0000: No Error"
why = "success"
"#;
    const WRITER: &str = r#"
id = "azcm0061"
code = "AZCM0061"
title = "AZCM0061: the agent service isn't responding"
error = 'AZCM0061: Agent Communication Error'
cause = "himds does not answer."
solution = "1. Restart himds."
sources = ["https://learn.microsoft.com/azure/azure-arc/servers/agent-overview"]
[[sample]]
text = "INFO    Exit Code:  AZCM0061: Agent Communication Error"
"#;
    const SHARER: &str = r#"
id = "azcm0064"
code = "AZCM0064"
exit_code = 64
title = "AZCM0064: the agent service isn't responding (no change token)"
error = 'AZCM0064: Unable to Obtain Change Token'
cause = "himds gave no change token."
solution_from = "azcm0061"
sources = ["https://learn.microsoft.com/azure/azure-arc/servers/agent-overview"]
[[sample]]
text = "INFO    Exit Code:  AZCM0064: Unable to Obtain Change Token"
"#;
    let set = RuleSet::from_files([
        ("rules/ruleset.toml", MANIFEST),
        ("rules/azcm/_folder.toml", FOLDER),
        ("rules/azcm/azcm0061.toml", WRITER),
        ("rules/azcm/azcm0064.toml", SHARER),
        ("rules/others/azcm0042.toml", CODE_42),
        ("rules/others/azcm0147.toml", CODE_147),
    ])
    .expect("valid");
    let table = markdown_table(&set);
    let c = Classifier::new(set).expect("compiles");
    let failures = arc_triage::check_samples(&c);
    assert!(failures.is_empty(), "{failures:?}");
    for text in [
        "INFO    Exit Code:  AZCM0064: Unable to Obtain Change Token",
        "azcmagent connect failed with exit code 64",
    ] {
        let report = c.classify(text);
        let d = &report.matches[0];
        assert_eq!(
            (
                d.row.id.as_str(),
                d.row.kind,
                d.row.source.as_str(),
                d.row.checked.as_str()
            ),
            ("azcm0064", Kind::Code, "azcm-codes", "2026-11"),
            "{text}"
        );
        assert_eq!(d.row.solution, "1. Restart himds.", "{text}");
        assert_eq!(d.fields["azcm_code"], "AZCM0064", "{text}");
        let json = serde_json::to_value(&report).expect("serialisable");
        assert_eq!(json["matches"][0]["solution"], "1. Restart himds.");
    }
    let named = c.classify("INFO    Exit Code:  AZCM0064: Unable to Obtain Change Token");
    assert_eq!(
        named.matches[0].fields["code_name"],
        "Unable to Obtain Change Token"
    );
    let row = table
        .lines()
        .find(|l| l.starts_with("| `azcm0064`"))
        .expect("a row");
    assert!(row.contains("Restart himds"), "{row}");
}
