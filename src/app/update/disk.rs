//! Disk changes: reload only the affected part — one run's manifest, one run's activity, the
//! open transcript's new lines, or the open session's store.

use crate::app::event::Change;
use crate::app::model::Model;
use chrono::{DateTime, Utc};

/// Applies one change; returns whether the screen needs redrawing.
pub fn apply_change(model: &mut Model, change: Change, now: DateTime<Utc>) -> bool {
    match change {
        Change::Runs | Change::Roots => {
            model.runs.reload_all();
            model.board.reload_sessions();
            model.open_selected_transcript();
        }
        Change::Run(dir) => {
            model.runs.reload_run(&dir);
            if model.transcript.run_dir() == Some(dir.as_path()) {
                model.transcript.refresh(now);
            }
            model.open_selected_transcript();
        }
        Change::RunActivity(dir) => model.runs.touch(&dir),
        Change::Transcript(dir) => {
            model.runs.touch(&dir);
            if model.transcript.run_dir() == Some(dir.as_path()) {
                model.transcript.refresh(now);
            }
        }
        Change::Sessions => model.board.reload_sessions(),
        Change::Store(session) => {
            if model.board.session.as_deref() == Some(session.as_str()) {
                model.board.reload_store();
            } else if !model.board.sessions.contains(&session) {
                model.board.reload_sessions();
            }
        }
        Change::History(_) => return false,
    }
    true
}
