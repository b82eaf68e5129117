//! Topics through the real binary: one vocabulary (page tags are keywords,
//! never topics), source labels mapped onto it, `--topic` by name or alias,
//! an unknown `--topic` as a usage error, and `opedex topics`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::*;
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// The names `opedex topics --json` lists for an index.
fn vocabulary(index: &Path) -> BTreeSet<String> {
    let run = opedex(&["topics", "--json", "--index", s(index)]).expect(0);
    let listed: Value = serde_json::from_str(&run.stdout).expect("JSON");
    listed
        .as_array()
        .expect("a list")
        .iter()
        .filter(|t| t["in_vocabulary"] == true)
        .map(|t| t["topic"].as_str().expect("a name").to_string())
        .collect()
}

fn topics_index(dir: &Path) -> PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&fixture("topics")), s(&root().join("corpus"))]);
    run.expect(0);
    index
}

#[test]
fn a_cms_tag_page_yields_no_tag_topic() {
    let run = opedex(&["normalize", s(&fixture("topics/cms-tags.html"))]).expect(0);
    let articles = run.json_lines();
    let a = &articles[0];
    let topics = strings(&a["topics"]);
    let keywords = strings(&a["keywords"]);
    // The page's "Migration" tag is the vocabulary's immigration, first.
    assert_eq!(
        topics.first().map(String::as_str),
        Some("immigration"),
        "{a}"
    );
    assert!(topics.len() <= 3, "{topics:?}");
    // Reader-facing tags stay as keywords (lower case, as pages' tags are
    // read); entities are decoded before splitting, so PG&E is one keyword.
    assert_eq!(keywords, ["pg&e", "migration", "harbour council"], "{a}");
    let everything = format!("{topics:?} {keywords:?}");
    for tag in [
        "@river",
        "apple",
        "channel",
        "type_news",
        "autoplay",
        "adnode",
        "quot",
        "amp",
        "harbour council",
    ] {
        assert!(
            !topics.iter().any(|t| t.contains(tag)),
            "{tag} became a topic"
        );
        if tag != "harbour council" {
            assert!(!everything.contains(tag), "{tag} kept: {everything}");
        }
    }
}

#[test]
fn source_labels_map_onto_the_vocabulary() {
    let run = opedex(&["normalize", s(&fixture("topics/labels.jsonl"))]).expect(0);
    let by_id: Vec<(String, Vec<String>)> = run
        .json_lines()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_string(), strings(&a["topics"])))
        .collect();
    let topics_of = |id: &str| {
        by_id
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("{id} missing: {by_id:?}"))
    };
    assert_eq!(
        topics_of("topic-label-health").first().unwrap(),
        "health care"
    );
    assert_eq!(topics_of("topic-label-guns").first().unwrap(), "guns");
    // A label without topical meaning gives no topic of its own.
    assert!(
        !topics_of("topic-label-none")
            .iter()
            .any(|t| t.contains("general") || t.contains("news")),
        "{by_id:?}"
    );
}

#[test]
fn every_stored_topic_is_in_the_vocabulary_and_listed() {
    let dir = tempdir();
    let index = topics_index(dir.path());
    let run = opedex(&["topics", "--json", "--index", s(&index)]).expect(0);
    let listed: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(
        listed.iter().all(|t| t["in_vocabulary"] == true),
        "{listed:?}"
    );
    let known = vocabulary(&index);
    assert!(known.len() >= 40, "{known:?}");
    for issue in [
        "abortion",
        "guns",
        "immigration",
        "health care",
        "climate",
        "elections",
        "courts",
    ] {
        assert!(known.contains(issue), "{issue} missing from {known:?}");
    }
    // Counts are those a topic filter finds.
    let immigration = listed
        .iter()
        .find(|t| t["topic"] == "immigration")
        .expect("listed");
    assert!(immigration["articles"].as_u64().unwrap() >= 1);
    assert!(strings(&immigration["aliases"]).contains(&"migration".to_string()));
    // Text output: one line a topic, most articles first.
    let text = opedex(&["topics", "--index", s(&index)]).expect(0).stdout;
    assert_eq!(text.lines().count(), listed.len());
    assert!(text.lines().any(|l| l.contains("immigration")), "{text}");
}

#[test]
fn topic_filters_accept_names_and_aliases_in_any_case() {
    let dir = tempdir();
    let index = topics_index(dir.path());
    let ids = |topic: &str| {
        let run = opedex(&[
            "search",
            "asylum",
            "--json",
            "--topic",
            topic,
            "--index",
            s(&index),
        ])
        .expect(0);
        // Hit lines; the last line is the summary.
        run.json_lines()
            .iter()
            .filter(|h| h.get("summary").is_none())
            .map(|h| h["article_id"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
    };
    let by_name = ids("immigration");
    assert!(!by_name.is_empty());
    assert_eq!(ids("Migration"), by_name);
    assert_eq!(ids("IMMIGRATION"), by_name);
}

#[test]
fn an_unknown_topic_is_a_usage_error_naming_the_closest() {
    let dir = tempdir();
    let index = topics_index(dir.path());
    for cmd in [
        vec!["search", "asylum", "--topic", "xyzzy"],
        vec!["search", "asylum", "--topic", "helth care"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--index", s(&index)]);
        let run = opedex(&args).expect(2);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(run.stderr.contains("unknown topic"), "{}", run.stderr);
        assert!(run.stderr.contains("opedex topics"), "{}", run.stderr);
    }
    let run = opedex(&[
        "search",
        "clinic",
        "--topic",
        "helth care",
        "--index",
        s(&index),
    ])
    .expect(2);
    assert!(
        run.stderr.contains("closest known topics are: health care"),
        "{}",
        run.stderr
    );
    // similar resolves its filters the same way.
    let run = opedex(&[
        "similar",
        "topic-label-health",
        "--topic",
        "xyzzy",
        "--index",
        s(&index),
    ])
    .expect(2);
    assert!(
        run.stderr.contains("unknown topic \"xyzzy\""),
        "{}",
        run.stderr
    );
}
