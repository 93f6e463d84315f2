//! `beadboard hosts [--json]`: this machine and every configured host, each tried once (all at
//! once, within one deadline), with its state, beadboard version and latency on the channel.

use super::CliError;
use super::json::{HostJson, HostStateWord};
use super::output::{Out, Table};
use crate::present::sanitize;
use crate::remote::{Host, HostState, LOCAL, probe};
use std::time::{Duration, Instant};

/// One host's record, as a try left it.
fn row(host: &Host, state: &HostState) -> HostJson {
    HostJson {
        host: host.name.clone(),
        destination: Some(host.destination.clone()),
        state: HostStateWord::of(state),
        version: state.version().map(str::to_owned),
        latency_ms: match state {
            HostState::Live { latency, .. } => latency.map(|l| l.as_secs_f64() * 1000.0),
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
    let mut rows = vec![HostJson {
        host: LOCAL.to_owned(),
        destination: None,
        state: HostStateWord::Live,
        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        latency_ms: None,
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
        return out.json(&serde_json::to_value(&rows)?);
    }
    let mut table = Table::new(&["HOST", "STATE", "VERSION", "LATENCY", "WHY"]);
    for r in &rows {
        let state = serde_json::to_value(r.state)?;
        table.row(vec![
            sanitize::one_line(&r.host),
            state.as_str().unwrap_or_default().to_owned(),
            r.version
                .as_deref()
                .map_or_else(|| "-".to_owned(), sanitize::one_line),
            r.latency_ms
                .map_or_else(|| "-".to_owned(), |l| format!("{l:.0} ms")),
            r.why.as_deref().map(sanitize::one_line).unwrap_or_default(),
        ]);
    }
    table.print(out)?;
    Ok(())
}
