//! Near-duplicate detection for syndicated copies of an op-ed.
//!
//! Op-eds are republished with small edits: other boilerplate at the top or
//! bottom, an editor's note, a new headline, typographic quotes and dashes, a
//! truncated last paragraph, a word changed here and there. This module
//! recognises such copies from the body alone.
//!
//! **What it promises.**
//! - [`signature`] turns a body into a fixed-size [`Signature`] (or `None` when
//!   the body has fewer than [`MIN_WORDS`] words, where "near-duplicate" means
//!   nothing). The same text always gives the same signature, on every
//!   platform and in every run, so signatures can be stored in an index.
//! - [`Signature::similarity`] estimates the Jaccard similarity of the two
//!   bodies' sets of word shingles; at or above [`THRESHOLD`] the two bodies
//!   are the same piece.
//! - [`Signature::band_keys`] gives 64-bit keys such that two signatures at
//!   or above [`THRESHOLD`] share at least one key with high probability
//!   (locality-sensitive hashing). Index them, look up a new article's keys to
//!   find candidates, then confirm each candidate with `similarity`.
//! - [`DedupIndex`] does the same in memory, for one ingest run.
//! - Nothing here panics, whatever the input.
//!
//! **Why MinHash over word shingles.** A syndicated copy keeps most of the
//! original's word sequences, while two different op-eds on the same topic
//! share topic *words* but almost no four-word *sequences*. The Jaccard
//! similarity of shingle sets captures exactly that, and MinHash estimates it
//! from 128 numbers per article with an error of about ±0.04, so a
//! candidate check is 128 comparisons and the stored signature fits in 258
//! bytes (the low 16 bits of each minimum: [`StoredSignature`]).
//! SimHash would be smaller still, but its Hamming distance tracks cosine
//! similarity of weighted features and is less predictable for partial copies
//! (a truncated copy or an added note moves it unevenly); MinHash's estimate
//! of "share of common shingles" degrades linearly and is easy to reason about.
//!
//! **Normalisation.** Tokens are maximal runs of Unicode alphanumeric
//! characters, lower-cased with Unicode rules, so punctuation, quotes, dashes,
//! case and whitespace never matter and Cyrillic or Greek text works like
//! Latin. Bodies should already be normalised by [`crate::clean`] (NFC).
//!
//! The numbers behind the constants come from
//! `cargo run --release --example dedup_threshold` over the AllSides and
//! Webis corpora (4,623 articles); see each constant.

use std::collections::HashMap;

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Words per shingle.
///
/// Measured over 4,623 articles (10.7 M pairs of different articles) and
/// synthetic copies of each, for k = 3 / 4 / 5 / 6 / 8:
/// - different articles, 99.99th percentile: 0.031 / 0.023 / 0.023 / 0.023 / 0.023;
/// - copies after one edit, 1st percentile: 0.711 / 0.688 / 0.656 / 0.609 / 0.539;
/// - copies after all edits together, median: 0.570 / 0.531 / 0.516 / 0.469 / 0.445.
///
/// Shorter shingles keep copies more similar, longer ones push unrelated
/// articles apart; k = 4 is where unrelated articles already reach the floor
/// and copies lose least.
pub const SHINGLE_WORDS: usize = 4;

/// Number of MinHash functions: the estimate's standard error is
/// `sqrt(J(1-J)/128)`, at most 0.044 (at J = 0.5). Measured: mean error within
/// ±0.011 and RMS 0.020–0.047 against exact Jaccard, the binomial limit.
pub const NUM_HASHES: usize = 128;

/// LSH bands, each of [`ROWS`] consecutive minima (42 × 3 uses 126 of the
/// 128; the last two serve only [`Signature::similarity`]).
///
/// Two signatures of similarity `s` share a band key with probability
/// `1 - (1 - s^ROWS)^BANDS`:
///
/// | s | 0.02 | 0.1 | 0.2 | 0.3 | 0.4 | 0.5 | 0.6 |
/// |---|---|---|---|---|---|---|---|
/// | 42 × 3 | 0.0003 | 0.041 | 0.29 | 0.68 | 0.94 | 0.996 | 1.000 |
/// | 32 × 4 | 0.000005 | 0.003 | 0.05 | 0.23 | 0.56 | 0.87 | 0.99 |
///
/// 32 × 4 would miss one copy in eight right at [`THRESHOLD`]; 42 × 3 misses
/// one in 250, and its extra candidates cost little because unrelated
/// articles sit near 0.02. Measured: 35 candidate pairs among the 10.7 M
/// pairs of different articles (2 verified), about one candidate per
/// synthetic copy, and every copy at or above [`THRESHOLD`] found.
pub const BANDS: usize = 42;

