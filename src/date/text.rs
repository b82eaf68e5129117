//! Dates found in free text and in URLs: the first date a short visible
//! text holds (numeric, or with a month name in English, Russian, German,
//! French, Spanish, Italian, Polish or Ukrainian), the calendar day of an ISO string, and the day a URL path names.
//! Pages write these where no metadata declares a date.

use super::{canonical, pivot_year};

/// Month names the shared date parser does not know, as English: German,
/// French, Spanish, Italian, and the genitive forms of Polish and Ukrainian
/// that dated outlet lines write ("3 maja 2020", "15 червня 2022").
const MONTHS: &[(&str, &str)] = &[
    ("januar", "January"),
    ("jänner", "January"),
    ("februar", "February"),
    ("märz", "March"),
    ("mai", "May"),
    ("juni", "June"),
    ("juli", "July"),
    ("oktober", "October"),
    ("dezember", "December"),
    ("janvier", "January"),
    ("février", "February"),
    ("fevrier", "February"),
    ("mars", "March"),
    ("avril", "April"),
    ("juin", "June"),
    ("juillet", "July"),
    ("août", "August"),
    ("aout", "August"),
    ("septembre", "September"),
    ("octobre", "October"),
    ("novembre", "November"),
    ("décembre", "December"),
    ("enero", "January"),
    ("febrero", "February"),
    ("marzo", "March"),
    ("abril", "April"),
    ("mayo", "May"),
    ("junio", "June"),
    ("julio", "July"),
    ("agosto", "August"),
    ("septiembre", "September"),
    ("setiembre", "September"),
    ("octubre", "October"),
    ("noviembre", "November"),
    ("diciembre", "December"),
    ("gennaio", "January"),
    ("febbraio", "February"),
    ("aprile", "April"),
    ("maggio", "May"),
    ("giugno", "June"),
    ("luglio", "July"),
    ("settembre", "September"),
    ("ottobre", "October"),
    ("dicembre", "December"),
    ("stycznia", "January"),
    ("lutego", "February"),
    ("marca", "March"),
    ("kwietnia", "April"),
    ("maja", "May"),
    ("czerwca", "June"),
    ("lipca", "July"),
    ("sierpnia", "August"),
    ("września", "September"),
    ("października", "October"),
    ("listopada", "November"),
    ("grudnia", "December"),
    ("січня", "January"),
    ("лютого", "February"),
    ("березня", "March"),
    ("квітня", "April"),
    ("травня", "May"),
    ("червня", "June"),
    ("липня", "July"),
    ("серпня", "August"),
    ("вересня", "September"),
    ("жовтня", "October"),
    ("листопада", "November"),
    ("грудня", "December"),
];

/// The first date written in a short visible text: numeric (`DD.MM.YYYY`,
/// `YYYY-MM-DD`) or with a month name ("6. August 2009", "8 January 2020,
/// 3:51 pm", "Sept. 12, 2018"), found by trying short word windows with
/// [`canonical`]. German and French month names are translated
/// first; the shared parser knows English and Russian.
pub fn text_date(text: &str) -> Option<String> {
    if let Some(d) = find_day(text) {
        return Some(d);
    }
    let words: Vec<String> = text
        .split_whitespace()
        .take(60)
        .map(|w| {
            // "(21. November 2022)": brackets around a date are not part of it.
            let w = w
                .trim_start_matches(['(', '['])
                .trim_end_matches([')', ']']);
            let bare = w.trim_end_matches([',', '.']);
            let lower = bare.to_lowercase();
            if let Some((_, en)) = MONTHS.iter().find(|(m, _)| *m == lower) {
                return (*en).to_string();
            }
            // "6." before a month name is a German day.
            if bare.len() <= 2 && bare.chars().all(|c| c.is_ascii_digit()) && w.ends_with('.') {
                return bare.to_string();
            }
            w.to_string()
        })
        .collect();
    // Every form with a month name has a year of four digits; only windows holding one are tried.
    let has_year = |w: &String| w.chars().filter(char::is_ascii_digit).count() >= 4;
    if !words.iter().any(has_year) {
        return None;
    }
    for i in 0..words.len() {
        for len in [3, 4, 2] {
            let Some(window) = words.get(i..i + len) else {
                continue;
            };
            if !window.iter().any(has_year) {
                continue;
            }
            let candidate = window.join(" ");
            let candidate = candidate.trim_end_matches([',', '.', '-', '|', '–']);
            if let Some(d) = canonical(candidate) {
                return Some(d.chars().take(10).collect());
            }
        }
    }
    None
}

