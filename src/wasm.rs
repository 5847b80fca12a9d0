//! The WebAssembly binding: the only module that knows about JavaScript. Every export returns
//! `Result<_, JsError>`; the values are the same shapes the CLI prints with `--json`.

mod bundle;

pub use bundle::Bundle;

#[cfg(not(lean))]
use crate::RuleSet;
use crate::{Classifier, Error, Session};
use serde::Serialize;
use std::cell::OnceCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type Confidence = "exact" | "partial";
export type Kind = "cause" | "code" | "stage";
export type Level = "debug" | "info" | "warn" | "error" | "fatal";
export interface EvidenceLine {
  /** For an archive: the log's path inside it. Absent for a single log. */
  file?: string; line: number; text: string; span: [number, number] | null;
}
/** An occurrence: its lines (decoded: escapes undone), and the input's line just before and just after it (not evidence, `span` null), when there is one and it is not blank. */
export interface Evidence {
  line: number; level: Level | null; lines: EvidenceLine[];
  before: EvidenceLine | null; after: EvidenceLine | null;
}
export interface Candidate { id: string; title: string; error: string; }
export interface SourceLink { label: string; url: string; }
export type Platform = "windows" | "linux";
export interface Row {
  id: string; kind: Kind; title: string; message: string; error: string; cause: string;
  solution: string; docs: string; source: string; sources: SourceLink[]; checked: string;
  unsourced: string | null; stage: string | null;
}
export interface Diagnosis extends Row {
  confidence: Confidence; variant: string | null; lines: number[]; occurrences: number;
  evidence: Evidence[]; fields: Record<string, string>; candidates: Candidate[];
  rank_reason: string;
  /** For an exit code: the id of the cause that explains it (shown in that cause's card). */
  explained_by: string | null;
}
export interface RulesetInfo { version: string; hash: string; rules: number; }
export interface Report {
  matches: Diagnosis[]; ruleset: RulesetInfo;
  input: {
    bytes: number; lines: number; encoding: string; invalid_sequences: number; formats: string[];
    platform: Platform | null;
    /** For an archive (a support bundle): every file in it, read or not. Absent otherwise. */
    files?: FileSummary[];
  };
  error_lines: EvidenceLine[]; error_line_count: number; next_steps: string[]; notes: string[];
  /** Secrets in the input, by kind and line; their values appear nowhere in the report. */
  secrets: SecretFound[]; secret_count: number;
  /** Where the log says the machine is onboarded, as it last said it. */
  onboarding: Onboarding;
}
export interface Onboarding {
  tenant_id: string | null; subscription_id: string | null; resource_group: string | null;
  location: string | null; service_principal_id: string | null; resource_name: string | null;
}
export interface SecretFound { kind: string; file?: string; line: number; }
export interface FileSummary {
  name: string; bytes: number; lines: number; encoding: string | null;
  /** Why it was not read (`not a log`), or null. */
  skipped: string | null;
  /** What was wrong with it when it was read anyway, or null. */
  damaged: string | null;
}
export interface BundleMember {
  name: string; method: number; size: number; header: number; skip: string | null;
}
export interface SecretKind { kind: string; name: string; rotate: string; sources: string[]; }
/** What `redact()` replaced: one entry per kind, `count` distinct values in `occurrences` places. */
export interface Replaced { kind: string; name: string; count: number; occurrences: number; }
/** A log with every identifier and secret replaced by a placeholder (`<subscription-1>`). */
export interface Redacted { text: string; replaced: Replaced[]; }
/** A rule's row, as `rules()` lists them. */
export type RuleInfo = Row;
export interface RetiredId { id: string; replaced_by: string[]; why: string; }
export interface SourceLabel { id: string; label: string; }
export interface Labels { sources: SourceLabel[]; fields: Record<string, string>; }
"#;

thread_local! {
    // Built once per instance and never dropped, so a streaming `Analysis` can borrow it for as
    // long as JavaScript holds one.
    static CLASSIFIER: OnceCell<Result<&'static Classifier, Error>> = const { OnceCell::new() };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// A panic (nothing user-supplied should cause one: this is the net) is written to the console
/// with its message and place instead of a bare "unreachable"; the call that panicked then fails
/// in JavaScript. Eight lines of ours instead of `console_error_panic_hook`, which is archived.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error(&format!(
            "arc-triage: internal error, please report it with the input that caused it: {info}"
        ));
    }));
}

