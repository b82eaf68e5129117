//! Completing an extracted article: every field cleaned, the outlet made a
//! publication, the closing bio lines and calls to action taken out of the
//! body, the authors resolved, contacts dropped (from cards, and every
//! e-mail address and phone number from the body), defaults filled, language
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
use super::limits::{self, cap};
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
    a: Article,
    origin: &Origin,
    opts: &ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<Article, ReadError> {
    complete_with(a, origin, opts, warnings)
}

/// [`complete`] for an article an opedex export carried: opedex completed
/// it once already, so it is kept as it is — completing it again is not
/// idempotent (closing bio lines would be looked for again at the end of
/// the body, and topic names read as source labels can map to more topics
/// than themselves). Only what every article must satisfy is checked and
/// bounded: a title and a body, the length limits, no contacts unless
/// asked for, an id; `source` becomes the export file.
pub(crate) fn complete_exported(
    mut a: Article,
    origin: &Origin,
    opts: &ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<Article, ReadError> {
    if a.body.trim().is_empty() {
        return Err(ReadError::EmptyBody);
    }
    if a.title.trim().is_empty() {
        return Err(ReadError::EmptyTitle);
    }
    warnings.extend(cap(&mut a.title, limits::MAX_TITLE_CHARS, "title"));
    for (value, what) in [
        (&mut a.outlet, "outlet"),
        (&mut a.site, "site"),
        (&mut a.section, "section"),
    ] {
        if let Some(v) = value {
            warnings.extend(cap(v, limits::MAX_NAME_CHARS, what));
        }
    }
    for name in &mut a.authors {
        warnings.extend(cap(name, limits::MAX_NAME_CHARS, "author name"));
    }
    a.topics.truncate(limits::MAX_TOPICS);
    for topic in &mut a.topics {
        warnings.extend(cap(topic, limits::MAX_TOPIC_CHARS, "topic"));
    }
    if a.url
        .as_ref()
        .is_some_and(|u| u.chars().count() > limits::MAX_URL_CHARS)
    {
        warnings.push(format!(
            "url dropped (longer than {})",
            limits::MAX_URL_CHARS
        ));
        a.url = None;
    }
    cap_cards(&mut a.author_cards, warnings);
    drop_contacts(&mut a, opts);
    if a.body.trim().is_empty() {
        return Err(ReadError::EmptyBody);
    }
    if a.id.is_empty() || a.id.chars().count() > limits::MAX_ID_CHARS {
        a.id = a.derive_id();
    }
    a.source = Some(Source {
        path: origin.display.clone(),
        format: origin.format.name().to_string(),
    });
    Ok(a)
}

fn complete_with(
    mut a: Article,
    origin: &Origin,
    opts: &ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<Article, ReadError> {
    let d = &opts.defaults;
    a.title = clean::clean_line(&a.title);
    warnings.extend(cap(&mut a.title, limits::MAX_TITLE_CHARS, "title"));
    a.body = clean::body(&a.body);
    if a.body.is_empty() {
        return Err(ReadError::EmptyBody);
    }
    if a.title.is_empty() {
        return Err(ReadError::EmptyTitle);
    }
    a.site = capped(clean_opt(a.site), limits::MAX_NAME_CHARS, "site", warnings)
        .or_else(|| d.site.clone());
    a.url = clean_opt(a.url).filter(|url| {
        let chars = url.chars().count();
        let fits = chars <= limits::MAX_URL_CHARS;
        if !fits {
            warnings.push(format!(
                "url of {chars} characters dropped (limit {}; a cut one would lead nowhere)",
                limits::MAX_URL_CHARS
            ));
        }
        fits
    });
    a.outlet = capped(a.outlet, limits::MAX_NAME_CHARS, "outlet", warnings);
    let outlet_date = publication(&mut a, opts);
    // "OPINION: The Trump Offer": the label is a section (when the outlet
    // gave none), not part of the title.
    if let (title, Some(label)) = outlet::split_title_label(&a.title) {
        a.title = title.to_string();
        if a.section.as_deref().is_none_or(|s| s.trim().is_empty()) {
            a.section = Some(label);
        }
    }
    if a.outlet.is_none() {
        a.outlet = d.outlet.clone();
    }
    let raw_authors: Vec<String> = a.authors.iter().map(|n| clean::clean_line(n)).collect();
    let mut names = authors::clean(&raw_authors, a.outlet.as_deref());
    // A page's reader credits a user name only when the page's author field
    // or element holds nothing else ("gizzmo"); dataset strings never.
    if names.is_empty() && origin.format == Format::Html {
        if let [only] = raw_authors.as_slice() {
            let host = a.url.as_deref().and_then(outlet::host);
            names.extend(authors::handle(only).filter(|h| {
                !authors::is_site_name(h, a.outlet.as_deref(), host.as_deref())
                    && !authors::is_site_name(h, a.site.as_deref(), None)
            }));
        }
    }
    let mut credited = Vec::new();
    if origin.format != Format::Text {
        let (body, closing) = closing::take(&a.body, &names);
        // A page without a title was given its first words; when those
        // were a promotion that just left, the title is the new first words.
        if origin.format == Format::Html && a.title == super::html::stand_in_title(&a.body) {
            a.title = super::html::stand_in_title(&body);
        }
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
    for name in &mut a.authors {
        warnings.extend(cap(name, limits::MAX_NAME_CHARS, "author name"));
    }
    cap_cards(&mut a.author_cards, warnings);
    drop_contacts(&mut a, opts);
    if a.body.trim().is_empty() {
        return Err(ReadError::EmptyBody);
    }
    a.section = capped(
        clean_opt(a.section).filter(|s| !contacts::has_contact(s)),
        limits::MAX_NAME_CHARS,
        "section",
        warnings,
    )
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
    if a.topics.len() > limits::MAX_TOPICS {
        warnings.push(format!(
            "{} topics given; the first {} kept",
            a.topics.len(),
            limits::MAX_TOPICS
        ));
        a.topics.truncate(limits::MAX_TOPICS);
    }
    for topic in &mut a.topics {
        warnings.extend(cap(topic, limits::MAX_TOPIC_CHARS, "topic"));
    }
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
    let id_chars = a.id.chars().count();
    if id_chars > limits::MAX_ID_CHARS {
        warnings.push(format!(
            "id of {id_chars} characters replaced by a derived one (limit {})",
            limits::MAX_ID_CHARS
        ));
        a.id.clear();
    }
    if a.id.is_empty() {
        a.id = a.derive_id();
    }
    // The file read, whatever the record claims (its claim, if any, is
    // `claimed_source`).
    a.source = Some(Source {
        path: origin.display.clone(),
        format: origin.format.name().to_string(),
    });
    Ok(a)
}

/// `value` cut to `max` characters, with a warning when it was longer.
fn capped(
    mut value: Option<String>,
    max: usize,
    what: &str,
    warnings: &mut Vec<String>,
) -> Option<String> {
    if let Some(v) = &mut value {
        warnings.extend(cap(v, max, what));
    }
    value
}

/// Bounds what author cards carry: names, lines, ids, bio, handle and
/// website cut to their limits, affiliations to [`limits::MAX_AFFILIATIONS`].
fn cap_cards(cards: &mut [AuthorCard], warnings: &mut Vec<String>) {
    let line = limits::MAX_CARD_LINE_CHARS;
    for card in cards {
        warnings.extend(cap(
            &mut card.name,
            limits::MAX_NAME_CHARS,
            "author card name",
        ));
        if card.affiliations.len() > limits::MAX_AFFILIATIONS {
            warnings.push(format!(
                "author card with {} affiliation lines; the first {} kept",
                card.affiliations.len(),
                limits::MAX_AFFILIATIONS
            ));
            card.affiliations.truncate(limits::MAX_AFFILIATIONS);
        }
        for value in card
            .affiliations
            .iter_mut()
            .chain(card.ids.values_mut())
            .chain(card.orcid.iter_mut())
            .chain(card.handle.iter_mut())
            .chain(card.website.iter_mut())
        {
            warnings.extend(cap(value, line, "author card line"));
        }
        if let Some(bio) = &mut card.bio {
            warnings.extend(cap(bio, limits::MAX_BIO_CHARS, "author bio"));
        }
    }
}

/// Makes `a.outlet` a publication or nothing: a dated name loses its date
/// (returned, for an article without one), and a value that names no
/// publication (a dataset label, URL, handle, navigation text, date) gives
/// way to the publication of the URL's host: the data file's, else the one
/// the corpus pairs with that host.
///
/// A section label the source appended ("New York Times - Opinion", "NPR
/// Editorial") leaves the name for `section` (when the article has none),
/// and a name that the host table (else the corpus's pairing) gives
/// another way ("American Spectator" on spectator.org) is written as the
/// table writes it, so that one publication is one outlet in filters and
/// counts.
fn publication(a: &mut Article, opts: &ReadOptions) -> Option<String> {
    let given = clean_opt(a.outlet.take());
    let host = a
        .url
        .as_deref()
        .and_then(outlet::host)
        .or_else(|| a.site.as_deref().and_then(outlet::host));
    let known = host
        .as_deref()
        .and_then(|h| outlet::from_table(h).or_else(|| opts.corpus.as_deref()?.outlet_for_host(h)));
    let mut date = None;
    if let Some(given) = given {
        let (name, day) = outlet::split_dated(&given);
        let (name, section) = outlet::split_section(name, known);
        if outlet::is_publication(name) {
            a.outlet = Some(outlet::canonical(name, known).to_string());
            if a.section.is_none() {
                a.section = section.map(str::to_string);
            }
            date = day;
        }
    }
    if a.outlet.is_none() {
        a.outlet = known.map(str::to_string);
    }
    date
}

/// Keeps personal contact data out of what is stored and searched: the
/// body loses every e-mail address and telephone number
/// ([`contacts::redact`]: contact lines whole, an address in prose by
/// itself), and the cards' contacts go unless `--with-contacts` asked for
/// them (`normalize` only; cards are not searchable).
fn drop_contacts(a: &mut Article, opts: &ReadOptions) {
    a.body = contacts::redact(&a.body);
    if !opts.keep_contacts {
        for card in &mut a.author_cards {
            card.contacts = Contacts::default();
        }
    }
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
