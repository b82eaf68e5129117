//! What a query means (issue 18): spelling correction on the index's
//! surface words, `field:value` qualifiers as filters, `-word` leaving out
//! whole articles, queries of only stop words, and a query given as
//! several arguments.

use std::path::{Path, PathBuf};

use crate::common::*;
use serde_json::Value;

/// An index of `fixture` (a JSONL file under `tests/fixtures`).
fn index_of(dir: &Path, fixture_file: &str) -> PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&fixture(fixture_file))]);
    run.expect(0);
    index
}

/// `search --json ARGS`: (exit code, hits, summary).
fn search_json(index: &Path, args: &[&str]) -> (i32, Vec<Value>, Value) {
    let mut all = vec!["search", "--json", "--index", s(index)];
    all.extend_from_slice(args);
    let run = opedex(&all);
    assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
    (run.code, run.hits(), run.summary())
}

fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect()
}

#[test]
fn issue_18_typos_are_corrected_toward_frequent_surface_words() {
    let dir = tempdir();
    let index = index_of(dir.path(), "typos/surface.jsonl");
    for (typed, meant) in [
        // The corpus holds the misspelling `immigraton` once and the word
        // three times: the frequent one wins.
        ("immigratoin", "immigration"),
        // Stems made `abortoin` look like `aborigines`.
        ("abortoin", "abortion"),
        // No stem of `impeachment` was near enough to be found.
        ("impeachmnet", "impeachment"),
    ] {
        let (code, hits, summary) = search_json(&index, &[typed]);
        assert_eq!(code, 0, "{typed}");
        assert_eq!(summary["corrected_query"], meant, "{typed}");
        assert!(!hits.is_empty());
        for h in &hits {
            let text = format!("{} {}", h["title"], h["text"]).to_lowercase();
            assert!(text.contains(meant), "{typed}: {h}");
        }
    }
    // Numbers and tokens with digits stay as typed: the corpus has `1998`
    // and `H-1B` (`h`, `1b`).
    let (code, hits, summary) = search_json(&index, &["19988"]);
    assert_eq!((code, hits.len()), (1, 0));
    assert!(summary.get("corrected_query").is_none(), "{summary}");
    let (code, hits, summary) = search_json(&index, &["H1B visa"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&hits), ["sp-immigration-2"]);
    assert!(summary.get("corrected_query").is_none(), "{summary}");
    assert!(summary.get("did_you_mean").is_none(), "{summary}");
    // A rare real word is not a typo of a frequent one.
    let (_, hits, summary) = search_json(&index, &["notional"]);
    assert_eq!(ids(&hits), ["sp-notional"]);
    assert!(summary.get("corrected_query").is_none() && summary.get("did_you_mean").is_none());
}

