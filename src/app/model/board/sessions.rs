//! Which sessions the board shows: the sessions under the NTM root (the newest opened at
//! start), one session's store, or every session's merged on the "all sessions" board. The
//! merged board is filled by the read attention makes of every store anyway
//! ([`Effect::ObserveSessions`]) and kept up to date by the same per-store reads and writes as
//! the open session's board; its stores are dropped as soon as one session is shown again.

use super::BoardPane;
use crate::app::effect::Effect;
use crate::app::outcome::{SeenStore, SessionSeen, StoreRead};
use crate::persist::assignment::{AssignmentStore, SessionInfo};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Every session's store, for the all-sessions board.
#[derive(Debug, Default)]
pub struct Merged {
    /// Each session's store as last read, by session name.
    pub stores: BTreeMap<String, AssignmentStore>,
    /// Sessions whose store cannot be read now: why (a last good read stays in `stores`).
    pub problems: BTreeMap<String, String>,
    /// Every store is being read (nothing to show yet).
    pub reading: bool,
}

impl Merged {
    /// Takes one session's store read.
    pub fn apply(&mut self, session: &str, read: StoreRead) {
        match read {
            StoreRead::Loaded(store) => {
                self.stores.insert(session.to_owned(), *store);
                self.problems.remove(session);
            }
            StoreRead::Gone => {
                self.stores.remove(session);
                self.problems.remove(session);
            }
            StoreRead::Failed(why) => {
                self.problems.insert(session.to_owned(), why);
            }
        }
    }

    /// How many sessions it merges (readable or not).
    #[must_use]
    pub fn count(&self) -> usize {
        self.stores.len()
            + self
                .problems
                .keys()
                .filter(|s| !self.stores.contains_key(*s))
                .count()
    }
}

impl BoardPane {
    /// Where stores are looked for.
    #[must_use]
    pub fn sessions_dir(&self) -> PathBuf {
        self.ntm.join("sessions")
    }

    /// Whether the all-sessions board is shown.
    #[must_use]
    pub fn is_merged(&self) -> bool {
        self.merged.is_some()
    }

    /// Asks for the sessions again (one appeared or vanished).
    pub fn reload_sessions(&mut self) {
        self.outbox.push(Effect::ListSessions {
            ntm: self.ntm.clone(),
            open_newest: false,
        });
    }

    /// Takes the session list; opens the newest (at start) or the first one when none is open
    /// (the all-sessions board stays as it is).
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
        // The all-sessions board, or another host's session the user picked, stays as it is.
        if self.merged.is_some() || self.host_session.is_some() {
            return;
        }
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
        self.merged = None;
        self.host_session = None;
        self.marked.clear();
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

    /// Shows every session's cards on one board: asks for every store (the read attention
    /// makes: its outcome fills the board, see [`BoardPane::apply_observed`]).
    pub fn open_all(&mut self) {
        self.host_session = None;
        self.marked.clear();
        self.session = None;
        self.store = None;
        self.error = None;
        self.loading = false;
        self.selected = None;
        self.column = 0;
        self.merged = Some(Merged {
            reading: true,
            ..Merged::default()
        });
        self.outbox.push(Effect::ObserveSessions {
            ntm: self.ntm.clone(),
            announce: true,
            whole: true,
        });
        self.fix_selection();
    }

    /// Takes every session's store as read for attention, when the all-sessions board is
    /// shown and the stores were read whole for it (otherwise they are dropped: one session's
    /// board reads its own, and a read of records only, asked for before the board was merged,
    /// is left for the one [`BoardPane::open_all`] asked for).
    pub fn apply_observed(&mut self, sessions: Vec<SessionSeen>) {
        let Some(merged) = &mut self.merged else {
            return;
        };
        if sessions
            .iter()
            .any(|s| matches!(s.read, SeenStore::Records(_)))
        {
            return;
        }
        merged.reading = false;
        let seen: HashSet<String> = sessions.iter().map(|s| s.session.clone()).collect();
        merged.stores.retain(|name, _| seen.contains(name));
        merged.problems.retain(|name, _| seen.contains(name));
        for SessionSeen { session, read, .. } in sessions {
            if let SeenStore::Whole(read) = read {
                merged.apply(&session, read);
            }
        }
        self.fix_selection();
    }

    /// Shows the next session's board (from the all-sessions board: the first session's).
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
}
