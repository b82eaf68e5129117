//! Author cards: the bio boxes op-ed pages put beside or under the piece
//! ("Jane Roe is a senior fellow at …", an e-mail link, a social handle).
//! They go into `author_cards`; their text is kept out of the body.

use dom_query::{Document, Selection};

use crate::article::AuthorCard;
use crate::clean::collapse;

use super::byline;

/// The class fragments of [`BOX_SELECTORS`] in lower case: a page whose
/// source has none of them has no bio box, and is not scanned.
const BOX_WORDS: [&str; 11] = [
    "author-bio",
    "author-box",
    "authorbox",
    "author-card",
    "about-author",
    "author-info",
    "bio-box",
    "contributor-bio",
    "author__bio",
    "author-profile",
    "authorbio",
];

/// Class fragments that mark a bio box.
const BOX_SELECTORS: &str = "[class*=author-bio], [class*=author-box], [class*=authorbox], \
    [class*=author-card], [class*=about-author], [class*=author-info], [class*=bio-box], \
    [class*=contributor-bio], [class*=author__bio], [class*=author-profile], [class*=authorBio]";

/// A bio box and its whole text (to keep it out of the body).
pub struct FoundCard {
    pub card: AuthorCard,
    pub text: String,
}

/// Finds bio boxes; nested matches count once (the outermost). `source` is
/// the page's markup in ASCII lower case.
pub fn extract(doc: &Document, source: &str, outlet: Option<&str>) -> Vec<FoundCard> {
    let mut found: Vec<FoundCard> = Vec::new();
    if !BOX_WORDS.iter().any(|w| source.contains(w)) {
        return found;
    }
    for node in doc.select(BOX_SELECTORS).iter().take(8) {
        let text = collapse(&node.text());
        if text.is_empty() || text.chars().count() > 1500 {
            continue;
        }
        if found.iter().any(|f| f.text.contains(&text)) {
            continue;
        }
        if let Some(card) = read_card(&node, &text, outlet) {
            found.retain(|f| !text.contains(&f.text));
            found.push(FoundCard { card, text });
        }
    }
    found
}

fn read_card(node: &Selection, text: &str, outlet: Option<&str>) -> Option<AuthorCard> {
    let name_text = [
        "[itemprop=name]",
        "[class*=name]",
        "h2, h3, h4, h5",
        "strong, b",
        "a",
    ]
    .iter()
    .find_map(|sel| {
        let t = collapse(&node.select(sel).first().text());
        byline::names(&t, outlet).into_iter().next()
    })
    .or_else(|| byline::names(text, outlet).into_iter().next())?;
    let mut card = AuthorCard {
        name: name_text.clone(),
        ..AuthorCard::default()
    };
    for a in node.select("a[href]").iter() {
        let href = a
            .attr("href")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        let lower = href.to_lowercase();
        if let Some(mail) = lower.strip_prefix("mailto:") {
            card.contacts
                .email
                .get_or_insert_with(|| mail.split('?').next().unwrap_or("").to_string());
        } else if let Some(tel) = href.strip_prefix("tel:") {
            card.contacts.phone.get_or_insert_with(|| tel.to_string());
        } else if lower.contains("orcid.org/") {
            card.orcid = href
                .rsplit('/')
                .next()
                .map(str::to_string)
                .filter(|s| !s.is_empty());
        } else if let Some(handle) = social_handle(&lower) {
            card.ids.entry(handle.0.to_string()).or_insert(handle.1);
        }
    }
    // The bio sentence is the affiliation: the text after the name, up to the first sentence end.
    let bio = text
        .find(&name_text)
        .map_or(text, |i| &text[i + name_text.len()..]);
    let bio = bio.trim_start_matches(|c: char| !c.is_alphanumeric());
    let sentence_end = bio.find(". ").map_or(bio.len(), |i| i + 1);
    let sentence = bio[..sentence_end].trim();
    if !sentence.is_empty() && sentence.chars().count() <= 300 && !sentence.contains('@') {
        card.affiliations.push(sentence.to_string());
    }
    Some(card)
}

/// `("X", "@handle")` for links to social profiles.
fn social_handle(href: &str) -> Option<(&'static str, String)> {
    for (host, label) in [
        ("twitter.com/", "X"),
        ("x.com/", "X"),
        ("linkedin.com/in/", "LinkedIn"),
        ("mastodon", "Mastodon"),
    ] {
        if let Some(i) = href.find(host) {
            let handle = href[i + host.len()..]
                .trim_matches('/')
                .split(['/', '?'])
                .next()
                .unwrap_or("");
            if !handle.is_empty() && !matches!(handle, "share" | "intent" | "home") {
                let handle = if label == "X" {
                    format!("@{handle}")
                } else {
                    handle.to_string()
                };
                return Some((label, handle));
            }
        }
    }
    None
}
