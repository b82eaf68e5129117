//! The query language and its translation into Tantivy queries.
//!
//! Syntax: plain words (ranked; passages with all of them first),
//! `"quoted phrases"` (must occur, words adjacent and in order), `+must` and
//! `-not` prefixes (on words and phrases), and `field:value` /
//! `field:"several words"`: `title` scopes a ranked word or phrase to titles;
//! `author`, `outlet`, `section`, `topic` and `lang` are metadata filters,
//! and `year`, `published`, `since` and `until` date filters
//! ([`date_range`]). Nothing else is special: no wildcards or regular
//! expressions, so no query can explode.

use std::iter::Peekable;
use std::str::Chars;

use jiff::civil::Date;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::StopWordFilter;
use tantivy::Term;

use super::exclude::WholeArticles;
use super::filters::date_query;
use crate::analysis::{self, name_analyser};
use crate::error::{Error, Result};
use crate::index::schema::{Fields, KIND_PASSAGE};

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;
/// Most clauses accepted in one query.
pub const MAX_CLAUSES: usize = 64;
/// Title matches weigh this much more than passage-text matches (field weighting).
pub const TITLE_BOOST: f32 = 1.5;

/// How a clause must relate to a matching passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// Ranked; not required.
    Should,
    /// Required.
    Must,
    /// Excluded.
    MustNot,
}

/// Fields a `field:value` clause can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedField {
    /// Article title.
    Title,
    /// Author names.
    Author,
    /// Outlet or site.
    Outlet,
    /// Section/rubric.
    Section,
    /// Topic label.
    Topic,
    /// Language code.
    Lang,
    /// Publication year, or a range of years (`year:2019`, `year:2016..2019`).
    Year,
    /// Publication date: a day, month or year, a comparison or a range
    /// (`published:2019-03`, `published:>=2019-03`, `published:2019-01..2019-06`).
    Published,
    /// Published on or after (`since:2019-03`, as `--since`).
    Since,
    /// Published on or before (`until:2019-06`, as `--until`).
    Until,
}

impl NamedField {
    fn parse(name: &str) -> Option<NamedField> {
        Some(match name.to_lowercase().as_str() {
            "title" => NamedField::Title,
            "author" | "authors" | "by" => NamedField::Author,
            "outlet" | "site" | "source" => NamedField::Outlet,
            "section" | "rubric" => NamedField::Section,
            "topic" | "topics" => NamedField::Topic,
            "lang" | "language" => NamedField::Lang,
            "year" => NamedField::Year,
            "published" | "date" => NamedField::Published,
            "since" => NamedField::Since,
            "until" => NamedField::Until,
            _ => return None,
        })
    }

    /// True for the fields that filter by date.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            NamedField::Year | NamedField::Published | NamedField::Since | NamedField::Until
        )
    }
}

/// The days a date qualifier allows, both ends included; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    /// First day allowed.
    pub since: Option<Date>,
    /// Last day allowed.
    pub until: Option<Date>,
}

