//! Store changes under way. A board key starts a batch of moves (one card, or every marked
//! card) as worker jobs and records each job here, so a second key on the same card cannot race
//! it; a job may wait for another program's lock (the screen says so, and Esc stops the wait);
//! its outcome replaces the board's store, and the last job of a batch says what happened
//! (`batch.rs`).

use super::batch::NtmMoved;
use super::{CardKey, Model, StatusKind};
use crate::app::effect::{Effect, Move, WriteJob};
use crate::app::outcome::WriteReply;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long the dashboard waits for another program's lock before giving up by itself (NTM
/// can hold a bead's lock for about 30 s; Esc stops sooner).
pub const BOARD_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// A store change under way.
#[derive(Debug, Clone)]
pub struct PendingWrite {
    /// Its id.
    pub id: u64,
    /// The batch it belongs to.
    pub batch: u64,
    /// The session.
    pub session: String,
    /// The beads it changes.
    pub beads: Vec<String>,
    /// What it does, in words (`started`, `retried through ntm`).
    pub verb: String,
    /// What it waits for (`NTM's lock on qa`), once it has to wait.
    pub waiting: Option<String>,
    /// Set to stop waiting.
    pub cancel: Arc<AtomicBool>,
    /// The user asked to stop waiting.
    pub cancelling: bool,
    /// The step under way, when the change is a command being run (`running: ntm assign …`).
    pub step: Option<String>,
    /// On a store of today's NTM: what the change is, as undo needs to know it.
    pub ntm: Option<NtmMoved>,
    /// The host whose store it changes (`None`: this machine's; see `hosts/moves.rs`).
    pub host: Option<String>,
}

impl PendingWrite {
    /// What it is doing now: the step being run, or the write.
    fn progress(&self) -> String {
        self.step
            .clone()
            .unwrap_or_else(|| format!("writing ({})", self.verb))
    }

    /// The card it changes, or how many.
    fn what(&self) -> String {
        match (self.beads.as_slice(), &self.host) {
            ([bead], Some(host)) => crate::present::naming::on_host(host, bead),
            ([bead], None) => bead.clone(),
            (beads, _) => format!("{} cards in {}", beads.len(), self.session),
        }
    }

    /// One line for the status bar, computed when drawn.
    #[must_use]
    pub fn describe(&self) -> String {
        let what = self.what();
        match (&self.waiting, self.cancelling) {
            (_, true) => format!("{what}: stopping the wait…"),
            (Some(wait), false) => {
                format!("{what} {}: waiting for {wait}… Esc cancels", self.verb)
            }
            (None, false) => format!("{what}: {}…", self.progress()),
        }
    }
}

impl Model {
    /// The change under way for `bead` in `session` of this machine, if any.
    #[must_use]
    pub fn pending_write(&self, session: &str, bead: &str) -> Option<&PendingWrite> {
        self.writes
            .iter()
            .find(|w| w.host.is_none() && w.session == session && w.beads.iter().any(|b| b == bead))
    }

    /// Starts `moves` of batch `batch` in `session`'s store, in order, as one job on a worker.
    pub fn begin_moves(&mut self, batch: u64, session: &str, moves: Vec<Move>, verb: &str) {
        let (ntm, lock_timeout) = (self.roots.ntm.clone(), self.settings.lock_timeout);
        let beads = moves.iter().map(|m| m.bead.clone()).collect();
        self.begin_change(
            batch,
            session,
            beads,
            verb.to_owned(),
            None,
            |id, cancel| {
                Effect::Write(WriteJob {
                    id,
                    ntm,
                    session: session.to_owned(),
                    moves,
                    cancel,
                    lock_timeout,
                })
            },
        );
    }

