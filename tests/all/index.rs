//! Opening indexes that are missing, foreign, or of another schema version.

use crate::common::*;

#[test]
fn not_an_index_is_refused_clearly() {
    let dir = tempdir();
    let r = opedex(&["stats", "--index", s(dir.path())]).expect(2);
    assert!(r.stderr.contains("is not an opedex index"), "{}", r.stderr);
    let missing = dir.path().join("nope");
    let r = opedex(&["search", "x", "--index", s(&missing)]).expect(2);
    assert!(r.stderr.contains("no such directory"), "{}", r.stderr);
    std::fs::write(dir.path().join("meta.json"), "garbage{").unwrap();
    let r = opedex(&["stats", "--index", s(dir.path())]).expect(2);
    assert!(r.stderr.contains("is not an opedex index"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn other_schema_version_is_refused_with_advice() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(dir.path(), &[s(&fixture("pages/basic.txt"))]);
    run.expect(0);
    // Rewrite the commit payload as an older opedex would have left it.
    let meta_path = index.join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&meta).unwrap();
    let payload = v["payload"].as_str().unwrap().replace(
        &format!("\"opedex_schema\":{}", opedex::SCHEMA_VERSION),
        "\"opedex_schema\":0",
    );
    v["payload"] = payload.into();
    std::fs::write(&meta_path, v.to_string()).unwrap();
    let r = opedex(&["search", "x", "--index", s(&index)]).expect(2);
    assert!(r.stderr.contains("schema version 0"), "{}", r.stderr);
    assert!(r.stderr.contains("re-ingest"), "{}", r.stderr);
}

#[test]
fn completions_and_man_page_are_generated() {
    let r = opedex(&["completions", "bash"]).expect(0);
    assert!(r.stdout.contains("opedex") && r.stdout.contains("ingest"));
    let r = opedex(&["man"]).expect(0);
    assert!(r.stdout.contains(".TH opedex"));
}
