//! `beadboard hosts [--json]`: this machine and every configured host, each tried once (all at
//! once, within one deadline), with its state, beadboard version and latency on the channel.

use super::CliError;
use super::output::Out;
use crate::remote::{Host, HostState, LOCAL, probe};
use serde_json::json;
use std::time::{Duration, Instant};

/// One host's line.
struct Row {
    name: String,
    destination: Option<String>,
    state: &'static str,
    version: Option<String>,
    latency: Option<Duration>,
    why: Option<String>,
}

fn row(host: &Host, state: &HostState) -> Row {
    Row {
        name: host.name.clone(),
        destination: Some(host.destination.clone()),
        state: state.label(),
        version: state.version().map(str::to_owned),
        latency: match state {
            HostState::Live { latency, .. } => *latency,
            _ => None,
        },
        why: match state {
            HostState::Down { why, .. } => Some(why.to_string()),
            HostState::Connecting { since, .. } => Some(format!(
                "no answer within {}",
                humantime::format_duration(Duration::from_secs(since.elapsed().as_secs()))
            )),
            _ => None,
        },
    }
}

/// Lists the hosts.
///
/// # Errors
/// Only a failed write.
pub fn hosts(
    out: &mut Out,
    hosts: &[Host],
    json: bool,
    deadline: Duration,
) -> Result<(), CliError> {
    let started = Instant::now();
    let probes: Vec<_> = hosts
        .iter()
        .map(|h| {
            let h = h.clone();
            std::thread::spawn(move || probe(&h, deadline))
        })
        .collect();
    let mut rows = vec![Row {
        name: LOCAL.to_owned(),
        destination: None,
        state: "live",
        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        latency: None,
        why: None,
    }];
    for (host, probe) in hosts.iter().zip(probes) {
        let state = probe.join().unwrap_or(HostState::Connecting {
            since: started,
            attempt: 1,
        });
        rows.push(row(host, &state));
    }
    if json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "host": r.name,
                    "destination": r.destination,
                    "state": r.state,
                    "version": r.version,
                    "latency_ms": r.latency.map(|l| l.as_secs_f64() * 1000.0),
                    "why": r.why,
                })
            })
            .collect();
        return out.json(&serde_json::Value::Array(items));
    }
    for r in &rows {
        let latency = r
            .latency
            .map_or_else(|| "-".to_owned(), |l| format!("{} ms", l.as_millis()));
        out.line(format_args!(
            "{:<12} {:<10} {:<10} {:<8} {}",
            r.name,
            r.state,
            r.version.as_deref().unwrap_or("-"),
            latency,
            r.why.as_deref().unwrap_or("")
        ))?;
    }
    Ok(())
}
