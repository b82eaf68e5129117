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
    /// Per query unit, in unit order: where it occurs.
    pub units: Vec<UnitMatch>,
}

/// Where one query unit occurs in a passage and its title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitMatch {
    /// Token positions in the passage text where the unit starts.
    pub positions: Vec<usize>,
    /// The unit occurs in the title.
    pub in_title: bool,
}

/// Length in tokens of the shortest stretch of text holding at least one
/// occurrence of every unit that occurs in the text (`None` when fewer than
/// two units occur). A phrase unit counts as its first token.
pub fn smallest_window(units: &[UnitMatch]) -> Option<(usize, usize)> {
    let present: Vec<&UnitMatch> = units.iter().filter(|u| !u.positions.is_empty()).collect();
    if present.len() < 2 {
        return None;
    }
    let mut events: Vec<(usize, usize)> = present
        .iter()
        .enumerate()
        .flat_map(|(i, u)| u.positions.iter().map(move |&p| (p, i)))
        .collect();
    events.sort_unstable();
    // Sliding window over positions: the classic minimum window covering every list.
    let mut count = vec![0usize; present.len()];
    let mut have = 0;
    let mut best = usize::MAX;
    let mut left = 0;
    for right in 0..events.len() {
        let (_, u) = events[right];
        if count[u] == 0 {
            have += 1;
        }
        count[u] += 1;
        while have == present.len() {
            let span = events[right].0 - events[left].0 + 1;
            best = best.min(span);
            let (_, lu) = events[left];
            count[lu] -= 1;
            if count[lu] == 0 {
                have -= 1;
            }
            left += 1;
        }
    }
    Some((present.len(), best))
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

fn starts<'t>(tokens: &'t [Token], unit: &'t [String]) -> impl Iterator<Item = usize> + 't {
    tokens
        .windows(unit.len())
        .enumerate()
        .filter(move |(_, w)| w.iter().zip(unit).all(|(t, u)| &t.term == u))
        .map(|(i, _)| i)
}

/// Finds the query units in a passage (highlighted) and its title (counted only).
pub fn find(key: &str, units: &Units, text: &str, title: &str) -> Matches {
    let mut analyser = analysis::analyser(key);
    let text_tokens = analysis::tokens(&mut analyser, text);
    let title_tokens = analysis::tokens(&mut analyser, title);
    let mut ranges = Vec::new();
    let mut covered = 0;
    let mut matched = Vec::with_capacity(units.len());
    for unit in units {
        let positions: Vec<usize> = starts(&text_tokens, unit).collect();
        ranges.extend(occurrences(&text_tokens, unit));
        let in_title = starts(&title_tokens, unit).next().is_some();
        if !positions.is_empty() || in_title {
            covered += 1;
        }
        matched.push(UnitMatch {
            positions,
            in_title,
        });
    }
    Matches {
        ranges: merge(ranges),
        covered,
        units: matched,
    }
}

/// The byte ranges of `units` in `text`, from where the index says each
/// unit starts (`matches`, per unit, as [`super::evidence::unit_starts`]
/// reads them from the positions). Only the words at those positions are
/// analysed, to check them, instead of every word of the text. `None` when
/// the positions cannot be used: a language without word positions, no
/// unit in the text, or a word that does not analyse to its unit's term
/// (a text other than the one indexed); [`find`] then does the work.
pub fn at_positions(
    key: &str,
    units: &Units,
    text: &str,
    matches: &[UnitMatch],
) -> Option<Vec<Range<usize>>> {
    if matches.len() != units.len() || matches.iter().all(|m| m.positions.is_empty()) {
        return None;
    }
    let words = analysis::word_offsets(key, text)?;
    let mut analyser = analysis::analyser(key);
    let mut ranges = Vec::new();
    for (unit, m) in units.iter().zip(matches) {
        for &p in &m.positions {
            let span = words.get(p..p + unit.len())?;
            for (w, term) in span.iter().zip(unit) {
                if analysis::terms(&mut analyser, &text[w.clone()]) != [term.as_str()] {
                    return None;
                }
            }
            ranges.push(span[0].start..span[span.len() - 1].end);
        }
    }
    Some(merge(ranges))
}

/// Stage "highlight" of a search: the byte ranges of `units` in a passage
/// shown. The positions read for ranking (`matches`) say where the words
/// are ([`at_positions`]); the text is analysed whole ([`find`]) only when
/// they cannot be used.
pub(super) fn shown(
    key: &str,
    units: &Units,
    text: &str,
    matches: &[UnitMatch],
) -> Vec<Range<usize>> {
    at_positions(key, units, text, matches).unwrap_or_else(|| find(key, units, text, "").ranges)
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
        assert_eq!(m.units[0].positions, vec![1]);
        assert_eq!(m.units[1].positions, vec![5]);
        assert!(m.units[2].in_title && m.units[2].positions.is_empty());
    }

    #[test]
    fn positions_give_the_same_ranges_as_analysing_every_word() {
        let units = analyse_units("en", ["islands", "peace treaty"]);
        let text = "The island question and a peace treaty; Islands, peace and a treaty.";
        let found = find("en", &units, text, "");
        let at = |positions: &[&[usize]]| -> Vec<UnitMatch> {
            positions
                .iter()
                .map(|p| UnitMatch {
                    positions: p.to_vec(),
                    in_title: false,
                })
                .collect()
        };
        assert_eq!(found.units, at(&[&[1, 7], &[5]]));
        assert_eq!(
            at_positions("en", &units, text, &found.units),
            Some(found.ranges)
        );
        // A position whose word is not the unit's: the text is not the one
        // indexed, so the caller analyses it whole.
        assert_eq!(at_positions("en", &units, text, &at(&[&[2], &[]])), None);
        assert_eq!(at_positions("en", &units, text, &at(&[&[40], &[]])), None);
        // Nothing to place, or bigram positions: no answer either.
        assert_eq!(at_positions("en", &units, text, &at(&[&[], &[]])), None);
        let zh = analyse_units("xx", ["和平"]);
        assert_eq!(at_positions("xx", &zh, "和平条约", &at(&[&[0]])), None);
    }

    #[test]
    fn smallest_window_spans_every_present_unit() {
        let at = |p: &[usize]| UnitMatch {
            positions: p.to_vec(),
            in_title: false,
        };
        // Unit 0 at 1 and 9, unit 1 at 5 and 10, unit 2 absent: best window 9..=10.
        assert_eq!(
            smallest_window(&[at(&[1, 9]), at(&[5, 10]), at(&[])]),
            Some((2, 2))
        );
        // Three units at 0, 4, 2 → window 0..=4, five tokens.
        assert_eq!(
            smallest_window(&[at(&[0]), at(&[4]), at(&[2])]),
            Some((3, 5))
        );
        assert_eq!(smallest_window(&[at(&[3]), at(&[])]), None);
    }
}
