//! Typo tolerance: a plain query word that matches nothing in the index is
//! replaced by the most frequent indexed word within a small edit distance,
//! and the search says so ("showing results for …").
//!
//! It only runs for words whose document frequency is 0 in every analysed
//! title and body field, so normal queries pay one `doc_freq` lookup per word
//! and language. Phrases, required (`+`) and excluded (`-`) words and field
//! clauses are never corrected: the user asked for exactly those.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::query::{self, Clause, Occurrence, ParsedQuery};
use super::SearchRequest;
use crate::analysis;
use crate::error::Result;
use crate::index::schema::Fields;

/// Words of at least this many characters may be two edits off; shorter ones one.
pub const LONG_WORD_CHARS: usize = 8;
/// Words shorter than this are never corrected: one edit turns them into
/// too many unrelated words.
pub const MIN_WORD_CHARS: usize = 3;

/// One corrected word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The word as typed.
    pub from: String,
    /// The indexed word used instead.
    pub to: String,
}

fn correctable(c: &Clause) -> bool {
    c.occur == Occurrence::Should && c.field.is_none() && !c.phrase
}

/// True when any analysed form of `text` occurs in any title or body field.
fn occurs(searcher: &Searcher, fields: &Fields, langs: &[&str], text: &str) -> Result<bool> {
    for &key in langs {
        let Some((title, body)) = fields.text_fields(key) else {
            continue;
        };
        for t in analysis::terms(&mut analysis::analyser(key), text) {
            for field in [body, title] {
                if searcher.doc_freq(&Term::from_field_text(field, &t))? > 0 {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// The most frequent indexed term of `field` within `distance` edits of
/// `term` (a transposition counts as one edit), with its document frequency.
fn nearest_term(
    searcher: &Searcher,
    field: Field,
    term: &str,
    distance: u8,
) -> Result<Option<(String, u64)>> {
    let automaton =
        FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true).automaton()?;
    let mut freq: HashMap<String, u64> = HashMap::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                *freq.entry(key.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok(freq
        .into_iter()
        .filter(|(t, _)| t != term)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))))
}

/// A surface form of the analysed `term`, read from a passage that holds it
/// (analysed terms are stems, which are not always words).
fn surface_form(
    searcher: &Searcher,
    fields: &Fields,
    key: &str,
    field: Field,
    term: &str,
) -> Result<Option<String>> {
    let q = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, addr)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*addr)?;
    let mut analyser = analysis::analyser(key);
    // `field` is a body field, whose terms all come from the passage text.
    let text = doc
        .get_first(fields.text)
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let found = analysis::tokens(&mut analyser, text)
        .into_iter()
        .find(|t| t.term == term)
        .and_then(|tok| text.get(tok.range));
    Ok(found.map(str::to_lowercase))
}

/// Stage "correct" of a search: when `req` asks for typo tolerance,
/// `parsed` with its plain words that match nothing corrected ([`correct`]),
/// and the query as typed with the corrections, to show the user
/// ([`corrected_query`]); `parsed` itself and `None` when nothing changed.
pub(super) fn apply(
    searcher: &Searcher,
    fields: &Fields,
    langs: &[&str],
    req: &SearchRequest,
    parsed: ParsedQuery,
) -> Result<(ParsedQuery, Option<String>)> {
    if !req.ranking.typos {
        return Ok((parsed, None));
    }
    let (fixed, corrections) = correct(searcher, fields, langs, &parsed)?;
    if corrections.is_empty() {
        return Ok((parsed, None));
    }
    Ok((fixed, Some(corrected_query(&req.query, &corrections))))
}

/// Corrects the plain words of `parsed` that match nothing. Returns the
/// corrected query and the corrections made (empty when nothing changed).
pub fn correct(
    searcher: &Searcher,
    fields: &Fields,
    langs: &[&str],
    parsed: &ParsedQuery,
) -> Result<(ParsedQuery, Vec<Correction>)> {
    let mut out = parsed.clone();
    let mut corrections = Vec::new();
    for c in out.clauses.iter_mut().filter(|c| correctable(c)) {
        let chars = c.text.chars().count();
        if chars < MIN_WORD_CHARS || occurs(searcher, fields, langs, &c.text)? {
            continue;
        }
        let distance = if chars >= LONG_WORD_CHARS { 2 } else { 1 };
        // The best candidate over every language's body field.
        let mut best: Option<(u64, &str, Field, String)> = None;
        for &key in langs {
            let Some((_, body)) = fields.text_fields(key) else {
                continue;
            };
            let terms = analysis::terms(&mut analysis::analyser(key), &c.text);
            // A word that analyses to several terms (CJK) is left alone.
            let [term] = terms.as_slice() else { continue };
            if let Some((t, df)) = nearest_term(searcher, body, term, distance)? {
                if best.as_ref().is_none_or(|b| df > b.0) {
                    best = Some((df, key, body, t));
                }
            }
        }
        let Some((_, key, body, term)) = best else {
            continue;
        };
        let to = surface_form(searcher, fields, key, body, &term)?.unwrap_or(term);
        // A stop word (`org` → `or`) matches everything and means nothing.
        if query::is_stop_word(&to, langs) {
            continue;
        }
        corrections.push(Correction {
            from: c.text.clone(),
            to: to.clone(),
        });
        c.text = to;
    }
    Ok((out, corrections))
}

/// The query as typed with each corrected word replaced.
pub fn corrected_query(query: &str, corrections: &[Correction]) -> String {
    let mut q = query.to_string();
    for c in corrections {
        q = q.replacen(&c.from, &c.to, 1);
    }
    q
}
