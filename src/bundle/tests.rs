use super::*;

const LINUX: &[u8] = include_bytes!("../../tests/bundle/azcmagent-20201020T152324-web01.zip");
const CUT: &[u8] = include_bytes!("../../tests/bundle/damaged-cut-short.zip");
const LOCKED: &[u8] = include_bytes!("../../tests/bundle/password-protected.zip");
const LARGE: &[u8] = include_bytes!("../../tests/bundle/too-large.zip");
const NO_LOGS: &[u8] = include_bytes!("../../tests/bundle/no-logs.zip");

/// The archive's directory, read as a driver reads it.
fn read(archive: &[u8]) -> Result<Directory, BundleError> {
    let len = archive.len() as u64;
    let r = tail_range(len);
    let cd = locate(&archive[r.start as usize..], len)?;
    directory(&archive[cd.start as usize..cd.end as usize])
}

/// A log member's inflated-by-hand bytes are not needed here: the stored himds.log is.
fn stored(archive: &[u8], m: &Member) -> Vec<u8> {
    let h = m.header as usize;
    let start = m.data_start(&archive[h..h + 30]).unwrap();
    let r = m.data_range(start, archive.len() as u64).unwrap();
    archive[r.start as usize..r.end as usize].to_vec()
}

#[test]
fn a_bundle_lists_its_files_and_picks_the_logs() {
    let dir = read(LINUX).unwrap();
    let listed: Vec<(&str, Option<Skip>, u16)> = (dir.members.iter())
        .map(|m| (m.name.as_str(), m.skip, m.method))
        .collect();
    assert_eq!(
        listed,
        [
            ("var/opt/azcmagent/log/azcmagent.log", None, 8),
            ("var/opt/azcmagent/log/himds.log", None, 0),
            ("var/opt/azcmagent/agentconfig.json", Some(Skip::NotLog), 8),
            ("var/lib/GuestConfig/ext_mgr_logs/gc_ext.log", None, 8),
        ],
        "the folder entry is left out"
    );
    assert_eq!(dir.logs().count(), 3);
    assert_eq!(dir.check(), Ok(()));
    let himds = &dir.members[1];
    let data = stored(LINUX, himds);
    assert_eq!(data.len() as u64, himds.size);
    assert_eq!(himds.compressed, himds.size);
    assert_eq!(crc32(&data), himds.crc);
    assert!(data.starts_with(b"time=\"2023-10-20T15:08:30-03:00\" level=info"));
}

#[test]
fn the_directory_is_found_behind_a_comment_that_looks_like_one() {
    // A comment holding an end-record signature of its own: the real record is the one whose
    // comment runs exactly to the end of the file.
    let mut zip = LINUX.to_vec();
    let fake = b"PK\x05\x06 not the end";
    let eocd = zip.len() - EOCD_LEN;
    zip[eocd + 20..eocd + 22].copy_from_slice(&(fake.len() as u16).to_le_bytes());
    zip.extend_from_slice(fake);
    assert_eq!(read(&zip).unwrap(), read(LINUX).unwrap());
}

#[test]
fn the_tail_holds_the_longest_comment_and_the_zip64_records() {
    assert_eq!(tail_range(100), 0..100);
    let longest = (EOCD_LEN + 65535 + ZIP64_LOCATOR_LEN + ZIP64_EOCD_LEN) as u64;
    assert_eq!(tail_range(1 << 30), (1 << 30) - longest..1 << 30);
    assert_eq!(tail_range(longest), 0..longest);
}

