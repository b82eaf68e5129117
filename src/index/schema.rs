//! The index schema, in one place, with its version.
//!
//! One index holds two kinds of document:
//! - a **passage** document per passage: the searchable text (one field pair
//!   per analyser, so each language is stemmed its own way), the passage text
//!   (stored), its position, and the article's filterable metadata;
//! - an **article** document per article: the whole normalised article as
//!   stored JSON (display needs it once per article, not once per passage),
//!   its content hash and source file, plus the same metadata as fast fields
//!   for facet counts, and its distinct surface words for spelling correction.
//!
//! Both carry `article_id`, so deleting that term replaces an article whole.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use crate::analysis::{analyser_keys, tokenizer_name, NAME_TOKENIZER};

/// Bump whenever fields, analysers or document layout change, or stored
/// data changes meaning. 6: stored articles hold no contact details (older
/// indexes still do, so they must be rebuilt). 7: the `words` field
/// (surface words for spelling correction). 8: topics are those of the
/// vocabulary version 2, and stored articles hold the source's `keywords`.
pub const SCHEMA_VERSION: u32 = 8;

/// `kind` value of passage documents.
pub const KIND_PASSAGE: &str = "passage";
/// `kind` value of article documents.
pub const KIND_ARTICLE: &str = "article";

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `passage` or `article`.
    pub kind: Field,
    /// The article's id (both kinds).
    pub article_id: Field,
    /// Passage position in the article (passages).
    pub passage: Field,
    /// Passage text, stored for display (passages).
    pub text: Field,
    /// Analysed title, one field per analyser key, in [`analyser_keys`] order.
    pub titles: Vec<(&'static str, Field)>,
    /// Analysed passage text, one field per analyser key.
    pub bodies: Vec<(&'static str, Field)>,
    /// Author names, tokenised for forgiving filters.
    pub author: Field,
    /// Author names exactly (fast, for facets).
    pub author_exact: Field,
    /// Outlet names (first outlet, site, and those of merged copies), tokenised.
    pub outlet: Field,
    /// Outlet exactly (fast, for facets).
    pub outlet_exact: Field,
    /// Section, tokenised.
    pub section: Field,
    /// Topics, lower case.
    pub topic: Field,
    /// ISO 639-1 language.
    pub lang: Field,
    /// Publication date.
    pub published: Field,
    /// The article as JSON (articles).
    pub article_json: Field,
    /// Hash of the article JSON (articles), to skip unchanged re-ingests.
    pub content_hash: Field,
    /// The source file's absolute path (articles), a fast field: the writer
    /// reads it for copy candidates without touching the document store.
    pub source_key: Field,
    /// Fingerprint of the raw record the article was read from (articles),
    /// to skip unchanged records before parsing them on re-ingest.
    pub fingerprint: Field,
    /// LSH band keys of the body's MinHash signature (articles), to find copies.
    pub dup_band: Field,
    /// The MinHash signature itself (articles), to verify candidates; a fast
    /// field, so verifying never reads the document store.
    pub dup_sig: Field,
    /// The ids of the syndicated copies merged into the article (articles),
    /// a fast field: a re-ingest finds a copy's original by the copy's id
    /// instead of searching for it again.
    pub copy_id: Field,
    /// The article's distinct surface words (articles): title and body
    /// lower-cased and accent-folded, not stemmed, without words holding
    /// digits or CJK characters. Indexed without frequencies or positions,
    /// so a word's document frequency is the number of articles holding it:
    /// what spelling correction ranks candidates by (`search::typo`).
    pub words: Field,
}

fn analysed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// A field only ever matched without scoring (filters, lookups by id) needs
/// no field norms: they cost a byte per document per field, 1 MB per 100,000
/// passages for each such field.
fn unscored(options: TextOptions) -> TextOptions {
    let indexing = options
        .get_indexing_options()
        .cloned()
        .map(|i| i.set_fieldnorms(false));
    match indexing {
        Some(i) => options.set_indexing_options(i),
        None => options,
    }
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let kind = b.add_text_field("kind", unscored(STRING));
    let article_id = b.add_text_field("article_id", unscored(STRING | STORED | FAST));
    let passage = b.add_u64_field(
        "passage",
        NumericOptions::default()
            .set_stored()
            .set_fast()
            .set_indexed(),
    );
    let text = b.add_text_field("text", STORED);
    let mut titles = Vec::new();
    let mut bodies = Vec::new();
    for key in analyser_keys() {
        let tok = tokenizer_name(key);
        titles.push((
            key,
            b.add_text_field(&format!("title_{key}"), analysed(&tok)),
        ));
        bodies.push((
            key,
            b.add_text_field(&format!("body_{key}"), analysed(&tok)),
        ));
    }
    let author = b.add_text_field("author", unscored(analysed(NAME_TOKENIZER)));
    let author_exact = b.add_text_field("author_exact", unscored(STRING | FAST));
    let outlet = b.add_text_field("outlet", unscored(analysed(NAME_TOKENIZER)));
    let outlet_exact = b.add_text_field("outlet_exact", unscored(STRING | FAST));
    let section = b.add_text_field("section", unscored(analysed(NAME_TOKENIZER)));
    let topic = b.add_text_field("topic", unscored(STRING | FAST));
    let lang = b.add_text_field("lang", unscored(STRING | FAST | STORED));
    let published = b.add_date_field(
        "published",
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let article_json = b.add_text_field("article_json", STORED);
    let content_hash = b.add_u64_field("content_hash", NumericOptions::default().set_fast());
    let source_key = b.add_text_field("source_key", unscored(STRING | FAST));
    let fingerprint = b.add_u64_field(
        "fingerprint",
        NumericOptions::default().set_fast().set_stored(),
    );
    let dup_band = b.add_u64_field("dup_band", NumericOptions::default().set_indexed());
    let dup_sig = b.add_bytes_field("dup_sig", FAST);
    let copy_id = b.add_text_field("copy_id", FAST);
    let words = b.add_text_field(
        "words",
        unscored(
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(NAME_TOKENIZER)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
    );
    let fields = Fields {
        kind,
        article_id,
        passage,
        text,
        titles,
        bodies,
        author,
        author_exact,
        outlet,
        outlet_exact,
        section,
        topic,
        lang,
        published,
        article_json,
        content_hash,
        source_key,
        fingerprint,
        dup_band,
        dup_sig,
        copy_id,
        words,
    };
    (b.build(), fields)
}

impl Fields {
    /// The title and body fields for an analyser key.
    pub fn text_fields(&self, key: &str) -> Option<(Field, Field)> {
        let title = self.titles.iter().find(|(k, _)| *k == key)?.1;
        let body = self.bodies.iter().find(|(k, _)| *k == key)?.1;
        Some((title, body))
    }
}
