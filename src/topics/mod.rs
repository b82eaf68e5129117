//! Topics, version 2: one vocabulary of op-ed topics, assigned from cue
//! phrases and mapped from the labels sources give.
//!
//! The vocabulary (`taxonomy.json`, compiled in) lists each topic's name, its
//! IPTC Media Topics concept where one fits, aliases, whether it is broad (an
//! institution rather than an issue), and cue phrases per language;
//! `--topics FILE` replaces it with another file of the same shape (a
//! version-1 file, topic → language → phrases, still loads). Phrases and
//! article text go through the same language analyser, so cues match
//! inflected forms. An article gets a topic when its evidence (title hits
//! count [`TITLE_WEIGHT`] times) reaches [`MIN_SCORE`] — or one hit per
//! [`WORDS_PER_HIT`] words for long pieces — from at least [`MIN_DISTINCT`]
//! different cues; topics rank by score, a broad one's counting
//! [`BROAD_PERCENT`] %, and the [`MAX_TOPICS`] best are kept.
//!
//! Labels a source gives (a dataset's `topic`, a page's tags) become topics
//! only through the vocabulary: the label table (`labels.json`), a topic's
//! name or alias, or exactly one topic's cue phrase. What a source says is
//! kept as keywords ([`keywords`]), never as a topic.
//!
//! May import: `analysis`, `error`.

mod keywords;
mod matcher;
mod vocabulary;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::analysis::{self, analyser_key};
use crate::error::{Error, Result};
use matcher::{CuesByLang, Matcher};
pub use vocabulary::{closest, Topic, Vocabulary};

/// Title hits weigh this much more than body hits: the headline names what
/// the piece is about, the body wanders.
pub const TITLE_WEIGHT: usize = 8;
/// Minimum weighted hits for a topic.
pub const MIN_SCORE: usize = 3;
/// Long articles need one hit per this many words.
pub const WORDS_PER_HIT: usize = 400;
/// Minimum number of different cue phrases seen (one cue seen often enough
/// is evidence).
pub const MIN_DISTINCT: usize = 1;
/// A broad topic's score counts this many percent when topics are ranked.
pub const BROAD_PERCENT: usize = 75;
/// At most this many topics per article, given and assigned together.
pub const MAX_TOPICS: usize = 3;

const DEFAULT_TAXONOMY: &str = include_str!("taxonomy.json");
const DEFAULT_LABELS: &str = include_str!("labels.json");

#[derive(Deserialize)]
struct TaxonomyFile {
    topics: BTreeMap<String, TopicEntry>,
    /// A label table replacing the default one.
    #[serde(default)]
    labels: Option<BTreeMap<String, Vec<String>>>,
}

/// One topic in a taxonomy file: version 2's object, or version 1's bare
/// language → phrases map.
#[derive(Deserialize)]
#[serde(untagged)]
enum TopicEntry {
    Full(FullEntry),
    CuesOnly(BTreeMap<String, Vec<String>>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullEntry {
    #[serde(default)]
    iptc: Option<String>,
    #[serde(default)]
    broad: bool,
    #[serde(default)]
    aliases: Vec<String>,
    cues: BTreeMap<String, Vec<String>>,
}

/// The topic vocabulary with its cue phrases analysed, ready to assign
/// topics. Cloning is cheap (the analysed cues are shared).
#[derive(Debug, Clone)]
pub struct Taxonomy {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    vocabulary: Vocabulary,
    /// Analysed cue phrases per topic, in the vocabulary's topic order.
    cues: Vec<CuesByLang>,
    /// The same cues per analyser key, numbered for matching.
    matchers: HashMap<&'static str, Matcher>,
    /// Names this taxonomy's numbering in the threads' word tables.
    id: u64,
    /// See [`Taxonomy::fingerprint`].
    fingerprint: u64,
}

/// Topics and keywords for one article ([`Taxonomy::topics_and_keywords`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleTopics {
    /// Vocabulary topics, those the source gives first; at most [`MAX_TOPICS`].
    pub topics: Vec<String>,
    /// What the source's labels said, cleaned of machine tags; at most
    /// [`keywords::MAX_KEYWORDS`].
    pub keywords: Vec<String>,
}

static NEXT_TAXONOMY_ID: AtomicU64 = AtomicU64::new(1);

static DEFAULT: LazyLock<Taxonomy> = LazyLock::new(|| {
    Taxonomy::parse(DEFAULT_TAXONOMY).expect("the bundled taxonomy and labels are valid")
});

/// The label table bundled with the default vocabulary.
fn default_labels() -> BTreeMap<String, Vec<String>> {
    serde_json::from_str::<vocabulary::LabelFile>(DEFAULT_LABELS)
        .expect("the bundled labels are valid JSON")
        .labels
}

/// The bundled vocabulary without its cues analysed: what resolving and
/// listing topics need.
pub fn default_vocabulary() -> &'static Vocabulary {
    &DEFAULT.inner.vocabulary
}

