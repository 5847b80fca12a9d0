//! Turns one pasted line into the text rules are matched against.
//!
//! People paste agent output through terminals, mail clients, log collectors and PowerShell, and
//! each adds its own layer: colour codes, quoting, `\"` escapes, JSON envelopes, prompts and line
//! prefixes. [`Cleaner::clean`] peels those layers off one line and says whether the line starts a
//! new log record (it has a timestamp, a level, a prompt...) or continues the previous one (a
//! line re-wrapped by a terminal or mail client).

use serde::Serialize;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A log level, as far as the line tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

/// A layer of formatting the input was recognised to carry (reported to the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `time="..." level=error msg="..." Error="..."` (azcmagent.log, himds.log, older consoles).
    LogrusKeyValue,
    /// `ERROR[0032] message   Error="..."` (agent consoles up to about 1.7).
    LogrusTerminal,
    /// `INFO    Exit Code: ...` / `FATAL   ...` (current agent consoles).
    AgentConsole,
    /// A PowerShell prompt, continuation or error record.
    PowerShell,
    /// Lines re-shipped as JSON by a log collector (`{"log":"..."}`).
    JsonEnvelope,
    /// ANSI colour codes.
    AnsiColours,
    /// Windows line endings.
    Crlf,
    /// UTF-16 text (what Windows PowerShell 5 writes with `>`).
    Utf16,
    /// Lines a terminal or mail client wrapped, joined back.
    Wrapped,
}

impl Format {
    pub fn describe(self) -> &'static str {
        match self {
            Format::LogrusKeyValue => "logrus key=value lines",
            Format::LogrusTerminal => "logrus terminal lines",
            Format::AgentConsole => "agent console output",
            Format::PowerShell => "a PowerShell session",
            Format::JsonEnvelope => "JSON log-collector lines",
            Format::AnsiColours => "ANSI colour codes",
            Format::Crlf => "Windows line endings",
            Format::Utf16 => "UTF-16 text",
            Format::Wrapped => "wrapped lines",
        }
    }
}

/// What the cleaner learned about one line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineInfo {
    /// The line starts a record; otherwise it continues the previous line's record.
    pub starts_record: bool,
    pub level: Option<Level>,
    /// Formatting layers seen on this line, as a bit set of `Format`s.
    pub formats: u16,
}

impl LineInfo {
    fn mark(&mut self, format: Format) {
        self.formats |= 1 << format as u16;
    }
}

/// The formats in a bit set built by [`LineInfo`].
pub fn formats_in(bits: u16) -> Vec<Format> {
    use Format::*;
    [
        LogrusKeyValue,
        LogrusTerminal,
        AgentConsole,
        PowerShell,
        JsonEnvelope,
        AnsiColours,
        Crlf,
        Utf16,
        Wrapped,
    ]
    .into_iter()
    .filter(|f| bits & (1 << *f as u16) != 0)
    .collect()
}

pub fn format_bit(format: Format) -> u16 {
    1 << format as u16
}

/// Cleans single lines; holds no state between lines.
#[derive(Debug, Default)]
pub struct Cleaner;

impl Cleaner {
    /// Cleans one line (without its line terminator): removes colour codes and the prefixes
    /// tools put in front of log lines, and reads the line's header. Quoting and escapes are
    /// left alone: they are undone per record by [`decode_record`], because a terminal may wrap
    /// a line in the middle of an escape sequence.
    pub fn clean<'a>(&self, raw: &'a str) -> (Cow<'a, str>, LineInfo) {
        let mut info = LineInfo::default();
        let mut text = Cow::Borrowed(raw);
        if has_ansi(&text) {
            text = Cow::Owned(strip_ansi(&text));
            info.mark(Format::AnsiColours);
        }
        let (start, end) = peel_wrappers(&text, &mut info);
        text = slice_cow(text, start, end);
        read_header(&text, &mut info);
        (text, info)
    }
}

