//! The [`Article`]: the one contract between ingestion and indexing.
//!
//! `opedex normalize` prints articles as JSON Lines and `opedex ingest` reads
//! the same JSON Lines back, so this module's serde representation *is* the
//! canonical interchange format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One op-ed, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Article {
    /// Stable identifier: kept from the input, else derived from the URL, else from the content.
    #[serde(default)]
    pub id: String,
    /// Headline.
    pub title: String,
    /// Person names in byline order.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Author cards (affiliations, research ids, contacts) when the page gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author_cards: Vec<AuthorCard>,
    /// The publication where the piece first ran.
    #[serde(default)]
    pub outlet: Option<String>,
    /// Where the page itself was taken from, when known.
    #[serde(default)]
    pub site: Option<String>,
    /// Rubric such as "Editor's Column".
    #[serde(default)]
    pub section: Option<String>,
    /// ISO date (`2018-09-12`) or RFC 3339 timestamp; never invented.
    #[serde(default)]
    pub published: Option<String>,
    /// Address of the article, when known.
    #[serde(default)]
    pub url: Option<String>,
    /// ISO 639-1 language code.
    #[serde(default)]
    pub lang: Option<String>,
    /// Topics of the vocabulary (at most 3): those the source's labels map
    /// to first, then those the text earns. A filter facet.
    #[serde(default)]
    pub topics: Vec<String>,
    /// What the source's own labels said (a dataset's topic, a page's tags
    /// and keywords), without machine tags and without the vocabulary's
    /// topic names. Shown and stored, not indexed: not a filter facet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Normalised text, paragraphs separated by one blank line.
    pub body: String,
    /// The file opedex read the article from (set by every reader; a
    /// record's own `source` never replaces it).
    #[serde(default)]
    pub source: Option<Source>,
    /// Where the record itself says it came from: the `source` object a
    /// JSON record carries (such as a line `opedex normalize` printed). A
    /// claim, kept as given and not checked; `source` is what was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_source: Option<Source>,
    /// Other places the same piece ran (syndicated copies merged at ingest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<Appearance>,
    /// The ids of every record merged into this article as a copy. `also_in`
    /// lists each place once; this lists each record, so a later run knows
    /// a copy by its id even when it ran in the same place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_ids: Vec<String>,
}

/// One other place where an article ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Appearance {
    /// The outlet of the copy.
    #[serde(default)]
    pub outlet: Option<String>,
    /// The site the copy was taken from.
    #[serde(default)]
    pub site: Option<String>,
    /// The copy's address.
    #[serde(default)]
    pub url: Option<String>,
    /// The copy's id, as it would have been indexed on its own.
    #[serde(default)]
    pub id: Option<String>,
    /// The copy's publication date.
    #[serde(default)]
    pub published: Option<String>,
}

/// Where a piece ran: address, outlet and site, compared as one.
type Place<'a> = (&'a Option<String>, &'a Option<String>, &'a Option<String>);

impl Appearance {
    fn place(&self) -> Place<'_> {
        (&self.url, &self.outlet, &self.site)
    }
}

/// What a page says about one author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AuthorCard {
    /// The author's name as printed on the card.
    pub name: String,
    /// Affiliation and position lines, in card order.
    #[serde(default)]
    pub affiliations: Vec<String>,
    /// ORCID identifier (`0000-0003-1364-4094`), if given.
    #[serde(default)]
    pub orcid: Option<String>,
    /// Other research identifiers by label (`SPIN RSCI`, `ResearcherID`, `Scopus AuthorID`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ids: BTreeMap<String, String>,
    /// A closing bio line about the author ("Jane Roe is a senior fellow
    /// at …"), taken out of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    /// A social-network handle (`@jane_roe`), taken out of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// A personal website from the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Contact details. Never indexed and never stored in an index: ingest
    /// drops them, and only `opedex normalize --with-contacts` keeps them.
    #[serde(default, skip_serializing_if = "Contacts::is_empty")]
    pub contacts: Contacts,
}

/// Personal contact details from an author card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Contacts {
    /// True when no contact detail is known.
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.phone.is_none() && self.address.is_none()
    }
}

/// Where an article was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The file as given on the command line (or `-` for standard input).
    pub path: String,
    /// The recognised format (`text-page`, `jsonl`, `json`).
    pub format: String,
}

impl Article {
    /// A copy without personal contact details (what ingest stores).
    pub fn without_contacts(&self) -> Article {
        let mut a = self.clone();
        for card in &mut a.author_cards {
            card.contacts = Contacts::default();
        }
        a
    }

