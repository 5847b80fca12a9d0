//! The support bundle: the ZIP archive `azcmagent logs` writes. This module reads the archive's
//! directory and decides which members are logs; it does no input or output and no inflating.
//! A driver (the CLI with `flate2`, the page with the browser's `DecompressionStream`) reads the
//! byte ranges it names, inflates each log, feeds it to a [`crate::Session`] after
//! [`crate::Session::begin_file`], and checks it with a [`Check`].
//!
//! The reading order is: [`tail_range`] → [`locate`] → [`directory`] → per log member
//! [`Member::data_start`] (on its 30-byte local header) → [`Check`] over the inflated bytes.

mod crc;

use std::ops::Range;

pub use crc::crc32;

/// The most an archive may inflate to, all logs together: enough for `azcmagent logs --full`
/// on a busy machine, and a bound on the work a crafted archive (a "zip bomb") can cause.
pub const MAX_INFLATED: u64 = 1 << 30;
/// The largest central directory read (about 100,000 members).
const MAX_DIRECTORY: u64 = 8 << 20;

/// Size of a local file header before its name and extra field.
pub const LOCAL_HEADER_LEN: u64 = 30;

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_EOCD_LEN: usize = 56;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const CENTRAL_LEN: usize = 46;
const LOCAL_SIG: u32 = 0x0403_4b50;

