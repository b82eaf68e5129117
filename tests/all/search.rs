//! Searching through the real binary: ranking, filters, output shapes, exit codes.

use crate::common::*;
use serde_json::Value;

/// An index of the sample corpus plus the fixtures, built once per test.
fn sample_index(dir: &std::path::Path) -> std::path::PathBuf {
    let (index, run) = ingest_fresh(
        dir,
        &[
            s(&root().join("corpus")),
            s(&fixture("pages")),
            s(&fixture("jsonl")),
        ],
    );
    run.expect(0);
    index
}

fn search(index: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--json", "--index", s(index)];
    all.extend_from_slice(args);
    opedex(&all).expect(0).hits()
}

#[test]
fn seed_islands_passage_ranks_first() {
    let Some(seed) = shared("seed/000_0778c2333011d87b.txt") else {
        return;
    };
    let dir = tempdir();
    // The seed among a few other articles (the sample corpus has its own islands piece).
    let (index, run) = ingest_fresh(
        dir.path(),
        &[s(&seed), s(&fixture("pages")), s(&fixture("jsonl"))],
    );
    run.expect(0);
    let hits = search(&index, &["peace treaty islands"]);
    let top = &hits[0];
    assert_eq!(top["title"], "Russia-Japan — peace can wait");
    let text = top["text"].as_str().unwrap();
    assert!(
        text.contains("disputed islands") && text.contains("peace treaty"),
        "{text}"
    );
}

#[test]
fn json_hits_have_the_documented_shape() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let hits = search(&index, &["peace treaty islands", "-n", "3"]);
    assert!(!hits.is_empty() && hits.len() <= 3);
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h["rank"], i + 1);
        for key in [
            "score",
            "article_id",
            "passage",
            "title",
            "authors",
            "outlet",
            "section",
            "published",
            "lang",
            "topics",
            "text",
            "highlights",
            "source",
        ] {
            assert!(h.get(key).is_some(), "hit lacks {key}: {h}");
        }
        let text = h["text"].as_str().unwrap();
        for r in h["highlights"].as_array().unwrap() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let word = text[a..b].to_lowercase();
            assert!(
                ["peace", "treaty", "island", "islands", "treaties"]
                    .iter()
                    .any(|w| word.starts_with(w)),
                "highlight {word:?}"
            );
        }
    }
    assert_eq!(
        hits[0]["title"],
        "Islands, fishermen and the treaty nobody signs"
    );
    // One passage per article by default.
    let ids: std::collections::HashSet<_> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), hits.len());
}

#[test]
fn all_words_rank_above_partial_matches() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let hits = search(
        &index,
        &["peace treaty islands", "-n", "20", "--per-article", "5"],
    );
    let covers = |h: &Value| {
        let t = h["text"].as_str().unwrap().to_lowercase()
            + " "
            + &h["title"].as_str().unwrap().to_lowercase();
        ["peace", "treat", "island"]
            .iter()
            .filter(|w| t.contains(*w))
            .count()
    };
    let c: Vec<usize> = hits.iter().map(covers).collect();
    assert!(
        c.windows(2).all(|w| w[0] >= w[1]),
        "coverage not descending: {c:?}"
    );
}

