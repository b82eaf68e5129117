//! The vector file's layout: reading it through a memory map, writing it
//! whole.
//!
//! ```text
//! magic "OPDXVECS" | format u32 | header length u32 | header (JSON)  then, each 8-aligned:
//! id hashes   u64 × A   xxh3-64 of each article id, ascending (ties by id)
//! contents    u64 × A   the content hash of the article version embedded
//! firsts      u32 × A+1 article a owns vectors firsts[a]..firsts[a+1]
//! id offsets  u32 × A+1 article a's id is ids[off[a]..off[a+1]]
//! ids         bytes     the ids, UTF-8
//! passages    u32 × V   the passage each vector's text starts at
//! text hashes u64 × V   xxh3-64 of each vector's text (to reuse, not re-embed)
//! scales      f32 × V   vector ≈ scale × codes
//! codes       i8  × V×D int8 components
//! bits        u8  × V×⌈D/8⌉ sign bits, for a quick first pass
//! ```
//! All numbers are little-endian. The file's length must be exactly what the
//! header's counts give, which catches a file cut short.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};

use super::{VectorError, FORMAT};

const MAGIC: &[u8; 8] = b"OPDXVECS";

/// The file's own description, as JSON after the magic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT`] of the writer.
    pub format: u32,
    /// The index schema version it was written for.
    pub schema: u32,
    /// Model hash.
    pub model: String,
    /// Model name.
    pub model_name: String,
    /// Vector length.
    pub dims: usize,
    /// What was embedded.
    pub units: String,
    /// Articles.
    pub articles: usize,
    /// Vectors.
    pub vectors: usize,
    /// Bytes of ids.
    pub id_bytes: usize,
}

/// Where each section starts, from the header's counts.
#[derive(Debug, Clone, Copy)]
struct Layout {
    id_hashes: usize,
    contents: usize,
    firsts: usize,
    id_offsets: usize,
    ids: usize,
    passages: usize,
    text_hashes: usize,
    scales: usize,
    codes: usize,
    bits: usize,
    end: usize,
}

fn align(n: usize) -> usize {
    n.div_ceil(8) * 8
}

impl Layout {
    fn of(start: usize, h: &Header) -> Layout {
        let (a, v) = (h.articles, h.vectors);
        let id_hashes = align(start);
        let contents = id_hashes + 8 * a;
        let firsts = contents + 8 * a;
        let id_offsets = align(firsts + 4 * (a + 1));
        let ids = align(id_offsets + 4 * (a + 1));
        let passages = align(ids + h.id_bytes);
        let text_hashes = align(passages + 4 * v);
        let scales = text_hashes + 8 * v;
        let codes = align(scales + 4 * v);
        let bits = align(codes + v * h.dims);
        let end = align(bits + v * h.dims.div_ceil(8));
        Layout {
            id_hashes,
            contents,
            firsts,
            id_offsets,
            ids,
            passages,
            text_hashes,
            scales,
            codes,
            bits,
            end,
        }
    }
}

/// A vector and its int8 form.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantised {
    /// The vector is about `scale × codes`.
    pub scale: f32,
    /// Components, each in −127..=127.
    pub codes: Vec<i8>,
}

/// Symmetric int8 quantisation: the largest component becomes ±127.
pub fn quantise(v: &[f32]) -> Quantised {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let codes = v
        .iter()
        .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    Quantised { scale, codes }
}

/// The sign bits of `codes` (bit set for ≥ 0), 8 components a byte.
pub fn sign_bits(codes: &[i8]) -> Vec<u8> {
    codes
        .chunks(8)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u8, |b, (i, &x)| if x >= 0 { b | (1 << i) } else { b })
        })
        .collect()
}

/// An open vector file.
pub struct VectorFile {
    map: Mmap,
    /// Its header.
    pub header: Header,
    layout: Layout,
    /// Where it is.
    pub path: PathBuf,
}

