//! Recognising what a file is before reading it as articles.

use std::fmt;
use std::path::Path;

/// The input formats opedex reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A scraped plain-text op-ed page.
    Text,
    /// Canonical Article JSON Lines.
    Jsonl,
    /// One Article JSON object, or an array of them.
    Json,
    /// A saved web page.
    Html,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
}

impl Format {
    /// The name recorded in `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text-page",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the file name says, if it says anything opedex understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByName {
    /// A format opedex reads (`gzip` when the name ends in `.gz`).
    Known {
        /// The format.
        format: Format,
        /// The name ends in `.gz`.
        gzip: bool,
    },
    /// Some other kind of file (skipped when met during a directory walk).
    Other,
}

/// Classifies a path by its extension (looking through a final `.gz`).
pub fn by_name(path: &Path) -> ByName {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let format = match ext {
        "txt" | "text" => Format::Text,
        "jsonl" | "ndjson" => Format::Jsonl,
        "json" => Format::Json,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "csv" => Format::Csv,
        "tsv" | "tab" => Format::Tsv,
        _ => return ByName::Other,
    };
    ByName::Known { format, gzip }
}

/// True when bytes start with the gzip magic number.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// Guesses the format from the first bytes of content.
pub fn sniff(head: &str) -> Format {
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    let lower = trimmed
        .get(..trimmed.len().min(512))
        .unwrap_or("")
        .to_ascii_lowercase();
    if trimmed.starts_with('<')
        && (lower.starts_with("<!doctype html")
            || lower.contains("<html")
            || lower.contains("<head")
            || lower.contains("<body")
            || lower.starts_with("<!--"))
    {
        Format::Html
    } else if trimmed.starts_with('[') {
        Format::Json
    } else if trimmed.starts_with('{') {
        Format::Jsonl
    } else {
        Format::Text
    }
}

/// True when the bytes look like a binary file rather than text.
pub fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let known = |format, gzip| ByName::Known { format, gzip };
        assert_eq!(by_name(Path::new("a/b.TXT")), known(Format::Text, false));
        assert_eq!(by_name(Path::new("x.ndjson")), known(Format::Jsonl, false));
        assert_eq!(by_name(Path::new("x.html.gz")), known(Format::Html, true));
        assert_eq!(by_name(Path::new("x.tsv")), known(Format::Tsv, false));
        assert_eq!(by_name(Path::new("README.md")), ByName::Other);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff("\u{feff} {\"title\":1}"), Format::Jsonl);
        assert_eq!(sniff("[{}]"), Format::Json);
        assert_eq!(sniff("Title\nRubric"), Format::Text);
        assert_eq!(sniff("\n<!DOCTYPE html><html>"), Format::Html);
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!looks_binary("plain «text»\n".as_bytes()));
    }
}
