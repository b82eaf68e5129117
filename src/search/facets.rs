//! Facet counts for a search: how many matching articles each outlet,
//! author, topic, language and year has, for the query and filters as run.
//!
//! Articles are counted, not passages: Tantivy's aggregations count
//! documents, and a search matches passages, so an article with ten
//! matching passages would count ten times. Each matching article is
//! counted once, from the fast fields of its first matching document
//! ([`super::matching`]; every document of an article carries its
//! metadata), the way `opedex stats` counts the whole index.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::columnar::StrColumn;
use tantivy::Searcher;

use super::matching::MatchedArticle;
use crate::error::Result;
use crate::index::OpedexIndex;

/// Most values kept per facet (by count), as Meilisearch's
/// `maxValuesPerFacet`; `distinct` says how many there were.
pub const MAX_FACET_VALUES: usize = 100;

/// One value of a facet and the number of matching articles that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The outlet, author, topic, language code or year (`unknown` for undated).
    pub value: String,
    /// Matching articles with this value.
    pub count: usize,
}

/// The counts of one facet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// How many different values the matching articles have.
    pub distinct: usize,
    /// The most frequent values first (ties by value), at most
    /// [`MAX_FACET_VALUES`]; years in time order instead, all of them.
    pub values: Vec<FacetValue>,
}

/// Counts of the matching articles by outlet, author, topic, language and
/// publication year. An article with two authors or topics counts under
/// each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By outlet (where the piece first ran).
    pub outlets: FacetCounts,
    /// By author.
    pub authors: FacetCounts,
    /// By topic.
    pub topics: FacetCounts,
    /// By language (ISO 639-1).
    pub langs: FacetCounts,
    /// By publication year (UTC).
    pub years: FacetCounts,
    /// By publication month (UTC, `YYYY-MM`), in time order, all of them:
    /// the web page's timeline.
    pub months: FacetCounts,
}

/// The facets of `matched`.
pub(super) fn count(
    index: &OpedexIndex,
    searcher: &Searcher,
    matched: &[MatchedArticle],
) -> Result<Facets> {
    let f = &index.fields;
    let mut by = [
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
    ];
    let mut years: HashMap<String, usize> = HashMap::new();
    let mut months: HashMap<String, usize> = HashMap::new();
    for group in matched.chunk_by(|a, b| a.key.segment == b.key.segment) {
        let reader = searcher.segment_reader(group[0].key.segment);
        let ff = reader.fast_fields();
        let schema = reader.schema();
        let fields = [f.outlet_exact, f.author_exact, f.topic, f.lang];
        for (field, counts) in fields.into_iter().zip(by.iter_mut()) {
            if let Some(column) = ff.str(schema.get_field_name(field))? {
                count_column(&column, group, counts)?;
            }
        }
        let published = ff.date(schema.get_field_name(f.published))?;
        let mut per_month: HashMap<Option<(i64, i8)>, usize> = HashMap::new();
        for m in group {
            let secs = published.first(m.doc).map(|d| d.into_timestamp_secs());
            *per_month.entry(secs.map(month_of)).or_default() += 1;
        }
        for (month, n) in per_month {
            let (year, month) = match month {
                Some((y, m)) => (y.to_string(), format!("{y:04}-{m:02}")),
                None => ("unknown".to_string(), "unknown".to_string()),
            };
            *years.entry(year).or_default() += n;
            *months.entry(month).or_default() += n;
        }
    }
    let [outlets, authors, topics, langs] = by.map(by_count);
    Ok(Facets {
        outlets,
        authors,
        topics,
        langs,
        years: by_year(years),
        months: by_month(months),
    })
}

/// The UTC year and month of a timestamp in seconds.
fn month_of(secs: i64) -> (i64, i8) {
    jiff::Timestamp::from_second(secs).map_or((0, 1), |t| {
        let day = t.to_zoned(jiff::tz::TimeZone::UTC);
        (i64::from(day.year()), day.month())
    })
}

/// Adds the values of `column` for the articles of one segment to `counts`:
/// ordinals first, then one ordered pass over the column's dictionary.
fn count_column(
    column: &StrColumn,
    articles: &[MatchedArticle],
    counts: &mut HashMap<String, usize>,
) -> Result<()> {
    let mut by_ord: HashMap<u64, usize> = HashMap::new();
    for m in articles {
        for ord in column.term_ords(m.doc) {
            *by_ord.entry(ord).or_default() += 1;
        }
    }
    let mut ords: Vec<u64> = by_ord.keys().copied().collect();
    ords.sort_unstable();
    let mut next = ords.iter();
    column
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(ord) = next.next() {
                let name = String::from_utf8_lossy(bytes).into_owned();
                *counts.entry(name).or_default() += by_ord[ord];
            }
        })
        .map_err(tantivy::TantivyError::from)?;
    Ok(())
}

/// Counts, most frequent first (ties by value), at most [`MAX_FACET_VALUES`].
fn by_count(counts: HashMap<String, usize>) -> FacetCounts {
    let distinct = counts.len();
    let mut values: Vec<FacetValue> = counts
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values.truncate(MAX_FACET_VALUES);
    FacetCounts { distinct, values }
}

/// Months (`YYYY-MM`, zero-padded so text order is time order) in time
/// order, `unknown` last.
fn by_month(counts: HashMap<String, usize>) -> FacetCounts {
    in_order(counts, |v| (v == "unknown", v.to_string()))
}

/// Years in time order, `unknown` last.
fn by_year(counts: HashMap<String, usize>) -> FacetCounts {
    in_order(counts, |v| {
        (v.parse::<i64>().unwrap_or(i64::MAX), v.to_string())
    })
}

/// All of `counts`, ordered by `key` of their values.
fn in_order<K: Ord>(counts: HashMap<String, usize>, key: impl Fn(&str) -> K) -> FacetCounts {
    let distinct = counts.len();
    let mut values: Vec<FacetValue> = counts
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    values.sort_by_cached_key(|v| key(&v.value));
    FacetCounts { distinct, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_by_count_and_years_in_order() {
        let counts: HashMap<String, usize> = [("b", 2), ("a", 2), ("c", 5)]
            .map(|(k, v)| (k.to_string(), v))
            .into();
        let got = by_count(counts);
        let order: Vec<&str> = got.values.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(order, ["c", "a", "b"]);
        assert_eq!(got.distinct, 3);
        let years: HashMap<String, usize> = [("unknown", 1), ("2019", 3), ("1998", 1)]
            .map(|(k, v)| (k.to_string(), v))
            .into();
        let order: Vec<String> = by_year(years).values.into_iter().map(|v| v.value).collect();
        assert_eq!(order, ["1998", "2019", "unknown"]);
        assert_eq!(month_of(0), (1970, 1));
        let months: HashMap<String, usize> = [("unknown", 1), ("2019-11", 3), ("2019-02", 1)]
            .map(|(k, v)| (k.to_string(), v))
            .into();
        let order: Vec<String> = by_month(months)
            .values
            .into_iter()
            .map(|v| v.value)
            .collect();
        assert_eq!(order, ["2019-02", "2019-11", "unknown"]);
    }
}