#[test]
fn issue_18_a_query_that_finds_something_is_kept_and_the_correction_offered() {
    let dir = tempdir();
    let index = index_of(dir.path(), "typos/surface.jsonl");
    let (code, hits, summary) = search_json(&index, &["immigratoin reform"]);
    assert_eq!(code, 0);
    assert_eq!(summary["did_you_mean"], "immigration reform");
    assert!(summary.get("corrected_query").is_none(), "{summary}");
    // The typed query was run: `reform` alone matches.
    for h in &hits {
        let text = format!("{} {}", h["title"], h["text"]).to_lowercase();
        assert!(text.contains("reform"), "{h}");
    }
    let run = opedex(&["search", "immigratoin reform", "--index", s(&index)]).expect(0);
    assert!(
        run.stdout
            .starts_with("did you mean \"immigration reform\"?\n"),
        "{}",
        run.stdout
    );
    // Capitals typed stay capitals.
    let run = opedex(&["search", "Impeachmnet", "--index", s(&index)]).expect(0);
    assert!(
        run.stdout
            .starts_with("showing results for \"Impeachment\"\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_word_the_index_holds_is_corrected_only_when_nothing_is_found() {
    // `goverment` occurs once (in a Valley Courier letter); `government`
    // in 24 Capitol Weekly pieces.
    let dir = tempdir();
    let mut lines: Vec<String> = vec![serde_json::json!({
        "id": "letter", "title": "Letters", "outlet": "Valley Courier", "lang": "en",
        "body": "The goverment office never answers the phone, a reader writes.",
    })
    .to_string()];
    for n in 0..24 {
        lines.push(
            serde_json::json!({
                "id": format!("gov-{n:02}"), "title": format!("Council notes {n}"),
                "outlet": "Capitol Weekly", "lang": "en",
                "body": format!("Item {n}: the government will publish its answer on day {n}."),
            })
            .to_string(),
        );
    }
    let file = dir.path().join("gov.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let (index, run) = ingest_fresh(dir.path(), &[s(&file)]);
    run.expect(0);
    // Found as typed: kept, nothing offered (a rare word may be real).
    let (_, hits, summary) = search_json(&index, &["goverment"]);
    assert_eq!(ids(&hits), ["letter"]);
    assert!(summary.get("corrected_query").is_none() && summary.get("did_you_mean").is_none());
    // Nothing found with the filter: the much more frequent word is run.
    let (code, hits, summary) = search_json(&index, &["goverment", "--outlet", "capitol"]);
    assert_eq!(code, 0);
    assert_eq!(summary["corrected_query"], "government");
    assert_eq!(summary["total"], 24);
    assert_eq!(hits.len(), 10);
}

/// An index of the navigation fixtures.
fn navigation_index(dir: &Path) -> PathBuf {
    index_of(dir, "navigation/articles.jsonl")
}

#[test]
fn issue_18_qualifiers_filter_exactly_like_the_flags() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    // The tariffs pieces of stronger outlets do not crowd out Slate.
    let (_, by_qualifier, summary) = search_json(&index, &["outlet:slate tariffs"]);
    assert_eq!(ids(&by_qualifier), ["nav-slate-1"]);
    assert_eq!(summary["total"], 1);
    let (_, by_flag, _) = search_json(&index, &["tariffs", "--outlet", "slate"]);
    assert_eq!(ids(&by_qualifier), ids(&by_flag));
    // Without the filter, Slate's passing mention is not first.
    let (_, all, _) = search_json(&index, &["tariffs"]);
    assert_ne!(ids(&all)[0], "nav-slate-1");
    // A language no article has: nothing, exit 1.
    let (code, hits, summary) = search_json(&index, &["lang:xx vote"]);
    assert_eq!(
        (code, hits.len(), summary["total"].as_u64()),
        (1, 0, Some(0))
    );
    let (_, hits, _) = search_json(&index, &["lang:de", "wahl"]);
    assert_eq!(ids(&hits), ["nav-wahl-de"]);
    // Values of one field are OR-ed, with each other and with the flag.
    let (_, hits, _) = search_json(&index, &["vote outlet:slate", "--outlet", "courier"]);
    let mut got = ids(&hits);
    got.sort();
    assert_eq!(got, ["nav-slate-2", "nav-vote-courier"]);
    // Fields are AND-ed; authors and sections too.
    let (_, hits, _) = search_json(&index, &["vote author:quill section:opinion"]);
    assert_eq!(ids(&hits), ["nav-vote-courier"]);
    let (_, hits, _) = search_json(&index, &["vote", "--section", "politics"]);
    let mut got = ids(&hits);
    got.sort();
    assert_eq!(got, ["nav-impeachment-only", "nav-slate-2"]);
    // An excluded qualifier leaves those articles out.
    let (_, hits, _) = search_json(&index, &["tariffs -outlet:\"harbor ledger\""]);
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|h| h["outlet"] != "Harbor Ledger"),
        "{hits:?}"
    );
    // `title:` scopes a word to titles.
    let (_, hits, _) = search_json(&index, &["title:farmers"]);
    assert_eq!(ids(&hits), ["nav-tariffs-courier"]);
}

#[test]
fn issue_18_date_qualifiers() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    let years = |args: &[&str]| -> Vec<String> {
        let (_, hits, _) = search_json(&index, args);
        let mut y: Vec<String> = hits
            .iter()
            .map(|h| h["published"].as_str().unwrap_or("none")[..4].to_string())
            .collect();
        y.sort();
        y
    };
    assert_eq!(years(&["tariffs year:2019"]), ["2019"]);
    assert_eq!(years(&["tariffs year:2018..2019"]), ["2018", "2019"]);
    assert_eq!(years(&["tariffs published:>=2020"]), ["2020", "2023"]);
    assert_eq!(years(&["tariffs published:<2019"]), ["2018"]);
    assert_eq!(
        years(&["tariffs published:2019-01..2020-06"]),
        ["2019", "2020"]
    );
    assert_eq!(years(&["tariffs since:2020 until:2021"]), ["2020"]);
    // The same as the flags, and narrowed by them.
    assert_eq!(
        years(&["tariffs", "--since", "2020", "--until", "2021"]),
        ["2020"]
    );
    assert_eq!(
        years(&["tariffs published:>=2019", "--until", "2019-12"]),
        ["2019"]
    );
    // Excluded years.
    assert_eq!(
        years(&["tariffs -year:2019 -year:2023"]),
        ["2018", "2020", "none"]
    );
    // Malformed dates and empty ranges: a clear message, exit 2.
    for (q, says) in [
        ("vote year:19", "year:19: expected a year"),
        (
            "vote published:2019-13",
            "published:2019-13: expected a date",
        ),
        ("vote year:2020..2019", "no article can match"),
        ("vote year:2019 since:2020", "no article can match"),
    ] {
        let r = opedex(&["search", q, "--index", s(&index)]).expect(2);
        assert!(r.stderr.contains(says), "{q}: {}", r.stderr);
    }
}

