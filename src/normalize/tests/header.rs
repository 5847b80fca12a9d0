//! Which cleaned lines start a record, and at what level.

use super::clean;
use crate::report::{Format, Level};

fn starts_record(line: &str) -> bool {
    clean(line).1.starts_record
}

#[test]
fn only_an_upper_case_level_then_a_number_in_brackets_is_logrus_terminal_output() {
    let (_, i) = clean("WARN[0005] retrying");
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Warn)));
    assert!(i.formats.contains(Format::LogrusTerminal));
    for line in [
        "ERROR[main] worker stopped",
        "error[0005] lower case",
        "error[E0432]: unresolved import",
    ] {
        let (_, i) = clean(line);
        assert_eq!((i.starts_record, i.level), (false, None), "{line}");
    }
}

#[test]
fn error_record_position_lines_are_powershell() {
    for line in ["At line:1 char:1", r"At D:\scripts\onboard.ps1:12 char:5"] {
        let (_, i) = clean(line);
        assert!(i.starts_record, "{line}");
        assert!(i.formats.contains(Format::PowerShell), "{line}");
    }
    assert!(!starts_record("At least one extension failed to install"));
}

#[test]
fn ps_without_a_prompt_is_not_a_record() {
    assert!(!starts_record("PS version 5.1 is required"));
}

#[test]
fn a_logrus_line_after_an_unknown_prefix_needs_both_level_and_msg() {
    let (_, i) = clean(r#"Process Output: time="2024-05-26T03:01:21Z" level=error msg="boom""#);
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
    assert!(i.formats.contains(Format::LogrusKeyValue));
    assert!(!starts_record("Process Output: level=error"));
    assert!(!starts_record("Process Output: msg=boom"));
}

#[test]
fn syslog_dates_start_records() {
    let (_, i) = clean("Nov 25 10:00:01 vm1 himds[812]: ERROR cannot reach endpoint");
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
    let (_, i) = clean("Nov  5 10:00:01 vm1 himds[812]: started");
    assert_eq!((i.starts_record, i.level), (true, None));
    for line in [
        "Nov 25 10:00:01",
        "Nov 25 is the deadline for the upgrade",
        "Nov 25 10-00-01 vm1 himds[812]: started",
        "Nov 25 10:00-01 vm1 himds[812]: started",
    ] {
        assert!(!starts_record(line), "{line}");
    }
}

#[test]
fn only_upper_case_level_words_count_after_a_timestamp() {
    let (_, i) = clean("2024-05-26 03:01:21 retrying after error");
    assert_eq!((i.starts_record, i.level), (true, None));
    let (_, i) = clean("2024-05-26 03:01:21 [ERROR] x");
    assert_eq!(i.level, Some(Level::Error));
}

#[test]
fn shell_prompts_start_records_and_their_lookalikes_do_not() {
    for line in [
        "[root@vm1 ~]# azcmagent show",
        "azureuser@vm1:~$ sudo azcmagent connect",
    ] {
        assert!(starts_record(line), "{line}");
    }
    for line in [
        // A URL wrapped at its fragment: no user@host.
        "https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard#",
        // An address and a number sign are not a `[user@host dir]#` prompt.
        "[mail] sent to admin@contoso.com, ticket #4521",
    ] {
        assert!(!starts_record(line), "{line}");
    }
}
