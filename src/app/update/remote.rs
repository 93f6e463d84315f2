//! Board keys on another host's card: the same questions and forms as on this machine's (`y`
//! before a start, completion or removal; a reason to fail; a pane and agent to reassign), then
//! the move is sent to the host that owns the store (`model/hosts/moves.rs`). Undo, redo and
//! marks are this machine's only.

use crate::app::action::Action;
use crate::app::effect::StoreOp;
use crate::app::model::{CardKey, Confirm, Form, Model, Overlay, Pending, StatusKind, action_of};
use crate::present::sanitize::one_line;

/// `s`, `c`, `x`, `r`, `R`, `d` on the selected card of another host.
pub fn card_action(model: &mut Model, action: Action) {
    let Some(card) = model.board.selected_remote().cloned() else {
        return;
    };
    let key = card.key();
    let shown = key.shown_id();
    let host = card.host.clone();
    match action {
        Action::Start | Action::Complete | Action::Remove
            if model.settings.confirm_moves || action == Action::Remove =>
        {
            let (verb, line) = match action {
                Action::Start => ("Start", format!("{} → working", card.status)),
                Action::Complete => ("Complete", format!("{} → completed", card.status)),
                _ => (
                    "Remove",
                    format!("Its {} assignment is deleted", card.status),
                ),
            };
            model.overlay = Some(Overlay::Confirm(Confirm {
                title: format!("{verb} {shown} on {host}?"),
                lines: vec![
                    format!(
                        "{line} (pane {}, {}), in {}'s store, under {host}'s lock.",
                        card.pane,
                        one_line(&card.agent),
                        one_line(&card.session)
                    ),
                    format!(
                        "{host} refuses it if the card is no longer {}.",
                        card.status
                    ),
                ],
                pending: Pending::Move {
                    action,
                    cards: vec![key],
                },
            }));
        }
        Action::Start | Action::Complete | Action::Retry | Action::Remove => {
            if let Some(op) = super::moves::plain_op(action) {
                apply(model, &key, &op);
            }
        }
        Action::Fail => {
            model.overlay = Some(Overlay::Form(Form::single(
                format!("Fail {shown} on {host}"),
                "reason",
                String::new(),
                "(required)",
                Pending::FailBead(vec![key]),
            )));
        }
        Action::Reassign => super::board::reassign_form(model, vec![key], None),
        _ => {}
    }
}

/// Sends `op` for another host's card `key` (what a question or form asked for).
pub fn apply(model: &mut Model, key: &CardKey, op: &StoreOp) {
    match action_of(op) {
        Some(action) => model.begin_remote_move(key, action, op.verb()),
        None => model.say(
            StatusKind::Info,
            format!("{}: undo and redo are this machine's only", key.shown_id()),
        ),
    }
}
