//! Issue 17: trustworthy metadata. Every expected field of the author-card
//! pages (`tests/fixtures/cards/`) and the noisy dataset records
//! (`tests/fixtures/datasets/`), read by the real binary; and no search
//! finds a contact (e-mail, phone, postal address) while the prose that
//! quotes an address stays searchable.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{fixture, opedex, s, tempdir};

fn expected(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("expected file");
    serde_json::from_str(&text).expect("expected JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The card pages, each with its expectation, sorted by name.
fn card_pages() -> Vec<(String, Value)> {
    let dir = fixture("cards");
    let mut pages: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("cards fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            let exp = expected(&dir.join(format!("{name}.expected.json")));
            (name, exp)
        })
        .collect();
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(pages.len(), 15, "the README lists 15 card pages");
    pages
}

/// Searchable text of a normalised article: what a search can match.
fn searchable(a: &Value) -> String {
    let mut out = String::new();
    for k in ["title", "body", "outlet", "section"] {
        out.push_str(a[k].as_str().unwrap_or(""));
        out.push('\n');
    }
    for k in ["authors", "topics"] {
        for v in strings(&a[k]) {
            out.push_str(&v);
            out.push('\n');
        }
    }
    out
}

/// Hits (article ids) of a quoted phrase.
fn phrase_hits(index: &Path, text: &str) -> Vec<String> {
    let q = format!("\"{}\"", text.replace('"', " "));
    let run = opedex(&["search", &q, "--json", "-n", "50", "--index", s(index)]);
    assert!(run.code == 0 || run.code == 1, "search {q}: {}", run.stderr);
    if run.code == 1 {
        return Vec::new();
    }
    run.json_lines()
        .iter()
        .filter_map(|h| h["article_id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn card_pages_give_every_expected_field() {
    for (name, exp) in card_pages() {
        let path = fixture(&format!("cards/{name}.txt"));
        let run = opedex(&["normalize", s(&path)]).expect(0);
        let lines = run.json_lines();
        assert_eq!(lines.len(), 1, "{name}: one article");
        let a = &lines[0];
        for key in ["title", "section", "outlet", "published", "lang"] {
            assert_eq!(a[key], exp[key], "{name}: {key}");
        }
        assert_eq!(
            strings(&a["authors"]),
            strings(&exp["authors"]),
            "{name}: authors"
        );
        let cards = a["author_cards"].as_array().cloned().unwrap_or_default();
        let orcids: Vec<String> = cards
            .iter()
            .filter_map(|c| c["orcid"].as_str().map(str::to_string))
            .collect();
        assert_eq!(orcids, strings(&exp["orcids"]), "{name}: orcids");
        let affiliations: BTreeMap<String, Vec<String>> = cards
            .iter()
            .filter(|c| !strings(&c["affiliations"]).is_empty())
            .map(|c| {
                (
                    c["name"].as_str().unwrap_or("").to_string(),
                    strings(&c["affiliations"]),
                )
            })
            .collect();
        let want: BTreeMap<String, Vec<String>> = exp["affiliations"]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), strings(v))).collect())
            .unwrap_or_default();
        assert_eq!(affiliations, want, "{name}: affiliations");
        let body = a["body"].as_str().unwrap_or("");
        assert!(
            body.starts_with(exp["body_starts"].as_str().unwrap()),
            "{name}: body starts {:?}",
            &body[..body.len().min(80)]
        );
        assert!(
            body.ends_with(exp["body_ends"].as_str().unwrap()),
            "{name}: body ends {:?}",
            &body[body.len().saturating_sub(80)..]
        );
        let title_body = format!("{}\n{body}", a["title"].as_str().unwrap_or(""));
        for bad in strings(&exp["must_not_appear"]) {
            assert!(
                !title_body.contains(&bad),
                "{name}: {bad:?} is in the title or body"
            );
        }
        // Contacts are in no field at all by default, and kept only on request.
        for c in strings(&exp["contacts"]) {
            assert!(
                !run.stdout.contains(&c),
                "{name}: contact {c:?} in normalize output"
            );
        }
        let kept = opedex(&["normalize", "--with-contacts", s(&path)]).expect(0);
        let kept = &kept.json_lines()[0];
        let card_contacts = serde_json::to_string(&kept["author_cards"]).unwrap();
        for c in strings(&exp["contacts"]) {
            assert!(
                card_contacts.contains(&c),
                "{name}: --with-contacts keeps {c:?} on a card"
            );
            assert!(
                !searchable(kept).contains(&c),
                "{name}: {c:?} searchable with --with-contacts"
            );
        }
    }
}

#[test]
fn no_search_finds_a_card_contact() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let cards = fixture("cards");
    opedex(&["ingest", "--index", s(&index), s(&cards)]).expect(0);
    let mut checked = 0;
    for (name, exp) in card_pages() {
        for c in strings(&exp["contacts"]) {
            assert_eq!(
                phrase_hits(&index, &c),
                Vec::<String>::new(),
                "{name}: {c:?} is searchable"
            );
            checked += 1;
        }
        for keep in strings(&exp["must_stay_searchable"]) {
            assert_eq!(
                phrase_hits(&index, &keep).len(),
                1,
                "{name}: {keep:?} must stay searchable"
            );
        }
    }
    assert!(checked >= 30, "every card contact is searched ({checked})");
}

