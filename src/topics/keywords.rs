//! Labels that sources give (a dataset's `topic`, a page's tags and
//! keywords), cleaned into keywords: what the source said, minus the content
//! system's own machine tags (`channel_other`, `type_news`,
//! `adnode:culture/wide_angle`, `@river`) and markup residue (`&quot`).

/// Most keywords kept per article, in the source's order.
pub const MAX_KEYWORDS: usize = 20;

/// Longest keyword kept, in characters; longer "tags" are sentences.
const MAX_KEYWORD_CHARS: usize = 60;

/// A label as a keyword: trimmed of spaces, quotes and a leading `#`, with
/// its whitespace collapsed; `None` when it is a machine tag or residue.
pub fn clean(label: &str) -> Option<String> {
    let quotes: &[char] = &['"', '\'', '“', '”', '‘', '’', '«', '»', '#'];
    let words: Vec<&str> = label.split_whitespace().collect();
    let joined = words.join(" ");
    let k = joined.trim_matches(|c: char| c.is_whitespace() || quotes.contains(&c));
    (!is_machine_tag(k)).then(|| k.to_string())
}

/// True for what a content system writes for itself rather than for
/// readers: identifiers with `_`, `:`, `/`, `@`, `=` or `|` (`type_news`,
/// `adnode:culture`, `@river`), what does not start with a letter or digit
/// (`_no-apple-news`, `&quot`), entity residue (`pg&amp`), codes with digits
/// (`7974.to`), single characters and strings without letters (`t`, `e`,
/// `2020`), and overlong strings.
fn is_machine_tag(k: &str) -> bool {
    let letters = k.chars().filter(|c| c.is_alphabetic()).count();
    let digits = k.chars().filter(char::is_ascii_digit).count();
    let starts_well = k.chars().next().is_some_and(char::is_alphanumeric);
    let lower = k.to_lowercase();
    !starts_well
        || k.chars().count() < 2
        || letters == 0
        || k.chars().count() > MAX_KEYWORD_CHARS
        || k.contains([
            '_', ':', '/', '\\', '@', '=', '|', '{', '}', '<', '>', '[', ']',
        ])
        || ["&amp", "&quot", "&lt", "&gt", "&nbsp", "&#", "http", "www."]
            .iter()
            .any(|r| lower.contains(r))
        || (!k.contains(' ') && (digits > letters + 1 || (digits > 0 && k.contains('.'))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_tags_and_residue_are_not_keywords() {
        for tag in [
            "@river",
            "_no-apple-news",
            "channel_other",
            "type_news",
            "autoplay_video",
            "adnode:culture/wide_angle",
            "&quot",
            "pg&amp",
            "t",
            "e",
            "7974.to",
            "/article",
            "https://example.org/tag/x",
            "",
            "  ",
        ] {
            assert_eq!(clean(tag), None, "{tag:?}");
        }
    }

    #[test]
    fn reader_facing_tags_are_kept_cleaned() {
        assert_eq!(clean(" Donald  Trump "), Some("Donald Trump".into()));
        assert_eq!(clean("#MeToo"), Some("MeToo".into()));
        assert_eq!(clean("\"Brexit\""), Some("Brexit".into()));
        assert_eq!(clean("PG&E"), Some("PG&E".into()));
        assert_eq!(clean("covid-19"), Some("covid-19".into()));
        assert_eq!(clean("5G"), Some("5G".into()));
        assert_eq!(clean("AI"), Some("AI".into()));
    }
}