/// The range a date qualifier's value names. A date `D` is `YYYY`,
/// `YYYY-MM` or `YYYY-MM-DD` and stands for all its days:
/// - `year:` takes `YYYY`, `YYYY..YYYY`, `YYYY..` or `..YYYY`;
/// - `published:` (or `date:`) takes `D` (those days), `>=D`, `>D` (after
///   them), `<=D`, `<D` (before them), `D..D`, `D..` or `..D`;
/// - `since:D` is `>=D` and `until:D` is `<=D`, as the flags.
pub fn date_range(field: NamedField, value: &str) -> Result<DateRange> {
    let v = value.trim();
    let bad = |why: &str| {
        Error::Query(format!(
            "{}:{v}: {why}",
            match field {
                NamedField::Year => "year",
                NamedField::Since => "since",
                NamedField::Until => "until",
                _ => "published",
            }
        ))
    };
    let expected = match field {
        NamedField::Year => "expected a year YYYY, or years as 2016..2019, 2016.. or ..2019",
        NamedField::Since | NamedField::Until => "expected a date YYYY, YYYY-MM or YYYY-MM-DD",
        _ => {
            "expected a date YYYY, YYYY-MM or YYYY-MM-DD, after >=, >, <= or <, \
             or a range FROM..TO (either end may be left open)"
        }
    };
    let day = |d: &str, end: bool| -> Result<Date> {
        let ok = if field == NamedField::Year {
            d.len() == 4 && d.chars().all(|c| c.is_ascii_digit())
        } else {
            true
        };
        if !ok {
            return Err(bad(expected));
        }
        // The bound's own message says which part is out of range.
        crate::date::parse_bound(d, end).map_err(|e| bad(&format!("{expected} ({e})")))
    };
    let range = match field {
        NamedField::Since => DateRange {
            since: Some(day(v, false)?),
            until: None,
        },
        NamedField::Until => DateRange {
            since: None,
            until: Some(day(v, true)?),
        },
        _ => {
            if let Some((from, to)) = v.split_once("..") {
                if from.is_empty() && to.is_empty() {
                    return Err(bad(expected));
                }
                DateRange {
                    since: (!from.is_empty()).then(|| day(from, false)).transpose()?,
                    until: (!to.is_empty()).then(|| day(to, true)).transpose()?,
                }
            } else if field == NamedField::Year {
                DateRange {
                    since: Some(day(v, false)?),
                    until: Some(day(v, true)?),
                }
            } else if let Some(d) = v.strip_prefix(">=") {
                DateRange {
                    since: Some(day(d, false)?),
                    until: None,
                }
            } else if let Some(d) = v.strip_prefix("<=") {
                DateRange {
                    since: None,
                    until: Some(day(d, true)?),
                }
            } else if let Some(d) = v.strip_prefix('>') {
                DateRange {
                    since: Some(day(d, true)?.tomorrow().map_err(|_| bad("too late"))?),
                    until: None,
                }
            } else if let Some(d) = v.strip_prefix('<') {
                DateRange {
                    since: None,
                    until: Some(day(d, false)?.yesterday().map_err(|_| bad("too early"))?),
                }
            } else {
                DateRange {
                    since: Some(day(v, false)?),
                    until: Some(day(v, true)?),
                }
            }
        }
    };
    if let (Some(s), Some(u)) = (range.since, range.until) {
        if s > u {
            return Err(bad(&format!(
                "the range starts ({s}) after it ends ({u}); no article can match"
            )));
        }
    }
    Ok(range)
}

/// One clause of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Required, optional or excluded.
    pub occur: Occurrence,
    /// A named field, or `None` for the article text.
    pub field: Option<NamedField>,
    /// The words, as typed.
    pub text: String,
    /// Typed in quotes.
    pub phrase: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Clauses in typed order.
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// Clauses that rank passages by their text: plain and required words and phrases.
    pub fn text_clauses(&self) -> impl Iterator<Item = &Clause> {
        self.clauses
            .iter()
            .filter(|c| c.field.is_none() && c.occur != Occurrence::MustNot)
    }
}

/// Parses the query language.
pub fn parse(input: &str) -> Result<ParsedQuery> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
            input.len()
        )));
    }
    let cleaned = crate::clean::clean_line(input).replace(['“', '”', '„', '«', '»'], "\"");
    let mut chars = cleaned.chars().peekable();
    let mut clauses = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let Some(clause) = next_clause(&mut chars)? else {
            continue;
        };
        clauses.push(clause);
        if clauses.len() > MAX_CLAUSES {
            return Err(Error::Query(format!(
                "the query has more than {MAX_CLAUSES} words or phrases; shorten it"
            )));
        }
    }
    Ok(ParsedQuery { clauses })
}

/// Reads the clause that starts at `chars` (not at whitespace): a `+` or
/// `-`, a `field:`, then a word or a quoted phrase. `None` when it has no
/// text (a lone `+`, an empty phrase).
fn next_clause(chars: &mut Peekable<Chars>) -> Result<Option<Clause>> {
    let occur = match chars.peek() {
        Some('+') => Occurrence::Must,
        Some('-') => Occurrence::MustNot,
        _ => Occurrence::Should,
    };
    if occur != Occurrence::Should {
        chars.next();
    }
    let mut word = String::new();
    while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '"') {
        word.push(c);
    }
    let field = split_field(&mut word, chars.peek())?;
    let (text, phrase) = if word.is_empty() && chars.peek() == Some(&'"') {
        chars.next();
        (closed_phrase(chars)?, true)
    } else {
        (word, false)
    };
    if text.is_empty() {
        if field.is_some() {
            return Err(Error::Query(
                "a field name needs a value, as in author:lukyanov".into(),
            ));
        }
        return Ok(None);
    }
    if let Some(f) = field.filter(|f| f.is_date()) {
        date_range(f, &text)?;
    }
    // A quoted phrase is required unless it is explicitly excluded.
    let occur = if phrase && occur == Occurrence::Should && field.is_none() {
        Occurrence::Must
    } else {
        occur
    };
    Ok(Some(Clause {
        occur,
        field,
        text,
        phrase,
    }))
}

