//! Issue 19, semantic and hybrid search: vectors made at ingest or by
//! `opedex embed`, kept in step with the index, searched alone or fused with
//! the lexical ranking. A tiny BERT written by the test (`tiny_bert`) stands
//! in for the real model; the last test uses the real one when it is there.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{root, s, tempdir, Run};
use crate::tiny_bert;

struct Setup {
    dir: tempfile::TempDir,
    model: PathBuf,
    index: PathBuf,
}

fn setup() -> Setup {
    let dir = tempdir();
    let model = dir.path().join("tiny-bert");
    tiny_bert::write(&model, 7);
    let index = dir.path().join("index");
    Setup { dir, model, index }
}

/// Runs `opedex` in the repository root with no model but the ones named:
/// no `OPEDEX_MODEL`, and a cache folder without the default model.
fn run(su: &Setup, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_opedex"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("OPEDEX_MODEL")
        .env("XDG_CACHE_HOME", su.dir.path().join("no-cache"))
        .stdin(Stdio::null())
        .output()
        .expect("the opedex binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The `vectors` record of the index's last commit.
fn vectors_info(index: &Path) -> Option<Value> {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).unwrap()).unwrap();
    let payload: Value = serde_json::from_str(meta["payload"].as_str()?).unwrap();
    payload.get("vectors").cloned()
}

/// Runs `opedex ARGS --model MODEL --index INDEX` on the test's index.
fn run_with(su: &Setup, model: &Path, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["--model", s(model), "--index", s(&su.index)]);
    run(su, &all)
}

fn ingest_semantic(su: &Setup, paths: &[&str]) -> Run {
    let mut args = vec!["ingest", "--semantic"];
    args.extend_from_slice(paths);
    run_with(su, &su.model, &args)
}

