//! Ingestion through the real binary: page layouts, JSONL, bad input, re-ingest.

use crate::common::*;
use serde_json::Value;

fn normalize_one(path: &std::path::Path) -> Value {
    let run = opedex(&["normalize", s(path)]).expect(0);
    let mut lines = run.json_lines();
    assert_eq!(lines.len(), 1, "one article from {}", path.display());
    lines.remove(0)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_page_layout_matches_its_expectation() {
    let dir = fixture("pages");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let a = normalize_one(&path);
        let name = path.display().to_string();
        for key in ["title", "section", "outlet", "lang"] {
            assert_eq!(a[key], expected[key], "{name}: {key}");
        }
        assert_eq!(
            strings(&a["authors"]),
            strings(&expected["authors"]),
            "{name}: authors"
        );
        let body = a["body"].as_str().unwrap();
        assert!(
            body.starts_with(expected["body_starts"].as_str().unwrap()),
            "{name}: body start {body:.80}"
        );
        assert!(
            body.ends_with(expected["body_ends"].as_str().unwrap()),
            "{name}: body end"
        );
        assert!(
            !body.contains("\n\n\n"),
            "{name}: one blank line between paragraphs"
        );
        for snippet in strings(&expected["body_contains"]) {
            assert!(body.contains(&snippet), "{name}: body lacks {snippet:?}");
        }
        let searchable = format!("{} {} {}", a["title"], body, a["topics"]);
        for leak in strings(&expected["must_not_appear"]) {
            assert!(
                !searchable.contains(&leak),
                "{name}: {leak:?} leaked into searchable text"
            );
        }
        let cards = a["author_cards"].as_array().cloned().unwrap_or_default();
        let orcids: Vec<String> = cards
            .iter()
            .filter_map(|c| c["orcid"].as_str().map(str::to_string))
            .collect();
        assert_eq!(orcids, strings(&expected["orcids"]), "{name}: orcids");
        if let Some(affs) = expected["affiliations"].as_object() {
            for (author, want) in affs {
                let card = cards.iter().find(|c| c["name"] == author.as_str());
                let got = card
                    .map(|c| strings(&c["affiliations"]))
                    .unwrap_or_default();
                assert_eq!(got, strings(want), "{name}: affiliations of {author}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 11, "only {checked} page fixtures found");
}

#[test]
fn seed_page_is_read_exactly() {
    let Some(seed) = shared("seed/000_0778c2333011d87b.txt") else {
        return;
    };
    let a = normalize_one(&seed);
    assert_eq!(a["title"], "Russia-Japan — peace can wait");
    assert_eq!(strings(&a["authors"]), vec!["Fyodor A. Lukyanov"]);
    assert_eq!(a["section"], "Editor's Column");
    assert_eq!(a["outlet"], "Nikkei Asian Review");
    assert_eq!(a["lang"], "en");
    let card = &a["author_cards"][0];
    assert_eq!(card["orcid"], "0000-0003-1364-4094");
    assert!(strings(&card["affiliations"]).contains(&"Valdai Discussion Club".to_string()));
    let body = a["body"].as_str().unwrap();
    assert!(body.starts_with("For a moment last week"));
    assert!(body.ends_with("change of heart."));
    for leak in [
        "Subscribe",
        "Want to know",
        "ORCID",
        "SPIN",
        "4139-3941",
        "E-mail",
        "Tel.",
        "980 7353",
        "Malaya Ordynka",
        "Valdai Discussion Club",
        "Nikkei Asian Review",
        "Editor's Column",
    ] {
        assert!(!body.contains(leak), "{leak} leaked into the body");
    }
    let topics = strings(&a["topics"]);
    assert!(
        topics
            .iter()
            .any(|t| t == "foreign policy" || t == "territorial disputes"),
        "{topics:?}"
    );
}

#[test]
fn jsonl_fixture_round_trips() {
    let run = opedex(&["normalize", s(&fixture("jsonl/mixed.jsonl"))]).expect(0);
    let got = run.json_lines();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("jsonl/mixed.expected.json")).unwrap(),
    )
    .unwrap();
    let want = expected["articles"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (a, w) in got.iter().zip(want) {
        assert_eq!(a["title"], w["title"]);
        assert_eq!(strings(&a["authors"]), strings(&w["authors"]));
        assert_eq!(a["outlet"], w["outlet"]);
        assert_eq!(a["published"], w["published"]);
        assert!(a["body"]
            .as_str()
            .unwrap()
            .contains(w["phrase"].as_str().unwrap()));
        assert!(a["lang"].is_string() && a["id"].is_string());
    }
    // normalize's output is valid ingest input and normalises to itself,
    // except that `source` is now the file read and the first run's
    // `source` is the record's claim (`claimed_source`).
    let dir = tempdir();
    let again = dir.path().join("again.jsonl");
    std::fs::write(&again, &run.stdout).unwrap();
    let second = opedex(&["normalize", s(&again)]).expect(0);
    let expected: Vec<Value> = got
        .iter()
        .map(|a| {
            let mut a = a.clone();
            let first = a["source"].take();
            a["claimed_source"] = first;
            a["source"] = serde_json::json!({"path": s(&again), "format": "jsonl"});
            a
        })
        .collect();
    assert_eq!(second.json_lines(), expected);
}

#[test]
fn bad_input_is_reported_and_skipped() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(
        dir.path(),
        &[s(&fixture("bad")), s(&fixture("pages/basic.txt"))],
    );
    let run = run.expect(0);
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("whitespace_only.txt", "empty file"),
        ("invalid_utf8.txt", "not valid UTF-8"),
        ("png_named.txt", "binary"),
        ("only_title.txt", "no article found"),
        ("malformed.jsonl:2", "invalid JSON"),
        ("malformed.jsonl:4", "expected a JSON object"),
        ("malformed.jsonl:5", "missing field `body`"),
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "no message for {file} ({reason}) in:\n{}",
            run.stderr
        );
    }
    // binary.bin has an unknown extension and is ignored, not read.
    assert!(run.stdout.contains("3 articles"), "{}", run.stdout);
    assert!(run.stdout.contains("skipped 5 files"), "{}", run.stdout);
    assert!(run.stdout.contains("3 records"), "{}", run.stdout);
    let stats = opedex(&["stats", "--json", "--index", s(&index)]).expect(0);
    let v: Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(v["articles"], 3);
}

