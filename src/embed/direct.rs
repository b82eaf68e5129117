//! The BERT forward pass on plain arrays, one text at a time.
//!
//! candle runs a model as a chain of tensor operations, and each matrix
//! product first packs the layer's weight matrix into its working layout:
//! for a query of 20 word pieces that copying costs as much as the
//! arithmetic, and a batch pads its texts to the longest (BENCHMARKS.md,
//! "Query embedding on plain arrays"). Here the forward pass runs on `f32`
//! slices: the linear layers' weights are laid out once, at load, in the
//! panels the product reads ([`Weights`]); attention's two products per
//! head use the same kernel; each text is as long as it is, so there is no
//! padding and no mask. candle reads the weights. The arithmetic is
//! candle's BERT's; only the order of the sums differs, so a vector agrees
//! with candle's to about 1e-6 (tests/all/semantic.rs compares them).

use candle_nn::VarBuilder;
use candle_transformers::models::bert::{Config, HiddenAct};

use super::ModelError;

/// A linear layer: `y = x · Wᵀ + b`.
struct Linear {
    weights: Weights,
    bias: Vec<f32>,
}

/// A linear layer's weights in the order its product reads them.
enum Weights {
    /// Column panels, each inputs × 16 (then × 8) values, one row of the
    /// panel after the other: the layout a matrix product packs into, made
    /// once at load instead of at every product (for AVX2 and a number of
    /// outputs that is a multiple of 8).
    Panels { inputs: usize, values: Vec<f32> },
    /// `Wᵀ`, inputs × outputs, row-major.
    Plain(Vec<f32>),
}

impl Weights {
    /// From `Wᵀ` (`inputs` × `n`, row-major), in panels when `simd`.
    fn new(wt: Vec<f32>, inputs: usize, n: usize, simd: bool) -> Weights {
        if !simd || !n.is_multiple_of(8) {
            return Weights::Plain(wt);
        }
        let mut values = Vec::with_capacity(wt.len());
        for (col, width) in panels(n) {
            for row in wt.chunks_exact(n) {
                values.extend_from_slice(&row[col..col + width]);
            }
        }
        Weights::Panels { inputs, values }
    }

    /// From `W` (`n` × `inputs`, row-major), as a layer's file and a
    /// head's keys hold it: transposed, then as [`Weights::new`].
    fn from_w(w: &[f32], inputs: usize, n: usize, simd: bool) -> Weights {
        let mut wt = vec![0.0f32; w.len()];
        for (o, row) in w.chunks_exact(inputs).enumerate() {
            for (i, &value) in row.iter().enumerate() {
                wt[i * n + o] = value;
            }
        }
        Weights::new(wt, inputs, n, simd)
    }
}

/// The column panels of `n` outputs: (first column, width), 16 wide while
/// they fit, then 8.
fn panels(n: usize) -> impl Iterator<Item = (usize, usize)> {
    let wide = n / 16 * 16;
    (0..wide)
        .step_by(16)
        .map(|c| (c, 16))
        .chain((wide..n / 8 * 8).step_by(8).map(|c| (c, 8)))
}

/// Whether this CPU runs the panel product.
fn simd() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    up: Linear,
    down: Linear,
    out_norm: Norm,
}

/// A BERT encoder for one unpadded text at a time.
pub(super) struct Direct {
    hidden: usize,
    heads: usize,
    eps: f32,
    act: HiddenAct,
    /// The embedding tables, row-major (vocabulary, positions, token types
    /// × hidden).
    words: Vec<f32>,
    positions: Vec<f32>,
    types: Vec<f32>,
    embed_norm: Norm,
    layers: Vec<Layer>,
}

fn run(e: impl ToString) -> ModelError {
    ModelError::Run(e.to_string())
}

fn vector(vb: &VarBuilder, len: usize, name: &str) -> candle_core::Result<Vec<f32>> {
    vb.get(len, name)?.to_vec1()
}

/// A rows × columns table, row-major.
fn table(vb: &VarBuilder, rows: usize, cols: usize, name: &str) -> candle_core::Result<Vec<f32>> {
    vb.get((rows, cols), name)?.flatten_all()?.to_vec1()
}

