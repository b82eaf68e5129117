//! Every command shown in README.md runs as written, on a fresh copy of the
//! repository's bundled files, and prints what the README says it prints.
//!
//! The README's ```` ```console ```` blocks are sessions: a line `$ CMD` is
//! a command, the lines after it (up to the next `$` line or the block's
//! end) its output, standard error merged in as a terminal shows it. The
//! blocks run in order in one temporary copy of `corpus/`, `index/`,
//! `examples/data/`, `tests/fixtures/` and `tools/`, so an index built by one command
//! is there for the next, as on a fresh clone. `cargo run --release --`
//! runs the built `opedex`; other `cargo` commands (build, test, bench) are
//! not run here. A command must exit 0 unless its line says otherwise
//! (`; echo "exit $?"`).
//!
//! In expected output, trailing blank lines are left out, a line `...` stands for any number of lines and
//! `[..]` for any text within a line; timings (`0.25 s`, `12.3 ms`) match
//! any timing. A block marked ```` ```console shared ```` needs
//! `../shared` and is skipped with a message when it is absent. A block
//! marked ```` ```console serve ```` talks to `opedex serve`: the test starts
//! one over the session's `index/` on a free port and puts its address where
//! the README writes the default `127.0.0.1:7700`. A block marked
//! ```` ```console model ```` needs the default embedding model
//! (`tools/fetch-model.sh`, which `.ci/run` calls) and is skipped with a
//! message when it is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// One `$` command and the output shown for it.
#[derive(Debug)]
struct Step {
    /// README line of the command, for messages.
    line: usize,
    command: String,
    expected: Vec<String>,
    needs_shared: bool,
    /// In a `console serve` block.
    serve: bool,
    /// In a `console model` block.
    needs_model: bool,
}

/// What a console block's info string asks for.
#[derive(Clone, Copy)]
struct Block {
    shared: bool,
    serve: bool,
    model: bool,
}

/// The console sessions of a markdown text, in order.
fn steps(markdown: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    // Some(..) inside a console block.
    let mut block: Option<Block> = None;
    let mut in_other = false;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if block.is_some() || in_other {
                block = None;
                in_other = false;
            } else if info.trim().starts_with("console") {
                let has = |word: &str| info.split_whitespace().any(|w| w == word);
                block = Some(Block {
                    shared: has("shared"),
                    serve: has("serve"),
                    model: has("model"),
                });
            } else {
                in_other = true;
            }
            continue;
        }
        let Some(block) = block else {
            continue;
        };
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                line: i + 1,
                command: command.to_string(),
                expected: Vec::new(),
                needs_shared: block.shared,
                serve: block.serve,
                needs_model: block.model,
            });
        } else if let Some(step) = steps.last_mut() {
            step.expected.push(line.to_string());
        }
    }
    for step in &mut steps {
        while step.expected.last().is_some_and(|l| l.trim().is_empty()) {
            step.expected.pop();
        }
    }
    steps
}

/// `text` with every timing (`0.25 s`, `12.3 ms`, `1 s`) replaced by `T s`/`T ms`.
fn mask_timings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after_word = out.chars().last().is_some_and(char::is_alphanumeric);
        if !c.is_ascii_digit() || after_word {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let after = &rest[len..];
        let unit = [" ms", " s"].into_iter().find(|u| {
            after
                .strip_prefix(u)
                .is_some_and(|a| a.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        });
        match unit {
            Some(u) => {
                out.push('T');
                out.push_str(u);
                rest = &after[u.len()..];
            }
            None => {
                out.push_str(&rest[..len]);
                rest = after;
            }
        }
    }
    out
}

/// Whether one line matches a pattern line with `[..]` wildcards.
fn line_matches(pattern: &str, line: &str) -> bool {
    let (pattern, line) = (mask_timings(pattern), mask_timings(line));
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let Some(mut rest) = line.strip_prefix(parts[0]) else {
        return false;
    };
    for (k, part) in parts.iter().enumerate().skip(1) {
        if k == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether output lines match expected lines, `...` standing for any lines.
fn lines_match(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line_matches(first, line) && lines_match(rest, more)),
    }
}

