//! Reading one file into work items: open it (or standard input), look
//! through gzip, refuse empty and binary files, recognise the format, then
//! hand on one page, or stream its records one at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;

use super::dataset::{self, FieldMap, MapSeen};
use super::error::ReadError;
use super::events::{Origin, Skip, SkipReason};
use super::files::FileEntry;
use super::format::{self, ByName, Format};
use super::options::ReadOptions;
use super::{exported, html, jsonl, limits, textpage};
use crate::article::Article;

/// How many bytes are looked at to recognise a file.
const HEAD_BYTES: usize = 8192;

/// A unit of parallel work.
pub(super) enum Work {
    /// A page or record to parse.
    Source {
        origin: Arc<Origin>,
        /// The line (JSON Lines; CSV and TSV: where the row starts), or the
        /// item (JSON array), from 1; none for a page.
        record: Option<usize>,
        raw: Raw,
        /// Notes which `--map` names the records of a JSON or JSON Lines file hold.
        seen: Option<Arc<MapSeen>>,
    },
    /// A file or record that is skipped before parsing.
    Skipped(Skip),
    /// A file is finished; see [`super::Event::FileDone`].
    FileDone {
        key: Option<String>,
        /// For a JSON or JSON Lines file that yielded records under a
        /// `--map`: its path and which mapped names its records held.
        seen: Option<(String, Arc<MapSeen>)>,
    },
}

/// The raw input of one article.
pub(super) enum Raw {
    /// A plain-text page.
    Page(String),
    /// A saved web page, any charset.
    Html(Vec<u8>),
    /// One line of JSON Lines.
    Line(String),
    /// One item of a JSON document, or one CSV/TSV row.
    Value(Value),
    /// An article put back together from an opedex export
    /// ([`exported`]): already complete, so its topics are kept as they
    /// are rather than assigned again.
    Exported(Value),
}

impl Work {
    /// Roughly how many bytes the item holds, for sizing batches.
    pub(super) fn size(&self) -> usize {
        match self {
            Work::Source {
                raw: Raw::Page(text) | Raw::Line(text),
                ..
            } => text.len(),
            Work::Source {
                raw: Raw::Html(bytes),
                ..
            } => bytes.len(),
            Work::Source { .. } | Work::Skipped(_) | Work::FileDone { .. } => 64,
        }
    }
}

impl Raw {
    /// The bytes a fingerprint hashes (a JSON value as serialised).
    pub(super) fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Raw::Page(text) | Raw::Line(text) => text.as_bytes().into(),
            Raw::Html(bytes) => bytes.as_slice().into(),
            Raw::Value(v) | Raw::Exported(v) => serde_json::to_vec(v).unwrap_or_default().into(),
        }
    }

    /// True for an article an opedex export carried.
    pub(super) fn is_exported(&self) -> bool {
        matches!(self, Raw::Exported(_))
    }

    /// The article as its reader extracts it (not yet completed); `seen`
    /// notes which `--map` names a record holds.
    pub(super) fn parse(
        self,
        map: &FieldMap,
        seen: Option<&MapSeen>,
    ) -> Result<Article, SkipReason> {
        let value = match self {
            Raw::Page(text) => {
                return textpage::parse(&text)
                    .ok_or(SkipReason::NoArticle(ReadError::NoBodyParagraphs))
            }
            Raw::Html(bytes) => return html::parse(&bytes, None).map_err(SkipReason::NoArticle),
            Raw::Line(line) => jsonl::value_from_line(&line).map_err(SkipReason::BadRecord)?,
            Raw::Value(value) => value,
            Raw::Exported(value) => {
                return exported::article(value).map_err(SkipReason::BadRecord);
            }
        };
        if let Some(seen) = seen {
            seen.mark(&value);
        }
        jsonl::article_from_value(value, map).map_err(SkipReason::BadRecord)
    }
}

