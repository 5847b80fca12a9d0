//! Does a cleaned line start a log record, and at what level? Timestamps, logrus fields, console
//! level words, PowerShell prompts and error records, shell prompts and package-manager output
//! start records; anything else continues the record above it.

use super::LineInfo;
use crate::report::{Format, Level};
use std::sync::LazyLock;

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
pub(super) fn starts_with_timestamp(b: &[u8]) -> bool {
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

fn level_word(word: &[u8]) -> Option<Level> {
    // Lower-cased on the stack: this runs on every line, and no level word is longer.
    let mut lower = [0u8; 11];
    let w = lower.get_mut(..word.len())?;
    w.copy_from_slice(word);
    w.make_ascii_lowercase();
    Some(match &*w {
        b"trace" | b"trac" | b"debug" | b"debu" | b"verbose" => Level::Debug,
        b"info" | b"information" => Level::Info,
        b"warn" | b"warning" => Level::Warn,
        b"error" | b"erro" | b"err" => Level::Error,
        b"fatal" | b"fata" | b"panic" | b"pani" | b"critical" => Level::Fatal,
        _ => return None,
    })
}

/// Decides whether a cleaned line starts a record, and reads its level.
pub(super) fn read_header(text: &str, info: &mut LineInfo) {
    let b = text.as_bytes();
    if b.is_empty() {
        info.starts_record = true;
        return;
    }
    // A JSON log-collector envelope: one line per record; the level is inside.
    if let Some(body) = json_body_start(text) {
        info.starts_record = true;
        info.formats.insert(Format::JsonEnvelope);
        let inner = &b[body..];
        info.level = logrus_level(inner).or_else(|| {
            let word = inner.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            level_word(&inner[..word]).or_else(|| bracket_or_word_level(inner))
        });
        if inner.starts_with(b"time=") {
            info.formats.insert(Format::LogrusKeyValue);
        }
        return;
    }
    // logrus key=value: `time="..." level=error msg=...` (the time may have been cut off).
    if b.starts_with(b"time=") || b.starts_with(b"level=") {
        info.starts_record = true;
        info.formats.insert(Format::LogrusKeyValue);
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
                    info.formats.insert(Format::LogrusTerminal);
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
                        info.formats.insert(Format::PowerShell);
                    } else {
                        info.formats.insert(Format::AgentConsole);
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
            info.formats.insert(Format::LogrusKeyValue);
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
            info.formats.insert(Format::PowerShell);
        }
        return;
    }
    // A log line embedded after a prefix we do not know (`Process Output: time=...`).
    if text.contains(" level=") && text.contains("msg=") {
        info.starts_record = true;
        info.level = logrus_level(b);
        info.formats.insert(Format::LogrusKeyValue);
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
