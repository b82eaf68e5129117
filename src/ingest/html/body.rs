//! The article body: paragraphs from the extractor's text, then op-ed rules
//! the extractor lacks: boilerplate paragraphs (newsletter prompts, share
//! bars, image credits, cookie notices) and syndication lines ("This article
//! first appeared in …"), which name the outlet and leave the body.

/// Paragraphs of the extractor's text: one per non-blank line.
pub fn paragraphs_from_text(text: &str) -> Vec<String> {
    text.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// Short paragraphs that are page furniture, not prose.
fn is_boilerplate(p: &str) -> bool {
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
    if words > 25 {
        return false;
    }
    let lower = p.to_lowercase();
    CUES.iter().any(|c| lower.contains(c))
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
