//! [`Filters`] as Tantivy queries, AND-ed with the text query by
//! [`super::query::build`] (and by `similar`).

use std::ops::Bound;

use jiff::civil::Date;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery};
use tantivy::schema::Field;
use tantivy::{DateTime, Term};

use super::limits;
use super::query::{exact_query, keyword_query, name_query, DateRange};
use super::Filters;
use crate::error::{Error, Result};
use crate::index::OpedexIndex;

impl Filters {
    /// One non-scoring query per kind of filter set; an author, outlet or
    /// section with no words to match, or `since` after `until`, is an error.
    pub(super) fn queries(&self, index: &OpedexIndex) -> Result<Vec<Box<dyn Query>>> {
        let f = &index.fields;
        let mut out = Vec::new();
        let names = |field, values: &[String], what: &str| -> Result<Option<Box<dyn Query>>> {
            if values.is_empty() {
                return Ok(None);
            }
            let qs = values
                .iter()
                .map(|v| {
                    name_query(field, v).ok_or_else(|| {
                        Error::Invalid(format!("--{what} {v:?} has no words to match"))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Some(any_of(qs)))
        };
        let keywords = |field, values: &[String]| {
            (!values.is_empty())
                .then(|| any_of(values.iter().map(|v| keyword_query(field, v)).collect()))
        };
        out.extend(names(f.author, &self.authors, "author")?);
        out.extend(names(f.outlet, &self.outlets, "outlet")?);
        out.extend(names(f.section, &self.sections, "section")?);
        out.extend(keywords(f.topic, &self.topics));
        out.extend(keywords(f.lang, &self.langs));
        // Ids are exact and case-sensitive (lower-case hex), unlike keywords.
        if !self.articles.is_empty() {
            let ids = self
                .articles
                .iter()
                .map(|id| exact_query(f.article_id, id.trim()));
            out.push(any_of(ids.collect()));
        }
        if let (Some(s), Some(u)) = (self.since, self.until) {
            if s > u {
                return Err(Error::Invalid(format!("--since {s} is after --until {u}")));
            }
        }
        let dates = DateRange {
            since: self.since,
            until: self.until,
        };
        out.extend(date_query(f.published, dates));
        Ok(out)
    }
}

/// A non-scoring query for the articles published within `range` (days in
/// UTC, both ends included, clamped to the dates an index can hold);
/// `None` when the range is open at both ends.
pub(super) fn date_query(published: Field, range: DateRange) -> Option<Box<dyn Query>> {
    let range = limits::clamp_dates(range);
    if range.since.is_none() && range.until.is_none() {
        return None;
    }
    let bound = |d: Option<Date>, end: bool| match d {
        Some(d) => Bound::Included(date_term(published, d, end)),
        None => Bound::Unbounded,
    };
    Some(Box::new(ConstScoreQuery::new(
        Box::new(RangeQuery::new(
            bound(range.since, false),
            bound(range.until, true),
        )),
        0.0,
    )))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// The first (or, with `end`, the last) second of day `d`, UTC, as a term
/// of the `published` field. `d` lies within the dates an index can hold
/// ([`limits::clamp_dates`]).
fn date_term(published: Field, d: Date, end: bool) -> Term {
    let midnight = d
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second());
    let secs = if end { midnight + 86_399 } else { midnight };
    Term::from_field_date_for_search(published, DateTime::from_timestamp_secs(secs))
}
