//! Bounds on what one search may ask for, applied before any work is done,
//! so that no option or date can make a search hang, exhaust memory or
//! panic. The query text's own limits (bytes, words and phrases) are checked
//! where it is parsed, in [`super::query`].

use jiff::civil::{date, Date};

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
/// which gives the same answer. A `--since` after `--until` is an error,
/// because it can only be a mistake.
pub fn bound(req: &SearchRequest) -> Result<SearchRequest> {
    let mut req = req.clone();
    req.limit = req.limit.clamp(1, MAX_RESULTS);
    req.per_article = req.per_article.clamp(1, MAX_PER_ARTICLE);
    let f = &mut req.filters;
    if let (Some(since), Some(until)) = (f.since, f.until) {
        if since > until {
            return Err(Error::Invalid(format!(
                "--since {since} is after --until {until}; no article can match"
            )));
        }
    }
    f.since = f
        .since
        .filter(|d| *d > FIRST_DATE)
        .map(|d| d.min(LAST_DATE));
    f.until = f
        .until
        .filter(|d| *d < LAST_DATE)
        .map(|d| d.max(FIRST_DATE));
    Ok(req)
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
            query: "x".into(),
            filters: Filters {
                since,
                until,
                ..Filters::default()
            },
            limit,
            per_article,
            ranking: Default::default(),
        }
    }

    #[test]
    fn huge_numbers_are_clamped() {
        let r = bound(&req(usize::MAX, usize::MAX, None, None)).unwrap();
        assert_eq!((r.limit, r.per_article), (MAX_RESULTS, MAX_PER_ARTICLE));
        let r = bound(&req(0, 0, None, None)).unwrap();
        assert_eq!((r.limit, r.per_article), (1, 1));
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
