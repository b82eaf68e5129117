//! Topic assignment, version 1: cue phrases from a small taxonomy.
//!
//! The default taxonomy (`taxonomy.json`, compiled in) lists cue phrases per
//! topic and language; `--topics FILE` replaces it with another file of the
//! same shape. Phrases and article text go through the same language analyser,
//! so cues match inflected forms. An article gets a topic when its evidence
//! (title hits count [`TITLE_WEIGHT`] times) reaches [`MIN_SCORE`] — or one
//! hit per [`WORDS_PER_HIT`] words for long pieces — from at least
//! [`MIN_DISTINCT`] different cues; the [`MAX_TOPICS`] best are kept.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use foldhash::fast::RandomState;

use serde::Deserialize;

use crate::analysis::{self, analyser_key, WordAnalyser};
use crate::error::{Error, Result};

/// Title hits weigh this much more than body hits.
pub const TITLE_WEIGHT: usize = 3;
/// Minimum weighted hits for a topic.
pub const MIN_SCORE: usize = 4;
/// Long articles need one hit per this many words.
pub const WORDS_PER_HIT: usize = 200;
/// Minimum number of different cue phrases seen.
pub const MIN_DISTINCT: usize = 2;
/// At most this many assigned topics per article.
pub const MAX_TOPICS: usize = 3;

const DEFAULT_TAXONOMY: &str = include_str!("taxonomy.json");

#[derive(Deserialize)]
struct TaxonomyFile {
    topics: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// Cue phrases of one topic: analyser key → phrases as term sequences.
type CuesByLang = HashMap<&'static str, Vec<Vec<String>>>;

/// Cue phrases, analysed, per topic.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    cues: Vec<(String, CuesByLang)>,
    /// The same cues per analyser key, numbered for matching.
    matchers: HashMap<&'static str, Matcher>,
    /// Names this taxonomy's numbering in the threads' word tables.
    id: u64,
}

/// The cues of one analyser key with their terms numbered: an article's
/// words become numbers once, and phrases are matched as number sequences.
#[derive(Debug, Clone, Default)]
struct Matcher {
    /// Every cue term and its number.
    numbers: HashMap<String, u32>,
    /// Each cue phrase: its topic (an index into `Taxonomy::cues`) and its
    /// terms' numbers. A phrase that two topics share is listed twice.
    phrases: Vec<(usize, Vec<u32>)>,
    /// For each cue term number, the phrases that start with it.
    starting: Vec<Vec<usize>>,
}

/// A word whose term is in no cue.
const OTHER: u32 = u32::MAX;

impl Matcher {
    fn new(cues: &[(String, CuesByLang)], key: &'static str) -> Matcher {
        let mut m = Matcher::default();
        for (topic, (_, by_lang)) in cues.iter().enumerate() {
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

    fn number(&self, term: &str) -> u32 {
        self.numbers.get(term).copied().unwrap_or(OTHER)
    }

    /// Adds `weight` to `hits[p]` for each occurrence of phrase `p` in `seq`.
    fn count(&self, seq: &[u32], weight: usize, hits: &mut [usize]) {
        for (i, &n) in seq.iter().enumerate() {
            for &p in self.starting.get(n as usize).into_iter().flatten() {
                if seq[i..].starts_with(&self.phrases[p].1) {
                    hits[p] += weight;
                }
            }
        }
    }
}

/// Words a thread remembers per analyser key ([`Taxonomy::numbered`]).
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

static NEXT_TAXONOMY_ID: AtomicU64 = AtomicU64::new(1);

impl Taxonomy {
    /// A hash of the analysed cues that is the same in every run (the cue
    /// maps' own iteration order is not), so unchanged inputs can be
    /// recognised across runs only while the taxonomy stays the same.
    pub fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (topic, by_lang) in &self.cues {
            h.update(topic.as_bytes());
            let mut langs: Vec<_> = by_lang.iter().collect();
            langs.sort();
            h.update(format!("{langs:?}").as_bytes());
        }
        h.digest()
    }

    /// The compiled-in default taxonomy.
    pub fn default_taxonomy() -> Taxonomy {
        Self::parse(DEFAULT_TAXONOMY).expect("the bundled taxonomy is valid JSON")
    }

    /// Loads a taxonomy file (same shape as the bundled `taxonomy.json`).
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
    }