#[test]
fn explicit_binary_file_is_skipped_with_reason() {
    let dir = tempdir();
    let (_, run) = ingest_fresh(dir.path(), &[s(&fixture("bad/binary.bin"))]);
    let run = run.expect(0);
    assert!(
        run.stderr.contains("binary.bin: skipped: binary file"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("0 articles"));
}

#[test]
fn reingest_makes_no_duplicates_and_changed_files_replace() {
    let dir = tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(fixture("pages/basic.txt"), corpus.join("a.txt")).unwrap();
    std::fs::copy(fixture("jsonl/mixed.jsonl"), corpus.join("b.jsonl")).unwrap();
    let (index, first) = ingest_fresh(dir.path(), &[s(&corpus)]);
    assert!(first.expect(0).stdout.contains("5 articles (5 new"));
    let (_, second) = ingest_fresh(dir.path(), &[s(&corpus)]);
    assert!(second
        .expect(0)
        .stdout
        .contains("(0 new, 0 replaced, 5 unchanged"));

    // Change the page's body: its id (content-derived) changes, the old version must go.
    let text = std::fs::read_to_string(corpus.join("a.txt")).unwrap();
    let last_para_start = text.rfind("\n\n").unwrap();
    let changed = format!("{}\n\nA brand new closing paragraph about zeppelins and their revival as cargo carriers.{}", &text[..last_para_start], &text[last_para_start..]);
    std::fs::write(corpus.join("a.txt"), changed).unwrap();
    let (_, third) = ingest_fresh(dir.path(), &[s(&corpus)]);
    let third = third.expect(0);
    assert!(
        third.stdout.contains("1 new") && third.stdout.contains("1 removed"),
        "{}",
        third.stdout
    );
    let v: Value = serde_json::from_str(
        &opedex(&["stats", "--json", "--index", s(&index)])
            .expect(0)
            .stdout,
    )
    .unwrap();
    assert_eq!(v["articles"], 5);
    let hits = opedex(&["search", "zeppelins", "--json", "--index", s(&index)])
        .expect(0)
        .hits();
    assert_eq!(hits.len(), 1);
}

#[test]
fn set_gives_defaults_and_stdin_is_read() {
    let run = opedex(&[
        "normalize",
        "--set",
        "outlet=Sample Gazette",
        "--set",
        "published=2020-05-01",
        s(&fixture("pages/no_outlet.txt")),
    ])
    .expect(0);
    let a = &run.json_lines()[0];
    assert_eq!(a["outlet"], "Sample Gazette");
    assert_eq!(a["published"], "2020-05-01");
    let bad = opedex(&[
        "normalize",
        "--set",
        "colour=red",
        s(&fixture("pages/basic.txt")),
    ])
    .expect(2);
    assert!(bad.stderr.contains("unknown field"), "{}", bad.stderr);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opedex"))
        .args(["normalize", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"title":"From stdin","body":"A short body read from standard input."}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["title"], "From stdin");
    assert_eq!(line["source"]["path"], "-");
}

#[test]
fn normalize_of_only_bad_input_exits_2() {
    let run = opedex(&["normalize", s(&fixture("bad/empty.txt"))]).expect(2);
    assert!(run.stderr.contains("empty file"));
}

#[test]
fn thousands_of_files_in_one_directory() {
    let dir = tempdir();
    let corpus = dir.path().join("many");
    std::fs::create_dir(&corpus).unwrap();
    for i in 0..2000 {
        let text = match i % 4 {
            0 => String::new(),
            _ => format!("{{\"title\":\"Note {i}\",\"body\":\"Short note number {i} about council meeting {i}.\"}}\n"),
        };
        std::fs::write(corpus.join(format!("{i:04}.jsonl")), text).unwrap();
    }
    let (index, run) = ingest_fresh(dir.path(), &[s(&corpus)]);
    let run = run.expect(0);
    assert!(
        run.stdout.contains("ingested 2000 files: 1500 articles"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("skipped 500 files (500 empty)"),
        "{}",
        run.stdout
    );
    let hits = opedex(&["search", "\"meeting 1999\"", "--json", "--index", s(&index)])
        .expect(0)
        .hits();
    assert_eq!(hits[0]["title"], "Note 1999");
}

#[test]
fn topics_file_replaces_the_taxonomy() {
    let dir = tempdir();
    let taxonomy = dir.path().join("topics.json");
    std::fs::write(
        &taxonomy,
        r#"{"topics": {"coasts": {"en": ["harbour", "tide", "quay", "sea"]}, "fisheries": {"en": ["fishermen", "fishing", "islands"]}}}"#,
    )
    .unwrap();
    let Some(seed) = shared("seed/000_0778c2333011d87b.txt") else {
        return;
    };
    let run = opedex(&["normalize", "--topics", s(&taxonomy), s(&seed)]).expect(0);
    let a = &run.json_lines()[0];
    assert_eq!(
        a["topics"],
        serde_json::json!([]),
        "one cue word is not enough evidence"
    );
    let page = fixture("pages/basic.txt");
    let default = opedex(&["normalize", s(&page)]).expect(0).json_lines();
    let custom = opedex(&["normalize", "--topics", s(&taxonomy), s(&page)])
        .expect(0)
        .json_lines();
    assert_eq!(custom[0]["topics"], serde_json::json!(["coasts"]));
    assert!(default[0]["topics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t != "coasts"));
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{").unwrap();
    let r = opedex(&["normalize", "--topics", s(&broken), s(&page)]).expect(2);
    assert!(r.stderr.contains("broken.json"), "{}", r.stderr);
}
