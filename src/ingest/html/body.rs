//! The article body: paragraphs from the extractor's text, then op-ed rules
//! the extractor lacks: boilerplate paragraphs (newsletter prompts, share
//! bars, image credits, cookie notices, calls to follow the outlet's social
//! channels) and syndication lines ("This article
//! first appeared in …"), which name the outlet and leave the body.

use dom_query::Document;

use crate::clean::collapse;

/// Elements that pages use to hold the article text, most specific first.
const CONTAINERS: [&str; 6] = [
    "[itemprop=articleBody]",
    "[class*=article-body], [class*=articleBody], [class*=article__body]",
    "[class*=entry-content]",
    "[class*=post-content]",
    "[class*=story-body]",
    "article",
];

/// One of the page's own article containers: its whole text and its `<p>` paragraphs.
pub struct Container {
    text: String,
    paras: Vec<String>,
}

/// The page's own article containers: all elements of each kind in
/// [`CONTAINERS`] together (`<article>` only when the page has exactly one). JSON-LD
/// `articleBody` is not used: sites often truncate it, which would cut the
/// article short.
pub fn containers(doc: &Document) -> Vec<Container> {
    let mut out = Vec::new();
    for sel in CONTAINERS {
        let found = doc.select(sel);
        if sel == "article" && found.length() != 1 {
            continue;
        }
        // Pages split one article into several sections of the same kind.
        let node = found;
        let text = collapse(&node.text());
        if text.chars().count() >= MIN_CONTAINER_CHARS {
            let paras = node
                .select("p")
                .iter()
                .map(|p| collapse(&p.text()))
                .filter(|p| !p.is_empty())
                .collect();
            out.push(Container { text, paras });
        }
    }
    out
}

/// A container shorter than this is a teaser or a caption, not the article.
const MIN_CONTAINER_CHARS: usize = 300;

/// When the extractor took in more than the page's own article container
/// (navigation, teasers, a whole-page fallback), keeps only its paragraphs
/// that lie inside the container. A container must account for most of its
/// own text (so it is the article, not a fragment) and remove at least a
/// fifth of the body to be used.
pub fn narrow(paras: &mut Vec<String>, containers: &[Container]) {
    let total: usize = paras.iter().map(|p| p.len()).sum();
    for c in containers {
        let kept: Vec<bool> = paras.iter().map(|p| inside(p, &c.text)).collect();
        let kept_len: usize = paras
            .iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|(p, _)| p.len())
            .sum();
        // What leaves must read as page furniture (short lines), not prose:
        // a container that is only part of the article would cut prose.
        let removed_prose: usize = paras
            .iter()
            .zip(&kept)
            .filter(|(p, k)| !**k && p.len() >= 200)
            .map(|(p, _)| p.len())
            .sum();
        let removed = total - kept_len;
        if kept_len * 2 >= c.text.len()
            && kept_len * 5 <= total * 4
            && kept_len > 0
            && removed_prose * 10 <= removed * 3
        {
            let mut k = kept.into_iter();
            paras.retain(|_| k.next().unwrap_or(true));
            return;
        }
    }
    // A whole-page fallback comes as a few huge lines that no container
    // holds; then the container's own paragraphs are the article, if the
    // extractor's text holds nearly all of them and much besides.
    if paras.iter().all(|p| p.len() < 2000) {
        return;
    }
    let joined = paras.join(" ");
    for c in containers {
        let own: usize = c.paras.iter().map(|p| p.len()).sum();
        let found: usize = c
            .paras
            .iter()
            .filter(|p| joined.contains(p.as_str()))
            .map(|p| p.len())
            .sum();
        if own >= 500 && found * 10 >= own * 9 && total * 2 >= own * 3 {
            *paras = c
                .paras
                .iter()
                .filter(|p| joined.contains(p.as_str()))
                .cloned()
                .collect();
            return;
        }
    }
}

/// Whether a paragraph's text occurs in a container's text (its start, for long paragraphs).
fn inside(p: &str, container: &str) -> bool {
    if container.contains(p) {
        return true;
    }
    let head: String = p.chars().take(80).collect();
    head.chars().count() >= 40 && container.contains(&head)
}

