//! Measures the near-duplicate detector (`opedex::dedup`) on real op-eds and
//! justifies its shingle size and `THRESHOLD`.
//!
//! Reads `../shared/corpus/allsides-opinion/jsons/*.json` (`content_original`)
//! and `../shared/corpus/webis-editorials/*/*.json` (segments), then reports:
//! 1. the similarity of every pair of *different* corpus articles (all pairs,
//!    and the pairs that share an LSH band), with the top pairs by id and
//!    title so real copies in the corpora can be checked by eye;
//! 2. the similarity of synthetic syndicated copies made from every article
//!    by realistic edits;
//! 3. the same for several shingle sizes;
//! 4. recall and precision of the LSH candidate step, and timings.
//!
//! Run: `cargo run --release --example dedup_threshold`. Prints "SKIPPED" and
//! exits 0 when the corpora are absent.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use opedex::stages::clean;
use opedex::stages::dedup::{
    self, shingle_hashes, signature, signature_with_shingle_words, DedupIndex, Signature, BANDS,
    NUM_HASHES, ROWS, SHINGLE_WORDS, THRESHOLD,
};

const ALLSIDES: &str = "../shared/corpus/allsides-opinion/jsons";
const WEBIS: &str = "../shared/corpus/webis-editorials";

/// An article from the corpora.
struct Doc {
    id: String,
    outlet: String,
    title: String,
    body: String,
}

fn main() {
    let docs = load();
    if docs.is_empty() {
        println!("SKIPPED dedup_threshold: corpora absent ({ALLSIDES}, {WEBIS})");
        return;
    }
    println!(
        "{} articles; NUM_HASHES={NUM_HASHES}, BANDS={BANDS} x ROWS={ROWS}, SHINGLE_WORDS={SHINGLE_WORDS}, THRESHOLD={THRESHOLD}\n",
        docs.len()
    );

    shingle_size_sweep(&docs);

    let start = Instant::now();
    let sigs: Vec<Option<Signature>> = docs.iter().map(|d| signature(&d.body)).collect();
    let per_signature = start.elapsed().as_secs_f64() * 1e6 / docs.len() as f64;
    let with_sig: Vec<usize> = (0..docs.len()).filter(|&i| sigs[i].is_some()).collect();
    println!(
        "{} of {} articles have a signature (>= {} words)\n",
        with_sig.len(),
        docs.len(),
        dedup::MIN_WORDS
    );

    different_articles(&docs, &sigs, &with_sig);
    let copies = synthetic_copies(&docs, &sigs, &with_sig);
    s_curve();
    lsh_quality(&docs, &sigs, &with_sig, &copies);
    timings(&docs, per_signature);
}

// ---------------------------------------------------------------- loading

fn load() -> Vec<Doc> {
    let mut docs = Vec::new();
    if Path::new(ALLSIDES).is_dir() {
        let mut paths = json_files(Path::new(ALLSIDES));
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let field = |name: &str| {
                v.get(name)
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            docs.push(Doc {
                id: format!("allsides/{}", field("ID")),
                outlet: field("source").trim().to_string(),
                title: field("title"),
                body: clean::body(&field("content_original")),
            });
        }
    } else {
        println!("SKIPPED allsides-opinion: {ALLSIDES} absent");
    }
    if Path::new(WEBIS).is_dir() {
        let mut dirs: Vec<_> = std::fs::read_dir(WEBIS)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let outlet = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let mut paths = json_files(&dir);
            paths.sort();
            for path in paths {
                let Some(doc) = webis_doc(&path, &outlet) else {
                    continue;
                };
                docs.push(doc);
            }
        }
    } else {
        println!("SKIPPED webis-editorials: {WEBIS} absent");
    }
    docs
}

fn json_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect()
}

/// Paragraph 1 is the title; the others are bodies made of segments. The
/// detector ignores punctuation, so segments are simply joined with spaces.
fn webis_doc(path: &Path, outlet: &str) -> Option<Doc> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let paragraphs: Vec<String> = v
        .get("paragraphs")?
        .as_array()?
        .iter()
        .map(|p| {
            p.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("text").and_then(|t| t.as_str()))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let (title, body) = paragraphs.split_first()?;
    Some(Doc {
        id: format!("webis/{outlet}/{}", path.file_stem()?.to_string_lossy()),
        outlet: outlet.to_string(),
        title: title.clone(),
        body: clean::body(&body.join("\n\n")),
    })
}

// ---------------------------------------------------------------- edits

