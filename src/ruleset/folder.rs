//! `_folder.toml`: what every rule file of one folder shares, written once. The folder's fields
//! are merged into each rule file's TOML before it is read as a rule, so the lint and every
//! consumer see complete rules. The merge is documented in `rules/README.md`.

use super::lint::{is_month_or_day, is_source};
use super::{one_line, toml_problem};
use crate::error::Error;
use crate::rule::{Kind, NearMiss, Rule};
use serde::Deserialize;
use toml::{Table, Value};

/// The name of a folder's shared-fields file. Ids are kebab-case, so no rule is named this.
pub const FOLDER_FILE: &str = "_folder.toml";

/// The fields a folder may share. A rule file's own scalar replaces the folder's; `sources`
/// lists the folder's first, then the rule's; `[[near_miss]]` adds the folder's after the
/// rule's own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read for its checks; the merge works on the TOML table
struct Shared {
    kind: Option<Kind>,
    source: Option<String>,
    docs: Option<String>,
    checked: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(rename = "near_miss", default)]
    near_misses: Vec<NearMiss>,
}

/// One folder's shared fields, checked.
#[derive(Debug, Clone)]
pub struct Folder {
    /// The folder file's path, as given (`rules/azcm/_folder.toml`).
    pub file: String,
    table: Table,
    near_misses: usize,
    /// Whether a rule file of the folder was read with it (a folder file must serve a rule).
    pub used: bool,
}

impl Folder {
    /// Reads and checks a `_folder.toml`.
    pub fn parse(path: &str, content: &str) -> Result<Folder, Error> {
        let unreadable = |e: toml::de::Error| Error::RuleFile {
            file: path.to_string(),
            problem: toml_problem(content, &e),
        };
        let shared: Shared = toml::from_str(content).map_err(unreadable)?;
        let table: Table = toml::from_str(content).map_err(unreadable)?;
        let fail = |problem: String, fix: &str| Error::rule(path, "folder defaults", problem, fix);
        if let Some(bad) = shared.sources.iter().find(|s| !is_source(s)) {
            return Err(fail(
                format!("source `{bad}` is neither an https URL nor an `owner/repo#N` reference"),
                "cite https://learn.microsoft.com/... pages or GitHub issues as owner/repo#N",
            ));
        }
        if let Some(checked) = shared.checked.as_deref().filter(|c| !is_month_or_day(c)) {
            return Err(fail(
                format!("`checked = \"{checked}\"` is not YYYY-MM or YYYY-MM-DD"),
                "set the date the folder's rules were last checked, e.g. checked = \"2026-11\"",
            ));
        }
        if let Some(docs) = shared
            .docs
            .as_deref()
            .filter(|d| !d.starts_with("https://"))
        {
            return Err(fail(
                format!("`docs` is `{docs}`, not an https link"),
                "link the Microsoft Learn page that documents the folder's fixes",
            ));
        }
        if let Some(miss) = shared.near_misses.iter().find(|m| m.why.trim().is_empty()) {
            return Err(fail(
                format!(
                    "the [[near_miss]] `{}` has an empty `why`",
                    one_line(&miss.text)
                ),
                "say what makes the text different from every rule of the folder",
            ));
        }
        Ok(Folder {
            file: path.to_string(),
            table,
            near_misses: shared.near_misses.len(),
            used: false,
        })
    }

    /// The folder a path's file belongs to: everything before its last `/`.
    pub fn dir_of(path: &str) -> &str {
        path.rfind(['/', '\\']).map_or("", |i| &path[..i])
    }

    /// Reads a rule file of this folder, with the folder's fields merged in.
    pub fn read_rule(&mut self, path: &str, content: &str) -> Result<Rule, Error> {
        self.used = true;
        let unreadable = |e: toml::de::Error| Error::RuleFile {
            file: path.to_string(),
            problem: toml_problem(content, &e),
        };
        let mut own: Table = toml::from_str(content).map_err(unreadable)?;
        let id = own_id(&own);
        for (key, shared) in &self.table {
            match (key.as_str(), own.get_mut(key)) {
                ("sources", Some(Value::Array(mine))) => {
                    if let Some(again) = mine.iter().find(|s| shared_contains(shared, s)) {
                        return Err(Error::rule(
                            path,
                            &id,
                            format!(
                                "source `{}` is also listed in {}",
                                again.as_str().unwrap_or_default(),
                                self.file
                            ),
                            "say it once: remove it from the rule file",
                        ));
                    }
                    let mut merged = as_array(shared);
                    merged.append(mine);
                    *mine = merged;
                }
                ("near_miss", Some(Value::Array(mine))) => mine.extend(as_array(shared)),
                (_, Some(_)) => {}
                (_, None) => {
                    own.insert(key.clone(), shared.clone());
                }
            }
        }
        let mut rule: Rule = own.try_into().map_err(|merged: toml::de::Error| {
            // A problem in the file's own text is reported with its line; a field that is
            // missing from both files is reported as the merged table sees it.
            match toml::from_str::<Rule>(content) {
                Err(e) if !e.to_string().contains("missing field") => unreadable(e),
                _ => unreadable(merged),
            }
        })?;
        let first_shared = rule.near_misses.len().saturating_sub(self.near_misses);
        for miss in &mut rule.near_misses[first_shared..] {
            miss.folder = Some(self.file.clone());
        }
        Ok(rule)
    }
}

