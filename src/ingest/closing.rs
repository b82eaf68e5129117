//! The closing lines of a body that are not the argument: bio lines about
//! the author ("Jane Roe is a senior fellow at …. Reach her at …"), calls to
//! action ("Submit a letter to the editor or write to letters@…"),
//! newsletter, subscription and follow prompts. Dataset dumps keep them in
//! the body; pages drop most of them already.
//!
//! The rules, in any language:
//! - a short paragraph anywhere that opens with a call to the reader (`call`
//!   rows of `ingest/data/card_labels.tsv`) is a prompt and goes, and so
//!   does one of at most [`PROMO_WORDS`] words whose promoting sentences
//!   ([`labels::is_promotion`]: "Ready to fight back? Sign up for Take
//!   Action Now and get three actions in your inbox every week. …") make a
//!   third of its words, or any of it when the paragraph is a note set into
//!   the piece ("[… Sign up for his newsletter.]", "Editor's note: …"); a
//!   paragraph opening with a listed person's name is a bio line, never a
//!   prompt;
//! - from the end, at most four paragraphs: a paragraph whose first sentence
//!   opens with the name of one of the listed people is a bio line and
//!   becomes that person's [`AuthorCard`] (`bio`, `handle`, contacts); a
//!   short one that opens with a call, or carries an e-mail address or a
//!   telephone number, is the outlet's call to action and goes whole. The
//!   scan stops at the first paragraph of prose, so an argument's sentence
//!   quoting an address stays (the address itself leaves it later:
//!   [`contacts::redact`]).

use super::{contacts, labels};
use crate::article::AuthorCard;

/// Longest paragraph (in words) that can be a prompt in the middle of a body.
const PROMPT_WORDS: usize = 25;
/// Longest paragraph (in words) that can be the outlet's promotion.
const PROMO_WORDS: usize = 80;
/// Longest closing paragraph (in words) that can be a call to action.
const CALL_WORDS: usize = 45;
/// Longest closing paragraph (in words) that can be a bio line.
const BIO_WORDS: usize = 90;
/// Most closing paragraphs looked at.
const CLOSING_PARAGRAPHS: usize = 4;

/// What the closing lines said about the authors.
#[derive(Debug, Default)]
pub struct Closing {
    /// One card for each person a bio line names, in the bio's order.
    pub cards: Vec<AuthorCard>,
    /// The names the bio lines open with (as listed), in order.
    pub credited: Vec<String>,
}

/// Takes the prompts, calls to action and closing bio lines out of `body`
/// (paragraphs separated by blank lines). `names` are the people the source
/// lists as authors.
pub fn take(body: &str, names: &[String]) -> (String, Closing) {
    let mut paras: Vec<&str> = body.split("\n\n").collect();
    let mut closing = Closing::default();
    // A short call opening the body may be its lede ("Follow the money."),
    // so only a promotion leaves from there; and a body that is all
    // promotion stays as it is rather than leaving nothing.
    let kept: Vec<&str> = paras
        .iter()
        .enumerate()
        .filter(|&(i, p)| {
            !(labels::is_furniture(p) || promotes(p, names) || (i > 0 && is_prompt(p)))
        })
        .map(|(_, p)| *p)
        .collect();
    if !kept.is_empty() {
        paras = kept;
    }
    let mut looked = 0;
    while paras.len() > 1 && looked < CLOSING_PARAGRAPHS {
        looked += 1;
        let Some(&last) = paras.last() else { break };
        let n = last.split_whitespace().count();
        if n <= BIO_WORDS {
            if let Some(cards) = bio_cards(last, names) {
                for card in cards.into_iter().rev() {
                    closing.credited.insert(0, card.name.clone());
                    closing.cards.insert(0, card);
                }
                paras.pop();
                continue;
            }
        }
        if n <= CALL_WORDS && is_call(last) {
            paras.pop();
            continue;
        }
        break;
    }
    (paras.join("\n\n"), closing)
}

