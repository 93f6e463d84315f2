//! agentpair's `run` package: run manifests, JSONL transcripts, the bridge file, run ids and
//! directories, plus what a monitor needs on top (discovery of every run, activity and
//! staleness, an incremental transcript reader, and closing a run that is no longer live).
//!
//! Layout: `<base>/runs/<repo id>/<run id>/{manifest.json, transcript.jsonl, bridge.jsonl}`,
//! where the repo id is the first 8 bytes of SHA-256 of the repo path as 16 hex digits.

mod bridge;
pub mod cache;
mod close;
mod entry;
mod error;
mod history;
pub mod lines;
mod manager;
mod manifest;
mod paths;
mod scan;
mod state;
mod summary;
mod tail;
mod transcript;

pub use bridge::{Bridge, BridgeMessage, BridgeStatus, message_id};
pub use close::{Liveness, close_run, live_iteration, liveness, tmux_has_session};
pub use entry::{EntryType, TranscriptEntry};
pub use error::RunError;
pub use history::{LoadOptions, LoadStats, RunChanges, RunLoader, RunPage, changed_runs};
pub use manager::{Manager, Run, RunConfig, list_all_repos, load_manifest_by_path};
pub use manifest::{MANIFEST_MODE, Manifest};
pub use paths::{
    BRIDGE_FILE, MANIFEST_FILE, Paths, TRANSCRIPT_FILE, current_repo_path, repo_id_from_path,
};
pub use scan::{
    Activity, Peek, RunRecord, ScanReport, Trouble, last_entry_time, scan_runs, sort_for_display,
};
pub use state::State;
pub use summary::{
    DisplayKey, ManifestSummary, PROMPT_HEAD, RemoteAttention, RemoteRun, RemoteState, RunFacts,
    RunKind, RunOrder, RunState, RunSummary, SessionRun, ToSummary,
    display_order as summary_display_order, id_words, is_id_char, remote_key, sort_summaries,
};
pub use tail::{DEFAULT_MAX_LINE, TailEvent, TranscriptTail, preview};
pub use transcript::{JSONL_MODE, MAX_WRITE_LINE, ReadAllError, Transcript, TranscriptLine};
