//! Cue phrases as numbers: every cue term gets a number per analyser key, an
//! article's words become those numbers (or [`OTHER`]) through a per-thread
//! table, and phrases are found as number sequences. Matching runs on every
//! article, so it works on numbers, not strings.

use std::cell::RefCell;
use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::analysis::{self, WordAnalyser};

/// Cue phrases of one topic: analyser key → phrases as term sequences.
pub(super) type CuesByLang = HashMap<&'static str, Vec<Vec<String>>>;

/// The cues of one analyser key with their terms numbered: an article's
/// words become numbers once, and phrases are matched as number sequences.
#[derive(Debug, Clone, Default)]
pub(super) struct Matcher {
    /// Every cue term and its number.
    numbers: HashMap<String, u32>,
    /// Each cue phrase: its topic (an index into the taxonomy's topics) and
    /// its terms' numbers. A phrase that two topics share is listed twice.
    pub(super) phrases: Vec<(usize, Vec<u32>)>,
    /// For each cue term number, the phrases that start with it.
    starting: Vec<Vec<usize>>,
}

/// A word whose term is in no cue.
pub(super) const OTHER: u32 = u32::MAX;

impl Matcher {
    pub(super) fn new(cues: &[CuesByLang], key: &'static str) -> Matcher {
        let mut m = Matcher::default();
        for (topic, by_lang) in cues.iter().enumerate() {
            for phrase in by_lang.get(key).into_iter().flatten() {
                let numbers: Vec<u32> = phrase
                    .iter()
                    .map(|term| {
                        let next = m.numbers.len() as u32;
                        *m.numbers.entry(term.clone()).or_insert(next)
                    })
                    .collect();
                let Some(&first) = numbers.first() else {
                    continue; // Never: parsing drops phrases without terms.
                };
                m.starting.resize(m.numbers.len(), Vec::new());
                m.starting[first as usize].push(m.phrases.len());
                m.phrases.push((topic, numbers));
            }
        }
        m
    }

    pub(super) fn number(&self, term: &str) -> u32 {
        self.numbers.get(term).copied().unwrap_or(OTHER)
    }

    /// Adds `weight` to `hits[p]` for each occurrence of phrase `p` in `seq`.
    pub(super) fn count(&self, seq: &[u32], weight: usize, hits: &mut [usize]) {
        for (i, &n) in seq.iter().enumerate() {
            for &p in self.starting.get(n as usize).into_iter().flatten() {
                if seq[i..].starts_with(&self.phrases[p].1) {
                    hits[p] += weight;
                }
            }
        }
    }

    /// The topics one of whose phrases is exactly `terms`.
    pub(super) fn topics_of_phrase(&self, terms: &[String]) -> Vec<usize> {
        let seq: Vec<u32> = terms.iter().map(|t| self.number(t)).collect();
        let mut topics: Vec<usize> = seq
            .first()
            .and_then(|&n| self.starting.get(n as usize))
            .into_iter()
            .flatten()
            .filter(|&&p| self.phrases[p].1 == seq)
            .map(|&p| self.phrases[p].0)
            .collect();
        topics.sort_unstable();
        topics.dedup();
        topics
    }
}

/// Words a thread remembers per analyser key ([`numbered`]).
const REMEMBERED_WORDS: usize = 100_000;

/// Each word a thread has seen with its cue term number (`None`: the
/// analyser drops the word).
type WordNumbers = HashMap<Box<str>, Option<u32>, RandomState>;

/// A thread's word tables for one taxonomy: per analyser key, the one-word
/// analyser and the words seen.
struct WordTables {
    taxonomy: u64,
    by_key: HashMap<&'static str, (WordAnalyser, WordNumbers)>,
}

thread_local! {
    static WORD_TABLES: RefCell<WordTables> = RefCell::new(WordTables {
        taxonomy: 0,
        by_key: HashMap::new(),
    });
}

/// The analysed terms of `text` as cue term numbers ([`OTHER`] for the rest),
/// for the taxonomy numbered `taxonomy`. Each thread remembers every word's
/// number (up to [`REMEMBERED_WORDS`] per key), so a frequent word is stemmed
/// once per thread rather than at every occurrence.
pub(super) fn numbered(
    taxonomy: u64,
    key: &'static str,
    matcher: &Matcher,
    text: &str,
) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len() / 5);
    WORD_TABLES.with(|cell| {
        let mut tables = cell.borrow_mut();
        if tables.taxonomy != taxonomy {
            tables.taxonomy = taxonomy;
            tables.by_key.clear();
        }
        if !tables.by_key.contains_key(key) {
            if let Some(word_analyser) = WordAnalyser::new(key) {
                tables
                    .by_key
                    .insert(key, (word_analyser, WordNumbers::default()));
            }
        }
        let Some((word_analyser, known)) = tables.by_key.get_mut(key) else {
            // The fallback's bigrams span words: analyse the whole text.
            let terms = analysis::terms(&mut analysis::analyser(key), text);
            out.extend(terms.iter().map(|t| matcher.number(t)));
            return;
        };
        analysis::words(text, |word, _| {
            let number = match known.get(word) {
                Some(&number) => number,
                None => {
                    let number = word_analyser.term(word).map(|t| matcher.number(&t));
                    if known.len() < REMEMBERED_WORDS {
                        known.insert(word.into(), number);
                    }
                    number
                }
            };
            out.extend(number);
        });
    });
    out
}
