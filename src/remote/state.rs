//! How a host is doing, as one enum: connecting, live (with the latency measured on the open
//! channel), stale (its last data and when it came), or down (why, and when the next try is),
//! its moments on any clock (the client's `Instant`s; the dashboard's wall-clock moments,
//! placed by [`HostState::map_moments`], so ages are worded when drawn);
//! how long to wait before the next try ([`Backoff`]: 1 s doubling to a 30 s cap, with jitter);
//! and when silence makes a host stale, then down ([`Silence`]). Every function here takes the
//! time and the randomness it needs, so tests choose them. Ages are computed when shown.

use super::failure::DownReason;
use std::time::{Duration, Instant};

/// A host's state, its moments of type `T` (the client's clock by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostState<T = Instant> {
    /// Its channel is being opened.
    Connecting {
        /// Since when.
        since: T,
        /// Which try this is (1 for the first).
        attempt: u32,
    },
    /// Its channel is open and it spoke recently.
    Live {
        /// Its beadboard version.
        version: String,
        /// The last ping's round trip on the open channel (none answered yet: `None`).
        latency: Option<Duration>,
    },
    /// Its channel is open but it has been silent too long: its last data is shown, with its age.
    Stale {
        /// Its beadboard version.
        version: String,
        /// When it last sent anything.
        last_data: T,
    },
    /// Its channel is closed.
    Down {
        /// Why, in words that say what to do.
        why: DownReason,
        /// When it went down.
        at: T,
        /// When the next try is.
        retry_at: T,
    },
}

impl<T> HostState<T> {
    /// `connecting`, `live`, `stale` or `down`.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            HostState::Connecting { .. } => "connecting",
            HostState::Live { .. } => "live",
            HostState::Stale { .. } => "stale",
            HostState::Down { .. } => "down",
        }
    }

    /// The host's beadboard version, once it said hello.
    #[must_use]
    pub fn version(&self) -> Option<&str> {
        match self {
            HostState::Live { version, .. } | HostState::Stale { version, .. } => Some(version),
            _ => None,
        }
    }

    /// Whether it is live.
    #[must_use]
    pub fn is_live(&self) -> bool {
        matches!(self, HostState::Live { .. })
    }

    /// The same state with each moment turned into another clock's by `f`.
    #[must_use]
    pub fn map_moments<U>(self, f: impl Fn(T) -> U) -> HostState<U> {
        match self {
            HostState::Connecting { since, attempt } => HostState::Connecting {
                since: f(since),
                attempt,
            },
            HostState::Live { version, latency } => HostState::Live { version, latency },
            HostState::Stale { version, last_data } => HostState::Stale {
                version,
                last_data: f(last_data),
            },
            HostState::Down { why, at, retry_at } => HostState::Down {
                why,
                at: f(at),
                retry_at: f(retry_at),
            },
        }
    }
}

/// How long to wait before trying a host again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure.
    pub first: Duration,
    /// The longest wait; also how long a channel must stay up to count as stable (the waits
    /// then start again from `first`).
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            first: Duration::from_secs(1),
            cap: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The wait after `failures` failures in a row (1 or more): `first` doubled each time up to
    /// `cap`, then a random share of it between a half and the whole (so hosts that failed
    /// together do not all try again at once).
    #[must_use]
    pub fn delay(&self, failures: u32, rng: &mut fastrand::Rng) -> Duration {
        let doubling = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
        let full = self.first.saturating_mul(doubling).min(self.cap);
        let half = full / 2;
        let spread = u64::try_from((full - half).as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rng.u64(0..=spread))
    }
}

/// When a silent host turns stale, then down: after so many heartbeats missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Silence {
    /// The host's heartbeat interval.
    pub heartbeat: Duration,
}

/// What silence means at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It spoke recently enough.
    Fresh,
    /// It missed [`Silence::STALE_AFTER`] heartbeats.
    Stale,
    /// It missed [`Silence::DOWN_AFTER`] heartbeats: the channel is given up.
    Down,
}

impl Silence {
    /// Heartbeats missed before a host is stale.
    pub const STALE_AFTER: u32 = 4;
    /// Heartbeats missed before a host is down.
    pub const DOWN_AFTER: u32 = 10;

    /// The verdict at `now` for a host last heard from at `last`.
    #[must_use]
    pub fn judge(&self, last: Instant, now: Instant) -> Verdict {
        let quiet = now.saturating_duration_since(last);
        if quiet >= self.heartbeat * Self::DOWN_AFTER {
            Verdict::Down
        } else if quiet >= self.heartbeat * Self::STALE_AFTER {
            Verdict::Stale
        } else {
            Verdict::Fresh
        }
    }

    /// The next moment the verdict can change for a host last heard from at `last`.
    #[must_use]
    pub fn next_check(&self, last: Instant, now: Instant) -> Instant {
        let stale = last + self.heartbeat * Self::STALE_AFTER;
        let down = last + self.heartbeat * Self::DOWN_AFTER;
        if now < stale { stale } else { down }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_the_cap_with_jitter_within_bounds() {
        let b = Backoff::default();
        let mut rng = fastrand::Rng::with_seed(7);
        for (failures, full) in [(1, 1), (2, 2), (3, 4), (5, 16), (6, 30), (40, 30)] {
            for _ in 0..50 {
                let d = b.delay(failures, &mut rng);
                let full = Duration::from_secs(full);
                assert!(d >= full / 2 && d <= full, "{failures}: {d:?}");
            }
        }
        // The jitter spreads: not every wait is the same.
        let waits: std::collections::HashSet<_> = (0..20).map(|_| b.delay(6, &mut rng)).collect();
        assert!(waits.len() > 1);
    }

    #[test]
    fn silence_makes_a_host_stale_then_down() {
        let s = Silence {
            heartbeat: Duration::from_secs(5),
        };
        let t0 = Instant::now();
        assert_eq!(s.judge(t0, t0 + Duration::from_secs(19)), Verdict::Fresh);
        assert_eq!(s.judge(t0, t0 + Duration::from_secs(20)), Verdict::Stale);
        assert_eq!(s.judge(t0, t0 + Duration::from_secs(50)), Verdict::Down);
        assert_eq!(s.next_check(t0, t0), t0 + Duration::from_secs(20));
        assert_eq!(
            s.next_check(t0, t0 + Duration::from_secs(21)),
            t0 + Duration::from_secs(50)
        );
    }
}
