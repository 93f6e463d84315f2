//! Outcomes: what a worker found or did, sent back to the event loop as
//! [`Msg::Done`](super::event::Msg::Done). Each answers one [`Effect`](super::effect::Effect);
//! errors arrive as text that already names the file and the cause.

use crate::app::search::SearchUpdate;
use crate::persist::assignment::{
    Assignment, AssignmentStore, HistoryRecord, RecordChange, SessionInfo, SessionOverview,
};
use crate::persist::beads::BeadsFile;
use crate::persist::run::{Activity, Liveness, Peek, RunSummary};
use std::path::PathBuf;
use std::time::SystemTime;

mod transcript;

pub use transcript::{Loaded, TranscriptData, TranscriptReply};

/// What a worker reports.
#[derive(Debug)]
pub enum Outcome {
    /// One page of a scan of every run under the root: the first has every active run and
    /// the most recent finished ones; each later one, older finished runs.
    RunsPage {
        /// Readable runs, in display order, each after every run of the earlier pages.
        runs: Vec<std::sync::Arc<RunSummary>>,
        /// The first page of a scan.
        first: bool,
        /// Runs handed out so far, this page included.
        loaded: usize,
        /// Runs found in all.
        total: usize,
        /// With the first page: run directory → why its manifest could not be read.
        problems: Vec<(PathBuf, String)>,
    },
    /// The runs that appeared, vanished or changed since the list was taken.
    RunsVerified {
        /// Their directories.
        changed: Vec<PathBuf>,
        /// Run directories with no manifest yet (being made).
        unborn: Vec<PathBuf>,
    },
    /// One run read again.
    RunLoaded {
        /// The run directory.
        dir: PathBuf,
        /// What was found.
        read: RunRead,
        /// It was the one retry.
        retry: bool,
    },
    /// One run's file activity (and peek).
    RunTouched {
        /// The run directory.
        dir: PathBuf,
        /// When its files changed.
        activity: Activity,
        /// What its transcript's end says (only for unfinished runs).
        peek: Option<Peek>,
    },
    /// Every agent session listed, summarised and decided.
    AgentsScanned(Box<AgentsFound>),
    /// One agent session read again.
    AgentLoaded {
        /// Its key.
        key: PathBuf,
        /// What was found.
        read: AgentRead,
    },
    /// What the live registries say of sessions: (key, process alive, what it is doing).
    AgentsAlive(
        Vec<(
            PathBuf,
            Option<bool>,
            Option<crate::persist::session::TurnState>,
        )>,
    ),
    /// What the cards' panes hold, and which tied sessions' processes are gone.
    Bound(Box<Looked>),
    /// A transcript read.
    Transcript(TranscriptReply),
    /// Progress of a transcript search.
    Search(SearchUpdate),
    /// Matches and progress of a search of every transcript, or its end.
    Corpus(CorpusUpdate),
    /// The sessions under the NTM root, each with when its store last changed.
    SessionsListed {
        /// The sessions, or why the sessions directory could not be listed.
        result: Result<Vec<(SessionInfo, Option<SystemTime>)>, String>,
        /// Open the most recently changed one.
        open_newest: bool,
    },
    /// One session's store as read.
    StoreLoaded {
        /// The session.
        session: String,
        /// What was read.
        read: StoreRead,
    },
    /// Every session at a glance (most recently changed first), or why the sessions directory
    /// cannot be listed.
    SessionOverview(Result<Vec<SessionOverview>, String>),
    /// One session at a glance, after its store changed (`None`: it has no store any more).
    SessionOverviewOf {
        /// The session.
        session: String,
        /// How it stands.
        overview: Option<SessionOverview>,
    },
    /// Every session's store and history log, for attention (and the all-sessions board).
    SessionsObserved {
        /// Each session as read.
        sessions: Vec<SessionSeen>,
        /// Announce news (false at start).
        announce: bool,
    },
    /// A session's history log.
    HistoryRead {
        /// The session.
        session: String,
        /// Its records, oldest first, or why the log could not be read.
        result: Result<Vec<HistoryRecord>, String>,
    },
    /// What was appended to a session's history log (or all of it, when it was replaced).
    HistoryFollowed {
        /// The session.
        session: String,
        /// What was read, or why the log could not be read.
        result: Result<crate::persist::assignment::HistoryTail, String>,
    },
    /// The beads file.
    BeadsRead(Result<BeadsFile, String>),
    /// The acknowledgements kept in the cache directory, or why they could not be read.
    AcksRead(Result<Vec<crate::persist::acks::Acknowledgement>, String>),
    /// A store change is waiting for another program's lock (the lock's name).
    WriteWaiting {
        /// The write.
        id: u64,
        /// What it waits for, for people (`NTM's lock on qa`).
        what: String,
    },
    /// A change is running a step (`running: ntm assign …`).
    WriteStep {
        /// The change.
        id: u64,
        /// The step, in words.
        text: String,
    },
    /// A store change finished.
    WriteDone(Box<WriteReply>),
    /// The `ntm` command(s) for an operation, to confirm before running, or why not.
    NtmPlanned {
        /// The session.
        session: String,
        /// The bead.
        bead: String,
        /// What the operation does, in words (`retry`, `reassign`).
        verb: String,
        /// The plan, or why nothing will run (in words).
        result: Result<crate::ntm::Plan, String>,
    },
    /// Whether a run may be closed.
    CloseChecked {
        /// The run directory.
        dir: PathBuf,
        /// Its liveness.
        liveness: Liveness,
    },
    /// A run was closed (its name as shown) or could not be.
    RunClosed {
        /// The run directory.
        dir: PathBuf,
        /// Nothing, or why not.
        result: Result<(), String>,
    },
    /// A tmux call finished: what happened, or what went wrong.
    TmuxDone(Result<String, String>),
    /// What tmux said of `set-clipboard`, for what `y` sent (`Err`: tmux could not be asked).
    ClipboardChecked {
        /// What was sent, in words.
        what: String,
        /// The setting.
        setting: Result<crate::tmux::ClipboardSetting, String>,
    },
    /// A pane was checked against the session's live tmux panes: fine (also when tmux or the
    /// session is not there to ask), or why not.
    PaneChecked {
        /// The session.
        session: String,
        /// The pane index.
        pane: i64,
        /// Fine, or why the pane does not exist.
        result: Result<(), String>,
    },
    /// Watches were set up again (a root appeared): now is the time to rescan, since any
    /// change from here on raises an event.
    Rewatched,
    /// These run directories are watched now: whatever changed in them before is read again.
    RunsWatched(Vec<PathBuf>),
    /// A Claude session's side directory is watched now (`None`: none is): whatever changed
    /// in it before is read again.
    SubagentsWatched(Option<PathBuf>),
    /// How live updates arrive now (the watcher was set up or fell back to polling).
    Watching {
        /// `None` with file events; the reason while polling.
        polling: Option<String>,
        /// Events were asked for but could not be used: say so once.
        fell_back: bool,
    },
}

