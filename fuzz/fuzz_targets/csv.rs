#![no_main]
//! CSV and TSV tables: streamed records mapped onto articles.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use opedex::stages::dataset;
use opedex::{FieldMap, Format};

fuzz_target!(|data: &[u8]| {
    let map = FieldMap::default();
    for (delimiter, format) in [(b',', Format::Csv), (b'\t', Format::Tsv)] {
        for (_, record) in dataset::csv_records(data, delimiter, None) {
            if let Ok(record) = record {
                if let Ok(article) = dataset::article_from_record(&record, &map) {
                    common::finish(article, format);
                }
            }
        }
    }
});