fn with_classifier<T>(
    f: impl FnOnce(&'static Classifier) -> Result<T, JsError>,
) -> Result<T, JsError> {
    let classifier = CLASSIFIER.with(|cell| {
        cell.get_or_init(|| Classifier::builtin().map(|c| &*Box::leak(Box::new(c))))
            .clone()
    });
    match classifier {
        Ok(c) => f(c),
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // JSON-compatible: `Option::None` becomes `null` and maps become plain objects, as in the
    // CLI's --json output.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&format!("cannot convert the report for JavaScript: {e}")))
}

/// Compiles the built-in rules now (otherwise the first `classify` does).
#[wasm_bindgen(js_name = prepare, unchecked_return_type = "RulesetInfo")]
pub fn prepare() -> Result<JsValue, JsError> {
    with_classifier(|c| to_js(&c.ruleset().info()))
}

/// Classifies pasted text. Returns a `Report`.
#[wasm_bindgen(js_name = classifyText, unchecked_return_type = "Report")]
pub fn classify_text(text: &str) -> Result<JsValue, JsError> {
    with_classifier(|c| to_js(&c.classify(text)))
}

/// Classifies the bytes of a file (UTF-8 or UTF-16, detected). Returns a `Report`.
#[wasm_bindgen(js_name = classifyBytes, unchecked_return_type = "Report")]
pub fn classify_bytes(bytes: &[u8]) -> Result<JsValue, JsError> {
    with_classifier(|c| to_js(&c.classify_bytes(bytes)))
}

/// A classification fed in pieces, so the page can read a large file chunk by chunk and stay
/// responsive (and stop) between chunks. Memory stays bounded by the engine's batch size, not
/// by the input.
#[wasm_bindgen]
pub struct Analysis {
    session: Option<Session<'static>>,
    /// Where JavaScript writes the next piece of input (`inputBuffer`, then `feedBuffer`): text
    /// with `TextEncoder.encodeInto`, straight into wasm memory. wasm-bindgen's own string
    /// passing copies ASCII in a JavaScript loop and, at the first other character, reserves
    /// three times the rest of the text: a 100 MB paste with one `✓` near the top took 408 MB
    /// of wasm memory, which a page never gets back.
    buffer: Vec<u8>,
}

#[wasm_bindgen]
impl Analysis {
    /// `text: true` for pasted text (UTF-8 known); `false` for file bytes (encoding detected).
    #[wasm_bindgen(constructor)]
    pub fn new(text: bool) -> Result<Analysis, JsError> {
        with_classifier(|c| {
            let session = if text { c.text_session() } else { c.session() };
            Ok(Analysis {
                session: Some(session),
                buffer: Vec::new(),
            })
        })
    }

    /// Compiles at most `patterns` rule patterns per call, so no call holds the page long
    /// (text naming dozens of rules needs dozens compiled); after the last feed, call `end()`
    /// until it returns false, then `finish()`.
    #[wasm_bindgen(js_name = compileAtMost)]
    pub fn compile_at_most(&mut self, patterns: usize) -> Result<(), JsError> {
        self.session()?.compile_at_most(patterns);
        Ok(())
    }

    /// Goes on with records waiting for patterns to compile; returns whether some still wait.
    pub fn settle(&mut self) -> Result<bool, JsError> {
        Ok(self.session()?.settle())
    }

    /// Scans whenever this many bytes are buffered (see `Session::scan_every`), so no call
    /// holds the page longer than the work on that many bytes.
    /// Ends the input (after the last feed) and scans what is left within the compile limit;
    /// returns whether records still wait, as `settle()` does.
    pub fn end(&mut self) -> Result<bool, JsError> {
        Ok(self.session()?.end())
    }

    #[wasm_bindgen(js_name = scanEvery)]
    pub fn scan_every(&mut self, bytes: usize) -> Result<(), JsError> {
        self.session()?.scan_every(bytes);
        Ok(())
    }

    /// Feeds the next chunk of a file's bytes.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.session()?.feed(bytes);
        Ok(())
    }

    /// Starts the next log of an archive (before its first byte is fed): lines are numbered
    /// within it and its evidence names it.
    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str) -> Result<(), JsError> {
        self.session()?.begin_file(name);
        Ok(())
    }

    /// Lists a file of an archive that is not read, and why.
    #[wasm_bindgen(js_name = skipFile)]
    pub fn skip_file(&mut self, name: &str, why: &str) -> Result<(), JsError> {
        self.session()?.skip_file(name, why);
        Ok(())
    }

    /// Says what was wrong with the log just read.
    #[wasm_bindgen(js_name = fileDamaged)]
    pub fn file_damaged(&mut self, why: &str) -> Result<(), JsError> {
        self.session()?.file_damaged(why);
        Ok(())
    }

    /// Feeds the next piece of pasted text.
    #[wasm_bindgen(js_name = feedText)]
    pub fn feed_text(&mut self, text: &str) -> Result<(), JsError> {
        self.session()?.feed(text.as_bytes());
        Ok(())
    }

    /// The address in wasm memory of this analysis' input buffer, `bytes` long: JavaScript
    /// writes the next piece of input there and calls `feedBuffer` with its length. The address
    /// holds until the next `inputBuffer` of another size (memory growing never moves it, but
    /// it replaces `memory.buffer`, so a view of it must be made again).
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(&mut self, bytes: usize) -> Result<usize, JsError> {
        if self.session.is_none() {
            return Err(finished());
        }
        if self.buffer.len() != bytes {
            self.buffer = vec![0; bytes];
        }
        Ok(self.buffer.as_mut_ptr() as usize)
    }

    /// Feeds the first `bytes` of the input buffer, as `feed` would (file bytes) or as
    /// `feedText` would (text: `encodeInto` writes only whole UTF-8 characters).
    #[wasm_bindgen(js_name = feedBuffer)]
    pub fn feed_buffer(&mut self, bytes: usize) -> Result<(), JsError> {
        let session = self.session.as_mut().ok_or_else(finished)?;
        let Some(piece) = self.buffer.get(..bytes) else {
            return Err(JsError::new(&format!(
                "feedBuffer({bytes}) is past the end of the {}-byte input buffer",
                self.buffer.len()
            )));
        };
        session.feed(piece);
        Ok(())
    }

    /// Ends the input and returns the `Report`. The analysis cannot be fed afterwards.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let session = self.session.take().ok_or_else(finished)?;
        self.buffer = Vec::new();
        to_js(&session.finish())
    }
}