#[test]
fn zip64_end_records_are_followed() {
    // The same archive with its end record saturated and the real values in ZIP64 records.
    let eocd = LINUX.len() - EOCD_LEN;
    let (count, cd_len, cd_start) = (
        u16_at(LINUX, eocd + 10).unwrap(),
        u32_at(LINUX, eocd + 12).unwrap(),
        u32_at(LINUX, eocd + 16).unwrap(),
    );
    let mut zip = LINUX[..eocd].to_vec();
    let record_at = zip.len() as u64;
    zip.extend_from_slice(&ZIP64_EOCD_SIG.to_le_bytes());
    zip.extend_from_slice(&44u64.to_le_bytes());
    zip.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    zip.extend_from_slice(&u64::from(count).to_le_bytes());
    zip.extend_from_slice(&u64::from(count).to_le_bytes());
    zip.extend_from_slice(&u64::from(cd_len).to_le_bytes());
    zip.extend_from_slice(&u64::from(cd_start).to_le_bytes());
    zip.extend_from_slice(&ZIP64_LOCATOR_SIG.to_le_bytes());
    zip.extend_from_slice(&0u32.to_le_bytes());
    zip.extend_from_slice(&record_at.to_le_bytes());
    zip.extend_from_slice(&1u32.to_le_bytes());
    zip.extend_from_slice(&LINUX[eocd..eocd + 8]);
    zip.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    zip.extend_from_slice(&[0xff; 8]);
    zip.extend_from_slice(&[0, 0]);
    let len = zip.len() as u64;
    assert_eq!(
        locate(&zip, len),
        Ok(u64::from(cd_start)..u64::from(cd_start) + u64::from(cd_len))
    );
    // Without its locator the saturated record cannot be followed.
    let mut lost = zip.clone();
    let locator = lost.len() - EOCD_LEN - ZIP64_LOCATOR_LEN;
    lost[locator] = b'X';
    assert_eq!(
        locate(&lost, len),
        Err(corrupt("its ZIP64 locator is missing"))
    );
    // A locator pointing at something else.
    let mut wrong = zip;
    wrong[record_at as usize] = b'X';
    assert_eq!(
        locate(&wrong, len),
        Err(corrupt("its ZIP64 end record is missing"))
    );
}

#[test]
fn zip64_extra_fields_replace_saturated_sizes_in_order() {
    let mut sizes = [0xffff_ffff, 7, 0xffff_ffff];
    let mut extra = vec![9, 0, 2, 0, 0xaa, 0xbb]; // another field first
    extra.extend_from_slice(&[1, 0, 16, 0]);
    extra.extend_from_slice(&(5u64 << 32).to_le_bytes());
    extra.extend_from_slice(&(6u64 << 32).to_le_bytes());
    zip64_sizes(&extra, &mut sizes);
    assert_eq!(sizes, [5 << 32, 7, 6 << 32]);
    // A field shorter than it says is read as far as it goes.
    let mut short = [0xffff_ffff, 0xffff_ffff, 3];
    zip64_sizes(&[1, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0, 0], &mut short);
    assert_eq!(short, [1, 0xffff_ffff, 3]);
}

#[test]
fn a_cut_or_foreign_file_is_not_a_zip() {
    assert_eq!(read(CUT), Err(BundleError::NotZip));
    assert_eq!(
        read(b"PK\x03\x04 and then nothing"),
        Err(BundleError::NotZip)
    );
    assert_eq!(read(b""), Err(BundleError::NotZip));
}

#[test]
fn a_directory_that_does_not_fit_the_file_is_damaged() {
    let eocd = LINUX.len() - EOCD_LEN;
    let mut past = LINUX.to_vec();
    past[eocd + 16..eocd + 20].copy_from_slice(&(LINUX.len() as u32).to_le_bytes());
    assert_eq!(
        read(&past),
        Err(corrupt("its directory points past the end of the file"))
    );
    let mut counted = LINUX.to_vec();
    counted[eocd + 10..eocd + 12].copy_from_slice(&1000u16.to_le_bytes());
    assert_eq!(
        read(&counted),
        Err(corrupt("its directory is shorter than the files it counts"))
    );
    let cd = u32_at(LINUX, eocd + 16).unwrap() as usize;
    let mut entry = LINUX.to_vec();
    entry[cd] = b'X';
    assert_eq!(
        read(&entry),
        Err(corrupt("its directory has an entry that is not one"))
    );
    // The first entry's name said to be longer than the directory.
    let mut long = LINUX.to_vec();
    long[cd + 28..cd + 30].copy_from_slice(&60000u16.to_le_bytes());
    assert_eq!(read(&long), Err(corrupt("its directory is cut short")));
}

