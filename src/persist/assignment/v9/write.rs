//! Direct writes to a schema-9 store, by NTM's protocol (ntm-v9.md, "The direct-write
//! protocol"): `start` (assigned → working, as NTM's watcher does it) and the terminal-
//! reconciliation request (complete, or fail with a reason), which NTM's watcher or
//! coordinator then finishes.
//!
//! 1. the bead's operation lock, then the store lock, each polled with a timeout, cancellable,
//!    and reported while waited for;
//! 2. under both, a strict read of both files and the generation check against the row the
//!    user saw;
//! 3. only the needed fields change; `persistence_generation` + 1, `updated_at` now (UTC);
//! 4. backup first, then primary (see `disk`); the locks are released;
//! 5. a read-back: a change that did not land is an error, never a success.

mod change;
mod disk;
mod errors;

pub use errors::NtmWriteError;

use super::refusal::RowAction;
use super::row::NtmRow;
use super::select;
use crate::persist::assignment::history::{self, HistoryRecord};
use crate::persist::assignment::publish::with_suffix;
use crate::persist::assignment::store::ensure_inside;
use crate::persist::assignment::{
    Assignment, AssignmentStore, Clock, HISTORY_FILE, Precommit, STORE_FILE, storage_dir_in,
    validate_session_name,
};
use crate::persist::assignment::{BACKUP_SUFFIX, LOCK_SUFFIX};
use crate::persist::atomic;
use crate::persist::gojson::GoTime;
use crate::persist::lock::{FileLock, LockError};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// How long a direct write waits for NTM's locks unless told otherwise. NTM's assignment can
/// hold a bead's lock for about 30 s.
pub const DEFAULT_NTM_LOCK_TIMEOUT: Duration = Duration::from_secs(45);

/// `assignments.json.atomic-bead-<hex>.lock`: hex is the first 16 bytes of
/// SHA-256(`"bead" NUL bead_id`), as NTM names a bead's operation lock.
#[must_use]
pub fn bead_lock_path(store: &Path, bead: &str) -> PathBuf {
    let digest = Sha256::digest(format!("bead\0{bead}").as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    with_suffix(store, &format!(".atomic-bead-{hex}.lock"))
}

/// The lock a write is waiting for (its `Display` is what to tell the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitingFor {
    /// The bead's operation lock (NTM holds it while assigning or reconciling the bead).
    BeadLock {
        /// The bead.
        bead: String,
    },
    /// `assignments.json.lock` (NTM holds it while reading or saving the store).
    StoreLock,
}

impl fmt::Display for WaitingFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitingFor::BeadLock { bead } => write!(f, "waiting for NTM's lock on {bead}"),
            WaitingFor::StoreLock => {
                f.write_str("waiting for NTM's store lock (assignments.json.lock)")
            }
        }
    }
}

/// A write that landed.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOutcome {
    /// The row as read back.
    pub record: Assignment,
    /// The generation the store had when read back.
    pub generation: u64,
    /// True when nothing was written because the same request was already pending.
    pub unchanged: bool,
    /// Something worth saying, e.g. that NTM has already moved the row on.
    pub note: Option<String>,
}

type WaitCallback = Arc<dyn Fn(&WaitingFor) + Send + Sync>;

/// Writes start and the complete/fail request to one session's schema-9 store. Cheap to
/// build; `Send`, so a worker thread can own it.
#[derive(Clone)]
pub struct NtmWriter {
    path: PathBuf,
    session: String,
    clock: Clock,
    timeout: Duration,
    cancel: Arc<AtomicBool>,
    on_wait: WaitCallback,
    precommit: Option<Precommit>,
}