/// `YYYY-MM-DD` from an ISO string (its date as written, not shifted to UTC),
/// a date [`canonical`] reads, or a day written `DD.MM.YYYY` / `YYYY/MM/DD`.
pub fn iso_day(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let b = raw.as_bytes();
    // `get`: byte 10 may fall inside a character ("2020-01-0é").
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        if let Some(d) = raw.get(..10).and_then(canonical) {
            return Some(d);
        }
    }
    canonical(raw)
        .map(|d| d.chars().take(10).collect())
        .or_else(|| find_day(raw))
}

/// The first numeric day in a text: `DD.MM.YYYY`, `YYYY-MM-DD` or `YYYY/MM/DD`.
pub fn find_day(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().take(400).collect();
    (0..chars.len())
        .filter(|&i| !(i > 0 && chars[i - 1].is_ascii_digit()))
        .find_map(|i| {
            year_first(&chars, i)
                .or_else(|| slashed(&chars, i))
                .or_else(|| dotted_short_year(&chars, i))
                .or_else(|| dotted(&chars, i))
        })
}

/// `YYYY-MM-DD` or `YYYY/MM/DD` at `i`.
fn year_first(c: &[char], i: usize) -> Option<String> {
    if !(i + 10 <= c.len()
        && matches!(c[i + 4], '-' | '/')
        && c[i + 7] == c[i + 4]
        && ends(c, i + 10))
    {
        return None;
    }
    let (y, m, d) = (
        digits(&c[i..i + 4])?,
        digits(&c[i + 5..i + 7])?,
        digits(&c[i + 8..i + 10])?,
    );
    day(y, m, d)
}

/// `DD/MM/YYYY` or `MM/DD/YYYY` at `i`, only when one number is over 12.
fn slashed(c: &[char], i: usize) -> Option<String> {
    if !(i + 10 <= c.len() && c[i + 2] == '/' && c[i + 5] == '/' && ends(c, i + 10)) {
        return None;
    }
    let (a, b, y) = (
        digits(&c[i..i + 2])?,
        digits(&c[i + 3..i + 5])?,
        digits(&c[i + 6..i + 10])?,
    );
    let (d, m) = match (a > 12, b > 12) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ => return None,
    };
    day(y, m, d)
}

/// `DD.MM.YY` at `i`: dots mean day-month-year; a two-digit year is read only
/// with two-digit day and month, and never inside a longer dotted number (a
/// version such as 1.10.12.19).
fn dotted_short_year(c: &[char], i: usize) -> Option<String> {
    if !(i + 8 <= c.len()
        && c[i + 2] == '.'
        && c[i + 5] == '.'
        && ends(c, i + 8)
        && !(i > 0 && c[i - 1] == '.')
        && !(c.get(i + 8) == Some(&'.') && c.get(i + 9).is_some_and(char::is_ascii_digit)))
    {
        return None;
    }
    let (d, m, yy) = (
        digits(&c[i..i + 2])?,
        digits(&c[i + 3..i + 5])?,
        digits(&c[i + 6..i + 8])?,
    );
    // Two-digit years are at most 99: the pivot's year is positive.
    day(pivot_year(yy as i32) as u32, m, d)
}

/// `D.M.YYYY` or `DD.MM.YYYY` (day and month of one or two digits) at `i`.
fn dotted(c: &[char], i: usize) -> Option<String> {
    [(2, 2), (1, 2), (2, 1), (1, 1)]
        .into_iter()
        .find_map(|(dl, ml)| {
            let end = i + dl + ml + 6;
            if end > c.len() || c[i + dl] != '.' || c[i + dl + 1 + ml] != '.' || !ends(c, end) {
                return None;
            }
            let (d, m, y) = (
                digits(&c[i..i + dl])?,
                digits(&c[i + dl + 1..i + dl + 1 + ml])?,
                digits(&c[end - 4..end])?,
            );
            day(y, m, d)
        })
}

/// Digits as a number; `None` when any is not a digit.
fn digits(s: &[char]) -> Option<u32> {
    s.iter()
        .all(char::is_ascii_digit)
        .then(|| s.iter().collect::<String>().parse().ok())
        .flatten()
}

/// Whether no digit stands at `i`, so that a number ends before it.
fn ends(c: &[char], i: usize) -> bool {
    i >= c.len() || !c[i].is_ascii_digit()
}

/// `YYYY-MM-DD` when the day exists and its year is 1990 to 2100 (other
/// years in a page's text are rarely its date).
fn day(y: u32, m: u32, d: u32) -> Option<String> {
    let date = jiff::civil::Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    (1990..=2100).contains(&y).then(|| date.to_string())
}

