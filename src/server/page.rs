//! The web page: one HTML file, one script, one style sheet, compiled into
//! the binary so the page works offline. The script calls the JSON API and
//! writes every piece of article text with `textContent`, never as markup,
//! so a hostile title or body shows as text; the Content-Security-Policy
//! (set on every response by the router) forbids inline and foreign scripts
//! besides.

use axum::http::header;
use axum::response::IntoResponse;

const HTML: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// `GET /`
pub async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], HTML)
}

/// `GET /app.js`
pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

/// `GET /app.css`
pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}
