//! Main text from the already-parsed page, in one walk over the tree.
//!
//! Why our own: the `rs-trafilatura` crate parses each page again, clones it
//! by serialising and re-parsing, and runs its own metadata passes; that cost
//! three times what the rest of the reader costs. Here the page is parsed
//! once, and the walk does what op-ed pages need:
//!
//! 1. Skip subtrees that are never article text: scripts, forms' controls,
//!    navigation, asides, footers, figure captions, and elements whose class
//!    or id names page furniture (comments, share bars, related links,
//!    newsletter prompts, cookie notices, author bio boxes).
//! 2. Cut the rest into text blocks at block-level elements, counting the
//!    characters inside links.
//! 3. Score candidates as readability does: each prose block (long enough,
//!    not link-heavy) credits its characters to its container, half to the
//!    next ancestor, a third to the one above; an element's score is scaled
//!    by its share of non-link text. The best element wins, with those of its
//!    siblings that score at least a fifth as high (split article bodies).
//! 4. Keep the chosen elements' blocks minus the link-heavy ones and the
//!    `<h1>` headline, as paragraphs, after the article's lead: prose just
//!    above them, near them in the tree, under a class such as `standfirst`,
//!    `intro`, `dek` or `itemprop=description` (too short to win alone), or
//!    a long opening paragraph set apart from the body.
//!
//! If the class rules leave almost no prose, the walk runs again without
//! them (pages that name their article container like furniture).
//!
//! [`MainText::confident`] says whether the choice is clear enough to trust;
//! [`super::parse`] falls back to `rs-trafilatura` otherwise.
//!
//! Files: `tree` (the walk over the DOM, cutting it into text blocks),
//! `choose` (scoring, the chosen blocks, the lead, dates and credits near
//! the article). May import `clean`, `date` and the sibling `byline`.

mod choose;
#[cfg(test)]
mod tests;
mod tree;

use dom_query::Document;

/// An element of the page, with what the blocks below it add up to.
struct Elem {
    parent: usize,
    /// Prose characters below.
    prose: usize,
    /// Whether class or id names the article body (a tie-breaker bonus).
    contentish: bool,
    /// Prose credited from blocks one to three levels below (readability's scheme).
    acc: f64,
    /// All characters and link characters below.
    chars: usize,
    links: usize,
    /// Whether the element is a paragraph-like block (its text goes to its parent).
    paralike: bool,
    /// Whether class, id or `itemprop` names the article's lead.
    lead: Role,
}

/// What an element's class, id or `itemprop` says about a lead.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Role {
    Plain,
    /// The article's lead (standfirst, intro, summary).
    Lead,
    /// Describes a person or a picture (`author-description`, `image-description`).
    Describes,
}

/// A run of text between block-level tags.
struct Block {
    elem: usize,
    text: String,
    link_chars: usize,
    heading: u8,
}

/// The page's main text as paragraphs, with how sure the choice is.
pub struct MainText {
    pub paras: Vec<String>,
    /// Prose characters in the chosen element against all prose on the page.
    pub share: f64,
    pub prose_chars: usize,
    /// A date written near the article: in the lines just above it (where
    /// bylines and datelines sit), its first lines, or just below it.
    pub dateline: Option<String>,
    /// A date after a publication label ("Datum:", "Published:", "Publié
    /// le"), the first one on the page.
    pub labelled: Option<String>,
    /// Names from a credit line near the article ("Von Ann Roe", "Text:
    /// Ann Roe"), searched in the same places as the dateline.
    pub credits: Vec<String>,
}

impl MainText {
    /// Whether the chosen element clearly is the article: it holds most of
    /// the page's prose and enough of it.
    pub fn confident(&self) -> bool {
        self.prose_chars >= 500 && self.share >= 0.6
    }
}

/// No element: the parent of the root.
const NONE: usize = usize::MAX;

/// Reads the main text of a parsed page.
pub fn extract(doc: &Document) -> MainText {
    let strict = main_text(doc, true);
    if strict.prose_chars >= 150 {
        return strict;
    }
    // Pages that name their article container like furniture ("widget",
    // "modal"): as readability does, walk again without the class rules.
    let lenient = main_text(doc, false);
    if lenient.prose_chars > strict.prose_chars {
        lenient
    } else {
        strict
    }
}

/// The main text as one walk with or without the class rules finds it.
fn main_text(doc: &Document, class_rules: bool) -> MainText {
    choose::choose(tree::dom_walk(doc, class_rules))
}
