//! `T`: go to the selection in tmux — a run's `tmux_session` (switch the client there), or a
//! card's pane (its `dispatch_target` pane id when today's NTM recorded one, else the session
//! and `pane` index). Outside tmux the status line says how to attach instead. The tmux calls
//! run on a worker, each with a deadline, so a hung tmux never freezes the dashboard.

use crate::app::effect::{Effect, TmuxJob};
use crate::app::model::{CardKey, Model, Pane, StatusKind};
use crate::tmux::inside_tmux;

/// Asks a worker to go to the selected run's session or the selected card's pane.
pub fn open(model: &mut Model) {
    let inside = inside_tmux();
    let job = match model.focus {
        Pane::Runs | Pane::Transcript => {
            let Some(run) = model.runs.selected() else {
                model.say(StatusKind::Info, "no run selected");
                return;
            };
            if let Some(host) = run.host() {
                // Its tmux is another machine's: this one's tmux cannot switch to it.
                let text = format!(
                    "run {} is on {host}: its tmux is there (ssh {host}, then tmux attach)",
                    crate::events::run_name(run)
                );
                model.say(StatusKind::Info, text);
                return;
            }
            if let Some(s) = run.session() {
                // An agent session is reached through the pane it is bound to.
                let Some(id) = s.pane.clone() else {
                    let text = format!(
                        "run {} is not bound to a tmux pane",
                        crate::events::run_name(run)
                    );
                    model.say(StatusKind::Info, text);
                    return;
                };
                TmuxJob::PaneId { id, inside }
            } else {
                let session = run.tmux_session().to_owned();
                if session.is_empty() {
                    let text = format!(
                        "run {} has no tmux session recorded in its manifest",
                        crate::events::run_name(run)
                    );
                    model.say(StatusKind::Info, text);
                    return;
                }
                TmuxJob::Session { session, inside }
            }
        }
        Pane::Board => {
            let Some((CardKey { session, .. }, card)) = model.board.selected_entry() else {
                let text = match model.board.selected_ready() {
                    Some(bead) => format!(
                        "{} is ready, not assigned: it has no pane to go to yet (n assigns it)",
                        bead.id
                    ),
                    None => "no card selected".to_owned(),
                };
                model.say(StatusKind::Info, text);
                return;
            };
            let pane_id = card
                .extra
                .get("dispatch_target")
                .and_then(|v| v.as_str())
                .filter(|id| id.starts_with('%'))
                .map(str::to_owned);
            match pane_id {
                Some(id) => TmuxJob::PaneId { id, inside },
                None => TmuxJob::Pane {
                    session: session.clone(),
                    pane: card.pane,
                    inside,
                },
            }
        }
    };
    model.outbox.push(Effect::Tmux(job));
}
