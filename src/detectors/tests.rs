//! A detector runs only where one of its triggers was seen, so a match without one would be a
//! secret left unmasked or a value left unread. These tests prove, for every detector, that no
//! match lacks a trigger: they walk every path of the detector's DFA (anchored, from each kind
//! of preceding text) alongside an automaton that tracks the triggers, and fail on any path
//! that reaches a match before a trigger.

use super::*;
use regex_automata::hybrid::dfa::DFA;
use regex_automata::{Anchored, Input, MatchKind, nfa::thompson, util::syntax};
use std::collections::{HashMap, VecDeque};

/// The longest suffix of `seen + byte` (lower-cased) that begins a trigger, or `None` once a
/// trigger is complete.
fn step(seen: &[u8], byte: u8, triggers: &[Vec<u8>]) -> Option<Vec<u8>> {
    let mut text = seen.to_vec();
    text.push(byte.to_ascii_lowercase());
    if triggers.iter().any(|t| text.ends_with(t)) {
        return None;
    }
    (0..=text.len())
        .map(|cut| &text[cut..])
        .find(|tail| triggers.iter().any(|t| t.starts_with(tail)))
        .map(<[u8]>::to_vec)
}

/// The shortest text the detector matches (from the start of the text or after `before`)
/// without holding any of its triggers, if there is one.
fn match_without_a_trigger(source: &str, triggers: &[&str], before: Option<u8>) -> Option<String> {
    let triggers: Vec<Vec<u8>> = triggers
        .iter()
        .map(|t| t.as_bytes().to_ascii_lowercase())
        .collect();
    let dfa = DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(512 << 20)
                .minimum_cache_clear_count(Some(0)),
        )
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .thompson(thompson::Config::new().utf8(false))
        .build(source)
        .unwrap();
    let mut cache = dfa.create_cache();
    let context: Vec<u8> = before.into_iter().collect();
    let input = Input::new(&context)
        .range(context.len()..)
        .anchored(Anchored::Yes);
    let start = dfa.start_state_forward(&mut cache, &input).unwrap();
    // One byte for each class of bytes that both automata treat alike.
    let mut representatives: HashMap<(u8, u8), u8> = HashMap::new();
    for b in 0..=255u8 {
        let lower = b.to_ascii_lowercase();
        let in_trigger = triggers.iter().any(|t| t.contains(&lower));
        let key = (
            dfa.byte_classes().get(b),
            if in_trigger { lower } else { 0 },
        );
        representatives.entry(key).or_insert(b);
    }
    let bytes: Vec<u8> = representatives.into_values().collect();
    let mut seen = HashMap::new();
    let mut queue = VecDeque::from([(start, Vec::new(), Vec::new())]);
    seen.insert((start, Vec::new()), ());
    while let Some((state, partial, path)) = queue.pop_front() {
        let end = dfa.next_eoi_state(&mut cache, state).unwrap();
        if end.is_match() {
            return Some(String::from_utf8_lossy(&path).into());
        }
        for &b in &bytes {
            let next = dfa.next_state(&mut cache, state, b).unwrap();
            assert!(!next.is_quit(), "the walk cannot decide `{source}`");
            if next.is_match() {
                // A match ended before `b`, and no trigger was complete there.
                return Some(String::from_utf8_lossy(&path).into());
            }
            if next.is_dead() {
                continue;
            }
            let Some(partial) = step(&partial, b, &triggers) else {
                continue; // a trigger is held: every match from here holds it
            };
            if seen.insert((next, partial.clone()), ()).is_none() {
                let mut path = path.clone();
                path.push(b);
                queue.push_back((next, partial, path));
            }
        }
    }
    assert_eq!(
        cache.clear_count(),
        0,
        "the walk needs more cache: {source}"
    );
    None
}

fn prove<K>(detectors: &[Detector<K>], triggers: &[&str]) {
    for d in detectors {
        let own = d.triggers(triggers);
        assert!(!own.is_empty(), "{} has no trigger", d.source());
        for before in [
            None,
            Some(b' '),
            Some(b'a'),
            Some(b'\n'),
            Some(b'"'),
            Some(b'-'),
        ] {
            if let Some(text) = match_without_a_trigger(d.source(), &own, before) {
                panic!(
                    "`{}` matches {text:?} (after {before:?}), which holds none of {own:?}",
                    d.source()
                );
            }
        }
    }
}

#[test]
fn every_secret_detector_match_holds_one_of_its_triggers() {
    prove(crate::secrets::detectors(), &crate::secrets::TRIGGERS);
}

#[test]
fn every_onboarding_detector_match_holds_one_of_its_triggers() {
    prove(crate::onboarding::detectors(), &crate::onboarding::TRIGGERS);
}

/// The proof itself can fail: a detector given a trigger its matches need not hold.
#[test]
fn a_trigger_a_match_can_lack_is_found() {
    let all = ["password", "passwd", "pwd="];
    let d = Detector::new(
        (),
        &["password", "pwd="],
        &all,
        r#"(?i)\b(?:password|passwd|pwd)=([^\s;&"'\\]+)"#.into(),
    );
    let found = match_without_a_trigger(d.source(), &d.triggers(&all), None);
    let found = found
        .expect("a match without a trigger")
        .to_ascii_lowercase();
    assert!(
        found.starts_with("passwd=") && found.len() == 8,
        "{found:?}"
    );
}

/// Only the detectors a record's triggers name compile, each once.
#[test]
fn compiling_takes_only_what_the_triggers_need_within_the_budget() {
    let all = ["a", "b", "c"];
    let list: Vec<Detector<usize>> = (0..3)
        .map(|i| Detector::new(i, &[all[i]], &all, format!("{}x", all[i])))
        .collect();
    assert_eq!(compile_some(&list, 0b101, 1), (1, true));
    assert_eq!(compile_some(&list, 0b101, 5), (1, false));
    assert_eq!(compiled_count(&list), 2);
    assert!(!list[1].compiled());
    assert_eq!(compile_some(&list, 0b101, 5), (0, false));
}
