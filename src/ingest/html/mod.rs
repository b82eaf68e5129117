//! Reader for saved HTML pages.
//!
//! The journey of one page: [`decode`] the bytes (BOM, declared charset,
//! detection) → `prune` scripts and styles → parse once with `dom_query` for
//! metadata (`meta`: `jsonld`, OpenGraph, `<meta>` conventions, bylines
//! read by `byline`) and author bio boxes (`card`)
//! → main text from the same tree (`maintext`: one walk, readability-style
//! scoring); when that walk is unsure, from `rs-trafilatura` (a maintained
//! port of trafilatura, which parses the page again), narrowed to the page's
//! article container (`body`) → op-ed rules the extractors lack:
//! boilerplate paragraphs, syndication lines (which name the outlet), bio-box
//! text kept out of the body.
//!
//! Promises: never panics on any input; returns `Err` with a reason for pages
//! without article text; every value is raw as the page gives it (dates,
//! names), and `ingest::complete` cleans them.
//!
//! May import: `article`, `clean`, `date`, `lang`, and of `ingest` only its
//! error type, the name rules of `ingest::authors` and the publication rule
//! of `ingest::outlet`.

mod body;
mod byline;
mod card;
mod decode;
mod jsonld;
mod maintext;
mod meta;
#[cfg(test)]
mod no_panic_tests;
mod prune;

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::Document;

use crate::article::Article;
use crate::ingest::ReadError;

pub use decode::decode;

/// Fewest characters of main text for a page to count as an article.
const MIN_BODY_CHARS: usize = 40;

/// Parses one HTML page (already gunzipped; raw bytes, any charset).
///
/// `url_hint` is where the page came from, when known; the page's own
/// canonical link wins over it.
pub fn parse(bytes: &[u8], url_hint: Option<&str>) -> Result<Article, ReadError> {
    let text = decode(bytes);
    if !text.contains('<') {
        return Err(ReadError::NotHtml);
    }
    // Both libraries are large; a panic inside them must not take the run down.
    catch_unwind(AssertUnwindSafe(|| parse_text(&text, url_hint)))
        .unwrap_or(Err(ReadError::ExtractorFailed))
}

/// Parses decoded page text: metadata, author cards and main text from one
/// parsed tree, then the op-ed rules on the body.
fn parse_text(text: &str, url_hint: Option<&str>) -> Result<Article, ReadError> {
    // Scripts, styles and comments are about 45% of a page's bytes and no
    // step reads them (JSON-LD is kept): every parse below is cheaper without.
    let pruned = prune::prune(text);
    let text = pruned.as_ref();
    let doc = Document::from(text);
    // Whole-page selector scans are the costliest part of the metadata pass;
    // one that needs a word the source lacks is skipped.
    let source = text.to_ascii_lowercase();
    let page = meta::extract(&doc, &source);
    let cards = card::extract(&doc, &source, page.outlet.as_deref());
    drop(source);
    let mut main = maintext::extract(&doc);
    let url = page.url.clone().or_else(|| url_hint.map(str::to_string));
    let confident = main.confident();
    let walked = std::mem::take(&mut main.paras);
    let (mut paras, fallback) = body_paragraphs(doc, walked, confident, text, &url)?;
    let syndicated_in = body::clean(&mut paras);
    paras.retain(|p| {
        !cards
            .iter()
            .any(|c| p.chars().count() >= 20 && c.text.contains(p.as_str()))
    });
    let body = paras.join("\n\n");
    if body.chars().count() < MIN_BODY_CHARS {
        return Err(ReadError::NoArticleText);
    }

    let outlet = page.outlet.clone().or(fallback
        .sitename
        .filter(|o| crate::ingest::outlet::is_publication(o)));
    let mut authors = page.authors;
    if authors.is_empty() {
        authors = main.credits;
    }
    if authors.is_empty() {
        if let Some(a) = &fallback.author {
            authors = a
                .split(';')
                .flat_map(|n| byline::names(n, outlet.as_deref()))
                .collect();
        }
    }
    let title = page
        .title
        .or(fallback.title)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| stand_in_title(&paras[0]));
    let site = url.as_deref().and_then(host);
    Ok(Article {
        title,
        authors,
        author_cards: cards.into_iter().map(|c| c.card).collect(),
        outlet: syndicated_in.or(outlet),
        site,
        section: page.section,
        published: near_url_day(page.published, url.as_deref())
            .or_else(|| url.as_deref().and_then(crate::date::url_day))
            .or(main.labelled)
            .or(page.visible_published)
            .or_else(|| fallback.date.map(|d| d.date_naive().to_string()))
            .or(main.dateline)
            .or(page.modified)
            .or(page.unparsed_date),
        url,
        lang: page.lang.as_deref().and_then(crate::lang::canonical_code),
        keywords: page.keywords,
        body,
        ..Article::default()
    })
}

