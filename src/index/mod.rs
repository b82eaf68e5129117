//! The on-disk index: creating, opening (with version checks), writing, and
//! reading back what was stored.
//!
//! The index sits below search: it may use `analysis`, `article`, `date`,
//! `dedup`, `passage` and `error`, never `search` (what the writer reads back,
//! it reads through [`stored`]).
//!
//! Each commit carries a small JSON payload ([`IndexInfo`]) with the schema
//! version and the languages present, written atomically with the commit, so
//! a reader always sees metadata that matches the documents.
//!
//! Opening validates before anything is written: a foreign directory, damaged
//! files or another schema version are refused with the fix to apply, and
//! nothing is overwritten unless the user asks for a [`Rebuild`].

mod band_filter;
pub mod columns;
pub mod document;
pub mod merge;
mod readonly;
pub mod schema;
pub mod stored;
pub mod vectors;
pub mod writer;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::columnar::Column;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DateTime, DocAddress, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher,
    TantivyError, Term, TERMINATED,
};

use crate::analysis;
use crate::error::{Error, Result};
use schema::{Fields, SCHEMA_VERSION};

/// Metadata stored in every commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// Schema version of the writer.
    pub opedex_schema: u32,
    /// Analyser keys with documents, so queries only touch those fields.
    pub langs: BTreeSet<String>,
    /// The vectors of this commit ([`vectors`]); absent (and not written)
    /// for a lexical-only index, whose payload stays as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vectors: Option<vectors::VectorsInfo>,
}

/// An opened opedex index.
pub struct OpedexIndex {
    /// Where it lives.
    pub path: PathBuf,
    /// The Tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Metadata of the last commit.
    pub info: IndexInfo,
    /// The reader searches share: the one `open` validated the segments
    /// with, until a writer of this process drops it ([`OpedexIndex::reader`]).
    opened: Mutex<Option<IndexReader>>,
    /// Fast columns that searches read, opened once per segment.
    columns: columns::ColumnCache,
}

