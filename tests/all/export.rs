//! `opedex export` and `search --as` (issue 21): every generated file is
//! checked against what the engines document (`tests/data/engines/`), the
//! `_bulk` files line by line, and the round trip — the exported NDJSON
//! ingested back gives an index whose `stats --json` and `search --json
//! --plain` equal the original's.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::*;

fn engine_doc(name: &str) -> Value {
    let path = root().join("tests/data/engines").join(name);
    serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array: {v}"))
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// The sample corpus indexed once per test in `dir/index`.
fn corpus_index(dir: &Path) -> PathBuf {
    let (index, run) = ingest_fresh(dir, &[s(&root().join("corpus"))]);
    run.expect(0);
    index
}

fn export(index: &Path, engine: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["export", "--to", engine, "--index", s(index)];
    args.extend_from_slice(extra);
    args.push(s(out));
    opedex(&args)
}

/// The data files of an export, in order.
fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
        .collect();
    files.sort();
    files
}

/// Every document line of an export's data files, checking the `_bulk`
/// shape on the way when `bulk`.
fn documents(dir: &Path, bulk: bool, limit: u64) -> Vec<Value> {
    let os = engine_doc("opensearch.json");
    let mut docs = Vec::new();
    for file in data_files(dir) {
        let bytes = fs::read(&file).unwrap();
        assert!(
            bytes.len() as u64 <= limit,
            "{} holds {} bytes, over the limit {limit}",
            file.display(),
            bytes.len()
        );
        assert!(
            bytes.ends_with(b"\n"),
            "{}: the last line ends in \\n",
            file.display()
        );
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        if bulk {
            assert_eq!(
                lines.len() % 2,
                0,
                "{}: action and document pairs",
                file.display()
            );
        }
        for (i, line) in lines.iter().enumerate() {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", file.display(), i + 1));
            assert!(
                v.is_object(),
                "{}:{}: one object per line",
                file.display(),
                i + 1
            );
            if bulk && i % 2 == 0 {
                let action = v.as_object().unwrap();
                assert_eq!(action.len(), 1, "one action per action line: {line}");
                let (verb, meta) = action.iter().next().unwrap();
                assert!(strings(&os["bulk"]["actions_with_document"]).contains(verb));
                let allowed = strings(&os["bulk"]["action_metadata"]);
                for k in meta.as_object().unwrap().keys() {
                    assert!(allowed.contains(k), "action metadata {k}");
                }
                let next: Value = serde_json::from_str(lines[i + 1]).unwrap();
                assert_eq!(meta["_id"], next["id"], "the action names its document");
                assert_eq!(meta["_index"], "opedex");
            } else {
                assert!(
                    v.get("index").is_none(),
                    "{}:{}: a document, not an action",
                    file.display(),
                    i + 1
                );
                docs.push(v);
            }
        }
    }
    docs
}

/// The common checks of every document line: ids, keys, no contacts, no
/// incremental-ingest or copy fields.
fn check_documents(docs: &[Value], passages: u64, articles: u64) {
    assert_eq!(docs.len() as u64, passages);
    let ids: HashSet<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), docs.len(), "ids are unique");
    let mut with_article = 0;
    for d in docs {
        let id = format!("{}#{}", d["article_id"].as_str().unwrap(), d["passage"]);
        assert_eq!(d["id"], json!(id));
        let text = d.to_string();
        let mut keys = BTreeSet::new();
        all_keys(d, &mut keys);
        for absent in [
            "content_hash",
            "fingerprint",
            "source_key",
            "dup_band",
            "dup_sig",
            "copy_id",
            "words",
            "kind",
            "contacts",
            "email",
            "phone",
            "address",
        ] {
            assert!(!keys.contains(absent), "{absent} is never exported: {text}");
        }
        if d["passage"] == 0 {
            with_article += 1;
            assert!(d["article_json"].is_object());
        } else {
            assert!(d.get("article_json").is_none(), "the article travels once");
        }
        let bodies = d
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with("body_"))
            .count();
        assert_eq!(bodies, 1, "one analysed passage field: {text}");
    }
    assert_eq!(with_article, articles);
}

