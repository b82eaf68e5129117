//! Measures opedex's HTML extraction against the field's own benchmarks.
//!
//! ```text
//! cargo run --release --example eval_extract -- [CORPUS] [--json] [--only zyte|traf|read|speed]
//!                                               [--worst N] [--dump DIR] [--check-metric]
//! ```
//!
//! `CORPUS` defaults to `../shared/corpus` (relative to the repository root).
//! The corpora are read in place and never copied. Each benchmark is scored
//! with its own metric, as its `SOURCE.md` describes:
//!
//! - `zyte-aeb`: main-text F1 over 4-gram shingles of `\w+` tokens; each
//!   document's tp/fp/fn are normalised by their sum, precision and recall are
//!   means over documents, F1 is their harmonic mean. `--check-metric` scores
//!   the benchmark's stored outputs of other extractors, which must reproduce
//!   the published table.
//! - `trafilatura-eval`: must / must-not snippets, micro-averaged; plus title,
//!   author and date accuracy against the gold metadata.
//! - `readability-testpages`: byline and site-name agreement, per language.
//! - speed: ms per page on one thread and pages per second on all cores.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use opedex::stages::html;
use opedex::Article;
use rayon::prelude::*;
use serde_json::{json, Value};

struct Args {
    corpus: PathBuf,
    json: bool,
    only: Option<String>,
    worst: usize,
    dump: Option<PathBuf>,
    check_metric: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        corpus: Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        json: false,
        only: None,
        worst: 0,
        dump: None,
        check_metric: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => args.json = true,
            "--check-metric" => args.check_metric = true,
            "--only" => args.only = it.next(),
            "--worst" => args.worst = it.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--dump" => args.dump = it.next().map(PathBuf::from),
            "-h" | "--help" => {
                eprintln!("usage: eval_extract [CORPUS] [--json] [--only zyte|traf|read|speed] [--worst N] [--dump DIR] [--check-metric]");
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
    let want = |name: &str| args.only.as_deref().is_none_or(|o| o == name);
    let mut report = serde_json::Map::new();
    let mut speed_pages: Vec<(String, Vec<u8>, Option<String>)> = Vec::new();

    if want("zyte") || want("speed") {
        match load_zyte(&args.corpus.join("zyte-aeb")) {
            None => println!("SKIPPED: zyte-aeb absent"),
            Some(z) => {
                if want("zyte") {
                    report.insert("zyte-aeb".into(), eval_zyte(&z, &args));
                }
                speed_pages.extend(z.docs.into_iter().map(|d| ("zyte".into(), d.html, d.url)));
            }
        }
    }
    if want("traf") || want("speed") {
        match load_traf(&args.corpus.join("trafilatura-eval")) {
            None => println!("SKIPPED: trafilatura-eval absent"),
            Some(t) => {
                if want("traf") {
                    report.insert("trafilatura-eval".into(), eval_traf(&t, &args));
                }
                speed_pages.extend(t.into_iter().map(|d| ("traf".into(), d.html, d.url)));
            }
        }
    }
    if want("read") {
        let dir = args.corpus.join("readability-testpages");
        if dir.exists() {
            report.insert("readability-testpages".into(), eval_readability(&dir));
        } else {
            println!("SKIPPED: readability-testpages absent");
        }
    }
    if want("speed") && !speed_pages.is_empty() {
        report.insert("speed".into(), eval_speed(&speed_pages));
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(report)).unwrap()
        );
    }
}

/// Body text of a parse, or empty when the page yields no article (a crash counts as a miss).
fn extract(bytes: &[u8], url: Option<&str>) -> Option<Article> {
    html::parse(bytes, url).ok()
}

// ---------------------------------------------------------------- zyte-aeb

struct ZyteDoc {
    id: String,
    gold: String,
    url: Option<String>,
    html: Vec<u8>,
}

struct Zyte {
    docs: Vec<ZyteDoc>,
    dir: PathBuf,
}

