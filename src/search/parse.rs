//! Stage "parse" of a search: the query as typed becomes the clauses to
//! rank and the filters to apply, with the query-rewriting features of
//! [`super::Ranking`] applied.

use super::query::{self, date_range, DateRange, NamedField, Occurrence, ParsedQuery};
use super::{Filters, SearchRequest};
use crate::error::{Error, Result};

/// What the parse stage hands on.
pub(super) struct Parsed {
    /// The clauses to rank (and exclusions).
    pub(super) query: ParsedQuery,
    /// The request's filters with the query's qualifiers added.
    pub(super) filters: Filters,
    /// The phrase searched when every word is a stop word (two words or more).
    pub(super) stop_word_phrase: Option<String>,
}

/// Parses `req.query` ([`query::parse`]); moves its metadata qualifiers
/// into the filters ([`qualifiers`]); folds typography
/// ([`query::fold_typography`]) and drops stop words in `langs`
/// ([`query::drop_stop_words`]), or searches a query of only stop words as
/// a phrase ([`query::stop_words_as_phrase`]), when those features are on.
/// A query with neither words nor filters is an error.
pub(super) fn parse(req: &SearchRequest, langs: &[&str]) -> Result<Parsed> {
    let parsed = query::parse(&req.query)?;
    if parsed.clauses.is_empty() && req.filters.is_empty() {
        return Err(Error::Query(
            "the query is empty; give words to search for".into(),
        ));
    }
    let (mut parsed, filters) = qualifiers(parsed, &req.filters)?;
    if req.ranking.typography {
        parsed = query::fold_typography(&parsed);
    }
    let mut stop_word_phrase = None;
    if req.ranking.stop_words {
        if let Some((q, phrase)) = query::stop_words_as_phrase(&parsed, langs) {
            parsed = q;
            stop_word_phrase = phrase.contains(' ').then_some(phrase);
        } else {
            parsed = query::drop_stop_words(&parsed, langs);
        }
    }
    Ok(Parsed {
        query: parsed,
        filters,
        stop_word_phrase,
    })
}

/// Moves the metadata qualifiers of `parsed` that select articles
/// (`author:`, `outlet:`, `section:`, `topic:`, `lang:` and the dates,
/// optional or `+`required) into a copy of `filters`, where they act
/// exactly like the flags: values of one kind are OR-ed with each other and
/// with the flag's, kinds are AND-ed, and dates narrow the flags' range.
/// Excluded qualifiers (`-outlet:slate`) and `title:` stay in the query.
pub(super) fn qualifiers(parsed: ParsedQuery, filters: &Filters) -> Result<(ParsedQuery, Filters)> {
    let mut filters = filters.clone();
    let mut dates = DateRange {
        since: filters.since,
        until: filters.until,
    };
    let mut clauses = Vec::with_capacity(parsed.clauses.len());
    for c in parsed.clauses {
        let Some(field) = c.field.filter(|f| *f != NamedField::Title) else {
            clauses.push(c);
            continue;
        };
        if c.occur == Occurrence::MustNot {
            clauses.push(c);
            continue;
        }
        match field {
            NamedField::Author => filters.authors.push(c.text),
            NamedField::Outlet => filters.outlets.push(c.text),
            NamedField::Section => filters.sections.push(c.text),
            NamedField::Topic => filters.topics.push(c.text),
            NamedField::Lang => filters.langs.push(c.text.trim().to_lowercase()),
            NamedField::Title => unreachable!("title stays in the query"),
            NamedField::Year | NamedField::Published | NamedField::Since | NamedField::Until => {
                let r = date_range(field, &c.text)?;
                dates.since = dates.since.max(r.since);
                dates.until = match (dates.until, r.until) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
    }
    if let (Some(s), Some(u)) = (dates.since, dates.until) {
        if s > u {
            return Err(Error::Query(format!(
                "the dates asked for leave nothing: from {s} until {u}; no article can match"
            )));
        }
    }
    (filters.since, filters.until) = (dates.since, dates.until);
    Ok((ParsedQuery { clauses }, filters))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn qualifiers_become_filters_like_the_flags() {
        let flags = Filters {
            outlets: vec!["vox".into()],
            since: Some(date(2018, 1, 1)),
            ..Filters::default()
        };
        let parsed = query::parse(
            "tariffs outlet:slate +author:\"ann roe\" -topic:sport lang:XX year:2019 title:steel",
        )
        .unwrap();
        let (q, f) = qualifiers(parsed, &flags).unwrap();
        assert_eq!(f.outlets, ["vox", "slate"]);
        assert_eq!(f.authors, ["ann roe"]);
        assert_eq!(f.langs, ["xx"]);
        assert!(f.topics.is_empty());
        assert_eq!(
            (f.since, f.until),
            (Some(date(2019, 1, 1)), Some(date(2019, 12, 31)))
        );
        let left: Vec<(&str, Option<NamedField>)> = q
            .clauses
            .iter()
            .map(|c| (c.text.as_str(), c.field))
            .collect();
        assert_eq!(
            left,
            [
                ("tariffs", None),
                ("sport", Some(NamedField::Topic)),
                ("steel", Some(NamedField::Title)),
            ]
        );
        let parsed = query::parse("vote year:2019 since:2020").unwrap();
        let e = qualifiers(parsed, &Filters::default()).unwrap_err();
        assert!(e.to_string().contains("no article can match"), "{e}");
    }
}
