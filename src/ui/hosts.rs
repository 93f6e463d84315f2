//! How the hosts are shown: each host's state in words (connecting, live with its latency,
//! stale with the age of its last data, down with why and when the next try is, every time
//! worded against the clock when drawn), the header's compact strip, the line the Runs pane
//! gives to hosts that are not live, and the `?` help's section with every host.

use super::Theme;
use crate::app::model::{HostStatus, HostView, Hosts};
use crate::present::{sanitize, text, time};
use chrono::{DateTime, Utc};
use ratatui::style::Style;
use ratatui::text::Span;

/// A glyph for the state: `●` live, `◌` connecting, `◐` stale, `✗` down.
#[must_use]
pub fn glyph(status: &HostStatus) -> &'static str {
    match status {
        HostStatus::Live { .. } => "●",
        HostStatus::Connecting { .. } => "◌",
        HostStatus::Stale { .. } => "◐",
        HostStatus::Down { .. } => "✗",
    }
}

/// The state's colour.
#[must_use]
pub fn style(status: &HostStatus, t: &Theme) -> Style {
    match status {
        HostStatus::Live { .. } => t.good(),
        HostStatus::Connecting { .. } => t.muted(),
        HostStatus::Stale { .. } => t.warning(),
        HostStatus::Down { .. } => t.error(),
    }
}

/// The state in a few words: `live 12ms`, `connecting`, `stale 2m`, `down, retry in 8s`.
#[must_use]
pub fn brief(status: &HostStatus, now: DateTime<Utc>) -> String {
    match status {
        HostStatus::Live {
            latency: Some(l), ..
        } => format!("live {}", time::humanize(*l)),
        HostStatus::Live { latency: None, .. } => "live".to_owned(),
        HostStatus::Connecting { .. } => "connecting".to_owned(),
        HostStatus::Stale { last_data, .. } => {
            format!(
                "stale {}",
                time::ago(now, *last_data).trim_end_matches(" ago")
            )
        }
        HostStatus::Down { retry_at, .. } => format!("down, {}", retry(*retry_at, now)),
    }
}

/// `retry in 8s`, or `retrying` once the moment has come (or is under a second away).
fn retry(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at.signed_duration_since(now) >= chrono::Duration::seconds(1) {
        format!("retry {}", time::ago(now, at))
    } else {
        "retrying".to_owned()
    }
}

/// The state in full: the brief, the version, and for a down host why.
#[must_use]
pub fn full(host: &HostView, now: DateTime<Utc>) -> String {
    let name = sanitize::one_line(&host.name);
    match &host.status {
        HostStatus::Live { version, .. } => {
            format!("{name}: {} (beadboard {version})", brief(&host.status, now))
        }
        HostStatus::Connecting { since, attempt } => {
            let trying = time::ago(now, *since);
            if trying == "now" {
                format!("{name}: connecting (try {attempt})")
            } else {
                format!(
                    "{name}: connecting (try {attempt}, for {})",
                    trying.trim_end_matches(" ago")
                )
            }
        }
        HostStatus::Stale { version, last_data } => format!(
            "{name}: stale, silent since {}; its last data is shown (beadboard {version})",
            time::ago(now, *last_data)
        ),
        HostStatus::Down { why, at, retry_at } => format!(
            "{name}: down {}, {}: {}",
            time::ago(now, *at),
            retry(*retry_at, now),
            sanitize::one_line(&why.to_string())
        ),
    }
}

/// The header's strip: `local ● gpu1 ● 12ms vm ✗` when `wide`, else `hosts 2/3` (live of
/// all), coloured by the worst state. Empty when only one host is shown.
#[must_use]
pub fn strip(hosts: &Hosts, t: &Theme, wide: bool, now: DateTime<Utc>) -> Vec<Span<'static>> {
    if !hosts.several() {
        return Vec::new();
    }
    if wide {
        let mut spans = vec![Span::styled(" ·", t.muted())];
        if hosts.local {
            spans.push(Span::styled(" local ●", t.good()));
        }
        for h in &hosts.list {
            let words = match &h.status {
                HostStatus::Live {
                    latency: Some(l), ..
                } => format!(" {}", time::humanize(*l)),
                HostStatus::Live { .. } | HostStatus::Connecting { .. } => String::new(),
                other => format!(" {}", brief(other, now)),
            };
            spans.push(Span::styled(
                format!(
                    " {} {}{words}",
                    text::truncate(&sanitize::one_line(&h.name), 12),
                    glyph(&h.status)
                ),
                style(&h.status, t),
            ));
        }
        return spans;
    }
    let (live, _) = hosts.counts();
    let shown = usize::from(hosts.local) + hosts.list.len();
    let worst = hosts
        .list
        .iter()
        .map(|h| &h.status)
        .max_by_key(|s| match s {
            HostStatus::Live { .. } => 0,
            HostStatus::Connecting { .. } => 1,
            HostStatus::Stale { .. } => 2,
            HostStatus::Down { .. } => 3,
        });
    let colour = worst.map_or_else(|| t.good(), |s| style(s, t));
    vec![Span::styled(
        format!(" ⇅{}/{shown}", live + usize::from(hosts.local)),
        colour,
    )]
}

/// The Runs pane's line for hosts that are not live (the first, and how many more), or
/// `None` when every host is live or only one is shown.
#[must_use]
pub fn trouble(hosts: &Hosts, t: &Theme, now: DateTime<Utc>) -> Option<Vec<Span<'static>>> {
    if !hosts.several() {
        return None;
    }
    let mut troubled = hosts.list.iter().filter(|h| !h.status.is_live());
    let first = troubled.next()?;
    let more = troubled.count();
    let mut spans = vec![Span::styled(
        format!("{} {}", glyph(&first.status), full(first, now)),
        style(&first.status, t),
    )];
    if more > 0 {
        spans.push(Span::styled(format!(" (+{more} more: ?)"), t.muted()));
    }
    Some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn states_are_worded_against_the_clock() {
        let now = at("2026-03-30T09:00:10Z");
        let down = HostStatus::Down {
            why: crate::remote::DownReason::Ended {
                host: "vm".to_owned(),
                how: "exit 255".to_owned(),
                detail: "ssh: no route".to_owned(),
            },
            at: at("2026-03-30T09:00:00Z"),
            retry_at: at("2026-03-30T09:00:18Z"),
        };
        assert_eq!(brief(&down, now), "down, retry in 8s");
        assert_eq!(brief(&down, at("2026-03-30T09:00:19Z")), "down, retrying");
        let stale = HostStatus::Stale {
            version: "0.1.0".to_owned(),
            last_data: at("2026-03-30T08:58:10Z"),
        };
        assert_eq!(brief(&stale, now), "stale 2m");
        let live = HostStatus::Live {
            version: "0.1.0".to_owned(),
            latency: Some(Duration::from_millis(12)),
        };
        assert_eq!(brief(&live, now), "live 12ms");
    }
}
