//! `u` and Ctrl-R: take the last board move back exactly, and make it again. On seed-era stores
//! every record the move changed goes back to exactly what it was (every field, no counter or
//! time set anew) through the store's compare-and-restore, which refuses a record changed
//! since, naming what changed it; `u` right after an undo (or Ctrl-R) redoes the move exactly.
//! Both are logged to the history as `undo` and `redo`. On stores of today's NTM (schema 9)
//! a move is taken back only through what NTM allows (`ntm assign`), or not at all, said why.

use crate::app::effect::{Move, NtmPlanOp, NtmWriteOp, StoreOp};
use crate::app::model::{Model, MoveKind, Moved, NtmMoved, StatusKind, UndoState};
use crate::ntm::ReassignTo;
use std::collections::BTreeMap;

/// `u` (`redo_only`: Ctrl-R).
pub fn undo(model: &mut Model, redo_only: bool) {
    match (model.undo.clone(), redo_only) {
        (UndoState::Empty, false) => model.say(
            StatusKind::Info,
            "nothing to undo: no board move was made here yet",
        ),
        (UndoState::Empty, true) => model.say(StatusKind::Info, "nothing to redo"),
        (UndoState::Undo(moved), true) => {
            let text = format!(
                "nothing to redo: the last move ({}) was not undone (u undoes it)",
                moved.verb
            );
            model.say(StatusKind::Info, text);
        }
        (UndoState::Undo(moved), false) => revert(model, &moved, MoveKind::Undo),
        (UndoState::Redo(moved), _) => revert(model, &moved, MoveKind::Redo),
    }
}

/// Why a move on a store of today's NTM cannot be taken back, or the `ntm assign` operation
/// that takes it back.
fn ntm_way_back(bead: &str, moved: &NtmMoved) -> Result<NtmPlanOp, String> {
    let today = "on today's NTM store (schema 9)";
    match moved {
        NtmMoved::Direct(NtmWriteOp::Start) => Err(format!(
            "cannot undo {bead}'s start {today}: NTM has no move from working back to assigned, and beadboard writes such a store only as NTM allows"
        )),
        NtmMoved::Direct(op) => Err(format!(
            "cannot undo {bead}'s {} {today}: NTM's watcher acts on the request (releasing the claim and reservations) and has no way to withdraw it",
            op.verb()
        )),
        NtmMoved::Assigned => Ok(NtmPlanOp::Remove),
        NtmMoved::Reassigned(Some(pane)) => Ok(NtmPlanOp::Reassign(ReassignTo::Pane(pane.clone()))),
        NtmMoved::Reassigned(None) => Err(format!(
            "cannot undo {bead}'s reassignment {today}: it had no %N pane to go back to"
        )),
        NtmMoved::Retried => Err(format!(
            "cannot undo {bead}'s retry {today}: ntm assign has no way back to failed (x fails it again, with a reason)"
        )),
        NtmMoved::Removed => Err(format!(
            "cannot undo {bead}'s removal {today}: NTM cleared it for good (n assigns it again)"
        )),
    }
}

/// Starts taking `moved` back (or making it again): each record it changed, latest first, one
/// job per store; schema-9 cards through `ntm assign` or refused in words.
fn revert(model: &mut Model, moved: &Moved, kind: MoveKind) {
    // A move on today's NTM of one card that ntm assign can take back: shown to confirm.
    if kind == MoveKind::Undo
        && moved.changes.is_empty()
        && let [(key, ntm)] = moved.ntm.as_slice()
        && let Ok(op) = ntm_way_back(&key.bead, ntm)
    {
        model.undo = UndoState::Empty;
        super::ntm::plan(model, key, op);
        return;
    }
    let batch = model.new_batch(&moved.verb, kind);
    if kind == MoveKind::Undo {
        for (key, ntm) in &moved.ntm {
            let why = ntm_way_back(&key.bead, ntm)
                .err()
                .unwrap_or_else(|| format!("{} is undone one card at a time", key.bead));
            model.refuse_in_batch(batch, key, why.clone(), why);
        }
    }
    let mut by_session: BTreeMap<&str, Vec<Move>> = BTreeMap::new();
    for (session, change) in moved.changes.iter().rev() {
        let op = match kind {
            MoveKind::Redo => StoreOp::Redo(Box::new(change.clone())),
            _ => StoreOp::Undo(Box::new(change.clone())),
        };
        by_session.entry(session).or_default().push(Move {
            bead: change.bead_id.clone(),
            seen: None,
            op,
        });
    }
    let verb = if kind == MoveKind::Redo {
        "redoing"
    } else {
        "undoing"
    };
    for (session, moves) in by_session {
        model.begin_moves(batch, session, moves, verb);
    }
    model.settle_batch(batch);
}
