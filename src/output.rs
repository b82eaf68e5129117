//! Presenting results: text for people, JSON Lines for programs.
//!
//! Nothing here searches or reads the index; every function turns a value
//! into a string, so the command-line printers stay thin and testable.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

use crate::article::{Appearance, Article, Source};
use crate::search::{FacetCounts, Facets, Hit, SearchResults};
use crate::stats::Stats;

/// Characters of passage shown in text output.
const TEXT_WINDOW: usize = 600;

/// How matched words are marked in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// ANSI bold yellow, for terminals.
    Color,
    /// `**word**`, for pipes and `NO_COLOR`.
    Plain,
}

impl Marks {
    fn wrap(self) -> (&'static str, &'static str) {
        match self {
            Marks::Color => ("\x1b[1;33m", "\x1b[0m"),
            Marks::Plain => ("**", "**"),
        }
    }
}

/// One search hit as a JSON object (one line of `search --json`, and the
/// hit object of any other front end).
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    /// 1-based rank.
    pub rank: usize,
    /// Retrieval score.
    pub score: f32,
    /// The article id.
    pub article_id: &'a str,
    /// Passage position in the article.
    pub passage: usize,
    /// Article title.
    pub title: &'a str,
    /// The article's address, when known.
    pub url: Option<&'a str>,
    /// Authors.
    pub authors: &'a [String],
    /// Outlet.
    pub outlet: Option<&'a str>,
    /// Section.
    pub section: Option<&'a str>,
    /// Publication date.
    pub published: Option<&'a str>,
    /// Language.
    pub lang: Option<&'a str>,
    /// Topics.
    pub topics: &'a [String],
    /// The whole passage.
    pub text: &'a str,
    /// Byte ranges of matched words in `text`, as `[start, end]` pairs.
    pub highlights: Vec<[usize; 2]>,
    /// Where the article was read from.
    pub source: Option<&'a Source>,
    /// Other outlets and addresses where the piece ran (syndicated
    /// copies); empty when none.
    pub also_in: &'a [Appearance],
}

/// What a search found besides its hits: the last line of `search --json`,
/// `{"summary": {…}}`.
#[derive(Debug, Serialize)]
pub struct SummaryJson<'a> {
    /// Matching articles.
    pub total: usize,
    /// Hits skipped before the first one shown.
    pub offset: usize,
    /// Hits shown.
    pub hits: usize,
    /// The query run instead of the typed one, which found nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_query: Option<&'a str>,
    /// A corrected query offered; the typed one was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<&'a str>,
    /// The phrase searched when every word of the query is a stop word.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_word_phrase: Option<&'a str>,
    /// Counts of the matching articles by outlet, author, topic, language and year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a Facets>,
}

/// The summary of a search as one line of JSON, `{"summary": {…}}`, for
/// after its hits; `offset` is the request's.
pub fn summary_json(results: &SearchResults, offset: usize) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        summary: SummaryJson<'a>,
    }
    let summary = SummaryJson {
        total: results.total,
        offset,
        hits: results.hits.len(),
        corrected_query: results.corrected_query.as_deref(),
        did_you_mean: results.did_you_mean.as_deref(),
        stop_word_phrase: results.stop_word_phrase.as_deref(),
        facets: results.facets.as_ref(),
    };
    serde_json::to_string(&Line { summary }).unwrap_or_default()
}

/// The lines text output prints above a search's hits: what was corrected,
/// suggested or searched as a phrase, then how many articles match and
/// which hits are shown; `offset` is the request's.
pub fn summary_text(results: &SearchResults, offset: usize) -> String {
    let mut out = String::new();
    if let Some(q) = &results.corrected_query {
        let _ = writeln!(out, "showing results for \"{q}\"");
    }
    if let Some(q) = &results.did_you_mean {
        let _ = writeln!(out, "did you mean \"{q}\"?");
    }
    if let Some(p) = &results.stop_word_phrase {
        let _ = writeln!(
            out,
            "every word is a stop word: searched as the phrase \"{p}\""
        );
    }
    let total = results.total;
    let articles = if total == 1 { "article" } else { "articles" };
    let _ = match results.hits.len() {
        0 if offset > 0 && total > 0 => {
            writeln!(
                out,
                "{total} matching {articles}; no hits after hit {offset}"
            )
        }
        0 => writeln!(out, "{total} matching {articles}"),
        n if offset == 0 && n == total => writeln!(out, "{total} matching {articles}"),
        1 => writeln!(
            out,
            "{total} matching {articles}; showing hit {}",
            offset + 1
        ),
        n => writeln!(
            out,
            "{total} matching {articles}; showing hits {}–{}",
            offset + 1,
            offset + n
        ),
    };
    out
}

