//! Choosing the article: readability-style scores, the best element and its
//! strong siblings, the lead above them, and the dates and credit lines near
//! them.

use super::tree::Walker;
use super::{Block, MainText, Role, NONE};
use crate::date;
use crate::ingest::html::byline;

/// How many levels above the chosen element a lead may sit (header and body
/// are usually siblings or cousins inside the article's wrapper).
const LEAD_LEVELS: usize = 4;

/// An opening paragraph set apart from the body must be this long (a teaser
/// or a pull quote is shorter) …
const OPENING_MIN_CHARS: usize = 200;
/// … and sit among this many blocks just above the body.
const OPENING_WINDOW: usize = 6;

/// A block shorter than this with no sentence end reads as a label, not prose.
const PROSE_MIN_CHARS: usize = 80;

/// Whether a block is mostly link text: menus, teaser lists, tag clouds.
/// Article paragraphs and list items link a lot too, so long blocks must be
/// nearly all links to count.
fn link_heavy(b: &Block) -> bool {
    let chars = b.text.len().max(1);
    let density = b.link_chars as f64 / chars as f64;
    density > 0.8 || (density > 0.5 && b.text.chars().count() < 100)
}

/// How a block counts toward its ancestors: + prose, − furniture.
fn weight(b: &Block) -> i64 {
    let chars = b.text.chars().count() as i64;
    if link_heavy(b) {
        return -chars;
    }
    if b.heading > 0 {
        return 0;
    }
    let sentence = b
        .text
        .ends_with(['.', '!', '?', '"', '”', '»', ':', '。', '…']);
    if chars as usize >= PROSE_MIN_CHARS || (sentence && chars >= 30) {
        (chars - b.link_chars as i64).max(1)
    } else {
        -chars / 2
    }
}

/// Scores the elements, keeps the best one with its strong siblings, and
/// reads the article's paragraphs, lead, dates and credits from them.
pub(super) fn choose(mut w: Walker) -> MainText {
    let total_prose = credit_ancestors(&mut w);
    let finals = final_scores(&w);
    let Some((best, best_score)) = best_element(&finals) else {
        return MainText {
            paras: Vec::new(),
            share: 0.0,
            prose_chars: 0,
            dateline: None,
            labelled: None,
            credits: Vec::new(),
        };
    };
    let chosen_blocks = chosen_blocks(&w, &finals, best, best_score);
    let near = near_blocks(&w, &chosen_blocks);
    let dateline = dateline(&w, &near, &chosen_blocks);
    // A block that labels its date ("Datum: 26. Januar 2022"), anywhere on
    // the page outside furniture, in page order.
    let labelled = w
        .blocks
        .iter()
        .filter(|b| b.text.len() <= 120)
        .find_map(|b| labelled_date(&b.text));
    let credits = near
        .iter()
        .chain(chosen_blocks.iter().rev().take(3))
        .map(|&i| byline::credit_line(&w.blocks[i].text, None))
        .find(|names| !names.is_empty())
        .unwrap_or_default();
    // The lead goes before the body (the windows above stay where the body
    // starts: the lead sits among bylines and datelines).
    let mut chosen_blocks = chosen_blocks;
    // Lead blocks all come before the body's first block.
    let body_start = chosen_blocks.first().copied().unwrap_or(0);
    chosen_blocks.extend(lead_blocks(&w, best, &chosen_blocks));
    chosen_blocks.sort_unstable();
    let (paras, prose) = paragraphs(&w, &chosen_blocks, body_start);
    MainText {
        paras,
        share: prose as f64 / total_prose.max(1) as f64,
        prose_chars: prose,
        dateline,
        labelled,
        credits,
    }
}

