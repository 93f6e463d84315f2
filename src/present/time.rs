//! Durations and times as people read them: `850ms`, `42s`, `7m40s`, `2h03m`, `3d04h`;
//! `5s ago`; `09:12:03` in the viewer's offset, with the date when it is not today
//! (`Nov 21 09:00:00`) and the year when it is not this year (`Nov 21 2025 09:00:00`).

use chrono::{DateTime, FixedOffset, Utc};
use std::time::Duration;

/// A compact human duration: `850ms`, `42s`, `7m40s`, `2h03m`, `3d04h`.
#[must_use]
pub fn humanize(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        let ms = d.as_millis();
        return if ms == 0 && d.as_nanos() > 0 {
            "<1ms".to_owned()
        } else {
            format!("{ms}ms")
        };
    }
    let (days, hours, minutes, seconds) = (
        secs / 86_400,
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
    );
    if days > 0 {
        format!("{days}d{hours:02}h")
    } else if hours > 0 {
        format!("{hours}h{minutes:02}m")
    } else if minutes > 0 {
        format!("{minutes}m{seconds:02}s")
    } else {
        format!("{seconds}s")
    }
}

/// A Go `time.Duration` in nanoseconds, humanised (negative values read as zero).
#[must_use]
pub fn humanize_nanos(nanos: i64) -> String {
    humanize(Duration::from_nanos(u64::try_from(nanos).unwrap_or(0)))
}

/// `then` relative to `now`: `now`, `5s ago`, `3m ago`, `2h ago`, `4d ago` (`in 3s` if ahead).
#[must_use]
pub fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let delta = now.signed_duration_since(then);
    let (ahead, span) = if delta < chrono::Duration::zero() {
        (true, -delta)
    } else {
        (false, delta)
    };
    let secs = span.num_seconds();
    let amount = if secs < 1 {
        return "now".to_owned();
    } else if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m", secs / 60)
    } else if secs < 86_400 {
        format!("{}h", secs / 3600)
    } else {
        format!("{}d", secs / 86_400)
    };
    if ahead {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// The time of day in `offset`: `09:12:03`.
#[must_use]
pub fn clock(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset).format("%H:%M:%S").to_string()
}

/// How much of a date a time needs beside `now` to be read right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dated {
    /// Today: the time of day alone (`09:00:00`).
    Today,
    /// Another day this year: `Nov 21 09:00:00`.
    ThisYear,
    /// Another year: `Nov 21 2025 09:00:00`.
    OtherYear,
}

impl Dated {
    /// What `t` needs beside `now`, both read in `offset` ("today" is `now`'s day there).
    #[must_use]
    pub fn of(t: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> Dated {
        use chrono::Datelike as _;
        let (t, now) = (t.with_timezone(&offset), now.with_timezone(&offset));
        if t.date_naive() == now.date_naive() {
            Dated::Today
        } else if t.year() == now.year() {
            Dated::ThisYear
        } else {
            Dated::OtherYear
        }
    }

    /// The width of a stamp written this way.
    #[must_use]
    pub fn width(self) -> usize {
        match self {
            Dated::Today => 8,
            Dated::ThisYear => 15,
            Dated::OtherYear => 20,
        }
    }
}

/// `t` as a stamp that tells the day: `09:00:00` today, `Nov 21 09:00:00` another day this
/// year, `Nov 21 2025 09:00:00` another year ("today" is `now`'s day in `offset`).
#[must_use]
pub fn stamp(t: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    stamp_as(t, Dated::of(t, now, offset), offset)
}

/// `t` written as `how` says (a time from today written with a date still gets it).
#[must_use]
pub fn stamp_as(t: DateTime<Utc>, how: Dated, offset: FixedOffset) -> String {
    let format = match how {
        Dated::Today => "%H:%M:%S",
        Dated::ThisYear => "%b %d %H:%M:%S",
        Dated::OtherYear => "%b %d %Y %H:%M:%S",
    };
    t.with_timezone(&offset).format(format).to_string()
}

/// A date and time in `offset`: `2026-03-30 09:12:03`.
#[must_use]
pub fn date_time(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Elapsed time between two instants (zero if reversed).
#[must_use]
pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
    to.signed_duration_since(from).to_std().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_well() {
        assert_eq!(humanize(Duration::from_millis(850)), "850ms");
        assert_eq!(humanize(Duration::from_secs(42)), "42s");
        assert_eq!(humanize_nanos(460_018_297_999), "7m40s");
        assert_eq!(humanize(Duration::from_secs(7380)), "2h03m");
        assert_eq!(
            humanize(Duration::from_secs(3 * 86_400 + 4 * 3600)),
            "3d04h"
        );
        assert_eq!(humanize_nanos(-5), "0ms");
        let now = DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(ago(now, now - chrono::Duration::seconds(5)), "5s ago");
        assert_eq!(ago(now, now - chrono::Duration::minutes(90)), "1h ago");
        assert_eq!(ago(now, now + chrono::Duration::seconds(3)), "in 3s");
        assert_eq!(ago(now, now), "now");
        assert_eq!(clock(now, FixedOffset::east_opt(3600).unwrap()), "13:00:00");
    }

    #[test]
    fn stamps_tell_the_day_in_the_viewers_zone() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let now = at("2026-03-30T09:30:00Z");
        let utc = FixedOffset::east_opt(0).unwrap();
        assert_eq!(stamp(at("2026-03-30T09:00:00Z"), now, utc), "09:00:00");
        assert_eq!(
            stamp(at("2026-03-15T09:00:00Z"), now, utc),
            "Mar 15 09:00:00"
        );
        assert_eq!(
            stamp(at("2025-11-21T09:00:00Z"), now, utc),
            "Nov 21 2025 09:00:00"
        );
        // Late evening in UTC is already tomorrow ten hours east: not today there.
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        let evening = at("2026-03-29T23:00:00Z");
        assert_eq!(stamp(evening, now, utc), "Mar 29 23:00:00");
        assert_eq!(stamp(evening, now, tokyo), "08:00:00");
        for how in [Dated::Today, Dated::ThisYear, Dated::OtherYear] {
            assert_eq!(stamp_as(now, how, utc).len(), how.width());
        }
    }
}
