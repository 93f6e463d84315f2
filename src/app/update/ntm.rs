//! Board keys on a schema-9 store (today's NTM), the way ntm-v9.md allows. `s`, `c` and `x`
//! write directly by NTM's protocol (`c`/`x` as NTM's terminal-reconciliation request), also
//! on every marked card; `r`,
//! `R`, `d` and `n` run `ntm assign`: the command line is worked out on a worker, shown in a
//! dialog to confirm with `y`, then run on a worker with each step on screen and Esc killing
//! it. A row NTM must not be touched in (claiming, mid-dispatch, an unacknowledged event, no
//! `%N` pane) is refused up front with the reason; nothing ever falls back to writing the file
//! for what `ntm` does. Every key acts in the card's own session (on the all-sessions board,
//! not necessarily a session whose board is open).

use crate::app::action::Action;
use crate::app::effect::{
    Effect, NtmPlanJob, NtmPlanOp, NtmRunJob, NtmWriteJob, NtmWriteOp, StoreOp,
};
use crate::app::model::{
    CardKey, Confirm, Field, Form, Model, MoveKind, NtmMoved, Overlay, Pending, StatusKind,
};
use crate::ntm::{Plan, ReassignTo};
use crate::persist::assignment::Assignment;
use crate::persist::assignment::v9::{NtmRow, RowAction};
use crate::present::sanitize::one_line;

/// Says why `action` may not touch `card`, if it may not.
fn refused(model: &mut Model, card: &Assignment, action: RowAction) -> bool {
    match NtmRow::new(card).refusal(action) {
        Some(why) => {
            model.say(StatusKind::Error, why.to_string());
            true
        }
        None => false,
    }
}

/// Why NTM's strict read refuses `session`'s store (then it is read-only), if it does.
fn store_refusal(model: &Model, session: &str) -> Option<String> {
    let store = model.board.store_of(session)?;
    let view = store.ntm()?;
    let reason = view.choice.refusal.clone()?;
    Some(format!(
        "{}: read-only: {reason}; NTM refuses it too, so nothing is written",
        store.path().display()
    ))
}

/// A board key on one card of a schema-9 store (start and complete are asked and made by
/// `board.rs`, as on any store).
pub fn card_action(model: &mut Model, key: &CardKey, card: &Assignment, action: Action) {
    let bead = card.bead_id.clone();
    if let Some(why) = store_refusal(model, &key.session) {
        model.say(StatusKind::Error, why);
        return;
    }
    match action {
        Action::Fail if !refused(model, card, RowAction::Fail) => {
            model.overlay = Some(Overlay::Form(Form::single(
                format!("Ask NTM to fail {bead}"),
                "reason",
                String::new(),
                "(required; NTM's watcher records it)",
                Pending::FailBead(vec![key.clone()]),
            )));
        }
        Action::Reassign if !refused(model, card, RowAction::Reassign) => {
            model.overlay = Some(Overlay::Form(Form {
                title: format!("Reassign {bead} with ntm assign"),
                fields: vec![
                    Field::new(
                        "pane",
                        pane_id(card).unwrap_or_default(),
                        "%N pane id (or leave empty)",
                    ),
                    Field::new("agent type", String::new(), "any idle agent of this type"),
                ],
                focus: 0,
                pending: Pending::ReassignBead(vec![key.clone()]),
                error: None,
            }));
        }
        Action::Retry if !refused(model, card, RowAction::Retry) => {
            plan(model, key, NtmPlanOp::Retry);
        }
        Action::Remove if !refused(model, card, RowAction::Remove) => {
            plan(model, key, NtmPlanOp::Remove);
        }
        _ => {}
    }
}

/// The card's `%N` pane, if it has one.
fn pane_id(card: &Assignment) -> Option<String> {
    NtmRow::new(card).pane_id()
}

/// Starts a direct write to `key`'s session on a worker, as part of batch `batch`.
pub fn write(model: &mut Model, batch: u64, key: &CardKey, card: &Assignment, op: NtmWriteOp) {
    let session = key.session.clone();
    let (ntm, card, timeout) = (
        model.roots.ntm.clone(),
        card.clone(),
        model.settings.lock_timeout,
    );
    let bead = card.bead_id.clone();
    let verb = op.verb().to_owned();
    let moved = NtmMoved::Direct(op.clone());
    model.begin_change(
        batch,
        &session,
        vec![bead],
        verb,
        Some(moved),
        |id, cancel| {
            Effect::NtmWrite(Box::new(NtmWriteJob {
                id,
                ntm,
                session: session.clone(),
                card,
                op,
                cancel,
                lock_timeout: timeout,
            }))
        },
    );
}

/// The direct write a move makes on a card of today's NTM (start, or a complete/fail
/// request), or why it cannot be made on this card: the store or the row refuses it, or the
/// move goes through `ntm assign`, which asks for one card at a time.
pub fn direct(
    model: &Model,
    key: &CardKey,
    card: &Assignment,
    op: &StoreOp,
) -> Result<NtmWriteOp, String> {
    if let Some(why) = store_refusal(model, &key.session) {
        return Err(why);
    }
    let (write, action) = match op {
        StoreOp::Start => (NtmWriteOp::Start, RowAction::Start),
        StoreOp::Complete => (NtmWriteOp::Complete, RowAction::Complete),
        StoreOp::Fail(reason) => (NtmWriteOp::Fail(reason.clone()), RowAction::Fail),
        other => {
            return Err(format!(
                "{}: on today's NTM store, {} goes through ntm assign, one card at a time",
                card.bead_id,
                other.verb()
            ));
        }
    };
    match NtmRow::new(card).refusal(action) {
        Some(why) => Err(why.to_string()),
        None => Ok(write),
    }
}

