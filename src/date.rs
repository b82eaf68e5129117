//! Publication dates: accept what sources write, store ISO, never invent.
//!
//! [`canonical`] turns the date forms that op-ed sources and dataset dumps
//! write into `YYYY-MM-DD` (a calendar date) or an RFC 3339 timestamp in UTC
//! (an instant). Anything ambiguous or unrecognised is `None`: a wrong date is
//! worse than no date, because `--since`/`--until` would silently trust it.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// The canonical form of a date string: `YYYY-MM-DD` or an RFC 3339 timestamp in UTC.
///
/// Accepted forms (surrounding whitespace is ignored):
/// - ISO 8601 / RFC 3339: `2018-09-12`, `2018-09-12T10:00:00+03:00` (→ UTC
///   timestamp), `2018-09-12T10:00:00` (no zone → the date);
/// - RFC 2822: `Tue, 1 Jul 2003 10:52:37 +0200` (→ UTC timestamp);
/// - US numeric `M/D/YYYY` and `M/D/YY`. Two-digit years 00–69 are 2000–2069
///   and 70–99 are 1970–1999 (the POSIX `strptime` pivot);
/// - year first with `/`, `.` or `-`: `2018/09/12`, `2018.09.12`, `2018-9-12`;
/// - European `D.M.YYYY` with dots only: `12.09.2018` (a four-digit year is
///   required, and dashes are refused because `12-09-2018` has no agreed order);
/// - English month names, full or abbreviated, with or without a dot, an
///   ordinal suffix or a leading weekday: `Sept. 12, 2018`, `September 12,
///   2018`, `Sep 12 2018`, `12 Sept 2018`, `Wednesday, 12 September 2018`,
///   `12-Sep-2018`; also Russian genitive months (`12 сентября 2018 г.`);
/// - any of the above, except ISO and RFC 2822, followed by a time such as
///   `3:45 PM`, `at 10:30`, `10:30:15 ET`. With `Z`/`UTC`/`GMT` or a numeric
///   offset the result is a UTC timestamp; with a zone name or no zone it is
///   the date as written (a local date is still the right date).
///
/// Never guessed: `9/12` (no year), `September 2018` (no day), `2/30/19`
/// (no such day), a year outside 1–9999, a weekday that contradicts the date,
/// or trailing words all give `None`, and so does any input longer than 200
/// bytes.
pub fn canonical(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts.to_string());
    }
    if let Ok(d) = s.parse::<Date>() {
        return Some(d.to_string());
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return Some(dt.date().to_string());
    }
    if let Ok(ts) = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(s) {
        return Some(ts.to_string());
    }
    // jiff's strtime needs one format string per shape and knows neither
    // "Sept." nor ordinal suffixes nor two-digit year pivots; the shapes here
    // are few and small enough to read token by token.
    let tokens = tokenize(s);
    let (date, rest) = numeric_date(&tokens).or_else(|| named_date(&tokens))?;
    match time_tail(rest)? {
        Tail::None | Tail::Local => Some(date.to_string()),
        Tail::Instant(time, offset) => {
            let ts = DateTime::from_parts(date, time)
                .to_zoned(TimeZone::fixed(offset))
                .ok()?
                .timestamp();
            Some(ts.to_string())
        }
    }
}

/// A piece of a date string: a run of letters (with a trailing dot kept as a
/// flag), a run of digits, or one punctuation character.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Word(&'a str, bool),
    Num(&'a str),
    Punct(char),
}

fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = start + 1;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            out.push(Token::Num(&s[start..end]));
        } else if c.is_alphabetic() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let dot = chars.peek().is_some_and(|&(_, d)| d == '.');
            if dot {
                chars.next();
            }
            out.push(Token::Word(&s[start..end], dot));
        } else {
            out.push(Token::Punct(c));
        }
    }
    out
}

/// A number token of `min..=max` digits as a value.
fn num(t: Option<&Token<'_>>, min: usize, max: usize) -> Option<i32> {
    match t {
        Some(Token::Num(n)) if (min..=max).contains(&n.len()) => n.parse().ok(),
        _ => None,
    }
}