/// Every object key anywhere in `v`.
fn all_keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                all_keys(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| all_keys(x, out)),
        _ => {}
    }
}

fn stats(index: &Path) -> Value {
    let run = opedex(&["stats", "--json", "--index", s(index)]).expect(0);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn opensearch_export_follows_the_documented_template_mapping_and_bulk_format() {
    let dir = tempdir();
    let index = corpus_index(dir.path());
    let out = dir.path().join("os");
    let run = export(&index, "opensearch", &out, &["--json"]).expect(0);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let st = stats(&index);
    assert_eq!(report["articles"], st["articles"]);
    assert_eq!(report["passages"], st["passages"]);
    let os = engine_doc("opensearch.json");

    // The template.
    let template: Value =
        serde_json::from_str(&fs::read_to_string(out.join("index-template.json")).unwrap())
            .unwrap();
    let keys: Vec<&String> = template.as_object().unwrap().keys().collect();
    for k in strings(&os["index_template"]["required_keys"]) {
        assert!(template.get(&k).is_some(), "required key {k}");
    }
    for k in &keys {
        assert!(
            strings(&os["index_template"]["allowed_keys"]).contains(k),
            "key {k}"
        );
    }
    assert_eq!(template["index_patterns"], json!(["opedex"]));
    for k in template["template"].as_object().unwrap().keys() {
        assert!(strings(&os["index_template"]["template_allowed_keys"]).contains(k));
    }
    let mappings = &template["template"]["mappings"];
    for k in mappings.as_object().unwrap().keys() {
        assert!(
            strings(&os["mappings"]["allowed_keys"]).contains(k),
            "mappings key {k}"
        );
    }
    assert_eq!(
        mappings["dynamic"], "strict",
        "a document key the mapping lacks is an error"
    );
    let custom = template["template"]["settings"]["analysis"]["analyzer"]
        .as_object()
        .unwrap();
    for (name, a) in custom {
        assert_eq!(a["type"], "custom");
        assert!(strings(&os["builtin_tokenizers"])
            .contains(&a["tokenizer"].as_str().unwrap().to_string()));
        for f in strings(&a["filter"]) {
            assert!(
                strings(&os["builtin_token_filters"]).contains(&f),
                "{name}: filter {f}"
            );
        }
    }
    let analyzer_ok = |a: &str| {
        strings(&os["builtin_analyzers"]).iter().any(|b| b == a) || custom.contains_key(a)
    };
    let properties = mappings["properties"].as_object().unwrap();
    let check_field = |name: &str, f: &Value| {
        let ty = f["type"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has a type"));
        assert!(
            strings(&os["field_types"]).contains(&ty.to_string()),
            "{name}: type {ty}"
        );
        let params = strings(&os["field_parameters"][ty]);
        for k in f.as_object().unwrap().keys().filter(|k| *k != "type") {
            assert!(params.contains(k), "{name}: {ty} has no parameter {k}");
        }
        if let Some(a) = f.get("analyzer") {
            assert!(analyzer_ok(a.as_str().unwrap()), "{name}: analyser {a}");
        }
    };
    for (name, f) in properties {
        check_field(name, f);
        if let Some(sub) = f.get("fields") {
            for (s, f) in sub.as_object().unwrap() {
                check_field(&format!("{name}.{s}"), f);
            }
        }
    }
    // One analysed pair per opedex language, with the built-in analyser of
    // the same stemmer.
    for (key, analyser) in [
        ("en", "english"),
        ("de", "german"),
        ("ru", "russian"),
        ("fr", "french"),
        ("es", "spanish"),
        ("tr", "turkish"),
    ] {
        assert_eq!(properties[&format!("body_{key}")]["analyzer"], analyser);
        assert_eq!(properties[&format!("title_{key}")]["analyzer"], analyser);
    }
    assert_eq!(properties["published"]["type"], "date");
    assert_eq!(
        properties["authors"]["fields"]["keyword"]["type"],
        "keyword"
    );
    assert_eq!(
        properties["section"]["fields"]["keyword"]["type"],
        "keyword"
    );
    assert_eq!(properties["article_json"]["enabled"], false);

    // The documents: every key mapped, values of the mapped type.
    let docs = documents(&out, true, 100_000_000);
    check_documents(
        &docs,
        report["passages"].as_u64().unwrap(),
        report["articles"].as_u64().unwrap(),
    );
    for d in &docs {
        for (k, v) in d.as_object().unwrap() {
            let ty = properties
                .get(k)
                .unwrap_or_else(|| panic!("document key {k} is not in the strict mapping"))["type"]
                .as_str()
                .unwrap();
            let fits = |x: &Value| match ty {
                "keyword" | "text" => x.is_string(),
                "integer" => x.as_u64().is_some_and(|n| n <= i32::MAX as u64),
                "date" => x
                    .as_str()
                    .is_some_and(|s| s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T'),
                "object" => x.is_object(),
                other => panic!("unexpected type {other}"),
            };
            let ok = match v {
                Value::Array(items) => ty != "object" && items.iter().all(fits),
                x => fits(x),
            };
            assert!(ok, "{k} = {v} does not fit {ty}");
        }
    }

    // LOAD.md: the exact commands, one `_bulk` request per file.
    let load = fs::read_to_string(out.join("LOAD.md")).unwrap();
    assert!(load.contains("curl -XPUT \"$ES/_index_template/opedex\" -H 'Content-Type: application/json' --data-binary @index-template.json"), "{load}");
    for f in data_files(&out) {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        assert!(load.contains(&format!("curl -XPOST \"$ES/_bulk\" -H 'Content-Type: application/x-ndjson' --data-binary @{name}")), "{load}");
    }
}

#[test]
fn quickwit_export_follows_the_documented_index_config() {
    let dir = tempdir();
    let index = corpus_index(dir.path());
    let out = dir.path().join("qw");
    let run = export(&index, "quickwit", &out, &["--json"]).expect(0);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let qw = engine_doc("quickwit.json");
    let yaml = fs::read_to_string(out.join("quickwit-index.yaml")).unwrap();
    let config: Value =
        serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("YAML: {e}\n{yaml}"));
    for k in strings(&qw["required_keys"]) {
        assert!(config.get(&k).is_some(), "required key {k}");
    }
    for k in config.as_object().unwrap().keys() {
        assert!(strings(&qw["allowed_keys"]).contains(k), "key {k}");
    }
    assert!(
        strings(&qw["config_versions"]).contains(&config["version"].as_str().unwrap().to_string()),
        "version is a string YAML keeps: {}",
        config["version"]
    );
    let id_rule = qw["index_id_pattern"].as_str().unwrap();
    assert_eq!(id_rule, "^[a-zA-Z][a-zA-Z0-9_-]{2,254}$");
    let id = config["index_id"].as_str().unwrap();
    assert!(
        id.len() >= 3
            && id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    );
    let dm = &config["doc_mapping"];
    for k in dm.as_object().unwrap().keys() {
        assert!(
            strings(&qw["doc_mapping_keys"]).contains(k),
            "doc_mapping key {k}"
        );
    }
    assert!(strings(&qw["modes"]).contains(&dm["mode"].as_str().unwrap().to_string()));
    assert_eq!(dm["mode"], "strict");
    let fields = dm["field_mappings"].as_array().unwrap();
    let mut by_name = std::collections::HashMap::new();
    for f in fields {
        let name = f["name"].as_str().unwrap();
        assert!(
            name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)),
            "field name {name}"
        );
        let ty = f["type"].as_str().unwrap();
        let base = match ty.strip_prefix("array<").and_then(|t| t.strip_suffix('>')) {
            Some(item) => {
                assert!(
                    strings(&qw["array_item_types"]).contains(&item.to_string()),
                    "{name}: {ty}"
                );
                item
            }
            None => ty,
        };
        assert!(
            strings(&qw["field_types"]).contains(&base.to_string()),
            "{name}: type {ty}"
        );
        let params = strings(&qw["field_parameters"][base]);
        for k in f.as_object().unwrap().keys() {
            assert!(params.contains(k), "{name}: {base} has no parameter {k}");
        }
        if let Some(t) = f.get("tokenizer") {
            assert!(
                strings(&qw["tokenizers"]).contains(&t.as_str().unwrap().to_string()),
                "{name}: tokenizer {t}"
            );
        }
        if let Some(r) = f.get("record") {
            assert!(strings(&qw["record"]).contains(&r.as_str().unwrap().to_string()));
        }
        if let Some(formats) = f.get("input_formats") {
            for x in strings(formats) {
                assert!(strings(&qw["datetime_input_formats"]).contains(&x));
            }
        }
        if let Some(p) = f.get("fast_precision") {
            assert!(strings(&qw["fast_precisions"]).contains(&p.as_str().unwrap().to_string()));
        }
        assert!(
            by_name.insert(name.to_string(), f.clone()).is_none(),
            "{name} once"
        );
    }
    // The timestamp field is a fast datetime; tags and search fields exist.
    let ts = &by_name[dm["timestamp_field"].as_str().unwrap()];
    assert_eq!(ts["type"], "datetime");
    assert_eq!(ts["fast"], true);
    for t in strings(&dm["tag_fields"]) {
        assert!(by_name.contains_key(&t), "tag field {t}");
    }
    for f in strings(&config["search_settings"]["default_search_fields"]) {
        assert_eq!(by_name[&f]["type"], "text", "search field {f}");
    }
    assert_eq!(by_name["body_en"]["tokenizer"], "en_stem");
    assert_eq!(by_name["body_xx"]["tokenizer"], "chinese_compatible");
    assert_eq!(
        by_name["body_en"]["record"], "position",
        "phrase queries need positions"
    );
    for facet in ["article_id", "authors", "outlet", "topics", "lang"] {
        assert_eq!(
            by_name[facet]["fast"], true,
            "{facet} is a fast field for aggregations"
        );
    }

    // The documents: every key mapped (strict), values of the mapped type.
    let docs = documents(&out, false, 100_000_000);
    check_documents(
        &docs,
        report["passages"].as_u64().unwrap(),
        report["articles"].as_u64().unwrap(),
    );
    for d in &docs {
        for (k, v) in d.as_object().unwrap() {
            let f = by_name
                .get(k)
                .unwrap_or_else(|| panic!("document key {k} is not mapped"));
            let ty = f["type"].as_str().unwrap();
            let ok = match ty {
                "text" => v.is_string(),
                "array<text>" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                "u64" => v.is_u64(),
                "datetime" => v.as_str().is_some_and(|s| s.ends_with('Z')),
                "json" => v.is_object(),
                other => panic!("unexpected type {other}"),
            };
            assert!(ok, "{k} = {v} does not fit {ty}");
        }
    }
    let load = fs::read_to_string(out.join("LOAD.md")).unwrap();
    assert!(load.contains("quickwit index create --index-config quickwit-index.yaml"));
    for f in data_files(&out) {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            load.contains(&format!(
                "quickwit index ingest --index opedex --input-path {name}"
            )),
            "{load}"
        );
    }
}

