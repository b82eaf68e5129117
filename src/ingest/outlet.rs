//! Outlets are publications. What sources put in an outlet field is often
//! something else: a dataset's label ("Guest Writer - Right"), a URL, an
//! @handle, navigation text ("Autoracing | F1 | Indy"), a date, or a name
//! with a date ("The Baltic Courier, 04.11.2019"). [`is_publication`] says
//! which is which, [`split_dated`] parts a name from its date, and
//! [`from_host`] finds the publication of a web host: first in the data file
//! `ingest/data/outlet_hosts.tsv`, then in what the corpus itself pairs
//! (`ingest::evidence`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::contacts;
use crate::date;

/// Values that sources put in outlet fields and that name no publication:
/// dataset labels, placeholders and page furniture (compared in lower case,
/// after a trailing ` - Right`/`- Left`/`- Center` is removed).
const NOT_OUTLETS: &[&str] = &[
    "guest writer",
    "guest author",
    "guest column",
    "guest",
    "contributor",
    "contributors",
    "opinion",
    "opinions",
    "editorial",
    "editorials",
    "op-ed",
    "commentary",
    "staff",
    "hosted",
    "home",
    "homepage",
    "news",
    "menu",
    "unknown",
    "none",
    "null",
    "n/a",
    "admin",
    "blog",
    "website",
    "wordpress",
];

/// Whether a value names a publication (not a label, URL, handle,
/// navigation text, date or contact).
pub fn is_publication(name: &str) -> bool {
    let name = name.trim();
    let words = name.split_whitespace().count();
    if name.is_empty() || words > 8 || name.chars().count() > 80 {
        return false;
    }
    if !name.chars().any(char::is_alphabetic) {
        return false;
    }
    let lower = name.to_lowercase();
    let label = ["- right", "- left", "- center", "- centre"]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .unwrap_or(&lower)
        .trim();
    if NOT_OUTLETS.contains(&label) {
        return false;
    }
    // URLs, bare domains and handles.
    if name.starts_with('@')
        || lower.contains("://")
        || lower.starts_with("www.")
        || (words == 1 && looks_like_domain(&lower))
        || contacts::has_contact(name)
    {
        return false;
    }
    // Navigation text: three or more parts between bars or arrows.
    if name
        .split(['|', '»', '›', '>', '/'])
        .filter(|p| !p.trim().is_empty())
        .count()
        >= 3
    {
        return false;
    }
    // A date, or a name with nothing but a date.
    date::canonical(name).is_none()
        && date::text_date(name).is_none_or(|_| split_dated(name).0 != name)
}

/// `example.com`, `news.example.co.uk`: a word of dotted labels ending in a
/// top-level domain of letters.
fn looks_like_domain(s: &str) -> bool {
    let Some((head, tld)) = s.rsplit_once('.') else {
        return false;
    };
    !head.is_empty()
        && (2..=24).contains(&tld.chars().count())
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
}

/// Separators between an outlet and its date, tried from the right.
const DATE_SEPARATORS: [&str; 6] = [",", "|", " — ", " – ", " - ", "—"];

/// Parts "The Baltic Courier, 04.11.2019" into the outlet and the date
/// (`YYYY-MM-DD`). A line without a trailing date comes back whole.
pub fn split_dated(line: &str) -> (&str, Option<String>) {
    for sep in DATE_SEPARATORS {
        let Some((head, tail)) = line.rsplit_once(sep) else {
            continue;
        };
        let (head, tail) = (head.trim(), tail.trim());
        if head.is_empty() || tail.split_whitespace().count() > 5 {
            continue;
        }
        let day = date::canonical(tail)
            .or_else(|| date::text_date(tail))
            .and_then(|d| d.get(..10).map(str::to_string));
        if let Some(day) = day {
            return (head, Some(day));
        }
    }
    (line, None)
}

/// Section labels that sources append to a publication's name, longest
/// first (lower case).
const SECTION_LABELS: [&str; 8] = [
    "opinion/editorial",
    "editorial board",
    "opinions",
    "opinion",
    "editorials",
    "editorial",
    "op-ed",
    "commentary",
];