/// Facet counts as text, `top` values per facet (years all).
pub fn facets_text(f: &Facets, top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "matching articles by facet (each article counted once)"
    );
    let facets: [(&str, &FacetCounts, usize); 5] = [
        ("outlets", &f.outlets, top),
        ("authors", &f.authors, top),
        ("topics", &f.topics, top),
        ("languages", &f.langs, top),
        ("years", &f.years, usize::MAX),
    ];
    for (name, counts, top) in facets {
        let _ = writeln!(out, "\n{name} ({} distinct)", counts.distinct);
        for v in counts.values.iter().take(top) {
            let _ = writeln!(out, "  {:>7}  {}", v.count, v.value);
        }
        let more = counts.distinct.saturating_sub(top.min(counts.values.len()));
        if more > 0 && top != usize::MAX {
            let _ = writeln!(out, "  … {more} more");
        }
    }
    out
}

/// A hit as one line of JSON.
pub fn hit_json(hit: &Hit) -> String {
    let a = &hit.article;
    let j = HitJson {
        rank: hit.rank,
        score: hit.score,
        article_id: &a.id,
        passage: hit.passage,
        title: &a.title,
        url: a.url.as_deref(),
        authors: &a.authors,
        outlet: a.outlet.as_deref(),
        section: a.section.as_deref(),
        published: a.published.as_deref(),
        lang: a.lang.as_deref(),
        topics: &a.topics,
        text: &hit.text,
        highlights: hit.highlights.iter().map(|r| [r.start, r.end]).collect(),
        source: a.source.as_ref(),
        also_in: &a.also_in,
    };
    serde_json::to_string(&j).unwrap_or_default()
}

/// The citation line: authors · outlet · date · section.
pub fn citation(a: &Article) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !a.authors.is_empty() {
        parts.push(a.authors.join(", "));
    }
    if let Some(o) = &a.outlet {
        parts.push(o.clone());
    } else if let Some(s) = &a.site {
        parts.push(s.clone());
    }
    if let Some(d) = a.date() {
        parts.push(d.to_string());
    }
    if let Some(s) = &a.section {
        parts.push(s.clone());
    }
    if parts.is_empty() {
        "(no author, outlet or date)".into()
    } else {
        parts.join(" · ")
    }
}

