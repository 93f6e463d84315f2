//! The store's methods, upstream's (`Assign`, `UpdateStatus`, `MarkWorking`, `MarkCompleted`,
//! `MarkFailed`, `Reassign`, `Remove`, `Clear`) and the retry: each one change through
//! [`AssignmentStore::change`], checking the transition table and, when the caller said what it
//! saw, that no other writer moved the record meanwhile.

use super::AssignmentStore;
use super::change::history_record;
use crate::persist::assignment::errors::InvalidTransitionError;
use crate::persist::assignment::{
    Assignment, AssignmentStatus, StoreDocument, StoreError, is_valid_transition,
};

/// The status a move expects the bead to have (`None`: no record), when it expects one.
pub(super) type Seen = Option<Option<AssignmentStatus>>;

/// Refuses a move whose record is no longer what the caller saw.
fn check_seen(doc: &StoreDocument, bead_id: &str, seen: &Seen) -> Result<(), StoreError> {
    let found = doc.assignments.get(bead_id).map(|r| &r.status);
    match seen {
        Some(seen) if seen.as_ref() != found => Err(StoreError::Raced {
            bead_id: bead_id.to_owned(),
            seen: seen.clone(),
            found: found.cloned(),
        }),
        _ => Ok(()),
    }
}

fn transition<'a>(
    doc: &'a mut StoreDocument,
    bead_id: &str,
    to: &AssignmentStatus,
    seen: &Seen,
) -> Result<&'a mut Assignment, StoreError> {
    check_seen(doc, bead_id, seen)?;
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
    /// `Assign`: creates or replaces the record of `bead_id` as `assigned` (any previous record
    /// is replaced, whatever its status, as upstream does; its retry count restarts at 0).
    ///
    /// # Errors
    /// [`StoreError::Raced`] when the caller said it saw no record (see
    /// [`AssignmentStore::expect`]) and another writer assigned the bead meanwhile; read-only,
    /// lock and I/O errors.
    pub fn assign(
        &mut self,
        bead_id: &str,
        bead_title: &str,
        pane: i64,
        agent_type: &str,
        agent_name: &str,
        prompt: &str,
    ) -> Result<Assignment, StoreError> {
        let seen = self.seen(bead_id);
        self.change(None, |doc, now| {
            check_seen(doc, bead_id, &seen)?;
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
    /// [`StoreError::NotFound`], [`StoreError::InvalidTransition`], [`StoreError::Raced`] when
    /// another writer moved the record since the caller saw it (nothing written), or read-only,
    /// lock and I/O errors.
    pub fn update_status(
        &mut self,
        bead_id: &str,
        status: AssignmentStatus,
    ) -> Result<Assignment, StoreError> {
        let seen = self.seen(bead_id);
        self.change(None, |doc, now| {
            let record = transition(doc, bead_id, &status, &seen)?;
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
        let seen = self.seen(bead_id);
        self.change(None, |doc, now| {
            let record = transition(doc, bead_id, &AssignmentStatus::Failed, &seen)?;
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
    /// Unlike upstream, a reassignment to the pane and agent the record already has (an empty
    /// `agent_name` meaning any) is refused: it would only demote the work and drop its start.
    ///
    /// # Errors
    /// [`StoreError::SameTarget`], or as [`AssignmentStore::update_status`].
    pub fn reassign(
        &mut self,
        bead_id: &str,
        pane: i64,
        agent_type: &str,
        agent_name: &str,
    ) -> Result<Assignment, StoreError> {
        let seen = self.seen(bead_id);
        let placed = self.placed(bead_id);
        self.change(None, |doc, now| {
            let old = transition(doc, bead_id, &AssignmentStatus::Reassigned, &seen)?.clone();
            if let Some((pane, kind)) = &placed
                && (pane.is_some_and(|p| p != old.pane)
                    || kind.as_ref().is_some_and(|k| *k != old.agent_type))
            {
                return Err(StoreError::Moved {
                    bead_id: bead_id.to_owned(),
                    pane: old.pane,
                    agent_type: old.agent_type.clone(),
                });
            }
            if old.pane == pane
                && old.agent_type == agent_type
                && (agent_name.is_empty() || old.agent_name == agent_name)
            {
                return Err(StoreError::SameTarget {
                    bead_id: bead_id.to_owned(),
                    pane,
                    agent_type: agent_type.to_owned(),
                });
            }
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
    /// [`StoreError::Raced`] when the record is no longer what the caller saw (see
    /// [`AssignmentStore::expect`]); read-only, lock and I/O errors.
    pub fn remove(&mut self, bead_id: &str) -> Result<Option<Assignment>, StoreError> {
        let seen = self.seen(bead_id);
        self.change(None, |doc, now| {
            check_seen(doc, bead_id, &seen)?;
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
