//! Spelling correction: a plain query word that the index does not hold is
//! matched against the index's **surface words** (the `words` field of
//! article documents: lower-cased, accent-folded, unstemmed) and their
//! document frequencies, which count articles.
//!
//! For a word that occurs in no article as written, the candidates are the
//! indexed words
//! within one edit, or two for words of [`LONG_WORD_CHARS`] or more (a
//! transposition counts as one edit), found by a Levenshtein automaton over
//! each segment's term dictionary. The most frequent wins, with a candidate
//! two edits away weighed [`FARTHER_WEIGHT`] and one whose first letter
//! differs [`FIRST_LETTER_WEIGHT`] (people rarely mistype the first letter).
//! Frequency is what keeps corrections away from the rare misspellings a
//! corpus holds (`immigratoin` → `immigration`, not `immigraton`).
//!
//! A word the index holds is never corrected while the query finds
//! something: a rare real word (`notional`, `Himes`) and a rare misspelling
//! (`goverment`) look alike by their counts. Only when the query finds
//! nothing is such a word replaced, by a candidate at least
//! [`RARER_BY`] times as frequent. Words shorter than [`MIN_WORD_CHARS`],
//! words with digits (`2016`, `H1B`) or CJK characters, stop words,
//! phrases, `+`/`-` words and field clauses are never corrected; a
//! correction is never a stop word.
//!
//! The search decides what to do with the corrections
//! ([`super::search`]): when the query as typed finds articles it is kept
//! and the corrected query is offered ("did you mean"); when it finds none
//! the corrected query is run ("showing results for").

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::{Searcher, Term};

use super::query::{self, Clause, Occurrence, ParsedQuery};
use crate::analysis;
use crate::error::Result;
use crate::index::schema::Fields;

/// Words of at least this many characters may be two edits off; shorter ones one.
pub const LONG_WORD_CHARS: usize = 8;
/// Words shorter than this are never corrected: one edit turns them into
/// too many unrelated words.
pub const MIN_WORD_CHARS: usize = 3;
/// A candidate two edits away counts as this share of its frequency
/// against candidates one edit away (`christain` → `christian`, not
/// `christians`).
pub const FARTHER_WEIGHT: f64 = 0.01;
/// A candidate whose first letter differs from the typed word's counts as
/// this share of its frequency (`ilegal` → `illegal`, not `legal`).
pub const FIRST_LETTER_WEIGHT: f64 = 0.1;
/// A word the index holds is replaced (only when the query finds nothing)
/// by a candidate at least this many times as frequent.
pub const RARER_BY: u64 = 20;

/// One corrected word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The word as typed.
    pub from: String,
    /// The indexed word offered instead.
    pub to: String,
}

/// The corrections for one query: for words no article holds, and for
/// words much rarer than a candidate (used only when nothing is found).
#[derive(Debug, Clone, Default)]
pub struct Corrections {
    /// Words that occur nowhere in the index.
    pub absent: Vec<Correction>,
    /// Words the index holds, much rarer than a near word.
    pub rare: Vec<Correction>,
}

impl Corrections {
    /// True when no word has a correction.
    pub fn is_empty(&self) -> bool {
        self.absent.is_empty() && self.rare.is_empty()
    }

    /// Every correction, absent words first.
    pub fn all(&self) -> impl Iterator<Item = &Correction> {
        self.absent.iter().chain(&self.rare)
    }
}

/// A word that may be corrected: an optional plain word.
fn correctable(c: &Clause) -> bool {
    c.occur == Occurrence::Should && c.field.is_none() && !c.phrase
}

/// Surface words within `distance` edits of `word` (a transposition
/// counting one), with the number of articles holding each, over every
/// segment's term dictionary.
fn near_words(
    searcher: &Searcher,
    fields: &Fields,
    word: &str,
    distance: u8,
) -> Result<HashMap<String, u64>> {
    let automaton = FuzzyTermQuery::new(Term::from_field_text(fields.words, word), distance, true)
        .automaton()?;
    let mut freq: HashMap<String, u64> = HashMap::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(fields.words)?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                if key != word {
                    *freq.entry(key.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    Ok(freq)
}

/// The optimal-string-alignment distance between `a` and `b` (insertions,
/// deletions, substitutions and swaps of adjacent letters each cost one),
/// the distance the automaton accepts by.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

/// The best of `candidates` for `word`: the highest frequency, weighed down
/// for two edits and for another first letter; ties to the more frequent,
/// then the smaller word.
fn best_candidate(word: &str, candidates: HashMap<String, u64>) -> Option<(String, u64)> {
    let weight = |w: &str, df: u64| {
        let mut s = df as f64;
        if edit_distance(word, w) > 1 {
            s *= FARTHER_WEIGHT;
        }
        if w.chars().next() != word.chars().next() {
            s *= FIRST_LETTER_WEIGHT;
        }
        s
    };
    candidates
        .into_iter()
        .map(|(w, df)| (weight(&w, df), w, df))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)).then(b.1.cmp(&a.1)))
        .map(|(_, w, df)| (w, df))
}

