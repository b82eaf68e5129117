//! Person names from author fields and visible bylines.
//!
//! Bylines drag in more than names: "By", job titles ("Staff Writer"),
//! dates, outlet names, e-mail addresses. This keeps the names, in order, as
//! they are written (the pipeline's shared author cleaner runs afterwards).

use crate::clean::collapse;
use crate::ingest::authors::{self, PARTICLES};

/// Words that open a byline in the languages of the benchmark pages, and
/// whether one alone makes a short free-standing line a credit line ("Von
/// Ann Roe", "Text: Ann Roe", "Auteur : Ann Roe"). The others ("with",
/// "mit", "di", "posted by") open bylines only inside an element that marks
/// one. Several are also name particles ("von", "di"); that is safe here
/// because this text is a byline already, unlike the author strings of
/// `ingest::authors` (see its `NON_NAME_LEADS`). The first lead that opens
/// a text is taken, so one that starts another comes first ("von:", "von").
const BYLINE_LEADS: [(&str, bool); 32] = [
    ("alle artikel von", false),
    ("written by", true),
    ("posted by", false),
    ("blog beitrag von", false),
    ("beitrag von", false),
    ("artikel von", false),
    ("eingestellt von", false),
    ("geschrieben von", true),
    ("verfasst von", true),
    ("erstellt von", false),
    ("gespeichert von", false),
    ("text von", true),
    ("autorin:", true),
    ("autor:", true),
    ("auteur :", true),
    ("auteur:", true),
    ("von:", true),
    ("vom", false),
    ("authors:", false),
    ("author:", true),
    ("by:", false),
    ("by", true),
    ("par", true),
    ("por", true),
    ("von", true),
    ("di", false),
    ("door", true),
    ("av", false),
    ("автор:", false),
    ("text:", true),
    ("with", false),
    ("mit", false),
];

/// Whether a whole piece of text is a byline lead and nothing else.
fn is_lead(lower: &str) -> bool {
    BYLINE_LEADS.iter().any(|(lead, _)| *lead == lower)
}

/// Conjunctions and separators between names.
const SEPARATORS: [&str; 9] = [
    " and ", " & ", " und ", " et ", " y ", " e ", " и ", " with ", " avec ",
];

/// Words that make a byline piece a job title, a desk or an organisation rather than a person.
const NOT_A_PERSON: [&str; 37] = [
    "posted",
    "autoren",
    "follow",
    "admin",
    "administrator",
    "anonymous",
    "guest",
    "staff",
    "writer",
    "correspondent",
    "editor",
    "reporter",
    "columnist",
    "contributor",
    "journalist",
    "bureau",
    "desk",
    "news",
    "press",
    "agency",
    "team",
    "redaktion",
    "rédaction",
    "redacción",
    "associated",
    "reuters",
    "afp",
    "opinion",
    "published",
    "updated",
    "updated:",
    "minutes",
    "read",
    "special",
    "senior",
    "photograph",
    "contributing",
];

