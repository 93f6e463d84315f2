//! Store changes under way. A board key starts a write on a worker and records it here, so a
//! second key on the same card cannot race it; the write may wait for another program's lock
//! (the screen says so, and Esc stops the wait); its outcome replaces the board's store and
//! says what happened.

use super::{Model, StatusKind};
use crate::app::effect::{Effect, StoreOp, WriteJob};
use crate::app::outcome::{WriteFailure, WriteReply};
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
    /// The session.
    pub session: String,
    /// The bead.
    pub bead: String,
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
    /// The store method, for a move on a seed-era store (what `u` can undo).
    pub op: Option<StoreOp>,
    /// The card as it was before the change.
    pub before: Option<crate::persist::assignment::Assignment>,
}

/// The last board move made here, as `u` undoes it.
#[derive(Debug, Clone)]
pub struct LastMove {
    /// The session.
    pub session: String,
    /// The bead.
    pub bead: String,
    /// The store method it was.
    pub op: StoreOp,
    /// The card before it (none for an assignment).
    pub before: Option<crate::persist::assignment::Assignment>,
    /// The card after it (none after a removal).
    pub after: Option<crate::persist::assignment::Assignment>,
}

impl PendingWrite {
    /// What it is doing now: the step being run, or the write.
    fn progress(&self) -> String {
        self.step
            .clone()
            .unwrap_or_else(|| format!("writing ({})", self.verb))
    }

    /// One line for the status bar, computed when drawn.
    #[must_use]
    pub fn describe(&self) -> String {
        match (&self.waiting, self.cancelling) {
            (_, true) => format!("{}: stopping the wait…", self.bead),
            (Some(what), false) => format!(
                "{} {}: waiting for {what}… Esc cancels",
                self.bead, self.verb
            ),
            (None, false) => format!("{}: {}…", self.bead, self.progress()),
        }
    }
}

impl Model {
    /// The change under way for `bead` in `session`, if any.
    #[must_use]
    pub fn pending_write(&self, session: &str, bead: &str) -> Option<&PendingWrite> {
        self.writes
            .iter()
            .find(|w| w.session == session && w.bead == bead)
    }

    /// Starts `op` on `bead` in `session` on a worker, unless a change to that card is still
    /// under way (then says so and does nothing).
    pub fn begin_write(&mut self, session: &str, bead: &str, op: StoreOp) {
        let verb = op.verb().to_owned();
        let ntm = self.roots.ntm.clone();
        let lock_timeout = self.settings.lock_timeout;
        let before = self
            .board
            .card(&super::CardKey::new(session, bead))
            .cloned();
        let recorded = op.clone();
        let started = self.begin_change(session, bead, verb, |id, cancel| {
            Effect::Write(WriteJob {
                id,
                ntm,
                session: session.to_owned(),
                bead: bead.to_owned(),
                op,
                cancel,
                lock_timeout,
            })
        });
        if started && let Some(w) = self.writes.last_mut() {
            w.op = Some(recorded);
            w.before = before;
        }
    }

    /// Starts a change to `bead` in `session` (the effect `make` builds from the change's id
    /// and cancel flag), unless a change to that card is still under way (then says so and
    /// does nothing). Returns whether it started.
    pub fn begin_change(
        &mut self,
        session: &str,
        bead: &str,
        verb: String,
        make: impl FnOnce(u64, Arc<AtomicBool>) -> Effect,
    ) -> bool {
        if let Some(w) = self.pending_write(session, bead) {
            let text = format!(
                "{bead}: the last change ({}) is still under way; wait for it or press Esc",
                w.verb
            );
            self.say(StatusKind::Info, text);
            return false;
        }
        let id = self.next_write_id;
        self.next_write_id += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        self.outbox.push(make(id, Arc::clone(&cancel)));
        self.writes.push(PendingWrite {
            id,
            session: session.to_owned(),
            bead: bead.to_owned(),
            verb,
            waiting: None,
            cancel,
            cancelling: false,
            step: None,
            op: None,
            before: None,
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
        let mut any = false;
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

    /// Takes a finished write: the board shows the store as the write left it, the card stays
    /// selected, and the status line says what happened (or the store's own error text).
    pub fn finish_write(&mut self, reply: WriteReply, now: DateTime<Utc>) {
        let pending = self.writes.iter().find(|w| w.id == reply.id).cloned();
        let verb = pending
            .as_ref()
            .map_or_else(|| "changed".to_owned(), |w| w.verb.clone());
        self.writes.retain(|w| w.id != reply.id);
        if let (
            Some(PendingWrite {
                op: Some(op),
                before,
                ..
            }),
            Ok(after),
        ) = (pending, &reply.result)
        {
            self.last_move = Some(LastMove {
                session: reply.session.clone(),
                bead: reply.bead.clone(),
                op,
                before,
                after: after.clone(),
            });
        }
        let WriteReply {
            session,
            bead,
            store,
            result,
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
        // Shown: the open session's board, or the all-sessions board (which now has it).
        let open = self.board.shows(&session);
        let follow = |board: &mut super::BoardPane, bead: &str| {
            board.follow(super::CardKey::new(&session, bead));
        };
        match result {
            Ok(record) if message.is_some() => {
                if let (true, Some(record)) = (open, &record) {
                    follow(&mut self.board, &record.bead_id);
                } else {
                    self.board.fix_selection();
                }
                self.say(StatusKind::Success, message.unwrap_or_default());
            }
            Ok(Some(record)) => {
                let place = if open && !self.board.is_merged() {
                    String::new()
                } else {
                    format!(" in session {session}")
                };
                let text = format!(
                    "{} {}: now {}{place} (pane {}, {})",
                    record.bead_id, verb, record.status, record.pane, record.agent_type
                );
                if open {
                    follow(&mut self.board, &record.bead_id);
                }
                self.say(StatusKind::Success, text);
            }
            Ok(None) => {
                self.board.fix_selection();
                self.say(StatusKind::Success, format!("removed {bead}"));
            }
            Err(WriteFailure::Cancelled(why)) => {
                self.board.fix_selection();
                self.say(
                    StatusKind::Warning,
                    format!("{bead}: {why}; nothing was written"),
                );
            }
            Err(WriteFailure::Error(why)) => {
                self.board.fix_selection();
                self.say(StatusKind::Error, why);
            }
        }
        if let Some(problem) = history_problem {
            self.say(StatusKind::Warning, problem);
        }
        if let Some(records) = records {
            self.observe_records(&session, &records, now);
        }
    }
}
