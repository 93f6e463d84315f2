//! How `beadboard watch` words its events: one readable line for each (the text stream), and
//! the stream's own `ready` event, which says that every watch is in place.

use crate::events::Event;
use crate::present::attention::Level;
use crate::present::{sanitize, summary, time};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The stream's own event, printed once, after the starting state is read and every watch is
/// in place: whatever changes from then on is reported (`{"event":"ready",…}` with `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename = "ready")]
pub struct Ready {
    /// When the stream became ready.
    pub at: DateTime<Utc>,
    /// How many runs (agentpair runs and agent sessions) are watched.
    pub runs: usize,
    /// How many NTM sessions are watched.
    pub sessions: usize,
    /// Why changes are polled for rather than raised as file events (absent with events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polling: Option<String>,
}

impl Ready {
    /// The readable line: `12:00:00  ready: watching 3 runs and 1 session`.
    #[must_use]
    pub fn describe(&self) -> String {
        let offset = crate::clock::local_offset();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let how = match &self.polling {
            Some(why) => format!(
                " (polling every {} s: {})",
                crate::app::watch::POLL_INTERVAL.as_secs(),
                sanitize::one_line(why)
            ),
            None => String::new(),
        };
        format!(
            "{}  ready: watching {} and {}{how}",
            time::clock(self.at, offset),
            plural(self.runs, "run"),
            plural(self.sessions, "session")
        )
    }
}

/// One readable line for an event.
#[must_use]
pub fn describe(event: &Event) -> String {
    let offset = crate::clock::local_offset();
    let clock = |at: &chrono::DateTime<Utc>| time::clock(*at, offset);
    match event {
        Event::Run {
            at, name, from, to, ..
        } => match (from, to) {
            (None, Some(to)) => format!("{}  run {name}: new, {to}", clock(at)),
            (Some(from), Some(to)) => format!("{}  run {name}: {from} → {to}", clock(at)),
            (_, None) => format!("{}  run {name}: gone", clock(at)),
        },
        Event::Entry {
            at,
            name,
            entry,
            problem,
            ..
        } => match problem {
            Some(p) => format!("{}  {name}: ⚠ unreadable {p}", clock(at)),
            // An agent session's entry.
            None if entry.get("kind").is_some() => {
                let word = |k: &str| entry.get(k).and_then(|v| v.as_str()).unwrap_or_default();
                let glyph = session_kind(word("kind"))
                    .map_or("·", |k| crate::present::glyphs::entry_kind(&k));
                format!(
                    "{}  {name}: {glyph} {} {} {}",
                    clock(at),
                    sanitize::one_line(word("kind")),
                    sanitize::one_line(word("actor")),
                    sanitize::one_line(word("text"))
                )
            }
            None => {
                let parsed = crate::persist::run::TranscriptEntry::from_value(entry.clone());
                match parsed {
                    Ok(e) => {
                        let s = summary::summarize(&e);
                        let agent = sanitize::one_line(&e.agent);
                        format!(
                            "{}  {name}: {} {} {agent} {}",
                            clock(at),
                            s.glyph,
                            s.label,
                            s.headline
                        )
                    }
                    Err(_) => format!("{}  {name}: entry", clock(at)),
                }
            }
        },
        Event::Bead {
            at,
            session,
            bead,
            from,
            to,
            ..
        } => {
            let bead = sanitize::one_line(bead);
            match (from, to) {
                (None, Some(to)) => format!("{}  bead {session}/{bead}: new, {to}", clock(at)),
                (Some(from), Some(to)) => {
                    format!("{}  bead {session}/{bead}: {from} → {to}", clock(at))
                }
                (_, None) => format!("{}  bead {session}/{bead}: removed", clock(at)),
            }
        }
        Event::Attention {
            at,
            kind,
            name,
            level,
            reason,
            ..
        } => {
            let mark = match level {
                Level::Attention => "⚑ needs attention",
                Level::Finished => "✓ finished",
                Level::Fine => "· fine again",
            };
            format!(
                "{}  {mark}: {kind} {}: {reason}",
                clock(at),
                sanitize::one_line(name)
            )
        }
    }
}

/// The entry kind a word names.
fn session_kind(word: &str) -> Option<crate::persist::session::EntryKind> {
    use crate::persist::session::EntryKind as K;
    [
        K::Prompt,
        K::Response,
        K::Thinking,
        K::ToolCall,
        K::ToolResult,
        K::Error,
        K::Compaction,
        K::Subagent,
        K::State,
        K::Signal,
    ]
    .into_iter()
    .find(|k| k.as_str() == word)
}
