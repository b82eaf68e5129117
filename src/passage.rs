//! Splitting an article body into passages, the unit of search.
//!
//! The rule: a passage is one paragraph or several consecutive ones. Paragraphs
//! shorter than [`MIN_WORDS`] are merged with the next while the passage stays
//! within [`MAX_WORDS`]; a paragraph longer than [`MAX_WORDS`] is cut at
//! sentence ends into near-equal pieces (at word boundaries only when a single
//! "sentence" is itself too long). Passages are byte ranges of the body: in
//! order, never overlapping, never empty, and the gaps between them are only
//! whitespace, so together they cover the body exactly once.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// A passage shorter than this many words is merged with its neighbour.
pub const MIN_WORDS: usize = 50;
/// A passage is cut to stay within this many words.
pub const MAX_WORDS: usize = 200;

/// One passage of an article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Position in the article, from 0.
    pub index: usize,
    /// Byte range in the body.
    pub range: Range<usize>,
}

impl Passage {
    /// The passage's text within `body`.
    pub fn text<'a>(&self, body: &'a str) -> &'a str {
        &body[self.range.clone()]
    }
}

#[derive(Debug, Clone)]
struct Unit {
    range: Range<usize>,
    words: usize,
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Splits `body` (paragraphs separated by blank lines) into passages.
pub fn split(body: &str) -> Vec<Passage> {
    let mut units = Vec::new();
    for para in paragraph_ranges(body) {
        let words = word_count(&body[para.clone()]);
        if words <= MAX_WORDS {
            units.push(Unit { range: para, words });
        } else {
            units.extend(cut_long(body, para, words));
        }
    }
    let mut merged: Vec<Unit> = Vec::new();
    for unit in units {
        match merged.last_mut() {
            Some(cur) if cur.words < MIN_WORDS && cur.words + unit.words <= MAX_WORDS => {
                cur.range.end = unit.range.end;
                cur.words += unit.words;
            }
            _ => merged.push(unit),
        }
    }
    if merged.len() >= 2 {
        let last = merged[merged.len() - 1].clone();
        let n = merged.len();
        let prev = &mut merged[n - 2];
        if last.words < MIN_WORDS && prev.words + last.words <= MAX_WORDS {
            prev.range.end = last.range.end;
            prev.words += last.words;
            merged.pop();
        }
    }
    merged
        .into_iter()
        .enumerate()
        .map(|(index, u)| Passage {
            index,
            range: u.range,
        })
        .collect()
}

/// Byte ranges of the non-blank paragraphs of `body`, trimmed.
fn paragraph_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut end = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        } else {
            let lead = content.len() - content.trim_start().len();
            if start.is_none() {
                start = Some(offset + lead);
            }
            end = offset + content.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// Cuts an over-long paragraph at sentence ends into near-equal pieces.
fn cut_long(body: &str, para: Range<usize>, words: usize) -> Vec<Unit> {
    let pieces = words.div_ceil(MAX_WORDS);
    let target = words.div_ceil(pieces);
    let text = &body[para.clone()];
    let mut sentences: Vec<Range<usize>> = Vec::new();
    for (i, s) in text.split_sentence_bound_indices() {
        let trimmed = s.trim_end();
        if trimmed.trim_start().is_empty() {
            continue;
        }
        let lead = trimmed.len() - trimmed.trim_start().len();
        let r = para.start + i + lead..para.start + i + trimmed.len();
        if word_count(&body[r.clone()]) > MAX_WORDS {
            sentences.extend(cut_words(body, r));
        } else {
            sentences.push(r);
        }
    }
    let mut out: Vec<Unit> = Vec::new();
    for s in sentences {
        let w = word_count(&body[s.clone()]);
        match out.last_mut() {
            Some(cur) if cur.words + w <= target.max(1) || cur.words == 0 => {
                cur.range.end = s.end;
                cur.words += w;
            }
            _ => out.push(Unit { range: s, words: w }),
        }
    }
    out
}

/// Cuts a range into pieces of at most [`MAX_WORDS`] words at whitespace.
fn cut_words(body: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let text = &body[r.clone()];
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut count = 0;
    let mut last_end = 0;
    for (i, w) in text.split_word_bound_indices() {
        if w.trim().is_empty() {
            continue;
        }
        let is_word = w.chars().any(char::is_alphanumeric);
        if start.is_none() {
            start = Some(i);
        }
        if is_word {
            if count == MAX_WORDS {
                out.push(r.start + start.unwrap_or(0)..r.start + last_end);
                start = Some(i);
                count = 0;
            }
            count += 1;
        }
        last_end = i + w.len();
    }
    if let Some(s) = start {
        out.push(r.start + s..r.start + last_end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, tag: &str) -> String {
        (0..n)
            .map(|i| format!("{tag}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn check_cover(body: &str, ps: &[Passage]) {
        let mut pos = 0;
        for (i, p) in ps.iter().enumerate() {
            assert_eq!(p.index, i);
            assert!(p.range.start >= pos);
            assert!(body[pos..p.range.start].trim().is_empty());
            assert!(!p.text(body).trim().is_empty());
            pos = p.range.end;
        }
        assert!(body[pos..].trim().is_empty());
    }

    #[test]
    fn short_paragraphs_merge() {
        let body = format!(
            "{}\n\n{}\n\n{}",
            words(10, "a"),
            words(10, "b"),
            words(80, "c")
        );
        let ps = split(&body);
        check_cover(&body, &ps);
        assert_eq!(ps.len(), 1);
    }

    #[test]
    fn normal_paragraphs_stay() {
        let body = format!("{}\n\n{}", words(90, "a"), words(90, "b"));
        let ps = split(&body);
        check_cover(&body, &ps);
        assert_eq!(ps.len(), 2);
    }

    #[test]
    fn long_paragraph_cut_at_sentences() {
        let sentence = format!("{}.", words(30, "W"));
        let body = vec![sentence; 20].join(" ");
        let ps = split(&body);
        check_cover(&body, &ps);
        assert!(ps.len() >= 3);
        for p in &ps {
            assert!(word_count(p.text(&body)) <= MAX_WORDS);
            assert!(p.text(&body).ends_with('.'));
        }
    }

    #[test]
    fn run_on_sentence_cut_at_words() {
        let body = words(1000, "x");
        let ps = split(&body);
        check_cover(&body, &ps);
        assert_eq!(ps.len(), 5);
        assert!(ps.iter().all(|p| word_count(p.text(&body)) <= MAX_WORDS));
    }

    #[test]
    fn empty_body_has_no_passages() {
        assert!(split("").is_empty());
        assert!(split(" \n\n ").is_empty());
    }
}