/// xxh3-64 of an article id, the file's sort key.
pub fn id_hash(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

impl VectorFile {
    /// Opens and checks the vector file `name` of the index in `dir`.
    pub fn open(dir: &Path, name: &str, schema: u32) -> Result<VectorFile, VectorError> {
        let path = dir.join(name);
        let unusable = |reason: String| VectorError::Unusable {
            index: dir.to_path_buf(),
            file: path.clone(),
            reason,
        };
        let file = File::open(&path).map_err(|e| unusable(e.to_string()))?;
        // SAFETY: vector files are never changed once renamed into place
        // (a new commit writes a new file), so the mapping does not change
        // under us.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| unusable(e.to_string()))?;
        if map.len() < 16 || &map[..8] != MAGIC {
            return Err(unusable("not an opedex vector file".into()));
        }
        let format = u32::from_le_bytes(map[8..12].try_into().expect("4 bytes"));
        if format != FORMAT {
            return Err(unusable(format!(
                "vector file format {format}, this opedex reads format {FORMAT}"
            )));
        }
        let len = u32::from_le_bytes(map[12..16].try_into().expect("4 bytes")) as usize;
        let header: Header = map
            .get(16..16 + len)
            .ok_or_else(|| unusable("cut short".into()))
            .and_then(|h| serde_json::from_slice(h).map_err(|e| unusable(e.to_string())))?;
        if header.schema != schema {
            return Err(unusable(format!(
                "written for index schema {}, this index has schema {schema}",
                header.schema
            )));
        }
        let layout = Layout::of(16 + len, &header);
        if map.len() != layout.end {
            return Err(unusable(format!(
                "{} bytes where its header needs {}: cut short or damaged",
                map.len(),
                layout.end
            )));
        }
        Ok(VectorFile {
            map,
            header,
            layout,
            path,
        })
    }

    fn u64_at(&self, section: usize, i: usize) -> u64 {
        let at = section + 8 * i;
        u64::from_le_bytes(self.map[at..at + 8].try_into().expect("8 bytes"))
    }

    fn u32_at(&self, section: usize, i: usize) -> u32 {
        let at = section + 4 * i;
        u32::from_le_bytes(self.map[at..at + 4].try_into().expect("4 bytes"))
    }

    /// Number of articles.
    pub fn articles(&self) -> usize {
        self.header.articles
    }

    /// Number of vectors.
    pub fn vectors(&self) -> usize {
        self.header.vectors
    }

    /// Vector length.
    pub fn dims(&self) -> usize {
        self.header.dims
    }

    /// The id of article `a`.
    pub fn id(&self, a: usize) -> &str {
        let (from, to) = (
            self.u32_at(self.layout.id_offsets, a) as usize,
            self.u32_at(self.layout.id_offsets, a + 1) as usize,
        );
        let bytes = &self.map[self.layout.ids + from..self.layout.ids + to];
        std::str::from_utf8(bytes).unwrap_or("")
    }

    /// The id hash of article `a` (the sort key).
    pub fn id_hash(&self, a: usize) -> u64 {
        self.u64_at(self.layout.id_hashes, a)
    }

    /// The content hash of the version of article `a` that was embedded.
    pub fn content_hash(&self, a: usize) -> u64 {
        self.u64_at(self.layout.contents, a)
    }

    /// The vectors of article `a`.
    pub fn vectors_of(&self, a: usize) -> std::ops::Range<usize> {
        self.u32_at(self.layout.firsts, a) as usize..self.u32_at(self.layout.firsts, a + 1) as usize
    }

    /// The article with this id, if it has vectors.
    pub fn find(&self, id: &str) -> Option<usize> {
        let h = id_hash(id);
        let (mut lo, mut hi) = (0, self.articles());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.id_hash(mid) < h {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..self.articles())
            .take_while(|&a| self.id_hash(a) == h)
            .find(|&a| self.id(a) == id)
    }

    /// The passage vector `v`'s text starts at.
    pub fn passage(&self, v: usize) -> u32 {
        self.u32_at(self.layout.passages, v)
    }

    /// The hash of vector `v`'s text.
    pub fn text_hash(&self, v: usize) -> u64 {
        self.u64_at(self.layout.text_hashes, v)
    }

    /// Vector `v`'s scale.
    pub fn scale(&self, v: usize) -> f32 {
        let at = self.layout.scales + 4 * v;
        f32::from_le_bytes(self.map[at..at + 4].try_into().expect("4 bytes"))
    }

    /// All int8 codes, vector after vector (as bytes: cast each to `i8`).
    pub fn all_codes(&self) -> &[u8] {
        let n = self.vectors() * self.dims();
        &self.map[self.layout.codes..self.layout.codes + n]
    }

    /// All sign bits, vector after vector, ⌈D/8⌉ bytes each.
    pub fn all_bits(&self) -> &[u8] {
        let n = self.vectors() * self.dims().div_ceil(8);
        &self.map[self.layout.bits..self.layout.bits + n]
    }

    /// Vector `v` as int8 codes and scale.
    pub fn quantised(&self, v: usize) -> Quantised {
        let d = self.dims();
        Quantised {
            scale: self.scale(v),
            codes: self.all_codes()[v * d..(v + 1) * d]
                .iter()
                .map(|&b| b as i8)
                .collect(),
        }
    }
}

/// One vector to write.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredVector {
    /// The passage its text starts at.
    pub passage: u32,
    /// The hash of its text.
    pub text_hash: u64,
    /// The vector.
    pub q: Quantised,
}

/// An article's entry, to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleEntry {
    /// The article id.
    pub id: String,
    /// Its content hash.
    pub content_hash: u64,
    /// Its vectors.
    pub vectors: Vec<StoredVector>,
}

