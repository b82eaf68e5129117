//! Bytes to text for HTML pages: BOM, then the page's own declaration
//! (`<meta charset>` / `http-equiv`), then detection with chardetng.
//!
//! A declaration is trusted only while the bytes agree with it: a page that
//! says UTF-8 but is not valid UTF-8 is detected instead, and a page that
//! declares a single-byte charset but is valid, non-ASCII UTF-8 is read as
//! UTF-8 (saved pages are often re-encoded without fixing their `<meta>`).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How far into the page a charset declaration is looked for. The HTML
/// standard says 1024 bytes; real pages put long `<head>` scripts first.
const DECLARATION_WINDOW: usize = 16 * 1024;

/// Decodes a page to UTF-8 text; invalid sequences become U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    if let Some(declared) = declared_charset(&bytes[..bytes.len().min(DECLARATION_WINDOW)]) {
        // A meta tag readable as ASCII cannot truly announce UTF-16.
        let declared = if declared == UTF_16LE || declared == UTF_16BE {
            UTF_8
        } else {
            declared
        };
        if declared == UTF_8 {
            if valid_utf8 {
                return String::from_utf8_lossy(bytes).into_owned();
            }
        } else if !(valid_utf8 && !bytes.is_ascii() && declared.is_single_byte()) {
            return declared.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    if valid_utf8 {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(None, true);
    guessed.decode_without_bom_handling(bytes).0.into_owned()
}

/// The charset named by the first `<meta charset>` or `http-equiv` tag.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or(rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..label_end]) {
                    return Some(enc);
                }
            }
        }
        from = end.max(start + 5);
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins() {
        assert_eq!(decode(b"\xef\xbb\xbfcaf\xc3\xa9"), "café");
    }

    #[test]
    fn declared_latin1() {
        let page = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode(page).contains("café"));
        let page = b"<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'><p>\x93q\x94</p>";
        assert!(decode(page).contains("\u{201c}q\u{201d}"));
    }

    #[test]
    fn wrong_declarations_are_overruled() {
        // Says UTF-8, is windows-1252.
        let page = "<meta charset=utf-8><p>Le caf\u{e9} et la cr\u{e8}me br\u{fb}l\u{e9}e, d\u{e9}j\u{e0} \u{e0} l'\u{e9}t\u{e9}.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(page);
        assert!(decode(&bytes).contains("crème brûlée"));
        // Says Latin-1, is UTF-8.
        let page = "<meta charset=iso-8859-1><p>crème brûlée</p>";
        assert!(decode(page.as_bytes()).contains("crème brûlée"));
    }

    #[test]
    fn absent_declaration_is_detected() {
        let page = "<p>Der Bürgermeister äußerte sich über die Größe der Straße und die Gebühren für Übernachtungen.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(page);
        assert!(decode(&bytes).contains("Bürgermeister äußerte"));
    }
}
