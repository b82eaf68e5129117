//! Author names from bylines and dataset `authors` fields: people only.
//!
//! Sources hand us bylines such as `By Jane Doe and John Roe, Staff Writers`,
//! `"Cortney OBrien"`, `Analysis Stephen Collinson`, `Jane Doe | Reporter`,
//! `Jane Doe, Senior Fellow at X` or `Updated 3:45 PM`. [`split_byline`] turns
//! one such string into person names; [`clean`] does it for every string of an
//! article, drops the outlet's own name and removes duplicates.
//!
//! What a name is, here:
//! - names are split at `;`, `|`, `/`, `•`, ` - `, commas, and the words
//!   `and`, `&`, and lower-case `with`, `и`, `und`, `et`;
//! - a leading `By`, `Written by`, `Analysis`, `Opinion`, `Text` (and similar)
//!   and a leading honorific (`Sen.`, `Rep.`, `Dr.`, `President`, …, only when
//!   two words remain) are removed; a part that credits photos, illustrations,
//!   video or editing is dropped, as is anything in brackets;
//! - a part is not a name when it has digits (dates, times), an e-mail address,
//!   a URL or a domain, a job or organisation word (`Writer`, `Reporter`,
//!   `Editor`, `Fellow`, `News`, `University`, …), a function word (`of`, `at`,
//!   `for`, `the`, …), a word in lower case that is not a name particle (`van`,
//!   `de`, `al`, …), or more than six words; known non-persons (`Staff`,
//!   `Editorial Board`, `Associated Press`, `Reuters`, `Opinion`, …) are dropped;
//! - `Jr.`/`Sr.`/`III` after a comma join the name before; degrees (`PhD`,
//!   `M.D.`) after a comma are dropped;
//! - `Last, First` is read as `First Last` only when a segment is exactly two
//!   single-word parts (`Smith, John`). Anything longer stays a list of
//!   names, because `Cortney OBrien, Matt Vespa` is far more common in dumps.
//!
//! Case is kept as written (`JANE DOE` stays); duplicates are found ignoring
//! case, spaces and dots. What this cannot see: names of other people that a
//! scraper pulled from a sidebar look exactly like a byline (see the issue-3
//! report for the AllSides figures).

/// Words that introduce a byline and are removed from its front, in any
/// author string from any source. None of them is ever part of a name; the
/// other leads of web bylines ("von", "par", "di") are name particles too
/// (Ursula von der Leyen, Luigi Di Maio), so they are stripped only from
/// text known to be a byline (`html::byline`'s `BYLINE_LEADS`), never here.
const NON_NAME_LEADS: &[&str] = &[
    "by",
    "written",
    "words",
    "text",
    "story",
    "reporting",
    "report",
    "analysis",
    "opinion",
    "commentary",
    "column",
    "essay",
    "perspective",
    "op-ed",
    "oped",
    "posted",
    "published",
    "byline",
    "author",
    "authors",
    "автор",
    "авторы",
];

/// Titles removed from the front of a name when at least two words remain.
const HONORIFICS: &[&str] = &[
    "former",
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "judge",
    "justice",
    "dr",
    "prof",
    "professor",
    "president",
    "mr",
    "mrs",
    "ms",
    "mx",
    "rev",
    "reverend",
    "sir",
    "dame",
    "gen",
    "col",
    "capt",
    "lt",
    "sgt",
    "ambassador",
    "mayor",
    "minister",
];

/// A part starting with one of these credits something other than the text.
const CREDIT_WORDS: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "photographs",
    "photography",
    "photographer",
    "illustration",
    "illustrations",
    "illustrated",
    "graphic",
    "graphics",
    "video",
    "videos",
    "image",
    "images",
    "map",
    "maps",
    "design",
    "designed",
    "edited",
    "editing",
    "additional",
    "produced",
    "production",
    "translated",
    "translation",
];

/// Whole parts that are not people.
const NON_PERSONS: &[&str] = &[
    "staff",
    "editorial board",
    "the editorial board",
    "editors",
    "the editors",
    "associated press",
    "the associated press",
    "reuters",
    "thomson reuters",
    "afp",
    "agence france-presse",
    "agence france presse",
    "ap",
    "bloomberg",
    "opinion",
    "contributor",
    "guest",
    "guest writer",
    "guest author",
    "condé nast",
    "conde nast",
    "getty",
    "getty images",
    "admin",
    "administrator",
    "unknown",
    "none",
    "null",
    "n/a",
    "anonymous",
    "редакция",
];

