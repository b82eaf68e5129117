//! Issue 6: damaged or foreign indexes, concurrent use, disk full and
//! read-only index directories. Every failure is a clear message with exit
//! code 2, and the last commit survives.

use std::path::{Path, PathBuf};

use crate::reliability_common::*;

/// A small committed index of the sample pages, in `dir/index`.
fn small_index(dir: &Path) -> PathBuf {
    let (index, r) = crate::common::ingest_fresh(dir, &[s(&crate::common::fixture("pages"))]);
    r.expect(0);
    index
}

fn files_with_ext(index: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// Every command on a damaged index: exit 2, the problem and the fix, no panic.
fn refused(index: &Path, problem: &str) {
    for args in [
        vec!["search", "treaty", "--index", s(index)],
        vec!["stats", "--index", s(index)],
        vec!["show", "x", "--index", s(index)],
        vec![
            "ingest",
            s(&crate::common::fixture("pages/basic.txt")),
            "--index",
            s(index),
        ],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains(problem),
            "{args:?}: expected {problem:?} in {err}"
        );
        assert!(
            err.contains("--rebuild") || err.contains("ingest"),
            "{args:?}: no fix in {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The snapshot of every file's bytes, to prove nothing was overwritten.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if !p.ends_with(".tantivy-writer.lock") && !p.ends_with(".tantivy-meta.lock") {
            out.push(p);
        }
    }
    out
}

