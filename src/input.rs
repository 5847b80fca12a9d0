//! From bytes to lines: encoding detection, lossy decoding and line splitting, fed in chunks so a
//! file of any size streams through in bounded memory.

use serde::Serialize;

/// The encoding the input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf16le,
    Utf16be,
}

/// A physical line longer than this is cut into pieces that keep its line number, so one
/// endless line cannot hold the whole input in memory.
pub const MAX_LINE_PIECE: usize = 1 << 20;

/// How much is looked at before deciding the encoding.
const SNIFF_LEN: usize = 4096;

/// A piece of one physical line, handed to the consumer of [`Lines`].
pub struct Piece<'a> {
    pub text: &'a str,
    /// 1-based number of the physical line in the original input.
    pub line: u64,
    /// This piece continues a physical line cut at [`MAX_LINE_PIECE`].
    pub cut: bool,
}

/// What was learned about the bytes as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputFacts {
    pub bytes: u64,
    pub lines: u64,
    pub encoding: Option<Encoding>,
    /// Invalid byte sequences replaced by U+FFFD.
    pub invalid_sequences: u64,
    pub crlf: bool,
    pub nul_bytes: bool,
    pub zip: bool,
}

/// Decodes chunks of bytes and splits them into lines.
#[derive(Debug, Default)]
pub struct Lines {
    facts: InputFacts,
    sniff: Vec<u8>,
    decided: bool,
    /// Bytes of the current line not yet complete (UTF-8, possibly invalid).
    pending: Vec<u8>,
    /// A trailing `\r` whose meaning depends on the next byte.
    pending_cr: bool,
    /// UTF-16: an odd byte left from the last chunk, and an unpaired high surrogate.
    odd_byte: Option<u8>,
    high_surrogate: Option<u16>,
    utf16_buf: Vec<u8>,
    line: u64,
    piece_continues: bool,
    text_buf: String,
    /// No decoded byte has been split into lines yet (a byte-order mark may follow).
    at_start: bool,
}

impl Lines {
    pub fn new() -> Self {
        Lines {
            at_start: true,
            ..Self::default()
        }
    }

    /// Skips detection: the caller knows the encoding (text from a `str` is UTF-8).
    pub fn assume(&mut self, encoding: Encoding) {
        self.facts.encoding = Some(encoding);
        self.decided = true;
    }

    pub fn facts(&self) -> &InputFacts {
        &self.facts
    }

    /// Feeds bytes; calls `emit` for every complete line piece.
    pub fn feed(&mut self, bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        self.facts.bytes += bytes.len() as u64;
        if !self.decided {
            if self.sniff.is_empty() && bytes.len() >= SNIFF_LEN {
                // Enough to decide without copying anything.
                self.decide(&bytes[..SNIFF_LEN]);
                self.push_decoded(bytes, emit);
                return;
            }
            self.sniff.extend_from_slice(bytes);
            if self.sniff.len() < SNIFF_LEN {
                return;
            }
            let sniffed = std::mem::take(&mut self.sniff);
            self.decide(&sniffed);
            self.push_decoded(&sniffed, emit);
            return;
        }
        self.push_decoded(bytes, emit);
    }

