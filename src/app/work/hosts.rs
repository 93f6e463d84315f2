//! The hosts' channels for the dashboard: one [`Connection`] per shown host (its own threads,
//! deadlines and backoff, see [`crate::remote::client`]), and one thread that turns what they
//! report into [`HostNews`] messages on the event loop's channel, each moment of the client's
//! clock (an `Instant`) turned into the wall-clock moment it stands for, so the screen words
//! ages and waits when it is drawn. A host that hangs holds up only its own threads.

use super::Sink;
use crate::app::event::Msg;
use crate::app::model::{HostNews, HostStatus};
use crate::remote::client::Options;
use crate::remote::{Connection, Host, HostState, Update};
use chrono::{DateTime, Utc};
use std::sync::mpsc;
use std::time::Instant;

/// The open connections; dropping it closes every channel (each child is stopped).
#[derive(Debug, Default)]
pub struct HostLinks {
    connections: Vec<Connection>,
}

impl HostLinks {
    /// Starts connecting to every host in `hosts`, reporting to `sink`.
    #[must_use]
    pub fn start(hosts: &[Host], options: Options, sink: Sink) -> HostLinks {
        if hosts.is_empty() {
            return HostLinks::default();
        }
        let (tx, rx) = mpsc::channel::<Update>();
        let forward = std::thread::Builder::new()
            .name("beadboard-hosts".to_owned())
            .spawn(move || {
                for update in rx {
                    sink.send(Msg::Host(news(update, crate::clock::now(), Instant::now())));
                }
            });
        if let Err(e) = forward {
            let _ = e;
            return HostLinks::default();
        }
        let connections = hosts
            .iter()
            .filter_map(|host| Connection::start(host.clone(), options, tx.clone()).ok())
            .collect();
        HostLinks { connections }
    }

    /// How many hosts are being followed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.connections.len()
    }

    /// Whether no host is followed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.connections.is_empty()
    }
}

/// The hosts `chosen` with `--host` (none: this machine and every configured host), as
/// whether this machine is shown and the configured hosts shown, in the config's order.
///
/// # Errors
/// A name that is neither `local` nor a configured host, with the names there are.
pub fn choose(configured: &[Host], chosen: &[String]) -> Result<(bool, Vec<Host>), String> {
    if chosen.is_empty() {
        return Ok((true, configured.to_vec()));
    }
    if let Some(unknown) = chosen
        .iter()
        .find(|c| c.as_str() != crate::remote::LOCAL && !configured.iter().any(|h| &h.name == *c))
    {
        let known: Vec<&str> = std::iter::once(crate::remote::LOCAL)
            .chain(configured.iter().map(|h| h.name.as_str()))
            .collect();
        return Err(format!(
            "--host {unknown:?}: no such host; the hosts are {} (add one as [[hosts]] in the config)",
            known.join(", ")
        ));
    }
    let local = chosen.iter().any(|c| c == crate::remote::LOCAL);
    let hosts = configured
        .iter()
        .filter(|h| chosen.contains(&h.name))
        .cloned()
        .collect();
    Ok((local, hosts))
}

/// `update` as news, its moments placed on the wall clock: `wall` and `mono` are the same
/// moment on each clock.
#[must_use]
pub fn news(update: Update, wall: DateTime<Utc>, mono: Instant) -> HostNews {
    match update {
        Update::State { host, state } => HostNews::Status {
            host,
            status: status(state, wall, mono),
        },
        Update::Snapshot { host, events } => HostNews::Snapshot { host, events },
        Update::Event { host, event } => HostNews::Event { host, event },
    }
}

/// The wall-clock moment of `at`.
fn wall_of(at: Instant, wall: DateTime<Utc>, mono: Instant) -> DateTime<Utc> {
    let signed = if at >= mono {
        chrono::Duration::from_std(at - mono).unwrap_or_default()
    } else {
        -chrono::Duration::from_std(mono - at).unwrap_or_default()
    };
    wall + signed
}

fn status(state: HostState, wall: DateTime<Utc>, mono: Instant) -> HostStatus {
    match state {
        HostState::Connecting { since, attempt } => HostStatus::Connecting {
            since: wall_of(since, wall, mono),
            attempt,
        },
        HostState::Live { version, latency } => HostStatus::Live { version, latency },
        HostState::Stale { version, last_data } => HostStatus::Stale {
            version,
            last_data: wall_of(last_data, wall, mono),
        },
        HostState::Down { why, at, retry_at } => HostStatus::Down {
            why: why.to_string(),
            at: wall_of(at, wall, mono),
            retry_at: wall_of(retry_at, wall, mono),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn host_narrows_and_unknown_names_are_refused() {
        let configured = [Host::named("gpu1"), Host::named("vm")];
        let (local, all) = choose(&configured, &[]).unwrap();
        assert!(local);
        assert_eq!(all.len(), 2);
        let (local, one) = choose(&configured, &["vm".to_owned()]).unwrap();
        assert!(!local);
        assert_eq!(one, [Host::named("vm")]);
        let (local, none) = choose(&configured, &["local".to_owned()]).unwrap();
        assert!(local && none.is_empty());
        let err = choose(&configured, &["gpu9".to_owned()]).unwrap_err();
        assert!(
            err.contains("gpu9") && err.contains("local, gpu1, vm"),
            "{err}"
        );
    }

    #[test]
    fn moments_are_placed_on_the_wall_clock() {
        let mono = Instant::now();
        let wall = DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let HostNews::Status { status, .. } = news(
            Update::State {
                host: "gpu1".to_owned(),
                state: HostState::Down {
                    why: crate::remote::DownReason::NotInstalled {
                        host: "gpu1".to_owned(),
                    },
                    at: mono,
                    retry_at: mono + Duration::from_secs(4),
                },
            },
            wall,
            mono,
        ) else {
            panic!("not a status")
        };
        let HostStatus::Down { why, at, retry_at } = status else {
            panic!("not down")
        };
        assert_eq!(at, wall);
        assert_eq!(retry_at, wall + chrono::Duration::seconds(4));
        assert!(why.contains("not installed"), "{why}");
        if let Some(earlier) = mono.checked_sub(Duration::from_secs(3)) {
            assert_eq!(
                wall_of(earlier, wall, mono),
                wall - chrono::Duration::seconds(3)
            );
        }
    }
}