/// Takes a field name off `word`: `field:value` leaves the value, and
/// `field:` followed by a quote (`next`, as in `field:"a phrase"`) leaves
/// nothing. A word that merely ends in a colon, or holds one after
/// something other than letters, stays a word.
fn split_field(word: &mut String, next: Option<&char>) -> Result<Option<NamedField>> {
    let mut field = None;
    if let Some(name) = word.strip_suffix(':') {
        if next == Some(&'"') {
            field = NamedField::parse(name);
            if field.is_some() {
                word.clear();
            }
        }
    } else if let Some((name, value)) = word.split_once(':') {
        if !name.is_empty() && !value.is_empty() && name.chars().all(char::is_alphabetic) {
            field = Some(NamedField::parse(name).ok_or_else(|| unknown_field(name))?);
            *word = value.to_string();
        }
    }
    Ok(field)
}

/// The rest of a quoted phrase whose opening quote was read, up to its
/// closing quote, trimmed; an unclosed quote is an error.
fn closed_phrase(chars: &mut Peekable<Chars>) -> Result<String> {
    let mut p = String::new();
    for c in chars.by_ref() {
        if c == '"' {
            return Ok(p.trim().to_string());
        }
        p.push(c);
    }
    Err(Error::Query(format!(
        "a quote is not closed: \"{p}; close it or remove it"
    )))
}

fn unknown_field(name: &str) -> Error {
    Error::Query(format!(
        "unknown field `{name}:`; use title, author, outlet, section, topic, lang, year, \
         published, since or until"
    ))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A query for a sequence of analysed terms in one field.
fn terms_query(field: Field, terms: &[String]) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [one] => Some(term_query(field, one)),
        many => Some(Box::new(PhraseQuery::new(
            many.iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))),
    }
}

/// The alternatives that match `text`: its analysed terms in the title and
/// body fields of every language present, one query each.
fn text_alternatives(
    fields: &Fields,
    langs: &[&str],
    text: &str,
    title_only: bool,
    title_boost: f32,
) -> Vec<Box<dyn Query>> {
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    for &key in langs {
        let Some((title, body)) = fields.text_fields(key) else {
            continue;
        };
        let terms = analysis::terms(&mut analysis::analyser(key), text);
        if let Some(q) = terms_query(title, &terms) {
            alternatives.push(if title_boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, title_boost))
            });
        }
        if !title_only {
            if let Some(q) = terms_query(body, &terms) {
                alternatives.push(q);
            }
        }
    }
    alternatives
}

/// One query that matches any of `alternatives`, or `None` when there are none.
fn any_alternative(mut alternatives: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match alternatives.len() {
        0 => None,
        1 => alternatives.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            alternatives
                .into_iter()
                .map(|q| (Occur::Should, q))
                .collect(),
        ))),
    }
}

/// A non-scoring match of a name (author, outlet, section) by its words.
pub fn name_query(field: Field, value: &str) -> Option<Box<dyn Query>> {
    let terms = analysis::terms(&mut name_analyser(), value);
    terms_query(field, &terms).map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
}

/// A non-scoring exact match of a lower-cased keyword (topic, lang).
pub fn keyword_query(field: Field, value: &str) -> Box<dyn Query> {
    exact_query(field, &value.trim().to_lowercase())
}

/// A non-scoring match of `value` as it is in a raw-string field (ids are
/// case-sensitive).
pub fn exact_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(term_query(field, value), 0.0))
}

