//! [`Filters`] as Tantivy queries, AND-ed with the text query by
//! [`super::query::build`] (and by `similar`).

use std::ops::Bound;

use jiff::civil::Date;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::{DateTime, Term};

use super::query::{keyword_query, name_query};
use super::Filters;
use crate::error::{Error, Result};
use crate::index::OpedexIndex;

impl Filters {
    /// One non-scoring query per kind of filter set; an author or outlet
    /// with no words to match, or `since` after `until`, is an error.
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
        out.extend(keywords(f.topic, &self.topics));
        out.extend(keywords(f.lang, &self.langs));
        if self.since.is_some() || self.until.is_some() {
            if let (Some(s), Some(u)) = (self.since, self.until) {
                if s > u {
                    return Err(Error::Invalid(format!("--since {s} is after --until {u}")));
                }
            }
            let lower = match self.since {
                Some(d) => Bound::Included(date_term(index, d, false)?),
                None => Bound::Unbounded,
            };
            let upper = match self.until {
                Some(d) => Bound::Included(date_term(index, d, true)?),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        Ok(out)
    }
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// The first (or, with `end`, the last) second of day `d`, UTC, as a term
/// of the `published` field.
fn date_term(index: &OpedexIndex, d: Date, end: bool) -> Result<Term> {
    let midnight = d
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| Error::Invalid(format!("date {d}: {e}")))?
        .timestamp()
        .as_second();
    let secs = if end { midnight + 86_399 } else { midnight };
    Ok(Term::from_field_date_for_search(
        index.fields.published,
        DateTime::from_timestamp_secs(secs),
    ))
}
