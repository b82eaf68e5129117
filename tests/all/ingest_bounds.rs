//! Issue 18, ingest side: bounds on what one record's metadata can carry,
//! a record's own `source` kept apart from the file read, `--map` names
//! that the input lacks, CSV/TSV messages by file line, dates that say
//! which part is out of range, and the formats the help lists.

use crate::common::*;
use serde_json::{json, Value};

/// About 80 words of original prose, distinct per `seed`.
fn prose(seed: usize) -> String {
    (0..4)
        .map(|i| {
            format!(
                "Paragraph {i} of note {seed}: the ferry board of district {seed} met again about \
                 timetables and fares, and voted number {n} after long hours of talk.",
                n = seed * 10 + i
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn write_jsonl(path: &std::path::Path, records: &[Value]) {
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(path, text).unwrap();
}

#[test]
fn oversized_metadata_is_cut_with_a_warning_naming_file_and_record() {
    let dir = tempdir();
    let dump = dir.path().join("huge.jsonl");
    let small = json!({"id": "fine", "title": "A fine title", "body": prose(1)});
    let huge = json!({
        "title": "T".repeat(5_000_000),
        "outlet": "O".repeat(1_000_000),
        "section": "S".repeat(5_000),
        "authors": ["Ann Example", format!("Bob {}", "b".repeat(3_000))],
        "topics": (0..80).map(|i| format!("topic {i}")).collect::<Vec<_>>(),
        "url": format!("https://example.org/{}", "p".repeat(5_000)),
        "body": prose(2),
    });
    let long_id = json!({"id": "i".repeat(1_000), "title": "Long id", "body": prose(3)});
    write_jsonl(&dump, &[small, huge, long_id]);
    let run = opedex(&["normalize", s(&dump)]).expect(0);
    let err = &run.stderr;
    for warning in [
        "huge.jsonl:2: title of 5000000 characters cut to 500",
        "huge.jsonl:2: outlet of 1000000 characters cut to 200",
        "huge.jsonl:2: section of 5000 characters cut to 200",
        "huge.jsonl:2: 80 topics given; the first 50 kept",
        "huge.jsonl:2: url of 5020 characters dropped",
        "huge.jsonl:3: id of 1000 characters replaced by a derived one",
    ] {
        assert!(err.contains(warning), "no {warning:?} in\n{err}");
    }
    assert!(
        !err.contains("huge.jsonl:1:"),
        "the fine record warns of nothing:\n{err}"
    );
    let a = run.json_lines();
    assert_eq!(a.len(), 3);
    let title = a[1]["title"].as_str().unwrap();
    assert_eq!(title.chars().count(), 500);
    assert!(title.ends_with('…'));
    let outlet = a[1]["outlet"].as_str().unwrap_or("");
    assert!(outlet.chars().count() <= 200, "{}", outlet.len());
    assert!(a[1]["section"].as_str().unwrap().chars().count() <= 200);
    assert!(a[1]["url"].is_null());
    for name in a[1]["authors"].as_array().unwrap() {
        assert!(name.as_str().unwrap().chars().count() <= 200, "{name}");
    }
    assert!(a[1]["topics"].as_array().unwrap().len() <= 50 + 10);
    assert!(a[2]["id"].as_str().unwrap().len() < 30);
    // Ingested, the hit prints the capped title, not five megabytes.
    let (index, run) = ingest_fresh(dir.path(), &[s(&dump)]);
    run.expect(0);
    let hit = opedex(&["search", "ferry board", "--index", s(&index), "-n", "3"]).expect(0);
    assert!(hit.stdout.len() < 20_000, "{} bytes", hit.stdout.len());
}

#[test]
fn a_records_own_source_is_a_claim_kept_apart_from_the_file_read() {
    let dir = tempdir();
    let dump = dir.path().join("claims.jsonl");
    write_jsonl(
        &dump,
        &[json!({
            "id": "claimer",
            "title": "Ferries at dawn",
            "body": prose(4),
            "source": {"path": "/somewhere/else/original.txt", "format": "text-page"},
        })],
    );
    let run = opedex(&["normalize", s(&dump)]).expect(0);
    let a = &run.json_lines()[0];
    assert_eq!(a["source"]["path"], s(&dump));
    assert_eq!(a["source"]["format"], "jsonl");
    assert_eq!(a["claimed_source"]["path"], "/somewhere/else/original.txt");
    assert_eq!(a["claimed_source"]["format"], "text-page");

    let (index, run) = ingest_fresh(dir.path(), &[s(&dump)]);
    run.expect(0);
    let text = opedex(&["show", "claimer", "--index", s(&index)]).expect(0);
    let line = |label: &str| {
        text.stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in\n{}", text.stdout))
            .to_string()
    };
    assert_eq!(
        line("source "),
        format!("source    {} (jsonl), the file opedex read", s(&dump))
    );
    assert_eq!(
        line("claimed "),
        "claimed   /somewhere/else/original.txt (text-page), as the record gives it (not checked)"
    );
    let json = opedex(&["show", "claimer", "--index", s(&index), "--json"]).expect(0);
    let a: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(a["source"]["path"], s(&dump));
    assert_eq!(a["claimed_source"]["path"], "/somewhere/else/original.txt");

    // Without a claim, there is one plain source line.
    let plain = dir.path().join("plain.jsonl");
    write_jsonl(
        &plain,
        &[json!({"id": "plain", "title": "Plain", "body": prose(5)})],
    );
    let index2 = dir.path().join("index2");
    opedex(&["ingest", "--index", s(&index2), s(&plain)]).expect(0);
    let text = opedex(&["show", "plain", "--index", s(&index2)]).expect(0);
    assert!(text
        .stdout
        .contains(&format!("source    {} (jsonl)\n", s(&plain))));
    assert!(!text.stdout.contains("claimed"));
}

#[test]
fn a_map_to_a_column_the_header_lacks_exits_2_naming_the_columns() {
    let dir = tempdir();
    for (name, sep) in [("dump.csv", ","), ("dump.tsv", "\t")] {
        let path = dir.path().join(name);
        let body = prose(6).replace("\n\n", " ");
        std::fs::write(
            &path,
            format!("name{sep}story{sep}paper\nTitle{sep}\"{body}\"{sep}Gazette\n"),
        )
        .unwrap();
        let index = dir.path().join(format!("index-{name}"));
        let run = opedex(&[
            "ingest",
            "--index",
            s(&index),
            s(&path),
            "--map",
            "title=nme",
        ])
        .expect(2);
        assert!(
            run.stderr.contains(&format!(
                "{name}: --map title=nme: the header has no column `nme` (its columns: name, story, paper)"
            )),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains("ingested"), "{}", run.stdout);
        assert!(!index.exists(), "nothing is created for a mistyped column");
        opedex(&["normalize", s(&path), "--map", "title=nme"]).expect(2);
        // The right name works, in any case.
        let run = opedex(&[
            "normalize",
            s(&path),
            "--map",
            "title=NAME,body=story,outlet=paper",
        ])
        .expect(0);
        assert_eq!(run.json_lines()[0]["title"], "Title");
        assert_eq!(run.json_lines()[0]["outlet"], "Gazette");
    }
}

#[test]
fn a_mapped_field_no_json_record_holds_is_a_warning_at_the_end_of_its_file() {
    let dir = tempdir();
    let dump = dir.path().join("dump.jsonl");
    write_jsonl(
        &dump,
        &[
            json!({"name": "First", "body": prose(7)}),
            json!({"name": "Second", "body": prose(8), "paper": "Gazette"}),
        ],
    );
    let run = opedex(&["normalize", s(&dump), "--map", "title=name,outlet=paper"]).expect(0);
    assert!(
        !run.stderr.contains("--map"),
        "both names occur:\n{}",
        run.stderr
    );
    let run = opedex(&["normalize", s(&dump), "--map", "title=name,section=rubric"]).expect(0);
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("--map")).collect();
    assert_eq!(
        warnings,
        [format!(
            "opedex: warning: {}: --map section=rubric: no record in this file has a field \
             `rubric`, so `section` was taken from the common names",
            s(&dump)
        )],
        "{}",
        run.stderr
    );
    assert_eq!(run.json_lines().len(), 2);
}

#[test]
fn csv_and_tsv_messages_name_the_file_line() {
    let dir = tempdir();
    let body = |n| prose(n).replace('"', "\"\"");
    // Line 1 header; the first row's quoted body spans 7 lines (2-8); the
    // ragged row is line 9; the next good row starts on line 10, and its
    // unknown language warns there.
    let text = format!(
        "title,body,lang\n\"First\",\"{}\",en\nRagged,row\nThird,\"{}\",zz-unknown\n",
        body(9),
        body(10)
    );
    for (name, text) in [
        ("rows.csv", text.clone()),
        ("rows.tsv", text.replace(',', "\t")),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let run = opedex(&["normalize", s(&path)]).expect(0);
        assert!(
            run.stderr.contains(&format!(
                "{name}:9: skipped: bad record: 2 fields, but the header has 3"
            )),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains(&format!("{name}:10: unknown language \"zz-unknown\"")),
            "{}",
            run.stderr
        );
        assert_eq!(run.json_lines().len(), 2);
    }
}

#[test]
fn a_bad_date_says_which_part_is_out_of_range() {
    let dir = tempdir();
    let (index, run) = ingest_fresh(dir.path(), &[s(&fixture("pages/basic.txt"))]);
    run.expect(0);
    for (flag, value, says) in [
        (
            "--since",
            "2024-13-01",
            "month 13 is out of range (1 to 12)",
        ),
        (
            "--until",
            "2024-02-30",
            "day 30 is out of range: 2024-02 has 29 days",
        ),
        (
            "--until",
            "2023-02-29",
            "day 29 is out of range: 2023-02 has 28 days",
        ),
        ("--since", "2024-00", "month 00 is out of range (1 to 12)"),
        ("--since", "24-1-1", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ] {
        for command in ["search", "similar"] {
            let first = if command == "search" { "ferry" } else { "x" };
            let run = opedex(&[command, first, "--index", s(&index), flag, value]).expect(2);
            assert!(
                run.stderr.contains(&format!("{flag} \"{value}\": {says}")),
                "{command} {flag} {value}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn the_top_level_help_lists_every_input_format() {
    let help = opedex(&["--help"]).expect(0).stdout;
    let ingest = help
        .lines()
        .find(|l| l.trim_start().starts_with("ingest"))
        .expect("an ingest line");
    for format in [
        "text pages",
        "HTML",
        "JSON,",
        "JSON Lines",
        "CSV",
        "TSV",
        "gzip",
    ] {
        assert!(ingest.contains(format), "{format} missing from {ingest:?}");
    }
}
