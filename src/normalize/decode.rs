//! Undoes the quoting a whole record carries, once, and remembers where each decoded byte came
//! from so that a match in the decoded text is highlighted in the text the user pasted.

use std::borrow::Cow;

/// A record as rules see it, and the way back to the record as it was pasted.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `None` when nothing was decoded: every offset is its own origin.
    pub map: Option<OffsetMap>,
}

/// For each byte of a decoded record, the offset in the pasted record it came from. One layer
/// per round of unescaping (at most three), applied from the last back to the first.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    layers: Vec<Layer>,
}

#[derive(Debug, Clone)]
struct Layer {
    /// Ordered by `decoded`; each covers the bytes up to the next one.
    segments: Vec<Segment>,
    /// Length of this layer's output.
    len: usize,
}

/// A run of decoded bytes that are either copied from `pasted` onwards, or all come from the
/// escape sequence at `pasted` (`\u00e9` becomes two bytes that both point at its backslash).
#[derive(Debug, Clone, Copy)]
struct Segment {
    decoded: u32,
    pasted: u32,
    copied: bool,
}

impl OffsetMap {
    /// The pasted offset of decoded byte `at`; `None` past the end of the decoded text.
    pub fn pasted(&self, at: usize) -> Option<usize> {
        if self.layers.last().is_some_and(|l| at >= l.len) {
            return None;
        }
        Some(
            self.layers
                .iter()
                .rev()
                .fold(at, |at, layer| layer.back(at)),
        )
    }
}

impl Layer {
    fn back(&self, at: usize) -> usize {
        let i = self
            .segments
            .partition_point(|s| s.decoded as usize <= at)
            .saturating_sub(1);
        match self.segments.get(i) {
            Some(s) if s.copied => s.pasted as usize + (at - s.decoded as usize),
            Some(s) => s.pasted as usize,
            None => at,
        }
    }
}

/// Undoes the quoting a whole record carries: a JSON line's string escapes, then one layer of
/// Go escapes for logrus fields (two when the logrus line itself was escaped once more). Line
/// breaks inside values become spaces, so a record stays on one line.
pub fn decode_record(text: &str) -> Decoded<'_> {
    let mut decoded = Decoded {
        text: Cow::Borrowed(text),
        map: None,
    };
    // Most records carry no escape at all: one memchr decides.
    if memchr::memchr(b'\\', text.as_bytes()).is_none() {
        return decoded;
    }
    let unescape_once = |decoded: &mut Decoded<'_>| {
        let (out, layer) = unescape(&decoded.text);
        decoded
            .map
            .get_or_insert_with(OffsetMap::default)
            .layers
            .push(layer);
        decoded.text = Cow::Owned(out);
    };
    // A JSON line (a log collector's envelope, an ARM error body, an install script's
    // `--output` file): its string escapes are undone over the whole line, so the fields beside
    // the message (`"code": "AuthorizationFailed"`) stay visible to the rules.
    if text.starts_with('{') {
        unescape_once(&mut decoded);
    }
    let current = &decoded.text;
    let layers = if looks_escaped_logrus(current) {
        2
    } else if has_logrus_fields(current) || has_json_string_escapes(current) {
        1
    } else {
        0
    };
    for _ in 0..layers {
        unescape_once(&mut decoded);
    }
    decoded
}

/// Undoes one layer of Go `%q` / JSON string escapes over the whole text. Escaped line breaks,
/// tabs and other control characters become spaces, so a record stays on one line.
fn unescape(text: &str) -> (String, Layer) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut segments: Vec<Segment> = Vec::new();
    let mut i = 0;
    let escaped_char = |out: &mut String, segments: &mut Vec<Segment>, c: char, at: usize| {
        segments.push(Segment {
            decoded: out.len() as u32,
            pasted: at as u32,
            copied: false,
        });
        out.push(if c.is_control() { ' ' } else { c });
    };
    loop {
        // Copy the run up to the next escape in one go.
        let next = memchr::memchr(b'\\', &bytes[i..]);
        let run_end = next.map_or(bytes.len(), |n| i + n);
        if run_end > i {
            segments.push(Segment {
                decoded: out.len() as u32,
                pasted: i as u32,
                copied: true,
            });
            out.push_str(&text[i..run_end]);
        }
        let Some(_) = next else { break };
        let at = run_end;
        let Some(&escaped) = bytes.get(at + 1) else {
            escaped_char(&mut out, &mut segments, '\\', at);
            break;
        };
        i = at + 2;
        let c = match escaped {
            b'n' | b'r' | b't' => ' ',
            b'u' => match unicode_escape(text, i) {
                Some((c, len)) => {
                    i += len;
                    c
                }
                None => {
                    // Not an escape after all: keep the text as it is.
                    i = at + 1;
                    '\\'
                }
            },
            b'x' => match text
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) if b.is_ascii() => {
                    i += 2;
                    char::from(b)
                }
                _ => {
                    i = at + 1;
                    '\\'
                }
            },
            _ => {
                // `\"`, `\\`, `\/` and anything else: the escaped character itself. It may be
                // the first byte of a multi-byte character; copy the whole character (control
                // characters included: only escapes that spell one become spaces).
                let c = text[at + 1..].chars().next().unwrap_or('\\');
                segments.push(Segment {
                    decoded: out.len() as u32,
                    pasted: at as u32,
                    copied: false,
                });
                out.push(c);
                i = at + 1 + c.len_utf8();
                continue;
            }
        };
        escaped_char(&mut out, &mut segments, c, at);
    }
    let len = out.len();
    (out, Layer { segments, len })
}

/// The character a `\uXXXX` escape (or a `\uD83D\uDE00` surrogate pair) starting at `at` (after
/// the `\u`) spells, and how many bytes after `at` it used. `None` when it is not an escape.
fn unicode_escape(text: &str, at: usize) -> Option<(char, usize)> {
    let hex = |from: usize| {
        text.get(from..from + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let unit = hex(at)?;
    if !(0xd800..=0xdbff).contains(&unit) {
        return Some((char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}'), 4));
    }
    match (text.get(at + 4..at + 6), hex(at + 6)) {
        (Some("\\u"), Some(low @ 0xdc00..=0xdfff)) => {
            let c = char::decode_utf16([unit, low])
                .next()
                .and_then(Result::ok)
                .unwrap_or('\u{fffd}');
            Some((c, 10))
        }
        _ => Some(('\u{fffd}', 4)),
    }
}

/// A logrus line whose quotes were escaped once more (copied out of a JSON string).
fn looks_escaped_logrus(text: &str) -> bool {
    text.starts_with("time=\\\"") || text.starts_with("level=\\\"") || text.contains(" msg=\\\"")
}

/// Text a JSON serialiser escaped (wrapper output such as Azure Local's deployment status, or
/// PowerShell's `ConvertTo-Json`, which writes `'` as `\u0027` and `>` as `\u003e`). Only these
/// two escapes count: a Windows path's backslashes alone must stay as they are.
fn has_json_string_escapes(text: &str) -> bool {
    text.contains("\\\"") || text.contains("\\u00")
}

/// The line carries logrus fields, whose quoted values use Go escapes.
fn has_logrus_fields(text: &str) -> bool {
    memchr::memchr(b'\\', text.as_bytes()).is_some()
        && (text.contains("level=") || text.contains("msg=") || text.contains("Error=\""))
}
