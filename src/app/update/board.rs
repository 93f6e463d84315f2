//! Board keys: each asks a worker to call exactly the store method of its transition, and the
//! outcome shows the result or the store's own error text. A move the table forbids is refused
//! by the store and nothing is written; fail and reassign ask for details first, but only when
//! the move is allowed. A key acts on the card's own session (its store, and its rules: a
//! schema-9 session's cards go through `ntm.rs`), also on the all-sessions board.

use crate::app::action::Action;
use crate::app::effect::{Effect, StoreOp};
use crate::app::model::{CardKey, Confirm, Field, Form, Model, Overlay, Pending, StatusKind};
use crate::persist::assignment::{
    Assignment, AssignmentStatus, AssignmentStore, InvalidTransitionError, StoreError,
    is_valid_transition,
};

/// Starts `op` on `card` in its session (on a worker; the outcome arrives later).
pub fn run_store(model: &mut Model, card: &CardKey, op: StoreOp) {
    if card.is_ready() {
        model.say(StatusKind::Error, "no store is open");
        return;
    }
    if model.board.store_of(&card.session).is_none() {
        let text = format!(
            "the store of session {} has not been read yet",
            crate::present::sanitize::one_line(&card.session)
        );
        model.say(StatusKind::Error, text);
        return;
    }
    model.begin_write(&card.session, &card.bead, op);
}

/// Whether `n` on a ready bead goes through `ntm assign`: the open session is today's NTM's.
/// (On the all-sessions board the form asks for the session, and a schema-9 one is refused.)
#[must_use]
pub fn assigns_through_ntm(model: &Model) -> bool {
    !model.board.is_merged()
        && model
            .board
            .session
            .as_deref()
            .is_some_and(|s| model.is_v9(s))
}

