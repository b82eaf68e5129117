//! `opedex similar` through the real binary: ranking, self-exclusion,
//! filters, exit codes.

use crate::common::*;

fn similar_index(dir: &std::path::Path) -> std::path::PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&fixture("typos/similar.jsonl"))]);
    run.expect(0);
    index
}

fn ids(index: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["similar", "--json", "--index", s(index)];
    all.extend_from_slice(args);
    opedex(&all)
        .expect(0)
        .json_lines()
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn similar_articles_share_the_subject_and_exclude_the_source() {
    let dir = tempdir();
    let index = similar_index(dir.path());
    let found = ids(&index, &["sim-fish-a"]);
    assert!(!found.contains(&"sim-fish-a".to_string()), "{found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|id| id.starts_with("sim-fish-")),
        "{found:?}"
    );
    // -n limits; text output names the articles.
    assert_eq!(ids(&index, &["sim-fish-a", "-n", "1"]).len(), 1);
    let run = opedex(&["similar", "sim-fish-b", "--index", s(&index)]).expect(0);
    assert!(run.stdout.contains("id sim-fish-"), "{}", run.stdout);
}

#[test]
fn similar_applies_the_search_filters() {
    let dir = tempdir();
    let index = similar_index(dir.path());
    assert_eq!(
        ids(
            &index,
            &["sim-fish-a", "--outlet", "coastal post", "--since", "2024"]
        ),
        vec!["sim-fish-b"]
    );
    assert_eq!(
        ids(
            &index,
            &["sim-fish-b", "--author", "rook", "--until", "2023-12-31"]
        ),
        vec!["sim-fish-c"]
    );
    // Nothing about fisheries in the transport topic: exit 1.
    opedex(&[
        "similar",
        "sim-fish-a",
        "--topic",
        "transport",
        "--index",
        s(&index),
    ])
    .expect(1);
}

#[test]
fn unknown_ids_are_usage_errors() {
    let dir = tempdir();
    let index = similar_index(dir.path());
    let run = opedex(&["similar", "no-such-id", "--index", s(&index)]).expect(2);
    assert!(
        run.stderr.contains("no article with id \"no-such-id\""),
        "{}",
        run.stderr
    );
}
