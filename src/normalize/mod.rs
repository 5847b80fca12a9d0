//! Turns pasted lines into the text rules are matched against.
//!
//! People paste agent output through terminals, mail clients, log collectors and PowerShell, and
//! each adds its own layer: colour codes, quoting, `\"` escapes, JSON envelopes, prompts and line
//! prefixes. Three steps undo them:
//! - [`clean_line`] peels colour codes and tool prefixes off one line ([`line`]) and reads its
//!   header ([`header`]): does it start a new log record (a timestamp, a level, a prompt...) or
//!   continue the previous one (a line re-wrapped by a terminal or mail client)?
//! - the lines of a record are joined without separators (`crate::records`);
//! - [`decode_record`] undoes the record's escapes once, with an [`OffsetMap`] back to the
//!   pasted text ([`decode`]): a terminal may wrap a line in the middle of an escape sequence,
//!   so escapes are undone per record, not per line.

mod decode;
mod header;
mod line;

pub use decode::{OffsetMap, decode_record};

use crate::report::{Format, Formats, Level};
use std::borrow::Cow;

/// What cleaning learned about one line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineInfo {
    /// The line starts a record; otherwise it continues the previous line's record.
    pub starts_record: bool,
    pub level: Option<Level>,
    /// Formatting layers seen on this line.
    pub formats: Formats,
}

/// Cleans one line (without its line terminator): removes colour codes and the prefixes tools
/// put in front of log lines, and reads the line's header. Quoting and escapes are left alone
/// for [`decode_record`].
pub fn clean_line(raw: &str) -> (Cow<'_, str>, LineInfo) {
    let mut info = LineInfo::default();
    let mut text = Cow::Borrowed(raw);
    if line::has_ansi(&text) {
        text = Cow::Owned(line::strip_ansi(&text));
        info.formats.insert(Format::AnsiColours);
    }
    let (start, end) = line::peel_wrappers(&text, &mut info);
    if (start, end) != (0, text.len()) {
        text = match text {
            Cow::Borrowed(s) => Cow::Borrowed(&s[start..end]),
            Cow::Owned(s) => Cow::Owned(s[start..end].to_string()),
        };
    }
    header::read_header(&text, &mut info);
    (text, info)
}

#[cfg(test)]
mod tests;
