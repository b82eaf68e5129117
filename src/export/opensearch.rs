//! OpenSearch and Elasticsearch: the index template (one analysed field
//! pair per opedex language, with the engine's built-in analyser for it),
//! the `_bulk` action line, LOAD.md, and a search as query DSL.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::{ExportedFile, FirstStage, LOAD_FILE};
use crate::analysis::analyser_keys;
use crate::error::Result;
use crate::index::schema::SCHEMA_VERSION;
use crate::search::query::{Clause, NamedField, Occurrence};

/// The template's file name.
pub const TEMPLATE_FILE: &str = "index-template.json";
/// Data files are `bulk-00001.ndjson`, `bulk-00002.ndjson`, …
pub const DATA_PREFIX: &str = "bulk-";

/// The analyser opedex's fallback `xx` (no stemmer; CJK as character
/// bigrams) becomes: a custom analyser of built-in parts.
pub const FALLBACK_ANALYSER: &str = "opedex_xx";

/// The analyser each opedex analyser key gets: the built-in language
/// analyser with the same Snowball stemmer; Tamil, which OpenSearch has no
/// analyser for, gets `standard` (no stemming).
pub fn analyser(key: &str) -> &'static str {
    match key {
        "ar" => "arabic",
        "da" => "danish",
        "de" => "german",
        "el" => "greek",
        "en" => "english",
        "es" => "spanish",
        "fi" => "finnish",
        "fr" => "french",
        "hu" => "hungarian",
        "it" => "italian",
        "nl" => "dutch",
        "no" => "norwegian",
        "pt" => "portuguese",
        "ro" => "romanian",
        "ru" => "russian",
        "sv" => "swedish",
        "tr" => "turkish",
        "ta" => "standard",
        _ => FALLBACK_ANALYSER,
    }
}

/// The composable index template (`PUT _index_template/NAME`) for an index
/// named `name`: settings with the fallback analyser, strict mappings.
pub fn template(name: &str) -> Value {
    let mut properties = Map::new();
    let mut put = |k: &str, v: Value| {
        properties.insert(k.to_string(), v);
    };
    put("id", json!({"type": "keyword"}));
    put("article_id", json!({"type": "keyword"}));
    put("passage", json!({"type": "integer"}));
    put("lang", json!({"type": "keyword"}));
    for key in analyser_keys() {
        let field = json!({"type": "text", "analyzer": analyser(key)});
        put(&format!("title_{key}"), field.clone());
        put(&format!("body_{key}"), field);
    }
    let with_keyword = json!({
        "type": "text",
        "analyzer": "standard",
        "fields": {"keyword": {"type": "keyword"}}
    });
    put("authors", with_keyword.clone());
    put("outlet", json!({"type": "keyword"}));
    put("outlets", json!({"type": "text", "analyzer": "standard"}));
    put("section", with_keyword);
    put("topics", json!({"type": "keyword"}));
    put(
        "published",
        json!({"type": "date", "format": "strict_date_optional_time"}),
    );
    put("article_json", json!({"type": "object", "enabled": false}));
    json!({
        "index_patterns": [name],
        "template": {
            "settings": {
                "analysis": {
                    "analyzer": {
                        FALLBACK_ANALYSER: {
                            "type": "custom",
                            "tokenizer": "standard",
                            "filter": ["cjk_width", "lowercase", "cjk_bigram", "asciifolding"]
                        }
                    }
                }
            },
            "mappings": {
                "dynamic": "strict",
                "properties": properties
            }
        },
        "_meta": {"generator": "opedex export", "opedex_schema": SCHEMA_VERSION}
    })
}

/// Appends the action line of a passage document to `out`.
pub fn action_line(out: &mut String, index: &str, id: &str) -> Result<()> {
    let line = json!({"index": {"_index": index, "_id": id}});
    out.push_str(&serde_json::to_string(&line)?);
    out.push('\n');
    Ok(())
}

/// LOAD.md for an OpenSearch export of `files`.
pub fn load_md(name: &str, files: &[ExportedFile]) -> String {
    let docs: u64 = files.iter().map(|f| f.documents).sum();
    let mut s = format!(
        "# Loading this export into OpenSearch or Elasticsearch\n\n\
         Written by `opedex export --to opensearch`: {docs} passage documents for the \
         index `{name}`, in {} `_bulk` files of under 100 MB each (the default \
         `http.max_content_length`). Ids are `article_id#passage`, so loading \
         a later export again replaces documents instead of doubling them.\n\n\
         Set the cluster's address (add `-u user:password` or `--cacert` to each \
         `curl` as your cluster needs):\n\n\
         ```sh\nES=http://localhost:9200\n```\n\n\
         1. The index template (analysers and mappings), before any document:\n\n\
         ```sh\ncurl -XPUT \"$ES/_index_template/{name}\" -H 'Content-Type: application/json' \
         --data-binary @{TEMPLATE_FILE}\n```\n\n\
         2. The documents, one request per file:\n\n```sh\n",
        files.iter().filter(|f| f.documents > 0).count()
    );
    for f in files.iter().filter(|f| f.documents > 0) {
        let _ = writeln!(
            s,
            "curl -XPOST \"$ES/_bulk\" -H 'Content-Type: application/x-ndjson' --data-binary @{}",
            f.name
        );
    }
    let _ = write!(
        s,
        "```\n\n\
         Each response should say `\"errors\":false`.\n\n\
         3. Check the count ({docs} expected):\n\n\
         ```sh\ncurl -XPOST \"$ES/{name}/_refresh\"\ncurl \"$ES/{name}/_count\"\n```\n\n\
         `opedex search --as opensearch QUERY` prints the `_search` body that \
         reproduces opedex's first stage on this index; `{LOAD_FILE}` is rewritten \
         by every export.\n"
    );
    s
}

