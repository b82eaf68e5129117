//! Issue 19, vectors under SIGKILL: an ingest that embeds what it adds is
//! killed at many points; every state left behind is a commit whose vector
//! file is complete and holds exactly the committed articles, each for the
//! version the index holds, and a restart completes the run.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::reliability_common::*;
use crate::tiny_bert;

const ARTICLES: usize = 900;
const COMMIT_EVERY: usize = 150;

/// The `vectors` record of the last commit's payload.
fn vectors_of_commit(index: &Path) -> Option<Value> {
    let meta: Value = serde_json::from_slice(&std::fs::read(index.join("meta.json")).ok()?).ok()?;
    let payload: Value = serde_json::from_str(meta["payload"].as_str()?).ok()?;
    payload.get("vectors").cloned()
}

/// Index and vectors agree: as many articles with vectors as committed
/// articles, the named file present, and `opedex embed` finds nothing to
/// embed (every live article has vectors of its current version).
fn check_agreement(index: &Path, model: &Path) -> u64 {
    if !index.join("meta.json").exists() {
        return 0;
    }
    let (articles, _) = counts(index);
    assert_eq!(
        articles % COMMIT_EVERY as u64,
        0,
        "{articles} is not whole commits"
    );
    holds_prefix(index, articles);
    let Some(vectors) = vectors_of_commit(index) else {
        assert_eq!(articles, 0, "committed articles without vectors");
        return 0;
    };
    assert_eq!(vectors["articles"].as_u64(), Some(articles), "{vectors}");
    assert!(index.join(vectors["file"].as_str().unwrap()).is_file());
    let (code, out, err) = run(&["embed", "--model", s(model), "--index", s(index)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("embedded 0 of {articles} articles")),
        "{out}{err}"
    );
    let (code, out, err) = run(&[
        "search",
        "generated column",
        "--mode",
        "semantic",
        "--model",
        s(model),
        "--index",
        s(index),
    ]);
    assert_eq!(code, if articles > 0 { 0 } else { 1 }, "{out}{err}");
    articles
}

#[test]
fn sigkill_during_an_embedding_ingest_leaves_index_and_vectors_agreeing() {
    let dir = crate::common::tempdir();
    let input = dir.path().join("generated.jsonl");
    generated_jsonl(&input, ARTICLES);
    let model = dir.path().join("tiny-bert");
    tiny_bert::write(&model, 11);
    let index = dir.path().join("index");
    let every = COMMIT_EVERY.to_string();
    let args = [
        "ingest",
        s(&input),
        "--semantic",
        "--model",
        s(&model),
        "--index",
        s(&index),
        "--commit-every",
        &every,
        "--threads",
        "1",
    ];
    let kills = kill_until_complete(
        || spawn(&args),
        Duration::from_millis(200),
        Duration::from_millis(310),
        || {
            check_agreement(&index, &model);
        },
    );
    assert!(kills >= 2, "the test should interrupt at least twice");
    assert_eq!(check_agreement(&index, &model), ARTICLES as u64);
    // No vector file is left but the last commit's and the one before.
    let names: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vectors-"))
        .collect();
    assert!(
        names.len() <= 2 && names.iter().all(|n| n.ends_with(".odv")),
        "{names:?}"
    );
}