/// Counts the bytes read through it into a shared counter (for progress).
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads one file, pushing work items; stops early when `push` returns
/// false. Bytes read from the file (before any gunzipping) are added to `read`.
pub(super) fn read_file(
    file: &FileEntry,
    opts: &ReadOptions,
    read: &Arc<AtomicU64>,
    push: &mut dyn FnMut(Work) -> bool,
) {
    let display = file.path.display().to_string();
    let stdin = file.path.as_os_str() == "-";
    let named = if stdin {
        ByName::Other
    } else {
        format::by_name(&file.path)
    };
    let (reader, head) = match open(file, stdin, &named, read) {
        Ok(opened) => opened,
        Err(reason) => {
            let skip = Skip {
                path: display,
                record: None,
                reason,
            };
            let _ = push(Work::Skipped(skip))
                && push(Work::FileDone {
                    key: None,
                    seen: None,
                });
            return;
        }
    };
    let fmt = opts.format.unwrap_or_else(|| match named {
        ByName::Known { format, .. } => format,
        ByName::Other => format::sniff(&String::from_utf8_lossy(&head)),
    });
    let key = (!stdin).then(|| {
        std::fs::canonicalize(&file.path)
            .unwrap_or_else(|_| file.path.clone())
            .display()
            .to_string()
    });
    let origin = Arc::new(Origin {
        display,
        key: key.clone(),
        format: fmt,
    });
    let seen = matches!(fmt, Format::Jsonl | Format::Json)
        .then(|| opts.map.tracker().map(Arc::new))
        .flatten();
    let from = Records {
        origin: &origin,
        seen: &seen,
    };
    let produced = match fmt {
        Format::Jsonl => read_lines(reader, &from, push),
        Format::Csv => read_table(reader, b',', &opts.map, &origin, push),
        Format::Tsv => read_table(reader, b'\t', &opts.map, &origin, push),
        Format::Html => read_html(reader, &file.path, &origin, push),
        Format::Text => read_text(reader, &file.path, &origin, push),
        Format::Json => read_json(reader, &file.path, &from, push),
    };
    let produced = produced.filter(|&n| n > 0);
    let _ = push(Work::FileDone {
        key: produced.and(key),
        seen: produced
            .and(seen)
            .map(|seen| (origin.display.clone(), seen)),
    });
}

/// For a CSV or TSV file (not standard input, which can be read only
/// once), the skip that stops the run when its header lacks a column the
/// `--map` names; read before anything is written.
pub(crate) fn table_header_stop(file: &FileEntry, opts: &ReadOptions) -> Option<Skip> {
    if file.path.as_os_str() == "-" {
        return None;
    }
    let named = format::by_name(&file.path);
    let uncounted = Arc::new(AtomicU64::new(0));
    let (reader, head) = open(file, false, &named, &uncounted).ok()?;
    let delimiter = match opts.format.unwrap_or_else(|| match named {
        ByName::Known { format, .. } => format,
        ByName::Other => format::sniff(&String::from_utf8_lossy(&head)),
    }) {
        Format::Csv => b',',
        Format::Tsv => b'\t',
        _ => return None,
    };
    let (_, first) = dataset::csv_records(reader, delimiter, Some(&opts.map)).next()?;
    let reason = SkipReason::NoArticle(first.err()?);
    reason.stops_run().then(|| Skip {
        path: file.path.display().to_string(),
        record: None,
        reason,
    })
}

/// Opens a file or standard input, looking through gzip, and returns the
/// reader with its first bytes; or why the whole file is skipped.
fn open(
    file: &FileEntry,
    stdin: bool,
    named: &ByName,
    read: &Arc<AtomicU64>,
) -> Result<(Box<dyn BufRead>, Vec<u8>), SkipReason> {
    let unreadable = |e: std::io::Error| SkipReason::Unreadable(e.to_string());
    let counted = |inner: Box<dyn Read>| Counting {
        inner,
        read: Arc::clone(read),
    };
    let mut reader: Box<dyn BufRead> = if stdin {
        Box::new(BufReader::new(counted(Box::new(std::io::stdin()))))
    } else {
        let f = File::open(&file.path).map_err(unreadable)?;
        Box::new(BufReader::with_capacity(1 << 16, counted(Box::new(f))))
    };
    let mut head = peek(&mut reader).map_err(unreadable)?;
    let named_gzip = matches!(named, ByName::Known { gzip: true, .. });
    if format::is_gzip(&head) {
        reader = Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader)));
        head = peek(&mut reader)
            .map_err(|e| SkipReason::Unreadable(format!("gzip data is damaged: {e}")))?;
    } else if named_gzip && !head.is_empty() {
        let why = "the name ends in .gz but the content is not gzip".to_string();
        return Err(SkipReason::Unreadable(why));
    }
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    if format::looks_binary(&head) {
        return Err(SkipReason::Binary);
    }
    Ok((reader, head))
}

