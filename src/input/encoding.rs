//! Which encoding the bytes are in, and turning them into UTF-8: lossy UTF-8 through std's
//! `utf8_chunks`, UTF-16 through `char::decode_utf16`, with the state a chunk boundary can cut
//! (an odd byte, a high surrogate) carried to the next chunk.

use serde::Serialize;

/// The encoding the input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf16le,
    Utf16be,
}

/// What the first bytes of the input say about all of it.
pub struct Sniffed {
    pub encoding: Encoding,
    /// A ZIP archive (`azcmagent logs` writes one).
    pub zip: bool,
    /// NUL bytes in UTF-8 text: probably a binary file.
    pub nul_bytes: bool,
}

/// Decides the encoding from the first bytes of the input.
pub fn sniff(head: &[u8]) -> Sniffed {
    let encoding = if head.starts_with(&[0xff, 0xfe]) && bom_confirmed(&head[2..], 1) {
        Encoding::Utf16le
    } else if head.starts_with(&[0xfe, 0xff]) && bom_confirmed(&head[2..], 0) {
        Encoding::Utf16be
    } else if let Some(e) = utf16_without_bom(head) {
        e
    } else {
        Encoding::Utf8
    };
    Sniffed {
        encoding,
        zip: head.starts_with(b"PK\x03\x04"),
        nul_bytes: encoding == Encoding::Utf8 && memchr::memchr(0, head).is_some(),
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

/// Whether `window` (at least 8 bytes, at most a few dozen) is UTF-16 little-endian text that
/// UTF-8 input turned into: every code unit one nonzero byte then a zero (ASCII and Latin-1,
/// what logs are made of). UTF-8 text never holds a zero byte, so it cannot look like this.
pub fn utf16_window(window: &[u8]) -> bool {
    window.len() >= 8
        && window
            .chunks(2)
            .all(|unit| unit[0] != 0 && unit.get(1) == Some(&0))
}

/// Decodes UTF-8, replacing each invalid sequence with U+FFFD; returns how many were replaced.
pub fn decode_lossy_into(bytes: &[u8], out: &mut String) -> u64 {
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push('\u{fffd}');
            replaced += 1;
        }
    }
    replaced
}

/// UTF-16 to UTF-8, chunk by chunk.
#[derive(Debug, Default)]
pub struct Utf16Decoder {
    big_endian: bool,
    /// The first byte of a code unit the previous chunk ended in.
    odd_byte: Option<u8>,
    /// A high surrogate the previous chunk ended in: its pair may start the next one.
    high_surrogate: Option<u16>,
    units: Vec<u16>,
}

impl Utf16Decoder {
    pub fn new(encoding: Encoding) -> Self {
        Utf16Decoder {
            big_endian: encoding == Encoding::Utf16be,
            ..Self::default()
        }
    }

    /// Appends the UTF-8 of `bytes` to `out`; returns how many invalid units were replaced.
    pub fn decode(&mut self, mut bytes: &[u8], out: &mut Vec<u8>) -> u64 {
        let mut units = std::mem::take(&mut self.units);
        units.clear();
        units.extend(self.high_surrogate.take());
        if let Some(first) = self.odd_byte.take() {
            match bytes.split_first() {
                Some((&second, rest)) => {
                    units.push(self.unit([first, second]));
                    bytes = rest;
                }
                None => self.odd_byte = Some(first),
            }
        }
        let pairs = bytes.chunks_exact(2);
        if let [odd] = pairs.remainder() {
            self.odd_byte = Some(*odd);
        }
        units.extend(pairs.map(|p| self.unit([p[0], p[1]])));
        if units.last().is_some_and(|u| (0xd800..=0xdbff).contains(u)) {
            self.high_surrogate = units.pop();
        }
        let mut invalid = 0;
        for decoded in char::decode_utf16(units.iter().copied()) {
            let c = decoded.unwrap_or_else(|_| {
                invalid += 1;
                '\u{fffd}'
            });
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
        self.units = units;
        invalid
    }

    /// Ends the input: a unit cut in half or a surrogate without its pair is one invalid
    /// sequence each, appended as U+FFFD; returns how many.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> u64 {
        let left = u64::from(self.odd_byte.take().is_some())
            + u64::from(self.high_surrogate.take().is_some());
        for _ in 0..left {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
        left
    }

    fn unit(&self, pair: [u8; 2]) -> u16 {
        if self.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    }
}

#[cfg(test)]
mod tests;