/// What went wrong with an archive as a whole. Each message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// No end-of-directory record: not a ZIP archive, or cut short.
    NotZip,
    /// The directory is inconsistent with the file (offsets outside it, bad signatures).
    Corrupt(String),
    /// Every log in it is encrypted.
    Encrypted { logs: usize },
    /// It holds no log at all.
    NoLogs { members: usize },
    /// Its logs would inflate to more than [`MAX_INFLATED`].
    TooLarge { inflated: u64 },
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const UNZIP: &str = "Unzip it and give arc-triage the logs themselves \
                             (azcmagent.log, himds.log)";
        match self {
            BundleError::NotZip => write!(
                f,
                "this file starts like a ZIP archive but its directory is missing: it was \
                 probably cut short while copying. Copy it again, or run `azcmagent logs` again"
            ),
            BundleError::Corrupt(what) => write!(
                f,
                "this ZIP archive is damaged ({what}). Copy it again, or run `azcmagent logs` \
                 again. {UNZIP} if your unzip tool can still read them"
            ),
            BundleError::Encrypted { logs } => write!(
                f,
                "the {logs} log{} in this ZIP archive {} password-protected, and arc-triage \
                 does not take passwords. `azcmagent logs` writes archives without a password: \
                 use its archive as it is, or unzip this one yourself and give arc-triage the \
                 logs",
                plural(*logs),
                if *logs == 1 { "is" } else { "are" }
            ),
            BundleError::NoLogs { members } => write!(
                f,
                "this ZIP archive holds {} a log (*.log, *.txt). The bundle support asks for \
                 is the one `azcmagent logs` writes (azcmagent-<time>-<computer>.zip)",
                match members {
                    0 => "no file, so not".to_string(),
                    1 => "one file, which is not".to_string(),
                    n => format!("{n} files, and none of them is"),
                }
            ),
            BundleError::TooLarge { inflated } => write!(
                f,
                "the logs in this ZIP archive inflate to {}, more than the {} arc-triage \
                 reads from one archive. {UNZIP}, or run `azcmagent logs` without --full",
                size(*inflated),
                size(MAX_INFLATED)
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A byte count for people: `1.5 GB`, `300 MB`, `12 KB`.
pub fn size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    for (unit, scale) in UNITS {
        if bytes >= scale {
            let tenths = bytes * 10 / scale;
            return if tenths % 10 == 0 || tenths >= 1000 {
                format!("{} {unit}", tenths / 10)
            } else {
                format!("{}.{} {unit}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} bytes")
}

/// The end of an archive of `len` bytes that holds its end-of-directory records: the longest
/// comment, the record and the ZIP64 records before it.
pub fn tail_range(len: u64) -> Range<u64> {
    let tail = (EOCD_LEN + u16::MAX as usize + ZIP64_LOCATOR_LEN + ZIP64_EOCD_LEN) as u64;
    len.saturating_sub(tail)..len
}

/// Finds the central directory of an archive of `len` bytes, given its [`tail_range`].
pub fn locate(tail: &[u8], len: u64) -> Result<Range<u64>, BundleError> {
    let tail_start = len - tail.len() as u64;
    // The last record whose comment length reaches exactly the end of the file.
    let at = (0..=tail.len().saturating_sub(EOCD_LEN))
        .rev()
        .find(|&i| {
            u32_at(tail, i) == Some(EOCD_SIG)
                && u16_at(tail, i + 20).map(|c| i + EOCD_LEN + c as usize) == Some(tail.len())
        })
        .ok_or(BundleError::NotZip)?;
    let mut count = u64::from(u16_at(tail, at + 10).unwrap_or(0));
    let mut cd_len = u64::from(u32_at(tail, at + 12).unwrap_or(0));
    let mut cd_start = u64::from(u32_at(tail, at + 16).unwrap_or(0));
    if count == 0xffff || cd_len == 0xffff_ffff || cd_start == 0xffff_ffff {
        (count, cd_len, cd_start) = zip64_end(tail, at, tail_start)?;
    }
    let end = cd_start
        .checked_add(cd_len)
        .filter(|&e| e <= len)
        .ok_or_else(|| corrupt("its directory points past the end of the file"))?;
    if cd_len > MAX_DIRECTORY {
        return Err(corrupt(&format!(
            "its directory is {}, more than a bundle's",
            size(cd_len)
        )));
    }
    if count > cd_len / CENTRAL_LEN as u64 {
        return Err(corrupt("its directory is shorter than the files it counts"));
    }
    Ok(cd_start..end)
}

/// The ZIP64 end record's (count, directory length, directory start), from the tail.
fn zip64_end(tail: &[u8], eocd: usize, tail_start: u64) -> Result<(u64, u64, u64), BundleError> {
    let locator = eocd
        .checked_sub(ZIP64_LOCATOR_LEN)
        .filter(|&l| u32_at(tail, l) == Some(ZIP64_LOCATOR_SIG))
        .ok_or_else(|| corrupt("its ZIP64 locator is missing"))?;
    let record = u64_at(tail, locator + 8)
        .and_then(|o| o.checked_sub(tail_start))
        .and_then(|o| usize::try_from(o).ok())
        .filter(|&o| u32_at(tail, o) == Some(ZIP64_EOCD_SIG) && o + ZIP64_EOCD_LEN <= locator)
        .ok_or_else(|| corrupt("its ZIP64 end record is missing"))?;
    let field = |at: usize| u64_at(tail, record + at).unwrap_or(0);
    Ok((field(32), field(40), field(48)))
}

/// One file in the archive, as its directory describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The path inside the archive, with control characters replaced.
    pub name: String,
    /// 0: stored; 8: deflated.
    pub method: u16,
    pub compressed: u64,
    /// Inflated size, as the directory declares it.
    pub size: u64,
    pub crc: u32,
    /// Where its local header starts.
    pub header: u64,
    /// Why it is not read, or `None` for a log that is.
    pub skip: Option<Skip>,
}

/// Why a member is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Not a log by its name (a configuration file, an event log, another archive).
    NotLog,
    Encrypted,
    /// Compressed some other way than stored or deflated (Deflate64, bzip2, LZMA...).
    Method(u16),
}

impl Skip {
    pub fn describe(self) -> String {
        match self {
            Skip::NotLog => "not a log".to_string(),
            Skip::Encrypted => "password-protected".to_string(),
            Skip::Method(m) => format!("compressed with method {m}, which arc-triage cannot read"),
        }
    }
}

impl Member {
    /// Where the member's data starts, from its 30-byte local header read at [`Member::header`].
    pub fn data_start(&self, local: &[u8]) -> Result<u64, BundleError> {
        if u32_at(local, 0) != Some(LOCAL_SIG) {
            return Err(corrupt(&format!("{}: its header is missing", self.name)));
        }
        let name = u64::from(u16_at(local, 26).unwrap_or(0));
        let extra = u64::from(u16_at(local, 28).unwrap_or(0));
        Ok(self.header + LOCAL_HEADER_LEN + name + extra)
    }

    /// The byte range of the member's data, given [`Member::data_start`], within an archive of
    /// `len` bytes.
    pub fn data_range(&self, start: u64, len: u64) -> Result<Range<u64>, BundleError> {
        start
            .checked_add(self.compressed)
            .filter(|&end| end <= len)
            .map(|end| start..end)
            .ok_or_else(|| {
                corrupt(&format!(
                    "{}: its data runs past the end of the file",
                    self.name
                ))
            })
    }
}

/// The members of an archive, from its central directory's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    /// Every file (not folder), in archive order.
    pub members: Vec<Member>,
}

impl Directory {
    /// The members that are read.
    pub fn logs(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.skip.is_none())
    }

    /// Checks that the archive can be read: it holds logs, not all encrypted, inflating to at
    /// most [`MAX_INFLATED`] (as declared; [`Check`] holds each log to its declared size).
    pub fn check(&self) -> Result<(), BundleError> {
        let inflated = self.logs().fold(0u64, |sum, m| sum.saturating_add(m.size));
        if inflated > MAX_INFLATED {
            return Err(BundleError::TooLarge { inflated });
        }
        if self.logs().next().is_some() {
            return Ok(());
        }
        let encrypted = (self.members.iter())
            .filter(|m| m.skip == Some(Skip::Encrypted))
            .count();
        if encrypted > 0 {
            return Err(BundleError::Encrypted { logs: encrypted });
        }
        Err(BundleError::NoLogs {
            members: self.members.len(),
        })
    }
}

