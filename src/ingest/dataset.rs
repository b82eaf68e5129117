//! Dataset dumps: records whose fields name an article's parts differently.
//!
//! A [`FieldMap`] says which record field feeds which [`Article`] field:
//! explicitly (`--map body=content_original,outlet=source`) or, for the
//! fields not mapped, from a list of common names looked up without regard to
//! case ([`Field::common_names`]). The canonical Article name always comes
//! first, so canonical JSON Lines read as they always did.
//!
//! [`article_from_record`] builds an article from one record. It only maps and
//! checks types: names, dates, topics and the id are normalised later by the
//! pipeline's `complete()`. [`csv_records`] streams CSV and TSV files as
//! records, one row at a time.

use std::collections::HashSet;
use std::io::Read;

use serde_json::{Map, Value};

use super::error::ReadError;
use crate::article::{Appearance, Article, AuthorCard, Source};

/// An [`Article`] field that a dataset field can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`
    Id,
    /// `title`
    Title,
    /// `authors`
    Authors,
    /// `outlet`
    Outlet,
    /// `site`
    Site,
    /// `section`
    Section,
    /// `published`
    Published,
    /// `url`
    Url,
    /// `lang`
    Lang,
    /// `topics`
    Topics,
    /// `body`
    Body,
}

impl Field {
    /// Every field, in the order errors list them.
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::Title,
        Field::Authors,
        Field::Outlet,
        Field::Site,
        Field::Section,
        Field::Published,
        Field::Url,
        Field::Lang,
        Field::Topics,
        Field::Body,
    ];

    /// The Article field's name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Authors => "authors",
            Field::Outlet => "outlet",
            Field::Site => "site",
            Field::Section => "section",
            Field::Published => "published",
            Field::Url => "url",
            Field::Lang => "lang",
            Field::Topics => "topics",
            Field::Body => "body",
        }
    }

    /// The field called `name` (an Article field name, exactly).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Record field names recognised without `--map`, best first; matched
    /// without regard to case. The Article name always comes first.
    ///
    /// `content_original` comes before `content` because dumps that have both
    /// (AllSides) keep the tokenised text in `content`. `source_url` is not a
    /// `url`: in AllSides it is the outlet's home page.
    pub fn common_names(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "doc_id"],
            Field::Title => &["title", "headline"],
            Field::Authors => &["authors", "author", "byline", "creator"],
            Field::Outlet => &[
                "outlet",
                "source",
                "publisher",
                "site_name",
                "source_name",
                "publication",
            ],
            Field::Site => &["site", "source_domain"],
            Field::Section => &["section"],
            Field::Published => &[
                "published",
                "date",
                "publish_date",
                "date_publish",
                "pubdate",
                "datePublished",
            ],
            Field::Url => &["url", "link"],
            Field::Lang => &["lang", "language"],
            Field::Topics => &["topics", "topic", "tags", "keywords", "category"],
            Field::Body => &[
                "body",
                "text",
                "content_original",
                "maintext",
                "content",
                "article",
                "paragraphs",
            ],
        }
    }
}

/// Why a `--map` specification is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// A pair without `=`.
    #[error("--map expects ARTICLE_FIELD=RECORD_FIELD, got {0:?}")]
    NotAPair(String),
    /// A name that is not an Article field.
    #[error("--map: {0:?} is not an article field (expected one of {names})", names = field_names())]
    UnknownField(String),
    /// An Article field mapped to an empty record field name.
    #[error("--map: `{0}` is mapped to an empty field name")]
    EmptySource(String),
    /// An Article field mapped more than once.
    #[error("--map: `{0}` is mapped twice")]
    MappedTwice(String),
    /// Nothing but commas and spaces.
    #[error("--map: no ARTICLE_FIELD=RECORD_FIELD pairs given")]
    NoPairs,
}

/// The Article field names, in the order errors list them.
fn field_names() -> String {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    names.join(", ")
}

/// Which record field feeds which Article field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    explicit: Vec<(Field, String)>,
}

