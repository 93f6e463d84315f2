//! The model: everything the screen shows, owned by the event-loop thread. Views read it;
//! only `update` changes it. Each pane's state lives in its own file under `model/`. The model
//! never touches a file or a process: it asks for work (effects, collected by
//! [`Model::take_effects`]) and takes the outcomes as messages.

mod acknowledge;
mod attention;
mod backlog;
mod batch;
mod binding;
mod board;
mod card_run;
pub mod corpus;
mod history;
mod hosts;
mod marks;
mod overlay;
mod picker;
mod runs;
mod status;
pub mod transcript;
mod writes;

pub use acknowledge::Acks;
pub use backlog::Backlog;
pub use batch::{Batch, MoveKind, Moved, NtmMoved, UndoState};
pub use binding::{Binder, CardAgent, Known};
pub use board::{BoardPane, CardKey, Column, HostSession, Merged, RemoteCard};
pub use card_run::{CardRun, LinkedBy};
pub use history::HistoryFollow;
pub use hosts::{HostNews, HostStatus, HostView, Hosts, action_of};
pub use overlay::{Confirm, Field, Form, Overlay, Pending};
pub use picker::{ALL_SESSIONS, PickRow, SessionPicker};
pub use runs::{PageTaken, RunsPane};
pub use status::{MESSAGES_KEPT, Part, Status, StatusKind, Topic};
pub use transcript::{Line, LineContent, Search, Timestamps, TranscriptPane, smart_contains};
pub use writes::PendingWrite;

use super::effect::Effect;
use super::event::Change;
use super::keymap::{Keymap, Scope};
use crate::config::Roots;
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// Runs from the agentpair root.
    Runs,
    /// The selected run's transcript.
    Transcript,
    /// The assignment kanban.
    Board,
}

impl Pane {
    /// The pane after this one (Tab).
    #[must_use]
    pub fn next(self) -> Pane {
        match self {
            Pane::Runs => Pane::Transcript,
            Pane::Transcript => Pane::Board,
            Pane::Board => Pane::Runs,
        }
    }

    /// The pane before this one (Shift-Tab).
    #[must_use]
    pub fn previous(self) -> Pane {
        match self {
            Pane::Runs => Pane::Board,
            Pane::Transcript => Pane::Runs,
            Pane::Board => Pane::Transcript,
        }
    }

    /// The pane's title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Pane::Runs => "Runs",
            Pane::Transcript => "Transcript",
            Pane::Board => "Board",
        }
    }
}

/// Settings that shape what the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// A non-terminal run quiet for this long is stale.
    pub stale_after: Duration,
    /// A bead assigned but not started for this long needs attention.
    pub unstarted_after: Duration,
    /// A situation older than this is history: shown, not counted.
    pub attention_window: Duration,
    /// Review FAILs in a row that need attention.
    pub fail_streak: u32,
    /// Notify about the item selected in the focused pane too (normally it is skipped: the
    /// user is looking at it).
    pub notify_selected: bool,
    /// The UTC offset times are shown in.
    pub display_offset: FixedOffset,
    /// The home directory, to show paths as `~/…`.
    pub home: Option<PathBuf>,
    /// How long a board change waits for another program's lock before giving up.
    pub lock_timeout: Duration,
    /// Where the run summary cache lives (`None`: no cache; every start reads every manifest).
    pub cache_dir: Option<PathBuf>,
    /// The tmux server whose panes the cards' agents are looked for in (`None`: the cards are
    /// not tied to agents).
    pub bind_panes: Option<crate::tmux::Tmux>,
    /// Moves the transition table cannot reverse (start, complete) ask `y`/`n` first.
    pub confirm_moves: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            stale_after: Duration::from_secs(600),
            unstarted_after: Duration::from_secs(600),
            attention_window: crate::present::attention::DEFAULT_WINDOW,
            fail_streak: crate::present::attention::DEFAULT_FAIL_STREAK,
            notify_selected: false,
            display_offset: chrono::Utc.fix(),
            home: None,
            lock_timeout: writes::BOARD_LOCK_TIMEOUT,
            cache_dir: None,
            bind_panes: None,
            confirm_moves: true,
        }
    }
}

