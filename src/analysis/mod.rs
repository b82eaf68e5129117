//! Text analysis: which analyser each language gets, and the analysers themselves.
//!
//! Every language Tantivy has a Snowball stemmer for gets its own analyser
//! (split on non-alphanumerics, lower-case, stem, fold accents); all other
//! languages share the `xx` fallback (split, lower-case, fold). The same
//! analysers serve indexing, query analysis, highlighting and topic matching,
//! so a word always meets itself. The fallback indexes CJK text as character
//! bigrams ([`cjk`]).

pub mod cjk;

use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, TokenStream, Tokenizer,
};

/// Longest token kept, in bytes; longer "words" are noise (URLs, base64).
const MAX_TOKEN_BYTES: usize = 48;

/// Languages with a stemmer, as (ISO 639-1 code, stemmer language).
pub const STEMMED_LANGUAGES: [(&str, Language); 18] = [
    ("ar", Language::Arabic),
    ("da", Language::Danish),
    ("de", Language::German),
    ("el", Language::Greek),
    ("en", Language::English),
    ("es", Language::Spanish),
    ("fi", Language::Finnish),
    ("fr", Language::French),
    ("hu", Language::Hungarian),
    ("it", Language::Italian),
    ("nl", Language::Dutch),
    ("no", Language::Norwegian),
    ("pt", Language::Portuguese),
    ("ro", Language::Romanian),
    ("ru", Language::Russian),
    ("sv", Language::Swedish),
    ("ta", Language::Tamil),
    ("tr", Language::Turkish),
];

/// The analyser key for languages without a stemmer.
pub const FALLBACK: &str = "xx";

/// Every analyser key: the stemmed languages, then the fallback.
pub fn analyser_keys() -> impl Iterator<Item = &'static str> {
    STEMMED_LANGUAGES
        .iter()
        .map(|(code, _)| *code)
        .chain(std::iter::once(FALLBACK))
}

/// The analyser key for an ISO 639-1 language code (`nb`/`nn` share Norwegian).
pub fn analyser_key(lang: Option<&str>) -> &'static str {
    let lang = match lang {
        Some("nb" | "nn") => "no",
        Some(l) => l,
        None => return FALLBACK,
    };
    STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == lang)
        .map_or(FALLBACK, |(code, _)| code)
}

/// Name under which a language's analyser is registered with Tantivy.
pub fn tokenizer_name(key: &str) -> String {
    format!("opedex_{key}")
}

/// Name of the analyser for author and outlet names.
pub const NAME_TOKENIZER: &str = "opedex_name";

/// The stemmer language of an analyser key (`None` for the fallback).
fn stemmer_language(key: &str) -> Option<Language> {
    STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == key)
        .map(|(_, lang)| *lang)
}

/// A stemmed language's filters after `tokenizer`: drop long tokens,
/// lower-case, stem, fold accents. Each acts on one token at a time.
fn stemmed<T: Tokenizer>(tokenizer: T, lang: Language) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(lang))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Builds the analyser for an analyser key.
pub fn analyser(key: &str) -> TextAnalyzer {
    match stemmer_language(key) {
        Some(lang) => stemmed(SimpleTokenizer::default(), lang),
        None => TextAnalyzer::builder(cjk::CjkBigramTokenizer)
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    }
}

/// Builds the analyser for names: split, lower-case, fold accents, no stemming.
pub fn name_analyser() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers every opedex analyser with an index.
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    for key in analyser_keys() {
        manager.register(&tokenizer_name(key), analyser(key));
    }
    manager.register(NAME_TOKENIZER, name_analyser());
}

/// One analysed token: its term and where it sits in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The analysed term (lower-cased, stemmed, folded).
    pub term: String,
    /// Byte range in the analysed text.
    pub range: Range<usize>,
}

/// Runs an analyser over `text`.
pub fn tokens(analyser: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push(Token {
            term: t.text.clone(),
            range: t.offset_from..t.offset_to,
        });
    }
    out
}

/// The byte range of every word of `text` by token position, as the
/// analyser for `key` numbers them (filters drop tokens but never renumber
/// the rest), without analysing any word. `None` for the fallback, whose
/// bigram positions are not words.
pub fn word_offsets(key: &str, text: &str) -> Option<Vec<Range<usize>>> {
    stemmer_language(key)?;
    let mut out = Vec::new();
    words(text, |_, range| out.push(range));
    Some(out)
}

/// The analyser for `key` applied to one word at a time, for callers that
/// remember each word's term (topic matching). For the stemmed languages the
/// filters act on one token at a time, so a word analysed alone (as the one
/// token of a [`RawTokenizer`]) gets the term it gets in running text.
pub struct WordAnalyser(TextAnalyzer);

impl WordAnalyser {
    /// The word analyser for `key`; `None` for the fallback, whose bigrams
    /// span words.
    pub fn new(key: &str) -> Option<WordAnalyser> {
        stemmer_language(key).map(|lang| WordAnalyser(stemmed(RawTokenizer::default(), lang)))
    }