fn load_zyte(dir: &Path) -> Option<Zyte> {
    let gt: Value =
        serde_json::from_slice(&std::fs::read(dir.join("ground-truth.json")).ok()?).ok()?;
    let mut docs = Vec::new();
    for (id, v) in gt.as_object()? {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let Ok(gz) = std::fs::read(&path) else {
            eprintln!("zyte: missing {}", path.display());
            continue;
        };
        let mut html = Vec::new();
        if flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut html)
            .is_err()
        {
            eprintln!("zyte: bad gzip {}", path.display());
            continue;
        }
        docs.push(ZyteDoc {
            id: id.clone(),
            gold: v["articleBody"].as_str().unwrap_or("").to_string(),
            url: v["url"].as_str().map(str::to_string),
            html,
        });
    }
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    Some(Zyte {
        docs,
        dir: dir.to_path_buf(),
    })
}

/// `\w+` tokens as Python's `re` finds them (alphanumerics and `_`).
fn tokens(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.split(|c: char| !is_word(c))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Multiset of 4-gram shingles; fewer than 4 tokens give one shorter shingle.
fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, i64> {
    const N: usize = 4;
    let mut m = HashMap::new();
    let count = toks.len().saturating_sub(N - 1).max(1);
    for i in 0..count {
        let end = (i + N).min(toks.len());
        *m.entry(toks[i..end].to_vec()).or_insert(0) += 1;
    }
    m
}

/// Per-document tp, fp, fn between gold and predicted shingle multisets.
fn shingle_match(gold: &str, pred: &str) -> (f64, f64, f64) {
    let g = shingles(&tokens(gold));
    let p = shingles(&tokens(pred));
    let mut tp = 0;
    let mut fn_ = 0;
    for (k, &gc) in &g {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += gc.min(pc);
        fn_ += (gc - pc).max(0);
    }
    let fp: i64 = p
        .iter()
        .map(|(k, &pc)| (pc - g.get(k).copied().unwrap_or(0)).max(0))
        .sum();
    (tp as f64, fp as f64, fn_ as f64)
}

/// Zyte scores: (F1, precision, recall, accuracy) and per-document F1.
fn zyte_scores(pairs: &[(&str, &str)]) -> ((f64, f64, f64, f64), Vec<f64>) {
    let mut precisions = Vec::new();
    let mut recalls = Vec::new();
    let mut exact = 0;
    let mut per_doc = Vec::new();
    for (gold, pred) in pairs {
        let (tp, fp, fn_) = shingle_match(gold, pred);
        let sum = tp + fp + fn_;
        let (tp, fp, fn_) = if sum > 0.0 {
            (tp / sum, fp / sum, fn_ / sum)
        } else {
            (0.0, 0.0, 0.0)
        };
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fn_ > 0.0 {
            tp / (tp + fn_)
        } else if fp == 0.0 {
            1.0
        } else {
            0.0
        };
        let p = if fp == 0.0 && fn_ == 0.0 { 1.0 } else { p };
        precisions.push(p);
        recalls.push(r);
        per_doc.push(if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        });
        if tokens(gold) == tokens(pred) {
            exact += 1;
        }
    }
    let n = pairs.len().max(1) as f64;
    let p = precisions.iter().sum::<f64>() / n;
    let r = recalls.iter().sum::<f64>() / n;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    ((f1, p, r, exact as f64 / n), per_doc)
}

