//! Page metadata, best evidence first: schema.org JSON-LD, then OpenGraph
//! and `article:*` tags, other `<meta>` conventions (Dublin Core, Parse.ly,
//! Sailthru), `rel=author` links and visible bylines, then `<title>`/`<h1>`.
//!
//! Every value is raw as the page gives it; [`super::parse`] combines them.

use std::collections::HashMap;

use dom_query::Document;
use serde_json::Value;

use super::byline;
use super::jsonld::{json_ld, LinkedData};
use crate::clean::collapse;
use crate::date;
use crate::ingest::authors;

/// What a page says about itself.
#[derive(Debug, Default)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub published: Option<String>,
    /// A date read from visible text (date-like classes): weaker than a URL date.
    pub visible_published: Option<String>,
    /// A declared last-modified date: the last evidence for a page that gives
    /// no publication date (an edit date is at least the page's own date).
    pub modified: Option<String>,
    /// A declared date no parser reads, kept raw as the last resort.
    pub unparsed_date: Option<String>,
    pub lang: Option<String>,
    /// The page's tags and keywords, for the article's keywords.
    pub keywords: Vec<String>,
}

/// Twitter card labels whose data field names the author.
const AUTHOR_LABELS: [&str; 7] = [
    "written by",
    "verfasst von",
    "geschrieben von",
    "écrit par",
    "escrito por",
    "scritto da",
    "geschreven door",
];

/// Reads all metadata from a parsed page. `source` is the page's markup in
/// ASCII lower case: selectors whose class or attribute word it lacks cannot
/// match, and their whole-page scans are skipped.
pub fn extract(doc: &Document, source: &str) -> PageMeta {
    let tags = meta_tags(doc);
    let ld = json_ld(doc);
    // The first candidate that names a publication (not `@handle`, a URL
    // or navigation text: `ingest::outlet`).
    let publication = |o: &String| crate::ingest::outlet::is_publication(o);
    let outlet = ld
        .publisher
        .clone()
        .filter(publication)
        .or_else(|| tags.first("og:site_name").filter(publication))
        .or_else(|| tags.first("application-name").filter(publication));
    let title = title(doc, &ld, &tags, outlet.as_deref());
    let authors = authors(doc, source, &ld, &tags, outlet.as_deref());
    let (published, unparsed_date) = published(doc, &ld, &tags);
    // Visible text is weaker evidence and slower to read: only without a declared date.
    let visible_published = if published.is_none() {
        visible_date(doc)
    } else {
        None
    };
    let modified = [
        ld.modified.clone(),
        tags.first("article:modified_time"),
        tags.first("og:updated_time"),
        tags.first("dcterms.modified"),
        tags.first("last-modified"),
        itemprop(doc, "dateModified"),
    ]
    .into_iter()
    .flatten()
    .find_map(|c| date::iso_day(&c));
    PageMeta {
        title,
        authors,
        section: ld.section.clone().or_else(|| tags.first("article:section")),
        url: canonical(doc)
            .or_else(|| tags.first("og:url"))
            .or_else(|| ld.url.clone()),
        lang: ld
            .lang
            .clone()
            .or_else(|| attr(doc, "html", "lang"))
            .or_else(|| tags.first("content-language"))
            .or_else(|| tags.first("og:locale")),
        keywords: keywords(&ld, &tags),
        outlet,
        published,
        visible_published,
        modified,
        unparsed_date,
    }
}

/// The headline, best evidence first, without a site name around it.
fn title(doc: &Document, ld: &LinkedData, tags: &MetaTags, outlet: Option<&str>) -> Option<String> {
    let title = ld
        .headline
        .clone()
        .or_else(|| tags.first("og:title"))
        .or_else(|| tags.first("twitter:title"))
        .or_else(|| tags.first("dc.title"))
        .or_else(|| tags.first("parsely-title"))
        .or_else(|| doc_title(doc));
    title.map(|t| strip_site_suffix(&unescape(&t), doc, outlet))
}

