//! What a search returns besides ranked passages (issue 18): each hit's URL
//! and `also_in`, the total of matching articles, paging, date order,
//! facet counts, `-n 0` and `--color`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use serde_json::Value;

/// An index of the navigation fixtures.
fn navigation_index(dir: &Path) -> PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&fixture("navigation/articles.jsonl"))]);
    run.expect(0);
    index
}

fn json(index: &Path, args: &[&str]) -> Run {
    let mut all = vec!["search", "--json", "--index", s(index)];
    all.extend_from_slice(args);
    opedex(&all)
}

fn ids(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect()
}

/// A facet's counts as value → count.
fn counts(facet: &Value) -> BTreeMap<String, u64> {
    facet["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn issue_18_hits_carry_the_url_and_the_other_outlets() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    let run = json(&index, &["ferry fares", "-n", "20"]).expect(0);
    let hits = run.hits();
    for h in &hits {
        assert!(h.get("url").is_some(), "every hit has a url key: {h}");
        assert!(h["also_in"].is_array(), "every hit has also_in: {h}");
    }
    let fares = hits
        .iter()
        .find(|h| h["article_id"] == "nav-ferry-fares")
        .expect("the syndicated piece is found");
    assert_eq!(fares["url"], "https://example.org/herald/ferry-fares");
    let also = &fares["also_in"][0];
    assert_eq!(also["outlet"], "Island Post");
    assert_eq!(also["url"], "https://example.com/islandpost/ferry-fares");
    // The merged copy is no hit of its own.
    assert!(!ids(&hits).contains(&"nav-ferry-fares-copy".to_string()));
    let undated = hits
        .iter()
        .find(|h| h["article_id"] == "nav-undated")
        .expect("the letter is found");
    assert_eq!(undated["url"], Value::Null);
    assert_eq!(undated["also_in"], serde_json::json!([]));
    let text = opedex(&["search", "ferry fares", "-n", "20", "--index", s(&index)]).expect(0);
    assert!(
        text.stdout
            .contains("\n   https://example.org/herald/ferry-fares\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("also in: Island Post (https://example.com/islandpost/ferry-fares)"),
        "{}",
        text.stdout
    );
}

#[test]
fn issue_18_total_and_offset_page_through_the_matching_articles() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    // Five articles mention tariffs; the syndicated copy is one of them once.
    let all = json(&index, &["tariffs"]).expect(0);
    let every = ids(&all.hits());
    assert_eq!(every.len(), 5);
    assert_eq!(all.summary()["total"], 5);
    assert_eq!(all.summary()["offset"], 0);
    assert_eq!(all.summary()["hits"], 5);
    let page = json(&index, &["tariffs", "-n", "2", "--offset", "2"]).expect(0);
    let hits = page.hits();
    assert_eq!(ids(&hits), every[2..4]);
    assert_eq!(hits[0]["rank"], 3);
    assert_eq!(page.summary()["total"], 5);
    assert_eq!(page.summary()["offset"], 2);
    // Past the end: no hits, the total still.
    let past = json(&index, &["tariffs", "--offset", "7"]).expect(0);
    assert!(past.hits().is_empty());
    assert_eq!(past.summary()["total"], 5);
    let text = opedex(&[
        "search",
        "tariffs",
        "-n",
        "2",
        "--offset",
        "2",
        "--index",
        s(&index),
    ])
    .expect(0);
    assert!(
        text.stdout
            .starts_with("5 matching articles; showing hits 3–4\n\n3. "),
        "{}",
        text.stdout
    );
    let text = opedex(&["search", "tariffs", "--index", s(&index)]).expect(0);
    assert!(
        text.stdout.starts_with("5 matching articles\n\n1. "),
        "{}",
        text.stdout
    );
    // A huge offset is refused.
    let r = opedex(&[
        "search",
        "tariffs",
        "--offset",
        "5000",
        "--index",
        s(&index),
    ])
    .expect(2);
    assert!(r.stderr.contains("--offset 5000"), "{}", r.stderr);
}

#[test]
fn issue_18_n_0_gives_the_total_and_facets_without_hits() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    let run = json(&index, &["tariffs", "-n", "0", "--facets"]).expect(0);
    assert!(run.hits().is_empty());
    assert_eq!(run.summary()["total"], 5);
    assert!(run.summary()["facets"]["outlets"].is_object());
    let text = opedex(&["search", "tariffs", "-n", "0", "--index", s(&index)]).expect(0);
    assert_eq!(text.stdout, "5 matching articles\n");
    // Nothing matches: exit 1, the summary says 0.
    let none = json(&index, &["xylophone", "-n", "0"]).expect(1);
    assert_eq!(none.summary()["total"], 0);
}

#[test]
fn issue_18_sort_by_date() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    let dates = |order: &str, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["tariffs", "--sort", order];
        args.extend_from_slice(extra);
        json(&index, &args)
            .expect(0)
            .hits()
            .iter()
            .map(|h| h["published"].as_str().unwrap_or("undated")[..7].to_string())
            .collect()
    };
    assert_eq!(
        dates("newest", &[]),
        ["2023-05", "2020-05", "2019-03", "2018-07", "undated"]
    );
    assert_eq!(
        dates("oldest", &[]),
        ["2018-07", "2019-03", "2020-05", "2023-05", "undated"]
    );
    // Paging in date order.
    assert_eq!(
        dates("newest", &["-n", "2", "--offset", "1"]),
        ["2020-05", "2019-03"]
    );
    // The hit shown for an article is its best passage.
    let run = json(&index, &["tariffs", "--sort", "oldest", "-n", "1"]).expect(0);
    let hit = &run.hits()[0];
    assert_eq!(hit["article_id"], "nav-tariffs-courier");
    assert_eq!(hit["rank"], 1);
    assert!(hit["text"].as_str().unwrap().contains("tariffs"), "{hit}");
    assert_eq!(run.summary()["total"], 5);
    // Relevance is the default.
    let relevance = ids(&json(&index, &["tariffs", "--sort", "relevance"])
        .expect(0)
        .hits());
    assert_eq!(relevance, ids(&json(&index, &["tariffs"]).expect(0).hits()));
}