/// The other places an article ran, as `Outlet (url)` items.
pub fn also_in_list(a: &Article) -> String {
    a.also_in
        .iter()
        .map(|c| {
            let name = c
                .outlet
                .as_deref()
                .or(c.site.as_deref())
                .unwrap_or("(unknown outlet)");
            match &c.url {
                Some(u) => format!("{name} ({u})"),
                None => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A hit as a few lines of text.
pub fn hit_text(hit: &Hit, marks: Marks) -> String {
    let a = &hit.article;
    let mut out = String::new();
    let _ = writeln!(out, "{}. {}", hit.rank, a.title);
    let _ = writeln!(out, "   {}", citation(a));
    if let Some(url) = &a.url {
        let _ = writeln!(out, "   {url}");
    }
    if !a.also_in.is_empty() {
        let _ = writeln!(out, "   also in: {}", also_in_list(a));
    }
    let _ = writeln!(out, "   {}", excerpt(&hit.text, &hit.highlights, marks));
    let _ = writeln!(out, "   id {}  passage {}", a.id, hit.passage);
    out
}

/// Up to [`TEXT_WINDOW`] characters of `text` around its first highlight, marked.
pub fn excerpt(text: &str, highlights: &[Range<usize>], marks: Marks) -> String {
    let flat = text.replace('\n', " ");
    let first = highlights.first().map_or(0, |r| r.start);
    let (mut start, mut end) = (0, flat.len());
    if flat.chars().count() > TEXT_WINDOW {
        start = first.saturating_sub(TEXT_WINDOW / 4);
        while !flat.is_char_boundary(start) {
            start -= 1;
        }
        // Start at a word boundary.
        if start > 0 {
            if let Some(sp) = flat[start..first.max(start)].find(' ') {
                start += sp + 1;
            }
        }
        end = flat[start..]
            .char_indices()
            .nth(TEXT_WINDOW)
            .map_or(flat.len(), |(i, _)| start + i);
    }
    let (open, close) = marks.wrap();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for r in highlights {
        if r.end <= start || r.start >= end {
            continue;
        }
        let (s, e) = (r.start.max(start), r.end.min(end));
        out.push_str(&flat[pos..s]);
        out.push_str(open);
        out.push_str(&flat[s..e]);
        out.push_str(close);
        pos = e;
    }
    out.push_str(&flat[pos..end]);
    if end < flat.len() {
        out.push('…');
    }
    out
}

/// A whole article as text (contact details only when asked).
pub fn article_text(a: &Article, with_contacts: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", a.title);
    let _ = writeln!(out, "{}", citation(a));
    let mut field = |name: &str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            let _ = writeln!(out, "{name:<10}{v}");
        }
    };
    field("id", Some(&a.id));
    field("site", a.site.as_deref());
    field("url", a.url.as_deref());
    field("lang", a.lang.as_deref());
    field("topics", Some(&a.topics.join(", ")));
    field("keywords", Some(&a.keywords.join(", ")));
    // With a claim beside it, each line says what it is.
    let (read, claimed) = match a.claimed_source {
        Some(_) => (
            ", the file opedex read",
            ", as the record gives it (not checked)",
        ),
        None => ("", ""),
    };
    let source_line =
        |s: &crate::article::Source, note: &str| format!("{} ({}){note}", s.path, s.format);
    let source = a.source.as_ref().map(|s| source_line(s, read));
    field("source", source.as_deref());
    let claimed = a.claimed_source.as_ref().map(|s| source_line(s, claimed));
    field("claimed", claimed.as_deref());
    if !a.also_in.is_empty() {
        field("also in", Some(&also_in_list(a)));
    }
    for card in &a.author_cards {
        let _ = writeln!(out, "author    {}", card.name);
        for aff in &card.affiliations {
            let _ = writeln!(out, "          {aff}");
        }
        if let Some(o) = &card.orcid {
            let _ = writeln!(out, "          ORCID {o}");
        }
        for (k, v) in &card.ids {
            let _ = writeln!(out, "          {k} {v}");
        }
        if with_contacts {
            let c = &card.contacts;
            for (label, v) in [
                ("E-mail", &c.email),
                ("Tel.", &c.phone),
                ("Address", &c.address),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(out, "          {label}: {v}");
                }
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", a.body);
    out
}

/// Statistics as text, `top` entries per facet.
pub fn stats_text(s: &Stats, top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "articles  {}", s.articles);
    let _ = writeln!(out, "passages  {}", s.passages);
    if let Some(v) = &s.vectors {
        let window = v
            .window
            .map_or(String::new(), |w| format!(", window {w} word pieces"));
        let _ = writeln!(
            out,
            "vectors   {} articles, {} vectors ({} numbers; model {}{window}; units {})",
            v.articles, v.vectors, v.dims, v.model, v.units
        );
    }
    let facets = [
        ("outlets", &s.outlets),
        ("authors", &s.authors),
        ("topics", &s.topics),
        ("languages", &s.langs),
    ];
    for (name, counts) in facets {
        let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "\n{name} ({} distinct)", counts.len());
        for (k, v) in sorted.into_iter().take(top) {
            let _ = writeln!(out, "  {v:>7}  {k}");
        }
    }
    let _ = writeln!(out, "\nyears");
    for (k, v) in &s.years {
        let _ = writeln!(out, "  {v:>7}  {k}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_marks_and_windows() {
        let text = "peace and treaty";
        assert_eq!(
            excerpt(text, &[0..5, 10..16], Marks::Plain),
            "**peace** and **treaty**"
        );
        let long = format!("{} islands {}", "word ".repeat(300), "tail ".repeat(300));
        let start = long.find("islands").unwrap();
        let ranges: Vec<Range<usize>> = std::iter::once(start..start + 7).collect();
        let e = excerpt(&long, &ranges, Marks::Plain);
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert!(e.contains("**islands**"));
    }
}