/// True when `path` holds an index (of any version).
pub fn exists(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

impl OpedexIndex {
    /// Opens an existing index, refusing foreign or other-version indexes.
    pub fn open(path: &Path) -> Result<OpedexIndex> {
        let not_index = |reason: String| Error::NotAnIndex {
            path: path.to_path_buf(),
            reason,
        };
        if !path.is_dir() {
            // A rebuild killed between its renames left the index beside it.
            settle_leftovers(path);
            if !path.is_dir() {
                return Err(not_index("no such directory".into()));
            }
        }
        if !exists(path) {
            return Err(not_index("it has no meta.json".into()));
        }
        let damaged = |reason: String| Error::Damaged {
            path: path.to_path_buf(),
            reason,
        };
        // Unreadable metadata may be another program's file or our damaged
        // one; the message says both, and --rebuild accepts such a directory.
        let unreadable_meta = |e: tantivy::TantivyError| {
            not_index(format!(
                "its meta.json cannot be read: {e}; if it was an opedex index, it is damaged \
                 and `opedex ingest --rebuild --index {}` rebuilds it",
                path.display()
            ))
        };
        // Tantivy's own directory, except that it also reads from read-only
        // storage (`readonly`).
        let dir = readonly::ReadOnlyAware::open(path).map_err(|e| unreadable_meta(e.into()))?;
        let index = Index::open(dir).map_err(unreadable_meta)?;
        let metas = index.load_metas().map_err(unreadable_meta)?;
        let (expected_schema, fields) = schema::build();
        let info: IndexInfo = match metas.payload.as_deref() {
            Some(p) => serde_json::from_str(p)
                .map_err(|e| not_index(format!("its opedex metadata cannot be read: {e}")))?,
            // Our exact fields and no commit yet: an index that opedex is
            // creating right now (its first commit carries the payload), or
            // one whose creation was killed. Either way it is empty.
            None if metas.segments.is_empty() && index.schema() == expected_schema => IndexInfo {
                opedex_schema: SCHEMA_VERSION,
                ..IndexInfo::default()
            },
            None => return Err(not_index("it has no opedex metadata".into())),
        };
        if info.opedex_schema != SCHEMA_VERSION {
            return Err(Error::SchemaVersion {
                path: path.to_path_buf(),
                found: info.opedex_schema,
                expected: SCHEMA_VERSION,
            });
        }
        if index.schema() != expected_schema {
            return Err(not_index(format!(
                "its fields differ from schema version {SCHEMA_VERSION}"
            )));
        }
        // Opening a reader opens every segment file, so a missing or cut-short
        // file is found here rather than in the middle of a search. (Checking
        // the files one by one would race with a concurrent writer's garbage
        // collection; the reader holds Tantivy's meta lock while it opens.)
        analysis::register(&index);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| match explain_write_error(path, e.into()) {
                // Tantivy takes a lock file even to read.
                unwritable @ Error::NotWritable { .. } => unwritable,
                other => damaged(other.to_string()),
            })?;
        Ok(OpedexIndex {
            path: path.to_path_buf(),
            index,
            fields,
            info,
            opened: Mutex::new(Some(reader)),
            columns: columns::ColumnCache::default(),
        })
    }

    /// Opens the index at `path`, creating it when the directory is absent
    /// or empty. A non-empty directory without an index is refused, so
    /// opedex never mixes its files with someone else's.
    pub fn open_or_create(path: &Path) -> Result<OpedexIndex> {
        settle_leftovers(path);
        if exists(path) {
            return Self::open(path);
        }
        if path.exists() && !is_empty_dir(path)? {
            return Err(Error::NotAnIndex {
                path: path.to_path_buf(),
                reason: if path.is_dir() {
                    "the directory is not empty and holds no index".into()
                } else {
                    "it is not a directory".into()
                },
            });
        }
        if let Err(e) = Self::create(path) {
            // Another process may have created it at the same moment: use that one.
            if !exists(path) {
                return Err(e);
            }
        }
        Self::open(path)
    }

    /// Creates an index at `path` so that no kill leaves half of one: it is
    /// made in a sibling directory, which is renamed into place when `path`
    /// is absent; into an existing empty directory only its `meta.json` is
    /// linked, which never replaces an index another process made meanwhile.
    /// Either way the index appears whole, with its first commit, or not at all.
    fn create(path: &Path) -> Result<()> {
        let staging = sibling(path, "new")?;
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        let made = Self::create_in(&staging).and_then(|()| put_in_place(&staging, path));
        if staging.exists() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        made
    }

    /// An index in memory holding `docs` (each inner list one article's
    /// documents, added as one batch), committed: a pool of documents read
    /// from elsewhere, searched like an index on disk
    /// (`export::rerank`). `langs` are the analyser keys with documents.
    pub fn in_ram(
        docs: Vec<Vec<tantivy::TantivyDocument>>,
        langs: BTreeSet<String>,
    ) -> Result<OpedexIndex> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        analysis::register(&index);
        let info = IndexInfo {
            opedex_schema: SCHEMA_VERSION,
            langs,
            vectors: None,
        };
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        for article in docs {
            writer.run(
                article
                    .into_iter()
                    .map(tantivy::indexer::UserOperation::Add),
            )?;
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&info)?);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        Ok(OpedexIndex {
            path: PathBuf::new(),
            index,
            fields,
            info,
            opened: Mutex::new(None),
            columns: columns::ColumnCache::default(),
        })
    }

    /// Reads the metadata of the last commit again, after this process wrote
    /// to the index: searches query only the languages it lists.
    pub fn refresh_info(&mut self) -> Result<()> {
        let metas = self.index.load_metas()?;
        if let Some(payload) = metas.payload.as_deref() {
            self.info = serde_json::from_str(payload)?;
        }
        Ok(())
    }

    /// Creates an index with an empty first commit carrying its metadata.
    fn create_in(path: &Path) -> Result<()> {
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(path, schema)?;
        analysis::register(&index);
        let info = IndexInfo {
            opedex_schema: SCHEMA_VERSION,
            ..IndexInfo::default()
        };
        // An empty first commit records the metadata, so the index is never payload-less.
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&info)?);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        Ok(())
    }

    /// The address of the article document with this id, in `searcher`'s view.
    ///
    /// Read from the id's postings: of the documents holding the id, the
    /// live one without a passage number is the article's. (A query would
    /// set up a scorer in every segment; this looks the id up once in each.)
    pub fn article_doc(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let passage = searcher.schema().get_field_name(self.fields.passage);
        let segments = 0..searcher.segment_readers().len() as u32;
        self.find_article_doc(searcher, id, segments, |ord| {
            Ok(searcher.segment_reader(ord).fast_fields().u64(passage)?)
        })
    }

    /// [`OpedexIndex::article_doc`] for searches: it looks in segment `hint`
    /// first (the writer adds an article's documents as one batch, which
    /// Tantivy keeps in one segment, so a passage's segment holds its
    /// article document) and reads the cached columns.
    pub fn article_doc_near(
        &self,
        searcher: &Searcher,
        id: &str,
        hint: u32,
    ) -> Result<Option<DocAddress>> {
        let count = searcher.segment_readers().len() as u32;
        let first = (hint < count).then_some(hint);
        let segments = first
            .into_iter()
            .chain((0..count).filter(|&s| Some(s) != first));
        self.find_article_doc(searcher, id, segments, |ord| {
            Ok(self.columns(searcher, ord)?.passages.clone())
        })
    }

    fn find_article_doc(
        &self,
        searcher: &Searcher,
        id: &str,
        segments: impl Iterator<Item = u32>,
        passages: impl Fn(u32) -> Result<Column<u64>>,
    ) -> Result<Option<DocAddress>> {
        let term = Term::from_field_text(self.fields.article_id, id);
        for ord in segments {
            let segment = searcher.segment_reader(ord);
            let Some(mut postings) = segment
                .inverted_index(self.fields.article_id)?
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            let passages = passages(ord)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) && passages.first(doc).is_none() {
                    return Ok(Some(DocAddress::new(ord, doc)));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// The fast columns a search reads in `searcher`'s segment `ord`,
    /// opened once per segment ([`columns::ColumnCache`]).
    pub fn columns(&self, searcher: &Searcher, ord: u32) -> Result<Arc<columns::SegmentColumns>> {
        self.columns.get(&self.fields, searcher, ord)
    }

    /// A reader over the last commit with memory maps of its own, for a
    /// writer's lookups. Pages that the writer's merges read stay in the
    /// merges' maps, which close when each merge ends; a reader sharing the
    /// writer's maps would keep every merged page resident until it is dropped.
    pub fn separate_reader(&self) -> Result<IndexReader> {
        let dir = MmapDirectory::open(&self.path).map_err(|e| Error::Tantivy(e.into()))?;
        let index = Index::open(dir)?;
        analysis::register(&index);
        Ok(index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// The reader searches use: the one `open` validated the index with (the
    /// commit as of opening), kept for every later search, or, after this
    /// process wrote to the index ([`Self::writer`] drops it), a new one over
    /// the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        let mut slot = self
            .opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(reader) = slot.as_ref() {
            return Ok(reader.clone());
        }
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        *slot = Some(reader.clone());
        Ok(reader)
    }

    /// Hands over the reader `open` made, once. A writer drops it at once:
    /// held through an ingest, its memory maps would keep segments that
    /// merges replace on disk and in memory until the process ends.
    pub(crate) fn take_opened_reader(&self) -> Option<IndexReader> {
        self.opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    /// The index's writer, with `options`: the reader `open` made is dropped
    /// first (see [`Self::take_opened_reader`]), and a writer lock held by
    /// another process is [`Error::IndexBusy`].
    ///
    /// A busy lock is tried again for half a second before it counts as
    /// busy: the lock is a `flock` on an open file, and a process that
    /// forks (to run a program) in the instant between another writer's
    /// last use of the lock and its release holds a copy of it until the
    /// child's `exec` closes it. A test suite that runs `opedex` in one
    /// thread and writes an index in another saw that under load.
    pub(crate) fn writer(&self, options: IndexWriterOptions) -> Result<IndexWriter> {
        drop(self.take_opened_reader());
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(500);
        loop {
            match self.index.writer_with_options(options.clone()) {
                Ok(w) => return Ok(w),
                Err(TantivyError::LockFailure(LockError::LockBusy, _))
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    return Err(Error::IndexBusy {
                        path: self.path.clone(),
                    })
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// Files a repository keeps in an otherwise empty folder, such as opedex's
/// own `index/README.md`: an index may be created beside them, and
/// `--rebuild` keeps them.
const PLACEHOLDERS: [&str; 3] = ["README.md", ".gitkeep", ".gitignore"];

/// True for a directory that holds nothing but [`PLACEHOLDERS`], or only the
/// lock and bookkeeping files Tantivy writes before the first `meta.json`,
/// and the temporary file that becomes `meta.json` (`.tmp…`, renamed into
/// place by Tantivy's atomic write): a creation that was killed at its very
/// start.
fn is_empty_dir(path: &Path) -> Result<bool> {
    if !path.is_dir() {
        return Ok(false);
    }
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let name = entry.map_err(|e| Error::io(path, e))?.file_name();
        let name = name.to_string_lossy();
        let bookkeeping =
            name.starts_with(".tantivy-") || name == ".managed.json" || name.starts_with(".tmp");
        if !(bookkeeping || PLACEHOLDERS.contains(&name.as_ref())) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The widest span of dates the index can hold: Tantivy stores dates as
/// nanoseconds in an `i64`, about the years 1678 to 2261.
pub const DATE_SECONDS: std::ops::RangeInclusive<i64> =
    -(i64::MAX / 1_000_000_000)..=i64::MAX / 1_000_000_000;

/// `secs` as an index date, or `None` when the index cannot represent it.
pub fn index_date(secs: i64) -> Option<DateTime> {
    DATE_SECONDS
        .contains(&secs)
        .then(|| DateTime::from_timestamp_secs(secs))
}

/// Takes the writer lock of the index directory at `path` without opening
/// the index, so even a damaged index is protected while it is rebuilt.
pub fn lock_writer(path: &Path) -> Result<DirectoryLock> {
    let dir = MmapDirectory::open(path)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    dir.acquire_lock(&INDEX_WRITER_LOCK).map_err(|e| match e {
        LockError::LockBusy => Error::IndexBusy {
            path: path.to_path_buf(),
        },
        LockError::IoError(io) => Error::io(path, std::io::Error::new(io.kind(), io.to_string())),
    })
}

/// Tells apart the write failures a user can fix (read-only file system,
/// no permission, disk full) from other engine errors.
pub fn explain_write_error(path: &Path, err: Error) -> Error {
    let kind = unwritable_kind(&err).or_else(|| match err {
        Error::Tantivy(_) => probe_write(path),
        _ => None,
    });
    match kind {
        Some(kind) => Error::NotWritable {
            path: path.to_path_buf(),
            source: std::io::Error::from(kind),
        },
        None => err,
    }
}

/// Why `dir` cannot take a small write, if it cannot. Tantivy reports a
/// failed indexing thread without its cause ("an index writer was killed"),
/// so the directory itself is asked.
fn probe_write(dir: &Path) -> Option<std::io::ErrorKind> {
    use std::io::Write;
    let probe = dir.join(format!(".opedex-probe-{}", std::process::id()));
    let result = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&[0u8; 256 << 10])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    result.err().map(|e| e.kind())
}

fn unwritable_kind(err: &Error) -> Option<std::io::ErrorKind> {
    use std::io::ErrorKind as K;
    let fixable = |k: K| {
        matches!(
            k,
            K::PermissionDenied | K::ReadOnlyFilesystem | K::StorageFull | K::QuotaExceeded
        )
    };
    if let Error::Io { source, .. } = err {
        return fixable(source.kind()).then(|| source.kind());
    }
    // Tantivy reports I/O failures of its indexing and merging threads as
    // text (`ErrorInThread`, or an `io::Error` debug-printed inside another
    // variant), so the kind is recognised by its name or its OS message.
    let mut text = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        text.push_str(&c.to_string());
        cause = c.source();
    }
    [
        (K::StorageFull, ["StorageFull", "No space left on device"]),
        (K::QuotaExceeded, ["QuotaExceeded", "Disk quota exceeded"]),
        (
            K::ReadOnlyFilesystem,
            ["ReadOnlyFilesystem", "Read-only file system"],
        ),
        (
            K::PermissionDenied,
            ["PermissionDenied", "Permission denied"],
        ),
    ]
    .into_iter()
    .find(|(_, names)| names.iter().any(|n| text.contains(n)))
    .map(|(k, _)| k)
}

/// A fresh index built beside an existing directory, which replaces it only
/// when complete (`--rebuild`). Until [`finish`](Rebuild::finish), the old
/// directory is untouched and locked against other writers; a rebuild that
/// fails or is interrupted removes its staging directory and leaves the old
/// index as it was.
pub struct Rebuild {
    target: PathBuf,
    staging: PathBuf,
    _lock: Option<DirectoryLock>,
    finished: bool,
}

impl Rebuild {
    /// Prepares to rebuild `target`. Refuses a directory that holds neither
    /// an index (damaged or not) nor nothing at all, so `--rebuild` can never
    /// delete unrelated files.
    pub fn begin(target: &Path) -> Result<Rebuild> {
        Self::prepare(target).map_err(|e| explain_write_error(target, e))
    }

    fn prepare(target: &Path) -> Result<Rebuild> {
        settle_leftovers(target);
        let lock = if target.exists() {
            let looks_like_index = target.join("meta.json").exists()
                || target.join(".managed.json").exists()
                || is_empty_dir(target)?;
            if !target.is_dir() || !looks_like_index {
                return Err(Error::NotAnIndex {
                    path: target.to_path_buf(),
                    reason:
                        "--rebuild replaces only index directories, and this one holds other files"
                            .into(),
                });
            }
            Some(lock_writer(target)?)
        } else {
            None
        };
        let staging = sibling(target, "rebuild")?;
        // A staging directory left by a killed rebuild of the same process id is stale.
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        for name in PLACEHOLDERS {
            let kept = target.join(name);
            if kept.is_file() {
                std::fs::copy(&kept, staging.join(name)).map_err(|e| Error::io(&kept, e))?;
            }
        }
        Ok(Rebuild {
            target: target.to_path_buf(),
            staging,
            _lock: lock,
            finished: false,
        })
    }

    /// Where the new index is being built.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Puts the new index in place of the old one, then deletes the old one.
    pub fn finish(mut self) -> Result<()> {
        let old = sibling(&self.target, "old")?;
        if self.target.exists() {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        std::fs::rename(&self.staging, &self.target).map_err(|e| Error::io(&self.staging, e))?;
        self.finished = true;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for Rebuild {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Moves a freshly created index from `staging` to `path` (see
/// [`OpedexIndex::create`]). Its first commit writes no segment, so
/// `meta.json` is all there is to move; Tantivy's lock and bookkeeping files
/// are made again when needed.
fn put_in_place(staging: &Path, path: &Path) -> Result<()> {
    if !path.exists() {
        match std::fs::rename(staging, path) {
            Ok(()) => return Ok(()),
            // Someone made the directory meanwhile: go on as for an existing one.
            Err(_) if path.is_dir() => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    let (from, to) = (staging.join("meta.json"), path.join("meta.json"));
    match std::fs::hard_link(&from, &to) {
        Ok(()) => Ok(()),
        // An index appeared meanwhile; the caller opens that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links.
        Err(_) => std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e)),
    }
}

/// Settles what killed runs left beside `target` (`.NAME.WHAT-PID`, see
/// [`sibling`]) once no process with that id runs any more:
///
/// - a rebuild killed between its two renames (`target` absent, the old
///   index in `.NAME.old-PID`): its finished index in `.NAME.rebuild-PID` is
///   renamed into place, or, if that is missing, the old index goes back;
/// - then the rest is garbage and deleted: a creation's empty index
///   (`new`), an unfinished rebuild (`rebuild`, the old index still in
///   place), an old index already replaced (`old`).
///
/// Where process ids cannot be looked up (no `/proc`), nothing is touched.
/// Errors are ignored: the caller goes on with whatever state there is.
fn settle_leftovers(target: &Path) {
    const LEFTOVERS: [&str; 3] = ["new", "rebuild", "old"];
    let Some(name) = target.file_name() else {
        return;
    };
    let proc = Path::new("/proc");
    let parent = parent_of(target);
    let (Ok(entries), true) = (std::fs::read_dir(&parent), proc.join("self").exists()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut dead: BTreeSet<String> = BTreeSet::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((what, pid)) = rest.rsplit_once('-') else {
            continue;
        };
        let ours = LEFTOVERS.contains(&what);
        if ours && pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            dead.insert(pid.to_string());
        }
    }
    let at = |what: &str, pid: &str| sibling_of(target, what, pid).unwrap_or_default();
    for pid in dead {
        let (old, rebuilt) = (at("old", &pid), at("rebuild", &pid));
        if !target.exists() && old.is_dir() {
            let back = if exists(&rebuilt) { &rebuilt } else { &old };
            let _ = std::fs::rename(back, target);
        }
        for what in LEFTOVERS {
            let _ = std::fs::remove_dir_all(at(what, &pid));
        }
    }
}

/// The directory that holds `target` (`.` for a bare name).
fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.NAME.WHAT-PID` beside `target` for this process: same file system, so
/// renames are atomic.
fn sibling(target: &Path, what: &str) -> Result<PathBuf> {
    sibling_of(target, what, &std::process::id().to_string())
        .ok_or_else(|| Error::Invalid(format!("{}: not a directory name", target.display())))
}

/// `.NAME.WHAT-PID` beside `target` for process `pid`; `None` when
/// `target` has no name.
fn sibling_of(target: &Path, what: &str, pid: &str) -> Option<PathBuf> {
    let name = target.file_name()?.to_string_lossy();
    Some(parent_of(target).join(format!(".{name}.{what}-{pid}")))
}
