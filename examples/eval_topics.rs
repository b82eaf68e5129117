//! Measures topics on the shared corpora (issue 17, item 3).
//!
//! ```text
//! cargo run --release --example eval_topics -- [CORPUS] [--taxonomy FILE] [--labels FILE]
//!                                              [--per-label] [--misses N] [--json]
//! ```
//!
//! `CORPUS` defaults to `../shared/corpus`; the corpora are read in place.
//! Three figures:
//!
//! - **distinct topics** over the article files of every shared corpus, and
//!   how many of them are not topics of the taxonomy (page tags and other
//!   labels that leaked through);
//! - **AllSides with its own topic hidden** (`--map topics=…` pointing at no
//!   field): the share of articles that get no topic;
//! - **the AllSides label among the assigned topics**: each AllSides label
//!   is translated into taxonomy topics by the labels file (default
//!   `src/topics/labels.json`, the mapping ingest itself uses for visible
//!   labels; `examples/data/topics-v1-allsides.json` for version 1). A label that the table maps to no
//!   topic has no topical meaning in the vocabulary and is not counted. An
//!   article counts as found when one of its label's topics is among its
//!   assigned topics.
//!
//! The AllSides articles are split by the parity of xxh3(ID): cue phrases
//! were tuned on the even half (`tune`) and are reported on the odd half
//! (`test`) as well as on all.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use opedex::{normalize, Article, FieldMap, Normalized, ReadOptions, Taxonomy};
use serde_json::{json, Value};

struct Args {
    corpus: PathBuf,
    taxonomy: PathBuf,
    labels: PathBuf,
    per_label: bool,
    misses: usize,
    json: bool,
}

fn parse_args() -> Args {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        corpus: root.join("../shared/corpus"),
        taxonomy: root.join("src/topics/taxonomy.json"),
        labels: root.join("src/topics/labels.json"),
        per_label: false,
        misses: 0,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--taxonomy" => args.taxonomy = it.next().map(PathBuf::from).unwrap_or_default(),
            "--labels" => args.labels = it.next().map(PathBuf::from).unwrap_or_default(),
            "--per-label" => args.per_label = true,
            "--misses" => args.misses = it.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--json" => args.json = true,
            "-h" | "--help" => {
                eprintln!("usage: eval_topics [CORPUS] [--taxonomy FILE] [--labels FILE] [--per-label] [--misses N] [--json]");
                std::process::exit(0);
            }
            other => args.corpus = PathBuf::from(other),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    if !args.corpus.exists() {
        println!(
            "SKIPPED: {} is absent (shared corpora are not part of a clone)",
            args.corpus.display()
        );
        return;
    }
    let taxonomy = Taxonomy::load(&args.taxonomy).expect("the taxonomy file loads");
    let vocabulary = topic_names(&args.taxonomy);
    let labels = allsides_table(&args.labels);
    let options = ReadOptions {
        taxonomy,
        ..ReadOptions::default()
    };
    let mut report = serde_json::Map::new();
    report.insert(
        "corpora".into(),
        distinct_topics(&args, &options, &vocabulary),
    );
    report.insert("allsides".into(), allsides_hidden(&args, &options, &labels));
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(report)).unwrap()
        );
    }
}

/// The topic names of a taxonomy file (the keys of its `topics` object).
fn topic_names(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).expect("the taxonomy file is readable");
    let v: Value = serde_json::from_str(&text).expect("the taxonomy file is JSON");
    v["topics"]
        .as_object()
        .expect("the taxonomy has a `topics` object")
        .keys()
        .map(|k| k.trim().to_lowercase())
        .collect()
}

/// AllSides label (lower case, `_` as space) → topics, from the labels file's
/// `sources.allsides` table (the version-1 baseline's file) or its `labels`
/// table (`src/topics/labels.json`, which covers every AllSides label).
fn allsides_table(path: &Path) -> HashMap<String, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (give --labels FILE)", path.display()));
    let v: Value = serde_json::from_str(&text).expect("the labels file is JSON");
    let table = v["sources"]["allsides"]
        .as_object()
        .or_else(|| v["labels"].as_object())
        .expect("the labels file has a `sources.allsides` or `labels` table");
    table
        .iter()
        .map(|(label, topics)| {
            let topics = topics
                .as_array()
                .expect("each label maps to a list of topics")
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect();
            (label_key(label), topics)
        })
        .collect()
}