fn make_date(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1..=9999).contains(&y) {
        return None;
    }
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// `00`–`69` → 2000–2069, `70`–`99` → 1970–1999.
fn pivot_year(yy: i32) -> i32 {
    if yy < 70 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// `Y/M/D`, `Y.M.D`, `Y-M-D`, `M/D/Y`, `M/D/YY` and `D.M.Y`, then the rest.
fn numeric_date<'t, 'a>(t: &'t [Token<'a>]) -> Option<(Date, &'t [Token<'a>])> {
    let (a, s1, b, c) = match t {
        [Token::Num(a), Token::Punct(s1), Token::Num(b), Token::Punct(s2), Token::Num(c), ..]
            if s1 == s2 =>
        {
            (*a, *s1, *b, *c)
        }
        _ => return None,
    };
    let rest = &t[5..];
    let n = |x: &str| x.parse::<i32>().ok();
    let small = |x: &str| (1..=2).contains(&x.len());
    let date = if a.len() == 4 && small(b) && small(c) && matches!(s1, '/' | '.' | '-') {
        make_date(n(a)?, n(b)?, n(c)?)?
    } else if s1 == '/' && small(a) && small(b) && (c.len() == 4 || c.len() == 2) {
        let y = if c.len() == 2 {
            pivot_year(n(c)?)
        } else {
            n(c)?
        };
        make_date(y, n(a)?, n(b)?)?
    } else if s1 == '.' && small(a) && small(b) && c.len() == 4 {
        make_date(n(c)?, n(b)?, n(a)?)?
    } else {
        return None;
    };
    // "12.09.2018." is fine; "2018.09.12.5" is not a date.
    let rest = match rest {
        [Token::Punct('.'), more @ ..]
            if s1 == '.' && !matches!(more.first(), Some(Token::Num(_))) =>
        {
            more
        }
        _ => rest,
    };
    Some((date, rest))
}

fn month_number(word: &str) -> Option<i32> {
    let w = word.to_lowercase();
    let english = [
        ["jan", "january"],
        ["feb", "february"],
        ["mar", "march"],
        ["apr", "april"],
        ["may", "may"],
        ["jun", "june"],
        ["jul", "july"],
        ["aug", "august"],
        ["sep", "september"],
        ["oct", "october"],
        ["nov", "november"],
        ["dec", "december"],
    ];
    if let Some(i) = english.iter().position(|[a, f]| w == *a || w == *f) {
        return Some(i as i32 + 1);
    }
    if w == "sept" {
        return Some(9);
    }
    let russian = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    russian.iter().position(|r| w == *r).map(|i| i as i32 + 1)
}

fn weekday_number(word: &str) -> Option<jiff::civil::Weekday> {
    use jiff::civil::Weekday::*;
    let w = word.to_lowercase();
    let days = [
        (Monday, ["mon", "monday"]),
        (Tuesday, ["tue", "tuesday"]),
        (Wednesday, ["wed", "wednesday"]),
        (Thursday, ["thu", "thursday"]),
        (Friday, ["fri", "friday"]),
        (Saturday, ["sat", "saturday"]),
        (Sunday, ["sun", "sunday"]),
    ];
    for (day, [short, long]) in days {
        if w == short
            || w == long
            || (day == Tuesday && w == "tues")
            || (day == Thursday && (w == "thur" || w == "thurs"))
        {
            return Some(day);
        }
    }
    None
}

fn is_ordinal(word: &str) -> bool {
    matches!(word.to_lowercase().as_str(), "st" | "nd" | "rd" | "th")
}

