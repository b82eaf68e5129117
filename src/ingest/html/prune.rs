//! Removes markup that no part of the reader looks at before the page is
//! parsed: scripts (except JSON-LD), styles and comments.
//!
//! Why: on the benchmark pages these are about 45% of the bytes. The page is
//! parsed once by us and, on the pages where our walk is unsure, twice more
//! by `rs-trafilatura` (which parses, then clones by serialising and
//! re-parsing); every parse pays for them and every extractor then throws
//! them away. A lexical cut is enough: an HTML parser ends a script or style
//! at the first `</script` / `</style` too, and whatever a malformed page
//! makes of the rest, the cut never removes text outside these elements
//! except where the page itself never closes one (the parser would have
//! swallowed that text as script as well).

use memchr::{memchr, memmem};

/// Elements whose whole content is dropped, with their closing tag.
const INERT: [(&[u8], &[u8]); 2] = [(b"<script", b"</script"), (b"<style", b"</style")];

/// The page without scripts (JSON-LD kept), styles and comments.
/// Returns the input unchanged (borrowed) when there is nothing to cut.
pub fn prune(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    // Start of the part not yet copied, and where to look next.
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let start = i + off;
        let rest = &b[start..];
        let cut_end = if rest.starts_with(b"<!-->") {
            Some(start + 5)
        } else if rest.starts_with(b"<!--->") {
            Some(start + 6)
        } else if rest.starts_with(b"<!--") {
            // A comment ends at the first `-->`; an unclosed one runs to the end.
            Some(find(&rest[4..], b"-->").map_or(b.len(), |e| start + 4 + e + 3))
        } else {
            INERT
                .iter()
                .find_map(|(open, close)| {
                    if !starts_with_tag(rest, open) {
                        return None;
                    }
                    let tag_end = memchr(b'>', rest).map_or(b.len(), |e| start + e + 1);
                    let body_end = find_ci(&b[tag_end..], close).map_or(b.len(), |e| tag_end + e);
                    if *open == b"<script"
                        && keeps_script(&b[start..tag_end], &b[tag_end..body_end])
                    {
                        return Some(None);
                    }
                    let end = memchr(b'>', &b[body_end..]).map_or(b.len(), |e| body_end + e + 1);
                    Some(Some(end))
                })
                .flatten()
        };
        match cut_end {
            Some(end) => {
                let o = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
                // Both ends fall on ASCII bytes, so on character boundaries.
                o.push_str(&html[copied..start]);
                copied = end;
                i = end;
            }
            None => i = start + 1,
        }
        if i >= b.len() {
            break;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied.min(html.len())..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// Whether `rest` opens the tag `open` (case-insensitive), followed by
/// whitespace, `>` or `/` (so `<scripts>` or `<styled>` are not cut).
fn starts_with_tag(rest: &[u8], open: &[u8]) -> bool {
    rest.len() > open.len()
        && rest[..open.len()].eq_ignore_ascii_case(open)
        && matches!(
            rest[open.len()],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/'
        )
}

/// JSON-LD is read by the metadata pass: a script whose type names it, or an
/// untyped one whose text opens with `{"@context"`.
fn keeps_script(tag: &[u8], body: &[u8]) -> bool {
    let tag = tag.to_ascii_lowercase();
    match find(&tag, b"type") {
        Some(t) => find(&tag[t..], b"ld").is_some(),
        None => body
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .is_some_and(|s| body[s..].starts_with(b"{\"@context\"")),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memmem::find(hay, needle)
}

/// Case-insensitive search for an ASCII needle that starts with `<`.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(off) = memchr(b'<', &hay[i..]) {
        let at = i + off;
        if hay.len() - at >= needle.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_scripts_styles_and_comments() {
        let page = "<html><head><SCRIPT src=x>var a = '<p>';</script ><style>p{}</style>\
            <script type=\"application/ld+json\">{\"@context\":1}</script></head>\
            <body><!-- note --><p>Text <!-->here</p>\
            <scripts>kept</scripts><script>{\"@context\":2}</script></body></html>";
        assert_eq!(
            prune(page),
            "<html><head><script type=\"application/ld+json\">{\"@context\":1}</script></head>\
            <body><p>Text here</p><scripts>kept</scripts><script>{\"@context\":2}</script></body></html>"
        );
    }

    #[test]
    fn unclosed_and_plain_pages() {
        assert_eq!(prune("<p>a</p><script>x"), "<p>a</p>");
        assert_eq!(prune("<p>a</p><!-- x"), "<p>a</p>");
        assert!(matches!(
            prune("<p>a < b</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            prune("<p>é</p><style>x</style><p>ü</p>"),
            "<p>é</p><p>ü</p>"
        );
        assert_eq!(prune("<"), "<");
        assert_eq!(prune("<script"), "<script");
    }
}
