//! Errors as the API returns them: a status and a JSON body with a code, a
//! message and, when one parameter is at fault, its name.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::Error;
use crate::VectorError;

/// Where the API is documented, given with every error.
const DOCS: &str = "README.md#web-page-and-http-api";

/// An error response: `{"error": {"code", "message", "parameter"?, "link"}}`.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// A stable, machine-readable code (`bad_query`, `unknown_parameter`, …).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The request parameter at fault, if one is.
    pub parameter: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    link: &'a str,
}

impl ApiError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            parameter: None,
        }
    }

    /// A 400 about one request parameter.
    pub fn parameter(parameter: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            parameter: Some(parameter.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    /// The index cannot be opened (absent, damaged, another version).
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "index_unavailable",
            message,
        )
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Query(why) => ApiError::parameter("q", "bad_query", why),
            Error::Invalid(why) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", why),
            e @ Error::UnknownTopic { .. } => {
                ApiError::parameter("topic", "unknown_topic", e.to_string())
            }
            Error::NoSuchArticle(id) => ApiError::new(
                StatusCode::NOT_FOUND,
                "no_such_article",
                format!("no article with id {id:?} in the index"),
            ),
            e
            @ (Error::NotAnIndex { .. } | Error::SchemaVersion { .. } | Error::Damaged { .. }) => {
                ApiError::unavailable(e.to_string())
            }
            // A mode the index cannot serve: the request's fault.
            Error::Vectors(VectorError::NoVectors { .. }) => ApiError::parameter(
                "mode",
                "no_vectors",
                "the index has no vectors, so it can only be searched lexically (mode lexical \
                 or auto); `opedex embed` on the server's machine adds them",
            ),
            // The server's model is missing or does not fit the vectors.
            e @ (Error::Model(_) | Error::Vectors(_)) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "semantic_unavailable",
                e.to_string(),
            ),
            other => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                other.to_string(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                parameter: self.parameter.as_deref(),
                link: DOCS,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