/// English or Russian month-name dates, optionally after a weekday and a
/// label such as `Published:`.
fn named_date<'t, 'a>(mut t: &'t [Token<'a>]) -> Option<(Date, &'t [Token<'a>])> {
    // A label: "Published", "Posted", "on".
    if let [Token::Word(w, false), rest @ ..] = t {
        if matches!(w.to_lowercase().as_str(), "published" | "posted" | "on") {
            t = rest;
            if let [Token::Punct(':'), rest @ ..] = t {
                t = rest;
            }
        }
    }
    let mut weekday = None;
    if let [Token::Word(w, _), rest @ ..] = t {
        if let Some(day) = weekday_number(w) {
            weekday = Some(day);
            t = rest;
            if let [Token::Punct(','), rest @ ..] = t {
                t = rest;
            }
        }
    }
    let skip = |t: &'t [Token<'a>], p: char| match t {
        [Token::Punct(c), rest @ ..] if *c == p => rest,
        _ => t,
    };
    let skip_ordinal = |t: &'t [Token<'a>]| match t {
        [Token::Word(w, false), rest @ ..] if is_ordinal(w) => rest,
        _ => t,
    };
    let (y, m, d, rest);
    match t {
        // Month Day[,] Year
        [Token::Word(w, _), Token::Num(day), tail @ ..]
            if month_number(w).is_some() && day.len() <= 2 =>
        {
            m = month_number(w)?;
            d = day.parse().ok()?;
            let tail = skip(skip_ordinal(tail), ',');
            y = num(tail.first(), 4, 4)?;
            rest = &tail[1..];
        }
        // Day[-]Month[-]Year, "12th of September 2018"
        [Token::Num(day), tail @ ..] if day.len() <= 2 => {
            d = day.parse().ok()?;
            let mut tail = skip(skip_ordinal(tail), '-');
            if let [Token::Word(of, false), more @ ..] = tail {
                if of.eq_ignore_ascii_case("of") {
                    tail = more;
                }
            }
            let [Token::Word(w, _), more @ ..] = tail else {
                return None;
            };
            m = month_number(w)?;
            let more = skip(skip(more, '-'), ',');
            y = num(more.first(), 4, 4)?;
            let mut more = &more[1..];
            // Russian "2018 г." / "2018 года".
            if let [Token::Word(g, _), after @ ..] = more {
                if matches!(g.to_lowercase().as_str(), "г" | "года") {
                    more = after;
                }
            }
            rest = more;
        }
        _ => return None,
    }
    let date = make_date(y, m, d)?;
    if weekday.is_some_and(|w| w != date.weekday()) {
        return None;
    }
    Some((date, rest))
}

/// What follows the date.
enum Tail {
    /// Nothing.
    None,
    /// A time without a usable offset: keep the date.
    Local,
    /// A time with a known offset.
    Instant(Time, Offset),
}

/// Parses `[,|at|-] H:MM[:SS] [am|pm|a.m.|p.m.] [Z|UTC|GMT|±HH[:]MM|zone name]`.
fn time_tail(mut t: &[Token<'_>]) -> Option<Tail> {
    if t.is_empty() {
        return Some(Tail::None);
    }
    if let [Token::Punct(',' | '-' | '|' | '–' | '—'), rest @ ..] = t {
        t = rest;
    }
    if let [Token::Word(w, false), rest @ ..] = t {
        if w.eq_ignore_ascii_case("at") {
            t = rest;
        }
    }
    let [Token::Num(h), Token::Punct(':'), Token::Num(mi), rest @ ..] = t else {
        return None;
    };
    if h.len() > 2 || mi.len() != 2 {
        return None;
    }
    let mut hour: i8 = h.parse().ok()?;
    let minute: i8 = mi.parse().ok()?;
    t = rest;
    let mut second: i8 = 0;
    if let [Token::Punct(':'), Token::Num(s), rest @ ..] = t {
        if s.len() != 2 {
            return None;
        }
        second = s.parse().ok()?;
        t = rest;
    }
    // Fractional seconds are dropped.
    if let [Token::Punct('.'), Token::Num(_), rest @ ..] = t {
        t = rest;
    }
    // am/pm, "a.m." (tokenised as "a." "m.") and "AM"/"PM" glued to the minutes.
    let meridiem = match t {
        [Token::Word(a, true), Token::Word(m, _), rest @ ..]
            if a.len() == 1 && m.eq_ignore_ascii_case("m") =>
        {
            t = rest;
            Some(a.to_lowercase())
        }
        [Token::Word(w, _), rest @ ..]
            if w.eq_ignore_ascii_case("am") || w.eq_ignore_ascii_case("pm") =>
        {
            t = rest;
            Some(w[..1].to_lowercase())
        }
        _ => None,
    };
    if let Some(m) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour %= 12;
        match m.as_str() {
            "a" => {}
            "p" => hour += 12,
            _ => return None,
        }
    }
    let time = Time::new(hour, minute, second, 0).ok()?;
    let offset = match t {
        [] => return Some(Tail::Local),
        [Token::Word(z, false)]
            if matches!(z.to_ascii_uppercase().as_str(), "Z" | "UTC" | "GMT" | "UT") =>
        {
            Offset::UTC
        }
        [Token::Word(z, false), Token::Punct(sign @ ('+' | '-')), Token::Num(n)]
            if matches!(z.to_ascii_uppercase().as_str(), "UTC" | "GMT") =>
        {
            numeric_offset(*sign, n, None)?
        }
        [Token::Punct(sign @ ('+' | '-')), Token::Num(n)] => numeric_offset(*sign, n, None)?,
        [Token::Punct(sign @ ('+' | '-')), Token::Num(h), Token::Punct(':'), Token::Num(m)] => {
            numeric_offset(*sign, h, Some(m))?
        }
        // A zone name such as ET, EDT or MSK: the local date is still right.
        [Token::Word(z, false)]
            if (2..=5).contains(&z.len()) && z.chars().all(|c| c.is_ascii_uppercase()) =>
        {
            return Some(Tail::Local)
        }
        _ => return None,
    };
    Some(Tail::Instant(time, offset))
}