/// Splits one author field or byline into person names.
///
/// `outlet` names that appear in the byline are dropped.
pub fn names(raw: &str, outlet: Option<&str>) -> Vec<String> {
    // A byline's first line holds the names; later lines are dates and titles.
    let first = raw
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut text = collapse(first);
    // "Name is a professor of …": keep the name.
    if let Some(i) = text.find(" is ").or_else(|| text.find(" ist ")) {
        text.truncate(i);
    }
    let text = without_affiliation(strip_lead(&text), outlet);
    let mut pieces = vec![text];
    for sep in SEPARATORS {
        pieces = pieces.iter().flat_map(|p| split_ci(p, sep)).collect();
    }
    let outlet = outlet.map(str::to_lowercase);
    pieces
        .iter()
        .flat_map(|p| p.split([',', ';', '|', '/', '•', '·']))
        .map(|p| {
            strip_lead(
                p.trim()
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '.'),
            )
        })
        // "Ann Roe @annroe": the social handle is not part of the name.
        .map(|p| {
            p.split_whitespace()
                .filter(|w| !w.starts_with('@'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| looks_like_person(p, outlet.as_deref()))
        .collect()
}

/// A byline without the affiliation that follows a name and a job title:
/// "Daniel Roe, Senior Staff Technologist, Speech, Privacy, and Technology
/// Project" is Daniel Roe. A later part that opens with "and" keeps its
/// person when a job title follows it ("…, and John Doe, Editor").
fn without_affiliation(text: &str, outlet: Option<&str>) -> String {
    let outlet = outlet.map(str::to_lowercase);
    let is_role = |p: &str| {
        p.split_whitespace().any(|w| {
            NOT_A_PERSON.contains(
                &w.to_lowercase()
                    .trim_matches(|c: char| !c.is_alphanumeric()),
            )
        })
    };
    let parts: Vec<&str> = text.split(',').collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut found = false;
    let mut affiliation = false;
    for (i, part) in parts.iter().enumerate() {
        let bare = part.trim();
        if affiliation {
            let joined = SEPARATORS
                .iter()
                .find_map(|sep| bare.strip_prefix(sep.trim_start()))
                .map(str::trim);
            let titled = parts.get(i + 1).is_some_and(|next| is_role(next));
            match joined {
                Some(name) if titled && looks_like_person(name, outlet.as_deref()) => {
                    affiliation = false;
                }
                _ => continue,
            }
        } else if found && !looks_like_person(bare, outlet.as_deref()) && is_role(bare) {
            affiliation = true;
            kept.push(part);
            continue;
        }
        found |= looks_like_person(bare, outlet.as_deref());
        kept.push(part);
    }
    kept.join(",")
}

/// Words after which a credit line names someone else (illustrator, photographer, editor).
const OTHER_CREDITS: [&str; 9] = [
    "illustration",
    "illustrationen",
    "foto",
    "fotos",
    "photo",
    "photos",
    "bild",
    "bilder",
    "edition",
];

/// Names from a short text line that is a credit line and nothing else:
/// it opens with a byline lead and the rest is one to three capitalised
/// names. Looser text ("Von Berlin nach Hamburg") gives nothing.
pub fn credit_line(line: &str, outlet: Option<&str>) -> Vec<String> {
    let line = collapse(line);
    if line.chars().count() > 90 {
        return Vec::new();
    }
    let lower = line.to_lowercase();
    let Some(lead) = BYLINE_LEADS
        .iter()
        .filter(|(_, opens_line)| *opens_line)
        .map(|(lead, _)| lead)
        .find(|l| {
            lower.starts_with(*l)
                && (l.ends_with(':') || lower[l.len()..].starts_with([' ', ':', '\u{a0}']))
        })
    else {
        return Vec::new();
    };
    // Lower-casing can change byte lengths (the Kelvin sign becomes `k`).
    let Some(rest) = line.get(lead.len()..) else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches([' ', ':', '\u{a0}']);
    let mut kept: Vec<&str> = Vec::new();
    for w in rest.split_whitespace() {
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if OTHER_CREDITS.contains(&bare.as_str()) {
            break;
        }
        kept.push(w);
    }
    let names = names(&kept.join(" "), outlet);
    let strict = |n: &String| {
        let words: Vec<&str> = n.split_whitespace().collect();
        (2..=4).contains(&words.len())
            && words
                .iter()
                .all(|w| PARTICLES.contains(w) || w.chars().next().is_some_and(char::is_uppercase))
    };
    if names.is_empty() || names.len() > 3 || !names.iter().all(strict) {
        return Vec::new();
    }
    names
}

/// A user name as blogs and forums print it ("gizzmo", "happyface313"):
/// one token of letters, digits, `.`, `_` or `-`, with a letter, from an
/// element that marks its author. Only asked when [`names`] found no person.
pub fn handle(raw: &str) -> Option<String> {
    let t = strip_lead(raw.trim()).trim();
    let lower = t.to_lowercase();
    let banned = is_lead(&lower)
        || NOT_A_PERSON.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "author"
                | "autor"
                | "autoren"
                | "authors"
                | "auteur"
                | "name"
                | "user"
                | "profil"
                | "profile"
        );
    if banned {
        return None;
    }
    authors::handle(t)
}

/// Removes a leading "By", "Par", "Von" … (any case).
fn strip_lead(s: &str) -> &str {
    let lower = s.to_lowercase();
    for (lead, _) in BYLINE_LEADS {
        if lower.starts_with(lead) {
            // Lower-casing can change byte lengths, so `lead.len()` may not
            // be a boundary of `s`.
            let Some(rest) = s.get(lead.len()..) else {
                continue;
            };
            let at_word_end = lead.ends_with(':') || rest.starts_with([' ', ':', '\u{a0}']);
            if at_word_end {
                return rest.trim_start_matches([' ', ':', '\u{a0}']);
            }
        }
    }
    s
}

/// Splits on `sep` ignoring ASCII case.
fn split_ci(s: &str, sep: &str) -> Vec<String> {
    let lower = s.to_lowercase();
    if lower.len() != s.len() {
        return s.split(sep).map(str::to_string).collect();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(sep) {
        out.push(s[from..from + i].to_string());
        from += i + sep.len();
    }
    out.push(s[from..].to_string());
    out
}

/// A person's name: one to five words, capitalised, no digits, no address, no title words.
fn looks_like_person(p: &str, outlet: Option<&str>) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    if is_lead(&p.to_lowercase()) {
        return false;
    }
    if words.is_empty() || words.len() > 5 || p.chars().count() > 60 {
        return false;
    }
    if p.chars().any(|c| c.is_ascii_digit())
        || p.contains('@')
        || p.contains("://")
        || p.contains("www.")
    {
        return false;
    }
    let lower = p.to_lowercase();
    if outlet.is_some_and(|o| !o.is_empty() && (lower == o || o.contains(&lower))) {
        return false;
    }
    if words.iter().any(|w| {
        NOT_A_PERSON.contains(
            &w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
    }) {
        return false;
    }
    // Scripts without case (CJK, Arabic …) pass; cased scripts need a capital.
    words.iter().any(|w| {
        let c = w.chars().next().unwrap_or(' ');
        c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_by_and_titles() {
        assert_eq!(
            names("By Jane Roe and John Doe, Staff Writers", None),
            ["Jane Roe", "John Doe"]
        );
        assert_eq!(names("by Lucas Nolan", None), ["Lucas Nolan"]);
        assert_eq!(names("Par Sébastien Farcis", None), ["Sébastien Farcis"]);
        assert_eq!(
            names("By GILLIAN MOHNEY\n  March 11, 2015 3:46 PM", None),
            ["GILLIAN MOHNEY"]
        );
        assert_eq!(
            names("Stella Kim, Jennifer Jett", None),
            ["Stella Kim", "Jennifer Jett"]
        );
        // After a name and a job title comes the affiliation.
        assert_eq!(
            names(
                "By Dana Roe, Senior Staff Technologist, Example Speech, Privacy, and Technology Project",
                None
            ),
            ["Dana Roe"]
        );
        assert_eq!(
            names("By Dana Roe, Staff Writer, and John Doe, Editor", None),
            ["Dana Roe", "John Doe"]
        );
    }

    #[test]
    fn handles_only_as_single_tokens() {
        assert_eq!(handle("gizzmo").as_deref(), Some("gizzmo"));
        assert_eq!(handle("happyface313").as_deref(), Some("happyface313"));
        assert_eq!(handle("admin"), None);
        assert_eq!(handle("two words"), None);
        assert_eq!(names("Gespeichert von Ann Roe", None), ["Ann Roe"]);
    }

    #[test]
    fn credit_lines_only_when_they_are_names() {
        assert_eq!(credit_line("Von Ann Roe", None), ["Ann Roe"]);
        assert_eq!(credit_line("Auteur : Ann Roe ", None), ["Ann Roe"]);
        assert_eq!(
            credit_line("Text von Ann Roe Illustration von Bo Lee", None),
            ["Ann Roe"]
        );
        assert_eq!(credit_line("By Ann Roe @annroe", None), ["Ann Roe"]);
        assert!(credit_line("Von Berlin nach Hamburg", None).is_empty());
        assert!(credit_line("Ann Roe", None).is_empty());
        assert!(credit_line("\u{212a}by Ann Roe", None).is_empty());
        assert!(credit_line("By the way, this is a long sentence.", None).is_empty());
    }

    #[test]
    fn drops_outlets_dates_and_desks() {
        assert!(names("By JERUSALEM POST STAFF", None).is_empty());
        assert_eq!(
            names("Ann Lee | The Daily Planet", Some("The Daily Planet")),
            ["Ann Lee"]
        );
        assert!(names("April 28, 2019 at 6:01 am", None).is_empty());
        assert_eq!(
            names("Mara Quist is a fellow at the Institute", None),
            ["Mara Quist"]
        );
    }
}