/// Credits every block to its ancestors: characters and link characters to
/// all of them, prose to all of them and (readability's scheme) to the three
/// above its paragraph, in falling shares. Returns all prose on the page.
fn credit_ancestors(w: &mut Walker) -> usize {
    let mut total_prose = 0usize;
    for b in &w.blocks {
        let wt = weight(b);
        let chars = b.text.chars().count();
        let mut e = b.elem;
        while e != NONE {
            let el = &mut w.elems[e];
            el.chars += chars;
            el.links += b.link_chars.min(chars);
            if wt > 0 {
                el.prose += wt as usize;
            }
            e = el.parent;
        }
        if wt <= 0 {
            continue;
        }
        total_prose += wt as usize;
        let mut e = b.elem;
        if e != NONE && w.elems[e].paralike {
            e = w.elems[e].parent;
        }
        for level in 1..=3 {
            if e == NONE {
                break;
            }
            w.elems[e].acc += wt as f64 / level as f64;
            e = w.elems[e].parent;
        }
    }
    total_prose
}

/// Each element's score: its credited prose scaled by its share of non-link
/// text, with a bonus for a class that names content.
fn final_scores(w: &Walker) -> Vec<f64> {
    w.elems
        .iter()
        .map(|e| {
            let ld = e.links as f64 / e.chars.max(1) as f64;
            e.acc * (1.0 - ld) * if e.contentish { 1.1 } else { 1.0 }
        })
        .collect()
}

/// The first element with the highest score above 0, and its score.
fn best_element(finals: &[f64]) -> Option<(usize, f64)> {
    let mut best = None;
    let mut best_score = 0f64;
    for (i, &f) in finals.iter().enumerate() {
        if f > best_score {
            best_score = f;
            best = Some(i);
        }
    }
    best.map(|b| (b, best_score))
}

/// The blocks inside the best element and inside those of its siblings that
/// score at least a fifth as high (split article bodies), in page order.
fn chosen_blocks(w: &Walker, finals: &[f64], best: usize, best_score: f64) -> Vec<usize> {
    let parent = w.elems[best].parent;
    let threshold = (best_score * 0.2).max(100.0);
    let mut chosen = vec![false; w.elems.len()];
    chosen[best] = true;
    for (i, e) in w.elems.iter().enumerate() {
        if parent != NONE && e.parent == parent && finals[i] >= threshold {
            chosen[i] = true;
        }
    }
    let inside = |mut e: usize| {
        while e != NONE {
            if chosen[e] {
                return true;
            }
            e = w.elems[e].parent;
        }
        false
    };
    (0..w.blocks.len())
        .filter(|&i| inside(w.blocks[i].elem))
        .collect()
}

/// Where bylines and datelines sit: the lines just above the article
/// (nearest first), its first lines, and just below it.
fn near_blocks(w: &Walker, chosen_blocks: &[usize]) -> Vec<usize> {
    chosen_blocks
        .first()
        .map(|&first| {
            let last = *chosen_blocks.last().unwrap_or(&first);
            let n = w.blocks.len();
            (first.saturating_sub(12)..first)
                .rev()
                .chain(first..(first + 5).min(n))
                .chain((last + 1)..(last + 6).min(n))
                .collect()
        })
        .unwrap_or_default()
}

/// The first date written near the article. A long paragraph counts when it
/// opens with its date ("27.1.2022 - Bei der …"); a signature line at the
/// article's end ("Ann\n10. September 2017") is the last place looked.
fn dateline(w: &Walker, near: &[usize], chosen_blocks: &[usize]) -> Option<String> {
    near.iter()
        .chain(chosen_blocks.iter().rev().take(2))
        .map(|&i| &w.blocks[i].text)
        .find_map(|t| {
            if t.len() <= 200 {
                date::text_date(t)
            } else {
                let opening: String = t.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
                date::text_date(&opening)
            }
        })
}

/// The article's paragraphs, and the prose of its body (the blocks from
/// `body_start` on) that says how sure the choice is. Headlines, link-heavy
/// blocks and repeated blocks are left out.
fn paragraphs(w: &Walker, chosen_blocks: &[usize], body_start: usize) -> (Vec<String>, usize) {
    // A block printed more than once in the article is a photo caption or a
    // teaser repeated by a responsive layout; the article's own text is not.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for &i in chosen_blocks {
        *seen.entry(w.blocks[i].text.as_str()).or_default() += 1;
    }
    let mut prose = 0;
    let paras: Vec<String> = chosen_blocks
        .iter()
        .filter(|&&i| {
            let b = &w.blocks[i];
            b.heading != 1
                && !link_heavy(b)
                && (b.text.chars().count() < 30
                    || seen.get(b.text.as_str()).is_some_and(|&n| n == 1))
        })
        .inspect(|&&i| {
            // How sure the choice is depends on the body alone.
            if i >= body_start {
                prose += weight(&w.blocks[i]).max(0) as usize;
            }
        })
        .map(|&i| w.blocks[i].text.clone())
        .collect();
    (paras, prose)
}