impl Analysis {
    fn session(&mut self) -> Result<&mut Session<'static>, JsError> {
        self.session.as_mut().ok_or_else(finished)
    }
}

fn finished() -> JsError {
    JsError::new("this analysis has already finished; start a new one")
}

/// Every rule, for showing a row without a log (deep links). Returns `RuleInfo[]`.
#[wasm_bindgen(js_name = rules, unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsError> {
    with_classifier(|c| {
        let rows: Vec<crate::Row> = c.ruleset().rules.iter().map(|r| r.rule.row(None)).collect();
        to_js(&rows)
    })
}

/// Public ids that no longer name a rule, with the rows that replaced them, so old links keep
/// working. Returns `RetiredId[]`.
#[wasm_bindgen(js_name = retired, unchecked_return_type = "RetiredId[]")]
pub fn retired() -> Result<JsValue, JsError> {
    with_classifier(|c| to_js(&c.ruleset().manifest.retired))
}

/// What the page calls each field and each group of rules, from the rule set's manifest.
/// Returns `Labels`.
#[wasm_bindgen(js_name = labels, unchecked_return_type = "Labels")]
pub fn labels() -> Result<JsValue, JsError> {
    with_classifier(|c| to_js(&c.ruleset().manifest.labels))
}

/// Every kind of secret a report can name, with what to do if a log holding one was sent
/// anywhere. Returns `SecretKind[]`.
#[wasm_bindgen(js_name = secretKinds, unchecked_return_type = "SecretKind[]")]
pub fn secret_kinds() -> Result<JsValue, JsError> {
    to_js(&crate::secret_kinds())
}

/// The text with every identifier and secret replaced by a stable placeholder. Returns
/// `Redacted`.
#[wasm_bindgen(js_name = redactText, unchecked_return_type = "Redacted")]
pub fn redact_text(text: &str) -> Result<JsValue, JsError> {
    to_js(&crate::redact(text))
}

/// A file's bytes (UTF-8 or UTF-16, detected) as text, decoded as a classification reads
/// them, with the file's line endings.
#[wasm_bindgen(js_name = decodeBytes)]
pub fn decode_bytes(bytes: &[u8]) -> String {
    crate::decode(bytes)
}

/// A file's bytes (UTF-8 or UTF-16, detected), decoded and redacted. Returns `Redacted`.
#[wasm_bindgen(js_name = redactBytes, unchecked_return_type = "Redacted")]
pub fn redact_bytes(bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&crate::redact(&crate::decode(bytes)))
}

/// Checks rule files given as `{path: content}` and returns the rule set's info, or an error
/// that names the file, the rule and the fix. Only the authoring build (feature `authoring`)
/// carries the rule loader; the shipped engine answers with an error that says where rules are
/// checked instead.
#[wasm_bindgen(js_name = checkRules, unchecked_return_type = "RulesetInfo")]
pub fn check_rules(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] files: JsValue,
) -> Result<JsValue, JsError> {
    #[cfg(lean)]
    {
        let _ = files;
        Err(JsError::new(NO_RULE_LOADER))
    }
    #[cfg(not(lean))]
    {
        let files: std::collections::BTreeMap<String, String> =
            serde_wasm_bindgen::from_value(files).map_err(|e| {
                JsError::new(&format!("checkRules takes an object of path -> text: {e}"))
            })?;
        let set = RuleSet::from_files(files.iter().map(|(p, c)| (p.as_str(), c.as_str())))
            .map_err(|e| JsError::new(&e.to_string()))?;
        // Compiling is part of checking: the lint reads syntax, the classifier builds it.
        let info = set.info();
        Classifier::new(set).map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&info)
    }
}

/// What `checkRules` says in the shipped engine, which has its rules precompiled.
#[cfg(lean)]
pub const NO_RULE_LOADER: &str = "checkRules needs the authoring build of the engine (cargo \
    feature `authoring`): this engine has its rules precompiled and carries no rule loader. \
    Check rule files with `arc-triage --check-rules DIR`";
