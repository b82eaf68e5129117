//! Nearest-neighbour search over quantised vectors, measured: recall@100
//! against exact float search, latency and bytes per vector, for an int8
//! exact scan and for a sign-bit (binary) first pass re-scored in int8
//! (BENCHMARKS.md, "Semantic search"; ARCHITECTURE.md says which was chosen).
//!
//! ```sh
//! cargo run --release --example vector_scan -- INDEX N [QUERIES]
//! ```
//!
//! The collection is N vectors made from the index's own (real) vectors:
//! each is a random mix of two of them plus noise, normalised, so it has
//! their clustering. Queries are 200 more such mixes (or QUERIES of them).

use std::time::Instant;

use opedex::stages::vectors::{dot_i8, quantise, sign_bits, VectorFile};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= n);
    v
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [index, n, rest @ ..] = args.as_slice() else {
        eprintln!("usage: vector_scan INDEX N [QUERIES]");
        std::process::exit(2);
    };
    let n: usize = n.parse()?;
    let queries: usize = rest.first().map_or(Ok(200), |s| s.parse())?;
    let dir = std::path::Path::new(index);
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("meta.json"))?)?;
    let payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap_or("{}"))?;
    let name = payload["vectors"]["file"]
        .as_str()
        .ok_or("the index has no vectors")?;
    let file = VectorFile::open(dir, name, opedex::SCHEMA_VERSION)?;
    let d = file.dims();
    let real: Vec<Vec<f32>> = (0..file.vectors())
        .map(|v| {
            let q = file.quantised(v);
            normalised(q.codes.iter().map(|&c| c as f32 * q.scale).collect())
        })
        .collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mix = |rng: &mut Rng| {
        let a = &real[rng.next() as usize % real.len()];
        let b = &real[rng.next() as usize % real.len()];
        let w = rng.unit() * 0.5;
        normalised(
            (0..d)
                .map(|i| a[i] + w * b[i] + 0.03 * (rng.unit() - 0.5))
                .collect(),
        )
    };
    let t = Instant::now();
    let floats: Vec<Vec<f32>> = (0..n).map(|_| mix(&mut rng)).collect();
    let qs: Vec<Vec<f32>> = (0..queries).map(|_| mix(&mut rng)).collect();
    let codes: Vec<i8> = floats.iter().flat_map(|v| quantise(v).codes).collect();
    let scales: Vec<f32> = floats.iter().map(|v| quantise(v).scale).collect();
    let bytes: Vec<u8> = codes.iter().map(|&c| c as u8).collect();
    let bits: Vec<u64> = (0..n)
        .flat_map(|i| {
            let b = sign_bits(&codes[i * d..(i + 1) * d]);
            b.chunks(8)
                .map(|c| {
                    let mut w = [0u8; 8];
                    w[..c.len()].copy_from_slice(c);
                    u64::from_le_bytes(w)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let words = d.div_ceil(64);
    println!(
        "{n} vectors of {d} dims from {} real ones, built in {:.1} s; {} queries",
        real.len(),
        t.elapsed().as_secs_f64(),
        queries
    );
    let k = 100;
    let top = |scores: Vec<(f32, usize)>, k: usize| -> Vec<usize> {
        let mut s = scores;
        let k = k.min(s.len());
        s.select_nth_unstable_by(k.saturating_sub(1), |a, b| b.0.total_cmp(&a.0));
        s.truncate(k);
        s.sort_by(|a, b| b.0.total_cmp(&a.0));
        s.into_iter().map(|(_, i)| i).collect()
    };
    let truth: Vec<Vec<usize>> = qs
        .iter()
        .map(|q| {
            let s = floats
                .iter()
                .enumerate()
                .map(|(i, v)| (v.iter().zip(q).map(|(a, b)| a * b).sum::<f32>(), i))
                .collect();
            top(s, k)
        })
        .collect();
    let report = |label: &str, per_vector: f64, run: &dyn Fn(&[f32]) -> Vec<usize>| {
        let mut times = Vec::new();
        let mut recall = 0.0;
        for (q, t) in qs.iter().zip(&truth) {
            let start = Instant::now();
            let got = run(q);
            times.push(start.elapsed().as_secs_f64() * 1e3);
            recall += got.iter().filter(|i| t.contains(i)).count() as f64 / k as f64;
        }
        times.sort_by(f64::total_cmp);
        let at =
            |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        println!(
            "{label:<28} recall@100 {:.4}  p50 {:>7.2} ms  p99 {:>7.2} ms  {per_vector:>5.0} bytes/vector",
            recall / qs.len() as f64,
            at(0.5),
            at(0.99)
        );
    };
    let int8 = |q: &[f32]| {
        let qq = quantise(q);
        let s = (0..n)
            .map(|i| {
                (
                    dot_i8(&bytes[i * d..(i + 1) * d], &qq.codes) as f32 * scales[i],
                    i,
                )
            })
            .collect();
        top(s, k)
    };
    report("int8 exact scan", (d + 4) as f64, &int8);
    for rescore in [200, 1000, 4000] {
        let binary = |q: &[f32]| {
            let qq = quantise(q);
            let qb: Vec<u64> = sign_bits(&qq.codes)
                .chunks(8)
                .map(|c| {
                    let mut w = [0u8; 8];
                    w[..c.len()].copy_from_slice(c);
                    u64::from_le_bytes(w)
                })
                .collect();
            let s: Vec<(f32, usize)> = (0..n)
                .map(|i| {
                    let same: u32 = (0..words)
                        .map(|w| (!(bits[i * words + w] ^ qb[w])).count_ones())
                        .sum();
                    (same as f32, i)
                })
                .collect();
            let first = top(s, rescore);
            let s = first
                .into_iter()
                .map(|i| {
                    (
                        dot_i8(&bytes[i * d..(i + 1) * d], &qq.codes) as f32 * scales[i],
                        i,
                    )
                })
                .collect();
            top(s, k)
        };
        report(
            &format!("binary, int8 re-score {rescore}"),
            (d + 4 + d / 8) as f64,
            &binary,
        );
    }
    Ok(())
}
