//! Reader for scraped plain-text op-ed pages (the layout family of the seed).
//!
//! Layout, top to bottom: a title line; a rubric line; newsletter prompts; one
//! or more author cards (name, affiliation lines, research ids, contacts);
//! body paragraphs separated by blank lines; optionally a last line naming the
//! outlet where the column first ran. Everything before the first prose
//! paragraph is header: it yields metadata and never reaches the body. The
//! rules are line-shape heuristics (no library parses this family); each is
//! named after what it recognises.

use super::contacts;
use super::labels::{self, LabelKind};
use super::outlet;
use crate::article::{Article, AuthorCard};
use crate::clean;

/// Longest line (in words) that can be a rubric or an outlet line.
const SHORT_LINE_WORDS: usize = 8;

/// Parses a decoded page. Returns `None` when no body paragraph is found.
pub fn parse(text: &str) -> Option<Article> {
    let cleaned = clean::clean_lines(text);
    let lines: Vec<&str> = cleaned.split('\n').collect();
    let first = lines.iter().position(|l| !l.is_empty())?;
    let rest = &lines[first + 1..];
    let Header {
        section,
        mut cards,
        body_start,
    } = read_header(rest);
    let mut article = Article {
        title: lines[first].to_string(),
        section,
        ..Article::default()
    };
    let body_lines = &rest[body_start?..];
    let mut paras = clean::paragraphs(&body_lines.join("\n"));
    paras.retain(|p| !is_boilerplate(p));
    if paras.len() > 1 {
        let last = paras.last().map(String::as_str).unwrap_or("");
        // "The Baltic Courier, 04.11.2019": the outlet without its date,
        // and the date as the page's `published`.
        let (name, date) = outlet::split_dated(last);
        if is_outlet_line(name) {
            article.outlet = Some(name.to_string());
            article.published = date;
            paras.pop();
        }
    }
    if paras.is_empty() {
        return None;
    }
    article.body = paras.join("\n\n");
    article.authors = cards.iter().map(|c| c.name.clone()).collect();
    cards.retain(|c| {
        !c.affiliations.is_empty()
            || c.orcid.is_some()
            || !c.ids.is_empty()
            || !c.contacts.is_empty()
    });
    article.author_cards = cards;
    Some(article)
}

/// What the lines between the title and the body hold.
struct Header {
    /// The rubric.
    section: Option<String>,
    /// Author cards, in order (a byline's names are cards without details).
    cards: Vec<AuthorCard>,
    /// The first prose line, which starts the body.
    body_start: Option<usize>,
}

/// Reads the lines after the title up to the first prose line.
fn read_header(lines: &[&str]) -> Header {
    let mut header = Header {
        section: None,
        cards: Vec::new(),
        body_start: None,
    };
    let cards = &mut header.cards;
    let mut card_has_labels = false;
    let mut first_content = true;
    let mut after_blank = false;
    let mut idx = 0;
    while idx < lines.len() {
        let line = lines[idx];
        idx += 1;
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        let starts_block = std::mem::replace(&mut after_blank, false);
        if is_boilerplate(line) {
            continue;
        }
        let next = lines[idx..].iter().find(|l| !l.is_empty()).copied();
        if cards.is_empty() && is_question_prompt(line, next) {
            // The call line after the question goes with it.
            if let Some(skip) = lines[idx..].iter().position(|l| !l.is_empty()) {
                idx += skip + 1;
            }
            continue;
        }
        if first_content {
            first_content = false;
            let after = lines[idx..]
                .iter()
                .filter(|l| !l.is_empty())
                .nth(1)
                .copied();
            let next_is_prompt =
                next.is_some_and(|n| is_boilerplate(n) || is_question_prompt(n, after));
            if is_rubric(line, next_is_prompt) {
                header.section = Some(line.to_string());
                continue;
            }
        }
        if let Some(label) = CardLabel::parse(line) {
            if let Some(card) = cards.last_mut() {
                label.apply(card);
                card_has_labels = true;
            }
            continue;
        }
        if let Some(names) = byline(line) {
            for name in names {
                cards.push(AuthorCard {
                    name,
                    ..AuthorCard::default()
                });
            }
            card_has_labels = true;
            continue;
        }
        if looks_like_prose(line) {
            header.body_start = Some(idx - 1);
            break;
        }
        let opens_card = match cards.last() {
            None => looks_like_person_name(line),
            Some(card) => {
                looks_like_person_name(line)
                    && (card_has_labels || (starts_block && !card.affiliations.is_empty()))
            }
        };
        if opens_card {
            cards.push(AuthorCard {
                name: line.to_string(),
                ..AuthorCard::default()
            });
            card_has_labels = false;
        } else if let Some(card) = cards.last_mut() {
            let aff = line.trim_end_matches([';', ',']).trim();
            if !aff.is_empty() {
                card.affiliations.push(aff.to_string());
            }
        }
    }
    header
}