    /// The term of one word as [`words`] yields them; `None` when the
    /// analyser drops it.
    pub fn term(&mut self, word: &str) -> Option<String> {
        terms(&mut self.0, word).pop()
    }
}

/// Calls `f` with each word of `text` and its byte range, in order, as the
/// stemmed languages' analysers split and number them (the n-th call is
/// token position n): runs of alphanumeric characters, as Tantivy's
/// `SimpleTokenizer` finds them. This scans bytes and decodes only non-ASCII
/// characters, and lends each word as a slice of `text` instead of copying it
/// into a token (topic matching and MinHash call it for every word of every
/// article).
pub fn words(text: &str, mut f: impl FnMut(&str, Range<usize>)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut start: Option<usize> = None;
    while let Some(&b) = bytes.get(at) {
        let (alphanumeric, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            // `at` is always a character boundary: it moves a character at a time.
            match text[at..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => break,
            }
        };
        match (alphanumeric, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                f(&text[from..at], from..at);
                start = None;
            }
            _ => {}
        }
        at += len;
    }
    if let Some(from) = start {
        f(&text[from..], from..text.len());
    }
}

/// True for a word spelling correction may suggest or correct: no digits
/// (numbers, years and codes such as `H1B` are typed as meant), no CJK
/// characters (whose runs are not words), and no longer than the analysers
/// keep.
pub fn is_spelling_word(word: &str) -> bool {
    word.len() <= MAX_TOKEN_BYTES && !word.chars().any(|c| c.is_numeric() || cjk::is_cjk(c))
}

/// The words of `text` that spelling correction knows ([`is_spelling_word`]),
/// separated by spaces, for the index's surface-word field, which the name
/// analyser lower-cases and folds. Each distinct spelling once: the field
/// records only which articles hold a word.
pub fn spelling_words(texts: &[&str]) -> String {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = String::new();
    for text in texts {
        words(text, |_, range| {
            let w = &text[range];
            if is_spelling_word(w) && seen.insert(w) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(w);
            }
        });
    }
    out
}

/// The analysed terms of `text`, in order.
pub fn terms(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    tokens(analyser, text).into_iter().map(|t| t.term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The words are the tokens of Tantivy's `SimpleTokenizer`, which the
        /// analysers index: same text, same byte ranges, same order.
        #[test]
        fn words_are_the_simple_tokenizers_tokens(
            text in "(?s)(\\PC|[ .,'’\\-\\n\\t0-9a-zA-Z]){0,80}",
        ) {
            let mut ours = Vec::new();
            words(&text, |w, range| ours.push((w.to_string(), range)));
            let mut tokenizer = SimpleTokenizer::default();
            let mut stream = tokenizer.token_stream(&text);
            let mut theirs = Vec::new();
            while stream.advance() {
                let t = stream.token();
                theirs.push((t.text.clone(), t.offset_from..t.offset_to));
            }
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn words_analysed_one_at_a_time_get_the_analysers_terms() {
        let text = "Islands islands ISLAND treaties treaty's running Äpfel café \
                    Гражданская гражданской войны İstanbul naïve x2 1999 \
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 平和条約";
        for key in analyser_keys() {
            let Some(mut word_analyser) = WordAnalyser::new(key) else {
                assert_eq!(key, FALLBACK);
                continue;
            };
            let mut got = Vec::new();
            words(text, |word, _| got.extend(word_analyser.term(word)));
            assert_eq!(got, terms(&mut analyser(key), text), "{key}");
        }
    }

    #[test]
    fn spelling_words_leave_out_numbers_codes_and_cjk() {
        let words = spelling_words(&["The H1B visa, 2016: the Visa café", "平和条約 and more"]);
        assert_eq!(words, "The visa the Visa café and more");
        let mut names = name_analyser();
        assert_eq!(
            terms(&mut names, &words),
            vec!["the", "visa", "the", "visa", "cafe", "and", "more"]
        );
    }

    #[test]
    fn english_stems_plurals_and_folds() {
        let mut en = analyser("en");
        assert_eq!(
            terms(&mut en, "Japan’s Islands café"),
            vec!["japan", "s", "island", "cafe"]
        );
    }

    #[test]
    fn russian_stems_inflections() {
        let mut ru = analyser("ru");
        assert_eq!(terms(&mut ru, "острова"), terms(&mut ru, "островов"));
    }

    #[test]
    fn fallback_finds_cjk_words() {
        let mut xx = analyser(FALLBACK);
        assert_eq!(terms(&mut xx, "平和条約"), vec!["平和", "和条", "条約"]);
        assert_eq!(terms(&mut xx, "Café"), vec!["cafe"]);
    }

    #[test]
    fn keys() {
        assert_eq!(analyser_key(Some("nb")), "no");
        assert_eq!(analyser_key(Some("ja")), FALLBACK);
        assert_eq!(analyser_key(None), FALLBACK);
        assert_eq!(analyser_keys().count(), 19);
    }
}