/// The dataset records read together (the outlets of `Guest Writer` labels
/// come from the other records of the same host), keyed as in expected.json.
fn dataset_articles(extra: &[&str]) -> BTreeMap<String, Value> {
    let dir = fixture("datasets");
    let mut args = vec!["normalize"];
    args.extend_from_slice(extra);
    let allsides = dir.join("allsides-like");
    let records = dir.join("records.jsonl");
    args.push(s(&allsides));
    args.push(s(&records));
    let run = opedex(&args).expect(0);
    let mut out = BTreeMap::new();
    let mut line = 0;
    for a in run.json_lines() {
        let path = a["source"]["path"].as_str().unwrap_or("").to_string();
        let key = if path.ends_with("records.jsonl") {
            line += 1;
            format!("records.jsonl:{line}")
        } else {
            let file = Path::new(&path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            format!("allsides-like/{file}")
        };
        out.insert(key, a);
    }
    out
}

#[test]
fn dataset_records_give_every_expected_field() {
    let exp = expected(&fixture("datasets/expected.json"));
    let exp = exp.as_object().unwrap();
    let got = dataset_articles(&[]);
    assert_eq!(
        got.len(),
        exp.len(),
        "every record is read: {:?}",
        got.keys().collect::<Vec<_>>()
    );
    for (key, e) in exp {
        let a = got.get(key).unwrap_or_else(|| panic!("{key} was not read"));
        assert_eq!(
            strings(&a["authors"]),
            strings(&e["authors"]),
            "{key}: authors"
        );
        assert_eq!(a["outlet"], e["outlet"], "{key}: outlet");
        if let Some(title) = e.get("title") {
            assert_eq!(&a["title"], title, "{key}: title");
        }
        if let Some(section) = e.get("section") {
            assert_eq!(&a["section"], section, "{key}: section");
        }
        let body = a["body"].as_str().unwrap_or("");
        assert!(
            body.ends_with(e["body_ends"].as_str().unwrap()),
            "{key}: body ends {:?}",
            &body[body.len().saturating_sub(120)..]
        );
        let text = searchable(a);
        for bad in strings(&e["must_not_appear"]) {
            assert!(!text.contains(&bad), "{key}: {bad:?} is searchable");
        }
        let stored = serde_json::to_string(a).unwrap();
        for c in strings(&e["contacts"]) {
            assert!(!stored.contains(&c), "{key}: {c:?} is stored");
        }
        for keep in strings(&e["must_stay_searchable"]) {
            assert!(body.contains(&keep), "{key}: {keep:?} left the body");
        }
    }
}

#[test]
fn dataset_bio_lines_become_cards_and_keep_contacts_only_on_request() {
    let got = dataset_articles(&["--with-contacts"]);
    let a = &got["allsides-like/porchlight_sidebar_not_first.json"];
    let card = &a["author_cards"][0];
    assert_eq!(card["name"], "Dorian Fairweather");
    assert_eq!(
        card["bio"],
        "Dorian Fairweather is a senior editor at Porchlight Daily."
    );
    assert_eq!(card["handle"], "@dfairweather_example");
    assert_eq!(card["contacts"]["email"], "d.fairweather@example.net");
    let plain = dataset_articles(&[]);
    let card = &plain["allsides-like/porchlight_sidebar_not_first.json"]["author_cards"][0];
    assert_eq!(
        card["bio"],
        "Dorian Fairweather is a senior editor at Porchlight Daily."
    );
    assert!(
        card.get("contacts").is_none(),
        "contacts are dropped by default: {card}"
    );
}

#[test]
fn no_search_finds_a_dataset_contact() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let d = fixture("datasets");
    let (allsides, records) = (d.join("allsides-like"), d.join("records.jsonl"));
    opedex(&["ingest", "--index", s(&index), s(&allsides), s(&records)]).expect(0);
    let exp = expected(&fixture("datasets/expected.json"));
    let mut checked = 0;
    for (key, e) in exp.as_object().unwrap() {
        for c in strings(&e["contacts"]) {
            assert_eq!(
                phrase_hits(&index, &c),
                Vec::<String>::new(),
                "{key}: {c:?} is searchable"
            );
            checked += 1;
        }
        for keep in strings(&e["must_stay_searchable"]) {
            assert_eq!(
                phrase_hits(&index, &keep).len(),
                1,
                "{key}: {keep:?} must stay searchable"
            );
        }
    }
    assert!(
        checked >= 15,
        "every dataset contact is searched ({checked})"
    );
    let id = opedex(&["search", "\"help desk\"", "--json", "--index", s(&index)])
        .expect(0)
        .json_lines()[0]["article_id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = opedex(&[
        "show",
        &id,
        "--with-contacts",
        "--json",
        "--index",
        s(&index),
    ])
    .expect(0);
    assert!(
        shown.stderr.contains("holds no e-mail addresses"),
        "{}",
        shown.stderr
    );
    assert!(!shown.stdout.contains("consuela.bn@example.org"));
}

#[test]
fn regression_issue_17_multibyte_date_does_not_lose_the_page() {
    let page = fixture("html/panic-date-multibyte.html");
    let run = opedex(&["normalize", s(&page)]).expect(0);
    let a = &run.json_lines()[0];
    assert_eq!(a["title"], "A date that ends inside a character");
    assert_eq!(a["published"], Value::Null);
}
