//! Taking a host's news: its state, its snapshot (the host's runs replaced by what it holds
//! now), and each change, shown to the observer like this machine's runs, so what newly needs
//! attention on any host is announced (a host's first snapshot only shows what it finds: it
//! was there before the dashboard looked).

use super::{HostNews, Said};
use crate::app::model::{CardKey, Model, RemoteCard};
use crate::events::{HostBead, Item};
use crate::persist::assignment::AssignmentStatus;
use crate::persist::run::{RemoteAttention, RemoteRun, RemoteState, RunSummary, remote_key};
use crate::present::attention::remote::judged;
use crate::remote::Update;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

impl Model {
    /// Takes what a host's connection reported.
    pub fn host_news(&mut self, news: HostNews, now: DateTime<Utc>) {
        let said = match news {
            HostNews::Status { host, status } => {
                if let Some(view) = self.hosts.get_mut(&host) {
                    view.status = status;
                }
                return;
            }
            HostNews::Said(said) => said,
        };
        match *said {
            Update::Capabilities { host, capabilities } => {
                if let Some(view) = self.hosts.get_mut(&host) {
                    view.capabilities = capabilities;
                }
            }
            Update::Snapshot { host, events } => {
                self.host_snapshot(&host, &events, now);
                self.picker_follows_hosts();
            }
            Update::Event { host, event } => {
                let Some(view) = self.hosts.get_mut(&host) else {
                    return;
                };
                view.last_data = Some(now);
                if let Some(said) = Said::read(&event) {
                    self.host_said(&host, said, now, true);
                }
                self.picker_follows_hosts();
            }
            Update::Waiting { host, id, what } => self.remote_waiting(&host, id, what),
            Update::Moved {
                host, id, outcome, ..
            } => self.remote_moved(&host, id, Ok(&outcome)),
            Update::Lost { host, id, why } => {
                if self
                    .corpus
                    .as_mut()
                    .is_some_and(|c| c.host_lost(&host, id, &why))
                {
                    return;
                }
                self.remote_moved(&host, id, Err(why.clone()));
                self.transcript.remote_lost(&host, id, &why);
            }
            Update::Tail { host, id, result } => self.transcript.remote_tail(&host, id, result),
            Update::Hits { host, id, hits } => self.host_search_hits(&host, id, &hits, now),
            Update::SearchEnd { host, id, done } => {
                if let Some(c) = &mut self.corpus {
                    c.host_end(&host, id, done);
                }
            }
            // States come as `Status`; subcommands run there are the CLI's.
            Update::State { .. } | Update::Output { .. } | Update::Exit { .. } => {}
        }
    }

    /// While the session picker is open, its rows of other hosts' sessions follow their cards.
    fn picker_follows_hosts(&mut self) {
        if let Some(crate::app::model::Overlay::Sessions(p)) = &mut self.overlay {
            p.set_hosts(self.board.host_sessions());
        }
    }

    /// Replaces what is shown of `host` with its snapshot.
    fn host_snapshot(&mut self, host: &str, events: &[serde_json::Value], now: DateTime<Utc>) {
        let Some(view) = self.hosts.get_mut(host) else {
            return;
        };
        view.last_data = Some(now);
        view.snapshots += 1;
        let announce = view.snapshots > 1;
        let said: Vec<Said> = events.iter().filter_map(Said::read).collect();
        // The runs it holds now; what else was shown of it is gone.
        let now_held: std::collections::HashSet<&str> = said
            .iter()
            .filter_map(|s| match s {
                Said::Run {
                    reference,
                    to: Some(_),
                    ..
                } => Some(reference.as_str()),
                _ => None,
            })
            .collect();
        let gone: Vec<(String, PathBuf)> = view
            .runs
            .iter()
            .filter(|(reference, _)| !now_held.contains(reference.as_str()))
            .map(|(r, k)| (r.clone(), k.clone()))
            .collect();
        for (reference, key) in gone {
            self.forget_remote_run(host, &reference, &key, now, announce);
        }
        // Its cards: the snapshot holds every one, and the condition of each that needs a look
        // (one it says nothing of is fine now).
        self.board.replace_host_cards(host, Vec::new());
        let judged: std::collections::HashSet<Item> = said
            .iter()
            .filter_map(|s| match s {
                Said::Attention {
                    kind, reference, ..
                } if kind == "bead" => reference
                    .split_once('/')
                    .map(|(session, bead)| CardKey::on_host(host, session, bead).item()),
                _ => None,
            })
            .collect();
        self.observer
            .forget_host_beads(host, |item| judged.contains(item));
        // Runs first, then conditions (the snapshot lists a run's condition after it, but a
        // condition never needs its run to come first).
        let (runs, rest): (Vec<Said>, Vec<Said>) = said
            .into_iter()
            .partition(|s| matches!(s, Said::Run { .. }));
        for s in runs.into_iter().chain(rest) {
            self.host_said(host, s, now, announce);
        }
    }

