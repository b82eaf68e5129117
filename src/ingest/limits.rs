//! Bounds on input shapes that would make a reader recurse, work without
//! end or use unbounded memory: page size here; and bounds on what one
//! record's metadata can carry ([`cap`]), so that a 5 MB title is not
//! printed with every hit nor a 1 MB outlet made a facet value. JSON depth is bounded by serde_json (128 levels); HTML depth is
//! bounded here, before the page is parsed, because the extractor walks the
//! tree recursively: a page nested ~16,000 elements deep overflows the stack,
//! and 25,000 levels take minutes.

/// Largest single page (plain text or HTML) read as one article. A page is
/// one article, and its cost grows with its size: a 200-MB text page peaked
/// at 5.7 GB of memory and took five minutes (`bench/reliability_rss.sh`),
/// while real op-ed pages, even HTML with inline scripts, stay under a few
/// MB. JSON documents, which may hold many articles, keep the larger
/// [`MAX_DOCUMENT_BYTES`].
pub const MAX_PAGE_BYTES: usize = 32 << 20;

/// A single page or JSON document larger than this is skipped (JSON Lines
/// and CSV stream and have no limit).
pub const MAX_DOCUMENT_BYTES: u64 = 256 << 20;

/// Deepest element nesting a page may have. Real pages stay in the tens;
/// generated ones rarely pass a few hundred.
pub const MAX_HTML_DEPTH: usize = 4000;

/// Longest title kept, in characters. Real headlines stay under 300.
pub const MAX_TITLE_CHARS: usize = 500;

/// Longest outlet, site, section or author name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest topic label kept, in characters.
pub const MAX_TOPIC_CHARS: usize = 100;

/// Most topics an article keeps (given ones first).
pub const MAX_TOPICS: usize = 50;

/// Longest URL kept, in characters (the common browser and server limit). A
/// longer one is dropped, not cut: a cut URL leads nowhere.
pub const MAX_URL_CHARS: usize = 2048;

/// Longest record id kept, in characters; a longer one is replaced by the
/// derived id.
pub const MAX_ID_CHARS: usize = 200;

/// Longest line of an author card (an affiliation, a research id, a
/// handle), in characters.
pub const MAX_CARD_LINE_CHARS: usize = 500;

/// Longest closing bio line kept in an author card, in characters.
pub const MAX_BIO_CHARS: usize = 2000;

/// Most affiliation lines an author card keeps.
pub const MAX_AFFILIATIONS: usize = 20;

/// Cuts `value` to `max` characters (the last of them `…`) and returns a
/// warning naming `what` and its length, or `None` when it fits.
pub fn cap(value: &mut String, max: usize, what: &str) -> Option<String> {
    let chars = value.chars().count();
    if chars <= max {
        return None;
    }
    let end = value
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(value.len(), |(i, _)| i);
    value.truncate(end);
    let kept = value.trim_end().len();
    value.truncate(kept);
    value.push('…');
    Some(format!(
        "{what} of {chars} characters cut to {max} (a longer one is not metadata)"
    ))
}

/// Elements that never have content, or whose end tag may be left out (so an
/// unclosed one is closed by its next sibling and does not nest).
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "rp", "rt", "caption", "html", "head", "body",
];

/// An upper estimate of how deeply the elements of an HTML page nest,
/// counted from its tags without parsing: start tags open, end tags close,
/// and comments, declarations and script or style contents are skipped.
/// It stops counting once `MAX_HTML_DEPTH` is passed.
pub fn html_depth(bytes: &[u8]) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    let mut i = 0;
    let lower = |b: &[u8]| -> String { String::from_utf8_lossy(b).to_ascii_lowercase() };
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        i += off + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            match find_ci(rest, b"-->") {
                Some(p) => i += p,
                None => break,
            }
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let start = usize::from(closing);
        let name_len = rest[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !rest[start].is_ascii_alphabetic() {
            continue;
        }
        let name = lower(&rest[start..start + name_len]);
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let tag_end = memchr(b'>', rest).map_or(rest.len(), |e| e);
        if tag_end > 0 && rest[tag_end - 1] == b'/' {
            continue;
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            match find_ci(rest, close.as_bytes()) {
                Some(p) => i += p,
                None => break,
            }
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
        if deepest > MAX_HTML_DEPTH {
            break;
        }
    }
    deepest
}

/// Where `needle` (ASCII) first occurs in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_cuts_at_a_character_and_says_so() {
        let mut short = "Short".to_string();
        assert_eq!(cap(&mut short, 10, "title"), None);
        assert_eq!(short, "Short");
        let mut long = "é".repeat(12);
        let warning = cap(&mut long, 10, "outlet").unwrap();
        assert_eq!(long, format!("{}…", "é".repeat(9)));
        assert_eq!(long.chars().count(), 10);
        assert!(
            warning.starts_with("outlet of 12 characters cut to 10"),
            "{warning}"
        );
    }

    #[test]
    fn counts_nesting_not_siblings() {
        assert_eq!(html_depth(b"<div><p>a<p>b<p>c</div>"), 1);
        assert_eq!(
            html_depth(b"<div><div><span>x</span></div></div><div></div>"),
            3
        );
        assert_eq!(html_depth(b"<!-- <div><div> --><br><img src=x/><x-y/>"), 0);
        assert_eq!(
            html_depth(b"<script>if (a<b) '<div><div><div>'</script><i>"),
            1
        );
        assert_eq!(
            html_depth("<b>".repeat(10_000).as_bytes()),
            MAX_HTML_DEPTH + 1
        );
        assert_eq!(html_depth(b"< div> a<b"), 1);
    }
}