/// Builds the Tantivy query for a parsed query plus filter queries (AND-ed).
///
/// `langs` are the analyser keys present in the index; title matches are
/// multiplied by `title_boost`. `expansion` holds optional scoring clauses
/// added beside the user's (pseudo-relevance feedback); they never make a
/// query match on their own. Returns `None` when nothing in the query can
/// match (e.g. only punctuation).
pub fn build(
    parsed: &ParsedQuery,
    filters: Vec<Box<dyn Query>>,
    fields: &Fields,
    langs: &[&str],
    title_boost: f32,
    expansion: Vec<Box<dyn Query>>,
) -> Option<Box<dyn Query>> {
    let UserClauses {
        mut clauses,
        positive,
        must_text,
        should_other,
    } = user_clauses(parsed, fields, langs, title_boost)?;
    if !positive && filters.is_empty() {
        return None;
    }
    if positive {
        clauses.extend(expansion.into_iter().map(|q| (Occur::Should, q)));
    }
    if !positive {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
        ));
    }
    let user = BooleanQuery::new(clauses);
    // Without the `kind` filter the text query runs alone, and Tantivy can
    // skip blocks that cannot reach the top hits (on a million articles the
    // intersection with every passage cost about a tenth of a query).
    let passages_only = must_text || (positive && !should_other);
    if passages_only && filters.is_empty() {
        return Some(Box::new(user));
    }
    // The user's clauses stay in their own query: next to the `Must` filters
    // below, `Should` clauses would otherwise stop being required at all.
    let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(user))];
    if !passages_only {
        all.push((Occur::Must, keyword_query(fields.kind, KIND_PASSAGE)));
    }
    all.extend(filters.into_iter().map(|f| (Occur::Must, f)));
    Some(Box::new(BooleanQuery::new(all)))
}

/// The exclusions of `parsed` (`-word`, `-"a phrase"`, `-outlet:name`),
/// each a query matching every document of the articles it leaves out, for
/// a search that does not run `parsed` itself (the dense side of a hybrid
/// search), so that it leaves out the same articles.
pub fn exclusions(parsed: &ParsedQuery, fields: &Fields, langs: &[&str]) -> Vec<Box<dyn Query>> {
    let only = ParsedQuery {
        clauses: parsed
            .clauses
            .iter()
            .filter(|c| c.occur == Occurrence::MustNot)
            .cloned()
            .collect(),
    };
    user_clauses(&only, fields, langs, 1.0)
        .map(|u| u.clauses.into_iter().map(|(_, q)| q).collect())
        .unwrap_or_default()
}

/// The user's clauses as Tantivy clauses, and what they ask of a match.
struct UserClauses {
    clauses: Vec<(Occur, Box<dyn Query>)>,
    /// Some clause other than an exclusion can match.
    positive: bool,
    /// A required clause is a text match. Only passages hold the analysed
    /// title and body fields, so such a query can never match an article
    /// document.
    must_text: bool,
    /// A clause other than a text match (author, topic …) can make a match.
    should_other: bool,
}

/// Translates each clause of `parsed`; `None` when a required clause
/// cannot match, which makes the whole query match nothing.
fn user_clauses(
    parsed: &ParsedQuery,
    fields: &Fields,
    langs: &[&str],
    title_boost: f32,
) -> Option<UserClauses> {
    let mut out = UserClauses {
        clauses: Vec::new(),
        positive: false,
        must_text: false,
        should_other: false,
    };
    for c in &parsed.clauses {
        let text = matches!(c.field, None | Some(NamedField::Title));
        let q = match c.field {
            None | Some(NamedField::Title) => {
                let title_only = c.field.is_some();
                let alternatives =
                    text_alternatives(fields, langs, &c.text, title_only, title_boost);
                if c.occur == Occurrence::Should {
                    // An optional word's alternatives join the top-level
                    // union directly. The scores are the same sums as in a
                    // nested union, but a flat union of term queries lets
                    // Tantivy skip whole blocks that cannot reach the top
                    // hits (block-max WAND).
                    out.positive |= !alternatives.is_empty();
                    out.clauses
                        .extend(alternatives.into_iter().map(|q| (Occur::Should, q)));
                    continue;
                }
                any_alternative(alternatives)
            }
            Some(NamedField::Author) => name_query(fields.author, &c.text),
            Some(NamedField::Outlet) => name_query(fields.outlet, &c.text),
            Some(NamedField::Section) => name_query(fields.section, &c.text),
            Some(NamedField::Topic) => Some(keyword_query(fields.topic, &c.text)),
            Some(NamedField::Lang) => Some(keyword_query(fields.lang, &c.text)),
            Some(f) => date_range(f, &c.text)
                .ok()
                .and_then(|range| date_query(fields.published, range)),
        };
        let occur = match c.occur {
            Occurrence::Should => Occur::Should,
            Occurrence::Must => Occur::Must,
            Occurrence::MustNot => Occur::MustNot,
        };
        // An exclusion leaves out whole articles: a word wherever in them
        // it occurs (metadata is on every document of an article anyway).
        // As a set of documents it also keeps Tantivy's phrase scorer out
        // of exclusions, where it is sought backwards (a debug assertion in
        // `PhraseScorer::seek_danger` fails on `-outlet:"two words"`).
        let q = if occur == Occur::MustNot {
            q.map(|q| Box::new(WholeArticles::new(q, fields.article_id)) as Box<dyn Query>)
        } else {
            q
        };
        match q {
            Some(q) => {
                out.positive |= occur != Occur::MustNot;
                out.must_text |= text && occur == Occur::Must;
                out.should_other |= !text && occur != Occur::MustNot;
                out.clauses.push((occur, q));
            }
            None if occur == Occur::Must => return None,
            None => {}
        }
    }
    Some(out)
}

