//! `opedex optimize`: merging a finished index into fewer segments.

use std::path::Path;

use crate::common::*;

/// Segments the index's last commit lists.
fn segments(index: &Path) -> usize {
    let meta = std::fs::read_to_string(index.join("meta.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&meta).unwrap();
    v["segments"].as_array().unwrap().len()
}

/// The sample corpus, committed every 3 articles, so in several segments.
fn segmented_index(dir: &Path) -> std::path::PathBuf {
    let index = dir.join("index");
    opedex(&[
        "ingest",
        "corpus",
        "--index",
        s(&index),
        "--commit-every",
        "3",
    ])
    .expect(0);
    assert!(segments(&index) > 2, "the test needs several segments");
    index
}

fn hits(index: &Path, query: &str) -> Vec<serde_json::Value> {
    opedex(&["search", query, "--json", "-n", "20", "--index", s(index)])
        .expect(0)
        .hits()
}

#[test]
fn optimize_merges_into_one_segment_and_search_answers_the_same() {
    let dir = tempdir();
    let index = segmented_index(dir.path());
    let before = segments(&index);
    let queries = ["peace treaty islands", "summit", "election", "war"];
    let answers: Vec<_> = queries.iter().map(|q| hits(&index, q)).collect();

    let r = opedex(&["optimize", "--segments", "1", "--index", s(&index)]).expect(0);
    assert!(
        r.stdout.contains(&format!(
            "{before} segments into 1, 0 deleted documents dropped"
        )),
        "{}",
        r.stdout
    );
    assert_eq!(segments(&index), 1);
    // The merged-away segments' files are gone: one segment's files remain.
    let mut names: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && n != "meta.json")
        .map(|n| n.split('.').next().unwrap_or("").to_string())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 1, "files of more than one segment: {names:?}");
    for (q, answer) in queries.iter().zip(&answers) {
        assert_eq!(&hits(&index, q), answer, "{q}");
    }
    // Still an opedex index that ingest knows: nothing is new.
    let r = opedex(&["ingest", "corpus", "--index", s(&index)]).expect(0);
    assert!(r.stdout.contains("(0 new, 0 replaced"), "{}", r.stdout);
}

#[test]
fn optimize_to_n_segments_keeps_at_most_n() {
    let dir = tempdir();
    let index = segmented_index(dir.path());
    opedex(&["optimize", "--segments", "2", "--index", s(&index)]).expect(0);
    assert_eq!(segments(&index), 2);
    // The default: one segment per core (never more than there were).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    opedex(&["optimize", "--index", s(&index)]).expect(0);
    assert_eq!(segments(&index), cores.min(2));
    let r = opedex(&["optimize", "--segments", "0", "--index", s(&index)]).expect(2);
    assert!(r.stderr.contains("--segments"), "{}", r.stderr);
}

#[test]
fn optimize_drops_replaced_versions() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let file = dir.path().join("a.jsonl");
    let article = |id: &str, body: &str| {
        serde_json::json!({
            "id": id, "title": "The pier", "authors": ["Pell Varrow"],
            "outlet": "Sample Quay Review", "lang": "en", "body": body,
        })
        .to_string()
    };
    // Two articles in one segment; replacing one leaves its old documents
    // deleted in that segment, beside the other's live ones.
    let kept = article("pier-2", "Ferries leave the quay every hour.");
    let first = article("pier-1", "Gulls circle the old pier at dawn.");
    std::fs::write(&file, format!("{first}\n{kept}\n")).unwrap();
    // One indexing thread, so both articles land in the same segment.
    opedex(&["ingest", s(&file), "--index", s(&index), "--threads", "1"]).expect(0);
    let second = article("pier-1", "Herons wait by the new breakwater.");
    std::fs::write(&file, format!("{second}\n{kept}\n")).unwrap();
    let r = opedex(&["ingest", s(&file), "--index", s(&index)]).expect(0);
    assert!(r.stdout.contains("1 replaced"), "{}", r.stdout);

    let r = opedex(&["optimize", "--segments", "1", "--index", s(&index)]).expect(0);
    // The old version's article document and its one passage.
    assert!(
        r.stdout
            .contains("2 segments into 1, 2 deleted documents dropped"),
        "{}",
        r.stdout
    );
    assert_eq!(segments(&index), 1);
    assert_eq!(hits(&index, "herons breakwater").len(), 1);
    assert_eq!(hits(&index, "ferries quay").len(), 1);
    opedex(&["search", "gulls", "--index", s(&index)]).expect(1);
}

#[test]
fn optimize_refuses_what_is_not_an_index() {
    let dir = tempdir();
    let r = opedex(&["optimize", "--index", s(&dir.path().join("nope"))]).expect(2);
    assert!(r.stderr.contains("is not an opedex index"), "{}", r.stderr);
}
