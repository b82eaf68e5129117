//! Issue 6, hostile queries: every one gets a clear message or a bounded
//! answer, never a hang or a crash.

use crate::reliability_common::*;

fn index() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = crate::common::tempdir();
    let (index, r) =
        crate::common::ingest_fresh(dir.path(), &[s(&crate::common::fixture("pages"))]);
    r.expect(0);
    (dir, index)
}

fn no_crash(code: i32, out: &str, err: &str, what: &str) {
    assert!((0..=2).contains(&code), "{what}: exit {code}: {out}{err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

#[test]
fn huge_and_many_term_queries_are_refused_clearly() {
    let (_d, index) = index();
    let idx = s(&index);
    let long = "a".repeat(100_000);
    let many: String = (0..5000).map(|i| format!("w{i} ")).collect();
    let many_short = "a ".repeat(2000);
    let parens = format!("{}x{}", "(".repeat(2000), ")".repeat(2000));
    let quotes = "\"".repeat(3000);
    for (what, q) in [
        ("100 KB", long.as_str()),
        ("5000 terms", many.as_str()),
        ("2000 short terms", many_short.as_str()),
    ] {
        let (code, out, err) = run(&["search", q, "--index", idx]);
        assert_eq!(code, 2, "{what}: {out}{err}");
        assert!(err.contains("invalid query"), "{what}: {err}");
        assert!(
            err.contains("limit") || err.contains("shorten"),
            "{what}: {err}"
        );
    }
    for (what, q) in [
        ("nested parentheses", parens.as_str()),
        ("quotes", quotes.as_str()),
    ] {
        let (code, out, err) = run(&["search", q, "--index", idx]);
        no_crash(code, &out, &err, what);
    }
}

#[test]
fn wildcards_regexes_and_odd_syntax_are_plain_text() {
    let (_d, index) = index();
    let idx = s(&index);
    for q in [
        "a*",
        "*",
        "?",
        "/.*/",
        "/(a+)+$/",
        "t.*r.*e.*a.*t.*y",
        "~2 treaty~",
        "treaty^100",
        "[a TO z]",
        "{* TO *}",
        "+",
        "-",
        "--",
        "+-+-",
        ":",
        "title:",
        "author:\"\"",
        "\u{1}",
        "\u{202e}treaty",
        "\"unclosed phrase",
        "AND OR NOT",
        "平和条約*",
    ] {
        let (code, out, err) = run(&["search", q, "--index", idx, "-n", "3"]);
        no_crash(code, &out, &err, q);
    }
}

#[test]
fn invalid_field_names_say_which_fields_exist() {
    let (_d, index) = index();
    let (code, _, err) = run(&["search", "colour:red", "--index", s(&index)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown field") && err.contains("title"),
        "{err}"
    );
}

#[test]
fn huge_result_counts_are_bounded() {
    let (_d, index) = index();
    let idx = s(&index);
    for args in [
        vec!["-n", "18446744073709551615"],
        vec!["--per-article", "18446744073709551615"],
        vec![
            "-n",
            "18446744073709551615",
            "--per-article",
            "18446744073709551615",
        ],
        vec!["-n", "0"],
    ] {
        let mut full = vec!["search", "treaty islands", "--index", idx, "--json"];
        full.extend_from_slice(&args);
        let (code, out, err) = run(&full);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        let hits = out
            .lines()
            .filter(|l| !l.starts_with("{\"summary\""))
            .count();
        assert!(hits <= 1000, "{args:?}");
    }
    let (code, _, err) = run(&[
        "search",
        "treaty",
        "-n",
        "99999999999999999999999",
        "--index",
        idx,
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn out_of_range_dates_are_bounded_or_refused() {
    let (_d, index) = index();
    let idx = s(&index);
    for (since, until) in [
        ("0001", "9999"),
        ("0000", "9999-12-31"),
        ("1600-01-01", "2400"),
        ("9999", "9999"),
        ("0001", "0001"),
    ] {
        let (code, out, err) = run(&[
            "search", "treaty", "--since", since, "--until", until, "--index", idx,
        ]);
        no_crash(code, &out, &err, &format!("{since}..{until}"));
        assert_ne!(code, 2, "{since}..{until} is a valid range: {err}");
    }
    let (code, out, _) = run(&["search", "treaty", "--since", "0001", "--index", idx]);
    assert_eq!(
        code, 0,
        "a bound before every date keeps every article: {out}"
    );
    for bad in ["99999", "2020-13", "2020-02-30", "-5", "yesterday", ""] {
        let (code, out, err) = run(&["search", "treaty", "--since", bad, "--index", idx]);
        assert_eq!(code, 2, "--since {bad:?}: {out}{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, _, err) = run(&[
        "search", "treaty", "--since", "2020", "--until", "2019", "--index", idx,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("after --until"), "{err}");
}

#[test]
fn articles_with_dates_the_index_cannot_hold_are_still_ingested() {
    let dir = crate::common::tempdir();
    let input = dir.path().join("dates.jsonl");
    // Distinct bodies, so that none is merged into another as a copy.
    let bodies = [
        "A treaty signed by kings whose names nobody remembers, about rivers and tolls and the ferry at the old crossing.",
        "Notes from a treaty conference of the far future, where delegates argue about orbital parking and comet rights.",
        "This week the treaty on fishing quotas came back to parliament, and the islands' councils asked to be heard.",
    ];
    let lines: Vec<String> = [
        ("old", "0001-01-01"),
        ("far", "9999-12-31"),
        ("now", "2020-05-05"),
    ]
    .iter()
    .zip(bodies)
    .map(|((id, d), body)| {
        serde_json::json!({"id": id, "title": format!("Piece {id}"), "body": body, "published": d})
            .to_string()
    })
    .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let (index, r) = crate::common::ingest_fresh(dir.path(), &[s(&input)]);
    let r = r.expect(0);
    assert!(r.stdout.contains("3 articles"), "{}", r.stdout);
    let (code, out, err) = run(&[
        "search",
        "treaty",
        "--since",
        "2000",
        "--index",
        s(&index),
        "--json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\"now\""), "{out}");
}
