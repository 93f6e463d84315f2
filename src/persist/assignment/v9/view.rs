//! A loaded schema-9 store as today's NTM reads it: generation, cleared generations, counts by
//! its seven statuses, the active rows, pending completion events, pane identities.

use super::row::{NtmRow, PaneIdentity};
use super::select::NtmChoice;
use super::status::NtmStatus;
use crate::persist::assignment::StoreDocument;
use std::collections::BTreeMap;

/// NTM's `AssignmentStats` of schema 9 (`claiming` counts only in `total`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct NtmStats {
    /// Every record.
    pub total: usize,
    /// `claimed` records.
    pub claimed: usize,
    /// `assigned` records.
    pub assigned: usize,
    /// `working` records.
    pub working: usize,
    /// `completed` records.
    pub completed: usize,
    /// `failed` records.
    pub failed: usize,
    /// `reassigned` records.
    pub reassigned: usize,
}

/// A schema-9 store's content with the snapshot choice it came from.
#[derive(Debug, Clone, Copy)]
pub struct NtmView<'a> {
    /// The shown document.
    pub doc: &'a StoreDocument,
    /// How it was chosen, and whether NTM's strict read accepts it.
    pub choice: &'a NtmChoice,
}

impl<'a> NtmView<'a> {
    /// Every row, by bead id.
    #[must_use]
    pub fn rows(&self) -> Vec<NtmRow<'a>> {
        self.doc.assignments.values().map(NtmRow::new).collect()
    }

    /// One row.
    #[must_use]
    pub fn row(&self, bead: &str) -> Option<NtmRow<'a>> {
        self.doc.assignments.get(bead).map(NtmRow::new)
    }

    /// `persistence_generation` of the shown content.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.choice.generation
    }

    /// `cleared_generations` (empty when unreadable; the refusal says why).
    #[must_use]
    pub fn cleared_generations(&self) -> BTreeMap<String, u64> {
        self.doc.cleared_generations().unwrap_or_default()
    }

    /// True when NTM's strict read accepts the store, so beadboard may write to it.
    #[must_use]
    pub fn is_writable(&self) -> bool {
        self.choice.refusal.is_none()
    }

    /// Counts by status, as NTM's `Stats`.
    #[must_use]
    pub fn stats(&self) -> NtmStats {
        let mut s = NtmStats::default();
        for record in self.doc.assignments.values() {
            s.total += 1;
            match NtmStatus::of(&record.status) {
                Some(NtmStatus::Claimed) => s.claimed += 1,
                Some(NtmStatus::Assigned) => s.assigned += 1,
                Some(NtmStatus::Working) => s.working += 1,
                Some(NtmStatus::Completed) => s.completed += 1,
                Some(NtmStatus::Failed) => s.failed += 1,
                Some(NtmStatus::Reassigned) => s.reassigned += 1,
                Some(NtmStatus::Claiming) | None => {}
            }
        }
        s
    }

    /// The beads whose row satisfies `keep`, by bead id.
    fn beads_where(&self, keep: impl Fn(&NtmRow) -> bool) -> Vec<String> {
        self.rows()
            .iter()
            .filter(|r| keep(r))
            .map(|r| r.bead().to_owned())
            .collect()
    }

    /// NTM's `ListActive`, by bead id.
    #[must_use]
    pub fn active(&self) -> Vec<String> {
        self.beads_where(|r| r.is_active())
    }

    /// NTM's `ListPendingCompletionEvents`: event ids, oldest detection first.
    #[must_use]
    pub fn pending_completion_events(&self) -> Vec<String> {
        let rows = self.rows();
        let mut pending: Vec<&NtmRow> = rows
            .iter()
            .filter(|r| r.has_pending_completion_event())
            .collect();
        pending.sort_by(|a, b| {
            let when = |r: &NtmRow| r.fields.outbox.completion_detected_at;
            when(a)
                .cmp(&when(b))
                .then_with(|| a.bead().cmp(b.bead()))
                .then_with(|| {
                    a.fields
                        .outbox
                        .pending_completion_event_id
                        .cmp(&b.fields.outbox.pending_completion_event_id)
                })
        });
        pending
            .iter()
            .map(|r| r.fields.outbox.pending_completion_event_id.clone())
            .collect()
    }

    /// Each row's pane identity.
    #[must_use]
    pub fn pane_identities(&self) -> BTreeMap<String, PaneIdentity> {
        self.rows()
            .iter()
            .map(|r| (r.bead().to_owned(), r.pane_identity()))
            .collect()
    }

    /// The rows that stop NTM from assigning anything in this session (active, no `%N`).
    #[must_use]
    pub fn blocking_rows(&self) -> Vec<String> {
        self.beads_where(|r| r.blocks_session())
    }
}
