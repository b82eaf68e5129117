//! A BERT sentence-transformers model on the CPU, from a folder: candle
//! reads its weights, [`Direct`] runs it.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use rayon::prelude::*;
use tokenizers::{Tokenizer, TruncationParams};
use xxhash_rust::xxh3::Xxh3;

use super::direct::Direct;
use super::{ModelError, ModelInfo};

/// How token vectors become one text vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Mean,
    Cls,
}

/// A loaded embedding model: text in, L2-normalised vectors out.
pub struct Model {
    direct: Direct,
    tokenizer: Tokenizer,
    pooling: Pooling,
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
        // Each text goes through the model as long as it is: no padding,
        // whatever the file says (all-MiniLM-L6-v2's pads to 128 pieces,
        // which unmasked would enter the attention and the mean).
        tokenizer.with_padding(None);

        let weights = dir.join(WEIGHTS);
        let hash = hash_files(dir, &[CONFIG, TOKENIZER, POOLING, WEIGHTS])?;
        // SAFETY: the weights file is mapped read-only; opedex never writes
        // model files, and the hash above was taken from the same bytes.
        let vb =
            unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &Device::Cpu) }
                .map_err(|e| bad(&weights, e))?;
        let direct = Direct::load(vb, &config).map_err(|e| bad(&weights, e))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        Ok(Model {
            direct,
            tokenizer,
            pooling,
            info: ModelInfo {
                name,
                hash,
                dims: config.hidden_size,
                max_tokens,
            },
        })
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
    ///
    /// A single text (a query) runs on the calling thread; more run side by
    /// side on rayon's threads, one text each (no padding: each text is as
    /// long as it is).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        match texts {
            [one] => Ok(vec![self.embed_one(one)?]),
            _ => texts.par_iter().map(|t| self.embed_one(t)).collect(),
        }
    }

    /// One text's vector.
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