#[test]
fn a_member_header_is_checked_before_its_data_is_read() {
    let dir = read(LINUX).unwrap();
    let m = &dir.members[0];
    let h = m.header as usize;
    let mut header = LINUX[h..h + 30].to_vec();
    let name_len = m.name.len() as u64;
    assert_eq!(m.data_start(&header), Ok(m.header + 30 + name_len));
    header[26] += 4; // a longer name moves the data
    header[28] = 2; // and an extra field
    assert_eq!(m.data_start(&header), Ok(m.header + 30 + name_len + 4 + 2));
    header[0] = b'X';
    let err = m.data_start(&header).unwrap_err().to_string();
    assert!(
        err.contains("azcmagent.log: its header is missing"),
        "{err}"
    );
    assert_eq!(
        m.data_range(10, 10 + m.compressed),
        Ok(10..10 + m.compressed)
    );
    assert!(m.data_range(10, 9 + m.compressed).is_err());
    assert!(m.data_range(u64::MAX, u64::MAX).is_err(), "no overflow");
}

#[test]
fn archives_that_cannot_be_read_say_why_and_what_to_do() {
    let locked = read(LOCKED).unwrap();
    assert_eq!(locked.check(), Err(BundleError::Encrypted { logs: 3 }));
    let message = locked.check().unwrap_err().to_string();
    assert!(message.contains("3 logs in this ZIP archive are password-protected"));
    assert!(message.contains("writes archives without a password"));

    let large = read(LARGE).unwrap();
    let message = large.check().unwrap_err().to_string();
    assert!(
        matches!(large.check(), Err(BundleError::TooLarge { inflated }) if inflated == 3 * 0x7fff_ffff)
    );
    assert!(
        message.contains("inflate to 5.9 GB, more than the 1 GB"),
        "{message}"
    );

    let none = read(NO_LOGS).unwrap();
    assert_eq!(none.check(), Err(BundleError::NoLogs { members: 1 }));
    assert!(
        none.check()
            .unwrap_err()
            .to_string()
            .contains("one file, which is not a log")
    );
    let empty = Directory { members: vec![] };
    assert!(empty.check().unwrap_err().to_string().contains("no file"));
}

#[test]
fn the_size_cap_is_inclusive_and_counts_only_logs() {
    let mut dir = read(LINUX).unwrap();
    for m in &mut dir.members {
        m.size = 0;
    }
    dir.members[0].size = MAX_INFLATED;
    assert_eq!(dir.check(), Ok(()));
    dir.members[2].size = u64::MAX; // agentconfig.json is not read
    assert_eq!(dir.check(), Ok(()));
    dir.members[1].size = 1;
    assert_eq!(
        dir.check(),
        Err(BundleError::TooLarge {
            inflated: MAX_INFLATED + 1
        })
    );
    dir.members[3].size = u64::MAX;
    assert!(dir.check().is_err(), "sums saturate instead of wrapping");
}

#[test]
fn only_logs_are_read_and_an_encrypted_one_is_said_to_be() {
    assert!(is_log("var/opt/azcmagent/log/himds.log"));
    assert!(is_log(
        "ProgramData/AzureConnectedMachineAgent/Log/AZCMAGENT.LOG"
    ));
    assert!(is_log("x/installationlog.txt"));
    assert!(is_log("himds.log.1"));
    assert!(is_log("gc_ext.log.2024-05-01"));
    assert!(!is_log("agentconfig.json"));
    assert!(!is_log("events.evtx"));
    assert!(!is_log("log/inner.zip"));
    assert!(!is_log("catalog"), "a name ending in 'log' is not a log");
    assert!(!is_log("logs.d/readme"));
    assert_eq!(
        clean_name(b"a\\b\x1b]0;x\x07.log"),
        "a/b\u{fffd}]0;x\u{fffd}.log"
    );
    assert_eq!(clean_name(b"caf\xe9.log"), "caf\u{fffd}.log");
    assert_eq!(
        Skip::Method(9).describe(),
        "compressed with method 9, which arc-triage cannot read"
    );
    assert_eq!(Skip::Encrypted.describe(), "password-protected");
    assert_eq!(Skip::NotLog.describe(), "not a log");
}