/// Dashes and apostrophes that stand for `-` and `'` inside words.
const DASHES: [char; 6] = [
    '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}',
];
const APOSTROPHES: [char; 3] = ['\u{2019}', '\u{2018}', '\u{02bc}'];

/// Strips an English possessive (`Nam's`, `Putin’s`) from a word.
fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "'S"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().last().is_some_and(char::is_alphanumeric) {
                return stem;
            }
        }
    }
    word
}

/// Typographic folding of ranked words (not phrases, not exclusions):
/// typographic apostrophes and dashes become ASCII, possessives are dropped
/// (`Nam's` → `Nam`), and a hyphenated word (`Soviet-Japanese`) becomes its
/// parts, so text that writes them apart or in another order still matches
/// (proximity ranking rewards the adjacent form).
pub fn fold_typography(parsed: &ParsedQuery) -> ParsedQuery {
    let mut clauses = Vec::with_capacity(parsed.clauses.len());
    for c in &parsed.clauses {
        let ranked_text = matches!(c.field, None | Some(NamedField::Title));
        if c.phrase || c.occur == Occurrence::MustNot || !ranked_text {
            clauses.push(c.clone());
            continue;
        }
        let ascii: String = c
            .text
            .chars()
            .map(|ch| {
                if DASHES.contains(&ch) {
                    '-'
                } else if APOSTROPHES.contains(&ch) {
                    '\''
                } else {
                    ch
                }
            })
            .collect();
        for part in ascii.split('-').map(strip_possessive) {
            if part.chars().any(char::is_alphanumeric) {
                clauses.push(Clause {
                    text: part.to_string(),
                    ..c.clone()
                });
            }
        }
    }
    clauses.truncate(MAX_CLAUSES);
    ParsedQuery { clauses }
}

/// English function words dropped from queries on top of Tantivy's English
/// list (Lucene's 33 words). Tantivy's lists for the other languages are the
/// full Snowball ones; English gets the same treatment so that questions
/// ("what have the allies done about …") rank by their content words.
pub(crate) const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "i", "me", "my", "we", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her",
    "hers", "its", "them", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
    "am", "been", "being", "were", "has", "have", "had", "having", "do", "does", "did", "doing",
    "would", "should", "could", "can", "shall", "may", "might", "must", "about", "against",
    "between", "through", "during", "before", "after", "above", "below", "from", "up", "down",
    "out", "off", "over", "under", "again", "further", "once", "here", "all", "any", "both",
    "each", "few", "more", "most", "other", "some", "nor", "only", "own", "same", "so", "than",
    "too", "very", "just", "also", "those", "because", "while", "until", "whether", "though",
    "although", "upon", "onto", "within", "without", "s", "t",
];

