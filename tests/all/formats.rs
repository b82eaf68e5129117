//! Dataset dumps (JSON, CSV, TSV, gzip), field maps, dates, languages and
//! syndicated copies, through the real binary.

use std::io::Write;

use crate::common::*;
use serde_json::{json, Value};

fn write(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// About 120 words of original prose on one theme, distinct per `seed`.
fn prose(theme: &str, seed: usize) -> String {
    (0..6)
        .map(|i| {
            format!(
                "Paragraph {i} on {theme}: the council of district {seed} argued for a while about {theme} \
                 and budgets, then voted number {n} after residents spoke for hours about what mattered to them most.",
                n = seed * 10 + i
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn csv_and_tsv_with_common_and_mapped_names() {
    let dir = tempdir();
    let csv = dir.path().join("dump.csv");
    write(
        &csv,
        &format!(
            "headline,byline,publisher,publish_date,text\n\
             \"Ferries, not bridges\",\"By Ada Quill and Bo Renner\",Harbour Post,\"Sept. 12, 2018\",\"{}\"\n\
             Ragged row,only two\n\
             Tram dreams,Cy Verhoeven,Harbour Post,7/4/19,\"{}\"\n",
            prose("ferries", 1).replace('"', "\"\""),
            prose("trams", 2).replace('"', "\"\"")
        ),
    );
    let run = opedex(&["normalize", s(&csv)]);
    // The ragged row starts on the line after the first row's quoted body,
    // which spans as many lines as the prose has.
    let ragged = 2 + prose("ferries", 1).lines().count();
    assert!(
        run.stderr.contains(&format!(
            "dump.csv:{ragged}: skipped: bad record: 2 fields, but the header has 5"
        )),
        "{}",
        run.stderr
    );
    let run = run.expect(0);
    let a = run.json_lines();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["title"], "Ferries, not bridges");
    assert_eq!(a[0]["authors"], json!(["Ada Quill", "Bo Renner"]));
    assert_eq!(a[0]["outlet"], "Harbour Post");
    assert_eq!(a[0]["published"], "2018-09-12");
    assert_eq!(a[1]["published"], "2019-07-04");
    assert_eq!(a[0]["source"]["format"], "csv");

    let tsv = dir.path().join("dump.tsv");
    write(
        &tsv,
        &format!(
            "name\tstory\tpaper\twhen\nWhy parks\t{}\tThe Green Sheet\t2021-03-04\n",
            prose("parks", 3).replace("\n\n", " ")
        ),
    );
    let bad = opedex(&["normalize", s(&tsv)]).expect(2);
    assert!(bad.stderr.contains("missing field"), "{}", bad.stderr);
    let run = opedex(&[
        "normalize",
        "--map",
        "title=name,body=story,outlet=paper,published=when",
        s(&tsv),
    ])
    .expect(0);
    let a = &run.json_lines()[0];
    assert_eq!(a["title"], "Why parks");
    assert_eq!(a["outlet"], "The Green Sheet");
    let unknown = opedex(&["normalize", "--map", "colour=name", s(&tsv)]).expect(2);
    assert!(unknown.stderr.contains("--map"), "{}", unknown.stderr);
}

#[test]
fn json_arrays_gzip_and_bad_gzip() {
    let dir = tempdir();
    let arr = dir.path().join("dump.json");
    let records = json!([
        {"headline": "One", "content": prose("bridges", 4), "author": "Dee Marsh", "date": "2020-01-02"},
        {"headline": "Two", "content": prose("tunnels", 5), "author": {"name": "Eli Stone"}, "date": "not a date"},
        {"headline": "Three, without a body"}
    ]);
    write(&arr, &records.to_string());
    let run = opedex(&["normalize", s(&arr)]);
    assert!(
        run.stderr.contains("dump.json:3: skipped: bad record"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unrecognised date \"not a date\""),
        "{}",
        run.stderr
    );
    let a = run.expect(0).json_lines();
    assert_eq!(a.len(), 2);
    assert_eq!(a[1]["authors"], json!(["Eli Stone"]));
    assert_eq!(a[1]["published"], Value::Null);

    let gz = dir.path().join("dump.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for r in records.as_array().unwrap().iter().take(2) {
        writeln!(enc, "{r}").unwrap();
    }
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    assert_eq!(
        opedex(&["normalize", s(&gz)]).expect(0).json_lines().len(),
        2
    );

    let fake = dir.path().join("fake.jsonl.gz");
    write(&fake, "{\"title\":\"t\",\"body\":\"b\"}\n");
    let r = opedex(&["normalize", s(&fake)]).expect(2);
    assert!(r.stderr.contains("not gzip"), "{}", r.stderr);
}

#[test]
fn many_languages_in_one_index() {
    let dir = tempdir();
    let dump = dir.path().join("langs.jsonl");
    let lines = [
        json!({"title": "Islands and treaties", "body": "The disputed islands remain the obstacle to a peace treaty. Fishermen near the islands want access to their old grounds and a calm sea."}),
        json!({"title": "Острова и договор", "body": "Спорные острова остаются главным препятствием для мирного договора. Рыбаки хотят вернуться к островам и к своим старым промыслам."}),
        json!({"title": "平和条約と島", "body": "平和条約の締結には北方の島々をめぐる問題の解決が欠かせない。漁業者は安全な操業を望んでいる。", "lang": "ja"}),
    ];
    write(
        &dump,
        &lines
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let (index, run) = ingest_fresh(dir.path(), &[s(&dump)]);
    run.expect(0);
    let q = |query: &str, extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["search", query, "--json", "--index", s(&index)];
        args.extend_from_slice(extra);
        opedex(&args).expect(0).hits()
    };
    assert_eq!(q("island", &[])[0]["lang"], "en");
    assert_eq!(q("острова", &[])[0]["lang"], "ru");
    assert_eq!(q("островов", &[])[0]["lang"], "ru");
    let ja = q("平和条約", &[]);
    assert_eq!(ja.len(), 1);
    assert_eq!(ja[0]["lang"], "ja");
    assert!(ja[0]["highlights"]
        .as_array()
        .is_some_and(|h| !h.is_empty()));
    let r = opedex(&["search", "острова", "--lang", "en", "--index", s(&index)]);
    assert_eq!(r.code, 1);
}

#[test]
fn syndicated_copy_is_merged_and_found_under_both_outlets() {
    let dir = tempdir();
    let original = json!({"id": "orig-1", "title": "Why the ferry matters", "outlet": "Harbour Post",
        "url": "https://example.org/ferry", "published": "2022-05-01", "body": prose("the ferry", 7)});
    let mut body = prose("the ferry", 7);
    body = format!("Editor's note: this column first ran in the Harbour Post.\n\n{body}")
        .replace('\u{2019}', "'");
    let copy = json!({"title": "The ferry matters", "outlet": "Inland Courier", "url": "https://example.net/ferry-copy",
        "published": "2022-05-03", "body": body});
    let other = json!({"title": "Bridges", "outlet": "Inland Courier", "body": prose("the bridge tolls", 8)});
    write(
        &dir.path().join("a.jsonl"),
        &format!("{original}\n{other}\n"),
    );
    write(&dir.path().join("b.jsonl"), &format!("{copy}\n"));

    let (index, first) = ingest_fresh(dir.path(), &[s(&dir.path().join("a.jsonl"))]);
    first.expect(0);
    let (_, second) = ingest_fresh(dir.path(), &[s(&dir.path().join("b.jsonl"))]);
    let second = second.expect(0);
    assert!(
        second.stdout.contains("1 syndicated copy merged"),
        "{}",
        second.stdout
    );

    let hits = opedex(&[
        "search",
        "ferry",
        "--json",
        "--outlet",
        "inland courier",
        "--index",
        s(&index),
    ])
    .expect(0)
    .hits();
    assert_eq!(hits.len(), 1, "the copy is shown once, under the original");
    assert_eq!(hits[0]["article_id"], "orig-1");
    assert_eq!(hits[0]["also_in"][0]["outlet"], "Inland Courier");
    assert_eq!(
        hits[0]["also_in"][0]["url"],
        "https://example.net/ferry-copy"
    );
    let stats: Value = serde_json::from_str(
        &opedex(&["stats", "--json", "--index", s(&index)])
            .expect(0)
            .stdout,
    )
    .unwrap();
    assert_eq!(stats["articles"], 2);

    // Both files again, in one run: nothing changes, the copy is still merged.
    let (_, again) = ingest_fresh(
        dir.path(),
        &[
            s(&dir.path().join("a.jsonl")),
            s(&dir.path().join("b.jsonl")),
        ],
    );
    let again = again.expect(0);
    assert!(
        again
            .stdout
            .contains("2 unchanged, 1 syndicated copy merged"),
        "{}",
        again.stdout
    );
    let hits = opedex(&["search", "ferry", "--json", "--index", s(&index)])
        .expect(0)
        .hits();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["also_in"].as_array().unwrap().len(), 1);

    // Within one run, into a fresh index, with and without commits mid-run.
    for every in ["0", "1"] {
        let fresh = tempdir();
        let idx2 = fresh.path().join("index");
        let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
        let run = opedex(&[
            "ingest",
            "--commit-every",
            every,
            "--index",
            s(&idx2),
            s(&a),
            s(&b),
        ]);
        assert!(run.expect(0).stdout.contains("1 syndicated copy merged"));
        let hits = opedex(&["search", "ferry", "--json", "--index", s(&idx2)])
            .expect(0)
            .hits();
        assert_eq!(hits.len(), 1, "commit every {every}");
        assert_eq!(hits[0]["also_in"][0]["outlet"], "Inland Courier");
    }
}

#[test]
fn a_bare_copy_read_first_takes_its_page_s_metadata() {
    // The same piece twice: the article alone, as a reader's "save text"
    // keeps it (no title, no byline, no address), and the page it came
    // from. The bare one sorts first, so it is the version kept.
    let dir = tempdir();
    let paras: String = prose("the night ferry", 3)
        .split("\n\n")
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    write(
        &dir.path().join("a-saved.html"),
        &format!("<html><body><div>{paras}</div></body></html>"),
    );
    write(
        &dir.path().join("b-page.html"),
        &format!(
            r#"<html><head><title>Keep the Night Ferry | Harbour Review</title>
<meta property="og:title" content="Keep the Night Ferry">
<meta property="og:site_name" content="Harbour Review">
<meta name="author" content="Ines Vallory">
<meta property="article:published_time" content="2021-02-03T08:00:00Z">
<link rel="canonical" href="https://harbour.example/opinion/night-ferry">
</head><body><article><h1>Keep the Night Ferry</h1><p class="byline">By Ines Vallory</p>{paras}</article></body></html>"#
        ),
    );
    let (index, run) = ingest_fresh(dir.path(), &[s(dir.path())]);
    assert!(
        run.expect(0).stdout.contains("1 syndicated copy merged"),
        "the two are one piece"
    );
    let check = |hits: Vec<Value>| {
        assert_eq!(hits.len(), 1);
        let h = &hits[0];
        assert!(h["source"]["path"]
            .as_str()
            .unwrap()
            .ends_with("a-saved.html"));
        assert_eq!(h["title"], "Keep the Night Ferry");
        assert_eq!(h["authors"], json!(["Ines Vallory"]));
        assert_eq!(h["outlet"], "Harbour Review");
        assert_eq!(h["url"], "https://harbour.example/opinion/night-ferry");
        assert_eq!(h["published"], "2021-02-03T08:00:00Z");
        assert_eq!(h["also_in"], json!([]), "its place is its own now");
    };
    let search = |extra: &[&str]| {
        let mut args = vec!["search", "night ferry", "--json", "--index", s(&index)];
        args.extend_from_slice(extra);
        opedex(&args).expect(0).hits()
    };
    check(search(&[]));
    check(search(&["--author", "Ines Vallory"]));
    // Again: nothing changes.
    let again = opedex(&["ingest", "--index", s(&index), s(dir.path())]).expect(0);
    assert!(
        again.stdout.contains("0 new, 0 replaced, 1 unchanged"),
        "{}",
        again.stdout
    );
    check(search(&[]));
}