/// The article's title and body as a query: its opening unit's text, which
/// the model reads the same way (the tokenizer cuts both at its window).
fn own_text(su: &Setup, id: &str) -> String {
    let shown = run(su, &["show", id, "--json", "--index", s(&su.index)]).expect(0);
    let a: Value = serde_json::from_str(shown.stdout.trim()).unwrap();
    let text = format!(
        "{} {}",
        a["title"].as_str().unwrap(),
        a["body"].as_str().unwrap()
    );
    // Within search's limit of 64 words; more than the tiny model's window
    // of 256 letter pieces, so the model reads the same text either way.
    text.split_whitespace()
        .take(60)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The article ids of the hit lines (`search --json` ends with a summary
/// line, `similar --json` does not).
fn ids(run: &Run) -> Vec<String> {
    run.json_lines()
        .iter()
        .filter(|h| h.get("summary").is_none())
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect()
}

fn search(su: &Setup, mode: &str, query: &str, extra: &[&str]) -> Run {
    let mut args = vec!["search", query, "--json", "--mode", mode];
    args.extend_from_slice(extra);
    run_with(su, &su.model, &args)
}

#[test]
fn ingest_semantic_gives_every_article_a_vector_and_search_finds_it_by_its_text() {
    let su = setup();
    let out = ingest_semantic(&su, &["corpus"]).expect(0);
    assert!(out.stdout.contains("19 texts embedded"), "{}", out.stdout);
    let info = vectors_info(&su.index).expect("the commit names its vectors");
    assert_eq!(info["articles"], 19);
    assert_eq!(info["units"], "opening");
    assert_eq!(info["model_name"], "tiny-bert");
    assert!(su.index.join(info["file"].as_str().unwrap()).is_file());
    // `stats` says what the vectors are.
    let stats = run(&su, &["stats", "--json", "--index", s(&su.index)]).expect(0);
    let stats: Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(stats["vectors"]["articles"], 19, "{stats}");
    assert_eq!(stats["vectors"]["model"], "tiny-bert", "{stats}");
    assert_eq!(stats["vectors"]["units"], "opening", "{stats}");
    let text = run(&su, &["stats", "--index", s(&su.index)]).expect(0);
    assert!(
        text.stdout.contains("vectors   19 articles, 19 vectors (")
            && text.stdout.contains("model tiny-bert"),
        "{}",
        text.stdout
    );
    let lexical = search(&su, "lexical", "treaty", &[]).expect(0);
    let target = ids(&lexical)[0].clone();
    let semantic = search(&su, "semantic", &own_text(&su, &target), &["-n", "3"]).expect(0);
    let hits = semantic.hits();
    assert_eq!(
        hits[0]["article_id"],
        target.as_str(),
        "{}",
        semantic.stdout
    );
    assert!(
        hits[0]["score"].as_f64().unwrap() > 0.99,
        "{}",
        semantic.stdout
    );
    // Hybrid (the default with vectors) keeps the article first as well.
    let hybrid = run_with(
        &su,
        &su.model,
        &["search", &own_text(&su, &target), "--json"],
    )
    .expect(0);
    assert_eq!(ids(&hybrid)[0], target);
}

#[test]
fn a_query_without_letters_or_digits_finds_nothing_in_any_mode() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    for mode in ["lexical", "semantic", "hybrid"] {
        for query in ["(((", "?!", "— …"] {
            let out = search(&su, mode, query, &[]);
            assert_eq!(out.code, 1, "{mode} {query:?}: {}", out.stdout);
            assert!(ids(&out).is_empty(), "{mode} {query:?}: {}", out.stdout);
        }
    }
}

#[test]
fn the_http_api_searches_in_the_mode_asked_and_says_which_ran() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    let server = crate::serve::Server::start_with_env(
        &su.index,
        &[
            ("OPEDEX_MODEL", su.model.as_path()),
            ("XDG_CACHE_HOME", su.dir.path().join("no-cache").as_path()),
        ],
    );
    let query = "islands and the treaty nobody signs";
    for mode in ["lexical", "semantic", "hybrid"] {
        let target = format!(
            "/api/v1/search?q={}&n=5&mode={mode}",
            query.replace(' ', "+")
        );
        let (status, json) = server.json(&target);
        assert_eq!(status, 200, "{mode}: {json}");
        assert_eq!(json["mode"], mode, "{json}");
        // The hits are those `search --json --mode M` prints, in its order.
        let cli = search(&su, mode, query, &["-n", "5"]).expect(0).hits();
        assert_eq!(json["hits"].as_array().unwrap(), &cli, "{mode}");
    }
    // No mode: hybrid, as the command line's default with vectors.
    let (_, json) = server.json("/api/v1/search?q=treaty");
    assert_eq!(json["mode"], "hybrid", "{json}");
    let (status, json) = server.json("/api/v1/search?q=treaty&mode=fuzzy");
    assert_eq!(status, 400, "{json}");
    assert_eq!(json["error"]["parameter"], "mode", "{json}");
    assert_eq!(json["error"]["code"], "bad_mode", "{json}");
    // A server without the model: auto falls back to words and says so; a
    // search by meaning is the server's fault, a 503.
    let empty = su.dir.path().join("no-cache");
    let without =
        crate::serve::Server::start_with_env(&su.index, &[("XDG_CACHE_HOME", empty.as_path())]);
    let (status, json) = without.json("/api/v1/search?q=treaty");
    assert_eq!(
        (status, &json["mode"]),
        (200, &Value::from("lexical")),
        "{json}"
    );
    let (status, json) = without.json("/api/v1/search?q=treaty&mode=semantic");
    assert_eq!(status, 503, "{json}");
    assert_eq!(json["error"]["code"], "semantic_unavailable", "{json}");
}

#[test]
fn filters_choose_the_articles_before_the_nearest_are_taken() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    let english = search(&su, "lexical", "island treaty", &[]).expect(0);
    let target = ids(&english)[0].clone();
    let query = own_text(&su, &target);
    // Only German articles, however near the English target is.
    let german = search(&su, "semantic", &query, &["--lang", "de", "-n", "50"]).expect(0);
    let hits = german.hits();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["lang"] == "de"), "{}", german.stdout);
    // The filter picks the articles first: the nearest one of another
    // outlet is found even with room for a single result.
    let outlet = "Lindenblatt";
    let one = search(&su, "semantic", &query, &["--outlet", outlet, "-n", "1"]).expect(0);
    let hits = one.hits();
    assert_eq!(hits.len(), 1, "{}", one.stdout);
    assert_eq!(hits[0]["outlet"], outlet, "{}", one.stdout);
    assert_ne!(hits[0]["article_id"], target.as_str());
    // Qualifiers in the query filter the dense side like the flags, and
    // exclusions leave whole articles out of it.
    let qualified = format!("{query} lang:de");
    let german = search(&su, "semantic", &qualified, &["-n", "50"]).expect(0);
    let hits = german.hits();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["lang"] == "de"), "{}", german.stdout);
    let target_outlet = english.hits()[0]["outlet"].as_str().unwrap().to_string();
    let excluded = format!("{query} -outlet:\"{target_outlet}\"");
    for mode in ["semantic", "hybrid"] {
        let rest = search(&su, mode, &excluded, &["-n", "50"]).expect(0);
        let hits = rest.hits();
        assert!(!hits.is_empty(), "{mode}");
        assert!(
            hits.iter().all(|h| h["outlet"] != target_outlet.as_str()),
            "{mode}: {}",
            rest.stdout
        );
    }
}

