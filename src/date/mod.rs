//! Publication dates: accept what sources write, store ISO, never invent.
//!
//! [`canonical`] turns the date forms that op-ed sources and dataset dumps
//! write into `YYYY-MM-DD` (a calendar date) or an RFC 3339 timestamp in UTC
//! (an instant). Anything ambiguous or unrecognised is `None`: a wrong date is
//! worse than no date, because `--since`/`--until` would silently trust it.
//! Dates written in running text and URLs, where pages put them when no
//! metadata declares one, are found by [`text_date`], [`find_day`](text::find_day),
//! [`iso_day`] and [`url_day`]. [`parse_bound`] reads `--since`/`--until`.
//!
//! Files: `tokens` (the shapes [`canonical`] reads token by token), `text`
//! (dates in text and URLs). May import jiff, and nothing of opedex: every
//! reader and the index use it.

mod text;
mod tokens;

use jiff::civil::{Date, DateTime};
use jiff::Timestamp;

pub use text::{iso_day, text_date, url_day};

/// The canonical form of a date string: `YYYY-MM-DD` or an RFC 3339 timestamp.
///
/// Accepted forms (surrounding whitespace is ignored):
/// - ISO 8601 / RFC 3339: `2018-09-12`, `2018-09-12T10:00:00+03:00` (kept at
///   its offset, so the date stays the publisher's), `2018-09-12T10:00:00`
///   (no zone → the date);
/// - RFC 2822: `Tue, 1 Jul 2003 10:52:37 +0200` (→ `2003-07-01T10:52:37+02:00`);
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
///   `3:45 PM`, `at 10:30`, `10:30:15 ET`. With `Z`/`UTC`/`GMT` the result
///   is a UTC timestamp, with a numeric offset a timestamp at that offset;
///   with a zone name or no zone it is the date as written (a local date is
///   still the right date).
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
        let offset = jiff::fmt::temporal::Pieces::parse(s)
            .ok()
            .and_then(|p| p.to_numeric_offset());
        return Some(with_offset(ts, offset));
    }
    if let Ok(d) = s.parse::<Date>() {
        return Some(d.to_string());
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        return Some(dt.date().to_string());
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::DateTimeParser::new().parse_zoned(s) {
        return Some(with_offset(zoned.timestamp(), Some(zoned.offset())));
    }
    // jiff's strtime needs one format string per shape and knows neither
    // "Sept." nor ordinal suffixes nor two-digit year pivots; the shapes here
    // are few and small enough to read token by token.
    tokens::read(s)
}

/// A timestamp as RFC 3339 at the offset it was written with, so that its
/// first ten characters are the publisher's calendar date
/// (`2020-04-07T17:10:46-07:00`, not `2020-04-08T00:10:46Z`); in UTC (`Z`)
/// when it was written in UTC or without a numeric offset.
fn with_offset(ts: Timestamp, offset: Option<jiff::tz::Offset>) -> String {
    match offset {
        Some(offset) if offset != jiff::tz::Offset::UTC => {
            ts.display_with_offset(offset).to_string()
        }
        _ => ts.to_string(),
    }
}

