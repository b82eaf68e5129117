//! One record into an [`Article`]: each field's value checked for its type
//! and converted, a body given as paragraphs or segments joined into text.

use serde_json::{Map, Value};

use super::{Field, FieldMap};
use crate::article::{Appearance, Article, AuthorCard, Source};
use crate::ingest::error::ReadError;

/// Builds an [`Article`] from one record, without cleaning it.
///
/// Values may be strings, numbers, lists of strings, lists of objects with a
/// `name` (schema.org authors; `Organization` authors are skipped), or objects
/// with a `name`. `authors` as one string stays one raw string (the pipeline
/// splits and cleans names); `topics` (and a canonical article's `keywords`)
/// as one string is split at `,` and `;`, and `_` in topic slugs becomes a
/// space. A body given as a list is a list of
/// paragraphs; a paragraph that is itself a list of segments (strings or
/// objects with `text`, as in Webis-Editorials) is joined into running text,
/// and a first paragraph labelled `title` becomes the title when the record
/// has none. The canonical `author_cards` and `also_in` are read as they
/// are; a `source` object (with a `path`) is the record's claim of where it
/// came from and becomes `claimed_source` (the pipeline sets `source` to the
/// file it read).
///
/// Errors name the Article field, the record field and the type found.
pub fn article_from_record(
    record: &Map<String, Value>,
    map: &FieldMap,
) -> Result<Article, ReadError> {
    let mut a = Article::default();

    let mut title = match map.lookup(record, Field::Title) {
        Some((key, v)) => Some(text(Field::Title, key, v)?),
        None => None,
    };
    let (key, value) = map
        .lookup(record, Field::Body)
        .ok_or_else(|| missing(map, Field::Body))?;
    a.body = match value {
        Value::Array(items) => {
            let (heading, body) = paragraphs(key, items)?;
            if title.is_none() {
                title = heading;
            }
            body
        }
        other => text(Field::Body, key, other)?,
    };
    a.title = title.ok_or_else(|| missing(map, Field::Title))?;

    let opt = |field: Field| -> Result<Option<String>, ReadError> {
        match map.lookup(record, field) {
            Some((key, v)) => text(field, key, v).map(Some),
            None => Ok(None),
        }
    };
    a.id = opt(Field::Id)?.unwrap_or_default();
    a.outlet = opt(Field::Outlet)?;
    a.site = opt(Field::Site)?;
    a.section = opt(Field::Section)?;
    a.published = opt(Field::Published)?;
    a.url = opt(Field::Url)?;
    a.lang = opt(Field::Lang)?;
    if let Some((key, v)) = map.lookup(record, Field::Authors) {
        a.authors = list(Field::Authors, key, v)?;
    }
    let labels = |key: &str, v: &Value| -> Result<Vec<String>, ReadError> {
        Ok(list(Field::Topics, key, v)?
            .iter()
            .flat_map(|t| t.split([',', ';']))
            .map(|t| t.replace('_', " ").trim().to_string())
            .filter(|t| !t.is_empty())
            .collect())
    };
    let topics_from = map.lookup(record, Field::Topics);
    if let Some((key, v)) = topics_from {
        a.topics = labels(key, v)?;
    }
    // A canonical article's keywords (unless they already served as topics).
    if let Some(v) = record.get("keywords").filter(|v| !v.is_null()) {
        if topics_from.is_none_or(|(key, _)| !key.eq_ignore_ascii_case("keywords")) {
            a.keywords = labels("keywords", v)?;
        }
    }
    if let Some(cards) = record.get("author_cards").filter(|v| !v.is_null()) {
        a.author_cards = canonical::<Vec<AuthorCard>>(cards, "author_cards")?;
    }
    if let Some(also) = record.get("also_in").filter(|v| !v.is_null()) {
        a.also_in = canonical::<Vec<Appearance>>(also, "also_in")?;
    }
    if let Some(source) = record.get("source").filter(|v| v.get("path").is_some()) {
        a.claimed_source = Some(canonical::<Source>(source, "source")?);
    }
    Ok(a)
}

