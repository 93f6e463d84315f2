//! Following each session's history log for attention (when a retried bead started waiting):
//! every change to a log asks for what was appended since the last read, never the whole log,
//! which grows with every move. One read per session is under way at a time; changes while it
//! is read ask for one more read when it is back.

use super::{Model, Overlay};
use crate::app::effect::Effect;
use crate::persist::assignment::{HISTORY_FILE, HistoryCursor, HistoryTail, storage_dir_in};
use chrono::{DateTime, Utc};

/// Where the reading of one session's history log stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFollow {
    /// Not being read; the next read starts at the cursor.
    Idle(HistoryCursor),
    /// Being read from `from`; `again`: the log changed since the read was asked for.
    Reading {
        /// Where the read started.
        from: HistoryCursor,
        /// Read once more when this read is back.
        again: bool,
    },
}

impl Model {
    /// A session's history log changed: asks for what was appended (at once, or once the
    /// read under way is back).
    pub fn follow_history(&mut self, session: &str) {
        let from = match self.histories.get_mut(session) {
            Some(HistoryFollow::Reading { again, .. }) => {
                *again = true;
                return;
            }
            Some(HistoryFollow::Idle(cursor)) => *cursor,
            None => HistoryCursor::default(),
        };
        self.read_history_from(session, from);
    }

    fn read_history_from(&mut self, session: &str, from: HistoryCursor) {
        let path = storage_dir_in(&self.roots.ntm)
            .join(session)
            .join(HISTORY_FILE);
        self.outbox.push(Effect::FollowHistory {
            path,
            session: session.to_owned(),
            cursor: from,
        });
        self.histories.insert(
            session.to_owned(),
            HistoryFollow::Reading { from, again: false },
        );
    }

    /// Notes where a whole read of a session's history log (every store's first read) ended,
    /// unless a read of the log is under way (it is back after this one, and goes on from
    /// where it started).
    pub(super) fn history_read_whole(&mut self, session: &str, cursor: HistoryCursor) {
        if !matches!(
            self.histories.get(session),
            Some(HistoryFollow::Reading { .. })
        ) {
            self.histories
                .insert(session.to_owned(), HistoryFollow::Idle(cursor));
        }
    }

    /// Takes what was appended to a session's history log: attention takes it in, an open
    /// card of the session shows it, and the log is read again if it changed meanwhile.
    pub fn history_followed(
        &mut self,
        session: &str,
        result: Result<HistoryTail, String>,
        now: DateTime<Utc>,
    ) {
        let (from, again) = match self.histories.get(session) {
            Some(HistoryFollow::Reading { from, again }) => (*from, *again),
            _ => (HistoryCursor::default(), false),
        };
        let next = match result {
            Ok(tail) => {
                let events = self.observer.history_read(session, &tail, now);
                self.queue_notices(events);
                self.show_on_card(session, &tail);
                tail.cursor
            }
            // Unreadable for now: the next change reads from the same place.
            Err(_) => from,
        };
        if again {
            self.read_history_from(session, next);
        } else {
            self.histories
                .insert(session.to_owned(), HistoryFollow::Idle(next));
        }
    }

    /// Adds what the log added about the bead of an open card of `session` to it.
    fn show_on_card(&mut self, session: &str, tail: &HistoryTail) {
        if let Some(Overlay::Card {
            session: shown,
            bead,
            history: Some(Ok(history)),
            ..
        }) = &mut self.overlay
            && shown == session
        {
            if tail.whole {
                history.clear();
            }
            let about = tail.records.iter().filter(|r| r.bead_id == *bead);
            history.extend(about.cloned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::Settings;

    fn model() -> Model {
        let roots = crate::config::Roots {
            agentpair: "/nowhere/ap".into(),
            ntm: "/nowhere/ntm".into(),
            beads: None,
            agents: Default::default(),
        };
        let now = "2026-03-30T09:00:00Z".parse().unwrap();
        let mut m = Model::new(
            roots,
            Settings::default(),
            crate::app::keymap::Keymap::default(),
            (80, 24),
            now,
        );
        m.take_effects();
        m
    }

    fn reads(m: &mut Model) -> Vec<HistoryCursor> {
        m.take_effects()
            .into_iter()
            .filter_map(|e| match e {
                Effect::FollowHistory { cursor, .. } => Some(cursor),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_read_at_a_time_and_each_from_where_the_last_ended() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("h.jsonl");
        std::fs::write(&log, "").unwrap();
        let now = "2026-03-30T09:00:00Z".parse().unwrap();
        let mut m = model();
        m.follow_history("s");
        assert_eq!(reads(&mut m), [HistoryCursor::default()]);
        // Changes while it is read ask for nothing more yet.
        m.follow_history("s");
        m.follow_history("s");
        assert_eq!(reads(&mut m), []);
        let tail =
            crate::persist::assignment::read_history_since(&log, HistoryCursor::default()).unwrap();
        let cursor = tail.cursor;
        m.history_followed("s", Ok(tail), now);
        // ...but once, when it is back, from where it ended.
        assert_eq!(reads(&mut m), [cursor]);
        m.history_followed("s", Err("gone for now".to_owned()), now);
        assert_eq!(reads(&mut m), []);
        assert_eq!(m.histories.get("s"), Some(&HistoryFollow::Idle(cursor)));
        m.follow_history("s");
        assert_eq!(reads(&mut m), [cursor]);
    }
}