/// Newsletter prompts, share bars and similar lines that are never content
/// (cue words in every listed language: `ingest/data/card_labels.tsv`).
fn is_boilerplate(line: &str) -> bool {
    line.split_whitespace().count() <= 14 && labels::is_prompt(&line.to_lowercase())
}

/// A prompt by its shape, in any language: before the first card, a short
/// question followed by a short line that does not end a sentence (the
/// call: "Subscribe to our list").
fn is_question_prompt(line: &str, next: Option<&str>) -> bool {
    let question = line.trim_end().ends_with(['?', '？']) && words(line).len() <= 14;
    question
        && next.is_some_and(|n| {
            words(n).len() <= SHORT_LINE_WORDS && !ends_sentence(n) && !looks_like_person_name(n)
        })
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// Lines ending like a sentence.
fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['»', '”', '"', '\'', '’', ')'])
        .ends_with(['.', '!', '?', '…', ':'])
}

/// Running text: long enough and mostly lower-case words, or a short full sentence.
fn looks_like_prose(line: &str) -> bool {
    let ws = words(line);
    let lower = ws
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_lowercase)
        })
        .count();
    let ratio = lower as f64 / ws.len().max(1) as f64;
    (ws.len() >= 8 && ratio >= 0.3) || (ws.len() >= 4 && ratio >= 0.2 && ends_sentence(line))
}

/// A rubric is the first content line when it is short and not a byline, a
/// prompt or a card name (a name is recognised by what follows it: a name
/// followed by a prompt is a rubric).
fn is_rubric(line: &str, next_is_prompt: bool) -> bool {
    if words(line).len() > SHORT_LINE_WORDS
        || looks_like_prose(line)
        || CardLabel::parse(line).is_some()
        || byline(line).is_some()
    {
        return false;
    }
    next_is_prompt || !looks_like_person_name(line)
}

/// A last paragraph that names a publication: short, no sentence ending.
fn is_outlet_line(p: &str) -> bool {
    let n = words(p).len();
    (1..=SHORT_LINE_WORDS).contains(&n)
        && p.chars().count() <= 80
        && !ends_sentence(p)
        && !p.ends_with(',')
        && p.chars().any(char::is_alphabetic)
        && p.chars().next().is_some_and(|c| !c.is_lowercase())
}

