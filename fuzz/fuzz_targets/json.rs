#![no_main]
//! JSON documents and JSON Lines records, with the default field map.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use opedex::stages::jsonl;
use opedex::{FieldMap, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let map = FieldMap::default();
    if let Ok(values) = jsonl::values_from_document(text) {
        for value in values {
            if let Ok(article) = jsonl::article_from_value(value, &map) {
                common::finish(article, Format::Json);
            }
        }
    }
    for line in text.lines() {
        if let Ok(article) = jsonl::article_from_line(line, &map) {
            common::finish(article, Format::Jsonl);
        }
    }
});