/// Undoes the quoting a whole record carries: a JSON log-collector envelope, then one layer of
/// Go escapes for logrus fields (two when the logrus line itself was escaped once more). Line
/// breaks inside values become spaces, so a record stays on one line.
pub fn decode_record(text: &str) -> Cow<'_, str> {
    decode(text, None)
}

/// Like [`decode_record`], and also returns, for every byte of the result, the offset in `text`
/// it came from: evidence found in the decoded text is shown in the text the user pasted.
pub fn decode_record_tracked(text: &str) -> (String, Vec<u32>) {
    let mut origin = Vec::new();
    let decoded = decode(text, Some(&mut origin)).into_owned();
    if origin.len() != decoded.len() {
        // Nothing was decoded: every byte maps to itself.
        origin = (0..decoded.len() as u32).collect();
    }
    (decoded, origin)
}

fn decode<'a>(text: &'a str, origin: Option<&mut Vec<u32>>) -> Cow<'a, str> {
    // Most records carry no escape at all: one memchr decides.
    if !text.starts_with('{') && memchr::memchr(b'\\', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let tracking = origin.is_some();
    let mut current = Cow::Borrowed(text);
    let mut map: Option<Vec<u32>> = None;
    let layer =
        |current: &mut Cow<'a, str>, map: &mut Option<Vec<u32>>, out: String, idx: Vec<u32>| {
            if tracking {
                *map = Some(match map.as_ref() {
                    Some(prev) => idx.iter().map(|i| prev[*i as usize]).collect(),
                    None => idx,
                });
            }
            *current = Cow::Owned(out);
        };
    // A JSON line (a log collector's envelope, an ARM error body, an install script's
    // `--output` file): its string escapes are undone over the whole line, so the fields beside
    // the message (`"code": "AuthorizationFailed"`) stay visible to the rules.
    if current.starts_with('{') && memchr::memchr(b'\\', current.as_bytes()).is_some() {
        let (out, idx) = unescape(&current, tracking);
        layer(&mut current, &mut map, out, idx);
    }
    let layers = if looks_escaped_logrus(&current) {
        2
    } else if has_logrus_fields(&current) || has_json_string_escapes(&current) {
        1
    } else {
        0
    };
    for _ in 0..layers {
        let (out, idx) = unescape(&current, tracking);
        layer(&mut current, &mut map, out, idx);
    }
    if let (Some(origin), Some(map)) = (origin, map) {
        *origin = map;
    }
    current
}

/// Undoes one layer of Go `%q` / JSON string escapes over the whole text. Escaped line breaks, tabs and other control characters become
/// spaces, so a record stays on one line. With `tracking`, also returns the input offset each
/// output byte came from.
fn unescape(text: &str, tracking: bool) -> (String, Vec<u32>) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut idx: Vec<u32> = Vec::new();
    let mut i = 0;
    let push = |out: &mut String, idx: &mut Vec<u32>, c: char, at: usize| {
        let c = if c.is_control() { ' ' } else { c };
        out.push(c);
        if tracking {
            idx.extend(std::iter::repeat_n(at as u32, c.len_utf8()));
        }
    };
    loop {
        // Copy the run up to the next escape in one go.
        let next = memchr::memchr(b'\\', &bytes[i..]);
        let run_end = next.map_or(bytes.len(), |n| i + n);
        out.push_str(&text[i..run_end]);
        if tracking {
            idx.extend(i as u32..run_end as u32);
        }
        let Some(_) = next else { break };
        let at = run_end;
        let Some(&escaped) = bytes.get(at + 1) else {
            push(&mut out, &mut idx, '\\', at);
            break;
        };
        i = at + 2;
        match escaped {
            b'n' | b'r' | b't' => push(&mut out, &mut idx, ' ', at),
            b'u' => {
                let hex = |from: usize| {
                    text.get(from..from + 4)
                        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                        .and_then(|h| u16::from_str_radix(h, 16).ok())
                };
                let c = match hex(i) {
                    Some(high @ 0xd800..=0xdbff) => match (text.get(i + 4..i + 6), hex(i + 6)) {
                        (Some("\\u"), Some(low @ 0xdc00..=0xdfff)) => {
                            i += 6;
                            let v = 0x10000
                                + ((u32::from(high) - 0xd800) << 10)
                                + (u32::from(low) - 0xdc00);
                            char::from_u32(v).unwrap_or('\u{fffd}')
                        }
                        _ => '\u{fffd}',
                    },
                    Some(unit) => char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}'),
                    None => {
                        // Not an escape after all: keep the text as it is.
                        push(&mut out, &mut idx, '\\', at);
                        i = at + 1;
                        continue;
                    }
                };
                i += 4;
                push(&mut out, &mut idx, c, at);
            }
            b'x' => {
                match text
                    .get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) if b.is_ascii() => {
                        i += 2;
                        push(&mut out, &mut idx, char::from(b), at);
                    }
                    _ => {
                        push(&mut out, &mut idx, '\\', at);
                        i = at + 1;
                    }
                }
            }
            _ => {
                // `\"`, `\\`, `\/` and anything else: the escaped character itself. It may be
                // the first byte of a multi-byte character; copy the whole character.
                let len = text[at + 1..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[at + 1..at + 1 + len]);
                if tracking {
                    idx.extend(std::iter::repeat_n(at as u32, len));
                }
                i = at + 1 + len;
            }
        }
    }
    (out, idx)
}

