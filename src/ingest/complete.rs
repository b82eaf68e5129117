//! Completing an extracted article: every field cleaned, defaults filled,
//! language detected, topics assigned (source labels mapped onto the
//! vocabulary, the rest kept as keywords) and the id derived.

use super::authors;
use super::error::ReadError;
use super::events::Origin;
use super::options::ReadOptions;
use crate::article::{Article, Source};
use crate::{clean, date, lang};

/// A cleaned optional value; empty becomes `None`.
fn clean_opt(v: Option<String>) -> Option<String> {
    v.map(|s| clean::clean_line(&s)).filter(|s| !s.is_empty())
}

/// Completes an extracted article: cleans every field, fills defaults,
/// detects the language, assigns topics and derives the id.
pub fn complete(
    mut a: Article,
    origin: &Origin,
    opts: &ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<Article, ReadError> {
    let d = &opts.defaults;
    a.title = clean::clean_line(&a.title);
    a.body = clean::body(&a.body);
    if a.body.is_empty() {
        return Err(ReadError::EmptyBody);
    }
    if a.title.is_empty() {
        return Err(ReadError::EmptyTitle);
    }
    a.outlet = clean_opt(a.outlet).or_else(|| d.outlet.clone());
    let raw_authors: Vec<String> = a.authors.iter().map(|n| clean::clean_line(n)).collect();
    let authors = authors::clean(&raw_authors, a.outlet.as_deref());
    a.authors = if authors.is_empty() {
        d.authors.clone()
    } else {
        authors
    };
    a.site = clean_opt(a.site).or_else(|| d.site.clone());
    a.section = clean_opt(a.section).or_else(|| d.section.clone());
    a.url = clean_opt(a.url);
    a.published = match clean_opt(a.published) {
        Some(raw) => {
            let parsed = date::canonical(&raw);
            if parsed.is_none() {
                warnings.push(format!("unrecognised date {raw:?} left empty"));
            }
            parsed
        }
        None => d.published.clone(),
    };
    a.lang = match clean_opt(a.lang) {
        Some(given) => match lang::canonical_code(&given) {
            Some(code) => Some(code),
            None => {
                warnings.push(format!("unknown language {given:?}; detecting instead"));
                lang::detect(&a.body)
            }
        },
        None => d.lang.clone().or_else(|| lang::detect(&a.body)),
    };
    let given_topics = if a.topics.is_empty() {
        &d.topics
    } else {
        &a.topics
    };
    let found = opts.taxonomy.topics_and_keywords(
        given_topics,
        &a.keywords,
        a.lang.as_deref(),
        &a.title,
        &a.body,
    );
    a.topics = found.topics;
    a.keywords = found.keywords;
    a.id = clean::clean_line(&a.id);
    if a.id.is_empty() {
        a.id = a.derive_id();
    }
    if a.source.is_none() {
        a.source = Some(Source {
            path: origin.display.clone(),
            format: origin.format.name().to_string(),
        });
    }
    Ok(a)
}
