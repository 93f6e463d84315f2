//! The columns and their cards' order: one column per status (today's NTM adds claiming and
//! claimed), the ready column first when a beads file is in use, cards oldest assignment
//! first, all filtered. Rebuilt only when a store, the ready beads or the filter change.

use super::{BoardPane, CardKey, Column};
use crate::persist::assignment::v9::NtmStatus;
use crate::persist::assignment::{Assignment, AssignmentStatus, AssignmentStore};
use crate::persist::beads::Bead;
use crate::present::{sanitize, text};
use std::collections::BTreeMap;

/// A card as placed in a column while the order is rebuilt: its session and record.
type Placed<'a> = (&'a str, &'a Assignment);

/// The display width of a ready bead's id row: id, priority and type (`wa-0rr8 P1 task`).
pub(super) fn ready_width(b: &Bead) -> usize {
    let width = |s: &str| text::width(&sanitize::one_line(s));
    width(&b.id) + 1 + width(&b.priority_badge()) + 1 + width(b.type_short())
}

/// Whether `needle` (lowercase) is in any of `fields`, ignoring case.
fn any_contains(fields: &[&str], needle: &str) -> bool {
    fields.iter().any(|f| f.to_lowercase().contains(needle))
}

impl BoardPane {
    /// Whether a card of `session` passes the filter (on the all-sessions board the session's
    /// name counts too).
    pub(super) fn matches(&self, session: &str, a: &Assignment) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let needle = self.filter.to_lowercase();
        let merged = if self.merged.is_some() { session } else { "" };
        any_contains(
            &[
                a.bead_id.as_str(),
                &a.bead_title,
                &a.agent_type,
                &a.agent_name,
                a.reason(),
                a.status.as_str(),
                merged,
            ],
            &needle,
        )
    }

    pub(super) fn matches_bead(&self, b: &Bead) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let needle = self.filter.to_lowercase();
        any_contains(&[b.id.as_str(), &b.title, &b.issue_type, "ready"], &needle)
    }

    /// The stores the board shows, with their sessions.
    fn shown_stores(&self) -> Vec<(&str, &AssignmentStore)> {
        match (&self.merged, &self.session, &self.store) {
            (Some(merged), _, _) => merged
                .stores
                .iter()
                .map(|(s, store)| (s.as_str(), store))
                .collect(),
            (None, Some(session), Some(store)) => vec![(session.as_str(), store)],
            _ => Vec::new(),
        }
    }

    /// Recomputes the columns' card order (after a store or the filter changed).
    pub fn rebuild(&mut self) {
        // Another host's session alone: no store of this machine's.
        let stores = if self.host_session.is_some() {
            Vec::new()
        } else {
            self.shown_stores()
        };
        // Today's NTM (schema 9) adds claiming and claimed before assigned.
        let statuses: Vec<AssignmentStatus> = if stores.iter().any(|(_, s)| s.ntm().is_some()) {
            NtmStatus::ALL
                .iter()
                .map(|s| AssignmentStatus::parse(s.as_str()))
                .collect()
        } else {
            AssignmentStatus::KNOWN.to_vec()
        };
        let mut order: Vec<(Option<AssignmentStatus>, Vec<Placed<'_>>)> = statuses
            .into_iter()
            .map(|s| (Some(s), Vec::new()))
            .collect();
        let mut other = Vec::new();
        for (session, store) in &stores {
            for a in store
                .list()
                .into_iter()
                .filter(|a| self.matches(session, a))
            {
                match order
                    .iter_mut()
                    .find(|(s, _)| s.as_ref() == Some(&a.status))
                {
                    Some((_, cards)) => cards.push((session, a)),
                    None => other.push((*session, a)),
                }
            }
        }
        // Other hosts' cards after this machine's in each column, by host, session and id.
        let needle = self.filter.to_lowercase();
        let mut remote_other = Vec::new();
        let mut remote_in: Vec<Vec<CardKey>> = vec![Vec::new(); order.len()];
        for (key, card) in self
            .remote
            .iter()
            .filter(|(_, c)| c.matches(&needle) && self.shows_remote(c))
        {
            match order
                .iter()
                .position(|(s, _)| s.as_ref() == Some(&card.status))
            {
                Some(i) => remote_in[i].push(key.clone()),
                None => remote_other.push(key.clone()),
            }
        }
        if !other.is_empty() || !remote_other.is_empty() {
            order.push((None, other));
            remote_in.push(remote_other);
        }
        let ready: Vec<CardKey> = self
            .ready
            .values()
            .filter(|b| self.matches_bead(b))
            .map(|b| CardKey::ready(&b.id))
            .collect();
        let mut columns: Vec<(Option<AssignmentStatus>, Vec<CardKey>)> = Vec::new();
        if self.backlog {
            columns.push((None, ready));
        }
        let sorted = order
            .into_iter()
            .zip(remote_in)
            .map(|((status, mut cards), remote)| {
                cards.sort_by(|(sa, a), (sb, b)| {
                    a.assigned_at
                        .cmp(&b.assigned_at)
                        .then_with(|| a.bead_id.cmp(&b.bead_id))
                        .then_with(|| sa.cmp(sb))
                });
                let keys = cards
                    .into_iter()
                    .map(|(s, a)| CardKey::new(s, &a.bead_id))
                    .chain(remote)
                    .collect::<Vec<_>>();
                (status, keys)
            })
            .collect::<Vec<_>>();
        // Reassigning produces `assigned` (upstream keeps no `reassigned` record), so that
        // column only shows when some record really has the status; empty, it would only
        // suggest a state no card is in.
        columns.extend(sorted.into_iter().filter(|(status, ids)| {
            status.as_ref() != Some(&AssignmentStatus::Reassigned) || !ids.is_empty()
        }));
        self.order = columns;
        self.widest = self.measure();
    }

    /// The widths kept in `widest` (and the ready beads' widths, in `ready_widths`).
    fn measure(&mut self) -> (usize, usize) {
        let width = |s: &str| text::width(&sanitize::one_line(s));
        let cards = self
            .order
            .iter()
            .enumerate()
            .filter(|(i, _)| !(*i == 0 && self.backlog))
            .flat_map(|(_, (_, ids))| ids.iter().map(|k| width(&k.shown_id())))
            .max()
            .unwrap_or(0);
        let mut widths = BTreeMap::new();
        for b in self.ready.values().filter(|b| self.matches_bead(b)) {
            *widths.entry(ready_width(b)).or_default() += 1;
        }
        self.ready_widths = widths;
        let ready = self.ready_widths.keys().next_back().copied().unwrap_or(0);
        (cards, ready)
    }

    /// Display widths of the widest card's bead id, and of the widest ready bead's id with its
    /// priority and type badges (`wa-0rr8 P1 task`).
    #[must_use]
    pub fn widest(&self) -> (usize, usize) {
        self.widest
    }

    /// The columns: (ready,) assigned, working, completed, failed, reassigned, and "other"
    /// when some records have a status outside those.
    #[must_use]
    pub fn columns(&self) -> Vec<Column<'_>> {
        self.order
            .iter()
            .enumerate()
            .map(|(i, (status, ids))| Column {
                ready: i == 0 && self.backlog,
                status: status.as_ref(),
                ids,
            })
            .collect()
    }

    /// Sets the filter and rebuilds the columns.
    pub fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.fix_selection();
    }
}