    /// Ends the input; emits the last line if it had no terminator.
    pub fn finish(&mut self, emit: &mut dyn FnMut(Piece<'_>)) {
        if !self.decided {
            let sniffed = std::mem::take(&mut self.sniff);
            self.decide(&sniffed);
            self.push_decoded(&sniffed, emit);
        }
        if let Some(_odd) = self.odd_byte.take() {
            self.facts.invalid_sequences += 1;
            self.pending.extend_from_slice("\u{fffd}".as_bytes());
        }
        if self.high_surrogate.take().is_some() {
            self.facts.invalid_sequences += 1;
            self.pending.extend_from_slice("\u{fffd}".as_bytes());
        }
        if !self.pending.is_empty() || self.piece_continues {
            self.emit_line(emit, false);
        }
        self.facts.lines = self.line;
    }

    fn decide(&mut self, head: &[u8]) {
        let encoding = if head.starts_with(&[0xff, 0xfe]) && bom_confirmed(&head[2..], 1) {
            Encoding::Utf16le
        } else if head.starts_with(&[0xfe, 0xff]) && bom_confirmed(&head[2..], 0) {
            Encoding::Utf16be
        } else if let Some(e) = utf16_without_bom(head) {
            e
        } else {
            Encoding::Utf8
        };
        self.facts.encoding = Some(encoding);
        self.facts.zip = head.starts_with(b"PK\x03\x04");
        if encoding == Encoding::Utf8 {
            self.facts.nul_bytes = memchr::memchr(0, head).is_some();
        }
        self.decided = true;
    }

    fn push_decoded(&mut self, bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        match self.facts.encoding {
            Some(Encoding::Utf16le) | Some(Encoding::Utf16be) => {
                let mut buf = std::mem::take(&mut self.utf16_buf);
                buf.clear();
                self.transcode_utf16(bytes, &mut buf);
                self.split(&buf, emit);
                self.utf16_buf = buf;
            }
            _ => {
                let bytes = if std::mem::take(&mut self.at_start) {
                    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
                } else {
                    bytes
                };
                self.split(bytes, emit);
            }
        }
    }

    fn transcode_utf16(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let big_endian = self.facts.encoding == Some(Encoding::Utf16be);
        let mut i = 0;
        if std::mem::take(&mut self.at_start)
            && (bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]))
        {
            i = 2;
        }
        let unit_at = |i: &mut usize, odd: &mut Option<u8>| -> Option<u16> {
            let pair = match odd.take() {
                Some(first) => [first, *bytes.get(*i)?],
                None => [*bytes.get(*i)?, *bytes.get(*i + 1)?],
            };
            Some(if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            })
        };
        let mut odd = self.odd_byte.take();
        loop {
            let had_odd = odd.is_some();
            let Some(unit) = unit_at(&mut i, &mut odd) else {
                if i < bytes.len() {
                    odd = Some(bytes[i]);
                }
                break;
            };
            i += if had_odd { 1 } else { 2 };
            match (self.high_surrogate.take(), unit) {
                (Some(high), 0xdc00..=0xdfff) => {
                    let c =
                        0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                    push_char(out, char::from_u32(c).unwrap_or('\u{fffd}'));
                }
                (high, 0xd800..=0xdbff) => {
                    if high.is_some() {
                        self.facts.invalid_sequences += 1;
                        push_char(out, '\u{fffd}');
                    }
                    self.high_surrogate = Some(unit);
                }
                (high, unit) => {
                    if high.is_some() {
                        self.facts.invalid_sequences += 1;
                        push_char(out, '\u{fffd}');
                    }
                    match char::from_u32(u32::from(unit)) {
                        Some(c) => push_char(out, c),
                        None => {
                            self.facts.invalid_sequences += 1;
                            push_char(out, '\u{fffd}');
                        }
                    }
                }
            }
        }
        self.odd_byte = odd;
    }

    fn split(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        if self.pending_cr {
            self.pending_cr = false;
            if bytes.first() == Some(&b'\n') {
                bytes = &bytes[1..];
                self.facts.crlf = true;
            }
        }
        while let Some(i) = memchr::memchr2(b'\n', b'\r', bytes) {
            if self.pending.is_empty() && !self.piece_continues && i <= MAX_LINE_PIECE {
                // The whole line is in this chunk: hand it over without copying.
                self.emit_bytes(&bytes[..i], emit, false);
            } else {
                self.append_pending(&bytes[..i], emit);
                self.emit_line(emit, false);
            }
            if bytes[i] == b'\r' {
                match bytes.get(i + 1) {
                    Some(b'\n') => {
                        self.facts.crlf = true;
                        bytes = &bytes[i + 2..];
                        continue;
                    }
                    None => self.pending_cr = true,
                    Some(_) => {}
                }
            }
            bytes = &bytes[i + 1..];
        }
        self.append_pending(bytes, emit);
    }

    fn append_pending(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        while self.pending.len() + bytes.len() > MAX_LINE_PIECE {
            let room = MAX_LINE_PIECE - self.pending.len();
            // Cut before a UTF-8 continuation byte never splits a character.
            let mut cut = room.min(bytes.len());
            while cut > 0 && cut < bytes.len() && (bytes[cut] & 0xc0) == 0x80 {
                cut -= 1;
            }
            if cut == 0 && self.pending.is_empty() {
                cut = room.min(bytes.len());
            }
            self.pending.extend_from_slice(&bytes[..cut]);
            bytes = &bytes[cut..];
            self.emit_line(emit, true);
        }
        self.pending.extend_from_slice(bytes);
    }

    fn emit_line(&mut self, emit: &mut dyn FnMut(Piece<'_>), cut_here: bool) {
        let pending = std::mem::take(&mut self.pending);
        self.emit_bytes(&pending, emit, cut_here);
        self.pending = pending;
        self.pending.clear();
    }

    fn emit_bytes(&mut self, bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>), cut_here: bool) {
        let cut = self.piece_continues;
        if !cut {
            self.line += 1;
        }
        match std::str::from_utf8(bytes) {
            // The common case: valid UTF-8 is handed over as it is.
            Ok(text) => emit(Piece {
                text,
                line: self.line,
                cut,
            }),
            Err(_) => {
                let mut text = std::mem::take(&mut self.text_buf);
                text.clear();
                self.facts.invalid_sequences += decode_lossy_into(bytes, &mut text);
                emit(Piece {
                    text: &text,
                    line: self.line,
                    cut,
                });
                self.text_buf = text;
            }
        }
        self.piece_continues = cut_here;
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Decodes UTF-8, replacing each invalid sequence with U+FFFD; returns how many were replaced.
fn decode_lossy_into(mut bytes: &[u8], out: &mut String) -> u64 {
    let mut replaced = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return replaced;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                // `valid_up_to` guarantees this prefix is UTF-8.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                replaced += 1;
                bytes = match e.error_len() {
                    Some(n) => &rest[n..],
                    None => return replaced,
                };
            }
        }
    }
}

