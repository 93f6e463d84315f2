//! The listings' records: `runs`, `transcript`, `assignments` (and the changes' records),
//! `stats`, `sessions`, `search`, `doctor` and `hosts`. Where a record is a source's own (a manifest, a
//! transcript line, a store record) its keys are kept as they are and beadboard's derived
//! facts come under `beadboard` (runs, transcript entries) or beside them (`session`).

use super::status::BeadCounts;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// A run of `runs --json`: the source's own keys (an agentpair manifest's, or what an agent
/// session's summary says), and the facts every run has alike under `beadboard`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RunJson {
    /// The source's own keys, as it wrote them.
    #[serde(flatten)]
    pub own: Map<String, Value>,
    /// What beadboard derives, the same for both kinds of run.
    pub beadboard: RunFacts,
}

/// What every run record says of its run, agentpair run or agent session alike.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RunFacts {
    /// The run's name (`api #4`, `webapp claude 88a8d7`).
    pub name: String,
    /// The run's reference (`<repo id>/<run id>`, or the session's).
    pub reference: String,
    /// `agentpair`, or the agent (`claude`, `codex`, `gemini`, `opencode`).
    pub agent: String,
    /// The repository or working directory.
    pub cwd: String,
    /// The state now (the manifest's state, or the agent session's).
    pub state: String,
    /// When it started.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub started_at: Option<String>,
    /// When anything last happened.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub last_activity_at: Option<String>,
    /// Not finished and quiet too long.
    pub stale: bool,
    /// The run directory (agentpair runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// The transcript's size in bytes (agentpair runs; `null` with no transcript).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript_bytes: Option<Option<u64>>,
    /// The session's key: its file, or its database and id (agent sessions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Whether the agent's process is `alive`, `gone` or `unknown` (agent sessions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// Deprecated (kept one release): the same as `last_activity_at`.
    #[schemars(extend("deprecated" = true))]
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub last_activity: Option<String>,
}

/// A run by its name and reference: the run an entry of `transcript --json` belongs to, or
/// the agent session bound to an assignment's pane (`assignments --json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EntryRun {
    /// The run's name.
    pub name: String,
    /// The run's reference.
    pub reference: String,
}

/// An entry of `transcript --json` (with `--follow`, one per line).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum TranscriptEntryJson {
    /// An agent session's entry, read into beadboard's one entry model.
    Session(Box<SessionEntryJson>),
    /// An agentpair transcript line: agentpair's own keys (`type` is the entry type).
    Agentpair {
        /// agentpair's own keys.
        #[serde(flatten)]
        own: Map<String, Value>,
        /// The run.
        beadboard: EntryRun,
    },
}

/// An agent session's entry.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SessionEntryJson {
    /// The entry type: `prompt`, `response`, `thinking`, `tool_call`, `tool_result`, `error`,
    /// `compaction`, `subagent`, `state` or `signal`.
    #[serde(rename = "type")]
    pub entry_type: String,
    /// When it was written.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub time: Option<String>,
    /// Who wrote it (`user`, the model, a tool).
    pub actor: String,
    /// The tool, for a call or result.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub tool: Option<String>,
    /// The call id that links a result to its call.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub call_id: Option<String>,
    /// The text.
    pub text: String,
    /// How many bytes of text were cut, if any.
    #[schemars(with = "crate::schema::Nullable<u64>")]
    pub cut: Option<u64>,
    /// The tool result is an error.
    pub is_error: bool,
    /// The model.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub model: Option<String>,
    /// Written by a sub-agent's sidechain.
    pub sidechain: bool,
    /// The sub-agent this entry starts.
    #[schemars(with = "crate::schema::Nullable<SubagentJson>")]
    pub subagent: Option<SubagentJson>,
    /// Where the tool's whole output was saved.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub saved_output: Option<String>,
    /// The run.
    pub beadboard: EntryRun,
    /// Deprecated (kept one release): the same as `type`.
    #[schemars(extend("deprecated" = true))]
    pub kind: String,
}

/// A sub-agent an entry starts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SubagentJson {
    /// Its id.
    pub id: String,
    /// Its description or type, as the parent says.
    pub description: String,
    /// Its transcript.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub path: Option<String>,
}

/// An assignment record (`assignments --json`, and what a change prints): the store's own
/// keys as it wrote them (`bead_id`, `status`, …; statuses in the store's words), and its
/// session.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssignmentJson {
    /// The store's own keys.
    #[serde(flatten)]
    pub own: Map<String, Value>,
    /// The NTM session whose store holds it.
    pub session: String,
}

