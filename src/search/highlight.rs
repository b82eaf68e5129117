//! Which words of a passage matched, and how much of the query it covers.
//!
//! Uses the same analyser as indexing, so `islands` highlights `island` and a
//! Russian stem highlights its inflections.

use std::ops::Range;

use crate::analysis::{self, Token};

/// The analysed form of each ranked query unit (a word or a phrase) in one language.
pub type Units = Vec<Vec<String>>;

/// Analyses query units with one language's analyser.
pub fn analyse_units<'a>(key: &str, units: impl IntoIterator<Item = &'a str>) -> Units {
    let mut analyser = analysis::analyser(key);
    units
        .into_iter()
        .map(|u| analysis::terms(&mut analyser, u))
        .filter(|t| !t.is_empty())
        .collect()
}

/// What a passage matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    /// Byte ranges of matching words in the passage text, sorted, not overlapping.
    pub ranges: Vec<Range<usize>>,
    /// How many query units occur in the passage or its title.
    pub covered: usize,
}

fn occurrences<'t>(
    tokens: &'t [Token],
    unit: &'t [String],
) -> impl Iterator<Item = Range<usize>> + 't {
    tokens
        .windows(unit.len())
        .filter(move |w| w.iter().zip(unit).all(|(t, u)| &t.term == u))
        .map(|w| w[0].range.start..w[w.len() - 1].range.end)
}

/// Finds the query units in a passage (highlighted) and its title (counted only).
pub fn find(key: &str, units: &Units, text: &str, title: &str) -> Matches {
    let mut analyser = analysis::analyser(key);
    let text_tokens = analysis::tokens(&mut analyser, text);
    let title_tokens = analysis::tokens(&mut analyser, title);
    let mut ranges = Vec::new();
    let mut covered = 0;
    for unit in units {
        let before = ranges.len();
        ranges.extend(occurrences(&text_tokens, unit));
        if ranges.len() > before || occurrences(&title_tokens, unit).next().is_some() {
            covered += 1;
        }
    }
    Matches {
        ranges: merge(ranges),
        covered,
    }
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_phrases_and_title() {
        let units = analyse_units("en", ["islands", "peace treaty", "kremlin"]);
        let text = "The island question and a peace treaty; peace alone is not enough.";
        let m = find("en", &units, text, "What the Kremlin wants");
        let words: Vec<&str> = m.ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, vec!["island", "peace treaty"]);
        assert_eq!(m.covered, 3);
    }
}
