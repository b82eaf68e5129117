//! Bounds on what one search may ask for, applied before any work is done,
//! so that no option or date can make a search hang, exhaust memory or
//! panic. The query text's own limits (bytes, words and phrases) are checked
//! where it is parsed, in [`super::query`].

use jiff::civil::{date, Date};

use super::query::DateRange;
use super::{SearchRequest, MAX_RESULTS};
use crate::error::{Error, Result};

/// Most passages one article may contribute (`--per-article`).
pub const MAX_PER_ARTICLE: usize = 100;
/// Earliest date the index can hold (Tantivy stores nanoseconds in an i64).
pub const FIRST_DATE: Date = date(1678, 1, 1);
/// Latest date the index can hold.
pub const LAST_DATE: Date = date(2261, 12, 31);

/// The request with every number and date brought into range: `limit` and
/// `per_article` are clamped, and a date bound outside the dates an index can
/// hold is widened to "no bound" or narrowed to the last representable day,
/// which gives the same answer. A `--since` after `--until`, or an offset
/// past [`MAX_RESULTS`], is an error, because it can only be a mistake.
pub fn bound(req: &SearchRequest) -> Result<SearchRequest> {
    let mut req = req.clone();
    if req.offset >= MAX_RESULTS {
        return Err(Error::Invalid(format!(
            "--offset {}: only the first {MAX_RESULTS} results can be paged through; \
             narrow the query or add filters",
            req.offset
        )));
    }
    req.limit = req.limit.min(MAX_RESULTS - req.offset);
    req.per_article = req.per_article.clamp(1, MAX_PER_ARTICLE);
    let f = &mut req.filters;
    if let (Some(since), Some(until)) = (f.since, f.until) {
        if since > until {
            return Err(Error::Invalid(format!(
                "--since {since} is after --until {until}; no article can match"
            )));
        }
    }
    let dates = clamp_dates(DateRange {
        since: f.since,
        until: f.until,
    });
    (f.since, f.until) = (dates.since, dates.until);
    Ok(req)
}

/// `range` within the dates an index can hold: a bound before the first
/// or after the last becomes no bound (or the nearest representable day),
/// which matches the same articles.
pub fn clamp_dates(range: DateRange) -> DateRange {
    DateRange {
        since: range
            .since
            .filter(|d| *d > FIRST_DATE)
            .map(|d| d.min(LAST_DATE)),
        until: range
            .until
            .filter(|d| *d < LAST_DATE)
            .map(|d| d.max(FIRST_DATE)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Filters;

    fn req(
        limit: usize,
        per_article: usize,
        since: Option<Date>,
        until: Option<Date>,
    ) -> SearchRequest {
        SearchRequest {
            filters: Filters {
                since,
                until,
                ..Filters::default()
            },
            limit,
            per_article,
            ..SearchRequest::new("x")
        }
    }

    #[test]
    fn huge_numbers_are_clamped() {
        let r = bound(&req(usize::MAX, usize::MAX, None, None)).unwrap();
        assert_eq!((r.limit, r.per_article), (MAX_RESULTS, MAX_PER_ARTICLE));
        let r = bound(&req(0, 0, None, None)).unwrap();
        assert_eq!((r.limit, r.per_article), (0, 1));
        let paged = SearchRequest {
            offset: MAX_RESULTS - 5,
            ..req(10, 1, None, None)
        };
        assert_eq!(bound(&paged).unwrap().limit, 5);
        let past = SearchRequest {
            offset: MAX_RESULTS,
            ..req(10, 1, None, None)
        };
        assert!(bound(&past).is_err());
    }

    #[test]
    fn dates_outside_the_index_range_are_brought_in() {
        let r = bound(&req(1, 1, Some(date(1, 1, 1)), Some(date(9999, 12, 31)))).unwrap();
        assert_eq!((r.filters.since, r.filters.until), (None, None));
        let r = bound(&req(1, 1, Some(date(9000, 1, 1)), None)).unwrap();
        assert_eq!(r.filters.since, Some(LAST_DATE));
        let r = bound(&req(1, 1, None, Some(date(2, 1, 1)))).unwrap();
        assert_eq!(r.filters.until, Some(FIRST_DATE));
        assert!(bound(&req(1, 1, Some(date(2020, 1, 2)), Some(date(2020, 1, 1)))).is_err());
    }
}
