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
    // News agencies and "agencies" in the corpora's languages.
    "agencies",
    "agenturen",
    "agences",
    "agencias",
    "agenzie",
    "dpa",
    "pti",
    "ians",
    "efe",
    "ansa",
    "xinhua",
    "kyodo",
    "tass",
    // A picture's credit, and words of page furniture that author
    // fields pick up.
    "courtesy",
    "cortesía",
    "name",
    "privacy",
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
        // After a name and a job title ("Jane Roe, Senior Staff
        // Technologist, ACLU Speech, Privacy, and Technology Project") the
        // parts are her affiliation, until one opens with "and" and
        // another person ("…, and John Doe, Editor").
        let mut affiliation = false;
        let mut found = false;
        for part in parts {
            let words: Vec<&str> = part.split_whitespace().collect();
            if affiliation {
                let joins = words.first().is_some_and(|w| is_conjunction(w));
                if !joins || person(&words[1..]).is_none() {
                    continue;
                }
                affiliation = false;
            }
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
                    found = true;
                }
            }
            if found && !after_name && words.iter().any(|w| ROLE_WORDS.contains(&fold(w).as_str()))
            {
                affiliation = true;
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

/// A user name as blogs, forums and recipe sites credit their writers
/// ("gizzmo", "mh", "jesusfreak", "r23"): one token of 2–30 letters, digits,
/// `.`, `_` or `-`, holding a letter, that is no lead, honorific, role,
/// function word or known non-person and no domain. [`clean`] never takes
/// one (dataset author strings are lists of names, where a lone lower-case
/// word is noise); readers ask for it only where a page's own author field
/// or author element holds nothing but that token.
pub fn handle(raw: &str) -> Option<String> {
    let t = raw.trim().trim_matches(QUOTES).trim();
    let shaped = (2..=30).contains(&t.chars().count())
        && t.chars().any(char::is_alphabetic)
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !t.starts_with(['.', '-', '_'])
        && !t.ends_with(['.', '-', '_'])
        && !t.to_lowercase().starts_with("www.")
        && !looks_like_domain(t);
    let f = fold(t);
    let banned = [
        NON_NAME_LEADS,
        HONORIFICS,
        ROLE_WORDS,
        FUNCTION_WORDS,
        NON_PERSONS,
        PLACEHOLDERS,
    ]
    .iter()
    .any(|list| list.contains(&f.as_str()))
        || f.split(['-', '_', '.']).any(|p| ROLE_WORDS.contains(&p));
    (shaped && !banned).then(|| t.to_string())
}

/// What content systems put in an author field when no person is named.
const PLACEHOLDERS: &[&str] = &[
    "admin",
    "administrator",
    "webmaster",
    "publisher",
    "owner",
    "user",
    "guest",
    "anonymous",
    "unknown",
    "human",
    "humans",
    "null",
    "none",
    "undefined",
    "site",
    "website",
    "blog",
    "team",
];

/// Whether a user name is the site's own name rather than a writer's: the
/// outlet (or one of its words: "Beachbody" of "The Beachbody Blog") or a
/// label of the page's host (`appleinsider` of `appleinsider.com`).
pub fn is_site_name(handle: &str, outlet: Option<&str>, host: Option<&str>) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let k = squash(handle);
    outlet.is_some_and(|o| squash(o) == k || o.split_whitespace().any(|w| squash(w) == k))
        || host.is_some_and(|h| h.split('.').any(|label| squash(label) == k))
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
    let words = name_words(words);
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
    if name.chars().any(|c| c.is_numeric() || c == '@') || !are_name_words(&words) {
        return None;
    }
    Some(without_final_stop(name, &words))
}

/// The words that may form a name: lead words and honorifics dropped from
/// the front, cut before `for`, `is` … ("Jane Doe for The Guardian", "Jane
/// Doe is a columnist": keep the person), edges trimmed, "et al." dropped.
fn name_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut words = strip_front(words.to_vec());
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
    if words.len() >= 2
        && fold(words[words.len() - 1]) == "al"
        && fold(words[words.len() - 2]) == "et"
    {
        words.truncate(words.len() - 2);
    }
    words
}

/// Whether every word may stand in a name (no function, role or party word,
/// no domain, lower case only for a particle) and one is a capitalised word
/// (not initials or particles only).
fn are_name_words(words: &[&str]) -> bool {
    let mut has_capital_word = false;
    for w in words {
        let f = fold(w);
        if FUNCTION_WORDS.contains(&f.as_str()) {
            return false;
        }
        if f.split('-').any(|p| ROLE_WORDS.contains(&p)) || ROLE_WORDS.contains(&f.as_str()) {
            return false;
        }
        if looks_like_domain(w) || is_party_tag(w) {
            return false;
        }
        let Some(c) = w.chars().find(|c| c.is_alphabetic()) else {
            // A word of punctuation only.
            return false;
        };
        if c.is_lowercase() {
            let particle = PARTICLES.contains(&f.as_str())
                || ["d'", "l'", "d’", "l’"].iter().any(|p| f.starts_with(p));
            if !particle {
                return false;
            }
        } else {
            has_capital_word |=
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2 || !c.is_uppercase();
        }
    }
    has_capital_word
}

/// The name without a final full stop, which belongs to an initial or
/// "Jr." only.
fn without_final_stop(mut name: String, words: &[&str]) -> String {
    if let Some(last) = words.last() {
        let letters = last.chars().filter(|c| c.is_alphabetic()).count();
        let keep = letters <= 1
            || SUFFIXES.contains(&fold(last).as_str())
            || last.matches('.').count() > 1;
        if last.ends_with('.') && !keep {
            name.pop();
        }
    }
    name
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
mod tests;