/// `+0300`, `+03`, `+3`, or `+03` `:` `00`.
fn numeric_offset(sign: char, hours: &str, minutes: Option<&str>) -> Option<Offset> {
    let (h, m): (i32, i32) = match (hours.len(), minutes) {
        (1 | 2, None) => (hours.parse().ok()?, 0),
        (4, None) => (hours[..2].parse().ok()?, hours[2..].parse().ok()?),
        (1 | 2, Some(m)) if m.len() == 2 => (hours.parse().ok()?, m.parse().ok()?),
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
    Offset::from_seconds(secs).ok()
}

/// Seconds since the Unix epoch for a canonical date (midnight UTC for plain dates).
pub fn epoch_seconds(normalized: &str) -> Option<i64> {
    if let Ok(ts) = normalized.parse::<Timestamp>() {
        return Some(ts.as_second());
    }
    let d: Date = normalized.parse().ok()?;
    let ts = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(ts.as_second())
}

/// Parses a `--since`/`--until` bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
/// `end` picks the last day of a year or month instead of the first.
pub fn parse_bound(raw: &str, end: bool) -> Option<Date> {
    let s = raw.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| p.parse::<i16>().ok();
    let date = match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)?;
            if end {
                Date::new(y, 12, 31).ok()?
            } else {
                Date::new(y, 1, 1).ok()?
            }
        }
        [y, m] if y.len() == 4 => {
            let first = Date::new(num(y)?, i8::try_from(num(m)?).ok()?, 1).ok()?;
            if end {
                first.last_of_month()
            } else {
                first
            }
        }
        _ => s.parse::<Date>().ok()?,
    };
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        canonical(s)
    }

    #[test]
    fn normalises() {
        assert_eq!(canonical("2018-09-12").as_deref(), Some("2018-09-12"));
        assert_eq!(
            canonical("2018-09-12T10:00:00+03:00").as_deref(),
            Some("2018-09-12T07:00:00Z")
        );
        assert_eq!(
            canonical("2018-09-12T10:00:00").as_deref(),
            Some("2018-09-12")
        );
        assert_eq!(canonical("next Tuesday"), None);
        assert_eq!(canonical(""), None);
    }

    #[test]
    fn iso_variants() {
        assert_eq!(n(" 2018-09-12 ").as_deref(), Some("2018-09-12"));
        assert_eq!(
            n("2018-09-12T10:00:00Z").as_deref(),
            Some("2018-09-12T10:00:00Z")
        );
        assert_eq!(n("2018-09-12 10:00:00").as_deref(), Some("2018-09-12"));
        assert_eq!(
            n("2018-09-12T23:30:00-05:00").as_deref(),
            Some("2018-09-13T04:30:00Z")
        );
        assert_eq!(
            n("2018-09-12T10:00:00.123Z").as_deref(),
            Some("2018-09-12T10:00:00.123Z")
        );
        assert_eq!(n("2018-9-12").as_deref(), Some("2018-09-12"));
        assert_eq!(n("2018-13-12"), None);
        assert_eq!(n("2018-02-29"), None);
        assert_eq!(n("2020-02-29").as_deref(), Some("2020-02-29"));
    }

    #[test]
    fn us_numeric() {
        assert_eq!(n("9/12/2018").as_deref(), Some("2018-09-12"));
        assert_eq!(n("09/12/2018").as_deref(), Some("2018-09-12"));
        assert_eq!(n("9/12/18").as_deref(), Some("2018-09-12"));
        assert_eq!(n("1/5/00").as_deref(), Some("2000-01-05"));
        assert_eq!(n("1/5/69").as_deref(), Some("2069-01-05"));
        assert_eq!(n("1/5/70").as_deref(), Some("1970-01-05"));
        assert_eq!(n("12/31/99").as_deref(), Some("1999-12-31"));
        assert_eq!(n("2/29/20").as_deref(), Some("2020-02-29"));
        assert_eq!(n("9/12/2018 3:45 PM").as_deref(), Some("2018-09-12"));
        assert_eq!(n("9/12/2018, 10:30").as_deref(), Some("2018-09-12"));
        // No such day, month or shape.
        assert_eq!(n("2/30/19"), None);
        assert_eq!(n("2/29/19"), None);
        assert_eq!(n("13/1/2018"), None);
        assert_eq!(n("0/1/2018"), None);
        assert_eq!(n("9/12"), None);
        assert_eq!(n("9/12/018"), None);
        assert_eq!(n("9/12/20188"), None);
        assert_eq!(n("9/12-2018"), None);
        assert_eq!(n("9/12/2018 banana"), None);
    }

    #[test]
    fn year_first_and_european() {
        assert_eq!(n("2018/09/12").as_deref(), Some("2018-09-12"));
        assert_eq!(n("2018.09.12").as_deref(), Some("2018-09-12"));
        assert_eq!(n("12.09.2018").as_deref(), Some("2018-09-12"));
        assert_eq!(n("1.9.2018").as_deref(), Some("2018-09-01"));
        assert_eq!(n("12.09.2018.").as_deref(), Some("2018-09-12"));
        assert_eq!(n("12.09.2018 14:05").as_deref(), Some("2018-09-12"));
        assert_eq!(n("31.09.2018"), None);
        assert_eq!(
            n("12.09.18"),
            None,
            "two-digit European years are not guessed"
        );
        assert_eq!(
            n("12-09-2018"),
            None,
            "dashes have no agreed day/month order"
        );
        assert_eq!(n("2018/13/01"), None);
        assert_eq!(n("2018.09.12.5"), None);
    }

    #[test]
    fn month_names() {
        for s in [
            "Sept. 12, 2018",
            "Sept 12, 2018",
            "Sep. 12, 2018",
            "Sep 12 2018",
            "September 12, 2018",
            "september 12 2018",
            "SEPTEMBER 12, 2018",
            "September 12th, 2018",
            "12 September 2018",
            "12 Sept 2018",
            "12 Sept. 2018",
            "12th of September 2018",
            "12-Sep-2018",
            "Wednesday, September 12, 2018",
            "Wed, Sept. 12, 2018",
            "Wed 12 Sep 2018",
            "Published: Sept. 12, 2018",
            "on September 12, 2018",
            "12 сентября 2018",
            "12 сентября 2018 г.",
        ] {
            assert_eq!(n(s).as_deref(), Some("2018-09-12"), "{s}");
        }
        assert_eq!(n("May 1, 2019").as_deref(), Some("2019-05-01"));
        assert_eq!(n("1 May 2019").as_deref(), Some("2019-05-01"));
        assert_eq!(n("Feb. 29, 2019"), None);
        assert_eq!(n("September 2018"), None, "no day: not guessed");
        assert_eq!(n("September 12"), None, "no year: not guessed");
        assert_eq!(n("Sept. 12, 18"), None);
        assert_eq!(n("Septembre 12, 2018"), None);
        assert_eq!(
            n("Thursday, September 12, 2018"),
            None,
            "weekday contradicts the date"
        );
        assert_eq!(n("September 12, 2018 and more"), None);
        assert_eq!(n("Sept. 32, 2018"), None);
    }

    #[test]
    fn times_after_dates() {
        assert_eq!(n("Sept. 12, 2018 3:45 PM").as_deref(), Some("2018-09-12"));
        assert_eq!(
            n("Sept. 12, 2018 at 3:45 p.m. ET").as_deref(),
            Some("2018-09-12")
        );
        assert_eq!(
            n("September 12, 2018 10:30 UTC").as_deref(),
            Some("2018-09-12T10:30:00Z")
        );
        assert_eq!(
            n("12 Sep 2018 10:30 +0300").as_deref(),
            Some("2018-09-12T07:30:00Z")
        );
        assert_eq!(
            n("12 Sep 2018 00:30 +03:00").as_deref(),
            Some("2018-09-11T21:30:00Z")
        );
        assert_eq!(
            n("9/12/2018 11:59:59 pm GMT").as_deref(),
            Some("2018-09-12T23:59:59Z")
        );
        assert_eq!(
            n("9/12/2018 12:00 AM UTC").as_deref(),
            Some("2018-09-12T00:00:00Z")
        );
        assert_eq!(n("9/12/2018 13:00 PM"), None);
        assert_eq!(n("9/12/2018 24:00"), None);
        assert_eq!(n("9/12/2018 10:61"), None);
        assert_eq!(n("9/12/2018 10:30 +2500"), None);
        assert_eq!(n("Updated 3:45 PM"), None);
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            n("Tue, 1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01T08:52:37Z")
        );
        assert_eq!(
            n("1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01T08:52:37Z")
        );
        assert_eq!(
            n("Tue, 01 Jul 2003 10:52:37 GMT").as_deref(),
            Some("2003-07-01T10:52:37Z")
        );
        // Wrong weekday.
        assert_eq!(n("Wed, 1 Jul 2003 10:52:37 +0200"), None);
    }

    #[test]
    fn garbage_and_out_of_range() {
        for s in [
            "10000-01-01",
            "1/1/10000",
            "January 1, 10000",
            "0000-00-00",
            "1/1/0000",
            "yesterday",
            "2018",
            "12",
            "//",
            "...",
            "Sept.",
            "12 Sept",
            "n/a",
            "🙂 12 Sept 2018",
            "12 Sept 2018 🙂",
            "１２/１２/２０１８",
        ] {
            assert_eq!(n(s), None, "{s:?}");
        }
        assert_eq!(n(&"9".repeat(500)), None);
    }

    #[test]
    fn epoch() {
        assert_eq!(epoch_seconds("1970-01-02"), Some(86_400));
        assert_eq!(epoch_seconds("1970-01-01T00:01:00Z"), Some(60));
    }

    #[test]
    fn bounds() {
        assert_eq!(parse_bound("2019", true).unwrap().to_string(), "2019-12-31");
        assert_eq!(
            parse_bound("2020-02", true).unwrap().to_string(),
            "2020-02-29"
        );
        assert_eq!(
            parse_bound("2020-02-03", false).unwrap().to_string(),
            "2020-02-03"
        );
        assert!(parse_bound("yesterday", false).is_none());
        assert!(parse_bound("2020-13", false).is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = canonical(&s);
        }

        #[test]
        fn never_panics_on_date_like(s in "[0-9A-Za-z ,./:+\\-]{0,30}") {
            if let Some(out) = canonical(&s) {
                // Whatever comes out reads back as itself.
                proptest::prop_assert_eq!(canonical(&out), Some(out.clone()));
            }
        }
    }
}
