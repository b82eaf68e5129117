//! A tiny BERT written by the test itself: random weights in a safetensors
//! file, a word-piece `tokenizer.json` over letters, and the sentence-
//! transformers config files, so the semantic plumbing is tested without
//! downloading a model. Same seed, same model (and model hash).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

const HIDDEN: usize = 16;
const INTERMEDIATE: usize = 32;
const MAX_POSITIONS: usize = 512;

/// The vocabulary: special tokens, letters and digits as word starts and
/// as `##` continuations, and a little punctuation.
fn vocab() -> Vec<String> {
    let mut v: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let chars: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    v.extend(chars.iter().map(|c| c.to_string()));
    v.extend(chars.iter().map(|c| format!("##{c}")));
    v.extend([".", ",", "-", "'", "\"", "?", "!", ":", ";", "(", ")"].map(String::from));
    v
}

fn tokenizer_json() -> serde_json::Value {
    let vocab: BTreeMap<String, usize> = vocab()
        .into_iter()
        .enumerate()
        .map(|(i, t)| (t, i))
        .collect();
    let special = |id: usize, content: &str| {
        json!({"id": id, "content": content, "single_word": false, "lstrip": false,
               "rstrip": false, "normalized": false, "special": true})
    };
    json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [special(0, "[PAD]"), special(1, "[UNK]"), special(2, "[CLS]"),
                         special(3, "[SEP]"), special(4, "[MASK]")],
        "normalizer": {"type": "BertNormalizer", "clean_text": true,
                       "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab}
    })
}

/// A deterministic stream of numbers in about −0.5..0.5.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) - 0.5
    }
}

/// The weights' names and shapes, with how each is filled.
fn tensors(vocab: usize) -> Vec<(String, Vec<usize>, Fill)> {
    let mut t = vec![
        (
            "embeddings.word_embeddings.weight".to_string(),
            vec![vocab, HIDDEN],
            Fill::Random,
        ),
        (
            "embeddings.position_embeddings.weight".into(),
            vec![MAX_POSITIONS, HIDDEN],
            Fill::Small,
        ),
        (
            "embeddings.token_type_embeddings.weight".into(),
            vec![2, HIDDEN],
            Fill::Small,
        ),
        (
            "embeddings.LayerNorm.weight".into(),
            vec![HIDDEN],
            Fill::One,
        ),
        ("embeddings.LayerNorm.bias".into(), vec![HIDDEN], Fill::Zero),
    ];
    let l = "encoder.layer.0";
    for part in [
        "attention.self.query",
        "attention.self.key",
        "attention.self.value",
        "attention.output.dense",
    ] {
        t.push((
            format!("{l}.{part}.weight"),
            vec![HIDDEN, HIDDEN],
            Fill::Random,
        ));
        t.push((format!("{l}.{part}.bias"), vec![HIDDEN], Fill::Zero));
    }
    for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
        t.push((format!("{l}.{norm}.weight"), vec![HIDDEN], Fill::One));
        t.push((format!("{l}.{norm}.bias"), vec![HIDDEN], Fill::Zero));
    }
    t.push((
        format!("{l}.intermediate.dense.weight"),
        vec![INTERMEDIATE, HIDDEN],
        Fill::Random,
    ));
    t.push((
        format!("{l}.intermediate.dense.bias"),
        vec![INTERMEDIATE],
        Fill::Zero,
    ));
    t.push((
        format!("{l}.output.dense.weight"),
        vec![HIDDEN, INTERMEDIATE],
        Fill::Random,
    ));
    t.push((format!("{l}.output.dense.bias"), vec![HIDDEN], Fill::Zero));
    t
}

#[derive(Clone, Copy)]
enum Fill {
    Random,
    Small,
    One,
    Zero,
}

/// The safetensors file: a little-endian header length, the JSON header
/// (padded with spaces to 8 bytes), then the f32 data.
fn safetensors(seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut header = serde_json::Map::new();
    let mut data: Vec<u8> = Vec::new();
    for (name, shape, fill) in tensors(vocab().len()) {
        let n: usize = shape.iter().product();
        let start = data.len();
        for _ in 0..n {
            let x = match fill {
                Fill::Random => rng.next(),
                Fill::Small => rng.next() * 0.1,
                Fill::One => 1.0,
                Fill::Zero => 0.0,
            };
            data.extend_from_slice(&x.to_le_bytes());
        }
        header.insert(
            name,
            json!({"dtype": "F32", "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    let mut head = serde_json::to_vec(&header).unwrap();
    while !head.len().is_multiple_of(8) {
        head.push(b' ');
    }
    let mut out = (head.len() as u64).to_le_bytes().to_vec();
    out.extend(head);
    out.extend(data);
    out
}

/// Writes the model folder `dir` (created if need be) for `seed`.
pub fn write(dir: &Path, seed: u64) {
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    let config = json!({
        "architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu",
        "hidden_size": HIDDEN, "intermediate_size": INTERMEDIATE, "num_attention_heads": 2,
        "num_hidden_layers": 1, "max_position_embeddings": MAX_POSITIONS,
        "type_vocab_size": 2, "vocab_size": vocab().len(), "layer_norm_eps": 1e-12,
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "pad_token_id": 0, "position_embedding_type": "absolute"
    });
    std::fs::write(
        dir.join("config.json"),
        serde_json::to_vec_pretty(&config).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("tokenizer.json"),
        serde_json::to_vec(&tokenizer_json()).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("model.safetensors"), safetensors(seed)).unwrap();
    let pooling = json!({"word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": false,
                         "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": false});
    std::fs::write(dir.join("1_Pooling/config.json"), pooling.to_string()).unwrap();
    std::fs::write(
        dir.join("sentence_bert_config.json"),
        r#"{"max_seq_length": 256}"#,
    )
    .unwrap();
}