/// Whether `word` is a stop word in any of `langs`: Tantivy's lists, plus
/// [`ENGLISH_FUNCTION_WORDS`] for English.
pub(crate) fn is_stop_word(word: &str, langs: &[&str]) -> bool {
    if langs.contains(&"en")
        && ENGLISH_FUNCTION_WORDS
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
    {
        return true;
    }
    analysis::STEMMED_LANGUAGES
        .iter()
        .filter(|(code, _)| langs.contains(code))
        .filter_map(|(_, lang)| StopWordFilter::new(*lang))
        .any(|f| {
            let mut a = tantivy::tokenizer::TextAnalyzer::builder(
                tantivy::tokenizer::SimpleTokenizer::default(),
            )
            .filter(tantivy::tokenizer::LowerCaser)
            .filter(f)
            .build();
            analysis::terms(&mut a, word).is_empty()
        })
}

/// Drops optional plain words that are stop words in any of `langs`
/// (`is_stop_word`), unless that would leave no ranked word. Required words, phrases and field clauses are kept.
pub fn drop_stop_words(parsed: &ParsedQuery, langs: &[&str]) -> ParsedQuery {
    let is_stop = |c: &Clause| {
        c.occur == Occurrence::Should
            && c.field.is_none()
            && !c.phrase
            && is_stop_word(&c.text, langs)
    };
    let keep: Vec<bool> = parsed.clauses.iter().map(|c| !is_stop(c)).collect();
    let ranked_left = parsed
        .clauses
        .iter()
        .zip(&keep)
        .any(|(c, k)| *k && c.field.is_none() && c.occur != Occurrence::MustNot);
    if !ranked_left {
        return parsed.clone();
    }
    ParsedQuery {
        clauses: parsed
            .clauses
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(c, _)| c.clone())
            .collect(),
    }
}

