//! The session picker (`S` on the board): the "all sessions" entry, then every session, most
//! recently changed first, with its counts per status (or why its store cannot be read),
//! filtered as you type. The list is read by a worker ([`Effect::SessionOverview`]); until it
//! arrives the picker says so. While it is open, a store's change reads that session's row
//! again and a change to the sessions the whole list (one read of it at a time), so it stays
//! true without piling up reads.
//!
//! [`Effect::SessionOverview`]: crate::app::effect::Effect::SessionOverview

use super::HostSession;
use super::smart_contains;
use crate::persist::assignment::{SessionOverview, sort_overviews};

/// A row of the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickRow {
    /// The all-sessions board.
    All,
    /// A session: its index in the list.
    Session(usize),
    /// Another host's session: its index in [`SessionPicker::hosts`].
    HostSession(usize),
}

/// The words of the all-sessions entry (a filter matching them keeps it listed).
pub const ALL_SESSIONS: &str = "all sessions";

/// The picker's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPicker {
    /// Every session as read, most recently changed first (`None` until the first read
    /// arrives; `Err`: why the sessions directory cannot be listed).
    pub list: Option<Result<Vec<SessionOverview>, String>>,
    /// What was typed (case-insensitive unless it has a capital).
    pub filter: String,
    /// The rows shown, in order.
    rows: Vec<PickRow>,
    /// The selected row (an index into the rows shown).
    pub selected: usize,
    /// The first row in view (a hint: the view still scrolls to the selection).
    pub top: usize,
    /// What the board showed when the picker opened: selected when the list arrives (`None`:
    /// the all-sessions board).
    current: Option<String>,
    /// Other hosts' sessions, as their cards say (after this machine's; each named
    /// `gpu1:webapp`), with their host and session.
    pub hosts: Vec<(String, String, SessionOverview)>,
    /// A read of the list is under way.
    pub reading: bool,
    /// Something changed while it was: read again when it is done.
    pub again: bool,
}

impl SessionPicker {
    /// A picker waiting for its list; `current` is the session the board shows (`None` for
    /// the all-sessions board).
    #[must_use]
    pub fn new(current: Option<String>) -> SessionPicker {
        SessionPicker {
            list: None,
            filter: String::new(),
            rows: vec![PickRow::All],
            selected: 0,
            top: 0,
            current,
            hosts: Vec::new(),
            reading: true,
            again: false,
        }
    }

    /// The sessions as read (none while reading or when they cannot be listed).
    #[must_use]
    pub fn sessions(&self) -> &[SessionOverview] {
        match &self.list {
            Some(Ok(all)) => all,
            _ => &[],
        }
    }

    /// The rows shown, in order.
    #[must_use]
    pub fn rows(&self) -> &[PickRow] {
        &self.rows
    }

    /// The selected row.
    #[must_use]
    pub fn selected_row(&self) -> Option<PickRow> {
        self.rows.get(self.selected).copied()
    }

    /// The session of a row, if it is one (another host's named `gpu1:webapp`).
    #[must_use]
    pub fn session(&self, row: PickRow) -> Option<&SessionOverview> {
        match row {
            PickRow::All => None,
            PickRow::Session(i) => self.sessions().get(i),
            PickRow::HostSession(i) => self.hosts.get(i).map(|(_, _, s)| s),
        }
    }

    /// The host and session of a row, if it is another host's session.
    #[must_use]
    pub fn host_session(&self, row: PickRow) -> Option<(&str, &str)> {
        match row {
            PickRow::HostSession(i) => self.hosts.get(i).map(|(h, s, _)| (h.as_str(), s.as_str())),
            _ => None,
        }
    }

    /// Takes other hosts' sessions as their cards now say, keeping the selected one selected.
    pub fn set_hosts(&mut self, sessions: Vec<HostSession>) {
        let keep = self.selected_name();
        let on_all = self.selected_row() == Some(PickRow::All);
        self.hosts = sessions
            .into_iter()
            .map(|s| {
                let overview = SessionOverview {
                    name: s.name(),
                    store_path: std::path::PathBuf::new(),
                    changed: None,
                    stats: Some(s.stats),
                    problem: None,
                };
                (s.host, s.session, overview)
            })
            .collect();
        self.refilter();
        if !on_all {
            let name = keep.or_else(|| self.current.clone());
            self.select_name(name.as_deref());
        }
    }

    /// The name of the selected session (`None` on the all-sessions entry).
    fn selected_name(&self) -> Option<String> {
        self.selected_row()
            .and_then(|r| self.session(r))
            .map(|s| s.name.clone())
    }

    /// Takes a read of the list, keeping the selected session selected.
    pub fn apply(&mut self, list: Result<Vec<SessionOverview>, String>) {
        let keep = if self.list.is_none() {
            self.current.clone()
        } else {
            self.selected_name()
        };
        self.list = Some(list);
        self.reading = false;
        self.refilter();
        self.select_name(keep.as_deref());
    }

    /// Takes a new read of one session's row (`None`: it has no store any more), keeping the
    /// selected session selected and the order (most recently changed first). Until the whole
    /// list has been read there is nothing to update.
    pub fn apply_one(&mut self, session: &str, overview: Option<SessionOverview>) {
        let keep = self.selected_name();
        let on_all = self.selected_row() == Some(PickRow::All);
        let Some(Ok(all)) = &mut self.list else {
            return;
        };
        all.retain(|s| s.name != session);
        all.extend(overview);
        sort_overviews(all);
        self.refilter();
        if on_all {
            self.select_name(None);
        } else {
            self.select_name(keep.as_deref());
        }
    }