/// Person names: JSON-LD, then author `<meta>` tags, then labelled Twitter
/// card data, then a user name alone in JSON-LD or an author tag, then the
/// visible page; the first source with a name wins.
fn authors(
    doc: &Document,
    source: &str,
    ld: &LinkedData,
    tags: &MetaTags,
    outlet: Option<&str>,
) -> Vec<String> {
    let mut authors: Vec<String> = ld
        .authors
        .iter()
        .flat_map(|a| byline::names(a, outlet))
        .collect();
    for key in AUTHOR_TAGS {
        if !authors.is_empty() {
            break;
        }
        // Several tags of one kind are co-authors; dozens are a reference list.
        for v in tags.all(key).take(4) {
            authors.extend(byline::names(v, outlet));
        }
    }
    // WordPress SEO plugins label their Twitter card data: "Written by" → the author.
    for i in 1..=4 {
        if !authors.is_empty() {
            break;
        }
        let label = tags.first(&format!("twitter:label{i}")).unwrap_or_default();
        if AUTHOR_LABELS.contains(&label.trim().to_lowercase().as_str()) {
            if let Some(v) = tags.first(&format!("twitter:data{i}")) {
                authors.extend(byline::names(&v, outlet));
            }
        }
    }
    // A field that is the author may hold only a user name ("mh",
    // "jesusfreak"): taken when no field names a person, before the
    // visible page's guesses.
    if authors.is_empty() {
        let site = tags.first("og:site_name");
        let host = canonical(doc)
            .or_else(|| tags.first("og:url"))
            .and_then(|u| crate::ingest::outlet::host(&u));
        authors = ld
            .authors
            .iter()
            .chain(AUTHOR_TAGS.iter().flat_map(|k| tags.all(k).take(1)))
            .filter_map(|v| byline::handle(v))
            .find(|h| {
                !authors::is_site_name(h, outlet, host.as_deref())
                    && !authors::is_site_name(h, site.as_deref(), None)
            })
            .into_iter()
            .collect();
    }
    if authors.is_empty() {
        authors = visible_authors(doc, source, outlet);
    }
    dedup(&mut authors);
    authors
}

/// `<meta>` tags whose content is the author, in the order they are trusted.
const AUTHOR_TAGS: [&str; 8] = [
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "citation_author",
    "twitter:creator:name",
];

/// The declared publication date, and the first declared date as written
/// (kept as the last resort when no parser reads any).
fn published(doc: &Document, ld: &LinkedData, tags: &MetaTags) -> (Option<String>, Option<String>) {
    // The first candidate that reads as a date wins; a raw one is kept only if none does.
    let candidates: Vec<String> = [
        ld.published.clone(),
        tags.first("article:published_time"),
        tags.first("og:article:published_time"),
        tags.first("parsely-pub-date"),
        tags.first("sailthru.date"),
        tags.first("dc.date"),
        tags.first("dcterms.created"),
        tags.first("dc.date.issued"),
        tags.first("date"),
        tags.first("pubdate"),
        tags.first("publish-date"),
        tags.first("citation_publication_date"),
        tags.first("publication_date"),
        tags.first("og:published_time"),
        tags.first("published_time"),
        tags.first("publishdate"),
        tags.first("dc.date.created"),
        itemprop(doc, "datePublished"),
        attr(
            doc,
            "[property$=datePublished][content], [property$=dateCreated][content]",
            "content",
        ),
        first_time(doc),
    ]
    .into_iter()
    .flatten()
    .collect();
    // A form the pipeline reads is kept raw (with its time and zone); others become ISO days.
    let published = candidates.iter().find_map(|c| {
        date::canonical(c)
            .map(|_| c.clone())
            .or_else(|| date::iso_day(c))
    });
    (published, candidates.first().cloned())
}

/// Up to ten keywords, lower case: JSON-LD keywords, else `article:tag`
/// tags, else `news_keywords`/`keywords`.
fn keywords(ld: &LinkedData, tags: &MetaTags) -> Vec<String> {
    let mut found: Vec<String> = ld.keywords.clone();
    if found.is_empty() {
        for v in tags.all("article:tag") {
            found.extend(split_keywords(v));
        }
    }
    if found.is_empty() {
        if let Some(k) = tags
            .first("news_keywords")
            .or_else(|| tags.first("keywords"))
        {
            found = split_keywords(&k);
        }
    }
    let mut found: Vec<String> = found
        .into_iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty() && t.chars().count() <= 40)
        .collect();
    dedup(&mut found);
    found.truncate(10);
    found
}

