//! Who wrote the piece, from the names a source lists. Dataset dumps often
//! list a sidebar of the outlet's staff along with the writer (AllSides:
//! "Cortney OBrien, Matt Vespa, Leah Barkoukis, …"). The evidence, strongest
//! first:
//! 1. the URL names exactly one listed person (`/tipsheet/guybenson/`,
//!    `…-lindgren-okoye/`): that person;
//! 2. closing bio lines open with listed names: those people;
//! 3. names that follow three or more different first names across one
//!    outlet's records are sidebar regulars (`ingest::evidence`) and go,
//!    unless first;
//! 4. a list of three or more names given as one string, or one that held a
//!    regular, is a sidebar list whose writer stands first (in AllSides, the
//!    URL's person is first in 1,293 of 1,297 such lists).
//!
//! Otherwise every listed name stays: genuine co-authors are kept.

use super::evidence::{name_key, CorpusEvidence};

/// Shortest squashed name (letters only) looked for in a URL.
const MIN_URL_NAME: usize = 6;
/// Shortest surname looked for as a URL slug.
const MIN_URL_SURNAME: usize = 4;

/// What a record says besides its list of names.
pub struct Clues<'a> {
    /// The article's URL.
    pub url: Option<&'a str>,
    /// Names that closing bio lines open with.
    pub credited: &'a [String],
    /// Whether the names came as one string ("A, B, C").
    pub one_string: bool,
    /// The corpus's evidence and the record's outlet key.
    pub corpus: Option<(&'a CorpusEvidence, String)>,
}

/// The people who wrote the piece, among `names` (cleaned, in list order).
pub fn resolve(names: Vec<String>, clues: &Clues) -> Vec<String> {
    if names.len() < 2 {
        return names;
    }
    if let Some(one) = clues.url.and_then(|u| named_by_url(&names, u)) {
        return vec![one];
    }
    let credited: Vec<String> = clues.credited.iter().map(|c| name_key(c)).collect();
    let by_bio: Vec<String> = names
        .iter()
        .filter(|n| credited.contains(&name_key(n)))
        .cloned()
        .collect();
    if !by_bio.is_empty() {
        return by_bio;
    }
    let mut kept = names.clone();
    if let Some((evidence, key)) = &clues.corpus {
        let mut i = 0;
        kept.retain(|n| {
            i += 1;
            i == 1 || !evidence.is_regular(key, n)
        });
    }
    let had_regular = kept.len() < names.len();
    if names.len() >= 3 && (clues.one_string || had_regular) {
        kept.truncate(1);
    }
    kept
}

/// The one listed person a URL's path names: the whole name squashed
/// (`guybenson`, `petralindqvistames`), else the surname as a slug at the
/// end of a path segment (`…-lindgren-okoye`).
fn named_by_url(names: &[String], url: &str) -> Option<String> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split_once('/')
        .map_or("", |(_, p)| p)
        .to_lowercase();
    let squashed: String = path.chars().filter(|c| c.is_alphanumeric()).collect();
    let whole: Vec<&String> = names
        .iter()
        .filter(|n| {
            let k = name_key(n);
            k.chars().count() >= MIN_URL_NAME && squashed.contains(&k)
        })
        .collect();
    if let [one] = whole.as_slice() {
        return Some((*one).clone());
    }
    if !whole.is_empty() {
        return None;
    }
    let segments: Vec<&str> = path.split(['/', '?', '#', '.', '_']).collect();
    let by_surname: Vec<&String> = names
        .iter()
        .filter(|n| {
            let Some(last) = n.split_whitespace().last() else {
                return false;
            };
            let slug: String = last
                .to_lowercase()
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect();
            slug.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_URL_SURNAME
                && segments
                    .iter()
                    .any(|s| *s == slug || s.ends_with(&format!("-{slug}")))
        })
        .collect();
    match by_surname.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn clues(url: Option<&str>) -> Clues<'_> {
        Clues {
            url,
            credited: &[],
            one_string: true,
            corpus: None,
        }
    }

    #[test]
    fn url_names_the_writer() {
        let names = v(&["Ann Lee", "Guy Benson", "Bo Kim"]);
        let c = clues(Some(
            "https://townhall.com/tipsheet/guybenson/2019/01/01/x-n1",
        ));
        assert_eq!(resolve(names, &c), vec!["Guy Benson"]);
        let names = v(&["Ann Lee", "Amadou Lindgren-Okoye"]);
        let c = clues(Some(
            "https://x.example/2019/10/09/opinions/buses-lindgren-okoye/index.html",
        ));
        assert_eq!(resolve(names, &c), vec!["Amadou Lindgren-Okoye"]);
    }

    #[test]
    fn bio_then_position_then_coauthors() {
        let credited = v(&["Bo Kim", "Cy Moe"]);
        let c = Clues {
            url: None,
            credited: &credited,
            one_string: true,
            corpus: None,
        };
        assert_eq!(
            resolve(v(&["Bo Kim", "Cy Moe", "Ann Lee"]), &c),
            vec!["Bo Kim", "Cy Moe"]
        );
        assert_eq!(
            resolve(v(&["Ann Lee", "Bo Kim", "Cy Moe"]), &clues(None)),
            vec!["Ann Lee"]
        );
        assert_eq!(
            resolve(v(&["Ann Lee", "Bo Kim"]), &clues(None)),
            vec!["Ann Lee", "Bo Kim"]
        );
        let listed = Clues {
            one_string: false,
            ..clues(None)
        };
        assert_eq!(
            resolve(v(&["Ann Lee", "Bo Kim", "Cy Moe"]), &listed).len(),
            3
        );
    }
}