/// Words that mark a line as an organisation, position or rubric, not a person.
const NOT_NAME_WORDS: &[&str] = &[
    "university",
    "institute",
    "school",
    "faculty",
    "department",
    "college",
    "academy",
    "club",
    "center",
    "centre",
    "council",
    "foundation",
    "affairs",
    "research",
    "professor",
    "director",
    "fellow",
    "editor",
    "chair",
    "head",
    "dean",
    "lecturer",
    "president",
    "society",
    "association",
    "committee",
    "ministry",
    "review",
    "journal",
    "column",
    "opinion",
    "analysis",
    "commentary",
    "editorial",
    "news",
    "times",
    "press",
    "group",
    "bank",
    "company",
    "agency",
    "programme",
    "program",
    "initiative",
    "project",
    "office",
    "economics",
    "politics",
    "studies",
    "science",
    "sciences",
    "international",
    "national",
    "global",
    "world",
    "relations",
    "laboratory",
    "senior",
    "chief",
    "associate",
    "assistant",
    "member",
    "board",
    "contributor",
    "columnist",
    "университет",
    "институт",
    "факультет",
    "кафедра",
    "академия",
    "клуб",
    "центр",
    "совет",
    "фонд",
    "профессор",
    "директор",
    "редактор",
    "колонка",
    "вестник",
    "журнал",
    "сотрудник",
];

/// A person's name: 2–5 capitalised words or initials, no digits, no organisation words.
fn looks_like_person_name(line: &str) -> bool {
    let ws = words(line);
    if !(2..=5).contains(&ws.len())
        || line.chars().count() > 60
        || line
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, ':' | '@' | ',' | ';' | '/'))
    {
        return false;
    }
    ws.iter().all(|w| {
        let bare = w.trim_matches(|c: char| !c.is_alphabetic());
        let lower = bare.to_lowercase();
        if bare.is_empty() || NOT_NAME_WORDS.contains(&lower.as_str()) {
            return false;
        }
        crate::ingest::authors::PARTICLES.contains(&lower.as_str())
            || bare.chars().next().is_some_and(char::is_uppercase)
    })
}

/// "By A and B" / "By A, B" bylines.
fn byline(line: &str) -> Option<Vec<String>> {
    let rest = ["By ", "by ", "Автор: ", "Авторы: "]
        .iter()
        .find_map(|p| line.strip_prefix(p))?;
    let names = crate::ingest::authors::split_byline(rest);
    (!names.is_empty()).then_some(names)
}

/// A labelled line of an author card.
#[derive(Debug, PartialEq)]
enum CardLabel {
    Orcid(String),
    Id(&'static str, String),
    OtherId(String, String),
    Email(String),
    Phone(String),
    Address(String),
    Website(String),
    Handle(String),
}

impl CardLabel {
    fn parse(line: &str) -> Option<CardLabel> {
        if let Some(orcid) = orcid_in(line).filter(|_| line.to_lowercase().contains("orcid")) {
            return Some(CardLabel::Orcid(orcid));
        }
        if let Some((kind, label, value)) = labels::labelled(line) {
            if value.is_empty() {
                return None;
            }
            let value = value.to_string();
            return Some(match kind {
                LabelKind::Orcid => CardLabel::Orcid(orcid_in(&value).unwrap_or(value)),
                LabelKind::Email => CardLabel::Email(value),
                LabelKind::Phone => CardLabel::Phone(value),
                LabelKind::Address => CardLabel::Address(value),
                LabelKind::Website => CardLabel::Website(value),
                LabelKind::Handle if value.starts_with('@') || value.contains('/') => {
                    CardLabel::Handle(value)
                }
                LabelKind::Handle => CardLabel::OtherId(label.to_string(), value),
                other => match other.id_key() {
                    Some(key) => CardLabel::Id(key, value),
                    None => CardLabel::OtherId(label.to_string(), value),
                },
            });
        }
        // Language-independent evidence: a short label whose value is an
        // e-mail address, a phone number, a handle or an id.
        let (label, value) = line.split_once([':', '：'])?;
        let value = value.trim().to_string();
        let key = label.trim().to_lowercase();
        if value.is_empty() || key.starts_with("http") || key.split_whitespace().count() > 3 {
            return None;
        }
        if contacts::has_email(&value)
            && contacts::emails(&value).len() == 1
            && value.split_whitespace().count() == 1
        {
            return Some(CardLabel::Email(value));
        }
        if contacts::has_phone(&value) && !value.chars().any(char::is_alphabetic) {
            return Some(CardLabel::Phone(value));
        }
        if value.contains('@') || value.chars().filter(char::is_ascii_digit).count() >= 4 {
            return Some(CardLabel::OtherId(label.trim().to_string(), value));
        }
        None
    }