fn eval_zyte(z: &Zyte, args: &Args) -> Value {
    let preds: Vec<Option<Article>> = z
        .docs
        .par_iter()
        .map(|d| extract(&d.html, d.url.as_deref()))
        .collect();
    let bodies: Vec<&str> = preds
        .iter()
        .map(|a| a.as_ref().map_or("", |a| a.body.as_str()))
        .collect();
    let pairs: Vec<(&str, &str)> = z
        .docs
        .iter()
        .zip(&bodies)
        .map(|(d, b)| (d.gold.as_str(), *b))
        .collect();
    let ((f1, p, r, acc), per_doc) = zyte_scores(&pairs);
    let failed = preds.iter().filter(|a| a.is_none()).count();
    println!("zyte-aeb ({} pages)", z.docs.len());
    println!("  system            F1     prec   recall accuracy");
    println!(
        "  opedex          {f1:.3}  {p:.3}  {r:.3}  {acc:.3}   ({failed} pages without article)"
    );
    let mut out = json!({"pages": z.docs.len(), "f1": f1, "precision": p, "recall": r, "accuracy": acc, "no_article": failed});
    if args.check_metric {
        let mut others = serde_json::Map::new();
        for name in [
            "rs_trafilatura",
            "trafilatura",
            "readability_js",
            "dom_smoothie",
            "html-text",
        ] {
            let Some(v) = std::fs::read(z.dir.join("output").join(format!("{name}.json")))
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            else {
                continue;
            };
            let map = v.get("output").unwrap_or(&v);
            let pairs: Vec<(&str, &str)> = z
                .docs
                .iter()
                .map(|d| {
                    let pred = map[d.id.as_str()]["articleBody"].as_str().unwrap_or("");
                    (d.gold.as_str(), pred)
                })
                .collect();
            let ((f1, p, r, acc), _) = zyte_scores(&pairs);
            println!("  {name:<15} {f1:.3}  {p:.3}  {r:.3}  {acc:.3}   (stored output)");
            others.insert(
                name.into(),
                json!({"f1": f1, "precision": p, "recall": r, "accuracy": acc}),
            );
        }
        out["stored_outputs"] = Value::Object(others);
    }
    if args.worst > 0 {
        let mut order: Vec<usize> = (0..z.docs.len()).collect();
        order.sort_by(|&a, &b| per_doc[a].total_cmp(&per_doc[b]));
        for &i in order.iter().take(args.worst) {
            let d = &z.docs[i];
            let (tp, fp, fn_) = shingle_match(&d.gold, bodies[i]);
            println!(
                "    worst F1 {:.3} tp {tp} fp {fp} fn {fn_}  {}  {}",
                per_doc[i],
                &d.id[..12.min(d.id.len())],
                d.url.as_deref().unwrap_or("")
            );
        }
    }
    if let Some(dir) = &args.dump {
        let dir = dir.join("zyte");
        let _ = std::fs::create_dir_all(&dir);
        for (d, b) in z.docs.iter().zip(&bodies) {
            let _ = std::fs::write(dir.join(format!("{}.pred.txt", d.id)), b);
            let _ = std::fs::write(dir.join(format!("{}.gold.txt", d.id)), &d.gold);
        }
    }
    out
}

// ---------------------------------------------------------------- trafilatura-eval

struct TrafDoc {
    key: String,
    url: Option<String>,
    html: Vec<u8>,
    with: Vec<String>,
    without: Vec<String>,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
}

fn load_traf(dir: &Path) -> Option<Vec<TrafDoc>> {
    let data: Value =
        serde_json::from_slice(&std::fs::read(dir.join("evaldata-subset.json")).ok()?).ok()?;
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str()).map(ws).collect())
            .unwrap_or_default()
    };
    let gold = |v: &Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut docs = Vec::new();
    for (key, v) in data.as_object()? {
        let file = v["file"].as_str()?;
        let Ok(html) = std::fs::read(dir.join("html").join(file)) else {
            eprintln!("trafilatura-eval: missing {file}");
            continue;
        };
        docs.push(TrafDoc {
            key: key.clone(),
            url: key.starts_with("http").then(|| key.clone()),
            html,
            with: strings(&v["with"]),
            without: strings(&v["without"]),
            title: gold(&v["title"]),
            author: gold(&v["author"]),
            date: gold(&v["date"]),
        });
    }
    docs.sort_by(|a, b| a.key.cmp(&b.key));
    Some(docs)
}

/// Whitespace runs to one space, trimmed.
fn ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Case and whitespace folding for metadata comparison.
fn fold(s: &str) -> String {
    ws(s).to_lowercase()
}

/// The calendar date a page states: the date part of an ISO string as written
/// (so a local time is not shifted to UTC), else the normalised date.
fn iso_day(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.len() >= 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-' {
        if let Some(d) = raw.get(..10).and_then(opedex::stages::date::canonical) {
            return Some(d);
        }
    }
    opedex::stages::date::canonical(raw).map(|d| d.chars().take(10).collect())
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

