use super::*;
use crate::report::{Format, Level};

fn decoded(s: &str) -> String {
    decode_record(s).text.into_owned()
}

fn clean(s: &str) -> (String, LineInfo) {
    let (t, i) = clean_line(s);
    (t.into_owned(), i)
}

#[test]
fn logrus_records_are_unescaped_once() {
    let line = r#"time="2022-09-30T10:04:15Z" level=debug msg="Failed. Error: POST x\n----\nRESPONSE 403: 403 Forbidden\n{\n  \"error\": {\"code\": \"AuthorizationFailed\"}}" Path="C:\\temp\\x""#;
    let (t, i) = clean(line);
    assert_eq!(
        t, line,
        "line cleaning leaves escapes to the record decoder"
    );
    assert!(i.starts_record);
    assert_eq!(i.level, Some(Level::Debug));
    let d = decoded(&t);
    assert!(
        d.contains(r#"RESPONSE 403: 403 Forbidden {   "error": {"code": "AuthorizationFailed"}}"#),
        "{d}"
    );
    assert!(
        d.contains(r#"Path="C:\temp\x""#),
        "a Windows path keeps its backslashes: {d}"
    );
}

#[test]
fn decoding_maps_every_byte_back_into_the_pasted_text() {
    let text = r#"level=fatal msg="a \"quoted\" word" caf\u00e9=1 x"#;
    let d = decode_record(text);
    assert_eq!(d.text, r#"level=fatal msg="a "quoted" word" café=1 x"#);
    let map = d.map.expect("something was decoded");
    let at = d.text.find("quoted").unwrap();
    assert_eq!(
        &text[map.pasted(at).unwrap()..][..6],
        "quoted",
        "copied runs map linearly"
    );
    let quote = d.text.find("\"quoted").unwrap();
    assert_eq!(
        &text[map.pasted(quote).unwrap()..][..2],
        "\\\"",
        "an escape maps to its backslash"
    );
    let e = d.text.find('é').unwrap();
    let u = text.find("\\u00e9").unwrap();
    assert_eq!(
        (map.pasted(e), map.pasted(e + 1)),
        (Some(u), Some(u)),
        "both bytes of é"
    );
    assert_eq!(
        &text[map.pasted(e + 2).unwrap()..],
        "=1 x",
        "and the text after it"
    );
    assert_eq!(map.pasted(d.text.len()), None, "past the end");
    let plain = "no escapes here";
    assert!(
        decode_record(plain).map.is_none(),
        "nothing decoded, nothing to map"
    );
}

#[test]
fn offset_maps_compose_across_layers() {
    // An escaped logrus line inside a JSON envelope: three rounds of unescaping.
    let text =
        r#"{"log":"time=\\\"t\\\" level=\\\"error\\\" msg=\\\"x \\\\\\\"deep\\\\\\\" y\\\""}"#;
    let d = decode_record(text);
    let at = d.text.find("deep").expect(&d.text);
    let map = d.map.expect("decoded");
    assert_eq!(&text[map.pasted(at).unwrap()..][..4], "deep", "{}", d.text);
}

#[test]
fn terminal_and_console_headers() {
    let (_, i) = clean("FATAL[0032] Failed to obtain FqdnDNS:");
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Fatal)));
    let (_, i) = clean("\u{1b}[31mERRO\u{1b}[0m[0032] Failed to discover OS information");
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
    assert!(i.formats.contains(Format::AnsiColours));
    let (_, i) = clean("INFO    Exit Code:  AZCM0043: Failed to Delete Resource");
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Info)));
    let (t, i) = clean("[31mFATAL[0m   Private Link Scope resource ID must be provided");
    assert_eq!(t, "FATAL   Private Link Scope resource ID must be provided");
    assert_eq!(i.level, Some(Level::Fatal));
}

#[test]
fn wrapped_continuations_do_not_start_records() {
    for line in [
        "ERROR CODE: AuthorizationFailed",
        "ERROR CODE UNAVAILABLE",
        "RESPONSE 403: 403 Forbidden",
        "n.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0:",
        "b031-ef5e7edf9c8e",
        "  unreachable.",
        "{",
        "\"error\": \"invalid_client\",",
        "Infrastructure is fine",
        "2019-03-18-preview:  Forbidden",
    ] {
        assert!(!clean(line).1.starts_record, "{line}");
    }
}

