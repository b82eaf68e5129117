//! The topic vocabulary without its cue phrases: each topic's name, IPTC
//! Media Topics concept, aliases and breadth, and the table that maps source
//! labels onto topics. Resolving `--topic` and listing topics need only
//! this, so it is cheap to build: no analyser runs.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// One topic of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// The name the index stores and `--topic` accepts (lower case).
    pub name: String,
    /// The IPTC Media Topics concept it corresponds to (`medtop:20000632`),
    /// when one fits.
    pub iptc: Option<String>,
    /// Other names that mean this topic.
    pub aliases: Vec<String>,
    /// An institution rather than an issue (parties, legislatures, the
    /// presidency): its evidence counts less when topics are ranked.
    pub broad: bool,
}

/// The topics of a taxonomy with their aliases, and the source-label table.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub(super) topics: Vec<Topic>,
    /// [`key`] of every name and alias → topic index.
    names: HashMap<String, usize>,
    /// [`key`] of a source label → topic indexes (may be empty: no topic).
    labels: HashMap<String, Vec<usize>>,
}

/// The label table's file shape (`labels.json`).
#[derive(Deserialize)]
pub(super) struct LabelFile {
    pub(super) labels: BTreeMap<String, Vec<String>>,
}

/// How names, aliases and labels are compared: lower case, `_` and `-` as
/// spaces, apostrophes dropped, whitespace collapsed (`Women's_Issues` →
/// `womens issues`).
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘'))
        .map(|c| if matches!(c, '_' | '-') { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

impl Vocabulary {
    /// Builds the vocabulary from its topics and a label table; labels naming
    /// topics this vocabulary lacks map to those it has (a taxonomy file that
    /// replaces the default keeps the default labels that still apply).
    pub(super) fn new(topics: Vec<Topic>, labels: &BTreeMap<String, Vec<String>>) -> Vocabulary {
        let mut names = HashMap::new();
        for (i, t) in topics.iter().enumerate() {
            for alias in &t.aliases {
                names.entry(key(alias)).or_insert(i);
            }
        }
        // A topic's own name wins over another topic's alias.
        for (i, t) in topics.iter().enumerate() {
            names.insert(key(&t.name), i);
        }
        let index_of = |name: &str| topics.iter().position(|t| t.name == name);
        let labels = labels
            .iter()
            .map(|(label, targets)| {
                let found = targets.iter().filter_map(|t| index_of(t)).collect();
                (key(label), found)
            })
            .collect();
        Vocabulary {
            topics,
            names,
            labels,
        }
    }

    /// Every topic, in name order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// The topic that `name` names, as its name or one of its aliases, in
    /// any case and with `_`/`-` for spaces.
    pub fn resolve(&self, name: &str) -> Option<&Topic> {
        self.names.get(&key(name)).map(|&i| &self.topics[i])
    }

    /// The topics a source label maps to through the label table: `None`
    /// when the table does not list it, `Some(&[])` when it lists it as no
    /// topic.
    pub(super) fn label(&self, label: &str) -> Option<&[usize]> {
        self.labels.get(&key(label)).map(Vec::as_slice)
    }

    /// The index of a name or alias.
    pub(super) fn index_of(&self, name: &str) -> Option<usize> {
        self.names.get(&key(name)).copied()
    }

    /// True when `label` is exactly a topic's name (not an alias).
    pub(super) fn is_name(&self, label: &str) -> bool {
        let k = key(label);
        self.topics.iter().any(|t| key(&t.name) == k)
    }

    /// Up to `n` topic names closest to `given` (which names no topic), best
    /// first: by the best similarity of the topic's name or any alias, where
    /// a name containing the given words, or contained in them, counts as
    /// close whatever its length.
    pub fn closest(&self, given: &str, n: usize) -> Vec<String> {
        closest(given, &self.spellings(), n)
    }

    /// Every topic's name with its spellings (the name and its aliases).
    pub fn spellings(&self) -> Vec<(String, Vec<String>)> {
        self.topics
            .iter()
            .map(|t| {
                let mut all = vec![t.name.clone()];
                all.extend(t.aliases.iter().cloned());
                (t.name.clone(), all)
            })
            .collect()
    }
}

/// The `n` names of `candidates` (name, its spellings) closest to `given`,
/// best first, ties by name.
pub fn closest(given: &str, candidates: &[(String, Vec<String>)], n: usize) -> Vec<String> {
    let given = key(given);
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .map(|(name, spellings)| {
            let best = spellings
                .iter()
                .map(|s| similarity(&given, &key(s)))
                .fold(0.0, f64::max);
            (best, name.as_str())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(n)
        .map(|(_, name)| name.to_string())
        .collect()
}

/// How alike two keys are, 0 to 1: Jaro–Winkler similarity, raised to 0.9
/// when one's words all occur in the other (`health` ~ `health care`).
fn similarity(a: &str, b: &str) -> f64 {
    let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let (wa, wb) = (words(a), words(b));
    let within = |x: &[String], y: &[String]| !x.is_empty() && x.iter().all(|w| y.contains(w));
    let score = strsim::jaro_winkler(a, b);
    if !a.is_empty() && (within(&wa, &wb) || within(&wb, &wa)) {
        score.max(0.9)
    } else {
        score
    }
}
