//! Moves as the board makes them: a batch of one card or of every marked card, possibly in
//! several sessions (one worker job per seed-era store, one per card of today's NTM), whose
//! outcomes are gathered until the last job is back and then summed up in one status message
//! (`3 retried, 1 refused: qa-c1 is completed`). What a finished batch did, exactly, is what
//! `u` takes back and redoes ([`UndoState`]).

use super::{CardKey, Model, StatusKind};
use crate::app::effect::NtmWriteOp;
use crate::app::outcome::WriteFailure;
use crate::persist::assignment::{Assignment, RecordChange};

/// What a batch does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    /// A move (a board key).
    Move,
    /// Taking the last move back.
    Undo,
    /// Making an undone move again.
    Redo,
}

/// A move on a store of today's NTM (schema 9), as undo needs to know it: such moves are not
/// taken back by writing the file; some go back through `ntm assign`, the others cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NtmMoved {
    /// A direct write (start, or a complete/fail request).
    Direct(NtmWriteOp),
    /// `ntm assign` assigned the bead.
    Assigned,
    /// `ntm assign --reassign` moved it, from this `%N` pane (if it had one).
    Reassigned(Option<String>),
    /// `ntm assign --retry`.
    Retried,
    /// `ntm assign --clear`.
    Removed,
}

/// What a finished move did: exactly, record by record, on seed-era stores; and what it did on
/// stores of today's NTM.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The move, in the past tense (`retried`).
    pub verb: String,
    /// Each record changed, with its session, in the order the changes were made.
    pub changes: Vec<(String, RecordChange)>,
    /// Cards of today's NTM it moved.
    pub ntm: Vec<(CardKey, NtmMoved)>,
}

/// What `u` does next: nothing, undo the last move, or redo the move just undone.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum UndoState {
    /// No move made here yet (or the last one could not be kept).
    #[default]
    Empty,
    /// `u` takes this move back.
    Undo(Moved),
    /// `u` (or Ctrl-R) makes this move again: the changes the undo made, to take back.
    Redo(Moved),
}

/// A batch under way: its jobs' outcomes as they come back.
#[derive(Debug, Clone)]
pub struct Batch {
    /// Its id (each pending write names its batch).
    pub id: u64,
    /// The move, in the past tense (`retried`); for an undo or redo, the move undone.
    pub verb: String,
    /// What it does.
    pub kind: MoveKind,
    /// Jobs still under way.
    pub jobs: usize,
    /// Each card's outcome (the changed record, or why not), in the order they came.
    pub results: Vec<(CardKey, Result<Option<Assignment>, WriteFailure>)>,
    /// What was done exactly, for the next undo.
    pub changes: Vec<(String, RecordChange)>,
    /// Cards of today's NTM moved.
    pub ntm: Vec<(CardKey, NtmMoved)>,
    /// What to say instead of the summary (a schema-9 request or an `ntm` run of one card).
    pub message: Option<String>,
    /// What `u` did before this batch (an undo or redo that changes nothing leaves it).
    pub prior: UndoState,
}

impl Model {
    /// Starts a batch (its jobs are started with [`Model::begin_change`]); returns its id.
    pub fn new_batch(&mut self, verb: &str, kind: MoveKind) -> u64 {
        let id = self.next_write_id;
        self.next_write_id += 1;
        let prior = match kind {
            MoveKind::Move => self.undo.clone(),
            MoveKind::Undo | MoveKind::Redo => std::mem::take(&mut self.undo),
        };
        self.batches.push(Batch {
            id,
            verb: verb.to_owned(),
            kind,
            jobs: 0,
            results: Vec::new(),
            changes: Vec::new(),
            ntm: Vec::new(),
            message: None,
            prior,
        });
        id
    }

    /// Notes a card refused before any job started (it is in the summary like the others).
    pub fn refuse_in_batch(&mut self, batch: u64, key: &CardKey, why: String, brief: String) {
        if let Some(b) = self.batches.iter_mut().find(|b| b.id == batch) {
            let failure = WriteFailure::Refused { text: why, brief };
            b.results.push((key.clone(), Err(failure)));
        }
    }