/// What a search of every transcript found since its last update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusUpdate {
    /// Which search.
    pub id: u64,
    /// Matches found since the last update, in the search's order.
    pub hits: Vec<crate::search::Hit>,
    /// How far it has got.
    pub progress: crate::search::CorpusProgress,
    /// Transcripts that could not be read since the last update (naming each and the cause).
    pub problems: Vec<String>,
    /// How it ended, in its last update (`None` before).
    pub end: Option<CorpusEnd>,
}

/// How a search of every transcript ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusEnd {
    /// Every transcript was searched.
    Finished,
    /// It was stopped before the end (its cancel flag).
    Cancelled,
    /// It could not run: why.
    Failed(String),
}

/// One session as read for attention.
#[derive(Debug)]
pub struct SessionSeen {
    /// The session.
    pub session: String,
    /// What was read of its store.
    pub read: SeenStore,
    /// Its history log, all of it (`None`: unreadable).
    pub history: Option<crate::persist::assignment::HistoryTail>,
}

/// What was read of a session's store for attention: its records only (each store is dropped
/// as soon as it is read, so three hundred of them never sit in memory at once), or, for the
/// all-sessions board, the whole store.
#[derive(Debug)]
pub enum SeenStore {
    /// Its records (`None`: unreadable for now; keep what was last seen).
    Records(Option<Vec<Assignment>>),
    /// The whole store as read.
    Whole(StoreRead),
}