#[test]
fn member_flags_and_methods_decide_what_is_skipped() {
    let eocd = LINUX.len() - EOCD_LEN;
    let cd = u32_at(LINUX, eocd + 16).unwrap() as usize;
    // The first member (azcmagent.log, after the folder) is the second entry.
    let second = cd + CENTRAL_LEN + "var/opt/azcmagent/log/".len();
    let with = |offset: usize, value: u16| {
        let mut zip = LINUX.to_vec();
        zip[second + offset..second + offset + 2].copy_from_slice(&value.to_le_bytes());
        read(&zip).unwrap().members[0].skip
    };
    assert_eq!(with(8, 0x0801), Some(Skip::Encrypted));
    assert_eq!(with(10, 99), Some(Skip::Encrypted), "WinZip AES");
    assert_eq!(with(10, 9), Some(Skip::Method(9)), "Deflate64");
    assert_eq!(with(10, 0), None);
    assert_eq!(with(8, 0x0808), None, "a data descriptor is fine");
}

#[test]
fn a_check_holds_a_member_to_its_declared_size_and_checksum() {
    let text = b"time=\"x\" level=error msg=\"boom\"\n";
    let member = Member {
        name: "a.log".into(),
        method: 8,
        compressed: 10,
        size: text.len() as u64,
        crc: crc32(text),
        header: 0,
        skip: None,
    };
    let mut whole = Check::new(&member);
    assert_eq!(whole.accept(&text[..5]), &text[..5]);
    assert_eq!(whole.accept(&text[5..]), &text[5..]);
    assert_eq!(whole.finish(), None);
    assert_eq!(
        whole.inflate_failed(),
        "its compressed data is damaged after 32 bytes; what came before was read"
    );

    let mut longer = Check::new(&member);
    let mut more = text.to_vec();
    more.extend_from_slice(b"and more");
    assert_eq!(
        longer.accept(&more),
        text,
        "bytes past the size are not handed on"
    );
    assert_eq!(longer.accept(b"x"), b"");
    assert!(longer.finish().unwrap().contains("more than the 32 bytes"));

    let mut shorter = Check::new(&member);
    shorter.accept(&text[..4]);
    assert_eq!(
        shorter.finish().unwrap(),
        "it ends after 4 bytes of the 32 bytes its archive declares"
    );

    let mut wrong = Check::new(&member);
    let mut changed = text.to_vec();
    changed[0] = b'T';
    wrong.accept(&changed);
    assert!(wrong.finish().unwrap().contains("checksum does not match"));
}

#[test]
fn crc32_is_zips() {
    assert_eq!(crc32(b""), 0);
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    assert_eq!(crc::update(crc32(b"1234"), b"56789"), 0xcbf4_3926);
}

#[test]
fn sizes_read_as_people_write_them() {
    assert_eq!(size(0), "0 bytes");
    assert_eq!(size(1023), "1023 bytes");
    assert_eq!(size(1024), "1 KB");
    assert_eq!(size(1536), "1.5 KB");
    assert_eq!(size(256 << 20), "256 MB");
    assert_eq!(size(MAX_INFLATED), "1 GB");
    assert_eq!(size(1100 << 30), "1100 GB");
}

#[test]
fn error_messages_name_the_damage() {
    assert!(
        BundleError::NotZip
            .to_string()
            .contains("cut short while copying")
    );
    let damaged = corrupt("its directory is cut short").to_string();
    assert!(damaged.starts_with("this ZIP archive is damaged (its directory is cut short)"));
    assert!(damaged.contains("azcmagent.log, himds.log"));
    let one = BundleError::Encrypted { logs: 1 }.to_string();
    assert!(
        one.contains("the 1 log in this ZIP archive is password-protected"),
        "{one}"
    );
}