/// Reads a canonical sub-object with serde, naming the field in errors.
fn canonical<T: serde::de::DeserializeOwned>(
    v: &Value,
    field: &'static str,
) -> Result<T, ReadError> {
    T::deserialize(v).map_err(|e| ReadError::Canonical {
        field,
        message: e.to_string(),
    })
}

fn missing(map: &FieldMap, field: Field) -> ReadError {
    ReadError::MissingField {
        field,
        looked_for: map
            .names_for(field)
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// `a number`, `an array of 3 items`, …, for error messages.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(a) if a.len() == 1 => "an array of 1 item".into(),
        Value::Array(a) => format!("an array of {} items", a.len()),
        Value::Object(_) => "an object without `name`".into(),
    }
}

fn wrong(field: Field, key: &str, expected: &'static str, v: &Value) -> ReadError {
    ReadError::WrongType {
        field,
        key: key.to_string(),
        expected,
        found: kind(v),
    }
}

/// A single text value: a string, a number (not for the body), an object's `name` (or `$date`
/// for Mongo-style dates), or a list holding exactly one of those.
fn text(field: Field, key: &str, v: &Value) -> Result<String, ReadError> {
    let expected = "a string";
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) if field != Field::Body => Ok(n.to_string()),
        Value::Object(o) => {
            let inner = o
                .get("name")
                .or_else(|| {
                    if field == Field::Published {
                        o.get("$date")
                    } else {
                        None
                    }
                })
                .or_else(|| {
                    if field == Field::Url {
                        o.get("@id")
                    } else {
                        None
                    }
                });
            match inner {
                Some(inner @ (Value::String(_) | Value::Number(_))) => text(field, key, inner),
                _ => Err(wrong(field, key, expected, v)),
            }
        }
        Value::Array(items) if items.len() == 1 && !items[0].is_array() => {
            text(field, key, &items[0]).map_err(|_| wrong(field, key, expected, v))
        }
        _ => Err(wrong(field, key, expected, v)),
    }
}

/// A list of names: one string (kept whole), a list of strings or objects
/// with a `name`, or one such object.
fn list(field: Field, key: &str, v: &Value) -> Result<Vec<String>, ReadError> {
    let expected = "a string, a list of strings or objects with a `name`";
    let one = |item: &Value| -> Result<Option<String>, ReadError> {
        match item {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Object(o) => {
                let ty = o.get("@type").and_then(Value::as_str).unwrap_or("");
                if field == Field::Authors && ty.ends_with("Organization") {
                    return Ok(None);
                }
                match o.get("name") {
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(Value::Array(names)) => Ok(names
                        .iter()
                        .filter_map(Value::as_str)
                        .next()
                        .map(str::to_string)),
                    _ => {
                        let part = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("");
                        let joined = format!("{} {}", part("givenName"), part("familyName"));
                        let joined = joined.trim();
                        if joined.is_empty() {
                            Err(wrong(field, key, expected, v))
                        } else {
                            Ok(Some(joined.to_string()))
                        }
                    }
                }
            }
            _ => Err(wrong(field, key, expected, v)),
        }
    };
    match v {
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                if let Some(s) = one(item)? {
                    out.push(s);
                }
            }
            Ok(out)
        }
        Value::Bool(_) => Err(wrong(field, key, expected, v)),
        other => Ok(one(other)?.into_iter().collect()),
    }
}

