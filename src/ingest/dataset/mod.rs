//! Dataset dumps: records whose fields name an article's parts differently.
//!
//! A [`FieldMap`] says which record field feeds which [`Article`](crate::Article) field:
//! explicitly (`--map body=content_original,outlet=source`) or, for the
//! fields not mapped, from a list of common names looked up without regard to
//! case ([`Field::common_names`]). The canonical Article name always comes
//! first, so canonical JSON Lines read as they always did.
//!
//! [`article_from_record`] builds an article from one record. It only maps and
//! checks types: names, dates, topics and the id are cleaned later by the
//! pipeline's `complete()`. [`csv_records`] streams CSV and TSV files as
//! records, one row at a time.
//!
//! Files: `record` (a record's values into Article fields), `table` (CSV
//! and TSV). May import `article` and the rest of `ingest`.

mod record;
mod table;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value};

pub use record::article_from_record;
pub use table::csv_records;

/// An [`Article`](crate::Article) field that a dataset field can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`
    Id,
    /// `title`
    Title,
    /// `authors`
    Authors,
    /// `outlet`
    Outlet,
    /// `site`
    Site,
    /// `section`
    Section,
    /// `published`
    Published,
    /// `url`
    Url,
    /// `lang`
    Lang,
    /// `topics`
    Topics,
    /// `body`
    Body,
}

impl Field {
    /// Every field, in the order errors list them.
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::Title,
        Field::Authors,
        Field::Outlet,
        Field::Site,
        Field::Section,
        Field::Published,
        Field::Url,
        Field::Lang,
        Field::Topics,
        Field::Body,
    ];

    /// The Article field's name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Authors => "authors",
            Field::Outlet => "outlet",
            Field::Site => "site",
            Field::Section => "section",
            Field::Published => "published",
            Field::Url => "url",
            Field::Lang => "lang",
            Field::Topics => "topics",
            Field::Body => "body",
        }
    }

    /// The field called `name` (an Article field name, exactly).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Record field names recognised without `--map`, best first; matched
    /// without regard to case. The Article name always comes first.
    ///
    /// `content_original` comes before `content` because dumps that have both
    /// (AllSides) keep the tokenised text in `content`. `source_url` is not a
    /// `url`: in AllSides it is the outlet's home page.
    pub fn common_names(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "doc_id"],
            Field::Title => &["title", "headline"],
            Field::Authors => &["authors", "author", "byline", "creator"],
            Field::Outlet => &[
                "outlet",
                "source",
                "publisher",
                "site_name",
                "source_name",
                "publication",
            ],
            Field::Site => &["site", "source_domain"],
            Field::Section => &["section"],
            Field::Published => &[
                "published",
                "date",
                "publish_date",
                "date_publish",
                "pubdate",
                "datePublished",
            ],
            Field::Url => &["url", "link"],
            Field::Lang => &["lang", "language"],
            Field::Topics => &["topics", "topic", "tags", "keywords", "category"],
            Field::Body => &[
                "body",
                "text",
                "content_original",
                "maintext",
                "content",
                "article",
                "paragraphs",
            ],
        }
    }
}

/// Why a `--map` specification is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// A pair without `=`.
    #[error("--map expects ARTICLE_FIELD=RECORD_FIELD, got {0:?}")]
    NotAPair(String),
    /// A name that is not an Article field.
    #[error("--map: {0:?} is not an article field (expected one of {names})", names = field_names())]
    UnknownField(String),
    /// An Article field mapped to an empty record field name.
    #[error("--map: `{0}` is mapped to an empty field name")]
    EmptySource(String),
    /// An Article field mapped more than once.
    #[error("--map: `{0}` is mapped twice")]
    MappedTwice(String),
    /// Nothing but commas and spaces.
    #[error("--map: no ARTICLE_FIELD=RECORD_FIELD pairs given")]
    NoPairs,
}

/// The Article field names, in the order errors list them.
fn field_names() -> String {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    names.join(", ")
}

/// Which record field feeds which Article field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    explicit: Vec<(Field, String)>,
}

impl FieldMap {
    /// Parses `--map body=content_original,authors=authors,outlet=source`:
    /// comma-separated `ARTICLE_FIELD=RECORD_FIELD` pairs. Article fields are
    /// `id`, `title`, `authors`, `outlet`, `site`, `section`, `published`,
    /// `url`, `lang`, `topics` and `body`; each may be mapped once. Fields not
    /// mapped keep their [common names](Field::common_names).
    pub fn parse(spec: &str) -> Result<FieldMap, MapError> {
        let mut explicit: Vec<(Field, String)> = Vec::new();
        for pair in spec.split(',').map(str::trim) {
            if pair.is_empty() {
                continue;
            }
            let (target, source) = pair
                .split_once('=')
                .ok_or_else(|| MapError::NotAPair(pair.to_string()))?;
            let (target, source) = (target.trim(), source.trim());
            let field = Field::from_name(target)
                .ok_or_else(|| MapError::UnknownField(target.to_string()))?;
            if source.is_empty() {
                return Err(MapError::EmptySource(target.to_string()));
            }
            if explicit.iter().any(|(f, _)| *f == field) {
                return Err(MapError::MappedTwice(target.to_string()));
            }
            explicit.push((field, source.to_string()));
        }
        if explicit.is_empty() {
            return Err(MapError::NoPairs);
        }
        Ok(FieldMap { explicit })
    }