impl Taxonomy {
    /// A hash of the vocabulary, labels and analysed cues that is the same
    /// in every run, so unchanged inputs can be recognised across runs only
    /// while the taxonomy stays the same.
    pub fn fingerprint(&self) -> u64 {
        self.inner.fingerprint
    }

    /// The compiled-in default taxonomy (built once per process).
    pub fn default_taxonomy() -> Taxonomy {
        DEFAULT.clone()
    }

    /// Loads a taxonomy file (same shape as the bundled `taxonomy.json`, or
    /// version 1's). Without a `labels` table of its own, it keeps the
    /// bundled labels that name its topics.
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
    }

    fn parse(text: &str) -> std::result::Result<Taxonomy, serde_json::Error> {
        let file: TaxonomyFile = serde_json::from_str(text)?;
        let labels = file.labels.unwrap_or_else(default_labels);
        let mut topics = Vec::new();
        let mut cues = Vec::new();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, entry) in file.topics {
            let (iptc, broad, aliases, phrases) = match entry {
                TopicEntry::Full(e) => (e.iptc, e.broad, e.aliases, e.cues),
                TopicEntry::CuesOnly(phrases) => (None, false, Vec::new(), phrases),
            };
            let analysed = analyse(phrases);
            let name = name.trim().to_lowercase();
            let mut langs: Vec<_> = analysed.iter().collect();
            langs.sort();
            h.update(format!("{name}|{iptc:?}|{broad}|{aliases:?}|{langs:?}").as_bytes());
            topics.push(Topic {
                name,
                iptc,
                aliases,
                broad,
            });
            cues.push(analysed);
        }
        h.update(format!("{labels:?}").as_bytes());
        let mut keys: Vec<&'static str> = cues.iter().flat_map(|c| c.keys().copied()).collect();
        keys.sort_unstable();
        keys.dedup();
        let matchers = keys
            .into_iter()
            .map(|key| (key, Matcher::new(&cues, key)))
            .collect();
        Ok(Taxonomy {
            inner: Arc::new(Inner {
                vocabulary: Vocabulary::new(topics, &labels),
                cues,
                matchers,
                id: NEXT_TAXONOMY_ID.fetch_add(1, Ordering::Relaxed),
                fingerprint: h.digest(),
            }),
        })
    }

    /// The vocabulary: topics, aliases, IPTC concepts, label table.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.inner.vocabulary
    }

    /// Topics for an article from its text alone, best first.
    pub fn assign(&self, lang: Option<&str>, title: &str, body: &str) -> Vec<String> {
        let key = analyser_key(lang);
        let Some(matcher) = self.inner.matchers.get(key) else {
            return Vec::new();
        };
        let title = matcher::numbered(self.inner.id, key, matcher, title);
        let body = matcher::numbered(self.inner.id, key, matcher, body);
        let needed = MIN_SCORE.max(body.len() / WORDS_PER_HIT);
        let mut hits = vec![0; matcher.phrases.len()];
        matcher.count(&title, TITLE_WEIGHT, &mut hits);
        matcher.count(&body, 1, &mut hits);
        // (score, distinct cues) per topic.
        let mut evidence = vec![(0, 0); self.inner.cues.len()];
        for (&(topic, _), &h) in matcher.phrases.iter().zip(&hits) {
            if h > 0 {
                evidence[topic].0 += h;
                evidence[topic].1 += 1;
            }
        }
        best(
            evidence
                .iter()
                .zip(self.vocabulary().topics())
                .filter(|((score, distinct), _)| *distinct >= MIN_DISTINCT && *score >= needed)
                .map(|((score, _), topic)| (*score, topic))
                .collect(),
        )
    }

    /// The topics a source label maps to: the label table's entry, else the
    /// topic it names (name or alias), else the one topic that has it as a
    /// cue phrase in the article's language.
    pub fn label_topics(&self, label: &str, lang: Option<&str>) -> Vec<&str> {
        let v = self.vocabulary();
        let indexes = match v.label(label) {
            Some(listed) => listed.to_vec(),
            None => match v.index_of(label) {
                Some(i) => vec![i],
                None => self.cue_topic(label, lang).into_iter().collect(),
            },
        };
        indexes
            .into_iter()
            .map(|i| v.topics[i].name.as_str())
            .collect()
    }

    /// The one topic that has `label`, analysed, as a whole cue phrase.
    fn cue_topic(&self, label: &str, lang: Option<&str>) -> Option<usize> {
        let key = analyser_key(lang);
        let matcher = self.inner.matchers.get(key)?;
        let terms = analysis::terms(&mut analysis::analyser(key), label);
        match matcher.topics_of_phrase(&terms).as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// What ingest stores for an article: the topics its source's labels
    /// map to (`labels` first, then `source_keywords`), then those its text
    /// earns, at most [`MAX_TOPICS`] in all; and the labels as keywords —
    /// all but machine tags and the vocabulary's own topic names.
    pub fn topics_and_keywords(
        &self,
        labels: &[String],
        source_keywords: &[String],
        lang: Option<&str>,
        title: &str,
        body: &str,
    ) -> ArticleTopics {
        let mut topics: Vec<String> = Vec::new();
        let mut kept: Vec<String> = Vec::new();
        let mut seen_keys: Vec<String> = Vec::new();
        for label in labels.iter().chain(source_keywords) {
            let Some(clean) = keywords::clean(label) else {
                continue;
            };
            for t in self.label_topics(&clean, lang) {
                if !topics.iter().any(|have| have == t) {
                    topics.push(t.to_string());
                }
            }
            let key = vocabulary::key(&clean);
            if !self.vocabulary().is_name(&clean) && !seen_keys.contains(&key) {
                seen_keys.push(key);
                kept.push(clean);
            }
        }
        for t in self.assign(lang, title, body) {
            if !topics.contains(&t) {
                topics.push(t);
            }
        }
        topics.truncate(MAX_TOPICS);
        kept.truncate(keywords::MAX_KEYWORDS);
        ArticleTopics {
            topics,
            keywords: kept,
        }
    }
}

/// Analyses each language's phrases with its analyser; phrases without
/// terms and repeats are dropped.
fn analyse(phrases: BTreeMap<String, Vec<String>>) -> CuesByLang {
    let mut analysed = CuesByLang::new();
    for (lang, phrases) in phrases {
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
    analysed
}

/// The [`MAX_TOPICS`] best of the topics that qualified, as (score, topic):
/// highest score first, a broad topic's score counting [`BROAD_PERCENT`] %
/// (an institution is named in most political pieces without being what
/// they are about), ties by name.
fn best(mut scored: Vec<(usize, &Topic)>) -> Vec<String> {
    let rank =
        |(score, topic): &(usize, &Topic)| score * if topic.broad { BROAD_PERCENT } else { 100 };
    scored.sort_by(|a, b| rank(b).cmp(&rank(a)).then_with(|| a.1.name.cmp(&b.1.name)));
    scored
        .into_iter()
        .take(MAX_TOPICS)
        .map(|(_, t)| t.name.clone())
        .collect()
}

#[cfg(test)]
mod tests;
