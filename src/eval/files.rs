//! Reading evaluation queries and TREC qrels, writing TREC run files.
//!
//! Queries are TSV (`qid<TAB>text`) or JSON Lines (`{"qid","query","filters"}`,
//! filters named as `search`'s flags, and an optional `split` such as
//! `tune` or `check`; other fields of a line, such as notes a set's author
//! keeps with it, are ignored); the format is chosen by extension
//! (`.jsonl`/`.ndjson`) or, failing that, by the first non-blank character.
//! Qrels are TREC lines `qid iter docid grade`. Every error names the file
//! and line.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::date;
use crate::error::{Error, Result};
use crate::search::Filters;

use super::metrics::Judgments;

/// One evaluation query.
#[derive(Debug, Clone)]
pub struct EvalQuery {
    /// The query id, as in the qrels.
    pub qid: String,
    /// The query text, in `search`'s query language.
    pub query: String,
    /// Metadata filters, as `search --author …` etc.
    pub filters: Filters,
    /// The part of the set the query belongs to (`tune`, `check`), if given.
    pub split: Option<String>,
}

/// Judgments per query id.
pub type Qrels = BTreeMap<String, Judgments>;

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn bad(path: &Path, line: usize, msg: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("{}:{line}: {msg}", path.display()))
}

/// One string or several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFilters {
    #[serde(default, alias = "authors")]
    author: Option<OneOrMany>,
    #[serde(default, alias = "outlets")]
    outlet: Option<OneOrMany>,
    #[serde(default, alias = "sections")]
    section: Option<OneOrMany>,
    #[serde(default, alias = "topics")]
    topic: Option<OneOrMany>,
    #[serde(default, alias = "langs")]
    lang: Option<OneOrMany>,
    #[serde(default)]
    since: Option<String>,
    #[serde(default)]
    until: Option<String>,
}

/// A query line. Unknown fields are errors, like unknown filters: a
/// misspelt key would otherwise be silently ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonQuery {
    qid: serde_json::Value,
    query: String,
    #[serde(default)]
    filters: Option<JsonFilters>,
    /// The known-item sets' rank of the target under the prebuilt binary
    /// (`tests/eval/known-README.md`): read, not used.
    #[serde(default, rename = "lexical_rank")]
    _lexical_rank: Option<u32>,
    /// The known-item sets' `tune`/`check` split (`eval --split`).
    #[serde(default)]
    split: Option<String>,
}

fn qid_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn filters_from(f: JsonFilters) -> std::result::Result<Filters, String> {
    let many = |o: Option<OneOrMany>| o.map(OneOrMany::into_vec).unwrap_or_default();
    let bound = |raw: Option<String>, end: bool, name: &str| {
        raw.map(|r| date::parse_bound(&r, end).map_err(|e| format!("filter {name} {r:?}: {e}")))
            .transpose()
    };
    Ok(Filters {
        authors: many(f.author),
        outlets: many(f.outlet),
        sections: many(f.section),
        topics: many(f.topic),
        langs: many(f.lang)
            .into_iter()
            .map(|l| l.trim().to_lowercase())
            .collect(),
        since: bound(f.since, false, "since")?,
        until: bound(f.until, true, "until")?,
        articles: Vec::new(),
    })
}

/// Reads a query file (TSV or JSON Lines). Query ids must be unique.
pub fn read_queries(path: &Path) -> Result<Vec<EvalQuery>> {
    let text = read(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let json = match ext.as_deref() {
        Some("jsonl" | "ndjson") => true,
        Some("tsv" | "txt") => false,
        _ => text.trim_start().starts_with('{'),
    };
    let mut out: Vec<EvalQuery> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let q = if json {
            let j: JsonQuery =
                serde_json::from_str(line).map_err(|e| bad(path, n, format!("bad query: {e}")))?;
            let qid = qid_string(&j.qid)
                .ok_or_else(|| bad(path, n, "qid must be a non-empty string or a number"))?;
            let filters =
                filters_from(j.filters.unwrap_or_default()).map_err(|e| bad(path, n, e))?;
            EvalQuery {
                qid,
                query: j.query,
                filters,
                split: j.split,
            }
        } else {
            let Some((qid, query)) = line.split_once('\t') else {
                return Err(bad(path, n, "expected `qid<TAB>query text`"));
            };
            if qid.trim().is_empty() {
                return Err(bad(path, n, "empty query id"));
            }
            EvalQuery {
                qid: qid.trim().to_string(),
                query: query.trim().to_string(),
                filters: Filters::default(),
                split: None,
            }
        };
        if q.query.trim().is_empty() && q.filters.is_empty() {
            return Err(bad(path, n, format!("query {} has no text", q.qid)));
        }
        if let Some(first) = seen.insert(q.qid.clone(), n) {
            return Err(bad(
                path,
                n,
                format!("query id {} already used on line {first}", q.qid),
            ));
        }
        out.push(q);
    }
    Ok(out)
}

/// Reads TREC qrels (`qid iter docid grade`, whitespace-separated).
pub fn read_qrels(path: &Path) -> Result<Qrels> {
    let text = read(path)?;
    let mut out = Qrels::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() || fields[0].starts_with('#') {
            continue;
        }
        let [qid, _iter, docid, grade] = fields[..] else {
            return Err(bad(
                path,
                n,
                format!(
                    "expected 4 fields `qid 0 docid grade`, found {}",
                    fields.len()
                ),
            ));
        };
        let grade: i32 = grade
            .parse()
            .map_err(|_| bad(path, n, format!("grade {grade:?} is not an integer")))?;
        out.entry(qid.to_string())
            .or_default()
            .insert(docid.to_string(), grade);
    }
    Ok(out)
}

