//! Lines from bytes: encodings, chunk edges, cut lines and what the facts say.

use super::*;

/// The pieces `chunks` make, as `(line, text, continues the piece before)`, and the facts.
/// Input shorter than the sniffing window is held until `finish`; see [`streamed`].
fn lines_of(chunks: &[&[u8]]) -> (Vec<(u64, String, bool)>, InputFacts) {
    pieces(Lines::new(), chunks)
}

/// Like [`lines_of`], but the encoding is given as UTF-8, so every chunk goes through the line
/// splitter as it is fed, however small: what chunk edges do is really tested.
fn streamed(chunks: &[&[u8]]) -> (Vec<(u64, String, bool)>, InputFacts) {
    let mut lines = Lines::new();
    lines.assume(Encoding::Utf8);
    pieces(lines, chunks)
}

fn pieces(mut lines: Lines, chunks: &[&[u8]]) -> (Vec<(u64, String, bool)>, InputFacts) {
    let mut out = Vec::new();
    // A piece continues a cut line when it carries the line number of the piece before.
    let mut last = 0;
    let mut emit = |p: Piece<'_>| {
        out.push((p.line, p.text.to_string(), p.line == last));
        last = p.line;
    };
    for c in chunks {
        lines.feed(c, &mut emit);
    }
    lines.finish(&mut emit);
    let facts = lines.facts().clone();
    (out, facts)
}

