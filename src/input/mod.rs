//! From bytes to lines: the encoding decided from the first bytes ([`encoding`]), decoding, and
//! line splitting, fed in chunks so a file of any size streams through in bounded memory.

mod encoding;

pub use encoding::Encoding;
use encoding::{Utf16Decoder, decode_lossy_into, sniff};

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
    /// The facts of several files read as one (the logs of a support bundle).
    pub bundle: bool,
}

impl InputFacts {
    /// What the user should know about how the input was read; `matched` says whether any
    /// rule matched (a very short input that matched nothing is worth a word).
    pub fn notes(&self, matched: bool) -> Vec<String> {
        let mut notes = Vec::new();
        if self.zip {
            notes.push(
                "This is a ZIP archive (probably from `azcmagent logs`), read here as if it were \
                 text. Drop the file on the page, or give it to the arc-triage command, to read \
                 the logs inside it."
                    .to_string(),
            );
        } else if self.nul_bytes {
            notes.push(
                "The input contains NUL bytes, so it looks like a binary file rather than a log; \
                 its readable text was still checked."
                    .to_string(),
            );
        }
        if self.invalid_sequences > 0 {
            notes.push(format!(
                "{} invalid text sequence{} replaced with \u{fffd}; everything else was read \
                 normally.",
                self.invalid_sequences,
                if self.invalid_sequences == 1 {
                    " was"
                } else {
                    "s were"
                }
            ));
        }
        // Only a byte-order mark is no text either.
        if self.lines == 0 && self.bundle {
            notes.push("Every log in the archive is empty.".to_string());
        } else if self.lines == 0 {
            notes.push(
                "The input is empty. Paste the output of `azcmagent connect --verbose`, or drop \
                 azcmagent.log (see the next steps for where it is)."
                    .to_string(),
            );
        } else if !matched && self.bytes < 8 {
            notes.push("The input is very short; paste the whole error output.".to_string());
        }
        notes
    }
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
    /// Set when the input is UTF-16.
    utf16: Option<Utf16Decoder>,
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
        if let Some(decoder) = self.utf16.as_mut() {
            self.facts.invalid_sequences += decoder.finish(&mut self.pending);
        }
        if !self.pending.is_empty() || self.piece_continues {
            self.emit_line(emit, false);
        }
        self.facts.lines = self.line;
    }

    fn decide(&mut self, head: &[u8]) {
        let sniffed = sniff(head);
        self.facts.encoding = Some(sniffed.encoding);
        self.facts.zip = sniffed.zip;
        self.facts.nul_bytes = sniffed.nul_bytes;
        if sniffed.encoding != Encoding::Utf8 {
            self.utf16 = Some(Utf16Decoder::new(sniffed.encoding));
        }
        self.decided = true;
    }

    fn push_decoded(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        let at_start = std::mem::take(&mut self.at_start);
        match self.utf16.as_mut() {
            Some(decoder) => {
                if at_start
                    && (bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]))
                {
                    bytes = &bytes[2..];
                }
                let mut buf = std::mem::take(&mut self.utf16_buf);
                buf.clear();
                self.facts.invalid_sequences += decoder.decode(bytes, &mut buf);
                self.split(&buf, emit);
                self.utf16_buf = buf;
            }
            None => {
                if at_start {
                    bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
                }
                self.split(bytes, emit);
            }
        }
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
        if !self.piece_continues {
            self.line += 1;
        }
        match std::str::from_utf8(bytes) {
            // The common case: valid UTF-8 is handed over as it is.
            Ok(text) => emit(Piece {
                text,
                line: self.line,
            }),
            Err(_) => {
                let mut text = std::mem::take(&mut self.text_buf);
                text.clear();
                self.facts.invalid_sequences += decode_lossy_into(bytes, &mut text);
                emit(Piece {
                    text: &text,
                    line: self.line,
                });
                self.text_buf = text;
            }
        }
        self.piece_continues = cut_here;
    }
}

/// The whole text of `bytes`, decoded as a stream would be (encoding sniffed, byte-order mark
/// dropped, invalid sequences replaced), with the input's line ending: for the things that need
/// all of it at once, such as redaction.
pub fn decode(bytes: &[u8]) -> String {
    let mut lines = Lines::new();
    let mut text = String::with_capacity(bytes.len());
    let mut last_line = 0;
    let mut emit = |piece: Piece<'_>| {
        if piece.line != last_line && last_line != 0 {
            text.push('\n');
        }
        last_line = piece.line;
        text.push_str(piece.text);
    };
    lines.feed(bytes, &mut emit);
    lines.finish(&mut emit);
    // A last line break, in UTF-8 or either UTF-16.
    let ends_with_break = [&b"\n"[..], b"\r", b"\n\0", b"\0\n", b"\r\0", b"\0\r"]
        .iter()
        .any(|end| bytes.ends_with(end));
    if ends_with_break && !text.is_empty() {
        text.push('\n');
    }
    if lines.facts().crlf {
        text = text.replace('\n', "\r\n");
    }
    text
}

#[cfg(test)]
mod tests;
