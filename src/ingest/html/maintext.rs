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

use dom_query::{Document, NodeData, NodeRef};

use crate::clean::collapse;

/// Tags whose subtree never holds article text.
const SKIP_TAGS: [&str; 22] = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "button",
    "select",
    "option",
    "input",
    "textarea",
    "iframe",
    "object",
    "embed",
    "canvas",
    "figcaption",
    "head",
    "title",
    "menu",
    "dialog",
];

/// Tags that start a new text block.
const BLOCK_TAGS: [&str; 33] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "address",
    "br",
    "hr",
    "form",
    "fieldset",
    "center",
    "details",
    "summary",
];

/// Class/id words that mark page furniture (matched as whole words of the
/// attribute, split at `-`, `_`, spaces and case changes).
const FURNITURE_WORDS: [&str; 49] = [
    "gallery",
    "slideshow",
    "carousel",
    "lightbox",
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsor",
    "sponsored",
    "cookie",
    "consent",
    "sidebar",
    "footer",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "recommended",
    "recirc",
    "trending",
    "popular",
    "mostread",
    "outbrain",
    "taboola",
    "disqus",
    "signup",
    "paywall",
    "masthead",
    "toolbar",
    "caption",
    "captions",
    "recirculation",
    "commentform",
    "commentlist",
];

/// Furniture words that no content word vetoes.
const STRONG_FURNITURE: [&str; 17] = [
    "comment",
    "comments",
    "related",
    "share",
    "sharing",
    "social",
    "newsletter",
    "outbrain",
    "taboola",
    "disqus",
    "recirc",
    "breadcrumb",
    "caption",
    "captions",
    "recirculation",
    "commentform",
    "commentlist",
];

/// Class/id words that mark the article itself; they veto [`FURNITURE_WORDS`].
const CONTENT_WORDS: [&str; 10] = [
    "article", "body", "content", "entry", "main", "story", "text", "prose", "blog", "hentry",
];

/// Class/id words that mark an article's lead (standfirst, intro, summary):
/// it sits in the article's header, apart from the body, and is too short to
/// win on its own, yet it is the article's opening text.
const STANDFIRST_WORDS: [&str; 16] = [
    "lead",
    "intro",
    "standfirst",
    "excerpt",
    "abstract",
    "chapo",
    "chapeau",
    "sommario",
    "subtitle",
    "subheadline",
    "subheading",
    "subhead",
    "dek",
    "deck",
    "strapline",
    "description",
];

/// Words that, beside a standfirst word, say the element describes something else:
/// a person (`author-description`, `mini-card__subtitle`) or a picture
/// (`image-description`).
const NOT_STANDFIRST_WORDS: [&str; 14] = [
    "author", "byline", "bio", "profile", "avatar", "card", "image", "img", "photo", "picture",
    "media", "video", "caption", "credit",
];

/// How many levels above the chosen element a lead may sit (header and body
/// are usually siblings or cousins inside the article's wrapper).
const LEAD_LEVELS: usize = 4;

/// An opening paragraph set apart from the body must be this long (a teaser
/// or a pull quote is shorter) …
const OPENING_MIN_CHARS: usize = 200;
/// … and sit among this many blocks just above the body.
const OPENING_WINDOW: usize = 6;

/// A block shorter than this with no sentence end reads as a label, not prose.
const PROSE_MIN_CHARS: usize = 80;

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

const NONE: usize = usize::MAX;

struct Walker {
    elems: Vec<Elem>,
    blocks: Vec<Block>,
    cur: String,
    cur_links: usize,
    link_depth: usize,
    /// Innermost open block-level element, per open element.
    block_stack: Vec<usize>,
}

impl Walker {
    fn flush(&mut self, heading: u8) {
        let text = collapse(&self.cur);
        self.cur.clear();
        let links = std::mem::take(&mut self.cur_links);
        if text.is_empty() {
            return;
        }
        let elem = self.block_stack.last().copied().unwrap_or(NONE);
        self.blocks.push(Block {
            elem,
            link_chars: links.min(text.len()),
            text,
            heading,
        });
    }
}