/// Job, role and organisation words: a part holding one is not a person.
const ROLE_WORDS: &[&str] = &[
    "staff",
    "writer",
    "writers",
    "reporter",
    "reporters",
    "correspondent",
    "correspondents",
    "columnist",
    "columnists",
    "contributor",
    "contributors",
    "contributing",
    "editor",
    "editors",
    "editorial",
    "board",
    "desk",
    "team",
    "bureau",
    "fellow",
    "director",
    "analyst",
    "commentator",
    "chairman",
    "chairwoman",
    "biographer",
    "author",
    "professor",
    "founder",
    "cofounder",
    "ceo",
    "executive",
    "producer",
    "blogger",
    "blog",
    "news",
    "newsroom",
    "press",
    "agency",
    "media",
    "network",
    "magazine",
    "newspaper",
    "times",
    "journal",
    "tribune",
    "gazette",
    "edition",
    "newsletter",
    "wire",
    "service",
    "services",
    "university",
    "college",
    "institute",
    "school",
    "center",
    "centre",
    "foundation",
    "council",
    "committee",
    "association",
    "society",
    "department",
    "ministry",
    "office",
    "group",
    "inc",
    "llc",
    "ltd",
    "corp",
    "company",
    "anonymous",
    "user",
    "admin",
    "opinion",
    "interview",
    "counsel",
    "updated",
    "published",
    "posted",
    "reuters",
    "корреспондент",
    "обозреватель",
    "колумнист",
    "журналист",
    "редакция",
    "редактор",
];

/// Small words that never occur in a personal name (case-insensitive).
const FUNCTION_WORDS: &[&str] = &[
    "of",
    "at",
    "for",
    "in",
    "on",
    "the",
    "to",
    "from",
    "is",
    "are",
    "was",
    "were",
    "be",
    "our",
    "your",
    "you",
    "my",
    "her",
    "his",
    "their",
    "its",
    "this",
    "that",
    "more",
    "about",
    "via",
    "who",
    "what",
    "how",
    "why",
    "all",
    "here",
    "there",
    "live",
    "visit",
    "information",
    "only",
    "follow",
    "read",
    "click",
    "share",
    "subscribe",
    "sign",
    "up",
    "am",
    "pm",
    "et",
    "est",
    "edt",
    "pt",
    "pst",
    "pdt",
    "gmt",
    "utc",
    "yesterday",
    "today",
    "ago",
    "weekdays",
    "weekends",
];

/// Lower-case name particles (`Ludwig van Beethoven`, `Abu al Rahman`), for
/// every reader's name rules.
pub(crate) const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "do", "du", "la",
    "le", "ter", "ten", "bin", "ibn", "bint", "al", "el", "y", "e", "zu", "af", "av", "st", "ben",
    "ap", "'t",
];

/// Conjunctions between names: `and` in any case, the others only in lower
/// case (`Weekdays ET` is a time, not two names).
fn is_conjunction(word: &str) -> bool {
    word.eq_ignore_ascii_case("and") || matches!(word, "&" | "with" | "и" | "und" | "et")
}

/// Generational suffixes that join the name before them after a comma.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Degrees and post-nominals dropped after a comma.
const DEGREES: &[&str] = &[
    "phd", "md", "esq", "mba", "mph", "rn", "jd", "llm", "dphil", "ma", "msc", "bsc", "frs", "obe",
    "mbe", "cbe", "kc", "qc",
];

/// Quote marks trimmed from the edges of words.
const QUOTES: &[char] = &['"', '“', '”', '„', '«', '»', '\'', '‘', '’', '`'];

/// The most names one string may yield; the rest is noise.
const MAX_NAMES: usize = 64;

/// Person names from all of an article's author strings, in order, without
/// duplicates and without the outlet's own name.
pub fn clean(raw: &[String], outlet: Option<&str>) -> Vec<String> {
    let outlet_keys = outlet.map(outlet_keys).unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for line in raw {
        for name in split_byline(line) {
            let k = key(&name);
            if outlet_keys.iter().any(|o| is_outlet(&k, &name, o)) || seen.contains(&k) {
                continue;
            }
            seen.push(k);
            out.push(name);
        }
    }
    out
}

