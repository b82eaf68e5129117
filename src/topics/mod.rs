//! Topic assignment, version 1: cue phrases from a small taxonomy.
//!
//! The default taxonomy (`taxonomy.json`, compiled in) lists cue phrases per
//! topic and language; `--topics FILE` replaces it with another file of the
//! same shape. Phrases and article text go through the same language analyser,
//! so cues match inflected forms. An article gets a topic when its evidence
//! (title hits count [`TITLE_WEIGHT`] times) reaches [`MIN_SCORE`] — or one
//! hit per [`WORDS_PER_HIT`] words for long pieces — from at least
//! [`MIN_DISTINCT`] different cues; the [`MAX_TOPICS`] best are kept.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::analysis::{self, analyser_key};
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
}

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
        Ok(Taxonomy { cues })
    }

    /// Topics for an article, best first.
    pub fn assign(&self, lang: Option<&str>, title: &str, body: &str) -> Vec<String> {
        let key = analyser_key(lang);
        // Every word of every article: the thread's table of analysed words
        // saves stemming the frequent ones again.
        let title_terms = analysis::terms_remembered(key, title);
        let body_terms = analysis::terms_remembered(key, body);
        let (title_at, body_at) = (positions(&title_terms), positions(&body_terms));
        let needed = MIN_SCORE.max(body_terms.len() / WORDS_PER_HIT);
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for (topic, by_lang) in &self.cues {
            let Some(phrases) = by_lang.get(key) else {
                continue;
            };
            let mut score = 0;
            let mut distinct = 0;
            for phrase in phrases {
                let hits = TITLE_WEIGHT * count_phrase(&title_terms, &title_at, phrase)
                    + count_phrase(&body_terms, &body_at, phrase);
                if hits > 0 {
                    distinct += 1;
                    score += hits;
                }
            }
            if distinct >= MIN_DISTINCT && score >= needed {
                scored.push((score, topic));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(MAX_TOPICS)
            .map(|(_, t)| t.to_string())
            .collect()
    }
}

/// Where each term occurs, so a cue is checked only where its first word is.
fn positions(terms: &[String]) -> HashMap<&str, Vec<usize>> {
    let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in terms.iter().enumerate() {
        at.entry(t.as_str()).or_default().push(i);
    }
    at
}

fn count_phrase(terms: &[String], at: &HashMap<&str, Vec<usize>>, phrase: &[String]) -> usize {
    let Some(first) = phrase.first() else {
        return 0;
    };
    at.get(first.as_str()).map_or(0, |starts| {
        starts
            .iter()
            .filter(|&&i| terms.get(i..i + phrase.len()).is_some_and(|w| w == phrase))
            .count()
    })
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

    #[test]
    fn merge_keeps_source_first() {
        let merged = merge(
            &["Elections".into()],
            vec!["elections".into(), "economy".into()],
        );
        assert_eq!(merged, vec!["elections", "economy"]);
    }
}
