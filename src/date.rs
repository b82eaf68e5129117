//! Publication dates: accept what sources write, store ISO, never invent.

use jiff::civil::Date;
use jiff::Timestamp;

/// Normalises a date string to `YYYY-MM-DD` or an RFC 3339 timestamp.
///
/// Accepts ISO dates, RFC 3339 timestamps and ISO date-times without a zone
/// (kept as the date). Returns `None` for anything else.
pub fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts.to_string());
    }
    if let Ok(d) = s.parse::<Date>() {
        return Some(d.to_string());
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Some(dt.date().to_string());
    }
    None
}

/// Seconds since the Unix epoch for a normalised date (midnight UTC for plain dates).
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

    #[test]
    fn normalises() {
        assert_eq!(normalize("2018-09-12").as_deref(), Some("2018-09-12"));
        assert_eq!(
            normalize("2018-09-12T10:00:00+03:00").as_deref(),
            Some("2018-09-12T07:00:00Z")
        );
        assert_eq!(
            normalize("2018-09-12T10:00:00").as_deref(),
            Some("2018-09-12")
        );
        assert_eq!(normalize("next Tuesday"), None);
        assert_eq!(normalize(""), None);
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
}
