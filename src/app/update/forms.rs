//! Dialogs and forms: typing into fields, accepting, cancelling. Accepting asks a worker to
//! carry out the pending change through the persistence layer.

use crate::app::action::Action;
use crate::app::effect::{Effect, StoreOp};
use crate::app::keymap::Key;
use crate::app::model::{CardKey, Form, Model, Overlay, Pane, Pending, StatusKind, Topic};
use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;

/// Keys not bound in a form type into the focused field (in the help and the session picker,
/// into its filter).
pub fn type_into(model: &mut Model, key: Key) {
    if super::picker::type_key(model, key) {
        return;
    }
    if let Some(Overlay::Help { scroll, filter }) = &mut model.overlay {
        match key.code {
            KeyCode::Char('u') if key.ctrl => filter.clear(),
            KeyCode::Char(c) if !key.ctrl && !c.is_control() => filter.push(c),
            KeyCode::Backspace => {
                filter.pop();
            }
            _ => return,
        }
        *scroll = 0;
        return;
    }
    let Some(Overlay::Form(form)) = &mut model.overlay else {
        return;
    };
    match key.code {
        KeyCode::Char('u') if key.ctrl => form.clear_field(),
        KeyCode::Char(c) if !key.ctrl && !c.is_control() => form.type_char(c),
        KeyCode::Backspace => form.backspace(),
        code => {
            let Some(field) = form.field_mut() else {
                return;
            };
            match code {
                KeyCode::Delete => field.delete(),
                KeyCode::Left => field.move_cursor(Some(-1), false),
                KeyCode::Right => field.move_cursor(Some(1), false),
                KeyCode::Home => field.move_cursor(None, false),
                KeyCode::End => field.move_cursor(None, true),
                KeyCode::Char('a') if key.ctrl => field.move_cursor(None, false),
                KeyCode::Char('e') if key.ctrl => field.move_cursor(None, true),
                _ => return,
            }
        }
    }
    if let Pending::Filter(pane) = form.pending {
        let text = form.value(0).to_owned();
        apply_filter(model, pane, text);
    }
}

fn apply_filter(model: &mut Model, pane: Pane, text: String) {
    match pane {
        Pane::Runs => {
            model.runs.set_filter(text);
            model.open_selected_transcript();
        }
        Pane::Board => {
            model.board.set_filter(text);
        }
        Pane::Transcript => {}
    }
}

/// Actions while a dialog or form is open.
pub fn dialog_action(model: &mut Model, action: Action, now: DateTime<Utc>) {
    match action {
        Action::ForceQuit => model.quit = true,
        Action::Cancel => cancel(model),
        Action::EditField => super::reach::edit_field(model),
        Action::Confirm => accept(model, now),
        Action::NextField | Action::PreviousField => {
            if let Some(Overlay::Form(form)) = &mut model.overlay {
                form.step_field(action == Action::NextField);
            }
        }
        _ => {}
    }
}

fn cancel(model: &mut Model) {
    let back_to_list = match &model.overlay {
        Some(Overlay::Form(form)) => match form.pending {
            Pending::Filter(pane) => {
                apply_filter(model, pane, String::new());
                false
            }
            Pending::SearchAll(from_list) => from_list && model.corpus.is_some(),
            _ => false,
        },
        _ => false,
    };
    model.overlay = back_to_list.then_some(Overlay::Results);
}

fn accept(model: &mut Model, now: DateTime<Utc>) {
    let Some(overlay) = model.overlay.take() else {
        return;
    };
    match overlay {
        Overlay::Confirm(confirm) => match confirm.pending {
            Pending::CloseRun(dir) => model.outbox.push(Effect::CloseRun {
                dir,
                recent: model.settings.stale_after,
            }),
            Pending::Move { action, cards } => {
                if let Some(op) = super::moves::plain_op(action) {
                    super::moves::apply(model, &cards, &op);
                }
            }
            Pending::RunNtm {
                session,
                bead,
                verb,
                plan,
            } => super::ntm::run(model, &session, &bead, &verb, plan),
            Pending::Acknowledge(items) => model.acknowledge(&items),
            _ => {}
        },
        Overlay::Form(mut form) => match form.pending.clone() {
            Pending::Filter(_) => {}
            Pending::Search => {
                let query = form.value(0).to_owned();
                if query.is_empty() {
                    model.transcript.cancel_search();
                    model.transcript.search = None;
                } else {
                    model.transcript.search_for(&query);
                    let id = model.transcript.search.as_ref().map(|s| s.id);
                    model.say_about(
                        Topic::Search(id),
                        StatusKind::Info,
                        format!("searching for {query:?}… (Esc stops)"),
                    );
                }
            }
            Pending::SearchAll(_) => {
                let typed = form.value(0).to_owned();
                if let Err(why) = super::corpus::start(model, &typed, now) {
                    form.error = Some(why);
                    model.overlay = Some(Overlay::Form(form));
                }
            }
            Pending::FailBead(cards) => {
                let reason = form.value(0).trim().to_owned();
                if reason.is_empty() {
                    form.error = Some("a reason is required".to_owned());
                    model.overlay = Some(Overlay::Form(form));
                    return;
                }
                super::moves::apply(model, &cards, &StoreOp::Fail(reason));
            }
            Pending::ReassignBead(cards)
                if cards.len() == 1
                    && cards
                        .iter()
                        .all(|c| c.host.is_none() && model.is_v9(&c.session)) =>
            {
                if let Some((field, problem)) = super::ntm::reassign(model, &cards[0], &form) {
                    form.error = Some(problem.to_owned());
                    form.focus = field;
                    model.overlay = Some(Overlay::Form(form));
                }
            }
            Pending::ReassignBead(cards) => reassign(model, &cards, form),
            Pending::AssignBead { bead, .. } if super::board::assigns_through_ntm(model) => {
                if let Some((field, problem)) = super::ntm::assign(model, &bead, &form) {
                    form.error = Some(problem.to_owned());
                    form.focus = field;
                    model.overlay = Some(Overlay::Form(form));
                }
            }
            Pending::AssignBead { bead, title } => {
                if let Some((field, problem)) = super::board::assign_problem(&form) {
                    form.error = Some(problem.to_owned());
                    form.focus = field;
                    model.overlay = Some(Overlay::Form(form));
                    return;
                }
                let session = form.value(0).trim().to_owned();
                if model.is_v9(&session) {
                    // Only the all-sessions board asks for the session and knows its store.
                    form.error = Some(format!(
                        "session {} is today's NTM's (schema 9): open it (S) to assign with ntm assign",
                        crate::present::sanitize::one_line(&session)
                    ));
                    form.focus = 0;
                    model.overlay = Some(Overlay::Form(form));
                    return;
                }
                let pane = form.value(1).trim().parse().unwrap_or_default();
                if !pane_checked(model, &session, pane, form.clone()) {
                    return;
                }
                super::board::assign_ready(model, &form, &bead, &title);
            }
            Pending::CloseRun(_)
            | Pending::Move { .. }
            | Pending::RunNtm { .. }
            | Pending::Acknowledge(_) => {}
        },
        other => model.overlay = Some(other),
    }
}

