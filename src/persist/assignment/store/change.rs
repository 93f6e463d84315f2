//! Every change to a store goes through [`AssignmentStore::change`]: take the `flock`, re-read
//! the file inside it (so another program's change is never overwritten), check the schema and
//! the transition, apply the change to a copy, publish it (temp, fsync, backup, rename, fsync),
//! append the history, and only then update memory. Any failure leaves memory and disk as they
//! were.

use super::{AssignmentStore, LoadSource};
use crate::persist::assignment::errors::{InvalidTransitionError, PersistenceError};
use crate::persist::assignment::history::{self, HistoryRecord};
use crate::persist::assignment::publish::{self, Source};
use crate::persist::assignment::{
    Assignment, AssignmentStatus, StoreDocument, StoreError, is_valid_transition,
};
use crate::persist::atomic;
use crate::persist::gojson::{self, GoTime};
use crate::persist::lock::FileLock;
use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

type Applied<R> = Result<(R, Vec<HistoryRecord>), StoreError>;

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

fn transition<'a>(
    doc: &'a mut StoreDocument,
    bead_id: &str,
    to: &AssignmentStatus,
) -> Result<&'a mut Assignment, StoreError> {
    let record = doc
        .assignments
        .get_mut(bead_id)
        .ok_or_else(|| StoreError::NotFound {
            bead_id: bead_id.to_owned(),
        })?;
    if !is_valid_transition(&record.status, to) {
        return Err(InvalidTransitionError {
            bead_id: bead_id.to_owned(),
            from: record.status.clone(),
            to: to.clone(),
        }
        .into());
    }
    Ok(record)
}

