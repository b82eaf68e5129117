//! Quickwit: the index config (doc mapping, timestamp field, tokenizers,
//! fast fields for facets), LOAD.md, and a search as Quickwit's query
//! language with its aggregation request.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::{ExportedFile, FirstStage};
use crate::analysis::analyser_keys;
use crate::search::query::{Clause, NamedField, Occurrence};

/// The index config's file name.
pub const CONFIG_FILE: &str = "quickwit-index.yaml";
/// Data files are `docs-00001.ndjson`, `docs-00002.ndjson`, …
pub const DATA_PREFIX: &str = "docs-";
/// The index config format version written.
pub const CONFIG_VERSION: &str = "0.8";

/// The tokenizer each opedex analyser key gets: Quickwit's built-in
/// tokenizers stem English only (`en_stem`); the fallback `xx` splits CJK
/// text per character (`chinese_compatible`); every other language is
/// lower-cased but not stemmed (`default`).
pub fn tokenizer(key: &str) -> &'static str {
    match key {
        "en" => "en_stem",
        "xx" => "chinese_compatible",
        _ => "default",
    }
}

/// The index config for an index with id `name`.
pub fn config(name: &str) -> Value {
    let mut fields = vec![
        json!({"name": "id", "type": "text", "tokenizer": "raw"}),
        json!({"name": "article_id", "type": "text", "tokenizer": "raw", "fast": true}),
        json!({"name": "passage", "type": "u64", "fast": true}),
        json!({"name": "lang", "type": "text", "tokenizer": "raw", "fast": true}),
    ];
    let mut search_fields = Vec::new();
    for key in analyser_keys() {
        for f in [format!("title_{key}"), format!("body_{key}")] {
            fields.push(json!({
                "name": f,
                "type": "text",
                "tokenizer": tokenizer(key),
                "record": "position",
                "fieldnorms": true
            }));
            search_fields.push(f);
        }
    }
    fields.extend([
        json!({"name": "authors", "type": "array<text>", "tokenizer": "default", "fast": true}),
        json!({"name": "outlet", "type": "text", "tokenizer": "raw", "fast": true}),
        json!({"name": "outlets", "type": "array<text>", "tokenizer": "default"}),
        json!({"name": "section", "type": "text", "tokenizer": "default", "fast": true}),
        json!({"name": "topics", "type": "array<text>", "tokenizer": "raw", "fast": true}),
        json!({
            "name": "published",
            "type": "datetime",
            "input_formats": ["rfc3339"],
            "output_format": "rfc3339",
            "fast": true,
            "fast_precision": "seconds"
        }),
        json!({"name": "article_json", "type": "json", "indexed": false, "stored": true}),
    ]);
    json!({
        "version": CONFIG_VERSION,
        "index_id": name,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": fields,
            "timestamp_field": "published",
            "tag_fields": ["lang"]
        },
        "search_settings": {"default_search_fields": search_fields}
    })
}

/// LOAD.md for a Quickwit export of `files`.
pub fn load_md(name: &str, files: &[ExportedFile]) -> String {
    let docs: u64 = files.iter().map(|f| f.documents).sum();
    let mut s = format!(
        "# Loading this export into Quickwit\n\n\
         Written by `opedex export --to quickwit`: {docs} passage documents for the \
         index `{name}`, in {} NDJSON files of under 100 MB each.\n\n\
         1. Create the index from its config (doc mapping, timestamp field, \
         tokenizers, fast fields for facets):\n\n\
         ```sh\nquickwit index create --index-config {CONFIG_FILE}\n```\n\n\
         2. Ingest the documents, one file at a time:\n\n```sh\n",
        files.iter().filter(|f| f.documents > 0).count()
    );
    for f in files.iter().filter(|f| f.documents > 0) {
        let _ = writeln!(
            s,
            "quickwit index ingest --index {name} --input-path {}",
            f.name
        );
    }
    let _ = write!(
        s,
        "```\n\n\
         3. Check the count ({docs} expected):\n\n\
         ```sh\nquickwit index describe --index {name}\n```\n\n\
         `opedex search --as quickwit QUERY` prints the search request (query \
         and aggregations) that reproduces opedex's first stage on this index.\n"
    );
    s
}

/// A value quoted for the query language: `"…"` with `"` and `\` escaped.
fn quoted(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// `(a OR b …)`, or the one alternative.
fn any(parts: Vec<String>) -> Option<String> {
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(format!("({})", parts.join(" OR "))),
    }
}

/// `(a AND b …)`, or the one part.
fn all(parts: Vec<String>) -> Option<String> {
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(format!("({})", parts.join(" AND "))),
    }
}