/// The analysed fields a text clause searches, with the title boost.
fn text_fields(stage: &FirstStage<'_>, title_only: bool) -> Vec<String> {
    let mut out = Vec::new();
    for key in stage.langs {
        if stage.title_boost == 1.0 {
            out.push(format!("title_{key}"));
        } else {
            out.push(format!("title_{key}^{}", stage.title_boost));
        }
        if !title_only {
            out.push(format!("body_{key}"));
        }
    }
    out
}

/// A match of a name's words (all of them) in `field`.
fn name_match(field: &str, value: &str) -> Value {
    json!({"match": {field: {"query": value, "operator": "and"}}})
}

/// One clause as a query.
fn clause_query(stage: &FirstStage<'_>, c: &Clause) -> Option<Value> {
    Some(match c.field {
        None | Some(NamedField::Title) => {
            let kind = if c.phrase { "phrase" } else { "most_fields" };
            let mut q = json!({"multi_match": {
                "query": c.text,
                "type": kind,
                "fields": text_fields(stage, c.field.is_some()),
            }});
            if !c.phrase {
                q["multi_match"]["operator"] = json!("and");
            }
            q
        }
        Some(NamedField::Author) => name_match("authors", &c.text),
        Some(NamedField::Outlet) => name_match("outlets", &c.text),
        Some(NamedField::Section) => name_match("section", &c.text),
        Some(NamedField::Topic) => json!({"term": {"topics": c.text.trim().to_lowercase()}}),
        Some(NamedField::Lang) => json!({"term": {"lang": c.text.trim().to_lowercase()}}),
        Some(f) => {
            let range = crate::search::query::date_range(f, &c.text).ok()?;
            date_range(range.since, range.until)?
        }
    })
}

/// A range query on `published`, both days included; `None` when open.
fn date_range(since: Option<jiff::civil::Date>, until: Option<jiff::civil::Date>) -> Option<Value> {
    if since.is_none() && until.is_none() {
        return None;
    }
    let mut r = Map::new();
    if let Some(s) = since {
        r.insert("gte".into(), json!(s.to_string()));
    }
    if let Some(u) = until {
        r.insert("lte".into(), json!(u.to_string()));
    }
    Some(json!({"range": {"published": r}}))
}

/// Any of `values` (OR).
fn any(values: Vec<Value>) -> Value {
    if values.len() == 1 {
        return values.into_iter().next().expect("one");
    }
    json!({"bool": {"should": values, "minimum_should_match": 1}})
}

/// The filters as non-scoring clauses.
fn filter_clauses(stage: &FirstStage<'_>) -> Vec<Value> {
    let f = stage.filters;
    let mut out = Vec::new();
    let names = |field: &str, values: &[String]| {
        (!values.is_empty()).then(|| any(values.iter().map(|v| name_match(field, v)).collect()))
    };
    out.extend(names("authors", &f.authors));
    out.extend(names("outlets", &f.outlets));
    out.extend(names("section", &f.sections));
    let lower = |values: &[String]| -> Vec<String> {
        values.iter().map(|v| v.trim().to_lowercase()).collect()
    };
    if !f.topics.is_empty() {
        out.push(json!({"terms": {"topics": lower(&f.topics)}}));
    }
    if !f.langs.is_empty() {
        out.push(json!({"terms": {"lang": lower(&f.langs)}}));
    }
    if !f.articles.is_empty() {
        out.push(json!({"terms": {"article_id": f.articles}}));
    }
    out.extend(date_range(f.since, f.until));
    out
}

/// A `terms` aggregation counting articles (not passages) per value.
fn facet(field: &str, size: usize) -> Value {
    json!({
        "terms": {"field": field, "size": size},
        "aggs": {"articles": {"cardinality": {"field": "article_id"}}}
    })
}

/// The `_search` body of opedex's first stage: the best passages by BM25
/// for the query's words in every language's fields, the filters as
/// `bool.filter`, the number of matching articles, and the facets when
/// asked for.
pub fn query(stage: &FirstStage<'_>) -> Value {
    let mut should = Vec::new();
    let mut must = Vec::new();
    let mut must_not = Vec::new();
    for c in &stage.parsed.clauses {
        let Some(q) = clause_query(stage, c) else {
            continue;
        };
        match c.occur {
            Occurrence::Should => should.push(q),
            Occurrence::Must => must.push(q),
            Occurrence::MustNot => must_not.push(q),
        }
    }
    let mut b = Map::new();
    if must.is_empty() && !should.is_empty() {
        b.insert("minimum_should_match".into(), json!(1));
    }
    for (k, v) in [("should", should), ("must", must), ("must_not", must_not)] {
        if !v.is_empty() {
            b.insert(k.into(), Value::Array(v));
        }
    }
    let filters = filter_clauses(stage);
    if !filters.is_empty() {
        b.insert("filter".into(), Value::Array(filters));
    }
    let mut aggs = Map::new();
    aggs.insert(
        "articles".into(),
        json!({"cardinality": {"field": "article_id"}}),
    );
    if stage.facets {
        aggs.insert("outlets".into(), facet("outlet", stage.facet_size));
        aggs.insert("authors".into(), facet("authors.keyword", stage.facet_size));
        aggs.insert("topics".into(), facet("topics", stage.facet_size));
        aggs.insert("langs".into(), facet("lang", stage.facet_size));
        aggs.insert(
            "years".into(),
            json!({
                "date_histogram": {"field": "published", "calendar_interval": "year", "format": "yyyy"},
                "aggs": {"articles": {"cardinality": {"field": "article_id"}}}
            }),
        );
    }
    json!({
        "size": stage.candidates,
        "track_total_hits": true,
        "query": {"bool": b},
        "aggs": aggs
    })
}