/// A date in the URL path: `/2019/01/31/`, `/2012-06/04/`, or a segment
/// opening with `YYYYMMDD` (`/20030331_Rede.html`). A web-archive prefix
/// (`/web/20120611024252/`) is the capture time, not the page's date.
pub fn url_day(url: &str) -> Option<String> {
    let parts: Vec<&str> = url
        .split('/')
        .filter(|p| !(p.len() == 14 && p.bytes().all(|b| b.is_ascii_digit())))
        .collect();
    let two = |s: &str| -> Option<u32> {
        let b = s.as_bytes();
        (b.len() >= 2
            && b[0].is_ascii_digit()
            && b[1].is_ascii_digit()
            && !b.get(2).is_some_and(u8::is_ascii_digit))
        .then(|| s[..2].parse().ok())
        .flatten()
    };
    let day = |y: &str, m: &str, d: u32| find_day(&format!("{y}-{m}-{d:02}"));
    let ymd = parts.windows(3).find_map(|w| {
        let y = w[0];
        (y.len() == 4 && y.parse::<u32>().is_ok() && w[1].len() == 2 && w[1].parse::<u32>().is_ok())
            .then(|| day(y, w[1], two(w[2])?))
            .flatten()
    });
    ymd.or_else(|| {
        parts.windows(2).find_map(|w| {
            let (y, m) = w[0].split_once('-')?;
            (y.len() == 4 && m.len() == 2 && y.parse::<u32>().is_ok() && m.parse::<u32>().is_ok())
                .then(|| day(y, m, two(w[1])?))
                .flatten()
        })
    })
    .or_else(|| {
        parts.iter().find_map(|p| {
            let b = p.as_bytes();
            (b.len() >= 8
                && b[..8].iter().all(u8::is_ascii_digit)
                && !b.get(8).is_some_and(u8::is_ascii_digit)
                && (p.starts_with("19") || p.starts_with("20")))
            .then(|| find_day(&format!("{}-{}-{}", &p[..4], &p[4..6], &p[6..8])))
            .flatten()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(
            find_day("Veröffentlicht am 22.04.2020 um 10:00").as_deref(),
            Some("2020-04-22")
        );
        assert_eq!(find_day("Posted 2019/01/31").as_deref(), Some("2019-01-31"));
        assert_eq!(find_day("call 12.34.5678"), None);
        assert_eq!(find_day("17/02/2022").as_deref(), Some("2022-02-17"));
        assert_eq!(find_day("06/13/2019").as_deref(), Some("2019-06-13"));
        assert_eq!(find_day("05/06/2019"), None);
        // Dotted two-digit years: day-month-year, two-digit day and month only,
        // never part of a longer dotted number.
        assert_eq!(find_day("23.09.22").as_deref(), Some("2022-09-23"));
        assert_eq!(
            find_day("Stand 28.09.19, 12:44").as_deref(),
            Some("2019-09-28")
        );
        assert_eq!(find_day("5.6.22"), None);
        assert_eq!(find_day("version 1.10.12.19"), None);
        assert_eq!(find_day("10.12.19.5"), None);
        assert_eq!(find_day("31.02.21"), None);
        assert_eq!(
            text_date("(21. November 2022) Viele Haushalte").as_deref(),
            Some("2022-11-21")
        );
        assert_eq!(
            text_date("Samstag, 5. Oktober 2013").as_deref(),
            Some("2013-10-05")
        );
        assert_eq!(
            text_date("8 January 2020, 3:51 pm").as_deref(),
            Some("2020-01-08")
        );
        assert_eq!(
            text_date("Erstellt von Fabian am Dienstag 6. Mai 2014").as_deref(),
            Some("2014-05-06")
        );
        assert_eq!(text_date("Heute 5 Kommentare"), None);
        assert_eq!(
            iso_day("2018-09-12T23:30:00-05:00").as_deref(),
            Some("2018-09-12")
        );
        assert_eq!(
            url_day("https://x.org/2013/10/05/post").as_deref(),
            Some("2013-10-05")
        );
        assert_eq!(
            url_day("https://x.org/reden/2003/03/20030331_rede.html").as_deref(),
            Some("2003-03-31")
        );
        assert_eq!(
            url_day(
                "https://web.archive.org/web/20120611024252/http://x.cn/news/2012-06/04/c_1.htm"
            )
            .as_deref(),
            Some("2012-06-04")
        );
        assert_eq!(url_day("https://x.org/2013/10/page"), None);
        assert_eq!(url_day("https://x.org/id/123456789/a"), None);
    }
}
