//! Any bytes, fed whole or in pieces of any size: never a panic, and the pieces give the same
//! report as the whole (the page feeds big files in chunks).
#![no_main]

use arc_triage::Classifier;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::builtin().expect("built-in rules load"));

fuzz_target!(|data: &[u8]| {
    let Some((&split, input)) = data.split_first() else {
        return;
    };
    let whole = CLASSIFIER.classify_bytes(input);
    let mut session = CLASSIFIER.session();
    for chunk in input.chunks(usize::from(split).max(1)) {
        session.feed(chunk);
    }
    let pieces = session.finish();
    let ids = |r: &arc_triage::Report| -> Vec<(String, Vec<u64>)> {
        r.matches
            .iter()
            .map(|d| (d.id.clone(), d.lines.clone()))
            .collect()
    };
    assert_eq!(ids(&whole), ids(&pieces), "chunking changed the answer");
    assert_eq!(whole.input.lines, pieces.input.lines);
    if let Ok(text) = std::str::from_utf8(input) {
        let _ = CLASSIFIER.classify(text);
    }
});
