//! `u`: undo the last board move made here, by the compensating move when the transition
//! table allows one, else saying why not. An assignment is undone by removing it, a removal by
//! putting the record back as it was, a retry by failing it again with its old reason, a fail
//! from `assigned` by a retry. Start, complete and reassign have no way back in the table.
//! Only moves on seed-era stores are undone; a card that changed since is left alone.

use crate::app::effect::StoreOp;
use crate::app::model::{CardKey, LastMove, Model, StatusKind};
use crate::persist::assignment::AssignmentStatus;

/// The compensating move for `last`, or why there is none.
fn compensation(last: &LastMove) -> Result<(StoreOp, &'static str), String> {
    let bead = &last.bead;
    match (&last.op, &last.before) {
        (StoreOp::Assign { .. }, _) => Ok((StoreOp::Remove, "assignment undone: removed")),
        (StoreOp::Remove, Some(before)) => Ok((
            StoreOp::Restore(Box::new(before.clone())),
            "removal undone: the record is back as it was",
        )),
        (StoreOp::Restore(_), _) => Ok((StoreOp::Remove, "restore undone: removed again")),
        (StoreOp::Retry, Some(before)) if before.status == AssignmentStatus::Failed => Ok((
            StoreOp::Fail(before.reason().to_owned()),
            "retry undone: failed again with its old reason",
        )),
        (StoreOp::Fail(_), Some(before)) if before.status == AssignmentStatus::Assigned => {
            Ok((StoreOp::Retry, "fail undone: retried (failed → assigned)"))
        }
        (StoreOp::Fail(_), _) => Err(format!(
            "cannot undo: {bead} failed while working, and failed → working is not a move the table allows (R retries it)"
        )),
        (StoreOp::Start, _) => Err(format!(
            "cannot undo: the table has no move from working back to assigned for {bead}"
        )),
        (StoreOp::Complete, _) => Err(format!(
            "cannot undo: completed is final in the table ({bead})"
        )),
        (StoreOp::Reassign { .. }, _) => Err(format!(
            "cannot undo: {bead} is assigned to its new agent, and assigned → reassigned is not a move the table allows"
        )),
        (op, _) => Err(format!(
            "cannot undo the last move ({}) of {bead}",
            op.verb()
        )),
    }
}

/// `u` on the board.
pub fn undo(model: &mut Model) {
    let Some(last) = model.last_move.clone() else {
        model.say(
            StatusKind::Info,
            "nothing to undo: no board move was made here yet",
        );
        return;
    };
    if !model.board.shows(&last.session) {
        let text = format!(
            "the last move was in session {}: S picks sessions",
            last.session
        );
        model.say(StatusKind::Info, text);
        return;
    }
    let now = model.board.card(&CardKey::new(&last.session, &last.bead));
    if now != last.after.as_ref() {
        let text = format!(
            "cannot undo: {} changed since the last move (by another program?); nothing undone",
            last.bead
        );
        model.say(StatusKind::Error, text);
        return;
    }
    match compensation(&last) {
        Ok((op, said)) => {
            model.last_move = None;
            model.begin_write(&last.session, &last.bead, op);
            model.say(StatusKind::Info, format!("{}: {said}…", last.bead));
        }
        Err(why) => model.say(StatusKind::Error, why),
    }
}
