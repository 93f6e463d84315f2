//! Messages. One thread owns the model; input, the file watcher and signals only send
//! [`Msg`]s on one channel (the terminal's threads are in `terminal/`).

use crossterm::event::{KeyEvent, MouseEvent};
use std::path::PathBuf;

/// What changed on disk, already classified by path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// Something under the runs root that needs a full rescan (a repo directory appeared).
    Runs,
    /// A run's directory or manifest changed: reload that run.
    Run(PathBuf),
    /// A run's bridge changed: refresh its activity only.
    RunActivity(PathBuf),
    /// A run's transcript grew (or was replaced): read the new lines, refresh activity.
    Transcript(PathBuf),
    /// A session directory appeared or vanished.
    Sessions,
    /// A session's store changed.
    Store(String),
    /// A session's history log changed.
    History(String),
    /// A data root appeared or vanished: set up watching again and rescan.
    Roots,
    /// The beads `issues.jsonl` changed.
    Beads,
    /// An agent session's file (or OpenCode's database) changed: read that session again,
    /// or list the sessions again when it is not listed.
    Agent(PathBuf),
    /// A directory agent sessions live in appeared or vanished: watch again, then list.
    AgentDirs,
    /// Something changed where a session's sub-agents write: a Claude session's side
    /// directory (`<id>/`, its `subagents/` and the sub-agents' transcripts), a Gemini one's
    /// `chats/<id>/`: the sub-agent shown reads on, its parent's sub-agent entries are linked
    /// again.
    Subagent(PathBuf),
    /// Claude's live registry changed (a process started, ended or changed status).
    AgentLive,
}

/// Everything the event loop reacts to.
#[derive(Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event (only sent while mouse reporting is on).
    Mouse(MouseEvent),
    /// A suspend or resume for the event loop's terminal (`update` ignores it).
    Tty(crate::app::terminal::TtyEvent),
    /// The program the terminal was lent to (pager, editor) ended.
    Returned(crate::app::terminal::lend::Returned),
    /// The terminal was resized.
    Resize(u16, u16),
    /// A file changed.
    Disk(Change),
    /// Watching failed; the loop falls back to polling (the reason).
    WatchFailed(String),
    /// A background task has something to say (a notify hook failed).
    Report(String),
    /// A worker's job panicked (its message and place): an internal error, shown as one; the
    /// worker goes on with its next job.
    Failed(String),
    /// Time passed (sent by the loop itself when a visible clock needs it).
    Tick,
    /// A host's connection reported something (its state, snapshot or a change).
    Host(crate::app::model::HostNews),
    /// A worker finished (or made progress on) some work.
    Done(crate::app::outcome::Outcome),
    /// A signal or the end of input asks the program to stop (the reason).
    Stop(String),
}
