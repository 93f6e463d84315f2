//! Moves on other hosts' cards: each is sent on its host's channel with the state the card
//! showed (a host whose bead moved on since refuses it, never obeys) and an idempotency key
//! (a retry after a dropped channel is answered, not made twice). It is a batch of one, like a
//! local move: while it is under way the status line and the card say so (waiting for the
//! host's lock, when the host says it waits), Esc stops waiting for the answer, and the answer
//! is said as a local one is, refusals included.

use crate::app::effect::Effect;
use crate::app::model::{CardKey, Model, MoveKind, StatusKind};
use crate::app::outcome::WriteFailure;
use crate::app::work::hosts::MOVE_IDS;
use crate::remote::protocol::{Expected, Move, MoveAction, MoveOutcome, MoveResult};

impl Model {
    /// Sends `action` for the other host's card `key`, said as `verb` (`started`).
    pub fn begin_remote_move(&mut self, key: &CardKey, action: MoveAction, verb: &str) {
        let (Some(host), Some(card)) = (key.host.clone(), self.board.remote_card(key).cloned())
        else {
            let text = format!("{} is no longer on the board", key.shown_id());
            return self.say(StatusKind::Error, text);
        };
        if self.remote_write(key).is_some() {
            let text = format!(
                "{}: the last change is still under way; wait for it or press Esc",
                key.shown_id()
            );
            return self.say(StatusKind::Error, text);
        }
        let batch = self.new_batch(verb, MoveKind::Move);
        let mv = Move {
            session: key.session.clone(),
            bead: key.bead.clone(),
            action,
            expected: Expected {
                status: Some(card.status.as_str().to_owned()),
                pane: Some(card.pane),
                agent_type: Some(card.agent.clone()),
            },
        };
        let started = self.begin_change(
            batch,
            &key.session,
            vec![key.bead.clone()],
            verb.to_owned(),
            None,
            |id, _| Effect::HostMove {
                host: host.clone(),
                id: MOVE_IDS + id,
                mv: Box::new(mv),
            },
        );
        if started && let Some(w) = self.writes.last_mut() {
            w.host = Some(host);
        }
        self.settle_batch(batch);
    }

    /// The move under way for the other host's card `key`, if any.
    #[must_use]
    pub fn remote_write(&self, key: &CardKey) -> Option<&crate::app::model::PendingWrite> {
        self.writes
            .iter()
            .find(|w| w.host == key.host && w.session == key.session && w.beads.contains(&key.bead))
    }

    /// The write of `host` whose request is `id`.
    fn remote_write_at(&self, host: &str, id: u64) -> Option<usize> {
        self.writes
            .iter()
            .position(|w| w.host.as_deref() == Some(host) && MOVE_IDS + w.id == id)
    }

    /// The host says the move `id` waits for a lock.
    pub fn remote_waiting(&mut self, host: &str, id: u64, what: String) {
        if let Some(at) = self.remote_write_at(host, id) {
            self.writes[at].waiting = Some(format!("{what} on {host}"));
        }
    }

    /// The host's answer to the move `id` (`Err`: it was lost, with why).
    pub fn remote_moved(&mut self, host: &str, id: u64, answer: Result<&MoveOutcome, String>) {
        let Some(at) = self.remote_write_at(host, id) else {
            return;
        };
        let w = self.writes.remove(at);
        let key = CardKey::on_host(host, &w.session, w.beads.first().map_or("", String::as_str));
        let shown = key.shown_id();
        let (result, message) = match answer {
            Ok(o) if o.outcome == MoveResult::Applied => {
                let said = if o.lines.is_empty() {
                    format!("{shown} {} on {host}", w.verb)
                } else {
                    format!("{host}: {}", o.lines.join(" · "))
                };
                let again = if o.replayed {
                    " (its first try's answer: it was made once)"
                } else {
                    ""
                };
                (Ok(None), Some(format!("{said}{again}")))
            }
            Ok(o) => {
                let why = o.reason.clone().unwrap_or_else(|| "refused".to_owned());
                let failure = if o.outcome == MoveResult::Refused {
                    WriteFailure::Refused {
                        text: format!("{host}: {why}"),
                        brief: format!(
                            "{shown}: {}",
                            o.reason_code.as_deref().unwrap_or("refused")
                        ),
                    }
                } else {
                    WriteFailure::Error(format!("{host}: {why}"))
                };
                (Err(failure), None)
            }
            Err(why) => (
                Err(WriteFailure::Error(format!(
                    "{shown}: the move's answer was lost ({why}); {host}'s board shows whether it was made"
                ))),
                None,
            ),
        };
        if let Some(b) = self.batches.iter_mut().find(|b| b.id == w.batch) {
            b.jobs = b.jobs.saturating_sub(1);
            if message.is_some() {
                b.message = message;
            }
            b.results.push((key, result));
        }
        self.settle_batch(w.batch);
    }

    /// Esc: stops waiting for every host's answer (the host may still make the move: its
    /// board will show it). Returns whether there was one.
    pub(crate) fn stop_waiting_for_hosts(&mut self) -> bool {
        let waiting: Vec<(String, u64)> = self
            .writes
            .iter()
            .filter_map(|w| w.host.clone().map(|h| (h, MOVE_IDS + w.id)))
            .collect();
        for (host, id) in &waiting {
            let why = format!("stopped waiting for {host}'s answer; {host} may still make it");
            self.remote_moved(host, *id, Err(why));
        }
        !waiting.is_empty()
    }
}

/// The move a board key's store method is on another host (`None`: not one made there).
#[must_use]
pub fn action_of(op: &crate::app::effect::StoreOp) -> Option<MoveAction> {
    use crate::app::effect::StoreOp;
    Some(match op {
        StoreOp::Start => MoveAction::Start,
        StoreOp::Complete => MoveAction::Complete,
        StoreOp::Fail(reason) => MoveAction::Fail {
            reason: reason.clone(),
        },
        StoreOp::Reassign {
            pane,
            agent_type,
            agent_name,
        } => MoveAction::Reassign {
            pane: Some(pane.to_string()),
            agent_type: Some(agent_type.clone()),
            agent_name: agent_name.clone(),
        },
        StoreOp::Retry => MoveAction::Retry,
        StoreOp::Remove => MoveAction::Remove { force: false },
        StoreOp::Undo(_) | StoreOp::Redo(_) | StoreOp::Assign { .. } => return None,
    })
}
