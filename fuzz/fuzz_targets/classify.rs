//! Any bytes, fed whole or in pieces of any size: never a panic, and the pieces give the same
//! report as the whole, byte for byte (the page feeds big files in slices, a pipe brings them in
//! reads of any size). The first two bytes choose the piece size and the batch, so the fuzzer
//! moves both edges; the seeds (`node scripts/fuzz-seeds.mjs`) are real logs larger than the
//! 4 KB the encoding is decided on, in UTF-8, UTF-16 and UTF-16 appended to UTF-8.
#![no_main]

use arc_triage::{Classifier, Limits};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::builtin().expect("built-in rules load"));

fuzz_target!(|data: &[u8]| {
    let [piece, batch, input @ ..] = data else {
        return;
    };
    let whole = serde_json::to_string(&CLASSIFIER.classify_bytes(input)).unwrap();
    let limits = Limits {
        batch: 64 + usize::from(*batch) * 64,
        batch_lines: 1 + usize::from(*batch),
        ..Limits::default()
    };
    let mut session = CLASSIFIER.session_with(limits);
    // Piece sizes 1..=256, and 4,090..=4,100 around the sniffing window.
    let size = match *piece {
        p @ 0..=244 => usize::from(p) + 1,
        p => 4090 + usize::from(p - 245),
    };
    for chunk in input.chunks(size) {
        session.feed(chunk);
    }
    let pieces = serde_json::to_string(&session.finish()).unwrap();
    assert!(whole == pieces, "how the bytes arrived changed the report");
    if let Ok(text) = std::str::from_utf8(input) {
        let _ = CLASSIFIER.classify(text);
    }
});
