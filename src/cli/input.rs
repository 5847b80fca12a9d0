//! Opening an input: a log streamed in chunks, or a support bundle (a ZIP archive) read by
//! [`super::bundle`]; which one is decided by the first bytes, not the file name.

use super::bundle::{self, Archive, Event};
use arc_triage::Session;
use std::io::{Cursor, Read, Seek, SeekFrom};

/// Input is read in chunks of this size, so a file of any size streams in bounded memory.
const CHUNK: usize = 1 << 20;
/// An archive on standard input is held in memory to be read (its directory is at its end).
const MAX_PIPED_ARCHIVE: u64 = 256 << 20;

pub enum Input {
    /// A log (or anything that is not an archive), read front to back.
    Stream(Box<dyn Read>),
    /// A ZIP archive of `len` bytes.
    Archive(Box<dyn Archive>, u64),
}

/// Opens `file`, or standard input for `-`.
pub fn open(file: &str) -> Result<Input, String> {
    if file == "-" {
        return open_stdin();
    }
    let path = std::path::Path::new(file);
    if path.is_dir() {
        return Err(format!(
            "{file}: is a directory; name the log files in it (azcmagent.log, himds.log)"
        ));
    }
    let mut f =
        std::fs::File::open(path).map_err(|e| format!("{file}: cannot open: {}", describe(&e)))?;
    let mut head = Vec::with_capacity(4);
    (&mut f)
        .take(4)
        .read_to_end(&mut head)
        .map_err(|e| format!("{file}: cannot read: {}", describe(&e)))?;
    f.seek(SeekFrom::Start(0))
        .map_err(|e| format!("{file}: cannot read: {}", describe(&e)))?;
    if bundle::is_zip(&head) {
        let len = f.metadata().map_or(0, |m| m.len());
        return Ok(Input::Archive(Box::new(std::io::BufReader::new(f)), len));
    }
    Ok(Input::Stream(Box::new(f)))
}

fn open_stdin() -> Result<Input, String> {
    let mut stdin = std::io::stdin();
    let mut head = Vec::with_capacity(4);
    (&mut stdin)
        .take(4)
        .read_to_end(&mut head)
        .map_err(|e| format!("standard input: cannot read: {}", describe(&e)))?;
    if !bundle::is_zip(&head) {
        return Ok(Input::Stream(Box::new(Cursor::new(head).chain(stdin))));
    }
    let mut bytes = head;
    stdin
        .take(MAX_PIPED_ARCHIVE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: cannot read: {}", describe(&e)))?;
    if bytes.len() as u64 > MAX_PIPED_ARCHIVE {
        return Err(format!(
            "standard input: a ZIP archive on standard input is read into memory, up to {}; \
             name the file instead: arc-triage FILE.zip",
            arc_triage::bundle::size(MAX_PIPED_ARCHIVE)
        ));
    }
    let len = bytes.len() as u64;
    Ok(Input::Archive(Box::new(Cursor::new(bytes)), len))
}

/// Reads `file` into `session`: a log as it is, an archive log by log.
pub fn read_into(file: &str, session: &mut Session<'_>) -> Result<(), String> {
    match open(file)? {
        Input::Stream(mut reader) => feed(&mut *reader, file, &mut |bytes| session.feed(bytes)),
        Input::Archive(mut archive, len) => {
            bundle::read(&mut *archive, len, &mut |event| match event {
                Event::Skip(name, why) => session.skip_file(name, &why),
                Event::Begin(name) => session.begin_file(name),
                Event::Bytes(bytes) => session.feed(bytes),
                Event::Damaged(why) => session.file_damaged(&why),
            })
            .map_err(|e| format!("{}: {e}", display_name(file)))
        }
    }
}

/// Reads a stream in chunks, handing each to `consume`.
pub fn feed(
    reader: &mut dyn Read,
    file: &str,
    consume: &mut dyn FnMut(&[u8]),
) -> Result<(), String> {
    let mut buf = vec![0u8; CHUNK];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => consume(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(format!(
                    "{}: cannot read: {}",
                    display_name(file),
                    describe(&e)
                ));
            }
        }
    }
}

/// How an input is named in messages.
pub fn display_name(file: &str) -> &str {
    if file == "-" { "standard input" } else { file }
}

pub fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied (the agent's logs are readable by root / Administrators only)"
                .to_string()
        }
        _ => e.to_string(),
    }
}
