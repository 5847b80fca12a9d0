//! One line's outer layers: colour codes (including SGR sequences whose ESC a copy lost) and the
//! prefixes tools put in front of log lines (quoting, prompts, CRI, editor search results).

use super::LineInfo;
use super::header::starts_with_timestamp;
use crate::report::Format;

pub(super) fn has_ansi(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr(0x1b, b).is_some() || bare_sgr_at(b).is_some()
}

/// Finds an SGR sequence whose ESC was lost in a copy (`[31m`, `[0;1m`).
fn bare_sgr_at(b: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'[', b).find(|&at| bare_sgr_len(&b[at..]).is_some())
}

/// The length of the ESC-less SGR sequence `b` starts with (`[31m` is 4).
fn bare_sgr_len(b: &[u8]) -> Option<usize> {
    let digits = b
        .get(1..)?
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b';')
        .count();
    ((1..=12).contains(&digits) && b.get(1 + digits) == Some(&b'm')).then_some(digits + 2)
}

pub(super) fn strip_ansi(s: &str) -> String {
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
                        // OSC: up to BEL, or up to an ESC left for the loop: `ESC \` (ST) is
                        // stripped as an escape, and an ESC starting the next sequence as that.
                        // The scan starts on the `]`, which ends nothing.
                        while i < b.len() && b[i] != 0x07 && b[i] != 0x1b {
                            i += 1;
                        }
                        if b.get(i) == Some(&0x07) {
                            i += 1;
                        }
                    }
                    Some(_) => i += 1,
                    None => {}
                }
            }
            b'[' => match bare_sgr_len(&b[i..]) {
                Some(len) => i += len,
                None => {
                    out.push(b'[');
                    i += 1;
                }
            },
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
pub(super) fn peel_wrappers(text: &str, info: &mut LineInfo) -> (usize, usize) {
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
                info.formats.insert(Format::PowerShell);
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
            info.formats.insert(Format::PowerShell);
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
    [&b"azcmagent.exe : "[..], &b"azcmagent : "[..]]
        .into_iter()
        .find(|name| {
            b.get(..name.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(name))
        })
        .map(<[u8]>::len)
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