    /// Takes one thing a host said.
    fn host_said(&mut self, host: &str, said: Said, now: DateTime<Utc>, announce: bool) {
        let prefixed = self.hosts.several();
        match said {
            Said::Run {
                at,
                name,
                reference,
                dir,
                to,
                facts,
            } => {
                let key = remote_key(host, &dir);
                let Some(to) = to else {
                    return self.forget_remote_run(host, &reference, &key, now, announce);
                };
                let mut run = self.remote_run(&key).unwrap_or_else(|| RemoteRun {
                    host: host.to_owned(),
                    name: name.clone(),
                    reference: reference.clone(),
                    dir,
                    state: RemoteState::parse(&reference, &to),
                    attention: None,
                    repo: String::new(),
                    tmux_session: String::new(),
                    facts: None,
                    seen_at: at,
                    prefixed,
                });
                run.name = name;
                run.state = RemoteState::parse(&reference, &to);
                run.facts = facts.or(run.facts);
                run.seen_at = at;
                self.list_remote_run(host, reference, run, now, announce);
            }
            Said::Attention {
                at,
                kind,
                reference,
                level,
                reason,
                reason_code,
                key,
                state,
                session,
                repo,
                ..
            } if kind == "run" => {
                let Some(list_key) = self
                    .hosts
                    .get(host)
                    .and_then(|h| h.runs.get(&reference))
                    .cloned()
                else {
                    return;
                };
                let Some(mut run) = self.remote_run(&list_key) else {
                    return;
                };
                run.state = RemoteState::parse(&reference, &state);
                run.attention = Some(RemoteAttention {
                    level,
                    code: reason_code,
                    reason,
                    key,
                });
                run.repo = repo.unwrap_or_default();
                run.tmux_session = session.unwrap_or_default();
                run.seen_at = at;
                self.list_remote_run(host, reference, run, now, announce);
            }
            Said::Bead {
                at,
                session,
                name,
                title,
                to,
                pane,
                agent,
            } => {
                let key = CardKey::on_host(host, &session, &name);
                let Some(to) = to else {
                    self.observer.host_bead(&key.item(), None, now, announce);
                    return self.board.drop_remote_card(&key);
                };
                let attention = self
                    .board
                    .remote_card(&key)
                    .and_then(|c| c.attention.clone());
                self.board.put_remote_card(RemoteCard {
                    host: host.to_owned(),
                    session,
                    bead: name,
                    title,
                    status: AssignmentStatus::parse(&to),
                    pane,
                    agent,
                    attention,
                    seen_at: at,
                });
            }
            Said::Attention {
                at,
                kind,
                reference,
                level,
                reason,
                reason_code,
                key: situation,
                state,
                ..
            } if kind == "bead" => {
                let Some((session, bead)) = reference.split_once('/') else {
                    return;
                };
                let key = CardKey::on_host(host, session, bead);
                let Some(mut card) = self.board.remote_card(&key).cloned() else {
                    return;
                };
                // It counts, is listed by `i` and is announced as this machine's beads are.
                let condition = judged(&level, &reason_code, &reason, &situation);
                let said = HostBead {
                    name: key.shown_id(),
                    session: session.to_owned(),
                    state: state.clone(),
                };
                let events =
                    self.observer
                        .host_bead(&key.item(), Some((said, condition)), now, announce);
                self.queue_notices(events);
                card.attention = (level == "attention").then_some(reason);
                card.status = AssignmentStatus::parse(&state);
                card.seen_at = at;
                self.board.put_remote_card(card);
            }
            Said::Attention { .. } => {}
        }
    }

    /// The run listed under `key`, if it is another host's.
    fn remote_run(&self, key: &std::path::Path) -> Option<RemoteRun> {
        self.runs.get(key).and_then(|r| r.remote_run()).cloned()
    }

    fn list_remote_run(
        &mut self,
        host: &str,
        reference: String,
        run: RemoteRun,
        now: DateTime<Utc>,
        announce: bool,
    ) {
        let summary = self.runs.put_remote(RunSummary::remote(run));
        if let Some(view) = self.hosts.get_mut(host) {
            view.runs.insert(reference, summary.dir.clone());
        }
        if announce {
            self.observe_run(&summary.dir, now);
        } else {
            self.observer.run_quietly(&summary.dir, &summary, now);
        }
    }

    fn forget_remote_run(
        &mut self,
        host: &str,
        reference: &str,
        key: &std::path::Path,
        now: DateTime<Utc>,
        announce: bool,
    ) {
        if let Some(view) = self.hosts.get_mut(host) {
            view.runs.remove(reference);
        }
        self.runs.drop_remote(key);
        let events = self.observer.run::<RunSummary>(key, None, now);
        if announce {
            self.queue_notices(events);
        }
    }
}
