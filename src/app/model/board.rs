//! The Board pane's state: the sessions under the NTM root, the open session's store (as the
//! board worker last read it), and the selected card, which is kept by bead id so it follows a
//! card when a transition moves it to another column. The pane never reads a file itself: it
//! asks for reads (effects) and takes their results.

use crate::app::effect::Effect;
use crate::app::outcome::StoreRead;
use crate::persist::assignment::{Assignment, AssignmentStatus, AssignmentStore, SessionInfo};
use crate::persist::beads::Bead;
use crate::present::{sanitize, text};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One kanban column: its status and its cards' bead ids, oldest assignment first (the ready
/// column: beads from the backlog in ready order).
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// True for the ready column (open beads from the beads file, not yet assigned).
    pub ready: bool,
    /// The status it holds; `None` for the ready column and the column of unknown statuses.
    pub status: Option<&'a AssignmentStatus>,
    /// Bead ids of its cards, in order (look them up with [`BoardPane::card`]).
    pub ids: &'a [String],
}

/// The kanban of one session.
#[derive(Debug)]
pub struct BoardPane {
    ntm: PathBuf,
    /// Sessions that have a store, by name.
    pub sessions: Vec<String>,
    /// The session shown.
    pub session: Option<String>,
    /// Its store, when it could be read.
    pub store: Option<AssignmentStore>,
    /// Why the store could not be read.
    pub error: Option<String>,
    /// Why the sessions directory could not be listed (a file in its place, no permission).
    pub sessions_problem: Option<String>,
    /// The selected column.
    pub column: usize,
    /// The first column in view when not all fit side by side (a hint: the view still
    /// scrolls to the selected column; see [`BoardPane::scroll_columns`]).
    pub first_column: usize,
    selected: Option<String>,
    /// Case-insensitive text every shown card must contain.
    pub filter: String,
    /// The columns' card order, rebuilt only when the store or the filter changes, so a board
    /// of ten thousand beads costs nothing per frame.
    order: Vec<(Option<AssignmentStatus>, Vec<String>)>,
    /// Whether a beads file is in use (then the board starts with the ready column).
    pub backlog: bool,
    /// Ready beads: open, unblocked, not assigned in any session, in ready order.
    ready: Vec<Bead>,
    /// The open session's store is being read (nothing to show yet).
    pub loading: bool,
    /// The session list has not arrived yet.
    pub listing: bool,
    /// Reads asked for, for the event loop to hand to the board worker.
    pub outbox: Vec<Effect>,
    /// Where each ready bead sits in `ready`, by id (cards are looked up every frame).
    ready_index: HashMap<String, usize>,
    /// Display widths of the widest card's bead id and of the widest ready bead's id row (id,
    /// priority, type), kept by [`BoardPane::rebuild`] so the view sizes its columns without
    /// measuring ten thousand ids every frame.
    widest: (usize, usize),
}

impl BoardPane {
    /// An empty board that has asked for the sessions (and will open the one changed most
    /// recently).
    #[must_use]
    pub fn new(ntm: &Path) -> BoardPane {
        let mut pane = BoardPane {
            ntm: ntm.to_path_buf(),
            sessions: Vec::new(),
            session: None,
            store: None,
            error: None,
            sessions_problem: None,
            column: 0,
            first_column: 0,
            selected: None,
            filter: String::new(),
            order: Vec::new(),
            backlog: false,
            ready: Vec::new(),
            ready_index: HashMap::new(),
            widest: (0, 0),
            loading: false,
            listing: true,
            outbox: Vec::new(),
        };
        pane.outbox.push(Effect::ListSessions {
            ntm: ntm.to_path_buf(),
            open_newest: true,
        });
        pane
    }

    /// Where stores are looked for.
    #[must_use]
    pub fn sessions_dir(&self) -> PathBuf {
        self.ntm.join("sessions")
    }

    /// Asks for the sessions again (one appeared or vanished).
    pub fn reload_sessions(&mut self) {
        self.outbox.push(Effect::ListSessions {
            ntm: self.ntm.clone(),
            open_newest: false,
        });
    }

    /// Takes the session list; opens the newest (at start) or the first one when none is open.
    pub fn apply_sessions(
        &mut self,
        result: Result<Vec<(SessionInfo, Option<std::time::SystemTime>)>, String>,
        open_newest: bool,
    ) {
        self.listing = false;
        let found = match result {
            Ok(found) => {
                self.sessions_problem = None;
                found
            }
            Err(e) => {
                self.sessions_problem = Some(e);
                Vec::new()
            }
        };
        let newest = found
            .iter()
            .max_by_key(|(_, modified)| *modified)
            .map(|(s, _)| s.name.clone());
        self.sessions = found.into_iter().map(|(s, _)| s.name).collect();
        match &self.session {
            Some(s) if self.sessions.contains(s) => {}
            _ => {
                self.session = None;
                self.store = None;
                self.error = None;
                let pick = if open_newest {
                    newest
                } else {
                    self.sessions.first().cloned()
                };
                if let Some(name) = pick {
                    self.open_session(&name);
                } else {
                    self.fix_selection();
                }
            }
        }
    }

