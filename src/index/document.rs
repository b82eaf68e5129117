//! Turning a complete [`Article`] into Tantivy documents.

use tantivy::{DateTime, TantivyDocument};

use crate::analysis::{self, analyser_key};
use crate::article::Article;
use crate::date;
use crate::dedup::{self, Signature};
use crate::index::schema::{Fields, KIND_ARTICLE, KIND_PASSAGE};
use crate::passage;

/// An article ready to write: its documents and what the writer needs to know.
#[derive(Debug)]
pub struct PreparedArticle {
    /// The article id.
    pub id: String,
    /// Hash of the article's JSON.
    pub hash: u64,
    /// The source file's identity, if any.
    pub source_key: Option<String>,
    /// Fingerprint of the raw record (0 when unknown), see `ingest::Record`.
    pub fingerprint: u64,
    /// The analyser key used for its text.
    pub lang_key: &'static str,
    /// One article document followed by its passage documents.
    pub docs: Vec<TantivyDocument>,
    /// MinHash signature of the body (none for very short bodies).
    pub signature: Option<Signature>,
    /// The article itself, for merging syndicated copies.
    pub article: Article,
}

impl PreparedArticle {
    /// Number of passages.
    pub fn passages(&self) -> usize {
        self.docs.len().saturating_sub(1)
    }
}

/// Builds the article document and one document per passage. `fingerprint`
/// is that of the raw record the article was read from, or 0 when the
/// article was not read as it stands (a merge of copies, say).
pub fn prepare(
    article: &Article,
    source_key: Option<&str>,
    fingerprint: u64,
    fields: &Fields,
) -> PreparedArticle {
    let lang_key = analyser_key(article.lang.as_deref());
    let json = serde_json::to_string(article).unwrap_or_default();
    let hash = xxhash_rust::xxh3::xxh3_64(json.as_bytes());
    let published = published_day(article);
    let mut head = article_head(article, published, fields);
    head.add_u64(fields.content_hash, hash);
    if let Some(k) = source_key {
        head.add_text(fields.source_key, k);
    }
    if fingerprint != 0 {
        head.add_u64(fields.fingerprint, fingerprint);
    }
    for copy in &article.merged_ids {
        head.add_text(fields.copy_id, copy);
    }
    head.add_text(
        fields.words,
        analysis::spelling_words(&[&article.title, &article.body]),
    );
    let signature = dedup::signature(&article.body);
    if let Some(sig) = &signature {
        for key in sig.band_keys() {
            head.add_u64(fields.dup_band, key);
        }
        head.add_bytes(fields.dup_sig, &sig.to_bytes());
    }
    let mut docs = vec![head];
    docs.extend(passage_docs(article, published, lang_key, fields));
    PreparedArticle {
        id: article.id.clone(),
        hash,
        source_key: source_key.map(str::to_string),
        fingerprint,
        lang_key,
        docs,
        signature,
        article: article.clone(),
    }
}

/// The documents of an article of which only some passages are known (an
/// engine's hits): the article document and one document per given
/// passage, `(position, stored text)`, numbered as given. No copy
/// signature: such a pool is searched, never merged into.
pub fn prepare_passages(
    article: &Article,
    passages: &[(u64, String)],
    fields: &Fields,
) -> Vec<TantivyDocument> {
    let lang_key = analyser_key(article.lang.as_deref());
    let (title_field, body_field) = fields
        .text_fields(lang_key)
        .expect("every analyser key has fields");
    let published = published_day(article);
    let mut head = article_head(article, published, fields);
    let mut texts = vec![article.title.as_str()];
    texts.extend(passages.iter().map(|(_, t)| t.as_str()));
    head.add_text(fields.words, analysis::spelling_words(&texts));
    let mut docs = vec![head];
    for (n, stored) in passages {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.kind, KIND_PASSAGE);
        add_metadata(&mut doc, article, published, fields);
        doc.add_u64(fields.passage, *n);
        doc.add_text(fields.text, stored);
        doc.add_text(title_field, &article.title);
        doc.add_text(body_field, stored.trim());
        docs.push(doc);
    }
    docs
}

/// The article's publication date as the index stores it (a day).
fn published_day(article: &Article) -> Option<tantivy::DateTime> {
    article
        .published
        .as_deref()
        .and_then(date::epoch_seconds)
        .and_then(crate::index::index_date)
}

/// The article document's common part: its kind, the metadata every
/// document carries, and the article without its body, which is stored
/// once, in the passages (see `passage_docs`).
fn article_head(
    article: &Article,
    published: Option<tantivy::DateTime>,
    fields: &Fields,
) -> TantivyDocument {
    let mut head = TantivyDocument::default();
    head.add_text(fields.kind, KIND_ARTICLE);
    add_metadata(&mut head, article, published, fields);
    let json = serde_json::to_string(&Article {
        body: String::new(),
        ..article.clone()
    })
    .unwrap_or_default();
    head.add_text(fields.article_json, &json);
    head
}

/// The fields every document of an article carries, for filters and facets.
fn add_metadata(
    doc: &mut TantivyDocument,
    article: &Article,
    published: Option<DateTime>,
    fields: &Fields,
) {
    doc.add_text(fields.article_id, &article.id);
    for a in &article.authors {
        doc.add_text(fields.author, a);
        doc.add_text(fields.author_exact, a);
    }
    let copies = article.also_in.iter();
    let places = article
        .outlet
        .iter()
        .chain(article.site.iter())
        .chain(copies.flat_map(|a| a.outlet.iter().chain(a.site.iter())));
    for o in places {
        doc.add_text(fields.outlet, o);
    }
    if let Some(o) = &article.outlet {
        doc.add_text(fields.outlet_exact, o);
    }
    if let Some(s) = &article.section {
        doc.add_text(fields.section, s);
    }
    for t in &article.topics {
        doc.add_text(fields.topic, t);
    }
    if let Some(l) = &article.lang {
        doc.add_text(fields.lang, l);
    }
    if let Some(p) = published {
        doc.add_date(fields.published, p);
    }
}

/// One document per passage of the body: its number, its stored text, and
/// the title and passage analysed in the fields of `lang_key`.
fn passage_docs(
    article: &Article,
    published: Option<DateTime>,
    lang_key: &str,
    fields: &Fields,
) -> Vec<TantivyDocument> {
    let (title_field, body_field) = fields
        .text_fields(lang_key)
        .expect("every analyser key has fields");
    let body = &article.body;
    let passages = passage::split(body);
    let mut docs = Vec::with_capacity(passages.len());
    for (i, p) in passages.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.kind, KIND_PASSAGE);
        add_metadata(&mut doc, article, published, fields);
        doc.add_u64(fields.passage, p.index as u64);
        let text = p.text(body);
        // Stored: the passage with the whitespace up to the next one (and
        // whatever precedes the first), so the stored texts in order are the
        // body exactly. Display trims the end.
        let from = if i == 0 { 0 } else { p.range.start };
        let to = passages.get(i + 1).map_or(body.len(), |n| n.range.start);
        doc.add_text(fields.text, &body[from..to]);
        doc.add_text(title_field, &article.title);
        doc.add_text(body_field, text);
        docs.push(doc);
    }
    docs
}

/// The stored text of a passage document as shown: without the whitespace
/// that separates it from the next passage.
pub fn shown_text(stored: &str) -> &str {
    stored.trim_end()
}

/// The body of an article from its passages' stored texts, given as
/// (position, stored text) in any order.
pub fn body_from_passages(mut passages: Vec<(u64, String)>) -> String {
    passages.sort_by_key(|(n, _)| *n);
    passages.into_iter().map(|(_, text)| text).collect()
}