/// Copies `src` into `dst` recursively.
fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh clone's bundled files in `dir/repo`, with `dir/shared` pointing
/// at the shared material when it exists.
fn fresh_clone(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    // index/ holds only its README in a clone (the index files are ignored
    // by git); a local build there must not make the first run look built.
    copy_tree(&root().join("corpus"), &repo.join("corpus"));
    std::fs::create_dir_all(repo.join("index")).unwrap();
    std::fs::copy(root().join("index/README.md"), repo.join("index/README.md")).unwrap();
    for part in ["examples/data", "tests/fixtures", "tests/eval", "tools"] {
        let src = root().join(part);
        if src.exists() {
            copy_tree(&src, &repo.join(part));
        }
    }
    let shared = root().join("../shared");
    if shared.exists() {
        std::os::unix::fs::symlink(shared.canonicalize().unwrap(), dir.join("shared")).unwrap();
    }
    repo
}

#[test]
fn every_readme_command_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let steps = steps(&readme);
    assert!(!steps.is_empty(), "README.md has no console blocks");
    let dir = tempdir();
    let repo = fresh_clone(dir.path());
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_opedex")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let has_shared = root().join("../shared/corpus").exists();
    let has_model = std::env::var_os("OPEDEX_MODEL")
        .map(PathBuf::from)
        .or_else(opedex::default_model_dir)
        .is_some_and(|dir| dir.join("model.safetensors").is_file());
    let mut failures = Vec::new();
    let mut server: Option<crate::serve::Server> = None;
    for step in &steps {
        let mut command = match step.command.strip_prefix("cargo run --release -- ") {
            Some(args) => format!("opedex {args}"),
            None if step.command.starts_with("cargo ") => continue,
            None => step.command.clone(),
        };
        if step.serve {
            // Started once, over the index the earlier blocks built.
            let server =
                server.get_or_insert_with(|| crate::serve::Server::start(&repo.join("index")));
            command = command.replace("127.0.0.1:7700", &server.addr);
        }
        if step.needs_shared && !has_shared {
            eprintln!("SKIPPED README line {}: ../shared is absent", step.line);
            continue;
        }
        if step.needs_model && !has_model {
            eprintln!(
                "SKIPPED README line {}: no embedding model (run tools/fetch-model.sh)",
                step.line
            );
            continue;
        }
        let out = Command::new("sh")
            .arg("-c")
            // Grouped, so that standard error is merged for every part of
            // a line such as `opedex … ; echo "exit $?"`.
            .arg(format!("{{ {command}\n}} 2>&1"))
            .current_dir(&repo)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("OPEDEX_INDEX")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        // A trailing blank line is not shown in the README.
        let actual: Vec<&str> = stdout.trim_end_matches('\n').lines().collect();
        let exit_ok = out.status.success();
        if !exit_ok || !lines_match(&step.expected, &actual) {
            failures.push(format!(
                "README line {}: `{}` (exit {:?})\n--- expected\n{}\n--- got\n{}",
                step.line,
                step.command,
                out.status.code(),
                step.expected.join("\n"),
                stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn wildcards_and_timings_match_as_documented() {
    let exp = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(lines_match(&exp(&["a", "...", "z"]), &["a", "b", "c", "z"]));
    assert!(lines_match(&exp(&["a", "...", "z"]), &["a", "z"]));
    assert!(!lines_match(&exp(&["a", "z"]), &["a", "b", "z"]));
    assert!(line_matches(
        "id [..]  passage 8",
        "id c1e235a7c7ef2cba8  passage 8"
    ));
    assert!(!line_matches(
        "id [..]  passage 8",
        "id c1e235a7c7ef2cba8  passage 9"
    ));
    assert!(line_matches("written; 0.10 s", "written; 12.34 s"));
    assert!(line_matches("median 1.2 ms", "median 0.87 ms"));
    assert!(!line_matches("2019 segments", "2020 segments"));
    assert!(!line_matches("0.10 s", "0.10 sx"));
    let s =
        steps("text\n```console\n$ opedex a\nout1\nout2\n$ opedex b\n```\n```\n$ not run\n```\n");
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].expected, ["out1", "out2"]);
    assert!(s[1].expected.is_empty());
}