    /// Where this article ran: address, outlet and site.
    fn place(&self) -> Place<'_> {
        (&self.url, &self.outlet, &self.site)
    }

    /// Where this article itself ran, as an [`Appearance`].
    pub fn appearance(&self) -> Appearance {
        Appearance {
            outlet: self.outlet.clone(),
            site: self.site.clone(),
            url: self.url.clone(),
            id: Some(self.id.clone()),
            published: self.published.clone(),
        }
    }

    /// Records a syndicated copy in `also_in` and its id in `merged_ids`.
    /// The version indexed first is kept, text and metadata, except where
    /// it knows nothing the copy knows ([`Article::fill_from`]). Returns
    /// true when anything new was recorded.
    pub fn merge_copy(&mut self, copy: &Article) -> bool {
        let mut changed = self.fill_from(copy);
        if changed {
            // A place this version now names is no other place.
            let Article {
                also_in,
                url,
                outlet,
                site,
                ..
            } = self;
            also_in.retain(|a| a.place() != (&*url, &*outlet, &*site));
        }
        for id in std::iter::once(&copy.id).chain(&copy.merged_ids) {
            if !id.is_empty() && *id != self.id && !self.merged_ids.contains(id) {
                self.merged_ids.push(id.clone());
                changed = true;
            }
        }
        for a in std::iter::once(copy.appearance()).chain(copy.also_in.iter().cloned()) {
            let is_self = a.place() == self.place();
            if !is_self && !self.also_in.iter().any(|b| b.place() == a.place()) {
                self.also_in.push(a);
                changed = true;
            }
        }
        changed
    }

    /// Takes from a copy of the same piece what this version lacks and the
    /// copy knows: where it ran (outlet, site, address, section and date,
    /// together, when this version names none of outlet, site and address:
    /// a bare text saved without its page), who wrote it (when this version
    /// names nobody), and its title (when this one is only the body's first
    /// words, the stand-in of a page without a title). A version that names
    /// where it ran keeps its own date: a copy's date is when the copy ran.
    /// Returns true when anything was taken.
    fn fill_from(&mut self, copy: &Article) -> bool {
        let mut changed = false;
        let placed = |a: &Article| a.outlet.is_some() || a.site.is_some() || a.url.is_some();
        if !placed(self) && placed(copy) {
            self.outlet.clone_from(&copy.outlet);
            self.site.clone_from(&copy.site);
            self.url.clone_from(&copy.url);
            if self.section.is_none() {
                self.section.clone_from(&copy.section);
            }
            if self.published.is_none() {
                self.published.clone_from(&copy.published);
            }
            changed = true;
        }
        if self.authors.is_empty() && !copy.authors.is_empty() {
            self.authors.clone_from(&copy.authors);
            if self.author_cards.is_empty() {
                self.author_cards = copy.without_contacts().author_cards;
            }
            changed = true;
        }
        if self.title_is_first_words() && !copy.title_is_first_words() && !copy.title.is_empty() {
            self.title.clone_from(&copy.title);
            changed = true;
        }
        changed
    }

    /// Whether the title is nothing but the body's first words.
    fn title_is_first_words(&self) -> bool {
        let title: Vec<&str> = self.title.split_whitespace().collect();
        !title.is_empty()
            && self
                .body
                .split_whitespace()
                .take(title.len())
                .eq(title.iter().copied())
    }

    /// Carries over the copies an earlier version of this article recorded
    /// (its `also_in` places and `merged_ids`). Returns true when anything
    /// was added.
    pub fn keep_copies_of(&mut self, old: &Article) -> bool {
        let mut changed = false;
        for copy in &old.also_in {
            if !self.also_in.contains(copy) {
                self.also_in.push(copy.clone());
                changed = true;
            }
        }
        for id in &old.merged_ids {
            if !self.merged_ids.contains(id) {
                self.merged_ids.push(id.clone());
                changed = true;
            }
        }
        changed
    }

    /// The `YYYY-MM-DD` part of `published`, if any.
    pub fn date(&self) -> Option<&str> {
        self.published.as_deref().map(|p| p.get(..10).unwrap_or(p))
    }
}

