//! The JSON API's handlers. Each turns its request into a library call on a
//! blocking thread (searches are CPU-bound) and its result into JSON; a hit
//! is the same object as a line of `opedex search --json`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, RawQuery, State as Shared};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;

use super::{ApiError, State};
use crate::output;
use crate::{
    parse_bound, Filters, Hit, Index, Mode, Ranking, SearchRequest, SimilarRequest, Sort,
    MAX_PER_ARTICLE, MAX_RESULTS,
};

/// Runs `f` on a blocking thread with the current index, after waiting for
/// one of the state's search slots.
async fn blocking<T, F>(state: &Arc<State>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Index) -> Result<T, ApiError> + Send + 'static,
{
    let _slot = state.slots.acquire().await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is stopping",
        )
    })?;
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let index = state.index.get()?;
        f(&index)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
}

/// A search as the API takes it, from a query string or a JSON body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// The query text.
    #[serde(default)]
    pub q: String,
    /// Author filters (any of them).
    #[serde(default, deserialize_with = "one_or_many")]
    pub author: Vec<String>,
    /// Outlet filters.
    #[serde(default, deserialize_with = "one_or_many")]
    pub outlet: Vec<String>,
    /// Section filters.
    #[serde(default, deserialize_with = "one_or_many")]
    pub section: Vec<String>,
    /// Topic filters (names or aliases).
    #[serde(default, deserialize_with = "one_or_many")]
    pub topic: Vec<String>,
    /// Language filters.
    #[serde(default, deserialize_with = "one_or_many")]
    pub lang: Vec<String>,
    /// Published on or after (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Published on or before.
    pub until: Option<String>,
    /// Only these articles' passages (whole ids): "more passages of this article".
    #[serde(default, deserialize_with = "one_or_many")]
    pub article: Vec<String>,
    /// Number of hits.
    pub n: Option<usize>,
    /// Hits to skip (paging).
    pub offset: Option<usize>,
    /// `relevance`, `newest` or `oldest`.
    pub sort: Option<String>,
    /// Counts by outlet, author, topic, language, year and month.
    #[serde(default)]
    pub facets: bool,
    /// Most passages per article.
    pub per_article: Option<usize>,
    /// Plain BM25, every ranking feature off.
    #[serde(default)]
    pub plain: bool,
    /// Pseudo-relevance feedback.
    #[serde(default)]
    pub expand: bool,
    /// `lexical`, `semantic`, `hybrid` or `auto` (the default: hybrid when
    /// the index has vectors and the model is at hand, else lexical).
    pub mode: Option<String>,
}

/// A filter given as one string or as an array of strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Every name `SearchParams` accepts, for the unknown-parameter message.
const SEARCH_PARAMS: [&str; 17] = [
    "q",
    "author",
    "outlet",
    "section",
    "topic",
    "lang",
    "since",
    "until",
    "article",
    "n",
    "offset",
    "sort",
    "facets",
    "per_article",
    "plain",
    "expand",
    "mode",
];