/// The body's paragraphs, with the metadata `rs-trafilatura` found when it
/// ran. Our own walk when it is sure (most pages; zyte-aeb F1 0.962 alone),
/// rs-trafilatura narrowed to the page's container otherwise (0.961 alone);
/// together 0.972, and the slow path runs on about 14 of its 181 pages. The
/// parsed page is dropped before `rs-trafilatura` parses it again.
fn body_paragraphs(
    doc: Document,
    walked: Vec<String>,
    confident: bool,
    text: &str,
    url: &Option<String>,
) -> Result<(Vec<String>, rs_trafilatura::Metadata), ReadError> {
    if confident {
        drop(doc);
        return Ok((walked, rs_trafilatura::Metadata::default()));
    }
    let containers = body::containers(&doc);
    drop(doc);
    let options = rs_trafilatura::Options {
        url: url.clone(),
        // Op-ed pages are articles; skipping the page-type classifier is faster and scores higher.
        page_type: Some(rs_trafilatura::page_type::PageType::Article),
        // Its own second-chance extraction (baseline and wild-text
        // recovery, another clone of the page) is left out: our walk is
        // the second chance. trafilatura-eval: 6% fewer instructions,
        // snippet F1 0.909 -> 0.908, dates 0.912 -> 0.917, one more page
        // with an article; zyte-aeb 0.9716 -> 0.9715.
        use_fallback_extraction: false,
        ..rs_trafilatura::Options::default()
    };
    match rs_trafilatura::extract_with_options(text, &options) {
        Ok(extracted) => {
            // Paragraphs come from the plain text: the extractor filters its text
            // output more strictly than its HTML output (Zyte F1 0.957 against 0.951).
            let mut paras = body::paragraphs_from_text(&extracted.content_text);
            body::narrow(&mut paras, &containers);
            // When the extractor finds (almost) nothing, the walk's unsure
            // choice is still better than no article.
            if chars(&paras) < MIN_BODY_CHARS && chars(&walked) >= MIN_BODY_CHARS {
                paras = walked;
            }
            Ok((paras, extracted.metadata))
        }
        Err(_) if chars(&walked) >= MIN_BODY_CHARS => {
            Ok((walked, rs_trafilatura::Metadata::default()))
        }
        Err(e) => Err(ReadError::Extractor(e.to_string())),
    }
}

/// A declared timestamp one day off the URL's date crossed midnight in
/// another time zone; the URL holds the publication's own calendar day.
fn near_url_day(published: Option<String>, url: Option<&str>) -> Option<String> {
    let p = published?;
    let day = |s: &str| s.get(..10)?.parse::<jiff::civil::Date>().ok();
    if let (Some(u), Some(d)) = (url.and_then(crate::date::url_day), crate::date::iso_day(&p)) {
        if let (Some(ud), Some(dd)) = (day(&u), day(&d)) {
            if ud != dd && (ud - dd).get_days().abs() <= 1 {
                return Some(u);
            }
        }
    }
    Some(p)
}

/// The host of an absolute URL, lower case, without `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.')).then_some(host)
}

/// Characters in a list of paragraphs.
fn chars(paras: &[String]) -> usize {
    paras.iter().map(|p| p.chars().count()).sum()
}

/// The title of a page that names none: its first paragraph's first 12 words.
pub(crate) fn stand_in_title(p: &str) -> String {
    p.split_whitespace().take(12).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.Example.org/a/b?c").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            host("http://news.example.com:8080/").as_deref(),
            Some("news.example.com")
        );
        assert_eq!(host("not a url"), None);
    }

    #[test]
    fn script_only_pages_have_no_article() {
        let page = b"<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script></body></html>";
        assert!(parse(page, None).is_err());
        assert!(parse(b"", None).is_err());
    }
}
