//! The agent-session readers the app calls, in one place: thin adapters over
//! [`crate::persist::session`] shaped as the workers and the config want them.

use crate::persist::run::cache::FileStamp;
use crate::persist::session::claude::registry::Registry;
use crate::persist::session::{
    self, Agent, Decoded, Entry, Listing, SessionError, SessionFile, SessionRoots, SessionSource,
    SourceReport, Summarizer, TurnState, live,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One line of an append-only session file as entries.
#[must_use]
pub fn decode_line(agent: Agent, line: &[u8]) -> Decoded {
    session::decode_line(agent, line)
}

/// A session read whole: each record shown, in order (entries, or a malformed record); of a
/// legacy Gemini document too large to keep whole, the records of its end.
///
/// # Errors
/// The session cannot be read.
pub fn read_document(source: &SessionSource) -> Result<Vec<Decoded>, SessionError> {
    session::read_items(source)
}

/// Links a session's sub-agent entries to the sub-agents' transcripts: Claude's beside
/// `path`, Codex's threads' rollouts in the sessions tree, Gemini's in `chats/<session id>/`
/// (OpenCode's child sessions are in its database, linked as they are read: its `task`
/// tool's part names the child).
pub fn link_subagents(agent: Agent, path: &Path, entries: &mut [Entry]) {
    match agent {
        Agent::Claude => session::claude::subagents::link(path, entries),
        Agent::Codex => session::codex::subagents::link(path, entries),
        Agent::Gemini => session::gemini::place::link(path, entries),
        Agent::OpenCode => {}
    }
}

/// A session's summary, read whole or from where `previous` stopped, and the identity of the
/// file it was read from.
///
/// # Errors
/// The session cannot be read.
pub fn summarize(
    file: &SessionFile,
    previous: Option<Summarizer>,
) -> Result<(Summarizer, Option<FileStamp>), SessionError> {
    let s = session::summarize(file, previous)?;
    let stamp = s.stamp();
    Ok((s, stamp))
}

/// What Claude's live registries say of each session they name: whether its process is
/// alive (a reused pid is told apart by its start time where the system says), and what it
/// is doing.
#[must_use]
pub fn claude_registry(roots: &[PathBuf]) -> HashMap<String, (Option<bool>, Option<TurnState>)> {
    let registry = Registry::read(roots);
    let mut out = HashMap::new();
    for e in &registry.entries {
        let Some(id) = &e.session_id else { continue };
        let alive = e.pid.map(|pid| match &e.proc_start {
            Some(start) => live::same_process(pid, start).unwrap_or_else(|| live::pid_alive(pid)),
            None => live::pid_alive(pid),
        });
        // The most recently updated file naming the session wins.
        let newer = registry
            .for_session(id)
            .is_none_or(|best| best.file == e.file);
        if newer {
            let turn = alive.filter(|a| *a).and_then(|_| e.turn());
            out.insert(id.clone(), (alive, turn));
        }
    }
    out
}

/// Each source looked at, with how many sessions `listing` found there.
#[must_use]
pub fn reports(roots: &SessionRoots, listing: &Listing) -> Vec<SourceReport> {
    roots.reports_with(listing)
}

/// Where each agent keeps its sessions, from the agents' own variables and `home`.
#[must_use]
pub fn discover(
    home: Option<&Path>,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> SessionRoots {
    SessionRoots::discover(home, env)
}

/// Switches an agent's sessions off (its place is still reported, as switched off).
pub fn disable(roots: &mut SessionRoots, agent: Agent) {
    roots.disable(agent);
}

/// The whole text of an entry its decoder cut from `size` bytes, read from its record's line
/// (see [`session::whole_text`]).
#[must_use]
pub fn whole_text(line: &[u8], size: u64) -> Option<String> {
    session::whole_text(line, size)
}