impl FieldMap {
    /// Parses `--map body=content_original,authors=authors,outlet=source`:
    /// comma-separated `ARTICLE_FIELD=RECORD_FIELD` pairs. Article fields are
    /// `id`, `title`, `authors`, `outlet`, `site`, `section`, `published`,
    /// `url`, `lang`, `topics` and `body`; each may be mapped once. Fields not
    /// mapped keep their [common names](Field::common_names).
    pub fn parse(spec: &str) -> Result<FieldMap, MapError> {
        let mut explicit: Vec<(Field, String)> = Vec::new();
        for pair in spec.split(',').map(str::trim) {
            if pair.is_empty() {
                continue;
            }
            let (target, source) = pair
                .split_once('=')
                .ok_or_else(|| MapError::NotAPair(pair.to_string()))?;
            let (target, source) = (target.trim(), source.trim());
            let field = Field::from_name(target)
                .ok_or_else(|| MapError::UnknownField(target.to_string()))?;
            if source.is_empty() {
                return Err(MapError::EmptySource(target.to_string()));
            }
            if explicit.iter().any(|(f, _)| *f == field) {
                return Err(MapError::MappedTwice(target.to_string()));
            }
            explicit.push((field, source.to_string()));
        }
        if explicit.is_empty() {
            return Err(MapError::NoPairs);
        }
        Ok(FieldMap { explicit })
    }

    /// The record field names looked up for `field`, in order.
    pub fn names_for(&self, field: Field) -> Vec<&str> {
        match self.explicit.iter().find(|(f, _)| *f == field) {
            Some((_, source)) => vec![source.as_str()],
            None => field.common_names().to_vec(),
        }
    }

    /// True when `field` was mapped explicitly.
    pub fn is_explicit(&self, field: Field) -> bool {
        self.explicit.iter().any(|(f, _)| *f == field)
    }

    /// Finds the value for `field`: the first listed name present with a
    /// non-empty value, exact spelling first, then ignoring case. A record
    /// field mapped explicitly to one Article field is not used by another's
    /// common names.
    fn lookup<'r>(
        &self,
        record: &'r Map<String, Value>,
        field: Field,
    ) -> Option<(&'r str, &'r Value)> {
        let explicit = self.is_explicit(field);
        let taken: HashSet<String> = self
            .explicit
            .iter()
            .filter(|(f, _)| *f != field)
            .map(|(_, s)| s.to_lowercase())
            .collect();
        for name in self.names_for(field) {
            let found = record
                .get_key_value(name)
                .or_else(|| record.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)));
            let Some((key, value)) = found else { continue };
            if !explicit && taken.contains(&key.to_lowercase()) {
                continue;
            }
            if is_blank(value) {
                continue;
            }
            // The canonical `source` is where the article was read from, not the outlet.
            if field == Field::Outlet && value.get("path").is_some() {
                continue;
            }
            return Some((key.as_str(), value));
        }
        None
    }
}

