//! Moves on one card or on every marked card. `Space` marks cards (and runs); a board key then
//! applies to every marked card, each through the same validated transition of its own store
//! (one worker job per seed-era store, each record under the lock on its own; a card of today's
//! NTM by its direct write), and the batch ends with one summary (`3 retried, 1 refused: qa-c1
//! is completed`). A move the transition table cannot reverse (start, complete) asks `y`/`n`
//! first unless `confirm_moves = false`; removal always asks; the questions and the fail
//! reason are asked once for the whole batch, naming the count. Marks are cleared once the
//! move has started, and by Esc.

use crate::app::action::Action;
use crate::app::effect::{Move, StoreOp};
use crate::app::model::{CardKey, Confirm, Model, MoveKind, Overlay, Pane, Pending, StatusKind};
use crate::persist::assignment::AssignmentStatus;
use crate::present::sanitize::one_line;
use std::collections::BTreeMap;

/// `Space`: marks the selected card or run, or unmarks it.
pub fn toggle_mark(model: &mut Model) {
    match model.focus {
        Pane::Board => match model.board.toggle_mark() {
            Some((key, marked)) => {
                let n = model.board.marked.len();
                let text = if marked {
                    format!(
                        "{} marked ({n} in all): a move now applies to every marked card; Esc clears",
                        key.bead
                    )
                } else {
                    format!("{} unmarked ({n} marked)", key.bead)
                };
                model.say(StatusKind::Info, text);
            }
            None if model.board.selected_ready().is_some() => model.say(
                StatusKind::Info,
                "ready beads are assigned one at a time (n); marks are for cards",
            ),
            None => model.say(StatusKind::Info, "no card selected"),
        },
        Pane::Runs => match model.runs.toggle_mark() {
            Some(marked) => {
                let n = model.runs.marked.len();
                let what = if marked { "marked" } else { "unmarked" };
                let name = model
                    .runs
                    .selected()
                    .map(crate::present::naming::name)
                    .unwrap_or_default();
                model.say(
                    StatusKind::Info,
                    format!("{name} {what} ({n} marked; Esc clears)"),
                );
            }
            None => model.say(StatusKind::Info, "no run selected"),
        },
        Pane::Transcript => {}
    }
}

/// Esc in the Runs or Board pane: clears its marks; returns whether there were any.
pub fn clear_marks(model: &mut Model) -> bool {
    let cleared = match model.focus {
        Pane::Board => std::mem::take(&mut model.board.marked).len(),
        Pane::Runs => std::mem::take(&mut model.runs.marked).len(),
        Pane::Transcript => 0,
    };
    if cleared > 0 {
        model.say(StatusKind::Info, format!("{cleared} marks cleared"));
    }
    cleared > 0
}

/// The store method of a board key that needs no more details (start, complete, retry,
/// remove).
#[must_use]
pub fn plain_op(action: Action) -> Option<StoreOp> {
    match action {
        Action::Start => Some(StoreOp::Start),
        Action::Complete => Some(StoreOp::Complete),
        Action::Retry => Some(StoreOp::Retry),
        Action::Remove => Some(StoreOp::Remove),
        _ => None,
    }
}

/// Applies `op` to every card of `keys`, each in its own store by its own schema; the last
/// job back sums it up. Marks are cleared.
pub fn apply(model: &mut Model, keys: &[CardKey], op: &StoreOp) {
    // Another host's card (never marked: marks are this machine's) goes to its host.
    if let [key] = keys
        && key.host.is_some()
    {
        return super::remote::apply(model, key, op);
    }
    let verb = op.verb();
    let batch = model.new_batch(verb, MoveKind::Move);
    let mut by_session: BTreeMap<String, Vec<Move>> = BTreeMap::new();
    for key in keys {
        let Some(card) = model.board.card(key).cloned() else {
            let why = format!("{} is no longer on the board", key.bead);
            model.refuse_in_batch(batch, key, why.clone(), why);
            continue;
        };
        if model.is_v9(&key.session) {
            match super::ntm::direct(model, key, &card, op) {
                Ok(write) => super::ntm::write(model, batch, key, &card, write),
                Err(why) => model.refuse_in_batch(batch, key, why.clone(), why),
            }
            continue;
        }
        by_session
            .entry(key.session.clone())
            .or_default()
            .push(Move {
                bead: key.bead.clone(),
                seen: Some(Some(card.status.clone())),
                op: op.clone(),
            });
    }
    for (session, moves) in by_session {
        model.begin_moves(batch, &session, moves, verb);
    }
    model.board.marked.clear();
    model.settle_batch(batch);
}