/// Person names in one visible byline or author string, in order, without
/// duplicates.
pub fn split_byline(line: &str) -> Vec<String> {
    let text = without_links(&without_brackets(line));
    let mut names: Vec<String> = Vec::new();
    let segments = text
        .split([';', '|', '/', '•', '·', '\n', '\r'])
        .flat_map(|s| s.split(" - "))
        .flat_map(|s| s.split(" – "))
        .flat_map(|s| s.split(" — "));
    for segment in segments {
        let parts: Vec<&str> = segment
            .split([',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if let [last, first] = parts.as_slice() {
            if let Some(name) = last_first(last, first) {
                names.push(name);
                continue;
            }
        }
        // Whether the previous part gave a name a suffix may join.
        let mut after_name = false;
        for part in parts {
            let bare = part.trim_matches(QUOTES).replace('.', "").to_lowercase();
            if SUFFIXES.contains(&bare.as_str()) {
                if let (true, Some(prev)) = (after_name, names.last_mut()) {
                    prev.push(' ');
                    prev.push_str(part.trim_matches(QUOTES));
                }
                continue;
            }
            if DEGREES.contains(&bare.as_str()) {
                continue;
            }
            after_name = false;
            let words: Vec<&str> = part.split_whitespace().collect();
            if words
                .first()
                .is_some_and(|w| CREDIT_WORDS.contains(&fold(w).as_str()))
            {
                continue;
            }
            for candidate in words.split(|w| is_conjunction(w)) {
                if let Some(name) = person(candidate) {
                    names.push(name);
                    after_name = true;
                }
            }
        }
        if names.len() >= MAX_NAMES {
            break;
        }
    }
    let mut seen = Vec::new();
    names.retain(|n| {
        let k = key(n);
        let new = !seen.contains(&k);
        seen.push(k);
        new
    });
    names.truncate(MAX_NAMES);
    names
}

/// `Smith, John` → `John Smith`, when both parts are one name word.
fn last_first(last: &str, first: &str) -> Option<String> {
    let last_words = strip_front(last.split_whitespace().collect());
    let first_words: Vec<&str> = first.split_whitespace().collect();
    match (last_words.as_slice(), first_words.as_slice()) {
        ([l], [f]) => {
            let l = trim_word(l);
            let f = trim_word(f);
            let bare = f.replace('.', "").to_lowercase();
            if SUFFIXES.contains(&bare.as_str()) || DEGREES.contains(&bare.as_str()) {
                return None;
            }
            person(&[f, l])
        }
        _ => None,
    }
}

/// A word lower-cased without edge punctuation, for list look-ups.
fn fold(word: &str) -> String {
    word.trim_matches(|c: char| QUOTES.contains(&c) || matches!(c, ':' | '.' | ',' | '*'))
        .to_lowercase()
}

/// A word without edge quotes and stray punctuation (a final `.` is kept).
fn trim_word(word: &str) -> &str {
    word.trim_matches(|c: char| QUOTES.contains(&c) || matches!(c, ':' | ',' | '*' | '-'))
}

/// Drops lead words (`By`, `Analysis`) and honorifics from the front.
fn strip_front(mut words: Vec<&str>) -> Vec<&str> {
    loop {
        let Some(first) = words.first() else {
            return words;
        };
        let f = fold(first);
        let lead = NON_NAME_LEADS.contains(&f.as_str()) && words.len() > 1;
        let honorific = HONORIFICS.contains(&f.as_str()) && words.len() > 2;
        if lead || honorific {
            words.remove(0);
        } else {
            return words;
        }
    }
}

/// The person name in a run of words, if it is one.
fn person(words: &[&str]) -> Option<String> {
    let whole = words.join(" ");
    if NON_PERSONS.contains(&fold_phrase(&whole).as_str()) {
        return None;
    }
    let mut words = strip_front(words.to_vec());
    // "Jane Doe for The Guardian", "Jane Doe is a columnist": keep the person.
    if let Some(cut) = words
        .iter()
        .position(|w| matches!(*w, "at" | "for" | "of" | "from" | "is" | "was" | "writes"))
    {
        words.truncate(cut);
    }
    let mut words: Vec<&str> = words
        .into_iter()
        .map(trim_word)
        .filter(|w| !w.is_empty())
        .collect();
    // "et al."
    if words.len() >= 2
        && fold(words[words.len() - 1]) == "al"
        && fold(words[words.len() - 2]) == "et"
    {
        words.truncate(words.len() - 2);
    }
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    if let [only] = words.as_slice() {
        let f = fold(only);
        if NON_NAME_LEADS.contains(&f.as_str()) || HONORIFICS.contains(&f.as_str()) {
            return None;
        }
    }
    let name = words.join(" ");
    if name.chars().count() > 80 || NON_PERSONS.contains(&fold_phrase(&name).as_str()) {
        return None;
    }
    if name.chars().any(|c| c.is_numeric() || c == '@') {
        return None;
    }
    let mut has_capital_word = false;
    for w in &words {
        let f = fold(w);
        if FUNCTION_WORDS.contains(&f.as_str()) {
            return None;
        }
        if f.split('-').any(|p| ROLE_WORDS.contains(&p)) || ROLE_WORDS.contains(&f.as_str()) {
            return None;
        }
        if looks_like_domain(w) || is_party_tag(w) {
            return None;
        }
        let Some(c) = w.chars().find(|c| c.is_alphabetic()) else {
            // A word of punctuation only.
            return None;
        };
        if c.is_lowercase() {
            let particle = PARTICLES.contains(&f.as_str())
                || ["d'", "l'", "d’", "l’"].iter().any(|p| f.starts_with(p));
            if !particle {
                return None;
            }
        } else {
            has_capital_word |=
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2 || !c.is_uppercase();
        }
    }
    if !has_capital_word {
        // Initials only ("J. D."), or particles only.
        return None;
    }
    // A trailing full stop belongs to an initial or "Jr." only.
    let mut name = name;
    if let Some(last) = words.last() {
        let letters = last.chars().filter(|c| c.is_alphabetic()).count();
        let keep = letters <= 1
            || SUFFIXES.contains(&fold(last).as_str())
            || last.matches('.').count() > 1;
        if last.ends_with('.') && !keep {
            name.pop();
        }
    }
    Some(name)
}

/// `Colleen.Nelson`, `wsj.com`: dotted words that are not initials.
fn looks_like_domain(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').filter(|p| !p.is_empty()).collect();
    parts.len() >= 2 && parts.iter().any(|p| p.chars().count() >= 2)
}

/// `D-New`, `R-Texas`: party and state tags.
fn is_party_tag(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some('D' | 'R' | 'I'), Some('-'), Some(c)) if c.is_uppercase()
    )
}