use chrono::Offset as _;

impl Settings {
    /// The limits attention is judged by.
    #[must_use]
    pub fn thresholds(&self) -> crate::present::attention::Thresholds {
        crate::present::attention::Thresholds {
            stale_after: self.stale_after,
            unstarted_after: self.unstarted_after,
            window: self.attention_window,
            fail_streak: self.fail_streak,
        }
    }
}

/// How live updates arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// File events (notify).
    Watching,
    /// Polling, because events could not be used (the reason).
    Polling(String),
}

/// The whole dashboard state.
#[derive(Debug)]
pub struct Model {
    /// Data roots.
    pub roots: Roots,
    /// Display settings.
    pub settings: Settings,
    /// Key bindings.
    pub keymap: Keymap,
    /// The Runs pane.
    pub runs: RunsPane,
    /// The Transcript pane.
    pub transcript: TranscriptPane,
    /// The Board pane.
    pub board: BoardPane,
    /// The focused pane.
    pub focus: Pane,
    /// Transcript or Board, whichever had the focus last: the pane shown with Runs where
    /// only two fit (the portrait layout). Kept by [`Model::note_focus`].
    pub partner: Pane,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// A dialog or overlay on top, if any.
    pub overlay: Option<Overlay>,
    /// The status line.
    pub status: Option<Status>,
    /// The last status messages, oldest first (at most [`MESSAGES_KEPT`]; `M` shows them).
    pub messages: std::collections::VecDeque<Status>,
    /// How live updates arrive.
    pub live: Live,
    /// Live updates paused: changes wait here until resumed.
    pub paused: Option<HashSet<Change>>,
    /// Set when the program should end.
    pub quit: bool,
    /// What was seen of every run and bead, and each one's condition.
    pub observer: crate::events::Observer,
    /// News for the event loop to notify about (attention and finished events).
    pub notices: Vec<crate::events::Event>,
    /// The beads file behind the ready column.
    pub backlog: Backlog,
    /// The cards tied to the agents doing them.
    pub binder: Binder,
    /// The card whose run's transcript `t` opened, and that run (Esc goes back to the card).
    pub from_card: Option<(CardKey, PathBuf)>,
    /// The side directory the watcher was last asked to watch (the sub-agents of the Claude
    /// session shown).
    subagent_watch: Option<PathBuf>,
    /// Store changes under way (waiting for a lock, or being written).
    pub writes: Vec<PendingWrite>,
    /// Batches of moves under way (their jobs are in `writes`).
    pub batches: Vec<Batch>,
    /// What `u` does next: undo the last move made here, or redo the one just undone.
    pub undo: UndoState,
    /// When and where the last click was (a second one there soon after is a double-click).
    pub last_click: Option<(DateTime<Utc>, u16, u16)>,
    /// The session and pane the open form's pane was checked against tmux for (asked, and
    /// whether the answer came back fine).
    pub pane_check: Option<(String, i64, bool)>,
    /// The id of the next store change.
    pub next_write_id: u64,
    /// The last search of every transcript (`F`) and its results, kept until the next one.
    pub corpus: Option<corpus::CorpusResults>,
    /// The id of the next search of every transcript.
    pub next_corpus_id: u64,
    /// Every store has been read for attention once (quietly: what needs a look at start is
    /// shown, not announced); until then no other read announces anything.
    pub sessions_observed: bool,
    /// How far each session's history log has been read for attention.
    pub histories: std::collections::HashMap<String, HistoryFollow>,
    /// Work asked for by the model itself (the panes keep their own).
    pub outbox: Vec<Effect>,
    /// When the message being handled arrived (what status messages are dated with).
    pub clock: DateTime<Utc>,
    /// Where the acknowledgements kept across restarts stand.
    pub acks: Acks,
    /// The hosts shown: this machine and the configured ones (see [`Model::show_hosts`]).
    pub hosts: Hosts,
}

