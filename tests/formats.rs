//! Properties of the classifier over the ways people paste agent output: the same error gives the
//! same row in every format, and noise lines, ANSI colours, CRLF or re-wrapping at any width never
//! change the answer.

use arc_triage::{Classifier, Confidence, Report};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

mod common;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules load"))
}

/// The parts of an error that vary between machines and users.
#[derive(Debug, Clone)]
struct Vars {
    tenant: String,
    app: String,
    object: String,
    subscription: String,
    ip: String,
    user: String,
    group: String,
    machine: String,
    api: String,
}

fn guid() -> impl Strategy<Value = String> {
    (
        "[0-9a-f]{8}",
        "[0-9a-f]{4}",
        "[0-9a-f]{4}",
        "[0-9a-f]{4}",
        "[0-9a-f]{12}",
        any::<bool>(),
    )
        .prop_map(|(a, b, c, d, e, upper)| {
            let g = format!("{a}-{b}-{c}-{d}-{e}");
            if upper { g.to_uppercase() } else { g }
        })
}

fn vars() -> impl Strategy<Value = Vars> {
    let ip = prop_oneof![
        (1u8..=223, any::<u8>(), any::<u8>(), 1u8..=254)
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        ("[0-9a-f]{4}", "[0-9a-f]{1,4}", "[0-9a-f]{1,4}")
            .prop_map(|(a, b, c)| format!("[2603:{a}:{b}::{c}]")),
    ];
    let user = prop_oneof![
        "[a-z][a-z0-9.]{0,15}@[a-z]{3,10}\\.(com|org|onmicrosoft\\.com)",
        guid()
    ];
    (
        guid(),
        guid(),
        guid(),
        guid(),
        ip,
        user,
        "[A-Za-z][A-Za-z0-9_.()-]{0,30}[A-Za-z0-9]",
        "[A-Za-z][A-Za-z0-9-]{0,14}",
        prop_oneof![
            "20[12][0-9]-[01][0-9]-[0-3][0-9]",
            "20[12][0-9]-[01][0-9]-[0-3][0-9]-preview"
        ],
    )
        .prop_map(
            |(tenant, app, object, subscription, ip, user, group, machine, api)| Vars {
                tenant,
                app,
                object,
                subscription,
                ip,
                user,
                group,
                machine,
                api,
            },
        )
}

/// The nine rows of the table (tests/data/table-rows.json), read once.
fn table() -> &'static [common::TableRow] {
    static ROWS: OnceLock<Vec<common::TableRow>> = OnceLock::new();
    ROWS.get_or_init(common::table_rows)
}

/// Row `index` of the table: its id, the stage message, and the error detail as the agent prints
/// it, with `v`'s values in the varying parts.
fn row(index: usize, v: &Vars) -> (&'static str, &'static str, String) {
    let r = &table()[index];
    let values = [
        ("{tenant}", &v.tenant),
        ("{app}", &v.app),
        ("{object}", &v.object),
        ("{subscription}", &v.subscription),
        ("{ip}", &v.ip),
        ("{user}", &v.user),
        ("{group}", &v.group),
        ("{machine}", &v.machine),
        ("{api}", &v.api),
    ];
    let detail = values
        .iter()
        .fold(r.error.clone(), |e, (name, value)| e.replace(name, value));
    (&r.id, &r.message, detail)
}

/// Go's `%q` quoting, as logrus writes values.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON string body (no surrounding quotes), as a log collector writes it.
fn json_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// A shape people paste an error in. A failure names it: "json-envelope", not "format 7".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paste {
    /// The bare error string, copied from the table or from the output.
    BareError,
    LogrusKeyValue,
    LogrusTerminal,
    LogrusTerminalColoured,
    /// The current console: the step and the error on two `FATAL` lines.
    ConsoleTwoLines,
    ConsoleOneLine,
    /// azcmagent run from PowerShell, its stderr wrapped in an error record.
    PowerShellErrorRecord,
    JsonEnvelope,
    /// A logrus line copied out of a JSON string: escaped once more.
    EscapedInJson,
    Syslog,
    /// A line out of a search tool's results (`Line 8425: ...`).
    SearchResult,
}

const PASTES: [Paste; 11] = [
    Paste::BareError,
    Paste::LogrusKeyValue,
    Paste::LogrusTerminal,
    Paste::LogrusTerminalColoured,
    Paste::ConsoleTwoLines,
    Paste::ConsoleOneLine,
    Paste::PowerShellErrorRecord,
    Paste::JsonEnvelope,
    Paste::EscapedInJson,
    Paste::Syslog,
    Paste::SearchResult,
];

