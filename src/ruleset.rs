//! The rule set: every rule file parsed and checked as a corpus, with the manifest's version and a
//! hash of the content.

use crate::error::Error;
use crate::pattern;
use crate::report::RulesetInfo;
use crate::rule::{Kind, Pattern, Platform, Rule};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The file that holds the version and the no-match guidance; every other file is one rule.
pub const MANIFEST: &str = "ruleset.toml";

/// The rule files compiled into the library: `(path under rules/, content)`, sorted by path.
pub static BUILTIN_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The manifest: what is true of the rule set as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Bumped whenever the knowledge changes: `YYYY.MM.DD` plus `.N` for a second change that day.
    pub version: String,
    /// Lower-case words healthy agent output is full of; prefilter anchors avoid them.
    #[serde(default)]
    pub common_words: Vec<String>,
    pub no_match: Guidance,
    /// How wrappers print the agent's numeric exit code (`exitcode: 42`, `$LASTEXITCODE`):
    /// patterns that capture `exit_code`. A match names the `code` rule with that `exit_code`.
    #[serde(default, rename = "exit_code")]
    pub exit_codes: Vec<Pattern>,
    /// Text that tells which operating system a log comes from (paths, prompts, tools).
    #[serde(default)]
    pub platform: PlatformSignals,
    /// Public ids that no longer name a rule, and the rows that replaced them: links to them
    /// keep working.
    #[serde(default)]
    pub retired: Vec<Retired>,
    /// What the page calls a diagnosis' fields and each group of rules.
    #[serde(default)]
    pub labels: Labels,
}

/// Literals (matched case-insensitively) whose presence says a log comes from a platform.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformSignals {
    #[serde(default)]
    pub windows: Vec<String>,
    #[serde(default)]
    pub linux: Vec<String>,
}

impl PlatformSignals {
    /// Every signal with its platform.
    pub fn all(&self) -> impl Iterator<Item = (&str, Platform)> {
        self.windows
            .iter()
            .map(|s| (s.as_str(), Platform::Windows))
            .chain(self.linux.iter().map(|s| (s.as_str(), Platform::Linux)))
    }
}

/// A public id that was retired, and what replaced it.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    pub id: String,
    /// The rows that now answer what it answered, best first.
    pub replaced_by: Vec<String>,
    /// Why, in one or two sentences a user reads when a link points to the old id.
    pub why: String,
}

/// Words for readers, kept with the rules so the page never carries its own copy.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// A heading per rule `source`, in the order the page lists the groups.
    #[serde(default)]
    pub sources: Vec<SourceLabel>,
    /// A label per capture name (a diagnosis' field).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// The heading of the rules whose `source` is `id`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceLabel {
    pub id: String,
    pub label: String,
}

/// What to tell a user when no rule identified the problem.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    pub steps: Vec<String>,
}

/// A checked rule and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedRule {
    pub rule: Rule,
    pub file: String,
    /// Per pattern: the prefilter anchors and the field names.
    pub checked: Vec<pattern::Checked>,
}

/// All rules, checked together.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub manifest: Manifest,
    pub rules: Vec<LoadedRule>,
    pub hash: String,
    /// Per manifest `[[exit_code]]` pattern: its prefilter anchors and fields.
    pub exit_codes: Vec<pattern::Checked>,
}

impl RuleSet {
    /// The rules compiled into this build.
    pub fn builtin() -> Result<RuleSet, Error> {
        RuleSet::from_files(BUILTIN_FILES.iter().map(|(p, c)| (*p, *c)))
    }

