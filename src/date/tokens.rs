//! Date strings read token by token: numeric dates (`9/12/18`,
//! `12.09.2018`), dates with a month name (`Sept. 12, 2018`, `12 сентября
//! 2018 г.`), and a time after either.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

use super::pivot_year;

/// A date in one of the shapes below, with an optional time after it:
/// `YYYY-MM-DD`, or an RFC 3339 timestamp in UTC when the time has an offset.
pub(super) fn read(s: &str) -> Option<String> {
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
    let (time, rest) = clock(t)?;
    zone(time, rest)
}

/// `H:MM[:SS][.fraction] [am|pm|a.m.|p.m.]` as a time of day, then the rest.
fn clock<'t, 'a>(mut t: &'t [Token<'a>]) -> Option<(Time, &'t [Token<'a>])> {
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
    Some((time, t))
}

/// What follows the time: nothing, a UTC offset, or a zone name.
fn zone(time: Time, t: &[Token<'_>]) -> Option<Tail> {
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
