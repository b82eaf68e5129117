//! What the caller sets for a reading run: defaults for missing fields and
//! the options that shape every article (and so its fingerprint).

use std::collections::HashMap;
use std::sync::Arc;

use super::dataset::FieldMap;
use super::evidence::CorpusEvidence;
use super::format::Format;
use crate::error::{Error, Result};
use crate::topics::Taxonomy;
use crate::{date, lang};

/// Field values for articles whose source lacks them (`--set outlet=…`).
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// Default outlet.
    pub outlet: Option<String>,
    /// Default site.
    pub site: Option<String>,
    /// Default section.
    pub section: Option<String>,
    /// Default publication date.
    pub published: Option<String>,
    /// Default language (ISO 639-1).
    pub lang: Option<String>,
    /// Default authors.
    pub authors: Vec<String>,
    /// Default topics.
    pub topics: Vec<String>,
}

impl Defaults {
    /// Sets one default from a `key=value` pair.
    pub fn set(&mut self, pair: &str) -> Result<()> {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::Invalid(format!("--set expects FIELD=VALUE, got {pair:?}")))?;
        let value = value.trim().trim_matches('"').to_string();
        let list = || {
            value
                .split([',', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        match key.trim() {
            "outlet" => self.outlet = Some(value),
            "site" => self.site = Some(value),
            "section" => self.section = Some(value),
            "published" => {
                self.published = Some(date::canonical(&value).ok_or_else(|| {
                    Error::Invalid(format!("--set published: {value:?} is not a date"))
                })?)
            }
            "lang" => {
                self.lang = Some(lang::canonical_code(&value).ok_or_else(|| {
                    Error::Invalid(format!("--set lang: {value:?} is not a language code"))
                })?)
            }
            "authors" | "author" => self.authors = list(),
            "topics" | "topic" => self.topics = list(),
            other => {
                return Err(Error::Invalid(format!(
                    "--set: unknown field {other:?} (expected outlet, site, section, published, lang, authors or topics)"
                )))
            }
        }
        Ok(())
    }
}

/// Options for reading input.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force one format instead of recognising it per file.
    pub format: Option<Format>,
    /// Defaults for missing fields.
    pub defaults: Defaults,
    /// Topic taxonomy.
    pub taxonomy: Taxonomy,
    /// How record fields of JSON, JSONL, CSV and TSV map onto Article fields.
    pub map: FieldMap,
    /// Fingerprints of records the index already holds exactly as they would
    /// be read now, with their article ids (see [`Record::fingerprint`](super::Record::fingerprint)). A
    /// record found here becomes [`Event::Unchanged`](super::Event::Unchanged) without being parsed,
    /// so re-ingesting an unchanged corpus costs little more than reading it.
    pub known: Option<Arc<HashMap<u64, String>>>,
    /// Keep the e-mail addresses, phone numbers and postal addresses of
    /// author cards and bio lines (`opedex normalize --with-contacts`).
    /// Off by default, and ingest never sets it: an index holds no contacts.
    pub keep_contacts: bool,
    /// What the corpus says about hosts and sidebar regulars. When `None`,
    /// [`read_files`](super::read_files) gathers it in a first pass over the
    /// dataset files it is given.
    pub corpus: Option<Arc<CorpusEvidence>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            defaults: Defaults::default(),
            taxonomy: Taxonomy::default_taxonomy(),
            map: FieldMap::default(),
            known: None,
            keep_contacts: false,
            corpus: None,
        }
    }
}

/// The version of the reading rules, part of every record's fingerprint:
/// bump it when a change reads the same bytes into a different article, so
/// that a re-ingest reads such records again instead of keeping them as
/// unchanged. (An index of another schema version is refused anyway.) It
/// started at 5, the index schema version it replaced in the fingerprint,
/// so the fingerprints in existing indexes stay valid.
/// 6: authors resolved with evidence, outlets that are publications,
/// closing bio lines and calls to action out of the body, contacts dropped,
/// cards in every language, dated outlet lines split (issue 17).
/// 7: metadata fields capped at their lengths; a record's own `source` kept
/// as `claimed_source`, `source` being the file read (issue 18).
/// 8: topic vocabulary version 2 (source labels mapped onto it, page tags
/// kept as keywords, never topics).
/// 9: no e-mail address or telephone number left in a body (contact lines
/// dropped, addresses in prose replaced by a mark); a page's user-name
/// author kept; the label `world` means any region (issue 17).
/// 10: the label `foreign policy` means it or any region (issue 17).
/// 11: a page's `<h1>` that is its title with other quotation marks is the
/// title, as the page shows it.
pub const READ_VERSION: u32 = 11;

impl ReadOptions {
    /// A hash of everything besides a record's own bytes that shapes the
    /// article read from it: this build's version, the reading rules'
    /// version and every option.
    pub(super) fn fingerprint_seed(&self) -> u64 {
        let key = format!(
            "{}|{}|{:?}|{:?}|{:x}|{:?}|{}",
            env!("CARGO_PKG_VERSION"),
            READ_VERSION,
            self.format,
            self.defaults,
            self.taxonomy.fingerprint(),
            self.map,
            self.keep_contacts
        );
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    }
}