impl Model {
    /// A model for the roots that has asked for everything to be read: the runs scanned, the
    /// sessions listed (the newest opened), every store observed, the beads file read. The
    /// event loop hands [`Model::take_effects`] to the workers; until their outcomes arrive
    /// the panes say they are loading. Attention found by these first reads is shown but not
    /// announced as news.
    #[must_use]
    pub fn new(
        roots: Roots,
        settings: Settings,
        keymap: Keymap,
        size: (u16, u16),
        now: DateTime<Utc>,
    ) -> Model {
        let mut runs = RunsPane::new(&roots.agentpair, settings.cache_dir.clone(), now);
        runs.watch_agents(roots.agents.clone(), settings.stale_after, now);
        let board = BoardPane::new(&roots.ntm);
        let settings_thresholds = settings.thresholds();
        let binder = Binder::new(settings.bind_panes.clone());
        let mut model = Model {
            transcript: TranscriptPane::default(),
            runs,
            board,
            settings,
            keymap,
            focus: Pane::Runs,
            partner: Pane::Board,
            size,
            overlay: None,
            status: None,
            messages: std::collections::VecDeque::new(),
            live: Live::Watching,
            paused: None,
            quit: false,
            observer: crate::events::Observer::new(settings_thresholds),
            notices: Vec::new(),
            backlog: Backlog::default(),
            binder,
            from_card: None,
            subagent_watch: None,
            writes: Vec::new(),
            batches: Vec::new(),
            undo: UndoState::Empty,
            last_click: None,
            pane_check: None,
            next_write_id: 1,
            corpus: None,
            next_corpus_id: 1,
            sessions_observed: false,
            histories: std::collections::HashMap::new(),
            // Every store is read for attention once the first page of runs is in (see
            // `RunsPage`): the two biggest reads of a start never overlap.
            outbox: Vec::new(),
            roots,
            clock: now,
            acks: Acks::Off,
            hosts: Hosts::local_only(),
        };
        if let Some(dir) = model.settings.cache_dir.clone() {
            model.acks = Acks::Reading;
            model.outbox.push(Effect::LoadAcks(dir));
        }
        model.reload_beads();
        model
    }

    /// As [`Model::new`], with every read done right here, on this thread, judging attention
    /// as of `now`: for tests and headless use, never for the event loop.
    #[must_use]
    pub fn load_at(
        roots: Roots,
        settings: Settings,
        keymap: Keymap,
        size: (u16, u16),
        now: DateTime<Utc>,
    ) -> Model {
        let mut model = Model::new(roots, settings, keymap, size, now);
        let effects = model.take_effects();
        crate::app::settle(&mut model, effects, now);
        model
    }

    /// Shows the hosts `names` (configured, in order) besides this machine when `local`, each
    /// connecting since `now`.
    /// Without `local`, nothing of this machine is read: only the hosts' requests and the
    /// terminal's own work go out from then on, and the panes do not wait for local reads.
    pub fn show_hosts(&mut self, local: bool, names: &[String], now: DateTime<Utc>) {
        self.hosts = Hosts::new(local, names, now);
        if !local {
            self.runs.loading = false;
            self.board.listing = false;
            self.take_effects();
        }
    }

    /// Where the sub-agents of the session shown write, to be watched while it is shown (see
    /// [`TranscriptPane::subagent_side`]; a Gemini session's id is its listing's).
    #[must_use]
    pub fn subagent_side(&self) -> Option<PathBuf> {
        let id = (self.transcript.run_dir())
            .and_then(|dir| self.runs.get(dir))
            .and_then(|run| run.session())
            .map(|s| s.summary.id.as_str());
        self.transcript.subagent_side(id)
    }

