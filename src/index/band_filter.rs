//! The writer's filter of the band keys of committed and newly written
//! articles: most articles have no syndicated copy, and the filter tells
//! the writer so without a term lookup per band and segment.

use tantivy::Searcher;

use crate::dedup::Signature;
use crate::error::Result;

/// Bits of filter per band key: with [`BAND_PROBES`] probes, about one false
/// "maybe" in 2,000 keys, so a committed search runs for ~2 % of the articles
/// that have no copy.
const BAND_BITS_PER_KEY: usize = 16;
const BAND_PROBES: u64 = 11;
/// Keys the first layer of a new filter is sized for.
const BAND_MIN_KEYS: usize = 1 << 20;

/// A Bloom filter of band keys that grows by adding layers twice as large
/// (a scalable Bloom filter): 2 bytes a key, so 8 MB per 100,000 articles,
/// where a hash set of the keys would take ten times as much.
pub(super) struct BandFilter {
    layers: Vec<BloomLayer>,
}

struct BloomLayer {
    bits: Vec<u64>,
    mask: u64,
    capacity: usize,
    len: usize,
}

impl BloomLayer {
    fn new(capacity: usize) -> Self {
        let nbits = (capacity * BAND_BITS_PER_KEY).next_power_of_two();
        BloomLayer {
            bits: vec![0; nbits / 64],
            mask: nbits as u64 - 1,
            capacity,
            len: 0,
        }
    }

    fn probes(&self, key: u64) -> impl Iterator<Item = u64> + '_ {
        let h = xxhash_rust::xxh3::xxh3_128(&key.to_le_bytes());
        let (a, b) = (h as u64, (h >> 64) as u64 | 1);
        (0..BAND_PROBES).map(move |i| a.wrapping_add(i.wrapping_mul(b)) & self.mask)
    }

    fn insert(&mut self, key: u64) {
        let probes: Vec<u64> = self.probes(key).collect();
        for bit in probes {
            self.bits[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
        self.len += 1;
    }

    fn contains(&self, key: u64) -> bool {
        self.probes(key)
            .all(|bit| self.bits[(bit >> 6) as usize] & (1 << (bit & 63)) != 0)
    }
}

impl BandFilter {
    fn with_capacity(keys: usize) -> Self {
        BandFilter {
            layers: vec![BloomLayer::new(keys.max(BAND_MIN_KEYS))],
        }
    }

    fn insert(&mut self, key: u64) {
        let last = self.layers.last().expect("a filter has a layer");
        if last.len >= last.capacity {
            let next = BloomLayer::new(last.capacity * 2);
            self.layers.push(next);
        }
        self.layers
            .last_mut()
            .expect("a filter has a layer")
            .insert(key);
    }

    pub(super) fn insert_all(&mut self, sig: &Signature) {
        for key in sig.band_keys() {
            self.insert(key);
        }
    }

    pub(super) fn contains(&self, key: u64) -> bool {
        self.layers.iter().any(|l| l.contains(key))
    }
}

/// Fills a filter with the band keys in the committed term dictionaries
/// (streamed, no documents loaded). Keys of deleted articles stay in it,
/// which only costs a search that finds nothing.
pub(super) fn committed_bands(
    searcher: &Searcher,
    field: tantivy::schema::Field,
) -> Result<BandFilter> {
    let mut total = 0;
    let mut dicts = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        total += inverted.terms().num_terms();
        dicts.push(inverted);
    }
    let mut filter = BandFilter::with_capacity(total + total / 4);
    for inverted in dicts {
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            // A u64 term is its value's eight big-endian bytes.
            if let Ok(bytes) = <[u8; 8]>::try_from(stream.key()) {
                filter.insert(u64::from_be_bytes(bytes));
            }
        }
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_filter_never_forgets_and_rarely_invents() {
        let mut f = BandFilter {
            layers: vec![BloomLayer::new(1000)],
        };
        let keys: Vec<u64> = (0..5000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for &k in &keys {
            f.insert(k);
        }
        assert!(f.layers.len() > 1, "the filter grew");
        assert!(keys.iter().all(|&k| f.contains(k)));
        let false_hits = (5000..15_000u64)
            .filter(|i| f.contains(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .count();
        assert!(false_hits < 50, "{false_hits} false hits in 10,000");
    }
}