/// Lower case, single spaces, no edge punctuation: for phrase look-ups.
fn fold_phrase(s: &str) -> String {
    s.split_whitespace()
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Identity of a name for de-duplication: case, spaces and dots ignored.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The keys an outlet goes by: `New York Post (Opinion)` → the whole name,
/// `new york post`, and the same without a leading `The`.
fn outlet_keys(outlet: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut add = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("The ")
            .or_else(|| s.strip_prefix("the "))
            .unwrap_or(s);
        let k = fold_phrase(s);
        if !k.is_empty() && !keys.contains(&k) {
            keys.push(k);
        }
    };
    add(outlet);
    for part in outlet
        .split([':', '|', '(', ')'])
        .flat_map(|p| p.split(" - "))
    {
        add(part);
    }
    keys
}

/// True when a name is the outlet or the leading words of its name
/// (`Boston Herald` for `Boston Herald Editorial`).
fn is_outlet(name_key: &str, name: &str, outlet_key: &str) -> bool {
    let phrase = fold_phrase(name);
    let phrase = phrase.strip_prefix("the ").unwrap_or(&phrase);
    name_key == key(outlet_key)
        || outlet_key == phrase
        || outlet_key
            .strip_prefix(phrase)
            .is_some_and(|rest| rest.starts_with(' '))
}

