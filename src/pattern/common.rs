//! Words too common to serve as a prefilter anchor. An anchor the one-pass scan finds in every
//! other record (`from`, `flow`, `network`) makes its pattern run on every such record: correct,
//! but the prefilter is then no filter. The engine's own list below holds in every rule set; a
//! manifest's `common_words` add to it.

/// English function words and the everyday words of agent and installer output. Lower case;
/// a literal's words are compared with these whole, and with longer ones also as parts.
pub const ENGINE_COMMON_WORDS: &[&str] = &[
    // English function words.
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does",
    "done", "each", "for", "from", "had", "has", "have", "he", "her", "here", "his", "how", "i",
    "if", "in", "into", "is", "it", "its", "may", "more", "must", "my", "no", "not", "now", "of",
    "off", "on", "once", "only", "or", "other", "our", "out", "over", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "why", "will", "with", "would", "yet", "you", "your",
    // Words of every log, healthy or not.
    "change", "data", "error", "exist", "exists", "fail", "failed", "failure", "file", "find",
    "flow", "info", "network", "path", "proxy", "pull", "true", "false", "null", "value",
    "warning",
];

/// A literal's words: runs of letters, digits and `_` (so `https_proxy` is one word).
fn words(literal: &[u8]) -> impl Iterator<Item = &[u8]> {
    literal
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|w| !w.is_empty())
}

/// Whether `word` (lower case) is a common word, or part of a longer one (`exist` is in
/// `existing`: an anchor `exist` fires on every `existing`).
fn is_common_word(word: &[u8], manifest: &[String]) -> bool {
    let longer = |w: &[u8]| w.len() >= 4 && memchr::memmem::find(w, word).is_some();
    ENGINE_COMMON_WORDS
        .iter()
        .any(|w| w.as_bytes() == word || longer(w.as_bytes()))
        || manifest.iter().any(|w| longer(w.as_bytes()))
}

/// A phrase of two or more common words this long or longer (`is not connected`, written with
/// `\x20`) is rare enough to be an anchor; a shorter one (`not found`) is not. The built-in
/// rules' shortest is `' not found` (tenant-not-found).
pub const MIN_PHRASE_LEN: usize = 11;

/// Whether a lower-case anchor literal is made only of common words and is no long phrase.
pub fn is_common(literal: &[u8], manifest: &[String]) -> bool {
    let mut count = 0;
    for word in words(literal) {
        if !is_common_word(word, manifest) {
            return false;
        }
        count += 1;
    }
    count < 2 || literal.len() < MIN_PHRASE_LEN
}
