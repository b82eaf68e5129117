//! Dense retrieval: the articles whose vectors lie nearest a query vector,
//! among the articles the filters allow (the filters choose the articles
//! first; the top k are taken among them).
//!
//! Every vector of the index's vector file ([`crate::index::vectors`]) is
//! scored against the query by an int8 dot product (an exact scan: see
//! ARCHITECTURE.md, "Semantic and hybrid search", for why not an ANN graph);
//! an article's score is its best vector's. Each article found is checked
//! against the index: its article document must be live and hold the
//! version that was embedded.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::Filters;
use crate::error::Result;
use crate::index::columns::first_strings;
use crate::index::schema::KIND_ARTICLE;
use crate::index::vectors::{quantise, VectorFile};
use crate::index::OpedexIndex;

/// Vectors scored on one thread before the scan is split across cores.
const PARALLEL_FROM: usize = 200_000;

/// An article near the query.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseArticle {
    /// Its id.
    pub id: String,
    /// Cosine similarity of its best vector to the query (from int8 codes).
    pub score: f32,
    /// The passage its best vector's text starts at.
    pub passage: u32,
    /// Its article document.
    pub addr: DocAddress,
}

/// A scored article of the file, ordered for a min-heap of the best.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored {
    score: f32,
    article: usize,
    vector: usize,
}

impl Eq for Scored {}
impl Ord for Scored {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed, so the heap's top is the worst kept; ties keep the
        // article earlier in the file.
        o.score
            .total_cmp(&self.score)
            .then(self.article.cmp(&o.article))
    }
}
impl PartialOrd for Scored {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The `k` articles nearest `query` (a unit vector) that pass `filters`
/// and none of `excluded` (queries whose matching articles are left out,
/// the query's `-word`s), best first.
pub fn nearest(
    index: &OpedexIndex,
    searcher: &Searcher,
    file: &VectorFile,
    query: &[f32],
    filters: &Filters,
    excluded: &[Box<dyn Query>],
    k: usize,
) -> Result<Vec<DenseArticle>> {
    if k == 0 || file.articles() == 0 || query.len() != file.dims() {
        return Ok(Vec::new());
    }
    let allowed = if filters.is_empty() && excluded.is_empty() {
        None
    } else {
        Some(allowed_articles(index, searcher, file, filters, excluded)?)
    };
    // A few more than k: some may turn out deleted or replaced since.
    let wanted = k + k / 4 + 8;
    let best = scan(file, query, allowed.as_ref().map(|a| &a.0), wanted);
    let mut out = Vec::with_capacity(k);
    for s in best {
        let id = file.id(s.article);
        let addr = match &allowed {
            Some((_, addrs)) => addrs.get(&s.article).copied(),
            None => live_version(index, searcher, file, s.article)?,
        };
        if let Some(addr) = addr {
            out.push(DenseArticle {
                id: id.to_string(),
                score: s.score,
                passage: file.passage(s.vector),
                addr,
            });
        }
        if out.len() == k {
            break;
        }
    }
    Ok(out)
}

/// How many of the file's articles are live in the version embedded and
/// pass `filters` and none of `excluded`: the articles a semantic search
/// ranks.
pub fn allowed_count(
    index: &OpedexIndex,
    searcher: &Searcher,
    file: &VectorFile,
    filters: &Filters,
    excluded: &[Box<dyn Query>],
) -> Result<usize> {
    Ok(allowed_articles(index, searcher, file, filters, excluded)?
        .1
        .len())
}

/// The article document of file article `a` when it is live and holds the
/// version that was embedded.
fn live_version(
    index: &OpedexIndex,
    searcher: &Searcher,
    file: &VectorFile,
    a: usize,
) -> Result<Option<DocAddress>> {
    let Some(addr) = index.article_doc(searcher, file.id(a))? else {
        return Ok(None);
    };
    let hashes = searcher
        .segment_reader(addr.segment_ord)
        .fast_fields()
        .u64(searcher.schema().get_field_name(index.fields.content_hash))?;
    Ok((hashes.first(addr.doc_id) == Some(file.content_hash(a))).then_some(addr))
}

/// The file's articles that pass `filters` and none of `excluded` (as a
/// mask over the file's articles), with their article documents: the
/// filters run as a Tantivy query over article documents, whose ids are
/// read in one pass per segment.
fn allowed_articles(
    index: &OpedexIndex,
    searcher: &Searcher,
    file: &VectorFile,
    filters: &Filters,
    excluded: &[Box<dyn Query>],
) -> Result<(Vec<bool>, HashMap<usize, DocAddress>)> {
    let f = &index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, KIND_ARTICLE),
            IndexRecordOption::Basic,
        )),
    )];
    clauses.extend(
        filters
            .queries(index)?
            .into_iter()
            .map(|q| (Occur::Must, q)),
    );
    clauses.extend(excluded.iter().map(|q| (Occur::MustNot, q.box_clone())));
    let docs = searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for addr in docs {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    let mut mask = vec![false; file.articles()];
    let mut addrs = HashMap::new();
    let schema = searcher.schema();
    for (segment, mut docs) in by_segment {
        docs.sort_unstable();
        let fast = searcher.segment_reader(segment).fast_fields();
        let Some(ids) = fast.str(schema.get_field_name(f.article_id))? else {
            continue;
        };
        let hashes = fast.u64(schema.get_field_name(f.content_hash))?;
        for (doc, id) in docs.iter().zip(first_strings(&ids, docs.iter().copied())?) {
            let Some(a) = id.and_then(|id| file.find(&id)) else {
                continue;
            };
            if hashes.first(*doc) == Some(file.content_hash(a)) {
                mask[a] = true;
                addrs.insert(a, DocAddress::new(segment, *doc));
            }
        }
    }
    Ok((mask, addrs))
}