#[test]
fn splits_on_lf_crlf_and_lone_cr_across_chunks() {
    // A CR ending one chunk and the LF starting the next are one line break.
    let (out, facts) = streamed(&[b"a\r", b"\nb\rc\n", b"d"]);
    let texts: Vec<_> = out.iter().map(|(n, t, _)| (*n, t.as_str())).collect();
    assert_eq!(texts, vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
    assert!(facts.crlf);
    assert_eq!(facts.lines, 4);
}

#[test]
fn utf16le_with_and_without_bom() {
    let text = "line one\r\nline two ✓\r\n";
    let mut le: Vec<u8> = vec![0xff, 0xfe];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    // Odd chunk sizes split code units across feeds.
    let chunks: Vec<&[u8]> = le.chunks(3).collect();
    let (out, facts) = lines_of(&chunks);
    assert_eq!(facts.encoding, Some(Encoding::Utf16le));
    assert_eq!(out[1].1, "line two ✓");
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (out, facts) = lines_of(&[&bare]);
    assert_eq!(facts.encoding, Some(Encoding::Utf16le));
    assert_eq!(out[0].1, "line one");
}

#[test]
fn a_byte_order_mark_followed_by_utf8_text_is_not_utf16() {
    let (out, facts) = lines_of(&[b"\xff\xfe binary junk, then a UTF-8 log line\nsecond\n"]);
    assert_eq!(facts.encoding, Some(Encoding::Utf8));
    assert_eq!(out[1].1, "second");
    assert_eq!(facts.invalid_sequences, 2);
}

#[test]
fn invalid_utf8_is_replaced_and_counted() {
    let (out, facts) = streamed(&[b"ok \xff\xfe end\n\xe2\x9c", b"\x93 split\n"]);
    assert_eq!(out[0].1, "ok \u{fffd}\u{fffd} end");
    assert_eq!(
        out[1].1, "✓ split",
        "a character split across chunks survives"
    );
    assert_eq!(facts.invalid_sequences, 2);
}

#[test]
fn endless_line_is_cut_into_pieces_with_one_number() {
    let long = vec![b'x'; MAX_LINE_PIECE * 2 + 10];
    let (out, facts) = lines_of(&[&long, b"\nnext"]);
    assert_eq!(out.len(), 4);
    assert!(out[..3].iter().all(|(n, _, _)| *n == 1));
    assert_eq!((out[1].2, out[3].0), (true, 2));
    assert_eq!(facts.lines, 2);
}

#[test]
fn text_given_as_utf8_is_never_sniffed() {
    // NULs every other byte would make a sniffed input UTF-16.
    let (out, facts) = streamed(&[b"E\0R\0R\0O\0R\0:\0 \0x\0\n"]);
    assert_eq!(facts.encoding, Some(Encoding::Utf8));
    assert_eq!(out[0].1, "E\0R\0R\0O\0R\0:\0 \0x\0");
}

#[test]
fn the_encoding_waits_for_enough_bytes_when_fed_one_at_a_time() {
    let text = "ERROR first\nsecond line\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let chunks: Vec<&[u8]> = le.chunks(1).collect();
    let (out, facts) = lines_of(&chunks);
    assert_eq!(facts.encoding, Some(Encoding::Utf16le));
    let texts: Vec<&str> = out.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(texts, ["ERROR first", "second line"]);
}

#[test]
fn utf16_big_endian_loses_its_byte_order_mark_too() {
    let mut be: Vec<u8> = vec![0xfe, 0xff];
    be.extend("one\ntwo\n".encode_utf16().flat_map(u16::to_be_bytes));
    let (out, facts) = lines_of(&[&be]);
    assert_eq!(facts.encoding, Some(Encoding::Utf16be));
    assert_eq!(out[0].1, "one");
}

#[test]
fn invalid_utf16_is_counted_in_the_middle_and_at_the_end() {
    let mut le: Vec<u8> = vec![0xff, 0xfe];
    le.extend("ok ".encode_utf16().flat_map(u16::to_le_bytes));
    le.extend(0xd800u16.to_le_bytes()); // a high surrogate with no low one after it
    le.extend("a\n".encode_utf16().flat_map(u16::to_le_bytes));
    le.push(b'z'); // half a code unit at the very end
    let (out, facts) = lines_of(&[&le]);
    assert_eq!(out[0].1, "ok \u{fffd}a");
    assert_eq!(facts.invalid_sequences, 2);
}

#[test]
fn a_line_begun_in_one_chunk_ends_in_the_next() {
    let (out, _) = streamed(&[b"ab", b"c\nd\n"]);
    let texts: Vec<_> = out.iter().map(|(n, t, c)| (*n, t.as_str(), *c)).collect();
    assert_eq!(texts, [(1, "abc", false), (2, "d", false)]);
}

#[test]
fn an_endless_line_is_cut_even_when_its_end_is_in_the_same_chunk() {
    let mut bytes = vec![b'x'; MAX_LINE_PIECE * 2 + 10];
    bytes.extend_from_slice(b"\nnext\n");
    let (out, _) = streamed(&[&bytes]);
    let shape: Vec<_> = out.iter().map(|(n, t, c)| (*n, t.len(), *c)).collect();
    assert_eq!(
        shape,
        [
            (1, MAX_LINE_PIECE, false),
            (1, MAX_LINE_PIECE, true),
            (1, 10, true),
            (2, 4, false)
        ]
    );
}

#[test]
fn a_line_of_exactly_the_limit_is_one_piece() {
    let line = vec![b'x'; MAX_LINE_PIECE];
    let (out, facts) = streamed(&[&line[..10], &line[10..], b"\nnext"]);
    let shape: Vec<_> = out.iter().map(|(n, t, c)| (*n, t.len(), *c)).collect();
    assert_eq!(shape, [(1, MAX_LINE_PIECE, false), (2, 4, false)]);
    assert_eq!(facts.lines, 2);
}

#[test]
fn a_cut_counts_what_earlier_chunks_left_pending() {
    let (out, _) = streamed(&[&vec![b'x'; MAX_LINE_PIECE - 10], &[b'y'; 30], b"\n"]);
    let first = format!("{}{}", "x".repeat(MAX_LINE_PIECE - 10), "y".repeat(10));
    let texts: Vec<_> = out.iter().map(|(n, t, c)| (*n, t.clone(), *c)).collect();
    assert_eq!(texts, [(1, first, false), (1, "y".repeat(20), true)]);
}

#[test]
fn a_cut_never_splits_a_character() {
    // `a` then two-byte characters: the limit falls inside one, so the cut moves before it.
    let line = format!("a{}", "é".repeat(MAX_LINE_PIECE / 2));
    let (out, facts) = streamed(&[line.as_bytes(), b"\n"]);
    assert_eq!(facts.invalid_sequences, 0);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].1.len(), MAX_LINE_PIECE - 1);
    assert_eq!(format!("{}{}", out[0].1, out[1].1), line);
}

