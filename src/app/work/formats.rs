//! The agent-session readers the workers call, in one place. PENDING-FORMATS: the readers are
//! being written on the agents-formats branch; until it is merged these say so instead of
//! reading.

use crate::persist::session::{Agent, Decoded, Entry, SessionError, SessionSource};

/// One line of an append-only session file as entries.
#[must_use]
pub fn decode_line(agent: Agent, _line: &[u8]) -> Decoded {
    Decoded::Malformed {
        problem: format!("{agent} records cannot be read by this build"),
    }
}

/// A session read whole.
///
/// # Errors
/// The session cannot be read.
pub fn read_document(agent: Agent, source: &SessionSource) -> Result<Vec<Entry>, SessionError> {
    Err(SessionError::Format {
        path: source.key(),
        problem: format!("{agent} sessions cannot be read by this build"),
    })
}

/// A session's summary, read whole or from where `previous` stopped, and the identity of the
/// file it was read from.
///
/// # Errors
/// The session cannot be read.
pub fn summarize(
    file: &crate::persist::session::SessionFile,
    previous: Option<crate::persist::session::Summarizer>,
) -> Result<
    (
        crate::persist::session::Summarizer,
        Option<crate::persist::run::cache::FileStamp>,
    ),
    SessionError,
> {
    let _ = previous;
    Err(SessionError::Format {
        path: file.source.key(),
        problem: format!("{} sessions cannot be read by this build", file.agent),
    })
}

/// What Claude's live registries say of each session they name: its process alive or not,
/// and what it is doing.
#[must_use]
pub fn claude_registry(
    roots: &[std::path::PathBuf],
) -> std::collections::HashMap<String, (Option<bool>, Option<crate::persist::session::TurnState>)> {
    let _ = roots;
    std::collections::HashMap::new()
}

/// Each source looked at, with how many sessions `listing` found there.
#[must_use]
pub fn reports(
    roots: &crate::persist::session::SessionRoots,
    listing: &crate::persist::session::Listing,
) -> Vec<crate::persist::session::SourceReport> {
    let _ = (roots, listing);
    Vec::new()
}

/// Where each agent keeps its sessions, from the agents' own variables and `home`.
#[must_use]
pub fn discover(
    home: Option<&std::path::Path>,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> crate::persist::session::SessionRoots {
    let _ = (home, env);
    crate::persist::session::SessionRoots::default()
}

/// Switches an agent's sessions off.
pub fn disable(roots: &mut crate::persist::session::SessionRoots, agent: Agent) {
    match agent {
        Agent::Claude => roots.claude.clear(),
        Agent::Codex => roots.codex = None,
        Agent::Gemini => roots.gemini = None,
        Agent::OpenCode => roots.opencode = None,
    }
}