/// ` in session NAME` on the all-sessions board (where a card's session is not the title's).
fn in_session(model: &Model, key: &CardKey) -> String {
    if model.board.is_merged() {
        format!(
            " in session {}",
            crate::present::sanitize::one_line(&key.session)
        )
    } else {
        String::new()
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
    let Some((key, card)) = model
        .board
        .selected_entry()
        .map(|(k, c)| (k.clone(), c.clone()))
    else {
        not_a_card(model);
        return;
    };
    let bead = card.bead_id.clone();
    if model.is_v9(&key.session) {
        super::ntm::card_action(model, &key, &card, action);
        return;
    }
    let place = in_session(model, &key);
    match action {
        Action::Start => run_store(model, &key, StoreOp::Start),
        Action::Complete => run_store(model, &key, StoreOp::Complete),
        Action::Retry => run_store(model, &key, StoreOp::Retry),
        Action::Fail | Action::Reassign => {
            let to = if action == Action::Fail {
                AssignmentStatus::Failed
            } else {
                AssignmentStatus::Reassigned
            };
            if let Some(why) = model
                .board
                .store_of(&key.session)
                .and_then(|s| refusal(s, &card, &to))
            {
                model.say(StatusKind::Error, why);
                return;
            }
            let form = if action == Action::Fail {
                Form::single(
                    format!("Fail {bead}{place}"),
                    "reason",
                    String::new(),
                    "(required)",
                    Pending::FailBead(key),
                )
            } else {
                Form {
                    title: format!("Reassign {bead}{place} to another agent"),
                    fields: vec![
                        Field::new("pane", card.pane.to_string(), "tmux pane index"),
                        Field::new(
                            "agent type",
                            card.agent_type.clone(),
                            "claude, codex, gemini…",
                        ),
                        Field::new("agent name", card.agent_name.clone(), "(optional)"),
                    ],
                    focus: 0,
                    pending: Pending::ReassignBead(key),
                    error: None,
                }
            };
            model.overlay = Some(Overlay::Form(form));
        }
        Action::Remove => {
            model.overlay = Some(Overlay::Confirm(Confirm {
                title: format!("Remove {bead}{place}?"),
                lines: vec![
                    format!("Its {} assignment (pane {}, {}) is deleted from assignments.json.", card.status, card.pane, card.agent_type),
                    "The previous file stays as assignments.json.bak; the history log keeps the record.".to_owned(),
                ],
                pending: Pending::RemoveBead(key),
            }));
        }
        _ => {}
    }
}

/// Says why a card key does nothing here: no card, or a ready bead that has no assignment yet.
fn not_a_card(model: &mut Model) {
    let text = match model.board.selected_ready() {
        Some(b) => format!(
            "{} is ready, not assigned yet: n assigns it ({})",
            b.id,
            crate::present::sanitize::one_line(&b.title)
        ),
        None => "no card selected".to_owned(),
    };
    model.say(StatusKind::Info, text);
}

/// `Enter` on a card: the card in full with its history (read by the board worker from the
/// history log; the overlay says so until it arrives).
pub fn open_card(model: &mut Model) {
    let Some(key) = model.board.selected_entry().map(|(k, _)| k.clone()) else {
        not_a_card(model);
        return;
    };
    if let Some(store) = model.board.store_of(&key.session) {
        model.outbox.push(Effect::ReadHistory {
            path: store.history_path(),
            session: key.session.clone(),
        });
    }
    model.overlay = Some(Overlay::Card {
        session: key.session,
        bead: key.bead,
        history: None,
        scroll: 0,
    });
}

/// NTM's default prompt for a bead (`ntm assign`'s template).
#[must_use]
pub fn default_prompt(bead: &str, title: &str) -> String {
    format!("Work on bead {bead}: {title}. Check dependencies first with `br dep tree {bead}`.")
}

/// `n` on a ready bead: a form for where it goes, prefilled with the open session and NTM's
/// default prompt.
pub fn ask_assign_ready(model: &mut Model) {
    let Some(bead) = model.board.selected_ready().cloned() else {
        let text = if model.board.backlog {
            "select a bead in the ready column to assign it"
        } else {
            "no beads file: start beadboard in a repository with .beads/issues.jsonl, or pass --beads FILE"
        };
        model.say(StatusKind::Info, text);
        return;
    };
    if assigns_through_ntm(model) {
        super::ntm::ask_assign(model, &bead.id, &default_prompt(&bead.id, &bead.title));
        return;
    }
    if let Some(store) = &model.board.store
        && store.is_read_only()
    {
        let why = StoreError::ReadOnly {
            path: store.path().to_path_buf(),
            version: store.document().version,
        };
        model.say(StatusKind::Error, why.to_string());
        return;
    }
    let field = Field::new;
    model.overlay = Some(Overlay::Form(Form {
        title: format!("Assign {} to an agent", bead.id),
        fields: vec![
            field(
                "session",
                model.board.session.clone().unwrap_or_default(),
                "NTM session (tmux session)",
            ),
            field("pane", String::new(), "tmux pane index"),
            field("agent type", "claude".to_owned(), "claude, codex, gemini…"),
            field(
                "agent name",
                String::new(),
                "(optional; default <session>_<type>_<pane>)",
            ),
            field(
                "prompt",
                default_prompt(&bead.id, &bead.title),
                "sent to the agent",
            ),
        ],
        focus: usize::from(model.board.session.is_some()),
        pending: Pending::AssignBead {
            bead: bead.id.clone(),
            title: bead.title.clone(),
        },
        error: None,
    }));
}

/// Why the assign form cannot be accepted yet: the field to fix and what is wrong.
#[must_use]
pub fn assign_problem(form: &Form) -> Option<(usize, &'static str)> {
    if form.value(0).trim().is_empty() {
        return Some((0, "a session is required"));
    }
    if form.value(1).trim().parse::<i64>().is_err() {
        return Some((1, "pane must be a whole number"));
    }
    if form.value(2).trim().is_empty() {
        return Some((2, "agent type is required"));
    }
    None
}

/// Assigns `bead` as the accepted form says, through the store's `assign` (in the session
/// the form names, whose store is created if it has none yet), on a worker.
pub fn assign_ready(model: &mut Model, form: &Form, bead: &str, title: &str) {
    let session = form.value(0).trim().to_owned();
    let pane: i64 = form.value(1).trim().parse().unwrap_or_default();
    let agent_type = form.value(2).trim().to_owned();
    let agent_name = match form.value(3).trim() {
        "" => format!("{session}_{agent_type}_{pane}"),
        name => name.to_owned(),
    };
    let op = StoreOp::Assign {
        title: title.to_owned(),
        pane,
        agent_type,
        agent_name,
        prompt: form.value(4).to_owned(),
    };
    // On the all-sessions board the card appears where it is when the write is done.
    if !model.board.is_merged() && model.board.session.as_deref() != Some(session.as_str()) {
        model.board.open_session(&session);
        model.board.follow_bead(bead);
    }
    model.begin_write(&session, bead, op);
}
