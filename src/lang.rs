//! Language detection with whatlang, reported as ISO 639-1 codes.

/// How much of a text is looked at; whatlang is as sure after a few kilobytes.
const SAMPLE_BYTES: usize = 4096;

/// Detects the language of `text`, as an ISO 639-1 code (`en`, `ru`, …).
///
/// Returns `None` for text too short or too mixed to call.
pub fn detect(text: &str) -> Option<String> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    if info.confidence() < 0.1 && !info.is_reliable() {
        return None;
    }
    let code = isolang::Language::from_639_3(info.lang().code())?.to_639_1()?;
    Some(code.to_string())
}

/// The ISO 639-1 code of a language given by a source (`EN`, `en-GB`, `eng`, `English`).
pub fn canonical_code(given: &str) -> Option<String> {
    let g = given.trim().to_lowercase();
    let primary = g.split(['-', '_']).next().unwrap_or("");
    let lang = match primary.len() {
        2 => isolang::Language::from_639_1(primary),
        3 => isolang::Language::from_639_3(primary),
        _ => isolang::Language::from_name_lowercase(primary),
    }?;
    lang.to_639_1().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_english_and_russian() {
        assert_eq!(
            detect("The audience applauded and journalists hurried to report the news.").as_deref(),
            Some("en")
        );
        assert_eq!(
            detect("Аудитория аплодировала, а журналисты поспешили сообщить новость.").as_deref(),
            Some("ru")
        );
    }

    #[test]
    fn canonical_given_codes() {
        assert_eq!(canonical_code("en-GB").as_deref(), Some("en"));
        assert_eq!(canonical_code("rus").as_deref(), Some("ru"));
        assert_eq!(canonical_code("German").as_deref(), Some("de"));
        assert_eq!(canonical_code("zz"), None);
    }
}
