//! A BERT sentence-transformers model on the CPU (candle), from a folder.

use std::path::{Path, PathBuf};

use candle_core::safetensors::MmapedSafetensors;
use candle_core::{DType, Device, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::{Init, VarBuilder};
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};
use xxhash_rust::xxh3::Xxh3;

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
        let vb = VarBuilder::from_backend(Box::new(Transposed(tensors)), DType::F32, Device::Cpu);
        let bert = BertModel::load(vb, &config).map_err(|e| bad(&weights, e))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        Ok(Model {
            bert,
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
        if !texts.is_empty() && texts.len() <= self.batch {
            // One batch (a query): its matrix products are small, and split
            // across cores they wait more than they compute (BENCHMARKS.md),
            // so it runs on one thread.
            if let Some(pool) = one_thread() {
                return pool.install(|| self.embed_batch(texts));
            }
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
        for v in &mut vectors {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
        }
        Ok(vectors)
    }
}

/// The model's weights, each linear layer's matrix stored transposed.
///
/// A linear layer computes `x · Wᵀ`; with `W` as the file holds it, `Wᵀ`
/// is a strided view, and the matrix product first gathers it element by
/// element into its working layout: 40 % of a query's time (perf, BENCHMARKS.md).
/// Held as a contiguous `Wᵀ` (and handed out as its transposed view, so
/// the layer sees the shape it expects), it is read row by row. The values
/// are the same; only their order in memory changes.
struct Transposed(MmapedSafetensors);

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
        let t = SimpleBackend::get(&self.0, s, name, h, dtype, dev)?;
        if Transposed::linear(name, &t) {
            t.t()?.contiguous()?.t()
        } else {
            Ok(t)
        }
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        SimpleBackend::get_unchecked(&self.0, name, dtype, dev)
    }

    fn contains_tensor(&self, name: &str) -> bool {
        SimpleBackend::contains_tensor(&self.0, name)
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

/// A pool of one thread for single batches; `None` if it cannot be made.
fn one_thread() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(1).build().ok())
        .as_ref()
}
