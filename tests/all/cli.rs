//! Command-line habits (issue 18): mistyped paths and missing indexes are
//! usage errors that create nothing, `OPEDEX_INDEX` names the index, counts
//! read as English, short ids work wherever an id does, and progress can be
//! logged.

use std::process::{Command, Stdio};

use crate::common::*;

/// The sample corpus ingested into `dir/index`.
fn sample_index(dir: &std::path::Path) -> std::path::PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&root().join("corpus"))]);
    run.expect(0);
    index
}

#[test]
fn ingest_of_a_missing_path_is_a_usage_error_and_creates_nothing() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let missing = dir.path().join("no-such-folder");
    let run = opedex(&["ingest", "--index", s(&index), s(&missing)]).expect(2);
    assert!(
        run.stderr.contains("no such file or directory"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(s(&missing)), "{}", run.stderr);
    assert!(!index.exists(), "an index was created");
    // One good path beside a missing one: still nothing, the user mistyped.
    let good = fixture("pages/basic.txt");
    opedex(&["ingest", "--index", s(&index), s(&good), s(&missing)]).expect(2);
    assert!(!index.exists());
}

#[test]
fn search_without_an_index_or_a_corpus_says_what_to_do_and_creates_nothing() {
    let dir = tempdir();
    let run = opedex_in(dir.path(), &["search", "peace"]).expect(2);
    assert!(run.stderr.contains("opedex ingest"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "something was created"
    );
}

#[test]
fn opedex_index_names_the_index() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let elsewhere = tempdir();
    let out = Command::new(env!("CARGO_BIN_EXE_opedex"))
        .args(["stats", "--json"])
        .current_dir(elsewhere.path())
        .env("OPEDEX_INDEX", &index)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["articles"], 19);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    let help = opedex(&["search", "--help"]).expect(0).stdout;
    assert!(
        help.contains("OPEDEX_INDEX") && help.contains("[default: index]"),
        "{help}"
    );
}

#[test]
fn counts_of_one_are_singular() {
    let dir = tempdir();
    let (_, run) = ingest_fresh(dir.path(), &[s(&fixture("pages/basic.txt"))]);
    let out = run.expect(0).stdout;
    assert!(
        out.starts_with("ingested 1 file: 1 article (1 new"),
        "{out}"
    );
    assert!(out.contains("; skipped 0 files;"), "{out}");
}

#[test]
fn stats_top_zero_lists_every_entry() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let all = opedex(&["stats", "--index", s(&index), "--top", "0"])
        .expect(0)
        .stdout;
    let ten = opedex(&["stats", "--index", s(&index)]).expect(0).stdout;
    let json = opedex(&["stats", "--json", "--index", s(&index)])
        .expect(0)
        .stdout;
    let authors = serde_json::from_str::<serde_json::Value>(&json).unwrap()["authors"]
        .as_object()
        .unwrap()
        .len();
    assert!(authors > 10, "the sample corpus has {authors} authors");
    assert!(all.lines().count() > ten.lines().count(), "{all}");
    assert!(!all.trim().is_empty());
}

#[test]
fn short_ids_work_for_show_and_similar_and_ambiguity_is_counted() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let shown = opedex(&["show", "--json", "--index", s(&index), "sample-summits"]).expect(0);
    assert!(shown
        .stdout
        .contains("\"id\": \"sample-summits-not-strategy\""));
    let similar = opedex(&["similar", "--json", "--index", s(&index), "sample-summits"]).expect(0);
    assert!(!similar.json_lines().is_empty());
    // Twelve articles whose ids share a beginning.
    let records: String = (1..=12)
        .map(|n| {
            let body = format!(
                "Record {n} argues about harbour number {n} and the breakwater it needs, \
                 and about who pays for calm water in town {n}."
            );
            serde_json::json!({"id": format!("dock-{n:02}"), "title": format!("Dock {n}"), "body": body})
                .to_string()
                + "\n"
        })
        .collect();
    let input = dir.path().join("docks.jsonl");
    std::fs::write(&input, records).unwrap();
    opedex(&["ingest", "-q", "--index", s(&index), s(&input)]).expect(0);
    let many = opedex(&["show", "--index", s(&index), "dock-"]).expect(2);
    assert!(
        many.stderr.contains("more than 10 articles"),
        "{}",
        many.stderr
    );
    let few = opedex(&["show", "--index", s(&index), "dock-1"]).expect(2);
    assert!(
        few.stderr
            .contains("3 articles have ids starting with \"dock-1\" (dock-10, dock-11, dock-12)"),
        "{}",
        few.stderr
    );
    opedex(&["show", "--index", s(&index), "dock-07"]).expect(0);
    opedex(&["show", "--index", s(&index), "dock-7"]).expect(2);
}

#[test]
fn progress_lines_can_be_logged() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let run = opedex(&[
        "ingest",
        "--progress",
        "--index",
        s(&index),
        s(&root().join("corpus")),
    ])
    .expect(0);
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("opedex: read "))
        .unwrap_or_else(|| panic!("no progress line: {}", run.stderr));
    assert!(
        line.contains("(100 %)") && line.contains("6/6 files"),
        "{line}"
    );
    opedex(&["ingest", "--progress", "--quiet", "--index", s(&index)]).expect(2);
}
