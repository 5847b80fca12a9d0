//! Colour codes and the prefixes tools put in front of log lines.

use super::clean;
use crate::normalize::line::strip_ansi;
use crate::report::Level;

#[test]
fn control_sequences_other_than_colours_are_stripped() {
    // Erase-line and cursor moves, as a progress display leaves them.
    assert_eq!(
        clean("\u{1b}[2K\u{1b}[1GERROR disk full").0,
        "ERROR disk full"
    );
    // Two-byte escapes: save and restore the cursor.
    assert_eq!(strip_ansi("\u{1b}7saved\u{1b}8"), "saved");
}

#[test]
fn a_control_sequence_cut_off_at_the_end_of_the_line_is_dropped() {
    assert_eq!(strip_ansi("done\u{1b}[12"), "done");
    assert_eq!(strip_ansi("done\u{1b}]0;title"), "done");
    assert_eq!(strip_ansi("done\u{1b}"), "done");
}

#[test]
fn a_window_title_ending_in_bel_is_stripped() {
    assert_eq!(
        strip_ansi("\u{1b}]0;Administrator: PowerShell\u{7}PS C:\\> azcmagent show"),
        "PS C:\\> azcmagent show"
    );
}

#[test]
fn a_hyperlink_ending_in_st_is_stripped() {
    assert_eq!(
        strip_ansi("see \u{1b}]8;;https://aka.ms/arc\u{1b}\\the docs\u{1b}]8;;\u{1b}\\ first"),
        "see the docs first"
    );
}

#[test]
fn a_window_title_cut_short_by_a_colour_code_leaves_no_debris() {
    assert_eq!(
        strip_ansi("\u{1b}]0;title\u{1b}[31mERROR\u{1b}[0m failed"),
        "ERROR failed"
    );
}

#[test]
fn only_an_editor_line_number_prefix_is_stripped() {
    assert_eq!(clean("Line 8425: x").0, "x");
    for line in ["Line 12 of setup.ps1 failed", "Line : unknown"] {
        assert_eq!(clean(line).0, line);
    }
}

#[test]
fn a_markdown_fence_line_is_emptied() {
    for line in ["```", "```powershell", "  ```", "> ```text"] {
        let (t, i) = clean(line);
        assert_eq!((t.as_str(), i.starts_record), ("", true), "{line}");
    }
}

#[test]
fn container_runtime_prefixes_are_stripped() {
    let (t, i) = clean(
        r#"2024-05-26T03:01:21.330Z stderr F time="2024-05-26T03:01:21Z" level=error msg="x""#,
    );
    assert_eq!(t, r#"time="2024-05-26T03:01:21Z" level=error msg="x""#);
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
    assert_eq!(
        clean("2024-05-26T03:01:21.330Z stdout P partial line").0,
        "partial line"
    );
}

#[test]
fn a_timestamped_line_without_a_stream_and_tag_keeps_its_text() {
    for line in [
        "2024-05-26T03:01:21Z stdout is closed",
        "2024-05-26T03:01:21Z stdout X y",
        "2024-05-26T03:01:21Z ERROR stdout F",
    ] {
        assert_eq!(clean(line).0, line);
    }
}