impl Article {
    /// A stable id: from the URL when there is one, else from title and body.
    ///
    /// `u` + 16 hex digits of the URL's hash, or `c` + 16 hex digits of the
    /// content's hash; the same article always gets the same id.
    pub fn derive_id(&self) -> String {
        match self.url.as_deref().map(canonical_url) {
            Some(url) if !url.is_empty() => {
                format!("u{:016x}", xxhash_rust::xxh3::xxh3_64(url.as_bytes()))
            }
            _ => {
                let content = format!("{}\n{}", self.title, self.body);
                format!("c{:016x}", xxhash_rust::xxh3::xxh3_64(content.as_bytes()))
            }
        }
    }
}

/// The URL without fragment, trailing slash, scheme case or `www.`.
fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url).trim_end_matches('/');
    let lower = url.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    rest.strip_prefix("www.").unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_url_first() {
        let a = Article {
            title: "T".into(),
            body: "B".into(),
            ..Article::default()
        };
        assert_eq!(a.derive_id(), a.clone().derive_id());
        assert!(a.derive_id().starts_with('c'));
        let mut b = a.clone();
        b.url = Some("https://www.Example.org/x/#top".into());
        let mut c = a.clone();
        c.url = Some("http://example.org/x".into());
        assert!(b.derive_id().starts_with('u'));
        assert_eq!(b.derive_id(), c.derive_id());
    }

    #[test]
    fn a_copy_from_the_same_place_is_recorded_by_id_only() {
        let mut original = Article {
            id: "a".into(),
            outlet: Some("Herald".into()),
            ..Article::default()
        };
        let copy = Article {
            id: "b".into(),
            outlet: Some("Herald".into()),
            ..Article::default()
        };
        assert!(original.merge_copy(&copy));
        assert!(original.also_in.is_empty());
        assert_eq!(original.merged_ids, ["b"]);
        // Merging it again records nothing new.
        assert!(!original.merge_copy(&copy));
        let elsewhere = Article {
            id: "c".into(),
            outlet: Some("Gazette".into()),
            merged_ids: vec!["d".into(), "a".into()],
            ..Article::default()
        };
        assert!(original.merge_copy(&elsewhere));
        assert_eq!(original.merged_ids, ["b", "c", "d"]);
        assert_eq!(original.also_in.len(), 1);
    }

    #[test]
    fn a_bare_first_version_takes_what_its_copy_knows() {
        let body = "The harbour board met on Tuesday and voted to sell the last ferry.";
        let mut bare = Article {
            id: "bare".into(),
            title: "The harbour board met on Tuesday and voted".into(),
            body: body.into(),
            ..Article::default()
        };
        let page = Article {
            id: "page".into(),
            title: "Sell the Ferry, Lose the Island".into(),
            authors: vec!["Ines Vallory".into()],
            author_cards: vec![AuthorCard {
                name: "Ines Vallory".into(),
                contacts: Contacts {
                    email: Some("ines@example.org".into()),
                    ..Contacts::default()
                },
                ..AuthorCard::default()
            }],
            outlet: Some("Harbour Review".into()),
            site: Some("harbour.example".into()),
            url: Some("https://harbour.example/ferry".into()),
            section: Some("Opinion".into()),
            published: Some("2020-03-04".into()),
            body: body.into(),
            ..Article::default()
        };
        assert!(bare.merge_copy(&page));
        assert_eq!(bare.title, "Sell the Ferry, Lose the Island");
        assert_eq!(bare.authors, ["Ines Vallory"]);
        assert!(
            bare.author_cards[0].contacts.is_empty(),
            "no contact is taken"
        );
        assert_eq!(bare.outlet.as_deref(), Some("Harbour Review"));
        assert_eq!(bare.published.as_deref(), Some("2020-03-04"));
        assert!(bare.also_in.is_empty(), "the page's place is now its own");
        assert_eq!(bare.merged_ids, ["page"]);
        // Nothing more to take, nothing new to record.
        assert!(!bare.merge_copy(&page));

        // A version that names where it ran keeps its place, date and title.
        let mut placed = Article {
            id: "placed".into(),
            title: "Keep the Ferry".into(),
            outlet: Some("Island Post".into()),
            body: body.into(),
            ..Article::default()
        };
        assert!(placed.merge_copy(&page));
        assert_eq!(placed.title, "Keep the Ferry");
        assert_eq!(placed.outlet.as_deref(), Some("Island Post"));
        assert_eq!(placed.published, None, "a copy's date is when the copy ran");
        assert_eq!(
            placed.authors,
            ["Ines Vallory"],
            "the same piece has the same writer"
        );
        assert_eq!(placed.also_in[0].outlet.as_deref(), Some("Harbour Review"));
    }
}
