//! The hand-off NDJSON that `opedex export` writes, read back: one line per
//! passage (with `_bulk` action lines between them for OpenSearch), each
//! article's passages on consecutive lines, passage 0 carrying the article
//! itself (`article_json`, without its body). A file whose first line is a
//! `_bulk` action or such a passage line is read this way: the passages of
//! each article are put back together into one record, the article with
//! its body, so `opedex ingest` rebuilds the index the export came from.
//!
//! The keys are defined here, below `export`, which writes them.

use serde_json::{Map, Value};

use super::error::ReadError;
use crate::article::Article;

/// A passage's own id, `article_id#n`.
pub const ID: &str = "id";
/// The article's id.
pub const ARTICLE_ID: &str = "article_id";
/// The passage's position in its article.
pub const PASSAGE: &str = "passage";
/// The article without its body, on passage 0 only.
pub const ARTICLE_JSON: &str = "article_json";
/// Prefix of the analysed title field (`title_en`, …, `title_xx`).
pub const TITLE_PREFIX: &str = "title_";
/// Prefix of the analysed passage field (`body_en`, …): the passage as
/// opedex stores it, with the whitespace up to the next passage.
pub const BODY_PREFIX: &str = "body_";

/// True for a `_bulk` action line: `{"index": {…}}` or `{"create": {…}}`.
pub fn is_bulk_action(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.len() == 1
            && o.iter()
                .all(|(k, v)| matches!(k.as_str(), "index" | "create") && v.is_object())
    })
}

/// True for an exported passage line.
pub fn is_passage_line(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.get(ID).is_some_and(Value::is_string)
            && o.get(ARTICLE_ID).is_some_and(Value::is_string)
            && o.get(PASSAGE).is_some_and(Value::is_u64)
            && o.keys().any(|k| k.starts_with(BODY_PREFIX))
    })
}

/// True when the first line of a JSON Lines file shows an export.
pub fn is_export(first_line: &str) -> bool {
    serde_json::from_str::<Value>(first_line)
        .is_ok_and(|v| is_bulk_action(&v) || is_passage_line(&v))
}

/// The article of a record put back together from an export: opedex's own
/// article JSON, read as it is (not through the field map, which would, for
/// one, take the keywords of an article without topics as its topics). Its
/// `source` becomes the record's claim (`claimed_source`); ingest sets
/// `source` to the export file.
pub fn article(value: Value) -> Result<Article, ReadError> {
    let mut a: Article = serde_json::from_value(value).map_err(|e| ReadError::Canonical {
        field: "article_json",
        message: e.to_string(),
    })?;
    if let Some(s) = a.source.take() {
        a.claimed_source = Some(s);
    }
    Ok(a)
}

/// One exported passage: its article's id, its position and stored text,
/// and the article (passage 0).
pub struct PassageLine {
    /// The article id.
    pub article_id: String,
    /// The passage's position.
    pub passage: u64,
    /// The stored text.
    pub text: String,
    /// The article without body, on passage 0.
    pub article: Option<Map<String, Value>>,
}

/// Reads a passage line; `Ok(None)` for a `_bulk` action line.
pub fn passage_line(line: &str) -> Result<Option<PassageLine>, ReadError> {
    let v: Value = serde_json::from_str(line).map_err(|e| ReadError::InvalidJson(e.to_string()))?;
    if is_bulk_action(&v) {
        return Ok(None);
    }
    if !is_passage_line(&v) {
        return Err(ReadError::BadRow(
            "not a passage line of an opedex export (it needs `id`, `article_id`, `passage` and a `body_…` field)"
                .into(),
        ));
    }
    let Value::Object(mut o) = v else {
        unreachable!("checked by is_passage_line")
    };
    let text = o
        .iter()
        .find(|(k, _)| k.starts_with(BODY_PREFIX))
        .and_then(|(_, v)| v.as_str())
        .unwrap_or("")
        .to_string();
    let article = match o.remove(ARTICLE_JSON) {
        Some(Value::Object(a)) => Some(a),
        Some(Value::Null) | None => None,
        Some(_) => {
            return Err(ReadError::BadRow(format!(
                "`{ARTICLE_JSON}` is not an object"
            )))
        }
    };
    Ok(Some(PassageLine {
        article_id: o[ARTICLE_ID].as_str().unwrap_or("").to_string(),
        passage: o[PASSAGE].as_u64().unwrap_or(0),
        text,
        article,
    }))
}

/// The passages of one article as they are read, put back together.
#[derive(Default)]
pub struct Regroup {
    /// The article id, the line of its first passage, its record, its passages.
    current: Option<Gathered>,
}

struct Gathered {
    id: String,
    line: usize,
    article: Option<Map<String, Value>>,
    passages: Vec<(u64, String)>,
}

/// A finished article: the line of its first passage and its record (or why
/// it cannot be one).
pub type Finished = (usize, Result<Value, ReadError>);

impl Regroup {
    /// Adds the passage read at `line`; returns the previous article when
    /// this passage starts another.
    pub fn add(&mut self, line: usize, p: PassageLine) -> Option<Finished> {
        let done = match &self.current {
            Some(g) if g.id == p.article_id => None,
            _ => self.finish(),
        };
        let g = self.current.get_or_insert_with(|| Gathered {
            id: p.article_id.clone(),
            line,
            article: None,
            passages: Vec::new(),
        });
        if p.article.is_some() {
            g.article = p.article;
        }
        g.passages.push((p.passage, p.text));
        done
    }

    /// The article being gathered, finished (at the end of the file).
    pub fn finish(&mut self) -> Option<Finished> {
        let g = self.current.take()?;
        let record = match g.article {
            Some(mut a) => {
                // In passage order, as the index stores them.
                let mut passages = g.passages;
                passages.sort_by_key(|(n, _)| *n);
                let body: String = passages.into_iter().map(|(_, t)| t).collect();
                a.insert("body".into(), Value::String(body));
                Ok(Value::Object(a))
            }
            None => Err(ReadError::BadRow(format!(
                "the passages of article {:?} come without passage 0, which carries `{ARTICLE_JSON}`",
                g.id
            ))),
        };
        Some((g.line, record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_put_back_together_and_actions_skipped() {
        let lines = [
            r#"{"index":{"_index":"opedex","_id":"a#0"}}"#,
            r#"{"id":"a#0","article_id":"a","passage":0,"title_en":"T","body_en":"One.\n\n","article_json":{"id":"a","title":"T","body":""}}"#,
            r#"{"index":{"_index":"opedex","_id":"a#1"}}"#,
            r#"{"id":"a#1","article_id":"a","passage":1,"title_en":"T","body_en":"Two."}"#,
            r#"{"id":"b#1","article_id":"b","passage":1,"title_xx":"U","body_xx":"Lost."}"#,
        ];
        assert!(is_export(lines[0]) && is_export(lines[1]));
        assert!(!is_export(r#"{"title":"T","body":"B"}"#));
        let mut g = Regroup::default();
        let mut done = Vec::new();
        for (n, l) in lines.iter().enumerate() {
            if let Some(p) = passage_line(l).unwrap() {
                done.extend(g.add(n + 1, p));
            }
        }
        done.extend(g.finish());
        assert_eq!(done.len(), 2);
        let (line, a) = &done[0];
        assert_eq!(*line, 2);
        let a = a.as_ref().unwrap();
        assert_eq!(a["body"], "One.\n\nTwo.");
        assert_eq!(a["title"], "T");
        let (line, b) = &done[1];
        assert_eq!(*line, 5);
        assert!(b
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("without passage 0"));
        assert!(passage_line(r#"{"title":"x"}"#).is_err());
    }
}