/// The text with `(…)`, `[…]`, `{…}` and `<…>` removed (an unclosed one runs to the end).
fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text with URLs, e-mail addresses and handles turned into separators.
fn without_links(s: &str) -> String {
    s.split_inclusive(char::is_whitespace)
        .map(|w| {
            let t = w.trim();
            let lower = t.to_lowercase();
            if t.contains('@') || lower.contains("://") || lower.starts_with("www.") {
                ";"
            } else {
                w
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn split(s: &str) -> Vec<String> {
        split_byline(s)
    }

    #[test]
    fn separators() {
        assert_eq!(split("Jane Doe and John Roe"), v(&["Jane Doe", "John Roe"]));
        assert_eq!(split("Jane Doe, John Roe"), v(&["Jane Doe", "John Roe"]));
        assert_eq!(split("Jane Doe & John Roe"), v(&["Jane Doe", "John Roe"]));
        assert_eq!(split("Jane Doe; John Roe"), v(&["Jane Doe", "John Roe"]));
        assert_eq!(split("Jane Doe | John Roe"), v(&["Jane Doe", "John Roe"]));
        assert_eq!(
            split("Jane Doe, John Roe and Ann Poe"),
            v(&["Jane Doe", "John Roe", "Ann Poe"])
        );
        assert_eq!(
            split("Jane Doe with John Roe"),
            v(&["Jane Doe", "John Roe"])
        );
        assert_eq!(
            split("Иван Петров и Анна Смирнова"),
            v(&["Иван Петров", "Анна Смирнова"])
        );
        assert_eq!(split("Jane Doe AND John Roe"), v(&["Jane Doe", "John Roe"]));
        assert_eq!(split("Jane Doe et al."), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe Et Al."), v(&["Jane Doe"]));
    }

    #[test]
    fn by_and_prefixes() {
        assert_eq!(split("By Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(split("by Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(split("BY JANE DOE"), v(&["JANE DOE"]));
        assert_eq!(split("By: Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(split("Written by Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(
            split("by Jane Doe and John Roe, Staff Writers"),
            v(&["Jane Doe", "John Roe"])
        );
        assert_eq!(
            split("Analysis Stephen Collinson"),
            v(&["Stephen Collinson"])
        );
        assert_eq!(split("Opinion by Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(split("Text Lizzie Presser"), v(&["Lizzie Presser"]));
        assert_eq!(split("By"), Vec::<String>::new());
    }

    #[test]
    fn honorifics() {
        assert_eq!(split("Sen. Ted Cruz"), v(&["Ted Cruz"]));
        assert_eq!(split("Rep. Ro Khanna"), v(&["Ro Khanna"]));
        assert_eq!(split("Congressman Paul Gosar"), v(&["Paul Gosar"]));
        assert_eq!(split("Dr. Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(split("Former Sen. Jane Doe"), v(&["Jane Doe"]));
        assert_eq!(split("President Barack Obama"), v(&["Barack Obama"]));
        // Not stripped when it would leave a single word.
        assert_eq!(split("Judge Dredd"), v(&["Judge Dredd"]));
        assert_eq!(split("Mark Judge"), v(&["Mark Judge"]));
    }

    #[test]
    fn quotes_and_punctuation() {
        assert_eq!(split("\"Cortney OBrien\""), v(&["Cortney OBrien"]));
        assert_eq!(split("“Jane Doe”"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe."), v(&["Jane Doe"]));
        assert_eq!(split("Jane A."), v(&["Jane A."]));
        assert_eq!(split("Leonard Pitts Jr."), v(&["Leonard Pitts Jr."]));
        assert_eq!(split("Leonard Pitts, Jr."), v(&["Leonard Pitts Jr."]));
        assert_eq!(split("Jane Doe, PhD"), v(&["Jane Doe"]));
        assert_eq!(
            split("Jane Doe, M.D., John Roe"),
            v(&["Jane Doe", "John Roe"])
        );
        assert_eq!(split("Jane Doe (R-Texas)"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe [Reuters]"), v(&["Jane Doe"]));
    }

    #[test]
    fn roles_dates_and_contacts() {
        assert_eq!(split("Jane Doe | Reporter"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe, Senior Fellow at X"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe - Staff Writer"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe Jan 5, 2019"), Vec::<String>::new());
        assert_eq!(split("Jane Doe | Jan 5, 2019"), v(&["Jane Doe"]));
        assert_eq!(split("Updated 3:45 PM"), Vec::<String>::new());
        assert_eq!(split("Jane Doe | Updated 3:45 PM ET"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe jane@example.org"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe <jane@example.org>"), v(&["Jane Doe"]));
        assert_eq!(
            split("Jane Doe https://example.org/Jane-Doe"),
            v(&["Jane Doe"])
        );
        assert_eq!(split("Jane Doe @janedoe"), v(&["Jane Doe"]));
        assert_eq!(split("Colleen.Nelson Wsj.Com"), Vec::<String>::new());
        assert_eq!(split("Jane Doe for The Guardian"), v(&["Jane Doe"]));
        assert_eq!(split("Jane Doe is a columnist"), v(&["Jane Doe"]));
        for junk in [
            "Staff Writer At",
            "Cnn Editor-At-Large",
            "White House Reporter",
            "Chairman Of Wellzone",
            "Professor Of Law",
            "Digital Media Fellow",
            "Washington Bureau Chief",
            "Former Cia Director",
            "Supreme Court Biographer",
            "Co-Author Of",
            "An Interview With",
            "An Anonymous User",
            "Stanford University.",
            "Only In America.",
            "On Tbn.",
            "You Go Lower.",
            "Her Husband Live",
            "For More Information",
            "Visit Shellie At",
            "Los Angeles Edition",
            "Robert Reich Blog",
            "Tribune Content Agency",
            "Kaiser Health News",
            "Condé Nast",
            "D-New York",
            "Photos Carlos Chavarría",
            "Photography Edmund Fountain",
            "Illustrations Christina Animashaun",
            "staff writers",
            "J. D.",
        ] {
            assert_eq!(split(junk), Vec::<String>::new(), "{junk}");
        }
    }

    #[test]
    fn non_persons() {
        for junk in [
            "Staff",
            "Editorial Board",
            "The Editorial Board",
            "Associated Press",
            "The Associated Press",
            "Reuters",
            "AP",
            "Opinion",
            "Contributor",
            "Guest Writer",
            "The Editors",
            "Anonymous",
            "N/A",
        ] {
            assert_eq!(split(junk), Vec::<String>::new(), "{junk}");
        }
        assert_eq!(split("Jane Doe, Associated Press"), v(&["Jane Doe"]));
        assert_eq!(
            split("Reporting by Jane Doe; Editing by John Roe"),
            v(&["Jane Doe"])
        );
        assert_eq!(
            split("Story by Jane Doe, photos by John Roe"),
            v(&["Jane Doe"])
        );
    }

    #[test]
    fn kept_names() {
        for name in [
            "Mary-Kate O'Neil",
            "Fyodor A. Lukyanov",
            "Ludwig van Beethoven",
            "José María Aznar",
            "Фёдор Лукьянов",
            "Eoin Ó Broin",
            "Veronique De Rugy",
            "Cassie Da Costa",
            "Aymenn Al-Tamimi",
            "J.D. Tuccille",
            "R. Emmett Tyrrell",
            "Valéry Giscard d'Estaing",
            "Leonard Pitts Jr.",
            "H.W. Crocker III",
            "Jennifer Senior",
            "Emily Post",
            "Christopher Guest",
            "毛泽东",
            "Ibn Khaldun",
            "Mohammed bin Salman",
            "Bradford H. B.",
        ] {
            assert_eq!(split(name), v(&[name]), "{name}");
        }
        assert_eq!(split("By Fyodor A. Lukyanov"), v(&["Fyodor A. Lukyanov"]));
    }

    #[test]
    fn last_first() {
        assert_eq!(split("Smith, John"), v(&["John Smith"]));
        assert_eq!(split("By Smith, John"), v(&["John Smith"]));
        assert_eq!(
            split("Smith, John; Doe, Jane"),
            v(&["John Smith", "Jane Doe"])
        );
        // Two full names, not last/first.
        assert_eq!(
            split("Cortney OBrien, Matt Vespa"),
            v(&["Cortney OBrien", "Matt Vespa"])
        );
        // Three single words: not guessed as pairs.
        assert_eq!(split("Smith, John, Doe"), v(&["Smith", "John", "Doe"]));
        assert_eq!(split("Reuters, AP"), Vec::<String>::new());
    }

    #[test]
    fn clean_dedupes_and_drops_outlet() {
        let raw = v(&[
            "\"Cortney OBrien\", Matt Vespa, Cortney OBrien",
            "MATT VESPA",
            "Townhall",
            "Townhall Staff",
        ]);
        assert_eq!(
            clean(&raw, Some("Townhall")),
            v(&["Cortney OBrien", "Matt Vespa"])
        );
        assert_eq!(
            clean(&v(&["J.D. Vance", "J. D. Vance", "j.d.  vance"]), None),
            v(&["J.D. Vance"])
        );
        assert_eq!(
            clean(
                &v(&["Hillary Chabot, Boston Herald, Howie Carr"]),
                Some("Boston Herald Editorial")
            ),
            v(&["Hillary Chabot", "Howie Carr"])
        );
        assert_eq!(
            clean(
                &v(&["Jane Doe, New York Post"]),
                Some("New York Post (Opinion)")
            ),
            v(&["Jane Doe"])
        );
        assert_eq!(
            clean(&v(&["The Nation"]), Some("The Nation")),
            Vec::<String>::new()
        );
        assert_eq!(clean(&v(&["Reason"]), Some("Reason")), Vec::<String>::new());
        assert_eq!(clean(&[], Some("Reason")), Vec::<String>::new());
        // A person whose name merely starts like the outlet stays.
        assert_eq!(
            clean(&v(&["Reason Smith"]), Some("Reason")),
            v(&["Reason Smith"])
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(raw in proptest::collection::vec("\\PC{0,60}", 0..4), outlet in proptest::option::of("\\PC{0,20}")) {
            let names = clean(&raw, outlet.as_deref());
            for n in &names {
                proptest::prop_assert!(!n.trim().is_empty());
                proptest::prop_assert_eq!(n.trim(), n.as_str());
            }
        }

        #[test]
        fn bylines_never_panic(s in "[A-Za-z .,;&|()\"'-]{0,60}") {
            let _ = split_byline(&s);
        }
    }

    /// Measures the cleaner on the AllSides `authors` field. Run with
    /// `cargo test --lib authors::tests::allsides -- --ignored --nocapture`.
    #[test]
    #[ignore = "reads ../shared/corpus; prints figures"]
    fn allsides_measurements() {
        use std::collections::{BTreeMap, HashMap};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/allsides-opinion/jsons");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("SKIPPED: {} missing", dir.display());
            return;
        };
        let mut before: HashMap<String, usize> = HashMap::new();
        let mut after: HashMap<String, usize> = HashMap::new();
        let mut changed: BTreeMap<String, String> = BTreeMap::new();
        let (mut files, mut names_before, mut names_after) = (0, 0, 0);
        let mut per_before: BTreeMap<usize, usize> = BTreeMap::new();
        let mut per_after: BTreeMap<usize, usize> = BTreeMap::new();
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let authors = value["authors"].as_str().unwrap_or("").to_string();
            let outlet = value["source"].as_str().map(str::trim);
            files += 1;
            let raw: Vec<&str> = authors
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            for r in &raw {
                *before.entry(r.to_string()).or_default() += 1;
                let out = clean(&[r.to_string()], outlet);
                if out.len() != 1 || out[0] != *r {
                    changed.insert(r.to_string(), format!("{out:?}"));
                }
            }
            names_before += raw.len();
            let cleaned = clean(std::slice::from_ref(&authors), outlet);
            names_after += cleaned.len();
            *per_before.entry(raw.len()).or_default() += 1;
            *per_after.entry(cleaned.len()).or_default() += 1;
            if cleaned.is_empty() && !raw.is_empty() {
                println!("  emptied: {authors:?} ({outlet:?})");
            }
            for n in cleaned {
                *after.entry(n).or_default() += 1;
            }
        }
        println!(
            "files {files}; names {names_before} -> {names_after}; distinct {} -> {}",
            before.len(),
            after.len()
        );
        println!("names per article before {per_before:?}");
        println!("names per article after  {per_after:?}");
        for (k, v) in &changed {
            println!("  {k:?} ({}) -> {v}", before[k]);
        }
    }
}
