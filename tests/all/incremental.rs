//! Incremental ingest: records the index already holds are recognised by
//! their fingerprint before parsing, and skipping them changes nothing that a
//! full re-read would have produced.

use std::path::Path;

use crate::common::*;
use opedex::{Index, IngestOptions, ReadOptions, WriteStats, WriterOptions};

/// One ingest run through the library; returns the write counts and how
/// many records were recognised as unchanged before parsing.
fn ingest_run(index: &Path, input: &Path, opts: &ReadOptions) -> (WriteStats, usize) {
    let mut index = Index::open_or_create(index).unwrap();
    let options = IngestOptions {
        read: opts.clone(),
        ..IngestOptions::default()
    };
    let report = index
        .ingest(&[input.to_path_buf()], &options, &mut ())
        .unwrap();
    (report.written, report.read.recognised)
}

fn line(id: &str, body: &str) -> String {
    serde_json::json!({"id": id, "title": format!("Title of {id}"), "outlet": "Test Herald", "body": body})
        .to_string()
}

const BODY: &str =
    "Harbour towns have argued about breakwaters for a century, and the argument is \
never really about concrete. It is about who pays for the calm water and who gets to use it.\n\n\
When the council proposed a longer wall last spring, the fishing cooperative asked for berths, \
the sailing club asked for moorings, and the ferry company asked for nothing at all because it \
already had a contract that guaranteed it the deepest channel in the bay for twenty more years.";

/// [`BODY`] with a syndication note: a copy of it for the copy check.
fn copy_of_body() -> String {
    format!("{BODY}\n\nThis column first appeared in the Coastal Weekly.")
}

/// Writes `(id, body)` records to `path` as JSON Lines.
fn write_records(path: &Path, records: &[(&str, &str)]) {
    let text: String = records
        .iter()
        .map(|(id, body)| line(id, body) + "\n")
        .collect();
    std::fs::write(path, text).unwrap();
}

#[test]
fn unchanged_records_are_skipped_before_parsing() {
    let dir = tempdir();
    let input = dir.path().join("in.jsonl");
    let index = dir.path().join("index");
    let other = "School boards rarely make national news, yet the decisions they take on \
bus routes, lunch menus and the length of the school day shape family life more directly than \
most acts of parliament. A ten-minute change in the morning bell moves commutes, shifts, and \
sleep for thousands of households, and nobody votes on it except five tired volunteers.";
    std::fs::write(
        &input,
        format!("{}\n{}\n", line("a", BODY), line("b", other)),
    )
    .unwrap();
    let opts = ReadOptions::default();

    let (first, skipped) = ingest_run(&index, &input, &opts);
    assert_eq!((first.added, skipped), (2, 0));
    // A fresh ReadOptions (new hash maps inside) must fingerprint the same way.
    let (second, skipped) = ingest_run(&index, &input, &ReadOptions::default());
    assert_eq!((second.unchanged, second.added, skipped), (2, 0, 2));

    // Other options would read other articles: nothing is skipped.
    let mut changed = ReadOptions::default();
    changed.defaults.set("section=Letters").unwrap();
    let (third, skipped) = ingest_run(&index, &input, &changed);
    assert_eq!((third.replaced, skipped), (2, 0));
}

#[test]
fn copies_in_an_unchanged_file_stay_merged() {
    let dir = tempdir();
    let input = dir.path().join("in.jsonl");
    write_records(&input, &[("orig", BODY), ("copy", &copy_of_body())]);
    let (_, first) = ingest_fresh(dir.path(), &[s(&input)]);
    let first = first.expect(0);
    assert!(
        first.stdout.contains("1 new") && first.stdout.contains("1 syndicated copy merged"),
        "{}",
        first.stdout
    );
    let (_, second) = ingest_fresh(dir.path(), &[s(&input)]);
    let second = second.expect(0);
    assert!(
        second
            .stdout
            .contains("(0 new, 0 replaced, 1 unchanged, 1 syndicated copy merged)"),
        "{}",
        second.stdout
    );
}

