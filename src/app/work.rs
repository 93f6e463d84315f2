//! The work behind each [`Effect`]: the only code in the app that reads files, takes locks,
//! writes stores or runs processes. Workers call [`execute`] on their threads; tests call it
//! inline through `app::settle`. Every result goes to `sink` as a [`Msg::Done`].

pub mod agents;
mod board;
mod corpus;
pub mod formats;
pub mod hosts;
mod ntm;
mod runs;
pub mod tail;
pub mod transcript;
pub mod window;
mod write;

use super::effect::{AgentTarget, Effect, TmuxJob};
use super::event::Msg;
use super::outcome::Outcome;
use crate::present::sanitize::one_line;
use crate::tmux::Tmux;
use std::sync::Arc;

/// Where a worker's messages go: the event loop's channel, or a test's queue.
#[derive(Clone)]
pub struct Sink(Arc<dyn Fn(Msg) + Send + Sync>);

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink")
    }
}

impl Sink {
    /// A sink that hands each message to `f`.
    pub fn new(f: impl Fn(Msg) + Send + Sync + 'static) -> Sink {
        Sink(Arc::new(f))
    }

    /// Reports an outcome.
    pub fn done(&self, outcome: Outcome) {
        (self.0)(Msg::Done(outcome));
    }

    /// Sends any message.
    pub fn send(&self, msg: Msg) {
        (self.0)(msg);
    }

    /// Reports a problem for the status line.
    pub fn report(&self, text: String) {
        (self.0)(Msg::Report(text));
    }

    /// Reports a job that panicked (an internal error).
    pub fn failed(&self, text: String) {
        (self.0)(Msg::Failed(text));
    }
}

