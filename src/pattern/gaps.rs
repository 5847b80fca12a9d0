//! What a pattern may repeat, and which inline flags it may set, read from its syntax tree so
//! the error can quote the piece at fault.
//!
//! A gap that can grow without bound ties together unrelated text of a long record, and a long
//! counted one over a wide class (`needle[^x]{0,5000}y`) costs the matcher dearly (0.1 MB/s,
//! issue 10). So every repetition has an upper bound, except runs of whitespace (a space in a
//! pattern is one), and a repetition of a wide class may reach at most [`MAX_GAP`] bytes,
//! counting the repetitions around it (`(?:.{0,400}){40}` is 16,000).

use regex_syntax::ast::{
    self, Ast, Flag, FlagsItemKind, GroupKind, RepetitionKind, RepetitionRange,
};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The longest gap a pattern may leave over a wide class: the built-in rules' longest, the
/// `.{0,3000}?` with which machine-expired crosses the JSON of `az connectedmachine show`
/// (its status and the fields that say it is a machine may be that far apart). Most gaps are
/// 400 or less.
pub const MAX_GAP: u32 = 3000;

/// A class of more than this many bytes (of 256) is a gap, not a value: `.`, `\S`, `[^']`.
/// Value classes such as `[a-z0-9.<>-]` hold a few dozen.
const WIDE_CLASS: u32 = 128;

/// What is wrong with a prepared pattern: the problem and the fix.
pub type Problem = (String, String);

/// Checks flags and repetitions of `prepared` (a pattern after [`super::prepare`]); `original`
/// is what the rule wrote, quoted in the error.
pub fn check(original: &str, prepared: &str) -> Result<(), Problem> {
    let Ok(tree) = ast::parse::Parser::new().parse(prepared) else {
        return Ok(()); // the caller reports syntax errors (it parsed the pattern first)
    };
    walk(&tree, 1, original, prepared)
}

fn walk(node: &Ast, outer: u32, original: &str, prepared: &str) -> Result<(), Problem> {
    match node {
        Ast::Flags(set) => flags(&set.flags, original),
        Ast::Group(group) => {
            if let GroupKind::NonCapturing(set) = &group.kind {
                flags(set, original)?;
            }
            walk(&group.ast, outer, original, prepared)
        }
        Ast::Alternation(alt) => alt
            .asts
            .iter()
            .try_for_each(|a| walk(a, outer, original, prepared)),
        Ast::Concat(concat) => concat
            .asts
            .iter()
            .try_for_each(|a| walk(a, outer, original, prepared)),
        Ast::Repetition(rep) => {
            let piece = dialect_text(&prepared[rep.span.start.offset..rep.span.end.offset]);
            let max = match &rep.op.kind {
                RepetitionKind::ZeroOrOne => Some(1),
                RepetitionKind::ZeroOrMore | RepetitionKind::OneOrMore => None,
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => Some(*n),
                RepetitionKind::Range(RepetitionRange::AtLeast(_)) => None,
                RepetitionKind::Range(RepetitionRange::Bounded(_, n)) => Some(*n),
            };
            let width = class_width(prepared, &rep.ast);
            let Some(max) = max else {
                if width.is_some_and(|w| w.whitespace_only) {
                    return Ok(());
                }
                return Err((
                    format!("pattern `{original}` has an unbounded `{piece}`"),
                    "give every repetition an upper bound: `.{0,200}` for a gap, `\\S{1,200}` or \
                     `[^']{0,200}` for a value, `(?:...){0,5}` for a group (an unbounded one \
                     can tie together unrelated text of a long record)"
                        .into(),
                ));
            };
            let reach = outer.saturating_mul(max);
            if width.is_some_and(|w| w.bytes > WIDE_CLASS) && reach > MAX_GAP {
                return Err((
                    format!(
                        "pattern `{original}` has a gap `{piece}` of up to {reach} characters, \
                         over the limit of {MAX_GAP}"
                    ),
                    format!(
                        "keep a gap over `.`, `\\S` or a negated class within {MAX_GAP} \
                         characters (counting the repetitions around it), or match the text in \
                         between with a narrower class: a long gap makes the matcher slow on \
                         long records"
                    ),
                ));
            }
            walk(&rep.ast, reach, original, prepared)
        }
        _ => Ok(()),
    }
}

fn flags(set: &ast::Flags, original: &str) -> Result<(), Problem> {
    for item in &set.items {
        match item.kind {
            FlagsItemKind::Flag(Flag::MultiLine) => {
                return Err((
                    format!("pattern `{original}` sets the multi-line flag `m`"),
                    "remove it: `^` and `$` are refused anyway (pasted lines carry prefixes), \
                     and a record is matched as one text"
                        .into(),
                ));
            }
            FlagsItemKind::Flag(Flag::DotMatchesNewLine) => {
                return Err((
                    format!("pattern `{original}` sets the dot-matches-newline flag `s`"),
                    "remove it: a `.` that crosses line breaks can reach from one record into \
                     the next; a record's continuation lines are already joined"
                        .into(),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

struct Width {
    bytes: u32,
    whitespace_only: bool,
}

/// How many bytes the repeated piece matches, when it is one class (`.` is one).
fn class_width(prepared: &str, piece: &Ast) -> Option<Width> {
    let hir: Hir = regex_syntax::hir::translate::TranslatorBuilder::new()
        .case_insensitive(true)
        .unicode(false)
        .utf8(false)
        .build()
        .translate(prepared, piece)
        .ok()?;
    let HirKind::Class(Class::Bytes(class)) = hir.kind() else {
        return None;
    };
    let ranges = class.ranges();
    Some(Width {
        bytes: ranges
            .iter()
            .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
            .sum(),
        whitespace_only: ranges
            .iter()
            .all(|r| (r.start()..=r.end()).all(|b| b.is_ascii_whitespace() || b == 0x0b)),
    })
}

/// A piece of a prepared pattern as the rule wrote it: `\s*` is what a space became.
fn dialect_text(prepared: &str) -> String {
    prepared.replace(r"\s*", " ")
}
