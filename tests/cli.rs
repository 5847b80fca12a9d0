//! The `arc-triage` command: output, exit codes and bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PROVIDER: &str = "time=\"2020-07-20T10:00:32Z\" level=fatal msg=\"Failed to AzcmagentConnect ARM resource\" Error=\"The subscription is not registered to use namespace 'Microsoft.HybridCompute'\"\n";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_arc-triage"));
    c.env_remove("NO_COLOR");
    c
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The program may stop reading early on a usage error; that is fine.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("writer");
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("arc-triage-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
    fn file(&self, name: &str, content: &[u8]) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent");
        }
        std::fs::write(&path, content).expect("write");
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_match_prints_the_row_and_exits_0() {
    let out = run(&["--color", "never"], PROVIDER.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("1. provider-not-registered [exact · cause]"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "«The subscription is not registered to use namespace 'Microsoft.HybridCompute'»"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Values:   namespace=Microsoft.HybridCompute"),
        "{stdout}"
    );
    assert!(
        stdout.contains("az provider register --namespace Microsoft.HybridCompute"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "--color never prints no escape codes"
    );
}

#[test]
fn json_output_is_the_contract() {
    let out = run(&["--json", "-"], PROVIDER.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let m = &v["matches"][0];
    assert_eq!(m["id"], "provider-not-registered");
    assert_eq!(m["confidence"], "exact");
    assert_eq!(m["lines"], serde_json::json!([1]));
    assert_eq!(m["fields"]["namespace"], "Microsoft.HybridCompute");
    assert_eq!(m["evidence"][0]["level"], "fatal");
    assert!(v["ruleset"]["hash"].as_str().is_some_and(|h| h.len() == 16));
    assert!(v.get("file").is_none(), "a single input has no file key");
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

/// The lines beside each occurrence are printed as context: `┆` after their number (dim with
/// colour), decoded like the evidence, and in `--json` as `before` and `after`.
#[test]
fn context_lines_are_printed_apart_from_the_evidence() {
    let log = format!(
        "INFO    Connecting machine to Azure\n{}INFO    For troubleshooting, see \"aka.ms\"\n",
        PROVIDER.replace(
            "'Microsoft.HybridCompute'",
            "\\\"Microsoft.HybridCompute\\\""
        )
    );
    let stdout = text(&run(&["--color", "never"], log.as_bytes()).stdout);
    let evidence: Vec<&str> = (stdout.lines())
        .filter(|l| l.contains(" ┆ ") || l.contains(" │ "))
        .map(str::trim_start)
        .collect();
    assert_eq!(evidence.len(), 3, "{stdout}");
    assert_eq!(evidence[0], "1 ┆ INFO    Connecting machine to Azure");
    assert!(
        evidence[1].starts_with("2 │ ")
            && evidence[1].contains("namespace \"Microsoft.HybridCompute\"»"),
        "the evidence, decoded: {}",
        evidence[1]
    );
    assert_eq!(
        evidence[2],
        "3 ┆ INFO    For troubleshooting, see \"aka.ms\""
    );

    let coloured = text(&run(&["--color", "always"], log.as_bytes()).stdout);
    assert!(
        coloured.contains("\u{1b}[2m          1 ┆ INFO    Connecting machine to Azure\u{1b}[0m"),
        "{coloured}"
    );

    let json = run(&["--json"], log.as_bytes()).stdout;
    let v: serde_json::Value = serde_json::from_slice(&json).expect("one JSON object");
    let e = &v["matches"][0]["evidence"][0];
    assert_eq!(e["before"]["line"], 1);
    assert_eq!(e["before"]["span"], serde_json::Value::Null);
    assert_eq!(
        e["after"]["text"],
        "INFO    For troubleshooting, see \"aka.ms\""
    );
}

#[test]
fn several_files_give_json_lines_and_exit_0_if_any_matched() {
    let dir = TempDir::new("several");
    let a = dir.file("a.log", PROVIDER.as_bytes());
    let b = dir.file("b.log", b"all good\n");
    let out = run(&["--json", &a, &b], b"");
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], a.as_str());
    assert_eq!(lines[0]["matches"][0]["id"], "provider-not-registered");
    assert_eq!(lines[1]["matches"], serde_json::json!([]));
}

#[test]
fn no_match_exits_1_with_next_steps() {
    let out = run(
        &["--color", "never"],
        b"level=error msg=\"something new\"\nall good\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("No row of the troubleshooting table matches this input."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Lines that look like errors (1 of 1, last first):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Next steps:\n  1. Run the command again with --verbose"),
        "{stdout}"
    );
}

#[test]
fn empty_input_is_answered_not_crashed() {
    let out = run(&["--json"], b"");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        v["notes"][0]
            .as_str()
            .is_some_and(|n| n.starts_with("The input is empty"))
    );
    assert!(text(&out.stderr).contains("The input is empty"));
}

