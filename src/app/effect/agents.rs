//! The agent session reads an effect asks the agents worker for: a scan of every session, and
//! one session read again.

use std::path::PathBuf;
use std::sync::Arc;

/// A scan of every agent session.
#[derive(Debug)]
pub struct AgentScan {
    /// Where the agents keep their sessions.
    pub roots: crate::persist::session::SessionRoots,
    /// The sessions listed now, by key: one whose file is unchanged is kept as it is.
    pub known: std::collections::HashMap<PathBuf, Arc<crate::persist::run::RunSummary>>,
    /// Summarisers of unfinished sessions, to read on from where they stopped.
    pub previous: std::collections::HashMap<PathBuf, crate::persist::session::Summarizer>,
    /// How states are decided.
    pub judge: crate::app::work::agents::Judge,
    /// Where the session summary cache lives (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
}

/// One agent session to read again.
#[derive(Debug)]
pub struct AgentLoad {
    /// Where the agents keep their sessions (and registries).
    pub roots: crate::persist::session::SessionRoots,
    /// The session.
    pub file: crate::persist::session::SessionFile,
    /// Its summariser, to read on from where it stopped.
    pub previous: Option<crate::persist::session::Summarizer>,
    /// How its state is decided.
    pub judge: crate::app::work::agents::Judge,
}