#[test]
fn json_envelopes_and_escaped_logrus_are_unwrapped() {
    let line = r#"{"log":"time=\"2023-05-05T10:25:32+01:00\" level=fatal msg=\"Private Link Scope \u003cid\u003e \\\"x\\\"\"\n","stream":"stderr"}"#;
    let (t, i) = clean(line);
    assert!(i.starts_record);
    assert_eq!(i.level, Some(Level::Fatal));
    assert_eq!(
        decoded(&t),
        r#"{"log":"time="2023-05-05T10:25:32+01:00" level=fatal msg="Private Link Scope <id> "x"" ","stream":"stderr"}"#
    );
    // A JSON line's escapes are undone even when they are only `\\` and `\n`.
    assert_eq!(
        decoded(r#"{"log":"C:\\ProgramData\\AzureConnectedMachineAgent\n","stream":"stderr"}"#),
        r#"{"log":"C:\ProgramData\AzureConnectedMachineAgent ","stream":"stderr"}"#
    );
    // Fields beside the message stay: an ARM error body, an install script's --output file.
    let arm = r#"{"error":{"code":"AuthorizationFailed","message":"The client \u0027x\u0027 with object id \u0027y\u0027 does not have authorization"}}"#;
    assert_eq!(
        decoded(arm),
        r#"{"error":{"code":"AuthorizationFailed","message":"The client 'x' with object id 'y' does not have authorization"}}"#
    );
    let escaped = r#"time=\"2023-05-05\" level=error msg=\"a \\\"quoted\\\" word\""#;
    assert_eq!(
        decoded(escaped),
        r#"time="2023-05-05" level=error msg="a "quoted" word""#
    );
}

#[test]
fn an_escape_split_by_wrapping_decodes_once_joined() {
    let first = clean(r#"time="2020-07-20T10:00:00Z" level=fatal msg="x" Error="a \"b\"\"#).0;
    let second = clean(r#"" c""#);
    assert!(!second.1.starts_record);
    let joined = format!("{first}{}", second.0);
    assert_eq!(
        decoded(&joined),
        r#"time="2020-07-20T10:00:00Z" level=fatal msg="x" Error="a "b"" c""#
    );
}

#[test]
fn powershell_layers() {
    let (t, i) = clean(r#"azcmagent.exe : time="2020-07-20T10:00:00Z" level=fatal msg="x""#);
    assert!(t.starts_with("time="));
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Fatal)));
    let (t, i) = clean(">>   --tenant-id \"t\" `");
    assert_eq!(t, "--tenant-id \"t\" `");
    assert!(!i.starts_record);
    assert!(
        clean(r"PS C:\Windows\system32> azcmagent connect")
            .1
            .starts_record
    );
    assert!(clean("At line:1 char:1").1.starts_record);
    let (t, _) = clean("Line 8425: time=\"x\" level=debug msg=\"y\"");
    assert!(t.starts_with("time="));
}

#[test]
fn json_escaped_wrapper_text_is_decoded_but_windows_paths_are_not() {
    let deployment = r#""Exception": "Type \u0027ConnectArc\u0027 raised an exception:\n\nAZCMAgent command failed with error:  \u003e\u003e exitcode: 42.","#;
    assert_eq!(
        decoded(deployment),
        r#""Exception": "Type 'ConnectArc' raised an exception:  AZCMAgent command failed with error:  >> exitcode: 42.","#
    );
    let path = r"Cannot find path '\\dc01\share\AzureConnectedMachineAgent.msi' because it does not exist.";
    assert_eq!(decoded(path), path, "no JSON escape, no decoding");
}

#[test]
fn powershell_transcripts() {
    let (t, i) =
        clean("PS>TerminatingError(Invoke-WebRequest): \"The remote name could not be resolved\"");
    assert!(i.starts_record);
    assert!(t.starts_with("PS>"));
    assert!(clean("**********************").1.starts_record);
    assert!(
        !clean("Transcript started, output file is C:\\t.txt")
            .1
            .starts_record
    );
}

#[test]
fn timestamped_script_logs() {
    let (_, i) =
        clean("[2023-10-17][08:13:22] ERROR Azure Connected Machine Agent is not connected");
    assert_eq!((i.starts_record, i.level), (true, Some(Level::Error)));
    let (t, i) = clean(
        "<GCLOG>[2024-05-26 03:01:21.423] [PID 1] [TID 2] [Pull Client] [ERROR] [x] Failed</GCLOG>",
    );
    assert!(t.ends_with("Failed"));
    assert_eq!(i.level, Some(Level::Error));
    let (t, i) =
        clean("WixQuietExec64:  cannot be started due to the following error: Cannot start ");
    assert_eq!(
        t,
        "cannot be started due to the following error: Cannot start"
    );
    assert!(!i.starts_record);
}

#[test]
fn hex_and_surrogate_escapes() {
    assert_eq!(
        decoded(r#"level=error msg="a\x41b \x80 \xZZ""#),
        r#"level=error msg="aAb \x80 \xZZ""#
    );
    assert_eq!(
        decoded(r#"level=error msg="\ud83d\ude00 \ud83d \ude00 \u00""#),
        "level=error msg=\"😀 \u{fffd} \u{fffd} \\u00\""
    );
    let text = r#"level=error msg="x\ud83d\ude00y\x41z""#;
    let d = decode_record(text);
    let map = d.map.expect("decoded");
    let y = d.text.find('y').unwrap();
    assert_eq!(
        &text[map.pasted(y).unwrap()..][..1],
        "y",
        "after a surrogate pair"
    );
    let z = d.text.find('z').unwrap();
    assert_eq!(&text[map.pasted(z).unwrap()..], "z\"", "after a hex escape");
}

#[test]
fn each_sign_of_quoting_decodes_on_its_own() {
    // An escaped logrus line is unescaped twice, whichever of its fields gives it away.
    for text in [
        r#"time=\"t\" text=\"a \\\"b\\\"\""#,
        r#"level=\"error\" text=\"a \\\"b\\\"\""#,
        r#"x msg=\"a \\\"b\\\"\""#,
    ] {
        assert!(
            decoded(text).contains(r#"a "b""#),
            "{text} -> {}",
            decoded(text)
        );
    }
    // logrus fields: any one of them means Go escapes are undone once.
    for text in [r#"level=error x\ty"#, r#"msg=x x\ty"#, r#"Error="x\ty""#] {
        assert!(decoded(text).contains("x y"), "{text} -> {}", decoded(text));
    }
    assert_eq!(
        decoded(r#"C:\temp\x"#),
        r#"C:\temp\x"#,
        "a path alone is not decoded"
    );
}

mod header;
mod line;
