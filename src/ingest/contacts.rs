//! Personal contact data in text: e-mail addresses, telephone numbers and
//! social handles, recognised by their shape in any language. Readers use
//! these to keep lines outside the prose (cards, closing bio lines, calls to
//! action) out of every searchable field.

/// Characters allowed before the `@` of an e-mail address.
fn local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

/// The e-mail addresses in a text, as written.
pub fn emails(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = &text[..at];
        let start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| local_char(c))
            .last()
            .map_or(at, |(i, _)| i);
        let after = &text[at + 1..];
        let len = after
            .char_indices()
            .take_while(|&(_, c)| c.is_alphanumeric() || matches!(c, '.' | '-'))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        let domain = after[..len].trim_end_matches(['.', '-']);
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
        });
        let local = text[start..at].trim_start_matches(['.', '-']);
        if tld_ok && !local.is_empty() {
            let begin = at - local.len();
            out.push(&text[begin..at + 1 + domain.len()]);
        }
    }
    out
}

/// Whether a text holds an e-mail address.
pub fn has_email(text: &str) -> bool {
    !emails(text).is_empty()
}

/// The telephone numbers in a text: runs of digits with the usual
/// separators (space, `-`, `.`, `/`, brackets, a leading `+`) holding 9 to
/// 15 digits, or 7 or 8 with a `+` or brackets or in the local shape
/// `555-0123`; so never a date or a year range.
pub fn phones(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let opens = c.is_ascii_digit()
            || ((c == '+' || c == '(')
                && chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit()));
        let after_word = i > 0 && chars[i - 1].1.is_alphanumeric();
        if !opens || after_word {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut groups: Vec<usize> = vec![0];
        let mut end = start;
        let bracketed = c == '+' || c == '(';
        let mut has_bracket = bracketed;
        while j < chars.len() {
            let (pos, ch) = chars[j];
            if ch.is_ascii_digit() {
                *groups.last_mut().unwrap_or(&mut 0) += 1;
                end = pos + 1;
            } else if matches!(ch, ' ' | '-' | '.' | '/' | '(' | ')' | '\u{a0}' | '+') {
                has_bracket |= matches!(ch, '(' | ')');
                if groups.last().is_some_and(|&g| g > 0) {
                    groups.push(0);
                }
                if ch == ')' {
                    end = pos + 1;
                }
            } else {
                break;
            }
            j += 1;
        }
        groups.retain(|&g| g > 0);
        let digits: usize = groups.iter().sum();
        // A local number `555-0123` is three digits then four; dates and
        // year ranges group as 4-2-2, 2-2-4 or 4-4.
        let local = groups == [3, 4];
        if (9..=15).contains(&digits) || ((7..=8).contains(&digits) && (has_bracket || local)) {
            out.push(text[start..end].trim_end());
        }
        i = j.max(i + 1);
    }
    out
}

/// Whether a text holds a telephone number.
pub fn has_phone(text: &str) -> bool {
    !phones(text).is_empty()
}

/// Social handles (`@name`, not part of an e-mail address).
pub fn handles(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        if text[..at].chars().next_back().is_some_and(local_char) {
            continue;
        }
        let rest = &text[at + 1..];
        let len = rest
            .char_indices()
            .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        if len >= 2 {
            out.push(&text[at..at + 1 + len]);
        }
    }
    out
}

/// Whether a text holds an e-mail address or a telephone number.
pub fn has_contact(text: &str) -> bool {
    has_email(text) || has_phone(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_found() {
        assert_eq!(
            emails("write to letters@example.com."),
            vec!["letters@example.com"]
        );
        assert_eq!(
            emails("Reach her at hmv@example.org"),
            vec!["hmv@example.org"]
        );
        assert_eq!(emails("follow @handle"), Vec::<&str>::new());
        assert_eq!(emails("a@b"), Vec::<&str>::new());
        assert_eq!(emails("é@é.é@"), Vec::<&str>::new());
    }

    #[test]
    fn phones_found() {
        assert_eq!(phones("Call (555) 000-0123 today"), vec!["(555) 000-0123"]);
        assert_eq!(phones("Tel.: +49 30 0000 0061"), vec!["+49 30 0000 0061"]);
        assert_eq!(phones("+7 (000) 000-00-00"), vec!["+7 (000) 000-00-00"]);
        assert!(phones("on 04.11.2019 and 2019-11-04").is_empty());
        assert!(phones("from 1990 to 2020 some 12,000 people").is_empty());
        assert!(phones("in 1998-2004").is_empty());
    }

    #[test]
    fn handles_found() {
        assert_eq!(handles("on X at @dfair_example."), vec!["@dfair_example"]);
        assert!(handles("mail a@example.org").is_empty());
    }
}
