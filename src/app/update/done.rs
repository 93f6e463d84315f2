//! Outcomes: what the workers read, wrote or ran, taken into the model. Each reply fixes up
//! what depends on it (the selection, the open transcript, attention, the ready column) and
//! may ask for follow-up work.

use crate::app::effect::Effect;
use crate::app::model::transcript::{Found, Note};
use crate::app::model::{Confirm, Live, Model, Overlay, PageTaken, Pending, StatusKind, Topic};
use crate::app::outcome::{Outcome, StoreRead};
use crate::persist::run::Liveness;
use chrono::{DateTime, Utc};

/// Takes one outcome.
pub fn apply_outcome(model: &mut Model, outcome: Outcome, now: DateTime<Utc>) {
    match outcome {
        Outcome::RunsPage {
            runs,
            first,
            loaded,
            total,
            problems,
        } => {
            match model
                .runs
                .apply_page(runs, first, (loaded, total), problems)
            {
                PageTaken::Initial(added) => {
                    model.observe_first_runs(&added, now);
                    if first {
                        // The first scan's first page (once): every store's first read.
                        model.outbox.push(Effect::ObserveSessions {
                            ntm: model.roots.ntm.clone(),
                            announce: false,
                            whole: model.board.is_merged(),
                        });
                    }
                }
                PageTaken::Staged => {}
                PageTaken::Replaced => model.observe_runs(now),
            }
            model.runs.runs_listed(now);
            model.runs.watch_unwatched();
            model.runs.unwatch_finished(model.transcript.run_dir());
            model.open_selected_transcript();
            model.settle_acknowledgements();
        }
        Outcome::RunsVerified { changed, unborn } => {
            model.runs.apply_verified(changed, now);
            model.runs.watch_unwatched();
            model.runs.unwatch_finished(model.transcript.run_dir());
            // A run being made: watched, so its manifest is seen when it is written.
            for dir in unborn {
                model.runs.watch_new_dir(&dir);
            }
        }
        Outcome::RunLoaded { dir, read, retry } => {
            model.runs.apply_run(&dir, read, retry, now);
            model.runs.watch_if_unwatched(&dir);
            model.open_selected_transcript();
            model.observe_run(&dir, now);
            // Observed, so its end is reported: a finished run needs no watch of its own.
            model
                .runs
                .unwatch_if_finished(&dir, model.transcript.run_dir());
        }
        Outcome::RunTouched {
            dir,
            activity,
            peek,
        } => {
            model.runs.apply_touch(&dir, activity, peek);
            model.observe_run(&dir, now);
        }
        Outcome::AgentsScanned(found) => {
            let (added, first) = model.runs.apply_agents(*found, now);
            if first {
                // What the first scan finds was there before the dashboard started.
                model.observe_first_runs(&added, now);
            } else {
                model.observe_runs(now);
            }
            model.open_selected_transcript();
            model.settle_acknowledgements();
            // The sessions listed changed: the cards' panes are bound again.
            model.binder.sessions_listed(model.runs.all_shared());
            model.ask_bind(now);
            model.refresh_agents(now);
        }
        Outcome::AgentLoaded { key, read } => {
            let new = model.runs.get(&key).is_none();
            model.runs.apply_agent(&key, read, now);
            model.open_selected_transcript();
            model.observe_run(&key, now);
            let listed = model.runs.get_shared(&key);
            model.binder.session_read(&key, listed);
            if new || listed.is_none() {
                model.ask_bind(now);
            }
            model.refresh_run_agents(&key, now);
        }
        Outcome::AgentsAlive(updates) => {
            for key in model.runs.apply_alive(updates, now) {
                model.observe_run(&key, now);
                model.refresh_run_agents(&key, now);
            }
        }
        Outcome::Bound(looked) => model.apply_bound(*looked, now),
        Outcome::Transcript(reply) => match model.transcript.apply(reply, now) {
            Note::Quiet => {}
            Note::NoTrouble { forward } => {
                let found = model.transcript.wrap_error(forward);
                super::actions::say_error_step(model, found, forward);
            }
            Note::Wrapped { forward } => {
                super::actions::say_error_step(model, Found::Wrapped, forward);
            }
            Note::Nowhere => super::actions::say_error_step(model, Found::Nowhere, true),
        },
        Outcome::Search(progress) => {
            model.transcript.apply_search(progress);
            if let Some(s) = &model.transcript.search
                && s.done
            {
                let text = match s.matches.len() {
                    n if s.capped => format!("first {n} matches for {:?} (n/N move)", s.query),
                    0 => format!("no match for {:?}", s.query),
                    1 => format!("1 match for {:?} (n/N move)", s.query),
                    n => format!("{n} matches for {:?} (n/N move)", s.query),
                };
                let topic = Topic::Search(Some(s.id));
                model.say_about(topic, StatusKind::Info, text);
            }
        }
        Outcome::Corpus(update) => super::corpus::take(model, update),
        Outcome::SessionsListed {
            result,
            open_newest,
        } => model.board.apply_sessions(result, open_newest),
        Outcome::StoreLoaded { session, read } => {
            let records = match &read {
                StoreRead::Loaded(store) => Some(store.get_all()),
                StoreRead::Gone => Some(Vec::new()),
                StoreRead::Failed(_) => None,
            };
            model.board.apply_store(&session, read);
            if let Some(records) = records {
                model.observe_records(&session, &records, now);
            }
        }
        Outcome::SessionOverview(list) => super::picker::arrived(model, list),
        Outcome::SessionOverviewOf { session, overview } => {
            super::picker::arrived_one(model, &session, overview);
        }
        Outcome::SessionsObserved { sessions, announce } => {
            model.observe_sessions(&sessions, announce, now);
            model.sessions_observed = true;
            model.board.apply_observed(sessions);
            model.settle_acknowledgements();
        }
        Outcome::HistoryRead { session, result } => {
            if let Ok(records) = &result {
                model.observe_history(&session, records, now);
            }
            if let Some(Overlay::Card {
                session: shown,
                bead,
                history,
                ..
            }) = &mut model.overlay
                && *shown == session
            {
                *history = Some(
                    result.map(|all| all.into_iter().filter(|r| r.bead_id == *bead).collect()),
                );
            }
        }
        Outcome::HistoryFollowed { session, result } => {
            model.history_followed(&session, result, now);
        }
        Outcome::BeadsRead(read) => {
            model.apply_beads(read, now);
            model.refresh_agents(now);
        }
        Outcome::AcksRead(read) => model.restore_acknowledgements(read),
        Outcome::WriteWaiting { id, what } => model.write_waiting(id, what),
        Outcome::WriteStep { id, text } => model.write_step(id, text),
        Outcome::NtmPlanned {
            session,
            bead,
            verb,
            result,
        } => super::ntm::planned(model, session, bead, &verb, result),
        Outcome::WriteDone(reply) => model.finish_write(*reply, now),
        Outcome::CloseChecked { dir, liveness } => close_checked(model, dir, liveness),
        Outcome::RunClosed { dir, result } => {
            let name = run_name(model, &dir);
            match result {
                Ok(()) => model.say(
                    StatusKind::Success,
                    format!("run {name} closed as cancelled"),
                ),
                Err(e) => model.say(StatusKind::Error, e),
            }
            model.runs.reload_run(&dir);
        }
        Outcome::PaneChecked {
            session,
            pane,
            result,
        } => super::forms::pane_answer(model, &session, pane, result, now),
        Outcome::ClipboardChecked { what, setting } => {
            super::reach::clipboard_checked(model, &what, setting);
        }
        Outcome::TmuxDone(result) => match result {
            Ok(text) => model.say(StatusKind::Success, text),
            Err(text) => model.say(StatusKind::Error, text),
        },
        Outcome::Rewatched => caught_up(model),
        Outcome::SubagentsWatched(Some(side)) => {
            super::apply_change(model, crate::app::event::Change::Subagent(side));
        }
        Outcome::SubagentsWatched(None) => {}
        Outcome::RunsWatched(dirs) => {
            // Whatever changed in them before their watch is read now.
            for dir in dirs {
                super::apply_change(model, crate::app::event::Change::Run(dir));
            }
        }
        Outcome::Watching { polling, fell_back } => {
            // Watching starts after the first reads: whatever changed in between is read now
            // (the runs checked by their manifests' stamps, not read all over again).
            caught_up(model);
            if let (Some(reason), true) = (&polling, fell_back) {
                model.say(
                    StatusKind::Warning,
                    format!(
                        "file events unavailable ({reason}); polling every {} s",
                        crate::app::watch::POLL_INTERVAL.as_secs()
                    ),
                );
            }
            model.live = polling.map_or(Live::Watching, Live::Polling);
        }
    }
}