/// One ranked document of a run.
#[derive(Debug, Clone)]
pub struct RunLine<'a> {
    /// Query id.
    pub qid: &'a str,
    /// Document id.
    pub docid: &'a str,
    /// 1-based rank.
    pub rank: usize,
    /// Score; must not increase with rank.
    pub score: f64,
}

/// TREC run lines: `qid Q0 docid rank score tag`.
pub fn run_text<'a>(lines: impl IntoIterator<Item = RunLine<'a>>, tag: &str) -> String {
    let mut out = String::new();
    for l in lines {
        let _ = writeln!(
            out,
            "{} Q0 {} {} {:.6} {tag}",
            l.qid, l.docid, l.rank, l.score
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    #[test]
    fn tsv_and_jsonl_queries() {
        let (_d, p) = file("q.tsv", "1\tpeace treaty\n\n# note\n2\t\"heat pumps\"\n");
        let q = read_queries(&p).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(
            (q[1].qid.as_str(), q[1].query.as_str()),
            ("2", "\"heat pumps\"")
        );
        let (_d, p) = file(
            "q.jsonl",
            r#"{"qid":7,"query":"housing","filters":{"author":"achterberg","lang":["EN"],"since":"2020"}}"#,
        );
        let q = read_queries(&p).unwrap();
        assert_eq!(q[0].qid, "7");
        assert_eq!(q[0].filters.authors, vec!["achterberg"]);
        assert_eq!(q[0].filters.langs, vec!["en"]);
        assert_eq!(q[0].filters.since.unwrap().to_string(), "2020-01-01");
        // The known-item sets' extra fields are read; others are refused.
        let (_d, p) = file(
            "q.jsonl",
            "{\"qid\":\"kp01\",\"query\":\"a\",\"filters\":{},\"lexical_rank\":2,\"split\":\"check\"}\n\
             {\"qid\":\"kp02\",\"query\":\"b\",\"filters\":{},\"lexical_rank\":null,\"split\":\"tune\"}\n",
        );
        let q = read_queries(&p).unwrap();
        assert_eq!((q[0].qid.as_str(), q[1].query.as_str()), ("kp01", "b"));
        let (_d, p) = file("q.jsonl", "{\"qid\":\"a\",\"query\":\"x\",\"rank\":2}\n");
        let e = read_queries(&p).unwrap_err().to_string();
        assert!(e.contains("unknown field `rank`"), "{e}");
    }

    #[test]
    fn the_known_item_fields_are_read_and_the_split_is_kept() {
        let (_d, p) = file(
            "q.jsonl",
            "{\"qid\":\"kp1\",\"query\":\"x\",\"filters\":{},\"lexical_rank\":null,\"split\":\"tune\"}\n\
             {\"qid\":\"kp2\",\"query\":\"y\",\"lexical_rank\":3}\n",
        );
        let q = read_queries(&p).unwrap();
        assert_eq!(q[0].split.as_deref(), Some("tune"));
        assert_eq!(q[1].split, None);
        assert_eq!(q[1].query, "y");
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let (_d, p) = file("q.tsv", "1\tok\nno tab here\n");
        let e = read_queries(&p).unwrap_err().to_string();
        assert!(e.ends_with("q.tsv:2: expected `qid<TAB>query text`"), "{e}");
        let (_d, p) = file("q.tsv", "1\ta\n1\tb\n");
        let e = read_queries(&p).unwrap_err().to_string();
        assert!(
            e.contains("q.tsv:2: query id 1 already used on line 1"),
            "{e}"
        );
        let (_d, p) = file(
            "q.jsonl",
            "{\"qid\":\"a\",\"query\":\"x\",\"filters\":{\"colour\":1}}\n",
        );
        let e = read_queries(&p).unwrap_err().to_string();
        assert!(
            e.contains("q.jsonl:1: bad query: unknown field `colour`"),
            "{e}"
        );
        let (_d, p) = file(
            "q.jsonl",
            "{\"qid\":\"a\",\"query\":\"x\",\"filters\":{\"since\":\"May\"}}\n",
        );
        let e = read_queries(&p).unwrap_err().to_string();
        assert!(e.contains("q.jsonl:1: filter since \"May\""), "{e}");
        let (_d, p) = file("r.txt", "1 0 a 1\n1 0 b\n");
        let e = read_qrels(&p).unwrap_err().to_string();
        assert!(e.contains("r.txt:2: expected 4 fields"), "{e}");
        let (_d, p) = file("r.txt", "1 0 a high\n");
        let e = read_qrels(&p).unwrap_err().to_string();
        assert!(
            e.contains("r.txt:1: grade \"high\" is not an integer"),
            "{e}"
        );
    }

    #[test]
    fn qrels_and_run_format() {
        let (_d, p) = file("r.txt", "1 0 a 2\n1 0 b 0\n\n2 Q0 c 1\n");
        let q = read_qrels(&p).unwrap();
        assert_eq!(q["1"]["a"], 2);
        assert_eq!(q["1"]["b"], 0);
        assert_eq!(q["2"]["c"], 1);
        let text = run_text(
            [RunLine {
                qid: "1",
                docid: "a#3",
                rank: 1,
                score: 2.5,
            }],
            "opedex",
        );
        assert_eq!(text, "1 Q0 a#3 1 2.500000 opedex\n");
    }
}