impl SeenStore {
    /// Its records (`None`: unreadable for now).
    #[must_use]
    pub fn records(&self) -> Option<Vec<&Assignment>> {
        match self {
            SeenStore::Records(records) => records.as_ref().map(|r| r.iter().collect()),
            SeenStore::Whole(StoreRead::Loaded(store)) => Some(store.list()),
            SeenStore::Whole(StoreRead::Gone) => Some(Vec::new()),
            SeenStore::Whole(StoreRead::Failed(_)) => None,
        }
    }
}

/// A run read again.
#[derive(Debug)]
pub enum RunRead {
    /// Its manifest is gone (the run was removed).
    Gone,
    /// Read: the run's summary, as the Runs pane keeps it.
    Loaded(Box<RunSummary>),
    /// Its manifest could not be read (perhaps caught mid-write): why.
    Failed(String),
}

/// Every agent session listed, summarised and decided.
#[derive(Debug, Default)]
pub struct AgentsFound {
    /// The sessions as runs (sub-agents are not among them).
    pub runs: Vec<std::sync::Arc<RunSummary>>,
    /// Where the reading of each unfinished one stopped, by key (its summary is its run's).
    pub summarizers: Vec<(PathBuf, Box<crate::persist::session::Resume>)>,
    /// Each source looked at, and how many sessions it has.
    pub reports: Vec<crate::persist::session::SourceReport>,
    /// Directories or sessions that could not be read, and why.
    pub problems: Vec<(PathBuf, String)>,
}

/// An agent session read again.
#[derive(Debug)]
pub enum AgentRead {
    /// Its file is gone (removed, or moved: a Codex rollout compressed).
    Gone,
    /// Read: the session as a run, and where its reading stopped while it is unfinished (its
    /// summary is the run's).
    Loaded(
        std::sync::Arc<RunSummary>,
        Option<Box<crate::persist::session::Resume>>,
    ),
    /// It could not be read: why.
    Failed(String),
    /// A file not listed turned out to be no top-level session (a sub-agent's, another file):
    /// its changes ask for nothing again.
    NotSession,
}

/// A store read.
#[derive(Debug)]
pub enum StoreRead {
    /// Read (an absent file reads as an empty store).
    Loaded(Box<AssignmentStore>),
    /// The session directory is gone.
    Gone,
    /// It could not be read: why, naming the file.
    Failed(String),
}

/// A finished store change (one move or several, in one session).
#[derive(Debug)]
pub struct WriteReply {
    /// The write.
    pub id: u64,
    /// The session.
    pub session: String,
    /// The store as it is after the change (or as read when it failed), if it could be read.
    pub store: Option<AssignmentStore>,
    /// Each move's outcome, in order.
    pub moves: Vec<MoveDone>,
    /// The change was saved but the history log could not be written: why.
    pub history_problem: Option<String>,
    /// What to say on success instead of the record's new status (schema-9 requests and
    /// `ntm` runs, whose effect is not a plain status).
    pub message: Option<String>,
}

/// How one move of one bead went.
#[derive(Debug, Clone)]
pub struct MoveDone {
    /// The bead.
    pub bead: String,
    /// The changed record (none after a removal), or why it was not changed.
    pub result: Result<Option<Assignment>, WriteFailure>,
    /// What the move did to each record, exactly (what undo takes back).
    pub changes: Vec<RecordChange>,
}

/// Why a store change was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteFailure {
    /// The user stopped waiting for the lock; nothing was written.
    Cancelled(String),
    /// The move was refused (forbidden, lost a race, nothing to do): the store's own words,
    /// and the same in a few words for a summary of many (`qa-c1 is completed`).
    Refused {
        /// In full.
        text: String,
        /// In brief.
        brief: String,
    },
    /// Failed, in the store's own words.
    Error(String),
}

impl WriteFailure {
    /// The text for a summary of many moves.
    #[must_use]
    pub fn brief(&self, bead: &str) -> String {
        match self {
            WriteFailure::Cancelled(_) => format!("{bead}: stopped waiting, nothing written"),
            WriteFailure::Refused { brief, .. } => brief.clone(),
            WriteFailure::Error(text) => text.clone(),
        }
    }
}

/// One look at the cards' panes.
#[derive(Debug)]
pub struct Looked {
    /// Each pane's state, or why the look failed (tmux cannot be asked, …).
    pub result: Result<crate::binding::Bindings, String>,
    /// Which of the processes asked about have exited.
    pub gone: Vec<u32>,
}
