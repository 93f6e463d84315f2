//! Attention in the dashboard: the observer is shown every run and every session's store as
//! the workers read them and as they change; what newly needs attention or finished becomes a notice for the event
//! loop to deliver (unless the user is looking right at it); `i` walks the items that need
//! attention in screen order (`A`, in `acknowledge.rs`, acknowledges what is shown).

use super::{CardKey, Model, Pane, Part, StatusKind, Topic};
use crate::app::outcome::SessionSeen;
use crate::events::{Event, Item, ItemKind};
use crate::persist::assignment::{Assignment, HistoryRecord};
use crate::present::attention::Level;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::path::Path;

impl Model {
    /// Shows the observer every run after a rescan: what appeared, changed or vanished since.
    pub fn observe_runs(&mut self, now: DateTime<Utc>) {
        let all: Vec<_> = self.runs.all_shared().collect();
        let events = self.observer.runs(&all, now);
        self.queue_notices(events);
    }

    /// Shows the observer the runs a page of the first scan added: their findings are shown
    /// but not announced (they were there before the dashboard started).
    pub fn observe_first_runs(
        &mut self,
        runs: &[std::sync::Arc<crate::persist::run::RunSummary>],
        now: DateTime<Utc>,
    ) {
        for run in runs {
            self.observer.run_quietly(&run.dir, run, now);
        }
    }

    /// Shows the observer one run again (after its files changed).
    pub fn observe_run(&mut self, dir: &Path, now: DateTime<Utc>) {
        let record = self.runs.get_shared(dir);
        let events = self.observer.run(dir, record, now);
        self.queue_notices(events);
    }

    /// Shows the observer one session's records as just read or written (empty when the
    /// store is gone). Before every store's first read (see [`Model::sessions_observed`]),
    /// what it finds was there before the dashboard started: shown, not announced.
    pub fn observe_records(&mut self, session: &str, records: &[Assignment], now: DateTime<Utc>) {
        let refs: Vec<&Assignment> = records.iter().collect();
        let events = self.show_store(session, &refs, now);
        if self.sessions_observed {
            self.queue_notices(events);
        } else {
            self.observer.settle();
        }
        self.refresh_ready(now);
        self.bind_if_cards_changed(now);
        self.refresh_store_agents(session, now);
    }

    /// Shows the observer one session's store, and keeps what is kept per store in step: the
    /// bead ids the stores name (the ready column) and the panes their active cards name (the
    /// binding's next look). What this costs is what that store holds, before and after.
    fn show_store(
        &mut self,
        session: &str,
        records: &[&Assignment],
        now: DateTime<Utc>,
    ) -> Vec<Event> {
        let before: Vec<&Assignment> = self.observer.records_of(session).collect();
        // Nothing is kept without a beads file (no ready column) or with binding off.
        if self.roots.beads.is_some() {
            self.backlog.store_names(&before, records);
        }
        self.binder.store_cards(session, &before, records);
        self.observer.store(session, records, now)
    }

    /// Shows the observer a session's history log: a retried bead's wait counts from the
    /// retry, not from its first assignment.
    pub fn observe_history(
        &mut self,
        session: &str,
        records: &[HistoryRecord],
        now: DateTime<Utc>,
    ) {
        let events = self.observer.history(session, records, now);
        self.queue_notices(events);
    }

    /// Shows the observer every session's history and store (an unreadable one keeps what was
    /// last seen); at start the findings are shown but not announced.
    pub fn observe_sessions(
        &mut self,
        sessions: &[SessionSeen],
        announce: bool,
        now: DateTime<Utc>,
    ) {
        let mut events = Vec::new();
        for SessionSeen {
            session,
            read,
            history,
        } in sessions
        {
            if let Some(history) = history {
                events.extend(self.observer.history(session, &history.records, now));
                self.history_read_whole(session, history.cursor);
            }
            if let Some(records) = read.records() {
                events.extend(self.show_store(session, &records, now));
            }
        }
        if announce {
            self.queue_notices(events);
        } else {
            self.observer.settle();
        }
        self.refresh_ready(now);
        self.bind_if_cards_changed(now);
        self.refresh_agents(now);
    }

    /// Re-derives conditions that changed with time alone.
    pub fn observe_clock(&mut self, now: DateTime<Utc>) {
        let events = self.observer.tick(now);
        self.queue_notices(events);
    }

    /// Keeps the news worth a notification: an item that newly needs attention or finished,
    /// unless it is the very item the user has selected in the focused pane.
    pub(super) fn queue_notices(&mut self, events: Vec<Event>) {
        for event in events {
            if let Event::Attention {
                new: true, level, ..
            } = &event
                && *level != Level::Fine
                && (self.settings.notify_selected || !self.is_looked_at(&event))
            {
                self.notices.push(event);
            }
        }
    }