/// Where an entry of a new file comes from.
pub enum Source<'a> {
    /// Article `a` of the previous file, as it stands.
    Kept(&'a VectorFile, usize),
    /// A new entry.
    New(&'a ArticleEntry),
}

impl Source<'_> {
    fn id(&self) -> &str {
        match self {
            Source::Kept(f, a) => f.id(*a),
            Source::New(e) => &e.id,
        }
    }
}

/// Writes a vector file of `entries` (in any order) to `path`, syncs it and
/// returns its header. `header` gives the model and units; its counts are
/// filled in here.
pub fn write(
    path: &Path,
    mut header: Header,
    mut entries: Vec<Source<'_>>,
) -> std::io::Result<Header> {
    entries.sort_by(|a, b| (id_hash(a.id()), a.id()).cmp(&(id_hash(b.id()), b.id())));
    let count = |s: &Source<'_>| match s {
        Source::Kept(f, a) => f.vectors_of(*a).len(),
        Source::New(e) => e.vectors.len(),
    };
    header.format = FORMAT;
    header.articles = entries.len();
    header.vectors = entries.iter().map(count).sum();
    header.id_bytes = entries.iter().map(|s| s.id().len()).sum();
    let json = serde_json::to_vec(&header)?;
    let layout = Layout::of(16 + json.len(), &header);
    let mut out = Padded::new(BufWriter::with_capacity(1 << 20, File::create(path)?));
    out.put(MAGIC)?;
    out.put(&FORMAT.to_le_bytes())?;
    out.put(&(json.len() as u32).to_le_bytes())?;
    out.put(&json)?;
    write_articles(&mut out, &layout, &entries, count)?;
    write_vectors(&mut out, &layout, &header, &entries)?;
    out.pad_to(layout.end)?;
    let file = out.inner.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(header)
}