impl Linear {
    fn load(vb: VarBuilder, inputs: usize, outputs: usize) -> candle_core::Result<Linear> {
        let w = table(&vb, outputs, inputs, "weight")?;
        Ok(Linear {
            weights: Weights::from_w(&w, inputs, outputs, simd()),
            bias: vector(&vb, outputs, "bias")?,
        })
    }

    /// `x` holds `rows` rows; the result holds `rows` rows of the layer's
    /// outputs.
    fn forward(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let mut y = vec![0.0; rows * self.bias.len()];
        product(x, rows, &self.weights, &self.bias, &mut y);
        y
    }
}

impl Norm {
    fn load(vb: VarBuilder, len: usize) -> candle_core::Result<Norm> {
        Ok(Norm {
            weight: vector(&vb, len, "weight")?,
            bias: vector(&vb, len, "bias")?,
        })
    }

    /// Normalises each row of `x` in place.
    fn apply(&self, x: &mut [f32], eps: f32) {
        let n = self.weight.len();
        for row in x.chunks_exact_mut(n) {
            let mean = row.iter().sum::<f32>() / n as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n as f32;
            let scale = 1.0 / (var + eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
                *v = (*v - mean) * scale * w + b;
            }
        }
    }
}

impl Direct {
    /// The encoder over the weights `vb` hands out, named as in
    /// sentence-transformers' BERT folders (with or without `bert.`).
    pub(super) fn load(vb: VarBuilder, config: &Config) -> candle_core::Result<Direct> {
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let h = config.hidden_size;
        let i = config.intermediate_size;
        let emb = vb.pp("embeddings");
        let layers = (0..config.num_hidden_layers)
            .map(|n| {
                let l = vb.pp(format!("encoder.layer.{n}"));
                let attention = l.pp("attention");
                Ok(Layer {
                    query: Linear::load(attention.pp("self.query"), h, h)?,
                    key: Linear::load(attention.pp("self.key"), h, h)?,
                    value: Linear::load(attention.pp("self.value"), h, h)?,
                    attention_out: Linear::load(attention.pp("output.dense"), h, h)?,
                    attention_norm: Norm::load(attention.pp("output.LayerNorm"), h)?,
                    up: Linear::load(l.pp("intermediate.dense"), h, i)?,
                    down: Linear::load(l.pp("output.dense"), i, h)?,
                    out_norm: Norm::load(l.pp("output.LayerNorm"), h)?,
                })
            })
            .collect::<candle_core::Result<_>>()?;
        if config.num_attention_heads == 0 || !h.is_multiple_of(config.num_attention_heads) {
            candle_core::bail!(
                "{h} hidden units do not split into {} heads",
                config.num_attention_heads
            );
        }
        Ok(Direct {
            hidden: h,
            heads: config.num_attention_heads,
            eps: config.layer_norm_eps as f32,
            act: config.hidden_act,
            words: table(&emb, config.vocab_size, h, "word_embeddings.weight")?,
            positions: table(
                &emb,
                config.max_position_embeddings,
                h,
                "position_embeddings.weight",
            )?,
            types: table(
                &emb,
                config.type_vocab_size,
                h,
                "token_type_embeddings.weight",
            )?,
            embed_norm: Norm::load(emb.pp("LayerNorm"), h)?,
            layers,
        })
    }

    /// The last layer's output for the word pieces `ids` (rows × hidden).
    pub(super) fn forward(&self, ids: &[u32]) -> Result<Vec<f32>, ModelError> {
        let h = self.hidden;
        let rows = ids.len();
        let mut x = vec![0.0f32; rows * h];
        for (row, &id) in x.chunks_exact_mut(h).zip(ids) {
            let at = id as usize * h;
            let word = self
                .words
                .get(at..at + h)
                .ok_or_else(|| run(format!("word piece {id} is outside the model's vocabulary")))?;
            row.copy_from_slice(word);
        }
        let positions = self
            .positions
            .get(..rows * h)
            .ok_or_else(|| run(format!("{rows} word pieces exceed the model's positions")))?;
        x.iter_mut().zip(positions).for_each(|(v, p)| *v += p);
        // Every word piece has type 0 (one segment).
        let first = self
            .types
            .get(..h)
            .ok_or_else(|| run("the model has no token types"))?;
        for row in x.chunks_exact_mut(h) {
            row.iter_mut().zip(first).for_each(|(v, t)| *v += t);
        }
        self.embed_norm.apply(&mut x, self.eps);
        for layer in &self.layers {
            let context = self.attention(layer, &x, rows);
            let mut a = layer.attention_out.forward(&context, rows);
            a.iter_mut().zip(&x).for_each(|(v, r)| *v += r);
            layer.attention_norm.apply(&mut a, self.eps);
            let mut u = layer.up.forward(&a, rows);
            activate(self.act, &mut u);
            let mut out = layer.down.forward(&u, rows);
            out.iter_mut().zip(&a).for_each(|(v, r)| *v += r);
            layer.out_norm.apply(&mut out, self.eps);
            x = out;
        }
        Ok(x)
    }

