#![no_main]
//! The query language: parsing, then building the Tantivy query for every
//! analyser, as a search over an index holding all languages would.

use libfuzzer_sys::fuzz_target;
use opedex::stages::{document, query};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = query::parse(text) {
        let (_, fields) = document::schema();
        let mut langs: Vec<&str> = query::STEMMED_LANGUAGES.iter().map(|(k, _)| *k).collect();
        langs.push(query::FALLBACK);
        let _ = query::build(&parsed, Vec::new(), &fields, &langs, 1.0, Vec::new());
        // What `search` does to a query before building it.
        let folded = query::fold_typography(&parsed);
        let kept = query::drop_stop_words(&folded, &langs);
        let _ = query::build(&kept, Vec::new(), &fields, &langs, query::TITLE_BOOST, Vec::new());
    }
});
