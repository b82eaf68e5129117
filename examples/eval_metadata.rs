//! Measures the metadata that filters rely on (issue 17): authors, outlets
//! and personal contact data, on the shared corpora.
//!
//! ```text
//! cargo run --release --example eval_metadata -- [CORPUS] [--list]
//! ```
//!
//! `CORPUS` defaults to `../shared/corpus`; without it the program says so
//! and exits 0. Every corpus folder is read with `opedex::normalize` and the
//! default options, as `opedex ingest` reads it (contacts dropped), and
//! scored with rules written here, apart from the library's own:
//!
//! - AllSides, authors: among records whose `authors` string lists two or
//!   more people and whose URL (letters only, lower case) contains exactly
//!   one of them (letters only), the share whose `authors` is exactly that
//!   person; and the share of articles credited with three or more authors;
//! - AllSides, outlets: the share of articles whose outlet is a publication;
//! - every corpus: outlets that are dataset labels, URLs, bare domains,
//!   @handles, navigation text (three or more parts between bars or arrows)
//!   or hold a year-like number (printed for a look);
//! - every corpus: e-mail addresses and telephone numbers in any field of
//!   the article as it is stored (title, authors, outlet, section, topics,
//!   body, author cards).
//!
//! - trafilatura-eval: authors as exact sets of names (case folded,
//!   whitespace folded, a leading by/von/par/por stripped; the gold split
//!   at `,` `;` ` and ` ` und ` ` & `), and dates as `YYYY-MM-DD`, of each
//!   page read as `opedex ingest` reads it (the HTML reader, then
//!   completion), against the gold metadata.
//!
//! `--list` prints every outlet and contact found, and the metadata and
//! main-text snippet misses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use opedex::stages::{self, Origin};
use opedex::{Article, Format, Normalized, ReadOptions};
use serde_json::Value;

fn main() {
    let mut corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut list = false;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--list" => list = true,
            other => corpus = PathBuf::from(other),
        }
    }
    if !corpus.is_dir() {
        println!(
            "SKIPPED: {} is absent (shared corpora are not part of a clone)",
            corpus.display()
        );
        return;
    }
    let mut bad_outlets: BTreeMap<String, usize> = BTreeMap::new();
    let mut contacts: BTreeMap<String, usize> = BTreeMap::new();
    let mut names: Vec<_> = std::fs::read_dir(&corpus)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for dir in names {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let started = Instant::now();
        let articles = read(&dir);
        let mut outlets: BTreeSet<String> = BTreeSet::new();
        let mut found = 0;
        for a in &articles {
            if let Some(o) = &a.outlet {
                outlets.insert(o.clone());
                if let Some(why) = not_a_publication(o) {
                    *bad_outlets
                        .entry(format!("{name}: {o:?} ({why})"))
                        .or_default() += 1;
                }
            }
            for c in contact_data(a) {
                found += 1;
                *contacts.entry(format!("{name}: {c}")).or_default() += 1;
            }
        }
        println!(
            "{name}: {} articles, {} distinct outlets, {found} e-mail addresses or phone numbers stored ({:.1} s)",
            articles.len(),
            outlets.len(),
            started.elapsed().as_secs_f64()
        );
        if name == "allsides-opinion" {
            allsides(&articles);
        }
        if list {
            for o in &outlets {
                println!("  outlet {o:?}");
            }
        }
    }
    trafilatura(&corpus.join("trafilatura-eval"), list);
    println!(
        "outlets that are labels, URLs, handles, navigation or dates: {}",
        bad_outlets.len()
    );
    for (o, n) in &bad_outlets {
        println!("  {n:5}  {o}");
    }
    println!(
        "e-mail addresses and phone numbers stored or searchable: {} ({} distinct)",
        contacts.values().sum::<usize>(),
        contacts.len()
    );
    for (c, n) in contacts.iter().take(if list { usize::MAX } else { 25 }) {
        println!("  {n:5}  {c}");
    }
}

fn read(dir: &Path) -> Vec<Article> {
    let opts = ReadOptions::default();
    opedex::normalize(&[dir.to_path_buf()], &opts)
        .filter_map(|item| match item {
            Normalized::Article(a) => Some(*a),
            _ => None,
        })
        .collect()
}

