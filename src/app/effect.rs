//! Effects: the work `update` asks for instead of doing it. Every read of a file, every store
//! change with its lock wait, every scan, search, tmux call and process runs on a worker
//! (see `worker.rs`) and reports back as a [`Msg::Done`](super::event::Msg::Done); the event
//! loop itself never waits on anything but its channel. Effects are plain data, so tests can
//! run them inline (`app::settle`) through the very same code the workers run.

mod agents;
mod jobs;

pub use agents::{AgentLoad, AgentScan, AgentTarget, BindJob};
pub use jobs::{
    Move, NtmPlanJob, NtmPlanOp, NtmRunJob, NtmWriteJob, NtmWriteOp, StoreOp, TmuxJob, WriteJob,
};

use crate::app::model::transcript::{Line, Tail};
use crate::app::search::SearchRequest;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// One piece of work for a worker.
#[derive(Debug)]
pub enum Effect {
    /// Scan every run under the agentpair root, and hand them back page by page (active and
    /// recent runs first; see [`crate::persist::run::RunLoader`]).
    ScanRuns {
        /// The agentpair root.
        agentpair: PathBuf,
        /// Where the run summary cache lives (`None`: no cache).
        cache_dir: Option<PathBuf>,
        /// The time the scan judges recency by.
        now: chrono::DateTime<chrono::Utc>,
    },
    /// List the runs under the agentpair root and name those that appeared, vanished or
    /// whose manifest changed since their summaries were taken (no manifest is read).
    VerifyRuns {
        /// The agentpair root.
        agentpair: PathBuf,
        /// Every listed run (shared with the list: each knows the stamp its summary was taken
        /// from).
        known: Vec<Arc<crate::persist::run::RunSummary>>,
        /// Run directories whose manifest could not be read (always read again).
        unreadable: Vec<PathBuf>,
    },
    /// Read one run's manifest, activity and peek again (it changed, appeared or vanished).
    LoadRun {
        /// The run directory.
        dir: PathBuf,
        /// This is the one retry after a manifest could not be read (no further retry).
        retry: bool,
    },
    /// Read one run's file activity (and peek, for an unfinished run): a file grew.
    TouchRun {
        /// The run directory.
        dir: PathBuf,
        /// The run is not finished (its transcript's end is worth a peek).
        active: bool,
    },
    /// List every agent session under the session roots and summarise those that changed.
    ScanAgents(Box<AgentScan>),
    /// Read one agent session again (its file changed).
    LoadAgent(Box<AgentLoad>),
    /// Look at the cards' panes and bind each one's agent to its session.
    Bind(Box<BindJob>),
    /// Ask the live registries which of these sessions (key, id) have a live process.
    CheckAlive {
        /// Where the agents keep their sessions (and registries).
        roots: crate::persist::session::SessionRoots,
        /// The sessions.
        sessions: Vec<(PathBuf, String)>,
    },
    /// Read from the open transcript.
    Transcript(TranscriptJob),
    /// A move for another host's store, sent on its channel (answered as host news).
    HostMove {
        /// The host.
        host: String,
        /// The request's id (its answer carries it).
        id: u64,
        /// The move, with the state the card showed.
        mv: Box<crate::remote::protocol::Move>,
    },
    /// Follow a run's transcript on another host: its last stretch (or from an offset), then
    /// what is appended, pushed by the host (each chunk host news carrying `id`).
    HostFollow {
        /// The host.
        host: String,
        /// The run's reference there.
        run: String,
        /// The byte offset to start at (`None`: the last stretch).
        from: Option<u64>,
        /// The follow's id (its chunks carry it; its end names it).
        id: u64,
    },
    /// Stop following a transcript on another host.
    HostUnfollow {
        /// The host.
        host: String,
        /// The follow's id.
        id: u64,
    },
    /// Search every transcript on another host (its matches and end come as host news).
    HostSearch {
        /// The host.
        host: String,
        /// The request's id (its answers carry it).
        id: u64,
        /// What to look for.
        spec: Box<crate::remote::protocol::SearchSpec>,
    },
    /// Stop a search on another host (Esc, a newer search, the list closed): it ends soon
    /// with its end saying it was cancelled.
    HostCancel {
        /// The host.
        host: String,
        /// The search's request id.
        id: u64,
    },
    /// Search the open transcript's file.
    Search(SearchRequest),
    /// Search every run's transcript, streaming matches back.
    SearchCorpus(CorpusJob),
    /// List the sessions under the NTM root.
    ListSessions {
        /// The NTM root.
        ntm: PathBuf,
        /// Open the most recently changed session when the list arrives.
        open_newest: bool,
    },
    /// Read one session's store (for the board when it is open, and for attention).
    LoadStore {
        /// The NTM root.
        ntm: PathBuf,
        /// The session.
        session: String,
    },
    /// Every session at a glance, for the session picker: counts per status and when each
    /// store last changed, most recently changed first.
    SessionOverview {
        /// The NTM root.
        ntm: PathBuf,
        /// Only this session (its store changed), not every one.
        only: Option<String>,
    },
    /// Read every session's store (attention at start and after a rescan, and the
    /// all-sessions board).
    ObserveSessions {
        /// The NTM root.
        ntm: PathBuf,
        /// Announce what needs attention as news (false at start: it is known, not news).
        announce: bool,
        /// Keep each whole store (for the all-sessions board), not only its records.
        whole: bool,
    },
    /// Read a session's history log (`assignments.history.jsonl`): attention counts a retried
    /// bead's wait from the retry, and an open card shows its transitions.
    ReadHistory {
        /// The history log.
        path: PathBuf,
        /// The session.
        session: String,
    },
    /// Read what was appended to a session's history log since `cursor` (the log grows with
    /// every change; attention follows it).
    FollowHistory {
        /// The history log.
        path: PathBuf,
        /// The session.
        session: String,
        /// Where the last read ended.
        cursor: crate::persist::assignment::HistoryCursor,
    },
    /// Read the beads file behind the ready column.
    ReadBeads(PathBuf),
    /// Read the acknowledgements kept in the cache directory.
    LoadAcks(PathBuf),
    /// Keep these acknowledgements in the cache directory (replacing what is there).
    SaveAcks {
        /// The cache directory.
        dir: PathBuf,
        /// Every acknowledgement that still applies.
        items: Vec<crate::persist::acks::Acknowledgement>,
    },
    /// Change a store: one move or several, each its own locked change (waiting for the lock,
    /// cancellably).
    Write(WriteJob),
    /// A direct write to a schema-9 store by NTM's protocol (start, or the complete/fail
    /// request), waiting for NTM's locks cancellably.
    NtmWrite(Box<NtmWriteJob>),
    /// Work out the `ntm assign` command(s) for an operation on a schema-9 store (the row as
    /// it is on disk now, and whether `ntm` is installed).
    PlanNtm(NtmPlanJob),
    /// Run confirmed `ntm assign` command(s), cancellably.
    RunNtm(NtmRunJob),
    /// Decide whether a run may be closed (its files' ages and its tmux session).
    CheckClose {
        /// The run directory.
        dir: PathBuf,
        /// Files changed within this long count as live.
        recent: Duration,
    },
    /// Close a stale run as cancelled.
    CloseRun {
        /// The run directory.
        dir: PathBuf,
        /// Files changed within this long count as live.
        recent: Duration,
    },
    /// Go to a tmux target.
    Tmux(TmuxJob),
    /// Check that a pane index exists in a tmux session (before an assign or reassign).
    CheckPane {
        /// The session.
        session: String,
        /// The pane index.
        pane: i64,
    },
    /// Lend the terminal to the pager or the editor (only the event loop can: it owns the
    /// terminal).
    Foreground(crate::app::terminal::lend::Foreground),
    /// Put text on the clipboard with OSC 52 (the event loop writes it to the terminal).
    Clipboard(String),
    /// Ask tmux whether it passes OSC 52 on (`set-clipboard`), for what `y` just sent.
    CheckClipboard {
        /// What was sent, in words (`run webapp #2`).
        what: String,
    },
    /// Set up file watching again (a data root appeared).
    Rewatch,
    /// Watch these run directories too (the dashboard watches unfinished runs one by one).
    WatchRuns(Vec<PathBuf>),
    /// Stop watching these run directories (finished, and reported): a finished run is
    /// checked against the disk now and then instead, as one never watched is.
    UnwatchRuns(Vec<PathBuf>),
    /// Give up on file events and poll instead (the reason).
    PollInstead(String),
    /// Watch where this session's sub-agents write (a Claude session's side directory, a
    /// Gemini one's `chats/<id>/`), instead of the one watched before (`None`: none).
    WatchSubagents(Option<PathBuf>),
}

