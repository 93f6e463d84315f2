//! The Board pane's state: the sessions under the NTM root, what the board shows (one
//! session's store, or every session's merged on the "all sessions" board), as the board worker
//! last read it, and the selected card, kept by its [`CardKey`] so it follows a card when a
//! transition moves it to another column. The pane never reads a file itself: it asks for reads
//! (effects) and takes their results. The columns' order is `board/order.rs`, the selection
//! `board/selection.rs`, the sessions and the merged board `board/sessions.rs`.

mod order;
mod ready;
mod remote;
mod selection;
mod sessions;

pub use remote::{HostSession, RemoteCard};
pub use sessions::Merged;

use crate::app::effect::Effect;
use crate::app::outcome::StoreRead;
use crate::persist::assignment::{Assignment, AssignmentStatus, AssignmentStore};
use crate::persist::beads::{Bead, ReadyKey};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Which card: the host (none: this machine), the session whose store holds it, and its bead
/// id. A ready bead (from the beads file, in no session yet) has an empty session: no session
/// can be named "".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardKey {
    /// The session (empty for a ready bead).
    pub session: String,
    /// The bead id.
    pub bead: String,
    /// The host whose store holds it (`None`: this machine's).
    pub host: Option<String>,
}

impl CardKey {
    /// The card of `bead` in `session`.
    #[must_use]
    pub fn new(session: &str, bead: &str) -> CardKey {
        CardKey {
            session: session.to_owned(),
            bead: bead.to_owned(),
            host: None,
        }
    }

    /// The card of `bead` in `session` on the host `host`.
    #[must_use]
    pub fn on_host(host: &str, session: &str, bead: &str) -> CardKey {
        CardKey {
            host: Some(host.to_owned()),
            ..CardKey::new(session, bead)
        }
    }

    /// `gpu1:wa-1` for a card on another host, the bead id for this machine's.
    #[must_use]
    pub fn shown_id(&self) -> String {
        match &self.host {
            Some(host) => crate::present::naming::on_host(host, &self.bead),
            None => self.bead.clone(),
        }
    }

    /// The attention item it stands for: this machine's bead, or another host's.
    #[must_use]
    pub fn item(&self) -> crate::events::Item {
        match &self.host {
            Some(host) => crate::events::Item::HostBead {
                host: host.clone(),
                session: self.session.clone(),
                bead: self.bead.clone(),
            },
            None => crate::events::Item::Bead {
                session: self.session.clone(),
                bead: self.bead.clone(),
            },
        }
    }

    /// The card of a bead item (`None`: a run's).
    #[must_use]
    pub fn of_item(item: &crate::events::Item) -> Option<CardKey> {
        match item {
            crate::events::Item::Bead { session, bead } => Some(CardKey::new(session, bead)),
            crate::events::Item::HostBead {
                host,
                session,
                bead,
            } => Some(CardKey::on_host(host, session, bead)),
            crate::events::Item::Run(_) => None,
        }
    }

    /// The ready bead `bead`.
    #[must_use]
    pub fn ready(bead: &str) -> CardKey {
        CardKey::new("", bead)
    }

    /// Whether it is a ready bead (in no session yet).
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.session.is_empty()
    }
}

/// One kanban column: its status and its cards, oldest assignment first (the ready column:
/// beads from the backlog in ready order).
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// True for the ready column (open beads from the beads file, not yet assigned).
    pub ready: bool,
    /// The status it holds; `None` for the ready column and the column of unknown statuses.
    pub status: Option<&'a AssignmentStatus>,
    /// Its cards, in order (look them up with [`BoardPane::card`]).
    pub ids: &'a [CardKey],
}