#[test]
fn filters_narrow_results() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let by_author = search(&index, &["heat pumps", "--author", "ostrander"]);
    assert!(!by_author.is_empty());
    assert!(by_author
        .iter()
        .all(|h| h["authors"].to_string().contains("Ostrander")));

    let by_outlet = search(&index, &["treaty", "--outlet", "harbour review"]);
    assert!(by_outlet
        .iter()
        .all(|h| h["outlet"] == "The Harbour Review"));
    assert!(!by_outlet.is_empty());

    let by_lang = search(&index, &["bus", "--lang", "de"]);
    assert!(!by_lang.is_empty() && by_lang.iter().all(|h| h["lang"] == "de"));

    let dated = search(
        &index,
        &["heat pumps", "--since", "2024", "--until", "2024-12-31"],
    );
    assert!(!dated.is_empty());
    assert!(dated
        .iter()
        .all(|h| h["published"].as_str().unwrap().starts_with("2024")));

    let by_topic = search(&index, &["islands", "--topic", "Territorial Disputes"]);
    assert!(!by_topic.is_empty());
    assert!(by_topic
        .iter()
        .all(|h| h["topics"].to_string().contains("territorial disputes")));

    // Two authors are OR-ed.
    let either = search(
        &index,
        &[
            "the",
            "-n",
            "50",
            "--author",
            "ostrander",
            "--author",
            "volnov",
        ],
    );
    let names: std::collections::HashSet<String> = either
        .iter()
        .map(|h| h["authors"][0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn query_syntax_works() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let phrase = search(&index, &["\"congestion pricing\""]);
    assert!(phrase.iter().all(|h| h["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("congestion pricing")));
    // An excluded word leaves out every article that holds it anywhere:
    // both heat-pump pieces mention plumbers.
    assert!(search(&index, &["heat pumps", "-n", "50"]).len() >= 2);
    opedex(&["search", "heat pumps -plumbers", "--index", s(&index)]).expect(1);
    let without = search(&index, &["treaty -fishermen", "-n", "50"]);
    assert!(!without.is_empty());
    for h in &without {
        let id = h["article_id"].as_str().unwrap();
        let shown = opedex(&["show", id, "--index", s(&index)]).expect(0);
        assert!(!shown.stdout.to_lowercase().contains("fishermen"), "{id}");
    }
    let field = search(&index, &["author:ostrander pumps"]);
    assert!(
        !field.is_empty()
            && field
                .iter()
                .all(|h| h["authors"].to_string().contains("Ostrander"))
    );
}

#[test]
fn russian_query_matches_inflections() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    // The fixture says «Северного морского пути»; the query uses other cases.
    let hits = search(&index, &["расписанию судов"]);
    assert!(!hits.is_empty());
    assert_eq!(hits[0]["lang"], "ru");
}

#[test]
fn text_output_cites_and_marks() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let run = opedex(&[
        "search",
        "peace treaty islands",
        "-n",
        "1",
        "--index",
        s(&index),
    ])
    .expect(0);
    assert!(
        run.stdout.starts_with(
            "3 matching articles; showing hit 1\n\n\
             1. Islands, fishermen and the treaty nobody signs\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Andrei S. Volnov · The Harbour Review"));
    assert!(run.stdout.contains("**islands**") || run.stdout.contains("**Islands**"));
    assert!(!run.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn no_hits_exit_1_and_bad_queries_exit_2() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let none = opedex(&["search", "xylophonequartz", "--index", s(&index)]).expect(1);
    assert!(none.stderr.contains("no results"));
    for (q, msg) in [
        ("\"unclosed", "quote is not closed"),
        ("colour:red", "unknown field"),
        ("", "query is empty"),
    ] {
        let r = opedex(&["search", q, "--index", s(&index)]).expect(2);
        assert!(r.stderr.contains(msg), "{q}: {}", r.stderr);
    }
    let r = opedex(&["search", "x", "--since", "soon", "--index", s(&index)]).expect(2);
    assert!(r.stderr.contains("--since"), "{}", r.stderr);
}

#[test]
fn contacts_are_never_searchable_or_shown() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    for q in [
        "\"a.volnov@example.org\"",
        "volnov example",
        "\"000 000 1001\"",
        "\"Lighthouse Lane\"",
    ] {
        let r = opedex(&["search", q, "--index", s(&index)]);
        assert_eq!(r.code, 1, "{q} found something:\n{}", r.stdout);
    }
    let hits = search(&index, &["islands fishermen"]);
    let id = hits[0]["article_id"].as_str().unwrap().to_string();
    let shown = opedex(&["show", &id, "--index", s(&index)]).expect(0);
    assert!(shown.stdout.contains("ORCID 0000-0000-0000-1001"));
    assert!(!shown.stdout.contains("@example.org"));
    // Issue 17: an index holds no contacts, so `--with-contacts` has
    // nothing to show and says so.
    let with = opedex(&["show", &id, "--with-contacts", "--index", s(&index)]).expect(0);
    assert!(!with.stdout.contains("a.volnov@example.org"));
    assert!(
        with.stderr.contains("holds no e-mail addresses"),
        "{}",
        with.stderr
    );
    let json: Value = serde_json::from_str(
        &opedex(&["show", &id, "--json", "--index", s(&index)])
            .expect(0)
            .stdout,
    )
    .unwrap();
    assert_eq!(json["id"], id.as_str());
    assert!(json["body"].as_str().unwrap().len() > 1000);
    assert!(!json.to_string().contains("@example.org"));
}

#[test]
fn stats_count_facets() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let v: Value = serde_json::from_str(
        &opedex(&["stats", "--json", "--index", s(&index)])
            .expect(0)
            .stdout,
    )
    .unwrap();
    let articles = v["articles"].as_u64().unwrap();
    assert_eq!(articles, 19 + 11 + 4);
    assert!(v["passages"].as_u64().unwrap() > articles);
    assert_eq!(v["outlets"]["The Harbour Review"], 5);
    assert!(v["langs"]["ru"].as_u64().unwrap() >= 2);
    let total_years: u64 = v["years"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total_years, articles);
}

#[test]
fn default_index_is_built_from_corpus_on_first_search() {
    let dir = tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(fixture("pages/basic.txt"), corpus.join("basic.txt")).unwrap();
    // As in a fresh clone: `index/` holds only the repository's README.
    let placeholder = dir.path().join("index/README.md");
    std::fs::create_dir(dir.path().join("index")).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index/README.md"),
        &placeholder,
    )
    .unwrap();
    let first = opedex_in(dir.path(), &["search", "the"]).expect(0);
    assert!(
        first.stderr.contains("building it from corpus/"),
        "{}",
        first.stderr
    );
    assert!(dir.path().join("index/meta.json").is_file());
    let second = opedex_in(dir.path(), &["search", "the"]).expect(0);
    assert!(!second.stderr.contains("building"));
    // A rebuild of the default index keeps the README.
    opedex_in(dir.path(), &["ingest", "corpus", "--rebuild", "-q"]).expect(0);
    assert!(placeholder.is_file());
    assert!(dir.path().join("index/meta.json").is_file());
}