#[test]
fn reingest_embeds_only_new_and_changed_text_and_drops_deleted_articles() {
    let su = setup();
    let file = su.dir.path().join("three.jsonl");
    let line = |id: &str, outlet: &str, body: &str| {
        serde_json::json!({"id": id, "title": format!("Column {id}"), "body": body, "outlet": outlet, "lang": "en"}).to_string()
    };
    let body = |n: &str| {
        format!("The {n} council argued about harbour dredging, ferries and the budget for the coming year.")
    };
    let write = |lines: &[String]| std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    write(&[
        line("a", "X", &body("first")),
        line("b", "X", &body("second")),
        line("c", "X", &body("third")),
    ]);
    let first = ingest_semantic(&su, &[s(&file)]).expect(0);
    assert!(
        first.stdout.contains("3 texts embedded"),
        "{}",
        first.stdout
    );
    // Unchanged: nothing to embed.
    let again = ingest_semantic(&su, &[s(&file)]).expect(0);
    assert!(!again.stdout.contains("embedded"), "{}", again.stdout);
    // One body changes, one article's metadata only: one text embedded; the
    // other keeps its vector (same text) under its new version.
    write(&[
        line("a", "X", &body("changed")),
        line("b", "Y", &body("second")),
        line("c", "X", &body("third")),
    ]);
    let changed = ingest_semantic(&su, &[s(&file)]).expect(0);
    assert!(
        changed.stdout.contains("1 text embedded"),
        "{}",
        changed.stdout
    );
    assert_eq!(vectors_info(&su.index).unwrap()["articles"], 3);
    // An article that leaves its file leaves the vectors too.
    write(&[
        line("a", "X", &body("changed")),
        line("b", "Y", &body("second")),
    ]);
    ingest_semantic(&su, &[s(&file)]).expect(0);
    assert_eq!(vectors_info(&su.index).unwrap()["articles"], 2);
    // Every live article has vectors for the version it holds.
    let embed = run_with(&su, &su.model, &["embed"]).expect(0);
    assert!(
        embed.stdout.contains("embedded 0 of 2 articles"),
        "{}",
        embed.stdout
    );
    let found = search(&su, "semantic", "Column b", &["--outlet", "Y"]).expect(0);
    assert_eq!(ids(&found), ["b"]);
    // Only the current vector file (and the one before it) stay.
    let files: Vec<String> = std::fs::read_dir(&su.index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vectors-"))
        .collect();
    assert!(
        files.len() <= 2 && files.iter().all(|n| n.ends_with(".odv")),
        "{files:?}"
    );
}

#[test]
fn embed_adds_vectors_to_a_lexical_index_and_rebuild_changes_model() {
    let su = setup();
    run(&su, &["ingest", "corpus", "--index", s(&su.index)]).expect(0);
    assert!(
        vectors_info(&su.index).is_none(),
        "a lexical index records no vectors"
    );
    // Semantic search on it names the command that adds vectors.
    let refused = search(&su, "semantic", "ferries", &[]).expect(2);
    assert!(
        refused.stderr.contains("opedex embed --index"),
        "{}",
        refused.stderr
    );
    let embed = run_with(&su, &su.model, &["embed"]).expect(0);
    assert!(
        embed.stdout.contains("embedded 19 of 19 articles"),
        "{}",
        embed.stdout
    );
    let again = run_with(&su, &su.model, &["embed"]).expect(0);
    assert!(
        again
            .stdout
            .contains("embedded 0 of 19 articles (0 texts; 19 had vectors already)"),
        "{}",
        again.stdout
    );
    search(&su, "semantic", "ferries", &[]).expect(0);
    // Another model is refused, with what to do …
    let other = su.dir.path().join("other-bert");
    tiny_bert::write(&other, 8);
    let refused = run_with(&su, &other, &["search", "ferries", "--mode", "hybrid"]).expect(2);
    assert!(
        refused.stderr.contains("embed --rebuild"),
        "{}",
        refused.stderr
    );
    let ingest = run_with(&su, &other, &["ingest", "corpus"]).expect(2);
    assert!(ingest.stderr.contains("another one"), "{}", ingest.stderr);
    // … and `embed --rebuild` moves the index to it.
    run_with(&su, &other, &["embed", "--rebuild"]).expect(0);
    run_with(&su, &other, &["search", "ferries", "--mode", "hybrid"]).expect(0);
    search(&su, "hybrid", "ferries", &[]).expect(2);
}

/// The same model folder with another window (`max_seq_length`) has the
/// same hash but makes other vectors: the index records the window and
/// refuses the changed folder until the vectors are made again.
#[test]
fn another_window_of_the_same_model_is_refused() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    assert_eq!(vectors_info(&su.index).unwrap()["window"], 256);
    let shorter = su.dir.path().join("shorter");
    tiny_bert::write(&shorter, 7);
    std::fs::write(
        shorter.join("sentence_bert_config.json"),
        r#"{"max_seq_length": 128}"#,
    )
    .unwrap();
    for args in [
        &["search", "ferries", "--mode", "semantic"][..],
        &["ingest", "corpus"],
        &["embed"],
    ] {
        let refused = run_with(&su, &shorter, args).expect(2);
        assert!(
            refused.stderr.contains("reading 256 word pieces")
                && refused.stderr.contains("now says 128")
                && refused.stderr.contains("embed --rebuild"),
            "{args:?}: {}",
            refused.stderr
        );
    }
    // With no mode asked for, the search is lexical, with a note.
    let auto = run_with(&su, &shorter, &["search", "bus lane"]).expect(0);
    assert!(auto.stderr.contains("lexical only"), "{}", auto.stderr);
    run_with(&su, &shorter, &["embed", "--rebuild"]).expect(0);
    assert_eq!(vectors_info(&su.index).unwrap()["window"], 128);
    run_with(&su, &shorter, &["search", "ferries", "--mode", "semantic"]).expect(0);
    search(&su, "semantic", "ferries", &[]).expect(2);
}

