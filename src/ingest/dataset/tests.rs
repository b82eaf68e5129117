//! Field maps, record shapes, error texts, CSV and TSV.

use super::record::strip_title_stop;
use super::*;
use crate::article::Article;
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
    let m = FieldMap::parse("body=content_original, authors=authors,outlet=source,published=date")
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
    // A record's own `source` is its claim; `source` is set to the file read
    // when the article is completed.
    let mut expected = via_serde.clone();
    expected.claimed_source = expected.source.take();
    assert_eq!(via_dataset, expected);
    assert_eq!(via_dataset.also_in.len(), 1);
    // What `normalize` prints reads back unchanged.
    let printed = serde_json::to_value(&via_serde).unwrap();
    assert_eq!(
        article_from_record(&rec(printed), &defaults()).unwrap(),
        expected
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
    let data =
        "\u{feff}id,title,body,date\n1,\"A, quoted\",\"Two\nlines\",9/12/18\n2,ragged\n3,T3,B3,\n";
    let rows: Vec<_> = csv_records(data.as_bytes(), b',', None).collect();
    assert_eq!(rows.len(), 3);
    // Items are numbered by the file line where the row starts: the header
    // is line 1, and the quoted field spans lines 2 and 3.
    let (n, first) = &rows[0];
    assert_eq!(*n, 2);
    let first = first.as_ref().unwrap();
    assert_eq!(first["id"], "1");
    assert_eq!(first["title"], "A, quoted");
    assert_eq!(first["body"], "Two\nlines");
    assert_eq!(first["date"], "9/12/18");
    assert_eq!(rows[1].0, 4);
    assert_eq!(
        rows[1].1.as_ref().unwrap_err().to_string(),
        "2 fields, but the header has 4"
    );
    let (n, third) = &rows[2];
    assert_eq!(*n, 5);
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
    let rows: Vec<_> = csv_records(data.as_bytes(), b'\t', None).collect();
    let a = article_from_record(rows[0].1.as_ref().unwrap(), &defaults()).unwrap();
    assert_eq!(a.title, "H");
    assert_eq!(a.authors, vec!["By Jane Doe and John Roe"]);
    // Empty input: nothing. A header only: nothing.
    assert_eq!(csv_records(&b""[..], b',', None).count(), 1);
    assert_eq!(csv_records(&b"a,b\n"[..], b',', None).count(), 0);
    // Invalid UTF-8 in one row: that row fails, the next is read.
    let mut bytes = b"title,body\nok,fine\nbad,\xff\xfe\nok2,fine2\n".to_vec();
    bytes.extend_from_slice(b"");
    let rows: Vec<_> = csv_records(&bytes[..], b',', None).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].1.is_ok());
    assert!(
        rows[1]
            .1
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("field 2 is not valid UTF-8"),
        "{:?}",
        rows[1]
    );
    assert_eq!(rows[1].0, 3);
    assert_eq!(rows[2].0, 4);
    assert!(rows[2].1.is_ok());
    // An unterminated quote runs to the end of the file as one field.
    let rows: Vec<_> =
        csv_records(&b"title,body\nt,\"never closed\nmore\n"[..], b',', None).collect();
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
        for _ in csv_records(&bytes[..], b',', None).take(100) {}
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
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}
