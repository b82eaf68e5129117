//! Stage "parse" of a search: the query as typed becomes the clauses to
//! rank, with the query-rewriting features of [`super::Ranking`] applied.

use super::query::{self, ParsedQuery};
use super::SearchRequest;
use crate::error::{Error, Result};

/// Parses `req.query` ([`query::parse`]); folds typography
/// ([`query::fold_typography`]) and drops stop words in `langs`
/// ([`query::drop_stop_words`]) when those features are on. A query with
/// neither words nor filters is an error.
pub(super) fn parse(req: &SearchRequest, langs: &[&str]) -> Result<ParsedQuery> {
    let mut parsed = query::parse(&req.query)?;
    if parsed.clauses.is_empty() && req.filters.is_empty() {
        return Err(Error::Query(
            "the query is empty; give words to search for".into(),
        ));
    }
    if req.ranking.typography {
        parsed = query::fold_typography(&parsed);
    }
    if req.ranking.stop_words {
        parsed = query::drop_stop_words(&parsed, langs);
    }
    Ok(parsed)
}