    /// Shows `name`'s board (empty until its store has been read).
    pub fn open_session(&mut self, name: &str) {
        self.session = Some(name.to_owned());
        self.selected = None;
        self.column = 0;
        self.store = None;
        self.error = None;
        self.loading = true;
        self.outbox.push(Effect::LoadStore {
            ntm: self.ntm.clone(),
            session: name.to_owned(),
        });
        self.fix_selection();
    }

    /// Shows the next session's board.
    pub fn next_session(&mut self) {
        if self.sessions.is_empty() {
            return;
        }
        let next = match self
            .session
            .as_ref()
            .and_then(|s| self.sessions.iter().position(|x| x == s))
        {
            Some(i) => (i + 1) % self.sessions.len(),
            None => 0,
        };
        let name = self.sessions[next].clone();
        self.open_session(&name);
    }

    /// Asks for the open session's store again after it changed on disk.
    pub fn reload_store(&mut self) {
        if let Some(name) = &self.session {
            self.outbox.push(Effect::LoadStore {
                ntm: self.ntm.clone(),
                session: name.clone(),
            });
        }
    }

    /// Takes a store read for `session` (ignored unless it is the open one). A store that
    /// turns unreadable keeps its last good content on screen, with the error shown.
    pub fn apply_store(&mut self, session: &str, read: StoreRead) {
        if self.session.as_deref() != Some(session) {
            return;
        }
        self.loading = false;
        match read {
            StoreRead::Loaded(store) => {
                self.store = Some(*store);
                self.error = None;
            }
            StoreRead::Gone => {
                self.store = None;
                self.error = None;
                self.reload_sessions();
            }
            StoreRead::Failed(e) => self.error = Some(e),
        }
        self.fix_selection();
    }

    /// Takes the store as a finished write left it (when it is the open session's).
    pub fn apply_written(&mut self, session: &str, store: AssignmentStore) {
        if self.session.as_deref() == Some(session) {
            self.store = Some(store);
            self.error = None;
            self.loading = false;
        }
    }