impl SearchParams {
    /// Parses a query string; repeated filters add up (`author=a&author=b`).
    fn from_query(query: Option<&str>) -> Result<SearchParams, ApiError> {
        let mut p = SearchParams::default();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "q" => p.q = value,
                "author" => p.author.push(value),
                "outlet" => p.outlet.push(value),
                "section" => p.section.push(value),
                "topic" => p.topic.push(value),
                "article" => p.article.push(value),
                "lang" => p.lang.push(value),
                "since" => p.since = Some(value),
                "until" => p.until = Some(value),
                "n" => p.n = Some(number("n", &value)?),
                "offset" => p.offset = Some(number("offset", &value)?),
                "sort" => p.sort = Some(value),
                "facets" => p.facets = flag("facets", &value)?,
                "per_article" => p.per_article = Some(number("per_article", &value)?),
                "plain" => p.plain = flag("plain", &value)?,
                "expand" => p.expand = flag("expand", &value)?,
                "mode" => p.mode = Some(value),
                other => return Err(unknown_parameter(other)),
            }
        }
        Ok(p)
    }

    /// The library's request, every value checked.
    fn request(mut self) -> Result<SearchRequest, ApiError> {
        let limit = self.n.unwrap_or(10);
        if !(1..=MAX_RESULTS).contains(&limit) {
            return Err(ApiError::parameter(
                "n",
                "out_of_range",
                format!("n must be between 1 and {MAX_RESULTS}, not {limit}"),
            ));
        }
        let per_article = self.per_article.unwrap_or(1);
        if !(1..=MAX_PER_ARTICLE).contains(&per_article) {
            return Err(ApiError::parameter(
                "per_article",
                "out_of_range",
                format!("per_article must be between 1 and {MAX_PER_ARTICLE}, not {per_article}"),
            ));
        }
        let mut ranking = if self.plain {
            Ranking::plain()
        } else {
            Ranking::default()
        };
        ranking.expand = self.expand;
        ranking.mode = self.mode()?;
        let sort = match self.sort.as_deref() {
            None => Sort::default(),
            Some(s) => s.parse().map_err(|_| {
                ApiError::parameter(
                    "sort",
                    "bad_sort",
                    format!("sort must be relevance, newest or oldest, not {s:?}"),
                )
            })?,
        };
        let offset = self.offset.unwrap_or(0);
        if offset >= MAX_RESULTS {
            return Err(ApiError::parameter(
                "offset",
                "out_of_range",
                format!(
                    "offset must be below {MAX_RESULTS} (only the first {MAX_RESULTS} results \
                     can be paged through), not {offset}"
                ),
            ));
        }
        Ok(SearchRequest {
            filters: self.filters()?,
            query: self.q,
            limit,
            offset,
            per_article,
            sort,
            facets: self.facets,
            ranking,
        })
    }

    /// The search mode asked for; `auto` when none was.
    fn mode(&self) -> Result<Mode, ApiError> {
        let Some(asked) = self.mode.as_deref() else {
            return Ok(Mode::Auto);
        };
        asked.parse().map_err(|_| {
            ApiError::parameter(
                "mode",
                "bad_mode",
                format!("mode must be lexical, semantic, hybrid or auto, not {asked:?}"),
            )
        })
    }

    /// The library's filters, dates checked, naming the parameter at fault.
    fn filters(&mut self) -> Result<Filters, ApiError> {
        let date = |name: &str, raw: Option<String>, end: bool| {
            raw.map(|r| {
                parse_bound(&r, end).map_err(|e| {
                    ApiError::parameter(name, "bad_date", format!("{name} {r:?}: {e}"))
                })
            })
            .transpose()
        };
        let take = std::mem::take;
        Ok(Filters {
            authors: take(&mut self.author),
            outlets: take(&mut self.outlet),
            sections: take(&mut self.section),
            topics: take(&mut self.topic),
            langs: self.lang.iter().map(|l| l.trim().to_lowercase()).collect(),
            since: date("since", self.since.take(), false)?,
            until: date("until", self.until.take(), true)?,
            articles: take(&mut self.article),
        })
    }
}

fn number(name: &str, value: &str) -> Result<usize, ApiError> {
    value.trim().parse().map_err(|_| {
        ApiError::parameter(
            name,
            "bad_number",
            format!("{name} must be a whole number, not {value:?}"),
        )
    })
}

fn flag(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "" | "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ApiError::parameter(
            name,
            "bad_flag",
            format!("{name} must be true or false, not {value:?}"),
        )),
    }
}

fn unknown_parameter(name: &str) -> ApiError {
    ApiError::parameter(
        name,
        "unknown_parameter",
        format!(
            "unknown parameter {name:?}; a search takes {}",
            SEARCH_PARAMS.join(", ")
        ),
    )
}

/// Hits as JSON, each exactly the object of a `search --json` line.
fn hits_json(hits: &[Hit]) -> Vec<Box<RawValue>> {
    hits.iter()
        .filter_map(|h| RawValue::from_string(output::hit_json(h)).ok())
        .collect()
}