/// Rows (MinHash values) per LSH band.
pub const ROWS: usize = 3;

/// Bodies with fewer words than this get no signature: a short notice or
/// teaser shares too large a share of its few shingles with unrelated text.
pub const MIN_WORDS: usize = 30;

/// Estimated Jaccard similarity at or above which two bodies are the same piece.
///
/// Measured with k = 4 (`examples/dedup_threshold.rs`):
/// - different articles: median 0, 99.999th percentile 0.086 over 10.7 M
///   pairs; the highest pair that is not a copy is 0.438 (two columns by the
///   same author reusing paragraphs), the next 0.305 (shared quotations);
/// - synthetic copies after one edit (first or last paragraph dropped,
///   30-word editor's note, typographic quotes, 3 % of words changed, cut to
///   80 %): medians 0.80–1.0, 1st percentiles 0.56–1.0; the minimum for
///   "3 % of words changed" is 0.523 and for "cut to 80 %" 0.672. Only
///   copies that lose a paragraph holding most of the text fall lower;
/// - all edits at once (a copy keeping about 60 % of the text): median 0.531.
///
/// 0.5 sits between the two, with about one standard error of the estimate
/// (0.044) on either side of the closest cases.
pub const THRESHOLD: f64 = 0.5;

/// The longest shingle [`signature_with_shingle_words`] accepts.
pub const MAX_SHINGLE_WORDS: usize = 16;

/// Version byte of [`Signature::to_bytes`]; bump it when hashing changes so
/// stored signatures from an older build are refused rather than compared.
const FORMAT_VERSION: u8 = 2;

const _: () = assert!(BANDS * ROWS <= NUM_HASHES);

/// Seed of the band-key hash, so band keys never collide with other hashes.
const BAND_SEED: u64 = 0x6f70_6564_6578_0001;

/// Seed of the shingle hash.
const SHINGLE_SEED: u64 = 0x6f70_6564_6578_0002;

/// The multiplier and addend of each MinHash function, from SplitMix64 with
/// a fixed start: computed at compile time, so they never change between
/// builds. Multipliers are odd, so each function is a permutation of `u64`.
const HASH_KEYS: [(u64, u64); NUM_HASHES] = hash_keys();

const fn hash_keys() -> [(u64, u64); NUM_HASHES] {
    let mut keys = [(0u64, 0u64); NUM_HASHES];
    let mut state: u64 = 0x0DED_0BAD_5EED_0001;
    let mut i = 0;
    while i < NUM_HASHES {
        let a = splitmix64(&mut state) | 1;
        let b = splitmix64(&mut state);
        keys[i] = (a, b);
        i += 1;
    }
    keys
}

const fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// MinHash function `i` of a shingle hash: the upper 32 bits of
/// `a·x + b (mod 2^64)` (multiply-shift hashing). The shingle hash `x` is
/// already an xxh3 output, so one multiply-add per function is enough; it is
/// about four times faster than a full mixer, and the example confirms the
/// estimates stay unbiased (mean error ≤ 0.004, RMS at the binomial limit).
#[inline]
fn permute(x: u64, (a, b): (u64, u64)) -> u32 {
    (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32
}

/// A MinHash signature of a body's word shingles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Words per shingle the signature was made with.
    shingle_words: u8,
    /// The minimum of each hash function over all shingles. 32 bits: a chance
    /// equality of two minima is 1 in 4 billion, negligible next to the
    /// estimate's own error, and storage is half that of 64 bits.
    mins: [u32; NUM_HASHES],
}

/// The signature of a body with [`SHINGLE_WORDS`]-word shingles, or `None`
/// when the body has fewer than [`MIN_WORDS`] words.
pub fn signature(body: &str) -> Option<Signature> {
    signature_with_shingle_words(body, SHINGLE_WORDS)
}

