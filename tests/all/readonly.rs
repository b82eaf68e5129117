//! An index on read-only storage (issue 22): every reading command works on
//! it and prints what it prints on the writable original; the writing
//! commands exit 2 and say the storage is read-only.
//!
//! The read-only copy is a read-only bind mount, which needs root and
//! permission to mount (CI has both); elsewhere the test is skipped with a
//! printed reason.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// A read-only bind mount of a directory, unmounted when dropped.
struct ReadOnlyMount {
    at: PathBuf,
}

impl ReadOnlyMount {
    /// Mounts `src` read-only at `at`, or says why it cannot.
    fn new(src: &Path, at: &Path) -> Result<ReadOnlyMount, String> {
        std::fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let run = |args: &[&str]| -> Result<(), String> {
            let out = Command::new("mount")
                .args(args)
                .output()
                .map_err(|e| format!("mount: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
            }
        };
        run(&["--bind", s(src), s(at)])?;
        let mount = ReadOnlyMount {
            at: at.to_path_buf(),
        };
        run(&["-o", "remount,bind,ro", s(at)])?;
        // Root ignores file permissions, so only a real read-only mount proves anything.
        if std::fs::write(at.join(".probe"), b"x").is_ok() {
            return Err("the bind mount is still writable".into());
        }
        Ok(mount)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

/// `run`'s output with `from` replaced by `to` and timings dropped, for comparing.
fn comparable(run: &Run, from: &str, to: &str) -> String {
    (run.stdout.clone() + "\n--- stderr\n" + &run.stderr)
        .replace(from, to)
        .lines()
        .filter(|l| !l.contains("search time per query") && !l.contains("latency_ms"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Builds an index and a copy of input pages in `dir/data`, and mounts that
/// read-only at `dir/ro`; `None` (with a printed reason) when mounting is
/// not possible here.
fn read_only_copy(dir: &Path, keep_lock_files: bool) -> Option<(PathBuf, PathBuf, ReadOnlyMount)> {
    let data = dir.join("data");
    let index = data.join("index");
    std::fs::create_dir_all(data.join("pages")).unwrap();
    for entry in std::fs::read_dir(fixture("pages")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, data.join("pages").join(path.file_name().unwrap())).unwrap();
        }
    }
    let corpus = root().join("corpus");
    opedex(&[
        "ingest",
        "-q",
        "--index",
        s(&index),
        s(&corpus),
        s(&data.join("pages")),
    ])
    .expect(0);
    // Opening a search and searching leave the meta lock file behind, as in
    // any index that has been used; a copy may also come without it.
    opedex(&["stats", "--index", s(&index)]).expect(0);
    if !keep_lock_files {
        for name in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
            let _ = std::fs::remove_file(index.join(name));
        }
    }
    match ReadOnlyMount::new(&data, &dir.join("ro")) {
        Ok(mount) => Some((data, dir.join("ro"), mount)),
        Err(why) => {
            eprintln!("SKIPPED: cannot make a read-only bind mount here ({why})");
            None
        }
    }
}

fn reading_commands_match_the_original(keep_lock_files: bool) {
    let dir = tempdir();
    let Some((data, ro, _mount)) = read_only_copy(dir.path(), keep_lock_files) else {
        return;
    };
    let (rw_index, ro_index) = (data.join("index"), ro.join("index"));
    let queries = fixture("eval/queries.jsonl");
    let qrels = fixture("eval/qrels.txt");
    let commands: Vec<Vec<&str>> = vec![
        vec!["search", "peace treaty islands", "--json"],
        vec!["search", "housing", "--outlet", "harbour review", "-n", "3"],
        vec!["show", "sample-summits-not-strategy", "--json"],
        vec!["show", "sample-summits"],
        vec!["similar", "sample-summits-not-strategy", "--json"],
        vec!["stats", "--json"],
        vec!["eval", "--queries", s(&queries), "--qrels", s(&qrels)],
    ];
    for args in commands {
        let on = |index: &Path| {
            let mut all = args.clone();
            all.extend(["--index", s(index)]);
            opedex(&all)
        };
        let (rw, ro_run) = (on(&rw_index), on(&ro_index));
        assert_eq!(
            ro_run.code, rw.code,
            "{args:?} on read-only storage\n{}",
            ro_run.stderr
        );
        assert!(
            !ro_run.stderr.contains("cannot write"),
            "{args:?} tried to write: {}",
            ro_run.stderr
        );
        assert_eq!(
            comparable(&ro_run, s(&ro_index), "INDEX"),
            comparable(&rw, s(&rw_index), "INDEX"),
            "{args:?}"
        );
    }
    // normalize needs no index, and reads from read-only storage as from any other.
    let (rw, ro_run) = (
        opedex(&["normalize", s(&data.join("pages"))]).expect(0),
        opedex(&["normalize", s(&ro.join("pages"))]).expect(0),
    );
    assert_eq!(
        comparable(&ro_run, s(&ro), "DATA"),
        comparable(&rw, s(&data), "DATA")
    );

    // The writing commands refuse with what to do, and the index is untouched.
    let before = opedex(&["stats", "--json", "--index", s(&ro_index)])
        .expect(0)
        .stdout;
    for args in [
        vec!["ingest", s(&data.join("pages"))],
        vec!["ingest", "--rebuild", s(&data.join("pages"))],
        vec!["optimize"],
    ] {
        let mut all = args.clone();
        all.extend(["--index", s(&ro_index)]);
        let run = opedex(&all).expect(2);
        assert!(
            run.stderr.contains("the storage is read-only"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("writable"),
            "{args:?} says what to do: {}",
            run.stderr
        );
    }
    let after = opedex(&["stats", "--json", "--index", s(&ro_index)])
        .expect(0)
        .stdout;
    assert_eq!(before, after);
}

#[test]
fn reading_commands_work_on_a_read_only_index_and_match_the_original() {
    reading_commands_match_the_original(true);
}

#[test]
fn a_read_only_copy_without_tantivy_lock_files_is_readable_too() {
    reading_commands_match_the_original(false);
}
