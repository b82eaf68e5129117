//! The parallel run: one producer thread reads files into batches of work,
//! rayon turns each batch into events, and the caller's sink receives them in
//! input order through a bounded channel.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::complete::complete;
use super::events::{Event, Origin, ReadStats, Record, Skip, SkipReason, Warning};
use super::evidence::CorpusEvidence;
use super::files::FileEntry;
use super::format::{self, ByName, Format};
use super::options::ReadOptions;
use super::read::{read_file, Work};
use crate::article::Article;
use crate::error::Result;

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
            corpus: Some(Arc::new(gather_evidence(&files, opts))),
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
                let events: Vec<Event<T>> = std::iter::once(progress)
                    .chain(
                        std::mem::take(batch)
                            .into_par_iter()
                            .flat_map_iter(|w| process(w, opts, seed, make))
                            .collect::<Vec<_>>(),
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
/// not read (standard input can be read only once).
fn gather_evidence(files: &[FileEntry], opts: &ReadOptions) -> CorpusEvidence {
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
        .fold(CorpusEvidence::default, |mut evidence, file| {
            // The first pass's bytes are not progress: the second pass counts them.
            let uncounted = Arc::new(AtomicU64::new(0));
            read_file(file, opts, &uncounted, &mut |work: Work| {
                if let Work::Source { raw, .. } = work {
                    if let Ok(article) = raw.parse(&opts.map) {
                        evidence.add(&article);
                    }
                }
                true
            });
            evidence
        })
        .reduce(CorpusEvidence::default, CorpusEvidence::merge)
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
    let (origin, record, raw) = match work {
        Work::Skipped(skip) => return vec![Event::Skipped(skip)],
        Work::FileDone { key } => return vec![Event::FileDone { key }],
        Work::Source {
            origin,
            record,
            raw,
        } => (origin, record, raw),
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
    let article = match raw.parse(&opts.map) {
        Ok(a) => a,
        Err(reason) => return skip(reason),
    };
    let mut warnings = Vec::new();
    match complete(article, &origin, opts, &mut warnings) {
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
