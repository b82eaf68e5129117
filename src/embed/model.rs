//! A BERT sentence-transformers model on the CPU (candle), from a folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use candle_core::safetensors::MmapedSafetensors;
use candle_core::{DType, Device, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::{Init, VarBuilder};
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};
use xxhash_rust::xxh3::Xxh3;

use super::direct::Direct;
use super::{ModelError, ModelInfo};

/// Texts run through the model together by default; batches run side by
/// side on all cores. Texts are sorted by length first, so a batch pads
/// little. (BENCHMARKS.md: throughput by batch size.)
pub const BATCH: usize = 8;

/// How token vectors become one text vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Mean,
    Cls,
}

/// A loaded embedding model: text in, L2-normalised vectors out.
pub struct Model {
    bert: BertModel,
    /// The same weights, for one text at a time (queries).
    direct: Direct,
    tokenizer: Tokenizer,
    pooling: Pooling,
    batch: usize,
    /// What identifies it.
    pub info: ModelInfo,
}

/// The files a model folder must hold.
const CONFIG: &str = "config.json";
const TOKENIZER: &str = "tokenizer.json";
const WEIGHTS: &str = "model.safetensors";
const POOLING: &str = "1_Pooling/config.json";
const ST_CONFIG: &str = "sentence_bert_config.json";