/// The `wanted` best articles by their best vector's int8 dot product with
/// the query, best first; only articles `allowed` when given.
fn scan(
    file: &VectorFile,
    query: &[f32],
    allowed: Option<&Vec<bool>>,
    wanted: usize,
) -> Vec<Scored> {
    let q = quantise(query);
    let d = file.dims();
    let codes = file.all_codes();
    let score_range = |articles: std::ops::Range<usize>| {
        let mut heap: BinaryHeap<Scored> = BinaryHeap::with_capacity(wanted + 1);
        for a in articles {
            if allowed.is_some_and(|m| !m[a]) {
                continue;
            }
            let mut best: Option<Scored> = None;
            for v in file.vectors_of(a) {
                let dot = dot_i8(&codes[v * d..(v + 1) * d], &q.codes);
                let score = dot as f32 * q.scale * file.scale(v);
                if best.is_none_or(|b| score > b.score) {
                    best = Some(Scored {
                        score,
                        article: a,
                        vector: v,
                    });
                }
            }
            if let Some(s) = best {
                if heap.len() < wanted {
                    heap.push(s);
                } else if heap.peek().is_some_and(|w| s < *w) {
                    heap.pop();
                    heap.push(s);
                }
            }
        }
        heap.into_vec()
    };
    let n = file.articles();
    let mut all = if file.vectors() < PARALLEL_FROM {
        score_range(0..n)
    } else {
        let parts = rayon::current_num_threads().max(1) * 4;
        let step = n.div_ceil(parts);
        (0..parts)
            .into_par_iter()
            .flat_map_iter(|p| score_range(p * step..((p + 1) * step).min(n)))
            .collect()
    };
    all.sort();
    all.truncate(wanted);
    all
}

/// The dot product of int8 codes (stored as bytes) with an int8 query.
pub fn dot_i8(codes: &[u8], q: &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { dot_i8_avx2(codes, q) };
    }
    dot_i8_plain(codes, q)
}