fn as_array(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

fn shared_contains(shared: &Value, value: &Value) -> bool {
    shared.as_array().is_some_and(|a| a.contains(value))
}

fn own_id(table: &Table) -> String {
    table
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string()
}

#[cfg(test)]
mod tests {
    use crate::Kind;
    use crate::ruleset::RuleSet;

    const MANIFEST: &str =
        "version = \"2026.11.25\"\n[no_match]\nsteps = [\"rerun with --verbose\"]\n";

    const FOLDER: &str = r#"
kind = "cause"
source = "field-reports"
docs = "https://learn.microsoft.com/shared"
checked = "2026-11"
sources = ["https://learn.microsoft.com/shared"]
[[near_miss]]
text = "All is well"
why = "healthy output"
"#;

    /// A rule file that leaves kind, source, docs and checked to its folder.
    fn rule(id: &str, extra: &str) -> String {
        format!(
            r#"id = "{id}"
title = "A title"
error = "Some error text"
cause = "Because."
solution = "Do this."
sources = ["MicrosoftDocs/azure-docs#1"]
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

    fn load(files: &[(&str, &str)]) -> Result<RuleSet, String> {
        let mut all = vec![("rules/ruleset.toml", MANIFEST)];
        all.extend_from_slice(files);
        RuleSet::from_files(all).map_err(|e| e.to_string())
    }

    #[test]
    fn a_folders_fields_fill_its_rules_and_a_rules_own_field_wins() {
        let own = rule(
            "b-rule",
            "docs = \"https://learn.microsoft.com/own\"\nchecked = \"2026-10\"",
        );
        let set = load(&[
            ("rules/x/_folder.toml", FOLDER),
            ("rules/x/a-rule.toml", &rule("a-rule", "")),
            ("rules/x/b-rule.toml", &own),
        ])
        .unwrap();
        let a = &set.get("a-rule").unwrap().rule;
        assert_eq!(
            (
                a.kind,
                a.source.as_str(),
                a.docs.as_str(),
                a.checked.as_str()
            ),
            (
                Kind::Cause,
                "field-reports",
                "https://learn.microsoft.com/shared",
                "2026-11"
            )
        );
        assert_eq!(
            a.sources,
            [
                "https://learn.microsoft.com/shared",
                "MicrosoftDocs/azure-docs#1"
            ],
            "the folder's sources first, then the rule's"
        );
        let misses: Vec<_> = a
            .near_misses
            .iter()
            .map(|m| (m.text.as_str(), m.folder.as_deref()))
            .collect();
        assert_eq!(
            misses,
            [
                ("Some other text", None),
                ("All is well", Some("rules/x/_folder.toml"))
            ]
        );
        let b = &set.get("b-rule").unwrap().rule;
        assert_eq!(
            (b.docs.as_str(), b.checked.as_str()),
            ("https://learn.microsoft.com/own", "2026-10")
        );
    }

    #[test]
    fn a_folder_serves_only_the_rule_files_beside_it() {
        let err = load(&[
            ("rules/x/_folder.toml", FOLDER),
            ("rules/x/a-rule.toml", &rule("a-rule", "")),
            ("rules/x/y/b-rule.toml", &rule("b-rule", "")),
        ])
        .unwrap_err();
        assert!(
            err.starts_with("rules/x/y/b-rule.toml: cannot read") && err.contains("`kind`"),
            "{err}"
        );
    }

    #[test]
    fn folder_mistakes_name_the_file_and_the_fix() {
        let a = rule("a-rule", "");
        let with_folder = |folder: &str| {
            load(&[
                ("rules/x/_folder.toml", folder),
                ("rules/x/a-rule.toml", &a),
            ])
            .unwrap_err()
        };
        let err = with_folder(&format!("title = \"Shared\"\n{FOLDER}"));
        assert!(
            err.starts_with("rules/x/_folder.toml: cannot read") && err.contains("`title`"),
            "{err}"
        );
        let err = with_folder(&FOLDER.replace("2026-11", "Nov 2026"));
        assert!(
            err.starts_with("rules/x/_folder.toml: rule 'folder defaults'")
                && err.contains("not YYYY-MM")
                && err.contains("Fix:"),
            "{err}"
        );
        let err = with_folder(&FOLDER.replace("healthy output", " "));
        assert!(err.contains("empty `why`"), "{err}");

        let repeated = a.replace(
            "sources = [",
            "sources = [\"https://learn.microsoft.com/shared\", ",
        );
        let err = load(&[
            ("rules/x/_folder.toml", FOLDER),
            ("rules/x/a-rule.toml", &repeated),
        ])
        .unwrap_err();
        assert!(
            err.starts_with("rules/x/a-rule.toml: rule 'a-rule'")
                && err.contains("also listed in rules/x/_folder.toml")
                && err.contains("Fix: say it once"),
            "{err}"
        );

        let err = load(&[
            ("rules/x/_folder.toml", FOLDER),
            ("rules/y/_folder.toml", FOLDER),
            ("rules/x/a-rule.toml", &a),
        ])
        .unwrap_err();
        assert!(
            err.starts_with("rules/y/_folder.toml") && err.contains("no rule file"),
            "{err}"
        );

        // A field missing from both files is named as the merged rule misses it, not as the
        // rule file alone would (that would blame `kind`, which the folder gives).
        let untitled = a.replace("title = \"A title\"\n", "");
        let err = load(&[
            ("rules/x/_folder.toml", FOLDER),
            ("rules/x/a-rule.toml", &untitled),
        ])
        .unwrap_err();
        assert!(
            err.starts_with("rules/x/a-rule.toml: cannot read")
                && err.contains("missing field `title`")
                && !err.contains("`kind`"),
            "{err}"
        );

        // A mistake in the rule's own text keeps its line number.
        let typo = a.replace("title =", "titel =");
        let err = load(&[
            ("rules/x/_folder.toml", FOLDER),
            ("rules/x/a-rule.toml", &typo),
        ])
        .unwrap_err();
        assert!(
            err.starts_with("rules/x/a-rule.toml: cannot read")
                && err.contains("line 2")
                && err.contains("unknown field `titel`"),
            "{err}"
        );
    }
}
