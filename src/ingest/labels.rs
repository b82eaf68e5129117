//! Label words of author-card lines and header prompts in every language,
//! from the data file `ingest/data/card_labels.tsv` (compiled in). A card
//! line is `Label: value`; the label says what the value is. The research-ID
//! schemes are named the same everywhere; contact and prompt words are
//! listed for the 18 stemmer languages plus Ukrainian, Polish, Chinese and
//! Japanese.

use std::collections::HashMap;
use std::sync::OnceLock;

/// What a labelled card line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// An ORCID.
    Orcid,
    /// A Scopus author id.
    Scopus,
    /// A Web of Science ResearcherID.
    ResearcherId,
    /// A SPIN code of the Russian science index.
    Spin,
    /// A Google Scholar profile id.
    Scholar,
    /// An e-mail address (personal contact data).
    Email,
    /// A telephone number (personal contact data).
    Phone,
    /// A postal address (personal contact data).
    Address,
    /// A personal website.
    Website,
    /// A social-network handle.
    Handle,
}

impl LabelKind {
    /// The key under which a research id is kept in `AuthorCard::ids`.
    pub fn id_key(self) -> Option<&'static str> {
        match self {
            LabelKind::Scopus => Some("Scopus AuthorID"),
            LabelKind::ResearcherId => Some("ResearcherID"),
            LabelKind::Spin => Some("SPIN RSCI"),
            LabelKind::Scholar => Some("Google Scholar"),
            _ => None,
        }
    }
}

const DATA: &str = include_str!("data/card_labels.tsv");

struct Labels {
    kinds: HashMap<String, LabelKind>,
    prompts: Vec<String>,
    calls: Vec<String>,
    follows: Vec<String>,
    promos: Vec<String>,
    offers: Vec<String>,
    cues: Vec<String>,
    leads: Vec<String>,
    notes: Vec<String>,
    furniture: Vec<String>,
    furniture_leads: Vec<String>,
}

fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| {
        let mut kinds = HashMap::new();
        let mut prompts = Vec::new();
        let mut calls = Vec::new();
        let mut follows = Vec::new();
        let mut promos = Vec::new();
        let mut offers = Vec::new();
        let mut cues = Vec::new();
        let mut leads = Vec::new();
        let mut notes = Vec::new();
        let mut furniture = Vec::new();
        let mut furniture_leads = Vec::new();
        for line in DATA
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut cols = line.split('\t');
            let (Some(kind), Some(_lang), Some(label)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let label = label.trim().to_lowercase();
            let kind = match kind {
                "orcid" => LabelKind::Orcid,
                "scopus" => LabelKind::Scopus,
                "researcherid" => LabelKind::ResearcherId,
                "spin" => LabelKind::Spin,
                "scholar" => LabelKind::Scholar,
                "email" => LabelKind::Email,
                "phone" => LabelKind::Phone,
                "address" => LabelKind::Address,
                "website" => LabelKind::Website,
                "handle" => LabelKind::Handle,
                "prompt" => {
                    prompts.push(label);
                    continue;
                }
                "call" => {
                    calls.push(label);
                    continue;
                }
                "follow" => {
                    follows.push(label);
                    continue;
                }
                "promo" | "offer" | "cue" | "lead" | "note" | "furniture" | "furniture-lead" => {
                    let list = match kind {
                        "promo" => &mut promos,
                        "offer" => &mut offers,
                        "cue" => &mut cues,
                        "lead" => &mut leads,
                        "furniture" => &mut furniture,
                        "furniture-lead" => &mut furniture_leads,
                        _ => &mut notes,
                    };
                    list.push(label.replace('\u{2019}', "'"));
                    continue;
                }
                _ => continue,
            };
            kinds.entry(label).or_insert(kind);
        }
        Labels {
            kinds,
            prompts,
            calls,
            follows,
            promos,
            offers,
            cues,
            leads,
            notes,
            furniture,
            furniture_leads,
        }
    })
}

/// Splits `Label: value` (also `Label : value` and the full-width `：`) and
/// names the label's kind. `None` for unknown labels.
pub fn labelled(line: &str) -> Option<(LabelKind, &str, &str)> {
    let (label, value) = line.split_once([':', '：'])?;
    let key = label.trim().to_lowercase();
    let kind = *labels().kinds.get(&key)?;
    Some((kind, label.trim(), value.trim()))
}

/// Whether a short line holds a newsletter or follow prompt in one of the
/// listed languages.
pub fn is_prompt(lower: &str) -> bool {
    labels().prompts.iter().any(|p| lower.contains(p.as_str()))
}

