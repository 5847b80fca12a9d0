//! The built-in rule set. build.rs reads `rules/` and loads it with the authoring loader
//! ([`RuleSet::from_files`]: TOML, the lint, the corpus checks; a rule error fails the build with
//! the loader's message), then writes the checked result out as the static data included below.
//! The shipped wasm (`cfg(lean)`) turns that data into its [`RuleSet`] with a few thousand string
//! copies: no TOML parser, no lint, and none of the samples and near-misses, which only the tests
//! and `--check-rules` run. Native builds and the wasm's authoring build (feature `authoring`)
//! still parse [`BUILTIN_FILES`], so the tests see every sample; a test checks that both roads
//! give the same rule set (`precompiled_rules_are_the_parsed_rules`).

use crate::pattern::PatternFacts;
use crate::rule::{Kind, Pattern, Platform, Rule, Variant};
use crate::ruleset::{
    Guidance, Labels, LoadedRule, Manifest, PlatformSignals, Retired, RuleSet, SourceLabel,
};

/// The rule files as written: `(path under rules/, content)`, sorted by path. Only the authoring
/// builds carry them.
#[cfg(not(lean))]
pub static BUILTIN_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

impl RuleSet {
    /// The rules compiled into this build: parsed from [`BUILTIN_FILES`] with their samples in
    /// authoring builds, taken from the precompiled data in the lean wasm.
    pub fn builtin() -> Result<RuleSet, crate::Error> {
        #[cfg(lean)]
        return Ok(RuleSet::precompiled());
        #[cfg(not(lean))]
        RuleSet::from_files(BUILTIN_FILES.iter().copied())
    }

    /// The built-in rules from the data build.rs wrote after checking them (what the lean wasm
    /// loads): the same rule set as [`RuleSet::builtin`] in an authoring build, without samples
    /// and near-misses.
    #[doc(hidden)]
    pub fn precompiled() -> RuleSet {
        let data = &DATA;
        RuleSet {
            manifest: Manifest {
                version: data.version.into(),
                common_words: strings(data.common_words),
                no_match: Guidance {
                    steps: strings(data.no_match),
                },
                exit_codes: data.exit_codes.iter().map(StaticPattern::pattern).collect(),
                platform: PlatformSignals {
                    windows: strings(data.windows),
                    linux: strings(data.linux),
                },
                retired: (data.retired.iter())
                    .map(|r| Retired {
                        id: r.id.into(),
                        replaced_by: strings(r.replaced_by),
                        why: r.why.into(),
                    })
                    .collect(),
                labels: Labels {
                    sources: (data.source_labels.iter())
                        .map(|(id, label)| SourceLabel {
                            id: (*id).into(),
                            label: (*label).into(),
                        })
                        .collect(),
                    fields: (data.field_labels.iter())
                        .map(|(k, v)| ((*k).into(), (*v).into()))
                        .collect(),
                },
            },
            rules: data.rules.iter().map(StaticRule::loaded).collect(),
            hash: data.hash.into(),
            exit_codes: data.exit_codes.iter().map(StaticPattern::facts).collect(),
        }
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).into()).collect()
}

fn string(s: Option<&str>) -> Option<String> {
    s.map(Into::into)
}

// The shapes of the data build.rs writes (`write_data` there writes these field names).

struct StaticRuleSet {
    version: &'static str,
    hash: &'static str,
    common_words: &'static [&'static str],
    no_match: &'static [&'static str],
    exit_codes: &'static [StaticPattern],
    windows: &'static [&'static str],
    linux: &'static [&'static str],
    retired: &'static [StaticRetired],
    source_labels: &'static [(&'static str, &'static str)],
    field_labels: &'static [(&'static str, &'static str)],
    rules: &'static [StaticRule],
}

struct StaticRetired {
    id: &'static str,
    replaced_by: &'static [&'static str],
    why: &'static str,
}