/// Reads the central directory found by [`locate`].
pub fn directory(cd: &[u8]) -> Result<Directory, BundleError> {
    let mut members = Vec::new();
    let mut at = 0;
    while at < cd.len() {
        if u32_at(cd, at) != Some(CENTRAL_SIG) || at + CENTRAL_LEN > cd.len() {
            return Err(corrupt("its directory has an entry that is not one"));
        }
        let u16f = |o: usize| u16_at(cd, at + o).unwrap_or(0);
        let u32f = |o: usize| u32_at(cd, at + o).unwrap_or(0);
        let flags = u16f(8);
        let method = u16f(10);
        let crc = u32f(16);
        let (name_len, extra_len, comment_len) =
            (u16f(28) as usize, u16f(30) as usize, u16f(32) as usize);
        let name_start = at + CENTRAL_LEN;
        let extra_start = name_start + name_len;
        let next = extra_start + extra_len + comment_len;
        if next > cd.len() {
            return Err(corrupt("its directory is cut short"));
        }
        let mut sizes = [
            u64::from(u32f(24)),
            u64::from(u32f(20)),
            u64::from(u32f(42)),
        ];
        zip64_sizes(&cd[extra_start..extra_start + extra_len], &mut sizes);
        let raw_name = &cd[name_start..extra_start];
        at = next;
        if raw_name.ends_with(b"/") || raw_name.ends_with(b"\\") {
            continue;
        }
        let name = clean_name(raw_name);
        // Bit 0: encrypted; method 99: WinZip AES (encrypted too).
        let skip = if !is_log(&name) {
            Some(Skip::NotLog)
        } else if flags & 1 != 0 || method == 99 {
            Some(Skip::Encrypted)
        } else if method != 0 && method != 8 {
            Some(Skip::Method(method))
        } else {
            None
        };
        members.push(Member {
            name,
            method,
            size: sizes[0],
            compressed: sizes[1],
            header: sizes[2],
            crc,
            skip,
        });
    }
    Ok(Directory { members })
}

/// Replaces the (size, compressed, header offset) values saturated at `0xffffffff` with the
/// ones in the ZIP64 extra field, which lists only those, in that order.
fn zip64_sizes(mut extra: &[u8], sizes: &mut [u64; 3]) {
    while extra.len() >= 4 {
        let id = u16_at(extra, 0).unwrap_or(0);
        let len = (u16_at(extra, 2).unwrap_or(0) as usize).min(extra.len() - 4);
        if id == 1 {
            let mut field = &extra[4..4 + len];
            for value in sizes.iter_mut().filter(|v| **v == 0xffff_ffff) {
                let Some(v) = u64_at(field, 0) else { break };
                *value = v;
                field = &field[8..];
            }
        }
        extra = &extra[4 + len..];
    }
}

/// A member's path for display: UTF-8 (invalid bytes replaced), with control characters (which
/// a terminal would obey) replaced.
fn clean_name(raw: &[u8]) -> String {
    let name: String = String::from_utf8_lossy(raw)
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    name.replace('\\', "/")
}

/// Whether a member is a log by its file name: `*.log`, `*.txt` and rotated logs
/// (`himds.log.1`, `gc_ext.log.2024-05-01`).
pub fn is_log(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    base.ends_with(".log") || base.ends_with(".txt") || base.contains(".log.")
}

/// Holds one inflated member to what the directory declares: no more bytes than its size, and
/// at the end, exactly its size and its CRC-32.
#[derive(Debug, Clone)]
pub struct Check {
    size: u64,
    crc: u32,
    seen: u64,
    running: u32,
}

impl Check {
    pub fn new(member: &Member) -> Check {
        Check {
            size: member.size,
            crc: member.crc,
            seen: 0,
            running: 0,
        }
    }

    /// The part of the next inflated `bytes` that is within the declared size. When it is
    /// shorter than `bytes`, the member is damaged: stop reading it, then [`Check::finish`]
    /// says so.
    pub fn accept<'a>(&mut self, bytes: &'a [u8]) -> &'a [u8] {
        let room = self.size.saturating_sub(self.seen);
        let taken = &bytes[..bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX))];
        self.running = crc::update(self.running, taken);
        self.seen += bytes.len() as u64;
        taken
    }

    /// What to say when inflating failed part-way (the data is damaged).
    pub fn inflate_failed(&self) -> String {
        format!(
            "its compressed data is damaged after {}; what came before was read",
            size(self.seen)
        )
    }

    /// `None` when the member inflated to its declared size and checksum; otherwise what is
    /// wrong with it, for the report.
    pub fn finish(&self) -> Option<String> {
        if self.seen > self.size {
            Some(format!(
                "it inflates to more than the {} its archive declares; only those were read",
                size(self.size)
            ))
        } else if self.seen < self.size {
            Some(format!(
                "it ends after {} of the {} its archive declares",
                size(self.seen),
                size(self.size)
            ))
        } else if self.running != self.crc {
            Some("its checksum does not match: some of its text may be wrong".to_string())
        } else {
            None
        }
    }
}

fn corrupt(what: &str) -> BundleError {
    BundleError::Corrupt(what.to_string())
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests;
