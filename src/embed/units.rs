//! Which text of an article gets a vector: the documented rule.
//!
//! A unit is the article's title, a blank line, and a stretch of its body:
//! - [`Units::Opening`] (the default): one unit per article, the body from
//!   its start;
//! - [`Units::Passages`]: one unit per passage (ARCHITECTURE.md,
//!   "Passages") for the first `n` passages, or every passage when `n` is 0.
//!
//! The model reads at most its window of word pieces (256 for
//! all-MiniLM-L6-v2) and the tokenizer cuts the rest; a unit's text is cut
//! to that many words first, since every word is at least one word piece,
//! so long bodies are not tokenised in full only to be thrown away.

use std::fmt;
use std::str::FromStr;

use crate::article::Article;
use crate::error::Error;
use crate::passage;

/// Which texts of an article are embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Units {
    /// The title and the opening of the body, up to the model's window.
    #[default]
    Opening,
    /// The title and each of the first `n` passages (0: every passage).
    Passages(u32),
    /// Both: the opening, then the title and each of the first `n` passages.
    OpeningAndPassages(u32),
}

/// One text to embed and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The passage it starts at (0 for the opening).
    pub passage: u32,
    /// The text given to the model.
    pub text: String,
}

impl Units {
    /// The units of `article`, each cut to at most `max_words` words of body.
    pub fn of(self, article: &Article, max_words: usize) -> Vec<Unit> {
        let title = article.title.trim();
        let body = article.body.as_str();
        let unit = |passage: usize, text: &str| Unit {
            passage: passage as u32,
            text: joined(title, first_words(text, max_words)),
        };
        match self {
            Units::Opening => {
                if title.is_empty() && body.trim().is_empty() {
                    return Vec::new();
                }
                vec![unit(0, body)]
            }
            Units::Passages(n) => {
                let passages = passage::split(body);
                let take = if n == 0 { passages.len() } else { n as usize };
                let mut out: Vec<Unit> = passages
                    .iter()
                    .take(take)
                    .map(|p| unit(p.index, p.text(body)))
                    .collect();
                if out.is_empty() && !title.is_empty() {
                    out.push(unit(0, ""));
                }
                out
            }
            Units::OpeningAndPassages(n) => {
                let mut out = Units::Opening.of(article, max_words);
                out.extend(Units::Passages(n).of(article, max_words));
                out
            }
        }
    }
}

fn joined(title: &str, body: &str) -> String {
    match (title.is_empty(), body.trim().is_empty()) {
        (false, false) => format!("{title}\n\n{}", body.trim()),
        (false, true) => title.to_string(),
        _ => body.trim().to_string(),
    }
}

/// `text` up to the end of its `n`th whitespace-separated word.
fn first_words(text: &str, n: usize) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == n {
                    return &text[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text
}

impl fmt::Display for Units {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Units::Opening => f.write_str("opening"),
            Units::Passages(0) => f.write_str("passages"),
            Units::Passages(n) => write!(f, "passages:{n}"),
            Units::OpeningAndPassages(0) => f.write_str("opening+passages"),
            Units::OpeningAndPassages(n) => write!(f, "opening+passages:{n}"),
        }
    }
}

impl FromStr for Units {
    type Err = Error;
    fn from_str(s: &str) -> Result<Units, Error> {
        let bad = || {
            Error::Invalid(format!(
                "{s:?}: expected opening, passages, passages:N (the first N passages), \
                 opening+passages or opening+passages:N"
            ))
        };
        match s.trim() {
            "opening" => Ok(Units::Opening),
            "passages" => Ok(Units::Passages(0)),
            "opening+passages" => Ok(Units::OpeningAndPassages(0)),
            other => {
                if let Some(n) = other.strip_prefix("opening+passages:") {
                    return n.parse().map(Units::OpeningAndPassages).map_err(|_| bad());
                }
                let n = other.strip_prefix("passages:").ok_or_else(bad)?;
                n.parse().map(Units::Passages).map_err(|_| bad())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        Article {
            title: title.into(),
            body: body.into(),
            ..Article::default()
        }
    }

    #[test]
    fn opening_is_the_title_and_the_first_words() {
        let a = article("Islands", "one two three\n\nfour five");
        let u = Units::Opening.of(&a, 4);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].text, "Islands\n\none two three\n\nfour");
        assert_eq!(
            Units::Opening.of(&a, 100)[0].text,
            "Islands\n\none two three\n\nfour five"
        );
        assert!(Units::Opening.of(&article("", " "), 10).is_empty());
    }

    #[test]
    fn passages_are_counted_from_the_start() {
        let para = "word ".repeat(60);
        let body = format!("{para}\n\n{para}\n\n{para}");
        let a = article("T", &body);
        assert_eq!(Units::Passages(0).of(&a, 500).len(), 3);
        let two = Units::Passages(2).of(&a, 500);
        assert_eq!(two.iter().map(|u| u.passage).collect::<Vec<_>>(), [0, 1]);
        assert!(two[1].text.starts_with("T\n\nword"));
    }

    #[test]
    fn opening_and_passages_is_the_opening_then_the_first_passages() {
        let para = "word ".repeat(60);
        let body = format!("{para}\n\n{para}\n\n{para}");
        let a = article("T", &body);
        let both = Units::OpeningAndPassages(2).of(&a, 500);
        assert_eq!(both[0], Units::Opening.of(&a, 500)[0]);
        assert_eq!(both[1..], Units::Passages(2).of(&a, 500)[..]);
        assert_eq!(Units::OpeningAndPassages(0).of(&a, 500).len(), 4);
    }

    #[test]
    fn names_read_back() {
        for u in [
            Units::Opening,
            Units::Passages(0),
            Units::Passages(3),
            Units::OpeningAndPassages(0),
            Units::OpeningAndPassages(3),
        ] {
            assert_eq!(u.to_string().parse::<Units>().unwrap(), u);
        }
        assert!("passages:x".parse::<Units>().is_err());
        assert!("opening+passages:x".parse::<Units>().is_err());
        assert!("first".parse::<Units>().is_err());
    }
}