/// Whether a short line points to accounts on a social network: it opens
/// with a follow word (`follow` rows), names a network, and has at most 10
/// other words — the networks and handles it lists do not count, so "Follow
/// The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and
/// Instagram." is one.
pub fn is_follow_line(line: &str) -> bool {
    let lower = line.to_lowercase();
    let mut words = lower.split_whitespace();
    let first = words.next().unwrap_or("");
    let is_handle = |w: &str| w.trim_start_matches(['(', '[']).starts_with('@');
    line.split_whitespace()
        .filter(|w| !is_network(w) && !is_handle(w))
        .count()
        <= 10
        && labels().follows.iter().any(|f| first == f.as_str())
        && line.split_whitespace().any(is_network)
}

/// Whether a word names a social network (a `handle` label: `X`,
/// `Facebook`, `Telegram`, …).
pub fn is_network(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    labels().kinds.get(&w) == Some(&LabelKind::Handle)
}

/// Whether a paragraph opens with a call to the reader (sign up,
/// subscribe, follow, write to the editor) in one of the listed languages.
pub fn opens_with_call(lower: &str) -> bool {
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    labels().calls.iter().any(|c| lower.starts_with(c.as_str()))
}

/// Whether a paragraph, in lower case with straight apostrophes, holds
/// anything that [`is_promotion`] looks for: one pass over the text for
/// every `promo` and `call` row and the words "subscribe" and "sign", so
/// that the sentences of the rest (nearly every paragraph) are never
/// looked at.
pub fn may_promote(lower: &str) -> bool {
    static ANCHORS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(|| {
        let l = labels();
        let words = ["subscribe".to_string(), "sign".to_string()];
        let patterns = l.promos.iter().chain(&l.calls).chain(&words);
        aho_corasick::AhoCorasick::new(patterns).ok()
    });
    anchors.as_ref().is_none_or(|a| a.is_match(lower))
}

/// Longest paragraph (in words) that a `furniture-lead` row can open.
const FURNITURE_WORDS: usize = 8;

/// Whether a whole paragraph is page furniture a dump kept: an ad slot,
/// a share button's residue, a label, a syndication notice or a picture
/// credit (`furniture` and `furniture-lead` rows).
pub fn is_furniture(paragraph: &str) -> bool {
    let l = labels();
    let lower = paragraph
        .trim()
        .trim_end_matches([':', '.', '!', ' '])
        .to_lowercase()
        .replace('\u{2019}', "'");
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    words.dedup();
    let once = words.join(" ");
    l.furniture.contains(&once)
        || (words.len() <= FURNITURE_WORDS
            && l.furniture_leads
                .iter()
                .any(|f| once.starts_with(f.as_str())))
}

/// Whether a paragraph is a note the outlet set into the piece ("Editor's
/// note: …", "[…]"), which goes whole when it promotes.
pub fn is_inserted_note(paragraph: &str) -> bool {
    let p = paragraph.trim();
    if p.starts_with('[') && p.ends_with(']') {
        return true;
    }
    let lower = p
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('\u{2019}', "'");
    labels().notes.iter().any(|n| lower.starts_with(n.as_str()))
}