fn slice_cow(text: Cow<'_, str>, start: usize, end: usize) -> Cow<'_, str> {
    if start == 0 && end == text.len() {
        return text;
    }
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(&s[start..end]),
        Cow::Owned(s) => Cow::Owned(s[start..end].to_string()),
    }
}

fn has_ansi(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr(0x1b, b).is_some() || bare_sgr_at(b).is_some()
}

/// Finds an SGR sequence whose ESC was lost in a copy (`[31m`, `[0;1m`).
fn bare_sgr_at(b: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'[', &b[from..]) {
        let at = from + i;
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b';')
            .count();
        if (1..=12).contains(&digits) && b.get(at + 1 + digits) == Some(&b'm') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn strip_ansi(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x1b => {
                i += 1;
                match b.get(i) {
                    Some(b'[') => {
                        // CSI: parameters and intermediates, then one final byte in 0x40..=0x7e.
                        i += 1;
                        while i < b.len() && !(0x40..=0x7e).contains(&b[i]) {
                            i += 1;
                        }
                        i += 1;
                    }
                    Some(b']') => {
                        // OSC: up to BEL or ESC \.
                        i += 1;
                        while i < b.len() && b[i] != 0x07 && b[i] != 0x1b {
                            i += 1;
                        }
                        if b.get(i) == Some(&0x1b) {
                            i += 1;
                        }
                        i += 1;
                    }
                    Some(_) => i += 1,
                    None => {}
                }
            }
            b'[' => {
                let digits = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || **c == b';')
                    .count();
                if (1..=12).contains(&digits) && b.get(i + 1 + digits) == Some(&b'm') {
                    i += digits + 2;
                } else {
                    out.push(b'[');
                    i += 1;
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were removed, so the rest is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Removes prefixes and suffixes that tools add around a log line; returns the kept byte range.
fn peel_wrappers(text: &str, info: &mut LineInfo) -> (usize, usize) {
    let b = text.as_bytes();
    let mut start = 0;
    let mut end = b.len();
    loop {
        while start < end && b[start].is_ascii_whitespace() {
            start += 1;
        }
        while end > start && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let rest = &b[start..end];
        let skip = if let Some(n) = notepad_line_prefix(rest) {
            n
        } else if rest.starts_with(b"```") {
            // A Markdown fence: the line carries nothing.
            end - start
        } else if rest.first() == Some(&b'>') {
            // Mail quoting (`> `) and PowerShell continuation prompts (`>> `).
            if rest.starts_with(b">>") {
                info.mark(Format::PowerShell);
            }
            rest.iter().take_while(|c| **c == b'>').count()
        } else if rest.starts_with(b"<GCLOG>") {
            if rest.ends_with(b"</GCLOG>") {
                end -= b"</GCLOG>".len();
            }
            b"<GCLOG>".len()
        } else if let Some(n) = prefix_then_colon(rest, b"WixQuietExec") {
            n
        } else if let Some(n) = native_command_prefix(rest) {
            info.mark(Format::PowerShell);
            // The rest is the first line of an error record.
            info.starts_record = true;
            n
        } else {
            cri_prefix(rest).unwrap_or_default()
        };
        if skip == 0 {
            return (start, end);
        }
        start += skip;
    }
}

/// `Line 8425: ` as printed by editors' "find all" results.
fn notepad_line_prefix(b: &[u8]) -> Option<usize> {
    let rest = b.strip_prefix(b"Line ")?;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    (digits > 0 && rest.get(digits) == Some(&b':')).then_some(5 + digits + 1)
}

/// `WixQuietExec64:  ` and the like: a name, optional digits, a colon.
fn prefix_then_colon(b: &[u8], name: &[u8]) -> Option<usize> {
    let rest = b.strip_prefix(name)?;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    (rest.get(digits) == Some(&b':')).then_some(name.len() + digits + 1)
}

/// `azcmagent.exe : ` / `azcmagent : `: PowerShell's NativeCommandError wrapping of a stderr line.
fn native_command_prefix(b: &[u8]) -> Option<usize> {
    let lower = |n: usize| b.get(..n).map(|p| p.to_ascii_lowercase());
    for name in [&b"azcmagent.exe : "[..], &b"azcmagent : "[..]] {
        if lower(name.len()).as_deref() == Some(name) {
            return Some(name.len());
        }
    }
    None
}

/// `2024-05-26T03:01:21.33Z stdout F `: the CRI log format of container runtimes.
fn cri_prefix(b: &[u8]) -> Option<usize> {
    if !starts_with_timestamp(b) {
        return None;
    }
    let sp = memchr::memchr(b' ', b)?;
    let rest = &b[sp + 1..];
    let stream = if rest.starts_with(b"stdout ") || rest.starts_with(b"stderr ") {
        7
    } else {
        return None;
    };
    match rest.get(stream..stream + 2) {
        Some(b"F ") | Some(b"P ") => Some(sp + 1 + stream + 2),
        _ => None,
    }
}

fn starts_with_iso_date(b: &[u8]) -> bool {
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4] == b'-' || b[4] == b'/')
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b[4]
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// A date followed by a time (`2024-05-26T03:01`, `2024-05-26 03:01`, `2023-10-17][08:13`): a
/// date alone (`api-version=2019-03-18-preview` wrapped at the `=`) does not start a record.
fn starts_with_timestamp(b: &[u8]) -> bool {
    if !starts_with_iso_date(b) {
        return false;
    }
    let rest = &b[10..];
    let rest = rest
        .strip_prefix(b"T")
        .or_else(|| rest.strip_prefix(b" "))
        .or_else(|| rest.strip_prefix(b"]["));
    rest.is_some_and(|t| {
        t.len() >= 5
            && t[..2].iter().all(u8::is_ascii_digit)
            && t[2] == b':'
            && t[3..5].iter().all(u8::is_ascii_digit)
    })
}

/// Where the message string of a JSON log-collector line (`{"log":"...","stream":"stderr"}`
/// and kin) starts.
fn json_body_start(text: &str) -> Option<usize> {
    if !text.starts_with('{') {
        return None;
    }
    const KEYS: [&str; 7] = [
        "\"log\"",
        "\"message\"",
        "\"msg\"",
        "\"MESSAGE\"",
        "\"Message\"",
        "\"SyslogMessage\"",
        "\"RawData\"",
    ];
    for key in KEYS {
        let mut from = 0;
        while let Some(i) = text[from..].find(key) {
            let after = from + i + key.len();
            let rest = &text[after..];
            let value = rest.trim_start();
            if let Some(value) = value.strip_prefix(':') {
                let trimmed = value.trim_start();
                if trimmed.starts_with('"') {
                    return Some(text.len() - trimmed.len() + 1);
                }
            }
            from = after;
        }
    }
    None
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

fn level_word(word: &[u8]) -> Option<Level> {
    let w = word.to_ascii_lowercase();
    Some(match w.as_slice() {
        b"trace" | b"trac" | b"debug" | b"debu" | b"verbose" => Level::Debug,
        b"info" | b"information" => Level::Info,
        b"warn" | b"warning" => Level::Warn,
        b"error" | b"erro" | b"err" => Level::Error,
        b"fatal" | b"fata" | b"panic" | b"pani" | b"critical" => Level::Fatal,
        _ => return None,
    })
}

/// Decides whether a cleaned line starts a record, and reads its level.
fn read_header(text: &str, info: &mut LineInfo) {
    let b = text.as_bytes();
    if b.is_empty() {
        info.starts_record = true;
        return;
    }
    // A JSON log-collector envelope: one line per record; the level is inside.
    if let Some(body) = json_body_start(text) {
        info.starts_record = true;
        info.mark(Format::JsonEnvelope);
        let inner = &b[body..];
        info.level = logrus_level(inner).or_else(|| {
            let word = inner.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            level_word(&inner[..word]).or_else(|| bracket_or_word_level(inner))
        });
        if inner.starts_with(b"time=") {
            info.mark(Format::LogrusKeyValue);
        }
        return;
    }
    // logrus key=value: `time="..." level=error msg=...` (the time may have been cut off).
    if b.starts_with(b"time=") || b.starts_with(b"level=") {
        info.starts_record = true;
        info.mark(Format::LogrusKeyValue);
        info.level = logrus_level(b);
        return;
    }
    let word_len = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if (3..=11).contains(&word_len) {
        if let Some(level) = level_word(&b[..word_len]) {
            let next = b.get(word_len).copied();
            let is_upper = b[..word_len].iter().all(u8::is_ascii_uppercase);
            match next {
                // `ERROR[0032] ...`
                Some(b'[')
                    if is_upper && b[word_len + 1..].first().is_some_and(u8::is_ascii_digit) =>
                {
                    info.starts_record = true;
                    info.level = Some(level);
                    info.mark(Format::LogrusTerminal);
                    if text.contains("level=") {
                        info.level = logrus_level(b).or(Some(level));
                    }
                    return;
                }
                // The Azure SDK's error block (`RESPONSE 403: ...` then `ERROR CODE: X` or
                // `ERROR CODE UNAVAILABLE`) continues its record; it is not a level.
                Some(b' ') if b[word_len..].starts_with(b" CODE") => {}
                // `FATAL   message` / `WARNING: ...` / `VERBOSE: ...`
                Some(b' ') | Some(b'\t') | Some(b':') | None if is_upper => {
                    info.starts_record = true;
                    info.level = Some(level);
                    if next == Some(b':') {
                        info.mark(Format::PowerShell);
                    } else {
                        info.mark(Format::AgentConsole);
                    }
                    if let Some(l) = logrus_level(b) {
                        info.level = Some(l);
                    }
                    return;
                }
                _ => {}
            }
        }
    }
    if let Some(level) = timestamped(b) {
        info.starts_record = true;
        info.level = level.or_else(|| logrus_level(b));
        if text.contains(" level=") {
            info.mark(Format::LogrusKeyValue);
        }
        return;
    }
    if is_prompt_or_record_line(b) {
        info.starts_record = true;
        if b.starts_with(b"PS ")
            || b.starts_with(b"PS>")
            || b.starts_with(b"At ")
            || b.starts_with(b"+ ")
        {
            info.mark(Format::PowerShell);
        }
        return;
    }
    // A log line embedded after a prefix we do not know (`Process Output: time=...`).
    if text.contains(" level=") && text.contains("msg=") {
        info.starts_record = true;
        info.level = logrus_level(b);
        info.mark(Format::LogrusKeyValue);
        return;
    }
    if info.starts_record {
        info.level = info.level.or_else(|| logrus_level(b));
    }
}

fn logrus_level(b: &[u8]) -> Option<Level> {
    // Built once: `memmem::find` would build a searcher for every line.
    static LEVEL: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"level="));
    let i = LEVEL.find(b)?;
    let rest = &b[i + 6..];
    let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
    let n = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    level_word(&rest[..n])
}

