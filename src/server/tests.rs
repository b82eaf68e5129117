//! The router called without a socket (`tower::ServiceExt::oneshot`) over an
//! index of the sample corpus.

use std::path::Path;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use super::{router, State, CSP, MAX_BODY_BYTES, MAX_URL_BYTES};
use crate::{Index, IngestOptions, SearchRequest};

/// An index of the bundled sample corpus in a temporary folder.
fn sample() -> (tempfile::TempDir, Arc<State>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut index = Index::open_or_create(&path).unwrap();
    index
        .ingest(&[corpus], &IngestOptions::default(), &mut ())
        .unwrap();
    (dir, State::new(path, 2, None))
}

async fn call(state: &Arc<State>, request: Request<Body>) -> (StatusCode, Value) {
    let response = router(Arc::clone(state)).oneshot(request).await.unwrap();
    let status = response.status();
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .cloned();
    assert_eq!(csp.unwrap(), CSP, "every response carries the CSP");
    let bytes = to_bytes(response.into_body(), 1 << 24).await.unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json)
}

async fn get(state: &Arc<State>, uri: &str) -> (StatusCode, Value) {
    call(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn a_search_answers_with_the_hits_search_json_prints() {
    let (_dir, state) = sample();
    let (status, json) = get(&state, "/api/v1/search?q=peace%20treaty%20islands&n=2").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let hits = json["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    // The same object, field for field, as the command line's JSON line.
    let index = state.index.get().unwrap();
    let mut request = SearchRequest::new("peace treaty islands");
    request.limit = 2;
    let expected = index.search(&request).unwrap();
    let line: Value = serde_json::from_str(&crate::output::hit_json(&expected.hits[0])).unwrap();
    assert_eq!(hits[0], line);
    assert!(json["processing_time_ms"].is_u64());
    // Without vectors the default mode is lexical, and the answer says so.
    assert_eq!(json["mode"], "lexical", "{json}");
    let (status, json) = get(&state, "/api/v1/search?q=treaty&mode=lexical").await;
    assert_eq!((status, &json["mode"]), (StatusCode::OK, &"lexical".into()));
}

#[tokio::test]
async fn filters_and_post_bodies_work_like_the_flags() {
    let (_dir, state) = sample();
    let (status, json) = get(
        &state,
        "/api/v1/search?q=housing&outlet=harbour%20review&outlet=nobody",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    for hit in json["hits"].as_array().unwrap() {
        assert_eq!(hit["outlet"], "The Harbour Review");
    }
    let body = r#"{"q": "housing", "outlet": "harbour review", "n": 1}"#;
    let request = Request::post("/api/v1/search")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let (status, posted) = call(&state, request).await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    assert_eq!(posted["hits"].as_array().unwrap().len(), 1);
    assert_eq!(posted["hits"][0], json["hits"][0]);
}

#[tokio::test]
async fn bad_requests_get_a_json_4xx_naming_the_parameter() {
    let (_dir, state) = sample();
    let cases = [
        (
            "/api/v1/search?q=x&colour=red",
            "colour",
            "unknown_parameter",
        ),
        ("/api/v1/search?q=x&n=0", "n", "out_of_range"),
        ("/api/v1/search?q=x&n=5000", "n", "out_of_range"),
        ("/api/v1/search?q=x&n=ten", "n", "bad_number"),
        ("/api/v1/search?q=x&since=2019-13", "since", "bad_date"),
        (
            "/api/v1/search?q=x&per_article=0",
            "per_article",
            "out_of_range",
        ),
        ("/api/v1/search?q=", "q", "bad_query"),
        ("/api/v1/search?q=x&mode=fast", "mode", "bad_mode"),
        // The sample index has no vectors.
        ("/api/v1/search?q=x&mode=semantic", "mode", "no_vectors"),
        ("/api/v1/search?q=x&mode=hybrid", "mode", "no_vectors"),
        (
            "/api/v1/articles/sample-housing-supply/similar?mode=semantic",
            "mode",
            "no_vectors",
        ),
        (
            "/api/v1/articles/none/similar?q=x",
            "q",
            "unknown_parameter",
        ),
    ];
    for (uri, parameter, code) in cases {
        let (status, json) = get(&state, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {json}");
        assert_eq!(json["error"]["parameter"], parameter, "{uri}: {json}");
        assert_eq!(json["error"]["code"], code, "{uri}: {json}");
        assert!(json["error"]["message"].as_str().unwrap().len() > 10);
    }
    let long = format!("/api/v1/search?q={}", "a".repeat(MAX_URL_BYTES));
    let (status, json) = get(&state, &long).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG, "{json}");
    let body = format!(r#"{{"q": "{}"}}"#, "a".repeat(MAX_BODY_BYTES));
    let request = Request::post("/api/v1/search")
        .body(Body::from(body))
        .unwrap();
    let (status, json) = call(&state, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{json}");
    assert_eq!(json["error"]["code"], "bad_body");
    let request = Request::post("/api/v1/search")
        .body(Body::from(r#"{"q": "x", "bogus": 1}"#))
        .unwrap();
    let (status, json) = call(&state, request).await;
    assert_eq!(
        (status, &json["error"]["parameter"]),
        (StatusCode::BAD_REQUEST, &Value::from("bogus"))
    );
}

#[tokio::test]
async fn articles_similar_stats_topics_and_health() {
    let (_dir, state) = sample();
    let (status, a) = get(&state, "/api/v1/articles/sample-summits").await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["id"], "sample-summits-not-strategy");
    assert!(a["body"].as_str().unwrap().len() > 500);
    for card in a["author_cards"].as_array().into_iter().flatten() {
        assert!(card.get("contacts").is_none(), "contacts leaked: {card}");
    }
    let (status, json) = get(&state, "/api/v1/articles/no-such-id").await;
    assert_eq!(
        (status, &json["error"]["code"]),
        (StatusCode::NOT_FOUND, &Value::from("no_such_article"))
    );
    let (status, json) = get(
        &state,
        "/api/v1/articles/sample-summits-not-strategy/similar?n=3",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["hits"].as_array().unwrap().len(), 3);
    let (status, stats) = get(&state, "/api/v1/stats").await;
    assert_eq!(
        (status, &stats["articles"]),
        (StatusCode::OK, &Value::from(19))
    );
    let (status, topics) = get(&state, "/api/v1/topics").await;
    assert_eq!(status, StatusCode::OK);
    let listed = topics["topics"].as_array().unwrap();
    let housing = listed
        .iter()
        .find(|t| t["topic"] == "housing")
        .expect("housing");
    assert!(housing["articles"].as_u64().unwrap() >= 1, "{housing}");
    assert!(
        listed.iter().all(|t| t["in_vocabulary"] == true),
        "{topics}"
    );
    // A topic filter takes an alias; an unknown topic is a 400 naming it.
    let (status, json) = get(&state, "/api/v1/search?q=housing&topic=Homelessness").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(!json["hits"].as_array().unwrap().is_empty(), "{json}");
    let (status, json) = get(&state, "/api/v1/search?q=housing&topic=xyzzy").await;
    assert_eq!(
        (status, &json["error"]["code"], &json["error"]["parameter"]),
        (
            StatusCode::BAD_REQUEST,
            &Value::from("unknown_topic"),
            &Value::from("topic")
        ),
        "{json}"
    );
    let (status, _) = get(&state, "/api/v1/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let (status, json) = get(&state, "/api/v1/nothing-here").await;
    assert_eq!(
        (status, &json["error"]["code"]),
        (StatusCode::NOT_FOUND, &Value::from("not_found"))
    );
}

#[tokio::test]
async fn a_missing_index_is_503_and_the_page_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let state = State::new(dir.path().join("absent"), 2, None);
    let (status, json) = get(&state, "/api/v1/search?q=x").await;
    assert_eq!(
        (status, &json["error"]["code"]),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            &Value::from("index_unavailable")
        )
    );
    let (status, _) = get(&state, "/api/v1/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    for (uri, kind) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
    ] {
        let response = router(Arc::clone(&state))
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let ct = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(ct.starts_with(kind), "{uri}: {ct}");
    }
}

#[tokio::test]
async fn pretty_indents_the_same_answer_and_is_no_search_parameter() {
    let (_dir, state) = sample();
    let raw = |uri: &'static str| {
        let state = Arc::clone(&state);
        async move {
            let response = router(state)
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status();
            let bytes = to_bytes(response.into_body(), 1 << 24).await.unwrap();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        }
    };
    let (status, compact) = raw("/api/v1/articles/no-such-id").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!compact.contains('\n'), "{compact}");
    let (status, indented) = raw("/api/v1/articles/no-such-id?pretty").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the status is kept");
    assert!(indented.contains("\n  \"error\": {\n"), "{indented}");
    let same = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(same(&compact), same(&indented));
    // Taken out before the search's own parameters are checked.
    let (status, search) = raw("/api/v1/search?q=housing&pretty=true&n=1").await;
    assert_eq!(status, StatusCode::OK, "{search}");
    assert_eq!(same(&search)["hits"].as_array().unwrap().len(), 1);
    // A parameter merely starting with "pretty" is still unknown.
    let (status, _) = raw("/api/v1/search?q=housing&prettier=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn answers_are_gzipped_for_clients_that_ask() {
    let (_dir, state) = sample();
    let request = Request::get("/api/v1/search?q=housing&n=20")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let response = router(state).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    let bytes = to_bytes(response.into_body(), 1 << 24).await.unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "a gzip stream");
}

#[tokio::test]
async fn paging_sort_facets_and_one_article_work_like_the_flags() {
    let (_dir, state) = sample();
    let (status, all) = get(&state, "/api/v1/search?q=policy&n=3&facets=true").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 4, "{all}");
    // Facets count matching articles: each outlet's count at most the total,
    // months in time order.
    for v in all["facets"]["outlets"]["values"].as_array().unwrap() {
        assert!(v["count"].as_u64().unwrap() <= total);
    }
    let months: Vec<&str> = all["facets"]["months"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["value"].as_str())
        .filter(|v| *v != "unknown")
        .collect();
    assert!(
        months.len() >= 2 && months.windows(2).all(|w| w[0] < w[1]),
        "{months:?}"
    );
    // The second page starts where the first ended.
    let (_, page) = get(&state, "/api/v1/search?q=policy&n=2&offset=1").await;
    assert_eq!(page["offset"], 1);
    assert_eq!(page["total"], total);
    assert_eq!(page["hits"][0]["article_id"], all["hits"][1]["article_id"]);
    assert_eq!(page["hits"][0]["rank"], 2);
    // Newest first.
    let (_, newest) = get(&state, "/api/v1/search?q=policy&n=20&sort=newest").await;
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["published"].as_str())
        .collect();
    assert!(
        dates.len() >= 2 && dates.windows(2).all(|w| w[0] >= w[1]),
        "{dates:?}"
    );
    // One article's passages only.
    let id = all["hits"][0]["article_id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/search?q=policy&article={id}&per_article=20&n=20");
    let (status, within) = get(&state, &uri).await;
    assert_eq!(status, StatusCode::OK, "{within}");
    assert_eq!(within["total"], 1);
    assert!(within["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["article_id"] == id.as_str()));
    // Bad values name their parameter.
    for (uri, parameter) in [
        ("/api/v1/search?q=policy&sort=best", "sort"),
        ("/api/v1/search?q=policy&offset=1000", "offset"),
        ("/api/v1/search?q=policy&facets=maybe", "facets"),
    ] {
        let (status, json) = get(&state, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {json}");
        assert_eq!(json["error"]["parameter"], parameter, "{uri}: {json}");
    }
}

#[cfg(feature = "semantic")]
#[tokio::test]
async fn the_model_is_kept_when_the_index_is_opened_again_after_a_commit() {
    let Some(model) = crate::default_model_dir().filter(|d| d.join("model.safetensors").is_file())
    else {
        eprintln!("SKIPPED: the default model is not fetched (tools/fetch-model.sh)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let semantic = IngestOptions {
        semantic: true,
        ..IngestOptions::default()
    };
    let ingest = |source: &Path| {
        let mut index = Index::open_or_create(&path).unwrap();
        index.set_model(Some(model.clone()));
        index
            .ingest(&[source.to_path_buf()], &semantic, &mut ())
            .unwrap();
    };
    ingest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    let state = State::new(path.clone(), 2, Some(model.clone()));
    let (status, json) = get(&state, "/api/v1/search?q=treaty&mode=hybrid").await;
    assert_eq!((status, &json["mode"]), (StatusCode::OK, &"hybrid".into()));
    let before = state.index.get().unwrap();
    // Another writer commits one more article.
    let extra = dir.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        r#"{"id": "extra", "title": "A treaty for the reef", "body": "The reef treaty asks little of anyone and would protect a great deal."}"#,
    )
    .unwrap();
    ingest(&extra);
    std::thread::sleep(super::live::CHECK_EVERY * 2);
    let (status, json) = get(&state, "/api/v1/search?q=reef+treaty&mode=hybrid").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["hits"][0]["article_id"], "extra", "{json}");
    let after = state.index.get().unwrap();
    assert!(!Arc::ptr_eq(&before, &after), "the index was opened again");
    assert!(
        after.shares_model_with(&before),
        "the model loaded before the commit serves after it"
    );
}