/// A byte-order mark is two bytes that binary data or a mangled file can start with too. Logs are
/// mostly ASCII, so real UTF-16 after a mark has a zero in about every other byte (`zero_at` is
/// the position of that zero in each pair: 1 for little-endian).
fn bom_confirmed(rest: &[u8], zero_at: usize) -> bool {
    let pairs = rest.len() / 2;
    if pairs < 8 {
        return true;
    }
    let zeros = rest.chunks_exact(2).filter(|p| p[zero_at] == 0).count();
    zeros * 5 >= pairs
}

/// UTF-16 text without a byte-order mark: mostly ASCII with a zero in every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<Encoding> {
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut zero_even, mut zero_odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        zero_even += usize::from(pair[0] == 0);
        zero_odd += usize::from(pair[1] == 0);
    }
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 < pairs {
        Some(Encoding::Utf16le)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 < pairs {
        Some(Encoding::Utf16be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(chunks: &[&[u8]]) -> (Vec<(u64, String, bool)>, InputFacts) {
        let mut lines = Lines::new();
        let mut out = Vec::new();
        let mut emit = |p: Piece<'_>| out.push((p.line, p.text.to_string(), p.cut));
        for c in chunks {
            lines.feed(c, &mut emit);
        }
        lines.finish(&mut emit);
        let facts = lines.facts().clone();
        (out, facts)
    }

    #[test]
    fn splits_on_lf_crlf_and_lone_cr_across_chunks() {
        let (out, facts) = lines_of(&[b"a\r", b"\nb\rc\n", b"d"]);
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
        let (out, facts) = lines_of(&[b"ok \xff\xfe end\n\xe2\x9c", b"\x93 split\n"]);
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
}
