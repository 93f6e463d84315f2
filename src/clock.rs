//! The time beadboard takes as "now": the system clock, or, when `BEADBOARD_NOW` holds an RFC
//! 3339 time, that time moving on from the moment the program started. End-to-end tests and
//! reproducible demos set it, so what "today", "recent" and "5m ago" mean does not depend on
//! the day they run.

use chrono::{DateTime, Utc};
use std::sync::OnceLock;
use std::time::Instant;

/// The variable that sets the clock.
pub const VARIABLE: &str = "BEADBOARD_NOW";

/// The pretended start and when it was read (`None`: the system clock).
fn pretended() -> Option<(DateTime<Utc>, Instant)> {
    static START: OnceLock<Option<(DateTime<Utc>, Instant)>> = OnceLock::new();
    *START.get_or_init(|| {
        let text = std::env::var(VARIABLE).ok()?;
        let at = DateTime::parse_from_rfc3339(text.trim()).ok()?;
        Some((at.with_timezone(&Utc), Instant::now()))
    })
}

/// Now: the system clock's time, or `BEADBOARD_NOW` plus the time since it was first read.
#[must_use]
pub fn now() -> DateTime<Utc> {
    match pretended() {
        Some((at, since)) => at + chrono::Duration::from_std(since.elapsed()).unwrap_or_default(),
        None => Utc::now(),
    }
}

/// The local zone's offset from UTC at [`now`] (`TZ` decides the zone).
#[must_use]
pub fn local_offset() -> chrono::FixedOffset {
    use chrono::{Offset as _, TimeZone as _};
    chrono::Local
        .from_utc_datetime(&now().naive_utc())
        .offset()
        .fix()
}