/// A record of `assignments --json`: the record, and its run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssignmentListedJson {
    /// The record, as a change prints it.
    #[serde(flatten)]
    pub record: AssignmentJson,
    /// The record's run, as the dashboard's `t` finds it: the agent session bound to the
    /// record's pane (as the dashboard binds it; a finished record's pane is not looked at),
    /// else the newest run whose prompt names the bead; `null` when there is neither.
    #[schemars(with = "crate::schema::Nullable<EntryRun>")]
    pub run: Option<EntryRun>,
}

/// `stats SESSION --json`: a session's records by status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatsJson {
    /// The NTM session.
    pub session: String,
    /// Its records by status (schema 9's `claiming` and `claimed` when a record is in one).
    #[serde(flatten)]
    pub counts: BeadCounts,
}

/// A session of `sessions --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SessionJson {
    /// The NTM session.
    pub session: String,
    /// When its store last changed.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub changed_at: Option<String>,
    /// Its records by status (absent when the store cannot be read).
    #[serde(flatten)]
    #[schemars(with = "crate::schema::Nullable<BeadCounts>")]
    pub counts: Option<BeadCounts>,
    /// Why the store cannot be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A match of `search --json` (one object per line).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SearchHit {
    /// Always `run`.
    pub kind: crate::events::ItemKind,
    /// The run's name.
    pub name: String,
    /// The run's reference.
    pub reference: String,
    /// The line number in the transcript (from 1).
    pub line: u64,
    /// The entry type.
    #[serde(rename = "type")]
    pub entry_type: String,
    /// When the entry was written.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub time: Option<String>,
    /// The entry's text as shown.
    pub text: String,
    /// Where the line starts in the file, in bytes.
    pub offset: u64,
    /// Deprecated (kept one release): the same as `name`.
    #[schemars(extend("deprecated" = true))]
    pub run: String,
}

/// `doctor --json`: where beadboard looks and what it finds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DoctorJson {
    /// agentpair's runs.
    pub agentpair: DoctorRoot,
    /// NTM's stores.
    pub ntm: DoctorRoot,
    /// The beads file, if any.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub beads: Option<String>,
    /// The config file read, if any.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub config: Option<String>,
    /// Each agent session source.
    pub sources: Vec<DoctorSource>,
    /// What could not be read.
    pub problems: Vec<DoctorProblem>,
}

/// A root directory and what is in it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DoctorRoot {
    /// Where it is looked for.
    pub path: String,
    /// Whether it is there.
    pub found: bool,
    /// How many runs (agentpair).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<Option<usize>>,
    /// How many stores (NTM).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stores: Option<Option<usize>>,
}

/// An agent session source.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DoctorSource {
    /// The agent.
    pub agent: String,
    /// Where its sessions are looked for.
    pub path: String,
    /// Whether it is there.
    pub found: bool,
    /// Switched off by a flag or the config.
    pub disabled: bool,
    /// How many sessions it holds (`null` when not listed).
    #[schemars(with = "crate::schema::Nullable<usize>")]
    pub sessions: Option<usize>,
    /// What was found, in words.
    pub status: String,
}

/// Something that could not be read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DoctorProblem {
    /// The file.
    pub path: String,
    /// Why.
    pub problem: String,
}

/// A step of a change on a store of today's NTM (`assign`, `reassign`, `retry`, `remove` with
/// `--json`): the `ntm` command run and what it answered.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NtmStepJson {
    /// The NTM session.
    pub session: String,
    /// The command line run.
    pub command: String,
    /// Its exit code (`null` when killed by a signal); absent when it could not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<Option<i32>>,
    /// NTM's JSON envelope as it printed it; absent when it could not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<Value>,
    /// Why it could not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A host of `hosts --json`: this machine first, then each configured host as one try found it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HostJson {
    /// The host's name (`local` for this machine).
    pub host: String,
    /// The ssh destination; `null` for this machine.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub destination: Option<String>,
    /// How the try went.
    pub state: HostStateWord,
    /// The host's beadboard version, once it said hello.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub version: Option<String>,
    /// The round trip on the open channel, in milliseconds, once measured.
    #[schemars(with = "crate::schema::Nullable<f64>")]
    pub latency_ms: Option<f64>,
    /// Why it is down (and what to do), or why it is still connecting.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub why: Option<String>,
}

/// A host's state, as `beadboard hosts` and the dashboard name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HostStateWord {
    /// No answer yet.
    Connecting,
    /// Said hello; its data is current.
    Live,
    /// Answered once, but its heartbeats stopped.
    Stale,
    /// Not reachable (see `why`).
    Down,
}

impl HostStateWord {
    /// The word for `state`.
    #[must_use]
    pub fn of(state: &crate::remote::HostState) -> HostStateWord {
        use crate::remote::HostState;
        match state {
            HostState::Connecting { .. } => HostStateWord::Connecting,
            HostState::Live { .. } => HostStateWord::Live,
            HostState::Stale { .. } => HostStateWord::Stale,
            HostState::Down { .. } => HostStateWord::Down,
        }
    }
}