fn op_name(to: &AssignmentStatus) -> &'static str {
    match to {
        AssignmentStatus::Working => "start",
        AssignmentStatus::Completed => "complete",
        AssignmentStatus::Failed => "fail",
        AssignmentStatus::Assigned => "retry",
        _ => "update_status",
    }
}

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
        let dir = atomic::parent_dir(&self.path);
        let absent = |p: &std::path::Path| std::fs::symlink_metadata(p).is_err();
        if absent(&dir) || (absent(&self.path) && absent(&self.backup_path())) {
            // No store yet (no session directory, or one without the store files): try the
            // change on an empty store first, so a change that cannot succeed (an unknown bead)
            // or changes nothing writes nothing anywhere, not even the lock file.
            let empty = StoreDocument::new(&self.session, gojson::zero_time());
            let mut trial = empty.clone();
            let (result, _) = apply(&mut trial, gojson::zero_time())?;
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
        let (result, records) = apply(&mut doc, now)?;
        if doc == *snapshot.doc && snapshot.source.is_file() {
            let bytes = snapshot.bytes.clone();
            drop(snapshot);
            self.doc = doc;
            self.bytes = bytes;
            return Ok(result);
        }
        doc.updated_at = now;
        doc.null_records.clear();
        let bytes = doc.to_bytes();
        publish::publish(
            &self.path,
            &snapshot,
            &bytes,
            &now.format("%Y%m%dT%H%M%SZ").to_string(),
        )?;
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

    /// `Assign`: creates or replaces the record of `bead_id` as `assigned` (any previous record
    /// is replaced, whatever its status, as upstream does; its retry count restarts at 0).
    ///
    /// # Errors
    /// Read-only, lock and I/O errors.
    pub fn assign(
        &mut self,
        bead_id: &str,
        bead_title: &str,
        pane: i64,
        agent_type: &str,
        agent_name: &str,
        prompt: &str,
    ) -> Result<Assignment, StoreError> {
        self.change(None, |doc, now| {
            let record = Assignment::new(
                bead_id, bead_title, pane, agent_type, agent_name, prompt, now,
            );
            let before = doc.assignments.insert(bead_id.to_owned(), record.clone());
            let log = history_record("assign", bead_id, before.as_ref(), Some(&record), "", now);
            Ok((record, vec![log]))
        })
    }

    /// `UpdateStatus`: moves `bead_id` to `status` if the table allows it. Working sets
    /// `started_at`, completed `completed_at`, failed `failed_at`; a retry (failed → assigned)
    /// adds one to `retry_count`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::InvalidTransition`] (nothing written), or
    /// read-only, lock and I/O errors.
    pub fn update_status(
        &mut self,
        bead_id: &str,
        status: AssignmentStatus,
    ) -> Result<Assignment, StoreError> {
        self.change(None, |doc, now| {
            let record = transition(doc, bead_id, &status)?;
            let before = record.clone();
            match status {
                AssignmentStatus::Working => record.started_at = Some(now),
                AssignmentStatus::Completed => record.completed_at = Some(now),
                AssignmentStatus::Failed => record.failed_at = Some(now),
                AssignmentStatus::Assigned => record.retry_count += 1,
                _ => {}
            }
            record.status = status.clone();
            let after = record.clone();
            let log = history_record(
                op_name(&status),
                bead_id,
                Some(&before),
                Some(&after),
                "",
                now,
            );
            Ok((after, vec![log]))
        })
    }

    /// `MarkWorking`: assigned → working.
    ///
    /// # Errors
    /// As [`AssignmentStore::update_status`].
    pub fn mark_working(&mut self, bead_id: &str) -> Result<Assignment, StoreError> {
        self.update_status(bead_id, AssignmentStatus::Working)
    }

    /// `MarkCompleted`: working → completed.
    ///
    /// # Errors
    /// As [`AssignmentStore::update_status`].
    pub fn mark_completed(&mut self, bead_id: &str) -> Result<Assignment, StoreError> {
        self.update_status(bead_id, AssignmentStatus::Completed)
    }

    /// Retry: failed → assigned, adding one to `retry_count`.
    ///
    /// # Errors
    /// As [`AssignmentStore::update_status`].
    pub fn retry(&mut self, bead_id: &str) -> Result<Assignment, StoreError> {
        self.update_status(bead_id, AssignmentStatus::Assigned)
    }

    /// `MarkFailed`: assigned or working → failed, with `failed_at` and `fail_reason`.
    ///
    /// # Errors
    /// As [`AssignmentStore::update_status`].
    pub fn mark_failed(&mut self, bead_id: &str, reason: &str) -> Result<Assignment, StoreError> {
        self.change(None, |doc, now| {
            let record = transition(doc, bead_id, &AssignmentStatus::Failed)?;
            let before = record.clone();
            record.status = AssignmentStatus::Failed;
            record.failed_at = Some(now);
            record.fail_reason = reason.to_owned();
            let after = record.clone();
            Ok((
                after.clone(),
                vec![history_record(
                    "fail",
                    bead_id,
                    Some(&before),
                    Some(&after),
                    reason,
                    now,
                )],
            ))
        })
    }

    /// `Reassign`: only from working. The record is replaced by a fresh `assigned` one on the
    /// new pane and agent, keeping the title, prompt, retry count and unknown keys (upstream
    /// keeps no trace of the old one; the history log does). As upstream, the fresh record's
    /// `bead_id` is the map key, even where the old record's own `bead_id` said otherwise.
    ///
    /// # Errors
    /// As [`AssignmentStore::update_status`].
    pub fn reassign(
        &mut self,
        bead_id: &str,
        pane: i64,
        agent_type: &str,
        agent_name: &str,
    ) -> Result<Assignment, StoreError> {
        self.change(None, |doc, now| {
            let old = transition(doc, bead_id, &AssignmentStatus::Reassigned)?.clone();
            let mut fresh = Assignment::new(
                bead_id,
                &old.bead_title,
                pane,
                agent_type,
                agent_name,
                &old.prompt_sent,
                now,
            );
            fresh.retry_count = old.retry_count;
            fresh.extra.clone_from(&old.extra);
            doc.assignments.insert(bead_id.to_owned(), fresh.clone());
            Ok((
                fresh.clone(),
                vec![history_record(
                    "reassign",
                    bead_id,
                    Some(&old),
                    Some(&fresh),
                    "",
                    now,
                )],
            ))
        })
    }

    /// `Remove`: deletes the record of `bead_id`; returns it, or `None` if there was none (then
    /// nothing is written).
    ///
    /// # Errors
    /// Read-only, lock and I/O errors.
    pub fn remove(&mut self, bead_id: &str) -> Result<Option<Assignment>, StoreError> {
        self.change(None, |doc, now| {
            let removed = doc.assignments.remove(bead_id);
            let log = removed
                .iter()
                .map(|r| history_record("remove", bead_id, Some(r), None, "", now))
                .collect();
            Ok((removed, log))
        })
    }

    /// `Clear`: deletes every record.
    ///
    /// # Errors
    /// Read-only, lock and I/O errors.
    pub fn clear(&mut self) -> Result<(), StoreError> {
        self.change(None, |doc, now| {
            let log = doc
                .assignments
                .values()
                .map(|r| history_record("clear", &r.bead_id, Some(r), None, "", now))
                .collect();
            doc.assignments.clear();
            Ok(((), log))
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