/// An index of the typo fixtures only.
fn typo_index(dir: &std::path::Path) -> std::path::PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&fixture("typos/articles.jsonl"))]);
    run.expect(0);
    index
}

#[test]
fn a_word_that_matches_nothing_is_corrected_and_said_so() {
    let dir = tempdir();
    let index = typo_index(dir.path());
    // One edit off (a transposition), and two edits off in a long word.
    for (typed, meant, id) in [
        ("harbuor", "harbour", "typo-harbour"),
        ("parlaiment", "parliament", "typo-parliament"),
        ("glaceirs", "glaciers", "typo-glacier"),
    ] {
        // Alone the word finds nothing, so the corrected query is run.
        let run = opedex(&["search", "--json", typed, "--index", s(&index)]).expect(0);
        assert_eq!(run.hits()[0]["article_id"], id, "{typed}");
        assert_eq!(run.summary()["corrected_query"], meant, "{typed}");
        assert!(run.summary().get("did_you_mean").is_none(), "{typed}");
        let run = opedex(&["search", typed, "--index", s(&index)]).expect(0);
        assert!(
            run.stdout
                .starts_with(&format!("showing results for \"{meant}\"\n")),
            "{}",
            run.stdout
        );
    }
    // Beside a word that matches, the query as typed is run and the
    // correction offered.
    for (typed, meant, id) in [
        ("harbuor dredging", "harbour dredging", "typo-harbour"),
        ("parlaiment recess", "parliament recess", "typo-parliament"),
        ("glaceirs valley", "glaciers valley", "typo-glacier"),
    ] {
        let run = opedex(&["search", "--json", typed, "--index", s(&index)]).expect(0);
        assert_eq!(run.hits()[0]["article_id"], id, "{typed}");
        assert_eq!(run.summary()["did_you_mean"], meant, "{typed}");
        assert!(run.summary().get("corrected_query").is_none(), "{typed}");
        let run = opedex(&["search", typed, "--index", s(&index)]).expect(0);
        assert!(
            run.stdout
                .starts_with(&format!("did you mean \"{meant}\"?\n")),
            "{}",
            run.stdout
        );
    }
    // When the other words find nothing either, the correction is run.
    let run = opedex(&["search", "--json", "glaceirs melt", "--index", s(&index)]).expect(0);
    assert_eq!(run.summary()["corrected_query"], "glaciers melt");
    // Two edits in a short word are too many.
    opedex(&["search", "hrbuor", "--index", s(&index)]).expect(1);
}