#[test]
fn bulk_files_rotate_under_the_limit_and_re_exporting_replaces_an_export() {
    let dir = tempdir();
    let index = corpus_index(dir.path());
    let out = dir.path().join("os");
    let limit = 20_000u64;
    let run = export(
        &index,
        "opensearch",
        &out,
        &["--json", "--max-file-bytes", &limit.to_string()],
    )
    .expect(0);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let files = data_files(&out);
    assert!(
        files.len() >= 4,
        "a tiny limit makes several files: {files:?}"
    );
    let docs = documents(&out, true, limit);
    check_documents(
        &docs,
        report["passages"].as_u64().unwrap(),
        report["articles"].as_u64().unwrap(),
    );
    // Exporting again into the same directory replaces the files.
    let again = export(&index, "opensearch", &out, &[]).expect(0);
    assert!(again.stdout.contains("1 data file"), "{}", again.stdout);
    assert_eq!(data_files(&out).len(), 1);
    // A directory with other files is refused, and nothing is deleted.
    let other = dir.path().join("other");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("notes.txt"), "mine").unwrap();
    let refused = export(&index, "quickwit", &other, &[]).expect(2);
    assert!(refused.stderr.contains("notes.txt"), "{}", refused.stderr);
    assert!(other.join("notes.txt").exists());
    // Bad input: a missing index, an unknown engine.
    let missing = export(
        &dir.path().join("nope"),
        "quickwit",
        &dir.path().join("q"),
        &[],
    )
    .expect(2);
    assert!(missing.stderr.contains("nope"), "{}", missing.stderr);
    opedex(&["export", "--to", "solr", s(&dir.path().join("q"))]).expect(2);
}

