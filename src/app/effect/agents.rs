//! The agent session reads an effect asks the agents worker for: a scan of every session, and
//! one session read (again, or for the first time: a new file, never a listing); and the look that binds the cards' panes to their agents' sessions.

use std::path::PathBuf;
use std::sync::Arc;

/// A scan of every agent session.
#[derive(Debug)]
pub struct AgentScan {
    /// Where the agents keep their sessions.
    pub roots: crate::persist::session::SessionRoots,
    /// The sessions listed now, by key: one whose file is unchanged is kept as it is.
    pub known: std::collections::HashMap<PathBuf, Arc<crate::persist::run::RunSummary>>,
    /// Where the reading of each unfinished session stopped, to read on from there.
    pub previous: crate::app::work::agents::Resumes,
    /// How states are decided.
    pub judge: crate::app::work::agents::Judge,
    /// Where the session summary cache lives (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
}

/// Which session a load reads.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentTarget {
    /// A session listed already (its file changed).
    Listed(crate::persist::session::SessionFile),
    /// A file not listed (new, or never a session): the worker finds what it is from its path
    /// alone, as a listing would, and reads it if it is a top-level session.
    New(PathBuf),
}

/// One agent session to read.
#[derive(Debug)]
pub struct AgentLoad {
    /// Where the agents keep their sessions (and registries).
    pub roots: crate::persist::session::SessionRoots,
    /// The session.
    pub file: AgentTarget,
    /// Its summariser, to read on from where it stopped.
    pub previous: Option<crate::persist::session::Summarizer>,
    /// How its state is decided.
    pub judge: crate::app::work::agents::Judge,
}

/// A look at the panes of the cards doing work, their agents and those agents' sessions.
#[derive(Debug)]
pub struct BindJob {
    /// The tmux server the panes are on.
    pub tmux: crate::tmux::Tmux,
    /// Claude's config directories (its live registry is under each one's `sessions/`).
    pub claude: Vec<PathBuf>,
    /// The panes the cards name.
    pub wanted: Vec<crate::binding::PaneRef>,
    /// The sessions that may be bound, sorted by key (shared with the model, which copies
    /// the list's pointers when a session changes while a look has it).
    pub candidates: Arc<Vec<crate::binding::Candidate>>,
    /// The processes of sessions tied so far: which of them are gone is said back.
    pub pids: Vec<u32>,
    /// The moment of the look.
    pub at: chrono::DateTime<chrono::Utc>,
}