#[test]
fn known_words_phrases_and_required_words_are_not_corrected() {
    let dir = tempdir();
    let index = typo_index(dir.path());
    let run = opedex(&["search", "--json", "harbour dredging", "--index", s(&index)]).expect(0);
    let summary = run.summary();
    assert!(summary.get("corrected_query").is_none() && summary.get("did_you_mean").is_none());
    let run = opedex(&["search", "harbour", "--index", s(&index)]).expect(0);
    assert!(
        !run.stdout.contains("showing results for") && !run.stdout.contains("did you mean"),
        "{}",
        run.stdout
    );
    for q in ["\"harbuor dredging\"", "+harbuor", "dredging -harbuor"] {
        let run = opedex(&["search", "--json", q, "--index", s(&index)]);
        let summary = run.summary();
        assert!(summary.get("corrected_query").is_none(), "{q}: {summary}");
        assert!(summary.get("did_you_mean").is_none(), "{q}: {summary}");
    }
    // The excluded misspelling stays as typed: dredging still matches.
    let hits = search(&index, &["dredging -harbuor"]);
    assert_eq!(hits[0]["article_id"], "typo-harbour");
    opedex(&["search", "+harbuor", "--index", s(&index)]).expect(1);
    // With typo tolerance off (plain ranking), nothing is found.
    opedex(&["search", "harbuor", "--plain", "--index", s(&index)]).expect(1);
}

#[test]
fn stored_bodies_come_back_exactly() {
    // Bodies are stored once, split over the passages; `show` rebuilds them.
    let dir = tempdir();
    let index = sample_index(dir.path());
    let inputs = [root().join("corpus"), fixture("pages"), fixture("jsonl")];
    let mut args = vec!["normalize"];
    args.extend(inputs.iter().map(|p| s(p)));
    let normalized = opedex(&args).json_lines();
    let mut compared = 0;
    for a in &normalized {
        let id = a["id"].as_str().unwrap();
        let r = opedex(&[
            "show",
            id,
            "--json",
            "--with-contacts",
            "--index",
            s(&index),
        ]);
        if r.code != 0 {
            continue; // merged into another article as a copy
        }
        let shown: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(shown["body"], a["body"], "body of {id}");
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} articles compared");
}

#[test]
fn expand_finds_articles_that_share_the_best_articles_words() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(dir.path(), &[s(&fixture("expand/articles.jsonl"))]);
    run.expect(0);
    let ids = |args: &[&str]| -> Vec<String> {
        search(&index, args)
            .iter()
            .map(|h| h["article_id"].as_str().unwrap().to_string())
            .collect()
    };
    // Only two articles hold the word; a third is about the same silt and
    // estuary without ever saying it.
    let typed = ids(&["dredging"]);
    assert_eq!(typed.len(), 2, "{typed:?}");
    assert!(!typed.contains(&"expand-estuary".to_string()), "{typed:?}");
    let expanded = ids(&["dredging", "--expand"]);
    let at = expanded
        .iter()
        .position(|id| id == "expand-estuary")
        .unwrap_or_else(|| panic!("--expand did not find the estuary piece: {expanded:?}"));
    // The articles holding the typed word still come first.
    assert_eq!(at, 2, "{expanded:?}");
    assert_eq!(expanded[..2], typed[..], "{expanded:?}");
    // Added words never loosen what a hit must contain.
    assert_eq!(ids(&["+dredging", "--expand"]), typed);
    // Off unless asked for, and available to eval.
    assert_eq!(ids(&["dredging", "--plain"]).len(), 2);
}

