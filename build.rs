//! The built-in rules, checked and precompiled at build time.
//!
//! 1. The folder is walked by the CLI's own code (src/cli/rules_dir.rs, std only): links are
//!    refused and the same size limits hold, so a rules folder that `--check-rules` refuses
//!    cannot be built either.
//! 2. The files are loaded by the library's own loader, included here from src/ (rule.rs,
//!    pattern.rs, ruleset.rs and its checks): TOML, the lint and the corpus checks. A rule error
//!    fails the build with the message `--check-rules` prints (file, rule and fix). Samples are
//!    not run here: they need the whole engine, and `cargo test` / `--check-rules` run them.
//! 3. Two files are written to OUT_DIR: `builtin_rules.rs`, the files as written (for the
//!    authoring builds, which parse them again with their samples), and `builtin_data.rs`, the
//!    checked rule set as static data (src/builtin.rs), which is all the lean wasm carries.
//!
//! The lean wasm is the wasm32 build without the `authoring` feature; this script sets
//! `cfg(lean)` for it. The included modules are compiled here without that cfg, so they always
//! have their loader.

use std::fmt::Write as _;
use std::path::PathBuf;

#[path = "src/cli/rules_dir.rs"]
mod rules_dir;

// The loader and everything it uses, exactly as the library compiles them: `src/pattern.rs` and
// its folder `src/pattern/` and so on, found as in the library because this inline module is
// named after the folder. The library's `crate::pattern` paths resolve through the `use` below.
#[allow(dead_code, unused_imports)]
mod src {
    pub mod error;
    pub mod pattern;
    pub mod rule;
    pub mod ruleset;
}
use src::{error, pattern, rule, ruleset};

use ruleset::RuleSet;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_AUTHORING").is_none() {
        println!("cargo:rustc-cfg=lean");
    }
    println!("cargo:rerun-if-changed=src/cli/rules_dir.rs");
    let found = rules_dir::read(&root.join("rules")).unwrap_or_else(|message| {
        fail(&format!("the built-in rules cannot be embedded: {message}"))
    });
    for dir in &found.dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    let mut files = Vec::new();
    let mut embed = String::from("&[\n");
    for (path, content) in &found.files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(&root)
            .expect("under the crate root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            embed,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
        files.push((rel, content.as_str()));
    }
    embed.push_str("]\n");
    let set = RuleSet::from_files(files.iter().map(|(p, c)| (p.as_str(), *c)))
        .unwrap_or_else(|e| fail(&format!("the built-in rules do not load: {e}")));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("builtin_rules.rs"), embed).expect("OUT_DIR is writable");
    std::fs::write(out.join("builtin_data.rs"), write_data(&set)).expect("OUT_DIR is writable");
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

/// The rule set as one `StaticRuleSet` expression (the shapes are in src/builtin.rs).
fn write_data(set: &RuleSet) -> String {
    let m = &set.manifest;
    let mut o = String::new();
    let w = &mut o;
    w.push_str("StaticRuleSet {\n");
    field(w, "version", &lit(&m.version));
    field(w, "hash", &lit(&set.hash));
    field(w, "common_words", &list(&m.common_words));
    field(w, "no_match", &list(&m.no_match.steps));
    let exit_codes = m.exit_codes.iter().zip(&set.exit_codes);
    field(
        w,
        "exit_codes",
        &slice(exit_codes.map(|(p, f)| pattern_data(p, f))),
    );
    field(w, "windows", &list(&m.platform.windows));
    field(w, "linux", &list(&m.platform.linux));
    field(
        w,
        "retired",
        &slice(m.retired.iter().map(|r| {
            format!(
                "StaticRetired {{ id: {}, replaced_by: {}, why: {} }}",
                lit(&r.id),
                list(&r.replaced_by),
                lit(&r.why)
            )
        })),
    );
    let pair = |(a, b): (&String, &String)| format!("({}, {})", lit(a), lit(b));
    let sources = m.labels.sources.iter().map(|s| (&s.id, &s.label));
    field(w, "source_labels", &slice(sources.map(pair)));
    field(w, "field_labels", &slice(m.labels.fields.iter().map(pair)));
    field(w, "rules", &slice(set.rules.iter().map(rule_data)));
    w.push('}');
    o
}

fn rule_data(loaded: &ruleset::LoadedRule) -> String {
    let r = &loaded.rule;
    let mut o = String::from("StaticRule {\n");
    let w = &mut o;
    field(w, "file", &lit(&loaded.file));
    field(w, "id", &lit(&r.id));
    field(w, "kind", &format!("Kind::{:?}", r.kind));
    field(w, "title", &lit(&r.title));
    field(w, "message", &lit(&r.message));
    field(w, "error", &lit(&r.error));
    field(w, "cause", &lit(&r.cause));
    field(w, "solution", &lit(&r.solution));
    field(w, "solution_from", &opt(&r.solution_from));
    field(w, "docs", &lit(&r.docs));
    field(w, "source", &lit(&r.source));
    field(w, "sources", &list(&r.sources));
    field(w, "checked", &lit(&r.checked));
    field(w, "unsourced", &opt(&r.unsourced));
    field(w, "exit_code", &format!("{:?}", r.exit_code));
    field(w, "code", &opt(&r.code));
    field(w, "leads_to", &list(&r.leads_to));
    field(w, "stage", &opt(&r.stage));
    let patterns = r.patterns.iter().zip(&loaded.checked);
    field(
        w,
        "patterns",
        &slice(patterns.map(|(p, f)| pattern_data(p, f))),
    );
    let variants = r.variants.iter().map(|v| {
        format!(
            "StaticVariant {{ id: {}, platform: {}, title: {}, error: {}, cause: {}, solution: {} }}",
            lit(&v.id),
            v.platform.map_or("None".into(), |p| format!("Some(Platform::{p:?})")),
            lit(&v.title),
            opt(&v.error),
            lit(&v.cause),
            lit(&v.solution)
        )
    });
    field(w, "variants", &slice(variants));
    w.push('}');
    o
}

fn pattern_data(p: &rule::Pattern, facts: &pattern::PatternFacts) -> String {
    let anchors = facts.anchors.iter().map(|a| {
        let escaped: String = a
            .iter()
            .flat_map(|b| b.escape_ascii())
            .map(char::from)
            .collect();
        format!("b\"{escaped}\"")
    });
    format!(
        "StaticPattern {{ regex: {}, unless: {}, variant: {}, anchors: {}, fields: {} }}",
        lit(&p.regex),
        opt(&p.unless),
        opt(&p.variant),
        slice(anchors),
        list(&facts.fields)
    )
}

fn field(out: &mut String, name: &str, value: &str) {
    writeln!(out, "    {name}: {value},").expect("writing to a String");
}

/// A Rust string literal (`Debug` of a `str` is one).
fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt(s: &Option<String>) -> String {
    s.as_deref()
        .map_or("None".into(), |s| format!("Some({})", lit(s)))
}

fn list(items: &[String]) -> String {
    slice(items.iter().map(|s| lit(s)))
}

fn slice(items: impl Iterator<Item = String>) -> String {
    format!("&[{}]", items.collect::<Vec<_>>().join(", "))
}
