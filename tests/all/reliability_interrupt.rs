//! Issue 6, interrupted ingest: SIGKILL before, during and right after a
//! commit, and Ctrl-C (SIGINT) or SIGTERM. Afterwards the index opens, holds
//! exactly the articles of its last commit, and the same ingest run again
//! completes it without duplicates.

use std::time::{Duration, Instant};

use crate::reliability_common::*;

const ARTICLES: usize = 1200;
const COMMIT_EVERY: usize = 150;

struct Setup {
    _dir: tempfile::TempDir,
    input: std::path::PathBuf,
    index: std::path::PathBuf,
}

fn setup() -> Setup {
    let dir = crate::common::tempdir();
    let input = dir.path().join("generated.jsonl");
    generated_jsonl(&input, ARTICLES);
    let index = dir.path().join("index");
    Setup {
        _dir: dir,
        input,
        index,
    }
}

fn start(su: &Setup) -> std::process::Child {
    spawn(&[
        "ingest",
        s(&su.input),
        "--index",
        s(&su.index),
        "--commit-every",
        &COMMIT_EVERY.to_string(),
        "--threads",
        "1",
    ])
}

/// After a kill, the index holds a whole number of commits' worth of
/// articles, in input order; returns how many.
fn check_after_kill(su: &Setup) -> u64 {
    if !su.index.exists() {
        // Killed before the index directory was made.
        return 0;
    }
    let (articles, _) = counts(&su.index);
    assert_eq!(
        articles % COMMIT_EVERY as u64,
        0,
        "{articles} articles is not a whole number of commits"
    );
    holds_prefix(&su.index, articles);
    articles
}

/// Runs the same ingest again: it completes, adds only what was missing.
fn resume(su: &Setup, committed: u64) {
    let started = Instant::now();
    let (code, out, err) = run(&[
        "ingest",
        s(&su.input),
        "--index",
        s(&su.index),
        "--commit-every",
        &COMMIT_EVERY.to_string(),
    ]);
    assert_eq!(code, 0, "resumed ingest: {out}{err}");
    eprintln!(
        "recovery: re-ingest after the interruption took {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let expect = format!(
        "({} new, 0 replaced, {committed} unchanged)",
        ARTICLES as u64 - committed
    );
    assert!(out.contains(&expect), "expected {expect} in {out}");
    holds_prefix(&su.index, ARTICLES as u64);
}

#[test]
fn sigkill_before_the_first_commit() {
    let su = setup();
    let mut child = start(&su);
    // The index exists (its empty first commit) but no batch is committed yet.
    assert!(wait_for_commit(&mut child, &su.index, None));
    child.kill().unwrap();
    child.wait().unwrap();
    let committed = check_after_kill(&su);
    assert!(committed < ARTICLES as u64);
    resume(&su, committed);
}

#[test]
fn sigkill_right_after_a_commit() {
    let su = setup();
    let mut child = start(&su);
    assert!(wait_for_commit(&mut child, &su.index, None));
    let first = opstamp(&su.index);
    assert!(
        wait_for_commit(&mut child, &su.index, first),
        "the ingest ended before its first checkpoint"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let committed = check_after_kill(&su);
    assert!(committed >= COMMIT_EVERY as u64, "a checkpoint was seen");
    resume(&su, committed);
}

#[test]
fn repeated_sigkill_at_many_points_then_resume() {
    // Kills at growing delays land before, between and inside commits
    // (each checkpoint writes segments, then meta.json, then merges); every
    // state left behind must be a clean commit, and each restart goes on
    // from there.
    let su = setup();
    let kills = kill_until_complete(
        || start(&su),
        Duration::from_millis(150),
        Duration::from_millis(370),
        || {
            check_after_kill(&su);
        },
    );
    assert!(kills >= 2, "the test should interrupt at least twice");
    holds_prefix(&su.index, ARTICLES as u64);
}

fn interrupt_with(name: &str) {
    let su = setup();
    let mut child = start(&su);
    assert!(wait_for_commit(&mut child, &su.index, None));
    let first = opstamp(&su.index);
    assert!(wait_for_commit(&mut child, &su.index, first));
    signal(&child, name);
    let (code, out, err) = finish(child);
    assert_eq!(code, Some(130), "exit code after SIG{name}: {out}{err}");
    assert!(
        err.contains("interrupted: committed what was read so far"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Everything written before the signal was committed, in input order.
    let (articles, _) = counts(&su.index);
    assert!(articles >= COMMIT_EVERY as u64 && articles < ARTICLES as u64);
    holds_prefix(&su.index, articles);
    resume(&su, articles);
}

#[test]
fn ctrl_c_commits_what_is_done_and_exits_non_zero() {
    interrupt_with("INT");
}

#[test]
fn sigterm_stops_cleanly_too() {
    interrupt_with("TERM");
}

#[test]
fn interrupted_rebuild_leaves_the_old_index() {
    let su = setup();
    let small = su.input.with_file_name("small.jsonl");
    generated_jsonl(&small, 10);
    let (code, out, err) = run(&["ingest", s(&small), "--index", s(&su.index)]);
    assert_eq!(code, 0, "{out}{err}");
    let mut child = spawn(&[
        "ingest",
        s(&su.input),
        "--index",
        s(&su.index),
        "--rebuild",
        "--commit-every",
        &COMMIT_EVERY.to_string(),
        "--threads",
        "1",
    ]);
    // Interrupt once the staging index has its first commit of articles
    // (its creation commit is opstamp 0), well before the run can end.
    let staging = su
        .index
        .with_file_name(format!(".index.rebuild-{}", child.id()));
    assert!(
        wait_for_commit(&mut child, &staging, Some(0)),
        "the rebuild ended before its first commit of articles"
    );
    signal(&child, "INT");
    let (code, _, err) = finish(child);
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("rebuild was abandoned"), "{err}");
    holds_prefix(&su.index, 10);
    let parent = su.index.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".index."))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}