    /// Sets the filter; the first matching session is selected (with no filter, the first row).
    pub fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        self.refilter();
        self.selected = if self.filter.is_empty() {
            0
        } else {
            self.rows
                .iter()
                .position(|r| *r != PickRow::All)
                .unwrap_or(0)
        };
        self.top = 0;
    }

    /// Recomputes the rows shown: the all-sessions entry (with no filter, or one it matches),
    /// then every session whose name matches.
    fn refilter(&mut self) {
        let filter = self.filter.trim();
        let mut rows = Vec::new();
        if filter.is_empty() || smart_contains(ALL_SESSIONS, filter) {
            rows.push(PickRow::All);
        }
        rows.extend(
            self.sessions()
                .iter()
                .enumerate()
                .filter(|(_, s)| filter.is_empty() || smart_contains(&s.name, filter))
                .map(|(i, _)| PickRow::Session(i)),
        );
        rows.extend(
            self.hosts
                .iter()
                .enumerate()
                .filter(|(_, (_, _, s))| filter.is_empty() || smart_contains(&s.name, filter))
                .map(|(i, _)| PickRow::HostSession(i)),
        );
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Selects the session called `name` if it is shown (`None`: the all-sessions entry).
    fn select_name(&mut self, name: Option<&str>) {
        let at = self.rows.iter().position(|r| match (r, name) {
            (PickRow::All, None) => true,
            (PickRow::All, Some(_)) | (_, None) => false,
            (row, Some(n)) => self.session(*row).is_some_and(|s| s.name == n),
        });
        if let Some(at) = at {
            self.selected = at;
        }
    }

    /// Moves the selection by `delta` rows (clamped).
    pub fn move_by(&mut self, delta: isize) {
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(self.rows.len().saturating_sub(1));
    }

    /// Selects row `row` (clamped).
    pub fn select(&mut self, row: usize) {
        self.selected = row.min(self.rows.len().saturating_sub(1));
    }

    /// Keeps the selection among the `shown` rows in view.
    pub fn scroll(&mut self, shown: usize) {
        self.top =
            crate::present::scroll::window_start(self.top, self.selected, shown, self.rows.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn overview(name: &str) -> SessionOverview {
        SessionOverview {
            name: name.to_owned(),
            store_path: PathBuf::from(format!("/n/sessions/{name}/assignments.json")),
            changed: None,
            stats: None,
            problem: None,
        }
    }

    #[test]
    fn filters_by_name_and_selects_the_first_match() {
        let mut p = SessionPicker::new(Some("api".to_owned()));
        assert_eq!(p.rows(), [PickRow::All]);
        p.apply(Ok(vec![
            overview("web"),
            overview("api"),
            overview("webhooks"),
        ]));
        assert_eq!(p.rows().len(), 4);
        assert_eq!(p.selected_row(), Some(PickRow::Session(1)), "the open one");
        p.set_filter("web".to_owned());
        assert_eq!(p.rows(), [PickRow::Session(0), PickRow::Session(2)]);
        assert_eq!(p.selected, 0);
        p.set_filter("WEB".to_owned());
        assert!(p.rows().is_empty(), "a capital makes it case-sensitive");
        p.set_filter("all".to_owned());
        assert_eq!(p.rows(), [PickRow::All]);
        p.set_filter(String::new());
        assert_eq!(p.selected_row(), Some(PickRow::All));
    }

    #[test]
    fn one_sessions_new_read_moves_it_and_keeps_the_selection() {
        let at = |secs: u64| Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
        let mut p = SessionPicker::new(Some("b".to_owned()));
        p.apply_one("a", Some(overview("a")));
        assert!(p.list.is_none(), "nothing to update before the whole list");
        let mut list = vec![overview("a"), overview("b"), overview("c")];
        for (s, t) in list.iter_mut().zip([30, 20, 10]) {
            s.changed = at(t);
        }
        p.apply(Ok(list));
        assert_eq!(p.session(p.selected_row().unwrap()).unwrap().name, "b");
        let mut c = overview("c");
        c.changed = at(40);
        p.apply_one("c", Some(c));
        let names: Vec<&str> = p.sessions().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["c", "a", "b"], "most recently changed first");
        assert_eq!(p.session(p.selected_row().unwrap()).unwrap().name, "b");
        p.apply_one("a", None);
        assert_eq!(p.sessions().len(), 2, "a session without a store goes");
        assert_eq!(p.session(p.selected_row().unwrap()).unwrap().name, "b");
        p.select(0);
        p.apply_one("b", Some(overview("b")));
        assert_eq!(
            p.selected_row(),
            Some(PickRow::All),
            "the all-sessions entry stays"
        );
    }

    #[test]
    fn a_new_read_keeps_the_selected_session() {
        let mut p = SessionPicker::new(None);
        p.apply(Ok(vec![overview("a"), overview("b")]));
        assert_eq!(p.selected_row(), Some(PickRow::All));
        p.move_by(2);
        assert_eq!(p.session(p.selected_row().unwrap()).unwrap().name, "b");
        p.apply(Ok(vec![overview("b"), overview("c"), overview("a")]));
        assert_eq!(p.session(p.selected_row().unwrap()).unwrap().name, "b");
        p.move_by(10);
        assert_eq!(p.selected, 3);
    }
}
