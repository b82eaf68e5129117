//! What a corpus says about itself, gathered in a first pass over its
//! dataset records (JSON, JSON Lines, CSV, TSV) before they are read into
//! articles:
//! - which publication each web host belongs to: the outlets that records
//!   give for their URL's host (and its parent domains), so a record that
//!   gives a label ("Guest Writer - Left") instead of an outlet takes the
//!   publication that other records pair with the same host;
//! - sidebar regulars: for each outlet (keyed by host), the names that stand
//!   in a non-first position of an author list after three or more different
//!   first names. Scrapers pick these up from a sidebar of the outlet's
//!   staff; a genuine co-author follows the same first author.
//!
//! The pass reads each dataset record once more (measured in ARCHITECTURE.md,
//! "Authors and outlets"), so the evidence is the same whatever the order of
//! the files. Pages (HTML, text) carry no author list of this kind and are
//! not scanned.

use std::collections::{HashMap, HashSet};

use super::authors;
use super::outlet;
use crate::article::Article;

/// Different first names after which a non-first name is a sidebar regular.
const REGULAR_AFTER_FIRSTS: usize = 3;

/// Hosts → publications and outlets → sidebar regulars, from one corpus.
#[derive(Debug, Default, Clone)]
pub struct CorpusEvidence {
    hosts: HashMap<String, HashMap<String, u32>>,
    followers: HashMap<String, HashMap<String, HashSet<String>>>,
}

/// A name compared ignoring case, spaces, dots, quotes and hyphens.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The key of an outlet's records: the URL's registrable host, else the
/// outlet as written.
pub fn outlet_key(a: &Article) -> Option<String> {
    let host = a.url.as_deref().and_then(outlet::host);
    match host {
        Some(h) => outlet::host_and_parents(&h).last().map(str::to_string),
        None => a.outlet.as_deref().map(|o| o.trim().to_lowercase()),
    }
}

impl CorpusEvidence {
    /// Adds one record, as read (before cleaning).
    pub fn add(&mut self, a: &Article) {
        let given = a
            .outlet
            .as_deref()
            .map(|o| outlet::split_section(o.trim(), None).0)
            .filter(|o| outlet::is_publication(o));
        if let (Some(o), Some(h)) = (given, a.url.as_deref().and_then(outlet::host)) {
            for h in outlet::host_and_parents(&h) {
                *self
                    .hosts
                    .entry(h.to_string())
                    .or_default()
                    .entry(o.to_string())
                    .or_default() += 1;
            }
        }
        let raw: Vec<String> = a.authors.clone();
        let names = authors::clean(&raw, a.outlet.as_deref());
        if names.len() < 2 {
            return;
        }
        let Some(key) = outlet_key(a) else { return };
        let first = name_key(&names[0]);
        let table = self.followers.entry(key).or_default();
        for n in &names[1..] {
            table.entry(name_key(n)).or_default().insert(first.clone());
        }
    }

    /// The publication most records give for a host (or its nearest parent
    /// domain that has one); ties go to the name first in sort order.
    pub fn outlet_for_host(&self, host: &str) -> Option<&str> {
        outlet::host_and_parents(host).find_map(|h| {
            self.hosts.get(h).and_then(|counts| {
                counts
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(o, _)| o.as_str())
            })
        })
    }

    /// Whether `name` is a sidebar regular of the outlet keyed `key`.
    pub fn is_regular(&self, key: &str, name: &str) -> bool {
        self.followers
            .get(key)
            .and_then(|t| t.get(&name_key(name)))
            .is_some_and(|firsts| firsts.len() >= REGULAR_AFTER_FIRSTS)
    }

    /// Adds what another part of the corpus gathered.
    pub fn merge(mut self, other: CorpusEvidence) -> CorpusEvidence {
        for (host, counts) in other.hosts {
            let mine = self.hosts.entry(host).or_default();
            for (o, n) in counts {
                *mine.entry(o).or_default() += n;
            }
        }
        for (key, table) in other.followers {
            let mine = self.followers.entry(key).or_default();
            for (name, firsts) in table {
                mine.entry(name).or_default().extend(firsts);
            }
        }
        self
    }

    /// Whether nothing was gathered.
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.followers.is_empty()
    }
}
