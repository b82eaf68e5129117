#![no_main]
//! Plain-text op-ed pages: `ingest::textpage::parse`, then completion.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use opedex::stages::textpage;
use opedex::Format;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(article) = textpage::parse(text) {
            common::finish(article, Format::Text);
        }
    }
});
