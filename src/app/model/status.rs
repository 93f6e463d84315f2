//! The status line: the result of the last action, shown for a few seconds and cleared as soon
//! as the state it describes changes, and the last [`MESSAGES_KEPT`] messages with their
//! times (`M`), errors included, so an expired one can still be read. A message's words about
//! an item's condition (`quiet for 35m`) are worked out again whenever it is drawn.

use super::Model;
use crate::events::Item;
use chrono::{DateTime, Utc};

/// How many status messages `M` keeps.
pub const MESSAGES_KEPT: usize = 100;

/// How a status-line message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Neutral information.
    Info,
    /// A change was written.
    Success,
    /// Something to notice.
    Warning,
    /// Something failed or was refused.
    Error,
}

/// What a status message is about, so it can be cleared the moment that state changes (a
/// message never contradicts a pane).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// The result of one action; it only expires.
    Note,
    /// Following the transcript's end (true) or not.
    Follow(bool),
    /// The transcript search with this id (`None`: no search).
    Search(Option<u64>),
    /// Which runs are listed: active only, and the filter.
    Listing(bool, String),
    /// Live updates paused (true) or not.
    Pause(bool),
}

/// A piece of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Words said once.
    Text(String),
    /// Why an item needs attention, in the words it has when drawn.
    Reason(Item),
}

/// The result of the last action, shown for a few seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// What was said, as it read when said (see [`Model::status_text`] for the words drawn).
    pub text: String,
    /// Its pieces, for the words drawn.
    pub parts: Vec<Part>,
    /// How to say it.
    pub kind: StatusKind,
    /// When it was said.
    pub since: DateTime<Utc>,
    /// What it is about.
    pub topic: Topic,
}

impl Status {
    /// When it stops being shown: errors and warnings stay longer, to be read.
    #[must_use]
    pub fn expires_at(&self) -> DateTime<Utc> {
        let seconds = match self.kind {
            StatusKind::Info | StatusKind::Success => 5,
            StatusKind::Warning | StatusKind::Error => 10,
        };
        self.since + chrono::Duration::seconds(seconds)
    }
}

impl Model {
    /// Sets the status line to the result of an action (it expires after a few seconds).
    pub fn say(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.say_about(Topic::Note, kind, text);
    }

    /// Sets the status line to a message about `topic`, cleared as soon as that changes.
    pub fn say_about(&mut self, topic: Topic, kind: StatusKind, text: impl Into<String>) {
        self.say_parts(topic, kind, vec![Part::Text(text.into())]);
    }

    /// Sets the status line to a message made of `parts` (an item's reason is worded again
    /// whenever it is drawn).
    pub fn say_parts(&mut self, topic: Topic, kind: StatusKind, parts: Vec<Part>) {
        let text = self.render_parts(&parts, self.clock);
        let status = Status {
            text,
            parts,
            kind,
            since: self.clock,
            topic,
        };
        if self.messages.len() >= MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(status.clone());
        self.status = Some(status);
    }

    fn render_parts(&self, parts: &[Part], now: DateTime<Utc>) -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Reason(item) => self.reason_at(item, now).unwrap_or_default(),
            })
            .collect()
    }

    /// Why `item` needs attention, in the words it has at `now` (`None`: not known).
    #[must_use]
    pub fn reason_at(&self, item: &Item, now: DateTime<Utc>) -> Option<String> {
        let condition = match item {
            Item::Run(dir) => self.observer.run_condition(dir, now),
            Item::Bead { session, bead } => self.observer.bead_condition(session, bead, now),
            // As its host judged it (the host words it again in its next event).
            Item::HostBead { .. } => {
                return self.observer.standing(item).map(|s| s.condition.reason);
            }
        };
        condition.map(|(c, _)| c.reason)
    }

    /// A message's words as drawn at `now`: every reason worked out again, so a duration in
    /// it is never the one from when it was said.
    #[must_use]
    pub fn status_text(&self, status: &Status, now: DateTime<Utc>) -> String {
        if status.parts.iter().all(|p| matches!(p, Part::Text(_))) {
            return status.text.clone();
        }
        self.render_parts(&status.parts, now)
    }

    /// The state a topic describes, as it is now.
    fn topic_now(&self, topic: &Topic) -> Topic {
        match topic {
            Topic::Note => Topic::Note,
            Topic::Follow(_) => Topic::Follow(self.transcript.follow),
            Topic::Search(_) => Topic::Search(self.transcript.search.as_ref().map(|s| s.id)),
            Topic::Listing(..) => {
                Topic::Listing(self.runs.active_only(), self.runs.filter().to_owned())
            }
            Topic::Pause(_) => Topic::Pause(self.paused.is_some()),
        }
    }

    /// Clears the status line when the state it describes has changed since it was said, so
    /// it never contradicts a pane (`follow paused` while the title says following).
    pub fn reconcile_status(&mut self) {
        if let Some(s) = &self.status
            && self.topic_now(&s.topic) != s.topic
        {
            self.status = None;
        }
    }

    /// The status message to show at `now`, if it has not expired.
    #[must_use]
    pub fn shown_status(&self, now: DateTime<Utc>) -> Option<&Status> {
        self.status.as_ref().filter(|s| now < s.expires_at())
    }
}