/// Reads the main text of a parsed page.
pub fn extract(doc: &Document) -> MainText {
    let strict = dom_walk(doc, true);
    if strict.prose_chars >= 150 {
        return strict;
    }
    // Pages that name their article container like furniture ("widget",
    // "modal"): as readability does, walk again without the class rules.
    let lenient = dom_walk(doc, false);
    if lenient.prose_chars > strict.prose_chars {
        lenient
    } else {
        strict
    }
}

fn dom_walk(doc: &Document, class_rules: bool) -> MainText {
    let root = doc.body().unwrap_or_else(|| doc.root());
    let mut w = Walker {
        elems: Vec::new(),
        blocks: Vec::new(),
        cur: String::new(),
        cur_links: 0,
        link_depth: 0,
        block_stack: Vec::new(),
    };
    // Explicit stack: deeply nested pages must not overflow the call stack.
    enum Step<'a> {
        Enter(NodeRef<'a>, usize),
        Exit {
            is_block: bool,
            is_link: bool,
            heading: u8,
        },
    }
    let mut stack = vec![Step::Enter(root, NONE)];
    let mut heading_open: u8 = 0;
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit {
                is_block,
                is_link,
                heading,
            } => {
                if is_link {
                    w.link_depth -= 1;
                }
                if is_block {
                    w.flush(heading_open);
                    w.block_stack.pop();
                }
                if heading > 0 {
                    heading_open = 0;
                }
            }
            Step::Enter(node, parent) => {
                let kind = node.query(|n| match &n.data {
                    NodeData::Text { contents } => Kind::Text(contents.to_string()),
                    NodeData::Element(e) => {
                        let name = e.name.local.as_ref().to_ascii_lowercase();
                        if SKIP_TAGS.contains(&name.as_str()) || e.attrs.iter().any(hidden) {
                            return Kind::Skip;
                        }
                        let mut furniture = false;
                        let mut contentish = false;
                        let mut lead = Role::Plain;
                        for a in &e.attrs {
                            let local = a.name.local.as_ref();
                            if local == "class" || local == "id" {
                                let (f, c) = words_of(&a.value);
                                furniture |= f;
                                contentish |= c;
                                lead = match (lead, names_lead(&a.value)) {
                                    (Role::Describes, _) | (_, Role::Plain) => lead,
                                    (_, found) => found,
                                };
                            } else if local == "itemprop"
                                && a.value.as_ref() == "description"
                                && lead == Role::Plain
                            {
                                lead = Role::Lead;
                            } else if local == "role"
                                && matches!(
                                    a.value.as_ref(),
                                    "navigation" | "complementary" | "contentinfo" | "banner"
                                )
                            {
                                furniture = true;
                            }
                        }
                        let keep = matches!(name.as_str(), "body" | "html" | "main" | "article");
                        if class_rules && furniture && !contentish && !keep {
                            return Kind::Skip;
                        }
                        Kind::Element(name, contentish, lead)
                    }
                    _ => Kind::Other,
                });
                match kind {
                    Some(Kind::Text(t)) => {
                        if w.link_depth > 0 {
                            w.cur_links += t.trim().len();
                        }
                        if !w.cur.is_empty() || !t.trim().is_empty() {
                            w.cur.push_str(&t);
                        }
                    }
                    Some(Kind::Element(name, contentish, lead)) => {
                        let idx = w.elems.len();
                        w.elems.push(Elem {
                            parent,
                            prose: 0,
                            contentish,
                            lead,
                            acc: 0.0,
                            chars: 0,
                            links: 0,
                            paralike: matches!(
                                name.as_str(),
                                "p" | "li"
                                    | "pre"
                                    | "blockquote"
                                    | "dd"
                                    | "dt"
                                    | "h1"
                                    | "h2"
                                    | "h3"
                                    | "h4"
                                    | "h5"
                                    | "h6"
                                    | "br"
                                    | "hr"
                                    | "tr"
                                    | "th"
                            ),
                        });
                        let is_block = BLOCK_TAGS.contains(&name.as_str());
                        let is_link = name == "a";
                        let heading = match name.as_str() {
                            "h1" => 1,
                            "h2" => 2,
                            "h3" => 3,
                            "h4" => 4,
                            "h5" => 5,
                            "h6" => 6,
                            _ => 0,
                        };
                        if is_block {
                            w.flush(heading_open);
                            w.block_stack.push(idx);
                        }
                        if heading > 0 {
                            heading_open = heading;
                        }
                        if is_link {
                            w.link_depth += 1;
                        }
                        stack.push(Step::Exit {
                            is_block,
                            is_link,
                            heading,
                        });
                        let children: Vec<_> = node.children_it(true).collect();
                        for c in children {
                            stack.push(Step::Enter(c, idx));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    w.flush(0);
    choose(w)
}

enum Kind {
    Text(String),
    /// Tag name, whether it names content, whether it names a lead.
    Element(String, bool, Role),
    Skip,
    Other,
}

fn hidden(a: &dom_query::Attr) -> bool {
    let local = a.name.local.as_ref();
    (local == "hidden")
        || (local == "aria-hidden" && a.value.as_ref() == "true")
        || (local == "style" && {
            let v = a.value.to_ascii_lowercase();
            let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            v.contains("display:none") || v.contains("visibility:hidden")
        })
}

/// Whether a class/id value names furniture, and whether it names content.
fn words_of(value: &str) -> (bool, bool) {
    let mut furniture = false;
    let mut strong = false;
    let mut content = false;
    let mut prev = String::new();
    let mut joined = String::new();
    for w in split_words(value) {
        // A furniture word may be split in two ("news-letter", "side-bar").
        joined.clear();
        joined.push_str(&prev);
        joined.push_str(&w);
        for word in [w.as_str(), joined.as_str()] {
            if FURNITURE_WORDS.contains(&word) {
                furniture = true;
            }
            if STRONG_FURNITURE.contains(&word) {
                strong = true;
            }
        }
        if CONTENT_WORDS.contains(&w.as_str()) {
            content = true;
        }
        prev = w;
    }
    (furniture, content && !strong)
}

/// Whether a class/id value names an article's lead, or a person or picture.
fn names_lead(value: &str) -> Role {
    let mut lead = Role::Plain;
    for w in split_words(value) {
        if NOT_STANDFIRST_WORDS.contains(&w.as_str()) {
            return Role::Describes;
        }
        if STANDFIRST_WORDS.contains(&w.as_str()) {
            lead = Role::Lead;
        }
    }
    lead
}

/// Lower-case words of a class/id value: split at non-alphanumerics and at
/// camelCase humps (`articleBody` → `article`, `body`).
fn split_words(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(|part| {
            let mut out = Vec::new();
            let mut start = 0;
            let b = part.as_bytes();
            for i in 1..b.len() {
                if b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() {
                    out.push(&part[start..i]);
                    start = i;
                }
            }
            out.push(&part[start..]);
            out
        })
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Whether a block is mostly link text: menus, teaser lists, tag clouds.
/// Article paragraphs and list items link a lot too, so long blocks must be
/// nearly all links to count.
fn link_heavy(b: &Block) -> bool {
    let chars = b.text.len().max(1);
    let density = b.link_chars as f64 / chars as f64;
    density > 0.8 || (density > 0.5 && b.text.chars().count() < 100)
}

/// How a block counts toward its ancestors: + prose, − furniture.
fn weight(b: &Block) -> i64 {
    let chars = b.text.chars().count() as i64;
    if link_heavy(b) {
        return -chars;
    }
    if b.heading > 0 {
        return 0;
    }
    let sentence = b
        .text
        .ends_with(['.', '!', '?', '"', '”', '»', ':', '。', '…']);
    if chars as usize >= PROSE_MIN_CHARS || (sentence && chars >= 30) {
        (chars - b.link_chars as i64).max(1)
    } else {
        -chars / 2
    }
}

fn choose(mut w: Walker) -> MainText {
    let mut total_prose = 0usize;
    for b in &w.blocks {
        let wt = weight(b);
        let chars = b.text.chars().count();
        let mut e = b.elem;
        while e != NONE {
            let el = &mut w.elems[e];
            el.chars += chars;
            el.links += b.link_chars.min(chars);
            if wt > 0 {
                el.prose += wt as usize;
            }
            e = el.parent;
        }
        if wt <= 0 {
            continue;
        }
        total_prose += wt as usize;
        let mut e = b.elem;
        if e != NONE && w.elems[e].paralike {
            e = w.elems[e].parent;
        }
        for level in 1..=3 {
            if e == NONE {
                break;
            }
            w.elems[e].acc += wt as f64 / level as f64;
            e = w.elems[e].parent;
        }
    }
    let finals: Vec<f64> = w
        .elems
        .iter()
        .map(|e| {
            let ld = e.links as f64 / e.chars.max(1) as f64;
            e.acc * (1.0 - ld) * if e.contentish { 1.1 } else { 1.0 }
        })
        .collect();
    let mut best = NONE;
    let mut best_score = 0f64;
    for (i, &f) in finals.iter().enumerate() {
        if f > best_score {
            best_score = f;
            best = i;
        }
    }
    if best == NONE {
        return MainText {
            paras: Vec::new(),
            share: 0.0,
            prose_chars: 0,
            dateline: None,
            labelled: None,
            credits: Vec::new(),
        };
    }
    let parent = w.elems[best].parent;
    let threshold = (best_score * 0.2).max(100.0);
    let mut chosen = vec![false; w.elems.len()];
    chosen[best] = true;
    for (i, e) in w.elems.iter().enumerate() {
        if parent != NONE && e.parent == parent && finals[i] >= threshold {
            chosen[i] = true;
        }
    }
    let inside = |mut e: usize| {
        while e != NONE {
            if chosen[e] {
                return true;
            }
            e = w.elems[e].parent;
        }
        false
    };
    let chosen_blocks: Vec<usize> = (0..w.blocks.len())
        .filter(|&i| inside(w.blocks[i].elem))
        .collect();
    // Bylines and datelines sit in the lines just above the article, its
    // first lines, or just below it.
    let near: Vec<usize> = chosen_blocks
        .first()
        .map(|&first| {
            let last = *chosen_blocks.last().unwrap_or(&first);
            let n = w.blocks.len();
            (first.saturating_sub(12)..first)
                .rev()
                .chain(first..(first + 5).min(n))
                .chain((last + 1)..(last + 6).min(n))
                .collect()
        })
        .unwrap_or_default();
    // A long paragraph counts when it opens with its date ("27.1.2022 - Bei
    // der …"); a signature line at the article's end ("Ann\n10. September
    // 2017") is the last place looked.
    let dateline = near
        .iter()
        .chain(chosen_blocks.iter().rev().take(2))
        .map(|&i| &w.blocks[i].text)
        .find_map(|t| {
            if t.len() <= 200 {
                crate::date::text_date(t)
            } else {
                let opening: String = t.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
                crate::date::text_date(&opening)
            }
        });
    // A block that labels its date ("Datum: 26. Januar 2022"), anywhere on
    // the page outside furniture, in page order.
    let labelled = w
        .blocks
        .iter()
        .filter(|b| b.text.len() <= 120)
        .find_map(|b| labelled_date(&b.text));
    let credits = near
        .iter()
        .chain(chosen_blocks.iter().rev().take(3))
        .map(|&i| super::byline::credit_line(&w.blocks[i].text, None))
        .find(|names| !names.is_empty())
        .unwrap_or_default();
    // The lead goes before the body (the windows above stay where the body
    // starts: the lead sits among bylines and datelines).
    let mut chosen_blocks = chosen_blocks;
    // Lead blocks all come before the body's first block.
    let body_start = chosen_blocks.first().copied().unwrap_or(0);
    chosen_blocks.extend(lead_blocks(&w, best, &chosen_blocks));
    chosen_blocks.sort_unstable();
    // A block printed more than once in the article is a photo caption or a
    // teaser repeated by a responsive layout; the article's own text is not.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for &i in &chosen_blocks {
        *seen.entry(w.blocks[i].text.as_str()).or_default() += 1;
    }
    let mut prose = 0;
    let paras: Vec<String> = chosen_blocks
        .iter()
        .filter(|&&i| {
            let b = &w.blocks[i];
            b.heading != 1
                && !link_heavy(b)
                && (b.text.chars().count() < 30
                    || seen.get(b.text.as_str()).is_some_and(|&n| n == 1))
        })
        .inspect(|&&i| {
            // How sure the choice is depends on the body alone.
            if i >= body_start {
                prose += weight(&w.blocks[i]).max(0) as usize;
            }
        })
        .map(|&i| w.blocks[i].text.clone())
        .collect();
    MainText {
        paras,
        share: prose as f64 / total_prose.max(1) as f64,
        prose_chars: prose,
        dateline,
        labelled,
        credits,
    }
}

/// Blocks of the article's lead: before the chosen text, inside a wrapper at
/// most [`LEAD_LEVELS`] above it, and prose (not a date, kicker or credit
/// line, not mostly links); either under an element that names a lead, or an
/// opening paragraph: a long sentence-ending block among the
/// [`OPENING_WINDOW`] blocks just above the body, under no element that
/// names a person or picture (an intro set apart from a slideshow or from
/// the body's own container).
fn lead_blocks(w: &Walker, best: usize, chosen_blocks: &[usize]) -> Vec<usize> {
    let Some(&first) = chosen_blocks.first() else {
        return Vec::new();
    };
    let mut wrapper = best;
    for _ in 0..LEAD_LEVELS {
        match w.elems[wrapper].parent {
            NONE => break,
            p => wrapper = p,
        }
    }
    let ancestors = |mut e: usize| {
        std::iter::from_fn(move || {
            let cur = e;
            if cur == NONE {
                return None;
            }
            e = w.elems[cur].parent;
            Some(cur)
        })
    };
    // A lead printed twice (page header and article) or again in the body
    // is taken once, so the repeated-caption rule does not drop it.
    let mut seen: std::collections::HashSet<&str> = chosen_blocks
        .iter()
        .map(|&i| w.blocks[i].text.as_str())
        .collect();
    (0..first)
        .filter(|&i| {
            let b = &w.blocks[i];
            let chars = b.text.chars().count();
            let sentence = b.text.ends_with(['.', '!', '?', '"', '”', '»', '…']);
            // The nearest ancestor below the wrapper that names a lead, a
            // person or a picture must name a lead.
            let nearest = ancestors(b.elem)
                .take_while(|&e| e != wrapper)
                .map(|e| w.elems[e].lead)
                .find(|&l| l != Role::Plain);
            // Cheap tests first: most blocks above the body are neither.
            b.heading != 1
                && (nearest == Some(Role::Lead)
                    || (nearest.is_none()
                        && chars >= OPENING_MIN_CHARS
                        && sentence
                        && b.link_chars * 5 < b.text.len()
                        && first - i <= OPENING_WINDOW))
                && ancestors(b.elem).any(|e| e == wrapper)
                && !link_heavy(b)
                && (chars >= PROSE_MIN_CHARS
                    || (sentence && chars >= 30 && crate::date::text_date(&b.text).is_none()))
                && seen.insert(b.text.as_str())
        })
        .collect()
}

/// Labels that announce a publication date, lower case, in the languages of
/// the benchmark pages. Edit-date labels ("Stand:", "Updated:") are not here.
const DATE_LABELS: [&str; 24] = [
    "datum:",
    "date:",
    "published:",
    "published on",
    "publication date:",
    "date published:",
    "veröffentlicht:",
    "veröffentlicht am",
    "erschienen:",
    "erschienen am",
    "publiziert am",
    "publié le",
    "date de publication :",
    "date de publication:",
    "fecha:",
    "fecha de publicación:",
    "publicado el",
    "data:",
    "data publikacji:",
    "opublikowano:",
    "pubblicato il",
    "data di pubblicazione:",
    "gepubliceerd op",
    "publicerad:",
];

/// The date after a publication label that opens a short block.
fn labelled_date(text: &str) -> Option<String> {
    let t = text.trim_start();
    let head: String = t.chars().take(24).collect::<String>().to_lowercase();
    let label = DATE_LABELS.iter().find(|l| head.starts_with(*l))?;
    // Lower-casing can change byte lengths; skip the label by characters.
    let rest: String = t.chars().skip(label.chars().count()).collect();
    crate::date::text_date(rest.trim_start_matches([':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(html: &str) -> Vec<String> {
        extract(&Document::from(html)).paras
    }

    #[test]
    fn picks_the_article_over_navigation_and_teasers() {
        let prose = "This sentence is long enough to count as prose in an article body, surely.";
        let html = format!(
            r#"<html><body>
            <div class="top"><a href="/">Home</a> <a href="/n">News</a> <a href="/s">Sport</a></div>
            <div class="story"><h1>Headline</h1><h2>A subhead</h2><p>{prose}</p><p>{prose} Two.</p>
              <div class="share-bar">Share on Facebook</div></div>
            <div class="more"><ul><li><a href="/x">Another story with a long teaser title here</a></li>
              <li><a href="/y">Yet another story with a long teaser title here</a></li></ul></div>
            </body></html>"#
        );
        assert_eq!(
            paras(&html),
            [
                "A subhead".to_string(),
                prose.to_string(),
                format!("{prose} Two.")
            ]
        );
    }

    #[test]
    fn split_bodies_join() {
        let prose = "A paragraph of the article that is long enough to be read as prose text.";
        let html = format!(
            r#"<body><div><div class="part"><p>{prose} One.</p></div><div class="ad-slot">x</div>
            <div class="part"><p>{prose} Two.</p></div></div><div><a href="/a">A link</a></div></body>"#
        );
        assert_eq!(paras(&html).len(), 2);
    }

    #[test]
    fn repeated_captions_leave() {
        let prose = "A paragraph of the article that is long enough to be read as prose text.";
        let cap = "The minister, left, shakes hands with a visitor in the capital on Tuesday.";
        let html = format!(
            r#"<body><div class="story"><div class="photo"><div>{cap}</div></div>
            <p>{prose} One.</p><p>{prose} Two.</p><div>{cap}</div><p>{prose} Three.</p></div></body>"#
        );
        let got = paras(&html);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|p| p != cap));
    }

    #[test]
    fn furniture_words_are_whole_words() {
        assert_eq!(words_of("story-header shadow"), (false, true));
        // A strong furniture word is not vetoed by a content word.
        assert_eq!(words_of("comments-area post-comments entry"), (true, false));
        assert_eq!(words_of("share-tools"), (true, false));
        assert_eq!(words_of("loading"), (false, false));
        assert_eq!(words_of("articleBody"), (false, true));
        assert_eq!(words_of("socialShare"), (true, false));
        // A caption is furniture even when its class also says "text".
        assert_eq!(words_of("wp-caption-text"), (true, false));
        assert_eq!(words_of("figure__caption"), (true, false));
        // A furniture word split in two still names furniture.
        assert_eq!(words_of("news-letter-section"), (true, false));
        assert_eq!(words_of("side-bar"), (true, false));
        assert_eq!(words_of("wp-block-recirculation-box"), (true, false));
        assert_eq!(words_of("pad-s"), (false, false));
    }

    #[test]
    fn caption_classes_leave() {
        let prose = "A paragraph of the article that is long enough to be read as prose text.";
        let cap = "Strikers gather in the hall of the university building on a Monday morning.";
        let html = format!(
            r#"<body><div class="story"><p>{prose} One.</p>
            <div class="wp-caption"><img src="a.jpg"><p class="wp-caption-text">{cap}</p></div>
            <p>{prose} Two.</p><div class="photo"><h2 class="photo__caption">{cap} Again.</h2></div>
            <p>{prose} Three.</p></div></body>"#
        );
        let got = paras(&html);
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn labelled_dates() {
        assert_eq!(
            labelled_date("Datum:26. Januar 2022").as_deref(),
            Some("2022-01-26")
        );
        assert_eq!(
            labelled_date("Publié le 3 mars 2021").as_deref(),
            Some("2021-03-03")
        );
        assert_eq!(
            labelled_date("Published: Sept. 12, 2018").as_deref(),
            Some("2018-09-12")
        );
        assert_eq!(labelled_date("Updated: 12 May 2020"), None);
        assert_eq!(labelled_date("Datum: unbekannt"), None);
        assert_eq!(labelled_date("Am 26. Januar 2022 kam"), None);
    }

    #[test]
    fn the_lead_above_the_body_joins_it() {
        let prose = "A paragraph of the article that is long enough to be read as prose text.";
        // A long body, so the header is not taken as a split part of it.
        let body: Vec<String> = (1..=14).map(|i| format!("{prose} {i}.")).collect();
        let html = format!(
            r#"<body><article><header><h1>Headline</h1>
              <p class="article-standfirst">The lead says in one sentence what happened.</p>
              <div class="author-description"><p>Ann Roe writes about cities for the paper.</p></div>
              <p class="intro-meta">Nov. 20, 2019 Updated: Nov. 20, 2019 1:35 a.m.</p>
              <div class="teaser"><p>A teaser of another story that reads like a sentence.</p></div>
            </header>
            <div class="body"><p>{}</p></div>
            </article></body>"#,
            body.join("</p><p>")
        );
        let mut want = vec!["The lead says in one sentence what happened.".to_string()];
        want.extend(body);
        assert_eq!(paras(&html), want);
    }

    #[test]
    fn an_opening_paragraph_above_a_slideshow_joins_it() {
        let intro = "Fear is part of every life. Some people seek it out on purpose, jumping \
            from planes or watching horror films, and yet the same question stays: what sets \
            the machinery of fear going in our bodies and in our heads?";
        let slide = "A slide of the show with a long enough caption to be read as prose text.";
        let slides: Vec<String> = (1..=30).map(|i| format!("{slide} {i}.")).collect();
        let far = "An older paragraph far above the article, long enough to be read as prose \
            and ending with a full stop, but separated from it by a menu of many lines, so \
            it belongs to something else on the page than the story below.";
        let bio = "Ann Roe has written about science and medicine for twenty years, first for \
            a regional daily and then for magazines; she lives by the sea with two cats and \
            far too many books about the history of fear.";
        let menu: String = (1..=8)
            .map(|i| format!("<div>Menu item {i}</div>"))
            .collect();
        let html = format!(
            r#"<body><div class="page"><p>{far}</p>{menu}
            <div class="news"><div class="top-box"><div>{intro}</div></div>
            <div class="about"><div class="author-box"><p>{bio}</p></div></div>
            <div class="show"><div class="slide"><p>{}</p></div></div></div></div></body>"#,
            slides.join("</p></div><div class=\"slide\"><p>")
        );
        let got = paras(&html);
        let mut want = vec![intro.split_whitespace().collect::<Vec<_>>().join(" ")];
        want.extend(slides);
        assert_eq!(got, want);
    }

    #[test]
    fn standfirst_words() {
        assert!(names_lead("c-entry-summary p-dek") == Role::Lead);
        assert!(names_lead("articleContent-lead") == Role::Lead);
        assert!(names_lead("mini-card__subtitle") == Role::Describes);
        assert!(names_lead("image-description") == Role::Describes);
        assert!(names_lead("leader-board") == Role::Plain);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(5_000) + "text";
        let _ = extract(&Document::from(html.as_str()));
    }
}