    fn apply(self, card: &mut AuthorCard) {
        match self {
            CardLabel::Orcid(v) => card.orcid = Some(v),
            CardLabel::Id(k, v) => {
                card.ids.insert(k.to_string(), v);
            }
            CardLabel::OtherId(k, v) => {
                card.ids.insert(k, v);
            }
            CardLabel::Email(v) => card.contacts.email = Some(v),
            CardLabel::Phone(v) => card.contacts.phone = Some(v),
            CardLabel::Address(v) => card.contacts.address = Some(v),
            CardLabel::Website(v) => card.website = Some(v),
            CardLabel::Handle(v) => card.handle = Some(v),
        }
    }
}

/// Finds an ORCID (`0000-0003-1364-4094`) in a line.
fn orcid_in(line: &str) -> Option<String> {
    let bytes = line.as_bytes();
    (0..bytes.len().saturating_sub(18)).find_map(|i| {
        let cand = line.get(i..i + 19)?;
        let ok = cand.char_indices().all(|(j, c)| match j {
            4 | 9 | 14 => c == '-',
            18 => c.is_ascii_digit() || c == 'X',
            _ => c.is_ascii_digit(),
        });
        ok.then(|| cand.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Title here\nOpinion\nWant to know more about cities?\nSubscribe to our distribution list\n\
Jane Q. Doe\n\nInstitute of Examples\nSenior Fellow;\n\nORCID: 0000-0002-1825-0097\nE-mail: jane@example.org\n\
Tel.: +1 000 000 0000\nAddress: 1 Example Road\n\nThe first paragraph of the body is long enough to be prose text here.\n\n\
Second paragraph ends the piece.\n\nThe Example Times\n";

    #[test]
    fn parses_layout() {
        let a = parse(PAGE).unwrap();
        assert_eq!(a.title, "Title here");
        assert_eq!(a.section.as_deref(), Some("Opinion"));
        assert_eq!(a.authors, vec!["Jane Q. Doe"]);
        assert_eq!(a.outlet.as_deref(), Some("The Example Times"));
        let card = &a.author_cards[0];
        assert_eq!(
            card.affiliations,
            vec!["Institute of Examples", "Senior Fellow"]
        );
        assert_eq!(card.orcid.as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(card.contacts.email.as_deref(), Some("jane@example.org"));
        assert!(a.body.starts_with("The first paragraph"));
        assert!(a.body.ends_with("ends the piece."));
        assert!(!a.body.contains("example.org"));
    }

    #[test]
    fn names_and_orgs() {
        assert!(looks_like_person_name("Fyodor A. Lukyanov"));
        assert!(looks_like_person_name("Ludwig van Beethoven"));
        assert!(!looks_like_person_name("Valdai Discussion Club"));
        assert!(!looks_like_person_name("Research Director"));
        assert!(!looks_like_person_name("Moscow, Russia"));
    }

    #[test]
    fn orcid_forms() {
        assert_eq!(
            orcid_in("https://orcid.org/0000-0002-1694-233X").as_deref(),
            Some("0000-0002-1694-233X")
        );
        assert_eq!(orcid_in("ORCID: 12"), None);
    }

    #[test]
    fn bylines_split_into_people() {
        assert_eq!(
            byline("By Jane Q. Doe and John Roe, Staff Writers"),
            Some(vec!["Jane Q. Doe".to_string(), "John Roe".to_string()])
        );
        assert_eq!(byline("Автор: Анна Белова").unwrap(), vec!["Анна Белова"]);
        assert_eq!(byline("Bystander effects"), None);
    }

    #[test]
    fn no_body_is_none() {
        assert!(parse("Only a title").is_none());
        assert!(parse("").is_none());
    }
}
