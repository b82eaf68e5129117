//! Issue 17: no reading function panics on any text. Arbitrary Unicode
//! (combining marks, emoji and ZWJ sequences, right-to-left text and
//! controls, NUL, characters whose lower case has another byte length,
//! digits and date punctuation) goes into every date, author, byline, card
//! and metadata function, alone and inside the page slots they read.

use dom_query::Document;
use proptest::prelude::*;

use crate::article::Article;
use crate::date;
use crate::ingest::{authors, closing, contacts, credits, outlet, textpage};

/// Text made of pieces that break byte-index code.
pub(crate) fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{1,4}",
        "[0-9]{1,4}",
        "[a-zA-Z]{1,8}",
        Just("\u{301}".to_string()),
        Just("e\u{308}".to_string()),
        Just("😀".to_string()),
        Just("👩\u{200d}👩\u{200d}👧".to_string()),
        Just("مرحبا".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{200f}".to_string()),
        Just("\0".to_string()),
        Just("İ".to_string()),
        Just("\u{212a}".to_string()),
        Just("ẞ".to_string()),
        Just("é".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("-".to_string()),
        Just("/".to_string()),
        Just(".".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("@".to_string()),
        Just("2020-01-0".to_string()),
        Just("By ".to_string()),
        Just("Von ".to_string()),
        Just("ORCID".to_string()),
        Just("E-mail: ".to_string()),
        Just(" is a ".to_string()),
        Just("https://".to_string()),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// A page whose metadata slots, byline, bio box and body all hold `s`.
fn page(s: &str) -> String {
    let attr = s.replace('"', "&quot;").replace('<', "&lt;");
    let text = s.replace('<', "&lt;");
    let json = serde_json::to_string(s).unwrap_or_default();
    format!(
        r#"<html lang="{attr}"><head><title>{text}</title>
<meta property="og:site_name" content="{attr}"><meta name="author" content="{attr}">
<meta property="article:published_time" content="{attr}">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":{json},"datePublished":{json},
"author":{{"@type":"Person","name":{json}}},"publisher":{{"name":{json}}}}}</script></head>
<body><article><p class="byline">{text}</p><time class="date">{text}</time>
<p>{text} {text} and a sentence long enough to be kept as prose in the body here.</p>
<div class="author-bio">{text}</div></article></body></html>"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn date_functions_never_panic(s in hostile_text()) {
        let _ = date::canonical(&s);
        let _ = date::iso_day(&s);
        let _ = date::text_date(&s);
        let _ = date::url_day(&s);
        let _ = date::parse_bound(&s, true);
        let _ = date::epoch_seconds(&s);
    }

    #[test]
    fn author_and_byline_functions_never_panic(s in hostile_text(), o in hostile_text()) {
        let _ = authors::clean(&[s.clone(), o.clone()], Some(&o));
        let _ = authors::split_byline(&s);
        let _ = super::byline::names(&s, Some(&o));
        let _ = super::byline::credit_line(&s, Some(&o));
        let _ = super::byline::handle(&s);
        let _ = super::body::syndication_outlet(&s);
        let mut paras = super::body::paragraphs_from_text(&s);
        let _ = super::body::clean(&mut paras);
    }

    #[test]
    fn card_and_metadata_functions_never_panic(s in hostile_text(), o in hostile_text()) {
        let _ = textpage::parse(&s);
        let _ = textpage::parse(&format!("{o}\n{s}\n\n{s}\n\n{o} {s} and some words here to make prose.\n\n{s}"));
        let html = page(&s);
        let doc = Document::from(html.as_str());
        let source = html.to_ascii_lowercase();
        let _ = super::meta::extract(&doc, &source);
        let _ = super::card::extract(&doc, &source, Some(&o));
        let _ = super::parse_text(&html, Some(&s));
        let names = vec![s.clone(), o.clone(), format!("{o} {s}")];
        let _ = closing::take(&format!("{o}\n\n{s}\n\n{o} {s}"), &names);
        let clues = credits::Clues { url: Some(&s), credited: &names, one_string: true, corpus: None };
        let _ = credits::resolve(names.clone(), &clues);
        let _ = (outlet::is_publication(&s), outlet::split_dated(&s), outlet::host(&s));
        let _ = (outlet::split_section(&s, Some(&o)), outlet::split_section(&format!("{s} - {o}"), None));
        let _ = outlet::canonical(&s, Some(&o));
        let _ = closing::take(&format!("{s}. Sign up {o}. Click here.\n\n[{o}. {s}!]"), &names);
        let mut merged = Article { title: o.clone(), body: format!("{o} {s}"), ..Article::default() };
        let _ = merged.merge_copy(&Article { title: s.clone(), authors: vec![o.clone()],
            outlet: Some(s.clone()), body: format!("{o} {s}"), ..Article::default() });
        let _ = (contacts::emails(&s), contacts::phones(&s), contacts::handles(&s));
        let mut evidence = crate::ingest::CorpusEvidence::default();
        let article = Article { title: s.clone(), body: format!("{s}\n\n{o}"), authors: names,
            outlet: Some(o.clone()), url: Some(s.clone()), ..Article::default() };
        evidence.add(&article);
        let opts = crate::ingest::ReadOptions { corpus: Some(std::sync::Arc::new(evidence)), ..Default::default() };
        let origin = crate::ingest::Origin { display: "p".into(), key: None, format: crate::ingest::format::Format::Json };
        let _ = crate::ingest::complete(article, &origin, &opts, &mut Vec::new());
    }
}