/// `search --json --plain` lines without `source`, which names the file
/// opedex read: the export's NDJSON after a round trip (the original's is
/// then `claimed_source`, which search does not print); and apart, the
/// scores. The same documents lie in other segments after a round trip,
/// and BM25's collection statistics are f32 sums over segments, so a score
/// may differ in its last bit (12.142257 against 12.142258); ranks,
/// passages, texts and highlights must be equal.
fn plain_search(index: &Path, query: &str) -> (Vec<Value>, Vec<f64>) {
    let run = opedex(&[
        "search",
        "--json",
        "--plain",
        "-n",
        "20",
        "--per-article",
        "3",
        "--index",
        s(index),
        "--",
        query,
    ]);
    assert!(run.code == 0 || run.code == 1, "{query}: {}", run.stderr);
    let mut scores = Vec::new();
    let lines = run
        .json_lines()
        .into_iter()
        .map(|mut l| {
            let o = l.as_object_mut().unwrap();
            o.remove("source");
            scores.extend(o.remove("score").and_then(|s| s.as_f64()));
            l
        })
        .collect();
    (lines, scores)
}

#[test]
fn round_trip_through_both_exports_gives_the_same_index() {
    let dir = tempdir();
    let index = corpus_index(dir.path());
    let queries = fs::read_to_string(root().join("tests/data/export-queries.txt")).unwrap();
    let queries: Vec<&str> = queries.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(queries.len() >= 20);
    for engine in ["opensearch", "quickwit"] {
        let out = dir.path().join(engine);
        // Small files, so the round trip also regroups across files.
        export(&index, engine, &out, &["--max-file-bytes", "30000"]).expect(0);
        let back = dir.path().join(format!("back-{engine}"));
        let mut args = vec!["ingest".to_string(), "--index".into(), s(&back).into()];
        args.extend(data_files(&out).iter().map(|p| s(p).to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = opedex(&args).expect(0);
        assert!(
            run.stderr.is_empty() || !run.stderr.contains("skipped:"),
            "{}",
            run.stderr
        );
        assert_eq!(stats(&back), stats(&index), "{engine}: stats --json");
        let mut hits = 0;
        for q in &queries {
            let (a, score_a) = plain_search(&index, q);
            let (b, score_b) = plain_search(&back, q);
            assert_eq!(a, b, "{engine}: search --json --plain {q:?}");
            for (x, y) in score_a.iter().zip(&score_b) {
                assert!(
                    (x - y).abs() <= 1e-5 * x.abs().max(1.0),
                    "{engine}: {q:?}: score {x} against {y}"
                );
            }
            hits += a.len().saturating_sub(1);
        }
        assert!(hits > 50, "the queries find something: {hits}");
    }
}

#[test]
fn search_as_prints_each_engines_first_stage() {
    let dir = tempdir();
    let index = corpus_index(dir.path());
    let os = opedex(&[
        "search",
        "--index",
        s(&index),
        "--as",
        "opensearch",
        "--facets",
        "--author",
        "ferreira",
        "--since",
        "2020",
        "rent",
        "\"planning rules\"",
        "--",
        "-villain",
    ])
    .expect(0);
    let q: Value = serde_json::from_str(&os.stdout).unwrap();
    let b = &q["query"]["bool"];
    let should = b["should"].as_array().unwrap();
    assert_eq!(should[0]["multi_match"]["query"], "rent");
    assert_eq!(should[0]["multi_match"]["type"], "most_fields");
    let fields = strings(&should[0]["multi_match"]["fields"]);
    assert!(
        fields.contains(&"title_en^1.5".to_string()) && fields.contains(&"body_en".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"body_de".to_string()),
        "every language of the index: {fields:?}"
    );
    // A phrase is required, as in opedex; the words then only score.
    assert_eq!(b["must"][0]["multi_match"]["type"], "phrase");
    assert_eq!(b["must"][0]["multi_match"]["query"], "planning rules");
    assert!(b.get("minimum_should_match").is_none());
    assert_eq!(b["must_not"][0]["multi_match"]["query"], "villain");
    let filter = b["filter"].as_array().unwrap();
    assert!(
        filter.contains(&json!({"match": {"authors": {"query": "ferreira", "operator": "and"}}})),
        "{filter:?}"
    );
    assert!(
        filter.contains(&json!({"range": {"published": {"gte": "2020-01-01"}}})),
        "{filter:?}"
    );
    assert_eq!(q["aggs"]["outlets"]["terms"]["field"], "outlet");
    assert_eq!(q["aggs"]["authors"]["terms"]["field"], "authors.keyword");
    assert_eq!(
        q["aggs"]["outlets"]["aggs"]["articles"]["cardinality"]["field"],
        "article_id"
    );
    assert_eq!(q["size"], 200);

    let qw = opedex(&[
        "search",
        "--index",
        s(&index),
        "--as",
        "quickwit",
        "--facets",
        "--lang",
        "en",
        "--until",
        "2023-06",
        "heat",
        "pumps",
    ])
    .expect(0);
    let q: Value = serde_json::from_str(&qw.stdout).unwrap();
    let text = q["query"].as_str().unwrap();
    assert!(text.starts_with("((title_"), "{text}");
    assert!(
        text.contains("body_en:\"heat\"") && text.contains("body_en:\"pumps\""),
        "{text}"
    );
    assert!(text.ends_with(" AND lang:\"en\""), "{text}");
    assert_eq!(
        q["end_timestamp"], 1688169600,
        "the day after 2023-06-30, exclusive"
    );
    assert_eq!(q["aggs"]["topics"]["terms"]["field"], "topics");
    assert_eq!(q["max_hits"], 200);
    // The same bad input as search: exit 2.
    opedex(&[
        "search",
        "--index",
        s(&index),
        "--as",
        "quickwit",
        "--since",
        "2020-13",
        "x",
    ])
    .expect(2);
}

#[test]
fn reranking_an_engines_hits_is_opedex_ranking_over_them() {
    use opedex::{Index, SearchRequest};
    let dir = tempdir();
    let index_path = corpus_index(dir.path());
    let out = dir.path().join("qw");
    export(&index_path, "quickwit", &out, &[]).expect(0);
    let docs = documents(&out, false, u64::MAX);
    let index = Index::open(&index_path).unwrap();
    // With every passage as the engine's top-K, re-ranking them is a search
    // of the same documents: the same hits in the same order.
    for q in [
        "rent control",
        "heat pumps plumbers",
        "care homes migration",
        "tariff tax",
    ] {
        let mut req = SearchRequest::new(q);
        req.limit = 5;
        let want = index.search(&req).unwrap();
        let got = opedex::rerank(&req, &docs).unwrap();
        let ids = |r: &opedex::SearchResults| -> Vec<(String, usize)> {
            r.hits
                .iter()
                .map(|h| (h.article.id.clone(), h.passage))
                .collect()
        };
        assert!(!want.hits.is_empty(), "{q}");
        assert_eq!(ids(&got), ids(&want), "{q}");
        assert_eq!(
            got.hits[0].article, want.hits[0].article,
            "{q}: the exported article"
        );
        assert_eq!(got.hits[0].text, want.hits[0].text);
    }
    // OpenSearch hits (`_source`) of a few passages: re-ranked among themselves.
    let pool: Vec<Value> = docs
        .iter()
        .filter(|d| d.to_string().to_lowercase().contains("rent"))
        .map(|d| json!({"_id": d["id"], "_score": 1.0, "_source": d}))
        .collect();
    let got = opedex::rerank(&SearchRequest::new("rent control"), &pool).unwrap();
    let allowed: BTreeSet<String> = pool
        .iter()
        .map(|h| h["_source"]["article_id"].as_str().unwrap().to_string())
        .collect();
    assert!(!got.hits.is_empty());
    assert!(got.hits.iter().all(|h| allowed.contains(&h.article.id)));
    let bad = opedex::rerank(&SearchRequest::new("x"), &[json!({"title": "t"})]).unwrap_err();
    assert!(bad.to_string().contains("hit 1"), "{bad}");
}
