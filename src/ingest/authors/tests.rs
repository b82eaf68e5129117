//! Bylines and author strings as sources give them.

use super::*;

fn v(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn split(s: &str) -> Vec<String> {
    split_byline(s)
}

#[test]
fn separators() {
    assert_eq!(split("Jane Doe and John Roe"), v(&["Jane Doe", "John Roe"]));
    assert_eq!(split("Jane Doe, John Roe"), v(&["Jane Doe", "John Roe"]));
    assert_eq!(split("Jane Doe & John Roe"), v(&["Jane Doe", "John Roe"]));
    assert_eq!(split("Jane Doe; John Roe"), v(&["Jane Doe", "John Roe"]));
    assert_eq!(split("Jane Doe | John Roe"), v(&["Jane Doe", "John Roe"]));
    assert_eq!(
        split("Jane Doe, John Roe and Ann Poe"),
        v(&["Jane Doe", "John Roe", "Ann Poe"])
    );
    assert_eq!(
        split("Jane Doe with John Roe"),
        v(&["Jane Doe", "John Roe"])
    );
    assert_eq!(
        split("Иван Петров и Анна Смирнова"),
        v(&["Иван Петров", "Анна Смирнова"])
    );
    assert_eq!(split("Jane Doe AND John Roe"), v(&["Jane Doe", "John Roe"]));
    assert_eq!(split("Jane Doe et al."), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe Et Al."), v(&["Jane Doe"]));
}

#[test]
fn by_and_prefixes() {
    assert_eq!(split("By Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(split("by Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(split("BY JANE DOE"), v(&["JANE DOE"]));
    assert_eq!(split("By: Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(split("Written by Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(
        split("by Jane Doe and John Roe, Staff Writers"),
        v(&["Jane Doe", "John Roe"])
    );
    assert_eq!(
        split("Analysis Stephen Collinson"),
        v(&["Stephen Collinson"])
    );
    assert_eq!(split("Opinion by Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(split("Text Lizzie Presser"), v(&["Lizzie Presser"]));
    assert_eq!(split("By"), Vec::<String>::new());
}

#[test]
fn honorifics() {
    assert_eq!(split("Sen. Ted Cruz"), v(&["Ted Cruz"]));
    assert_eq!(split("Rep. Ro Khanna"), v(&["Ro Khanna"]));
    assert_eq!(split("Congressman Paul Gosar"), v(&["Paul Gosar"]));
    assert_eq!(split("Dr. Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(split("Former Sen. Jane Doe"), v(&["Jane Doe"]));
    assert_eq!(split("President Barack Obama"), v(&["Barack Obama"]));
    // Not stripped when it would leave a single word.
    assert_eq!(split("Judge Dredd"), v(&["Judge Dredd"]));
    assert_eq!(split("Mark Judge"), v(&["Mark Judge"]));
}

#[test]
fn quotes_and_punctuation() {
    assert_eq!(split("\"Cortney OBrien\""), v(&["Cortney OBrien"]));
    assert_eq!(split("“Jane Doe”"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe."), v(&["Jane Doe"]));
    assert_eq!(split("Jane A."), v(&["Jane A."]));
    assert_eq!(split("Leonard Pitts Jr."), v(&["Leonard Pitts Jr."]));
    assert_eq!(split("Leonard Pitts, Jr."), v(&["Leonard Pitts Jr."]));
    assert_eq!(split("Jane Doe, PhD"), v(&["Jane Doe"]));
    assert_eq!(
        split("Jane Doe, M.D., John Roe"),
        v(&["Jane Doe", "John Roe"])
    );
    assert_eq!(split("Jane Doe (R-Texas)"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe [Reuters]"), v(&["Jane Doe"]));
}

#[test]
fn roles_dates_and_contacts() {
    assert_eq!(split("Jane Doe | Reporter"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe, Senior Fellow at X"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe - Staff Writer"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe Jan 5, 2019"), Vec::<String>::new());
    assert_eq!(split("Jane Doe | Jan 5, 2019"), v(&["Jane Doe"]));
    assert_eq!(split("Updated 3:45 PM"), Vec::<String>::new());
    assert_eq!(split("Jane Doe | Updated 3:45 PM ET"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe jane@example.org"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe <jane@example.org>"), v(&["Jane Doe"]));
    assert_eq!(
        split("Jane Doe https://example.org/Jane-Doe"),
        v(&["Jane Doe"])
    );
    assert_eq!(split("Jane Doe @janedoe"), v(&["Jane Doe"]));
    assert_eq!(split("Colleen.Nelson Wsj.Com"), Vec::<String>::new());
    assert_eq!(split("Jane Doe for The Guardian"), v(&["Jane Doe"]));
    assert_eq!(split("Jane Doe is a columnist"), v(&["Jane Doe"]));
    for junk in [
        "Staff Writer At",
        "Cnn Editor-At-Large",
        "White House Reporter",
        "Chairman Of Wellzone",
        "Professor Of Law",
        "Digital Media Fellow",
        "Washington Bureau Chief",
        "Former Cia Director",
        "Supreme Court Biographer",
        "Co-Author Of",
        "An Interview With",
        "An Anonymous User",
        "Stanford University.",
        "Only In America.",
        "On Tbn.",
        "You Go Lower.",
        "Her Husband Live",
        "For More Information",
        "Visit Shellie At",
        "Los Angeles Edition",
        "Robert Reich Blog",
        "Tribune Content Agency",
        "Kaiser Health News",
        "Condé Nast",
        "D-New York",
        "Photos Carlos Chavarría",
        "Photography Edmund Fountain",
        "Illustrations Christina Animashaun",
        "staff writers",
        "J. D.",
    ] {
        assert_eq!(split(junk), Vec::<String>::new(), "{junk}");
    }
}

#[test]
fn non_persons() {
    for junk in [
        "Staff",
        "Editorial Board",
        "The Editorial Board",
        "Associated Press",
        "The Associated Press",
        "Reuters",
        "AP",
        "Opinion",
        "Contributor",
        "Guest Writer",
        "The Editors",
        "Anonymous",
        "N/A",
    ] {
        assert_eq!(split(junk), Vec::<String>::new(), "{junk}");
    }
    assert_eq!(split("Jane Doe, Associated Press"), v(&["Jane Doe"]));
    assert_eq!(
        split("Reporting by Jane Doe; Editing by John Roe"),
        v(&["Jane Doe"])
    );
    assert_eq!(
        split("Story by Jane Doe, photos by John Roe"),
        v(&["Jane Doe"])
    );
}

#[test]
fn kept_names() {
    for name in [
        "Mary-Kate O'Neil",
        "Fyodor A. Lukyanov",
        "Ludwig van Beethoven",
        "José María Aznar",
        "Фёдор Лукьянов",
        "Eoin Ó Broin",
        "Veronique De Rugy",
        "Cassie Da Costa",
        "Aymenn Al-Tamimi",
        "J.D. Tuccille",
        "R. Emmett Tyrrell",
        "Valéry Giscard d'Estaing",
        "Leonard Pitts Jr.",
        "H.W. Crocker III",
        "Jennifer Senior",
        "Emily Post",
        "Christopher Guest",
        "毛泽东",
        "Ibn Khaldun",
        "Mohammed bin Salman",
        "Bradford H. B.",
    ] {
        assert_eq!(split(name), v(&[name]), "{name}");
    }
    assert_eq!(split("By Fyodor A. Lukyanov"), v(&["Fyodor A. Lukyanov"]));
}

#[test]
fn last_first() {
    assert_eq!(split("Smith, John"), v(&["John Smith"]));
    assert_eq!(split("By Smith, John"), v(&["John Smith"]));
    assert_eq!(
        split("Smith, John; Doe, Jane"),
        v(&["John Smith", "Jane Doe"])
    );
    // Two full names, not last/first.
    assert_eq!(
        split("Cortney OBrien, Matt Vespa"),
        v(&["Cortney OBrien", "Matt Vespa"])
    );
    // Three single words: not guessed as pairs.
    assert_eq!(split("Smith, John, Doe"), v(&["Smith", "John", "Doe"]));
    assert_eq!(split("Reuters, AP"), Vec::<String>::new());
}

#[test]
fn clean_dedupes_and_drops_outlet() {
    let raw = v(&[
        "\"Cortney OBrien\", Matt Vespa, Cortney OBrien",
        "MATT VESPA",
        "Townhall",
        "Townhall Staff",
    ]);
    assert_eq!(
        clean(&raw, Some("Townhall")),
        v(&["Cortney OBrien", "Matt Vespa"])
    );
    assert_eq!(
        clean(&v(&["J.D. Vance", "J. D. Vance", "j.d.  vance"]), None),
        v(&["J.D. Vance"])
    );
    assert_eq!(
        clean(
            &v(&["Hillary Chabot, Boston Herald, Howie Carr"]),
            Some("Boston Herald Editorial")
        ),
        v(&["Hillary Chabot", "Howie Carr"])
    );
    assert_eq!(
        clean(
            &v(&["Jane Doe, New York Post"]),
            Some("New York Post (Opinion)")
        ),
        v(&["Jane Doe"])
    );
    assert_eq!(
        clean(&v(&["The Nation"]), Some("The Nation")),
        Vec::<String>::new()
    );
    assert_eq!(clean(&v(&["Reason"]), Some("Reason")), Vec::<String>::new());
    assert_eq!(clean(&[], Some("Reason")), Vec::<String>::new());
    // A person whose name merely starts like the outlet stays.
    assert_eq!(
        clean(&v(&["Reason Smith"]), Some("Reason")),
        v(&["Reason Smith"])
    );
}

proptest::proptest! {
    #[test]
    fn never_panics(raw in proptest::collection::vec("\\PC{0,60}", 0..4), outlet in proptest::option::of("\\PC{0,20}")) {
        let names = clean(&raw, outlet.as_deref());
        for n in &names {
            proptest::prop_assert!(!n.trim().is_empty());
            proptest::prop_assert_eq!(n.trim(), n.as_str());
        }
    }

    #[test]
    fn bylines_never_panic(s in "[A-Za-z .,;&|()\"'-]{0,60}") {
        let _ = split_byline(&s);
    }
}

/// Measures the cleaner on the AllSides `authors` field. Run with
/// `cargo test --lib authors::tests::allsides -- --ignored --nocapture`.
#[test]
#[ignore = "reads ../shared/corpus; prints figures"]
fn allsides_measurements() {
    use std::collections::{BTreeMap, HashMap};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/allsides-opinion/jsons");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("SKIPPED: {} missing", dir.display());
        return;
    };
    let mut before: HashMap<String, usize> = HashMap::new();
    let mut after: HashMap<String, usize> = HashMap::new();
    let mut changed: BTreeMap<String, String> = BTreeMap::new();
    let (mut files, mut names_before, mut names_after) = (0, 0, 0);
    let mut per_before: BTreeMap<usize, usize> = BTreeMap::new();
    let mut per_after: BTreeMap<usize, usize> = BTreeMap::new();
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let authors = value["authors"].as_str().unwrap_or("").to_string();
        let outlet = value["source"].as_str().map(str::trim);
        files += 1;
        let raw: Vec<&str> = authors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for r in &raw {
            *before.entry(r.to_string()).or_default() += 1;
            let out = clean(&[r.to_string()], outlet);
            if out.len() != 1 || out[0] != *r {
                changed.insert(r.to_string(), format!("{out:?}"));
            }
        }
        names_before += raw.len();
        let cleaned = clean(std::slice::from_ref(&authors), outlet);
        names_after += cleaned.len();
        *per_before.entry(raw.len()).or_default() += 1;
        *per_after.entry(cleaned.len()).or_default() += 1;
        if cleaned.is_empty() && !raw.is_empty() {
            println!("  emptied: {authors:?} ({outlet:?})");
        }
        for n in cleaned {
            *after.entry(n).or_default() += 1;
        }
    }
    println!(
        "files {files}; names {names_before} -> {names_after}; distinct {} -> {}",
        before.len(),
        after.len()
    );
    println!("names per article before {per_before:?}");
    println!("names per article after  {per_after:?}");
    for (k, v) in &changed {
        println!("  {k:?} ({}) -> {v}", before[k]);
    }
}

#[test]
fn user_names() {
    for ok in ["gizzmo", "mh", "r23", "jesus_freak", "Ferry-Fan"] {
        assert_eq!(handle(ok).as_deref(), Some(ok), "{ok}");
    }
    // Not a user name: leads, roles, non-persons, domains, digits only,
    // several words, edge punctuation.
    for no in [
        "by",
        "staff",
        "editor",
        "reuters",
        "example.com",
        "2021",
        "a",
        "two words",
        "-x-",
        "news-desk",
        "publisher",
        "admin",
    ] {
        assert_eq!(handle(no), None, "{no}");
    }
    // The site's own name is not a writer's.
    assert!(is_site_name("Beachbody", Some("The Beachbody Blog"), None));
    assert!(is_site_name("appleinsider", None, Some("appleinsider.com")));
    assert!(!is_site_name(
        "gizzmo",
        Some("Bunte Republik"),
        Some("bunterepublik.wordpress.com")
    ));
    // `clean` never takes one: dataset strings are lists of names.
    assert!(clean(&v(&["gizzmo"]), None).is_empty());
}

#[test]
fn an_affiliation_after_a_job_title_is_no_person() {
    assert_eq!(
        split("Ann Roe, Senior Staff Technologist, Speech, Privacy, Technology Project"),
        v(&["Ann Roe"])
    );
    // Another person joined by "and" still counts.
    assert_eq!(
        split("Ann Roe, Staff Writer, and John Doe, Contributing Editor"),
        v(&["Ann Roe", "John Doe"])
    );
    // Without a job title, a list of names stays a list.
    assert_eq!(
        split("Ann Roe, John Doe, Jane Poe"),
        v(&["Ann Roe", "John Doe", "Jane Poe"])
    );
}

#[test]
fn agencies_and_furniture_are_no_people() {
    for not in [
        "Agencies",
        "Agenturen",
        "PTI",
        "Courtesy",
        "Name",
        "Privacy",
    ] {
        assert!(split(not).is_empty(), "{not}");
        assert_eq!(handle(not), None, "{not}");
    }
}