/// Drops repeated values, ignoring case; the first stays.
fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.to_lowercase()));
}

/// Keywords written as one list (`a, b; c`), entities decoded first so that
/// `PG&amp;E` stays one keyword.
pub(super) fn split_keywords(s: &str) -> Vec<String> {
    unescape(s)
        .split([',', ';'])
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// `<meta>` values by lower-case `name`/`property`/`itemprop`/`http-equiv`, in page order.
struct MetaTags(HashMap<String, Vec<String>>);

impl MetaTags {
    /// The first value of a key.
    fn first(&self, key: &str) -> Option<String> {
        self.0.get(key).and_then(|v| v.first()).cloned()
    }

    /// Every value of a key.
    fn all(&self, key: &str) -> impl Iterator<Item = &String> {
        self.0.get(key).into_iter().flatten()
    }
}

/// The page's `<meta>` values, with Parse.ly's JSON tag read as tags.
fn meta_tags(doc: &Document) -> MetaTags {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for node in doc.select("meta").iter() {
        let Some(content) = node.attr("content") else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key_attr in ["name", "property", "itemprop", "http-equiv"] {
            if let Some(k) = node.attr(key_attr) {
                map.entry(k.trim().to_lowercase())
                    .or_default()
                    .push(content.to_string());
            }
        }
    }
    // Parse.ly keeps its metadata as JSON in one tag.
    if let Some(v) = map
        .get("parsely-page")
        .and_then(|v| v.first())
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    {
        for (key, field) in [
            ("parsely-title", "title"),
            ("parsely-author", "author"),
            ("parsely-pub-date", "pub_date"),
        ] {
            if let Some(s) = v[field].as_str() {
                map.entry(key.into()).or_default().push(s.to_string());
            }
        }
    }
    MetaTags(map)
}

fn attr(doc: &Document, sel: &str, name: &str) -> Option<String> {
    doc.select(sel).iter().find_map(|n| {
        n.attr(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

fn canonical(doc: &Document) -> Option<String> {
    attr(doc, "link[rel=canonical]", "href").filter(|h| h.starts_with("http"))
}

fn itemprop(doc: &Document, prop: &str) -> Option<String> {
    let sel = format!("[itemprop={prop}]");
    doc.select(&sel).iter().find_map(|n| {
        n.attr("content")
            .or_else(|| n.attr("datetime"))
            .map(|v| v.to_string())
            .or_else(|| Some(n.text().trim().to_string()))
            .filter(|v| !v.is_empty())
    })
}

/// A machine-readable date on a visible element: `<time datetime>` (the
/// article's own first) or a microformats `abbr.published` title.
/// An element marked as an edit date (`class="updated"`, `mod_datetime`) is skipped.
fn first_time(doc: &Document) -> Option<String> {
    let unmodified = |sel: &str, name: &str| {
        doc.select(sel).iter().find_map(|n| {
            n.attr(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty() && !marks_modified(&n))
        })
    };
    unmodified("article time[datetime]", "datetime")
        .or_else(|| unmodified("time[pubdate]", "datetime"))
        .or_else(|| unmodified("abbr.published[title]", "title"))
        .or_else(|| unmodified("time[datetime]", "datetime"))
}

/// Whether an element or its parent names itself an edit date: its class or
/// id holds the word `mod`, `modified`, `updated`, `lastmod` or `changed`.
fn marks_modified(node: &dom_query::Selection) -> bool {
    const WORDS: [&str; 7] = [
        "mod",
        "modified",
        "updated",
        "update",
        "lastmod",
        "changed",
        "aktualisiert",
    ];
    [node.clone(), node.parent()].iter().any(|n| {
        ["class", "id"]
            .iter()
            .any(|k| n.attr(k).is_some_and(|v| names_word(&v, &WORDS)))
    })
}

/// Whether a class or id value holds one of `words` as a whole word.
fn names_word(value: &str, words: &[&str]) -> bool {
    value
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| words.contains(&w))
}

fn doc_title(doc: &Document) -> Option<String> {
    let h1s = doc.select("h1");
    if h1s.length() == 1 {
        let t = collapse(&h1s.text());
        if !t.is_empty() {
            return Some(t);
        }
    }
    let t = collapse(&doc.select("title").first().text());
    (!t.is_empty()).then_some(t)
}

/// Character references left in a value that a page escaped twice
/// (`&#8222;`, `&amp;`): the parser decoded one level only.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// "Headline | Outlet" → "Headline": drops a trailing (or leading) segment
/// naming the site, or everything after an `<h1>` that starts the title.
/// An `<h1>` that is the title, or starts it, with other quotation marks
/// (the visible `beaucoup d’actions` of a `<title>` that says `d'actions`)
/// is taken as the page shows it.
fn strip_site_suffix(title: &str, doc: &Document, outlet: Option<&str>) -> String {
    let title = collapse(title);
    let plain_title = plain_quotes(&title);
    for h1 in doc.select("h1").iter() {
        let h = collapse(&h1.text());
        if h.chars().count() < 10 {
            continue;
        }
        let plain_h = plain_quotes(&h);
        if plain_title == plain_h {
            return h;
        }
        if let Some(rest) = plain_title.strip_prefix(plain_h.as_str()) {
            if rest
                .trim_start()
                .starts_with(['|', '-', '–', '—', ':', '·', '•'])
            {
                return h;
            }
        }
    }
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
        if let Some(i) = title.rfind(sep) {
            let tail = &title[i + sep.len()..];
            let tail_is_site = outlet.is_some_and(|o| fold_eq(tail, o))
                || (tail.split_whitespace().count() <= 3 && tail.contains('.'));
            if tail_is_site && i > 0 {
                return title[..i].trim().to_string();
            }
        }
        if let Some(i) = title.find(sep) {
            let head = &title[..i];
            if outlet.is_some_and(|o| fold_eq(head, o)) {
                return title[i + sep.len()..].trim().to_string();
            }
        }
    }
    title
}

/// `s` with typographic quotation marks and apostrophes as `"` and `'`.
fn plain_quotes(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' | '′' => '\'',
            '“' | '”' | '„' | '‟' | '″' => '"',
            c => c,
        })
        .collect()
}

fn fold_eq(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Names from `rel=author` links, `itemprop=author` and byline elements;
/// failing those, a blog or forum user name from an element that marks its
/// author.
fn visible_authors(doc: &Document, source: &str, outlet: Option<&str>) -> Vec<String> {
    // Each selector with a word its matches must have in the page's source (lower case).
    const SELECTORS: [(&str, &str); 17] = [
        ("[itemprop=author] [itemprop=name]", "author"),
        ("a[rel=author]", "author"),
        ("[rel=author]", "author"),
        ("[itemprop=author]", "author"),
        (".vcard .fn", "vcard"),
        ("[class*=byline] [class*=author]", "byline"),
        ("[class*=byline]", "byline"),
        ("[class*=author-name]", "author-name"),
        ("[class*=authorName]", "authorname"),
        ("[class*=article-author]", "article-author"),
        ("address.author", "address"),
        ("a[href*='/author/']", "/author/"),
        ("a[href*='/autoren/']", "/autoren/"),
        ("a[href*='/autor/']", "/autor/"),
        ("[class*=author]", "author"),
        ("[class*=Author]", "author"),
        ("[class*=submitted]", "submitted"),
    ];
    // Elements that name their author but may hold only a user name.
    const HANDLE_SELECTORS: &str =
        ".vcard .fn, a[rel=author], [class*=author] a[href*='/author/'], \
        span.author, [class*=post-author] a, [class*=username]";
    for (k, (sel, word)) in SELECTORS.iter().enumerate() {
        if !source.contains(word) {
            continue;
        }
        // Class fragments alone are weak evidence: short texts only.
        let max_chars = if k >= 11 { 80 } else { 200 };
        // The first byline on the page is the article's; later ones belong to teasers.
        let is_link = sel.starts_with("a[href");
        for node in doc
            .select(sel)
            .iter()
            .filter(|n| !in_comments(n))
            // Author-page links in lists are menus and author indexes, not bylines.
            .filter(|n| !(is_link && n.parent().is("li")))
            .take(6)
        {
            let text = node.text();
            if text.chars().count() > max_chars {
                continue;
            }
            let mut names = byline::names(&text, outlet);
            if k >= 11 && names.len() > 3 {
                continue;
            }
            if !names.is_empty() {
                dedup(&mut names);
                return names;
            }
        }
    }
    if !["vcard", "author", "username"]
        .iter()
        .any(|w| source.contains(w))
    {
        return Vec::new();
    }
    doc.select(HANDLE_SELECTORS)
        .iter()
        .filter(|n| !in_comments(n))
        .take(3)
        .find_map(|n| byline::handle(&n.text()))
        .into_iter()
        .collect()
}

/// Whether an element sits in a comment thread or form (whose names are
/// readers, not authors) or in navigation (links to every author's page).
fn in_comments(node: &dom_query::Selection) -> bool {
    node.nodes().first().is_some_and(|n| {
        n.ancestors_it(Some(15)).any(|a| {
            if a.node_name().is_some_and(|t| &*t == "nav") {
                return true;
            }
            ["class", "id"].iter().any(|k| {
                a.attr(k).is_some_and(|v| {
                    let v = v.to_lowercase();
                    v.contains("comment")
                        || v.contains("respond")
                        || v.contains("reply")
                        || v.contains("menu")
                })
            })
        })
    })
}

/// Whether an element sits in a sidebar, footer or teaser list, whose dates
/// belong to other articles. Inside an `<article>` only class words below it
/// count: articles hold their own `<aside>` metadata columns and `<footer>`s.
fn in_furniture(node: &dom_query::Selection) -> bool {
    const WORDS: [&str; 12] = [
        "sidebar",
        "teaser",
        "teasers",
        "related",
        "popular",
        "widget",
        "recent",
        "trending",
        "recommended",
        "footer",
        "aside",
        "navigation",
    ];
    let Some(n) = node.nodes().first() else {
        return false;
    };
    let mut furniture_tag = false;
    for a in n.ancestors_it(Some(15)) {
        let tag = a.node_name();
        match tag.as_deref() {
            Some("article") => return false,
            Some("aside" | "footer" | "nav") => furniture_tag = true,
            _ => {}
        }
        let named = ["class", "id"]
            .iter()
            .any(|k| a.attr(k).is_some_and(|v| names_word(&v, &WORDS)));
        if named {
            return true;
        }
    }
    furniture_tag
}

/// A date in the text of an element whose class says it holds the date.
fn visible_date(doc: &Document) -> Option<String> {
    const SELECTORS: &str = "time, [class*=date], [class*=Date], [class*=publish], \
        [class*=time], [id*=date], [class*=meta], [class*=datum], [class*=Datum], \
        [class*=posted], [class*=submitted], [class*=byline]";
    // Edit dates, and dates in menus and comment threads, are not the page's date.
    doc.select(SELECTORS).iter().take(40).find_map(|n| {
        let t = n.text();
        (t.len() < 200 && !marks_modified(&n) && !in_comments(&n) && !in_furniture(&n))
            .then(|| date::text_date(&t))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_headline_keeps_its_quotation_marks() {
        let page = |h1: &str| {
            Document::from(format!(
                "<html><head><title>x</title></head><body><h1>{h1}</h1></body></html>"
            ))
        };
        let curly = page("A Paris-8, un peu de tension, beaucoup d\u{2019}actions");
        assert_eq!(
            strip_site_suffix(
                "A Paris-8, un peu de tension, beaucoup d'actions - Bondy Blog",
                &curly,
                None
            ),
            "A Paris-8, un peu de tension, beaucoup d\u{2019}actions"
        );
        let german = page("Er erkl\u{e4}rt ihn f\u{fc}r \u{201e}finished\u{201c}");
        assert_eq!(
            strip_site_suffix("Er erkl\u{e4}rt ihn f\u{fc}r \"finished\"", &german, None),
            "Er erkl\u{e4}rt ihn f\u{fc}r \u{201e}finished\u{201c}"
        );
        // Another headline with the same words is not taken.
        let other = page("A Paris-8, beaucoup d\u{2019}actions");
        assert_eq!(
            strip_site_suffix(
                "A Paris-8, un peu de tension, beaucoup d'actions",
                &other,
                None
            ),
            "A Paris-8, un peu de tension, beaucoup d'actions"
        );
    }

    #[test]
    fn double_escaped_titles() {
        assert_eq!(
            unescape("a &#8222;b&#8220; &amp; c &x"),
            "a \u{201e}b\u{201c} & c &x"
        );
    }
}