    /// Multi-head self-attention over all rows (none is padding). Each
    /// head's scores `Q·Kᵀ` and context `P·V` are matrix products too, run
    /// by the same kernel as the layers'.
    fn attention(&self, layer: &Layer, x: &[f32], rows: usize) -> Vec<f32> {
        let h = self.hidden;
        let q = layer.query.forward(x, rows);
        let k = layer.key.forward(x, rows);
        let v = layer.value.forward(x, rows);
        let size = h / self.heads;
        let scale = (size as f32).sqrt();
        let simd = simd();
        let mut context = vec![0.0f32; rows * h];
        let mut scores = vec![0.0f32; rows * rows];
        let mut out = vec![0.0f32; rows * size];
        let (no_bias_rows, no_bias_head) = (vec![0.0f32; rows], vec![0.0f32; size]);
        for head in 0..self.heads {
            let cols = head * size..(head + 1) * size;
            let part = |m: &[f32]| -> Vec<f32> {
                m.chunks_exact(h)
                    .flat_map(|row| &row[cols.clone()])
                    .copied()
                    .collect()
            };
            // The head's keys (rows × size) are the product's `W`.
            let keys = Weights::from_w(&part(&k), size, rows, simd);
            product(&part(&q), rows, &keys, &no_bias_rows, &mut scores);
            for row in scores.chunks_exact_mut(rows) {
                row.iter_mut().for_each(|w| *w /= scale);
                let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                row.iter_mut().for_each(|w| *w = exp(*w - max));
                let total: f32 = row.iter().sum();
                row.iter_mut().for_each(|w| *w /= total);
            }
            let vh = Weights::new(part(&v), rows, size, simd);
            product(&scores, rows, &vh, &no_bias_head, &mut out);
            for (row, o) in context.chunks_exact_mut(h).zip(out.chunks_exact(size)) {
                row[cols.clone()].copy_from_slice(o);
            }
        }
        context
    }
}

/// The hidden layers' activation, in place.
fn activate(act: HiddenAct, x: &mut [f32]) {
    match act {
        HiddenAct::Gelu => x
            .iter_mut()
            .for_each(|v| *v = 0.5 * *v * (1.0 + erf(*v * std::f32::consts::FRAC_1_SQRT_2))),
        HiddenAct::GeluApproximate => x.iter_mut().for_each(|v| {
            let c = (2.0 / std::f32::consts::PI).sqrt();
            *v = 0.5 * *v * (1.0 + (c * (*v + 0.044715 * *v * *v * *v)).tanh());
        }),
        HiddenAct::Relu => x.iter_mut().for_each(|v| *v = v.max(0.0)),
    }
}

/// The error function in single precision: Eigen's rational approximation
/// (`generic_fast_erf_float`), within 4e-7 of the exact value (a few units
/// in the last place of an f32 near ±1; the rational function itself is
/// within 7e-8), and with no branch, so a loop over it is vectorised.
fn erf(x: f32) -> f32 {
    const ALPHA: [f32; 7] = [
        -1.609_603_3e-2,
        -2.954_6e-3,
        -7.349_906_3e-4,
        -5.692_506_4e-5,
        -2.101_024e-6,
        2.770_681_4e-8,
        -2.726_142_3e-10,
    ];
    const BETA: [f32; 5] = [
        -1.426_473_9e-2,
        -7.373_329e-3,
        -1.682_827e-3,
        -2.133_740_6e-4,
        -1.456_607_2e-5,
    ];
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let p = ALPHA.iter().rev().fold(0.0, |p, &a| p * x2 + a) * x;
    let q = BETA.iter().rev().fold(0.0, |q, &b| q * x2 + b);
    p / q
}