    fn matches(&self, a: &Assignment) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let needle = self.filter.to_lowercase();
        [
            a.bead_id.as_str(),
            &a.bead_title,
            &a.agent_type,
            &a.agent_name,
            a.reason(),
            a.status.as_str(),
        ]
        .iter()
        .any(|f| f.to_lowercase().contains(&needle))
    }

    /// Recomputes the columns' card order (after the store or the filter changed).
    pub fn rebuild(&mut self) {
        // Today's NTM (schema 9) adds claiming and claimed before assigned.
        let statuses: Vec<AssignmentStatus> = match self.store.as_ref().and_then(|s| s.ntm()) {
            Some(_) => crate::persist::assignment::v9::NtmStatus::ALL
                .iter()
                .map(|s| AssignmentStatus::parse(s.as_str()))
                .collect(),
            None => AssignmentStatus::KNOWN.to_vec(),
        };
        let mut order: Vec<(Option<AssignmentStatus>, Vec<&Assignment>)> = statuses
            .into_iter()
            .map(|s| (Some(s), Vec::new()))
            .collect();
        let mut other = Vec::new();
        if let Some(store) = &self.store {
            for a in store.list().into_iter().filter(|a| self.matches(a)) {
                match order
                    .iter_mut()
                    .find(|(s, _)| s.as_ref() == Some(&a.status))
                {
                    Some((_, cards)) => cards.push(a),
                    None => other.push(a),
                }
            }
            if !other.is_empty() {
                order.push((None, other));
            }
        }
        let ready: Vec<String> = self
            .ready
            .iter()
            .filter(|b| self.matches_bead(b))
            .map(|b| b.id.clone())
            .collect();
        let mut columns: Vec<(Option<AssignmentStatus>, Vec<String>)> = Vec::new();
        if self.backlog {
            columns.push((None, ready));
        }
        let sorted = order
            .into_iter()
            .map(|(status, mut cards)| {
                cards.sort_by(|a, b| {
                    a.assigned_at
                        .cmp(&b.assigned_at)
                        .then_with(|| a.bead_id.cmp(&b.bead_id))
                });
                (
                    status,
                    cards
                        .into_iter()
                        .map(|a| a.bead_id.clone())
                        .collect::<Vec<_>>(),
                )
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

    /// The widths kept in `widest`.
    fn measure(&self) -> (usize, usize) {
        let width = |s: &str| text::width(&sanitize::one_line(s));
        let cards = self
            .order
            .iter()
            .enumerate()
            .filter(|(i, _)| !(*i == 0 && self.backlog))
            .flat_map(|(_, (_, ids))| ids.iter().map(|id| width(id)))
            .max()
            .unwrap_or(0);
        let ready = self
            .ready
            .iter()
            .filter(|b| self.matches_bead(b))
            .map(|b| width(&b.id) + 1 + width(&b.priority_badge()) + 1 + width(b.type_short()))
            .max()
            .unwrap_or(0);
        (cards, ready)
    }

    /// Display widths of the widest card's bead id, and of the widest ready bead's id with its
    /// priority and type badges (`wa-0rr8 P1 task`).
    #[must_use]
    pub fn widest(&self) -> (usize, usize) {
        self.widest
    }

    fn matches_bead(&self, b: &Bead) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let needle = self.filter.to_lowercase();
        [b.id.as_str(), &b.title, &b.issue_type, "ready"]
            .iter()
            .any(|f| f.to_lowercase().contains(&needle))
    }

    /// Replaces the ready beads (in ready order) and rebuilds the columns.
    pub fn set_ready(&mut self, ready: Vec<Bead>) {
        if ready == self.ready {
            // The usual case after a store change: nothing to lay out again.
            return;
        }
        self.ready_index = ready
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        self.ready = ready;
        self.fix_selection();
    }

    /// A ready bead by id.
    #[must_use]
    pub fn ready_bead(&self, id: &str) -> Option<&Bead> {
        self.ready_index.get(id).and_then(|&i| self.ready.get(i))
    }

    /// The selected ready bead, when the selection is in the ready column.
    #[must_use]
    pub fn selected_ready(&self) -> Option<&Bead> {
        let id = self.selected.as_ref()?;
        self.ready_bead(id).filter(|b| self.matches_bead(b))
    }

    /// The columns: assigned, working, completed, failed, reassigned, and "other" when some
    /// records have a status outside those five.
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

    /// The record of a card.
    #[must_use]
    pub fn card(&self, bead_id: &str) -> Option<&Assignment> {
        self.store.as_ref()?.get(bead_id)
    }

    /// Sets the filter and rebuilds the columns.
    pub fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.fix_selection();
    }

    /// The selected card.
    #[must_use]
    pub fn selected_card(&self) -> Option<&Assignment> {
        let id = self.selected.as_ref()?;
        self.store.as_ref()?.get(id).filter(|a| self.matches(a))
    }

    /// The selected card's row within its column.
    #[must_use]
    pub fn selected_row(&self) -> Option<usize> {
        let id = self.selected.as_ref()?;
        self.columns()
            .get(self.column)?
            .ids
            .iter()
            .position(|a| a == id)
    }

    /// Selects `bead` wherever it is (after a transition moved it), else keeps the column.
    pub fn follow_bead(&mut self, bead: &str) {
        self.selected = Some(bead.to_owned());
        self.fix_selection();
    }

    /// Makes the selection valid: the selected bead's column, or the nearest card.
    pub fn fix_selection(&mut self) {
        self.rebuild();
        let (found, count, nearest) = {
            let columns = self.columns();
            let found = self
                .selected
                .as_ref()
                .and_then(|id| columns.iter().position(|col| col.ids.contains(id)));
            let count = columns.len();
            let column = self.column.min(count.saturating_sub(1));
            // The selected column's first card; if it has none, the nearest column's that has.
            let nearest = (0..count)
                .flat_map(|d| [column.checked_sub(d), Some(column + d)])
                .flatten()
                .filter(|&c| c < count)
                .find_map(|c| columns[c].ids.first().map(|id| (c, id.clone())));
            (found, count, nearest)
        };
        if count == 0 {
            return;
        }
        match (found, nearest) {
            (Some(c), _) => self.column = c,
            (None, Some((c, id))) => {
                self.column = c;
                self.selected = Some(id);
            }
            (None, None) => {
                self.column = self.column.min(count - 1);
                self.selected = None;
            }
        }
    }

    /// Moves the selection within the column.
    pub fn move_row(&mut self, delta: isize) {
        let row = self
            .selected_row()
            .unwrap_or(0)
            .saturating_add_signed(delta);
        self.select_row(row);
    }

    /// Selects row `row` of the current column (clamped).
    pub fn select_row(&mut self, row: usize) {
        let pick = self
            .columns()
            .get(self.column)
            .and_then(|c| c.ids.get(row.min(c.ids.len().saturating_sub(1))).cloned());
        if pick.is_some() {
            self.selected = pick;
        }
    }

    /// Scrolls the columns as little as needed for the selected one to be among the `shown`
    /// in view.
    pub fn scroll_columns(&mut self, shown: usize) {
        let count = self.columns().len();
        self.first_column =
            crate::present::scroll::window_start(self.first_column, self.column, shown, count);
    }

    /// Selects the column `delta` away (clamped), keeping the row where possible.
    pub fn move_column(&mut self, delta: isize) {
        let row = self.selected_row().unwrap_or(0);
        let count = self.columns().len();
        self.column = self
            .column
            .saturating_add_signed(delta)
            .min(count.saturating_sub(1));
        self.selected = None;
        let pick = self
            .columns()
            .get(self.column)
            .and_then(|c| c.ids.get(row.min(c.ids.len().saturating_sub(1))).cloned());
        self.selected = pick;
    }
}
