//! Sniffing at its thresholds, and what the UTF-16 decoder owes at the end.

use super::*;

fn encoding_of(head: &[u8]) -> Encoding {
    sniff(head).encoding
}

/// `pairs` code units, `zero_first` of them zero in their first byte only, `zero_second` zero in
/// their second byte only, the rest ASCII letters in both bytes.
fn pairs_with_zeros(pairs: usize, zero_first: usize, zero_second: usize) -> Vec<u8> {
    (0..pairs)
        .flat_map(|i| match i {
            i if i < zero_first => [0, b'a'],
            i if i < zero_first + zero_second => [b'a', 0],
            _ => [b'a', b'b'],
        })
        .collect()
}

fn with_mark(mark: [u8; 2], rest: &[u8]) -> Vec<u8> {
    let mut bytes = mark.to_vec();
    bytes.extend_from_slice(rest);
    bytes
}

const LE_MARK: [u8; 2] = [0xff, 0xfe];
const BE_MARK: [u8; 2] = [0xfe, 0xff];

#[test]
fn short_plain_text_is_utf8() {
    assert_eq!(encoding_of(b"hello"), Encoding::Utf8);
    assert_eq!(encoding_of(b"h"), Encoding::Utf8);
    assert_eq!(encoding_of(b""), Encoding::Utf8);
}

#[test]
fn nul_bytes_are_only_reported_in_utf8_text() {
    assert!(sniff(b"abc\0def").nul_bytes);
    assert!(!sniff(b"abcdef").nul_bytes);
    let le: Vec<u8> = "sixteen bytes!!!"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let sniffed = sniff(&le);
    assert_eq!(sniffed.encoding, Encoding::Utf16le);
    assert!(!sniffed.nul_bytes);
}

#[test]
fn a_zip_archive_is_recognised_by_its_signature() {
    assert!(sniff(b"PK\x03\x04rest of the archive").zip);
    assert!(!sniff(b"PK\x05\x06").zip);
}

#[test]
fn a_mark_followed_by_fewer_than_eight_units_is_trusted() {
    // Too little to check: the mark decides, whatever follows it.
    assert_eq!(encoding_of(&with_mark(LE_MARK, b"abcd")), Encoding::Utf16le);
    assert_eq!(encoding_of(&with_mark(BE_MARK, b"abcd")), Encoding::Utf16be);
    let seven = pairs_with_zeros(7, 0, 0);
    assert_eq!(encoding_of(&with_mark(LE_MARK, &seven)), Encoding::Utf16le);
}

#[test]
fn a_mark_followed_by_eight_units_without_zeros_is_not_trusted() {
    let eight = pairs_with_zeros(8, 0, 0);
    assert_eq!(encoding_of(&with_mark(LE_MARK, &eight)), Encoding::Utf8);
    assert_eq!(encoding_of(&with_mark(BE_MARK, &eight)), Encoding::Utf8);
}

#[test]
fn a_mark_needs_a_zero_in_one_unit_of_five() {
    // Little-endian ASCII has its zero second; big-endian first.
    let le_two_in_ten = pairs_with_zeros(10, 0, 2);
    assert_eq!(
        encoding_of(&with_mark(LE_MARK, &le_two_in_ten)),
        Encoding::Utf16le
    );
    let le_one_in_ten = pairs_with_zeros(10, 0, 1);
    assert_eq!(
        encoding_of(&with_mark(LE_MARK, &le_one_in_ten)),
        Encoding::Utf8
    );
    let be_two_in_ten = pairs_with_zeros(10, 2, 0);
    assert_eq!(
        encoding_of(&with_mark(BE_MARK, &be_two_in_ten)),
        Encoding::Utf16be
    );
    // Zeros in the wrong half of each unit do not confirm the mark.
    assert_eq!(
        encoding_of(&with_mark(BE_MARK, &le_two_in_ten)),
        Encoding::Utf8
    );
}

#[test]
fn without_a_mark_fewer_than_eight_units_stay_utf8() {
    assert_eq!(encoding_of(b"a\0b\0c\0"), Encoding::Utf8);
    assert_eq!(encoding_of(&pairs_with_zeros(7, 0, 7)), Encoding::Utf8);
    assert_eq!(encoding_of(&pairs_with_zeros(7, 7, 0)), Encoding::Utf8);
}

#[test]
fn without_a_mark_eight_units_of_ascii_are_enough() {
    assert_eq!(encoding_of(&pairs_with_zeros(8, 0, 8)), Encoding::Utf16le);
    assert_eq!(encoding_of(&pairs_with_zeros(8, 8, 0)), Encoding::Utf16be);
}

#[test]
fn without_a_mark_seven_zeros_in_ten_units_make_utf16() {
    assert_eq!(encoding_of(&pairs_with_zeros(10, 0, 7)), Encoding::Utf16le);
    assert_eq!(encoding_of(&pairs_with_zeros(10, 0, 6)), Encoding::Utf8);
    assert_eq!(encoding_of(&pairs_with_zeros(10, 7, 0)), Encoding::Utf16be);
    assert_eq!(encoding_of(&pairs_with_zeros(10, 6, 0)), Encoding::Utf8);
}

#[test]
fn without_a_mark_one_zero_in_ten_on_the_other_side_is_too_many() {
    // Nine zeros on the expected side, one on the other: not clean enough to be UTF-16.
    assert_eq!(encoding_of(&pairs_with_zeros(10, 1, 9)), Encoding::Utf8);
    assert_eq!(encoding_of(&pairs_with_zeros(10, 9, 1)), Encoding::Utf8);
    // With twenty units one stray zero is under a tenth.
    assert_eq!(encoding_of(&pairs_with_zeros(20, 1, 19)), Encoding::Utf16le);
    assert_eq!(encoding_of(&pairs_with_zeros(20, 19, 1)), Encoding::Utf16be);
}

#[test]
fn finishing_with_nothing_left_adds_nothing() {
    let mut decoder = Utf16Decoder::new(Encoding::Utf16le);
    let mut out = Vec::new();
    assert_eq!(decoder.decode(&[b'a', 0], &mut out), 0);
    assert_eq!(decoder.finish(&mut out), 0);
    assert_eq!(out, b"a");
}

#[test]
fn finishing_after_a_lone_surrogate_and_half_a_unit_replaces_both() {
    let mut decoder = Utf16Decoder::new(Encoding::Utf16le);
    let mut out = Vec::new();
    // 0xd83d is a high surrogate; the odd 0x41 is half of the next unit.
    assert_eq!(decoder.decode(&[b'a', 0, 0x3d, 0xd8, 0x41], &mut out), 0);
    assert_eq!(out, b"a");
    assert_eq!(decoder.finish(&mut out), 2);
    assert_eq!(String::from_utf8(out).unwrap(), "a\u{fffd}\u{fffd}");
    // Finishing again owes nothing.
    let mut again = Vec::new();
    assert_eq!(decoder.finish(&mut again), 0);
    assert!(again.is_empty());
}

#[test]
fn finishing_after_only_half_a_unit_replaces_it_once() {
    let mut decoder = Utf16Decoder::new(Encoding::Utf16be);
    let mut out = Vec::new();
    assert_eq!(decoder.decode(&[0, b'a', 0], &mut out), 0);
    assert_eq!(decoder.finish(&mut out), 1);
    assert_eq!(String::from_utf8(out).unwrap(), "a\u{fffd}");
}