fn eval_traf(docs: &[TrafDoc], args: &Args) -> Value {
    let preds: Vec<Option<Article>> = docs
        .par_iter()
        .map(|d| extract(&d.html, d.url.as_deref()))
        .collect();
    let mut c = Counts::default();
    let mut per_doc: Vec<(usize, usize, usize)> = Vec::new(); // (doc, misses, noise)
    let mut meta = BTreeMap::from([("title", (0, 0)), ("author", (0, 0)), ("date", (0, 0))]);
    let mut meta_misses: Vec<String> = Vec::new();
    for (i, (d, a)) in docs.iter().zip(&preds).enumerate() {
        let body = a.as_ref().map(|a| ws(&a.body)).unwrap_or_default();
        let (mut miss, mut noise) = (0, 0);
        for s in &d.with {
            if body.contains(s.as_str()) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
                miss += 1;
            }
        }
        for s in &d.without {
            if body.contains(s.as_str()) {
                c.fp += 1;
                noise += 1;
            } else {
                c.tn += 1;
            }
        }
        per_doc.push((i, miss, noise));
        let got_title = a.as_ref().map(|a| a.title.clone()).unwrap_or_default();
        let got_author = a.as_ref().map(|a| a.authors.join("; ")).unwrap_or_default();
        let got_date = a
            .as_ref()
            .and_then(|a| a.published.as_deref())
            .and_then(iso_day)
            .unwrap_or_default();
        for (field, gold, got) in [
            ("title", &d.title, fold(&got_title)),
            ("author", &d.author, fold(&got_author)),
            ("date", &d.date.as_deref().and_then(iso_day), got_date),
        ] {
            if let Some(g) = gold {
                let e = meta.get_mut(field).unwrap();
                e.1 += 1;
                if fold(g) == got {
                    e.0 += 1;
                } else if args.worst > 0 {
                    meta_misses.push(format!(
                        "    {field:<6} gold {g:?} got {got:?}  [{}]",
                        d.key
                    ));
                }
            }
        }
    }
    let p = c.tp as f64 / (c.tp + c.fp).max(1) as f64;
    let r = c.tp as f64 / (c.tp + c.fn_).max(1) as f64;
    let f1 = 2.0 * c.tp as f64 / (2 * c.tp + c.fp + c.fn_).max(1) as f64;
    let acc = (c.tp + c.tn) as f64 / (c.tp + c.tn + c.fp + c.fn_).max(1) as f64;
    let failed = preds.iter().filter(|a| a.is_none()).count();
    let share = |(ok, n): (usize, usize)| ok as f64 / n.max(1) as f64;
    println!(
        "trafilatura-eval ({} pages, {} with / {} without snippets)",
        docs.len(),
        c.tp + c.fn_,
        c.fp + c.tn
    );
    println!("  snippets  F1 {f1:.3}  prec {p:.3}  recall {r:.3}  accuracy {acc:.3}   ({failed} pages without article)");
    println!(
        "  metadata  title {:.3} ({}/{})  author {:.3} ({}/{})  date {:.3} ({}/{})   [trafilatura 2.3.1: 0.54 / 0.55 / 0.91]",
        share(meta["title"]), meta["title"].0, meta["title"].1,
        share(meta["author"]), meta["author"].0, meta["author"].1,
        share(meta["date"]), meta["date"].0, meta["date"].1,
    );
    if args.worst > 0 {
        per_doc.sort_by_key(|&(_, m, n)| std::cmp::Reverse(m + n));
        for &(i, m, n) in per_doc.iter().take(args.worst) {
            println!(
                "    worst: {m} missing, {n} noise  {}  [{}]",
                docs[i].key,
                docs[i].url.is_some()
            );
        }
        for line in meta_misses.iter().take(args.worst * 3) {
            println!("{line}");
        }
    }
    if let Some(dir) = &args.dump {
        let dir = dir.join("traf");
        let _ = std::fs::create_dir_all(&dir);
        for (k, (d, a)) in docs.iter().zip(&preds).enumerate() {
            let text = a.as_ref().map_or(String::new(), |a| {
                format!(
                    "{}\n{:?}\n{:?}\n\n{}",
                    a.title, a.authors, a.published, a.body
                )
            });
            let _ = std::fs::write(
                dir.join(format!("{k:03}.txt")),
                format!("{}\n{text}", d.key),
            );
        }
    }
    json!({
        "pages": docs.len(), "f1": f1, "precision": p, "recall": r, "accuracy": acc, "no_article": failed,
        "title": share(meta["title"]), "author": share(meta["author"]), "date": share(meta["date"]),
    })
}

// ---------------------------------------------------------------- readability-testpages