/// The kebab-case name, so failures (and proptest's shrunk cases) read as words.
impl std::fmt::Debug for Paste {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Paste::BareError => "bare-error",
            Paste::LogrusKeyValue => "logrus-key-value",
            Paste::LogrusTerminal => "logrus-terminal",
            Paste::LogrusTerminalColoured => "logrus-terminal-coloured",
            Paste::ConsoleTwoLines => "console-two-lines",
            Paste::ConsoleOneLine => "console-one-line",
            Paste::PowerShellErrorRecord => "powershell-error-record",
            Paste::JsonEnvelope => "json-envelope",
            Paste::EscapedInJson => "escaped-in-json",
            Paste::Syslog => "syslog",
            Paste::SearchResult => "search-result",
        })
    }
}

/// The error in one of the shapes people paste, as lines.
fn render(paste: Paste, msg: &str, detail: &str) -> Vec<String> {
    let kv = format!(
        "time=\"2020-07-20T10:00:32Z\" level=fatal msg={} Error={}",
        go_quote(msg),
        go_quote(detail)
    );
    match paste {
        Paste::BareError => vec![detail.to_string()],
        Paste::LogrusKeyValue => vec![kv],
        Paste::LogrusTerminal => vec![format!("FATAL[0032] {msg}                   Error={}", go_quote(detail))],
        Paste::LogrusTerminalColoured => vec![format!(
            "\u{1b}[31mFATA\u{1b}[0m[0032] {msg}                   \u{1b}[31mError\u{1b}[0m={}",
            go_quote(detail)
        )],
        Paste::ConsoleTwoLines => vec![
            "INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.".into(),
            format!("FATAL   {msg}"),
            format!("FATAL   {detail}"),
        ],
        Paste::ConsoleOneLine => vec![format!("FATAL   {msg}: {detail}")],
        Paste::PowerShellErrorRecord => vec![
            r#"PS C:\Windows\system32> & "$env:ProgramFiles\AzureConnectedMachineAgent\azcmagent.exe" connect --resource-group "rg" --tenant-id "t" --location "westeurope" --subscription-id "s" --verbose 2>&1"#.into(),
            format!("azcmagent.exe : {kv}"),
            "At line:1 char:1".into(),
            r#"+ & "$env:ProgramFiles\AzureConnectedMachineAgent\azcmagent.exe" conn ..."#.into(),
            "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~".into(),
            r#"    + CategoryInfo          : NotSpecified: (time="2020-07-2...:String) [], RemoteException"#.into(),
            "    + FullyQualifiedErrorId : NativeCommandError".into(),
        ],
        Paste::JsonEnvelope => vec![format!(
            "{{\"log\":\"{}\",\"stream\":\"stderr\",\"time\":\"2020-07-20T10:00:32.117Z\"}}",
            json_escape(&format!("{kv}\n"))
        )],
        Paste::EscapedInJson => vec![json_escape(&kv)],
        Paste::Syslog => vec![format!("Jul 20 10:00:32 web01 azcmagent[2817]: {kv}")],
        Paste::SearchResult => vec![format!("Line 8425: {kv}")],
    }
}

const NOISE: &[&str] = &[
    r#"time="2020-07-20T10:00:30Z" level=debug msg="Checking connectivity to https://management.azure.com, proxy status: proxy is not used""#,
    r#"time="2020-07-20T10:00:30Z" level=debug msg="https://login.windows.net is available, using cryptographic protocol: TLS 1.2""#,
    "INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.",
    "  40% [=====>                 ] ",
    "",
    r#"[2023-10-17][08:13:22] INFO Machine has PowerShell version version 5, this is supported"#,
    "DEBUG[0031] Successfully acquired Authorization Token",
];

/// Re-wraps every line at `width` characters, as a terminal does.
fn hard_wrap(lines: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            out.push(String::new());
        }
        for chunk in chars.chunks(width) {
            out.push(chunk.iter().collect());
        }
    }
    out
}

/// Re-wraps at the last space before `width`, dropping the space, as a mail client does.
fn word_wrap(lines: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut rest: Vec<char> = line.chars().collect();
        loop {
            if rest.len() <= width {
                out.push(rest.iter().collect());
                break;
            }
            let cut = rest[..=width]
                .iter()
                .rposition(|c| *c == ' ')
                .filter(|i| *i > 0);
            match cut {
                Some(i) => {
                    out.push(rest[..i].iter().collect());
                    rest.drain(..=i);
                }
                None => {
                    out.push(rest[..width].iter().collect());
                    rest.drain(..width);
                }
            }
        }
    }
    out
}

