//! The rule set checked as a whole: the manifest, solutions shared by id, and what only the
//! corpus can tell (unique ids and exit codes, stages with rows, links that point somewhere).

use super::lint::is_kebab;
use super::*;

/// Checks the manifest; returns what the lint learned about each `[[exit_code]]` pattern.
pub(super) fn check_manifest(
    path: &str,
    m: &Manifest,
) -> Result<Vec<pattern::PatternFacts>, Error> {
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
            pattern::check_unless(unless).map_err(|(problem, fix)| {
                Error::rule(path, "manifest", format!("`unless`: {problem}"), fix)
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

/// Copies the text of each `solution_from` into `solution`, so every consumer shows the full
/// steps. One level only: a shared text is written where it is named, never passed along.
pub(super) fn resolve_shared_solutions(rules: &mut [LoadedRule]) -> Result<(), Error> {
    let mut resolved = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let Some(from) = &r.rule.solution_from else {
            continue;
        };
        let fail = |problem: String, fix: &str| Error::rule(&r.file, &r.rule.id, problem, fix);
        if from == &r.rule.id {
            return Err(fail(
                format!("`solution_from = \"{from}\"` names the rule itself"),
                "write the steps in `solution`, or name the rule that writes them",
            ));
        }
        let Some(target) = rules.iter().find(|t| &t.rule.id == from) else {
            return Err(fail(
                format!("`solution_from = \"{from}\"` names no rule"),
                "name the id of the rule whose `solution` this rule shares",
            ));
        };
        if let Some(further) = &target.rule.solution_from {
            return Err(fail(
                format!(
                    "`solution_from = \"{from}\"` names a rule that takes its own solution from `{further}`"
                ),
                &format!("name `{further}`, the rule that writes the text"),
            ));
        }
        resolved.push((i, target.rule.solution.clone()));
    }
    for (i, solution) in resolved {
        rules[i].rule.solution = solution;
    }
    Ok(())
}

pub(super) fn check_corpus(rules: &[LoadedRule], manifest: &Manifest) -> Result<(), Error> {
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
mod tests;