/// Paragraphs of the extractor's text: one per non-blank line.
pub fn paragraphs_from_text(text: &str) -> Vec<String> {
    text.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Removes boilerplate paragraphs; returns the outlet named by a syndication line, if any.
pub fn clean(paras: &mut Vec<String>) -> Option<String> {
    let mut outlet = None;
    paras.retain(|p| {
        if let Some(o) = syndication_outlet(p) {
            outlet.get_or_insert(o);
            return false;
        }
        !is_boilerplate(p)
    });
    // Consecutive duplicates come from responsive layouts that print a block twice.
    paras.dedup();
    outlet
}

/// Section labels that head related links, share bars, comment forms and
/// paywall prompts, lower case, in the languages of the benchmark pages. A
/// paragraph of at most [`LABEL_MAX_WORDS`] words that opens with one is
/// furniture.
const LABELS: [&str; 68] = [
    "related articles",
    "related posts",
    "related stories",
    "you may also like",
    "you might also like",
    "recommended for you",
    "leave a comment",
    "leave a reply",
    "like it? share it",
    "was this article helpful",
    "we want to hear what you think",
    "to view the full story",
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte beiträge",
    "verwandte artikel",
    "weitere artikel",
    "weitere beiträge",
    "auch interessant",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das thema könnte dich auch interessieren",
    "das thema könnte sie auch interessieren",
    "lesen sie auch",
    "mehr zum thema",
    "mehr themen",
    "meistgelesen",
    "meistdiskutiert",
    "empfohlene beiträge",
    "empfohlene artikel",
    "schreibe einen kommentar",
    "kommentar schreiben",
    "artikel teilen",
    "seite teilen",
    "beitrag teilen",
    "möchten sie den artikel teilen",
    "war der artikel nützlich",
    "war dieser artikel hilfreich",
    "möchten sie weiterlesen",
    "wir respektieren deine privatsphäre",
    "wir respektieren ihre privatsphäre",
    "anzeige -",
    "anzeige:",
    "à lire aussi",
    "lire aussi",
    "sur le même sujet",
    "articles similaires",
    "crédits photos",
    "crédit photo",
    "te puede interesar",
    "lee también",
    "artículos relacionados",
    "noticias relacionadas",
    "leggi anche",
    "articoli correlati",
    "lees ook",
    "gerelateerde artikelen",
    "czytaj także",
    "zobacz także",
    "podobne artykuły",
    "see also:",
    "read also:",
    "about the author",
    "über den autor",
    "über die autorin",
    "à propos de l'auteur",
    "sobre el autor",
    "o autorze",
];

/// Paragraphs that are one of these words and nothing else are furniture
/// (as a prefix they would also catch real headings: "Partager les richesses").
const LONE_LABELS: [&str; 11] = [
    "weiterlesen",
    "kommentieren",
    "teilen",
    "inhaltsverzeichnis",
    "permalien",
    "permalink",
    "partager",
    "compartir",
    "condividi",
    "share",
    "anzeige",
];

/// The most words a paragraph opening with a [`LABELS`] entry may have.
const LABEL_MAX_WORDS: usize = 10;

/// Short paragraphs that are page furniture, not prose.
fn is_boilerplate(p: &str) -> bool {
    if p.split_whitespace().count() <= LABEL_MAX_WORDS {
        let lower = p.trim().to_lowercase();
        let bare = lower.trim_end_matches([':', '!', '?', '.', '…', ' ']);
        if LONE_LABELS.contains(&bare) || LABELS.iter().any(|l| lower.starts_with(l)) {
            return true;
        }
    }
    const CUES: [&str; 24] = [
        "sign up for",
        "sign up to",
        "subscribe to our",
        "subscribe now",
        "newsletter",
        "share this article",
        "share on facebook",
        "share on twitter",
        "follow us on",
        "click here to",
        "we use cookies",
        "this site uses cookies",
        "accept cookies",
        "all rights reserved",
        "getty images",
        "photo credit",
        "image credit",
        "image:",
        "photo:",
        "advertisement",
        "read more:",
        "related:",
        "recommended:",
        "copyright ©",
    ];
    let words = p.split_whitespace().count();
    if words > 40 {
        return false;
    }
    let lower = p.to_lowercase();
    if words <= 25 && CUES.iter().any(|c| lower.contains(c)) {
        return true;
    }
    if words <= 25 && numbered_caption(&lower) {
        return true;
    }
    if words <= 8 && agency_credit(p) {
        return true;
    }
    promotes_channel(&lower)
}

/// Labels of numbered figure and table captions, lower case.
const CAPTION_LABELS: [&str; 10] = [
    "abbildung",
    "abb.",
    "figure",
    "fig.",
    "grafik",
    "tabelle",
    "table",
    "illustration",
    "rysunek",
    "tableau",
];

/// A caption that numbers its figure: "Abbildung 4: …", "Fig. 2. …".
fn numbered_caption(lower: &str) -> bool {
    CAPTION_LABELS.iter().any(|l| {
        let Some(rest) = lower.strip_prefix(l) else {
            return false;
        };
        let rest = rest.trim_start();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with([':', '.'])
    })
}

/// A photo credit in capitals with a slash: "AFP / ANN ROE", "DPA/PICTURE ALLIANCE".
fn agency_credit(p: &str) -> bool {
    p.contains('/')
        && p.split_whitespace().count() >= 2
        && p.chars().filter(|c| c.is_alphabetic()).count() >= 6
        && !p.chars().any(char::is_lowercase)
}

/// Social networks, messengers and app platforms, lower case.
const CHANNELS: [&str; 10] = [
    "twitter",
    "facebook",
    "instagram",
    "telegram",
    "whatsapp",
    "youtube",
    "tiktok",
    "linkedin",
    "ios",
    "android",
];

/// Phrases that address the reader about the outlet's own channels, lower
/// case, in the languages of the benchmark pages.
const OWN_CHANNEL: [&str; 16] = [
    "follow us",
    "join us",
    "join our",
    "our channel",
    "our app",
    "síguenos",
    "únete",
    "suscríbete",
    "nuestro canal",
    "folge uns",
    "folgen sie uns",
    "unser kanal",
    "suivez-nous",
    "rejoignez-nous",
    "notre chaîne",
    "seguici",
];

/// Word stems of a call to follow, join, download or subscribe.
const CALL_STEMS: [&str; 12] = [
    "follow",
    "join",
    "download",
    "subscribe",
    "install",
    "descarga",
    "abonn",
    "folg",
    "suiv",
    "télécharg",
    "obserwuj",
    "pobierz",
];

/// A short paragraph that asks the reader to follow the outlet on a social
/// network or install its app ("Follow the Review on Twitter and Instagram",
/// "download our apps for iOS and Android", "Únete a nuestro canal de
/// Telegram"): a channel name with a phrase that addresses the reader, or a
/// call word at most six words before the channel name.
fn promotes_channel(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let channel_at: Vec<usize> = (0..words.len())
        .filter(|&i| CHANNELS.contains(&words[i]))
        .collect();
    if channel_at.is_empty() {
        return false;
    }
    if OWN_CHANNEL.iter().any(|c| lower.contains(c)) {
        return true;
    }
    channel_at.iter().any(|&j| {
        words[j.saturating_sub(6)..j]
            .iter()
            .any(|w| CALL_STEMS.iter().any(|s| w.starts_with(s)))
    })
}

/// "This article first appeared in The Harbour Review." → "The Harbour Review".
pub fn syndication_outlet(p: &str) -> Option<String> {
    const OPENERS: [&str; 14] = [
        "this article first appeared in ",
        "this article first appeared on ",
        "this article originally appeared in ",
        "this article originally appeared on ",
        "this article was first published in ",
        "this article was originally published in ",
        "this article was originally published on ",
        "this piece first appeared in ",
        "this op-ed first appeared in ",
        "originally published by ",
        "originally published in ",
        "originally published at ",
        "a version of this article first appeared in ",
        "republished with permission from ",
    ];
    if p.split_whitespace().count() > 30 {
        return None;
    }
    let lower = p.to_lowercase();
    for opener in OPENERS {
        let Some(i) = lower.find(opener) else {
            continue;
        };
        // Only when the line opens with the cue (allowing a leading marker like "*" or "—").
        if lower[..i].chars().any(char::is_alphanumeric) {
            continue;
        }
        let start = i + opener.len();
        if !p.is_char_boundary(start) {
            continue;
        }
        let rest = &p[start..];
        let end = rest.find(['.', ',', ';', '(', '|']).unwrap_or(rest.len());
        let mut name = rest[..end].trim();
        for cut in [" on ", " and is ", " and was "] {
            if let Some(j) = name.find(cut) {
                name = name[..j].trim();
            }
        }
        let name = name.trim_matches(|c: char| c == '"' || c == '“' || c == '”' || c == '*');
        if !name.is_empty() && name.split_whitespace().count() <= 8 {
            return Some(name.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_keeps_the_container() {
        let mut p: Vec<String> = [
            "Home News Sport",
            "First real paragraph here.",
            "Second one.",
            "Most read: other story with a long teaser title",
        ]
        .map(String::from)
        .to_vec();
        let c = Container {
            text: "First real paragraph here.Second one. Share".into(),
            paras: Vec::new(),
        };
        narrow(&mut p, &[c]);
        assert_eq!(p, ["First real paragraph here.", "Second one."]);
    }

    #[test]
    fn syndication_lines() {
        assert_eq!(
            syndication_outlet("This article first appeared in The Harbour Review.").as_deref(),
            Some("The Harbour Review")
        );
        assert_eq!(
            syndication_outlet("Originally published by Lakeside Weekly on 3 May 2021.").as_deref(),
            Some("Lakeside Weekly")
        );
        assert_eq!(
            syndication_outlet("He said this article first appeared in print."),
            None
        );
    }

    #[test]
    fn section_labels_are_furniture() {
        for p in [
            "Ähnliche Beiträge",
            "Das Thema könnte dich auch interessieren:",
            "Like it? Share it!",
            "Crédits photos : Agence",
            "Weiterlesen",
            "Inhaltsverzeichnis",
            "À lire aussi : un autre titre",
        ] {
            assert!(is_boilerplate(p), "{p}");
        }
        for p in [
            "Partager les richesses",
            "Lesen Sie auch dann weiter, wenn der Anfang schwer fällt, denn am Ende des Textes steht die eigentliche Pointe.",
            "Teilen und herrschen",
            "Related reading suggests otherwise.",
        ] {
            assert!(!is_boilerplate(p), "{p}");
        }
    }

    #[test]
    fn captions_and_credits_are_furniture() {
        for p in [
            "Abbildung 4: klassischer Aufbau einer Schicht.",
            "Fig. 2. The valley in winter",
            "Table 1: Results by region",
            "AFP / ANN ROE",
            "DPA/PICTURE ALLIANCE",
            "About the author",
        ] {
            assert!(is_boilerplate(p), "{p}");
        }
        for p in [
            "Figure skating returns to the city this winter.",
            "Table 1 shows the results, and they are clear.",
            "NATO/EU",
            "The AFP / Reuters report said otherwise.",
        ] {
            assert!(!is_boilerplate(p), "{p}");
        }
    }

    #[test]
    fn channel_promotions_are_furniture() {
        for p in [
            "Follow the Harbour Review on Twitter and Instagram @harbour and on Facebook.",
            "For the latest stories download the Harbour apps for iOS and Android.",
            "¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular.",
            "¡Mira lo que tiene nuestro canal de YouTube!",
        ] {
            assert!(is_boilerplate(p), "{p}");
        }
        for p in [
            "The minister said on Twitter that she would not follow the party line.",
            "Biologists follow the birds across the river every spring.",
            "Many users download apps without reading the terms, the study found.",
        ] {
            assert!(!is_boilerplate(p), "{p}");
        }
    }

    #[test]
    fn cleaning_drops_prompts_and_takes_outlet() {
        let mut p = vec![
            "Real text here.".to_string(),
            "Sign up for our newsletter".into(),
            "This article first appeared in Northwind Post.".into(),
        ];
        assert_eq!(clean(&mut p).as_deref(), Some("Northwind Post"));
        assert_eq!(p, ["Real text here."]);
    }
}
