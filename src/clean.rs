//! Text cleaning shared by every reader.
//!
//! Promises: output is Unicode NFC; line endings are `\n`; byte-order marks,
//! zero-width characters and soft hyphens are gone; exotic spaces are plain
//! spaces and runs of them are one; words hyphenated across a line break are
//! joined. Typographic quotes and dashes are kept (the analysers split on them,
//! so they never hinder matching). Cleaning twice changes nothing.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters dropped outright: BOM, zero-width space/joiners, word joiner, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}' | '\u{180e}'
    )
}

/// Horizontal whitespace, including no-break and typographic spaces.
fn is_space(c: char) -> bool {
    c != '\n' && c.is_whitespace()
}

/// Cleans characters but keeps the line structure: NFC, `\n` line endings,
/// invisibles removed, horizontal whitespace collapsed, lines trimmed.
pub fn clean_lines(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    for (i, line) in unified.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_collapsed(&mut out, line);
    }
    out
}

/// Cleans a single-line value such as a title, a name or an outlet.
pub fn clean_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    push_collapsed(&mut out, &raw.replace(['\r', '\n'], " "));
    out
}

/// Appends `line` in NFC with invisibles removed, whitespace runs collapsed and ends trimmed.
fn push_collapsed(out: &mut String, line: &str) {
    // Most text is already NFC; the quick check is far cheaper than
    // composing every character (it was ~5 % of ingest CPU).
    if is_nfc_quick(line.chars()) == IsNormalized::Yes {
        push_chars(out, line.chars());
    } else {
        push_chars(out, line.nfc());
    }
}

fn push_chars(out: &mut String, chars: impl Iterator<Item = char>) {
    let start = out.len();
    let mut pending_space = false;
    for c in chars {
        if is_invisible(c) || (c.is_control() && c != '\t') {
            continue;
        }
        if is_space(c) {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
}

/// Runs of whitespace (line breaks included) as one space, ends trimmed,
/// nothing else changed: for text taken out of markup or segments, before
/// the fuller cleaning of [`clean_line`] runs in `ingest::complete`.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Joins the lines of one paragraph with spaces, mending words hyphenated
/// across a line break (`negoti-` + `ations` → `negotiations`; a capital after
/// the break keeps the hyphen: `Soviet-` + `Japanese`).
pub fn join_paragraph<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        let broken_word = out.ends_with('-')
            && out[..out.len() - 1]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase);
        if broken_word {
            out.pop();
        } else if !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Splits cleaned text into paragraphs at blank lines.
pub fn paragraphs(cleaned: &str) -> Vec<String> {
    let mut paras = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in cleaned.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paras.push(join_paragraph(current.drain(..)));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paras.push(join_paragraph(current));
    }
    paras
}

/// Cleans a whole body: paragraphs separated by exactly one blank line.
pub fn body(raw: &str) -> String {
    paragraphs(&clean_lines(raw)).join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_bom_and_invisibles() {
        let raw = "\u{feff}Title\r\n\r\nOne\u{00ad}word and\u{200b} zero\u{a0}width\r\n";
        assert_eq!(body(raw), "Title\n\nOneword and zero width");
    }

    #[test]
    fn nfc_and_hyphenation() {
        let raw = "cafe\u{301} negoti-\nations and Soviet-\nJapanese ties";
        assert_eq!(body(raw), "caf\u{e9} negotiations and Soviet-Japanese ties");
    }

    #[test]
    fn paragraphs_collapse_blank_runs() {
        let raw = "  a  b \n\n\n\n c\nd  \n";
        assert_eq!(body(raw), "a b\n\nc d");
    }

    #[test]
    fn idempotent() {
        let raw = "x \u{2014} «y»\n\n\u{201c}z\u{201d}  w-\nv";
        let once = body(raw);
        assert_eq!(body(&once), once);
    }

    #[test]
    fn clean_line_trims_and_collapses() {
        assert_eq!(
            clean_line("  Editor\u{2019}s \t Column \n"),
            "Editor\u{2019}s Column"
        );
    }
}