/// The signature with `k`-word shingles (clamped to `1..=`[`MAX_SHINGLE_WORDS`]).
///
/// For measurement: only signatures made with the same `k` are comparable,
/// and [`Signature::similarity`] gives 0 for any other pair.
pub fn signature_with_shingle_words(body: &str, k: usize) -> Option<Signature> {
    let k = k.clamp(1, MAX_SHINGLE_WORDS);
    let tokens = token_hashes(body);
    if tokens.len() < MIN_WORDS {
        return None;
    }
    let shingles: Vec<u64> = shingles_of(&tokens, k).collect();
    Some(Signature {
        shingle_words: k as u8,
        mins: min_hashes(&shingles),
    })
}

/// Hash functions [`min_hashes_portable`] runs side by side.
const LANES: usize = 8;

const _: () = assert!(NUM_HASHES.is_multiple_of(LANES));

/// The minimum of each hash function over `shingles` ([`permute`] is the
/// definition), with AVX2 where the processor has it. Whole signatures of
/// 500 AllSides bodies (`cargo bench --bench ingest_stages -- minhash`):
/// 89.7 ms one function at a time for every shingle, 66.0 ms with the
/// portable code below, 34.1 ms with AVX2.
fn min_hashes(shingles: &[u64]) -> [u32; NUM_HASHES] {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2, as checked just above.
        return unsafe { min_hashes_avx2(shingles) };
    }
    min_hashes_portable(shingles)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_hashes_avx2(shingles: &[u64]) -> [u32; NUM_HASHES] {
    min_hashes_portable(shingles)
}

/// Eight functions run side by side over all shingles, their multipliers,
/// addends and minima held in arrays of eight: a shape the compiler turns
/// into vector instructions for whatever the caller enables.
#[inline(always)]
fn min_hashes_portable(shingles: &[u64]) -> [u32; NUM_HASHES] {
    let mut mins = [u32::MAX; NUM_HASHES];
    for (block, keys) in mins
        .chunks_exact_mut(LANES)
        .zip(HASH_KEYS.chunks_exact(LANES))
    {
        let a: [u64; LANES] = std::array::from_fn(|j| keys[j].0);
        let b: [u64; LANES] = std::array::from_fn(|j| keys[j].1);
        let mut lane_mins = [u32::MAX; LANES];
        for &x in shingles {
            for j in 0..LANES {
                lane_mins[j] = lane_mins[j].min(permute(x, (a[j], b[j])));
            }
        }
        block.copy_from_slice(&lane_mins);
    }
    mins
}

/// The hashes of a body's `k`-word shingles, sorted and without repeats: the
/// set whose Jaccard similarity a signature estimates. For tests and
/// measurement.
pub fn shingle_hashes(body: &str, k: usize) -> Vec<u64> {
    let k = k.clamp(1, MAX_SHINGLE_WORDS);
    let mut set: Vec<u64> = shingles_of(&token_hashes(body), k).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// One hash per token: runs of alphanumeric characters, lower-cased.
fn token_hashes(body: &str) -> Vec<u64> {
    let mut hashes = Vec::with_capacity(body.len() / 6);
    let mut lower = String::new();
    crate::analysis::words(body, |token, _| {
        lower.clear();
        if token.is_ascii() {
            lower.push_str(token);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(token.chars().flat_map(char::to_lowercase));
        }
        hashes.push(xxh3_64(lower.as_bytes()));
    });
    hashes
}

/// The hash of every window of `k` consecutive tokens (one shorter shingle
/// when there are fewer than `k` tokens).
fn shingles_of(tokens: &[u64], k: usize) -> impl Iterator<Item = u64> + '_ {
    let k = k.clamp(1, MAX_SHINGLE_WORDS).min(tokens.len().max(1));
    tokens.windows(k).map(move |window| {
        let mut bytes = [0u8; 8 * MAX_SHINGLE_WORDS];
        for (chunk, token) in bytes.chunks_exact_mut(8).zip(window) {
            chunk.copy_from_slice(&token.to_le_bytes());
        }
        xxh3_64_with_seed(&bytes[..8 * window.len()], SHINGLE_SEED)
    })
}

