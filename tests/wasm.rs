//! The exported WebAssembly API at its boundary, run in headless Chromium by
//! `wasm-pack test --headless --chrome` (part of `npm test`): the values JavaScript receives, and
//! the errors it gets for bad input. Nothing may trap.
#![cfg(target_arch = "wasm32")]

use arc_triage::wasm::{
    Analysis, Bundle, check_rules, classify_bytes, classify_text, prepare, redact_bytes,
    redact_text, retired, rules,
};
use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PROVIDER: &str = "time=\"2020-09-18T08:12:48Z\" level=fatal msg=\"Failed to AzcmagentConnect ARM resource\" Error=\"The subscription is not registered to use namespace 'Microsoft.HybridCompute'\"";

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        let key = match key.parse::<u32>() {
            Ok(i) => JsValue::from(i),
            Err(_) => JsValue::from_str(key),
        };
        Reflect::get(&v, &key).unwrap_or(JsValue::UNDEFINED)
    })
}

fn error_message(e: wasm_bindgen::JsError) -> String {
    let value: JsValue = e.into();
    get(&value, "message").as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
fn prepare_returns_the_rule_set_identity() {
    let info = prepare().expect("built-in rules load");
    assert!(get(&info, "version").as_string().unwrap().starts_with("20"));
    assert_eq!(get(&info, "hash").as_string().unwrap().len(), 16);
    assert!(get(&info, "rules").as_f64().unwrap() >= 9.0);
}

#[wasm_bindgen_test]
fn classify_text_returns_plain_json_compatible_objects() {
    let report = classify_text(PROVIDER).expect("classifies");
    assert_eq!(get(&report, "matches.0.id"), "provider-not-registered");
    assert_eq!(get(&report, "matches.0.confidence"), "exact");
    assert_eq!(get(&report, "matches.0.lines.0").as_f64(), Some(1.0));
    // Maps arrive as plain objects, not Map; missing values as null, not undefined.
    let fields = get(&report, "matches.0.fields");
    assert_eq!(
        Object::get_prototype_of(&fields),
        Object::get_prototype_of(&Object::new())
    );
    assert_eq!(get(&fields, "namespace"), "Microsoft.HybridCompute");
    assert!(get(&report, "matches.0.evidence.0.lines.0.span").is_object());
    // The whole report survives JSON, as the CLI's --json would print it.
    let text = JSON::stringify(&report).unwrap().as_string().unwrap();
    assert!(text.starts_with("{\"matches\":[{\"id\":\"provider-not-registered\""));
}

#[wasm_bindgen_test]
fn empty_and_hostile_text_give_reports_not_errors() {
    let empty = classify_text("").expect("empty input is fine");
    assert_eq!(Array::from(&get(&empty, "matches")).length(), 0);
    assert!(Array::from(&get(&empty, "notes")).length() > 0);
    let nul = "\0".repeat(10_000) + "<script>alert(1)</script>\u{feff}\u{202e}";
    let report = classify_text(&nul).expect("binary-looking text is fine");
    assert_eq!(Array::from(&get(&report, "matches")).length(), 0);
}

#[wasm_bindgen_test]
fn classify_bytes_detects_utf16_and_counts_invalid_bytes() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in PROVIDER.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let report = classify_bytes(&bytes).expect("classifies");
    assert_eq!(get(&report, "input.encoding"), "utf16le");
    assert_eq!(get(&report, "matches.0.id"), "provider-not-registered");

    let mut broken = PROVIDER.as_bytes().to_vec();
    broken.splice(10..10, [0xC3, 0x28, 0xFF]);
    let report = classify_bytes(&broken).expect("classifies");
    assert!(get(&report, "input.invalid_sequences").as_f64().unwrap() >= 2.0);
}

/// The provider error with French around it, so that cutting it into chunks can cut a
/// multi-byte character (`É`, `—`, `é`).
const PROVIDER_FR: &str = "time=\"2020-09-18T08:12:48Z\" level=fatal msg=\"Échec de la connexion — Failed to AzcmagentConnect ARM resource, réessayez\" Error=\"The subscription is not registered to use namespace 'Microsoft.HybridCompute'\"";

