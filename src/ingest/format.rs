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
}

impl Format {
    /// The name recorded in `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text-page",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
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
    /// A format opedex reads.
    Known(Format),
    /// A web page (support comes with the HTML reader).
    Html,
    /// Some other kind of file (skipped when met during a directory walk).
    Other,
}

/// Classifies a path by its extension.
pub fn by_name(path: &Path) -> ByName {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "txt" | "text" => ByName::Known(Format::Text),
        "jsonl" | "ndjson" => ByName::Known(Format::Jsonl),
        "json" => ByName::Known(Format::Json),
        "html" | "htm" | "xhtml" => ByName::Html,
        "gz" if name.ends_with(".html.gz") || name.ends_with(".htm.gz") => ByName::Html,
        _ => ByName::Other,
    }
}

/// Guesses the format from the first bytes of content.
pub fn sniff(head: &str) -> Format {
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('[') {
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
        assert_eq!(by_name(Path::new("a/b.TXT")), ByName::Known(Format::Text));
        assert_eq!(by_name(Path::new("x.ndjson")), ByName::Known(Format::Jsonl));
        assert_eq!(by_name(Path::new("x.html.gz")), ByName::Html);
        assert_eq!(by_name(Path::new("README.md")), ByName::Other);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff("\u{feff} {\"title\":1}"), Format::Jsonl);
        assert_eq!(sniff("[{}]"), Format::Json);
        assert_eq!(sniff("Title\nRubric"), Format::Text);
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!looks_binary("plain «text»\n".as_bytes()));
    }
}