/// A prompt anywhere in a body: short and opening with a call.
fn is_prompt(p: &str) -> bool {
    p.split_whitespace().count() <= PROMPT_WORDS
        && (labels::opens_with_call(&p.to_lowercase()) || labels::is_follow_line(p))
}

/// The outlet promoting itself: a paragraph of at most [`PROMO_WORDS`]
/// words, not opening with a listed person's name, whose promoting
/// sentences make a third of its words (any, in an inserted note).
fn promotes(p: &str, names: &[String]) -> bool {
    let words = p.split_whitespace().count();
    if words > PROMO_WORDS || !labels::may_promote(&labels::plain_lower(p)) {
        return false;
    }
    let sentences = sentences(p);
    if sentences
        .first()
        .is_some_and(|s| opening_name(s, names).is_some())
    {
        return false;
    }
    let promoting: usize = sentences
        .iter()
        .filter(|s| labels::is_promotion(s))
        .map(|s| s.split_whitespace().count())
        .sum();
    promoting > 0 && (3 * promoting >= words || labels::is_inserted_note(p))
}

/// A closing call to action: opens with a call, names a newsletter, or is a
/// short contact paragraph (at most [`CALL_WORDS`] words, each sentence
/// holding an e-mail address or phone number at most 12: "He can be reached
/// at …", "We'd like to hear what you think. … And here's our email: …").
/// An argument's sentence that quotes an address is longer and stays.
fn is_call(p: &str) -> bool {
    let lower = p.to_lowercase();
    let words = p.split_whitespace().count();
    let contact_line = words <= CALL_WORDS
        && contacts::has_contact(p)
        && sentences(p)
            .iter()
            .filter(|s| contacts::has_contact(s))
            .all(|s| s.split_whitespace().count() <= 12);
    labels::opens_with_call(&lower)
        || labels::is_follow_line(p)
        || contact_line
        || (words <= PROMPT_WORDS && labels::is_prompt(&lower))
}

/// Sentences of a paragraph: one ends at `.`, `!` or `?` (and the closing
/// quotation marks or brackets after it) before a space and a capital
/// letter, which may stand behind an opening quotation mark or bracket
/// (`… like home." Click here …`, `… undecided. (To see …`).
fn sentences(p: &str) -> Vec<&str> {
    const CLOSERS: [char; 6] = ['"', '\'', '\u{201D}', '\u{2019}', ')', ']'];
    const OPENERS: [char; 6] = ['"', '\'', '\u{201C}', '\u{2018}', '(', '['];
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    for w in 0..chars.len() {
        if !matches!(chars[w].1, '.' | '!' | '?') {
            continue;
        }
        let mut end = w + 1;
        while chars.get(end).is_some_and(|&(_, c)| CLOSERS.contains(&c)) {
            end += 1;
        }
        if chars.get(end).is_none_or(|&(_, c)| c != ' ') {
            continue;
        }
        let mut next = end + 1;
        while chars.get(next).is_some_and(|&(_, c)| OPENERS.contains(&c)) {
            next += 1;
        }
        if chars.get(next).is_some_and(|&(_, c)| c.is_uppercase()) {
            let at = chars[end].0;
            out.push(p[start..at].trim());
            start = at;
        }
    }
    let tail = p[start..].trim();
    if !tail.is_empty() {
        out.push(tail);
    }
    out
}

/// A sentence without the marks a dump sets before a closing bio line
/// (`*Joseph Curl ran …`, `— Jane Roe is …`).
fn unmarked(sentence: &str) -> &str {
    sentence.trim_start_matches(['*', '_', '\u{2014}', '\u{2013}', ' '])
}

