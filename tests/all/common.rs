//! Helpers shared by the integration tests: run the real binary, make temp dirs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Path of a fixture under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` if present; otherwise prints why the test is skipped.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (shared material is not part of a clone)",
            p.display()
        );
        None
    }
}

/// Result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Stdout parsed as JSON Lines.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }

    /// The hit lines of `search --json`: every line but the summary, which
    /// must be the last and the only one.
    pub fn hits(&self) -> Vec<serde_json::Value> {
        let mut lines = self.json_lines();
        let summary = lines.pop().expect("search --json prints a summary line");
        assert!(summary.get("summary").is_some(), "last line: {summary}");
        assert!(
            lines.iter().all(|l| l.get("summary").is_none()),
            "one summary line, at the end"
        );
        lines
    }

    /// The summary line of `search --json` (`{"summary": {…}}`), its object.
    pub fn summary(&self) -> serde_json::Value {
        let last = self.json_lines().pop().expect("a summary line");
        last.get("summary")
            .unwrap_or_else(|| panic!("last line is no summary: {last}"))
            .clone()
    }
}

/// Runs `opedex` with `args` in `cwd`.
pub fn opedex_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_opedex"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the opedex binary runs");
    Run::from(out)
}

/// Runs `opedex` with `args` in the repository root.
pub fn opedex(args: &[&str]) -> Run {
    opedex_in(&root(), args)
}

/// A temporary directory removed on drop.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `path` as a `&str`.
pub fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Ingests `paths` into a fresh index in `dir/index`; returns (index path, run).
pub fn ingest_fresh(dir: &Path, paths: &[&str]) -> (PathBuf, Run) {
    let index = dir.join("index");
    let mut args = vec!["ingest", "--index", s(&index)];
    args.extend_from_slice(paths);
    let run = opedex(&args);
    (index, run)
}