fn bad(path: &Path, reason: impl ToString) -> ModelError {
    ModelError::BadFile {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn run(e: impl ToString) -> ModelError {
    ModelError::Run(e.to_string())
}

impl Model {
    /// Loads the model in `dir`: checks its files, that it is BERT-family,
    /// and hashes them.
    pub fn load(dir: &Path) -> Result<Model, ModelError> {
        for file in [CONFIG, TOKENIZER, WEIGHTS] {
            if !dir.join(file).is_file() {
                return Err(ModelError::MissingFile {
                    dir: dir.to_path_buf(),
                    file,
                });
            }
        }
        let config_path = dir.join(CONFIG);
        let config_text = read(&config_path)?;
        let raw: serde_json::Value =
            serde_json::from_slice(&config_text).map_err(|e| bad(&config_path, e))?;
        let model_type = raw.get("model_type").and_then(|v| v.as_str()).unwrap_or("");
        if model_type != "bert" {
            return Err(ModelError::NotBert {
                dir: dir.to_path_buf(),
                model_type: model_type.to_string(),
            });
        }
        let config: Config = serde_json::from_value(raw).map_err(|e| bad(&config_path, e))?;
        let pooling = pooling(dir)?;
        let max_tokens = max_tokens(dir, &config)?;

        let tokenizer_path = dir.join(TOKENIZER);
        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|e| bad(&tokenizer_path, e))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| bad(&tokenizer_path, e))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));

        let weights = dir.join(WEIGHTS);
        let hash = hash_files(dir, &[CONFIG, TOKENIZER, POOLING, WEIGHTS])?;
        // SAFETY: the weights file is mapped read-only; opedex never writes
        // model files, and the hash above was taken from the same bytes.
        let tensors = unsafe { MmapedSafetensors::new(&weights) }.map_err(|e| bad(&weights, e))?;
        let backend = Transposed {
            file: tensors,
            loaded: Mutex::default(),
        };
        let vb = VarBuilder::from_backend(Box::new(backend), DType::F32, Device::Cpu);
        let bert = BertModel::load(vb.clone(), &config).map_err(|e| bad(&weights, e))?;
        let direct = Direct::load(vb, &config).map_err(|e| bad(&weights, e))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        Ok(Model {
            bert,
            direct,
            tokenizer,
            pooling,
            batch: BATCH,
            info: ModelInfo {
                name,
                hash,
                dims: config.hidden_size,
                max_tokens,
            },
        })
    }

    /// Runs `n` texts through the model at once (at least 1).
    pub fn set_batch_size(&mut self, n: usize) {
        self.batch = n.max(1);
    }

    /// The model folder to use: `dir` when given, else the default one
    /// ([`super::default_model_dir`]) if it exists.
    pub fn locate(dir: Option<&Path>) -> Result<PathBuf, ModelError> {
        if let Some(d) = dir {
            return Ok(d.to_path_buf());
        }
        let default =
            super::default_model_dir().unwrap_or_else(|| PathBuf::from(super::DEFAULT_MODEL));
        if default.is_dir() {
            Ok(default)
        } else {
            Err(ModelError::NotFound { looked_in: default })
        }
    }

    /// One vector per text, in order, each of length `info.dims` and unit
    /// length (a text with no word pieces gets the vector of an empty text).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.len() <= self.batch {
            // One batch (a query): its matrix products are small, and
            // candle spends more on packing the weights than on the
            // arithmetic, so each text goes through the model alone, on
            // this thread, unpadded (BENCHMARKS.md, "Query embedding").
            return texts.iter().map(|t| self.embed_one(t)).collect();
        }
        let mut order: Vec<usize> = (0..texts.len()).collect();
        // Longest first, so batches pad little and the first is the slowest.
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].len()));
        // Batches run side by side on rayon's threads: a small batch on
        // each core outruns one large batch whose matrix products are split
        // across the cores (BENCHMARKS.md, "Semantic and hybrid search").
        let done: Vec<Vec<Vec<f32>>> = order
            .par_chunks(self.batch)
            .map(|chunk| {
                let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
                self.embed_batch(&batch)
            })
            .collect::<Result<_, _>>()?;
        let mut out = vec![Vec::new(); texts.len()];
        for (chunk, vectors) in order.chunks(self.batch).zip(done) {
            for (&i, v) in chunk.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// One text's vector through [`Direct`]: the same model as a batch's,
    /// to within rounding.
    fn embed_one(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        let encoding = self.tokenizer.encode(text, true).map_err(run)?;
        let ids = encoding.get_ids();
        let hidden = self.direct.forward(ids)?;
        let dims = self.info.dims;
        let mut v = match self.pooling {
            Pooling::Cls => hidden
                .get(..dims)
                .map_or_else(|| vec![0.0; dims], <[f32]>::to_vec),
            Pooling::Mean => {
                let mut sum = vec![0.0f32; dims];
                for row in hidden.chunks_exact(dims) {
                    sum.iter_mut().zip(row).for_each(|(s, x)| *s += x);
                }
                let count = ids.len().max(1) as f32;
                sum.iter_mut().for_each(|s| *s /= count);
                sum
            }
        };
        normalise(&mut v);
        Ok(v)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(run)?;
        let rows = encodings.len();
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(rows * len);
        let mut mask = Vec::with_capacity(rows * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let device = Device::Cpu;
        let ids = Tensor::from_vec(ids, (rows, len), &device).map_err(run)?;
        let mask = Tensor::from_vec(mask, (rows, len), &device).map_err(run)?;
        let types = ids.zeros_like().map_err(run)?;
        let hidden = self.bert.forward(&ids, &types, Some(&mask)).map_err(run)?;
        let pooled = match self.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1).and_then(|t| t.squeeze(1)),
            Pooling::Mean => mask.to_dtype(DType::F32).and_then(|m| {
                let m = m.unsqueeze(2)?;
                let sum = hidden.broadcast_mul(&m)?.sum(1)?;
                let count = m.sum(1)?.clamp(1e-9, f64::MAX)?;
                sum.broadcast_div(&count)
            }),
        }
        .map_err(run)?;
        let mut vectors: Vec<Vec<f32>> = pooled.to_vec2().map_err(run)?;
        vectors.iter_mut().for_each(|v| normalise(v));
        Ok(vectors)
    }
}