/// A search of every run's transcript (`F`), reported as it goes.
#[derive(Debug, Clone)]
pub struct CorpusJob {
    /// Which search (updates carry it; those of an older search are dropped).
    pub id: u64,
    /// What to find (compiled on the worker).
    pub pattern: String,
    /// The runs, in the order their results should arrive.
    pub targets: Arc<[crate::search::Target]>,
    /// Only entries at or after this time.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Set to stop (Esc, a newer search, the list closed).
    pub cancel: Arc<AtomicBool>,
}

/// A read from the open transcript: `open` names which opening of which file it is for, so a
/// reply for a transcript closed meanwhile is dropped.
#[derive(Debug)]
pub struct TranscriptJob {
    /// Which opening (the pane counts them).
    pub open: u64,
    /// The transcript file (an OpenCode session's database).
    pub path: PathBuf,
    /// How it is read.
    pub source: crate::app::model::transcript::Source,
    /// What to read.
    pub read: TranscriptRead,
}

/// What to read from a transcript.
#[derive(Debug)]
pub enum TranscriptRead {
    /// Its last lines, with a tail placed after them.
    End,
    /// What was appended since the tail's offset (the tail travels with the job and back).
    Poll(Tail),
    /// Only the file's length (the window is not at the end, so nothing is appended to it).
    Stat,
    /// The lines before this offset.
    Before(u64),
    /// The lines from this offset on (`first`: the number of its line, when known).
    After {
        /// Where to start.
        from: u64,
        /// The number of the line at `from`, when known.
        first: Option<u64>,
    },
    /// Its first lines.
    Start,
    /// The lines around this offset (a search hit).
    Around(u64),
    /// A final line without a newline, taken as complete after its grace period.
    Unterminated(Tail),
    /// A session read whole (on open and on every change).
    Document,
    /// These lines' sub-agent entries, linked again to their sub-agents' transcripts (a
    /// transcript appeared since they were read).
    Link(Vec<Line>),
    /// The whole text of a cut entry: the record at `offset`, its entry whose text was cut
    /// from `size` bytes.
    Whole {
        /// Where the record's line starts.
        offset: u64,
        /// The entry's full size (what tells it among the record's entries).
        size: u64,
    },
    /// The next error, FAIL or unreadable line in a stretch beyond the window.
    Trouble {
        /// Where to start looking.
        from: u64,
        /// Where to stop.
        to: u64,
        /// Search forwards (else backwards from `to`).
        forward: bool,
        /// This look went around the end (or the start) of the transcript.
        wrapped: bool,
    },
}

