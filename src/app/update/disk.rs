//! Disk changes: ask again for only the affected part — one run's manifest, one run's
//! activity, the open transcript's new lines, one session's store.

use crate::app::effect::Effect;
use crate::app::event::Change;
use crate::app::model::Model;

/// Applies one change by asking the workers for what it affects.
pub fn apply_change(model: &mut Model, change: Change) {
    match change {
        // A root appeared or vanished: watch again first, then rescan (see `Rewatched`), so
        // nothing created in between is missed.
        Change::Roots => model.outbox.push(Effect::Rewatch),
        // A repo directory appeared or vanished: its watch is added first, then the runs are
        // checked against the disk (see `Rewatched`).
        Change::Runs => model.outbox.push(Effect::Rewatch),
        Change::Run(dir) => {
            // A run directory just made has no manifest yet: watch it to see one written.
            model.runs.watch_new_dir(&dir);
            model.runs.reload_run(&dir);
            if model.transcript.run_dir() == Some(dir.as_path()) {
                model.transcript.refresh();
            }
        }
        Change::RunActivity(dir) => model.runs.touch(&dir),
        Change::Transcript(dir) => {
            model.runs.touch(&dir);
            if model.transcript.run_dir() == Some(dir.as_path()) {
                model.transcript.refresh();
            }
        }
        Change::Beads => model.reload_beads(),
        Change::Agent(path) => {
            model.runs.agent_changed(&path, model.clock);
            if model.transcript.path() == Some(path.as_path()) {
                model.transcript.refresh();
            }
            // Perhaps a sub-agent thread's rollout, of the Codex session shown.
            model.transcript.rollout_changed(&path);
        }
        // A project or day directory appeared: watch it first, then list (see `Rewatched`).
        Change::AgentDirs => model.outbox.push(Effect::Rewatch),
        Change::AgentLive => model.runs.scan_agents(model.clock),
        Change::Subagent(path) => {
            let side = model.subagent_side();
            model.transcript.subagent_changed(&path, side.as_deref());
        }
        Change::Sessions => {
            super::picker::changed(model, None);
            model.board.reload_sessions();
            // Before the stores' first (quiet) read, that read will see this change.
            if model.sessions_observed {
                model.outbox.push(Effect::ObserveSessions {
                    ntm: model.roots.ntm.clone(),
                    announce: true,
                    whole: model.board.is_merged(),
                });
            }
        }
        Change::Store(session) => {
            super::picker::changed(model, Some(&session));
            if !model.board.sessions.contains(&session) {
                model.board.reload_sessions();
            }
            model.outbox.push(Effect::LoadStore {
                ntm: model.roots.ntm.clone(),
                session,
            });
        }
        Change::History(session) => model.follow_history(&session),
    }
}
