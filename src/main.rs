//! `arc-triage`: the command-line face of the classifier, for support engineers and scripts.

use arc_triage::render::{self, Style};
use arc_triage::{Classifier, Report, RuleSet};
use std::io::{IsTerminal, Write};

#[path = "cli/bundle.rs"]
mod bundle;
#[path = "cli/input.rs"]
mod input;
#[cfg(not(lean))]
#[path = "cli/rules_dir.rs"]
mod rules_dir;

use bundle::Event;
use input::Input;
use std::process::ExitCode;

const USAGE: &str = "\
Usage: arc-triage [OPTIONS] [FILE ...]

Names the row of the Azure Arc agent troubleshooting table that explains azcmagent / himds output.
Reads each FILE (azcmagent.log, himds.log, saved console output, or the ZIP archive `azcmagent logs`
writes, whose logs are all read: evidence then names the file inside it), or standard input when
there is no FILE or FILE is `-`. Nothing is sent anywhere.

Options:
  --json             Print a JSON object per input: {\"matches\": [{\"id\", \"confidence\", \"lines\",
                     \"fields\", ...}], ...}, best match first; one line per input (JSON Lines) with
                     a \"file\" key when there are several inputs
  --color WHEN       Mark matches with colour: auto (default: when printing to a terminal and
                     NO_COLOR is unset), always, never
  --redact           Print the input with every identifier and secret replaced by a placeholder
                     (<subscription-1>, <machine-1>, 192.0.2.1: one value, one placeholder), ready
                     to attach to a ticket; a summary of what was replaced goes to standard error.
                     A ZIP archive's logs are printed each after a `==> FILE.zip: PATH <==` line.
                     With --json: {\"text\", \"replaced\": [{\"kind\", \"count\", ...}]}. Several
                     FILEs are printed as one text, each after a `==> FILE <==` line, with the same
                     placeholders throughout
  --rules DIR        Use the rule files in DIR (with its ruleset.toml) instead of the built-in rules
  --check-rules DIR  Check the rule files in DIR, then run every rule's samples and near-misses
                     (the same check as the test suite); exit 0 when all pass, 2 with every
                     problem found
  --list             List the rules (id, kind, title) and exit
  --table            Print every rule as a Markdown table (Message | Error | Cause | Solution)
  -h, --help         Print this help
  -V, --version      Print the version of the program and of its rules

Exit status: 0 when something matched, 1 when nothing did, 2 on a usage or read error.
";

enum Action {
    Classify,
    List,
    Table,
    Check(String),
    Help,
    Version,
}

struct Options {
    action: Action,
    json: bool,
    redact: bool,
    style: Style,
    rules: Option<String>,
    files: Vec<String>,
}

fn usage_error(message: &str) -> ExitCode {
    say(message);
    eprintln!("Try `arc-triage --help`.");
    ExitCode::from(2)
}

/// A message on standard error. It names files and quotes their content, so it goes through
/// [`render::printable_lines`]: a file name holding an escape sequence is shown, not obeyed.
fn say(message: &str) {
    eprintln!("arc-triage: {}", render::printable_lines(message));
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        action: Action::Classify,
        json: false,
        redact: false,
        style: if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            Style::Ansi
        } else {
            Style::Plain
        },
        rules: None,
        files: Vec::new(),
    };
    let mut args = args.into_iter();
    let mut only_files = false;
    while let Some(arg) = args.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            options.files.push(arg);
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs {what}"))
        };
        match name.as_str() {
            "--" => only_files = true,
            "--json" => options.json = true,
            "--redact" => options.redact = true,
            "--color" | "--colour" => {
                options.style = match value("auto, always or never")?.as_str() {
                    "always" => Style::Ansi,
                    "never" => Style::Plain,
                    "auto" => options.style,
                    other => {
                        return Err(format!(
                            "--color takes auto, always or never, not `{other}`"
                        ));
                    }
                }
            }
            "--rules" => options.rules = Some(value("a directory")?),
            "--check-rules" => options.action = Action::Check(value("a directory")?),
            "--list" => options.action = Action::List,
            "--table" => options.action = Action::Table,
            "-h" | "--help" => options.action = Action::Help,
            "-V" | "--version" => options.action = Action::Version,
            _ => return Err(format!("unknown option `{arg}`")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(message) => return usage_error(&message),
    };
    match &options.action {
        Action::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Action::Check(dir) => return check_rules(dir),
        _ => {}
    }
    // Custom rules are compiled up front, so a broken one is reported before any input is read;
    // the built-in ones (compiled by the test suite) compile as the input needs them.
    let classifier = match &options.rules {
        Some(dir) => load_dir(dir).and_then(|s| Classifier::new(s).map_err(|e| e.to_string())),
        None => Classifier::precompiled().map_err(|e| e.to_string()),
    };
    let classifier = match classifier {
        Ok(c) => c,
        Err(message) => {
            say(&message);
            return ExitCode::from(2);
        }
    };
    let set = classifier.ruleset();
    match options.action {
        Action::Version => {
            let version = format!(
                "arc-triage {} (rules {}, {}, {} rules)",
                env!("CARGO_PKG_VERSION"),
                set.manifest.version,
                set.hash,
                set.rules.len()
            );
            println!("{}", render::printable(&version));
            ExitCode::SUCCESS
        }
        // A custom rule folder's text is input too.
        Action::List => write_out(&render::printable_lines(&render::rule_list(set))),
        Action::Table => write_out(&render::printable_lines(&render::markdown_table(set))),
        _ if options.redact => redact_inputs(&classifier, &options),
        _ => classify_inputs(&classifier, &options),
    }
}