#[test]
fn notes_say_how_the_input_was_read() {
    let facts = |bytes, lines, invalid_sequences| InputFacts {
        bytes,
        lines,
        invalid_sequences,
        ..InputFacts::default()
    };
    assert_eq!(
        facts(20, 1, 1).notes(true),
        ["1 invalid text sequence was replaced with \u{fffd}; everything else was read normally."]
    );
    assert!(facts(20, 1, 3).notes(true)[0].starts_with("3 invalid text sequences were"));
    assert_eq!(facts(20, 1, 0).notes(false), Vec::<String>::new());
    let short = ["The input is very short; paste the whole error output."];
    assert_eq!(facts(7, 1, 0).notes(false), short);
    assert_eq!(facts(8, 1, 0).notes(false), Vec::<String>::new());
    assert_eq!(facts(7, 1, 0).notes(true), Vec::<String>::new());
    assert!(facts(0, 0, 0).notes(false)[0].starts_with("The input is empty."));
    // A byte-order mark alone (3 bytes, no line) is empty too, not "very short".
    let bom_only = facts(3, 0, 0).notes(false);
    assert_eq!(bom_only.len(), 1);
    assert!(bom_only[0].starts_with("The input is empty."));
}

#[test]
fn an_endless_run_of_invalid_bytes_is_still_cut() {
    // Nothing but UTF-8 continuation bytes: no character boundary to move the cut to.
    let junk = vec![0x80u8; MAX_LINE_PIECE + 5];
    let (out, facts) = streamed(&[&junk, b"\n"]);
    let shape: Vec<_> = out.iter().map(|(n, _, c)| (*n, *c)).collect();
    assert_eq!(shape, [(1, false), (1, true)]);
    assert_eq!(facts.invalid_sequences, MAX_LINE_PIECE as u64 + 5);
}

/// Every line piece `bytes` make when fed in pieces of `size` (0: whole), and the facts.
fn cut(bytes: &[u8], size: usize, limit: usize) -> (Vec<(u64, String, bool)>, InputFacts) {
    let mut lines = Lines::new();
    lines.set_piece_limit(limit);
    let chunks: Vec<&[u8]> = if size == 0 {
        vec![bytes]
    } else {
        bytes.chunks(size).collect()
    };
    pieces(lines, &chunks)
}

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// The same lines and facts whatever the chunk size, as when read whole.
fn same_whatever_the_cut(bytes: &[u8], limit: usize) -> (Vec<(u64, String, bool)>, InputFacts) {
    let whole = cut(bytes, 0, limit);
    for size in [1, 2, 3, 7, 15, 16, 17, 1000, 4095, 4096, 4097] {
        assert_eq!(cut(bytes, size, limit), whole, "pieces of {size} bytes");
    }
    whole
}

#[test]
fn utf16_crlf_read_a_byte_at_a_time_is_one_line_break() {
    // Longer than the sniffing window, so the pieces really stream through the decoder.
    let bytes = utf16le(&"first\r\nsecond\r\n\r\nfourth\r\n".repeat(200), true);
    assert!(bytes.len() > SNIFF_LEN * 2);
    let (out, facts) = same_whatever_the_cut(&bytes, MAX_LINE_PIECE);
    let texts: Vec<(u64, &str)> = out[796..]
        .iter()
        .map(|(n, t, _)| (*n, t.as_str()))
        .collect();
    assert_eq!(
        texts,
        [(797, "first"), (798, "second"), (799, ""), (800, "fourth")]
    );
    assert!(facts.crlf);
    assert_eq!(facts.lines, 800);
}