/// What must not change: the rows found, in order, with confidence and fields.
fn outcome(report: &Report) -> Vec<(String, Confidence, BTreeMap<String, String>)> {
    report
        .matches
        .iter()
        .map(|d| (d.row.id.clone(), d.confidence, d.fields.clone()))
        .collect()
}

fn top(report: &Report) -> Option<(&str, Confidence)> {
    report
        .matches
        .first()
        .map(|d| (d.row.id.as_str(), d.confidence))
}

#[test]
fn every_row_is_exact_in_every_format() {
    let v = Vars {
        tenant: "fb84ce97-b875-4d12-b031-ef5e7edf9c8e".into(),
        app: "3f2504e0-4f89-11d3-9a0c-0305e82c3301".into(),
        object: "5d7c3b0e-1f2a-4c9d-8e7f-6a5b4c3d2e1f".into(),
        subscription: "6f1e1a47-7b3a-4b5e-8d36-0b8a1b8f0c11".into(),
        ip: "40.126.9.7".into(),
        user: "username@domain.com".into(),
        group: "myResourceGroup".into(),
        machine: "MSJC01".into(),
        api: "2019-03-18-preview".into(),
    };
    let mut failures = Vec::new();
    for r in 0..9 {
        let (id, msg, detail) = row(r, &v);
        let reference = outcome(&classifier().classify(&detail));
        for paste in PASTES {
            let text = render(paste, msg, &detail).join("\n");
            let report = classifier().classify(&text);
            if top(&report) != Some((id, Confidence::Exact)) {
                failures.push(format!(
                    "{id} as {paste:?}: got {:?}\n{text}",
                    outcome(&report)
                ));
            } else if outcome(&report)[0].2 != reference[0].2 {
                failures.push(format!(
                    "{id} as {paste:?}: fields differ: {:?} vs {:?}",
                    outcome(&report)[0].2,
                    reference[0].2
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the varying parts (GUID case, IPv4/IPv6, names, api-versions), every format gives
    /// the row, and re-wrapping, CRLF, quoting, colours and noise leave the answer unchanged.
    #[test]
    fn layers_of_pasting_never_change_the_answer(
        r in 0usize..9,
        paste in proptest::sample::select(&PASTES[..]),
        v in vars(),
        width in 12usize..200,
        wrap in 0u8..3,
        crlf in any::<bool>(),
        quoted in any::<bool>(),
        noise in proptest::collection::vec((0usize..8, 0usize..NOISE.len()), 0..6),
    ) {
        let (id, msg, detail) = row(r, &v);
        let lines = render(paste, msg, &detail);
        let plain = classifier().classify(&lines.join("\n"));
        prop_assert_eq!(top(&plain), Some((id, Confidence::Exact)), "plain: {:?}", lines);

        let mut changed = lines.clone();
        for (at, which) in &noise {
            let at = (*at).min(changed.len());
            changed.insert(at, NOISE[*which].to_string());
        }
        let mut changed = match wrap {
            0 => changed,
            1 => hard_wrap(&changed, width),
            _ => word_wrap(&changed, width),
        };
        if quoted {
            changed = changed.into_iter().map(|l| format!("> {l}")).collect();
        }
        let text = changed.join(if crlf { "\r\n" } else { "\n" });
        let report = classifier().classify(&text);
        prop_assert_eq!(outcome(&report), outcome(&plain), "changed input:\n{}", text);
        // Evidence points at lines of the changed input that carry part of the match.
        let original: Vec<&str> = text.split(if crlf { "\r\n" } else { "\n" }).collect();
        for e in &report.matches[0].evidence {
            for l in &e.lines {
                prop_assert!(l.line >= 1 && (l.line as usize) <= original.len());
            }
        }
    }
}

#[test]
fn the_last_fatal_error_comes_before_earlier_retries() {
    let log = r#"time="2021-01-12T09:15:00Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable"
time="2021-01-12T09:15:10Z" level=info msg="Retrying..."
time="2021-01-12T09:15:20Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable"
time="2021-01-12T09:15:40Z" level=fatal msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp: lookup login.windows.net: no such host""#;
    let report = classifier().classify(log);
    let ids: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "device-flow-no-such-host",
            "device-flow-network-unreachable"
        ]
    );
    assert_eq!(report.matches[0].lines, [4]);
    assert_eq!(report.matches[1].lines, [1, 3]);
    assert_eq!(report.matches[1].occurrences, 2);
    assert!(
        report.matches[0].rank_reason.contains("fatal"),
        "{}",
        report.matches[0].rank_reason
    );
}

#[test]
fn a_known_step_with_an_unknown_detail_is_partial_with_candidates() {
    let log =
        "FATAL   Failed to acquire authorization token device flow: context deadline exceeded";
    let report = classifier().classify(log);
    assert_eq!(report.matches.len(), 1);
    let d = &report.matches[0];
    assert_eq!(
        (d.row.id.as_str(), d.confidence),
        ("device-flow-failed", Confidence::Partial)
    );
    let candidates: Vec<&str> = d.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        candidates,
        [
            "conditional-access-blocked",
            "device-code-expired",
            "device-flow-forbidden",
            "device-flow-network-unreachable",
            "device-flow-no-such-host"
        ]
    );
    assert!(
        !report.next_steps.is_empty(),
        "a partial answer still gets next steps"
    );
}

/// An exit code names the category of failure, not its cause: the failing step's candidate rows
/// must still be offered next to it (current consoles print `Exit Code:` right before FATAL).
#[test]
fn an_exit_code_does_not_hide_the_candidates_of_the_step_it_ends() {
    let log = "INFO    Exit Code:  AZCM0041: Failed to Get Access Token\n\
               FATAL   Failed to acquire authorization token from SPN: unexpected EOF\n";
    let report = classifier().classify(log);
    let ids: Vec<(&str, Confidence)> = report
        .matches
        .iter()
        .map(|d| (d.row.id.as_str(), d.confidence))
        .collect();
    assert_eq!(
        ids,
        [
            ("azcm0041", Confidence::Exact),
            ("spn-token-failed", Confidence::Partial)
        ]
    );
    assert!(
        report.matches[1]
            .candidates
            .iter()
            .any(|c| c.id == "spn-invalid-secret")
    );
}

#[test]
fn no_match_shows_error_lines_and_next_steps() {
    let log = "time=\"2024-01-01T00:00:00Z\" level=debug msg=\"starting\"\n\
               time=\"2024-01-01T00:00:01Z\" level=error msg=\"something nobody has seen before\"\n\
               time=\"2024-01-01T00:00:02Z\" level=fatal msg=\"giving up\"\n";
    let report = classifier().classify(log);
    assert!(report.matches.is_empty());
    let lines: Vec<u64> = report.error_lines.iter().map(|l| l.line).collect();
    assert_eq!(lines, [3, 2], "the last error-looking line comes first");
    assert_eq!(report.error_line_count, 2);
    assert!(report.next_steps.iter().any(|s| s.contains("--verbose")));
    assert!(
        report
            .next_steps
            .iter()
            .any(|s| s.contains("/var/opt/azcmagent/log"))
    );
}

#[test]
fn several_problems_in_one_paste_are_all_reported() {
    let log = "Invalid client secret is provided\n\
               The subscription is not registered to use namespace 'Microsoft.HybridCompute'\n";
    let report = classifier().classify(log);
    let mut ids: Vec<&str> = report.matches.iter().map(|d| d.row.id.as_str()).collect();
    assert_eq!(
        ids[0], "provider-not-registered",
        "the later of two equally severe errors comes first"
    );
    ids.sort();
    assert_eq!(ids, ["provider-not-registered", "spn-invalid-secret"]);
}

#[test]
fn evidence_spans_highlight_the_match_in_the_decoded_text() {
    let log = "noise\r\ntime=\"2020-07-20T10:00:32Z\" level=fatal msg=\"x\" Error=\"The subscription is not registered to use namespace \\\"Microsoft.HybridCompute\\\"\"\r\n";
    let report = classifier().classify(log);
    let evidence = &report.matches[0].evidence[0];
    let e = &evidence.lines[0];
    assert_eq!(e.line, 2);
    assert!(!e.text.contains('\\'), "escapes are undone: {}", e.text);
    let [s, end] = e.span.expect("a span");
    let shown: String = e.text.chars().skip(s).take(end - s).collect();
    assert!(
        shown.starts_with("The subscription is not registered"),
        "{shown}"
    );
    assert!(
        shown.ends_with("namespace \"Microsoft.HybridCompute\""),
        "the span covers the decoded quote: {shown}"
    );
    let before = evidence.before.as_ref().expect("the line before");
    assert_eq!(
        (before.line, before.text.as_str(), before.span),
        (1, "noise", None)
    );
    assert_eq!(evidence.after, None, "the input ends there");
}