#[test]
fn bad_models_and_vector_files_exit_2_with_a_message() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    let broken = su.dir.path().join("broken");
    tiny_bert::write(&broken, 7);
    std::fs::remove_file(broken.join("tokenizer.json")).unwrap();
    let missing = run_with(&su, &broken, &["search", "x", "--mode", "semantic"]).expect(2);
    assert!(
        missing.stderr.contains("has no tokenizer.json"),
        "{}",
        missing.stderr
    );
    let roberta = su.dir.path().join("roberta");
    tiny_bert::write(&roberta, 7);
    let config = std::fs::read_to_string(roberta.join("config.json")).unwrap();
    std::fs::write(
        roberta.join("config.json"),
        config.replace("\"bert\"", "\"roberta\""),
    )
    .unwrap();
    let not_bert = run_with(&su, &roberta, &["embed"]).expect(2);
    assert!(
        not_bert.stderr.contains("\"roberta\" model"),
        "{}",
        not_bert.stderr
    );
    // Without a model, writing to an index with vectors is refused …
    let no_model = run(&su, &["ingest", "corpus", "--index", s(&su.index)]).expect(2);
    assert!(
        no_model.stderr.contains("--model DIR"),
        "{}",
        no_model.stderr
    );
    // … and the default search falls back to lexical, saying so.
    let fallback = run(&su, &["search", "treaty", "--index", s(&su.index)]).expect(0);
    assert!(
        fallback.stderr.contains("lexical only"),
        "{}",
        fallback.stderr
    );
    // A damaged vector file names the fix.
    let info = vectors_info(&su.index).unwrap();
    let file = su.index.join(info["file"].as_str().unwrap());
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let damaged = search(&su, "semantic", "ferries", &[]).expect(2);
    assert!(
        damaged.stderr.contains("embed --rebuild"),
        "{}",
        damaged.stderr
    );
    run_with(&su, &su.model, &["embed", "--rebuild"]).expect(0);
    search(&su, "semantic", "ferries", &[]).expect(0);
}