/// Returns the first bytes of the reader without consuming them: they are
/// read (however the source delivers them, a pipe in small pieces included)
/// and put back in front of the rest.
fn peek(reader: &mut Box<dyn BufRead>) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    reader
        .by_ref()
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    let rest = std::mem::replace(reader, Box::new(std::io::empty()));
    *reader = Box::new(BufReader::new(
        std::io::Cursor::new(head.clone()).chain(rest),
    ));
    Ok(head)
}

/// A skip of the whole file.
fn skip_file(origin: &Origin, reason: SkipReason) -> Work {
    Work::Skipped(Skip {
        path: origin.display.clone(),
        record: None,
        reason,
    })
}

/// A page or record to parse.
fn source(origin: &Arc<Origin>, record: Option<usize>, raw: Raw) -> Work {
    Work::Source {
        origin: origin.clone(),
        record,
        raw,
        seen: None,
    }
}

/// A JSON or JSON Lines file's records come from: the file, and the
/// tracker of the `--map` names they hold.
struct Records<'a> {
    origin: &'a Arc<Origin>,
    seen: &'a Option<Arc<MapSeen>>,
}

impl Records<'_> {
    /// One record to parse.
    fn record(&self, n: usize, raw: Raw) -> Work {
        Work::Source {
            origin: self.origin.clone(),
            record: Some(n),
            raw,
            seen: self.seen.clone(),
        }
    }
}

/// A saved web page as one item, unless it is too large or nests too deep.
fn read_html(
    reader: Box<dyn BufRead>,
    path: &Path,
    origin: &Arc<Origin>,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let page = read_bytes(reader, path).and_then(|bytes| {
        if bytes.len() > limits::MAX_PAGE_BYTES {
            Err(SkipReason::PageTooLarge(bytes.len()))
        } else if limits::html_depth(&bytes) > limits::MAX_HTML_DEPTH {
            Err(SkipReason::TooDeep(limits::MAX_HTML_DEPTH))
        } else {
            Ok(bytes)
        }
    });
    push_page(origin, page.map(Raw::Html), push)
}

/// A plain-text page as one item, unless it is too large.
fn read_text(
    reader: Box<dyn BufRead>,
    path: &Path,
    origin: &Arc<Origin>,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let page = read_document(reader, path).and_then(|text| {
        if text.len() > limits::MAX_PAGE_BYTES {
            Err(SkipReason::PageTooLarge(text.len()))
        } else {
            Ok(text)
        }
    });
    push_page(origin, page.map(Raw::Page), push)
}

/// One page as one item, or the reason the file is skipped; returns how many
/// items were handed on.
fn push_page(
    origin: &Arc<Origin>,
    page: Result<Raw, SkipReason>,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    match page {
        Ok(raw) => push(source(origin, None, raw)).then_some(1),
        Err(reason) => {
            push(skip_file(origin, reason));
            None
        }
    }
}

/// A JSON document: one item per article object (numbered from 1).
fn read_json(
    reader: Box<dyn BufRead>,
    path: &Path,
    from: &Records,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let origin = from.origin;
    let values = read_document(reader, path)
        .and_then(|text| jsonl::values_from_document(&text).map_err(SkipReason::NoArticle));
    let values = match values {
        Ok(values) => values,
        Err(reason) => {
            push(skip_file(origin, reason));
            return None;
        }
    };
    let n = values.len();
    for (i, value) in values.into_iter().enumerate() {
        if !push(from.record(i + 1, Raw::Value(value))) {
            return None;
        }
    }
    Some(n)
}