/// A name's words, each required, in `field`.
fn name_words(field: &str, value: &str) -> Option<String> {
    all(value
        .split_whitespace()
        .map(|w| format!("{field}:{}", quoted(w)))
        .collect())
}

/// One clause in the query language.
fn clause(stage: &FirstStage<'_>, c: &Clause) -> Option<String> {
    match c.field {
        None | Some(NamedField::Title) => {
            let mut alternatives = Vec::new();
            for key in stage.langs {
                alternatives.push(format!("title_{key}:{}", quoted(&c.text)));
                if c.field.is_none() {
                    alternatives.push(format!("body_{key}:{}", quoted(&c.text)));
                }
            }
            any(alternatives)
        }
        Some(NamedField::Author) => name_words("authors", &c.text),
        Some(NamedField::Outlet) => name_words("outlets", &c.text),
        Some(NamedField::Section) => name_words("section", &c.text),
        Some(NamedField::Topic) => {
            Some(format!("topics:{}", quoted(&c.text.trim().to_lowercase())))
        }
        Some(NamedField::Lang) => Some(format!("lang:{}", quoted(&c.text.trim().to_lowercase()))),
        Some(f) => {
            let r = crate::search::query::date_range(f, &c.text).ok()?;
            let from = r
                .since
                .map_or("*".to_string(), |d| format!("{d}T00:00:00Z"));
            let to = r
                .until
                .map_or("*".to_string(), |d| format!("{d}T23:59:59Z"));
            Some(format!("published:[{from} TO {to}]"))
        }
    }
}

/// The query string: optional words as one OR group (which also holds the
/// required ones, so that the group never excludes and its words only
/// score), required clauses AND-ed, exclusions as `NOT`, and the filters.
pub fn query_string(stage: &FirstStage<'_>) -> String {
    let mut should = Vec::new();
    let mut must = Vec::new();
    let mut must_not = Vec::new();
    for c in &stage.parsed.clauses {
        let Some(q) = clause(stage, c) else {
            continue;
        };
        match c.occur {
            Occurrence::Should => should.push(q),
            Occurrence::Must => {
                should.push(q.clone());
                must.push(q);
            }
            Occurrence::MustNot => must_not.push(format!("NOT {q}")),
        }
    }
    let f = stage.filters;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(any(should));
    parts.extend(must);
    parts.extend(must_not);
    let names = |field: &str, values: &[String]| {
        any(values.iter().filter_map(|v| name_words(field, v)).collect())
    };
    parts.extend(names("authors", &f.authors));
    parts.extend(names("outlets", &f.outlets));
    parts.extend(names("section", &f.sections));
    let keywords = |field: &str, values: &[String]| {
        any(values
            .iter()
            .map(|v| format!("{field}:{}", quoted(&v.trim().to_lowercase())))
            .collect())
    };
    parts.extend(keywords("topics", &f.topics));
    parts.extend(keywords("lang", &f.langs));
    parts.extend(any(f
        .articles
        .iter()
        .map(|v| format!("article_id:{}", quoted(v.trim())))
        .collect()));
    if parts.is_empty() {
        return "*".into();
    }
    parts.join(" AND ")
}

/// A `terms` aggregation counting articles (not passages) per value.
fn facet(field: &str, size: usize) -> Value {
    json!({
        "terms": {"field": field, "size": size},
        "aggs": {"articles": {"cardinality": {"field": "article_id"}}}
    })
}

/// The search request (`POST /api/v1/INDEX/search`) of opedex's first
/// stage: the query string, the best `candidates` passages, the dates as
/// the timestamp range, the number of matching articles and, when asked
/// for, the facets.
pub fn query(stage: &FirstStage<'_>) -> Value {
    let mut body = Map::new();
    body.insert("query".into(), json!(query_string(stage)));
    body.insert("max_hits".into(), json!(stage.candidates));
    let f = stage.filters;
    let secs = |d: jiff::civil::Date| {
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .ok()
    };
    if let Some(s) = f.since.and_then(secs) {
        body.insert("start_timestamp".into(), json!(s));
    }
    // The end is exclusive: the day after the last day allowed.
    if let Some(u) = f.until.and_then(|u| u.tomorrow().ok()).and_then(secs) {
        body.insert("end_timestamp".into(), json!(u));
    }
    let mut aggs = Map::new();
    aggs.insert(
        "articles".into(),
        json!({"cardinality": {"field": "article_id"}}),
    );
    if stage.facets {
        aggs.insert("outlets".into(), facet("outlet", stage.facet_size));
        aggs.insert("authors".into(), facet("authors", stage.facet_size));
        aggs.insert("topics".into(), facet("topics", stage.facet_size));
        aggs.insert("langs".into(), facet("lang", stage.facet_size));
    }
    body.insert("aggs".into(), Value::Object(aggs));
    Value::Object(body)
}