/// A copy merged in one run is found again by its recorded id, even where
/// the search for copies passes its original over: here the copy now comes
/// first in the file, when the original from the same file looks like an
/// earlier version of it (not yet read in this run).
#[test]
fn a_recorded_copy_stays_merged_when_it_moves_before_its_original() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let input = dir.path().join("in.jsonl");
    let copy = copy_of_body();
    write_records(&input, &[("orig", BODY), ("copy", &copy)]);
    let (first, _) = ingest_run(&index, &input, &ReadOptions::default());
    assert_eq!((first.added, first.merged), (1, 1));

    write_records(&input, &[("copy", &copy), ("orig", BODY)]);
    let (second, _) = ingest_run(&index, &input, &ReadOptions::default());
    assert_eq!(
        (second.added, second.merged, second.unchanged),
        (0, 1, 1),
        "{second:?}"
    );
    let opened = Index::open(&index).unwrap();
    assert!(opened.article("copy").is_err());
    let orig = opened.article("orig").unwrap();
    // The same outlet and no URL: one place, recorded by id only.
    assert_eq!(orig.merged_ids, ["copy"]);
}

#[test]
fn the_last_version_of_a_repeated_id_wins_even_when_it_is_unchanged() {
    let dir = tempdir();
    let index = dir.path().join("index");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, format!("{}\n", line("a", BODY))).unwrap();
    ingest_run(&index, &input, &ReadOptions::default());

    // A newer version of "a" first, then the committed version again, unchanged.
    let newer = BODY.replace("a century", "two centuries");
    std::fs::write(
        &input,
        format!("{}\n{}\n", line("a", &newer), line("a", BODY)),
    )
    .unwrap();
    let (stats, skipped) = ingest_run(&index, &input, &ReadOptions::default());
    assert_eq!((stats.replaced, stats.repeated, skipped), (1, 1, 1));
    let a = Index::open(&index).unwrap().article("a").unwrap();
    assert!(a.body.contains("for a century"), "{}", a.body);
}

/// Every document of an article (its article document and its passages)
/// lands in one segment, however many indexing threads share the work:
/// search counts an article's passages in its candidate's segment only.
#[test]
fn an_article_never_spans_segments() {
    let dir = tempdir();
    let index_dir = dir.path().join("index");
    let input = dir.path().join("in.jsonl");
    let mut lines = String::new();
    for n in 0..60 {
        // Five paragraphs of ~60 distinct words: five passages an article.
        let body: Vec<String> = (0..5)
            .map(|p| {
                (0..60)
                    .map(|w| format!("w{n}x{p}y{w}"))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "."
            })
            .collect();
        lines.push_str(&line(&format!("a{n}"), &body.join("\n\n")));
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let mut index = Index::open_or_create(&index_dir).unwrap();
    let options = IngestOptions {
        writer: WriterOptions {
            threads: 4,
            ..WriterOptions::default()
        },
        ..IngestOptions::default()
    };
    let stats = index.ingest(&[input], &options, &mut ()).unwrap().written;
    assert_eq!(stats.added, 60);
    assert!(stats.passages >= 5 * 60, "{stats:?}");

    // Read the segments with Tantivy itself: this is about its layout.
    let searcher = tantivy::Index::open_in_dir(&index_dir)
        .unwrap()
        .reader()
        .unwrap()
        .searcher();
    assert!(
        searcher.segment_readers().len() > 1,
        "one segment proves nothing"
    );
    let mut segment_of: std::collections::HashMap<String, usize> = Default::default();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ids = segment.fast_fields().str("article_id").unwrap().unwrap();
        for doc in segment.doc_ids_alive() {
            let ord_id = ids.term_ords(doc).next().unwrap();
            let mut id = String::new();
            ids.ord_to_str(ord_id, &mut id).unwrap();
            let first = *segment_of.entry(id.clone()).or_insert(ord);
            assert_eq!(first, ord, "article {id} is in segments {first} and {ord}");
        }
    }
    assert_eq!(segment_of.len(), 60);
}