    fn is_looked_at(&self, event: &Event) -> bool {
        let Event::Attention {
            kind,
            reference,
            name,
            ..
        } = event
        else {
            return false;
        };
        match self.focus {
            Pane::Runs | Pane::Transcript => {
                *kind == ItemKind::Run
                    && self
                        .runs
                        .selected()
                        .is_some_and(|r| r.reference() == *reference)
            }
            Pane::Board => {
                // A host's bead is named with its host, so a bead of the same session and id
                // elsewhere is not the one looked at.
                *kind == ItemKind::Bead
                    && self.selected_card_key().is_some_and(|k| {
                        format!("{}/{}", k.session, k.bead) == *reference && k.shown_id() == *name
                    })
            }
        }
    }

    /// The items needing attention, in the order `i` visits them: runs as listed, then the
    /// board's cards column by column, then other sessions' beads.
    #[must_use]
    pub fn attention_order(&self) -> Vec<Item> {
        // Taken out of the set as they are placed, so each item comes once and lookups stay
        // cheap on a board of thousands of waiting beads.
        let mut wanted: HashSet<Item> = self.observer.needing_attention().into_iter().collect();
        let mut order: Vec<Item> = Vec::with_capacity(wanted.len());
        let runs = self.runs.all().map(|r| Item::Run(r.dir.clone()));
        let columns = self.board.columns();
        let cards = columns
            .iter()
            .flat_map(|c| c.ids)
            .filter(|k| !k.is_ready())
            .map(CardKey::item);
        for item in runs.chain(cards) {
            if let Some(found) = wanted.take(&item) {
                order.push(found);
            }
        }
        let mut rest: Vec<Item> = wanted.into_iter().collect();
        rest.sort();
        order.extend(rest);
        order
    }

    /// The item selected in the focused pane.
    #[must_use]
    pub fn selected_item(&self) -> Option<Item> {
        match self.focus {
            Pane::Runs | Pane::Transcript => self.runs.selected().map(|r| Item::Run(r.dir.clone())),
            Pane::Board => self.selected_card_key().map(CardKey::item),
        }
    }

    /// The key of the card selected on the board, this machine's or another host's (not a
    /// ready bead's).
    fn selected_card_key(&self) -> Option<&CardKey> {
        let local = self.board.selected_entry().map(|(k, _)| k);
        local.or_else(|| {
            self.board
                .selected_key()
                .filter(|k| self.board.remote_card(k).is_some())
        })
    }

    /// Selects the next item needing attention after the current selection (wrapping), in
    /// the pane that shows it, and says why it needs attention.
    pub fn next_attention(&mut self) {
        let order = self.attention_order();
        if order.is_empty() {
            self.say(StatusKind::Info, "nothing needs attention");
            return;
        }
        let current = self.selected_item();
        let at = current
            .as_ref()
            .and_then(|c| order.iter().position(|i| i == c))
            .map_or(0, |i| (i + 1) % order.len());
        let item = order[at].clone();
        // What had to be cleared to show the item (said, never done silently).
        let mut cleared = Vec::new();
        match &item {
            Item::Run(dir) => {
                let hidden = !self.runs.visible().any(|r| &r.dir == dir);
                if hidden && !self.runs.filter().is_empty() {
                    cleared.push(format!("the filter /{}", self.runs.filter()));
                    self.runs.set_filter(String::new());
                }
                if hidden && self.runs.active_only() && !self.runs.visible().any(|r| &r.dir == dir)
                {
                    cleared.push("active only".to_owned());
                    self.runs.set_active_only(false);
                }
                self.runs.select_dir(dir);
                if self.focus == Pane::Board {
                    self.focus = Pane::Runs;
                }
                self.open_selected_transcript();
            }
            Item::Bead { session, .. } | Item::HostBead { session, .. } => {
                // The all-sessions board shows it where it is; otherwise its session opens
                // (another host's cards are on the board whatever session it shows).
                if matches!(item, Item::Bead { .. }) && !self.board.shows(session) {
                    self.board.open_session(session);
                }
                if let Some(key) = CardKey::of_item(&item) {
                    let shown = self.board.columns().iter().any(|c| c.ids.contains(&key));
                    if !shown && !self.board.filter.is_empty() {
                        cleared.push(format!("the filter /{}", self.board.filter));
                        self.board.set_filter(String::new());
                    }
                    self.board.follow(key);
                    self.focus = Pane::Board;
                }
            }
        }
        if let Some(s) = self.observer.standing(&item) {
            let cleared = if cleared.is_empty() {
                String::new()
            } else {
                format!(" ({} cleared to show it)", cleared.join(" and "))
            };
            // The reason is worded again whenever the line is drawn (`quiet for 35m` moves on).
            let parts = vec![
                Part::Text(format!(
                    "needs attention ({}/{}): {}: ",
                    at + 1,
                    order.len(),
                    crate::present::sanitize::one_line(&s.name),
                )),
                Part::Reason(item),
                Part::Text(format!("{cleared} · A acknowledges what is shown")),
            ];
            self.say_parts(Topic::Note, StatusKind::Info, parts);
        }
    }
}
