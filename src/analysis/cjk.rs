//! A tokenizer for the fallback analyser that also handles CJK scripts.
//!
//! Chinese and Japanese are written without spaces, and Tantivy ships no
//! segmenter. Instead of pulling in a dictionary-based segmenter (lindera and
//! jieba add tens of megabytes of dictionaries and minutes of build time), runs
//! of Han, Hiragana, Katakana and Hangul characters are indexed as overlapping
//! character bigrams (a run of one character as itself). A query word becomes
//! the same bigrams, matched as a phrase, so every exact word or phrase is
//! found; the price is some false matches across word boundaries, which BM25
//! and the phrase requirement keep rare. Other text splits into words on
//! non-alphanumerics, exactly like Tantivy's `SimpleTokenizer`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// True for characters of scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F  // Extensions B–F, compatibility supplement
    )
}

/// Words for alphabetic text, character bigrams for CJK runs.
#[derive(Clone, Default)]
pub struct CjkBigramTokenizer;

/// The token stream of [`CjkBigramTokenizer`].
pub struct CjkBigramStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for CjkBigramTokenizer {
    type TokenStream<'a> = CjkBigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkBigramStream {
        CjkBigramStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

fn push(tokens: &mut Vec<Token>, text: &str, from: usize, to: usize) {
    tokens.push(Token {
        offset_from: from,
        offset_to: to,
        position: tokens.len(),
        text: text[from..to].to_string(),
        position_length: 1,
    });
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_cjk(c) {
            let mut j = i;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            if j - i == 1 {
                push(&mut tokens, text, start, end_of(i + 1));
            } else {
                for (k, &(offset, _)) in chars.iter().enumerate().take(j - 1).skip(i) {
                    push(&mut tokens, text, offset, end_of(k + 2));
                }
            }
            i = j;
        } else if c.is_alphanumeric() {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_alphanumeric() && !is_cjk(chars[j].1) {
                j += 1;
            }
            push(&mut tokens, text, start, end_of(j));
            i = j;
        } else {
            i += 1;
        }
    }
    tokens
}

impl TokenStream for CjkBigramStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn bigrams_for_cjk_words_for_the_rest() {
        assert_eq!(texts("東京都 abc 北"), vec!["東京", "京都", "abc", "北"]);
        assert_eq!(texts("Tokyo東京"), vec!["Tokyo", "東京"]);
        assert_eq!(texts("한국어"), vec!["한국", "국어"]);
        assert!(texts("— … «»").is_empty());
    }

    #[test]
    fn offsets_and_positions() {
        let t = tokenize("a 日本語");
        assert_eq!(t[1].offset_from, 2);
        assert_eq!(&"a 日本語"[t[2].offset_from..t[2].offset_to], "本語");
        assert_eq!(
            t.iter().map(|t| t.position).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
    }
}