/// The name of the run in `dir`, or the directory when it is not listed.
fn run_name(model: &Model, dir: &std::path::Path) -> String {
    model
        .runs
        .get(dir)
        .map_or_else(|| dir.display().to_string(), crate::present::naming::name)
}

/// Once watching is in place, reads what may have changed before it: the runs that differ
/// from the disk, every unfinished run's activity, the sessions and the open transcript.
fn caught_up(model: &mut Model) {
    model.runs.verify();
    model.runs.scan_agents(model.clock);
    model.runs.touch_unfinished();
    // (Before the stores' first quiet read, which is still to come, it only lists them.)
    super::apply_change(model, crate::app::event::Change::Sessions);
    model.transcript.refresh();
}

/// `C` after the worker looked at the run: a confirm dialog, or why it cannot be closed.
fn close_checked(model: &mut Model, dir: std::path::PathBuf, liveness: Liveness) {
    let name = run_name(model, &dir);
    match liveness {
        Liveness::Live(reason) => model.say(
            StatusKind::Error,
            format!("run {name} looks live ({reason}); only stale runs can be closed"),
        ),
        Liveness::NotLive => {
            model.overlay = Some(Overlay::Confirm(Confirm {
                title: format!("Close run {name} as cancelled?"),
                lines: vec![
                    format!(
                        "It has been quiet longer than {}.",
                        crate::present::time::humanize(model.settings.stale_after)
                    ),
                    "manifest.json gets state cancelled and completed_at;".to_owned(),
                    "transcript.jsonl gets state and end entries.".to_owned(),
                ],
                pending: Pending::CloseRun(dir),
            }));
        }
    }
}

/// Asks the worker whether the selected run may be closed.
pub fn ask_close(model: &mut Model) {
    let Some(record) = model.runs.selected() else {
        model.say(StatusKind::Info, "no run selected");
        return;
    };
    let name = crate::present::naming::name(record);
    if let Some(host) = record.host() {
        let text = format!("run {name} is on {host}: close it there (beadboard on {host})");
        model.say(StatusKind::Info, text);
        return;
    }
    if let Some(session) = record.session() {
        let text = format!(
            "run {name} is a {} session: only agentpair runs can be closed from here",
            session.agent()
        );
        model.say(StatusKind::Info, text);
        return;
    }
    if record.is_complete() {
        let text = format!(
            "run {name} is already {}; nothing to close",
            record.state().as_str()
        );
        model.say(StatusKind::Error, text);
        return;
    }
    let effect = Effect::CheckClose {
        dir: record.dir.clone(),
        recent: model.settings.stale_after,
    };
    model.outbox.push(effect);
}