/// Assigns a ready bead (which the board showed without an assignment) in `session`.
pub fn assign(model: &mut Model, session: &str, bead: &str, op: StoreOp) {
    let batch = model.new_batch(op.verb(), MoveKind::Move);
    let moves = vec![Move {
        bead: bead.to_owned(),
        seen: Some(None),
        op,
    }];
    model.begin_moves(batch, session, moves, "assigned");
    model.settle_batch(batch);
}

/// Whether a move from `from` to `to` is one the transition table cannot take back.
#[must_use]
pub fn irreversible(from: &AssignmentStatus, to: &AssignmentStatus) -> bool {
    !crate::persist::assignment::is_valid_transition(to, from)
}

/// The cards of a batch as a dialog lists them: each with its status (and session on the
/// all-sessions board), at most six, then how many more.
fn listed(model: &Model, keys: &[CardKey]) -> Vec<String> {
    const SHOWN: usize = 6;
    let mut lines: Vec<String> = keys
        .iter()
        .take(SHOWN)
        .map(|k| {
            let status = model
                .board
                .card(k)
                .map_or_else(|| "gone".to_owned(), |c| c.status.to_string());
            let place = if model.board.is_merged() {
                format!(", {}", one_line(&k.session))
            } else {
                String::new()
            };
            format!("{} ({status}{place})", one_line(&k.bead))
        })
        .collect();
    if keys.len() > SHOWN {
        lines.push(format!("… and {} more", keys.len() - SHOWN));
    }
    lines
}

/// The line every question about a move that cannot be reversed ends with.
const WAY_BACK: &str = "The transition table has no way back, but u undoes it exactly unless someone changes it first.";

/// Asks `y`/`n` before `action` on `keys` (start, complete, remove).
pub fn ask(model: &mut Model, action: Action, keys: Vec<CardKey>, place: &str) {
    let (verb, status) = match action {
        Action::Start => ("Start", "working"),
        Action::Complete => ("Complete", "completed"),
        _ => ("Remove", ""),
    };
    let (title, mut lines) = match keys.as_slice() {
        [key] => {
            let card = model.board.card(key);
            let title = format!("{verb} {}{place}?", one_line(&key.bead));
            let line = match (action, card) {
                (Action::Remove, Some(c)) => format!(
                    "Its {} assignment (pane {}, {}) is deleted from assignments.json.",
                    c.status,
                    c.pane,
                    one_line(&c.agent_type)
                ),
                (_, Some(c)) => format!(
                    "{} → {status} (pane {}, {}).",
                    c.status,
                    c.pane,
                    one_line(&c.agent_type)
                ),
                (_, None) => format!("{} is no longer on the board.", key.bead),
            };
            (title, vec![line])
        }
        _ => {
            let title = format!("{verb} {} cards?", keys.len());
            (title, listed(model, &keys))
        }
    };
    lines.push(if action == Action::Remove {
        "The previous file stays as assignments.json.bak; the history log keeps the record; u puts it back."
            .to_owned()
    } else {
        WAY_BACK.to_owned()
    });
    model.overlay = Some(Overlay::Confirm(Confirm {
        title,
        lines,
        pending: Pending::Move {
            action,
            cards: keys,
        },
    }));
}

/// `s`, `c`, `x`, `r`, `R`, `d` with cards marked: one question (or form) for all of them.
pub fn batch_action(model: &mut Model, action: Action, keys: Vec<CardKey>) {
    match action {
        Action::Start | Action::Complete if model.settings.confirm_moves => {
            ask(model, action, keys, "");
        }
        Action::Remove => ask(model, action, keys, ""),
        Action::Fail => {
            let title = format!("Fail {} cards", keys.len());
            model.overlay = Some(Overlay::Form(crate::app::model::Form::single(
                title,
                "reason",
                String::new(),
                "(required; the same for every card)",
                Pending::FailBead(keys),
            )));
        }
        Action::Reassign => super::board::reassign_form(model, keys, None),
        other => {
            if let Some(op) = plain_op(other) {
                apply(model, &keys, &op);
            }
        }
    }
}
