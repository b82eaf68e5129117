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

#[derive(Default)]
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
    /// Every `promo` and `call` row, "subscribe" and "sign", for
    /// [`may_promote`]'s single pass.
    anchors: Option<aho_corasick::AhoCorasick>,
}

/// The card-line kind a row's first column names.
fn label_kind(kind: &str) -> Option<LabelKind> {
    Some(match kind {
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
        _ => return None,
    })
}

fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| {
        let mut l = Labels::default();
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
            // The promotion rows are compared with text in plain lower
            // case ([`plain_lower`]); the older rows as they are written.
            let (list, plain) = match kind {
                "prompt" => (&mut l.prompts, false),
                "call" => (&mut l.calls, false),
                "follow" => (&mut l.follows, false),
                "promo" => (&mut l.promos, true),
                "offer" => (&mut l.offers, true),
                "cue" => (&mut l.cues, true),
                "lead" => (&mut l.leads, true),
                "note" => (&mut l.notes, true),
                "furniture" => (&mut l.furniture, true),
                "furniture-lead" => (&mut l.furniture_leads, true),
                other => {
                    if let Some(kind) = label_kind(other) {
                        l.kinds.entry(label).or_insert(kind);
                    }
                    continue;
                }
            };
            list.push(if plain { plain_lower(&label) } else { label });
        }
        let words = ["subscribe".to_string(), "sign".to_string()];
        l.anchors =
            aho_corasick::AhoCorasick::new(l.promos.iter().chain(&l.calls).chain(&words)).ok();
        l
    })
}

/// Text in lower case with straight apostrophes, as the promotion rows
/// are compared with it.
pub fn plain_lower(text: &str) -> String {
    text.to_lowercase().replace('\u{2019}', "'")
}

/// The words of plain lower-case text: letters and digits, with the
/// apostrophes and hyphens inside them.
fn plain_words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
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

/// Whether a paragraph, in plain lower case ([`plain_lower`]), holds
/// anything that [`is_promotion`] looks for: one pass over the text for
/// every `promo` and `call` row and the words "subscribe" and "sign", so
/// that the sentences of the rest (nearly every paragraph) are never
/// looked at.
pub fn may_promote(lower: &str) -> bool {
    labels().anchors.as_ref().is_none_or(|a| a.is_match(lower))
}

/// Longest paragraph (in words) that a `furniture-lead` row can open.
const FURNITURE_WORDS: usize = 8;

/// Whether a whole paragraph is page furniture a dump kept: an ad slot,
/// a share button's residue, a label, a syndication notice or a picture
/// credit (`furniture` and `furniture-lead` rows).
pub fn is_furniture(paragraph: &str) -> bool {
    // Every row is shorter: a paragraph of prose leaves after a few words,
    // not after lower-casing all of it. (One more word is allowed, as the
    // closing punctuation trimmed below may join the last word to the one
    // before or take it away.)
    if more_words_than(paragraph, FURNITURE_WORDS + 1) {
        return false;
    }
    let l = labels();
    let lower = plain_lower(paragraph.trim().trim_end_matches([':', '.', '!', ' ']));
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    words.dedup();
    let once = words.join(" ");
    l.furniture.contains(&once)
        || (words.len() <= FURNITURE_WORDS
            && l.furniture_leads
                .iter()
                .any(|f| once.starts_with(f.as_str())))
}

/// Whether `text` has more than `n` words, a word said again right after
/// itself (case and apostrophes aside) counting once, as [`is_furniture`]
/// counts them.
fn more_words_than(text: &str, n: usize) -> bool {
    let mut count = 0;
    let mut last = String::new();
    for word in text.split_whitespace() {
        let word = plain_lower(word);
        if word != last {
            count += 1;
            if count > n {
                return true;
            }
            last = word;
        }
    }
    false
}

/// Whether a paragraph is a note the outlet set into the piece ("Editor's
/// note: …", "[…]"), which goes whole when it promotes.
pub fn is_inserted_note(paragraph: &str) -> bool {
    let p = paragraph.trim();
    if p.starts_with('[') && p.ends_with(']') {
        return true;
    }
    let lower = plain_lower(p.trim_start_matches(|c: char| !c.is_alphanumeric()));
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
    let lower = plain_lower(sentence);
    if l.promos.iter().any(|p| lower.contains(p.as_str())) {
        return true;
    }
    let words: Vec<&str> = plain_words(&lower).collect();
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
    let mut beyond = plain_words(&rest[call.len()..]).peekable();
    beyond.peek().is_none() || offers || beyond.any(|w| l.cues.iter().any(|c| c == w))
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
        // is_furniture stops counting words past the longest row.
        let l = labels();
        for row in l.furniture.iter().chain(&l.furniture_leads) {
            assert!(row.split_whitespace().count() <= FURNITURE_WORDS, "{row}");
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
