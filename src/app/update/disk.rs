//! Disk changes: reload only the affected part — one run's manifest, one run's activity, the
//! open transcript's new lines, or the open session's store.

use crate::app::event::Change;
use crate::app::model::{Model, Overlay};
use chrono::{DateTime, Utc};

/// Applies one change; returns whether the screen needs redrawing.
pub fn apply_change(model: &mut Model, change: Change, now: DateTime<Utc>) -> bool {
    match change {
        Change::Runs | Change::Roots => {
            model.runs.reload_all();
            model.board.reload_sessions();
            model.open_selected_transcript();
            model.observe_everything(now, true);
        }
        Change::Run(dir) => {
            model.runs.reload_run(&dir);
            if model.transcript.run_dir() == Some(dir.as_path()) {
                model.transcript.refresh(now);
            }
            model.open_selected_transcript();
            model.observe_run(&dir, now);
        }
        Change::RunActivity(dir) => {
            model.runs.touch(&dir);
            model.observe_run(&dir, now);
        }
        Change::Transcript(dir) => {
            model.runs.touch(&dir);
            if model.transcript.run_dir() == Some(dir.as_path()) {
                model.transcript.refresh(now);
            }
            model.observe_run(&dir, now);
        }
        Change::Beads => model.reload_beads(),
        Change::Sessions => {
            model.board.reload_sessions();
            model.observe_everything(now, true);
        }
        Change::Store(session) => {
            if model.board.session.as_deref() == Some(session.as_str()) {
                model.board.reload_store();
            } else if !model.board.sessions.contains(&session) {
                model.board.reload_sessions();
            }
            model.observe_store(&session, now);
        }
        Change::History(session) => {
            let bead = match &model.overlay {
                Some(Overlay::Card { bead, .. })
                    if model.board.session.as_deref() == Some(session.as_str()) =>
                {
                    bead.clone()
                }
                _ => return false,
            };
            let fresh = super::board::card_history(model, &bead);
            if let Some(Overlay::Card { history, .. }) = &mut model.overlay {
                *history = fresh;
            }
        }
    }
    true
}