/// Which worker runs an effect. Lanes run their effects one at a time, in order, so replies
/// about the same thing arrive in the order they were asked for; other effects get a thread of
/// their own because they may wait (locks, processes, long scans).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// Runs and their manifests.
    Runs,
    /// Agent sessions.
    Agents,
    /// The open transcript.
    Transcript,
    /// Sessions, stores, history and beads.
    Board,
    /// File watching.
    Watch,
    /// A thread of its own.
    Own,
    /// The event loop itself (it owns the terminal).
    Terminal,
    /// The hosts' channels (a request is handed to the host's own threads).
    Hosts,
}

impl Effect {
    /// The worker this effect runs on.
    #[must_use]
    pub fn lane(&self) -> Lane {
        match self {
            Effect::ScanRuns { .. }
            | Effect::VerifyRuns { .. }
            | Effect::LoadRun { .. }
            | Effect::TouchRun { .. } => Lane::Runs,
            Effect::ScanAgents(_) | Effect::LoadAgent(_) | Effect::CheckAlive { .. } => {
                Lane::Agents
            }
            Effect::Transcript(_) => Lane::Transcript,
            Effect::ListSessions { .. }
            | Effect::LoadStore { .. }
            | Effect::ObserveSessions { .. }
            | Effect::ReadHistory { .. }
            | Effect::FollowHistory { .. }
            | Effect::ReadBeads(_)
            | Effect::LoadAcks(_)
            | Effect::SaveAcks { .. } => Lane::Board,
            Effect::Rewatch
            | Effect::WatchRuns(_)
            | Effect::UnwatchRuns(_)
            | Effect::WatchSubagents(_)
            | Effect::PollInstead(_) => Lane::Watch,
            Effect::Foreground(_) | Effect::Clipboard(_) => Lane::Terminal,
            Effect::HostMove { .. }
            | Effect::HostFollow { .. }
            | Effect::HostUnfollow { .. }
            | Effect::HostSearch { .. }
            | Effect::HostCancel { .. } => Lane::Hosts,
            Effect::Search(_)
            | Effect::SearchCorpus(_)
            | Effect::Write(_)
            | Effect::NtmWrite(_)
            | Effect::PlanNtm(_)
            | Effect::RunNtm(_)
            | Effect::CheckClose { .. }
            | Effect::CloseRun { .. }
            | Effect::Tmux(_)
            | Effect::Bind(_)
            | Effect::CheckPane { .. }
            | Effect::CheckClipboard { .. }
            | Effect::SessionOverview { .. } => Lane::Own,
        }
    }
}
