//! Reading a beads `.beads/issues.jsonl` (the issue file of `bd`/`br`, whose issues NTM assigns
//! as beads) and deciding which beads are *ready* to hand to an agent. Read only: beadboard never
//! writes this file.
//!
//! # Reading
//! One JSON object per line. A line that cannot be used (not UTF-8, not JSON, not an object, no
//! string `id`) is skipped with a note `path:line: cause`; a field of the wrong type falls back to
//! its default with a note, so one bad field never hides a bead; unknown keys are ignored. When
//! an id appears twice the later line wins and keeps the first one's place, as br's JSONL import
//! does ("Duplicate issue ID in JSONL; using the last occurrence", `src/sync/mod.rs` of
//! Dicklesworthstone/beads_rust). Go `bd`'s importer keeps the *first* occurrence instead
//! (`seenIDs` in `internal/importer/importer.go` of steveyegge/beads); NTM depends on br, so br's
//! rule is followed. Missing fields take br's defaults (`src/model/mod.rs`): status `open`,
//! priority 2, type `task`.
//!
//! # The ready rule
//! Followed from br, the tracker NTM uses (`br ready`: `get_ready_issues` and the blocked-cache
//! rebuild in `src/storage/sqlite.rs` of Dicklesworthstone/beads_rust), checked against Go bd
//! (`internal/storage/sqlite/blocked_cache.go` and `ready.go` of steveyegge/beads). A bead is
//! ready when all of these hold:
//! - its status is `open` (br; bd also lists `in_progress`, which for us is work under way);
//!   `in_progress`, `blocked`, `deferred`, `draft`, `pinned`, `closed`, `tombstone` are not;
//! - it is not pinned, ephemeral, a template or a wisp (an id containing `-wisp-`), and its
//!   `defer_until` is not in the future;
//! - it is not blocked. Blocked means one of:
//!   1. a `blocks`, `conditional-blocks` or `waits-for` dependency on an issue that is not
//!      `closed`/`tombstone`, or on an id the file does not hold (br counts an unknown target
//!      as a blocker; bd's join ignores it). `related`, `discovered-from` and the other link
//!      types never block;
//!   2. a `parent-child` dependency on a parent that is itself blocked by (1) or (2): blocking
//!      propagates down the hierarchy to any depth (both bd and br). An open parent does not
//!      block its children, and a parent whose *status* is `blocked` or `deferred` does not
//!      propagate (only dependency blocking does);
//!   3. a child (an issue with a `parent-child` dependency on it) that is not closed: br blocks a
//!      parent while its children are open, added after propagation so it never reaches the
//!      children. Go bd does not do this; it is what keeps an epic off the ready list while its
//!      work is still open;
//! - it has no assignment record yet (`taken`).
//!
//! Ready beads are sorted by priority (0 first), then age (oldest `created_at` first, unknown
//! last), then id: bd's `--sort priority` policy with an id tie-break. Both trackers default to a
//! "hybrid" order that depends on the current time (bd: last 48 h by priority, older by age), and
//! br's own priority sort puts the newest first; a stable, clock-free order suits a board better.

mod error;
mod fields;
mod model;
mod parse;
mod ready;
mod reason;

pub use error::BeadsError;
pub use model::{Bead, DEFAULT_PRIORITY, Dependency, priority_badge, type_short};
pub use ready::{BeadIndex, ReadyKey, ready, ready_at, ready_order};
pub use reason::{Blocker, NotReady};

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The conventional place of the issue file inside a repository.
pub const ISSUES_FILE: &str = ".beads/issues.jsonl";

/// What [`read_beads`] found in one issue file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BeadsFile {
    /// The file read.
    pub path: PathBuf,
    /// The beads, in file order (a duplicate id keeps its first line's place).
    pub beads: Vec<Bead>,
    /// One line per problem, `path:line: cause`, in file order.
    pub notes: Vec<String>,
}

/// Reads a beads `issues.jsonl`. Problems inside the file never fail the call: they are noted
/// in [`BeadsFile::notes`] and the good lines are still read.
///
/// # Errors
/// [`BeadsError::NotFound`] when there is no such file, [`BeadsError::Io`] when it cannot be
/// read (a directory, no permission).
pub fn read_beads(path: &Path) -> Result<BeadsFile, BeadsError> {
    let bytes = fs::read(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            BeadsError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            BeadsError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    Ok(parse_beads(path, &bytes))
}

/// Parses the bytes of an issue file as [`read_beads`] does; `path` only names the file in
/// notes. Never fails and never panics, whatever the bytes.
#[must_use]
pub fn parse_beads(path: &Path, bytes: &[u8]) -> BeadsFile {
    let (beads, notes) = parse::parse_lines(&path.display().to_string(), bytes);
    BeadsFile {
        path: path.to_path_buf(),
        beads,
        notes,
    }
}

#[cfg(test)]
mod tests;