/// Null, an empty string or an empty list: the source does not know.
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Builds an [`Article`] from one record, without normalising it.
///
/// Values may be strings, numbers, lists of strings, lists of objects with a
/// `name` (schema.org authors; `Organization` authors are skipped), or objects
/// with a `name`. `authors` as one string stays one raw string (the pipeline
/// splits and cleans names); `topics` as one string is split at `,` and `;`,
/// and `_` in topic slugs becomes a space. A body given as a list is a list of
/// paragraphs; a paragraph that is itself a list of segments (strings or
/// objects with `text`, as in Webis-Editorials) is joined into running text,
/// and a first paragraph labelled `title` becomes the title when the record
/// has none. The canonical `author_cards`, `also_in` and `source` (an object
/// with a `path`) are read as they are.
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
    if let Some((key, v)) = map.lookup(record, Field::Topics) {
        a.topics = list(Field::Topics, key, v)?
            .iter()
            .flat_map(|t| t.split([',', ';']))
            .map(|t| t.replace('_', " ").trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
    }
    if let Some(cards) = record.get("author_cards").filter(|v| !v.is_null()) {
        a.author_cards = canonical::<Vec<AuthorCard>>(cards, "author_cards")?;
    }
    if let Some(also) = record.get("also_in").filter(|v| !v.is_null()) {
        a.also_in = canonical::<Vec<Appearance>>(also, "also_in")?;
    }
    if let Some(source) = record.get("source").filter(|v| v.get("path").is_some()) {
        a.source = Some(canonical::<Source>(source, "source")?);
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
fn strip_title_stop(title: &str) -> String {
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

/// Streams the records of a CSV (`b','`) or TSV (`b'\t'`) file.
///
/// The first row names the fields. Each item is the 1-based data row number
/// and the row as a record of strings (empty cells are left out, so the
/// common names can fall through to the next one). Fields may be quoted with
/// `"` and span lines. A row whose field count differs from the header's is an
/// `Err` naming the row, its line and both counts; reading goes on. An
/// unreadable or empty header is one `Err` for row 0, and an I/O error ends the
/// stream. Only one row is held at a time.
pub fn csv_records<R: Read>(
    reader: R,
    delimiter: u8,
) -> impl Iterator<Item = (usize, Result<Map<String, Value>, ReadError>)> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header: Result<Vec<String>, ReadError> = csv
        .headers()
        .map(|h| {
            h.iter()
                .enumerate()
                .map(|(i, name)| {
                    let name = if i == 0 {
                        name.trim_start_matches('\u{feff}')
                    } else {
                        name
                    };
                    name.trim().to_string()
                })
                .collect()
        })
        .map_err(|e| ReadError::CsvHeader(e.to_string()));
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let header = match &header {
            Ok(h) if !h.iter().all(String::is_empty) => h,
            Ok(_) => {
                done = true;
                return Some((0, Err(ReadError::EmptyHeader)));
            }
            Err(e) => {
                done = true;
                return Some((0, Err(e.clone())));
            }
        };
        match csv.read_record(&mut record) {
            Ok(false) => {
                done = true;
                None
            }
            Ok(true) => {
                row += 1;
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != header.len() {
                    return Some((
                        row,
                        Err(ReadError::FieldCount {
                            row,
                            line,
                            found: record.len(),
                            expected: header.len(),
                        }),
                    ));
                }
                let mut map = Map::new();
                for (name, value) in header.iter().zip(record.iter()) {
                    if name.is_empty() || value.trim().is_empty() || map.contains_key(name) {
                        continue;
                    }
                    map.insert(name.clone(), Value::String(value.to_string()));
                }
                Some((row, Ok(map)))
            }
            Err(e) => {
                row += 1;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    done = true;
                }
                let line = e.position().map_or(0, |p| p.line());
                let message = e.to_string();
                Some((row, Err(ReadError::BadRow { row, line, message })))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn defaults() -> FieldMap {
        FieldMap::default()
    }

    #[test]
    fn parse_map() {
        let m =
            FieldMap::parse("body=content_original, authors=authors,outlet=source,published=date")
                .unwrap();
        assert_eq!(m.names_for(Field::Body), vec!["content_original"]);
        assert_eq!(m.names_for(Field::Outlet), vec!["source"]);
        assert_eq!(m.names_for(Field::Title), vec!["title", "headline"]);
        assert!(m.is_explicit(Field::Published));
        assert!(!m.is_explicit(Field::Url));
        let e = FieldMap::parse("text=body").unwrap_err().to_string();
        assert!(e.contains("\"text\" is not an article field"), "{e}");
        assert!(e.contains("id, title, authors"), "{e}");
        assert!(FieldMap::parse("body")
            .unwrap_err()
            .to_string()
            .contains("ARTICLE_FIELD=RECORD_FIELD"));
        assert!(FieldMap::parse("body=")
            .unwrap_err()
            .to_string()
            .contains("empty field name"));
        assert!(FieldMap::parse("body=a,body=b")
            .unwrap_err()
            .to_string()
            .contains("mapped twice"));
        assert!(FieldMap::parse(" , ").is_err());
        assert!(
            FieldMap::parse("Body=x").is_err(),
            "article names are exact"
        );
    }

    #[test]
    fn allsides_shaped() {
        let r = rec(json!({
            "topic": "white_house",
            "source": "Example Opinion",
            "bias": "0",
            "url": "https://example.org/2019/07/11/a-piece",
            "title": "A made-up headline",
            "date": "2019-07-11",
            "authors": "Jane Doe, \"Ann OPoe\"",
            "content": "Tokenised text , with spaces .",
            "content_original": "Original text, without spaces.\n\nSecond paragraph.",
            "source_url": "www.example.org",
            "bias_text": "left",
            "ID": "abc123"
        }));
        let a = article_from_record(&r, &defaults()).unwrap();
        assert_eq!(a.id, "abc123");
        assert_eq!(a.title, "A made-up headline");
        assert_eq!(
            a.body,
            "Original text, without spaces.\n\nSecond paragraph."
        );
        assert_eq!(a.outlet.as_deref(), Some("Example Opinion"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://example.org/2019/07/11/a-piece")
        );
        assert_eq!(a.published.as_deref(), Some("2019-07-11"));
        assert_eq!(
            a.authors,
            vec!["Jane Doe, \"Ann OPoe\""],
            "kept raw for complete()"
        );
        assert_eq!(a.topics, vec!["white house"]);
        assert_eq!(a.site, None);
        // The explicit map wins over common names.
        let m = FieldMap::parse("body=content,outlet=bias_text").unwrap();
        let a = article_from_record(&r, &m).unwrap();
        assert_eq!(a.body, "Tokenised text , with spaces .");
        assert_eq!(a.outlet.as_deref(), Some("left"));
        // An empty date is no date.
        let mut r2 = r.clone();
        r2.insert("date".into(), json!(""));
        assert_eq!(
            article_from_record(&r2, &defaults()).unwrap().published,
            None
        );
    }

    #[test]
    fn webis_shaped() {
        let r = rec(json!({"paragraphs": [
            [{"number": 1, "text": "A made-up headline.", "label": "title"}],
            [
                {"number": 2, "text": "The minister said", "label": "no-unit"},
                {"number": 3, "text": "\"we will not", "label": "assumption"},
                {"number": 4, "text": "yield\"", "label": "assumption"},
                {"number": 5, "text": ".", "label": "no-unit"},
                {"number": 6, "text": "There'", "label": "no-unit"},
                {"number": 7, "text": "s more (", "label": "no-unit"},
                {"number": 8, "text": "much more", "label": "no-unit"},
                {"number": 9, "text": ")", "label": "no-unit"},
                {"number": 10, "text": "1\\.", "label": "no-unit"}
            ],
            [{"number": 11, "text": "Second paragraph.", "label": "anecdote"}]
        ]}));
        let a = article_from_record(&r, &defaults()).unwrap();
        assert_eq!(a.title, "A made-up headline");
        assert_eq!(
            a.body,
            "The minister said \"we will not yield\". There's more (much more) 1.\n\nSecond paragraph."
        );
        // Without a labelled title paragraph the title is missing.
        let r = rec(json!({"paragraphs": [[{"text": "Only body."}]]}));
        assert_eq!(
            article_from_record(&r, &defaults())
                .unwrap_err()
                .to_string(),
            "missing field `title` (looked for: title, headline)"
        );
        // An ellipsis stays.
        assert_eq!(strip_title_stop("Wait..."), "Wait...");
        assert_eq!(strip_title_stop("Why?"), "Why?");
    }

    #[test]
    fn canonical_records_read_as_before() {
        let line = json!({
            "id": "x1",
            "title": "T",
            "authors": ["Jane Doe", "John Roe"],
            "author_cards": [{"name": "Jane Doe", "affiliations": ["Somewhere"], "orcid": null}],
            "outlet": "O",
            "site": "s.example",
            "section": "Opinion",
            "published": "2018-09-12",
            "url": "https://s.example/x",
            "lang": "en",
            "topics": ["diplomacy", "security"],
            "body": "B",
            "source": {"path": "in.jsonl", "format": "jsonl"},
            "also_in": [{"outlet": "P", "url": "https://p.example/x"}]
        });
        let via_dataset = article_from_record(&rec(line.clone()), &defaults()).unwrap();
        let via_serde: Article = serde_json::from_value(line).unwrap();
        assert_eq!(via_dataset, via_serde);
        assert_eq!(via_dataset.also_in.len(), 1);
        // What `normalize` prints reads back unchanged.
        let printed = serde_json::to_value(&via_serde).unwrap();
        assert_eq!(
            article_from_record(&rec(printed), &defaults()).unwrap(),
            via_serde
        );
    }

    #[test]
    fn value_shapes() {
        let r = rec(json!({
            "headline": "H",
            "text": ["First.", "", {"text": "Second."}, null],
            "author": [
                {"@type": "Person", "name": "Jane Doe"},
                {"@type": "Organization", "name": "Example News"},
                {"givenName": "John", "familyName": "Roe"},
                "Ann Poe"
            ],
            "publisher": {"@type": "Organization", "name": "Example News"},
            "datePublished": {"$date": "2018-09-12T10:00:00Z"},
            "keywords": "Foreign policy; trade,  elections ",
            "Language": "en",
            "doc_id": 42,
            "link": ["https://example.org/a"],
            "source_domain": "example.org"
        }));
        let a = article_from_record(&r, &defaults()).unwrap();
        assert_eq!(a.title, "H");
        assert_eq!(a.body, "First.\n\nSecond.");
        assert_eq!(a.authors, vec!["Jane Doe", "John Roe", "Ann Poe"]);
        assert_eq!(a.outlet.as_deref(), Some("Example News"));
        assert_eq!(a.published.as_deref(), Some("2018-09-12T10:00:00Z"));
        assert_eq!(a.topics, vec!["Foreign policy", "trade", "elections"]);
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.id, "42");
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.site.as_deref(), Some("example.org"));
        // Case-insensitive names; the exact spelling wins.
        let r = rec(json!({"TITLE": "upper", "Title": "mixed", "title": "exact", "BODY": "b"}));
        assert_eq!(article_from_record(&r, &defaults()).unwrap().title, "exact");
        // A null or empty value falls through to the next name.
        let r = rec(json!({"title": "t", "body": null, "text": "", "content": "c"}));
        assert_eq!(article_from_record(&r, &defaults()).unwrap().body, "c");
        // An explicitly mapped field is not reused by another field's common names.
        let m = FieldMap::parse("topics=source").unwrap();
        let r = rec(json!({"title": "t", "body": "b", "source": "politics"}));
        let a = article_from_record(&r, &m).unwrap();
        assert_eq!(a.topics, vec!["politics"]);
        assert_eq!(a.outlet, None);
    }

    #[test]
    fn errors_name_field_and_type() {
        let e = |v: Value| {
            article_from_record(&rec(v), &defaults())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e(json!({"title": "t"})),
            "missing field `body` (looked for: body, text, content_original, maintext, content, article, paragraphs)"
        );
        assert_eq!(
            e(json!({"body": "b"})),
            "missing field `title` (looked for: title, headline)"
        );
        let m = FieldMap::parse("body=content_original").unwrap();
        assert_eq!(
            article_from_record(&rec(json!({"title": "t", "text": "x"})), &m)
                .unwrap_err()
                .to_string(),
            "missing field `body` (looked for: content_original)"
        );
        assert_eq!(
            e(json!({"title": true, "body": "b"})),
            "field `title`: expected a string, found a boolean"
        );
        assert_eq!(
            e(json!({"headline": ["a", "b"], "body": "b"})),
            "field `title` (from `headline`): expected a string, found an array of 2 items"
        );
        assert_eq!(
            e(json!({"title": "t", "body": "b", "source": {"id": 3}})),
            "field `outlet` (from `source`): expected a string, found an object without `name`"
        );
        assert_eq!(
            e(json!({"title": "t", "body": "b", "authors": [[1]]})),
            "field `authors`: expected a string, a list of strings or objects with a `name`, found an array of 1 item"
        );
        assert_eq!(
            e(json!({"title": "t", "body": "b", "tags": true})),
            "field `topics` (from `tags`): expected a string, a list of strings or objects with a `name`, found a boolean"
        );
        assert_eq!(
            e(json!({"title": "t", "body": 5})),
            "field `body`: expected a string, found a number"
        );
        assert_eq!(
            e(json!({"title": "t", "body": [1]})),
            "field `body`: paragraph 1 is a number, expected text"
        );
        assert!(e(json!({"title": "t", "body": "b", "author_cards": "x"}))
            .starts_with("field `author_cards`:"));
    }

    #[test]
    fn csv_rows() {
        let data = "\u{feff}id,title,body,date\n1,\"A, quoted\",\"Two\nlines\",9/12/18\n2,ragged\n3,T3,B3,\n";
        let rows: Vec<_> = csv_records(data.as_bytes(), b',').collect();
        assert_eq!(rows.len(), 3);
        let (n, first) = &rows[0];
        assert_eq!(*n, 1);
        let first = first.as_ref().unwrap();
        assert_eq!(first["id"], "1");
        assert_eq!(first["title"], "A, quoted");
        assert_eq!(first["body"], "Two\nlines");
        assert_eq!(first["date"], "9/12/18");
        assert_eq!(rows[1].0, 2);
        assert_eq!(
            rows[1].1.as_ref().unwrap_err().to_string(),
            "row 2 (line 4): 2 fields, but the header has 4"
        );
        let (n, third) = &rows[2];
        assert_eq!(*n, 3);
        let third = third.as_ref().unwrap();
        assert!(!third.contains_key("date"), "empty cells are left out");
        let a = article_from_record(third, &defaults()).unwrap();
        assert_eq!(
            (a.id.as_str(), a.title.as_str(), a.body.as_str()),
            ("3", "T3", "B3")
        );
    }

    #[test]
    fn tsv_and_odd_input() {
        let data = "headline\ttext\tauthor\nH\tBody text\tBy Jane Doe and John Roe\n";
        let rows: Vec<_> = csv_records(data.as_bytes(), b'\t').collect();
        let a = article_from_record(rows[0].1.as_ref().unwrap(), &defaults()).unwrap();
        assert_eq!(a.title, "H");
        assert_eq!(a.authors, vec!["By Jane Doe and John Roe"]);
        // Empty input: nothing. A header only: nothing.
        assert_eq!(csv_records(&b""[..], b',').count(), 1);
        assert_eq!(csv_records(&b"a,b\n"[..], b',').count(), 0);
        // Invalid UTF-8 in one row: that row fails, the next is read.
        let mut bytes = b"title,body\nok,fine\nbad,\xff\xfe\nok2,fine2\n".to_vec();
        bytes.extend_from_slice(b"");
        let rows: Vec<_> = csv_records(&bytes[..], b',').collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].1.is_ok());
        assert!(
            rows[1]
                .1
                .as_ref()
                .unwrap_err()
                .to_string()
                .starts_with("row 2"),
            "{:?}",
            rows[1]
        );
        assert_eq!(rows[2].0, 3);
        assert!(rows[2].1.is_ok());
        // An unterminated quote runs to the end of the file as one field.
        let rows: Vec<_> =
            csv_records(&b"title,body\nt,\"never closed\nmore\n"[..], b',').collect();
        assert_eq!(rows.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn records_never_panic(
            keys in proptest::collection::vec(proptest::sample::select(vec![
                "title", "body", "text", "headline", "authors", "author", "source", "date",
                "topics", "tags", "paragraphs", "url", "id", "lang", "author_cards", "x",
            ]), 0..8),
            values in proptest::collection::vec(any_json(), 0..8),
        ) {
            let record: Map<String, Value> = keys
                .into_iter()
                .map(str::to_string)
                .zip(values)
                .collect();
            let _ = article_from_record(&record, &FieldMap::default());
        }

        #[test]
        fn csv_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            for _ in csv_records(&bytes[..], b',').take(100) {}
        }
    }

    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "\\PC{0,20}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(
                    proptest::sample::select(vec![
                        "name", "text", "label", "@type", "$date", "path", "x"
                    ]),
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
            ]
        })
    }
}
