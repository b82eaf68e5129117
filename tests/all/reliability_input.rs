//! Issue 6, bad input at scale: links, unreadable and vanishing files,
//! invalid UTF-8, NUL bytes, deep nesting. Each gives a per-file message,
//! the run completes, the summary counts the skips, and `--strict` turns
//! any skip into exit code 2. Sizes that take minutes (a 200-MB file,
//! 100,000 files, a 1-GB JSON Lines dump) are in `bench/reliability_rss.sh`.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::reliability_common::*;

fn ingest(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let index = dir.join("index");
    let mut args = vec!["ingest", "--index", s(&index)];
    args.extend_from_slice(extra);
    run(&args)
}

fn page(dir: &Path, name: &str) {
    std::fs::copy(crate::common::fixture("pages/basic.txt"), dir.join(name)).unwrap();
}

#[test]
fn symlink_loop_is_harmless_and_reported_when_followed() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    page(&corpus.join("sub"), "a.txt");
    symlink("..", corpus.join("sub/loop")).unwrap();
    let (code, out, err) = ingest(dir.path(), &[s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ingested 1 file: 1 article"), "{out}");
    let (code, out, err) = ingest(dir.path(), &["--follow-symlinks", s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("loop"), "the loop is reported: {err}");
    assert!(out.contains("skipped 1 file (1 unreadable)"), "{out}");
    let (code, _, err) = ingest(dir.path(), &["--follow-symlinks", "--strict", s(&corpus)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--strict"), "{err}");
}

#[test]
fn links_out_of_the_roots_are_not_followed_by_default() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    page(&corpus, "inside.txt");
    std::fs::copy(
        crate::common::fixture("pages/russian.txt"),
        elsewhere.join("secret.txt"),
    )
    .unwrap();
    symlink(elsewhere.join("secret.txt"), corpus.join("outside.txt")).unwrap();
    symlink(&elsewhere, corpus.join("outdir")).unwrap();
    symlink(corpus.join("inside.txt"), corpus.join("again.txt")).unwrap();
    symlink(dir.path().join("nowhere.txt"), corpus.join("broken.txt")).unwrap();
    let (code, out, err) = ingest(dir.path(), &[s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("outside.txt: skipped: symbolic link to"),
        "{err}"
    );
    assert!(
        err.contains("not followed (use --follow-symlinks)"),
        "{err}"
    );
    assert!(
        err.contains("broken.txt: skipped: cannot read: broken symbolic link"),
        "{err}"
    );
    // inside.txt once (again.txt points into the roots and adds nothing).
    assert!(out.contains("1 article (1 new"), "{out}");
    assert!(
        out.contains("3 link out of the given paths")
            || out.contains("2 link out of the given paths"),
        "{out}"
    );
    let index = dir.path().join("index");
    let (code, _, _) = run(&["search", "расписание", "--index", s(&index)]);
    assert_eq!(code, 1, "a file outside the roots was indexed");
    let (code, out, err) = ingest(dir.path(), &["--follow-symlinks", s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run(&["search", "расписание", "--index", s(&index)]);
    assert_eq!(code, 0, "--follow-symlinks reads the target: {err}");
}

#[test]
fn unreadable_files_are_skipped_with_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::common::tempdir();
    if permissions_ignored(dir.path()) {
        eprintln!("SKIPPED: running as root, file permissions do not stop reads");
        return;
    }
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    page(&corpus, "ok.txt");
    page(&corpus, "locked.txt");
    std::fs::set_permissions(
        corpus.join("locked.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let (code, out, err) = ingest(dir.path(), &[s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("locked.txt: skipped: cannot read"), "{err}");
    assert!(out.contains("1 unreadable"), "{out}");
}

#[test]
fn files_vanishing_during_the_walk_do_not_stop_the_run() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let body = std::fs::read_to_string(crate::common::fixture("pages/basic.txt")).unwrap();
    for i in 0..1500 {
        let text = body.replacen("Islands", &format!("Islands {i}"), 1);
        std::fs::write(corpus.join(format!("p{i:05}.txt")), text).unwrap();
    }
    let index = dir.path().join("index");
    let child = spawn(&["ingest", s(&corpus), "--index", s(&index)]);
    // Delete from the end, where the reader has not been yet.
    for i in (0..1500).rev().step_by(2) {
        let _ = std::fs::remove_file(corpus.join(format!("p{i:05}.txt")));
    }
    let (code, out, err) = finish(child);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        out.contains("ingested 1500 files") || out.contains("ingested "),
        "{out}"
    );
    let vanished = err.matches("skipped: cannot read").count();
    eprintln!("{vanished} files vanished before they were read");
    if vanished > 0 {
        assert!(out.contains(&format!("{vanished} unreadable")), "{out}");
    }
}

#[test]
fn invalid_utf8_and_nul_bytes_are_per_file_skips() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    page(&corpus, "good.txt");
    let mut bad = std::fs::read(crate::common::fixture("pages/basic.txt")).unwrap();
    bad.splice(200..200, [0xff, 0xfe, 0xc3]);
    std::fs::write(corpus.join("latin.txt"), &bad).unwrap();
    let mut nul = std::fs::read(crate::common::fixture("pages/two_authors.txt")).unwrap();
    nul.splice(300..300, [0u8; 8]);
    std::fs::write(corpus.join("nul.txt"), &nul).unwrap();
    let good_line = serde_json::json!({"id": "j1", "title": "Fine", "body": "A body with enough words to count as an article here, and more."});
    // An escaped NUL is valid JSON text; a raw one makes the file binary.
    let escaped_nul =
        "{\"id\":\"j2\",\"title\":\"N\\u0000ul\",\"body\":\"x\\u0000y z and more words\"}";
    let bytes_line = b"{\"id\":\"j3\",\"title\":\"bad \xff\",\"body\":\"b\"}";
    let mut jsonl = format!("{good_line}\n{escaped_nul}\n").into_bytes();
    jsonl.extend_from_slice(bytes_line);
    jsonl.push(b'\n');
    std::fs::write(corpus.join("dump.jsonl"), jsonl).unwrap();
    std::fs::write(
        corpus.join("raw_nul.jsonl"),
        format!("{good_line}\n\0\0\0\n"),
    )
    .unwrap();
    let (code, out, err) = ingest(dir.path(), &[s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("latin.txt: skipped: not valid UTF-8"), "{err}");
    assert!(err.contains("nul.txt: skipped: binary"), "{err}");
    assert!(err.contains("raw_nul.jsonl: skipped: binary"), "{err}");
    assert!(err.contains("dump.jsonl:3: skipped"), "{err}");
    assert!(out.contains("skipped 3 files"), "{out}");
    assert!(out.contains("and 1 record"), "{out}");
    let (code, _, err) = ingest(dir.path(), &["--strict", s(&corpus)]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn deep_nesting_never_crashes() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let depth = 10_000;
    let json = format!(
        "{{\"title\":\"Deep\",\"body\":\"words\",\"extra\":{}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(corpus.join("deep.json"), &json).unwrap();
    std::fs::write(corpus.join("deep.jsonl"), format!("{json}\n")).unwrap();
    let html = format!(
        "<html><head><title>Deep page</title></head><body>{}<p>{}</p>{}</body></html>",
        "<div><span>".repeat(25_000),
        "A paragraph of words deep inside a very deeply nested page, long enough to be read as text. ".repeat(5),
        "</span></div>".repeat(25_000)
    );
    std::fs::write(corpus.join("deep.html"), html).unwrap();
    let unclosed = format!("<html><body>{}<p>Unclosed.</p>", "<b><i><u>".repeat(30_000));
    std::fs::write(corpus.join("unclosed.html"), unclosed).unwrap();
    page(&corpus, "fine.txt");
    let (code, out, err) = ingest(dir.path(), &[s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    assert!(err.contains("deep.json: skipped"), "{err}");
    assert!(err.contains("deep.jsonl:1: skipped"), "{err}");
    assert!(out.contains("ingested 5 files"), "{out}");
}

#[test]
fn strict_turns_any_skip_into_exit_2_and_still_commits() {
    let dir = crate::common::tempdir();
    let bad = crate::common::fixture("bad");
    let good = crate::common::fixture("pages/basic.txt");
    let (code, out, err) = ingest(dir.path(), &[s(&bad), s(&good)]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = ingest(dir.path(), &["--strict", s(&bad), s(&good)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("ingested"),
        "the summary is still printed: {out}"
    );
    assert!(err.contains("--strict:"), "{err}");
    let (code, out, err) = ingest(dir.path(), &["--strict", s(&good)]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn contacts_from_the_fixtures_are_never_found() {
    let dir = crate::common::tempdir();
    let (code, out, err) = ingest(dir.path(), &[s(&crate::common::fixture("pages"))]);
    assert_eq!(code, 0, "{out}{err}");
    let index = dir.path().join("index");
    for q in [
        "\"m.solberg@example.org\"",
        "solberg example org",
        "\"555 010 0142\"",
        "\"+44 20 7946 0011\"",
        "t.renner@example.com",
    ] {
        let (code, out, _) = run(&["search", q, "--index", s(&index), "--json"]);
        assert_eq!(code, 1, "{q} found: {out}");
    }
}

#[test]
fn a_huge_single_page_is_skipped_not_swallowed() {
    let dir = crate::common::tempdir();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let para =
        "Words of a column that never ends, repeated to make a page far larger than any op-ed. ";
    let mut text = String::from("An endless column\n\nBy Some Writer\n\n");
    while text.len() < 40 << 20 {
        text.push_str(para);
        text.push_str("\n\n");
    }
    std::fs::write(corpus.join("huge.txt"), &text).unwrap();
    std::fs::write(
        corpus.join("huge.html"),
        format!("<html><body><p>{text}</p></body></html>"),
    )
    .unwrap();
    page(&corpus, "fine.txt");
    let (code, out, err) = ingest(dir.path(), &[s(&corpus)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("huge.txt: skipped:") && err.contains("too large for one page"),
        "{err}"
    );
    assert!(err.contains("huge.html: skipped:"), "{err}");
    assert!(
        out.contains("1 article ") && out.contains("2 too large"),
        "{out}"
    );
}
