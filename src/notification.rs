//! Delivering notices: the channels the dashboard notifies the user through when something
//! newly needs attention or finishes. The dashboard decides *when* (and dedupes); this module
//! only delivers a [`Notice`] through the configured channels. No terminal UI code here: the
//! terminal channel writes bytes to any [`std::io::Write`].
//!
//! - [`TerminalNotifier`]: the bell (`BEL`) and desktop notifications as OSC 9 or OSC 777
//!   escape sequences, wrapped for tmux's passthrough when inside tmux.
//! - [`HookNotifier`]: a user's shell command run with the notice as JSON on its stdin, on a
//!   background thread, with a timeout and a cap on how many run at once.
//! - [`Fanout`]: every configured channel at once; [`Capture`]: the test double.
//! - [`NotifyConfig`]: the `[notify]` table of the config file, and [`NotifyConfig::build`].
//!
//! # The JSON of a notice
//!
//! A hook receives one JSON object and a newline on its stdin ([`NoticeJson`]; its schema is
//! `assets/schema/hook.json`). Its keys are stable (keys may be added, never renamed or
//! removed but after a release of deprecation); absent optional values are `null`, never
//! missing. The words are those of every JSON output (`event`, `kind`, `reference`,
//! `reason_code`):
//!
//! | key | type | meaning |
//! |---|---|---|
//! | `event` | `"attention"` \| `"finished"` | why the user is told (as `BEADBOARD_EVENT`) |
//! | `at` | string | when it happened, RFC 3339 in UTC (`2026-11-22T10:00:00Z`) |
//! | `kind` | `"run"` \| `"bead"` | what the notice is about |
//! | `name` | string | the item's name (`webapp #2`, `wa-1f6b`) |
//! | `reference` | string | the run's or bead's reference (`<repo id>/<run id>`, `<session>/<bead>`) |
//! | `item` | string | how the dashboard names it (`run webapp #2`, `bead wa-1f6b`) |
//! | `title` | string | a short headline (`webapp #2 failed`) |
//! | `body` | string | the reason in a sentence |
//! | `state` | string | the run's state or the bead's status (`failed`, `completed`, …) |
//! | `reason_code` | string \| null | the reason as a code (`fail_signal`, `stale`, …) |
//! | `session` | string \| null | the NTM session (beads) or the run's tmux session |
//! | `repo` | string \| null | the repository the run or bead belongs to |
//! | `item_kind` | `"run"` \| `"bead"` | deprecated: the same as `kind` |
//! | `id` | string | deprecated: the same as `reference` |
//! | `reason` | string \| null | deprecated: the same as `reason_code` for this release |
//!
//! The text fields are the agents' text as is (a hook must not print them to a terminal raw);
//! the terminal channel makes them inert itself.

mod config;
mod hook;
mod terminal;

pub use config::NotifyConfig;
pub use hook::{DEFAULT_HOOK_TIMEOUT, HookNotifier, MAX_RUNNING_HOOKS};
pub use terminal::{
    BODY_MAX_CHARS, Desktop, TITLE_MAX_CHARS, TerminalNotifier, desktop_sequence, inside_tmux,
    tmux_passthrough,
};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::{Arc, Mutex, PoisonError};

/// Why the user is being told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Something newly needs the user (a run failed or waits for input, a bead is stuck).
    Attention,
    /// Something finished (a run completed, a bead was closed).
    Finished,
}

impl NoticeKind {
    /// The word used in JSON, the config file and `BEADBOARD_EVENT`: `attention` or `finished`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Attention => "attention",
            NoticeKind::Finished => "finished",
        }
    }
}

/// What a notice is about: a run or a bead.
pub use crate::events::ItemKind;
use crate::present::attention::ReasonCode;

/// One thing to tell the user about; a hook receives it as [`NoticeJson`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Notice {
    /// Why the user is told: `attention` or `finished` (as `BEADBOARD_EVENT`).
    pub event: NoticeKind,
    /// When it happened, RFC 3339 in UTC.
    #[serde(serialize_with = "ser_time", deserialize_with = "de_time")]
    pub at: DateTime<Utc>,
    /// What the notice is about: `run` or `bead`.
    pub kind: ItemKind,
    /// The item's name (`webapp #2`, `wa-1f6b`).
    pub name: String,
    /// The run's or bead's reference (`<repo id>/<run id>`, `<session>/<bead>`).
    pub reference: String,
    /// How the dashboard names the item (`run webapp #2`, `bead wa-1f6b`).
    pub item: String,
    /// A short headline (`webapp #2 failed`).
    pub title: String,
    /// The reason in a sentence (`FAIL signal from claude in iteration 3`).
    pub body: String,
    /// The run's state or the bead's status, as the store writes it (`failed`, `completed`, …).
    pub state: String,
    /// The reason as a code (`fail_signal`, `stale`, …), if there is one.
    #[schemars(with = "crate::schema::Nullable<ReasonCode>")]
    pub reason_code: Option<ReasonCode>,
    /// The NTM session (beads) or the run's tmux session, if known.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub session: Option<String>,
    /// The repository, if known.
    #[schemars(with = "crate::schema::Nullable<String>")]
    pub repo: Option<String>,
}