/// The kanban of one session, or of every session merged.
#[derive(Debug)]
pub struct BoardPane {
    ntm: PathBuf,
    /// Sessions that have a store, by name.
    pub sessions: Vec<String>,
    /// The session shown (`None` on the all-sessions board).
    pub session: Option<String>,
    /// Its store, when it could be read.
    pub store: Option<AssignmentStore>,
    /// Why the store could not be read.
    pub error: Option<String>,
    /// Every session's store, while the all-sessions board is shown.
    pub merged: Option<Merged>,
    /// Why the sessions directory could not be listed (a file in its place, no permission).
    pub sessions_problem: Option<String>,
    /// The selected column.
    pub column: usize,
    /// The first column in view when not all fit side by side (a hint: the view still
    /// scrolls to the selected column; see [`BoardPane::scroll_columns`]).
    pub first_column: usize,
    selected: Option<CardKey>,
    /// Case-insensitive text every shown card must contain.
    pub filter: String,
    /// Marked cards (Space): a move applies to every one of them.
    pub marked: std::collections::BTreeSet<CardKey>,
    /// The columns' card order, rebuilt only when a store or the filter changes, so a board
    /// of ten thousand beads costs nothing per frame.
    order: Vec<(Option<AssignmentStatus>, Vec<CardKey>)>,
    /// Other hosts' cards, by key (see `board/remote.rs`).
    remote: std::collections::BTreeMap<CardKey, RemoteCard>,
    /// Another host's session shown alone (host, session), picked with `S`: then no local
    /// store is shown (see `board/remote.rs`).
    pub host_session: Option<(String, String)>,
    /// Whether a beads file is in use (then the board starts with the ready column).
    pub backlog: bool,
    /// Ready beads: open, unblocked, not assigned in any session, in ready order (by their
    /// place in it, so one bead comes or goes without moving the others).
    ready: BTreeMap<ReadyKey, Bead>,
    /// The open session's store is being read (nothing to show yet).
    pub loading: bool,
    /// The session list has not arrived yet.
    pub listing: bool,
    /// Reads asked for, for the event loop to hand to the board worker.
    pub outbox: Vec<Effect>,
    /// Each ready bead's place in `ready`, by id (cards are looked up every frame).
    ready_index: HashMap<String, ReadyKey>,
    /// How many shown ready beads' id rows are of each display width (the widest is kept in
    /// `widest` as beads come and go).
    ready_widths: BTreeMap<usize, usize>,
    /// Display widths of the widest card's bead id and of the widest ready bead's id row (id,
    /// priority, type), kept by [`BoardPane::rebuild`] so the view sizes its columns without
    /// measuring ten thousand ids every frame.
    widest: (usize, usize),
}

impl BoardPane {
    /// An empty board that has asked for the sessions (and will open the one changed most
    /// recently).
    #[must_use]
    pub fn new(ntm: &std::path::Path) -> BoardPane {
        let mut pane = BoardPane {
            ntm: ntm.to_path_buf(),
            sessions: Vec::new(),
            session: None,
            store: None,
            error: None,
            merged: None,
            sessions_problem: None,
            column: 0,
            first_column: 0,
            selected: None,
            filter: String::new(),
            marked: std::collections::BTreeSet::new(),
            order: Vec::new(),
            backlog: false,
            remote: std::collections::BTreeMap::new(),
            host_session: None,
            ready: BTreeMap::new(),
            ready_index: HashMap::new(),
            ready_widths: BTreeMap::new(),
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

    /// The store of `session` as the board holds it: the open session's, or any session's on
    /// the all-sessions board.
    #[must_use]
    pub fn store_of(&self, session: &str) -> Option<&AssignmentStore> {
        match &self.merged {
            Some(merged) => merged.stores.get(session),
            None if self.session.as_deref() == Some(session) => self.store.as_ref(),
            None => None,
        }
    }

    /// Whether the board shows `session`'s cards (it is open, or the board merges it).
    #[must_use]
    pub fn shows(&self, session: &str) -> bool {
        match &self.merged {
            Some(merged) => merged.stores.contains_key(session),
            None => self.session.as_deref() == Some(session),
        }
    }

    /// The record of a card of this machine (another host's card has none here: see
    /// [`BoardPane::remote_card`]).
    #[must_use]
    pub fn card(&self, key: &CardKey) -> Option<&Assignment> {
        if key.host.is_some() {
            return None;
        }
        self.store_of(&key.session)?.get(&key.bead)
    }

    /// Takes a store read for `session` (ignored unless the board shows it, or merges every
    /// session). A store that turns unreadable keeps its last good content on screen, with
    /// the error shown.
    pub fn apply_store(&mut self, session: &str, read: StoreRead) {
        if let Some(merged) = &mut self.merged {
            merged.apply(session, read);
            self.fix_selection();
            return;
        }
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

    /// Takes the store as a finished write left it (when the board shows its session).
    pub fn apply_written(&mut self, session: &str, store: AssignmentStore) {
        if let Some(merged) = &mut self.merged {
            merged.apply(session, StoreRead::Loaded(Box::new(store)));
        } else if self.session.as_deref() == Some(session) {
            self.store = Some(store);
            self.error = None;
            self.loading = false;
        }
    }
}