#[test]
fn the_encoding_is_decided_on_the_same_first_bytes_however_they_arrive() {
    // 4,000 bytes of UTF-8, then UTF-16: the first 4,096 bytes decide (UTF-8), whether the reads
    // bring 4,096 bytes or 5,000 at a time.
    let mut bytes = "x".repeat(3999).into_bytes();
    bytes.push(b'\n');
    bytes.extend(utf16le(&"ERROR in UTF-16\r\n".repeat(40), false));
    let (_, facts) = same_whatever_the_cut(&bytes, MAX_LINE_PIECE);
    assert_eq!(facts.encoding, Some(Encoding::Utf8));
    assert_eq!(cut(&bytes, 5000, MAX_LINE_PIECE).1, facts);
}

#[test]
fn utf16_appended_to_utf8_is_read_as_utf16_from_where_it_starts() {
    // What `>>` in Windows PowerShell 5 does to a UTF-8 log: UTF-16 LE appended, here with a
    // byte-order mark, after more than the sniffing window of UTF-8.
    let head = "time=\"2024-01-01T00:00:00Z\" level=info msg=\"one line of UTF-8\"\n".repeat(80);
    let mut bytes = head.clone().into_bytes();
    bytes.extend(utf16le(
        "PS C:\\> azcmagent show\r\nAgent Status : Disconnected ✓\r\n",
        true,
    ));
    let (out, facts) = same_whatever_the_cut(&bytes, MAX_LINE_PIECE);
    assert_eq!(facts.encoding, Some(Encoding::Utf8));
    assert_eq!(facts.utf16_from_line, Some(81));
    let tail: Vec<&str> = out[80..].iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        tail,
        ["PS C:\\> azcmagent show", "Agent Status : Disconnected ✓"]
    );
    assert_eq!(facts.lines, 82);
    assert_eq!(facts.invalid_sequences, 0, "the byte-order mark is dropped");
    assert!(facts.notes(true)[0].starts_with("From line 81 on, the input is UTF-16"));
    // Without a mark, and starting with an empty line, as appended output often does.
    let mut bare = head.into_bytes();
    bare.extend(utf16le("\r\nAgent Status : Connected\r\n", false));
    let (out, facts) = same_whatever_the_cut(&bare, MAX_LINE_PIECE);
    let tail: Vec<&str> = out[80..].iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(tail, ["", "Agent Status : Connected"]);
    assert_eq!(facts.utf16_from_line, Some(81));
}

#[test]
fn utf8_without_zero_bytes_never_turns_into_utf16() {
    let text = "é✓ ordinary text, Ünïcödé included\r\n".repeat(300);
    let (out, facts) = same_whatever_the_cut(text.as_bytes(), MAX_LINE_PIECE);
    assert_eq!(facts.utf16_from_line, None);
    assert_eq!(out.len(), 300);
    // Zero bytes that are not UTF-16 text (binary) do not switch either.
    let binary: Vec<u8> = (0..6000u32).map(|i| (i * 37 % 251) as u8).collect();
    assert_eq!(
        same_whatever_the_cut(&binary, MAX_LINE_PIECE)
            .1
            .utf16_from_line,
        None
    );
}

#[test]
fn a_line_too_long_is_cut_at_the_same_byte_however_it_arrives() {
    // A three-byte character straddles the cut: the piece ends before it, in every chunking.
    let line = format!("{}✓✓✓ and more text after the cut\n", "a".repeat(4998));
    let (out, _) = same_whatever_the_cut(line.as_bytes(), 5000);
    assert_eq!(out[0], (1, "a".repeat(4998), false));
    assert!(out[1].1.starts_with("✓✓"), "{:?}", &out[1].1[..10]);
    assert!(out[1].2, "the next piece continues line 1");
    // Not UTF-8 where the cut falls: cut at the limit exactly.
    let mut junk = vec![b'a'; 4997];
    junk.extend([0x80; 10]);
    let (out, facts) = same_whatever_the_cut(&junk, 5000);
    assert_eq!(out[0].1.chars().count(), 4997 + 3);
    assert_eq!(facts.invalid_sequences, 10);
}
