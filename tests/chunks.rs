//! The same answer however the bytes arrive: real logs in every encoding and line ending the
//! agent's users produce (UTF-8, UTF-16 with or without a mark, CRLF, UTF-16 appended to UTF-8 by
//! PowerShell 5's `>>`, lines longer than the cut), fed in pieces of every size from one byte up,
//! with the batch moved so its edges fall anywhere and the line cut lowered so it is reached: the
//! whole report, byte for byte, equals the one for the input read at once.

use arc_triage::{Classifier, Limits, Report};
use proptest::prelude::*;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin().expect("built-in rules compile"))
}

/// Every fixture and benign log, header lines removed.
fn corpus() -> &'static [String] {
    static LOGS: OnceLock<Vec<String>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let mut logs = Vec::new();
        for dir in ["fixtures", "benign"] {
            let path = format!("{}/tests/{dir}", env!("CARGO_MANIFEST_DIR"));
            let mut names: Vec<_> = std::fs::read_dir(path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            for name in names {
                let text = std::fs::read_to_string(&name).unwrap();
                let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("# ")).collect();
                logs.push(body.join("\n") + "\n");
            }
        }
        logs
    })
}

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// How a log reaches the engine.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Utf8,
    Utf8Bom,
    Utf16 {
        bom: bool,
    },
    /// UTF-8, then the rest appended as UTF-16 by `>>`.
    Appended {
        bom: bool,
    },
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Utf8),
        Just(Shape::Utf8Bom),
        any::<bool>().prop_map(|bom| Shape::Utf16 { bom }),
        any::<bool>().prop_map(|bom| Shape::Appended { bom }),
    ]
}

/// Some logs of the corpus joined, in one shape and line ending, with an endless line if asked.
fn input(logs: &[usize], crlf: bool, long_line: bool, shape: Shape) -> Vec<u8> {
    let corpus = corpus();
    let mut text: String = logs
        .iter()
        .map(|&i| corpus[i % corpus.len()].as_str())
        .collect();
    if long_line {
        let at = text.len() / 2;
        let at = (0..=at)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.insert_str(at, &format!("{}✓ end of a long line\n", "z".repeat(70_000)));
    }
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    match shape {
        Shape::Utf8 => text.into_bytes(),
        Shape::Utf8Bom => [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
        Shape::Utf16 { bom } => utf16le(&text, bom),
        Shape::Appended { bom } => {
            let middle = (0..=text.len() / 2)
                .rev()
                .find(|&i| text.is_char_boundary(i));
            let half = text[..middle.unwrap_or(0)].rfind('\n').map_or(0, |i| i + 1);
            let mut bytes = text.as_bytes()[..half].to_vec();
            bytes.extend(utf16le(&text[half..], bom));
            bytes
        }
    }
}

fn whole(bytes: &[u8]) -> String {
    serde_json::to_string(&classifier().classify_bytes(bytes)).unwrap()
}

/// Fed in pieces whose sizes cycle through `sizes`, under `limits`.
fn pieces(bytes: &[u8], sizes: &[usize], limits: Limits) -> String {
    let mut session = classifier().session_with(limits);
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, after) = rest.split_at(size.min(rest.len()));
        session.feed(piece);
        rest = after;
    }
    let report: Report = session.finish();
    serde_json::to_string(&report).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_report_does_not_depend_on_how_the_bytes_arrive(
        logs in prop::collection::vec(0usize..1000, 1..6),
        crlf in any::<bool>(),
        long_line in prop::bool::weighted(0.2),
        shape in shape(),
        sizes in prop::collection::vec(prop_oneof![1usize..4, 4usize..5000, 4090usize..4100], 1..6),
        batch in prop_oneof![200usize..3000, Just(4 << 20)],
        line_piece in prop_oneof![65_537usize..70_000, Just(1 << 20)],
    ) {
        let bytes = input(&logs, crlf, long_line, shape);
        // Where a line is cut is a limit of its own (a cut line's last piece is a short record);
        // the batch is not: moving it changes nothing.
        let cut_at = Limits { line_piece, ..Limits::default() };
        let expected = pieces(&bytes, &[usize::MAX], cut_at);
        if line_piece == 1 << 20 {
            prop_assert!(expected == whole(&bytes));
        }
        let got = pieces(&bytes, &sizes, Limits { batch, batch_lines: batch / 40 + 1, line_piece });
        prop_assert!(got == expected, "{} bytes, shape {:?}, sizes {:?}, batch {}, piece {}", bytes.len(), shape, sizes, batch, line_piece);
    }
}

#[test]
fn one_byte_at_a_time_gives_the_answer_of_the_whole_for_every_shape() {
    let logs = [0, 7, 19, 33];
    for shape in [
        Shape::Utf8,
        Shape::Utf8Bom,
        Shape::Utf16 { bom: true },
        Shape::Utf16 { bom: false },
        Shape::Appended { bom: true },
        Shape::Appended { bom: false },
    ] {
        for crlf in [false, true] {
            let bytes = input(&logs, crlf, false, shape);
            assert_eq!(
                pieces(&bytes, &[1], Limits::default()),
                whole(&bytes),
                "{shape:?}, crlf {crlf}"
            );
        }
    }
}

#[test]
fn utf16_appended_to_a_utf8_log_is_diagnosed_and_said() {
    let report = classifier().classify_bytes(&input(
        &[0, 1, 2, 3],
        true,
        false,
        Shape::Appended { bom: true },
    ));
    let utf8 = classifier().classify_bytes(&input(&[0, 1, 2, 3], true, false, Shape::Utf8));
    let ids = |r: &Report| {
        r.matches
            .iter()
            .map(|d| d.row.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&report), ids(&utf8), "each part read as what it is");
    assert!(!ids(&report).is_empty());
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("the input is UTF-16 (what Windows PowerShell 5's `>>`")),
        "{:?}",
        report.notes
    );
    assert!(report.input.formats.contains(&arc_triage::Format::Utf16));
}
