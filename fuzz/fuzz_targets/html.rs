#![no_main]
//! Saved web pages, any bytes: `ingest::html::parse`, then completion.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use opedex::stages::html;
use opedex::Format;

fuzz_target!(|data: &[u8]| {
    if let Ok(article) = html::parse(data, Some("https://example.org/opinion/piece")) {
        common::finish(article, Format::Html);
    }
});