/// Reads a whole document as bytes (any charset), within the size limit.
fn read_bytes(reader: Box<dyn BufRead>, path: &Path) -> Result<Vec<u8>, SkipReason> {
    let mut bytes = Vec::new();
    let n = reader
        .take(limits::MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if n as u64 > limits::MAX_DOCUMENT_BYTES {
        let size = std::fs::metadata(path).map_or(n as u64, |m| m.len());
        return Err(SkipReason::TooLarge(size));
    }
    Ok(bytes)
}

/// Reads a whole document as UTF-8 text.
fn read_document(reader: Box<dyn BufRead>, path: &Path) -> Result<String, SkipReason> {
    let bytes = read_bytes(reader, path)?;
    let text = String::from_utf8(bytes).map_err(|e| SkipReason::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(text)
}

/// Streams JSON Lines; returns how many non-blank lines were handed on.
fn read_lines(
    mut reader: Box<dyn BufRead>,
    from: &Records,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let origin = from.origin;
    let mut buf = Vec::new();
    let mut n = 0;
    let mut records = 0;
    let mut export: Option<exported::Regroup> = None;
    let mut seen_line = false;
    let skip = |n: usize, reason: SkipReason| {
        Work::Skipped(Skip {
            path: origin.display.clone(),
            record: Some(n),
            reason,
        })
    };
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                push(skip(n + 1, SkipReason::Unreadable(e.to_string())));
                break;
            }
        }
        n += 1;
        let work = match std::str::from_utf8(&buf) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => {
                let line = line.trim_start_matches('\u{feff}').trim_end();
                if !seen_line && exported::is_export(line) {
                    export = Some(exported::Regroup::default());
                }
                seen_line = true;
                if let Some(regroup) = &mut export {
                    // An export's passages: one record per article, once
                    // its last passage has been read.
                    let done = match exported::passage_line(line) {
                        Ok(Some(p)) => regroup.add(n, p),
                        Ok(None) => None,
                        Err(e) => Some((n, Err(e))),
                    };
                    match done {
                        Some(finished) => {
                            records += 1;
                            exported_work(from, &skip, finished)
                        }
                        None => continue,
                    }
                } else {
                    records += 1;
                    from.record(n, Raw::Line(line.to_string()))
                }
            }
            Err(e) => skip(
                n,
                SkipReason::InvalidUtf8 {
                    offset: e.valid_up_to(),
                },
            ),
        };
        if !push(work) {
            return None;
        }
    }
    if let Some(finished) = export.as_mut().and_then(exported::Regroup::finish) {
        records += 1;
        if !push(exported_work(from, &skip, finished)) {
            return None;
        }
    }
    Some(records)
}

/// The work item for an article put back together from an export.
fn exported_work(
    from: &Records,
    skip: &dyn Fn(usize, SkipReason) -> Work,
    (line, record): exported::Finished,
) -> Work {
    match record {
        Ok(value) => from.record(line, Raw::Exported(value)),
        Err(e) => skip(line, SkipReason::BadRecord(e)),
    }
}

/// Streams CSV/TSV rows; returns how many rows were handed on.
fn read_table(
    reader: Box<dyn BufRead>,
    delimiter: u8,
    map: &FieldMap,
    origin: &Arc<Origin>,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let mut records = 0;
    for (line, record) in dataset::csv_records(reader, delimiter, Some(map)) {
        let work = match record {
            Ok(map) => {
                records += 1;
                source(origin, Some(line), Raw::Value(Value::Object(map)))
            }
            // Line 0 is the header's error: without it the file holds no article.
            Err(why) => Work::Skipped(Skip {
                path: origin.display.clone(),
                record: (line > 0).then_some(line),
                reason: if line > 0 {
                    SkipReason::BadRecord(why)
                } else {
                    SkipReason::NoArticle(why)
                },
            }),
        };
        if !push(work) {
            return None;
        }
    }
    Some(records)
}
