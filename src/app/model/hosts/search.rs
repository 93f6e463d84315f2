//! `F` on other hosts: the search is asked of every live (or stale) host on its channel, and a
//! host down or still connecting is said not to be searched, with why, rather than waited for.
//! Each match a host sends (a `search --json` line) is listed with its run: the run as the
//! host's snapshot listed it, or, for one not listed (finished long ago), a run made of what
//! the match says, named with its host. Stopping the search tells each host still searching
//! that can cancel to stop.

use crate::app::effect::Effect;
use crate::app::model::Model;
use crate::app::model::corpus::{HostSearch, HostSearchState};
use crate::persist::gojson::parse_time;
use crate::persist::run::{RemoteRun, RemoteState, RunSummary};
use crate::remote::HostState;
use crate::remote::protocol::SearchSpec;
use crate::search::{Hit, Target};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::Arc;

impl Model {
    /// Asks every other host shown to search for `spec` as request `id`; each host's part, to
    /// be shown with the results.
    pub fn search_hosts(&mut self, spec: &SearchSpec, id: u64) -> Vec<HostSearch> {
        let mut parts = Vec::with_capacity(self.hosts.list.len());
        for h in &self.hosts.list {
            let state = match &h.status {
                HostState::Live { .. } | HostState::Stale { .. } => {
                    self.outbox.push(Effect::HostSearch {
                        host: h.name.clone(),
                        id,
                        spec: Box::new(spec.clone()),
                    });
                    HostSearchState::Searching
                }
                HostState::Connecting { .. } => HostSearchState::NotSearched("connecting".into()),
                HostState::Down { why, .. } => HostSearchState::NotSearched(format!("down: {why}")),
            };
            parts.push(HostSearch {
                host: h.name.clone(),
                state,
                hits: 0,
            });
        }
        parts
    }

    /// Stops the search shown (Esc, a newer search, the list closed): its worker, and every
    /// host still searching it whose hello lists `cancel` is told to stop (the others search
    /// on, their matches dropped).
    pub fn stop_search(&mut self) {
        let Some(c) = &mut self.corpus else {
            return;
        };
        let hosts = &self.hosts;
        let told = c.stop(|host| hosts.can(host, "cancel"));
        let id = c.host_request_id();
        self.outbox
            .extend(told.into_iter().map(|host| Effect::HostCancel { host, id }));
    }

    /// Takes matches `host` sent for request `id` (dropped when not the search shown).
    pub(super) fn host_search_hits(
        &mut self,
        host: &str,
        id: u64,
        hits: &[Value],
        now: DateTime<Utc>,
    ) {
        let found: Vec<(Target, Hit)> = hits
            .iter()
            .filter_map(|v| self.host_hit(host, v, now))
            .collect();
        if let Some(c) = &mut self.corpus {
            c.host_hits(host, id, found);
        }
    }

    /// One match of `host` and its run; `None` for a line without the fields it needs.
    fn host_hit(&self, host: &str, v: &Value, now: DateTime<Utc>) -> Option<(Target, Hit)> {
        let field = |name: &str| v.get(name).and_then(Value::as_str);
        let reference = field("reference")?;
        let hit = Hit {
            target: 0,
            offset: v.get("offset")?.as_u64()?,
            line: v.get("line")?.as_u64()?,
            entry_type: field("type")?.to_owned(),
            time: field("time").and_then(|t| parse_time(t).ok()),
            text: field("text")?.to_owned(),
        };
        let listed = self
            .hosts
            .get(host)
            .and_then(|h| h.runs.get(reference))
            .and_then(|key| self.runs.get_shared(key));
        let target = match listed {
            Some(run) => Target::new(Arc::clone(run)),
            None => Target::of(&RunSummary::remote(RemoteRun {
                host: host.to_owned(),
                name: field("name")?.to_owned(),
                reference: reference.to_owned(),
                dir: reference.into(),
                state: RemoteState::parse(reference, ""),
                attention: None,
                repo: String::new(),
                tmux_session: String::new(),
                seen_at: now,
                prefixed: true,
                facts: None,
            })),
        };
        Some((target, hit))
    }
}
