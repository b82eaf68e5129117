//! The NDJSON document of one passage, the same for both engines: its id
//! (`article_id#n`), article id, position and language, the title and the
//! passage text under the article's analyser key (`title_en`, `body_en`;
//! only the article's own pair), the article's metadata for filters and
//! facets, and on passage 0 the article itself (`article_json`).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::ExportedPassage;
use crate::error::Result;
use crate::ingest::exported::{BODY_PREFIX, TITLE_PREFIX};

#[derive(Serialize)]
struct Line<'a> {
    id: String,
    article_id: &'a str,
    passage: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(flatten)]
    text: Analysed<'a>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    /// The outlet where the piece first ran: the facet.
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    /// Every place it ran (outlet, site, copies' outlets and sites): the
    /// forgiving `--outlet` filter, as opedex's `outlet` field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outlets: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    topics: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_json: Option<&'a RawValue>,
}

/// `title_{key}` and `body_{key}`.
struct Analysed<'a> {
    key: &'a str,
    title: &'a str,
    body: &'a str,
}

impl Serialize for Analysed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(&format!("{TITLE_PREFIX}{}", self.key), self.title)?;
        m.serialize_entry(&format!("{BODY_PREFIX}{}", self.key), self.body)?;
        m.end()
    }
}

/// The RFC 3339 time of an article's date, as the index holds it (seconds,
/// UTC; a day is its midnight).
pub fn rfc3339(published: &str) -> Option<String> {
    let secs = crate::date::epoch_seconds(published)?;
    crate::index::index_date(secs)?;
    jiff::Timestamp::from_second(secs)
        .ok()
        .map(|t| t.to_string())
}

/// Appends the document line of `p` (with its newline) to `out`.
pub fn document_line(out: &mut String, p: &ExportedPassage<'_>) -> Result<()> {
    let a = p.article;
    let mut outlets: Vec<&str> = Vec::new();
    let copies = a
        .also_in
        .iter()
        .flat_map(|c| c.outlet.iter().chain(c.site.iter()));
    for o in a.outlet.iter().chain(a.site.iter()).chain(copies) {
        if !outlets.contains(&o.as_str()) {
            outlets.push(o);
        }
    }
    let article_json = match p.article_json {
        Some(j) => Some(serde_json::from_str::<&RawValue>(j)?),
        None => None,
    };
    let line = Line {
        id: p.id(),
        article_id: &a.id,
        passage: p.number,
        lang: a.lang.as_deref(),
        text: Analysed {
            key: p.key,
            title: &a.title,
            body: p.text,
        },
        authors: &a.authors,
        outlet: a.outlet.as_deref(),
        outlets,
        section: a.section.as_deref(),
        topics: &a.topics,
        published: a.published.as_deref().and_then(rfc3339),
        article_json,
    };
    // Writing into a String cannot fail but for a serialisation error.
    let json = serde_json::to_string(&line)?;
    out.push_str(&json);
    out.push('\n');
    Ok(())
}