#[test]
fn read_and_usage_errors_exit_2_naming_the_file() {
    let out = run(&["/nonexistent/azcmagent.log"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "arc-triage: /nonexistent/azcmagent.log: cannot open: no such file"
    );

    let dir = TempDir::new("dir");
    let out = run(&[dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is a directory"),
        "{}",
        text(&out.stderr)
    );

    let out = run(&["--frobnicate"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown option `--frobnicate`"));

    let out = run(&["--color", "sometimes"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--color takes auto, always or never"));

    // A missing file among good ones: the good ones are still answered.
    let good = dir.file("good.log", PROVIDER.as_bytes());
    let out = run(&["--json", &good, "/nonexistent/x.log"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("provider-not-registered"));
}

#[test]
fn non_utf8_and_binary_input_is_read_lossily_and_said_so() {
    let mut input = b"\xff\xfe\x00garbage\x00\x01\x02\n".to_vec();
    input.extend_from_slice(PROVIDER.as_bytes());
    input.extend_from_slice(b"\xc3\x28 more \xa0\xa1\n");
    let out = run(&["--color", "never"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("provider-not-registered"), "{stdout}");
    assert!(
        stdout.contains("invalid text sequences were replaced"),
        "{stdout}"
    );

    let out = run(
        &["--json"],
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary zip body",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a ZIP archive without its directory"
    );
    assert!(
        text(&out.stderr).contains("standard input: this file starts like a ZIP archive"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn utf16_output_of_windows_powershell_redirects_is_read() {
    let dir = TempDir::new("utf16");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(
        PROVIDER
            .replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let file = dir.file("out.txt", &bytes);
    let out = run(&["--json", &file], b"");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["matches"][0]["id"], "provider-not-registered");
    assert_eq!(v["input"]["encoding"], "utf16le");
}

#[test]
fn a_large_stream_with_an_endless_line_and_invalid_bytes_is_read_to_its_last_line() {
    // 24 MB: a 6 MB line without a break, invalid bytes, then many ordinary lines, then the error.
    let mut input = vec![b'x'; 6 << 20];
    input.extend_from_slice(b"\xff\n");
    let filler = "time=\"2022-09-30T10:04:14Z\" level=debug msg=\"Checking connectivity to https://management.azure.com, proxy status: proxy is not used\"\n";
    while input.len() < 24 << 20 {
        input.extend_from_slice(filler.as_bytes());
    }
    input.extend_from_slice(PROVIDER.as_bytes());
    let lines = input.iter().filter(|b| **b == b'\n').count() as u64;
    let out = run(&["--json"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["matches"][0]["lines"], serde_json::json!([lines]));
    assert_eq!(v["input"]["lines"], lines);
    assert_eq!(v["input"]["invalid_sequences"], 1);
}

#[test]
fn terminal_escapes_in_a_log_are_not_replayed() {
    let log = format!(
        "\u{1b}]0;pwned\u{7}{}",
        PROVIDER.replace("namespace", "\u{1b}[2Jnamespace")
    );
    let out = run(&["--color", "always"], log.as_bytes());
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("\u{1b}[2J") && !stdout.contains("\u{1b}]0;"),
        "{stdout:?}"
    );
    assert!(
        stdout.contains("\u{1b}[1;31m"),
        "--color always marks the match"
    );
}

#[test]
fn table_list_and_version() {
    let out = run(&["--table"], b"");
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    assert!(table.contains("| Id | Message | Error | Probable cause | Solution |"));
    assert!(table.contains("| `spn-invalid-secret` | Failed to acquire authorization token from SPN | `Invalid client secret is provided` |"), "{table}");
    let out = run(&["--list"], b"");
    assert!(
        text(&out.stdout)
            .lines()
            .any(|l| l.starts_with("device-flow-no-such-host "))
    );
    let out = run(&["--version"], b"");
    assert!(
        text(&out.stdout).starts_with(&format!(
            "arc-triage {} (rules 2026.",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        text(&out.stdout)
    );
}

fn copy_rules(to: &Path) {
    for (path, content) in arc_triage::BUILTIN_FILES {
        let dest = to.join(path.trim_start_matches("rules/"));
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, content).unwrap();
    }
}

#[test]
fn rule_authors_get_errors_that_name_file_rule_and_fix() {
    let dir = TempDir::new("rules");
    copy_rules(&dir.0);
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("examples checked"));

    // The row's file on disk with its first pattern replaced.
    let with_pattern = |regex: &str| {
        dir.file(
            "table/spn-invalid-secret.toml",
            arc_triage::BUILTIN_FILES
                .iter()
                .find(|(p, _)| p.ends_with("spn-invalid-secret.toml"))
                .unwrap()
                .1
                .replace(
                    "regex = 'Invalid client secret (?:is )?provided'",
                    &format!("regex = '{regex}'"),
                )
                .as_bytes(),
        )
    };
    let bad = with_pattern("Invalid (client secret");
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&bad) && err.contains("rule 'spn-invalid-secret'") && err.contains("Fix:"),
        "{err}"
    );

    // The same broken directory cannot be used to classify either.
    let out = run(&["--rules", dir.0.to_str().unwrap()], PROVIDER.as_bytes());
    assert_eq!(out.status.code(), Some(2));

    // A long gap is refused by the lint, naming its length and the limit.
    let gap = with_pattern("Invalid client secret(?:.{0,400}){40}");
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&gap) && err.contains("up to 16000 characters, over the limit of 3000"),
        "{err}"
    );

    // Valid syntax that is too large once compiled is found by --check-rules too.
    let huge = with_pattern("Invalid client secret(?:[a-z0-9_.-]{0,1000},){20}");
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&huge) && err.contains("size limit") && err.contains("Fix: the rule lint"),
        "{err}"
    );
}

/// build.rs loads the built-in rules with the same loader and refuses to build when one is
/// broken, with the message `--check-rules` gives for it. The build script is run here as cargo
/// runs it, on a copy of the rules.
#[test]
fn a_broken_built_in_rule_fails_the_build_with_the_check_rules_message() {
    let dir = TempDir::new("build");
    let rules = dir.0.join("rules");
    copy_rules(&rules);
    let out_dir = dir.0.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let build = || {
        Command::new(build_script())
            .env("CARGO_MANIFEST_DIR", &dir.0)
            .env("OUT_DIR", &out_dir)
            .env("CARGO_CFG_TARGET_ARCH", "wasm32")
            .output()
            .expect("the build script runs")
    };
    let fine = build();
    assert!(fine.status.success(), "{}", text(&fine.stderr));
    assert!(text(&fine.stdout).contains("cargo:rustc-cfg=lean"));
    let data = std::fs::read_to_string(out_dir.join("builtin_data.rs")).unwrap();
    assert!(data.contains("id: \"spn-invalid-secret\""));

    let path = rules.join("table/spn-invalid-secret.toml");
    let rule = std::fs::read_to_string(&path).unwrap();
    let broken = rule.replace(
        "regex = 'Invalid client secret (?:is )?provided'",
        "regex = 'Invalid (client secret'",
    );
    assert_ne!(broken, rule);
    std::fs::write(&path, broken).unwrap();
    let failed = build();
    assert_eq!(failed.status.code(), Some(1));
    let err = text(&failed.stderr);
    let checked = run(&["--check-rules", rules.to_str().unwrap()], b"");
    let check_err = text(&checked.stderr);
    // The same problem in the same words; the build names the file under the crate, as cargo does.
    let message = check_err
        .trim()
        .strip_prefix(&format!("arc-triage: {}/", rules.display()))
        .expect("--check-rules names the file under the folder");
    assert!(message.starts_with("table/spn-invalid-secret.toml: rule 'spn-invalid-secret': pattern `Invalid (client secret` does not compile"), "{message}");
    assert!(
        err.contains(&format!(
            "error: the built-in rules do not load: rules/{message}"
        )),
        "{err}\nvs --check-rules:\n{check_err}"
    );
}

/// The build script cargo compiled for this test run (the newest, should several profiles or
/// feature sets have left theirs).
fn build_script() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let scripts = std::fs::read_dir(profile_dir.join("build"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("arc-triage-"))
        .map(|e| e.path().join("build-script-build"))
        .filter(|p| p.exists());
    scripts
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .expect("cargo built build.rs")
}

#[test]
fn custom_rules_directory_is_used() {
    let dir = TempDir::new("custom");
    copy_rules(&dir.0);
    std::fs::remove_file(dir.0.join("table/provider-not-registered.toml")).unwrap();
    let out = run(
        &["--json", "--rules", dir.0.to_str().unwrap()],
        PROVIDER.as_bytes(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v["matches"][0]["id"], "arm-connect-failed",
        "without the row, the stage is partial"
    );
    assert_eq!(v["matches"][0]["confidence"], "partial");
}

/// `--check-rules` is the rule author's whole check: after the lint it runs every sample and
/// near-miss, as `cargo test` does, and lists every problem with its file and example.
#[test]
fn check_rules_runs_every_sample_and_near_miss() {
    let dir = TempDir::new("samples");
    copy_rules(&dir.0);
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ok = text(&out.stdout);
    assert!(
        ok.contains(" rules, ") && ok.contains(" examples checked"),
        "{ok}"
    );

    let himds = arc_triage::BUILTIN_FILES
        .iter()
        .find(|(p, _)| p.ends_with("/himds-not-running.toml"))
        .unwrap()
        .1;
    let samples = himds.matches("[[sample]]").count();
    let misses = himds.matches("[[near_miss]]").count();
    // A sample that no longer matches, and a near-miss that matches a rule it does not declare.
    let file = dir.file(
        "field/himds-not-running.toml",
        format!(
            "{himds}\n[[sample]]\ntext = \"himds is fine today\"\n\n\
             [[near_miss]]\ntext = \"INFO    Exit Code:  AZCM0042: Failed to Create Resource\"\n\
             why = \"another failure\"\n"
        )
        .as_bytes(),
    );
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(": 2 problems in the "), "{err}");
    assert!(
        err.contains(&format!(
            "{file}: sample {} `himds is fine today`: expected `himds-not-running` first, nothing matched",
            samples + 1
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{file}: near_miss {} `INFO    Exit Code:  AZCM0042: Failed to Create Resource`: also produced `azcm0042`, which it does not declare",
            misses + 1
        )),
        "{err}"
    );
}

/// A custom rules folder reads its `_folder.toml` too, and a problem with what the folder
/// shares is reported against the folder file.
#[test]
fn check_rules_reads_folder_files() {
    let dir = TempDir::new("folder");
    copy_rules(&dir.0);
    let folder = dir.0.join("azcm/_folder.toml");
    let shared = std::fs::read_to_string(&folder).expect("azcm shares fields");
    std::fs::write(
        &folder,
        shared.replace("AZCM0000: No Error", "AZCM0042: Failed to Create Resource"),
    )
    .unwrap();
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let folder_name = folder.display().to_string();
    assert!(
        err.contains(&format!("azcm0042.toml: near_miss 1 of {folder_name} `INFO    Exit Code:  AZCM0042: Failed to Create Resource`: matched `azcm0042`, but must not")),
        "{err}"
    );

    std::fs::remove_file(&folder).unwrap();
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("azcm-install-linux.toml: cannot read this rule file")
            && err.contains("`kind`"),
        "{err}"
    );
}

/// `--check-rules` and `--rules` on `dir`: both must refuse it (exit 2) with the same message,
/// which is returned.
fn refused_rules_dir(dir: &Path) -> String {
    let check = run(&["--check-rules", dir.to_str().unwrap()], b"");
    assert_eq!(check.status.code(), Some(2), "{}", text(&check.stderr));
    let classify = run(&["--rules", dir.to_str().unwrap()], PROVIDER.as_bytes());
    assert_eq!(
        classify.status.code(),
        Some(2),
        "{}",
        text(&classify.stderr)
    );
    assert_eq!(text(&check.stderr), text(&classify.stderr));
    text(&check.stderr)
}

/// Two `ln -s . x` links made the folder walk exponential (issue 10: 23 GB in one run). Links
/// are refused by name, before anything is read; this test finishing at all is half its point.
#[cfg(unix)]
#[test]
fn links_in_a_rules_folder_are_refused_not_followed() {
    let dir = TempDir::new("links");
    copy_rules(&dir.0);
    std::os::unix::fs::symlink(".", dir.0.join("table/x")).unwrap();
    std::os::unix::fs::symlink(".", dir.0.join("table/y")).unwrap();
    let err = refused_rules_dir(&dir.0);
    let link = dir.0.join("table/x").display().to_string();
    assert!(
        err.contains(&format!("{link}: is a symbolic link")) && err.contains("Fix:"),
        "{err}"
    );

    // A linked rule file is refused the same way (it could be any file on the machine).
    std::fs::remove_file(dir.0.join("table/x")).unwrap();
    std::fs::remove_file(dir.0.join("table/y")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.0.join("table/z.toml")).unwrap();
    let err = refused_rules_dir(&dir.0);
    assert!(err.contains("z.toml: is a symbolic link"), "{err}");

    // The folder named on the command line may itself be a link.
    std::fs::remove_file(dir.0.join("table/z.toml")).unwrap();
    let via = TempDir::new("links-via");
    let named = via.0.join("rules");
    std::os::unix::fs::symlink(&dir.0, &named).unwrap();
    let out = run(&["--check-rules", named.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Each limit on a rules folder is named with its value when it is passed.
#[test]
fn a_rules_folder_over_a_limit_is_refused_naming_the_limit() {
    // More than 2,000 rule files (empty ones: the count is checked before anything is parsed).
    let dir = TempDir::new("many");
    for i in 0..=2_000 {
        dir.file(&format!("r{i:04}.toml"), b"");
    }
    let err = refused_rules_dir(&dir.0);
    assert!(
        err.contains("r2000.toml: more than 2000 rule files (the limit"),
        "{err}"
    );

    // One file over 256 KB.
    let dir = TempDir::new("big");
    copy_rules(&dir.0);
    let big = dir.file("table/big.toml", &vec![b'#'; 256 * 1024 + 1]);
    let err = refused_rules_dir(&dir.0);
    assert!(
        err.contains(&format!(
            "{big}: 262145 bytes, over the limit of 262144 bytes (256 KB) per rule file"
        )),
        "{err}"
    );

    // Files under that limit that add up to more than 8 MB.
    let dir = TempDir::new("total");
    for i in 0..33 {
        dir.file(&format!("r{i:02}.toml"), &vec![b'#'; 255 * 1024]);
    }
    let err = refused_rules_dir(&dir.0);
    assert!(
        err.contains(
            "r32.toml: the rule files reach 8616960 bytes here, over the limit of \
             8388608 bytes (8 MB)"
        ),
        "{err}"
    );

    // Folders nested more than 8 deep.
    let dir = TempDir::new("deep");
    copy_rules(&dir.0);
    let deep = dir.file("1/2/3/4/5/6/7/8/9/r.toml", b"");
    let err = refused_rules_dir(&dir.0);
    let ninth = Path::new(&deep).parent().unwrap().display().to_string();
    assert!(
        err.contains(&format!("{ninth}: folders nest more than 8 deep")),
        "{err}"
    );
    // Eight deep is allowed (the folder then fails for what it holds, not for its depth).
    std::fs::rename(&ninth, dir.0.join("9")).unwrap();
    let out = run(&["--check-rules", dir.0.to_str().unwrap()], b"");
    assert!(
        !text(&out.stderr).contains("nest more than"),
        "{}",
        text(&out.stderr)
    );
}

/// A secret in the input is named with the advice to rotate it, in text and JSON, and its value
/// appears in neither.
#[test]
fn secrets_are_named_and_never_printed() {
    let log = concat!(
        r#"PS C:\> azcmagent connect --service-principal-id "id" --service-principal-secret "Ke58Q~abc.DEF_ghi-123" --tenant-id "t""#,
        "\n",
        r#"time="t" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.'""#,
        "\n"
    );
    let out = run(&[], log.as_bytes());
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Warning: this log holds 1 secret.")
            && stdout.contains("service principal secret (line 1)")
            && stdout.contains("az ad app credential reset --id <app-id> --append"),
        "{stdout}"
    );
    assert!(!stdout.contains("Ke58Q"), "{stdout}");
    let out = run(&["--json"], log.as_bytes());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(r#""secrets":[{"kind":"service-principal-secret","line":1}]"#)
            && stdout.contains(r#""secret_count":1"#),
        "{stdout}"
    );
    assert!(!stdout.contains("Ke58Q"), "{stdout}");
}

#[test]
fn redact_prints_the_log_with_placeholders_and_keeps_the_exit_status() {
    let log = "root@web01:~# azcmagent connect --resource-group rg-arc --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d --service-principal-secret 'Ke58Q~abc.DEF_ghi-123'\n\
        FATAL   Get \"https://gbl.his.arc.azure.com/discovery\": proxyconnect tcp: dial tcp: lookup proxy.contoso.local on 10.0.0.2:53: no such host\n";
    let out = run(&["--redact"], log.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "root@<machine-1>:~# azcmagent connect --resource-group <resource-group-1> --tenant-id <tenant-1> --service-principal-secret '<secret-1>'\n\
        FATAL   Get \"https://gbl.his.arc.azure.com/discovery\": proxyconnect tcp: dial tcp: lookup <host-1> on 192.0.2.1:53: no such host\n"
    );
    assert!(
        text(&out.stderr).starts_with(
            "arc-triage: replaced 1 secret, 1 tenant id, 1 resource group name, 1 machine name, 1 host name, 1 IP address;"
        ),
        "{}",
        text(&out.stderr)
    );

    let out = run(&["--redact", "--json"], log.as_bytes());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(
        json["replaced"][0],
        serde_json::json!({"kind": "secret", "name": "secret", "count": 1, "occurrences": 1})
    );
    assert!(
        json["text"]
            .as_str()
            .is_some_and(|t| t.contains("<tenant-1>") && !t.contains("98fbb231"))
    );

    // Nothing matched: exit 1, as without --redact, and the text still comes out.
    let out = run(&["--redact"], b"hello from 10.1.2.3\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "hello from 192.0.2.1\n");
    assert_eq!(
        text(&out.stderr),
        "arc-triage: replaced 1 IP address; read the text before you send it: names are replaced where the log names them (after --resource-group, in a prompt or a URL) and wherever they appear again\n"
    );
}

#[test]
fn redact_joins_several_files_with_one_set_of_placeholders() {
    let dir = TempDir::new("redact-several");
    let first = dir.file(
        "himds.log",
        "--resource-name web01 in 10.0.0.9\r\n".as_bytes(),
    );
    // UTF-16 LE with a byte-order mark, as PowerShell 5 writes.
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(
        "web01 again from 10.0.0.9\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let second = dir.file("console.txt", &utf16);
    let out = run(&["--redact", &first, &second, "missing.log"], b"");
    assert_eq!(out.status.code(), Some(2), "a missing file is a read error");
    assert_eq!(
        text(&out.stdout),
        format!(
            "==> {first} <==\r\n--resource-name <machine-1> in 192.0.2.1\r\n==> {second} <==\r\n<machine-1> again from 192.0.2.1\r\n"
        )
    );
    assert!(text(&out.stderr).contains("missing.log: cannot open: no such file"));
}

/// A support bundle fixture (`tests/bundle/`, written by scripts/bundle-fixtures.mjs).
fn bundle(name: &str) -> String {
    format!("{}/tests/bundle/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_support_bundle_is_read_log_by_log_with_evidence_naming_file_and_line() {
    let zip = bundle("azcmagent-20201020T152324-web01.zip");
    let out = run(&["--color", "never", &zip], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("2 diagnoses in 21 lines of 3 logs (logrus key=value lines)"),
        "{stdout}"
    );
    for expected in [
        "Note: Read 3 logs from the archive: azcmagent.log, himds.log, gc_ext.log.",
        "Note: Not read: agentconfig.json (not a log).",
        "1. tls-inspection [exact · cause]",
        "     var/opt/azcmagent/log/azcmagent.log:3 │ time=\"2020-10-20T15:23:24-06:00\" level=error msg=\"«x509: certificate signed by unknown authority»",
        "2. guest-config-service-error [partial · step]",
        "     var/lib/GuestConfig/ext_mgr_logs/gc_ext.log:2 │ …26 03:01:21.423]",
    ] {
        assert!(stdout.contains(expected), "{expected}\n---\n{stdout}");
    }

    // The same archive through a pipe, as JSON: the files and the evidence's file.
    let bytes = std::fs::read(&zip).unwrap();
    let out = run(&["--json"], &bytes);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<String> = (report["input"]["files"].as_array().unwrap().iter())
        .map(|f| format!("{} {} {}", f["name"], f["lines"], f["skipped"]))
        .collect();
    assert_eq!(
        files,
        [
            "\"var/opt/azcmagent/log/azcmagent.log\" 5 null",
            "\"var/opt/azcmagent/log/himds.log\" 13 null",
            "\"var/opt/azcmagent/agentconfig.json\" 0 \"not a log\"",
            "\"var/lib/GuestConfig/ext_mgr_logs/gc_ext.log\" 3 null",
        ]
    );
    let first = &report["matches"][0]["evidence"][0]["lines"][0];
    assert_eq!(first["file"], "var/opt/azcmagent/log/azcmagent.log");
    assert_eq!(first["line"], 3);
    assert_eq!(report["matches"][1]["lines"], serde_json::json!([2]));
}

#[test]
fn a_windows_bundle_reads_utf16_crlf_logs_and_skips_event_logs() {
    let out = run(
        &["--json", &bundle("azcmagent-20201116T101500-SRV01.zip")],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = (report["matches"].as_array().unwrap().iter())
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["provider-not-registered", "agent-service-start-failed"]
    );
    let install = &report["matches"][1]["evidence"][0]["lines"][0];
    assert_eq!(
        install["file"],
        "ProgramData/AzureConnectedMachineAgent/Log/installationlog.txt"
    );
    let encodings: Vec<&str> = (report["input"]["files"].as_array().unwrap().iter())
        .map(|f| f["encoding"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(encodings, ["utf8", "utf8", "utf16le", "-"]);
    assert_eq!(report["input"]["files"][3]["skipped"], "not a log");
}

#[test]
fn archives_that_cannot_be_read_exit_2_and_say_why() {
    for (name, message) in [
        (
            "damaged-cut-short.zip",
            "its directory is missing: it was probably cut short while copying",
        ),
        (
            "password-protected.zip",
            "the 3 logs in this ZIP archive are password-protected",
        ),
        (
            "too-large.zip",
            "inflate to 5.9 GB, more than the 1 GB arc-triage reads from one archive",
        ),
        (
            "no-logs.zip",
            "holds one file, which is not a log (*.log, *.txt)",
        ),
    ] {
        let path = bundle(name);
        let out = run(&[&path], b"");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with(&format!("arc-triage: {path}: ")) && stderr.contains(message),
            "{name}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{name}");
    }
}

#[test]
fn a_damaged_log_in_a_bundle_is_read_and_said_to_be_damaged() {
    let out = run(&[&bundle("damaged-checksum.zip")], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "Note: var/opt/azcmagent/log/himds.log is damaged: its checksum does not match: some \
             of its text may be wrong."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1. tls-inspection"),
        "the other logs still answer"
    );

    // A deflated log whose data is cut: what inflated is read, and the rest is said.
    let mut zip = std::fs::read(bundle("azcmagent-20201020T152324-web01.zip")).unwrap();
    let at = find(&zip, b"var/opt/azcmagent/log/azcmagent.log").unwrap() + 35;
    for b in &mut zip[at + 10..at + 60] {
        *b = 0xff;
    }
    let out = run(&[], &zip);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("azcmagent.log is damaged: its compressed data is damaged after"),
        "{stdout}"
    );
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn redact_reads_a_bundle_as_one_section_per_log() {
    let zip = bundle("azcmagent-20201116T101500-SRV01.zip");
    let out = run(&["--redact", &zip], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let sections: Vec<&str> = (stdout.split("\r\n"))
        .filter(|l| l.starts_with("==> "))
        .collect();
    assert_eq!(
        sections,
        [
            format!("==> {zip}: ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log <=="),
            format!("==> {zip}: ProgramData/AzureConnectedMachineAgent/Log/himds.log <=="),
            format!(
                "==> {zip}: ProgramData/AzureConnectedMachineAgent/Log/installationlog.txt <=="
            ),
        ]
    );
    assert!(
        stdout.contains("RequestCorrelationId:<correlation-1>"),
        "{stdout}"
    );
    assert!(!stdout.contains("c1d985c6-de6c-47f2-a048-b064b6f234aa"));
    assert!(
        stdout.contains("Guest Configuration Extension service"),
        "UTF-16 decoded"
    );
}

/// A ZIP archive of stored (uncompressed) members, names as given.
fn stored_zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in members {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let mut fields = Vec::new();
        fields.extend_from_slice(&[20, 0, 0, 0x08, 0, 0, 0, 0x60, 0x7a, 0x5b]); // UTF-8 names, stored
        fields.extend_from_slice(&crc.sum().to_le_bytes());
        fields.extend_from_slice(&(data.len() as u32).to_le_bytes());
        fields.extend_from_slice(&(data.len() as u32).to_le_bytes());
        fields.extend_from_slice(&(name.len() as u16).to_le_bytes());
        fields.extend_from_slice(&[0, 0]);
        central.extend_from_slice(b"PK\x01\x02\x14\x00");
        central.extend_from_slice(&fields);
        central.extend_from_slice(&[0; 10]); // comment, disk, attributes
        central.extend_from_slice(&(out.len() as u32).to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&fields);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
    }
    let at = out.len() as u32;
    let count = (members.len() as u16).to_le_bytes();
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&count);
    out.extend_from_slice(&count);
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// What a terminal would obey in `bytes`: any C0 control but a line break, DEL, a C1 control,
/// once the highlight codes arc-triage writes itself (`--color always`) are taken out.
fn raw_controls(bytes: &[u8]) -> Vec<char> {
    let text = text(bytes)
        .replace("\u{1b}[1;31m", "")
        .replace("\u{1b}[0m", "");
    text.chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect()
}

// Security report (2026-11-26) F7: file names and field values reached the terminal raw.
#[test]
fn escapes_in_file_names_and_values_are_shown_not_obeyed() {
    const OSC52: &str = "\u{1b}]52;c;cm0gLXJmIH4K\u{7}";
    const CLEAR: &str = "\u{1b}[2J";
    let dir = TempDir::new("escapes");
    let named = dir.file(&format!("a{OSC52}{CLEAR}b.log"), PROVIDER.as_bytes());
    let plain = dir.file("plain.log", PROVIDER.as_bytes());
    let locked = dir.file(
        "locked.log",
        b"level=fatal msg=\"cannot perform delete operation because following scope(s) are locked: 'AAA\x08\x08\x08BBB\x07\x1b]0;T\x07'\"\n",
    );
    let missing = format!("{}/missing{OSC52}.log", dir.0.display());
    let zip = dir.file(
        "bundle.zip",
        &stored_zip(&[
            (
                &format!("var/opt/azcmagent/log/{OSC52}azcmagent.log"),
                PROVIDER.as_bytes(),
            ),
            (&format!("{CLEAR}agentconfig.json"), b"{}"),
        ]),
    );

    let out = run(
        &["--color", "always", &named, &plain, &locked, &missing, &zip],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "the missing file is a read error"
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(raw_controls(&out.stdout), [], "{stdout:?}");
    assert_eq!(raw_controls(&out.stderr), [], "{stderr:?}");
    // Each one is shown instead, where it was.
    for shown in [
        "a␛]52;c;cm0gLXJmIH4K␇␛[2Jb.log: 1 diagnosis",
        "Values:   lock_scope=AAA␈␈␈BBB␇  operation=delete",
        "locked: 'AAA␈␈␈BBB␇'",
        // The archive reader already puts U+FFFD for a control in a member's name.
        "Note: Not read: \u{fffd}[2Jagentconfig.json (not a log).",
        "var/opt/azcmagent/log/\u{fffd}]52;c;cm0gLXJmIH4K\u{fffd}azcmagent.log:1 │",
    ] {
        assert!(stdout.contains(shown), "{shown}\n---\n{stdout}");
    }
    assert!(
        stderr.contains("missing␛]52;c;cm0gLXJmIH4K␇.log: cannot open"),
        "{stderr}"
    );

    // --json prints JSON (escaped by the serialiser); the notes on standard error are text.
    let out = run(&["--json", &named, &zip], b"");
    assert_eq!(raw_controls(&out.stderr), [], "{:?}", text(&out.stderr));
    let first: serde_json::Value =
        serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["file"], named, "JSON carries the name as it is");

    // --redact: the section names are text; the logs themselves are the input as it was.
    let out = run(&["--redact", &zip, &named], b"");
    assert_eq!(raw_controls(&out.stdout), [], "{:?}", text(&out.stdout));
    assert_eq!(raw_controls(&out.stderr), [], "{:?}", text(&out.stderr));
    assert!(text(&out.stdout).contains("/a␛]52;c;cm0gLXJmIH4K␇␛[2Jb.log <=="));
}

#[test]
fn printable_shows_each_control_as_one_character() {
    use arc_triage::render::printable;
    assert_eq!(printable("plain text · ünïcode"), "plain text · ünïcode");
    assert_eq!(
        printable("\u{1b}[2J\u{7}\u{8}\t\r\n\u{0}\u{7f}\u{9b}\u{85}x"),
        "␛[2J␇␈ ␍␊␀␡\u{fffd}\u{fffd}x"
    );
}