async fn run_search(state: Arc<State>, params: SearchParams) -> Result<Response, ApiError> {
    let started = Instant::now();
    let request = params.request()?;
    let query = request.query.clone();
    let offset = request.offset;
    let results = blocking(&state, move |index| Ok(index.search(&request)?)).await?;
    let hits = hits_json(&results.hits);
    Ok(Json(json!({
        "query": query,
        "total": results.total,
        "mode": results.mode.name(),
        "offset": offset,
        "hits": hits,
        "facets": results.facets,
        "corrected_query": results.corrected_query,
        "did_you_mean": results.did_you_mean,
        "stop_word_phrase": results.stop_word_phrase,
        "processing_time_ms": started.elapsed().as_millis() as u64,
    }))
    .into_response())
}

/// `GET /api/v1/search?q=…&author=…&n=…`
pub async fn search_get(
    Shared(state): Shared<Arc<State>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    run_search(state, SearchParams::from_query(query.as_deref())?).await
}

/// `POST /api/v1/search` with the same fields as a JSON object (filters as
/// strings or arrays of strings).
pub async fn search_post(
    Shared(state): Shared<Arc<State>>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| {
        ApiError::new(
            e.status(),
            "bad_body",
            format!(
                "the request body cannot be read ({}); a search body is JSON of at most {} bytes",
                e.body_text(),
                super::MAX_BODY_BYTES
            ),
        )
    })?;
    let params: SearchParams = serde_json::from_slice(&body[..]).map_err(|e| {
        let message = e.to_string();
        // serde names the field it does not know: `unknown field `foo``.
        match message.split('`').nth(1) {
            Some(name) if message.starts_with("unknown field") => unknown_parameter(name),
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("the request body is not a search: {message}"),
            ),
        }
    })?;
    run_search(state, params).await
}

/// `GET /api/v1/articles/{id}`: the whole article, without contact details.
pub async fn article(
    Shared(state): Shared<Arc<State>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let article = blocking(&state, move |index| {
        Ok(index.article(&id)?.without_contacts())
    })
    .await?;
    Ok(Json(article).into_response())
}

/// `GET /api/v1/articles/{id}/similar?n=…&author=…`
pub async fn similar(
    Shared(state): Shared<Arc<State>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let mut params = SearchParams::from_query(query.as_deref())?;
    if !params.q.is_empty() {
        return Err(unknown_parameter("q"));
    }
    let request = SimilarRequest {
        id,
        limit: params.n.unwrap_or(10).clamp(1, MAX_RESULTS),
        filters: params.filters()?,
        // Auto unless asked: hybrid when the index has vectors (the
        // article's own vectors are the query, so no model is needed), else
        // by terms.
        mode: params.mode()?,
    };
    let hits = blocking(&state, move |index| Ok(index.similar(&request)?)).await?;
    Ok(Json(json!({ "hits": hits_json(&hits) })).into_response())
}

/// `GET /api/v1/stats`: counts by outlet, author, topic, language and year.
pub async fn stats(Shared(state): Shared<Arc<State>>) -> Result<Response, ApiError> {
    let stats = blocking(&state, |index| Ok(index.stats()?)).await?;
    Ok(Json(stats).into_response())
}

/// `GET /api/v1/topics`: every topic of the vocabulary (and any other the
/// index holds) with its article count, most first, and the aliases a
/// `topic` filter also accepts.
pub async fn topics(Shared(state): Shared<Arc<State>>) -> Result<Response, ApiError> {
    let topics = blocking(&state, |index| Ok(index.topics()?)).await?;
    Ok(Json(json!({ "topics": topics })).into_response())
}

/// `GET /api/v1/healthz`: 200 when the index opens, 503 when it does not.
pub async fn healthz(Shared(state): Shared<Arc<State>>) -> Result<Response, ApiError> {
    blocking(&state, |_| Ok(())).await?;
    Ok(Json(json!({ "status": "ok" })).into_response())
}

/// Anything else: a JSON 404.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("nothing at {}", uri.path()),
    )
}
