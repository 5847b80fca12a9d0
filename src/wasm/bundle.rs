//! The support bundle for JavaScript: the library reads the archive's directory and checks each
//! log; the page reads the byte ranges it names from the Blob and inflates them with the
//! browser's own `DecompressionStream` (no inflater in the .wasm). Sizes and offsets cross as
//! numbers: exact up to 2^53 bytes.

use crate::bundle::{self, Check, Directory};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One file of an archive, for JavaScript.
#[derive(Serialize)]
struct MemberInfo<'a> {
    name: &'a str,
    /// 0: stored; 8: deflated (`DecompressionStream('deflate-raw')`).
    method: u16,
    size: u64,
    header: u64,
    /// Why it is not read, or null.
    skip: Option<String>,
}

/// An archive being read: its directory, and the check of the log being inflated.
#[wasm_bindgen]
pub struct Bundle {
    directory: Directory,
    len: u64,
    check: Option<Check>,
}

fn fail(e: bundle::BundleError) -> JsError {
    JsError::new(&e.to_string())
}

fn range(r: std::ops::Range<u64>) -> Vec<f64> {
    vec![r.start as f64, r.end as f64]
}

#[wasm_bindgen]
impl Bundle {
    /// `[start, end)` of the bytes at the end of an archive of `len` bytes to read first.
    #[wasm_bindgen(js_name = tailRange)]
    pub fn tail_range(len: f64) -> Vec<f64> {
        range(bundle::tail_range(len as u64))
    }

    /// `[start, end)` of the archive's directory, from the bytes `tailRange` named.
    pub fn locate(tail: &[u8], len: f64) -> Result<Vec<f64>, JsError> {
        bundle::locate(tail, len as u64).map(range).map_err(fail)
    }

    /// Reads the directory's bytes; throws, with what to do, when the archive cannot be read
    /// (damaged, password-protected, too large once inflated, no logs).
    #[wasm_bindgen(constructor)]
    pub fn new(directory: &[u8], len: f64) -> Result<Bundle, JsError> {
        let directory = bundle::directory(directory).map_err(fail)?;
        directory.check().map_err(fail)?;
        Ok(Bundle {
            directory,
            len: len as u64,
            check: None,
        })
    }

    /// Every file: `{name, method, size, header, skip}`, in archive order.
    #[wasm_bindgen(unchecked_return_type = "BundleMember[]")]
    pub fn members(&self) -> Result<JsValue, JsError> {
        let members: Vec<MemberInfo<'_>> = (self.directory.members.iter())
            .map(|m| MemberInfo {
                name: &m.name,
                method: m.method,
                size: m.size,
                header: m.header,
                skip: m.skip.map(bundle::Skip::describe),
            })
            .collect();
        super::to_js(&members)
    }

    /// `[start, end)` of member `i`'s data, given its first 30 bytes; starts checking it.
    pub fn begin(&mut self, i: usize, header: &[u8]) -> Result<Vec<f64>, JsError> {
        let member = (self.directory.members.get(i))
            .ok_or_else(|| JsError::new(&format!("the archive has no member {i}")))?;
        let start = member.data_start(header).map_err(fail)?;
        let data = member.data_range(start, self.len).map_err(fail)?;
        self.check = Some(Check::new(member));
        Ok(range(data))
    }

    /// How many of the next inflated `bytes` to keep; fewer than all of them means the log is
    /// longer than declared: stop reading it.
    pub fn accept(&mut self, bytes: &[u8]) -> usize {
        self.check.as_mut().map_or(0, |c| c.accept(bytes).len())
    }

    /// Ends the log begun last; returns what was wrong with it, or `undefined`.
    /// `inflate_failed`: the browser could not inflate all of it.
    pub fn end(&mut self, inflate_failed: bool) -> Option<String> {
        let check = self.check.take()?;
        if inflate_failed {
            Some(check.inflate_failed())
        } else {
            check.finish()
        }
    }
}