/// Labels compared as ingest compares them: lower case, `_` and `-` as
/// spaces, apostrophes dropped (`Women's_Issues` → `womens issues`).
fn label_key(label: &str) -> String {
    label
        .trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .replace(['\'', '’'], "")
}

/// The article files of each shared corpus, as `SOURCE.md` describes them.
fn corpus_inputs(corpus: &Path) -> Vec<(&'static str, Vec<PathBuf>)> {
    let readability: Vec<PathBuf> = std::fs::read_dir(corpus.join("readability-testpages"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("source.html"))
        .filter(|p| p.exists())
        .collect();
    let sets = vec![
        (
            "allsides-opinion",
            vec![corpus.join("allsides-opinion/jsons")],
        ),
        ("readability-testpages", readability),
        (
            "time-collection",
            vec![corpus.join("time-collection/TIME.ALL")],
        ),
        (
            "trafilatura-eval",
            vec![corpus.join("trafilatura-eval/html")],
        ),
        ("webis-editorials", vec![corpus.join("webis-editorials")]),
        ("zyte-aeb", vec![corpus.join("zyte-aeb/html")]),
    ];
    sets.into_iter()
        .filter(|(name, paths)| {
            let present = !paths.is_empty() && paths.iter().all(|p| p.exists());
            if !present {
                println!("SKIPPED: {name} is absent");
            }
            present
        })
        .collect()
}

fn articles(paths: &[PathBuf], options: &ReadOptions) -> Vec<Article> {
    normalize(paths, options)
        .filter_map(|item| match item {
            Normalized::Article(a) => Some(*a),
            _ => None,
        })
        .collect()
}

/// Distinct topics per corpus and over all, and those outside the vocabulary.
fn distinct_topics(args: &Args, options: &ReadOptions, vocabulary: &BTreeSet<String>) -> Value {
    let mut all: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    let (mut over_three, mut total) = (0, 0);
    println!(
        "distinct topics over the shared corpora (taxonomy: {} topics)",
        vocabulary.len()
    );
    println!(
        "  {:<22} {:>8} {:>8} {:>12}",
        "corpus", "articles", "topics", "not in tax."
    );
    for (name, paths) in corpus_inputs(&args.corpus) {
        let arts = articles(&paths, options);
        let mut here = BTreeSet::new();
        for a in &arts {
            over_three += usize::from(a.topics.len() > 3);
            for t in &a.topics {
                here.insert(t.clone());
                *all.entry(t.clone()).or_default() += 1;
            }
        }
        total += arts.len();
        let outside = here.iter().filter(|t| !vocabulary.contains(*t)).count();
        println!(
            "  {name:<22} {:>8} {:>8} {outside:>12}",
            arts.len(),
            here.len()
        );
        rows.push(json!({"corpus": name, "articles": arts.len(), "topics": here.len(), "outside": outside}));
    }
    let mut outside: Vec<(&String, &usize)> = all
        .iter()
        .filter(|(t, _)| !vocabulary.contains(*t))
        .collect();
    outside.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!(
        "  {:<22} {total:>8} {:>8} {:>12}",
        "all",
        all.len(),
        outside.len()
    );
    println!("  articles with more than 3 topics: {over_three}");
    let sample: Vec<&str> = outside.iter().take(30).map(|(t, _)| t.as_str()).collect();
    if !sample.is_empty() {
        println!(
            "  not in the taxonomy, most frequent first: {}",
            sample.join(" | ")
        );
    }
    json!({"per_corpus": rows, "articles": total, "distinct": all.len(),
           "outside": outside.len(), "over_three": over_three})
}

/// One AllSides article with its label hidden from the reader.
struct Judged {
    label: String,
    tune: bool,
    topics: Vec<String>,
}

/// AllSides read with its own `topic` hidden: how many get no topic, and how
/// often the label's topics are among the assigned ones.
fn allsides_hidden(
    args: &Args,
    options: &ReadOptions,
    table: &HashMap<String, Vec<String>>,
) -> Value {
    let dir = args.corpus.join("allsides-opinion/jsons");
    if !dir.exists() {
        println!("SKIPPED: {} is absent", dir.display());
        return Value::Null;
    }
    let options = ReadOptions {
        map: FieldMap::parse("topics=__hidden__").expect("a valid map"),
        ..options.clone()
    };
    let judged: Vec<Judged> = articles(&[dir], &options)
        .into_iter()
        .map(|a| {
            let path = &a.source.as_ref().expect("normalize sets the source").path;
            let record: Value =
                serde_json::from_str(&std::fs::read_to_string(path).expect("readable"))
                    .expect("JSON");
            let id = record["ID"].as_str().unwrap_or_default();
            Judged {
                label: label_key(record["topic"].as_str().unwrap_or_default()),
                tune: xxhash_rust::xxh3::xxh3_64(id.as_bytes()).is_multiple_of(2),
                topics: a.topics,
            }
        })
        .collect();
    let unknown: BTreeSet<&str> = judged
        .iter()
        .filter(|j| !table.contains_key(&j.label))
        .map(|j| j.label.as_str())
        .collect();
    if !unknown.is_empty() {
        println!("  labels missing from the table (counted as not topical): {unknown:?}");
    }
    println!("AllSides with its own topic hidden");
    println!(
        "  {:<6} {:>8} {:>10} {:>10} {:>13} {:>10}",
        "split", "articles", "no topic", "topical", "label found", "topics/art"
    );
    let mut out = serde_json::Map::new();
    for (split, keep) in [("tune", Some(true)), ("test", Some(false)), ("all", None)] {
        let part: Vec<&Judged> = judged
            .iter()
            .filter(|j| keep.is_none_or(|k| j.tune == k))
            .collect();
        out.insert(split.into(), split_row(split, &part, table));
    }
    if args.per_label {
        per_label(&judged, table);
    }
    if args.misses > 0 {
        misses(&judged, table, args.misses);
    }
    Value::Object(out)
}

fn expected<'a>(j: &Judged, table: &'a HashMap<String, Vec<String>>) -> &'a [String] {
    table.get(&j.label).map_or(&[], Vec::as_slice)
}