/// Does the work of `effect`, reporting through `sink` (progress first, then the result).
/// Watch effects are the watch keeper's (see `watch.rs`); here, with no watcher, a rewatch
/// only asks for the rescan that follows one.
pub fn execute(effect: Effect, sink: &Sink) {
    let done = |outcome| sink.done(outcome);
    match effect {
        // Without the hosts' channels (tests, headless): the request is answered as lost.
        Effect::HostMove { .. }
        | Effect::HostFollow { .. }
        | Effect::HostUnfollow { .. }
        | Effect::HostSearch { .. }
        | Effect::HostCancel { .. } => {
            hosts::unreachable_host(effect, sink);
        }
        Effect::ScanRuns {
            agentpair,
            cache_dir,
            now,
        } => runs::scan(&agentpair, cache_dir, now, done),
        Effect::VerifyRuns {
            agentpair,
            known,
            unreadable,
        } => done(runs::verify(&agentpair, &known, &unreadable)),
        Effect::LoadRun { dir, retry } => done(runs::load(dir, retry)),
        Effect::TouchRun { dir, active } => done(runs::touch(dir, active)),
        Effect::ScanAgents(scan) => {
            let crate::app::effect::AgentScan {
                roots,
                known,
                previous,
                judge,
                cache_dir,
            } = *scan;
            let found = agents::scan(&roots, &known, previous, &judge, cache_dir.as_deref());
            done(Outcome::AgentsScanned(Box::new(found)));
        }
        Effect::LoadAgent(load) => done(match &load.file {
            AgentTarget::Listed(file) => {
                agents::load(&load.roots, file, load.previous, &load.judge)
            }
            AgentTarget::New(path) => agents::load_new(&load.roots, path, &load.judge),
        }),
        Effect::CheckAlive { roots, sessions } => done(agents::check_alive(&roots, sessions)),
        Effect::Bind(job) => done(agents::bind(&job)),
        Effect::Transcript(job) => done(Outcome::Transcript(transcript::read(job))),
        Effect::Search(request) => {
            crate::app::search::scan(&request, |progress| done(Outcome::Search(progress)));
        }
        Effect::SearchCorpus(job) => corpus::run(job, sink),
        Effect::ListSessions { ntm, open_newest } => done(board::sessions(&ntm, open_newest)),
        Effect::LoadStore { ntm, session } => done(board::store(&ntm, session)),
        Effect::ObserveSessions {
            ntm,
            announce,
            whole,
        } => done(board::observe(&ntm, announce, whole)),
        Effect::SessionOverview { ntm, only } => done(board::overview(&ntm, only)),
        Effect::ReadHistory { path, session } => done(board::history(&path, session)),
        Effect::FollowHistory {
            path,
            session,
            cursor,
        } => done(board::follow_history(&path, session, cursor)),
        Effect::ReadBeads(path) => done(Outcome::BeadsRead(
            crate::persist::beads::read_beads(&path).map_err(|e| e.to_string()),
        )),
        Effect::CheckClipboard { what } => done(Outcome::ClipboardChecked {
            what,
            setting: Tmux::from_env()
                .clipboard_setting()
                .map_err(|e| one_line(&e.to_string())),
        }),
        Effect::LoadAcks(dir) => done(Outcome::AcksRead(
            crate::persist::acks::load(&dir).map_err(|e| e.to_string()),
        )),
        Effect::SaveAcks { dir, items } => {
            if let Err(e) = crate::persist::acks::save(&dir, &items) {
                sink.report(format!("acknowledgements not kept: {e}"));
            }
        }
        Effect::Write(job) => write::run(job, sink),
        Effect::NtmWrite(job) => ntm::write(*job, sink),
        Effect::PlanNtm(job) => done(ntm::plan(&job)),
        Effect::RunNtm(job) => ntm::run(job, sink),
        Effect::CheckClose { dir, recent } => done(runs::check_close(dir, recent)),
        Effect::CloseRun { dir, recent } => done(runs::close(dir, recent)),
        Effect::Tmux(job) => done(Outcome::TmuxDone(tmux(&job))),
        Effect::CheckPane { session, pane } => done(Outcome::PaneChecked {
            result: check_pane(&session, pane),
            session,
            pane,
        }),
        // Without a watch keeper (headless), there is nothing to set up: rescan at once.
        Effect::Rewatch => done(Outcome::Rewatched),
        // Without a watch keeper, there is nothing to watch them with.
        Effect::WatchRuns(_) | Effect::UnwatchRuns(_) | Effect::WatchSubagents(_) => {}
        // Only the event loop can lend the terminal or write to it; headless, nothing happens.
        Effect::PollInstead(_) | Effect::Foreground(_) | Effect::Clipboard(_) => {}
    }
}

/// Whether `pane` is a pane index of tmux session `session`. Fine when tmux cannot be asked (no
/// server, no such session yet): the check is a help, not a gate.
fn check_pane(session: &str, pane: i64) -> Result<(), String> {
    let Ok(panes) = Tmux::from_env().panes(session) else {
        return Ok(());
    };
    if panes.is_empty() || panes.iter().any(|p| p.pane_index == pane) {
        return Ok(());
    }
    let mut indexes: Vec<i64> = panes.iter().map(|p| p.pane_index).collect();
    indexes.sort_unstable();
    indexes.dedup();
    let list = indexes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(format!(
        "no pane {pane} in tmux session {} (its panes: {list})",
        one_line(session)
    ))
}

/// Runs a tmux jump and says what happened, in one line.
fn tmux(job: &TmuxJob) -> Result<String, String> {
    let tmux = Tmux::from_env();
    let outcome = match job {
        TmuxJob::Session { session, inside } => tmux.open_session(session, *inside),
        TmuxJob::PaneId { id, inside } => tmux.open_pane_id(id, *inside),
        TmuxJob::Pane {
            session,
            pane,
            inside,
        } => tmux.open_pane(session, *pane, *inside),
    };
    outcome
        .map(|o| one_line(&o.to_string()))
        .map_err(|e| one_line(&e.to_string()))
}