/// Which listed name a sentence opens with.
///
/// A bio line may also open with the first name alone and "is" ("Derek is
/// the host of a daily podcast …"), when only one listed person has it.
fn opening_name<'a>(sentence: &str, names: &'a [String]) -> Option<&'a String> {
    let sentence = unmarked(sentence);
    let opens = |head: &str| {
        sentence
            .get(..head.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(head))
    };
    let whole = names.iter().find(|name| {
        name.split_whitespace().count() >= 2
            && opens(name)
            && sentence[name.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == ' ' || c == ',' || c == '\u{2019}' || c == '\'')
    });
    if whole.is_some() {
        return whole;
    }
    fn first_name(name: &str) -> Option<&str> {
        let mut words = name.split_whitespace();
        let first = words.next()?;
        let named = first.chars().count() >= 3 && first.chars().all(char::is_alphabetic);
        (named && words.next().is_some()).then_some(first)
    }
    let mut by_first = names
        .iter()
        .filter(|name| first_name(name).is_some_and(|f| opens(&format!("{f} is "))));
    match (by_first.next(), by_first.next()) {
        (Some(name), None) => Some(name),
        _ => None,
    }
}

/// Cards from a bio paragraph, when its first sentence opens with a listed
/// name. Sentences opening with a name give that person's bio; the others
/// (contact and follow lines) give the handle and contacts of the person
/// named last.
fn bio_cards(p: &str, names: &[String]) -> Option<Vec<AuthorCard>> {
    let sentences = sentences(p);
    opening_name(sentences.first()?, names)?;
    let mut cards: Vec<AuthorCard> = Vec::new();
    for s in sentences {
        if let Some(name) = opening_name(s, names) {
            if !cards.iter().any(|c| c.name == *name) {
                cards.push(AuthorCard {
                    name: name.clone(),
                    ..AuthorCard::default()
                });
            }
        }
        let Some(card) = cards.last_mut() else {
            continue;
        };
        let handles = contacts::handles(s);
        let emails = contacts::emails(s);
        let phones = contacts::phones(s);
        if handles.is_empty() && emails.is_empty() && phones.is_empty() {
            let bio = card.bio.get_or_insert_with(String::new);
            if !bio.is_empty() {
                bio.push(' ');
            }
            bio.push_str(unmarked(s));
            continue;
        }
        if let Some(h) = handles.first() {
            card.handle.get_or_insert_with(|| h.to_string());
        }
        if let Some(e) = emails.first() {
            card.contacts.email.get_or_insert_with(|| e.to_string());
        }
        if let Some(ph) = phones.first() {
            card.contacts.phone.get_or_insert_with(|| ph.to_string());
        }
    }
    Some(cards)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn bio_and_call_leave_the_body() {
        let body = "First paragraph of the argument.\n\nThe board's only answer is an inbox, help@example.net, and it has not replied since March.\n\n\
Jane Roe is a senior fellow at the Example Institute. Reach her at jane@example.org or on X at @jane_ex.\n\n\
We want to hear what you think. Write to letters@example.com.";
        let (body, closing) = take(body, &names(&["John Doe", "Jane Roe"]));
        assert!(body.ends_with("it has not replied since March."));
        let (short, _) = take("One.\n\nHe can be reached at b.roe@example.net.", &[]);
        assert_eq!(short, "One.");
        assert_eq!(closing.credited, vec!["Jane Roe"]);
        let card = &closing.cards[0];
        assert_eq!(
            card.bio.as_deref(),
            Some("Jane Roe is a senior fellow at the Example Institute.")
        );
        assert_eq!(card.handle.as_deref(), Some("@jane_ex"));
        assert_eq!(card.contacts.email.as_deref(), Some("jane@example.org"));
    }

    #[test]
    fn two_people_in_one_bio_and_a_middle_prompt() {
        let body = "One.\n\nSign up for the Morning newsletter.\n\nTwo.\n\n\
Ann Lee teaches at a school. Bo Kim runs a shop. Contact them at (555) 000-0162.";
        let (body, closing) = take(body, &names(&["Ann Lee", "Bo Kim", "Cy Moe"]));
        assert_eq!(body, "One.\n\nTwo.");
        assert_eq!(closing.credited, vec!["Ann Lee", "Bo Kim"]);
        assert_eq!(
            closing.cards[1].contacts.phone.as_deref(),
            Some("(555) 000-0162")
        );
    }

    #[test]
    fn a_marked_bio_and_a_longer_letters_paragraph_leave_the_body() {
        // As dumps keep them: the bio behind an asterisk, and the outlet's
        // invitation with its address in a short last sentence.
        let body =
            "One.\n\n*Joseph Roe ran the Example Report for four years. He can be reached at \
jroe@example.com and on Twitter at @JosephRoe.\n\n\
The Times is committed to publishing a diversity of letters to the editor. We'd like to hear \
what you think about this or any of our articles. Here are some tips. And here's our email: \
letters@example.com.\n\n\
Follow The Example Times Opinion section on Facebook, Twitter (@ExOpinion) and Instagram.";
        let (out, closing) = take(body, &names(&["Joseph Roe", "Cy Moe"]));
        assert_eq!(out, "One.");
        assert_eq!(closing.credited, vec!["Joseph Roe"]);
        let card = &closing.cards[0];
        assert_eq!(
            card.bio.as_deref(),
            Some("Joseph Roe ran the Example Report for four years.")
        );
        assert_eq!(card.handle.as_deref(), Some("@JosephRoe"));
        // A paragraph of the argument that quotes an address in a long
        // sentence stays, however short the paragraph.
        let argued =
            "One.\n\nThe agency asked for comments at comments@example.gov and then ignored \
every one of the thousands it received, which tells us what it thinks.";
        assert_eq!(take(argued, &[]).0, argued);
    }

    #[test]
    fn prose_stays() {
        let body = "One.\n\nJane Roe said the law was wrong, and the court agreed with her in a long ruling that nobody read.";
        let (out, closing) = take(body, &names(&["Ann Lee"]));
        assert_eq!(out, body);
        assert!(closing.cards.is_empty());
    }

    #[test]
    fn promotions_leave_from_anywhere_and_prose_stays() {
        let body = "Ready for more? Sign up for Porch Pass and get three columns in your inbox every week. \
You will receive occasional promotional offers.\n\n\
The ferries carry nine thousand people a day in summer.\n\n\
Editor's note: this column is free to read. Please subscribe to keep us on the water.\n\n\
\"It never came,\" one skipper said. \"Nobody answered the phone at the terminal.\" Click here to watch.\n\n\
For more on the islands, subscribe to our podcasts.\n\n\
The sound needs ferries sized for its winters.";
        let (out, _) = take(body, &[]);
        assert_eq!(
            out,
            "The ferries carry nine thousand people a day in summer.\n\n\
\"It never came,\" one skipper said. \"Nobody answered the phone at the terminal.\" Click here to watch.\n\n\
The sound needs ferries sized for its winters."
        );
        // A body that is nothing but promotion is left as it is.
        let only = "Sign up for our newsletter here.";
        assert_eq!(take(only, &[]).0, only);
    }

    #[test]
    fn a_bio_line_may_open_with_the_first_name_alone() {
        let body = "One.\n\nTwo.\n\nDerry is the host of a free daily podcast (subscribe!) and author of a book.";
        let (out, closing) = take(body, &names(&["Derry Hunt", "Cy Moe"]));
        assert_eq!(out, "One.\n\nTwo.");
        assert_eq!(closing.credited, vec!["Derry Hunt"]);
        // Not when two listed people share the first name: then no card
        // is made, and the line, which plugs a podcast, still leaves.
        let (out, closing) = take(body, &names(&["Derry Hunt", "Derry Moe"]));
        assert_eq!(out, "One.\n\nTwo.");
        assert!(closing.cards.is_empty());
    }

    #[test]
    fn sentences_end_behind_quotation_marks_and_before_brackets() {
        assert_eq!(
            sentences("\"Home.\" Click here. (To see the wording, click here.) Done."),
            vec![
                "\"Home.\"",
                "Click here.",
                "(To see the wording, click here.)",
                "Done."
            ]
        );
        assert_eq!(
            sentences("U.S. policy is odd. it goes on"),
            vec!["U.S. policy is odd. it goes on"]
        );
    }
}