/// Letters only, lower case.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The AllSides figures of the issue's table.
fn allsides(articles: &[Article]) {
    let (mut named, mut exact, mut three, mut publication) = (0, 0, 0, 0);
    for a in articles {
        if a.authors.len() >= 3 {
            three += 1;
        }
        if a.outlet
            .as_deref()
            .is_some_and(|o| not_a_publication(o).is_none())
        {
            publication += 1;
        }
        let Some(raw) = a
            .source
            .as_ref()
            .and_then(|s| std::fs::read_to_string(&s.path).ok())
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        else {
            continue;
        };
        let listed: Vec<String> = raw["authors"]
            .as_str()
            .unwrap_or("")
            .split(',')
            .map(|n| n.trim().trim_matches('"').trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let url = squash(raw["url"].as_str().unwrap_or(""));
        let hits: Vec<&String> = listed
            .iter()
            .filter(|n| !squash(n).is_empty() && url.contains(&squash(n)))
            .collect();
        if listed.len() >= 2 && hits.len() == 1 {
            named += 1;
            if a.authors.len() == 1 && squash(&a.authors[0]) == squash(hits[0]) {
                exact += 1;
            }
        }
    }
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    println!(
        "  URL names one of the listed people: authors is exactly that person in {exact} of {named} ({:.1} %)",
        pct(exact, named)
    );
    println!(
        "  credited with 3 or more authors: {three} of {} ({:.1} %)",
        articles.len(),
        pct(three, articles.len())
    );
    println!(
        "  outlet is a publication: {publication} of {} ({:.1} %)",
        articles.len(),
        pct(publication, articles.len())
    );
}

/// Why an outlet value names no publication, if it does not.
fn not_a_publication(o: &str) -> Option<&'static str> {
    let lower = o.trim().to_lowercase();
    if lower.starts_with("guest writer")
        || ["hosted", "opinion", "editorial", "staff", "contributor"].contains(&lower.as_str())
    {
        return Some("label");
    }
    if lower.contains("://") || lower.starts_with("www.") {
        return Some("URL");
    }
    if !lower.contains(' ')
        && lower.contains('.')
        && lower
            .rsplit('.')
            .next()
            .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Some("domain");
    }
    if lower.starts_with('@') {
        return Some("handle");
    }
    if o.split(['|', '»', '›'])
        .filter(|p| !p.trim().is_empty())
        .count()
        >= 3
    {
        return Some("navigation");
    }
    let digits = o.chars().filter(char::is_ascii_digit).count();
    if digits >= 4
        && o.split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() == 4 || run.len() == 2)
    {
        return Some("date?");
    }
    None
}

/// E-mail addresses and phone numbers in what is stored of an article.
fn contact_data(a: &Article) -> Vec<String> {
    let mut a = a.clone();
    a.source = None;
    a.url = None;
    a.also_in.clear();
    let text = serde_json::to_string(&a).unwrap_or_default();
    let text = text.replace("\\n", " ");
    let mut out = emails(&text);
    out.extend(phones(&text));
    out
}

fn emails(text: &str) -> Vec<String> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if c != '@' {
            continue;
        }
        let local = |c: &char| c.is_ascii_alphanumeric() || "._%+-".contains(*c);
        let start = (0..i).rev().take_while(|&j| local(&b[j])).last();
        let end = (i + 1..b.len())
            .take_while(|&j| b[j].is_ascii_alphanumeric() || b[j] == '.' || b[j] == '-')
            .last();
        if let (Some(s), Some(e)) = (start, end) {
            let domain: String = b[i + 1..=e].iter().collect();
            let domain = domain.trim_end_matches('.');
            if domain
                .rsplit_once('.')
                .is_some_and(|(_, t)| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
            {
                out.push(format!("{}@{domain}", b[s..i].iter().collect::<String>()));
            }
        }
    }
    out
}