/// Whether a sentence is the outlet promoting itself: it holds a `promo`
/// phrase; or it asks to subscribe or sign up and names an `offer`; or it
/// opens with a call (after a `lead`: "Click here to", "You can") and holds
/// a cue or an offer, or is the call alone ("Subscribe!"). "Sign up for an
/// open borders policy, however, and vetting becomes nonexistent" argues,
/// and "to which they do not subscribe" does not ask.
pub fn is_promotion(sentence: &str) -> bool {
    let l = labels();
    let lower = sentence.to_lowercase().replace('\u{2019}', "'");
    if l.promos.iter().any(|p| lower.contains(p.as_str())) {
        return true;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let has = |list: &[String]| words.iter().any(|w| list.iter().any(|x| x == w));
    let offers = has(&l.offers);
    let asks = words.contains(&"subscribe") || words.windows(2).any(|w| w == ["sign", "up"]);
    if offers && asks {
        return true;
    }
    let mut rest = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    for lead in &l.leads {
        if let Some(after) = rest.strip_prefix(lead.as_str()) {
            rest = after.trim_start();
            break;
        }
    }
    // The call as whole words: "Subscribers to our service" is no call.
    let Some(call) = l.calls.iter().find(|c| {
        rest.strip_prefix(c.as_str()).is_some_and(|after| {
            !c.ends_with(char::is_alphanumeric) || !after.starts_with(char::is_alphanumeric)
        })
    }) else {
        return false;
    };
    let beyond: Vec<&str> = rest[call.len()..]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    beyond.is_empty() || offers || beyond.iter().any(|w| l.cues.iter().any(|c| c == w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_many_languages() {
        assert_eq!(
            labelled("E-Mail: a@example.org").map(|l| l.0),
            Some(LabelKind::Email)
        );
        assert_eq!(
            labelled("Courriel : a@example.org").map(|l| l.0),
            Some(LabelKind::Email)
        );
        assert_eq!(labelled("Tél. : 00").map(|l| l.0), Some(LabelKind::Phone));
        assert_eq!(
            labelled("Anschrift: Weg 1").map(|l| l.0),
            Some(LabelKind::Address)
        );
        assert_eq!(
            labelled("住所：東京").map(|l| l.0),
            Some(LabelKind::Address)
        );
        assert_eq!(
            labelled("SPIN-код: 0000").map(|l| l.0),
            Some(LabelKind::Spin)
        );
        assert_eq!(
            labelled("Google Scholar: AbC").map(|l| l.0),
            Some(LabelKind::Scholar)
        );
        assert_eq!(labelled("Gastbeitrag"), None);
        assert_eq!(labelled("Note: something"), None);
        assert!(is_prompt("abonnieren sie unseren verteiler"));
        assert!(!is_prompt("die gemeinde"));
    }

    #[test]
    fn every_row_is_read() {
        let rows = DATA
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        let l = labels();
        assert!(rows > 200);
        let kinds = DATA
            .lines()
            .filter(|r| !r.starts_with('#') && !r.starts_with("prompt"))
            .filter(|r| !r.starts_with("call") && !r.starts_with("follow"))
            .filter(|r| r.split('\t').count() == 3)
            .count();
        assert_eq!(
            rows,
            l.prompts.len() + l.calls.len() + l.follows.len() + kinds
        );
        assert!(is_follow_line(
            "Follow Northbank Opinion on X and Facebook."
        ));
        assert!(!is_follow_line(
            "Follow the money and you will find the donors on Facebook pages."
        ));
        assert!(is_follow_line(
            "Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram."
        ));
        assert!(opens_with_call("sign up for our newsletter"));
        assert!(opens_with_call("« abonnez-vous"));
        assert!(is_network("Facebook.") && is_network("X") && !is_network("Reform"));
        assert!(l.kinds.len() > 150);
    }

    #[test]
    fn promotions_are_told_from_argument() {
        for promo in [
            "Sign up for Porch Pass and get three new columns in your inbox every week.",
            "You will receive occasional promotional offers from the Example Daily.",
            "For more of our coverage, subscribe to the Example Hour on Apple Podcasts.",
            "Click here to sign up.",
            "You can sign up for free right here.",
            "Subscribe!",
            "Sign up now",
            "Please subscribe to keep our reporters on the water.",
            "To see the full chart, click here.",
        ] {
            assert!(is_promotion(promo), "{promo}");
        }
        for prose in [
            "Sign up for a ten-year bond, the ministry says, and the ferries will take care of themselves.",
            "Thousands of islanders sign up for the winter ferry pass each October.",
            "It is a view to which few economists subscribe.",
            "Subscribers to the old plan kept their doctors.",
            "The union newsletter printed the names of every member who crossed the line.",
            "Follow the money.",
        ] {
            assert!(!is_promotion(prose), "{prose}");
        }
    }

    #[test]
    fn notes_set_into_a_piece_are_told_by_their_opening() {
        assert!(is_inserted_note(
            "EDITOR\u{2019}S NOTE: This column is free to read."
        ));
        assert!(is_inserted_note("*Editor's note: the author replied.*"));
        assert!(is_inserted_note(
            "[Read the week's best columns every Friday.]"
        ));
        assert!(!is_inserted_note("The editor noted that nobody replied."));
    }

    #[test]
    fn furniture_is_told_by_the_whole_paragraph() {
        for furniture in [
            "Advertisement",
            "ADVERTISEMENT:",
            "Advertisement Advertisement",
            "Link Copied",
            "COPYRIGHT 2017 CREATORS.COM",
            "Photo by Ann Roe/Example Images",
        ] {
            assert!(is_furniture(furniture), "{furniture}");
        }
        for prose in [
            "The advertisement ran during the final.",
            "Copyright law was never meant to protect a recipe, however famous the cook who wrote it down.",
            "Ad hoc rules make bad law.",
        ] {
            assert!(!is_furniture(prose), "{prose}");
        }
    }
}
