//! Real corpora from ../shared (skipped with a printed reason when absent).

use crate::common::*;
use serde_json::Value;

#[test]
fn allsides_and_webis_ingest_and_search() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    if !corpus.join("allsides-opinion").exists() || !corpus.join("webis-editorials").exists() {
        eprintln!(
            "SKIPPED: allsides-opinion or webis-editorials missing under {}",
            corpus.display()
        );
        return;
    }
    let dir = tempdir();
    let jsonl = dir.path().join("opeds.jsonl");
    let status = std::process::Command::new("python3")
        .arg(root().join("tools/convert_corpus.py"))
        .args(["--corpus", s(&corpus), "--out", s(&jsonl)])
        .status();
    match status {
        Ok(st) if st.success() => {}
        other => {
            eprintln!("SKIPPED: python3 tools/convert_corpus.py did not run: {other:?}");
            return;
        }
    }
    let (index, run) = ingest_fresh(dir.path(), &[s(&jsonl)]);
    let run = run.expect(0);
    assert!(
        // Two pieces in these corpora ran twice (ARCHITECTURE.md, syndicated copies).
        run.stdout.contains(
            "4623 articles (4621 new, 0 replaced, 0 unchanged, 2 syndicated copies merged"
        ),
        "{}",
        run.stdout
    );
    let stats: Value = serde_json::from_str(
        &opedex(&["stats", "--json", "--index", s(&index)])
            .expect(0)
            .stdout,
    )
    .unwrap();
    assert_eq!(stats["articles"], 4621);
    // 1,285 records name Townhall; 79 more are AllSides "Guest Writer - Right"
    // labels whose URL is on townhall.com (issue 17: the URL says where it ran).
    assert_eq!(stats["outlets"]["Townhall"], 1364);
    assert!(stats["outlets"].get("Guest Writer - Right").is_none());
    // 85 records name The Guardian; 3 AllSides "Guest Writer - Left" records
    // are on theguardian.com.
    assert_eq!(stats["outlets"]["The Guardian"], 88);
    let hits = opedex(&[
        "search",
        "charlie hebdo",
        "--json",
        "--outlet",
        "guardian",
        "--index",
        s(&index),
    ])
    .expect(0)
    .hits();
    assert!(hits.iter().all(|h| h["outlet"] == "The Guardian"));
    assert!(hits[0]["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("hebdo"));
}