/// `00`–`69` → 2000–2069, `70`–`99` → 1970–1999.
fn pivot_year(yy: i32) -> i32 {
    if yy < 70 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// Seconds since the Unix epoch for a canonical date (midnight UTC for plain dates).
pub fn epoch_seconds(iso: &str) -> Option<i64> {
    if let Ok(ts) = iso.parse::<Timestamp>() {
        return Some(ts.as_second());
    }
    let d: Date = iso.parse().ok()?;
    let ts = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(ts.as_second())
}

/// Why a `--since`/`--until` bound is refused; its text says which part
/// is wrong (`month 13 is out of range (1 to 12)`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundError {
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("expected YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape,
    /// A month outside 1–12.
    #[error("month {0} is out of range (1 to 12)")]
    Month(String),
    /// A day outside the month (`2024-02-30`), or 0.
    #[error("day {day} is out of range: {year:04}-{month:02} has {days} days")]
    Day {
        /// The day as written.
        day: String,
        /// The year.
        year: i16,
        /// The month.
        month: i8,
        /// Days in that month.
        days: i8,
    },
}

/// Parses a `--since`/`--until` bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
/// `end` picks the last day of a year or month instead of the first. An
/// error says which part is wrong.
pub fn parse_bound(raw: &str, end: bool) -> Result<Date, BoundError> {
    let s = raw.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let year = |y: &str| -> Result<i16, BoundError> {
        if digits(y, 4..=4) {
            y.parse().map_err(|_| BoundError::Shape)
        } else {
            Err(BoundError::Shape)
        }
    };
    let month = |m: &str| -> Result<i8, BoundError> {
        if !digits(m, 1..=2) {
            return Err(BoundError::Shape);
        }
        match m.parse::<i8>() {
            Ok(n @ 1..=12) => Ok(n),
            _ => Err(BoundError::Month(m.to_string())),
        }
    };
    let date = match parts.as_slice() {
        [y] => {
            let y = year(y)?;
            let (m, d) = if end { (12, 31) } else { (1, 1) };
            Date::new(y, m, d).map_err(|_| BoundError::Shape)?
        }
        [y, m] => {
            let first = Date::new(year(y)?, month(m)?, 1).map_err(|_| BoundError::Shape)?;
            if end {
                first.last_of_month()
            } else {
                first
            }
        }
        [y, m, d] => {
            let (y, m) = (year(y)?, month(m)?);
            if !digits(d, 1..=2) {
                return Err(BoundError::Shape);
            }
            let first = Date::new(y, m, 1).map_err(|_| BoundError::Shape)?;
            let days = first.days_in_month();
            match d.parse::<i8>() {
                Ok(n) if (1..=days).contains(&n) => {
                    Date::new(y, m, n).map_err(|_| BoundError::Shape)?
                }
                _ => {
                    return Err(BoundError::Day {
                        day: d.to_string(),
                        year: y,
                        month: m,
                        days,
                    })
                }
            }
        }
        _ => return Err(BoundError::Shape),
    };
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        canonical(s)
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("2018-09-12").as_deref(), Some("2018-09-12"));
        assert_eq!(
            canonical("2018-09-12T10:00:00+03:00").as_deref(),
            Some("2018-09-12T10:00:00+03:00")
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
            Some("2018-09-12T23:30:00-05:00")
        );
        // The same instant in UTC is the next day; the publisher's day stays.
        assert_eq!(
            epoch_seconds("2018-09-12T23:30:00-05:00"),
            epoch_seconds("2018-09-13T04:30:00Z")
        );
        assert_eq!(
            n("2018-09-12T23:30:00+00:00").as_deref(),
            Some("2018-09-12T23:30:00Z")
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
            Some("2018-09-12T10:30:00+03:00")
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
            Some("2003-07-01T10:52:37+02:00")
        );
        assert_eq!(
            n("1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01T10:52:37+02:00")
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
        assert_eq!(parse_bound("yesterday", false), Err(BoundError::Shape));
        assert_eq!(parse_bound("2020-1-x", false), Err(BoundError::Shape));
        assert_eq!(
            parse_bound("2024-13-01", false).unwrap_err().to_string(),
            "month 13 is out of range (1 to 12)"
        );
        assert_eq!(
            parse_bound("2020-00", false).unwrap_err().to_string(),
            "month 00 is out of range (1 to 12)"
        );
        assert_eq!(
            parse_bound("2024-02-30", true).unwrap_err().to_string(),
            "day 30 is out of range: 2024-02 has 29 days"
        );
        assert_eq!(
            parse_bound("2023-04-31", true).unwrap_err().to_string(),
            "day 31 is out of range: 2023-04 has 30 days"
        );
        assert_eq!(
            parse_bound("2024-2-9", false).unwrap().to_string(),
            "2024-02-09"
        );
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
