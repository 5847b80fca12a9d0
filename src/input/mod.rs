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
/// How many bytes decide that UTF-8 input turned into UTF-16 (8 UTF-16 code units).
const SWITCH_WINDOW: usize = 16;

/// Whether UTF-16 starts at `at` in `bytes`: the window after it is UTF-16 text. `end_known`:
/// `bytes` runs to the end of the input, so a shorter window is all there is.
fn switch_at(bytes: &[u8], at: usize, end_known: bool) -> bool {
    let window = &bytes[at..bytes.len().min(at + SWITCH_WINDOW)];
    (window.len() == SWITCH_WINDOW || end_known) && encoding::utf16_window(window)
}

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
    /// The line from which UTF-8 input turned into UTF-16 (appended by Windows PowerShell 5's
    /// `>>`), read as UTF-16 from there.
    pub utf16_from_line: Option<u64>,
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
        if let Some(line) = self.utf16_from_line {
            notes.push(format!(
                "From line {line} on, the input is UTF-16 (what Windows PowerShell 5's `>>` \
                 appends to a UTF-8 file); it was read as UTF-16 from there."
            ));
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

/// Decodes chunks of bytes and splits them into lines. Whatever sizes the chunks have, the
/// lines, their numbers and the facts are the same: the encoding is decided on exactly the first
/// [`SNIFF_LEN`] bytes, a CR ending one chunk and an LF starting the next are one line break, a
/// line too long is cut at the same byte, and a switch to UTF-16 is found by a fixed window.
#[derive(Debug)]
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
    /// A line longer than this is cut into pieces ([`MAX_LINE_PIECE`] unless a test says).
    piece_limit: usize,
    /// The last bytes of UTF-8 input, not split yet: a switch to UTF-16 may start in them.
    carry: Vec<u8>,
    /// The caller gave the encoding (text, not bytes): it never changes.
    assumed: bool,
}

impl Default for Lines {
    fn default() -> Self {
        Lines::new()
    }
}

impl Lines {
    pub fn new() -> Self {
        Lines {
            facts: InputFacts::default(),
            sniff: Vec::new(),
            decided: false,
            pending: Vec::new(),
            pending_cr: false,
            utf16: None,
            utf16_buf: Vec::new(),
            line: 0,
            piece_continues: false,
            text_buf: String::new(),
            at_start: true,
            piece_limit: MAX_LINE_PIECE,
            carry: Vec::new(),
            assumed: false,
        }
    }

    /// Cuts lines longer than `limit` bytes (tests make it small to reach the cut cheaply).
    pub fn set_piece_limit(&mut self, limit: usize) {
        self.piece_limit = limit.max(1);
    }

    /// Skips detection: the caller knows the encoding (text from a `str` is UTF-8).
    pub fn assume(&mut self, encoding: Encoding) {
        self.facts.encoding = Some(encoding);
        self.decided = true;
        self.assumed = true;
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
            // Decided on the same bytes however the reads were cut.
            let sniffed = std::mem::take(&mut self.sniff);
            self.decide(&sniffed[..SNIFF_LEN]);
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
        if self.utf16.is_none() && !self.assumed {
            self.push_utf8(&[], true, emit);
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
                if self.assumed {
                    self.split(bytes, emit);
                } else {
                    self.push_utf8(bytes, false, emit);
                }
            }
        }
    }

    /// UTF-8 bytes, watched for where UTF-16 starts (a file PowerShell 5 appended to with `>>`):
    /// the first position whose next [`SWITCH_WINDOW`] bytes are UTF-16 text (see
    /// [`encoding::utf16_window`]). The last bytes of each chunk wait in `carry` until the window
    /// after them is known, so the same position is found however the input is cut.
    fn push_utf8(&mut self, bytes: &[u8], last: bool, emit: &mut dyn FnMut(Piece<'_>)) {
        if !self.carry.is_empty() {
            let mut joint = std::mem::take(&mut self.carry);
            let carried = joint.len();
            let taken = bytes.len().min(SWITCH_WINDOW);
            joint.extend_from_slice(&bytes[..taken]);
            if joint.len() < carried + SWITCH_WINDOW - 1 && !last && taken == bytes.len() {
                // Not enough yet to decide for every carried position.
                self.carry = joint;
                return;
            }
            let end_known = last && taken == bytes.len();
            if let Some(at) = (0..carried).find(|&i| switch_at(&joint, i, end_known)) {
                let mut rest = joint;
                rest.truncate(carried);
                self.split(&rest[..at], emit);
                self.switch_to_utf16();
                let mut stream = rest.split_off(at);
                stream.extend_from_slice(bytes);
                self.push_decoded(&stream, emit);
                return;
            }
            joint.truncate(carried);
            self.split(&joint, emit);
        }
        let hold = if last {
            0
        } else {
            bytes.len().min(SWITCH_WINDOW - 1)
        };
        let decided = bytes.len() - hold;
        let switch = memchr::memchr_iter(0, bytes)
            .filter_map(|nul| nul.checked_sub(1))
            .take_while(|&at| at < decided)
            .find(|&at| switch_at(bytes, at, last));
        if let Some(at) = switch {
            self.split(&bytes[..at], emit);
            self.switch_to_utf16();
            self.push_decoded(&bytes[at..], emit);
            return;
        }
        self.split(&bytes[..decided], emit);
        self.carry.extend_from_slice(&bytes[decided..]);
    }

    /// From here on the input is UTF-16 little-endian; a byte-order mark before it (read as
    /// UTF-8 so far, so at the end of the pending line) is dropped.
    fn switch_to_utf16(&mut self) {
        if self.pending.ends_with(&[0xff, 0xfe]) {
            self.pending.truncate(self.pending.len() - 2);
        }
        self.utf16 = Some(Utf16Decoder::new(Encoding::Utf16le));
        self.facts.utf16_from_line = Some(self.line + u64::from(!self.piece_continues));
    }

    fn split(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Piece<'_>)) {
        if bytes.is_empty() {
            // Nothing decoded yet (half a UTF-16 unit): a CR waiting for its LF keeps waiting.
            return;
        }
        if self.pending_cr {
            self.pending_cr = false;
            if bytes.first() == Some(&b'\n') {
                bytes = &bytes[1..];
                self.facts.crlf = true;
            }
        }
        while let Some(i) = memchr::memchr2(b'\n', b'\r', bytes) {
            if self.pending.is_empty() && !self.piece_continues && i <= self.piece_limit {
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
        let limit = self.piece_limit;
        while self.pending.len() + bytes.len() > limit {
            // The cut is at the limit, moved back before the character the limit falls in
            // (at most 3 continuation bytes): where it falls in the line, not in the chunk.
            let held = self.pending.len();
            let at = |i: usize| {
                if i < held {
                    self.pending[i]
                } else {
                    bytes[i - held]
                }
            };
            let mut cut = limit;
            while cut > limit.saturating_sub(3) && cut > 0 && at(cut) & 0xc0 == 0x80 {
                cut -= 1;
            }
            if cut == 0 || at(cut) & 0xc0 == 0x80 {
                cut = limit; // not a character boundary within reach: not UTF-8 there anyway
            }
            if cut >= held {
                self.pending.extend_from_slice(&bytes[..cut - held]);
                bytes = &bytes[cut - held..];
                self.emit_line(emit, true);
            } else {
                let next = self.pending.split_off(cut);
                self.emit_line(emit, true);
                self.pending = next;
            }
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