fn dot_i8_plain(codes: &[u8], q: &[i8]) -> i32 {
    codes
        .iter()
        .zip(q)
        .map(|(&c, &x)| i32::from(c as i8) * i32::from(x))
        .sum()
}

/// The same sum with AVX2, 16 products a step: both sides' bytes widened
/// to 16 bits (`vpmovsxbw`), multiplied and added in pairs (`vpmaddwd`).
/// (Left to the compiler, the loop became 8 products a step on 128-bit
/// registers: `perf annotate`, BENCHMARKS.md.)
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_i8_avx2(codes: &[u8], q: &[i8]) -> i32 {
    use std::arch::x86_64::{
        __m128i, _mm256_add_epi32, _mm256_castsi256_si128, _mm256_cvtepi8_epi16,
        _mm256_extracti128_si256, _mm256_madd_epi16, _mm256_setzero_si256, _mm_add_epi32,
        _mm_cvtsi128_si32, _mm_loadu_si128, _mm_shuffle_epi32,
    };
    let n = codes.len().min(q.len());
    let steps = n / 16;
    // SAFETY: AVX2 is enabled for this function (its callers check the
    // CPU); every load reads 16 bytes at `16 * i` with `16 * i + 16 <= n`,
    // inside both slices, and `loadu` needs no alignment.
    let head = unsafe {
        let mut acc = _mm256_setzero_si256();
        for i in 0..steps {
            let c = _mm_loadu_si128(codes.as_ptr().add(16 * i).cast::<__m128i>());
            let x = _mm_loadu_si128(q.as_ptr().add(16 * i).cast::<__m128i>());
            let products = _mm256_madd_epi16(_mm256_cvtepi8_epi16(c), _mm256_cvtepi8_epi16(x));
            acc = _mm256_add_epi32(acc, products);
        }
        let half = _mm_add_epi32(
            _mm256_castsi256_si128(acc),
            _mm256_extracti128_si256::<1>(acc),
        );
        let quarter = _mm_add_epi32(half, _mm_shuffle_epi32::<0b00_00_11_10>(half));
        let eighth = _mm_add_epi32(quarter, _mm_shuffle_epi32::<0b00_00_00_01>(quarter));
        _mm_cvtsi128_si32(eighth)
    };
    head + dot_i8_plain(&codes[16 * steps..n], &q[16 * steps..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_products_agree_at_every_length_and_extreme() {
        for n in [0, 1, 15, 16, 17, 31, 32, 33, 100, 384, 385] {
            let codes: Vec<u8> = (0..n).map(|i| ((i * 37 + 5) % 256) as u8).collect();
            let q: Vec<i8> = (0..n).map(|i| ((i * 11 + 3) % 256) as u8 as i8).collect();
            assert_eq!(dot_i8(&codes, &q), dot_i8_plain(&codes, &q), "length {n}");
            let low = vec![0x80u8; n];
            let neg = vec![i8::MIN; n];
            assert_eq!(
                dot_i8(&low, &neg),
                16384 * n as i32,
                "length {n}, -128 · -128"
            );
        }
    }

    #[test]
    fn dot_products_agree() {
        let codes: Vec<u8> = (0..384).map(|i| ((i * 37) % 255) as u8).collect();
        let q: Vec<i8> = (0..384).map(|i| ((i * 11) % 255) as u8 as i8).collect();
        assert_eq!(dot_i8(&codes, &q), dot_i8_plain(&codes, &q));
        let exact: i32 = codes
            .iter()
            .zip(&q)
            .map(|(&c, &x)| (c as i8) as i32 * x as i32)
            .sum();
        assert_eq!(dot_i8(&codes, &q), exact);
    }

    #[test]
    fn the_heap_keeps_the_best() {
        let a = Scored {
            score: 0.9,
            article: 3,
            vector: 3,
        };
        let b = Scored {
            score: 0.5,
            article: 1,
            vector: 1,
        };
        let mut v = vec![b, a];
        v.sort();
        assert_eq!(v, vec![a, b], "best first");
    }
}