/// Why the reassign form cannot be accepted: (field, problem).
fn reassign_problem(model: &Model, cards: &[CardKey], form: &Form) -> Option<(usize, String)> {
    let Ok(pane) = form.value(0).trim().parse::<i64>() else {
        return Some((0, "pane must be a whole number".to_owned()));
    };
    let agent_type = form.value(1).trim();
    if agent_type.is_empty() {
        return Some((1, "agent type is required".to_owned()));
    }
    let name = form.value(2).trim();
    let same = |c: &crate::persist::assignment::Assignment| {
        c.pane == pane && c.agent_type == agent_type && (name.is_empty() || c.agent_name == name)
    };
    match cards {
        [card] if model.board.card(card).is_some_and(same) => {
            Some((0, "same pane and agent: nothing to reassign".to_owned()))
        }
        _ => None,
    }
}

/// The reassign form accepted for seed-era cards: every card to the pane and agent it names
/// (checked against tmux first when they are all in one session).
fn reassign(model: &mut Model, cards: &[CardKey], mut form: Form) {
    if let Some((field, problem)) = reassign_problem(model, cards, &form) {
        form.error = Some(problem);
        form.focus = field;
        model.overlay = Some(Overlay::Form(form));
        return;
    }
    let pane = form.value(0).trim().parse::<i64>().unwrap_or_default();
    let op = StoreOp::Reassign {
        pane,
        agent_type: form.value(1).trim().to_owned(),
        agent_name: form.value(2).trim().to_owned(),
    };
    let sessions: std::collections::BTreeSet<&str> =
        cards.iter().map(|c| c.session.as_str()).collect();
    // This machine's tmux knows only this machine's panes (another host checks its own).
    if let [session] = sessions.into_iter().collect::<Vec<_>>()[..]
        && cards.iter().all(|c| c.host.is_none())
    {
        let session = session.to_owned();
        if !pane_checked(model, &session, pane, form) {
            return;
        }
    }
    super::moves::apply(model, cards, &op);
}

/// The pager or the editor the terminal was lent to has ended: an edited field takes the text
/// as saved; a program that failed says why.
pub fn returned(model: &mut Model, returned: crate::app::terminal::lend::Returned) {
    use crate::app::terminal::lend::Returned;
    match returned {
        Returned::Pager(Ok(())) => {}
        Returned::Pager(Err(why)) => model.say(StatusKind::Error, why),
        Returned::Editor { field, result } => {
            let Some(Overlay::Form(form)) = &mut model.overlay else {
                return;
            };
            match result {
                Ok(text) => {
                    if let Some(f) = form.fields.get_mut(field) {
                        *f = crate::app::model::Field::new(f.label, text, f.hint);
                        f.selected = false;
                    }
                    form.focus = field;
                }
                Err(why) => form.error = Some(why),
            }
        }
    }
}

/// Whether the form's pane was found among `session`'s live tmux panes. If it has not been
/// checked yet, asks a worker (the form stays open, the status line says so) and returns
/// false; the answer accepts the form again, or shows why the pane is wrong.
fn pane_checked(
    model: &mut Model,
    session: &str,
    pane: i64,
    form: crate::app::model::Form,
) -> bool {
    if model.pane_check.take() == Some((session.to_owned(), pane, true)) {
        return true;
    }
    model.pane_check = Some((session.to_owned(), pane, false));
    model.outbox.push(Effect::CheckPane {
        session: session.to_owned(),
        pane,
    });
    model.overlay = Some(Overlay::Form(form));
    model.say(
        StatusKind::Info,
        format!("checking pane {pane} in tmux session {session}…"),
    );
    false
}

/// The tmux answer for the open form's pane: accept the form again, or say why not.
pub fn pane_answer(
    model: &mut Model,
    session: &str,
    pane: i64,
    result: Result<(), String>,
    now: DateTime<Utc>,
) {
    if model.pane_check != Some((session.to_owned(), pane, false)) {
        return;
    }
    match result {
        Ok(()) => {
            model.pane_check = Some((session.to_owned(), pane, true));
            model.status = None;
            accept(model, now);
        }
        Err(why) => {
            model.pane_check = None;
            model.status = None;
            if let Some(Overlay::Form(form)) = &mut model.overlay {
                form.focus = usize::from(matches!(form.pending, Pending::AssignBead { .. }));
                form.error = Some(why);
            }
        }
    }
}