#[test]
fn one_long_article_does_not_crowd_out_the_others() {
    // One article whose 400 passages (two paragraphs each) all outscore the
    // other articles' single mention: the first candidate pool holds only
    // its passages, and the search must look further to fill ten results.
    let dir = tempdir();
    let long_body: Vec<String> = (0..800)
        .map(|i| {
            format!(
                "Zebra count {i}: the zebra herd at waterhole {i} grazed while the \
                 zebra foals stayed close, and wardens logged every animal they saw \
                 near the river bend that season, noting weather, grass height, \
                 predators, water levels and the movement of the herd at dawn and dusk."
            )
        })
        .collect();
    let mut lines = vec![serde_json::json!({
        "id": "zebra-diary", "title": "A warden's diary", "authors": ["Ilse Marnow"],
        "outlet": "Sample Plains Gazette", "lang": "en", "body": long_body.join("\n\n"),
    })];
    // Distinct made-up words, so that no two notes look like copies of one another.
    let mut seed: u64 = 7;
    let mut word = || {
        let syllables = ["ba", "ko", "ri", "mu", "te", "lo", "sa", "ve", "ni", "do"];
        (0..3)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                syllables[(seed >> 60) as usize % syllables.len()]
            })
            .collect::<String>()
    };
    for n in 0..12 {
        let filler = (0..80).map(|_| word()).collect::<Vec<_>>().join(" ");
        lines.push(serde_json::json!({
            "id": format!("council-{n}"), "title": format!("Council notes {n}"),
            "authors": ["Tobin Ashgrove"], "outlet": "Sample Town Crier", "lang": "en",
            "body": format!("{filler} Item {n} was a zebra crossing by the school gate. {filler}"),
        }));
    }
    let file = dir.path().join("zebra.jsonl");
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&file, text.join("\n")).unwrap();
    let (index, run) = ingest_fresh(dir.path(), &[s(&file)]);
    run.expect(0);
    let hits = search(&index, &["zebra", "-n", "10"]);
    assert_eq!(hits.len(), 10, "ten articles mention zebra: {hits:?}");
    assert_eq!(hits[0]["title"], "A warden's diary");
    let ids: std::collections::HashSet<&str> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10, "one passage per article by default");
}

#[test]
fn equal_scores_are_ordered_by_article_id_in_any_segment_layout() {
    // Two articles with the same words score the same. Written one after
    // the other, in both orders, they sit in two segments; the smaller id
    // comes first either way.
    let article = |id: &str| {
        serde_json::json!({
            "id": id, "title": "Harbour gates", "authors": ["Pell Varrow"],
            "outlet": "Sample Quay Review", "lang": "en",
            "body": "Tidal locks keep the harbour gates shut.",
        })
        .to_string()
    };
    for order in [["tie-a", "tie-b"], ["tie-b", "tie-a"]] {
        let dir = tempdir();
        let index = dir.path().join("index");
        for id in order {
            let file = dir.path().join(format!("{id}.jsonl"));
            std::fs::write(&file, article(id)).unwrap();
            opedex(&["ingest", "--index", s(&index), s(&file)]).expect(0);
        }
        let hits = search(&index, &["tidal locks"]);
        let ids: Vec<&str> = hits
            .iter()
            .map(|h| h["article_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["tie-a", "tie-b"], "written {order:?}: {hits:?}");
        assert_eq!(hits[0]["score"], hits[1]["score"]);
    }
}
