//! Names the row of Microsoft's Azure Arc agent troubleshooting table that explains a pasted
//! `azcmagent` / `himds` log, with the evidence lines, the values that matter and the fix.
//!
//! ```
//! use arc_triage::{Classifier, Confidence};
//!
//! let classifier = Classifier::builtin()?;
//! let log = r#"time="2020-07-20T10:00:00Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'""#;
//! let report = classifier.classify(log);
//!
//! let best = &report.matches[0];
//! assert_eq!(best.row.id, "provider-not-registered");
//! assert_eq!(best.confidence, Confidence::Exact);
//! assert_eq!(best.lines, vec![1]);
//! assert_eq!(best.fields["namespace"], "Microsoft.HybridCompute");
//! # Ok::<(), arc_triage::Error>(())
//! ```
//!
//! The crate is a pure core: [`Classifier`] compiles the rules once ([`RuleSet`], written as
//! data in `rules/`), then [`Classifier::classify`] or a streaming [`Session`] turns text into a
//! [`Report`]. The WebAssembly binding (`src/wasm.rs`) and the CLI (`src/main.rs`) are thin
//! layers over it.

mod builtin;
pub mod bundle;
mod classify;
mod confirm;
mod detectors;
mod error;
mod evidence;
mod input;
mod normalize;
mod occurrences;
mod onboarding;
mod parts;
pub mod pattern;
mod rank;
mod records;
mod redact;
pub mod render;
mod report;
mod rule;
mod ruleset;
#[cfg(not(lean))]
mod samples;
mod scan;
mod secrets;
/// The JavaScript binding (only in wasm32 builds). Public so `wasm-bindgen-test` can call the
/// exports as JavaScript would.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(not(lean))]
pub use builtin::BUILTIN_FILES;
pub use classify::{Classifier, Limits, MAX_ERROR_LINES, Session};
pub use confirm::{MAX_GIVE_UPS, MatchCache, Matcher, STATE_BUDGET, TooCostly};
pub use error::Error;
pub use input::{Encoding, MAX_LINE_PIECE, decode};
pub use occurrences::MAX_EVIDENCE;
pub use redact::{Redacted, Replaced, redact};
pub use report::{
    Candidate, Confidence, Diagnosis, Evidence, EvidenceLine, FileSummary, Format, InputSummary,
    Level, Onboarding, Report, RulesetInfo, SecretFound, SecretKindInfo,
};
pub use rule::{Kind, NearMiss, Pattern, Platform, Row, Rule, Sample, SourceLink, Variant};
pub use ruleset::{
    Guidance, LoadedRule, MANIFEST, MAX_RULE_FILE_BYTES, MAX_RULE_FILES, MAX_RULES_BYTES, Manifest,
    PlatformSignals, Retired, RuleSet,
};
#[cfg(not(lean))]
pub use samples::{SampleFailure, check_samples};
pub use secrets::MASK as SECRET_MASK;

/// How many of the secret and of the onboarding detectors are compiled yet in this process
/// (tests).
#[doc(hidden)]
pub fn detectors_compiled() -> (usize, usize) {
    (
        detectors::compiled_count(secrets::detectors()),
        detectors::compiled_count(onboarding::detectors()),
    )
}

/// Every kind of secret the engine recognises, with its name and what to do if a log holding
/// one was sent anywhere.
pub fn secret_kinds() -> Vec<SecretKindInfo> {
    secrets::KINDS.iter().map(secrets::Kind::info).collect()
}