/// A body given as a list of paragraphs. Returns the title paragraph (the
/// first, when all its segments are labelled `title`) and the body.
fn paragraphs(key: &str, items: &[Value]) -> Result<(Option<String>, String), ReadError> {
    let mut title = None;
    let mut out: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let para = match item {
            Value::Null => continue,
            Value::String(s) => s.trim().to_string(),
            Value::Object(o) => match o.get("text") {
                Some(Value::String(s)) => s.trim().to_string(),
                _ => {
                    return Err(ReadError::ParagraphWithoutText {
                        key: key.to_string(),
                        n: i + 1,
                    })
                }
            },
            Value::Array(segments) => {
                let mut texts = Vec::with_capacity(segments.len());
                let mut all_title = !segments.is_empty();
                for seg in segments {
                    match seg {
                        Value::String(s) => {
                            all_title = false;
                            texts.push(s.as_str());
                        }
                        Value::Object(o) => {
                            all_title &= o.get("label").and_then(Value::as_str) == Some("title");
                            if let Some(Value::String(s)) = o.get("text") {
                                texts.push(s.as_str());
                            }
                        }
                        Value::Null => {}
                        _ => {
                            return Err(ReadError::ParagraphSegment {
                                key: key.to_string(),
                                n: i + 1,
                                found: kind(seg),
                            })
                        }
                    }
                }
                let joined = join_segments(&texts);
                if i == 0 && all_title {
                    title = Some(strip_title_stop(&joined));
                    continue;
                }
                joined
            }
            Value::Bool(_) | Value::Number(_) => {
                return Err(ReadError::ParagraphNotText {
                    key: key.to_string(),
                    n: i + 1,
                    found: kind(item),
                })
            }
        };
        if !para.is_empty() {
            out.push(para);
        }
    }
    Ok((title, out.join("\n\n")))
}

/// A headline with the one full stop that segmenting corpora append removed
/// (an ellipsis stays).
pub(super) fn strip_title_stop(title: &str) -> String {
    match title.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') => rest.trim_end().to_string(),
        _ => title.to_string(),
    }
}

/// Joins the segments of one paragraph into running text.
///
/// Segmented corpora (Webis-Editorials) cut text mid-sentence and often make
/// punctuation its own segment, so a plain space join would leave `word .`.
/// A space goes between segments except before closing punctuation, after an
/// opening bracket, inside a quote that the segment opens or closes, before a
/// closing single quote, and inside a split contraction (`there'` + `s`).
/// Backslash escapes (`\.`, `\'`, `\"`) are undone.
fn join_segments(texts: &[&str]) -> String {
    let mut out = String::new();
    let mut quotes = 0usize;
    for raw in texts {
        let seg = unescape(raw);
        let seg = seg.trim();
        if seg.is_empty() {
            continue;
        }
        if !out.is_empty() && needs_space(&out, seg, quotes % 2 == 1) {
            out.push(' ');
        }
        out.push_str(seg);
        quotes += seg.matches('"').count();
    }
    crate::clean::collapse(&out)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next @ ('.' | '\'' | '"')) = chars.peek() {
                out.push(next);
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn needs_space(prev: &str, next: &str, in_quote: bool) -> bool {
    const CLOSING: &[char] = &['.', ',', ';', ':', '?', '!', ')', ']', '}', '%', '…'];
    let mut n = next.chars();
    let (Some(first), Some(last)) = (n.next(), prev.chars().next_back()) else {
        return false;
    };
    let second = n.next();
    if CLOSING.contains(&first) {
        return false;
    }
    if first == '*' && second.is_none_or(|c| !c.is_alphanumeric()) {
        return false;
    }
    if matches!(last, '(' | '[' | '{') {
        return false;
    }
    if (first == '"' || last == '"') && in_quote {
        return false;
    }
    if first == '\'' && second.is_none_or(|c| CLOSING.contains(&c) || c.is_whitespace()) {
        return false;
    }
    if last == '\'' {
        let before = prev.chars().rev().nth(1);
        let word: String = next.chars().take_while(|c| c.is_alphanumeric()).collect();
        if before.is_some_and(char::is_alphabetic)
            && matches!(word.as_str(), "s" | "t" | "d" | "m" | "ll" | "re" | "ve")
        {
            return false;
        }
    }
    true
}
