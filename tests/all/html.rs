//! The HTML reader on fixtures written for the project: metadata evidence,
//! bylines, author cards, syndication lines, charsets, and pages without an
//! article. Runs the library directly; `tests/ingest.rs` covers the binary.

use std::path::PathBuf;

use opedex::stages::html;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn json_ld_graph_gives_metadata_and_people() {
    let a = html::parse(&fixture("jsonld-graph-opinion.html"), None).expect("an article");
    assert_eq!(a.title, "Why the ferry timetable matters");
    // The Organization author is not a person.
    assert_eq!(a.authors, ["Mara Quist", "Tobias Venn"]);
    assert_eq!(a.published.as_deref(), Some("2021-06-03T08:30:00+01:00"));
    assert_eq!(a.section.as_deref(), Some("Opinion"));
    assert_eq!(a.lang.as_deref(), Some("en"));
    // Page tags are the source's keywords; topics come only from the
    // vocabulary, when the article is completed.
    assert_eq!(a.keywords, ["transport", "islands", "local politics"]);
    assert!(a.topics.is_empty(), "{:?}", a.topics);
    assert_eq!(a.site.as_deref(), Some("harbourledger.example"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.harbourledger.example/opinion/ferry-timetable")
    );
    // The syndication line names where the piece first ran, and leaves the body.
    assert_eq!(a.outlet.as_deref(), Some("The Island Courier"));
    assert!(!a.body.contains("first appeared"), "{}", a.body);
    assert!(a.body.contains("running down the slipway"));
    assert!(a.body.contains("\n\n"), "paragraphs are kept");
    for noise in [
        "Share on Facebook",
        "newsletter",
        "All rights reserved",
        "senior fellow",
        "Opinion\n",
    ] {
        assert!(!a.body.contains(noise), "{noise:?} in body:\n{}", a.body);
    }
}

#[test]
fn bio_box_becomes_an_author_card() {
    let a = html::parse(&fixture("jsonld-graph-opinion.html"), None).unwrap();
    let card = a.author_cards.first().expect("a card");
    assert_eq!(card.name, "Mara Quist");
    assert_eq!(
        card.contacts.email.as_deref(),
        Some("mara.quist@example.org")
    );
    assert_eq!(card.ids.get("X").map(String::as_str), Some("@maraquist"));
    assert!(card.affiliations[0].contains("Institute for Coastal Communities"));
}

#[test]
fn opengraph_only_page_and_visible_byline() {
    let a = html::parse(&fixture("og-only.html"), None).expect("an article");
    assert_eq!(a.title, "Lanterns on the canal: a modest proposal");
    assert_eq!(a.authors, ["Ann Lee", "Bo Chan"]);
    assert_eq!(a.published.as_deref(), Some("2020-11-05"));
    assert_eq!(a.section.as_deref(), Some("Comment"));
    assert_eq!(a.keywords, ["urban design", "heritage"]);
    assert!(a.topics.is_empty(), "{:?}", a.topics);
    assert_eq!(a.site.as_deref(), Some("northwindpost.example"));
    assert_eq!(a.outlet.as_deref(), Some("Lakeside Weekly"));
    assert!(!a.body.contains("Originally published"));
}

#[test]
fn wrong_declared_charset_is_overruled() {
    let a = html::parse(&fixture("cp1252-wrong-charset.html"), None).expect("an article");
    assert_eq!(a.title, "Le café du port");
    assert!(a.body.contains("« petit noir »"), "{}", a.body);
    assert!(!a.body.contains('\u{fffd}'));
    assert_eq!(a.authors, ["Élodie Marchand"]);
}

#[test]
fn pages_without_an_article_are_errors() {
    assert!(html::parse(&fixture("script-only.html"), None).is_err());
    assert!(html::parse(b"", None).is_err());
    assert!(html::parse(b"plain words, no markup", None).is_err());
}

#[test]
fn truncated_page_still_reads() {
    let a = html::parse(&fixture("truncated.html"), None);
    assert!(a.is_ok_and(|a| a.body.contains("slipway")));
}

/// Truncations, byte flips, deep nesting and a large page: never a panic.
#[test]
fn mutated_pages_never_panic() {
    let src = fixture("jsonld-graph-opinion.html");
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for cut in (0..src.len()).step_by(97) {
        let _ = html::parse(&src[..cut], None);
    }
    for _ in 0..60 {
        let mut page = src.clone();
        for _ in 0..8 {
            let i = (next() as usize) % page.len();
            page[i] = next() as u8;
        }
        let _ = html::parse(&page, Some("not a url"));
    }
    let deep = format!(
        "{}<p>deep text here, long enough to count</p>{}",
        "<div>".repeat(5000),
        "</div>".repeat(10)
    );
    let _ = html::parse(deep.as_bytes(), None);
    let big = format!(
        "<html><body>{}</body></html>",
        "<p>Lorem ipsum dolor sit amet, consectetur.</p>".repeat(20_000)
    );
    let _ = html::parse(big.as_bytes(), None);
}

#[test]
fn blog_pages_give_visible_german_dates_and_user_names() {
    let a = html::parse(&fixture("blog-german-date-handle.html"), None).expect("an article");
    assert_eq!(a.published.as_deref(), Some("2013-10-05"));
    // A blog user name counts; menu links and commenters do not.
    assert_eq!(a.authors, ["kuestenkind"]);
    assert!(a.body.starts_with("Die Fähre zur Insel"));
    assert!(!a.body.contains("Sehr richtig"));
}

#[test]
fn dateline_near_the_article_beats_a_modified_date() {
    let a = html::parse(&fixture("dateline-modified.html"), None).expect("an article");
    assert_eq!(a.published.as_deref(), Some("2021-03-03"));
    assert_eq!(a.body.split("\n\n").count(), 3, "{}", a.body);
    for noise in ["Reader one", "Another opinion piece", "Home"] {
        assert!(!a.body.contains(noise), "{noise:?} in body:\n{}", a.body);
    }
}

#[test]
fn a_modified_date_is_the_last_evidence() {
    let page = String::from_utf8(fixture("dateline-modified.html"))
        .unwrap()
        .replace(" · Published 3 March 2021", "")
        .replace("Reader one on 4 March 2021", "Reader one");
    let a = html::parse(page.as_bytes(), None).expect("an article");
    assert_eq!(a.published.as_deref(), Some("2022-05-09"));
}

#[test]
fn url_dates_in_archive_and_compact_forms() {
    let page = String::from_utf8(fixture("dateline-modified.html"))
        .unwrap()
        .replace(" · Published 3 March 2021", "")
        .replace("Reader one on 4 March 2021", "Reader one");
    let a = html::parse(
        page.as_bytes(),
        Some("https://web.archive.org/web/20120611024252/http://news.example/2012-06/04/c_1.htm"),
    )
    .expect("an article");
    assert_eq!(a.published.as_deref(), Some("2012-06-04"));
    let a = html::parse(
        page.as_bytes(),
        Some("https://example.org/reden/2003/03/20030331_rede.html"),
    )
    .expect("an article");
    assert_eq!(a.published.as_deref(), Some("2003-03-31"));
}

#[test]
fn credit_lines_and_labelled_card_data_give_authors() {
    let prose = "<p>The council met on a wet Tuesday and argued for hours about the bus lanes, \
        the parking fees and the new cycle paths along the river, which many residents oppose.</p>"
        .repeat(6);
    let page = format!(
        "<html><head><title>Bus lanes</title></head><body><article><h1>Bus lanes</h1>\
         <p>Von Ann Roe-Lind</p>{prose}</article></body></html>"
    );
    let a = html::parse(page.as_bytes(), None).expect("an article");
    assert_eq!(a.authors, ["Ann Roe-Lind"]);

    let page = format!(
        "<html><head><title>Bus lanes</title>\
         <meta name=\"twitter:label1\" content=\"Written by\">\
         <meta name=\"twitter:data1\" content=\"Bo Quist @boquist\"></head>\
         <body><article><h1>Bus lanes</h1><p>Von Berlin nach Hamburg</p>{prose}</article></body></html>"
    );
    let a = html::parse(page.as_bytes(), None).expect("an article");
    assert_eq!(a.authors, ["Bo Quist"]);

    let page = format!(
        "<html><head><title>Bus lanes</title></head><body><article><h1>Bus lanes</h1>\
         <p>Von Berlin nach Hamburg</p>{prose}</article></body></html>"
    );
    let a = html::parse(page.as_bytes(), None).expect("an article");
    assert!(a.authors.is_empty(), "{:?}", a.authors);
}

#[test]
fn a_labelled_date_wins_over_sidebar_teasers() {
    let a = html::parse(&fixture("labelled-date-sidebar.html"), None).expect("an article");
    // "Datum: 26. Januar 2022" in a list item; the sidebar teaser's 20.11.22 is another article's.
    assert_eq!(a.published.as_deref(), Some("2022-01-26"));
    assert_eq!(a.body.split("\n\n").count(), 4, "{}", a.body);
    for noise in [
        "2018-05-05",
        "tracking",
        "content:",
        "Archivstand",
        "Ein anderer Artikel",
    ] {
        assert!(!a.body.contains(noise), "{noise:?} in body:\n{}", a.body);
    }
}

#[test]
fn two_digit_years_and_edit_times() {
    let a = html::parse(&fixture("two-digit-year-edit-time.html"), None).expect("an article");
    // The <time> inside `mod_datetime` is an edit time; "23.09.22" is the day the story went up.
    assert_eq!(a.published.as_deref(), Some("2022-09-23"));
    let page = String::from_utf8(fixture("two-digit-year-edit-time.html"))
        .unwrap()
        .replace(" 23.09.22 ", " 23.09.2022, 5.6.22 ");
    let a = html::parse(page.as_bytes(), None).expect("an article");
    assert_eq!(a.published.as_deref(), Some("2022-09-23"));
    // Single-digit day and month with a two-digit year are not read (not
    // 2022-06-05); the edit time, at least the page's own date, is then the
    // last evidence, as a declared modified date is.
    let page = String::from_utf8(fixture("two-digit-year-edit-time.html"))
        .unwrap()
        .replace(" 23.09.22 ", " 5.6.22 ");
    let a = html::parse(page.as_bytes(), None).expect("an article");
    assert_eq!(a.published.as_deref(), Some("2022-10-01"));
}

#[test]
fn a_paragraph_opening_with_its_date_beats_menu_dates() {
    let a = html::parse(&fixture("opening-date-paragraph.html"), None).expect("an article");
    assert_eq!(a.published.as_deref(), Some("2022-11-21"));
    assert_eq!(a.authors, ["Greta Holm"]);
    assert!(!a.body.contains("Ein anderer Beitrag"), "{}", a.body);
}
