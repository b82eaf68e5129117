//! What every reader target does with an extracted article: complete it as
//! ingest does, turn it into index documents, and check the passage contract.

use opedex::stages::{self, document, passage, Origin};
use opedex::{Article, Format, ReadOptions};
use tantivy::schema::Value;

pub fn finish(article: Article, format: Format) {
    let origin = Origin {
        display: "fuzz".into(),
        key: Some("/fuzz".into()),
        format,
    };
    let opts = ReadOptions::default();
    let mut warnings = Vec::new();
    let Ok(article) = stages::complete(article, &origin, &opts, &mut warnings) else {
        return;
    };
    let passages = passage::split(&article.body);
    let mut end = 0;
    for p in &passages {
        assert!(!p.text(&article.body).trim().is_empty(), "empty passage");
        assert!(p.range.start >= end, "passages overlap or go backwards");
        assert!(
            article.body[end..p.range.start].trim().is_empty(),
            "text between passages is lost"
        );
        end = p.range.end;
    }
    assert!(article.body[end..].trim().is_empty(), "text after the last passage is lost");
    let (_, fields) = document::schema();
    let prepared = document::prepare(&article, origin.key.as_deref(), 0, &fields);
    // The body is stored once, over the passages: their stored texts in order
    // must give it back exactly.
    let stored: Vec<(u64, String)> = prepared.docs[1..]
        .iter()
        .map(|d| {
            let n = d.get_first(fields.passage).and_then(|v| v.as_u64()).unwrap_or(0);
            let t = d.get_first(fields.text).and_then(|v| v.as_str()).unwrap_or("");
            (n, t.to_string())
        })
        .collect();
    assert_eq!(document::body_from_passages(stored), article.body, "stored body differs");
}
