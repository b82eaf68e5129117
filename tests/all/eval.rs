//! `opedex eval` through the real binary, on fixtures written for the project
//! (tests/fixtures/eval) over the sample corpus, and on the TIME collection
//! from ../shared when it is present.

use crate::common::*;
use serde_json::Value;

fn sample_index(dir: &std::path::Path) -> std::path::PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&root().join("corpus"))]);
    run.expect(0);
    index
}

fn eval(index: &std::path::Path, queries: &str, qrels: &str, extra: &[&str]) -> Run {
    let q = fixture(&format!("eval/{queries}"));
    let r = fixture(&format!("eval/{qrels}"));
    let mut args = vec![
        "eval",
        "--queries",
        s(&q),
        "--qrels",
        s(&r),
        "--index",
        s(index),
    ];
    args.extend_from_slice(extra);
    opedex(&args)
}

#[test]
fn scores_table_per_query_and_skips() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let run = eval(&index, "queries.tsv", "qrels.txt", &["--per-query"]).expect(0);
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        ["query", "nDCG@10", "MAP@100", "MRR@10", "P@10", "R@100"]
    );
    // Query 3: the summit piece (grade 1) is found first, but an unretrievable
    // grade-2 document is judged: nDCG = 1 / (2 + 1/log2 3) = 0.3801,
    // AP = 1/2, recall 1/2.
    let q3 = rows.iter().find(|r| r[0] == "3").expect("row for query 3");
    assert_eq!(q3[1..], ["0.3801", "0.5000", "1.0000", "0.1000", "0.5000"]);
    let q1 = rows.iter().find(|r| r[0] == "1").expect("row for query 1");
    assert_eq!(q1[1], "1.0000", "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "3 queries scored; 1 skipped with no relevant judgment (4); \
             1 judged queries not in the query file (9)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn jsonl_queries_apply_filters_and_json_output() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let run = eval(
        &index,
        "queries.jsonl",
        "qrels-filters.txt",
        &["--json", "--per-query"],
    )
    .expect(0);
    let v: Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["queries"], 2);
    let per = v["per_query"].as_array().unwrap();
    // t1's author filter matches nobody, so nothing relevant is found.
    assert_eq!(per[0]["qid"], "t1");
    assert_eq!(per[0]["scores"]["ndcg10"], 0.0);
    assert_eq!(per[1]["scores"]["mrr10"], 1.0);
    assert_eq!(v["mean"]["mrr10"], 0.5);
}

#[test]
fn run_file_is_trec_format_with_falling_scores() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let out = dir.path().join("run.txt");
    for level in ["article", "passage"] {
        eval(
            &index,
            "queries.tsv",
            "qrels.txt",
            &["--run-out", s(&out), "--level", level],
        )
        .expect(0);
        let text = std::fs::read_to_string(&out).unwrap();
        let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
        assert!(!lines.is_empty());
        for w in lines.windows(2) {
            assert_eq!(w[0].len(), 6);
            assert_eq!(w[0][1], "Q0");
            assert_eq!(w[0][5], "opedex");
            if w[0][0] == w[1][0] {
                let (a, b): (f64, f64) = (w[0][4].parse().unwrap(), w[1][4].parse().unwrap());
                assert!(a >= b, "scores must fall with rank: {w:?}");
                let (ra, rb): (usize, usize) = (w[0][3].parse().unwrap(), w[1][3].parse().unwrap());
                assert_eq!(ra + 1, rb);
            }
        }
        let passage_ids = lines.iter().filter(|l| l[2].contains('#')).count();
        if level == "passage" {
            assert_eq!(passage_ids, lines.len());
        } else {
            assert_eq!(passage_ids, 0);
        }
    }
}