    /// Ends the batch if no job of it is under way (all its cards were refused up front, or
    /// its last job is back): the undo state is set and the outcome said.
    pub fn settle_batch(&mut self, batch: u64) {
        let Some(at) = self
            .batches
            .iter()
            .position(|b| b.id == batch && b.jobs == 0)
        else {
            return;
        };
        let b = self.batches.remove(at);
        let moved = Moved {
            verb: b.verb.clone(),
            changes: b.changes.clone(),
            ntm: b.ntm.clone(),
        };
        let anything = !moved.changes.is_empty() || !moved.ntm.is_empty();
        self.undo = match (b.kind, anything) {
            (MoveKind::Move | MoveKind::Redo, true) => UndoState::Undo(moved),
            (MoveKind::Undo, true) => UndoState::Redo(moved),
            (_, false) => b.prior.clone(),
        };
        let place = self
            .board
            .session
            .clone()
            .filter(|_| !self.board.is_merged());
        let (kind, text) = summary(&b, place.as_deref());
        if !text.is_empty() {
            self.say(kind, text);
        }
    }
}

/// What a finished batch says: one card's outcome in full, or the count done and each refusal
/// in a few words.
/// `open`: the session whose board is shown alone (its cards need no session named).
fn summary(b: &Batch, open: Option<&str>) -> (StatusKind, String) {
    let ok = b.results.iter().filter(|(_, r)| r.is_ok()).count();
    let verb = match b.kind {
        MoveKind::Move => b.verb.clone(),
        MoveKind::Undo => "undone".to_owned(),
        MoveKind::Redo => "redone".to_owned(),
    };
    if let [(key, result)] = b.results.as_slice() {
        return match result {
            Ok(_) if b.message.is_some() => {
                (StatusKind::Success, b.message.clone().unwrap_or_default())
            }
            Ok(record) => {
                let place = if open == Some(key.session.as_str()) {
                    String::new()
                } else {
                    format!(" in session {}", key.session)
                };
                (StatusKind::Success, one(b, key, record.as_ref(), &place))
            }
            Err(WriteFailure::Cancelled(why)) => (
                StatusKind::Warning,
                format!("{}: {why}; nothing was written", key.bead),
            ),
            Err(WriteFailure::Refused { text, .. } | WriteFailure::Error(text)) => {
                (StatusKind::Error, text.clone())
            }
        };
    }
    let refused: Vec<String> = b
        .results
        .iter()
        .filter_map(|(k, r)| r.as_ref().err().map(|e| e.brief(&k.bead)))
        .collect();
    let kind = match (ok, refused.len()) {
        (_, 0) => StatusKind::Success,
        (0, _) => StatusKind::Error,
        _ => StatusKind::Warning,
    };
    let mut text = format!("{ok} {verb}");
    if !refused.is_empty() {
        text.push_str(&format!(
            ", {} refused: {}",
            refused.len(),
            refused.join("; ")
        ));
    }
    (kind, text)
}

/// One card's move, done: `wa-1 started: now working (pane 2, claude)`, `wa-1 failed (pane 2,
/// claude)` (the status is not said twice), `wa-1: retried undone; back to failed exactly as
/// before (u redoes)`.
fn one(b: &Batch, key: &CardKey, record: Option<&Assignment>, place: &str) -> String {
    let (bead, verb) = (&key.bead, &b.verb);
    match (b.kind, record) {
        (MoveKind::Move, Some(r)) if r.status.as_str() == verb.as_str() => {
            format!("{bead} {verb}{place} (pane {}, {})", r.pane, r.agent_type)
        }
        (MoveKind::Move, Some(r)) => format!(
            "{bead} {verb}: now {}{place} (pane {}, {})",
            r.status, r.pane, r.agent_type
        ),
        (MoveKind::Move, None) => format!("removed {bead}{place}"),
        (MoveKind::Undo, Some(r)) => format!(
            "{bead}: {verb} undone; back to {} exactly as before{place} (u redoes)",
            r.status
        ),
        (MoveKind::Undo, None) => {
            format!("{bead}: {verb} undone; no assignment again{place} (u redoes)")
        }
        (MoveKind::Redo, Some(r)) => format!(
            "{bead}: {verb} redone; {} again exactly as after the move{place}",
            r.status
        ),
        (MoveKind::Redo, None) => format!("{bead}: {verb} redone; removed again{place}"),
    }
}