/// Lines that begin with a timestamp; returns the level found right after it, if any.
fn timestamped(b: &[u8]) -> Option<Option<Level>> {
    let bracketed = b.first() == Some(&b'[') && starts_with_timestamp(&b[1..]);
    if !(bracketed || starts_with_timestamp(b) || syslog_date(b)) {
        return None;
    }
    Some(bracket_or_word_level(b))
}

/// `Nov 25 10:00:01 host himds[812]: ...`
fn syslog_date(b: &[u8]) -> bool {
    const MONTHS: [&[u8]; 12] = [
        b"Jan ", b"Feb ", b"Mar ", b"Apr ", b"May ", b"Jun ", b"Jul ", b"Aug ", b"Sep ", b"Oct ",
        b"Nov ", b"Dec ",
    ];
    b.len() > 15
        && MONTHS.iter().any(|m| b.starts_with(m))
        && b[6] == b' '
        && b[9] == b':'
        && b[12] == b':'
}

/// The first level word in the first 160 bytes, bracketed (`[ERROR]`) or standing alone.
fn bracket_or_word_level(b: &[u8]) -> Option<Level> {
    let head = &b[..b.len().min(160)];
    if let Some(l) = logrus_level(head) {
        return Some(l);
    }
    head.split(|c| matches!(c, b' ' | b'[' | b']' | b'\t' | b':'))
        .filter(|w| w.len() >= 4 && w.iter().all(u8::is_ascii_uppercase))
        .find_map(level_word)
}