fn json(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn an_analysis_fed_in_pieces_matches_one_call_and_refuses_reuse() {
    let mut analysis = Analysis::new(true).expect("starts");
    // Text arrives in whole characters; split it inside the quoted error.
    let (a, b) = PROVIDER_FR.split_at(PROVIDER_FR.find("registered").unwrap() + 4);
    analysis.feed_text(a).unwrap();
    analysis.feed_text(b).unwrap();
    let report = analysis.finish().expect("finishes");
    assert_eq!(get(&report, "matches.0.id"), "provider-not-registered");
    assert_eq!(json(&report), json(&classify_text(PROVIDER_FR).unwrap()));
    let again = analysis
        .feed_text("more")
        .expect_err("finished analyses refuse input");
    assert!(error_message(again).contains("already finished"));
    let twice = analysis.finish().expect_err("and cannot finish twice");
    assert!(error_message(twice).contains("already finished"));

    // A file arrives in byte chunks that may end inside a character. The first 4 KiB are read
    // whole to detect the encoding, so the cut that matters comes after 100 healthy lines.
    let file = "time=\"2020-09-18T08:12:40Z\" level=info msg=\"heartbeat sent\"\n".repeat(100)
        + PROVIDER_FR;
    assert!(
        (7..file.len())
            .step_by(7)
            .any(|i| i > 4096 && !file.is_char_boundary(i)),
        "some 7-byte chunk past the first 4 KiB must end inside a character"
    );
    let mut bytes = Analysis::new(false).unwrap();
    for chunk in file.as_bytes().chunks(7) {
        bytes.feed(chunk).unwrap();
    }
    let report = bytes.finish().unwrap();
    assert_eq!(get(&report, "matches.0.id"), "provider-not-registered");
    assert_eq!(get(&report, "input.invalid_sequences").as_f64(), Some(0.0));
    let whole = classify_bytes(file.as_bytes()).unwrap();
    let shown = "matches.0.evidence.0.lines.0.text";
    assert_eq!(get(&report, shown), get(&whole, shown));
    assert_eq!(json(&report), json(&whole));
}

/// Writes `bytes` at `address` in this module's memory the way the page does: through a
/// JavaScript view of `memory.buffer`, not through Rust.
fn write_memory(address: usize, bytes: &[u8]) {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().into();
    let view = js_sys::Uint8Array::new_with_byte_offset_and_length(
        &memory.buffer(),
        address as u32,
        bytes.len() as u32,
    );
    view.copy_from(bytes);
}

#[wasm_bindgen_test]
fn an_analysis_fed_through_its_input_buffer_matches_one_call() {
    // Text in 16-byte pieces through one buffer, as engine.js writes it with encodeInto; the
    // buffer is larger than most pieces, so only the fed length may count.
    let mut analysis = Analysis::new(true).unwrap();
    let address = analysis.input_buffer(64).unwrap();
    let mut at = 0;
    while at < PROVIDER_FR.len() {
        let mut end = (at + 16).min(PROVIDER_FR.len());
        while !PROVIDER_FR.is_char_boundary(end) {
            end -= 1;
        }
        write_memory(address, &PROVIDER_FR.as_bytes()[at..end]);
        analysis.feed_buffer(end - at).unwrap();
        at = end;
    }
    let report = analysis.finish().unwrap();
    assert_eq!(json(&report), json(&classify_text(PROVIDER_FR).unwrap()));

    // File bytes the same way.
    let mut bytes = Analysis::new(false).unwrap();
    let address = bytes.input_buffer(100).unwrap();
    for chunk in PROVIDER.as_bytes().chunks(100) {
        write_memory(address, chunk);
        bytes.feed_buffer(chunk.len()).unwrap();
    }
    let report = bytes.finish().unwrap();
    assert_eq!(
        json(&report),
        json(&classify_bytes(PROVIDER.as_bytes()).unwrap())
    );
}

#[wasm_bindgen_test]
fn an_input_buffer_refuses_lengths_past_its_end_and_use_after_finish() {
    let mut analysis = Analysis::new(true).unwrap();
    analysis.input_buffer(16).unwrap();
    let past = analysis
        .feed_buffer(17)
        .expect_err("17 bytes of a 16-byte buffer");
    assert_eq!(
        error_message(past),
        "feedBuffer(17) is past the end of the 16-byte input buffer"
    );
    // Nothing was fed by the refused call, and a buffer never asked for holds nothing.
    let mut empty = Analysis::new(true).unwrap();
    assert!(empty.feed_buffer(1).is_err());
    empty.feed_buffer(0).unwrap();
    analysis.finish().unwrap();
    let after = analysis.input_buffer(16).expect_err("finished");
    assert!(error_message(after).contains("already finished"));
    let fed = analysis.feed_buffer(0).expect_err("finished");
    assert!(error_message(fed).contains("already finished"));
}

#[wasm_bindgen_test]
fn rules_lists_every_rule_with_its_row() {
    let list = Array::from(&rules().expect("lists"));
    let ids: Vec<String> = list
        .iter()
        .map(|r| get(&r, "id").as_string().unwrap())
        .collect();
    for id in [
        "spn-invalid-secret",
        "provider-not-registered",
        "device-flow-failed",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing");
    }
    let stage = list
        .iter()
        .find(|r| get(r, "id") == "spn-invalid-secret")
        .unwrap();
    assert_eq!(get(&stage, "stage"), "spn-token-failed");
    // Every row says where its advice comes from, as links ready to show.
    for r in list.iter() {
        let id = get(&r, "id").as_string().unwrap();
        let sources = Array::from(&get(&r, "sources"));
        assert!(sources.length() > 0, "{id} has no sources");
        let url = get(&sources.get(0), "url").as_string().unwrap();
        assert!(url.starts_with("https://"), "{id}: {url}");
        assert!(get(&r, "checked").as_string().unwrap().starts_with("20"));
    }
}

#[wasm_bindgen_test]
fn retired_ids_say_what_replaced_them() {
    let list = Array::from(&retired().expect("lists"));
    let windows = list
        .iter()
        .find(|r| get(r, "id") == "azcm-install-windows")
        .expect("the old Windows install row is retired, not forgotten");
    let replaced = Array::from(&get(&windows, "replaced_by"));
    assert_eq!(replaced.get(0), "azcm0147");
    assert!(get(&windows, "why").as_string().unwrap().len() > 20);
}

/// The authoring build (`--features authoring`) checks custom rule files as the CLI does.
#[cfg(not(lean))]
#[wasm_bindgen_test]
fn check_rules_names_the_file_the_rule_and_the_fix() {
    let files = Object::new();
    Reflect::set(
        &files,
        &"rules/ruleset.toml".into(),
        &"version = \"2026.01.01\"\n[no_match]\nsteps = [\"Run azcmagent check.\"]\n".into(),
    )
    .unwrap();
    Reflect::set(
        &files,
        &"rules/x/bad-rule.toml".into(),
        &"id = \"bad-rule\"\nkind = \"cause\"\ntitle = \"t\"\nmessage = \"m\"\nerror = \"e\"\ncause = \"c\"\nsolution = \"s\"\ndocs = \"https://learn.microsoft.com/\"\nsource = \"test\"\n[[match]]\nregex = '(unclosed'\n".into(),
    )
    .unwrap();
    let message =
        error_message(check_rules(files.into()).expect_err("a broken pattern is refused"));
    assert!(message.contains("rules/x/bad-rule.toml"), "{message}");
    assert!(message.contains("bad-rule"), "{message}");

    let not_an_object = check_rules(JsValue::from(42)).expect_err("wrong argument type");
    assert!(error_message(not_an_object).contains("object of path -> text"));
}

/// The shipped engine has its rules precompiled and no rule loader: `checkRules` says so and
/// where rules are checked, whatever it is given.
#[cfg(lean)]
#[wasm_bindgen_test]
fn the_lean_engine_refuses_check_rules_and_says_where_to_check() {
    for files in [Object::new().into(), JsValue::from(42)] {
        let message = error_message(check_rules(files).expect_err("no rule loader"));
        assert!(message.contains("authoring build"), "{message}");
        assert!(message.contains("arc-triage --check-rules"), "{message}");
    }
}

#[wasm_bindgen_test]
fn redaction_returns_the_text_and_what_was_replaced_and_survives_garbage() {
    let out = redact_text("--resource-group rg-arc from 10.1.2.3").expect("redacts");
    assert_eq!(
        get(&out, "text"),
        "--resource-group <resource-group-1> from 192.0.2.1"
    );
    assert_eq!(get(&out, "replaced.0.kind"), "resource-group");
    assert_eq!(get(&out, "replaced.1.name"), "IP address");
    // Invalid UTF-8, NULs and a lone UTF-16 surrogate come back as text, not a panic.
    let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let out = redact_bytes(&garbage).expect("garbage is still text");
    assert!(get(&out, "text").as_string().is_some());
    let out = redact_bytes(&[0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]).expect("a lone surrogate");
    assert_eq!(get(&out, "text"), "\u{fffd}A");
}

const LINUX_BUNDLE: &[u8] = include_bytes!("bundle/azcmagent-20201020T152324-web01.zip");

#[wasm_bindgen_test]
fn a_bundle_is_read_through_its_ranges_and_its_logs_checked() {
    let len = LINUX_BUNDLE.len() as f64;
    let slice = |r: Vec<f64>| &LINUX_BUNDLE[r[0] as usize..r[1] as usize];
    let tail = Bundle::tail_range(len);
    assert_eq!(tail, vec![0.0, len], "a small archive is read whole");
    let directory = Bundle::locate(slice(tail), len).expect("found");
    let mut bundle = Bundle::new(slice(directory), len).expect("readable");
    let members = bundle.members().expect("members");
    assert_eq!(
        get(&members, "1.name").as_string().unwrap(),
        "var/opt/azcmagent/log/himds.log"
    );
    assert_eq!(get(&members, "1.method").as_f64(), Some(0.0), "stored");
    assert_eq!(get(&members, "2.skip").as_string().unwrap(), "not a log");
    assert!(get(&members, "0.skip").is_null());
    // The stored himds.log, checked: all of it, then nothing more.
    let header = get(&members, "1.header").as_f64().unwrap() as usize;
    let data = bundle
        .begin(1, &LINUX_BUNDLE[header..header + 30])
        .expect("its data");
    let bytes = slice(data);
    assert_eq!(bundle.accept(bytes), bytes.len());
    assert_eq!(bundle.end(false), None);
    assert_eq!(bundle.end(false), None, "nothing begun");
    bundle.begin(1, &LINUX_BUNDLE[header..header + 30]).unwrap();
    bundle.accept(&bytes[1..]);
    assert!(bundle.end(false).unwrap().starts_with("it ends after"));
    bundle.begin(1, &LINUX_BUNDLE[header..header + 30]).unwrap();
    assert!(
        bundle
            .end(true)
            .unwrap()
            .starts_with("its compressed data is damaged")
    );
    // Bad calls are errors, not traps.
    assert!(error_message(bundle.begin(99, &[]).unwrap_err()).contains("no member 99"));
    assert!(error_message(bundle.begin(0, b"nope").unwrap_err()).contains("its header is missing"));
    assert!(error_message(Bundle::locate(b"not a zip", 9.0).unwrap_err()).contains("cut short"));
    assert!(
        error_message(Bundle::new(b"PK\x01\x02garbage", 1e6).err().unwrap()).contains("damaged")
    );
    assert!(error_message(Bundle::new(b"", 0.0).err().unwrap()).contains("no file"));
}

#[wasm_bindgen_test]
fn an_analysis_of_several_files_names_them() {
    let mut analysis = Analysis::new(false).unwrap();
    analysis.skip_file("agentconfig.json", "not a log").unwrap();
    analysis.begin_file("a/azcmagent.log").unwrap();
    analysis.feed(PROVIDER.as_bytes()).unwrap();
    analysis
        .file_damaged("its checksum does not match")
        .unwrap();
    let report = analysis.finish().unwrap();
    assert_eq!(
        get(&report, "matches.0.evidence.0.lines.0.file")
            .as_string()
            .unwrap(),
        "a/azcmagent.log"
    );
    assert_eq!(
        get(&report, "input.files.0.skipped").as_string().unwrap(),
        "not a log"
    );
    assert_eq!(
        get(&report, "input.files.1.damaged").as_string().unwrap(),
        "its checksum does not match"
    );
    assert!(analysis.begin_file("late.log").is_err(), "finished");
}
