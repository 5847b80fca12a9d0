//! Embeds every `rules/**/*.toml` into the library as `(path, content)` pairs. The rules are
//! parsed and checked at run time by `RuleSet::from_files`, so the CLI, the page and the tests
//! share one loader and one set of error messages. The folder is walked by the CLI's own code
//! (src/cli/rules_dir.rs, std only): links are refused and the same size limits hold, so a
//! rules folder that `--check-rules` refuses cannot be built either.

use std::fmt::Write as _;
use std::path::PathBuf;

#[path = "src/cli/rules_dir.rs"]
mod rules_dir;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed=src/cli/rules_dir.rs");
    let found = rules_dir::read(&root.join("rules")).unwrap_or_else(|message| {
        eprintln!("error: the built-in rules cannot be embedded: {message}");
        std::process::exit(1);
    });
    for dir in &found.dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    let mut out = String::from("&[\n");
    for (path, _) in &found.files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(&root)
            .expect("under the crate root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("]\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
