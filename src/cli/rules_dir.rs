//! Reading a rules folder from disk, bounded: the CLI's `--rules` and `--check-rules`, and
//! build.rs (which includes this file with `#[path]`, so both walk a folder the same way; it
//! uses only `std` for that reason).
//!
//! Links inside the folder are refused, not followed: two `ln -s . x` links made the old walk
//! exponential (23 GB in one run), and a link can also reach files outside the folder. The
//! folder named on the command line may itself be a link. The limits below bound what a folder
//! can cost before any rule is parsed; the built-in rules use about a tenth of each.

use std::io::Read;
use std::path::{Path, PathBuf};

/// At most this many `*.toml` files (the built-in set has about 150).
pub const MAX_FILES: usize = 2_000;
/// At most this many bytes in one rule file (the largest built-in one is under 20 KB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// At most this many bytes in all rule files together (the built-in ones: about 0.7 MB).
pub const MAX_TOTAL_BYTES: u64 = 8 * 1024 * 1024;
/// At most this many folders deep below the folder named (the built-in rules use one).
pub const MAX_DEPTH: usize = 8;

/// The rule files of a folder, sorted by path, and every folder walked (build.rs asks cargo to
/// watch them).
pub struct RulesDir {
    pub files: Vec<(PathBuf, String)>,
    pub dirs: Vec<PathBuf>,
}

/// Reads every `*.toml` under `root`; the error names the path, what is wrong and what to do.
pub fn read(root: &Path) -> Result<RulesDir, String> {
    let mut found = RulesDir {
        files: Vec::new(),
        dirs: Vec::new(),
    };
    let mut total = 0;
    walk(root, 0, &mut found, &mut total)?;
    found.files.sort();
    Ok(found)
}

fn walk(dir: &Path, depth: usize, found: &mut RulesDir, total: &mut u64) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| format!("{}: cannot read: {e}", path.display());
    found.dirs.push(dir.to_path_buf());
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| match depth {
            0 => format!("{}: cannot read the rules folder: {e}", dir.display()),
            _ => io(dir, e),
        })?
        .map(|entry| entry.map_err(|e| io(dir, e)))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        // `DirEntry::file_type` describes the entry itself: a link is a link, never its target.
        let kind = entry.file_type().map_err(|e| io(&path, e))?;
        if kind.is_symlink() {
            return Err(format!(
                "{}: is a symbolic link; a rules folder may not hold links (they are not \
                 followed: one can lead back into the folder or out of it). Fix: put the file or \
                 folder itself there, or remove the link",
                path.display()
            ));
        }
        if kind.is_dir() {
            if depth + 1 > MAX_DEPTH {
                return Err(format!(
                    "{}: folders nest more than {MAX_DEPTH} deep below the rules folder (the \
                     limit). Fix: keep rules at most {MAX_DEPTH} folders deep",
                    path.display()
                ));
            }
            walk(&path, depth + 1, found, total)?;
            continue;
        }
        if !kind.is_file() || path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        if found.files.len() == MAX_FILES {
            return Err(format!(
                "{}: more than {MAX_FILES} rule files (the limit; this one would be the next). \
                 Fix: keep only rule files in the folder, or split the rule set",
                path.display()
            ));
        }
        let len = entry.metadata().map_err(|e| io(&path, e))?.len();
        // Read one byte past the limit, so a file that grew after `metadata` is caught too.
        let mut content = String::new();
        std::fs::File::open(&path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut content))
            .map_err(|e| io(&path, e))?;
        let size = len.max(content.len() as u64);
        if size > MAX_FILE_BYTES {
            return Err(format!(
                "{}: {size} bytes, over the limit of {MAX_FILE_BYTES} bytes ({} KB) per rule \
                 file. Fix: one rule per file; move long samples into tests/fixtures",
                path.display(),
                MAX_FILE_BYTES / 1024
            ));
        }
        *total += size;
        if *total > MAX_TOTAL_BYTES {
            return Err(format!(
                "{}: the rule files reach {} bytes here, over the limit of {MAX_TOTAL_BYTES} \
                 bytes ({} MB) for all of them. Fix: keep only rule files in the folder, or \
                 split the rule set",
                path.display(),
                *total,
                MAX_TOTAL_BYTES >> 20
            ));
        }
        found.files.push((path, content));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The walk and the library hold a rule set to the same limits (build.rs includes this
    /// file without the library, so the values are written twice).
    #[test]
    fn the_walk_and_the_library_agree_on_the_limits() {
        assert_eq!(super::MAX_FILES, arc_triage::MAX_RULE_FILES);
        assert_eq!(
            super::MAX_FILE_BYTES as usize,
            arc_triage::MAX_RULE_FILE_BYTES
        );
        assert_eq!(super::MAX_TOTAL_BYTES as usize, arc_triage::MAX_RULES_BYTES);
    }
}
