//! The parallel run: one producer thread reads files into batches of work,
//! rayon turns each batch into events, and the caller's sink receives them in
//! input order through a bounded channel.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::complete::{complete, complete_exported};
use super::dataset::MapSeen;
use super::events::{Event, Origin, ReadStats, Record, Skip, SkipReason, Warning};
use super::evidence::CorpusEvidence;
use super::files::FileEntry;
use super::format::{self, ByName, Format};
use super::options::ReadOptions;
use super::read::{read_file, table_header_stop, Work};
use crate::article::Article;
use crate::error::{Error, Result};

/// Work items per parallel batch.
const BATCH_ITEMS: usize = 256;
/// Bytes of text per parallel batch.
const BATCH_BYTES: usize = 8 << 20;
/// Batches in flight between the parser and the consumer.
const CHANNEL_BATCHES: usize = 4;

/// Reads files into articles, calling `sink` with every event in input order.
///
/// `make` turns each complete article into what the sink wants (an index
/// document, a JSON line); it runs in parallel. If `sink` fails, reading stops
/// and the error is returned.
pub fn read_files<T, M, S>(
    files: Vec<FileEntry>,
    opts: &ReadOptions,
    make: M,
    mut sink: S,
) -> Result<ReadStats>
where
    T: Send,
    M: Fn(Article, &Record) -> T + Sync,
    S: FnMut(Event<T>) -> Result<()>,
{
    let mut stats = ReadStats::default();
    let seed = opts.fingerprint_seed();
    let gathered;
    let opts = if opts.corpus.is_none() {
        gathered = ReadOptions {
            corpus: Some(Arc::new(gather_evidence(&files, opts)?)),
            ..opts.clone()
        };
        &gathered
    } else {
        opts
    };
    let (tx, rx) = crossbeam_channel::bounded::<Vec<Event<T>>>(CHANNEL_BATCHES);
    std::thread::scope(|scope| {
        let make = &make;
        scope.spawn(move || {
            let mut batch: Vec<Work> = Vec::new();
            let mut bytes = 0;
            // Input bytes read, and how many of them earlier batches reported.
            let read = Arc::new(AtomicU64::new(0));
            let mut reported = 0;
            let mut flush = |batch: &mut Vec<Work>, bytes: &mut usize| -> bool {
                let now = read.load(Ordering::Relaxed);
                let progress = Event::Read {
                    bytes: now - reported,
                };
                reported = now;
                let trackers = take_trackers(batch);
                let per_work: Vec<Vec<Event<T>>> = std::mem::take(batch)
                    .into_par_iter()
                    .map(|w| process(w, opts, seed, make))
                    .collect();
                // Every record of a finished file is parsed now: say which
                // `--map` names none of them held, before its FileDone.
                let events: Vec<Event<T>> = std::iter::once(progress)
                    .chain(
                        per_work
                            .into_iter()
                            .zip(trackers)
                            .flat_map(|(events, t)| with_unseen_map_names(events, t)),
                    )
                    .collect();
                *bytes = 0;
                tx.send(events).is_ok()
            };
            for file in files {
                let mut alive = true;
                read_file(&file, opts, &read, &mut |work: Work| {
                    bytes += work.size();
                    batch.push(work);
                    if batch.len() >= BATCH_ITEMS || bytes >= BATCH_BYTES {
                        alive = flush(&mut batch, &mut bytes);
                    }
                    alive
                });
                if !alive {
                    return;
                }
            }
            flush(&mut batch, &mut bytes);
        });
        // The receiver is moved in so that it is dropped when the sink fails:
        // the producer's next send then fails and it stops, instead of
        // blocking forever on a full channel while the scope waits for it.
        let rx = rx;
        for events in rx.iter() {
            for event in events {
                stats.count(&event);
                if let Event::Skipped(skip) = &event {
                    if skip.reason.stops_run() {
                        drop(rx);
                        return Err(Error::Invalid(stopped(skip)));
                    }
                }
                if let Err(e) = sink(event) {
                    drop(rx);
                    return Err(e);
                }
            }
        }
        Ok(stats)
    })
}

/// The first pass: what the dataset files among `files` say about hosts
/// and sidebar regulars ([`CorpusEvidence`]). Pages and standard input are
/// not read (standard input can be read only once). A skip that stops the
/// run (a `--map` column a header lacks) is an error here, before anything
/// is written.
fn gather_evidence(files: &[FileEntry], opts: &ReadOptions) -> Result<CorpusEvidence> {
    files
        .par_iter()
        .filter(|f| f.path.as_os_str() != "-")
        .filter(|f| {
            let format = opts.format.or(match format::by_name(&f.path) {
                ByName::Known { format, .. } => Some(format),
                ByName::Other => None,
            });
            matches!(
                format,
                Some(Format::Json | Format::Jsonl | Format::Csv | Format::Tsv)
            )
        })
        .try_fold(CorpusEvidence::default, |mut evidence, file| {
            let mut stop = None;
            // The first pass's bytes are not progress: the second pass counts them.
            let uncounted = Arc::new(AtomicU64::new(0));
            read_file(file, opts, &uncounted, &mut |work: Work| match work {
                Work::Source { raw, .. } => {
                    if let Ok(article) = raw.parse(&opts.map, None) {
                        evidence.add(&article);
                    }
                    true
                }
                Work::Skipped(skip) if skip.reason.stops_run() => {
                    stop = Some(stopped(&skip));
                    false
                }
                _ => true,
            });
            match stop {
                Some(why) => Err(Error::Invalid(why)),
                None => Ok(evidence),
            }
        })
        .try_reduce(CorpusEvidence::default, |a, b| Ok(a.merge(b)))
}