impl Signature {
    /// The estimated Jaccard similarity of the two bodies' shingle sets, in
    /// `0.0..=1.0`; 0 when the signatures were made with different shingle sizes.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let agree = self.mins.iter().zip(&other.mins).map(|(a, b)| a == b);
        share_agreeing(self.shingle_words == other.shingle_words, agree)
    }

    /// Words per shingle this signature was made with.
    pub fn shingle_words(&self) -> usize {
        usize::from(self.shingle_words)
    }

    /// One key per LSH band, such as `b07:1a2b3c4d5e6f7081`: two signatures
    /// at or above [`THRESHOLD`] share at least one key with high probability.
    /// The band number is part of each key's hash seed, so equal rows in
    /// different bands give different keys, and the keys of all bands can
    /// share one index field. Eight bytes a key: as 20-character strings the
    /// keys made up most of a 100,000-article index's term dictionaries.
    pub fn band_keys(&self) -> Vec<u64> {
        self.band_hashes().collect()
    }

    /// The hash of each band, in band order. The band number and the shingle
    /// size are part of the seed, so equal rows in different bands never
    /// collide.
    fn band_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.mins
            .chunks_exact(ROWS)
            .take(BANDS)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = [0u8; 4 * ROWS];
                for (chunk, row) in bytes.chunks_exact_mut(4).zip(rows) {
                    chunk.copy_from_slice(&row.to_le_bytes());
                }
                let seed = BAND_SEED ^ ((band as u64) << 8) ^ u64::from(self.shingle_words);
                xxh3_64_with_seed(&bytes, seed)
            })
    }

    /// What the index stores of this signature ([`StoredSignature`]).
    pub fn stored(&self) -> StoredSignature {
        StoredSignature {
            shingle_words: self.shingle_words,
            mins: self.mins.map(|m| m as u16),
        }
    }

    /// A compact, stable byte form for storing in an index: a format version
    /// byte, the shingle size, then the low 16 bits of each minimum as
    /// little-endian `u16`s (258 bytes); read back with
    /// [`StoredSignature::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 + 2 * NUM_HASHES);
        out.push(FORMAT_VERSION);
        out.push(self.shingle_words);
        for m in &self.mins {
            out.extend_from_slice(&(*m as u16).to_le_bytes());
        }
        out
    }
}

/// The share of the minima that agree: the Jaccard estimate of two
/// signatures, 0 when they were made with different shingle sizes.
fn share_agreeing(same_shingles: bool, agree: impl Iterator<Item = bool>) -> f64 {
    if !same_shingles {
        return 0.0;
    }
    agree.filter(|a| *a).count() as f64 / NUM_HASHES as f64
}

/// A signature as the index stores it: the low 16 bits of each minimum
/// ("b-bit MinHash"). It verifies a candidate against a full [`Signature`];
/// it cannot make band keys, which are indexed separately. Two minima that
/// differ agree in their low 16 bits one time in 65,536, so an estimate
/// rises by at most (1 − J) / 65,536 on average: nothing at the 0.5
/// threshold. Half the bytes of 32-bit minima: at 100,000 articles the
/// signatures were 51 of the index's 906 MB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignature {
    shingle_words: u8,
    mins: [u16; NUM_HASHES],
}

impl StoredSignature {
    /// The estimated Jaccard similarity with `other`, compared on the low
    /// 16 bits of each minimum; 0 for another shingle size.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let agree = self
            .mins
            .iter()
            .zip(&other.mins)
            .map(|(a, b)| *a == *b as u16);
        share_agreeing(self.shingle_words == other.shingle_words, agree)
    }

    /// Reads [`Signature::to_bytes`] output back; `None` for anything else,
    /// including signatures from a build with another format version.
    pub fn from_bytes(bytes: &[u8]) -> Option<StoredSignature> {
        let (&version, rest) = bytes.split_first()?;
        let (&shingle_words, rest) = rest.split_first()?;
        if version != FORMAT_VERSION
            || !(1..=MAX_SHINGLE_WORDS).contains(&usize::from(shingle_words))
            || rest.len() != 2 * NUM_HASHES
        {
            return None;
        }
        let mut mins = [0u16; NUM_HASHES];
        for (m, chunk) in mins.iter_mut().zip(rest.chunks_exact(2)) {
            *m = u16::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(StoredSignature {
            shingle_words,
            mins,
        })
    }
}

/// A near-duplicate found by [`DedupIndex::matches`].
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'a> {
    /// The id the earlier signature was inserted with.
    pub id: &'a str,
    /// Estimated Jaccard similarity, at least [`THRESHOLD`].
    pub similarity: f64,
}

