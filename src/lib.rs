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
//! assert_eq!(best.id, "provider-not-registered");
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

mod classify;
mod error;
mod input;
mod normalize;
pub mod pattern;
pub mod render;
mod report;
mod rule;
mod ruleset;
mod samples;
/// The JavaScript binding (only in wasm32 builds). Public so `wasm-bindgen-test` can call the
/// exports as JavaScript would.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use classify::{Classifier, MAX_ERROR_LINES, MAX_EVIDENCE, Session};
pub use error::Error;
pub use input::{Encoding, MAX_LINE_PIECE};
pub use normalize::{Format, Level};
pub use report::{
    Candidate, Confidence, Diagnosis, Evidence, EvidenceLine, InputSummary, Report, RulesetInfo,
    SourceLink,
};
pub use rule::{Kind, NearMiss, Pattern, Platform, Rule, Sample, Variant};
pub use ruleset::{
    BUILTIN_FILES, Guidance, LoadedRule, MANIFEST, Manifest, PlatformSignals, Retired, RuleSet,
};
pub use samples::{SampleFailure, check_samples};
