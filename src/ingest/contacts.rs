//! Personal contact data in text: e-mail addresses, telephone numbers and
//! social handles, recognised by their shape in any language. Readers use
//! these to keep lines outside the prose (cards, closing bio lines, calls to
//! action) out of every searchable field, and [`redact`] takes every e-mail
//! address and telephone number out of a body.

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
/// 15 digits, or 7 or 8 with a `+` or an area code in brackets; so never a
/// date or a year range. Since bodies lose every number found here
/// ([`redact`]), shapes that other numbers share are not phones: one bare
/// run of digits without a `+` (an amount, an id), a last group of one
/// digit (`978-3-16-148410-0`, an ISBN) or opened by a bracket (a case
/// citation's year, `347 U.S. 483, 873 (1954)`), a 13-digit ISBN starting
/// 978 or 979, groups that are all years (`1998 2004 2010`) or open with a
/// year and a space (`2008 39/31/30`), two or more slashes (dates, ratios),
/// thousands written with spaces or points (`123 456 789`), days and
/// months before a year (`23.-26.8.2017`), digits inside a longer token
/// (`j.cub.2011.03.059`), and the rest of a number that a comma or point
/// continues (`1,234 567 890`, `13.488,1`). A `)` is part of a number only
/// when it closes a `(` of the number.
pub fn phones(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let opens = c.is_ascii_digit()
            || ((c == '+' || c == '(')
                && chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit()));
        // A word's digits, or a longer token's (`j.cub.2011.03.059`,
        // `annrheumdis-2014-205577`).
        let after_word = i > 0
            && (chars[i - 1].1.is_alphanumeric()
                || (i > 1
                    && matches!(chars[i - 1].1, '.' | '-' | '/' | '_')
                    && chars[i - 2].1.is_alphabetic()));
        // `1,234 567 890`: the rest of a number written with a comma.
        let after_number =
            i > 1 && matches!(chars[i - 1].1, ',' | '.') && chars[i - 2].1.is_ascii_digit();
        if !opens || after_word || after_number {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut end = start;
        // A `)` belongs to the number only if it closes a `(` of the number
        // or ends its first group (an area code whose `(` was lost).
        let mut open = false;
        let mut first_group = true;
        while j < chars.len() {
            let (pos, ch) = chars[j];
            if ch.is_ascii_digit() {
                end = pos + 1;
            } else if ch == ')' && (open || first_group) && end == pos {
                open = false;
                first_group = false;
                end = pos + 1;
            } else if ch == '(' {
                open = true;
                first_group &= end == start;
            } else if matches!(ch, ' ' | '-' | '.' | '/' | '\u{a0}' | '+') {
                first_group &= end == start;
            } else {
                break;
            }
            j += 1;
        }
        // `13.488,1`: a decimal comma goes on where the run stopped.
        let decimal = text[end..].starts_with(',')
            && text[end + 1..].starts_with(|c: char| c.is_ascii_digit());
        let span = &text[start..end];
        if !decimal && is_phone(span) {
            out.push(span);
        }
        i = j.max(i + 1);
    }
    out
}

/// One run of digits in a candidate number.
struct Group {
    digits: usize,
    /// Right after a `(`.
    opened: bool,
    /// Between `(` and `)`: an area code, `(555)`.
    bracketed: bool,
}

/// The digit groups of a candidate number (digits, separators, brackets).
fn groups(span: &str) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut prev = ' ';
    for c in span.chars() {
        if c.is_ascii_digit() {
            if prev.is_ascii_digit() {
                if let Some(g) = out.last_mut() {
                    g.digits += 1;
                }
            } else {
                out.push(Group {
                    digits: 1,
                    opened: prev == '(',
                    bracketed: false,
                });
            }
        } else if c == ')' && prev.is_ascii_digit() {
            let first = out.len() == 1;
            if let Some(g) = out.last_mut() {
                g.bracketed = g.opened || first;
            }
        }
        prev = c;
    }
    out
}

