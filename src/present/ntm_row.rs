//! What a card, the card detail and the board's banners say about today's NTM (schema 9): the
//! short facts that explain what NTM is doing with a row (claim, dispatch, reservation, clear,
//! requested outcome, completion event, pane identity), each with a glyph and a few words for
//! a card's badge and the whole fact in words; the one longer line a card has room for (an
//! error NTM recorded, or the reason of a requested failure); the store's own facts; and
//! labelled detail lines ([`detail_facts`]). No terminal code; the caller draws them, and
//! passes `now` at draw time so relative times are true when shown. Agent- and tool-written
//! text passes through [`sanitize::one_line`].

mod card;
mod detail;

pub use card::{card_facts, card_note};
pub use detail::detail_facts;

use crate::persist::assignment::v9::{NtmSource, NtmStatus, NtmView, Refusal};
use crate::present::sanitize;

/// How much a fact asks for attention (every tone also has words, never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tone {
    /// Plain information.
    Info,
    /// NTM is in the middle of something for this row.
    Pending,
    /// Something the user should look at.
    Warn,
    /// NTM (and so beadboard) will not act on the row, or the session, until it is resolved.
    Block,
}

/// One fact about the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// How much it asks for attention.
    pub tone: Tone,
    /// The words.
    pub text: String,
}

fn fact(tone: Tone, text: impl Into<String>) -> Fact {
    Fact {
        tone,
        text: text.into(),
    }
}

/// One fact about a row: a card shows it as a badge (`glyph badge`), the whole `text` is for
/// where there is room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFact {
    /// How much it asks for attention.
    pub tone: Tone,
    /// Its glyph (every one is in [`crate::present::glyphs::LEGEND`]).
    pub glyph: &'static str,
    /// A few words beside the glyph, e.g. `pending %12`.
    pub badge: String,
    /// The whole fact, e.g. `dispatch pending → %12`.
    pub text: String,
}

fn row_fact(
    tone: Tone,
    glyph: &'static str,
    badge: impl Into<String>,
    text: impl Into<String>,
) -> RowFact {
    RowFact {
        tone,
        glyph,
        badge: badge.into(),
        text: text.into(),
    }
}

/// A row without a `%N` pane identity.
pub const NO_PANE: &str = "⊗";
/// A completion or failure requested (or a clear under way) that NTM's watcher finishes.
pub const REQUESTED: &str = "⇥";
/// A completion event nobody has acknowledged.
pub const EVENT: &str = "✉";
/// A claim in br not settled (or not held).
pub const CLAIM: &str = "◔";
/// The prompt's dispatch to a pane, not sent yet.
pub const DISPATCH: &str = "⇢";
/// The Agent Mail file reservation.
pub const RESERVATION: &str = "⊡";
/// An error NTM recorded for the row.
pub const ERROR: &str = "⚠";
/// A row whose fields cannot be read as NTM reads them.
pub const UNREADABLE: &str = "✗";

/// The glyph of each of NTM's seven statuses (the seed's five keep NTM's own ○ ▶ ✓ ✗ →).
#[must_use]
pub fn status_glyph(status: NtmStatus) -> &'static str {
    match status {
        NtmStatus::Claiming => "◌",
        NtmStatus::Claimed => "◍",
        NtmStatus::Assigned => "○",
        NtmStatus::Working => "▶",
        NtmStatus::Completed => "✓",
        NtmStatus::Failed => "✗",
        NtmStatus::Reassigned => "→",
    }
}

fn paths(n: usize) -> String {
    if n == 1 {
        "1 path".to_owned()
    } else {
        format!("{n} paths")
    }
}

fn target(text: &str) -> String {
    if text.trim().is_empty() {
        "?".to_owned()
    } else {
        sanitize::one_line(text.trim())
    }
}

/// A refusal in a few words, for where there is no room for its sentence (the footer): what
/// about the row stops every move.
#[must_use]
pub fn refusal_brief(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Unreadable { .. } => "the row is unreadable".to_owned(),
        Refusal::Claiming { .. } => "NTM is still claiming it".to_owned(),
        Refusal::MidDispatch { .. } => "its prompt is mid-dispatch".to_owned(),
        Refusal::UnacknowledgedEvent { .. } => "unacknowledged completion event".to_owned(),
        Refusal::NoPaneIdentity { .. } => "no %N pane identity".to_owned(),
        Refusal::Retiring {
            request: Some(r), ..
        } if r.status == "completed" => "completion requested".to_owned(),
        Refusal::Retiring {
            request: Some(_), ..
        } => "failure requested".to_owned(),
        Refusal::Retiring { .. } => "being cleared".to_owned(),
        Refusal::WrongStatus { status, .. } => sanitize::one_line(status),
    }
}

/// Facts about the store as a whole: where the shown content came from, why NTM refuses it,
/// and which rows block NTM's assignments in the session.
#[must_use]
pub fn store_facts(view: &NtmView) -> Vec<Fact> {
    let mut out = vec![fact(
        Tone::Info,
        format!("schema 9 · generation {}", view.generation()),
    )];
    match &view.choice.source {
        NtmSource::BackupAhead { primary_generation } => out.push(fact(
            Tone::Pending,
            format!("showing the backup: one generation ahead of the primary ({primary_generation}); NTM promotes it on its next load"),
        )),
        NtmSource::BackupOnly => out.push(fact(Tone::Pending, "showing the backup: NTM's first save, primary not written yet")),
        NtmSource::BackupInstead => out.push(fact(Tone::Warn, "showing the backup: the primary cannot be used")),
        NtmSource::Primary | NtmSource::Empty => {}
    }
    if let Some(why) = &view.choice.refusal {
        out.push(fact(
            Tone::Block,
            format!(
                "read-only: NTM refuses this store: {}",
                sanitize::one_line(why)
            ),
        ));
    }
    let blocking = view.blocking_rows();
    if !blocking.is_empty() {
        out.push(fact(
            Tone::Block,
            format!(
                "{NO_PANE} {} without a %N pane identity: NTM refuses new assignments in this session",
                sanitize::one_line(&blocking.join(", "))
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