/// The model's weights, each linear layer's matrix stored transposed, each
/// loaded once.
///
/// A linear layer computes `x · Wᵀ`; with `W` as the file holds it, `Wᵀ`
/// is a strided view, and the matrix product first gathers it element by
/// element into its working layout: 40 % of a query's time (perf, BENCHMARKS.md).
/// Held as a contiguous `Wᵀ` (and handed out as its transposed view, so
/// the layer sees the shape it expects), it is read row by row. The values
/// are the same; only their order in memory changes.
///
/// A tensor asked for twice is the same tensor (its storage is shared), so
/// candle's model and the single-text encoder ([`Direct`]) hold one copy.
struct Transposed {
    file: MmapedSafetensors,
    loaded: Mutex<HashMap<String, Tensor>>,
}

impl Transposed {
    /// Linear layers' weights: two-dimensional, not the embedding tables.
    fn linear(name: &str, tensor: &Tensor) -> bool {
        tensor.rank() == 2 && name.ends_with(".weight") && !name.contains("embeddings")
    }
}

impl SimpleBackend for Transposed {
    fn get(
        &self,
        s: Shape,
        name: &str,
        h: Init,
        dtype: DType,
        dev: &Device,
    ) -> candle_core::Result<Tensor> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = loaded.get(name) {
            if t.shape() != &s || t.dtype() != dtype {
                candle_core::bail!(
                    "{name}: asked for {s:?} {dtype:?}, loaded {:?} {:?}",
                    t.shape(),
                    t.dtype()
                );
            }
            return Ok(t.clone());
        }
        let mut t = SimpleBackend::get(&self.file, s, name, h, dtype, dev)?;
        if Transposed::linear(name, &t) {
            t = t.t()?.contiguous()?.t()?;
        }
        loaded.insert(name.to_string(), t.clone());
        Ok(t)
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        SimpleBackend::get_unchecked(&self.file, name, dtype, dev)
    }

    fn contains_tensor(&self, name: &str) -> bool {
        SimpleBackend::contains_tensor(&self.file, name)
    }
}

/// Scales `v` to unit length (a zero vector stays zero).
fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ModelError> {
    std::fs::read(path).map_err(|e| bad(path, e))
}

/// Mean pooling unless `1_Pooling/config.json` asks for the CLS token; any
/// other pooling is refused rather than run wrongly.
fn pooling(dir: &Path) -> Result<Pooling, ModelError> {
    let path = dir.join(POOLING);
    if !path.is_file() {
        return Ok(Pooling::Mean);
    }
    let v: serde_json::Value = serde_json::from_slice(&read(&path)?).map_err(|e| bad(&path, e))?;
    let on = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
    match (on("pooling_mode_mean_tokens"), on("pooling_mode_cls_token")) {
        (true, false) => Ok(Pooling::Mean),
        (false, true) => Ok(Pooling::Cls),
        _ => Err(bad(
            &path,
            "opedex supports mean or CLS pooling, one of them",
        )),
    }
}

/// The window: `max_seq_length` of `sentence_bert_config.json`, else the
/// model's position embeddings (at most 512).
fn max_tokens(dir: &Path, config: &Config) -> Result<usize, ModelError> {
    let path = dir.join(ST_CONFIG);
    let from_st = if path.is_file() {
        let v: serde_json::Value =
            serde_json::from_slice(&read(&path)?).map_err(|e| bad(&path, e))?;
        v.get("max_seq_length").and_then(|x| x.as_u64())
    } else {
        None
    };
    let limit = config.max_position_embeddings.min(512);
    Ok(from_st.map_or(limit, |n| (n as usize).min(limit)).max(2))
}

/// xxh3-128 of the files that make the model's output, in a fixed order
/// (absent optional files count as empty), in hex.
fn hash_files(dir: &Path, files: &[&str]) -> Result<String, ModelError> {
    let mut h = Xxh3::new();
    for name in files {
        let path = dir.join(name);
        h.update(name.as_bytes());
        if !path.is_file() {
            h.update(&[0]);
            continue;
        }
        let file = std::fs::File::open(&path).map_err(|e| bad(&path, e))?;
        // SAFETY: read-only mapping of a model file opedex never writes.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| bad(&path, e))?;
        h.update(&(map.len() as u64).to_le_bytes());
        h.update(&map);
    }
    Ok(format!("{:032x}", h.digest128()))
}
