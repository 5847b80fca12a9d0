//! One rule file checked on its own: required fields, ids, sources and dates, patterns in the
//! dialect, variants, samples and near-misses. Every error names the file, the rule and the fix.

use super::*;

pub(super) fn check_rule(
    path: &str,
    mut rule: Rule,
    common: &[String],
) -> Result<LoadedRule, Error> {
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
    code::apply(path, &mut rule)?;
    let mut required = vec![
        ("title", &rule.title),
        ("cause", &rule.cause),
        ("docs", &rule.docs),
        ("source", &rule.source),
    ];
    match &rule.solution_from {
        None => required.push(("solution", &rule.solution)),
        Some(other) if !rule.solution.trim().is_empty() => {
            return Err(fail(
                format!("both `solution` and `solution_from = \"{other}\"` are set"),
                "keep one: the shared text is written once, in the rule `solution_from` names",
            ));
        }
        Some(_) => {}
    }
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
    let mut checked = Vec::new();
    for p in &rule.patterns {
        let c = pattern::check(&p.regex, common).map_err(|(problem, fix)| fail(problem, &fix))?;
        if let Some(unless) = &p.unless {
            pattern::check_unless(unless)
                .map_err(|(problem, fix)| fail(format!("`unless`: {problem}"), &fix))?;
        }
        checked.push(c);
    }
    if let Some(standard) = code::standard_pattern(&rule, &checked) {
        let c = pattern::check(&standard.regex, common).map_err(|(problem, fix)| {
            fail(
                format!("the pattern written for `code`: {problem}"),
                &format!("{fix} (or write the rule's own [[match]] capturing `azcm_code`)"),
            )
        })?;
        rule.patterns.insert(0, standard);
        checked.insert(0, c);
    }
    if rule.patterns.is_empty() {
        return Err(fail(
            "the rule has no [[match]] pattern".into(),
            "add at least one [[match]] with a `regex` (an exit-code rule may set `code` instead)",
        ));
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

/// `https://...` or a GitHub reference `owner/repo#N`.
pub(super) fn is_source(s: &str) -> bool {
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

/// `YYYY-MM` or `YYYY-MM-DD`, with a month from 01 to 12 and a day from 01 to 31.
pub(super) fn is_month_or_day(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let up_to = |p: &str, max: u8| digits(p, 2) && p.parse().is_ok_and(|v| (1..=max).contains(&v));
    (2..=3).contains(&parts.len())
        && digits(parts[0], 4)
        && up_to(parts[1], 12)
        && parts.get(2).is_none_or(|d| up_to(d, 31))
}

pub(super) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests;
