//! `opedex serve`: the JSON API (`/api/v1/…`) and the web page (`/`), a
//! front end on the library's [`Index`](crate::Index) beside the command line.
//!
//! The router is built in one function ([`router`]) over shared state
//! ([`live::LiveIndex`], which follows the index's commits), so tests can
//! call it without a socket. [`serve`] runs it on a listener with the limits
//! a public-facing server needs: request bodies and URLs bounded, slow
//! clients timed out (request headers and whole requests), searches run on
//! blocking threads at most a few per core at a time.
//!
//! May use the library's public API only, like every front end.

mod api;
mod error;
mod live;
mod page;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::ApiError;
pub use live::LiveIndex;

/// Largest request body: a search as JSON is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 << 10;
/// Longest request target (path and query string) accepted.
pub const MAX_URL_BYTES: usize = 8 << 10;
/// Time a client has to send its request headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a request may take, queueing for a search slot included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The page's Content-Security-Policy: only its own scripts, styles and
/// requests; no inline script, no frames, no plugins, no other origin.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// What the handlers share.
pub struct State {
    /// The index, reopened when a writer commits.
    pub index: LiveIndex,
    /// Searches run at once; more wait their turn (searches are CPU-bound).
    pub slots: Semaphore,
}

impl State {
    /// State over the index at `path`, with `slots` searches at a time and
    /// the model in `model` for semantic and hybrid search (`None`: the
    /// default model's folder).
    pub fn new(path: PathBuf, slots: usize, model: Option<PathBuf>) -> Arc<State> {
        Arc::new(State {
            index: LiveIndex::new(path, model),
            slots: Semaphore::new(slots.max(1)),
        })
    }
}

/// Searches run at once by default: enough to keep every core busy while
/// others wait on I/O, few enough that a burst queues instead of thrashing.
pub fn default_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}

/// The whole application: API routes, the page and its assets, the limits.
pub fn router(state: Arc<State>) -> Router {
    let api = Router::new()
        .route("/search", get(api::search_get).post(api::search_post))
        .route("/articles/{id}", get(api::article))
        .route("/articles/{id}/similar", get(api::similar))
        .route("/stats", get(api::stats))
        .route("/topics", get(api::topics))
        .route("/healthz", get(api::healthz))
        .fallback(api::not_found);
    Router::new()
        .nest("/api/v1", api)
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .fallback(api::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(pretty))
        .layer(middleware::from_fn(limit_url))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Refuses request targets over [`MAX_URL_BYTES`] with a JSON 414.
async fn limit_url(request: Request<axum::body::Body>, next: Next) -> Response {
    let len = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if len > MAX_URL_BYTES {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "url_too_long",
            format!("the request URL is {len} bytes long; at most {MAX_URL_BYTES} are accepted"),
        )
        .into_response();
    }
    next.run(request).await
}

/// `?pretty` on an API URL: the JSON answer indented, one key per line, as
/// Elasticsearch does (for people reading answers with curl). The parameter
/// is taken out of the URL before the handler sees it.
async fn pretty(mut request: Request<axum::body::Body>, next: Next) -> Response {
    let uri = request.uri();
    let Some(query) = uri.query().filter(|_| uri.path().starts_with("/api/")) else {
        return next.run(request).await;
    };
    let is_pretty = |pair: &&str| {
        let key = pair.split('=').next().unwrap_or_default();
        key == "pretty"
    };
    if !query.split('&').any(|p| is_pretty(&p)) {
        return next.run(request).await;
    }
    let rest: Vec<&str> = query.split('&').filter(|p| !is_pretty(p)).collect();
    let target = if rest.is_empty() {
        uri.path().to_string()
    } else {
        format!("{}?{}", uri.path(), rest.join("&"))
    };
    if let Ok(target) = target.parse() {
        *request.uri_mut() = target;
    }
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the answer could not be read back for ?pretty",
        )
        .into_response();
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) => match serde_json::to_string_pretty(&value) {
            Ok(text) => axum::body::Body::from(text + "\n"),
            Err(_) => axum::body::Body::from(bytes),
        },
        // Not JSON (the page's assets): as it was.
        Err(_) => axum::body::Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// Serves `app` on `listener` until `shutdown` resolves: HTTP/1.1, with
/// [`HEADER_TIMEOUT`] for slow clients. Each connection runs on its own task.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, _peer): (_, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Out of file descriptors and the like: wait, then go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
