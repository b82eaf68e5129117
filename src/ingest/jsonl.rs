//! Reader for JSON records: JSON Lines (one object per line) or a JSON
//! document (one object or an array). Fields are mapped onto the Article by
//! [`dataset::article_from_record`], so canonical Articles and foreign dumps
//! take the same path.

use serde_json::Value;

use super::dataset::{self, FieldMap};
use super::error::ReadError;
use crate::article::Article;

/// Parses one JSON value into an article, with a readable reason on failure.
pub fn article_from_value(value: Value, map: &FieldMap) -> Result<Article, ReadError> {
    let Value::Object(record) = value else {
        return Err(ReadError::NotAnObject(kind(&value)));
    };
    dataset::article_from_record(&record, map)
}

/// Parses one line of JSON Lines.
pub fn article_from_line(line: &str, map: &FieldMap) -> Result<Article, ReadError> {
    article_from_value(value_from_line(line)?, map)
}

/// One line of JSON Lines as a JSON value.
pub(crate) fn value_from_line(line: &str) -> Result<Value, ReadError> {
    serde_json::from_str(line).map_err(invalid_json)
}

/// Parses a whole JSON document: one article object or an array of them.
pub fn values_from_document(text: &str) -> Result<Vec<Value>, ReadError> {
    let value: Value = serde_json::from_str(text).map_err(invalid_json)?;
    Ok(match value {
        Value::Array(items) => items,
        other => vec![other],
    })
}

fn invalid_json(e: serde_json::Error) -> ReadError {
    ReadError::InvalidJson(e.to_string())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(l: &str) -> Result<Article, String> {
        article_from_line(l, &FieldMap::default()).map_err(|e| e.to_string())
    }

    #[test]
    fn minimal_and_nulls() {
        let a = line(r#"{"title":"T","body":"B","outlet":null,"authors":null}"#).unwrap();
        assert_eq!(a.title, "T");
        assert!(a.authors.is_empty());
    }

    #[test]
    fn errors_are_readable() {
        assert_eq!(
            line("[1]").unwrap_err(),
            "expected a JSON object, found an array"
        );
        assert!(line(r#"{"title":"x"}"#)
            .unwrap_err()
            .starts_with("missing field `body`"));
        assert!(line("{\"title\":").unwrap_err().starts_with("invalid JSON"));
    }
}