    /// The work asked for since the last call, for the workers (only the hosts' requests and
    /// the terminal's work while this machine is not shown).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        let side = self.subagent_side();
        if side != self.subagent_watch {
            self.subagent_watch.clone_from(&side);
            self.outbox.push(Effect::WatchSubagents(side));
        }
        let mut out = std::mem::take(&mut self.outbox);
        out.append(&mut self.runs.outbox);
        out.append(&mut self.board.outbox);
        out.extend(self.transcript.take_effects());
        if !self.hosts.local {
            out.retain(|e| {
                matches!(
                    e.lane(),
                    super::effect::Lane::Hosts | super::effect::Lane::Terminal
                ) || matches!(e, Effect::CheckClipboard { .. })
            });
        }
        out
    }

    /// Opens the transcript of the selected run (if it is not open already).
    pub fn open_selected_transcript(&mut self) {
        let Some(run) = self.runs.selected() else {
            return self.transcript.close();
        };
        if self.transcript.run_dir() == Some(run.dir.as_path()) {
            return;
        }
        let (dir, reference) = (run.dir.clone(), crate::present::naming::name(run));
        if let Some(remote) = run.remote_run() {
            let (host, there) = (remote.host.clone(), remote.reference.clone());
            // An agentpair run's lines, or an append-only session's (its agent is in its name).
            let format = if there.contains('/') {
                Some(transcript::Format::Agentpair)
            } else {
                remote
                    .name
                    .split_whitespace()
                    .rev()
                    .nth(1)
                    .and_then(crate::persist::session::Agent::parse)
                    .filter(|a| {
                        matches!(
                            a,
                            crate::persist::session::Agent::Claude
                                | crate::persist::session::Agent::Codex
                        )
                    })
                    .map(transcript::Format::Session)
            };
            return self
                .transcript
                .open_remote(dir, reference, (&host, &there), format);
        }
        match run.session() {
            Some(s) => {
                let (agent, source) = (s.agent(), s.summary.source.clone());
                self.transcript.open_session(dir, reference, agent, &source);
            }
            None => self.transcript.open(dir, reference),
        }
    }

    /// Remembers the focused pane as the partner of Runs when it is Transcript or Board
    /// (called after every message, so every way of moving the focus is covered).
    pub fn note_focus(&mut self) {
        if self.focus != Pane::Runs {
            self.partner = self.focus;
        }
    }

    /// Whether `session`'s store (as the board holds it) is today's NTM's (schema 9): the
    /// board's keys then act on its cards the way ntm-v9.md allows, and the views show what
    /// NTM records of each row. Each card follows its own session's rules, also on the
    /// all-sessions board.
    #[must_use]
    pub fn is_v9(&self, session: &str) -> bool {
        self.board
            .store_of(session)
            .is_some_and(|s| s.ntm().is_some())
    }

    /// The key scopes in effect, most specific first.
    #[must_use]
    pub fn scopes(&self) -> Vec<Scope> {
        match &self.overlay {
            Some(Overlay::Help { .. }) => vec![Scope::Always, Scope::Help],
            Some(Overlay::Sessions(_)) => vec![Scope::Always, Scope::Picker],
            Some(Overlay::Detail { .. } | Overlay::Card { .. } | Overlay::Messages { .. }) => {
                vec![Scope::Always, Scope::Overlay]
            }
            // A dialog's own keys come first: Ctrl-C closes a form, not the program.
            Some(Overlay::Confirm(_)) => vec![Scope::Confirm, Scope::Always],
            Some(Overlay::Form(_)) => vec![Scope::Prompt, Scope::Always],
            Some(Overlay::Results) => vec![Scope::Always, Scope::Results],
            None => {
                let pane = match self.focus {
                    Pane::Runs => Scope::Runs,
                    Pane::Transcript => Scope::Transcript,
                    Pane::Board => Scope::Board,
                };
                vec![Scope::Always, pane, Scope::List, Scope::Global]
            }
        }
    }
}
