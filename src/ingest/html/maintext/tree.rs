//! The walk over the parsed page: subtrees that never hold article text are
//! skipped, and the rest is cut into text blocks at block-level elements,
//! counting the characters inside links.

use dom_query::{Document, Element, NodeData, NodeRef};

use super::{Block, Elem, Role, NONE};
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

/// The walk's state, and what it leaves: every element kept and every
/// text block, in page order.
pub(super) struct Walker {
    pub(super) elems: Vec<Elem>,
    pub(super) blocks: Vec<Block>,
    /// Text of the block being read, and how much of it is link text.
    cur: String,
    cur_links: usize,
    /// How many links the current text is inside.
    link_depth: usize,
    /// Innermost open block-level element, per open element.
    block_stack: Vec<usize>,
    /// The level of the heading the current text is in, 0 outside headings.
    heading_open: u8,
}

impl Walker {
    /// Ends the current block, if it holds text.
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

    /// Text inside the current block.
    fn text(&mut self, t: &str) {
        if self.link_depth > 0 {
            self.cur_links += t.trim().len();
        }
        if !self.cur.is_empty() || !t.trim().is_empty() {
            self.cur.push_str(t);
        }
    }

    /// Opens an element below `parent`; returns its index and what closing it must undo.
    fn open<'a>(
        &mut self,
        name: &str,
        parent: usize,
        contentish: bool,
        lead: Role,
    ) -> (usize, Step<'a>) {
        let idx = self.elems.len();
        self.elems.push(Elem {
            parent,
            prose: 0,
            contentish,
            lead,
            acc: 0.0,
            chars: 0,
            links: 0,
            paralike: matches!(
                name,
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
        let is_block = BLOCK_TAGS.contains(&name);
        let is_link = name == "a";
        let heading = match name {
            "h1" => 1,
            "h2" => 2,
            "h3" => 3,
            "h4" => 4,
            "h5" => 5,
            "h6" => 6,
            _ => 0,
        };
        if is_block {
            self.flush(self.heading_open);
            self.block_stack.push(idx);
        }
        if heading > 0 {
            self.heading_open = heading;
        }
        if is_link {
            self.link_depth += 1;
        }
        let exit = Step::Exit {
            is_block,
            is_link,
            heading,
        };
        (idx, exit)
    }

    /// Closes an element that [`Walker::open`] opened.
    fn close(&mut self, is_block: bool, is_link: bool, heading: u8) {
        if is_link {
            self.link_depth -= 1;
        }
        if is_block {
            self.flush(self.heading_open);
            self.block_stack.pop();
        }
        if heading > 0 {
            self.heading_open = 0;
        }
    }
}

/// Walks the page below `<body>` in document order and cuts it into text
/// blocks, skipping subtrees that never hold article text (and, with
/// `class_rules`, elements whose class or id names page furniture).
pub(super) fn dom_walk(doc: &Document, class_rules: bool) -> Walker {
    let root = doc.body().unwrap_or_else(|| doc.root());
    let mut w = Walker {
        elems: Vec::new(),
        blocks: Vec::new(),
        cur: String::new(),
        cur_links: 0,
        link_depth: 0,
        block_stack: Vec::new(),
        heading_open: 0,
    };
    // Explicit stack: deeply nested pages must not overflow the call stack.
    let mut stack = vec![Step::Enter(root, NONE)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit {
                is_block,
                is_link,
                heading,
            } => w.close(is_block, is_link, heading),
            Step::Enter(node, parent) => match node.query(|n| kind(n, class_rules)) {
                Some(Kind::Text(t)) => w.text(&t),
                Some(Kind::Element(name, contentish, lead)) => {
                    let (idx, exit) = w.open(&name, parent, contentish, lead);
                    stack.push(exit);
                    let children: Vec<_> = node.children_it(true).collect();
                    for c in children {
                        stack.push(Step::Enter(c, idx));
                    }
                }
                _ => {}
            },
        }
    }
    w.flush(0);
    w
}

/// A step of the walk: entering a node (below the element at an index), or
/// leaving an element.
enum Step<'a> {
    Enter(NodeRef<'a>, usize),
    Exit {
        is_block: bool,
        is_link: bool,
        heading: u8,
    },
}

/// What the walk makes of one node.
enum Kind {
    Text(String),
    /// Tag name, whether it names content, whether it names a lead.
    Element(String, bool, Role),
    Skip,
    Other,
}

/// Text, an element to enter, or a subtree to skip.
fn kind(n: &dom_query::TreeNode, class_rules: bool) -> Kind {
    match &n.data {
        NodeData::Text { contents } => Kind::Text(contents.to_string()),
        NodeData::Element(e) => {
            let name = e.name.local.as_ref().to_ascii_lowercase();
            if SKIP_TAGS.contains(&name.as_str()) || e.attrs.iter().any(hidden) {
                return Kind::Skip;
            }
            let (furniture, contentish, lead) = marks(e);
            let keep = matches!(name.as_str(), "body" | "html" | "main" | "article");
            if class_rules && furniture && !contentish && !keep {
                return Kind::Skip;
            }
            Kind::Element(name, contentish, lead)
        }
        _ => Kind::Other,
    }
}

/// What an element's class, id, `itemprop` and `role` say: whether it is
/// furniture, whether it names content, and whether it names a lead.
fn marks(e: &Element) -> (bool, bool, Role) {
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
        } else if local == "itemprop" && a.value.as_ref() == "description" && lead == Role::Plain {
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
    (furniture, contentish, lead)
}

/// Whether an attribute hides its element.
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
pub(super) fn words_of(value: &str) -> (bool, bool) {
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
pub(super) fn names_lead(value: &str) -> Role {
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