/// Asks a worker for the `ntm` command(s) of `op` on `key`'s bead in its session.
pub fn plan(model: &mut Model, key: &CardKey, op: NtmPlanOp) {
    let (session, bead) = (key.session.clone(), key.bead.as_str());
    model.say(
        StatusKind::Info,
        format!("{bead}: working out the ntm command…"),
    );
    model.outbox.push(Effect::PlanNtm(NtmPlanJob {
        ntm: model.roots.ntm.clone(),
        home: model.settings.home.clone(),
        session,
        bead: bead.to_owned(),
        op,
    }));
}

/// `n` on a ready bead when the open session is NTM's schema 9: the pane (`%N`) and the
/// prompt, for `ntm assign`.
pub fn ask_assign(model: &mut Model, bead: &str, prompt: &str) {
    model.overlay = Some(Overlay::Form(Form {
        title: format!("Assign {bead} with ntm assign"),
        fields: vec![
            Field::new("pane", String::new(), "%N pane id of an idle agent"),
            Field::new("prompt", prompt.to_owned(), "sent to the agent"),
        ],
        focus: 0,
        pending: Pending::AssignBead {
            bead: bead.to_owned(),
            title: String::new(),
        },
        error: None,
    }));
}

/// The assign form accepted on a schema-9 store. Returns why it cannot be accepted yet.
pub fn assign(model: &mut Model, bead: &str, form: &Form) -> Option<(usize, &'static str)> {
    let pane = form.value(0).trim();
    if pane.is_empty() {
        return Some((0, "a %N pane is required"));
    }
    let session = model.board.session.clone()?;
    let op = NtmPlanOp::Assign {
        pane: pane.to_owned(),
        prompt: form.value(1).to_owned(),
    };
    plan(model, &CardKey::new(&session, bead), op);
    None
}

/// The reassign form accepted on a schema-9 store: a pane, else any agent of a type.
/// Returns why the form cannot be accepted yet (field, problem).
pub fn reassign(model: &mut Model, key: &CardKey, form: &Form) -> Option<(usize, &'static str)> {
    let (pane, kind) = (form.value(0).trim(), form.value(1).trim());
    let to = match (pane.is_empty(), kind.is_empty()) {
        (false, _) => ReassignTo::Pane(pane.to_owned()),
        (true, false) => ReassignTo::AgentType(kind.to_owned()),
        (true, true) => return Some((0, "a %N pane or an agent type is required")),
    };
    plan(model, key, NtmPlanOp::Reassign(to));
    None
}

/// The command(s) for an operation arrived: a dialog shows them to confirm, or says why not.
pub fn planned(
    model: &mut Model,
    session: String,
    bead: String,
    verb: &str,
    result: Result<Plan, String>,
) {
    let plan = match result {
        Ok(plan) => plan,
        Err(why) => {
            model.say(StatusKind::Error, format!("{bead}: {}", one_line(&why)));
            return;
        }
    };
    let mut lines = vec![format!("beadboard will run, in {session}:")];
    for (i, step) in plan.steps.iter().enumerate() {
        let n = if plan.steps.len() > 1 {
            format!("{}. ", i + 1)
        } else {
            String::new()
        };
        lines.push(format!("{n}{} ({})", step.display(), step.purpose));
    }
    if plan.steps.len() > 1 {
        lines.push("Each runs only if the one before succeeded.".to_owned());
    }
    lines.extend(plan.confirm.iter().map(|c| format!("⚠ {c}")));
    lines.extend(plan.warnings.iter().map(|w| format!("⚠ {w}")));
    model.overlay = Some(Overlay::Confirm(Confirm {
        title: format!("{verb} {bead} through ntm?"),
        lines,
        pending: Pending::RunNtm {
            session,
            bead,
            verb: verb.to_owned(),
            plan,
        },
    }));
}

/// What an `ntm assign` operation (by its verb) is, as undo needs to know it; `from`: the
/// card before it.
fn ntm_moved(verb: &str, from: Option<&Assignment>) -> Option<NtmMoved> {
    match verb {
        "assign" => Some(NtmMoved::Assigned),
        "reassign" => Some(NtmMoved::Reassigned(from.and_then(pane_id))),
        "retry" => Some(NtmMoved::Retried),
        "remove" => Some(NtmMoved::Removed),
        _ => None,
    }
}

/// The confirmed command(s) start on a worker.
pub fn run(model: &mut Model, session: &str, bead: &str, verb: &str, plan: Plan) {
    let ntm = model.roots.ntm.clone();
    let moved = ntm_moved(verb, model.board.card(&CardKey::new(session, bead)));
    let batch = model.new_batch(verb, MoveKind::Move);
    model.begin_change(
        batch,
        session,
        vec![bead.to_owned()],
        format!("{verb} through ntm"),
        moved,
        |id, cancel| {
            Effect::RunNtm(NtmRunJob {
                id,
                ntm,
                session: session.to_owned(),
                bead: bead.to_owned(),
                plan,
                cancel,
            })
        },
    );
    model.settle_batch(batch);
}
