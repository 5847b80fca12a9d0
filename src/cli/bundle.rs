//! Reading a support bundle (the ZIP archive `azcmagent logs` writes) from a file: the library's
//! [`arc_triage::bundle`] says what to read, `flate2` inflates it.

use arc_triage::bundle::{self, Check, Member};
use std::io::{Read, Seek, SeekFrom};

/// What reading an archive hands to its consumer, member by member, in archive order.
pub enum Event<'a> {
    /// A member that is not read, and why.
    Skip(&'a str, String),
    /// A log starts.
    Begin(&'a str),
    /// The next inflated bytes of the log begun last.
    Bytes(&'a [u8]),
    /// What was wrong with the log just read (it was read as far as it could be).
    Damaged(String),
}

/// Any seekable source of an archive.
pub trait Archive: Read + Seek {}
impl<T: Read + Seek> Archive for T {}

/// Reads every log of an archive of `len` bytes, or says why the archive cannot be read.
pub fn read(
    archive: &mut dyn Archive,
    len: u64,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<(), String> {
    let fail = |e: bundle::BundleError| e.to_string();
    let tail = read_at(archive, bundle::tail_range(len))?;
    let directory = bundle::directory(&read_at(
        archive,
        bundle::locate(&tail, len).map_err(fail)?,
    )?)
    .map_err(fail)?;
    directory.check().map_err(fail)?;
    let mut buf = vec![0u8; 1 << 16];
    for member in &directory.members {
        if let Some(skip) = member.skip {
            on(Event::Skip(&member.name, skip.describe()));
            continue;
        }
        let header = member.header..member.header + bundle::LOCAL_HEADER_LEN;
        let start = member
            .data_start(&read_at(archive, header)?)
            .map_err(fail)?;
        let range = member.data_range(start, len).map_err(fail)?;
        archive.seek(SeekFrom::Start(range.start)).map_err(io)?;
        on(Event::Begin(&member.name));
        if let Some(why) = inflate(&mut *archive, member, &mut buf, on) {
            on(Event::Damaged(why));
        }
    }
    Ok(())
}

/// Inflates one member from the archive's current position; says what was wrong, if anything.
fn inflate(
    archive: &mut dyn Archive,
    member: &Member,
    buf: &mut [u8],
    on: &mut dyn FnMut(Event<'_>),
) -> Option<String> {
    let data = archive.take(member.compressed);
    let mut reader: Box<dyn Read + '_> = match member.method {
        8 => Box::new(flate2::read::DeflateDecoder::new(data)),
        _ => Box::new(data),
    };
    let mut check = Check::new(member);
    loop {
        match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => {
                let kept = check.accept(&buf[..n]);
                on(Event::Bytes(kept));
                if kept.len() < n {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Some(check.inflate_failed()),
        }
    }
    check.finish()
}

fn read_at(archive: &mut dyn Archive, range: std::ops::Range<u64>) -> Result<Vec<u8>, String> {
    archive.seek(SeekFrom::Start(range.start)).map_err(io)?;
    let mut bytes = Vec::new();
    archive
        .take(range.end - range.start)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}

fn io(e: std::io::Error) -> String {
    format!("cannot read the archive: {e}")
}

/// Whether bytes start like a ZIP archive (a first member, or the end record of an empty one).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}