/// `e^x` in single precision for the softmax (x ≤ 0 there): `2^n · e^g`
/// with `g = x − n·ln 2` in ±0.35 (ln 2 split in two, as Cephes does, so
/// that `n·ln 2` loses nothing) and `e^g` by its Taylor polynomial to
/// degree 7, within 2 units in the last place; no branch and no call, so a
/// loop over it is vectorised (the library `exp` was a sixth of a long
/// text's time).
fn exp(x: f32) -> f32 {
    const LN2_HIGH: f32 = 0.693_359_4;
    const LN2_LOW: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.0, 88.0);
    // Rounded to the nearest integer by adding and taking away 1.5 · 2^23
    // (`round` is a library call, which would stop the vectorising).
    const ROUND: f32 = 12_582_912.0;
    let n = (x * std::f32::consts::LOG2_E + ROUND) - ROUND;
    let g = (x - n * LN2_HIGH) - n * LN2_LOW;
    let mut p = 1.0 / 5040.0;
    for c in [
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ] {
        p = p * g + c;
    }
    // 2^n from its exponent bits; n is within −126..=127 after the clamp.
    let two_n = f32::from_bits(((n as i32 + 127) as u32) << 23);
    p * two_n
}

/// `y = x · Wᵀ + b` for `rows` rows of `x`; `y` is rows × outputs.
fn product(x: &[f32], rows: usize, weights: &Weights, bias: &[f32], y: &mut [f32]) {
    let n = bias.len();
    let k = x.len() / rows.max(1);
    assert!(x.len() == rows * k && y.len() == rows * n);
    for row in y.chunks_exact_mut(n) {
        row.copy_from_slice(bias);
    }
    match weights {
        Weights::Plain(wt) => {
            assert_eq!(wt.len(), k * n);
            // Row by row, one input at a time, which the compiler vectorises.
            for (xr, yr) in x.chunks_exact(k).zip(y.chunks_exact_mut(n)) {
                for (&xv, w) in xr.iter().zip(wt.chunks_exact(n)) {
                    yr.iter_mut().zip(w).for_each(|(o, w)| *o += xv * w);
                }
            }
        }
        Weights::Panels { inputs, values } => {
            assert!(*inputs == k && values.len() == k * n && n.is_multiple_of(8));
            #[cfg(target_arch = "x86_64")]
            // SAFETY: panels are only made when the CPU has AVX2 and FMA
            // (`simd`), and the sizes were checked above.
            unsafe {
                avx::add_product(x, rows, k, values, n, y)
            };
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx {
    use std::arch::x86_64::*;

    /// Adds `x · Wᵀ` to `y`, with `W` in panels (`super::panels`).
    ///
    /// # Safety
    /// The CPU has AVX2 and FMA; `x` is rows × k, `panels` k × n, `y` rows
    /// × n, and n is a multiple of 8.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn add_product(
        x: &[f32],
        rows: usize,
        k: usize,
        panels: &[f32],
        n: usize,
        y: &mut [f32],
    ) {
        for (col, width) in super::panels(n) {
            let panel = &panels[col * k..(col + width) * k];
            if width == 16 {
                columns::<2>(x, rows, k, panel, n, y, col);
            } else {
                columns::<1>(x, rows, k, panel, n, y, col);
            }
        }
    }

    /// One panel of `8C` columns from `col`, for every row: six rows at a
    /// time (6 × 2 accumulators, 2 weight registers and a broadcast: 15 of
    /// the 16 registers, so that no accumulator is spilled to memory).
    #[target_feature(enable = "avx2,fma")]
    unsafe fn columns<const C: usize>(
        x: &[f32],
        rows: usize,
        k: usize,
        panel: &[f32],
        n: usize,
        y: &mut [f32],
        col: usize,
    ) {
        let mut row = 0;
        while row + 6 <= rows {
            tile::<6, C>(x, k, panel, n, y, row, col);
            row += 6;
        }
        match rows - row {
            5 => tile::<5, C>(x, k, panel, n, y, row, col),
            4 => tile::<4, C>(x, k, panel, n, y, row, col),
            3 => tile::<3, C>(x, k, panel, n, y, row, col),
            2 => tile::<2, C>(x, k, panel, n, y, row, col),
            1 => tile::<1, C>(x, k, panel, n, y, row, col),
            _ => {}
        }
    }

    /// Rows `row..row + R` of the panel's columns: the accumulators stay
    /// in registers over all `k` inputs, and the panel is read in order.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn tile<const R: usize, const C: usize>(
        x: &[f32],
        k: usize,
        panel: &[f32],
        n: usize,
        y: &mut [f32],
        row: usize,
        col: usize,
    ) {
        debug_assert!((row + R) * k <= x.len() && (row + R) * n <= y.len());
        debug_assert!(col + 8 * C <= n && panel.len() == k * 8 * C);
        let yp = y.as_mut_ptr();
        let xp = x.as_ptr().add(row * k);
        let wp = panel.as_ptr();
        let mut acc = [[_mm256_setzero_ps(); C]; R];
        for (r, acc) in acc.iter_mut().enumerate() {
            for (c, a) in acc.iter_mut().enumerate() {
                *a = _mm256_loadu_ps(yp.add((row + r) * n + col + 8 * c));
            }
        }
        for i in 0..k {
            let mut w = [_mm256_setzero_ps(); C];
            for (c, w) in w.iter_mut().enumerate() {
                *w = _mm256_loadu_ps(wp.add((i * C + c) * 8));
            }
            for (r, acc) in acc.iter_mut().enumerate() {
                let xv = _mm256_broadcast_ss(&*xp.add(r * k + i));
                for (a, w) in acc.iter_mut().zip(&w) {
                    *a = _mm256_fmadd_ps(xv, *w, *a);
                }
            }
        }
        for (r, acc) in acc.iter().enumerate() {
            for (c, a) in acc.iter().enumerate() {
                _mm256_storeu_ps(yp.add((row + r) * n + col + 8 * c), *a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The product against the plain triple loop, at sizes that leave
    /// row and column remainders (and with and without the AVX2 part).
    #[test]
    fn product_matches_the_plain_sum() {
        for (rows, k, n) in [
            (1, 3, 5),
            (5, 13, 29),
            (7, 16, 40),
            (4, 24, 24),
            (9, 7, 56),
            (6, 5, 72),
        ] {
            let x: Vec<f32> = (0..rows * k)
                .map(|i| ((i * 7 % 13) as f32 - 6.0) / 5.0)
                .collect();
            let wt: Vec<f32> = (0..k * n)
                .map(|i| ((i * 5 % 11) as f32 - 5.0) / 7.0)
                .collect();
            let bias: Vec<f32> = (0..n).map(|i| i as f32 / 10.0).collect();
            for simd in [false, simd()] {
                let weights = Weights::new(wt.clone(), k, n, simd);
                let mut y = vec![f32::NAN; rows * n];
                product(&x, rows, &weights, &bias, &mut y);
                for r in 0..rows {
                    for c in 0..n {
                        let want =
                            bias[c] + (0..k).map(|i| x[r * k + i] * wt[i * n + c]).sum::<f32>();
                        let got = y[r * n + c];
                        assert!(
                            (got - want).abs() < 1e-4,
                            "{rows}×{k}×{n} (simd {simd}) at {r},{c}: {got} vs {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn exp_is_within_2_ulps() {
        for i in -8700..=8800 {
            let x = i as f32 / 100.0;
            let want = (x as f64).exp();
            let got = exp(x) as f64;
            assert!(
                ((got - want) / want).abs() < 2.5e-7,
                "exp({x}) = {got}, want {want}"
            );
        }
        assert_eq!(exp(-1000.0), exp(-87.0));
        assert!(exp(-87.0) > 0.0 && exp(0.0) == 1.0);
    }

    #[test]
    fn erf_is_within_4e_7_of_the_series() {
        // erf by its Taylor series, in f64, where it converges well.
        let exact = |x: f64| {
            let mut term = x;
            let mut sum = x;
            for n in 1..200 {
                term *= -x * x / n as f64;
                sum += term / (2 * n + 1) as f64;
            }
            sum * 2.0 / std::f64::consts::PI.sqrt()
        };
        for i in -300..=300 {
            let x = i as f64 / 100.0;
            let got = erf(x as f32) as f64;
            assert!(
                (got - exact(x)).abs() < 4e-7,
                "erf({x}) = {got}, want {}",
                exact(x)
            );
        }
        assert!((erf(10.0) - 1.0).abs() < 1e-6 && (erf(-10.0) + 1.0).abs() < 1e-6);
        assert!(erf(f32::NAN).is_nan());
    }
}