fn is_prompt_or_record_line(b: &[u8]) -> bool {
    // PowerShell prompt `PS C:\> ...` and error-record lines; a transcript's `PS>` prompt.
    if b.starts_with(b"PS ") && b.iter().take(260).any(|c| *c == b'>') {
        return true;
    }
    if b.starts_with(b"PS>") {
        return true;
    }
    // A transcript's `**********************` banner separates its header from the session.
    if b.len() >= 10 && b.iter().all(|c| *c == b'*') {
        return true;
    }
    if b.starts_with(b"At line:") || b.starts_with(b"+ ") || b == b"+" {
        return true;
    }
    if (b.starts_with(b"At ") && b.get(4) == Some(&b':')) || b.starts_with(b"At C:\\") {
        return true;
    }
    // Shell prompts: `$ cmd`, `# cmd`, `user@host:~$ cmd`, `[root@host ~]# cmd`.
    if b.starts_with(b"$ ") || b.starts_with(b"# ") {
        return true;
    }
    if let Some(p) = b.iter().take(120).position(|c| *c == b'$' || *c == b'#') {
        let head = &b[..p];
        if b.get(p + 1).is_none_or(|c| *c == b' ')
            && head.contains(&b'@')
            && !head.contains(&b' ')
            && head.contains(&b':')
        {
            return true;
        }
        if head.starts_with(b"[") && head.ends_with(b"]") && head.contains(&b'@') {
            return true;
        }
    }
    // Package managers and common tool output that start a line of their own.
    const STARTS: [&[u8]; 14] = [
        b"Get:",
        b"Hit:",
        b"Err:",
        b"Ign:",
        b"E: ",
        b"W: ",
        b"N: ",
        b"dpkg: ",
        b"Setting up ",
        b"Errors were encountered",
        b"Reading package lists",
        b"Processing triggers",
        b"Unpacking ",
        b"Selecting previously",
    ];
    if STARTS.iter().any(|s| b.starts_with(s)) {
        return true;
    }
    // Progress bars: `  20% [==>    ]`.
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && b.get(digits) == Some(&b'%') {
        return true;
    }
    // A JSON value on its own line (`{`, `}`) belongs to the record above.
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> (String, LineInfo) {
        let (t, i) = Cleaner.clean(s);
        (t.into_owned(), i)
    }

    #[test]
    fn logrus_records_are_unescaped_once() {
        let line = r#"time="2022-09-30T10:04:15Z" level=debug msg="Failed. Error: POST x\n----\nRESPONSE 403: 403 Forbidden\n{\n  \"error\": {\"code\": \"AuthorizationFailed\"}}" Path="C:\\temp\\x""#;
        let (t, i) = clean(line);
        assert_eq!(
            t, line,
            "line cleaning leaves escapes to the record decoder"
        );
        assert!(i.starts_record);
        assert_eq!(i.level, Some(Level::Debug));
        let d = decode_record(&t);
        assert!(
            d.contains(
                r#"RESPONSE 403: 403 Forbidden {   "error": {"code": "AuthorizationFailed"}}"#
            ),
            "{d}"
        );
        assert!(
            d.contains(r#"Path="C:\temp\x""#),
            "a Windows path keeps its backslashes: {d}"
        );
    }

    #[test]
    fn tracked_decoding_points_back_into_the_pasted_text() {
        let text = r#"level=fatal msg="a \"quoted\" word""#;
        let (d, origin) = decode_record_tracked(text);
        assert_eq!(d, r#"level=fatal msg="a "quoted" word""#);
        let at = d.find("quoted").unwrap();
        assert_eq!(&text[origin[at] as usize..][..6], "quoted");
        let plain = "no escapes here";
        let (d, origin) = decode_record_tracked(plain);
        assert_eq!((d.as_str(), origin.len()), (plain, plain.len()));
    }

    #[test]
    fn terminal_and_console_headers() {
        let (_, i) = clean("FATAL[0032] Failed to obtain FqdnDNS:");
        assert_eq!((i.starts_record, i.level), (true, Some(Level::Fatal)));
        let (_, i) = clean("\u{1b}[31mERRO\u{1b}[0m[0032] Failed to discover OS information");
        assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
        assert_ne!(i.formats & format_bit(Format::AnsiColours), 0);
        let (_, i) = clean("INFO    Exit Code:  AZCM0043: Failed to Delete Resource");
        assert_eq!((i.starts_record, i.level), (true, Some(Level::Info)));
        let (t, i) = clean("[31mFATAL[0m   Private Link Scope resource ID must be provided");
        assert_eq!(t, "FATAL   Private Link Scope resource ID must be provided");
        assert_eq!(i.level, Some(Level::Fatal));
    }

    #[test]
    fn wrapped_continuations_do_not_start_records() {
        for line in [
            "ERROR CODE: AuthorizationFailed",
            "ERROR CODE UNAVAILABLE",
            "RESPONSE 403: 403 Forbidden",
            "n.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0:",
            "b031-ef5e7edf9c8e",
            "  unreachable.",
            "{",
            "\"error\": \"invalid_client\",",
            "Infrastructure is fine",
            "2019-03-18-preview:  Forbidden",
        ] {
            assert!(!clean(line).1.starts_record, "{line}");
        }
    }

    #[test]
    fn json_envelopes_and_escaped_logrus_are_unwrapped() {
        let line = r#"{"log":"time=\"2023-05-05T10:25:32+01:00\" level=fatal msg=\"Private Link Scope \u003cid\u003e \\\"x\\\"\"\n","stream":"stderr"}"#;
        let (t, i) = clean(line);
        assert!(i.starts_record);
        assert_eq!(i.level, Some(Level::Fatal));
        assert_eq!(
            decode_record(&t),
            r#"{"log":"time="2023-05-05T10:25:32+01:00" level=fatal msg="Private Link Scope <id> "x"" ","stream":"stderr"}"#
        );
        // A JSON line's escapes are undone even when they are only `\\` and `\n`.
        assert_eq!(
            decode_record(
                r#"{"log":"C:\\ProgramData\\AzureConnectedMachineAgent\n","stream":"stderr"}"#
            ),
            r#"{"log":"C:\ProgramData\AzureConnectedMachineAgent ","stream":"stderr"}"#
        );
        // Fields beside the message stay: an ARM error body, an install script's --output file.
        let arm = r#"{"error":{"code":"AuthorizationFailed","message":"The client \u0027x\u0027 with object id \u0027y\u0027 does not have authorization"}}"#;
        assert_eq!(
            decode_record(arm),
            r#"{"error":{"code":"AuthorizationFailed","message":"The client 'x' with object id 'y' does not have authorization"}}"#
        );
        let escaped = r#"time=\"2023-05-05\" level=error msg=\"a \\\"quoted\\\" word\""#;
        assert_eq!(
            decode_record(escaped),
            r#"time="2023-05-05" level=error msg="a "quoted" word""#
        );
    }

    #[test]
    fn an_escape_split_by_wrapping_decodes_once_joined() {
        let first = clean(r#"time="2020-07-20T10:00:00Z" level=fatal msg="x" Error="a \"b\"\"#).0;
        let second = clean(r#"" c""#);
        assert!(!second.1.starts_record);
        let joined = format!("{first}{}", second.0);
        assert_eq!(
            decode_record(&joined),
            r#"time="2020-07-20T10:00:00Z" level=fatal msg="x" Error="a "b"" c""#
        );
    }

    #[test]
    fn powershell_layers() {
        let (t, i) = clean(r#"azcmagent.exe : time="2020-07-20T10:00:00Z" level=fatal msg="x""#);
        assert!(t.starts_with("time="));
        assert_eq!((i.starts_record, i.level), (true, Some(Level::Fatal)));
        let (t, i) = clean(">>   --tenant-id \"t\" `");
        assert_eq!(t, "--tenant-id \"t\" `");
        assert!(!i.starts_record);
        assert!(
            clean(r"PS C:\Windows\system32> azcmagent connect")
                .1
                .starts_record
        );
        assert!(clean("At line:1 char:1").1.starts_record);
        let (t, _) = clean("Line 8425: time=\"x\" level=debug msg=\"y\"");
        assert!(t.starts_with("time="));
    }

    #[test]
    fn json_escaped_wrapper_text_is_decoded_but_windows_paths_are_not() {
        let deployment = r#""Exception": "Type \u0027ConnectArc\u0027 raised an exception:\n\nAZCMAgent command failed with error:  \u003e\u003e exitcode: 42.","#;
        assert_eq!(
            decode_record(deployment),
            r#""Exception": "Type 'ConnectArc' raised an exception:  AZCMAgent command failed with error:  >> exitcode: 42.","#
        );
        let path = r"Cannot find path '\\dc01\share\AzureConnectedMachineAgent.msi' because it does not exist.";
        assert_eq!(decode_record(path), path, "no JSON escape, no decoding");
    }

    #[test]
    fn powershell_transcripts() {
        let (t, i) = clean(
            "PS>TerminatingError(Invoke-WebRequest): \"The remote name could not be resolved\"",
        );
        assert!(i.starts_record);
        assert!(t.starts_with("PS>"));
        assert!(clean("**********************").1.starts_record);
        assert!(
            !clean("Transcript started, output file is C:\\t.txt")
                .1
                .starts_record
        );
    }

    #[test]
    fn timestamped_script_logs() {
        let (_, i) =
            clean("[2023-10-17][08:13:22] ERROR Azure Connected Machine Agent is not connected");
        assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
        let (t, i) = clean(
            "<GCLOG>[2024-05-26 03:01:21.423] [PID 1] [TID 2] [Pull Client] [ERROR] [x] Failed</GCLOG>",
        );
        assert!(t.ends_with("Failed"));
        assert_eq!(i.level, Some(Level::Error));
        let (t, i) =
            clean("WixQuietExec64:  cannot be started due to the following error: Cannot start ");
        assert_eq!(
            t,
            "cannot be started due to the following error: Cannot start"
        );
        assert!(!i.starts_record);
    }
}
