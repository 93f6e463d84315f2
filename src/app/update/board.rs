//! Board keys: each calls exactly the store method of its transition and shows the result or
//! the store's own error text. A move the table forbids is refused by the store and nothing is
//! written; fail and reassign ask for details first, but only when the move is allowed.

use crate::app::action::Action;
use crate::app::model::{Confirm, Field, Form, Model, Overlay, Pending, StatusKind};
use crate::persist::assignment::{
    Assignment, AssignmentStatus, AssignmentStore, InvalidTransitionError, StoreError,
    is_valid_transition,
};

/// Runs a store method on the open session's store and reports the outcome.
pub fn run_store(
    model: &mut Model,
    verb: &str,
    call: impl FnOnce(&mut AssignmentStore) -> Result<Option<Assignment>, StoreError>,
) {
    let Some(store) = model.board.store.as_mut() else {
        model.say(StatusKind::Error, "no store is open");
        return;
    };
    let result = call(store);
    let history = store.take_history_problem();
    match result {
        Ok(Some(record)) => {
            model.board.follow_bead(&record.bead_id);
            let text = format!(
                "{} {verb}: now {} (pane {}, {})",
                record.bead_id, record.status, record.pane, record.agent_type
            );
            model.say(StatusKind::Success, text);
        }
        Ok(None) => {
            model.board.fix_selection();
            model.say(StatusKind::Success, verb.to_owned());
        }
        Err(e) => {
            model.board.reload_store();
            model.say(StatusKind::Error, e.to_string());
        }
    }
    if let Some(problem) = history {
        model.say(StatusKind::Warning, problem);
    }
}

/// Refuses early, with the store's own wording, a move the table forbids or a read-only store.
fn refusal(store: &AssignmentStore, card: &Assignment, to: &AssignmentStatus) -> Option<String> {
    if store.is_read_only() {
        return Some(
            StoreError::ReadOnly {
                path: store.path().to_path_buf(),
                version: store.document().version,
            }
            .to_string(),
        );
    }
    (!is_valid_transition(&card.status, to)).then(|| {
        InvalidTransitionError {
            bead_id: card.bead_id.clone(),
            from: card.status.clone(),
            to: to.clone(),
        }
        .to_string()
    })
}

/// `s`, `c`, `x`, `r`, `R`, `d` on the selected card.
pub fn card_action(model: &mut Model, action: Action) {
    let Some(card) = model.board.selected_card().cloned() else {
        model.say(StatusKind::Info, "no card selected");
        return;
    };
    let bead = card.bead_id.clone();
    match action {
        Action::Start => run_store(model, "started", |s| s.mark_working(&bead).map(Some)),
        Action::Complete => run_store(model, "completed", |s| s.mark_completed(&bead).map(Some)),
        Action::Retry => run_store(model, "retried", |s| s.retry(&bead).map(Some)),
        Action::Fail | Action::Reassign => {
            let to = if action == Action::Fail {
                AssignmentStatus::Failed
            } else {
                AssignmentStatus::Reassigned
            };
            if let Some(why) = model
                .board
                .store
                .as_ref()
                .and_then(|s| refusal(s, &card, &to))
            {
                model.say(StatusKind::Error, why);
                return;
            }
            let form = if action == Action::Fail {
                Form::single(
                    format!("Fail {bead}"),
                    "reason",
                    String::new(),
                    "(required)",
                    Pending::FailBead(bead),
                )
            } else {
                Form {
                    title: format!("Reassign {bead} to another agent"),
                    fields: vec![
                        Field {
                            label: "pane",
                            value: card.pane.to_string(),
                            hint: "tmux pane index",
                        },
                        Field {
                            label: "agent type",
                            value: card.agent_type.clone(),
                            hint: "claude, codex, gemini…",
                        },
                        Field {
                            label: "agent name",
                            value: card.agent_name.clone(),
                            hint: "(optional)",
                        },
                    ],
                    focus: 0,
                    pending: Pending::ReassignBead(bead),
                    error: None,
                }
            };
            model.overlay = Some(Overlay::Form(form));
        }
        Action::Remove => {
            model.overlay = Some(Overlay::Confirm(Confirm {
                title: format!("Remove {bead}?"),
                lines: vec![
                    format!("Its {} assignment (pane {}, {}) is deleted from assignments.json.", card.status, card.pane, card.agent_type),
                    "The previous file stays as assignments.json.bak; the history log keeps the record.".to_owned(),
                ],
                pending: Pending::RemoveBead(bead),
            }));
        }
        _ => {}
    }
}