#[test]
fn issue_18_facets_count_matching_articles_for_the_query_and_filters() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    let run = json(&index, &["tariffs", "--facets"]).expect(0);
    let f = &run.summary()["facets"];
    // Harbor Ledger's tariffs piece matches in two passages: one article.
    assert_eq!(
        counts(&f["outlets"]),
        BTreeMap::from([
            ("Coast Herald".into(), 1),
            ("Harbor Ledger".into(), 2),
            ("Slate".into(), 1),
            ("Valley Courier".into(), 1),
        ])
    );
    assert_eq!(f["outlets"]["distinct"], 4);
    assert_eq!(f["outlets"]["values"][0]["value"], "Harbor Ledger");
    assert_eq!(
        counts(&f["years"]),
        BTreeMap::from([
            ("2018".into(), 1),
            ("2019".into(), 1),
            ("2020".into(), 1),
            ("2023".into(), 1),
            ("unknown".into(), 1),
        ])
    );
    let years: Vec<&str> = f["years"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["2018", "2019", "2020", "2023", "unknown"]);
    assert_eq!(counts(&f["langs"]), BTreeMap::from([("en".into(), 5)]));
    // Topics as the hits (one per article) have them.
    let mut topics: BTreeMap<String, u64> = BTreeMap::new();
    for h in run.hits() {
        for t in h["topics"].as_array().unwrap() {
            *topics.entry(t.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    assert!(topics["economy"] >= 4, "{topics:?}");
    assert_eq!(counts(&f["topics"]), topics);
    // With a filter (flag or qualifier), the counts are the filtered set's.
    for args in [
        &["tariffs", "--facets", "--outlet", "ledger"][..],
        &["tariffs outlet:ledger", "--facets"][..],
    ] {
        let f = &json(&index, args).expect(0).summary()["facets"];
        assert_eq!(
            counts(&f["outlets"]),
            BTreeMap::from([("Harbor Ledger".into(), 2)])
        );
        assert_eq!(f["authors"]["distinct"], 2, "{args:?}");
    }
    // An article with two authors counts for each.
    let f = &json(&index, &["ferry vote", "--facets"])
        .expect(0)
        .summary()["facets"];
    let authors = counts(&f["authors"]);
    assert_eq!(authors["Ada Quill"], 1);
    assert_eq!(authors["Pia Sand"], 2, "{authors:?}");
    // Text: after the hits, each facet with its distinct count.
    let text = opedex(&["search", "tariffs", "--facets", "--index", s(&index)]).expect(0);
    let at = text
        .stdout
        .find("\noutlets (4 distinct)\n")
        .expect("outlets facet");
    assert!(text.stdout[..at].contains("1. "), "facets follow the hits");
    assert!(
        text.stdout.contains("\n        2  Harbor Ledger\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("\nyears (5 distinct)\n"),
        "{}",
        text.stdout
    );
    // Without --facets, none.
    assert!(json(&index, &["tariffs"])
        .expect(0)
        .summary()
        .get("facets")
        .is_none());
}

#[test]
fn issue_18_color_auto_always_never() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    // The tests run with NO_COLOR=1 and a pipe: `auto` means no colour.
    let run = |color: &str| {
        opedex(&[
            "search",
            "tariffs",
            "-n",
            "1",
            "--color",
            color,
            "--index",
            s(&index),
        ])
        .expect(0)
        .stdout
    };
    assert!(run("always").contains("\x1b[1;33m"), "{}", run("always"));
    assert!(!run("never").contains('\x1b'));
    assert!(run("never").contains("**"));
    assert!(!run("auto").contains('\x1b'));
    let r = opedex(&[
        "search",
        "tariffs",
        "--color",
        "sometimes",
        "--index",
        s(&index),
    ])
    .expect(2);
    assert!(r.stderr.contains("always"), "{}", r.stderr);
}
