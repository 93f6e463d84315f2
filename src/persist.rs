//! The persistence layer: the Rust form of agentpair's `run` package and NTM's `assignment`
//! package, reading and writing the very files those tools use.
//!
//! Nothing in this module tree knows about terminals: no ratatui, crossterm or color-eyre.
//! Errors are typed (thiserror). The dashboard and the CLI both call into here, so a board key
//! and a CLI subcommand run exactly the same code.
//!
//! - [`gojson`]: byte-exact Go `encoding/json` output and Go's decoding rules.
//! - [`run`]: run manifests, JSONL transcripts, the bridge file, run discovery and closing.
//! - [`assignment`]: the bead assignment store with validated transitions, a file lock,
//!   atomic durable writes with a backup, and an audit log of every transition.
//! - [`beads`]: reading a beads `issues.jsonl` (read only) and which beads are ready.
//! - [`atomic`], [`lock`]: the shared write discipline.
//! - [`acks`]: acknowledged attention items, kept across restarts in the cache directory.
//! - [`parallel`]: work over many files on every core.
//! - [`natural`]: ids compared as people read them (`wa-9` before `wa-10`).
//! - [`session`]: agent CLI sessions (Claude Code, Codex, Gemini, OpenCode), read only.

#![warn(missing_docs)]

pub mod acks;
pub mod assignment;
pub mod atomic;
pub mod beads;
pub mod gojson;
pub mod lock;
pub mod natural;
pub mod parallel;
pub mod run;
pub mod session;