/// Soft byline form: lower case, no leading "by", names split on "and" / commas.
fn soft_names(s: &str) -> Vec<String> {
    let s = fold(s);
    let s = s.strip_prefix("by ").unwrap_or(&s);
    let mut names: Vec<String> = s
        .replace(" and ", ",")
        .replace(" & ", ",")
        .split([',', ';'])
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names
}

fn eval_readability(dir: &Path) -> Value {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    // lang → (byline agree, byline total, site agree, site total)
    let mut per_lang: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut misses = Vec::new();
    for f in &folders {
        let (Ok(html), Ok(meta)) = (
            std::fs::read(f.join("source.html")),
            std::fs::read(f.join("expected-metadata.json")),
        ) else {
            continue;
        };
        let Ok(meta) = serde_json::from_slice::<Value>(&meta) else {
            continue;
        };
        let lang = meta["lang"]
            .as_str()
            .and_then(opedex::stages::lang::canonical_code)
            .unwrap_or_else(|| "?".into());
        let a = extract(&html, None);
        let e = per_lang.entry(lang).or_default();
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if let Some(gold) = meta["byline"].as_str().filter(|s| !s.trim().is_empty()) {
            e[1] += 1;
            let got = a.as_ref().map(|a| a.authors.join(", ")).unwrap_or_default();
            if soft_names(gold) == soft_names(&got) {
                e[0] += 1;
            } else {
                misses.push(format!("    byline {name}: gold {gold:?} got {got:?}"));
            }
        }
        if let Some(gold) = meta["siteName"].as_str().filter(|s| !s.trim().is_empty()) {
            e[3] += 1;
            let got = a
                .as_ref()
                .and_then(|a| a.outlet.clone())
                .unwrap_or_default();
            if fold(gold) == fold(&got) {
                e[2] += 1;
            } else {
                misses.push(format!("    site   {name}: gold {gold:?} got {got:?}"));
            }
        }
    }
    println!("readability-testpages ({} pages)", folders.len());
    println!("  lang  byline      site");
    let mut total = [0; 4];
    let mut out = serde_json::Map::new();
    for (lang, c) in &per_lang {
        println!(
            "  {lang:<4}  {:>2}/{:<2}       {:>2}/{:<2}",
            c[0], c[1], c[2], c[3]
        );
        for k in 0..4 {
            total[k] += c[k];
        }
        out.insert(
            lang.clone(),
            json!({"byline": [c[0], c[1]], "site": [c[2], c[3]]}),
        );
    }
    println!(
        "  all   {:>2}/{:<2} {:.2}  {:>2}/{:<2} {:.2}",
        total[0],
        total[1],
        total[0] as f64 / total[1].max(1) as f64,
        total[2],
        total[3],
        total[2] as f64 / total[3].max(1) as f64
    );
    if std::env::var_os("EVAL_VERBOSE").is_some() {
        for m in &misses {
            println!("{m}");
        }
    }
    Value::Object(out)
}

// ---------------------------------------------------------------- speed

fn eval_speed(pages: &[(String, Vec<u8>, Option<String>)]) -> Value {
    let mut out = serde_json::Map::new();
    println!(
        "speed (parse only, pages already in memory; {} cores)",
        rayon::current_num_threads()
    );
    for set in ["zyte", "traf"] {
        let subset: Vec<_> = pages.iter().filter(|p| p.0 == set).collect();
        if subset.is_empty() {
            continue;
        }
        let mb = subset.iter().map(|p| p.1.len()).sum::<usize>() as f64 / 1e6;
        let t = Instant::now();
        for p in &subset {
            std::hint::black_box(html::parse(&p.1, p.2.as_deref()).ok());
        }
        let single = t.elapsed().as_secs_f64();
        let t = Instant::now();
        subset.par_iter().for_each(|p| {
            std::hint::black_box(html::parse(&p.1, p.2.as_deref()).ok());
        });
        let multi = t.elapsed().as_secs_f64();
        let n = subset.len() as f64;
        println!(
            "  {set:<5} {n:>4} pages {mb:>5.1} MB  1 thread {:.2} ms/page ({:.0} pages/s)   all cores {:.0} pages/s (x{:.2})",
            single * 1e3 / n,
            n / single,
            n / multi,
            single / multi
        );
        out.insert(
            set.into(),
            json!({"ms_per_page_1_thread": single * 1e3 / n, "pages_per_s_all_cores": n / multi}),
        );
    }
    Value::Object(out)
}
