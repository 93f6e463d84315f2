//! Every change to a store goes through [`AssignmentStore::change`]: take the `flock`, re-read
//! the file inside it (so another program's change is never overwritten), check the schema and
//! the transition, apply the change to a copy, publish it (temp, fsync, backup, rename, fsync),
//! append the history, keep what it did to each record (for an exact undo), and only then
//! update memory. Any failure leaves memory and disk as they were. A move whose record another
//! writer moved since the caller saw it is refused as a lost race, in words.

use super::{AssignmentStore, LoadSource, RecordChange};
use crate::persist::assignment::errors::PersistenceError;
use crate::persist::assignment::history::{self, HistoryRecord};
use crate::persist::assignment::publish::{self, Source};
use crate::persist::assignment::{Assignment, StoreDocument, StoreError};
use crate::persist::atomic;
use crate::persist::gojson::{self, GoTime};
use crate::persist::lock::FileLock;
use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

type Applied<R> = Result<(R, Vec<HistoryRecord>), StoreError>;
type Stamped<R> = Result<(R, Vec<HistoryRecord>, Option<GoTime>), StoreError>;

/// Refuses a session directory that leads out of the sessions directory (a symbolic link to
/// elsewhere): every write stays inside the data root.
pub(crate) fn ensure_inside(dir: &std::path::Path) -> Result<(), StoreError> {
    let parent = atomic::parent_dir(dir);
    let (Ok(real_dir), Ok(real_parent)) =
        (std::fs::canonicalize(dir), std::fs::canonicalize(&parent))
    else {
        return Ok(());
    };
    if real_dir.parent() == Some(real_parent.as_path()) {
        Ok(())
    } else {
        Err(StoreError::OutsideRoot {
            path: dir.to_path_buf(),
            reason: format!(
                "it leads to {}, outside {}",
                real_dir.display(),
                real_parent.display()
            ),
        })
    }
}

pub(super) fn history_record(
    op: &str,
    bead_id: &str,
    before: Option<&Assignment>,
    after: Option<&Assignment>,
    reason: &str,
    now: GoTime,
) -> HistoryRecord {
    let text = |a: Option<&Assignment>, f: fn(&Assignment) -> &str| {
        a.map(f).unwrap_or_default().to_owned()
    };
    HistoryRecord {
        time: now,
        bead_id: bead_id.to_owned(),
        op: op.to_owned(),
        from: text(before, |a| a.status.as_str()),
        to: text(after, |a| a.status.as_str()),
        pane_before: before.map(|a| a.pane),
        pane_after: after.map(|a| a.pane),
        agent_type_before: text(before, |a| &a.agent_type),
        agent_type_after: text(after, |a| &a.agent_type),
        agent_name_before: text(before, |a| &a.agent_name),
        agent_name_after: text(after, |a| &a.agent_name),
        reason: reason.to_owned(),
    }
}

pub(super) use super::methods::Seen;

impl AssignmentStore {
    /// Runs one change under the lock; see the module documentation. With `expected`, the
    /// file must still be what this store last read or wrote (used by [`Self::save`]). A
    /// change that leaves the document as it was writes nothing. `apply` may run twice (a dry
    /// run first when the session directory does not exist yet), so it must not have effects
    /// outside the document.
    pub(super) fn change<R>(
        &mut self,
        expected: Option<Option<Arc<Vec<u8>>>>,
        mut apply: impl FnMut(&mut StoreDocument, GoTime) -> Applied<R>,
    ) -> Result<R, StoreError> {
        self.change_stamped(expected, |doc, now| {
            apply(doc, now).map(|(result, records)| (result, records, None))
        })
    }

    /// The status the next move of `bead_id` expects, if the caller said what it saw (see
    /// [`Self::expect`]); the expectation is used once.
    pub(super) fn seen(&mut self, bead_id: &str) -> Seen {
        match self.expect.take() {
            Some((bead, status)) if bead == bead_id => Some(status),
            _ => None,
        }
    }

    /// Where the next reassignment of `bead_id` expects its record, if the caller said (see
    /// [`Self::expect_place`]); used once.
    pub(super) fn placed(&mut self, bead_id: &str) -> Option<(Option<i64>, Option<String>)> {
        match self.expect_place.take() {
            Some((bead, pane, kind)) if bead == bead_id => Some((pane, kind)),
            _ => None,
        }
    }

