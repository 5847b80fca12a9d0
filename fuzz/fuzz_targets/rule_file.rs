//! Any text as a rule file: an error that names the file, or a rule set, never a panic.
#![no_main]

use arc_triage::RuleSet;
use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = "version = \"2026.01.01\"\n[no_match]\nsteps = [\"x\"]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = [
        ("rules/ruleset.toml", MANIFEST),
        ("rules/x/fuzz.toml", text),
    ];
    if let Err(e) = RuleSet::from_files(files.iter().copied()) {
        assert!(
            e.to_string().contains("rules/"),
            "error without a file: {e}"
        );
    }
});