#[test]
fn issue_18_an_excluded_word_leaves_out_whole_articles() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    // `nav-impeachment-trump` says "impeachment" in its first passage and
    // "Trump" only in its third.
    let (_, hits, _) = search_json(&index, &["impeachment", "--per-article", "3"]);
    let first = hits
        .iter()
        .find(|h| h["article_id"] == "nav-impeachment-trump")
        .expect("the article matches impeachment");
    assert!(!first["text"].as_str().unwrap().contains("Trump"));
    let (_, hits, summary) = search_json(&index, &["--", "impeachment -trump"]);
    assert_eq!(ids(&hits), ["nav-impeachment-only"]);
    assert_eq!(summary["total"], 1);
    // The same for phrases, and for a word only in the title.
    let (_, hits, _) = search_json(&index, &["impeachment -\"president trump\""]);
    assert_eq!(ids(&hits), ["nav-impeachment-only"]);
    let (_, hits, _) = search_json(&index, &["impeachment -capitol"]);
    assert_eq!(ids(&hits), ["nav-impeachment-only"]);
}

#[test]
fn issue_18_a_query_of_only_stop_words_is_searched_as_a_phrase() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    // Every fixture passage holds "the"; only a few hold "the vote".
    let (_, hits, summary) = search_json(&index, &["-n", "20", "the", "vote"]);
    assert!(
        summary.get("stop_word_phrase").is_none(),
        "vote is no stop word"
    );
    assert!(!hits.is_empty());
    let (_, all_the, _) = search_json(&index, &["-n", "50", "the"]);
    let (code, hits, summary) = search_json(&index, &["-n", "50", "of the"]);
    assert_eq!(code, 0);
    assert_eq!(summary["stop_word_phrase"], "of the");
    assert!(
        hits.len() < all_the.len(),
        "{} vs {}",
        hits.len(),
        all_the.len()
    );
    for h in &hits {
        let text = format!("{} {}", h["title"], h["text"]).to_lowercase();
        assert!(text.contains("of the"), "{h}");
    }
    let run = opedex(&["search", "of the", "-n", "1", "--index", s(&index)]).expect(0);
    assert!(
        run.stdout
            .starts_with("every word is a stop word: searched as the phrase \"of the\"\n"),
        "{}",
        run.stdout
    );
    // A phrase that occurs nowhere: no results, and why.
    let run = opedex(&["search", "the of and", "--index", s(&index)]).expect(1);
    assert!(
        run.stderr.contains("every word is a stop word") && run.stderr.contains("\"the of and\""),
        "{}",
        run.stderr
    );
}

#[test]
fn issue_18_the_query_may_be_several_arguments() {
    let dir = tempdir();
    let index = navigation_index(dir.path());
    let one = opedex(&[
        "search",
        "--json",
        "--index",
        s(&index),
        "ferry fares tariffs",
    ])
    .expect(0);
    let many = opedex(&[
        "search",
        "--json",
        "--index",
        s(&index),
        "ferry",
        "fares",
        "tariffs",
    ])
    .expect(0);
    assert_eq!(one.stdout, many.stdout);
    // Flags may come between the words.
    let mixed = opedex(&[
        "search",
        "ferry",
        "--json",
        "fares",
        "--index",
        s(&index),
        "tariffs",
    ])
    .expect(0);
    assert_eq!(one.stdout, mixed.stdout);
    // `--` keeps a query that starts with `-`.
    let dashed = opedex(&[
        "search",
        "--json",
        "--index",
        s(&index),
        "--",
        "-trump",
        "impeachment",
    ])
    .expect(0);
    assert_eq!(ids(&dashed.hits()), ["nav-impeachment-only"]);
    // No query at all is a usage error.
    let r = opedex(&["search", "--index", s(&index)]).expect(2);
    assert!(r.stderr.contains("QUERY"), "{}", r.stderr);
}