fn found(j: &Judged, table: &HashMap<String, Vec<String>>) -> bool {
    expected(j, table).iter().any(|t| j.topics.contains(t))
}

fn split_row(split: &str, part: &[&Judged], table: &HashMap<String, Vec<String>>) -> Value {
    let n = part.len();
    let none = part.iter().filter(|j| j.topics.is_empty()).count();
    let topical: Vec<&&Judged> = part
        .iter()
        .filter(|j| !expected(j, table).is_empty())
        .collect();
    let hit = topical.iter().filter(|j| found(j, table)).count();
    let assigned: usize = part.iter().map(|j| j.topics.len()).sum();
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "  {split:<6} {n:>8} {:>9.1}% {:>10} {:>7} {:.3} {:>10.2}",
        100.0 * share(none, n),
        topical.len(),
        hit,
        share(hit, topical.len()),
        share(assigned, n)
    );
    json!({"articles": n, "no_topic": none, "no_topic_share": share(none, n),
           "topical": topical.len(), "found": hit, "found_share": share(hit, topical.len()),
           "topics_per_article": share(assigned, n)})
}

/// Recall per label on the tune half (the test half stays unseen), most
/// frequent labels first.
fn per_label(judged: &[Judged], table: &HashMap<String, Vec<String>>) {
    let mut by_label: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for j in judged
        .iter()
        .filter(|j| j.tune && !expected(j, table).is_empty())
    {
        let e = by_label.entry(&j.label).or_default();
        e.0 += 1;
        e.1 += usize::from(found(j, table));
    }
    let mut rows: Vec<_> = by_label.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    println!("  tune-half per label: articles, found, share, expected topics");
    for (label, (n, hit)) in rows {
        let want = table[label].join(", ");
        println!(
            "    {label:<34} {n:>5} {hit:>5} {:.2}  {want}",
            hit as f64 / n as f64
        );
    }
}

/// What the tune half's misses got instead, by label.
fn misses(judged: &[Judged], table: &HashMap<String, Vec<String>>, limit: usize) {
    let mut got: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for j in judged
        .iter()
        .filter(|j| j.tune && !expected(j, table).is_empty() && !found(j, table))
    {
        let e = got.entry(&j.label).or_default();
        let key = if j.topics.is_empty() {
            "(none)".to_string()
        } else {
            j.topics.join(" + ")
        };
        *e.entry(key).or_default() += 1;
    }
    println!("  tune-half misses: what was assigned instead");
    for (label, assigned) in got {
        let mut v: Vec<_> = assigned.into_iter().collect();
        v.sort_by_key(|b| std::cmp::Reverse(b.1));
        let shown: Vec<String> = v
            .iter()
            .take(limit)
            .map(|(t, n)| format!("{n}× {t}"))
            .collect();
        println!("    {label}: {}", shown.join("; "));
    }
}