fn rebuild_repairs(index: &Path) {
    let (code, out, err) = run(&[
        "ingest",
        s(&crate::common::fixture("pages")),
        "--index",
        s(index),
        "--rebuild",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (articles, passages) = counts(index);
    assert!(
        articles >= 5 && passages > articles,
        "{articles} {passages}"
    );
    let (code, _, err) = run(&["search", "treaty", "--index", s(index)]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn missing_segment_file_is_damage_with_fix() {
    let dir = crate::common::tempdir();
    let index = small_index(dir.path());
    let victim = files_with_ext(&index, "store").remove(0);
    std::fs::remove_file(&victim).unwrap();
    let before = snapshot(&index);
    refused(&index, "the index is damaged");
    assert_eq!(
        snapshot(&index),
        before,
        "a refused command changed the index"
    );
    rebuild_repairs(&index);
}

#[test]
fn truncated_segment_is_damage_with_fix() {
    let dir = crate::common::tempdir();
    let index = small_index(dir.path());
    for ext in ["idx", "term", "pos", "store", "fast", "fieldnorm"] {
        for f in files_with_ext(&index, ext) {
            let len = std::fs::metadata(&f).unwrap().len();
            let file = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
            file.set_len(len / 2).unwrap();
        }
    }
    refused(&index, "the index is damaged");
    rebuild_repairs(&index);
}

#[test]
fn garbage_meta_json_is_damage_with_fix() {
    let dir = crate::common::tempdir();
    let index = small_index(dir.path());
    std::fs::write(index.join("meta.json"), b"{\"segments\": [oops\x00\xff").unwrap();
    let before = snapshot(&index);
    refused(&index, "meta.json cannot be read");
    assert_eq!(snapshot(&index), before);
    rebuild_repairs(&index);
}

#[test]
fn other_schema_version_is_refused_until_rebuild() {
    let dir = crate::common::tempdir();
    let index = small_index(dir.path());
    let meta_path = index.join("meta.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(v["payload"].as_str().unwrap()).unwrap();
    payload["opedex_schema"] = 99.into();
    v["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, v.to_string()).unwrap();
    let before = snapshot(&index);
    refused(&index, "schema version 99");
    assert_eq!(snapshot(&index), before);
    rebuild_repairs(&index);
}

#[test]
fn a_directory_that_is_not_an_index_is_never_written() {
    let dir = crate::common::tempdir();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("todo.txt"), "buy milk").unwrap();
    let before = snapshot(&notes);
    for args in [
        vec!["search", "milk", "--index", s(&notes)],
        vec!["stats", "--index", s(&notes)],
        vec![
            "ingest",
            s(&crate::common::fixture("pages/basic.txt")),
            "--index",
            s(&notes),
        ],
        // --rebuild must not delete someone's files either.
        vec![
            "ingest",
            s(&crate::common::fixture("pages/basic.txt")),
            "--index",
            s(&notes),
            "--rebuild",
        ],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("not an opedex index"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(snapshot(&notes), before);
    // A file where the index should be.
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let (code, _, err) = run(&[
        "ingest",
        s(&crate::common::fixture("pages/basic.txt")),
        "--index",
        s(&file),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a directory"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

/// Ingests the basic sample page into `index`; it must succeed.
fn ingest_basic(index: &Path) {
    let page = crate::common::fixture("pages/basic.txt");
    let (code, out, err) = run(&["ingest", s(&page), "--index", s(index)]);
    assert_eq!(code, 0, "{out}{err}");
}

/// Searches `index` for the basic sample page's words; it must succeed.
fn search_basic(index: &Path) {
    let (code, out, err) = run(&["search", "harbour tide", "--index", s(index)]);
    assert_eq!(code, 0, "{out}{err}");
}

/// A creation killed before Tantivy renamed its first `meta.json` into
/// place leaves the temporary file (and perhaps a lock): the next ingest
/// creates the index there instead of refusing the directory. (Seen once in
/// six runs of the SIGKILL test with vectors, whose first kill can land in
/// the creation.)
#[test]
fn a_creation_killed_before_its_first_meta_json_is_created_again() {
    let dir = crate::common::tempdir();
    let index = dir.path().join("index");
    std::fs::create_dir(&index).unwrap();
    std::fs::write(index.join(".tmpQ3xZ9a"), b"{\"index_settings\"").unwrap();
    std::fs::write(index.join(".tantivy-writer.lock"), b"").unwrap();
    ingest_basic(&index);
    search_basic(&index);
}

/// An index is made in `.NAME.new-PID` beside its place and renamed into it,
/// so a kill leaves either no index directory or a whole one (the repeated
/// SIGKILL test once found an index directory without `meta.json`). The
/// creation directory of a killed run is deleted by the next creation, while
/// one whose process still runs is left alone.
#[test]
fn a_killed_creation_leaves_no_index_directory_and_its_leftover_is_cleared() {
    let dir = crate::common::tempdir();
    let index = dir.path().join("index");
    let dead = dead_pid();
    let killed = dir.path().join(format!(".index.new-{dead}"));
    let running = dir
        .path()
        .join(format!(".index.new-{}", std::process::id()));
    for leftover in [&killed, &running] {
        std::fs::create_dir(leftover).unwrap();
        std::fs::write(leftover.join("meta.json"), b"{").unwrap();
    }
    ingest_basic(&index);
    assert!(index.join("meta.json").is_file());
    if Path::new("/proc/self").exists() {
        assert!(
            !killed.exists(),
            "a dead run's creation directory is removed"
        );
    }
    assert!(running.exists(), "a running process's directory is kept");
    search_basic(&index);
}

/// A process id that no running process has.
fn dead_pid() -> u32 {
    (1..1000)
        .map(|i| 4_194_304 - i)
        .find(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        .unwrap()
}

/// A rebuild killed between its two renames leaves no index at its place:
/// the old one is in `.NAME.old-PID`, the finished new one in
/// `.NAME.rebuild-PID`. The next command puts the new one in place (or the
/// old one back when the new one is missing) and deletes the rest.
#[test]
fn a_rebuild_killed_between_its_renames_is_completed_by_the_next_command() {
    if !Path::new("/proc/self").exists() {
        eprintln!("SKIPPED: no /proc, so process ids cannot be checked");
        return;
    }
    let dir = crate::common::tempdir();
    let index = small_index(dir.path());
    assert!(counts(&index).0 > 1, "the old index holds several articles");
    let dead = dead_pid();
    let old = dir.path().join(format!(".index.old-{dead}"));
    let rebuilt = dir.path().join(format!(".index.rebuild-{dead}"));
    let fresh = dir.path().join("fresh");
    ingest_basic(&fresh);

    // Killed after the old index moved aside: search finds the new one.
    std::fs::rename(&index, &old).unwrap();
    std::fs::rename(&fresh, &rebuilt).unwrap();
    search_basic(&index);
    assert_eq!(counts(&index).0, 1, "the rebuilt index is in place");
    assert!(!old.exists() && !rebuilt.exists(), "leftovers are deleted");

    // The same with the new index missing: the old one comes back.
    std::fs::rename(&index, &old).unwrap();
    assert_eq!(counts(&index).0, 1, "the old index is back");

    // Killed after the new one was in place: the old copy is deleted.
    std::fs::create_dir(&old).unwrap();
    std::fs::write(old.join("meta.json"), b"{").unwrap();
    ingest_basic(&index);
    assert!(!old.exists(), "the replaced index is deleted");
}

#[test]
fn rebuild_of_a_healthy_index_replaces_it_atomically() {
    let dir = crate::common::tempdir();
    let index = small_index(dir.path());
    let (code, out, err) = run(&[
        "ingest",
        s(&crate::common::fixture("pages/basic.txt")),
        "--index",
        s(&index),
        "--rebuild",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 article (1 new"), "{out}");
    assert_eq!(
        counts(&index).0,
        1,
        "the rebuilt index holds only the new input"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn searches_during_an_ingest_see_the_last_commit_and_a_second_writer_is_refused() {
    let dir = crate::common::tempdir();
    let input = dir.path().join("gen.jsonl");
    generated_jsonl(&input, 900);
    let index = dir.path().join("index");
    let mut child = spawn(&[
        "ingest",
        s(&input),
        "--index",
        s(&index),
        "--commit-every",
        "100",
        "--threads",
        "1",
    ]);
    // A commit with articles, not the empty one that creates the index: the
    // child takes the writer lock only after creating it, and a second ingest
    // started in that gap wins the lock and makes the first one exit 2.
    assert!(wait_for_commit(&mut child, &index, Some(0)));
    let mut seen = Vec::new();
    let mut refused_writer = false;
    while child.try_wait().unwrap().is_none() {
        let (code, out, err) = run(&[
            "search",
            "generated column",
            "--index",
            s(&index),
            "-n",
            "1",
        ]);
        assert!(
            code == 0 || code == 1,
            "search during ingest failed: {out}{err}"
        );
        let (code, out, err) = run(&["stats", "--json", "--index", s(&index)]);
        assert_eq!(code, 0, "stats during ingest failed: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let (a, p) = (
            v["articles"].as_u64().unwrap(),
            v["passages"].as_u64().unwrap(),
        );
        assert_eq!(a, p, "a commit holds whole articles only");
        assert_eq!(
            a % 100,
            0,
            "searches see commits, never work in progress: {a}"
        );
        seen.push(a);
        if !refused_writer {
            let (code, out, err) = run(&[
                "ingest",
                s(&crate::common::fixture("pages/basic.txt")),
                "--index",
                s(&index),
            ]);
            if child.try_wait().unwrap().is_none() {
                assert_eq!(code, 2, "second writer: {out}{err}");
                assert!(err.contains("is being written by another process"), "{err}");
                refused_writer = true;
            }
        }
    }
    let (code, out, err) = finish(child);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        refused_writer,
        "the second ingest was never tried while the first ran"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "commits went backwards: {seen:?}"
    );
    assert!(
        seen.len() >= 2,
        "too few searches ran during the ingest: {seen:?}"
    );
    holds_prefix(&index, 900);
}

#[test]
fn disk_full_keeps_the_previous_commit() {
    let dir = crate::common::tempdir();
    if !can_mount(&dir.path().join("probe")) {
        return;
    }
    let fs = Tmpfs::mount(&dir.path().join("small"), "3m");
    let index = fs.0.join("index");
    let small = dir.path().join("small.jsonl");
    generated_jsonl(&small, 20);
    let (code, out, err) = run(&["ingest", s(&small), "--index", s(&index)]);
    assert_eq!(code, 0, "{out}{err}");
    let big = dir.path().join("big.jsonl");
    generated_jsonl(&big, 6000);
    let (code, out, err) = run(&[
        "ingest",
        s(&big),
        "--index",
        s(&index),
        "--commit-every",
        "0",
    ]);
    assert_eq!(
        code, 2,
        "an ingest that fills the disk must fail: {out}{err}"
    );
    assert!(err.contains("cannot write to the index"), "{err}");
    assert!(err.contains("keeps its last commit"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    holds_prefix(&index, 20);
}

#[test]
fn read_only_index_directory_is_a_clear_error() {
    let dir = crate::common::tempdir();
    if !can_mount(&dir.path().join("probe")) {
        return;
    }
    let fs = Tmpfs::mount(&dir.path().join("ro"), "16m");
    let index = fs.0.join("index");
    let small = dir.path().join("small.jsonl");
    generated_jsonl(&small, 20);
    let (code, out, err) = run(&["ingest", s(&small), "--index", s(&index)]);
    assert_eq!(code, 0, "{out}{err}");
    fs.remount_read_only();
    let more = dir.path().join("more.jsonl");
    generated_jsonl(&more, 40);
    let (code, out, err) = run(&["ingest", s(&more), "--index", s(&index)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("cannot write to the index"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Reading needs no write access (issue 22): the search answers from the
    // last commit, and the writer's message says the storage is read-only.
    assert!(err.contains("the storage is read-only"), "{err}");
    let (code, out, err) = run(&["search", "--json", "--index", s(&index), "--", "gen"]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(!err.contains("cannot write"), "{err}");
    let (code, out, err) = run(&["stats", "--json", "--index", s(&index)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"articles\": 20"), "{out}");
    // A new index on a read-only file system.
    let (code, _, err) = run(&["ingest", s(&small), "--index", s(&fs.0.join("new"))]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write to the index"), "{err}");
    // Writable again: the last commit is intact.
    fs.remount_read_write();
    holds_prefix(&index, 20);
}