/// Parts "New York Times - Opinion", "New York Post (Opinion)" or "NPR
/// Editorial" into the publication and the section label the source
/// appended. Behind a dash or in brackets a label always parts; behind a
/// plain space only when what stays is `known` (the publication of the
/// record's host, "The" aside), since "Public Opinion" may be a name.
pub fn split_section<'a>(name: &'a str, known: Option<&str>) -> (&'a str, Option<&'a str>) {
    const MARKS: [char; 4] = ['-', '\u{2013}', '\u{2014}', '('];
    let trimmed = name.trim().trim_end_matches(')').trim_end();
    for label in SECTION_LABELS {
        // The labels are ASCII, so a suffix equal to one ignoring ASCII
        // case has the label's length in bytes.
        let Some(at) = trimmed.len().checked_sub(label.len()) else {
            continue;
        };
        if !trimmed.is_char_boundary(at) || !trimmed[at..].eq_ignore_ascii_case(label) {
            continue;
        }
        let (head, section) = trimmed.split_at(at);
        // A label glued to the name ("Xopinion") is part of it.
        if !head.ends_with(|c: char| c.is_whitespace() || MARKS.contains(&c)) {
            continue;
        }
        let marked = head.trim_end().ends_with(MARKS);
        let publication = head.trim_end_matches(|c: char| c.is_whitespace() || MARKS.contains(&c));
        if publication.is_empty() {
            continue;
        }
        if marked || known.is_some_and(|k| same_name(k, publication)) {
            return (publication, Some(section));
        }
    }
    (name, None)
}

/// Parts "OPINION: The Trump Offer" into the title and the label a dataset
/// set before it ("Opinion", as a section name). Only a section label
/// ([`SECTION_LABELS`]) before a colon, with at least two words after it,
/// counts; "Analysis:", "BREAKING:" and the like are the outlet's own.
pub fn split_title_label(title: &str) -> (&str, Option<String>) {
    let Some((head, rest)) = title.split_once(':') else {
        return (title, None);
    };
    let label = head.trim().to_lowercase();
    let rest = rest.trim();
    if SECTION_LABELS.contains(&label.as_str()) && rest.split_whitespace().count() >= 2 {
        let mut chars = label.chars();
        let named = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>());
        return (rest, named);
    }
    (title, None)
}

/// The name a publication gives itself (`known`, from the host table) when
/// `name` is that name written another way ("American Spectator", "Daily
/// Beast", "the Guardian"), else `name`.
pub fn canonical<'a>(name: &'a str, known: Option<&'a str>) -> &'a str {
    match known {
        Some(k) if same_name(k, name) => k,
        _ => name,
    }
}

/// Two ways of writing one name: case, punctuation, spacing and a leading
/// "The" aside.
fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let start = usize::from(words.first().is_some_and(|w| w == "the"));
        words[start..].concat()
    };
    let (ka, kb) = (key(a), key(b));
    !ka.is_empty() && ka == kb
}

/// The host of a URL in lower case, without `www.` (or `www1.`, `m.`).
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?.to_lowercase();
    let host = ["www.", "www1.", "www2.", "m."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(&host)
        .to_string();
    looks_like_domain(&host).then_some(host)
}

/// The host and each parent domain with two labels or more
/// (`finance.example.com`, `example.com`).
pub fn host_and_parents(host: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(host);
    std::iter::from_fn(move || {
        let h = next?;
        next = h
            .split_once('.')
            .map(|(_, p)| p)
            .filter(|p| p.contains('.'));
        Some(h)
    })
}

const HOSTS: &str = include_str!("data/outlet_hosts.tsv");

fn table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        HOSTS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(h, o)| (h.trim(), o.trim()))
            .collect()
    })
}