struct StaticRule {
    file: &'static str,
    id: &'static str,
    kind: Kind,
    title: &'static str,
    message: &'static str,
    error: &'static str,
    cause: &'static str,
    solution: &'static str,
    solution_from: Option<&'static str>,
    docs: &'static str,
    source: &'static str,
    sources: &'static [&'static str],
    checked: &'static str,
    unsourced: Option<&'static str>,
    exit_code: Option<u16>,
    code: Option<&'static str>,
    leads_to: &'static [&'static str],
    stage: Option<&'static str>,
    patterns: &'static [StaticPattern],
    variants: &'static [StaticVariant],
}

struct StaticPattern {
    regex: &'static str,
    unless: Option<&'static str>,
    variant: Option<&'static str>,
    /// What the lint found: the prefilter anchors and the field names.
    anchors: &'static [&'static [u8]],
    fields: &'static [&'static str],
}

struct StaticVariant {
    id: &'static str,
    platform: Option<Platform>,
    title: &'static str,
    error: Option<&'static str>,
    cause: &'static str,
    solution: &'static str,
}

impl StaticRule {
    fn loaded(&self) -> LoadedRule {
        LoadedRule {
            rule: Rule {
                id: self.id.into(),
                kind: self.kind,
                title: self.title.into(),
                message: self.message.into(),
                error: self.error.into(),
                cause: self.cause.into(),
                solution: self.solution.into(),
                solution_from: string(self.solution_from),
                docs: self.docs.into(),
                source: self.source.into(),
                sources: strings(self.sources),
                checked: self.checked.into(),
                unsourced: string(self.unsourced),
                exit_code: self.exit_code,
                code: string(self.code),
                leads_to: strings(self.leads_to),
                stage: string(self.stage),
                patterns: self.patterns.iter().map(StaticPattern::pattern).collect(),
                variants: (self.variants.iter())
                    .map(|v| Variant {
                        id: v.id.into(),
                        platform: v.platform,
                        title: v.title.into(),
                        error: string(v.error),
                        cause: v.cause.into(),
                        solution: v.solution.into(),
                    })
                    .collect(),
                samples: Vec::new(),
                near_misses: Vec::new(),
            },
            file: self.file.into(),
            checked: self.patterns.iter().map(StaticPattern::facts).collect(),
        }
    }
}

impl StaticPattern {
    fn pattern(&self) -> Pattern {
        Pattern {
            regex: self.regex.into(),
            unless: string(self.unless),
            variant: string(self.variant),
        }
    }

    fn facts(&self) -> PatternFacts {
        PatternFacts {
            anchors: self.anchors.iter().map(|a| a.to_vec()).collect(),
            fields: strings(self.fields),
        }
    }
}

static DATA: StaticRuleSet = include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

#[cfg(all(test, not(lean)))]
mod tests {
    use super::*;

    /// The lean wasm's rules are the authoring loader's, field for field, but for the samples
    /// and near-misses it leaves out.
    #[test]
    fn precompiled_rules_are_the_parsed_rules() {
        let mut parsed = RuleSet::builtin().expect("the built-in rules load");
        for loaded in &mut parsed.rules {
            assert!(!loaded.rule.samples.is_empty(), "{}", loaded.rule.id);
            loaded.rule.samples.clear();
            loaded.rule.near_misses.clear();
        }
        let precompiled = RuleSet::precompiled();
        let (got, want) = (format!("{precompiled:#?}"), format!("{parsed:#?}"));
        // The first line that differs, with the rule it is in, rather than two whole rule sets.
        let mut rule = "none yet: the manifest";
        for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
            if let Some(id) = w.trim().strip_prefix("id: ") {
                rule = id;
            }
            assert_eq!(
                g, w,
                "line {n} of the rule set's Debug text, in rule {rule}"
            );
        }
        assert_eq!(got.lines().count(), want.lines().count());
        assert_eq!(precompiled.info(), parsed.info());
    }
}
