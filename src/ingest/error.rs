//! Why a page or record yields no article. Each reason's text is what users
//! read after `no article found:` or `bad record:` in a skip line.

use super::dataset::Field;

/// Why a page or record could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Text that is not JSON (serde_json's message).
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// A JSON record that is not an object (what it is instead).
    #[error("expected a JSON object, found {0}")]
    NotAnObject(&'static str),
    /// No record field feeds an Article field the article needs.
    #[error("missing field `{}` (looked for: {})", .field.name(), .looked_for.join(", "))]
    MissingField {
        /// The Article field.
        field: Field,
        /// The record field names tried, in order.
        looked_for: Vec<String>,
    },
    /// A record field holds a value of the wrong type.
    #[error("{}: expected {expected}, found {found}", label(.field, .key))]
    WrongType {
        /// The Article field.
        field: Field,
        /// The record field that feeds it.
        key: String,
        /// What the field may hold.
        expected: &'static str,
        /// What it holds (`a boolean`, `an array of 2 items`).
        found: String,
    },
    /// A body paragraph (counted from 1) that is an object without `text`.
    #[error("{}: paragraph {n} is an object without `text`", label(&Field::Body, .key))]
    ParagraphWithoutText {
        /// The record field that feeds the body.
        key: String,
        /// The paragraph, from 1.
        n: usize,
    },
    /// A body paragraph given as segments, one of which is not text.
    #[error("{}: paragraph {n} holds {found}, expected text segments", label(&Field::Body, .key))]
    ParagraphSegment {
        /// The record field that feeds the body.
        key: String,
        /// The paragraph, from 1.
        n: usize,
        /// What the segment is.
        found: String,
    },
    /// A body paragraph that is neither text nor segments.
    #[error("{}: paragraph {n} is {found}, expected text", label(&Field::Body, .key))]
    ParagraphNotText {
        /// The record field that feeds the body.
        key: String,
        /// The paragraph, from 1.
        n: usize,
        /// What the paragraph is.
        found: String,
    },
    /// A canonical sub-object (`author_cards`, `also_in`, `source`) that
    /// does not read as its type (serde's message).
    #[error("field `{field}`: {message}")]
    Canonical {
        /// The record field.
        field: &'static str,
        /// What serde says.
        message: String,
    },
    /// A CSV/TSV header row that cannot be read (the csv crate's message).
    #[error("cannot read the header row: {0}")]
    CsvHeader(String),
    /// `--map` names a column that a CSV/TSV header does not have. This
    /// concerns every row, so it stops the run (exit code 2).
    #[error(
        "--map {}={column}: the header has no column `{column}` (its columns: {})",
        .field.name(),
        .columns.join(", ")
    )]
    MappedColumnMissing {
        /// The Article field mapped.
        field: Field,
        /// The column it was mapped to.
        column: String,
        /// The header's columns.
        columns: Vec<String>,
    },
    /// A CSV/TSV header row of empty names.
    #[error("the header row names no fields")]
    EmptyHeader,
    /// A CSV/TSV row with more or fewer fields than the header (the skip
    /// line names the file line where the row starts).
    #[error("{found} fields, but the header has {expected}")]
    FieldCount {
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A CSV/TSV row that cannot be read (the csv crate's message).
    #[error("{0}")]
    BadRow(String),
    /// A file read as HTML that holds no markup.
    #[error("not an HTML page")]
    NotHtml,
    /// The HTML extractors panicked on the page.
    #[error("the HTML extractor failed on this page")]
    ExtractorFailed,
    /// `rs-trafilatura` found nothing, and neither did our own reader (its message).
    #[error("{0}")]
    Extractor(String),
    /// An HTML page with too little main text to be an article.
    #[error("no article text found")]
    NoArticleText,
    /// A plain-text page with a header but no body paragraphs.
    #[error("no body paragraphs after the header")]
    NoBodyParagraphs,
    /// An article whose body is empty once cleaned.
    #[error("the body is empty")]
    EmptyBody,
    /// An article whose title is empty once cleaned.
    #[error("the title is empty")]
    EmptyTitle,
}

/// "field `body`", or "field `body` (from `text`)" when the record names it differently.
fn label(field: &Field, key: &str) -> String {
    if key == field.name() {
        format!("field `{key}`")
    } else {
        format!("field `{}` (from `{key}`)", field.name())
    }
}