#[test]
fn plain_and_without_switch_features_off() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    eval(&index, "queries.tsv", "qrels.txt", &["--plain"]).expect(0);
    eval(
        &index,
        "queries.tsv",
        "qrels.txt",
        &["--without", "proximity"],
    )
    .expect(0);
    let run = eval(&index, "queries.tsv", "qrels.txt", &["--without", "colour"]).expect(2);
    assert!(
        run.stderr.contains("unknown ranking feature \"colour\""),
        "{}",
        run.stderr
    );
    opedex(&["search", "boring flats", "--plain", "--index", s(&index)]).expect(0);
    eval(&index, "queries.tsv", "qrels.txt", &["--expand"]).expect(0);
}

#[test]
fn bad_lines_exit_2_naming_file_and_line() {
    let dir = tempdir();
    let index = sample_index(dir.path());
    let run = eval(&index, "bad-queries.tsv", "qrels.txt", &[]).expect(2);
    assert!(
        run.stderr
            .contains("eval/bad-queries.tsv:2: expected `qid<TAB>query text`"),
        "{}",
        run.stderr
    );
    let run = eval(&index, "queries.tsv", "bad-qrels.txt", &[]).expect(2);
    assert!(
        run.stderr
            .contains("eval/bad-qrels.txt:2: expected 4 fields `qid 0 docid grade`, found 3"),
        "{}",
        run.stderr
    );
    let missing = dir.path().join("none.tsv");
    let run = opedex(&[
        "eval",
        "--queries",
        s(&missing),
        "--qrels",
        s(&fixture("eval/qrels.txt")),
        "--index",
        s(&index),
    ])
    .expect(2);
    assert!(run.stderr.contains("none.tsv"), "{}", run.stderr);
}

#[test]
fn time_collection_converts_and_scores() {
    let Some(time) = shared("corpus/time-collection") else {
        return;
    };
    let dir = tempdir();
    let out = dir.path().join("time");
    let status = std::process::Command::new("python3")
        .arg(root().join("tools/convert_time.py"))
        .arg(&out)
        .args(["--collection", s(&time)])
        .status();
    match status {
        Ok(st) if st.success() => {}
        other => {
            eprintln!("SKIPPED: python3 tools/convert_time.py did not run: {other:?}");
            return;
        }
    }
    let count = |name: &str| {
        std::fs::read_to_string(out.join(name))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(count("articles.jsonl"), 423);
    assert_eq!(count("queries.tsv"), 79);
    assert_eq!(count("qrels.txt"), 253);
    let qrels = std::fs::read_to_string(out.join("qrels.txt")).unwrap();
    // Query 1's first judgment is position 268: the 268th *TEXT header, docno 334.
    assert!(qrels.starts_with("1 0 time-334 1\n"), "{qrels}");
    // Query 3's position 385 is past the two missing documents: the 383rd
    // header, docno 518 (reading it as the 385th would give docno 521).
    assert!(qrels.contains("3 0 time-518 1\n"), "{qrels}");
    let (index, run) = ingest_fresh(dir.path(), &[s(&out.join("articles.jsonl"))]);
    run.expect(0);
    let (queries, qrels) = (out.join("queries.tsv"), out.join("qrels.txt"));
    let score = |extra: &[&str]| -> Value {
        let mut args = vec![
            "eval",
            "--queries",
            s(&queries),
            "--qrels",
            s(&qrels),
            "--index",
            s(&index),
            "--json",
        ];
        args.extend_from_slice(extra);
        let v: Value = serde_json::from_str(opedex(&args).expect(0).stdout.trim()).unwrap();
        assert_eq!(v["queries"], 79);
        v["mean"].clone()
    };
    let plain = score(&["--plain"]);
    let ranked = score(&[]);
    // Regression guards, well below the measured figures (ARCHITECTURE.md).
    assert!(plain["recall100"].as_f64().unwrap() > 0.9, "{plain}");
    assert!(
        ranked["ndcg10"].as_f64().unwrap() > plain["ndcg10"].as_f64().unwrap(),
        "ranking features must beat plain BM25: {ranked} vs {plain}"
    );
    assert!(ranked["map100"].as_f64().unwrap() > 0.62, "{ranked}");
}