    /// The record field names looked up for `field`, in order.
    pub fn names_for(&self, field: Field) -> Vec<&str> {
        match self.explicit.iter().find(|(f, _)| *f == field) {
            Some((_, source)) => vec![source.as_str()],
            None => field.common_names().to_vec(),
        }
    }

    /// True when any field was mapped explicitly.
    pub fn is_explicit_any(&self) -> bool {
        !self.explicit.is_empty()
    }

    /// True when `field` was mapped explicitly.
    pub fn is_explicit(&self, field: Field) -> bool {
        self.explicit.iter().any(|(f, _)| *f == field)
    }

    /// Finds the value for `field`: the first listed name present with a
    /// non-empty value, exact spelling first, then ignoring case. A record
    /// field mapped explicitly to one Article field is not used by another's
    /// common names.
    fn lookup<'r>(
        &self,
        record: &'r Map<String, Value>,
        field: Field,
    ) -> Option<(&'r str, &'r Value)> {
        let explicit = self.is_explicit(field);
        let taken: HashSet<String> = self
            .explicit
            .iter()
            .filter(|(f, _)| *f != field)
            .map(|(_, s)| s.to_lowercase())
            .collect();
        for name in self.names_for(field) {
            let found = record
                .get_key_value(name)
                .or_else(|| record.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)));
            let Some((key, value)) = found else { continue };
            if !explicit && taken.contains(&key.to_lowercase()) {
                continue;
            }
            if is_blank(value) {
                continue;
            }
            // The canonical `source` is where the article was read from, not the outlet.
            if field == Field::Outlet && value.get("path").is_some() {
                continue;
            }
            return Some((key.as_str(), value));
        }
        None
    }
}

impl FieldMap {
    /// The first explicitly mapped record field that `columns` (a CSV/TSV
    /// header) lacks, as an error naming it and the columns there are.
    /// Columns match as [`lookup`](FieldMap::lookup) matches them: exactly,
    /// else ignoring case.
    pub fn check_columns(&self, columns: &[String]) -> Result<(), crate::ingest::ReadError> {
        for (field, name) in &self.explicit {
            if !columns.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                return Err(crate::ingest::ReadError::MappedColumnMissing {
                    field: *field,
                    column: name.clone(),
                    columns: columns.iter().filter(|c| !c.is_empty()).cloned().collect(),
                });
            }
        }
        Ok(())
    }

    /// A tracker of which explicitly mapped record fields the records of
    /// one file hold; `None` when nothing is mapped explicitly.
    pub(crate) fn tracker(&self) -> Option<MapSeen> {
        (!self.explicit.is_empty()).then(|| MapSeen {
            mapped: self
                .explicit
                .iter()
                .map(|(f, name)| (*f, name.clone(), AtomicBool::new(false)))
                .collect(),
        })
    }
}

/// Which explicitly mapped record fields (`--map title=headline`) the
/// records of one JSON or JSON Lines file held, so that a name no record
/// holds is reported once the file is read. Records are read in parallel,
/// hence the atomics.
#[derive(Debug)]
pub(crate) struct MapSeen {
    mapped: Vec<(Field, String, AtomicBool)>,
}

impl MapSeen {
    /// Notes the mapped names `record` holds (exactly, else ignoring case).
    pub(crate) fn mark(&self, record: &Value) {
        let Value::Object(record) = record else {
            return;
        };
        for (_, name, seen) in &self.mapped {
            if !seen.load(Ordering::Relaxed)
                && (record.contains_key(name.as_str())
                    || record.keys().any(|k| k.eq_ignore_ascii_case(name)))
            {
                seen.store(true, Ordering::Relaxed);
            }
        }
    }

    /// A warning for each mapped name that no record held.
    pub(crate) fn unseen(&self) -> Vec<String> {
        self.mapped
            .iter()
            .filter(|(_, _, seen)| !seen.load(Ordering::Relaxed))
            .map(|(field, name, _)| {
                format!(
                    "--map {}={name}: no record in this file has a field `{name}`, so `{}` \
                     was taken from the common names",
                    field.name(),
                    field.name()
                )
            })
            .collect()
    }
}

/// Null, an empty string or an empty list: the source does not know.
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}