/// An in-memory LSH index of signatures, for finding copies within one
/// ingest run. Candidates come from shared band keys and are then verified
/// with [`Signature::similarity`], so a lookup costs [`BANDS`] hash-map
/// probes plus 128 comparisons per candidate.
///
/// Memory is about 1.4 KB an entry: the signature, the id, and per band one
/// map entry and one link (most buckets hold one entry, so a `Vec` per
/// bucket would cost more than twice that).
#[derive(Debug, Default)]
pub struct DedupIndex {
    entries: Vec<(String, Signature)>,
    /// Band hash → the newest link holding it.
    heads: HashMap<u64, u32>,
    /// (entry slot, previous link with the same band hash or [`NO_LINK`]).
    links: Vec<(u32, u32)>,
}

/// End of a bucket's chain of links.
const NO_LINK: u32 = u32::MAX;

impl DedupIndex {
    /// An empty index.
    pub fn new() -> DedupIndex {
        DedupIndex::default()
    }

    /// Number of signatures inserted.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a signature under `id`. Ids need not be unique; each insert is
    /// its own entry.
    pub fn insert(&mut self, id: impl Into<String>, signature: Signature) {
        // Links are u32: past about 100 million entries (never reached
        // between two commits) further entries are simply not indexed.
        let (Ok(slot), true) = (
            u32::try_from(self.entries.len()),
            self.links.len() + BANDS < NO_LINK as usize,
        ) else {
            return;
        };
        for hash in signature.band_hashes() {
            let link = self.links.len() as u32;
            let previous = self.heads.insert(hash, link).unwrap_or(NO_LINK);
            self.links.push((slot, previous));
        }
        self.entries.push((id.into(), signature));
    }

