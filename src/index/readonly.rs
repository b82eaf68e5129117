//! Reading an index on storage that cannot be written: a read-only mount,
//! a published volume, a container layer.
//!
//! Tantivy takes its meta lock (`.tantivy-meta.lock`) even to open a
//! reader: the lock keeps a writer's garbage collection from deleting the
//! segment files a reader is opening. Taking it means opening the lock file
//! for writing, which read-only storage refuses, so every read would fail.
//! [`ReadOnlyAware`] serves that one lock differently when the storage
//! refuses the write: it locks the lock file through a read-only handle when
//! the file is there (a writer's exclusive lock still waits for it, even a
//! writer reaching the same files through another, writable mount), and
//! goes on without a lock when it is not. Without the file no writer of
//! this view can exist, because a writer needs to create it. Everything else
//! is the memory-mapped directory Tantivy uses by default; writing through
//! it fails as it would anyway, with the storage's own error.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};

/// Tantivy's memory-mapped directory, readable on read-only storage.
#[derive(Debug, Clone)]
pub struct ReadOnlyAware {
    inner: MmapDirectory,
    path: PathBuf,
}

impl ReadOnlyAware {
    /// Opens the directory at `path`.
    pub fn open(path: &Path) -> Result<ReadOnlyAware, OpenDirectoryError> {
        Ok(ReadOnlyAware {
            inner: MmapDirectory::open(path)?,
            path: path.to_path_buf(),
        })
    }
}

/// True for the errors of storage that cannot be written here.
pub fn is_read_only(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied
    )
}

/// A meta lock held through a read-only handle (or none): released when dropped.
struct SharedLock {
    _file: Option<File>,
}

impl Directory for ReadOnlyAware {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e)) if lock.filepath == META_LOCK.filepath => {
                if !is_read_only(e.kind()) {
                    return Err(LockError::IoError(e));
                }
                let file = match File::open(self.path.join(&lock.filepath)) {
                    Ok(file) => {
                        file.lock_shared().map_err(LockError::wrap_io_error)?;
                        Some(file)
                    }
                    Err(e) if e.kind() == ErrorKind::NotFound => None,
                    Err(e) => return Err(LockError::wrap_io_error(e)),
                };
                Ok(DirectoryLock::from(Box::new(SharedLock { _file: file })))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