/// A query whose ranked words are all optional stop words (`the of and`),
/// rewritten so that they must occur together: one required phrase of
/// those words in typed order (one required word for a single stop word).
/// Searched as plain words they would match nearly every passage, and
/// dropped they would leave nothing to search. Returns the rewritten query
/// and the phrase; `None` when some ranked word is not such a stop word.
pub fn stop_words_as_phrase(parsed: &ParsedQuery, langs: &[&str]) -> Option<(ParsedQuery, String)> {
    let ranked: Vec<&Clause> = parsed.text_clauses().collect();
    let all_stop = !ranked.is_empty()
        && ranked
            .iter()
            .all(|c| c.occur == Occurrence::Should && !c.phrase && is_stop_word(&c.text, langs));
    if !all_stop {
        return None;
    }
    let words: Vec<&str> = ranked.iter().map(|c| c.text.as_str()).collect();
    let phrase = words.join(" ");
    let mut clauses = vec![Clause {
        occur: Occurrence::Must,
        field: None,
        text: phrase.clone(),
        phrase: words.len() > 1,
    }];
    clauses.extend(
        parsed
            .clauses
            .iter()
            .filter(|c| !(c.field.is_none() && c.occur == Occurrence::Should))
            .cloned(),
    );
    Some((ParsedQuery { clauses }, phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(q: &ParsedQuery) -> Vec<(Occurrence, Option<NamedField>, &str, bool)> {
        q.clauses
            .iter()
            .map(|c| (c.occur, c.field, c.text.as_str(), c.phrase))
            .collect()
    }

    #[test]
    fn parses_the_language() {
        let q =
            parse(r#"peace +treaty -war "disputed islands" author:lukyanov outlet:"nikkei asian""#)
                .unwrap();
        use Occurrence::*;
        assert_eq!(
            texts(&q),
            vec![
                (Should, None, "peace", false),
                (Must, None, "treaty", false),
                (MustNot, None, "war", false),
                (Must, None, "disputed islands", true),
                (Should, Some(NamedField::Author), "lukyanov", false),
                (Should, Some(NamedField::Outlet), "nikkei asian", true),
            ]
        );
    }

    #[test]
    fn typographic_quotes_are_quotes() {
        let q = parse("«peace treaty»").unwrap();
        assert_eq!(q.clauses[0].text, "peace treaty");
        assert!(q.clauses[0].phrase);
    }

    #[test]
    fn readable_errors() {
        let e = parse("\"open quote").unwrap_err().to_string();
        assert!(e.contains("quote is not closed"), "{e}");
        let e = parse("colour:blue").unwrap_err().to_string();
        assert!(e.contains("unknown field `colour:`"), "{e}");
        assert!(parse(&"x ".repeat(100)).is_err());
        assert!(parse(&"y".repeat(5000)).is_err());
    }

    #[test]
    fn typography_folding_splits_hyphens_and_drops_possessives() {
        let q = fold_typography(
            &parse("Soviet\u{2013}Japanese VIET NAM'S Putin\u{2019}s -cold-war \"nam's\"").unwrap(),
        );
        let words: Vec<&str> = q.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            words,
            vec!["Soviet", "Japanese", "VIET", "NAM", "Putin", "cold-war", "nam's"]
        );
    }

    #[test]
    fn stop_words_go_unless_nothing_is_left() {
        let q = drop_stop_words(&parse("the peace of +the islands").unwrap(), &["en"]);
        let words: Vec<&str> = q.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(words, vec!["peace", "the", "islands"]);
        let q = drop_stop_words(&parse("to be or not").unwrap(), &["en"]);
        assert_eq!(q.clauses.len(), 4);
        // Without a language that has a list, nothing is dropped.
        let q = drop_stop_words(&parse("the peace").unwrap(), &["xx"]);
        assert_eq!(q.clauses.len(), 2);
    }

    #[test]
    fn only_stop_words_become_one_required_phrase() {
        let (q, phrase) =
            stop_words_as_phrase(&parse("the of and -war").unwrap(), &["en"]).unwrap();
        assert_eq!(phrase, "the of and");
        assert_eq!(
            texts(&q),
            vec![
                (Occurrence::Must, None, "the of and", true),
                (Occurrence::MustNot, None, "war", false),
            ]
        );
        let (q, _) = stop_words_as_phrase(&parse("the").unwrap(), &["en"]).unwrap();
        assert_eq!(texts(&q), vec![(Occurrence::Must, None, "the", false)]);
        assert!(stop_words_as_phrase(&parse("the peace").unwrap(), &["en"]).is_none());
        assert!(stop_words_as_phrase(&parse("+the of").unwrap(), &["en"]).is_none());
        assert!(stop_words_as_phrase(&parse("author:volnov").unwrap(), &["en"]).is_none());
    }

    #[test]
    fn date_qualifiers_name_ranges() {
        use jiff::civil::date;
        let r = |f, v| date_range(f, v).unwrap();
        let range = |a, b| DateRange { since: a, until: b };
        assert_eq!(
            r(NamedField::Year, "2019"),
            range(Some(date(2019, 1, 1)), Some(date(2019, 12, 31)))
        );
        assert_eq!(
            r(NamedField::Year, "2016..2019"),
            range(Some(date(2016, 1, 1)), Some(date(2019, 12, 31)))
        );
        assert_eq!(
            r(NamedField::Published, ">=2019-03"),
            range(Some(date(2019, 3, 1)), None)
        );
        assert_eq!(
            r(NamedField::Published, ">2019-03"),
            range(Some(date(2019, 4, 1)), None)
        );
        assert_eq!(
            r(NamedField::Published, "<2019-03"),
            range(None, Some(date(2019, 2, 28)))
        );
        assert_eq!(
            r(NamedField::Published, "2019-01..2019-06"),
            range(Some(date(2019, 1, 1)), Some(date(2019, 6, 30)))
        );
        assert_eq!(
            r(NamedField::Published, "..2019-06-15"),
            range(None, Some(date(2019, 6, 15)))
        );
        assert_eq!(
            r(NamedField::Until, "2019"),
            range(None, Some(date(2019, 12, 31)))
        );
        for (f, v) in [
            (NamedField::Year, "2019-03"),
            (NamedField::Year, "19"),
            (NamedField::Published, "2019-13"),
            (NamedField::Published, ".."),
            (NamedField::Published, "2020..2019"),
            (NamedField::Since, ">=2019"),
        ] {
            assert!(date_range(f, v).is_err(), "{v}");
        }
        let e = parse("vote year:20x9").unwrap_err().to_string();
        assert!(e.contains("year:20x9: expected a year"), "{e}");
    }

    #[test]
    fn colon_in_prose_is_not_a_field() {
        let q = parse("Ukraine: what next 10:30").unwrap();
        assert_eq!(q.clauses.len(), 4);
        assert!(q.clauses.iter().all(|c| c.field.is_none()));
    }
}