/// A notice as a hook receives it: the [`Notice`] and the keys kept one release for scripts
/// written before the one vocabulary (`item_kind`, `id`, `reason`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NoticeJson {
    /// The notice.
    #[serde(flatten)]
    pub notice: Notice,
    /// Deprecated (kept one release): the same as `kind`.
    #[schemars(extend("deprecated" = true))]
    pub item_kind: ItemKind,
    /// Deprecated (kept one release): the same as `reference`.
    #[schemars(extend("deprecated" = true))]
    pub id: String,
    /// Deprecated (kept one release): the same as `reason_code`; in the next release `reason`
    /// is the reason in words, as in every other output.
    #[schemars(extend("deprecated" = true))]
    #[schemars(with = "crate::schema::Nullable<ReasonCode>")]
    pub reason: Option<ReasonCode>,
}

impl From<&Notice> for NoticeJson {
    fn from(n: &Notice) -> NoticeJson {
        NoticeJson {
            item_kind: n.kind,
            id: n.reference.clone(),
            reason: n.reason_code,
            notice: n.clone(),
        }
    }
}

impl Notice {
    /// The notice as one line of JSON (no trailing newline), as a hook receives it.
    ///
    /// # Errors
    /// [`NotifyError::Encode`] if serialisation fails (it does not for these types).
    pub fn to_json(&self) -> Result<String, NotifyError> {
        serde_json::to_string(&NoticeJson::from(self)).map_err(NotifyError::Encode)
    }
}

fn ser_time<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(serde::de::Error::custom)
}

/// A channel that could not deliver a notice right away. Hook failures happen later, on a
/// background thread, and arrive through the hook's report callback instead.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// Writing to the terminal failed.
    #[error("cannot write the notification to the terminal: {0}")]
    Write(#[from] std::io::Error),
    /// The notice could not be turned into JSON.
    #[error("cannot encode the notice as JSON: {0}")]
    Encode(#[source] serde_json::Error),
    /// The hook's background thread could not be started.
    #[error("cannot start a thread for the notify hook: {0}")]
    Thread(#[source] std::io::Error),
    /// Several channels failed; each error in delivery order.
    #[error("{}", join(.0))]
    Several(Vec<NotifyError>),
}

fn join(errors: &[NotifyError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A channel notices are delivered through.
pub trait Notifier {
    /// Delivers one notice. Must not block for long: the dashboard calls it from its one thread.
    ///
    /// # Errors
    /// When the channel could not deliver it (see [`NotifyError`]).
    fn notify(&mut self, notice: &Notice) -> Result<(), NotifyError>;
}

/// Every configured channel, for the kinds of notice the user wants.
pub struct Fanout {
    notifiers: Vec<Box<dyn Notifier + Send>>,
    on: Vec<NoticeKind>,
}

impl Fanout {
    /// Delivers every kind of notice to each of `notifiers`.
    #[must_use]
    pub fn new(notifiers: Vec<Box<dyn Notifier + Send>>) -> Self {
        Fanout {
            notifiers,
            on: vec![NoticeKind::Attention, NoticeKind::Finished],
        }
    }

    /// Only delivers notices whose kind is in `on`; others are ignored (not an error).
    #[must_use]
    pub fn only(mut self, on: &[NoticeKind]) -> Self {
        self.on = on.to_vec();
        self
    }

    /// Adds a channel.
    pub fn push(&mut self, notifier: Box<dyn Notifier + Send>) {
        self.notifiers.push(notifier);
    }

    /// True when nothing would ever be delivered (no channel, or no kind wanted).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.notifiers.is_empty() || self.on.is_empty()
    }

    /// How many channels there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.notifiers.len()
    }
}

impl Notifier for Fanout {
    /// Delivers to every channel even when one fails; a single failure comes back as itself,
    /// several as [`NotifyError::Several`].
    fn notify(&mut self, notice: &Notice) -> Result<(), NotifyError> {
        if !self.on.contains(&notice.event) {
            return Ok(());
        }
        let mut errors: Vec<NotifyError> = self
            .notifiers
            .iter_mut()
            .filter_map(|n| n.notify(notice).err())
            .collect();
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(NotifyError::Several(errors)),
        }
    }
}

/// The test double: records every notice it is given, and never fails. Clones share the record,
/// so a test keeps one clone and hands the other (boxed) to the code under test.
#[derive(Debug, Clone, Default)]
pub struct Capture {
    notices: Arc<Mutex<Vec<Notice>>>,
}

impl Capture {
    /// An empty record.
    #[must_use]
    pub fn new() -> Self {
        Capture::default()
    }

    /// The notices delivered so far, oldest first.
    #[must_use]
    pub fn notices(&self) -> Vec<Notice> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The notices delivered so far, leaving the record empty.
    #[must_use]
    pub fn take(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Notifier for Capture {
    fn notify(&mut self, notice: &Notice) -> Result<(), NotifyError> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(notice.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