/// North American numbers (`(202) 555-0123`, `202-555-0123`, `202.555.0123`)
/// and international ones (`+44 20 7946 0000`). Brackets hold an area code,
/// never a number's last group: `483 873 (1954)` is a case citation's pages
/// and year (`347 U.S. 483, 873 (1954)`), not a number.
fn phones(text: &str) -> Vec<String> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if i > 0 && (b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut groups = Vec::new();
        let mut cur = 0;
        let plus = b[i] == '+';
        if plus || b[i] == '(' {
            j += 1;
        }
        // Whether the group being read opened right after a `(`.
        let mut bracketed = false;
        let mut last_bracketed = false;
        while j < b.len() && (b[j].is_ascii_digit() || " -.()".contains(b[j])) {
            if b[j].is_ascii_digit() {
                if cur == 0 {
                    bracketed = j > 0 && b[j - 1] == '(';
                }
                cur += 1;
            } else if cur > 0 {
                groups.push(cur);
                last_bracketed = bracketed;
                cur = 0;
            }
            j += 1;
        }
        if cur > 0 {
            groups.push(cur);
            last_bracketed = bracketed;
        }
        let digits: usize = groups.iter().sum();
        let nanp = groups.ends_with(&[3, 3, 4]) && groups.len() <= 4 && !last_bracketed;
        let intl = plus && (9..=15).contains(&digits) && groups.len() >= 2;
        if nanp || intl {
            out.push(b[i..j].iter().collect::<String>().trim().to_string());
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Authors and dates of trafilatura-eval against its gold metadata.
fn trafilatura(dir: &Path, list: bool) {
    let Some(data) = std::fs::read(dir.join("evaldata-subset.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    else {
        println!("trafilatura-eval: SKIPPED (absent)");
        return;
    };
    let opts = ReadOptions::default();
    let (mut authors, mut dates) = ((0, 0), (0, 0));
    // Snippets of the main text (tp, fp, fn), on the completed body: the
    // closing-line rules run after the HTML reader.
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut entries: Vec<(&String, &Value)> = data
        .as_object()
        .map(|o| o.iter().collect())
        .unwrap_or_default();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (key, v) in entries {
        let Some(file) = v["file"].as_str() else {
            continue;
        };
        let Ok(bytes) = std::fs::read(dir.join("html").join(file)) else {
            continue;
        };
        let url = key.starts_with("http").then_some(key.as_str());
        let origin = Origin {
            display: file.to_string(),
            key: None,
            format: Format::Html,
        };
        let article = stages::html::parse(&bytes, url)
            .ok()
            .and_then(|a| stages::complete(a, &origin, &opts, &mut Vec::new()).ok());
        let ws = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let body = ws(article.as_ref().map_or("", |a| a.body.as_str()));
        for snippet in v["with"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if body.contains(&ws(snippet)) {
                tp += 1;
            } else {
                fn_ += 1;
                misses.push(format!("snippet missing {snippet:?} [{key}]"));
            }
        }
        for snippet in v["without"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if body.contains(&ws(snippet)) {
                fp += 1;
                misses.push(format!("snippet unwanted {snippet:?} [{key}]"));
            }
        }
        if let Some(gold) = v["author"].as_str().filter(|g| !g.trim().is_empty()) {
            authors.1 += 1;
            let want = name_set(&gold_names(gold));
            let got = name_set(
                &article
                    .as_ref()
                    .map(|a| a.authors.clone())
                    .unwrap_or_default(),
            );
            if want == got {
                authors.0 += 1;
            } else {
                misses.push(format!("author gold {want:?} got {got:?} [{key}]"));
            }
        }
        if let Some(gold) = v["date"].as_str().and_then(day) {
            dates.1 += 1;
            let got = article
                .as_ref()
                .and_then(|a| a.published.as_deref())
                .and_then(day);
            if got.as_deref() == Some(gold.as_str()) {
                dates.0 += 1;
            } else {
                misses.push(format!("date gold {gold} got {got:?} [{key}]"));
            }
        }
    }
    let share = |(ok, n): (usize, usize)| ok as f64 / n.max(1) as f64;
    let f1 = 2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64;
    println!(
        "trafilatura-eval: authors {:.3} ({}/{}), dates {:.3} ({}/{}), completed-body snippet F1 {f1:.3}",
        share(authors), authors.0, authors.1, share(dates), dates.0, dates.1
    );
    if list {
        for m in misses {
            println!("  {m}");
        }
    }
}

/// The gold author string as names.
fn gold_names(gold: &str) -> Vec<String> {
    let mut parts = vec![gold.to_string()];
    for sep in [",", ";", " and ", " und ", " & "] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
}

/// Names case folded, whitespace folded, without a leading by/von/par/por.
fn name_set(names: &[String]) -> BTreeSet<String> {
    names
        .iter()
        .map(|n| {
            let n = n
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            ["by ", "von ", "par ", "por "]
                .iter()
                .find_map(|p| n.strip_prefix(p))
                .unwrap_or(&n)
                .to_string()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// `YYYY-MM-DD` of a date as written.
fn day(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let Some(d) = raw
        .get(..10)
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
        .and_then(stages::date::canonical)
    {
        return Some(d);
    }
    stages::date::canonical(raw).map(|d| d.chars().take(10).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_citation_is_not_a_phone_number() {
        // Pages and a bracketed year, as courts cite them.
        assert!(phones("Brown v. Board, 347 U.S. 483 873 (1954).").is_empty());
        // An area code in brackets is a phone number's first group.
        assert_eq!(phones("call (202) 555-0123 now"), vec!["(202) 555-0123"]);
        assert_eq!(phones("call 202-555-0123."), vec!["202-555-0123."]);
        assert_eq!(phones("tel +44 20 7946 0000"), vec!["+44 20 7946 0000"]);
    }
}