/// A small deterministic PRNG (SplitMix64), so every run makes the same copies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The edits a syndicating outlet makes, one at a time and all together.
const EDITS: [&str; 7] = [
    "drop first paragraph",
    "drop last paragraph",
    "add 30-word editor's note",
    "swap typographic quotes/dashes",
    "change 3% of words",
    "truncate to 80%",
    "ALL of the above",
];

const EDITOR_NOTE: &str = "Editor's note: This column originally appeared in the Riverside Courier and is republished here with permission. The views expressed are the author's own and do not necessarily reflect those of this newspaper.";

const REPLACEMENTS: [&str; 12] = [
    "very",
    "really",
    "major",
    "key",
    "new",
    "large",
    "small",
    "said",
    "people",
    "nation",
    "government",
    "however",
];

fn drop_paragraph(body: &str, first: bool) -> String {
    let mut paras: Vec<&str> = body.split("\n\n").collect();
    if paras.len() > 1 {
        if first {
            paras.remove(0);
        } else {
            paras.pop();
        }
    }
    paras.join("\n\n")
}

fn swap_typography(body: &str) -> String {
    body.chars()
        .map(|c| match c {
            '"' => '\u{201c}',
            '\u{201c}' | '\u{201d}' => '"',
            '\'' => '\u{2019}',
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{2014}' => '-',
            c => c,
        })
        .collect::<String>()
        .replace(" - ", " \u{2014} ")
        .replace("--", "\u{2014}")
}