    /// Starts a change of `beads` in `session` for batch `batch` (the effect `make` builds
    /// from the change's id and cancel flag), unless a change to one of them is still under
    /// way (then that card is refused in the batch, and nothing starts). `ntm`: what the
    /// change is on a store of today's NTM. Returns whether it started.
    pub fn begin_change(
        &mut self,
        batch: u64,
        session: &str,
        beads: Vec<String>,
        verb: String,
        ntm: Option<NtmMoved>,
        make: impl FnOnce(u64, Arc<AtomicBool>) -> Effect,
    ) -> bool {
        let busy: Vec<(String, String)> = beads
            .iter()
            .filter_map(|b| {
                self.pending_write(session, b)
                    .map(|w| (b.clone(), w.verb.clone()))
            })
            .collect();
        if !busy.is_empty() {
            for (bead, verb) in busy {
                let text = format!(
                    "{bead}: the last change ({verb}) is still under way; wait for it or press Esc"
                );
                let brief = format!("{bead}: a change is still under way");
                self.refuse_in_batch(batch, &CardKey::new(session, &bead), text, brief);
            }
            return false;
        }
        let id = self.next_write_id;
        self.next_write_id += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        self.outbox.push(make(id, Arc::clone(&cancel)));
        if let Some(b) = self.batches.iter_mut().find(|b| b.id == batch) {
            b.jobs += 1;
        }
        self.writes.push(PendingWrite {
            id,
            batch,
            session: session.to_owned(),
            beads,
            verb,
            waiting: None,
            cancel,
            cancelling: false,
            step: None,
            ntm,
            host: None,
        });
        true
    }

    /// Notes the step a change is running (`running: ntm assign …`).
    pub fn write_step(&mut self, id: u64, step: String) {
        if let Some(w) = self.writes.iter_mut().find(|w| w.id == id) {
            w.step = Some(step);
            w.waiting = None;
        }
    }

    /// Notes that write `id` waits for a lock.
    pub fn write_waiting(&mut self, id: u64, what: String) {
        if let Some(w) = self.writes.iter_mut().find(|w| w.id == id) {
            w.waiting = Some(what);
        }
    }

    /// Stops every wait for a lock and every command being run (Esc). Returns whether there
    /// was one.
    pub fn cancel_waits(&mut self) -> bool {
        let mut any = self.stop_waiting_for_hosts();
        for w in self
            .writes
            .iter_mut()
            .filter(|w| w.waiting.is_some() || w.step.is_some())
        {
            w.cancel.store(true, Ordering::Relaxed);
            w.cancelling = true;
            any = true;
        }
        any
    }

    /// Takes a finished write: the board shows the store as the write left it, a card moved
    /// alone stays selected, and its batch gathers the outcomes (the last job says them).
    pub fn finish_write(&mut self, reply: WriteReply, now: DateTime<Utc>) {
        let pending = self.writes.iter().find(|w| w.id == reply.id).cloned();
        self.writes.retain(|w| w.id != reply.id);
        let WriteReply {
            session,
            store,
            moves,
            history_problem,
            message,
            ..
        } = reply;
        let records = store
            .as_ref()
            .map(crate::persist::assignment::AssignmentStore::get_all);
        if let Some(store) = store {
            if !self.board.sessions.contains(&session) {
                self.board.reload_sessions();
            }
            self.board.apply_written(&session, store);
        }
        self.board.fix_selection();
        // A card moved alone stays selected where it went (not on the all-sessions board's
        // other sessions, which the board may not show).
        if let [done] = moves.as_slice()
            && let Ok(Some(record)) = &done.result
            && self.board.shows(&session)
        {
            self.board.follow(CardKey::new(&session, &record.bead_id));
        }
        let batch = pending.as_ref().map(|w| w.batch);
        if let Some(b) = self.batches.iter_mut().find(|b| Some(b.id) == batch) {
            b.jobs = b.jobs.saturating_sub(1);
            if message.is_some() {
                b.message = message;
            }
            for done in moves {
                let key = CardKey::new(&session, &done.bead);
                if done.result.is_ok()
                    && let Some(ntm) = pending.as_ref().and_then(|w| w.ntm.clone())
                {
                    b.ntm.push((key.clone(), ntm));
                }
                b.changes
                    .extend(done.changes.into_iter().map(|c| (session.clone(), c)));
                b.results.push((key, done.result));
            }
        }
        if let Some(batch) = batch {
            self.settle_batch(batch);
        }
        if let Some(problem) = history_problem {
            self.say(StatusKind::Warning, problem);
        }
        if let Some(records) = records {
            self.observe_records(&session, &records, now);
        }
    }
}