#[test]
fn similar_can_use_the_vectors() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    let hit = search(&su, "lexical", "treaty", &[]).expect(0);
    let id = ids(&hit)[0].clone();
    for mode in ["semantic", "hybrid", "lexical"] {
        let similar = run(
            &su,
            &[
                "similar",
                &id,
                "--json",
                "--mode",
                mode,
                "-n",
                "5",
                "--index",
                s(&su.index),
            ],
        )
        .expect(0);
        let found = ids(&similar);
        assert!(
            !found.is_empty() && !found.contains(&id),
            "{mode}: {}",
            similar.stdout
        );
    }
}

#[test]
fn eval_runs_in_each_mode() {
    let su = setup();
    ingest_semantic(&su, &["corpus"]).expect(0);
    let queries = su.dir.path().join("q.jsonl");
    let qrels = su.dir.path().join("qrels.txt");
    let hit = search(&su, "lexical", "treaty", &[]).expect(0);
    let id = ids(&hit)[0].clone();
    // Extra fields of a query line (a split, a recorded rank) are ignored.
    std::fs::write(&queries, format!("{{\"qid\": \"1\", \"query\": {:?}, \"filters\": {{}}, \"split\": \"tune\", \"lexical_rank\": null}}\n", own_text(&su, &id))).unwrap();
    std::fs::write(&qrels, format!("1 0 {id} 1\n")).unwrap();
    for mode in ["lexical", "semantic", "hybrid"] {
        let e = run_with(
            &su,
            &su.model,
            &[
                "eval",
                "--queries",
                s(&queries),
                "--qrels",
                s(&qrels),
                "--mode",
                mode,
                "--json",
            ],
        )
        .expect(0);
        let v: Value = serde_json::from_str(e.stdout.trim()).unwrap();
        assert_eq!(v["mode"], mode, "{}", e.stdout);
        if mode != "lexical" {
            assert_eq!(v["mean"]["mrr10"], 1.0, "{mode}: {}", e.stdout);
        }
    }
}

/// The real model (all-MiniLM-L6-v2), where `tools/fetch-model.sh` puts it
/// or `OPEDEX_MODEL` says.
fn real_model() -> Option<PathBuf> {
    let dir = std::env::var_os("OPEDEX_MODEL")
        .map(PathBuf::from)
        .or_else(opedex::default_model_dir)?;
    if dir.join("model.safetensors").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: no embedding model at {} (run tools/fetch-model.sh)",
            dir.display()
        );
        None
    }
}