/// Checks, before anything is read or written, that every CSV/TSV file
/// among `files` has the columns `--map` names: an error names the file,
/// the missing column and the columns there are.
pub fn check_map(files: &[FileEntry], opts: &ReadOptions) -> Result<()> {
    if !opts.map.is_explicit_any() {
        return Ok(());
    }
    match files
        .par_iter()
        .find_map_first(|file| table_header_stop(file, opts))
    {
        Some(skip) => Err(Error::Invalid(stopped(&skip))),
        None => Ok(()),
    }
}

/// The message of a skip that stops the run.
fn stopped(skip: &Skip) -> String {
    let why = match &skip.reason {
        SkipReason::NoArticle(why) => why.to_string(),
        other => other.to_string(),
    };
    format!("{}: {why}", skip.path)
}

/// The `--map` trackers of the files that `batch` finishes, one entry per
/// work item, taken out of their `FileDone`s.
fn take_trackers(batch: &mut [Work]) -> Vec<Option<(String, Arc<MapSeen>)>> {
    batch
        .iter_mut()
        .map(|w| match w {
            Work::FileDone { seen, .. } => seen.take(),
            _ => None,
        })
        .collect()
}

/// One work item's events, after a finished JSON or JSON Lines file's
/// warnings for each `--map` name that none of its records held. Called
/// once the whole batch is parsed, so every record of the file has been.
fn with_unseen_map_names<T>(
    events: Vec<Event<T>>,
    tracker: Option<(String, Arc<MapSeen>)>,
) -> Vec<Event<T>> {
    let Some((path, seen)) = tracker else {
        return events;
    };
    seen.unseen()
        .into_iter()
        .map(|message| {
            Event::Warning(Warning {
                path: path.clone(),
                record: None,
                message,
            })
        })
        .chain(events)
        .collect()
}

/// The fingerprint of one record: its raw bytes, its file (display path and
/// identity, both stored with the article) and the options `seed`.
fn fingerprint(seed: u64, origin: &Origin, raw: &[u8]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(seed);
    h.update(origin.display.as_bytes());
    h.update(&[0]);
    h.update(origin.key.as_deref().unwrap_or("").as_bytes());
    h.update(&[0]);
    h.update(raw);
    h.digest().max(1)
}

/// Turns one work item into events (runs in parallel).
fn process<T, M>(work: Work, opts: &ReadOptions, seed: u64, make: &M) -> Vec<Event<T>>
where
    M: Fn(Article, &Record) -> T,
{
    let (origin, record, raw, seen) = match work {
        Work::Skipped(skip) => return vec![Event::Skipped(skip)],
        // Its `--map` tracker was taken out before the batch ran in parallel.
        Work::FileDone { key, .. } => return vec![Event::FileDone { key }],
        Work::Source {
            origin,
            record,
            raw,
            seen,
        } => (origin, record, raw, seen),
    };
    let fp = fingerprint(seed, &origin, &raw.bytes());
    if let Some(id) = opts.known.as_ref().and_then(|k| k.get(&fp)) {
        return vec![Event::Unchanged { id: id.clone() }];
    }
    let skip = |reason| {
        vec![Event::Skipped(Skip {
            path: origin.display.clone(),
            record,
            reason,
        })]
    };
    let exported = raw.is_exported();
    let article = match raw.parse(&opts.map, seen.as_deref()) {
        Ok(a) => a,
        Err(reason) => return skip(reason),
    };
    let mut warnings = Vec::new();
    let completed = if exported {
        complete_exported(article, &origin, opts, &mut warnings)
    } else {
        complete(article, &origin, opts, &mut warnings)
    };
    match completed {
        Ok(article) => {
            let article = make(
                article,
                &Record {
                    origin: &origin,
                    fingerprint: fp,
                },
            );
            with_warnings(warnings, &origin, record, Event::Article(article))
        }
        Err(why) => skip(if record.is_some() {
            SkipReason::BadRecord(why)
        } else {
            SkipReason::NoArticle(why)
        }),
    }
}

/// An article's events: its warnings, then the article itself.
fn with_warnings<T>(
    warnings: Vec<String>,
    origin: &Arc<Origin>,
    record: Option<usize>,
    article: Event<T>,
) -> Vec<Event<T>> {
    warnings
        .into_iter()
        .map(|message| {
            Event::Warning(Warning {
                path: origin.display.clone(),
                record,
                message,
            })
        })
        .chain(std::iter::once(article))
        .collect()
}