/// Blocks of the article's lead: before the chosen text, inside a wrapper at
/// most [`LEAD_LEVELS`] above it, and prose (not a date, kicker or credit
/// line, not mostly links); either under an element that names a lead, or an
/// opening paragraph: a long sentence-ending block among the
/// [`OPENING_WINDOW`] blocks just above the body, under no element that
/// names a person or picture (an intro set apart from a slideshow or from
/// the body's own container).
fn lead_blocks(w: &Walker, best: usize, chosen_blocks: &[usize]) -> Vec<usize> {
    let Some(&first) = chosen_blocks.first() else {
        return Vec::new();
    };
    let mut wrapper = best;
    for _ in 0..LEAD_LEVELS {
        match w.elems[wrapper].parent {
            NONE => break,
            p => wrapper = p,
        }
    }
    let ancestors = |mut e: usize| {
        std::iter::from_fn(move || {
            let cur = e;
            if cur == NONE {
                return None;
            }
            e = w.elems[cur].parent;
            Some(cur)
        })
    };
    // A lead printed twice (page header and article) or again in the body
    // is taken once, so the repeated-caption rule does not drop it.
    let mut seen: std::collections::HashSet<&str> = chosen_blocks
        .iter()
        .map(|&i| w.blocks[i].text.as_str())
        .collect();
    (0..first)
        .filter(|&i| {
            let b = &w.blocks[i];
            let chars = b.text.chars().count();
            let sentence = b.text.ends_with(['.', '!', '?', '"', '”', '»', '…']);
            // The nearest ancestor below the wrapper that names a lead, a
            // person or a picture must name a lead.
            let nearest = ancestors(b.elem)
                .take_while(|&e| e != wrapper)
                .map(|e| w.elems[e].lead)
                .find(|&l| l != Role::Plain);
            // Cheap tests first: most blocks above the body are neither.
            b.heading != 1
                && (nearest == Some(Role::Lead)
                    || (nearest.is_none()
                        && chars >= OPENING_MIN_CHARS
                        && sentence
                        && b.link_chars * 5 < b.text.len()
                        && first - i <= OPENING_WINDOW))
                && ancestors(b.elem).any(|e| e == wrapper)
                && !link_heavy(b)
                && (chars >= PROSE_MIN_CHARS
                    || (sentence && chars >= 30 && date::text_date(&b.text).is_none()))
                && seen.insert(b.text.as_str())
        })
        .collect()
}

/// Labels that announce a publication date, lower case, in the languages of
/// the benchmark pages. Edit-date labels ("Stand:", "Updated:") are not here.
const DATE_LABELS: [&str; 24] = [
    "datum:",
    "date:",
    "published:",
    "published on",
    "publication date:",
    "date published:",
    "veröffentlicht:",
    "veröffentlicht am",
    "erschienen:",
    "erschienen am",
    "publiziert am",
    "publié le",
    "date de publication :",
    "date de publication:",
    "fecha:",
    "fecha de publicación:",
    "publicado el",
    "data:",
    "data publikacji:",
    "opublikowano:",
    "pubblicato il",
    "data di pubblicazione:",
    "gepubliceerd op",
    "publicerad:",
];

/// The date after a publication label that opens a short block.
pub(super) fn labelled_date(text: &str) -> Option<String> {
    let t = text.trim_start();
    let head: String = t.chars().take(24).collect::<String>().to_lowercase();
    let label = DATE_LABELS.iter().find(|l| head.starts_with(*l))?;
    // Lower-casing can change byte lengths; skip the label by characters.
    let rest: String = t.chars().skip(label.chars().count()).collect();
    date::text_date(rest.trim_start_matches([':', ' ']))
}
