//! schema.org JSON-LD: the article node of a page's `application/ld+json`
//! blocks (through `@graph`, `mainEntity` and `@id` references), with its
//! headline, authors, publisher, dates, section, keywords, language and URL.

use std::collections::HashMap;

use dom_query::Document;
use serde_json::Value;

use super::meta::split_keywords;
use crate::clean::collapse;

/// schema.org types that describe an article.
const ARTICLE_TYPES: [&str; 12] = [
    "NewsArticle",
    "OpinionNewsArticle",
    "Article",
    "ReportageNewsArticle",
    "BlogPosting",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "LiveBlogPosting",
];

/// What the JSON-LD blocks say about the article.
#[derive(Debug, Default)]
pub(super) struct LinkedData {
    pub(super) headline: Option<String>,
    pub(super) authors: Vec<String>,
    pub(super) publisher: Option<String>,
    pub(super) published: Option<String>,
    pub(super) modified: Option<String>,
    pub(super) section: Option<String>,
    pub(super) keywords: Vec<String>,
    pub(super) lang: Option<String>,
    pub(super) url: Option<String>,
}

/// Reads every JSON-LD block of the page and what its article node says.
pub(super) fn json_ld(doc: &Document) -> LinkedData {
    let nodes = ld_nodes(doc);
    let by_id: HashMap<String, &Value> = nodes
        .iter()
        .filter_map(|n| n["@id"].as_str().map(|id| (id.to_string(), n)))
        .collect();
    let resolve = |v: &Value| -> Value {
        match v["@id"].as_str().and_then(|id| by_id.get(id)) {
            Some(full) if v.as_object().is_some_and(|o| o.len() == 1) => (*full).clone(),
            _ => v.clone(),
        }
    };
    let article = nodes
        .iter()
        .filter(|n| has_type(n, &ARTICLE_TYPES))
        .max_by_key(|n| (n.get("headline").is_some() as u8) * 2 + n.get("author").is_some() as u8);
    let mut out = article
        .map(|a| from_article(a, &resolve))
        .unwrap_or_default();
    if out.publisher.is_none() {
        out.publisher = nodes
            .iter()
            .filter(|n| has_type(n, &["WebSite", "NewsMediaOrganization"]))
            .find_map(|n| text_of(&n["name"]));
    }
    out
}

/// Every object in the page's JSON-LD blocks, with `@graph` and typed
/// `mainEntity` objects taken out as objects of their own.
fn ld_nodes(doc: &Document) -> Vec<Value> {
    let mut nodes: Vec<Value> = Vec::new();
    for script in doc.select("script").iter() {
        let is_ld = script.attr("type").is_some_and(|t| t.contains("ld"));
        // Some pages leave out the type; their JSON-LD still starts with `@context`.
        if !is_ld && script.attr("type").is_some() {
            continue;
        }
        let text = script.text();
        if !is_ld && !text.trim_start().starts_with("{\"@context\"") {
            continue;
        }
        let text = text
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->");
        let text = text
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>")
            .trim()
            .trim_end_matches(';');
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            flatten(v, &mut nodes, 0);
        }
    }
    nodes
}

/// What an article node says; `resolve` follows `{"@id": …}` references to
/// the nodes they name.
fn from_article(a: &Value, resolve: &dyn Fn(&Value) -> Value) -> LinkedData {
    let (authors, organisation) = credited(a, resolve);
    let lang = &a["inLanguage"];
    LinkedData {
        headline: text_of(&a["headline"]).or_else(|| text_of(&a["name"])),
        authors,
        publisher: text_of(&resolve(&a["publisher"])["name"]).or(organisation),
        published: text_of(&a["datePublished"]).or_else(|| text_of(&a["dateCreated"])),
        modified: text_of(&a["dateModified"]),
        section: as_list(&a["articleSection"]).into_iter().find_map(text_of),
        keywords: match &a["keywords"] {
            Value::String(s) => split_keywords(s),
            Value::Array(items) => items.iter().filter_map(text_of).collect(),
            _ => Vec::new(),
        },
        lang: text_of(lang)
            .or_else(|| text_of(&lang["alternateName"]))
            .or_else(|| text_of(&lang["name"])),
        url: text_of(&a["url"]).or_else(|| text_of(&resolve(&a["mainEntityOfPage"])["@id"])),
    }
}

/// The people an article node credits (`author`, `creator`), and the name
/// of the first organisation among them (a publisher named as the author).
fn credited(a: &Value, resolve: &dyn Fn(&Value) -> Value) -> (Vec<String>, Option<String>) {
    let mut authors = Vec::new();
    let mut organisation = None;
    for author in as_list(&a["author"])
        .into_iter()
        .chain(as_list(&a["creator"]))
    {
        let author = resolve(author);
        if let Some(s) = author.as_str() {
            authors.push(s.to_string());
        } else if has_type(
            &author,
            &["Organization", "NewsMediaOrganization", "Corporation"],
        ) {
            if organisation.is_none() {
                organisation = text_of(&author["name"]);
            }
        } else if let Some(n) = text_of(&author["name"]) {
            authors.push(n);
        }
    }
    (authors, organisation)
}

/// Collects objects from arrays and `@graph`, depth-limited against hostile input.
fn flatten(v: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out, depth + 1)),
        Value::Object(mut o) => {
            if let Some(g) = o.remove("@graph") {
                flatten(g, out, depth + 1);
            }
            if let Some(main) = o
                .get("mainEntity")
                .filter(|m| m.get("@type").is_some())
                .cloned()
            {
                flatten(main, out, depth + 1);
            }
            out.push(Value::Object(o));
        }
        _ => {}
    }
}

fn has_type(v: &Value, types: &[&str]) -> bool {
    as_list(&v["@type"])
        .iter()
        .filter_map(|t| t.as_str())
        .any(|t| {
            types.contains(
                &t.trim_start_matches("schema:")
                    .trim_start_matches("http://schema.org/")
                    .trim_start_matches("https://schema.org/"),
            )
        })
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn text_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => return items.iter().find_map(text_of),
        _ => return None,
    };
    let s = collapse(&s);
    (!s.is_empty()).then_some(s)
}
