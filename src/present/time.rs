//! Durations and times as people read them: `850ms`, `42s`, `7m40s`, `2h03m`, `3d04h`;
//! `5s ago`; `09:12:03` in the viewer's offset.

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
}
