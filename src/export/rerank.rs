//! opedex's re-ranking over another engine's first stage: the engine's top
//! passages (exported documents, as its hits return them) are put into an
//! index in memory and searched there with the whole of `search` — the same
//! retrieval, `rerank` stage (coverage, proximity, whole-article evidence),
//! grouping per article and highlighting as on an index on disk.
//!
//! What differs from a search of the whole index: BM25 and the IDF weights
//! are those of the pool, not of the collection, and whole-article evidence
//! counts the passages the pool holds. Fetching every passage of the best
//! articles (a second request on their `article_id`s) gives it the whole
//! articles back.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::analysis::analyser_key;
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::document::prepare_passages;
use crate::index::schema;
use crate::index::OpedexIndex;
use crate::ingest::exported::{self, ARTICLE_JSON, BODY_PREFIX, TITLE_PREFIX};
use crate::search::{self, SearchRequest, SearchResults};

/// The passages of one article among the hits.
struct Pooled {
    article: Article,
    /// True when `article` is the exported article itself (passage 0 was
    /// among the hits), not rebuilt from a passage's metadata.
    whole: bool,
    passages: Vec<(u64, String)>,
}

/// The document of a hit: OpenSearch's `_source`, or the hit itself
/// (Quickwit returns the documents).
fn document(hit: &Value) -> &Value {
    hit.get("_source").unwrap_or(hit)
}

/// The article a passage line describes, as far as its metadata tells.
fn article_of(doc: &Map<String, Value>) -> Result<Article> {
    if let Some(a) = doc.get(ARTICLE_JSON).filter(|a| a.is_object()) {
        return Ok(serde_json::from_value(a.clone())?);
    }
    let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
    let list = |k: &str| -> Vec<String> {
        doc.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let title = doc
        .iter()
        .find(|(k, _)| k.starts_with(TITLE_PREFIX))
        .and_then(|(_, v)| v.as_str())
        .unwrap_or("")
        .to_string();
    // The index holds days at midnight; show them as days.
    let published = text("published").map(|p| match p.strip_suffix("T00:00:00Z") {
        Some(day) => day.to_string(),
        None => p,
    });
    Ok(Article {
        id: text("article_id").unwrap_or_default(),
        title,
        authors: list("authors"),
        outlet: text("outlet"),
        section: text("section"),
        published,
        lang: text("lang"),
        topics: list("topics"),
        ..Article::default()
    })
}

/// Re-ranks an engine's top passages for `request` as opedex ranks (see the
/// module documentation). Each hit is an exported passage document, or an
/// OpenSearch hit holding one in `_source`; other hits are an error naming
/// their position. The results' hits come from the pool, their `total` is
/// the number of the pool's articles that match.
pub fn rerank(request: &SearchRequest, hits: &[Value]) -> Result<SearchResults> {
    let mut order: Vec<String> = Vec::new();
    let mut pool: HashMap<String, Pooled> = HashMap::new();
    for (i, hit) in hits.iter().enumerate() {
        let doc = document(hit);
        let Some(map) = doc.as_object().filter(|_| exported::is_passage_line(doc)) else {
            return Err(Error::Invalid(format!(
                "hit {} is not a passage document of an opedex export (it needs `id`, `article_id`, `passage` and a `body_…` field)",
                i + 1
            )));
        };
        let id = map["article_id"].as_str().unwrap_or("").to_string();
        let number = map["passage"].as_u64().unwrap_or(0);
        let text = map
            .iter()
            .find(|(k, _)| k.starts_with(BODY_PREFIX))
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("")
            .to_string();
        let whole = map.get(ARTICLE_JSON).is_some_and(Value::is_object);
        match pool.get_mut(&id) {
            Some(p) => {
                if whole && !p.whole {
                    p.article = article_of(map)?;
                    p.whole = true;
                }
                if !p.passages.iter().any(|(n, _)| *n == number) {
                    p.passages.push((number, text));
                }
            }
            None => {
                order.push(id.clone());
                pool.insert(
                    id,
                    Pooled {
                        article: article_of(map)?,
                        whole,
                        passages: vec![(number, text)],
                    },
                );
            }
        }
    }
    let (_, fields) = schema::build();
    let mut langs = BTreeSet::new();
    let mut docs = Vec::with_capacity(order.len());
    for id in &order {
        let p = &pool[id];
        langs.insert(analyser_key(p.article.lang.as_deref()).to_string());
        docs.push(prepare_passages(&p.article, &p.passages, &fields));
    }
    let index = OpedexIndex::in_ram(docs, langs)?;
    let searcher = index.reader()?.searcher();
    search::search(&index, &searcher, request)
}
