//! Completing an extracted article: every field cleaned, the outlet made a
//! publication, the closing bio lines and calls to action taken out of the
//! body, the authors resolved, contacts dropped, defaults filled, language
//! detected, topics assigned (source labels mapped onto the vocabulary, the
//! rest kept as keywords) and the id derived.

use super::authors;
use super::closing;
use super::contacts;
use super::credits::{self, Clues};
use super::error::ReadError;
use super::events::Origin;
use super::evidence;
use super::format::Format;
use super::options::ReadOptions;
use super::outlet;
use crate::article::{Article, AuthorCard, Contacts, Source};
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
    a.site = clean_opt(a.site).or_else(|| d.site.clone());
    a.url = clean_opt(a.url);
    let outlet_date = publication(&mut a, opts);
    if a.outlet.is_none() {
        a.outlet = d.outlet.clone();
    }
    let raw_authors: Vec<String> = a.authors.iter().map(|n| clean::clean_line(n)).collect();
    let names = authors::clean(&raw_authors, a.outlet.as_deref());
    let mut credited = Vec::new();
    if origin.format != Format::Text {
        let (body, closing) = closing::take(&a.body, &names);
        a.body = body;
        credited = closing.credited;
        add_cards(&mut a.author_cards, closing.cards);
    }
    let clues = Clues {
        url: a.url.as_deref(),
        credited: &credited,
        one_string: raw_authors.len() == 1,
        corpus: opts
            .corpus
            .as_deref()
            .and_then(|c| Some((c, evidence::outlet_key(&a)?))),
    };
    let authors = credits::resolve(names, &clues);
    a.authors = if authors.is_empty() {
        d.authors.clone()
    } else {
        authors
    };
    if !opts.keep_contacts {
        for card in &mut a.author_cards {
            card.contacts = Contacts::default();
        }
    }
    a.section = clean_opt(a.section)
        .filter(|s| !contacts::has_contact(s))
        .or_else(|| d.section.clone());
    a.published = match clean_opt(a.published).or(outlet_date) {
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

/// Makes `a.outlet` a publication or nothing: a dated name loses its date
/// (returned, for an article without one), and a value that names no
/// publication (a dataset label, URL, handle, navigation text, date) gives
/// way to the publication of the URL's host: the data file's, else the one
/// the corpus pairs with that host.
fn publication(a: &mut Article, opts: &ReadOptions) -> Option<String> {
    let given = clean_opt(a.outlet.take());
    let mut date = None;
    if let Some(given) = given {
        let (name, day) = outlet::split_dated(&given);
        if outlet::is_publication(name) {
            a.outlet = Some(name.to_string());
            date = day;
        }
    }
    if a.outlet.is_none() {
        let host = a
            .url
            .as_deref()
            .and_then(outlet::host)
            .or_else(|| a.site.as_deref().and_then(outlet::host));
        a.outlet = host.and_then(|h| {
            outlet::from_table(&h)
                .or_else(|| opts.corpus.as_deref()?.outlet_for_host(&h))
                .map(str::to_string)
        });
    }
    date
}

/// Adds the cards of closing bio lines, merged into a card of the same name.
fn add_cards(cards: &mut Vec<AuthorCard>, found: Vec<AuthorCard>) {
    for card in found {
        let key = evidence::name_key(&card.name);
        match cards
            .iter_mut()
            .find(|c| evidence::name_key(&c.name) == key)
        {
            Some(mine) => {
                mine.bio = mine.bio.take().or(card.bio);
                mine.handle = mine.handle.take().or(card.handle);
                let c = &mut mine.contacts;
                c.email = c.email.take().or(card.contacts.email);
                c.phone = c.phone.take().or(card.contacts.phone);
            }
            None => cards.push(card),
        }
    }
}
