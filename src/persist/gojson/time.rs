//! Go's `time.Time` JSON form: RFC 3339 with nanoseconds, trailing zeros trimmed, `Z` for UTC.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, Timelike};
use std::fmt::Write as _;

/// A timestamp as Go keeps it: an instant plus the UTC offset it was written with, so a value
/// read with `+02:00` is written back with `+02:00`, as Go does.
pub type GoTime = DateTime<FixedOffset>;

/// Go's zero time, `0001-01-01T00:00:00Z`, which a missing time field decodes to.
#[must_use]
pub fn zero_time() -> GoTime {
    NaiveDate::from_ymd_opt(1, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().fixed_offset())
        .unwrap_or_default()
}

/// The current time in UTC, like Go's `time.Now().UTC()`: the program's clock (see
/// [`crate::clock`]: the system clock, unless `BEADBOARD_NOW` sets it), so what the program
/// writes is dated by the same clock it shows times by.
#[must_use]
pub fn now() -> GoTime {
    crate::clock::now().fixed_offset()
}

/// Formats a time as Go's `time.Time.MarshalJSON` does (without the quotes):
/// `2026-03-30T09:16:34.66401152Z`; the fraction is dropped when zero; non-UTC offsets are
/// written `+hh:mm`.
#[must_use]
pub fn format_time(t: &GoTime) -> String {
    let mut out = String::with_capacity(35);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    // A leap second shows up in chrono as nanosecond >= 1e9; Go cannot represent it either.
    let nanos = t.nanosecond() % 1_000_000_000;
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    let offset = t.offset().fix().local_minus_utc();
    if offset == 0 {
        out.push('Z');
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.unsigned_abs();
        let _ = write!(out, "{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60);
    }
    out
}

/// Parses an RFC 3339 timestamp as Go's `time.Time.UnmarshalJSON` accepts it.
///
/// # Errors
/// A text that is not RFC 3339, a year outside 0..=9999, or second 60 gives a message saying
/// why.
pub fn parse_time(text: &str) -> Result<GoTime, String> {
    let t = DateTime::parse_from_rfc3339(text)
        .map_err(|e| format!("{text:?} is not an RFC 3339 time ({e})"))?;
    if !(0..=9999).contains(&t.year()) {
        return Err(format!("{text:?} has a year outside 0..9999"));
    }
    // chrono reads second 60 as a leap second; Go rejects it ("second out of range"), and we
    // could not write it back (it would become :59, a different time).
    if t.nanosecond() >= 1_000_000_000 {
        return Err(format!("{text:?} has a second out of range (60)"));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        for text in [
            "2026-03-30T09:16:34.66401152Z",
            "2026-03-30T09:12:03Z",
            "2026-03-30T09:12:03.1Z",
            "2026-03-30T11:12:03.5+02:00",
            "2026-03-30T07:12:03-05:30",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(format_time(&parse_time(text).unwrap()), text);
        }
        assert_eq!(
            format_time(&parse_time("2026-03-30T09:12:03.500000000Z").unwrap()),
            "2026-03-30T09:12:03.5Z"
        );
        assert_eq!(
            format_time(&parse_time("2026-03-30T09:12:03+00:00").unwrap()),
            "2026-03-30T09:12:03Z"
        );
        assert_eq!(format_time(&zero_time()), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("2026-13-01T00:00:00Z").is_err());
        assert!(
            parse_time("2026-12-31T23:59:60Z").is_err(),
            "Go has no leap seconds"
        );
    }
}