/// Whether a run of digits and separators is a telephone number (see
/// [`phones`] for the shapes).
fn is_phone(span: &str) -> bool {
    let groups = groups(span);
    let Some(last) = groups.last() else {
        return false;
    };
    let plus = span.starts_with('+');
    let bracket = plus || groups.iter().any(|g| g.bracketed);
    let sizes: Vec<usize> = groups.iter().map(|g| g.digits).collect();
    let digits: String = span.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    // Seven or eight digits only with a country or area code: a bare
    // `500-2000` is as often a range as a local number.
    let sized = (9..=15).contains(&n) || ((7..=8).contains(&n) && bracket);
    let year = |d: &str| ["19", "20"].iter().any(|y| d.starts_with(y));
    let mut at = 0;
    let mut all_years = groups.len() >= 2;
    for &g in &sizes {
        all_years &= g == 4 && year(&digits[at..at + g]);
        at += g;
    }
    // `2008 39/31/30`: a year, then figures; `11/04/2019`: a date.
    let year_first =
        sizes[0] == 4 && year(&digits) && span.get(4..).is_some_and(|rest| rest.starts_with(' '));
    let slashes = span.matches('/').count() >= 2;
    // `23.-26.8.2017`, `1.2.2019`: days and months, then a year.
    let dated = !plus
        && last.digits == 4
        && year(&digits[n - 4..])
        && sizes[..sizes.len() - 1].iter().all(|&g| g <= 2);
    let thousands = !bracket
        && sizes.len() >= 2
        && (1..=3).contains(&sizes[0])
        && sizes[1..].iter().all(|&g| g == 3);
    let isbn = n == 13 && (digits.starts_with("978") || digits.starts_with("979"));
    sized
        && (plus || groups.len() >= 2)
        && last.digits >= 2
        && !last.opened
        && !all_years
        && !year_first
        && !slashes
        && !dated
        && !thousands
        && !isbn
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

/// Longest line (in words) that goes whole when it carries an e-mail
/// address or a telephone number: a directory entry, a table row, a card or
/// contact line ("He can be reached at …"), never an argument's sentence.
const CONTACT_LINE_WORDS: usize = 12;

/// What stands in a sentence of prose where an e-mail address was.
pub const EMAIL_MARK: &str = "[e-mail]";
/// What stands in a sentence of prose where a telephone number was.
pub const PHONE_MARK: &str = "[phone]";

/// A body without e-mail addresses and telephone numbers. A line (paragraphs
/// are separated by a blank line, lines by a line break) that carries one
/// goes whole when it is short (at most [`CONTACT_LINE_WORDS`] words) or a
/// table row (a tab, or two or more `|`): a directory, a card, a contact
/// line. In a longer line, prose, only the address or number itself goes,
/// replaced by [`EMAIL_MARK`] or [`PHONE_MARK`], so the argument reads on
/// and stays searchable while the contact is not. Postal addresses are not
/// touched: in prose they are part of the argument.
pub fn redact(body: &str) -> String {
    if !body.contains('@') && !body.bytes().any(|b| b.is_ascii_digit()) {
        return body.to_string();
    }
    let mut paras: Vec<String> = Vec::new();
    for para in body.split("\n\n") {
        let lines: Vec<String> = para
            .split('\n')
            .filter_map(|line| {
                let found = found_in(line);
                if found.is_empty() {
                    return Some(line.to_string());
                }
                let table_row = line.contains('\t') || line.matches('|').count() >= 2;
                if table_row || line.split_whitespace().count() <= CONTACT_LINE_WORDS {
                    return None;
                }
                let mut out = String::with_capacity(line.len());
                let mut at = 0;
                for (range, mark) in found {
                    out.push_str(&line[at..range.start]);
                    out.push_str(mark);
                    at = range.end;
                }
                out.push_str(&line[at..]);
                Some(out)
            })
            .collect();
        if !lines.is_empty() {
            paras.push(lines.join("\n"));
        }
    }
    paras.join("\n\n")
}

/// The byte ranges of the e-mail addresses and telephone numbers in a line,
/// in order and not overlapping, each with the mark that replaces it.
fn found_in(line: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let offset = |s: &str| s.as_ptr() as usize - line.as_ptr() as usize;
    let mut found: Vec<(std::ops::Range<usize>, &'static str)> = emails(line)
        .into_iter()
        .map(|e| (offset(e)..offset(e) + e.len(), EMAIL_MARK))
        .chain(
            phones(line)
                .into_iter()
                .map(|p| (offset(p)..offset(p) + p.len(), PHONE_MARK)),
        )
        .collect();
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<(std::ops::Range<usize>, &'static str)> = Vec::new();
    for (range, mark) in found {
        if out.last().is_none_or(|(last, _)| range.start >= last.end) {
            out.push((range, mark));
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
    fn other_numbers_are_not_phones() {
        // A case citation's year in brackets, ISBNs, years, thousands.
        assert!(phones("Brown v. Board, 347 U.S. 483 873 (1954), held").is_empty());
        assert!(phones("ISBN 978-3-16-148410-0 and 9780306406157").is_empty());
        assert!(phones("ISBN 0-306-40615-2").is_empty());
        assert!(phones("elections of 2004 2008 2012").is_empty());
        assert!(phones("a budget of 123 456 789 euros").is_empty());
        assert!(phones("some 1000000000 dollars").is_empty());
        // Dates beside brackets, decimals written with a comma.
        assert!(phones("Einsendeschluss: 03.11.2019 (Poststempel)").is_empty());
        assert!(phones("am (03.11.2019) und").is_empty());
        assert!(phones("respecto a 2020 (13.488,1 millones)").is_empty());
        // Ranges, polls by year, dates with slashes.
        assert!(phones("sending out 500-2000 typed characters").is_empty());
        assert!(phones("$723.8714 billion").is_empty());
        assert!(phones("Ohio: 34/26/34; 2008 39/31/30, 2010 36/37/28").is_empty());
        assert!(phones("on 11/04/2019 12").is_empty());
        assert!(phones("am 23.-26.8.2017 hin").is_empty());
        assert!(phones("(KNA 19.11.21) 19.11.2021 Text").is_empty());
        // Digits inside a longer token: a DOI, an article id.
        assert!(phones("doi:10.1016/j.cub.2011.03.059").is_empty());
        assert!(phones("p. annrheumdis-2014-205577.").is_empty());
        assert_eq!(phones("Tel. 030/1234 5678"), vec!["030/1234 5678"]);
        assert_eq!(phones("Tel.:+49 30 0000 0061"), vec!["+49 30 0000 0061"]);
        assert_eq!(phones("-Fax: 555) 000-0148"), vec!["555) 000-0148"]);
        // Numbers that are phones still are.
        assert_eq!(phones("call 1-800-000-0199."), vec!["1-800-000-0199"]);
        assert_eq!(phones("(555) 000-0147"), vec!["(555) 000-0147"]);
        assert_eq!(phones("+4930000061"), vec!["+4930000061"]);
        assert_eq!(phones("202 555 0123"), vec!["202 555 0123"]);
    }

    #[test]
    fn redact_drops_contact_lines_and_marks_contacts_in_prose() {
        let body =
            "Members and their addresses:\n\nNorth Vale\n\nAda Quill\n\nada.quill@example.org\n\n\
South Vale | Bo Reed | bo.reed@example.org | (555) 000-0111\n\n\
The agency said that comments sent to comments@example.gov before the deadline would be read, \
and that its hotline, 1-800-000-0199, would stay open all month.\n\n\
He can be reached at writer@example.com.";
        let out = redact(body);
        assert_eq!(
            out,
            "Members and their addresses:\n\nNorth Vale\n\nAda Quill\n\n\
The agency said that comments sent to [e-mail] before the deadline would be read, \
and that its hotline, [phone], would stay open all month."
        );
        // Nothing to do: the same text, and postal addresses stay.
        let prose = "We met at 14 Tallow Street in 1998-2004, Brown v. Board, 347 U.S. 483 (1954).";
        assert_eq!(redact(prose), prose);
        assert!(!has_contact(&out));
        assert_eq!(redact(&out), out, "idempotent");
    }

    #[test]
    fn handles_found() {
        assert_eq!(handles("on X at @dfair_example."), vec!["@dfair_example"]);
        assert!(handles("mail a@example.org").is_empty());
    }
}