/// The publication of a host from the data file, the host or a parent.
pub fn from_table(host: &str) -> Option<&'static str> {
    host_and_parents(host).find_map(|h| table().get(h).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publications_and_not() {
        for ok in [
            "Townhall",
            "CNN - Editorial",
            "The Baltic Courier",
            "L’Eco di Borgoalto",
            "New York Times - Opinion",
        ] {
            assert!(is_publication(ok), "{ok}");
        }
        for not in [
            "Guest Writer - Right",
            "Guest Writer",
            "@politifact",
            "https://www.hawaiinewsnow.com",
            "hawaiinewsnow.com",
            "Hosted",
            "Autoracing | F1 | Indy | MotoGP | StockCar",
            "04.11.2019",
            "12 March 2021",
            "letters@example.com",
            "",
        ] {
            assert!(!is_publication(not), "{not}");
        }
    }

    #[test]
    fn dated_lines() {
        assert_eq!(
            split_dated("The Saltmarsh Courier, 04.11.2019"),
            ("The Saltmarsh Courier", Some("2019-11-04".into()))
        );
        assert_eq!(
            split_dated("Дніпровий часопис | 2022-06-15"),
            ("Дніпровий часопис", Some("2022-06-15".into()))
        );
        assert_eq!(
            split_dated("Der Mühlbacher Bote — 12. März 2021"),
            ("Der Mühlbacher Bote", Some("2021-03-12".into()))
        );
        assert_eq!(
            split_dated("Вестник Тихоозерья, 7 апреля 2021 г."),
            ("Вестник Тихоозерья", Some("2021-04-07".into()))
        );
        assert_eq!(
            split_dated("El Mirador del Sureste, 21/09/2018"),
            ("El Mirador del Sureste", Some("2018-09-21".into()))
        );
        assert_eq!(
            split_dated("Kurier Nadrzeczny, 3 maja 2020"),
            ("Kurier Nadrzeczny", Some("2020-05-03".into()))
        );
        assert_eq!(
            split_dated("Smith, Jones and Partners"),
            ("Smith, Jones and Partners", None)
        );
    }

    #[test]
    fn hosts_and_table() {
        assert_eq!(
            host("https://www.Foxnews.com/opinion/x").as_deref(),
            Some("foxnews.com")
        );
        assert_eq!(host("http://www1.cbn.com/a").as_deref(), Some("cbn.com"));
        assert_eq!(host("not a url"), None);
        assert_eq!(from_table("www1.cbn.com"), Some("CBN News"));
        assert_eq!(from_table("example.org"), None);
        assert_eq!(from_table("cbn.com"), Some("CBN News"));
        assert_eq!(from_table("edition.cnn.com"), Some("CNN"));
        let parents: Vec<&str> = host_and_parents("a.b.example.com").collect();
        assert_eq!(
            parents,
            vec!["a.b.example.com", "b.example.com", "example.com"]
        );
    }

    #[test]
    fn section_labels_leave_the_name_and_one_publication_is_one_name() {
        let nyt = Some("The New York Times");
        // Behind a dash or in brackets always; behind a plain space only
        // when the host's publication is what stays.
        for (given, known, name, section) in [
            (
                "New York Times - Opinion",
                None,
                "New York Times",
                Some("Opinion"),
            ),
            (
                "New York Post (Opinion)",
                None,
                "New York Post",
                Some("Opinion"),
            ),
            (
                "Scriberr Media \u{2013} Opinion/Editorial",
                None,
                "Scriberr Media",
                Some("Opinion/Editorial"),
            ),
            (
                "New York Times Editorial Board",
                nyt,
                "New York Times",
                Some("Editorial Board"),
            ),
            ("NPR Editorial", None, "NPR Editorial", None),
            ("Public Opinion", None, "Public Opinion", None),
        ] {
            assert_eq!(split_section(given, known), (name, section), "{given}");
        }
        assert_eq!(split_section("Xopinion", None), ("Xopinion", None));
        assert_eq!(split_section("Opinion", None), ("Opinion", None));
        assert_eq!(split_section("Commentary Magazine", None).1, None);
        assert_eq!(split_section("\u{130}stanbul Op-Ed", None).1, None);

        assert_eq!(canonical("New York Times", nyt), "The New York Times");
        assert_eq!(
            canonical("the Guardian", Some("The Guardian")),
            "The Guardian"
        );
        assert_eq!(
            canonical("Daily Beast", Some("The Daily Beast")),
            "The Daily Beast"
        );
        assert_eq!(
            canonical("Commentary Magazine", Some("Commentary")),
            "Commentary Magazine"
        );
        assert_eq!(canonical("Townhall", None), "Townhall");
    }

    #[test]
    fn a_dataset_label_before_a_title_is_a_section() {
        assert_eq!(
            split_title_label("OPINION: The Trump Offer"),
            ("The Trump Offer", Some("Opinion".to_string()))
        );
        assert_eq!(
            split_title_label("Op-Ed: Keep the night ferry"),
            ("Keep the night ferry", Some("Op-ed".to_string()))
        );
        for kept in [
            "Analysis: Trump seeks a win",
            "Opinion: Yes",
            "Why: a reply",
            "No colon here",
        ] {
            assert_eq!(split_title_label(kept), (kept, None), "{kept}");
        }
    }
}
