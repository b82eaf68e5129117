//! Reader for canonical Article JSON (one object per line, or a JSON document).

use serde_json::Value;

use crate::article::Article;

/// Parses one JSON value into an article, with a readable reason on failure.
pub fn article_from_value(value: Value) -> Result<Article, String> {
    let Value::Object(mut map) = value else {
        return Err(format!("expected a JSON object, found {}", kind(&value)));
    };
    // Sources often write null for "unknown"; treat it as absent.
    map.retain(|_, v| !v.is_null());
    for key in ["title", "body"] {
        if !map.contains_key(key) {
            return Err(format!("missing field `{key}`"));
        }
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())
}

/// Parses one line of JSON Lines.
pub fn article_from_line(line: &str) -> Result<Article, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    article_from_value(value)
}

/// Parses a whole JSON document: one article object or an array of them.
pub fn values_from_document(text: &str) -> Result<Vec<Value>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(match value {
        Value::Array(items) => items,
        other => vec![other],
    })
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

    #[test]
    fn minimal_and_nulls() {
        let a =
            article_from_line(r#"{"title":"T","body":"B","outlet":null,"authors":null}"#).unwrap();
        assert_eq!(a.title, "T");
        assert!(a.authors.is_empty());
    }

    #[test]
    fn errors_are_readable() {
        assert_eq!(
            article_from_line("[1]").unwrap_err(),
            "expected a JSON object, found an array"
        );
        assert_eq!(
            article_from_line(r#"{"title":"x"}"#).unwrap_err(),
            "missing field `body`"
        );
        assert!(article_from_line("{\"title\":")
            .unwrap_err()
            .starts_with("invalid JSON"));
    }
}