    /// Every inserted signature at or above [`THRESHOLD`], most similar first
    /// (ties in insertion order).
    pub fn matches(&self, signature: &Signature) -> Vec<Match<'_>> {
        self.matches_above(signature, THRESHOLD)
    }

    /// Like [`DedupIndex::matches`] with another threshold (for measurement).
    /// Pairs far below [`THRESHOLD`] rarely share a band, so a low threshold
    /// does not find all of them.
    pub fn matches_above(&self, signature: &Signature, threshold: f64) -> Vec<Match<'_>> {
        let mut found: Vec<Match<'_>> = self
            .candidate_slots(signature)
            .into_iter()
            .filter_map(|slot| {
                let (id, other) = self.entries.get(slot)?;
                let similarity = signature.similarity(other);
                (similarity >= threshold).then_some(Match {
                    id: id.as_str(),
                    similarity,
                })
            })
            .collect();
        found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        found
    }

    /// The most similar inserted signature at or above [`THRESHOLD`], if any.
    pub fn best_match(&self, signature: &Signature) -> Option<Match<'_>> {
        self.matches(signature).into_iter().next()
    }

    /// How many inserted signatures share at least one band with `signature`
    /// (before verification; for measurement).
    pub fn candidate_count(&self, signature: &Signature) -> usize {
        self.candidate_slots(signature).len()
    }

    /// Entries sharing at least one band with `signature`, each once.
    fn candidate_slots(&self, signature: &Signature) -> Vec<usize> {
        let mut slots: Vec<usize> = Vec::new();
        for hash in signature.band_hashes() {
            let mut link = self.heads.get(&hash).copied().unwrap_or(NO_LINK);
            while let Some(&(slot, previous)) = self.links.get(link as usize) {
                slots.push(slot as usize);
                link = previous;
            }
        }
        slots.sort_unstable();
        slots.dedup();
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn min_hashes_are_each_functions_minimum(
            shingles in proptest::collection::vec(proptest::num::u64::ANY, 0..300),
        ) {
            // Whichever path this processor takes, and the portable one.
            for mins in [min_hashes(&shingles), min_hashes_portable(&shingles)] {
                for (i, &key) in HASH_KEYS.iter().enumerate() {
                    let want = shingles.iter().map(|&x| permute(x, key)).min().unwrap_or(u32::MAX);
                    proptest::prop_assert_eq!(mins[i], want, "function {}", i);
                }
            }
        }
    }

    /// An op-ed of about 230 words in five paragraphs.
    const OPED: &str = "The city council's decision to close the public library on Sundays is a false economy. It saves a few thousand dollars a year, but it takes the one free, warm and quiet place away from the people who need it most.\n\n\
Consider who uses the library on a Sunday afternoon. Students who share a crowded apartment come to finish their homework. Job seekers use the computers to fill in applications that no employer accepts on paper any more. Retirees read the newspapers they can no longer afford to buy.\n\n\
The council says the budget leaves no choice. Yet the same budget found money for a new parking garage downtown, a project whose benefits flow mostly to commuters who do not live here. Priorities are choices, and this one is wrong.\n\n\
There are better ways to save. The library could share its building with the adult education program, cutting heating costs. Volunteers from the Friends of the Library have offered to staff the front desk. Neither idea has even been discussed in public.\n\n\
The council should reverse the closure before it takes effect next month. A city that cannot keep its library open on the one day most residents are free has stopped investing in its own future.";

    /// A different op-ed on the same topic, sharing many of its words.
    const OTHER_OPED: &str = "Our public library deserves a council that plans ahead rather than lurching from one budget crisis to the next. This year the council chose to close the library on Sundays; next year it may be Saturdays too.\n\n\
The problem is not money alone. The library budget has been flat for a decade while the population it serves grew by a fifth. Students, retirees and job seekers compete for the same few computers and reading tables every afternoon.\n\n\
A long-term plan would fix that. The city should commit to a library levy that voters can approve, publish a five-year schedule of opening hours, and stop treating the library as the first line to cut whenever downtown projects run over. Residents who rely on the library on weekends would then know where they stand, and the council would be held to its word.";

    /// A syndicated copy of [`OPED`]: an editor's note on top, the last
    /// paragraph dropped, typographic quotes and dashes, some capitals.
    fn syndicated_copy() -> String {
        let mut paragraphs: Vec<&str> = OPED.split("\n\n").collect();
        paragraphs.pop();
        let body = paragraphs
            .join("\n\n")
            .replace("council's", "council\u{2019}s")
            .replace(", but it", " \u{2014} but it")
            .replace("Consider", "CONSIDER")
            .replace("The council says", "\u{201c}The council says\u{201d}");
        format!("Editor\u{2019}s note: this column first ran in the Riverside Courier and is republished with permission.\n\n{body}")
    }

    #[test]
    fn identical_bodies_are_fully_similar() {
        let a = signature(OPED).unwrap();
        let b = signature(OPED).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.similarity(&b), 1.0);
    }

    #[test]
    fn syndicated_copy_reaches_the_threshold() {
        let a = signature(OPED).unwrap();
        let b = signature(&syndicated_copy()).unwrap();
        let s = a.similarity(&b);
        assert!(s >= THRESHOLD, "similarity {s} below {THRESHOLD}");
    }

    #[test]
    fn punctuation_and_case_do_not_matter() {
        let plain = OPED.to_lowercase().replace(['\'', ',', '.'], " ");
        let a = signature(OPED).unwrap();
        let b = signature(&plain).unwrap();
        assert_eq!(a.similarity(&b), 1.0);
    }

    #[test]
    fn different_oped_on_the_same_topic_is_far_below() {
        let a = signature(OPED).unwrap();
        let b = signature(OTHER_OPED).unwrap();
        let s = a.similarity(&b);
        assert!(s < THRESHOLD / 3.0, "similarity {s}");
        assert!(!a.band_keys().iter().any(|key| b.band_keys().contains(key)));
    }

    #[test]
    fn short_bodies_have_no_signature() {
        assert_eq!(signature(""), None);
        assert_eq!(signature("—  …  «»"), None);
        assert_eq!(signature("Too short to say anything about copies."), None);
        let words_29 = vec!["word"; MIN_WORDS - 1].join(" ");
        assert_eq!(signature(&words_29), None);
        let words_30 = vec!["word"; MIN_WORDS].join(" ");
        assert!(signature(&words_30).is_some());
    }

    #[test]
    fn russian_text_is_tokenised() {
        let text = "Переговоры о мирном договоре шли десятилетиями, но острова так и остались \
                    предметом спора. Стороны обменивались нотами, визитами и обещаниями, однако \
                    каждая новая встреча заканчивалась заявлением о намерении продолжить диалог. \
                    Экономическое сотрудничество могло бы стать мостом, если бы политики решились \
                    отделить его от вопроса о суверенитете.";
        let a = signature(text).unwrap();
        let b = signature(&text.to_uppercase().replace(',', " ,")).unwrap();
        assert_eq!(a.similarity(&b), 1.0);
        assert!(a.similarity(&signature(OPED).unwrap()) < 0.05);
    }

    #[test]
    fn bytes_round_trip_and_garbage_is_refused() {
        let a = signature(OPED).unwrap();
        let bytes = a.to_bytes();
        assert_eq!(bytes.len(), 2 + 2 * NUM_HASHES);
        let stored = StoredSignature::from_bytes(&bytes).unwrap();
        assert_eq!(stored, a.stored());
        assert_eq!(stored.similarity(&a), 1.0);
        assert_eq!(StoredSignature::from_bytes(&[]), None);
        assert_eq!(StoredSignature::from_bytes(&bytes[..bytes.len() - 1]), None);
        let mut wrong_version = bytes.clone();
        wrong_version[0] = FORMAT_VERSION + 1;
        assert_eq!(StoredSignature::from_bytes(&wrong_version), None);
        let mut wrong_k = bytes;
        wrong_k[1] = 0;
        assert_eq!(StoredSignature::from_bytes(&wrong_k), None);
    }

    #[test]
    fn stored_signatures_estimate_like_full_ones() {
        let a = signature(OPED).unwrap();
        let edited = OPED.replace("Sundays", "Saturdays and Sundays");
        let b = signature(&edited).unwrap();
        let c = signature(OTHER_OPED).unwrap();
        for (x, y) in [(&a, &b), (&a, &c), (&b, &c)] {
            let full = x.similarity(y);
            let stored = x.stored().similarity(y);
            // Equal minima stay equal; unequal ones collide 1 in 65,536.
            assert!(stored >= full && stored - full <= 2.0 / NUM_HASHES as f64);
        }
        let other_k = signature_with_shingle_words(OPED, 3).unwrap();
        assert_eq!(a.stored().similarity(&other_k), 0.0);
    }

    #[test]
    fn band_keys_of_near_duplicates_intersect() {
        let a = signature(OPED).unwrap().band_keys();
        let b = signature(&syndicated_copy()).unwrap().band_keys();
        assert_eq!(a.len(), BANDS);
        let distinct: std::collections::HashSet<_> = a.iter().collect();
        assert_eq!(distinct.len(), BANDS);
        assert!(a.iter().any(|key| b.contains(key)));
    }

    #[test]
    fn different_shingle_sizes_are_not_comparable() {
        let a = signature_with_shingle_words(OPED, 3).unwrap();
        let b = signature_with_shingle_words(OPED, 5).unwrap();
        assert_eq!(a.similarity(&b), 0.0);
        assert!(!a.band_keys().iter().any(|key| b.band_keys().contains(key)));
    }

    #[test]
    fn estimate_tracks_exact_jaccard() {
        let copy = syndicated_copy();
        let x = shingle_hashes(OPED, SHINGLE_WORDS);
        let y = shingle_hashes(&copy, SHINGLE_WORDS);
        let common = x.iter().filter(|h| y.binary_search(h).is_ok()).count();
        let exact = common as f64 / (x.len() + y.len() - common) as f64;
        let estimate = signature(OPED)
            .unwrap()
            .similarity(&signature(&copy).unwrap());
        // Four standard errors of a 128-hash estimate.
        assert!((estimate - exact).abs() < 0.18, "{estimate} vs {exact}");
    }

    #[test]
    fn every_entry_sharing_a_band_is_a_candidate_once() {
        // Identical signatures share all 42 band hashes: each bucket chains
        // three links, and every entry must come back once, oldest first on ties.
        let mut index = DedupIndex::new();
        for id in ["a", "b", "c"] {
            index.insert(id, signature(OPED).unwrap());
        }
        index.insert("other", signature(OTHER_OPED).unwrap());
        let sig = signature(OPED).unwrap();
        assert_eq!(index.candidate_count(&sig), 3);
        let ids: Vec<&str> = index.matches(&sig).iter().map(|m| m.id).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn index_finds_the_copy_and_not_the_other() {
        let mut index = DedupIndex::new();
        assert!(index.is_empty());
        index.insert("original", signature(OPED).unwrap());
        index.insert("other", signature(OTHER_OPED).unwrap());
        assert_eq!(index.len(), 2);
        let found = index.matches(&signature(&syndicated_copy()).unwrap());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "original");
        assert!(found[0].similarity >= THRESHOLD);
        assert_eq!(
            index
                .best_match(&signature(OTHER_OPED).unwrap())
                .map(|m| m.id),
            Some("other")
        );
    }
}
