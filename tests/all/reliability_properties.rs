//! Issue 6, properties of the normaliser, the passage splitter and ids,
//! checked on generated text (proptest).

use opedex::stages::clean::{self, clean_line};
use opedex::stages::passage::{split, MAX_WORDS};
use opedex::Article;
use proptest::prelude::*;

/// Text shaped like what readers produce: words, punctuation, hyphens at
/// line ends, blank-line runs, CR, tabs, NBSP, soft hyphens, zero-width and
/// combining characters, Cyrillic and CJK.
fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,12}",
        "[а-яА-Я]{1,10}",
        "[平和条約の島]{1,4}",
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\n\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("-\n".to_string()),
        Just(". ".to_string()),
        Just("? ".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{ad}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{feff}".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{201c}".to_string()),
        Just("\u{2014}".to_string()),
        "\\PC{1,3}",
    ];
    proptest::collection::vec(piece, 0..400).prop_map(|v| v.concat())
}

fn check_passages(body: &str) -> Result<(), TestCaseError> {
    let passages = split(body);
    let mut end = 0;
    for (i, p) in passages.iter().enumerate() {
        prop_assert_eq!(p.index, i, "indices count from 0 in order");
        prop_assert!(p.range.start >= end, "passages overlap or go backwards");
        prop_assert!(body.is_char_boundary(p.range.start) && body.is_char_boundary(p.range.end));
        prop_assert!(
            body[end..p.range.start].trim().is_empty(),
            "text between passages is lost: {:?}",
            &body[end..p.range.start]
        );
        prop_assert!(!p.text(body).trim().is_empty(), "empty passage");
        end = p.range.end;
    }
    prop_assert!(
        body[end..].trim().is_empty(),
        "text after the last passage is lost"
    );
    prop_assert_eq!(passages.is_empty(), body.trim().is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn normalising_twice_changes_nothing(raw in messy_text()) {
        let once = clean::body(&raw);
        prop_assert_eq!(clean::body(&once), once.clone());
        let line = clean_line(&raw);
        prop_assert_eq!(clean_line(&line), line);
    }

    #[test]
    fn passages_cover_the_normalised_body_once_in_order(raw in messy_text()) {
        check_passages(&clean::body(&raw))?;
    }

    #[test]
    fn passages_cover_any_body(raw in messy_text()) {
        // Readers normalise first, but the splitter must not rely on it.
        check_passages(&raw)?;
    }

    #[test]
    fn long_paragraphs_are_cut_within_bounds(words in proptest::collection::vec("[a-z]{1,8}[.,]?", 1..1500)) {
        let body = words.join(" ");
        check_passages(&body)?;
        for p in split(&body) {
            prop_assert!(p.text(&body).split_whitespace().count() <= MAX_WORDS + 1);
        }
    }

    #[test]
    fn ids_are_stable(title in "\\PC{0,40}", raw in messy_text(), path in "[a-z0-9/]{1,30}") {
        let body = clean::body(&raw);
        let a = Article { title: title.clone(), body: body.clone(), ..Article::default() };
        let id = a.derive_id();
        // Same content, same id, also after a JSON round trip.
        let again: Article = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        prop_assert_eq!(again.derive_id(), id.clone());
        prop_assert_eq!(Article { title, body, ..Article::default() }.derive_id(), id);
        // A URL id ignores the scheme, `www.`, a trailing slash and a fragment.
        let url = |u: String| Article { url: Some(u), ..a.clone() }.derive_id();
        let base = url(format!("https://example.org/{path}"));
        prop_assert_eq!(url(format!("http://www.example.org/{path}/")), base.clone());
        prop_assert_eq!(url(format!("HTTPS://example.org/{path}#comments")), base.clone());
        prop_assert!(base.starts_with('u') && base.len() == 17);
    }
}
