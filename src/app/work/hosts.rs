//! The hosts' channels for the dashboard: one [`Connection`] per shown host (its own threads,
//! deadlines and backoff, see [`crate::remote::client`]), and one thread that turns what they
//! report into [`HostNews`] messages on the event loop's channel, each moment of the client's
//! clock (an `Instant`) turned into the wall-clock moment it stands for, so the screen words
//! ages and waits when it is drawn. A host that hangs holds up only its own threads.

use super::Sink;
use crate::app::effect::Effect;
use crate::app::event::Msg;
use crate::app::model::{HostNews, HostStatus};
use crate::remote::client::Options;
use crate::remote::client::new_key;
use crate::remote::{Connection, Host, HostState, Update};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

/// The open connections, shared by the event loop's host lane; when the last copy is dropped
/// every channel closes (each child is stopped).
#[derive(Debug, Default, Clone)]
pub struct HostLinks {
    connections: Arc<Vec<Connection>>,
}

/// The ids of this dashboard's moves start here, far above the connection's own count (tails,
/// searches), so an answer is never taken for another request's.
pub const MOVE_IDS: u64 = 1 << 48;

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
                    if let Some(news) = news(update, crate::clock::now(), Instant::now()) {
                        sink.send(Msg::Host(news));
                    }
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
        HostLinks {
            connections: Arc::new(connections),
        }
    }

    /// Hands a request to its host's channel (a send to the host's own threads: nothing here
    /// waits); a host with no channel answers at once that the request is lost.
    pub fn execute(&self, effect: Effect, sink: &Sink) {
        let host = match &effect {
            Effect::HostMove { host, .. }
            | Effect::HostFollow { host, .. }
            | Effect::HostUnfollow { host, .. }
            | Effect::HostSearch { host, .. }
            | Effect::HostCancel { host, .. } => host.clone(),
            _ => return super::execute(effect, sink),
        };
        let Some(connection) = self.connections.iter().find(|c| c.host() == host) else {
            return unreachable_host(effect, sink);
        };
        match effect {
            Effect::HostMove { id, mv, .. } => {
                connection.send_move_with_key(*mv, new_key(id), id);
            }
            Effect::HostFollow { run, from, id, .. } => connection.follow(&run, from, id),
            Effect::HostUnfollow { id, .. } => connection.unfollow(id),
            Effect::HostSearch { id, spec, .. } => connection.search_with_id(*spec, id),
            Effect::HostCancel { id, .. } => connection.cancel_search(id),
            _ => {}
        }
    }
}

/// The answer to a request for a host that has no channel here.
pub fn unreachable_host(effect: Effect, sink: &Sink) {
    let why = |host: &str| format!("{host} is not connected from this dashboard");
    match effect {
        Effect::HostMove { host, id, .. } | Effect::HostSearch { host, id, .. } => {
            sink.send(Msg::Host(HostNews::Said(Box::new(Update::Lost {
                why: why(&host),
                host,
                id,
            }))))
        }
        Effect::HostFollow { host, id, .. } => {
            sink.send(Msg::Host(HostNews::Said(Box::new(Update::Tail {
                result: Err(why(&host)),
                host,
                id,
            }))))
        }
        _ => {}
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
        // Worded as the subcommands' `--host` says it (`cli::across`).
        return Err(format!(
            "invalid value '{unknown}' for '--host <NAME>': no such host (hosts: {}; add one as [[hosts]] in the config file)",
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
/// moment on each clock. Subcommands' output is not the dashboard's (`None`).
#[must_use]
pub fn news(update: Update, wall: DateTime<Utc>, mono: Instant) -> Option<HostNews> {
    match update {
        Update::State { host, state } => Some(HostNews::Status {
            host,
            status: status(state, wall, mono),
        }),
        Update::Output { .. } | Update::Exit { .. } => None,
        said => Some(HostNews::Said(Box::new(said))),
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
    state.map_moments(|at| wall_of(at, wall, mono))
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
        let Some(HostNews::Status { status, .. }) = news(
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
        assert!(why.to_string().contains("not installed"), "{why}");
        if let Some(earlier) = mono.checked_sub(Duration::from_secs(3)) {
            assert_eq!(
                wall_of(earlier, wall, mono),
                wall - chrono::Duration::seconds(3)
            );
        }
    }
}