    /// Parses and checks rule files given as `(path, content)`; one file must be the manifest.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RuleSet, Error> {
        let mut files: Vec<(&str, &str)> = files.into_iter().collect();
        files.sort();
        let hash = content_hash(&files);
        let mut manifest = None;
        let mut exit_codes = Vec::new();
        for (path, content) in &files {
            if file_name(path) == MANIFEST {
                let parsed: Manifest = toml::from_str(content).map_err(|e| Error::RuleFile {
                    file: path.to_string(),
                    problem: one_line(&e.to_string()),
                })?;
                exit_codes = check_manifest(path, &parsed)?;
                manifest = Some(parsed);
            }
        }
        let common = manifest.as_ref().map_or(&[][..], |m| &m.common_words[..]);
        let mut rules = Vec::new();
        for (path, content) in &files {
            if file_name(path) == MANIFEST {
                continue;
            }
            let rule: Rule = toml::from_str(content).map_err(|e| Error::RuleFile {
                file: path.to_string(),
                problem: one_line(&e.to_string()),
            })?;
            rules.push(check_rule(path, rule, common)?);
        }
        let manifest = manifest.ok_or_else(|| Error::RuleSet {
            problem: format!("there is no {MANIFEST}"),
            fix: format!("add rules/{MANIFEST} with `version` and `[no_match]` steps"),
        })?;
        check_corpus(&rules, &manifest)?;
        Ok(RuleSet {
            manifest,
            rules,
            hash,
            exit_codes,
        })
    }

    pub fn info(&self) -> RulesetInfo {
        RulesetInfo {
            version: self.manifest.version.clone(),
            hash: self.hash.clone(),
            rules: self.rules.len(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&LoadedRule> {
        self.rules.iter().find(|r| r.rule.id == id)
    }

    /// A retired public id and the rows that replaced it.
    pub fn retired(&self, id: &str) -> Option<&Retired> {
        self.manifest.retired.iter().find(|r| r.id == id)
    }

    /// The rows that share a stage (the stage's candidates), in file order.
    pub fn rows_of_stage<'s>(&'s self, stage: &'s str) -> impl Iterator<Item = &'s LoadedRule> {
        self.rules
            .iter()
            .filter(move |r| r.rule.stage.as_deref() == Some(stage))
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FNV-1a 64: dependency-free and the same on every target. It identifies content; it is not a
/// security hash.
fn content_hash(files: &[(&str, &str)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, content) in files {
        for b in path
            .bytes()
            .chain([0])
            .chain(content.bytes().filter(|b| *b != b'\r'))
            .chain([0])
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Checks the manifest; returns what the lint learned about each `[[exit_code]]` pattern.
fn check_manifest(path: &str, m: &Manifest) -> Result<Vec<pattern::Checked>, Error> {
    let mut exit_code_checks = Vec::new();
    let parts: Vec<&str> = m.version.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !(3..=4).contains(&parts.len()) || !numeric || parts[0].len() != 4 {
        return Err(Error::rule(
            path,
            "manifest",
            format!("version `{}` is not YYYY.MM.DD[.N]", m.version),
            "set the date of the change, e.g. version = \"2026.11.25\"",
        ));
    }
    if let Some(bad) = m.common_words.iter().find(|w| {
        w.len() < 3
            || w.chars()
                .any(|c| c.is_ascii_uppercase() || c.is_whitespace())
    }) {
        return Err(Error::rule(
            path,
            "manifest",
            format!("common word `{bad}` is not a lower-case word of three or more characters"),
            "list single lower-case words, as they appear in healthy agent output",
        ));
    }
    if m.no_match.steps.is_empty() || m.no_match.steps.iter().any(|s| s.trim().is_empty()) {
        return Err(Error::rule(
            path,
            "manifest",
            "[no_match] steps are missing or empty",
            "list what a user should do when no rule matches",
        ));
    }
    for p in &m.exit_codes {
        let checked = pattern::check(&p.regex, &m.common_words)
            .map_err(|(problem, fix)| Error::rule(path, "manifest", problem, fix))?;
        if !checked.fields.iter().any(|f| f == "exit_code") {
            return Err(Error::rule(
                path,
                "manifest",
                format!(
                    "[[exit_code]] pattern `{}` captures no `exit_code`",
                    p.regex
                ),
                "capture the number as (?P<exit_code>\\d{1,3})",
            ));
        }
        if p.variant.is_some() {
            return Err(Error::rule(
                path,
                "manifest",
                format!("[[exit_code]] pattern `{}` names a `variant`", p.regex),
                "the exit code picks the rule; remove `variant`",
            ));
        }
        if let Some(unless) = &p.unless {
            pattern::parse(unless).map_err(|e| {
                Error::rule(
                    path,
                    "manifest",
                    format!("`unless` pattern `{unless}` does not compile: {e}"),
                    "fix the regex syntax",
                )
            })?;
        }
        exit_code_checks.push(checked);
    }
    if let Some((bad, _)) = m.platform.all().find(|(s, _)| s.trim().len() < 4) {
        return Err(Error::rule(
            path,
            "manifest",
            format!("platform signal `{bad}` is shorter than four characters"),
            "list distinctive text such as `/var/opt/azcmagent` or `PS C:\\`",
        ));
    }
    for r in &m.retired {
        if !is_kebab(&r.id) || r.replaced_by.is_empty() || r.why.trim().is_empty() {
            return Err(Error::rule(
                path,
                "manifest",
                format!(
                    "[[retired]] `{}` needs a kebab-case id, `replaced_by` and `why`",
                    r.id
                ),
                "say which rows replaced the id and why, for the people who follow old links",
            ));
        }
    }
    Ok(exit_code_checks)
}

/// `https://...` or a GitHub reference `owner/repo#N`.
fn is_source(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("https://") {
        return rest.len() > 3 && rest.contains('.') && !rest.contains(char::is_whitespace);
    }
    let Some((repo, number)) = s.split_once('#') else {
        return false;
    };
    let Some((owner, name)) = repo.split_once('/') else {
        return false;
    };
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    word(owner) && word(name) && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM` or `YYYY-MM-DD`.
fn is_month_or_day(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    (2..=3).contains(&parts.len())
        && digits(parts[0], 4)
        && digits(parts[1], 2)
        && parts.get(2).is_none_or(|d| digits(d, 2))
}

fn check_rule(path: &str, rule: Rule, common: &[String]) -> Result<LoadedRule, Error> {
    let id = rule.id.clone();
    let fail = |problem: String, fix: &str| Error::rule(path, &id, problem, fix);
    if !is_kebab(&id) {
        return Err(fail(
            format!("id `{id}` is not kebab-case"),
            "use lower-case words and digits joined by `-`, e.g. `spn-invalid-secret`",
        ));
    }
    let stem = file_name(path).trim_end_matches(".toml");
    if stem != id {
        return Err(fail(
            format!("the file is named `{stem}.toml` but the rule's id is `{id}`"),
            "name the file after the id: links use the id, people look for the file",
        ));
    }
    let required = [
        ("title", &rule.title),
        ("cause", &rule.cause),
        ("solution", &rule.solution),
        ("docs", &rule.docs),
        ("source", &rule.source),
    ];
    for (name, value) in required {
        if value.trim().is_empty() {
            return Err(fail(
                format!("`{name}` is empty"),
                "every rule needs title, cause, solution, docs and source",
            ));
        }
    }
    if rule.title.chars().count() > 90 {
        return Err(fail(
            "`title` is longer than 90 characters".into(),
            "keep the title to one short line; details go in `cause`",
        ));
    }
    if !rule.docs.starts_with("https://") {
        return Err(fail(
            format!("`docs` is `{}`, not an https link", rule.docs),
            "link the Microsoft Learn page that documents the fix",
        ));
    }
    match rule.kind {
        Kind::Stage => {
            if rule.message.trim().is_empty() {
                return Err(fail(
                    "a stage rule has no `message`".into(),
                    "copy the table's Message column",
                ));
            }
            if rule.stage.is_some() {
                return Err(fail(
                    "a stage rule names a `stage`".into(),
                    "only rows name their stage; remove the field",
                ));
            }
        }
        Kind::Cause | Kind::Code => {
            if rule.error.trim().is_empty() {
                return Err(fail(
                    "`error` is empty".into(),
                    "copy the text the agent prints, verbatim (the table's Error column)",
                ));
            }
        }
    }
    if rule.sources.is_empty() {
        return Err(fail(
            "the rule has no `sources`".into(),
            "list the documentation URLs and public issues (`owner/repo#N`) the cause and the fix \
             come from; if the cause has none, say so in `unsourced` and cite what the fix rests on",
        ));
    }
    if let Some(bad) = rule.sources.iter().find(|s| !is_source(s)) {
        return Err(fail(
            format!("source `{bad}` is neither an https URL nor an `owner/repo#N` reference"),
            "cite https://learn.microsoft.com/... pages or GitHub issues as owner/repo#N",
        ));
    }
    if !is_month_or_day(&rule.checked) {
        return Err(fail(
            format!(
                "`checked = \"{}\"` is not YYYY-MM or YYYY-MM-DD",
                rule.checked
            ),
            "set the date the rule was last checked against its sources, e.g. checked = \"2026-11\"",
        ));
    }
    if rule
        .unsourced
        .as_deref()
        .is_some_and(|u| u.trim().is_empty())
    {
        return Err(fail(
            "`unsourced` is empty".into(),
            "say plainly what has no public source, or remove the field",
        ));
    }
    if let Some(code) = rule.exit_code {
        if rule.kind != Kind::Code || !(1..=125).contains(&code) {
            return Err(fail(
                format!("`exit_code = {code}` on a {:?} rule", rule.kind),
                "only `code` rules name an exit code, from 1 to 125 (the agent's own range)",
            ));
        }
    }
    let mut variant_ids = BTreeSet::new();
    for v in &rule.variants {
        if !is_kebab(&v.id) || !variant_ids.insert(v.id.as_str()) {
            return Err(fail(
                format!("variant id `{}` is not kebab-case or is used twice", v.id),
                "give each [[variant]] its own kebab-case id",
            ));
        }
        if v.title.chars().count() > 90 || v.title.trim().is_empty() {
            return Err(fail(
                format!(
                    "variant `{}` has an empty title or one over 90 characters",
                    v.id
                ),
                "keep the title to one short line",
            ));
        }
        if v.cause.trim().is_empty() || v.solution.trim().is_empty() {
            return Err(fail(
                format!("variant `{}` has no cause or solution", v.id),
                "a variant replaces title, cause and solution: write all three",
            ));
        }
    }
    let named = rule
        .patterns
        .iter()
        .filter_map(|p| p.variant.as_deref())
        .chain(rule.samples.iter().filter_map(|s| s.variant.as_deref()));
    for name in named {
        if !variant_ids.contains(name) {
            return Err(fail(
                format!("`variant = \"{name}\"` names no [[variant]] of this rule"),
                "add the [[variant]] or fix the name",
            ));
        }
    }
    if rule.patterns.is_empty() {
        return Err(fail(
            "the rule has no [[match]] pattern".into(),
            "add at least one [[match]] with a `regex`",
        ));
    }
    let mut checked = Vec::new();
    for p in &rule.patterns {
        let c = pattern::check(&p.regex, common).map_err(|(problem, fix)| fail(problem, &fix))?;
        if let Some(unless) = &p.unless {
            pattern::parse(unless).map_err(|e| {
                fail(
                    format!("`unless` pattern `{unless}` does not compile: {e}"),
                    "fix the regex syntax",
                )
            })?;
        }
        checked.push(c);
    }
    if rule.samples.is_empty() {
        return Err(fail(
            "the rule has no [[sample]]".into(),
            "add real agent output that must produce this rule (quote its source)",
        ));
    }
    if rule.near_misses.is_empty() {
        return Err(fail(
            "the rule has no [[near_miss]]".into(),
            "add text close to the rule's that must not match it, with `why`",
        ));
    }
    let mut fields: BTreeSet<&str> = checked
        .iter()
        .flat_map(|c| c.fields.iter().map(String::as_str))
        .collect();
    if rule.exit_code.is_some() {
        // The manifest's exit-code patterns name this rule with these two fields.
        fields.extend(["exit_code", "azcm_code"]);
    }
    for sample in &rule.samples {
        if let Some(missing) = sample.fields.keys().find(|k| !fields.contains(k.as_str())) {
            return Err(fail(
                format!("a sample expects field `{missing}`, which no pattern captures"),
                "name a capture group after the field, e.g. (?P<tenant_id>...)",
            ));
        }
    }
    Ok(LoadedRule {
        rule,
        file: path.to_string(),
        checked,
    })
}

fn check_corpus(rules: &[LoadedRule], manifest: &Manifest) -> Result<(), Error> {
    let mut exit_codes: BTreeMap<u16, &str> = BTreeMap::new();
    for r in rules {
        if let Some(code) = r.rule.exit_code {
            if let Some(other) = exit_codes.insert(code, &r.rule.id) {
                return Err(Error::rule(
                    &r.file,
                    &r.rule.id,
                    format!("`exit_code = {code}` is also claimed by `{other}`"),
                    "an exit code has one meaning: name it on one rule",
                ));
            }
        }
    }
    for retired in &manifest.retired {
        if rules.iter().any(|r| r.rule.id == retired.id) {
            return Err(Error::RuleSet {
                problem: format!("`{}` is both a rule and a retired id", retired.id),
                fix: "remove it from [[retired]] in ruleset.toml, or remove the rule".into(),
            });
        }
        if let Some(missing) = retired
            .replaced_by
            .iter()
            .find(|id| !rules.iter().any(|r| &r.rule.id == *id))
        {
            return Err(Error::RuleSet {
                problem: format!(
                    "retired id `{}` is replaced by `{missing}`, which is not a rule",
                    retired.id
                ),
                fix: "name existing rule ids in `replaced_by`".into(),
            });
        }
    }
    for r in rules {
        for target in &r.rule.leads_to {
            let fail = |problem: String| {
                Err(Error::rule(
                    &r.file,
                    &r.rule.id,
                    problem,
                    "`leads_to` names other cause rules whose errors this cause produces",
                ))
            };
            match rules.iter().find(|t| &t.rule.id == target) {
                None => return fail(format!("`leads_to` names `{target}`, which is not a rule")),
                Some(t) if t.rule.kind != Kind::Cause || r.rule.kind != Kind::Cause => {
                    return fail(format!(
                        "`leads_to = [\"{target}\"]` links rules that are not both causes"
                    ));
                }
                Some(t) if t.rule.id == r.rule.id || t.rule.leads_to.contains(&r.rule.id) => {
                    return fail(format!("`{}` and `{target}` lead to each other", r.rule.id));
                }
                Some(_) => {}
            }
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for r in rules {
        if let Some(other) = seen.insert(&r.rule.id, &r.file) {
            return Err(Error::RuleSet {
                problem: format!("id `{}` is used by {} and {}", r.rule.id, other, r.file),
                fix: "ids are public and unique: rename one of them".into(),
            });
        }
    }
    for r in rules {
        if let Some(stage) = &r.rule.stage {
            let target = rules.iter().find(|s| &s.rule.id == stage);
            match target {
                Some(s) if s.rule.kind == Kind::Stage => {}
                Some(_) => {
                    return Err(Error::rule(
                        &r.file,
                        &r.rule.id,
                        format!("`stage = \"{stage}\"` names a rule that is not a stage"),
                        "point `stage` at a rule with kind = \"stage\"",
                    ));
                }
                None => {
                    return Err(Error::rule(
                        &r.file,
                        &r.rule.id,
                        format!("`stage = \"{stage}\"` names no rule"),
                        "add the stage rule or fix the id",
                    ));
                }
            }
        }
    }
    for s in rules.iter().filter(|r| r.rule.kind == Kind::Stage) {
        if !rules
            .iter()
            .any(|r| r.rule.stage.as_deref() == Some(&s.rule.id))
        {
            return Err(Error::rule(
                &s.file,
                &s.rule.id,
                "no row names this stage",
                "set `stage` on the rows that share this Message, or remove the stage",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST_OK: &str =
        "version = \"2026.11.25\"\n[no_match]\nsteps = [\"rerun with --verbose\"]\n";

    fn rule(id: &str, extra: &str) -> String {
        format!(
            r#"id = "{id}"
kind = "cause"
title = "A title"
error = "Some error text"
cause = "Because."
solution = "Do this."
docs = "https://learn.microsoft.com/x"
source = "test"
sources = ["https://learn.microsoft.com/x", "MicrosoftDocs/azure-docs#1"]
checked = "2026-11"
{extra}
[[match]]
regex = 'some error text'
[[sample]]
text = "Some error text"
[[near_miss]]
text = "Some other text"
why = "different"
"#
        )
    }

    fn load(files: &[(&str, &str)]) -> Result<RuleSet, Error> {
        RuleSet::from_files(files.iter().copied())
    }

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin().expect("the shipped rules are valid");
        assert!(set.rules.len() >= 9);
        assert_eq!(set.hash.len(), 16);
    }

    #[test]
    fn errors_name_file_rule_and_fix() {
        let bad = rule("Bad_Id", "");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/x/Bad_Id.toml", &bad),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("rules/x/Bad_Id.toml") && err.contains("'Bad_Id'"),
            "{err}"
        );
        assert!(err.contains("kebab-case") && err.contains("Fix:"), "{err}");

        let no_near = rule("a-rule", "").replace(
            "[[near_miss]]\ntext = \"Some other text\"\nwhy = \"different\"\n",
            "",
        );
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &no_near),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("no [[near_miss]]"), "{err}");

        let bad_re =
            rule("a-rule", "").replace("regex = 'some error text'", "regex = 'some (error'");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &bad_re),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("does not compile"), "{err}");

        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", "id = "),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("rules/a-rule.toml: cannot read"), "{err}");
    }

    #[test]
    fn duplicate_ids_and_dangling_stages_are_refused() {
        let a = rule("a-rule", "");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/one/a-rule.toml", &a),
            ("rules/two/a-rule.toml", &a),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("used by rules/one/a-rule.toml and rules/two/a-rule.toml"),
            "{err}"
        );
        let b = rule("b-rule", "stage = \"nope\"");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/b-rule.toml", &b),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("names no rule"), "{err}");
    }

    fn err_of(rule_text: &str) -> String {
        load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", rule_text),
        ])
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn sources_and_checked_date_are_required_and_well_formed() {
        let no_sources = rule("a-rule", "").replace(
            "sources = [\"https://learn.microsoft.com/x\", \"MicrosoftDocs/azure-docs#1\"]\n",
            "",
        );
        assert!(err_of(&no_sources).contains("no `sources`"));
        let bad = rule("a-rule", "").replace("MicrosoftDocs/azure-docs#1", "azure-docs 1");
        assert!(err_of(&bad).contains("source `azure-docs 1`"));
        let http = rule("a-rule", "").replace(
            "[\"https://learn.microsoft.com/x\",",
            "[\"http://learn.microsoft.com/x\",",
        );
        assert!(err_of(&http).contains("neither an https URL"));
        let date = rule("a-rule", "").replace("checked = \"2026-11\"", "checked = \"Nov 2026\"");
        assert!(err_of(&date).contains("not YYYY-MM"));
        let day = rule("a-rule", "").replace("checked = \"2026-11\"", "checked = \"2026-11-26\"");
        assert!(
            load(&[
                ("rules/ruleset.toml", MANIFEST_OK),
                ("rules/a-rule.toml", &day)
            ])
            .is_ok()
        );
    }

    #[test]
    fn variants_and_exit_codes_are_checked() {
        let bad_variant = rule("a-rule", "").replace(
            "regex = 'some error text'",
            "regex = 'some error text'\nvariant = \"nope\"",
        );
        assert!(
            err_of(&bad_variant).contains("names no [[variant]]"),
            "{}",
            err_of(&bad_variant)
        );
        let cause_exit = rule("a-rule", "exit_code = 42");
        assert!(err_of(&cause_exit).contains("only `code` rules"));
        let code =
            |id: &str| rule(id, "exit_code = 42").replace("kind = \"cause\"", "kind = \"code\"");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/azcm0042.toml", &code("azcm0042")),
            ("rules/other.toml", &code("other")),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("also claimed by `azcm0042`"), "{err}");
    }

    #[test]
    fn leads_to_links_existing_causes_one_way() {
        let a = rule("a-rule", "leads_to = [\"b-rule\"]");
        let b = rule("b-rule", "");
        assert!(
            load(&[
                ("rules/ruleset.toml", MANIFEST_OK),
                ("rules/a-rule.toml", &a),
                ("rules/b-rule.toml", &b),
            ])
            .is_ok()
        );
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &a),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("`b-rule`, which is not a rule"), "{err}");
        let back = rule("b-rule", "leads_to = [\"a-rule\"]");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &a),
            ("rules/b-rule.toml", &back),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("lead to each other"), "{err}");
        let code = rule("b-rule", "").replace("kind = \"cause\"", "kind = \"code\"");
        let err = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &a),
            ("rules/b-rule.toml", &code),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("not both causes"), "{err}");
    }

    #[test]
    fn retired_ids_must_point_at_rules() {
        let manifest = format!(
            "{MANIFEST_OK}[[retired]]\nid = \"old-row\"\nreplaced_by = [\"a-rule\"]\nwhy = \"split\"\n"
        );
        let a = rule("a-rule", "");
        let set = load(&[("rules/ruleset.toml", &manifest), ("rules/a-rule.toml", &a)]).unwrap();
        assert_eq!(set.retired("old-row").unwrap().replaced_by, ["a-rule"]);
        let dangling = manifest.replace("[\"a-rule\"]", "[\"b-rule\"]");
        let err = load(&[("rules/ruleset.toml", &dangling), ("rules/a-rule.toml", &a)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`b-rule`, which is not a rule"), "{err}");
        let clash = manifest.replace("old-row", "a-rule");
        let err = load(&[("rules/ruleset.toml", &clash), ("rules/a-rule.toml", &a)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("both a rule and a retired id"), "{err}");
    }

    #[test]
    fn hash_follows_content_not_line_endings() {
        let a = rule("a-rule", "");
        let one = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &a),
        ])
        .unwrap();
        let crlf = a.replace('\n', "\r\n");
        let two = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &crlf),
        ])
        .unwrap();
        assert_eq!(
            one.hash, two.hash,
            "a checkout with CRLF must not change the hash"
        );
        let changed = a.replace("Because.", "Because!");
        let three = load(&[
            ("rules/ruleset.toml", MANIFEST_OK),
            ("rules/a-rule.toml", &changed),
        ])
        .unwrap();
        assert_ne!(one.hash, three.hash);
    }
}
