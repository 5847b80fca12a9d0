//! A rule set checks itself: every rule's samples and near-misses are classified and compared
//! with what they declare. `cargo test` and `arc-triage --check-rules DIR` run this same check,
//! so a docs team editing rules without Rust gets the verdict the tests give.

use crate::classify::Classifier;
use crate::report::{Confidence, Report};
use crate::rule::Kind;
use std::fmt;

/// One way a rule's own examples disagree with what the classifier does with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFailure {
    /// The rule file, as `rules/<group>/<id>.toml`.
    pub file: String,
    /// `sample 2` or `near_miss 1` (counted from 1, in file order).
    pub example: String,
    /// The first line of the example's text, shortened.
    pub text: String,
    /// What is wrong, and what to change.
    pub problem: String,
}

impl fmt::Display for SampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} `{}`: {}",
            self.file, self.example, self.text, self.problem
        )
    }
}

/// Runs every sample and near-miss of the classifier's rule set. A sample must produce its rule
/// first (exact for a cause or code, partial for a stage), with its declared variant and
/// fields and highlighted evidence, then exactly the rules its `also` lists (in any order), and
/// none of its `not`. A near-miss must not produce its rule, and produces exactly its `also`.
pub fn check_samples(classifier: &Classifier) -> Vec<SampleFailure> {
    let set = classifier.ruleset();
    let mut failures = Vec::new();
    for loaded in &set.rules {
        let rule = &loaded.rule;
        let fail = |example: String, text: &str, problem: String| SampleFailure {
            file: loaded.file.clone(),
            example,
            text: first_line(text),
            problem,
        };
        let known = |example: &str, text: &str, list: &str, ids: &[String]| {
            ids.iter()
                .filter(|id| set.get(id).is_none())
                .map(|id| {
                    fail(
                        example.to_string(),
                        text,
                        format!("`{list}` names `{id}`, which is not a rule id. Fix the id."),
                    )
                })
                .collect::<Vec<_>>()
        };
        for (i, sample) in rule.samples.iter().enumerate() {
            let example = format!("sample {}", i + 1);
            let text = sample.text.as_str();
            failures.extend(known(&example, text, "also", &sample.also));
            failures.extend(known(&example, text, "not", &sample.not));
            let report = classifier.classify(text);
            let want = if rule.kind == Kind::Stage {
                Confidence::Partial
            } else {
                Confidence::Exact
            };
            let Some(best) = report.matches.first() else {
                failures.push(fail(
                    example,
                    text,
                    format!("expected `{}` first, nothing matched", rule.id),
                ));
                continue;
            };
            if best.id != rule.id || best.confidence != want {
                failures.push(fail(
                    example,
                    text,
                    format!(
                        "expected `{}` ({}) first, got [{}]",
                        rule.id,
                        confidence_name(want),
                        produced(&report).join(", ")
                    ),
                ));
                continue;
            }
            if best.variant != sample.variant {
                failures.push(fail(
                    example.clone(),
                    text,
                    format!(
                        "the meaning chosen should be {}, got {}",
                        variant_name(sample.variant.as_deref()),
                        variant_name(best.variant.as_deref())
                    ),
                ));
            }
            for (key, value) in &sample.fields {
                if best.fields.get(key) != Some(value) {
                    failures.push(fail(
                        example.clone(),
                        text,
                        format!(
                            "field `{key}` should be `{value}`, got {}",
                            best.fields
                                .get(key)
                                .map_or("nothing".to_string(), |v| format!("`{v}`"))
                        ),
                    ));
                }
            }
            let highlighted = best
                .evidence
                .iter()
                .any(|e| e.lines.iter().any(|l| l.span.is_some()));
            if best.lines.is_empty() || !highlighted {
                failures.push(fail(
                    example.clone(),
                    text,
                    "the diagnosis carries no highlighted evidence".to_string(),
                ));
            }
            let others: Vec<&str> = report.matches[1..].iter().map(|d| d.id.as_str()).collect();
            failures.extend(
                extras(&others, &sample.also).map(|problem| fail(example.clone(), text, problem)),
            );
            for id in &sample.not {
                if report.matches.iter().any(|d| &d.id == id) {
                    failures.push(fail(
                        example.clone(),
                        text,
                        format!("produced `{id}`, which its `not` forbids"),
                    ));
                }
            }
        }
        for (i, miss) in rule.near_misses.iter().enumerate() {
            let example = format!("near_miss {}", i + 1);
            let text = miss.text.as_str();
            failures.extend(known(&example, text, "also", &miss.also));
            let report = classifier.classify(text);
            if report.matches.iter().any(|d| d.id == rule.id) {
                failures.push(fail(
                    example,
                    text,
                    format!("matched `{}`, but must not: {}", rule.id, miss.why),
                ));
                continue;
            }
            let ids: Vec<&str> = report.matches.iter().map(|d| d.id.as_str()).collect();
            failures.extend(
                extras(&ids, &miss.also).map(|problem| fail(example.clone(), text, problem)),
            );
        }
    }
    failures
}

/// The differences between the rules produced and the ones an example declares in `also`.
fn extras<'a>(produced: &'a [&str], also: &'a [String]) -> impl Iterator<Item = String> + 'a {
    let unexpected = produced
        .iter()
        .filter(|id| !also.iter().any(|a| a == *id))
        .map(|id| {
            format!(
                "also produced `{id}`, which it does not declare. If that is right, add it to \
                 `also`; if not, narrow the rule that matched"
            )
        });
    let missing = also
        .iter()
        .filter(|a| !produced.contains(&a.as_str()))
        .map(|a| format!("declares `{a}` in `also`, but it was not produced"));
    unexpected.chain(missing)
}

fn produced(report: &Report) -> Vec<String> {
    report
        .matches
        .iter()
        .map(|d| format!("{} ({})", d.id, confidence_name(d.confidence)))
        .collect()
}

fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::Exact => "exact",
        Confidence::Partial => "partial",
    }
}

fn variant_name(v: Option<&str>) -> String {
    v.map_or("the rule's own text".to_string(), |v| format!("`{v}`"))
}

fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or_default();
    line.chars().take(90).collect()
}