fn change_words(body: &str, share: f64, rng: &mut Rng) -> String {
    body.split(' ')
        .map(|w| {
            if (rng.next() % 10_000) as f64 / 10_000.0 < share {
                REPLACEMENTS[rng.below(REPLACEMENTS.len())].to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(body: &str, share: f64) -> String {
    let mut cut = (body.len() as f64 * share) as usize;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    match body[..cut].rfind(char::is_whitespace) {
        Some(space) => body[..space].to_string(),
        None => body[..cut].to_string(),
    }
}

fn edit(body: &str, which: usize, rng: &mut Rng) -> String {
    match which {
        0 => drop_paragraph(body, true),
        1 => drop_paragraph(body, false),
        2 => format!("{EDITOR_NOTE}\n\n{body}"),
        3 => swap_typography(body),
        4 => change_words(body, 0.03, rng),
        5 => truncate(body, 0.8),
        _ => {
            let b = truncate(body, 0.8);
            let b = drop_paragraph(&drop_paragraph(&b, true), false);
            let b = change_words(&swap_typography(&b), 0.03, rng);
            format!("{EDITOR_NOTE}\n\n{b}")
        }
    }
}

// ---------------------------------------------------------------- statistics

/// Similarities take only the values `i / NUM_HASHES`, so a histogram of the
/// number of equal minima gives exact quantiles over millions of pairs.
#[derive(Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

impl Histogram {
    fn new() -> Histogram {
        Histogram {
            counts: vec![0; NUM_HASHES + 1],
            total: 0,
        }
    }
    fn add(&mut self, similarity: f64) {
        let i = (similarity * NUM_HASHES as f64).round() as usize;
        self.counts[i.min(NUM_HASHES)] += 1;
        self.total += 1;
    }
    /// The smallest value with at least `q` of the mass at or below it.
    fn quantile(&self, q: f64) -> f64 {
        let target = (q * self.total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return i as f64 / NUM_HASHES as f64;
            }
        }
        1.0
    }
    fn max(&self) -> f64 {
        self.counts
            .iter()
            .rposition(|&c| c > 0)
            .map_or(0.0, |i| i as f64 / NUM_HASHES as f64)
    }
    fn min(&self) -> f64 {
        self.counts
            .iter()
            .position(|&c| c > 0)
            .map_or(0.0, |i| i as f64 / NUM_HASHES as f64)
    }
    fn at_least(&self, s: f64) -> u64 {
        let from = (s * NUM_HASHES as f64).ceil() as usize;
        self.counts[from.min(NUM_HASHES + 1)..].iter().sum()
    }
}

fn exact_jaccard(a: &str, b: &str, k: usize) -> f64 {
    let x = shingle_hashes(a, k);
    let y = shingle_hashes(b, k);
    let common = x.iter().filter(|h| y.binary_search(h).is_ok()).count();
    let union = x.len() + y.len() - common;
    if union == 0 {
        return 0.0;
    }
    common as f64 / union as f64
}

/// Similarity of every pair of different articles.
fn all_pairs(sigs: &[Signature]) -> (Histogram, Vec<(usize, usize, f64)>) {
    let mut hist = Histogram::new();
    let mut high = Vec::new();
    for i in 0..sigs.len() {
        for j in i + 1..sigs.len() {
            let s = sigs[i].similarity(&sigs[j]);
            hist.add(s);
            if s >= 0.2 {
                high.push((i, j, s));
            }
        }
    }
    high.sort_by(|a, b| b.2.total_cmp(&a.2));
    (hist, high)
}

// ---------------------------------------------------------------- sections

fn shingle_size_sweep(docs: &[Doc]) {
    println!(
        "== (0) shingle size: different articles (all pairs) vs synthetic copies (ALL edits) =="
    );
    println!(
        "{:>2} | {:>9} {:>9} {:>8} {:>8} {:>8} | {:>9} {:>9} {:>9} | {:>10} {:>10}",
        "k",
        "p99.9",
        "p99.99",
        "#>=0.2",
        "#>=0.3",
        "#>=0.5",
        "copy min",
        "copy p1",
        "copy med",
        "single p1",
        "single min"
    );
    for k in [3, 4, 5, 6, 8] {
        let mut rng = Rng(42);
        let mut sigs = Vec::new();
        let mut all_edits = Histogram::new();
        let mut single = Histogram::new();
        for d in docs {
            let Some(original) = signature_with_shingle_words(&d.body, k) else {
                continue;
            };
            for which in 0..EDITS.len() {
                let copy = edit(&d.body, which, &mut rng);
                let s =
                    signature_with_shingle_words(&copy, k).map_or(0.0, |c| original.similarity(&c));
                if which == EDITS.len() - 1 {
                    all_edits.add(s);
                } else {
                    single.add(s);
                }
            }
            sigs.push(original);
        }
        let (hist, _) = all_pairs(&sigs);
        println!(
            "{k:>2} | {:>9.3} {:>9.3} {:>8} {:>8} {:>8} | {:>9.3} {:>9.3} {:>9.3} | {:>10.3} {:>10.3}",
            hist.quantile(0.999),
            hist.quantile(0.9999),
            hist.at_least(0.2),
            hist.at_least(0.3),
            hist.at_least(0.5),
            all_edits.min(),
            all_edits.quantile(0.01),
            all_edits.quantile(0.5),
            single.quantile(0.01),
            single.min(),
        );
    }
    println!("(#>=x counts pairs of different corpus articles; real duplicates in the corpora sit among them)\n");
}

fn different_articles(docs: &[Doc], sigs: &[Option<Signature>], with_sig: &[usize]) {
    let plain: Vec<Signature> = with_sig.iter().filter_map(|&i| sigs[i].clone()).collect();
    let (hist, high) = all_pairs(&plain);
    println!(
        "== (1) different articles, k={SHINGLE_WORDS}: all {} pairs ==",
        hist.total
    );
    println!(
        "median {:.3}  p99 {:.3}  p99.9 {:.3}  p99.99 {:.3}  p99.999 {:.3}  max {:.3}",
        hist.quantile(0.5),
        hist.quantile(0.99),
        hist.quantile(0.999),
        hist.quantile(0.9999),
        hist.quantile(0.99999),
        hist.max()
    );
    println!("pairs at or above: 0.05: {}  0.1: {}  0.2: {}  0.3: {}  0.4: {}  0.5: {}  0.7: {}  0.9: {}",
        hist.at_least(0.05), hist.at_least(0.1), hist.at_least(0.2), hist.at_least(0.3),
        hist.at_least(0.4), hist.at_least(0.5), hist.at_least(0.7), hist.at_least(0.9));

    // Candidate pairs: those sharing at least one band.
    let mut index = DedupIndex::new();
    let mut cand = Histogram::new();
    for (n, s) in plain.iter().enumerate() {
        for m in index.matches_above(s, 0.0) {
            cand.add(m.similarity);
        }
        index.insert(n.to_string(), s.clone());
    }
    println!(
        "candidate pairs (share >= 1 of {BANDS} bands): {}  min {:.3}  median {:.3}  max {:.3}",
        cand.total,
        cand.min(),
        cand.quantile(0.5),
        cand.max()
    );

    // A random sample, as a second view of the bulk.
    let mut rng = Rng(7);
    let mut sample = Histogram::new();
    for _ in 0..200_000 {
        let (a, b) = (rng.below(plain.len()), rng.below(plain.len()));
        if a != b {
            sample.add(plain[a].similarity(&plain[b]));
        }
    }
    println!(
        "random sample of {} pairs: median {:.3}  p99.9 {:.3}  max {:.3}",
        sample.total,
        sample.quantile(0.5),
        sample.quantile(0.999),
        sample.max()
    );

    println!("\ntop pairs of corpus articles (estimated | exact Jaccard), check by eye:");
    for &(a, b, s) in high.iter().take(40) {
        let (x, y) = (&docs[with_sig[a]], &docs[with_sig[b]]);
        let exact = exact_jaccard(&x.body, &y.body, SHINGLE_WORDS);
        println!(
            "  {s:.3} | {exact:.3}  {} [{}] {:?}  <>  {} [{}] {:?}",
            x.id,
            x.outlet,
            clip(&x.title, 50),
            y.id,
            y.outlet,
            clip(&y.title, 50)
        );
    }
    let gap: Vec<_> = high
        .iter()
        .filter(|p| p.2 < THRESHOLD && p.2 >= 0.2)
        .take(10)
        .collect();
    println!("highest pairs below THRESHOLD:");
    for &&(a, b, s) in &gap {
        let (x, y) = (&docs[with_sig[a]], &docs[with_sig[b]]);
        println!(
            "  {s:.3}  {} {:?}  <>  {} {:?}",
            x.id,
            clip(&x.title, 50),
            y.id,
            clip(&y.title, 50)
        );
    }
    println!();
}

/// Per edit, the similarity of the copy to its original; returns the copies'
/// signatures (ALL edits) and similarities for the LSH recall check.
fn synthetic_copies(
    docs: &[Doc],
    sigs: &[Option<Signature>],
    with_sig: &[usize],
) -> Vec<Vec<(usize, Option<Signature>, f64)>> {
    println!(
        "== (2) synthetic syndicated copies, k={SHINGLE_WORDS}: similarity to the original =="
    );
    println!(
        "{:<32} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>10}",
        "edit", "min", "p1", "p5", "median", "<THRESH", "exact", "est-exact"
    );
    let mut rng = Rng(1234);
    let mut copies = Vec::new();
    for (which, name) in EDITS.iter().enumerate() {
        let mut hist = Histogram::new();
        let mut rows = Vec::new();
        let (mut err_sum, mut err_sq, mut exact_sum, mut n_exact) = (0.0, 0.0, 0.0, 0);
        for (n, &i) in with_sig.iter().enumerate() {
            let Some(original) = &sigs[i] else { continue };
            let body = edit(&docs[i].body, which, &mut rng);
            let copy = signature(&body);
            let s = copy.as_ref().map_or(0.0, |c| original.similarity(c));
            hist.add(s);
            // The estimator check on every 10th article (exact Jaccard is slower).
            if n % 10 == 0 {
                let exact = exact_jaccard(&docs[i].body, &body, SHINGLE_WORDS);
                err_sum += s - exact;
                err_sq += (s - exact) * (s - exact);
                exact_sum += exact;
                n_exact += 1;
            }
            rows.push((i, copy, s));
        }
        let n_exact = f64::from(n_exact.max(1));
        println!(
            "{:<32} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>8} {:>8.3} {:>+5.3}±{:.3}",
            name,
            hist.min(),
            hist.quantile(0.01),
            hist.quantile(0.05),
            hist.quantile(0.5),
            hist.total - hist.at_least(THRESHOLD),
            exact_sum / n_exact,
            err_sum / n_exact,
            (err_sq / n_exact).sqrt()
        );
        copies.push(rows);
    }
    println!("(<THRESH: copies below THRESHOLD; exact: mean exact Jaccard; est-exact: mean and RMS of the estimate's error)\n");
    copies
}

fn s_curve() {
    println!("== (3) LSH S-curve: P(share >= 1 band) = 1-(1-s^r)^b ==");
    let sims = [0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    print!("{:>8}", "b x r");
    for s in sims {
        print!(" {:>7}", format!("s={s}"));
    }
    println!();
    for (b, r) in [(16, 8), (21, 6), (25, 5), (32, 4), (42, 3), (64, 2)] {
        let mark = if (b, r) == (BANDS, ROWS) { "*" } else { " " };
        print!("{mark}{:>7}", format!("{b}x{r}"));
        for s in sims {
            let p = 1.0 - (1.0 - f64::powi(s, r as i32)).powi(b as i32);
            print!(" {p:>7.4}");
        }
        println!();
    }
    println!();
}

fn lsh_quality(
    docs: &[Doc],
    sigs: &[Option<Signature>],
    with_sig: &[usize],
    copies: &[Vec<(usize, Option<Signature>, f64)>],
) {
    println!("== (4) LSH candidate step at THRESHOLD={THRESHOLD} ({BANDS} bands x {ROWS} rows) ==");
    // Index every original, then look each synthetic copy up.
    let mut index = DedupIndex::new();
    for &i in with_sig {
        if let Some(s) = &sigs[i] {
            index.insert(i.to_string(), s.clone());
        }
    }
    for (which, rows) in copies.iter().enumerate() {
        let (mut above, mut found, mut found_all, mut candidates, mut wrong) = (0, 0, 0, 0, 0);
        for (i, copy, s) in rows {
            let Some(copy) = copy else { continue };
            let key = i.to_string();
            let hits = index.matches_above(copy, 0.0);
            candidates += hits.len();
            let is_candidate = hits.iter().any(|m| m.id == key);
            if *s >= THRESHOLD {
                above += 1;
                if is_candidate {
                    found += 1;
                }
            }
            if index.best_match(copy).is_some_and(|m| m.id == key) {
                found_all += 1;
            }
            // Verified matches other than the original: corpus duplicates of it.
            wrong += index.matches(copy).iter().filter(|m| m.id != key).count();
        }
        println!(
            "{:<32} recall of LSH among copies >= THRESHOLD: {}/{} = {:.4}; end-to-end found: {}/{} = {:.4}; candidates/query {:.2}; other matches {}",
            EDITS[which],
            found,
            above,
            found as f64 / above.max(1) as f64,
            found_all,
            rows.len(),
            found_all as f64 / rows.len().max(1) as f64,
            candidates as f64 / rows.len().max(1) as f64,
            wrong
        );
    }
    // Corpus pairs: brute force vs LSH.
    let plain: Vec<(usize, &Signature)> = with_sig
        .iter()
        .filter_map(|&i| sigs[i].as_ref().map(|s| (i, s)))
        .collect();
    let mut truth = 0;
    for a in 0..plain.len() {
        for b in a + 1..plain.len() {
            if plain[a].1.similarity(plain[b].1) >= THRESHOLD {
                truth += 1;
            }
        }
    }
    let mut index = DedupIndex::new();
    let (mut cand, mut verified) = (0, 0);
    for (n, (_, s)) in plain.iter().enumerate() {
        cand += index.candidate_count(s);
        verified += index.matches(s).len();
        index.insert(n.to_string(), (*s).clone());
    }
    println!(
        "corpus pairs: >= THRESHOLD by brute force {truth}; LSH candidates {cand}, verified {verified} (recall {:.4}, candidate precision {:.4})",
        verified as f64 / truth.max(1) as f64,
        verified as f64 / cand.max(1) as f64
    );
    let _ = docs;
    println!();
}

fn timings(docs: &[Doc], per_signature: f64) {
    println!("== (5) timings (release, one thread) ==");
    println!(
        "signature: {per_signature:.1} µs per article (mean over {} articles)",
        docs.len()
    );
    let bodies: Vec<&str> = docs.iter().take(1000).map(|d| d.body.as_str()).collect();
    let mut best = f64::MAX;
    let mut merged = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let mut index = DedupIndex::new();
        merged = 0;
        for (n, body) in bodies.iter().enumerate() {
            let Some(sig) = signature(body) else { continue };
            if index.best_match(&sig).is_some() {
                merged += 1;
            } else {
                index.insert(n.to_string(), sig);
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let sigs: Vec<Signature> = bodies.iter().filter_map(|b| signature(b)).collect();
    let start = Instant::now();
    let mut index = DedupIndex::new();
    for (n, sig) in sigs.iter().enumerate() {
        let _ = index.best_match(sig);
        index.insert(n.to_string(), sig.clone());
    }
    let lookup = start.elapsed().as_secs_f64();
    println!(
        "in-memory dedup of {} articles: {:.1} ms including signatures ({merged} merged), {:.2} ms for the index alone",
        bodies.len(),
        best * 1e3,
        lookup * 1e3
    );
    let mut keys: HashMap<usize, usize> = HashMap::new();
    for s in &sigs {
        *keys.entry(s.band_keys().len()).or_default() += 1;
    }
    println!(
        "storage: {} bytes per signature, {BANDS} band keys of {} bytes",
        sigs.first().map_or(0, |s| s.to_bytes().len()),
        std::mem::size_of::<u64>()
    );
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}