/// The CLI is a native program, always built with the rule loader. `cargo test --target wasm32`
/// builds every binary of the package too, and the lean wasm has no loader: there, the options
/// that read rule files say so.
#[cfg(lean)]
const NO_RULE_LOADER: &str = "this build has its rules precompiled and no rule loader: build \
     arc-triage natively (or with the `authoring` feature) to read rule files";

#[cfg(lean)]
fn check_rules(_: &str) -> ExitCode {
    say(NO_RULE_LOADER);
    ExitCode::from(2)
}

#[cfg(lean)]
fn load_dir(_: &str) -> Result<RuleSet, String> {
    Err(NO_RULE_LOADER.into())
}

/// `--check-rules`: the rule author's whole check, so editing rules needs no Rust toolchain.
#[cfg(not(lean))]
fn check_rules(dir: &str) -> ExitCode {
    // Compiling is part of checking: the lint reads syntax, the classifier builds it.
    let classifier =
        match load_dir(dir).and_then(|set| Classifier::new(set).map_err(|e| e.to_string())) {
            Ok(c) => c,
            Err(message) => {
                say(&message);
                return ExitCode::from(2);
            }
        };
    let set = classifier.ruleset();
    let examples: usize = set
        .rules
        .iter()
        .map(|r| r.rule.samples.len() + r.rule.near_misses.len())
        .sum();
    let failures = arc_triage::check_samples(&classifier);
    if failures.is_empty() {
        let done = format!(
            "{dir}: {} rules, {examples} examples checked: every sample and near-miss gives what it \
             declares (version {}, hash {})",
            set.rules.len(),
            set.manifest.version,
            set.hash
        );
        println!("{}", render::printable_lines(&done));
        return ExitCode::SUCCESS;
    }
    say(&format!(
        "{dir}: {} problem{} in the {examples} examples of {} rules:",
        failures.len(),
        if failures.len() == 1 { "" } else { "s" },
        set.rules.len()
    ));
    for failure in &failures {
        eprintln!("{}", render::printable_lines(&failure.to_string()));
    }
    ExitCode::from(2)
}

fn write_out(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("cannot write the output: {e}"));
            ExitCode::from(2)
        }
    }
}