    /// As [`Self::change`], where `apply` may also name the `updated_at` to write (an exact
    /// undo puts the old one back); `None` writes now.
    pub(super) fn change_stamped<R>(
        &mut self,
        expected: Option<Option<Arc<Vec<u8>>>>,
        mut apply: impl FnMut(&mut StoreDocument, GoTime) -> Stamped<R>,
    ) -> Result<R, StoreError> {
        let dir = atomic::parent_dir(&self.path);
        let absent = |p: &std::path::Path| std::fs::symlink_metadata(p).is_err();
        if absent(&dir) || (absent(&self.path) && absent(&self.backup_path())) {
            // No store yet (no session directory, or one without the store files): try the
            // change on an empty store first, so a change that cannot succeed (an unknown bead)
            // or changes nothing writes nothing anywhere, not even the lock file.
            let empty = StoreDocument::new(&self.session, gojson::zero_time());
            let mut trial = empty.clone();
            let (result, _, _) = apply(&mut trial, gojson::zero_time())?;
            if trial == empty {
                return Ok(result);
            }
        }
        DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(&dir)
            .map_err(|e| PersistenceError {
                operation: "save",
                path: dir.clone(),
                cause: e.into(),
            })?;
        ensure_inside(&dir)?;
        let notice = self.on_lock_wait.clone();
        // Nobody cancels a store without a cancel token.
        static NEVER: AtomicBool = AtomicBool::new(false);
        let _lock = FileLock::acquire_cancellable(
            &self.lock_path(),
            self.lock_timeout,
            self.cancel.as_deref().unwrap_or(&NEVER),
            || {
                if let Some(n) = &notice {
                    (n.0)();
                }
            },
        )?;
        let now = self.clock.now();
        let known = self.bytes.as_ref().map(|b| (b, &self.doc));
        let snapshot = publish::read_snapshot(&self.path, &self.session, now, known)?;
        if snapshot.is_read_only() {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                version: snapshot
                    .ntm
                    .as_ref()
                    .map_or(snapshot.doc.version, |c| c.schema),
            });
        }
        if let Some(expected) = expected
            && snapshot.bytes.as_deref().map(Vec::as_slice)
                != expected.as_deref().map(Vec::as_slice)
        {
            return Err(StoreError::Conflict {
                path: self.path.clone(),
            });
        }
        let mut doc = snapshot.doc.as_ref().clone();
        let (result, records, stamp) = apply(&mut doc, now)?;
        if doc == *snapshot.doc && snapshot.source.is_file() {
            let bytes = snapshot.bytes.clone();
            drop(snapshot);
            self.doc = doc;
            self.bytes = bytes;
            return Ok(result);
        }
        doc.updated_at = stamp.unwrap_or(now);
        doc.null_records.clear();
        if let Some(precommit) = &self.precommit {
            (precommit.0)(&snapshot.doc, &doc)?;
        }
        let bytes = doc.to_bytes();
        publish::publish(
            &self.path,
            &snapshot,
            &bytes,
            &now.format("%Y%m%dT%H%M%SZ").to_string(),
        )?;
        let updated_before = snapshot.source.is_file().then_some(snapshot.doc.updated_at);
        self.changes.extend(records.iter().map(|r| RecordChange {
            bead_id: r.bead_id.clone(),
            before: snapshot.doc.assignments.get(&r.bead_id).cloned(),
            after: doc.assignments.get(&r.bead_id).cloned(),
            updated_before,
            updated_after: doc.updated_at,
            op: r.op.clone(),
            time: now,
        }));
        drop(snapshot);
        if let Err(e) = history::append(&self.history_path(), &records) {
            self.history_problem = Some(format!(
                "{}: change saved, history not recorded: {e}",
                self.history_path().display()
            ));
        }
        self.doc = doc;
        self.source = LoadSource::Primary;
        self.bytes = Some(Arc::new(bytes));
        Ok(result)
    }

    /// `Save`: writes the store as it is in memory, provided the file has not been changed by
    /// another program since this store last loaded or saved it.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the file changed underneath; read-only, lock, I/O errors.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let mine = self.doc.clone();
        self.change(Some(self.bytes.clone()), |doc, _| {
            doc.clone_from(&mine);
            Ok(((), Vec::new()))
        })
    }
}

impl Source {
    /// True when the snapshot came from a file (not a new, empty store).
    #[must_use]
    pub fn is_file(self) -> bool {
        self != Source::Empty
    }
}
