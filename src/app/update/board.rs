//! Board keys: each asks a worker to call exactly the store method of its transition, and the
//! outcome shows the result or the store's own error text. A move the table forbids is refused
//! and nothing is written; start and complete, which the table cannot reverse, ask `y`/`n`
//! first; fail and reassign ask for details, but only when the move is allowed. A key acts on
//! the card's own session (its store, and its rules: a schema-9 session's cards go through
//! `ntm.rs`), also on the all-sessions board; with cards marked, on every one (`moves.rs`).

use crate::app::action::Action;
use crate::app::effect::{Effect, StoreOp};
use crate::app::model::{CardKey, Field, Form, Model, Overlay, Pending, StatusKind};
use crate::persist::assignment::{
    Assignment, AssignmentStatus, AssignmentStore, InvalidTransitionError, StoreError,
    is_valid_transition,
};

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

/// `s`, `c`, `x`, `r`, `R`, `d`: on every marked card (`moves.rs`), else on the selected one.
pub fn card_action(model: &mut Model, action: Action) {
    if model.board.marked.is_empty() && model.board.selected_remote().is_some() {
        return super::remote::card_action(model, action);
    }
    if !model.board.marked.is_empty() {
        let keys = model.board.move_targets();
        super::moves::batch_action(model, action, keys);
        return;
    }
    let Some((key, card)) = model
        .board
        .selected_entry()
        .map(|(k, c)| (k.clone(), c.clone()))
    else {
        not_a_card(model);
        return;
    };
    let v9 = model.is_v9(&key.session);
    let place = in_session(model, &key);
    let to = match action {
        Action::Start => AssignmentStatus::Working,
        Action::Complete => AssignmentStatus::Completed,
        Action::Fail => AssignmentStatus::Failed,
        Action::Reassign => AssignmentStatus::Reassigned,
        _ => AssignmentStatus::Assigned,
    };
    match action {
        Action::Start | Action::Complete => {
            let op = super::moves::plain_op(action).unwrap_or(StoreOp::Start);
            let why = if v9 {
                super::ntm::direct(model, &key, &card, &op).err()
            } else {
                model
                    .board
                    .store_of(&key.session)
                    .and_then(|s| refusal(s, &card, &to))
            };
            if let Some(why) = why {
                model.say(StatusKind::Error, why);
            } else if model.settings.confirm_moves && super::moves::irreversible(&card.status, &to)
            {
                super::moves::ask(model, action, vec![key], &place);
            } else {
                super::moves::apply(model, &[key], &op);
            }
        }
        _ if v9 => super::ntm::card_action(model, &key, &card, action),
        Action::Retry => super::moves::apply(model, &[key], &StoreOp::Retry),
        Action::Fail | Action::Reassign => {
            if let Some(why) = model
                .board
                .store_of(&key.session)
                .and_then(|s| refusal(s, &card, &to))
            {
                model.say(StatusKind::Error, why);
                return;
            }
            if action == Action::Fail {
                model.overlay = Some(Overlay::Form(Form::single(
                    format!("Fail {}{place}", card.bead_id),
                    "reason",
                    String::new(),
                    "(required)",
                    Pending::FailBead(vec![key]),
                )));
            } else {
                reassign_form(model, vec![key], Some(&card));
            }
        }
        Action::Remove => super::moves::ask(model, action, vec![key], &place),
        _ => {}
    }
}

/// The reassign form for `keys`, prefilled with `card`'s pane and agent when it is one card.
pub fn reassign_form(model: &mut Model, keys: Vec<CardKey>, card: Option<&Assignment>) {
    let title = match (&keys[..], card) {
        ([key], Some(card)) => format!(
            "Reassign {}{} to another agent",
            card.bead_id,
            in_session(model, key)
        ),
        _ => format!("Reassign {} cards to another agent", keys.len()),
    };
    let value = |f: fn(&Assignment) -> String| card.map(f).unwrap_or_default();
    model.overlay = Some(Overlay::Form(Form {
        title,
        fields: vec![
            Field::new("pane", value(|c| c.pane.to_string()), "tmux pane index"),
            Field::new(
                "agent type",
                value(|c| c.agent_type.clone()),
                "claude, codex, gemini…",
            ),
            Field::new("agent name", value(|c| c.agent_name.clone()), "(optional)"),
        ],
        focus: 0,
        pending: Pending::ReassignBead(keys),
        error: None,
    }));
}

/// Says why a card key does nothing here: no card, or a ready bead that has no assignment yet.
fn not_a_card(model: &mut Model) {
    if let Some(card) = model.board.selected_remote() {
        let text = format!(
            "{} is on {}: only its moves are made from here (s c x r R d)",
            card.key().shown_id(),
            card.host
        );
        model.say(StatusKind::Info, text);
        return;
    }
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
    super::moves::assign(model, &session, bead, op);
}