/// A reader half-remembers the bus-lane column without its words ("bus",
/// "lane", "promise", "strangers"): hybrid search (with the real model)
/// ranks it first, lexical search does not.
#[test]
fn a_paraphrase_finds_its_article_with_hybrid_search_and_not_lexically() {
    let Some(model) = real_model() else {
        return;
    };
    let su = setup();
    run_with(&su, &model, &["ingest", "corpus", "--semantic"]).expect(0);
    let query = "the council must protect a dedicated corridor for public transit riders";
    let target = "A bus lane is a promise to strangers";
    let top3 = |mode: &str| -> Vec<String> {
        let r = run_with(
            &su,
            &model,
            &["search", query, "--json", "-n", "3", "--mode", mode],
        );
        if r.code == 1 {
            return Vec::new();
        }
        r.expect(0)
            .hits()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    let hybrid = top3("hybrid");
    let lexical = top3("lexical");
    assert_eq!(
        hybrid.first().map(String::as_str),
        Some(target),
        "hybrid: {hybrid:?}"
    );
    assert_ne!(
        lexical.first().map(String::as_str),
        Some(target),
        "lexical: {lexical:?}"
    );
}

/// opedex runs the model on plain arrays (`embed::direct`); candle's own
/// BERT, run here on the same folder, is the reference. Every vector must
/// agree with it to within rounding, or queries and passages would be
/// embedded other than the model means.
fn assert_vectors_agree_with_candle(model_dir: &Path, texts: &[&str]) {
    use candle_core::{DType, Device, Tensor};
    use candle_nn::VarBuilder;
    use candle_transformers::models::bert::{BertModel, Config};

    let model = opedex::stages::embed::Model::load(model_dir).unwrap();
    let config: Config =
        serde_json::from_slice(&std::fs::read(model_dir.join("config.json")).unwrap()).unwrap();
    let weights = model_dir.join("model.safetensors");
    // SAFETY: a read-only mapping of a file nothing writes during the test.
    let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &Device::Cpu) }
        .unwrap();
    let bert = BertModel::load(vb, &config).unwrap();
    // The model as sentence-transformers runs it: truncated at the window
    // and, one text at a time, unpadded (the real model's tokenizer file
    // pads to 128 pieces; a batch would mask the padding).
    let mut tokenizer = tokenizers::Tokenizer::from_file(model_dir.join("tokenizer.json")).unwrap();
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(tokenizers::TruncationParams {
            max_length: model.info.max_tokens,
            ..Default::default()
        }))
        .unwrap();
    let reference = |text: &str| -> Vec<f32> {
        let ids = tokenizer.encode(text, true).unwrap().get_ids().to_vec();
        let ids = Tensor::new(ids, &Device::Cpu)
            .unwrap()
            .unsqueeze(0)
            .unwrap();
        let types = ids.zeros_like().unwrap();
        let hidden = bert.forward(&ids, &types, None).unwrap();
        let mut v: Vec<f32> = hidden
            .mean(1)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec1()
            .unwrap();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        v
    };
    // All at once (side by side on the threads) and one by one (a query).
    let together = model.embed(texts).unwrap();
    for (text, got) in texts.iter().zip(&together) {
        let alone = model.embed(&[text]).unwrap().remove(0);
        assert_eq!(&alone, got, "{text:?} alone and with others");
        let want = reference(text);
        assert_eq!(got.len(), want.len());
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        let cosine: f32 = got.iter().zip(&want).map(|(a, b)| a * b).sum();
        assert!(
            worst < 1e-4 && cosine > 0.99999,
            "{:.60}: largest difference {worst}, cosine {cosine}",
            text
        );
    }
}

fn agreement_texts() -> Vec<String> {
    let mut texts: Vec<String> = AGREEMENT_TEXTS.iter().map(|t| t.to_string()).collect();
    // Longer than the window (256 word pieces): cut by the tokenizer.
    texts.push(
        "A bus lane is a promise to strangers that the next bus will come on time. ".repeat(30),
    );
    texts
}

const AGREEMENT_TEXTS: [&str; 4] = [
    "peace treaty islands",
    "",
    "the council must protect a dedicated corridor for public transit riders, \
     whatever the drivers say about the loss of parking on the high street",
    "Ünïcödé, émojis 🚌 and numbers 1,234.5 — all in one line!",
];

#[test]
fn vectors_agree_with_candle_for_the_tiny_model() {
    let su = setup();
    let texts = agreement_texts();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_vectors_agree_with_candle(&su.model, &refs);
}

#[test]
fn vectors_agree_with_candle_for_the_real_model() {
    let Some(model) = real_model() else {
        return;
    };
    let texts = agreement_texts();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_vectors_agree_with_candle(&model, &refs);
}

#[test]
fn opening_and_passages_embeds_both_and_is_recorded() {
    let su = setup();
    run(&su, &["ingest", "corpus", "--index", s(&su.index)]).expect(0);
    let count = |out: &str| -> usize {
        let texts = out.split('(').nth(1).and_then(|t| t.split(' ').next());
        texts.and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    let opening = run_with(&su, &su.model, &["embed"]).expect(0);
    let both = run_with(
        &su,
        &su.model,
        &["embed", "--rebuild", "--units", "opening+passages:2"],
    )
    .expect(0);
    // Every sample article has at least two passages: two more texts each.
    assert_eq!(count(&opening.stdout), 19, "{}", opening.stdout);
    assert_eq!(count(&both.stdout), 19 * 3, "{}", both.stdout);
    let info = vectors_info(&su.index).expect("vectors are recorded");
    assert_eq!(info["units"], "opening+passages:2");
    search(&su, "semantic", "ferries", &[]).expect(0);
    let bad = run_with(&su, &su.model, &["embed", "--units", "opening+passages:x"]).expect(2);
    assert!(bad.stderr.contains("opening+passages:N"), "{}", bad.stderr);
}