fn classify_inputs(classifier: &Classifier, options: &Options) -> ExitCode {
    let files: Vec<String> = if options.files.is_empty() {
        vec!["-".to_string()]
    } else {
        options.files.clone()
    };
    let several = files.len() > 1;
    let mut any_match = false;
    let mut read_error = false;
    for (i, file) in files.iter().enumerate() {
        let report = match classify_file(classifier, file) {
            Ok(r) => r,
            Err(message) => {
                say(&message);
                read_error = true;
                continue;
            }
        };
        any_match |= !report.matches.is_empty();
        let name = if file == "-" {
            "standard input"
        } else {
            file.as_str()
        };
        let text = if options.json {
            for note in &report.notes {
                say(&format!("{name}: {note}"));
            }
            json_line(&report, several.then_some(name))
        } else {
            let mut text = render::report_text(&report, options.style, several.then_some(name));
            if several && i + 1 < files.len() {
                text.push('\n');
            }
            text
        };
        if write_out(&text) != ExitCode::SUCCESS {
            return ExitCode::from(2);
        }
    }
    if read_error {
        ExitCode::from(2)
    } else if any_match {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn json_line(report: &Report, file: Option<&str>) -> String {
    let mut value = match serde_json::to_value(report) {
        Ok(v) => v,
        Err(e) => return format!("{{\"error\":{:?}}}\n", e.to_string()),
    };
    if let (Some(file), Some(object)) = (file, value.as_object_mut()) {
        object.insert("file".into(), serde_json::Value::String(file.to_string()));
    }
    format!("{value}\n")
}

fn classify_file(classifier: &Classifier, file: &str) -> Result<Report, String> {
    let mut session = classifier.session();
    input::read_into(file, &mut session)?;
    Ok(session.finish())
}

/// `--redact`: the inputs as one text with every identifier and secret replaced. The exit
/// status says, as without `--redact`, whether anything matched.
fn redact_inputs(classifier: &Classifier, options: &Options) -> ExitCode {
    let files: Vec<String> = if options.files.is_empty() {
        vec!["-".to_string()]
    } else {
        options.files.clone()
    };
    let mut text = String::new();
    let mut any_match = false;
    let mut read_error = false;
    for file in &files {
        let sections = match read_sections(classifier, file) {
            Ok((sections, matched)) => {
                any_match |= matched;
                sections
            }
            Err(message) => {
                say(&message);
                read_error = true;
                continue;
            }
        };
        let several = files.len() > 1 || sections.len() > 1;
        for (name, bytes) in sections {
            let decoded = arc_triage::decode(&bytes);
            if several {
                let eol = if decoded.contains("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                };
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push_str(eol);
                }
                // The name is printed safe; the log's own text after it is the input as it
                // was (what --redact is for), to be redirected into a file.
                text.push_str(&format!("==> {} <=={eol}", render::printable(&name)));
            }
            text.push_str(&decoded);
        }
    }
    let redacted = arc_triage::redact(&text);
    let summary: Vec<String> = redacted
        .replaced
        .iter()
        .map(|r| format!("{} {}", r.count, r.name))
        .collect();
    if summary.is_empty() {
        say("nothing to redact was found");
    } else {
        say(&format!(
            "replaced {}; read the text before you send it: names are replaced where \
             the log names them (after --resource-group, in a prompt or a URL) and wherever they \
             appear again",
            summary.join(", ")
        ));
    }
    let out = if options.json {
        match serde_json::to_string(&redacted) {
            Ok(json) => json + "\n",
            Err(e) => format!("{{\"error\":{:?}}}\n", e.to_string()),
        }
    } else if std::io::stdout().is_terminal() {
        // Read on a terminal, the log's own escapes are shown, not obeyed; redirected to a file
        // (what --redact is for) the text is the input exactly, placeholders aside.
        on_terminal(&redacted.text)
    } else {
        redacted.text
    };
    if write_out(&out) != ExitCode::SUCCESS || read_error {
        ExitCode::from(2)
    } else if any_match {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A text for the terminal: each line through [`render::printable`], its CRLF kept.
fn on_terminal(text: &str) -> String {
    let lines: Vec<String> = (text.split('\n'))
        .map(|line| match line.strip_suffix('\r') {
            Some(line) => format!("{}\r", render::printable(line)),
            None => render::printable(line).into_owned(),
        })
        .collect();
    lines.join("\n")
}

/// Named texts: `(name, bytes)`.
type Sections = Vec<(String, Vec<u8>)>;

/// The texts of one input to redact, each with the name its `==> NAME <==` line gives (the
/// logs of an archive are each a section, named `FILE.zip: PATH`), and whether the input
/// matched a rule.
fn read_sections(classifier: &Classifier, file: &str) -> Result<(Sections, bool), String> {
    let name = input::display_name(file);
    match input::open(file)? {
        Input::Stream(mut reader) => {
            let mut bytes = Vec::new();
            input::feed(&mut *reader, file, &mut |chunk| {
                bytes.extend_from_slice(chunk)
            })?;
            let matched = !classifier.classify_bytes(&bytes).matches.is_empty();
            Ok((vec![(name.to_string(), bytes)], matched))
        }
        Input::Archive(mut archive, len) => {
            let mut session = classifier.session();
            let mut sections: Sections = Vec::new();
            bundle::read(&mut *archive, len, &mut |event| match event {
                Event::Skip(member, why) => session.skip_file(member, &why),
                Event::Begin(member) => {
                    session.begin_file(member);
                    sections.push((format!("{name}: {member}"), Vec::new()));
                }
                Event::Bytes(bytes) => {
                    session.feed(bytes);
                    if let Some((_, text)) = sections.last_mut() {
                        text.extend_from_slice(bytes);
                    }
                }
                Event::Damaged(why) => session.file_damaged(&why),
            })
            .map_err(|e| format!("{name}: {e}"))?;
            Ok((sections, !session.finish().matches.is_empty()))
        }
    }
}

#[cfg(not(lean))]
fn load_dir(dir: &str) -> Result<RuleSet, String> {
    let found = rules_dir::read(std::path::Path::new(dir))?;
    let files: Vec<(String, &str)> = found
        .files
        .iter()
        .map(|(path, content)| {
            (
                path.display().to_string().replace('\\', "/"),
                content.as_str(),
            )
        })
        .collect();
    RuleSet::from_files(files.iter().map(|(p, c)| (p.as_str(), *c))).map_err(|e| e.to_string())
}