impl fmt::Debug for NtmWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtmWriter")
            .field("path", &self.path)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl NtmWriter {
    /// A writer for `session` under the NTM root `ntm_dir`, with the system clock, the default
    /// timeout, no cancel flag set and no wait callback.
    ///
    /// # Errors
    /// [`NtmWriteError::InvalidSession`].
    pub fn new(ntm_dir: &Path, session: &str) -> Result<NtmWriter, NtmWriteError> {
        validate_session_name(session)
            .map_err(|_| NtmWriteError::InvalidSession(session.to_owned()))?;
        Ok(NtmWriter::at_path(
            storage_dir_in(ntm_dir).join(session).join(STORE_FILE),
            session,
        ))
    }

    /// A writer for the store a loaded [`AssignmentStore`] reads.
    #[must_use]
    pub fn for_store(store: &AssignmentStore) -> NtmWriter {
        NtmWriter::at_path(store.path().to_path_buf(), store.session())
    }

    fn at_path(path: PathBuf, session: &str) -> NtmWriter {
        NtmWriter {
            path,
            session: session.to_owned(),
            clock: Clock::system(),
            timeout: DEFAULT_NTM_LOCK_TIMEOUT,
            cancel: Arc::new(AtomicBool::new(false)),
            on_wait: Arc::new(|_| {}),
            precommit: None,
        }
    }

    /// Uses `clock` for `updated_at` and the new timestamps (tests inject a fixed one).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> NtmWriter {
        self.clock = clock;
        self
    }

    /// Waits at most `timeout` in all for the two locks.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> NtmWriter {
        self.timeout = timeout;
        self
    }

    /// Gives up waiting for a lock as soon as `cancel` is set (the UI's cancel key). Once both
    /// locks are held the write completes; it is never cut half way.
    #[must_use]
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> NtmWriter {
        self.cancel = cancel;
        self
    }

    /// Calls `f` once for each lock that is busy, saying what the write waits for.
    #[must_use]
    pub fn on_wait(mut self, f: impl Fn(&WaitingFor) + Send + Sync + 'static) -> NtmWriter {
        self.on_wait = Arc::new(f);
        self
    }

    /// Runs `precommit` under both locks just before the change is published, with the
    /// document before and after it (a host's journal of moves records the move's key so); its
    /// error stops the write, and nothing is written.
    #[must_use]
    pub fn with_precommit(mut self, precommit: Precommit) -> NtmWriter {
        self.precommit = Some(precommit);
        self
    }

    /// The store file written.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// assigned → working on the generation `observed` (the row as the user saw it), exactly
    /// as NTM's watcher does: `status` and `started_at` change, nothing else.
    ///
    /// # Errors
    /// See [`NtmWriteError`]; nothing is written unless it is `NotLanded`.
    pub fn start(&self, observed: &Assignment) -> Result<WriteOutcome, NtmWriteError> {
        self.write(observed, RowAction::Start, &change::Change::Start)
    }

    /// Requests completion: NTM's terminal-reconciliation request with status `completed`.
    ///
    /// # Errors
    /// As [`NtmWriter::start`].
    pub fn request_complete(&self, observed: &Assignment) -> Result<WriteOutcome, NtmWriteError> {
        let request = change::Change::Terminal {
            status: "completed",
            reason: String::new(),
        };
        self.write(observed, RowAction::Complete, &request)
    }

    /// Requests failure with `reason`: NTM's terminal-reconciliation request with `failed`.
    ///
    /// # Errors
    /// As [`NtmWriter::start`].
    pub fn request_fail(
        &self,
        observed: &Assignment,
        reason: &str,
    ) -> Result<WriteOutcome, NtmWriteError> {
        let request = change::Change::Terminal {
            status: "failed",
            reason: reason.to_owned(),
        };
        self.write(observed, RowAction::Fail, &request)
    }

    fn lock(&self, path: &Path, what: WaitingFor, started: Instant) -> Result<FileLock, LockError> {
        let left = self.timeout.saturating_sub(started.elapsed());
        FileLock::acquire_cancellable(path, left, &self.cancel, || (self.on_wait)(&what))
    }

    fn write(
        &self,
        observed: &Assignment,
        action: RowAction,
        change: &change::Change,
    ) -> Result<WriteOutcome, NtmWriteError> {
        let bead = observed.bead_id.clone();
        let dir = atomic::parent_dir(&self.path);
        let absent = |p: &Path| std::fs::symlink_metadata(p).is_err();
        if absent(&self.path) && absent(&with_suffix(&self.path, BACKUP_SUFFIX)) {
            return Err(NtmWriteError::NoStore {
                path: self.path.clone(),
            });
        }
        ensure_inside(&dir).map_err(|e| NtmWriteError::OutsideRoot {
            path: dir.clone(),
            reason: e.to_string(),
        })?;
        let started = Instant::now();
        let bead_lock = self.lock(
            &bead_lock_path(&self.path, &bead),
            WaitingFor::BeadLock { bead: bead.clone() },
            started,
        )?;
        let store_lock = self.lock(
            &with_suffix(&self.path, LOCK_SUFFIX),
            WaitingFor::StoreLock,
            started,
        )?;
        let now = self.clock.now().to_utc().fixed_offset();
        let written = self.write_locked(observed, action, change, now)?;
        drop(store_lock);
        drop(bead_lock);
        let Some(records) = written else {
            return self.read_back(observed, change, now, true);
        };
        if let Err(e) = history::append(&dir.join(HISTORY_FILE), &records) {
            // The change is saved; the audit line is not. Say so rather than fail.
            let mut outcome = self.read_back(observed, change, now, false)?;
            outcome.note = Some(format!(
                "{}: change saved, history not recorded: {e}",
                dir.join(HISTORY_FILE).display()
            ));
            return Ok(outcome);
        }
        self.read_back(observed, change, now, false)
    }

    /// Steps 2–4 under both locks. `None`: the identical request is already pending.
    fn write_locked(
        &self,
        observed: &Assignment,
        action: RowAction,
        change: &change::Change,
        now: GoTime,
    ) -> Result<Option<Vec<HistoryRecord>>, NtmWriteError> {
        let bead = &observed.bead_id;
        let (primary, backup) = select::read_store(&self.path, &self.session);
        let (shown, choice) = select::choose(&primary, &backup);
        if let Some(reason) = choice.refusal {
            return Err(NtmWriteError::StoreRefused {
                path: self.path.clone(),
                reason,
            });
        }
        let (mut doc, _) =
            select::take_shown(shown, primary, backup).ok_or_else(|| NtmWriteError::NoStore {
                path: self.path.clone(),
            })?;
        if doc.version != super::SCHEMA {
            return Err(NtmWriteError::NotSchema9 {
                path: self.path.clone(),
                version: doc.version,
            });
        }
        let current = doc
            .assignments
            .get(bead)
            .ok_or_else(|| NtmWriteError::NotFound {
                path: self.path.clone(),
                bead: bead.clone(),
            })?;
        let row = NtmRow::new(current);
        change::check(&row, &NtmRow::new(observed), action, change)?;
        let Some(updated) = change::apply(current, change, now) else {
            return Ok(None);
        };
        let log = change::history_record(current, &updated, change, now);
        let before = self.precommit.as_ref().map(|_| doc.clone());
        doc.assignments.insert(bead.clone(), updated);
        doc.set_persistence_generation(choice.generation + 1);
        doc.updated_at = now;
        if let (Some(precommit), Some(before)) = (&self.precommit, &before) {
            (precommit.0)(before, &doc).map_err(|e| NtmWriteError::Precommit(e.to_string()))?;
        }
        let bytes = doc.to_bytes();
        disk::publish(&self.path, &bytes)
            .map_err(|(path, source)| NtmWriteError::Io { path, source })?;
        Ok(Some(vec![log]))
    }

    fn read_back(
        &self,
        observed: &Assignment,
        change: &change::Change,
        now: GoTime,
        unchanged: bool,
    ) -> Result<WriteOutcome, NtmWriteError> {
        let (primary, backup) = select::read_store(&self.path, &self.session);
        let (shown, choice) = select::choose(&primary, &backup);
        let record = select::take_shown(shown, primary, backup)
            .and_then(|(mut d, _)| d.assignments.remove(&observed.bead_id));
        match change::landed(observed, record.as_ref(), change, now, unchanged) {
            Ok(note) => record
                .map(|record| WriteOutcome {
                    record,
                    generation: choice.generation,
                    unchanged,
                    note,
                })
                .ok_or_else(|| NtmWriteError::NotLanded {
                    bead: observed.bead_id.clone(),
                    found: "the row is gone".to_owned(),
                }),
            Err(found) => Err(NtmWriteError::NotLanded {
                bead: observed.bead_id.clone(),
                found,
            }),
        }
    }
}
