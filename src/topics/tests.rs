use std::collections::BTreeSet;

use super::*;

fn tax() -> Taxonomy {
    Taxonomy::default_taxonomy()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn diplomacy_and_islands() {
    let body = "The peace treaty talks stalled. The disputed islands remain a territorial issue. \
                Diplomats met at the summit, but sovereignty over the islands was not discussed. \
                The negotiations will resume.";
    let topics = tax().assign(Some("en"), "Peace can wait", body);
    assert!(topics.contains(&"foreign policy".to_string()), "{topics:?}");
    assert!(
        topics.contains(&"territorial disputes".to_string()),
        "{topics:?}"
    );
}

#[test]
fn one_stray_word_is_not_a_topic() {
    assert!(tax()
        .assign(Some("en"), "Gardens", "My garden has one island bed.")
        .is_empty());
}

#[test]
fn an_institution_counts_less_than_an_issue_at_equal_evidence() {
    // Four hits each, none in the title: the presidency's four count three.
    let body = "The president met the gun lobby. The president said background checks \
                would wait; the president and the Second Amendment caucus agreed, and the \
                president left. Gun owners cheered.";
    let topics = tax().assign(Some("en"), "A quiet afternoon", body);
    assert_eq!(
        topics.first().map(String::as_str),
        Some("guns"),
        "{topics:?}"
    );
    assert!(topics.contains(&"presidency".to_string()), "{topics:?}");
}

#[test]
fn an_institution_in_the_headline_can_lead() {
    // Version 2 first put every issue before any institution; a piece whose
    // headline is about the White House is about the presidency first.
    let body = "The president signed an executive order at the White House. Gun control \
                groups say background checks are not at stake.";
    let topics = tax().assign(Some("en"), "Inside the White House", body);
    assert_eq!(
        topics.first().map(String::as_str),
        Some("presidency"),
        "{topics:?}"
    );
    assert!(topics.contains(&"guns".to_string()), "{topics:?}");
}

#[test]
fn everyday_words_sharing_a_cue_stem_are_no_evidence() {
    // The English stemmer makes 'house' of 'housing', 'import' of
    // 'important', 'conserv' of 'conservation', 'execut' of 'executions':
    // such cues are written as phrases, so a piece about the House and
    // conservatives gets neither housing, trade, environment nor criminal
    // justice.
    let body = "The House passed the bill. It is important, said the conservatives in the \
                House, and the House executive committee agreed with important \
                conservative members. Importantly, the House executives met again.";
    let topics = tax().assign(Some("en"), "The House passes the bill", body);
    for wrong in ["housing", "trade", "environment", "criminal justice"] {
        assert!(!topics.contains(&wrong.to_string()), "{topics:?}");
    }
    assert!(topics.contains(&"legislatures".to_string()), "{topics:?}");
    // The phrases still find their topics.
    let topics = tax().assign(
        Some("en"),
        "Rents are rising",
        "Affordable housing is scarce and the housing market is tight.",
    );
    assert_eq!(topics, ["housing"]);
}

/// The raw bundled file, for checks on what it says.
fn raw() -> TaxonomyFile {
    serde_json::from_str(DEFAULT_TAXONOMY).unwrap()
}

fn full_entries() -> Vec<(String, FullEntry)> {
    raw()
        .topics
        .into_iter()
        .map(|(name, entry)| match entry {
            TopicEntry::Full(e) => (name, e),
            TopicEntry::CuesOnly(_) => panic!("{name}: the bundled file is version 2"),
        })
        .collect()
}

#[test]
fn every_cue_of_every_language_analyses_to_terms() {
    let mut langs = BTreeSet::new();
    for (name, entry) in full_entries() {
        for (lang, phrases) in &entry.cues {
            langs.insert(lang.clone());
            let mut analyser = analysis::analyser(analyser_key(Some(lang)));
            assert!(!phrases.is_empty(), "{name}/{lang}: no cues");
            for phrase in phrases {
                let terms = analysis::terms(&mut analyser, phrase);
                assert!(!terms.is_empty(), "{name}/{lang}: {phrase:?} has no terms");
            }
        }
    }
    // The project's sample languages and the stemmer languages written for.
    for lang in [
        "en", "ru", "de", "fr", "es", "it", "pl", "uk", "pt", "nl", "sv", "da", "no", "fi", "tr",
        "ro", "hu", "el", "ar",
    ] {
        assert!(langs.contains(lang), "no cues in {lang}");
    }
}

#[test]
fn every_topic_has_cues_in_every_language_of_the_file() {
    let entries = full_entries();
    let all: BTreeSet<&String> = entries.iter().flat_map(|(_, e)| e.cues.keys()).collect();
    for (name, entry) in &entries {
        let here: BTreeSet<&String> = entry.cues.keys().collect();
        assert_eq!(here, all, "{name}");
    }
}

#[test]
fn names_and_aliases_name_one_topic_each() {
    let v = tax();
    let v = v.vocabulary();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for t in v.topics() {
        assert_eq!(t.name, t.name.trim().to_lowercase());
        for spelling in std::iter::once(&t.name).chain(&t.aliases) {
            let k = vocabulary::key(spelling);
            if let Some(other) = seen.insert(k.clone(), &t.name) {
                panic!("{k:?} names both {other:?} and {:?}", t.name);
            }
            assert_eq!(
                v.resolve(spelling).map(|r| r.name.as_str()),
                Some(t.name.as_str())
            );
        }
    }
}

#[test]
fn iptc_codes_are_media_topic_qcodes() {
    for t in tax().vocabulary().topics() {
        if let Some(code) = &t.iptc {
            let digits = code
                .strip_prefix("medtop:")
                .unwrap_or_else(|| panic!("{code}"));
            assert!(
                digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{}: {code}",
                t.name
            );
        }
    }
}

#[test]
fn the_label_table_names_only_vocabulary_topics() {
    let names: BTreeSet<String> = tax()
        .vocabulary()
        .topics()
        .iter()
        .map(|t| t.name.clone())
        .collect();
    for (label, topics) in default_labels() {
        assert_eq!(
            label,
            vocabulary::key(&label),
            "keys are written as compared"
        );
        for t in topics {
            assert!(names.contains(&t), "{label}: {t} is not a topic");
        }
    }
}

#[test]
fn source_labels_map_onto_the_vocabulary() {
    let t = tax();
    let en = Some("en");
    assert_eq!(t.label_topics("white_house", en), ["presidency"]);
    assert_eq!(t.label_topics("Healthcare", en), ["health care"]);
    assert_eq!(t.label_topics("gun_control_and_gun_rights", en), ["guns"]);
    assert_eq!(t.label_topics("Women's_Issues", en), ["women's rights"]);
    // An alias.
    assert_eq!(t.label_topics("Migration", en), ["immigration"]);
    // Exactly one topic's cue phrase, in the article's language.
    assert_eq!(t.label_topics("Klimawandel", Some("de")), ["climate"]);
    assert_eq!(t.label_topics("fracking", en), ["energy"]);
    // Listed as no topic, and unknown.
    assert!(t.label_topics("politics", en).is_empty());
    assert!(t.label_topics("Front page", en).is_empty());
    assert!(t.label_topics("donald trump", en).is_empty());
}

#[test]
fn page_tags_become_keywords_never_topics() {
    let labels = strings(&[
        "@river",
        "_no-apple-news",
        "channel_other",
        "type_news",
        "autoplay_video",
        "adnode:culture/wide_angle",
        "&quot",
        "pg&amp",
        "t",
        "e",
        "Donald Trump",
        "Immigration",
        "immigration",
    ]);
    let got = tax().topics_and_keywords(&[], &labels, Some("en"), "A title", "A body.");
    assert_eq!(got.topics, ["immigration"]);
    // The topic's own name is not repeated as a keyword; case repeats are one.
    assert_eq!(got.keywords, ["Donald Trump"]);
}

#[test]
fn source_topics_come_first_and_three_at_most() {
    let body = "The peace treaty talks stalled. The disputed islands remain a territorial issue. \
                Diplomats met at the summit, but sovereignty over the islands was not discussed.";
    let got = tax().topics_and_keywords(
        &strings(&["white house", "supreme court"]),
        &strings(&["taxes"]),
        Some("en"),
        "Peace can wait",
        body,
    );
    assert_eq!(got.topics, ["presidency", "courts", "taxes"]);
    assert_eq!(got.keywords, ["white house", "supreme court"]);
}

#[test]
fn reading_the_result_again_gives_the_same_result() {
    let t = tax();
    let body = "Tariffs on steel imports started a trade war; exporters and the trade deficit \
                suffered while the economy slowed and inflation rose.";
    let first = t.topics_and_keywords(
        &strings(&["economic policy", "Steel"]),
        &[],
        Some("en"),
        "Trade wars",
        body,
    );
    let again = t.topics_and_keywords(
        &first.topics,
        &first.keywords,
        Some("en"),
        "Trade wars",
        body,
    );
    assert_eq!(first, again);
}

#[test]
fn unknown_names_get_the_closest_topics() {
    let t = tax();
    let v = t.vocabulary();
    assert!(v.resolve("xyzzy").is_none());
    assert_eq!(v.closest("xyzzy", 3).len(), 3);
    assert_eq!(v.closest("helth care", 1), ["health care"]);
    assert_eq!(v.closest("foreign", 1), ["foreign policy"]);
    assert_eq!(
        v.resolve("Health_Care").map(|t| t.name.as_str()),
        Some("health care")
    );
    assert_eq!(
        v.resolve("diplomacy").map(|t| t.name.as_str()),
        Some("foreign policy")
    );
}

#[test]
fn a_version_1_file_still_loads() {
    let t = Taxonomy::parse(
        r#"{"topics": {"Coasts": {"en": ["harbour", "tide", "quay"]}, "fisheries": {"en": ["fishermen", "fishing"]}}}"#,
    )
    .unwrap();
    let names: Vec<&str> = t
        .vocabulary()
        .topics()
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["coasts", "fisheries"]);
    assert_eq!(
        t.assign(Some("en"), "Harbour", "The tide rose over the quay."),
        ["coasts"]
    );
    // The bundled labels that name other topics map to nothing here.
    assert!(t.label_topics("white_house", Some("en")).is_empty());
}