/// `to` written in the case of `typed`: all capitals, a capital first, or
/// lower case.
fn in_case_of(typed: &str, to: &str) -> String {
    let letters: Vec<char> = typed.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return to.to_uppercase();
    }
    if typed.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = to.chars();
        if let Some(first) = chars.next() {
            return first.to_uppercase().chain(chars).collect();
        }
    }
    to.to_string()
}

/// Corrections for the plain words of `parsed`; `langs` are the analyser
/// keys the index holds (for the stop-word lists). A word may lack from
/// the surface words and still match through its stem (`impeachent` and
/// `impeachment` share the English stem `impeach`): it is corrected all the
/// same, and the search, which finds something, only offers the correction.
/// Words the index holds are looked at only with `present` (a search that
/// found nothing): they cost a walk of the term dictionaries each.
pub fn corrections(
    searcher: &Searcher,
    fields: &Fields,
    langs: &[&str],
    parsed: &ParsedQuery,
    present: bool,
) -> Result<Corrections> {
    let mut out = Corrections::default();
    for c in parsed.clauses.iter().filter(|c| correctable(c)) {
        if !analysis::is_spelling_word(&c.text) || query::is_stop_word(&c.text, langs) {
            continue;
        }
        let terms = analysis::terms(&mut analysis::name_analyser(), &c.text);
        let [word] = terms.as_slice() else { continue };
        let chars = word.chars().count();
        if chars < MIN_WORD_CHARS {
            continue;
        }
        let own = searcher.doc_freq(&Term::from_field_text(fields.words, word))?;
        if own > 0 && !present {
            continue;
        }
        let distance = if chars >= LONG_WORD_CHARS { 2 } else { 1 };
        let candidates = near_words(searcher, fields, word, distance)?
            .into_iter()
            .filter(|(w, _)| !query::is_stop_word(w, langs))
            .collect();
        let Some((to, df)) = best_candidate(word, candidates) else {
            continue;
        };
        let correction = Correction {
            from: c.text.clone(),
            to: in_case_of(&c.text, &to),
        };
        if own == 0 {
            out.absent.push(correction);
        } else if df >= own.saturating_mul(RARER_BY) {
            out.rare.push(correction);
        }
    }
    Ok(out)
}

/// `parsed` with each corrected word replaced.
pub fn apply<'a>(
    parsed: &ParsedQuery,
    corrections: impl IntoIterator<Item = &'a Correction>,
) -> ParsedQuery {
    let mut out = parsed.clone();
    for fix in corrections {
        if let Some(c) = out
            .clauses
            .iter_mut()
            .find(|c| correctable(c) && c.text == fix.from)
        {
            c.text.clone_from(&fix.to);
        }
    }
    out
}

/// The query as typed with each corrected word replaced (the first
/// occurrence of it as a whole word).
pub fn corrected_query<'a>(
    query: &str,
    corrections: impl IntoIterator<Item = &'a Correction>,
) -> String {
    let mut q = query.to_string();
    for c in corrections {
        let whole_word = q.match_indices(&c.from).map(|(at, _)| at).find(|&at| {
            let before = q[..at].chars().next_back();
            let after = q[at + c.from.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        if let Some(at) = whole_word {
            q.replace_range(at..at + c.from.len(), &c.to);
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_cost_one_edit() {
        assert_eq!(edit_distance("immigratoin", "immigration"), 1);
        assert_eq!(edit_distance("immigratoin", "immigraton"), 1);
        assert_eq!(edit_distance("christain", "christians"), 2);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", ""), 0);
    }

    #[test]
    fn frequency_chooses_with_penalties_for_distance_and_first_letter() {
        let c = |pairs: &[(&str, u64)]| {
            pairs
                .iter()
                .map(|(w, n)| (w.to_string(), *n))
                .collect::<HashMap<_, _>>()
        };
        let best = |w, pairs: &[(&str, u64)]| best_candidate(w, c(pairs)).unwrap().0;
        assert_eq!(
            best("immigratoin", &[("immigraton", 1), ("immigration", 400)]),
            "immigration"
        );
        assert_eq!(
            best("christain", &[("christian", 30), ("christians", 200)]),
            "christian"
        );
        assert_eq!(
            best("ilegal", &[("legal", 800), ("illegal", 500)]),
            "illegal"
        );
        assert_eq!(
            best("ilegal", &[("legal", 8000), ("illegal", 500)]),
            "legal"
        );
    }

    #[test]
    fn corrected_query_keeps_the_rest_as_typed() {
        let fix = |from: &str, to: &str| Correction {
            from: from.into(),
            to: to.into(),
        };
        assert_eq!(
            corrected_query("tarifs on steel", &[fix("tarifs", "tariffs")]),
            "tariffs on steel"
        );
        // Only a whole word is replaced.
        assert_eq!(
            corrected_query("steelx steel", &[fix("steel", "steal")]),
            "steelx steal"
        );
        assert_eq!(in_case_of("Kavanugh", "kavanaugh"), "Kavanaugh");
        assert_eq!(in_case_of("NATOO", "nato"), "NATO");
        assert_eq!(in_case_of("tarifs", "tariffs"), "tariffs");
    }
}