    fn parse(text: &str) -> std::result::Result<Taxonomy, serde_json::Error> {
        let file: TaxonomyFile = serde_json::from_str(text)?;
        let mut cues = Vec::new();
        for (topic, by_lang) in file.topics {
            let mut analysed = CuesByLang::new();
            for (lang, phrases) in by_lang {
                let key = analyser_key(Some(&lang));
                let mut analyser = analysis::analyser(key);
                let entry = analysed.entry(key).or_default();
                for phrase in phrases {
                    let terms = analysis::terms(&mut analyser, &phrase);
                    if !terms.is_empty() && !entry.contains(&terms) {
                        entry.push(terms);
                    }
                }
            }
            cues.push((topic.trim().to_lowercase(), analysed));
        }
        let mut keys: Vec<&'static str> = cues
            .iter()
            .flat_map(|(_, by_lang)| by_lang.keys().copied())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let matchers = keys
            .into_iter()
            .map(|key| (key, Matcher::new(&cues, key)))
            .collect();
        Ok(Taxonomy {
            cues,
            matchers,
            id: NEXT_TAXONOMY_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Topics for an article, best first.
    pub fn assign(&self, lang: Option<&str>, title: &str, body: &str) -> Vec<String> {
        let key = analyser_key(lang);
        let Some(matcher) = self.matchers.get(key) else {
            return Vec::new();
        };
        let title = self.numbered(key, matcher, title);
        let body = self.numbered(key, matcher, body);
        let needed = MIN_SCORE.max(body.len() / WORDS_PER_HIT);
        let mut hits = vec![0; matcher.phrases.len()];
        matcher.count(&title, TITLE_WEIGHT, &mut hits);
        matcher.count(&body, 1, &mut hits);
        // (score, distinct cues) per topic.
        let mut evidence = vec![(0, 0); self.cues.len()];
        for (&(topic, _), &h) in matcher.phrases.iter().zip(&hits) {
            if h > 0 {
                evidence[topic].0 += h;
                evidence[topic].1 += 1;
            }
        }
        best(
            evidence
                .iter()
                .zip(&self.cues)
                .filter(|((score, distinct), _)| *distinct >= MIN_DISTINCT && *score >= needed)
                .map(|((score, _), (topic, _))| (*score, topic.as_str()))
                .collect(),
        )
    }

    /// The analysed terms of `text` as cue term numbers ([`OTHER`] for the
    /// rest). Each thread remembers every word's number (up to
    /// [`REMEMBERED_WORDS`] per key), so a frequent word is stemmed once per
    /// thread rather than at every occurrence.
    fn numbered(&self, key: &'static str, matcher: &Matcher, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 5);
        WORD_TABLES.with(|cell| {
            let mut tables = cell.borrow_mut();
            if tables.taxonomy != self.id {
                tables.taxonomy = self.id;
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
}

/// The [`MAX_TOPICS`] best of the topics that qualified, as (score, topic):
/// highest score first, ties by name.
fn best(mut scored: Vec<(usize, &str)>) -> Vec<String> {
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(MAX_TOPICS)
        .map(|(_, t)| t.to_string())
        .collect()
}

/// Merges source topics with assigned ones: source first, lower-cased, no repeats.
pub fn merge(given: &[String], assigned: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in given
        .iter()
        .map(|t| t.trim().to_lowercase())
        .chain(assigned)
    {
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diplomacy_and_islands() {
        let tax = Taxonomy::default_taxonomy();
        let body = "The peace treaty talks stalled. The disputed islands remain a territorial issue. \
                    Diplomats met at the summit, but sovereignty over the islands was not discussed. \
                    The negotiations will resume.";
        let topics = tax.assign(Some("en"), "Peace can wait", body);
        assert!(topics.contains(&"diplomacy".to_string()), "{topics:?}");
        assert!(
            topics.contains(&"territorial disputes".to_string()),
            "{topics:?}"
        );
    }

    #[test]
    fn one_stray_word_is_not_a_topic() {
        let tax = Taxonomy::default_taxonomy();
        assert!(tax
            .assign(Some("en"), "Gardens", "My garden has one island bed.")
            .is_empty());
    }

    /// The rule as written in the module doc, on plain term strings.
    fn assign_by_strings(
        tax: &Taxonomy,
        lang: Option<&str>,
        title: &str,
        body: &str,
    ) -> Vec<String> {
        let key = analyser_key(lang);
        let title = analysis::terms(&mut analysis::analyser(key), title);
        let body = analysis::terms(&mut analysis::analyser(key), body);
        let count = |terms: &[String], phrase: &[String]| {
            (0..terms.len())
                .filter(|&i| terms[i..].starts_with(phrase))
                .count()
        };
        let needed = MIN_SCORE.max(body.len() / WORDS_PER_HIT);
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for (topic, by_lang) in &tax.cues {
            let (mut score, mut distinct) = (0, 0);
            for phrase in by_lang.get(key).into_iter().flatten() {
                let hits = TITLE_WEIGHT * count(&title, phrase) + count(&body, phrase);
                if hits > 0 {
                    distinct += 1;
                    score += hits;
                }
            }
            if distinct >= MIN_DISTINCT && score >= needed {
                scored.push((score, topic.as_str()));
            }
        }
        best(scored)
    }

    proptest::proptest! {
        #[test]
        fn numbered_matching_assigns_what_the_rule_says(
            lang in proptest::sample::select(vec!["en", "ru", "de", "fr", "es", "ja"]),
            title in proptest::collection::vec(0usize..1000, 0..8),
            body in proptest::collection::vec(0usize..1000, 0..400),
        ) {
            let tax = Taxonomy::default_taxonomy();
            // Words: the raw cue words of every language (so phrases occur,
            // inflected as written in the taxonomy), plus filler.
            let file: TaxonomyFile = serde_json::from_str(DEFAULT_TAXONOMY).unwrap();
            let mut vocab: Vec<String> = file
                .topics
                .values()
                .flat_map(|by_lang| by_lang.values().flatten())
                .flat_map(|phrase| phrase.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .collect();
            vocab.extend(["the", "of", "Islands", "a", "x2", "平和条約", "—", "talks."].map(String::from));
            let text = |picks: &[usize]| {
                picks.iter().map(|&i| vocab[i % vocab.len()].as_str()).collect::<Vec<_>>().join(" ")
            };
            let (title, body) = (text(&title), text(&body));
            // Twice: the second time every word comes from the thread's table.
            for _ in 0..2 {
                proptest::prop_assert_eq!(
                    tax.assign(Some(lang), &title, &body),
                    assign_by_strings(&tax, Some(lang), &title, &body)
                );
            }
        }
    }

    #[test]
    fn merge_keeps_source_first() {
        let merged = merge(
            &["Elections".into()],
            vec!["elections".into(), "economy".into()],
        );
        assert_eq!(merged, vec!["elections", "economy"]);
    }
}
