//! The file walk: expanding the paths given into the files to read.

use std::path::{Path, PathBuf};

use super::events::{Skip, SkipReason};
use super::format::{self, ByName};

/// One file to read.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path to open, or `-` for standard input.
    pub path: PathBuf,
}

/// Expands inputs into files with the default [`WalkOptions`].
pub fn collect_files(inputs: &[PathBuf]) -> (Vec<FileEntry>, Vec<Skip>, usize) {
    walk(inputs, &WalkOptions::default())
}

/// How directories are walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Follow symbolic links wherever they point (`--follow-symlinks`).
    pub follow_symlinks: bool,
}

/// Expands inputs into files. Directories are walked recursively in name
/// order, skipping hidden entries and files whose type opedex does not read
/// (counted in the returned number).
///
/// Symbolic links met in the walk are not followed unless
/// `follow_symlinks` is set: a link into the given roots adds nothing (its
/// target is walked anyway) and a link out of them is skipped with a
/// message, so ingest never reads outside what it was given. With the
/// option, links are followed and a loop is reported as a per-entry skip.
/// Paths given on the command line are always read, links or not.
pub fn walk(inputs: &[PathBuf], opts: &WalkOptions) -> (Vec<FileEntry>, Vec<Skip>, usize) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    let mut ignored = 0;
    let roots: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let skip = |path: &Path, reason: SkipReason| Skip {
        path: path.display().to_string(),
        record: None,
        reason,
    };
    for input in inputs {
        if input.as_os_str() == "-" || input.is_file() {
            files.push(FileEntry {
                path: input.clone(),
            });
            continue;
        }
        if !input.exists() {
            let reason = if input.is_symlink() {
                "broken symbolic link"
            } else {
                "no such file or directory"
            };
            skips.push(skip(input, SkipReason::Unreadable(reason.into())));
            continue;
        }
        let walk = walkdir::WalkDir::new(input)
            .follow_links(opts.follow_symlinks)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => match format::by_name(e.path()) {
                    ByName::Other => ignored += 1,
                    ByName::Known { .. } => files.push(FileEntry {
                        path: e.into_path(),
                    }),
                },
                Ok(e) if e.path_is_symlink() && !opts.follow_symlinks => {
                    match std::fs::canonicalize(e.path()) {
                        Err(_) => skips.push(skip(
                            e.path(),
                            SkipReason::Unreadable("broken symbolic link".into()),
                        )),
                        Ok(target) if roots.iter().any(|r| target.starts_with(r)) => {}
                        Ok(target) => skips.push(skip(
                            e.path(),
                            SkipReason::NotFollowed(target.display().to_string()),
                        )),
                    }
                }
                Ok(_) => {}
                Err(err) => skips.push(skip(
                    err.path().unwrap_or(input),
                    SkipReason::Unreadable(
                        err.io_error()
                            .map_or_else(|| err.to_string(), ToString::to_string),
                    ),
                )),
            }
        }
    }
    (files, skips, ignored)
}