fn write_articles<W: Write>(
    out: &mut Padded<W>,
    layout: &Layout,
    entries: &[Source<'_>],
    count: impl Fn(&Source<'_>) -> usize,
) -> std::io::Result<()> {
    out.pad_to(layout.id_hashes)?;
    for s in entries {
        out.put(&id_hash(s.id()).to_le_bytes())?;
    }
    for s in entries {
        let h = match s {
            Source::Kept(f, a) => f.content_hash(*a),
            Source::New(e) => e.content_hash,
        };
        out.put(&h.to_le_bytes())?;
    }
    let mut first = 0u32;
    for s in entries {
        out.put(&first.to_le_bytes())?;
        first += count(s) as u32;
    }
    out.put(&first.to_le_bytes())?;
    out.pad_to(layout.id_offsets)?;
    let mut offset = 0u32;
    for s in entries {
        out.put(&offset.to_le_bytes())?;
        offset += s.id().len() as u32;
    }
    out.put(&offset.to_le_bytes())?;
    out.pad_to(layout.ids)?;
    for s in entries {
        out.put(s.id().as_bytes())?;
    }
    Ok(())
}

fn write_vectors<W: Write>(
    out: &mut Padded<W>,
    layout: &Layout,
    header: &Header,
    entries: &[Source<'_>],
) -> std::io::Result<()> {
    // Each section in turn, every vector of every entry in entry order.
    let each = |out: &mut Padded<W>,
                f: &dyn Fn(&mut Padded<W>, Vector<'_>) -> std::io::Result<()>|
     -> std::io::Result<()> {
        for s in entries {
            match s {
                Source::Kept(file, a) => {
                    for v in file.vectors_of(*a) {
                        f(out, Vector::Kept(file, v))?;
                    }
                }
                Source::New(e) => {
                    for v in &e.vectors {
                        f(out, Vector::New(v))?;
                    }
                }
            }
        }
        Ok(())
    };
    out.pad_to(layout.passages)?;
    each(out, &|o, v| o.put(&v.passage().to_le_bytes()))?;
    out.pad_to(layout.text_hashes)?;
    each(out, &|o, v| o.put(&v.text_hash().to_le_bytes()))?;
    out.pad_to(layout.scales)?;
    each(out, &|o, v| o.put(&v.scale().to_le_bytes()))?;
    out.pad_to(layout.codes)?;
    let d = header.dims;
    each(out, &|o, v| o.put(&v.codes(d)))?;
    out.pad_to(layout.bits)?;
    each(out, &|o, v| {
        o.put(&sign_bits(
            &v.codes(d).iter().map(|&b| b as i8).collect::<Vec<_>>(),
        ))
    })?;
    Ok(())
}

/// One vector of a [`Source`].
enum Vector<'a> {
    Kept(&'a VectorFile, usize),
    New(&'a StoredVector),
}

impl Vector<'_> {
    fn passage(&self) -> u32 {
        match self {
            Vector::Kept(f, v) => f.passage(*v),
            Vector::New(s) => s.passage,
        }
    }
    fn text_hash(&self) -> u64 {
        match self {
            Vector::Kept(f, v) => f.text_hash(*v),
            Vector::New(s) => s.text_hash,
        }
    }
    fn scale(&self) -> f32 {
        match self {
            Vector::Kept(f, v) => f.scale(*v),
            Vector::New(s) => s.q.scale,
        }
    }
    fn codes(&self, d: usize) -> Vec<u8> {
        match self {
            Vector::Kept(f, v) => f.all_codes()[v * d..(v + 1) * d].to_vec(),
            Vector::New(s) => s.q.codes.iter().map(|&c| c as u8).collect(),
        }
    }
}

/// A writer that counts its bytes and pads with zeros to a section start.
struct Padded<W: Write> {
    inner: W,
    at: usize,
}

impl<W: Write> Padded<W> {
    fn new(inner: W) -> Self {
        Padded { inner, at: 0 }
    }
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.at += bytes.len();
        self.inner.write_all(bytes)
    }
    fn pad_to(&mut self, at: usize) -> std::io::Result<()> {
        debug_assert!(at >= self.at, "sections are written in order");
        let zeros = vec![0u8; at.saturating_sub(self.at)];
        self.put(&zeros)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, hash: u64, vectors: &[&[f32]]) -> ArticleEntry {
        ArticleEntry {
            id: id.into(),
            content_hash: hash,
            vectors: vectors
                .iter()
                .enumerate()
                .map(|(i, v)| StoredVector {
                    passage: i as u32,
                    text_hash: 100 + i as u64,
                    q: quantise(v),
                })
                .collect(),
        }
    }

    fn header() -> Header {
        Header {
            format: FORMAT,
            schema: 5,
            model: "m".into(),
            model_name: "tiny".into(),
            dims: 3,
            units: "opening".into(),
            articles: 0,
            vectors: 0,
            id_bytes: 0,
        }
    }

    #[test]
    fn writes_and_reads_back_and_keeps_entries() {
        let dir = tempfile::tempdir().unwrap();
        let a = entry("alpha", 1, &[&[0.6, -0.8, 0.0]]);
        let b = entry("beta", 2, &[&[1.0, 0.0, 0.0], &[0.0, 0.0, -1.0]]);
        let h = write(
            &dir.path().join("v1"),
            header(),
            vec![Source::New(&a), Source::New(&b)],
        )
        .unwrap();
        assert_eq!((h.articles, h.vectors), (2, 3));
        let f = VectorFile::open(dir.path(), "v1", 5).unwrap();
        let beta = f.find("beta").unwrap();
        assert_eq!(f.content_hash(beta), 2);
        assert_eq!(f.vectors_of(beta).len(), 2);
        let v = f.vectors_of(beta).start + 1;
        assert_eq!(f.passage(v), 1);
        assert_eq!(f.quantised(v).codes, vec![0, 0, -127]);
        assert!(f.find("gamma").is_none());
        // A second file keeps one entry of the first and adds another.
        let c = entry("gamma", 3, &[&[0.0, 1.0, 0.0]]);
        let alpha = f.find("alpha").unwrap();
        write(
            &dir.path().join("v2"),
            header(),
            vec![Source::New(&c), Source::Kept(&f, alpha)],
        )
        .unwrap();
        let g = VectorFile::open(dir.path(), "v2", 5).unwrap();
        assert_eq!(g.articles(), 2);
        let alpha2 = g.find("alpha").unwrap();
        assert_eq!(
            g.quantised(g.vectors_of(alpha2).start),
            f.quantised(f.vectors_of(alpha).start)
        );
        assert_eq!(g.all_bits().len(), 2);
    }

    #[test]
    fn refuses_cut_files_other_schemas_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = entry("alpha", 1, &[&[0.6, -0.8, 0.0]]);
        let path = dir.path().join("v");
        write(&path, header(), vec![Source::New(&a)]).unwrap();
        assert!(matches!(
            VectorFile::open(dir.path(), "v", 6),
            Err(VectorError::Unusable { .. })
        ));
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 8]).unwrap();
        let err = VectorFile::open(dir.path(), "v", 5)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("cut short"), "{err}");
        std::fs::write(&path, b"hello world, not vectors").unwrap();
        assert!(VectorFile::open(dir.path(), "v", 5).is_err());
    }

    #[test]
    fn quantising_keeps_direction() {
        let q = quantise(&[0.5, -0.25, 0.0]);
        assert_eq!(q.codes, vec![127, -64, 0]);
        assert!((q.scale * 127.0 - 0.5).abs() < 1e-6);
        assert_eq!(
            sign_bits(&[1, -1, 0, -5, 3, 3, 3, 3, -1]),
            vec![0b1111_0101, 0]
        );
    }
}
