//! Pages cut down to the shape each rule is about.

use super::choose::labelled_date;
use super::tree::{names_lead, words_of};
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