/// The rule as written in the module doc, on plain term strings.
fn assign_by_strings(tax: &Taxonomy, lang: Option<&str>, title: &str, body: &str) -> Vec<String> {
    let key = analyser_key(lang);
    let title = analysis::terms(&mut analysis::analyser(key), title);
    let body = analysis::terms(&mut analysis::analyser(key), body);
    let count = |terms: &[String], phrase: &[String]| {
        (0..terms.len())
            .filter(|&i| terms[i..].starts_with(phrase))
            .count()
    };
    let needed = MIN_SCORE.max(body.len() / WORDS_PER_HIT);
    let mut scored: Vec<(usize, &Topic)> = Vec::new();
    for (topic, by_lang) in tax.vocabulary().topics().iter().zip(&tax.inner.cues) {
        let (mut score, mut distinct) = (0, 0);
        for phrase in by_lang.get(key).into_iter().flatten() {
            let hits = TITLE_WEIGHT * count(&title, phrase) + count(&body, phrase);
            if hits > 0 {
                distinct += 1;
                score += hits;
            }
        }
        if distinct >= MIN_DISTINCT && score >= needed {
            scored.push((score, topic));
        }
    }
    best(scored)
}

proptest::proptest! {
    #[test]
    fn numbered_matching_assigns_what_the_rule_says(
        lang in proptest::sample::select(vec!["en", "ru", "de", "fr", "es", "pl", "uk", "ja"]),
        title in proptest::collection::vec(0usize..4000, 0..8),
        body in proptest::collection::vec(0usize..4000, 0..400),
    ) {
        let tax = tax();
        // Words: the raw cue words of every language (so phrases occur,
        // inflected as written in the taxonomy), plus filler.
        let mut vocab: Vec<String> = full_entries()
            .into_iter()
            .flat_map(|(_, e)| e.cues.into_values().flatten())
            .flat_map(|phrase| phrase.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        vocab.extend(["the", "of", "Islands", "a", "x2", "平和条約", "—", "talks."].map(String::from));
        let text = |picks: &[usize]| {
            picks.iter().map(|&i| vocab[i % vocab.len()].as_str()).collect::<Vec<_>>().join(" ")
        };
        let (title, body) = (text(&title), text(&body));
        // Twice: the second time every word comes from the thread's table.
        for _ in 0..2 {
            proptest::prop_assert_eq!(
                tax.assign(Some(lang), &title, &body),
                assign_by_strings(&tax, Some(lang), &title, &body)
            );
        }
    }
}
