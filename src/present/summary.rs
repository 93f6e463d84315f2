//! How a transcript entry reads at a glance: a glyph, a label, a one-line headline, the full
//! body (for results and long content), and what kind of emphasis it deserves.

pub mod session;

use super::glyphs;
use super::sanitize::{one_line, plain};
use super::time::humanize_nanos;
use crate::persist::run::{EntryType, TranscriptEntry};

/// What a view should make stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// Nothing special.
    Normal,
    /// A PASS signal.
    Pass,
    /// A FAIL signal.
    Fail,
    /// A DONE signal.
    Done,
    /// An error entry.
    Error,
    /// A run state change, start or end.
    Milestone,
    /// An iteration marker.
    Iteration,
}

/// A readable summary of one entry (all text sanitised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySummary {
    /// The type's glyph.
    pub glyph: &'static str,
    /// The type's word.
    pub label: String,
    /// One line of text.
    pub headline: String,
    /// The full multi-line content, when there is more than the headline shows.
    pub body: Option<String>,
    /// Emphasis.
    pub emphasis: Emphasis,
}

fn signal_emphasis(signal: &str) -> Emphasis {
    match signal.to_ascii_uppercase().as_str() {
        "PASS" => Emphasis::Pass,
        "FAIL" => Emphasis::Fail,
        "DONE" => Emphasis::Done,
        _ => Emphasis::Normal,
    }
}

/// Summarises an entry.
#[must_use]
pub fn summarize(entry: &TranscriptEntry) -> EntrySummary {
    let state = entry
        .state
        .as_ref()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    let duration = (entry.duration > 0).then(|| humanize_nanos(entry.duration));
    let content = plain(&entry.content);
    let multi_line = content.trim_end().contains('\n');
    let (headline, body, emphasis) = match &entry.entry_type {
        EntryType::Start => (
            one_line(&entry.content),
            multi_line.then(|| content.clone()),
            Emphasis::Milestone,
        ),
        EntryType::Iteration => (
            format!("iteration {}", entry.iteration),
            None,
            Emphasis::Iteration,
        ),
        EntryType::Execute => (one_line(&entry.content), None, Emphasis::Normal),
        EntryType::Result => {
            let text = one_line(&entry.content);
            let head = match &duration {
                Some(d) => format!("({d}) {text}"),
                None => text,
            };
            (
                head,
                (multi_line || content.chars().count() > 100).then(|| content.clone()),
                Emphasis::Normal,
            )
        }
        EntryType::Signal => (
            one_line(&entry.signal),
            None,
            signal_emphasis(&entry.signal),
        ),
        EntryType::State => (
            format!("→ {}", glyphs::word(&state)),
            None,
            Emphasis::Milestone,
        ),
        EntryType::Error => (one_line(&entry.error), None, Emphasis::Error),
        EntryType::End => {
            let head = match &duration {
                Some(d) => format!("{} after {d}", glyphs::word(&state)),
                None => glyphs::word(&state).to_owned(),
            };
            (head, None, Emphasis::Milestone)
        }
        EntryType::Message | EntryType::Other(_) => {
            let text = [
                entry.content.as_str(),
                entry.error.as_str(),
                entry.signal.as_str(),
            ]
            .into_iter()
            .find(|t| !t.is_empty())
            .map(one_line)
            .unwrap_or_default();
            let emphasis = if entry.error.is_empty() {
                Emphasis::Normal
            } else {
                Emphasis::Error
            };
            (text, multi_line.then(|| content.clone()), emphasis)
        }
    };
    EntrySummary {
        glyph: glyphs::entry_type(&entry.entry_type),
        label: plain(entry.entry_type.as_str()),
        headline,
        body,
        emphasis,
    }
}

/// True for entries that mark trouble: error entries and FAIL signals.
#[must_use]
pub fn is_trouble(entry: &TranscriptEntry) -> bool {
    entry.entry_type == EntryType::Error
        || !entry.error.is_empty()
        || signal_emphasis(&entry.signal) == Emphasis::Fail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::State;

    #[test]
    fn summaries_read_well() {
        let mut e = TranscriptEntry::new(EntryType::Result);
        e.content = "did things\nline two \u{1b}[31mred\u{1b}[0m".into();
        e.duration = 1_500_000_000;
        let s = summarize(&e);
        assert_eq!(s.headline, "(1s) did things ⏎ line two red");
        assert_eq!(s.body.as_deref(), Some("did things\nline two red"));
        let mut end = TranscriptEntry::new(EntryType::End);
        end.state = Some(State::Completed);
        end.duration = 460_018_297_999;
        assert_eq!(summarize(&end).headline, "completed after 7m40s");
        let mut sig = TranscriptEntry::new(EntryType::Signal);
        sig.signal = "FAIL".into();
        assert_eq!(summarize(&sig).emphasis, Emphasis::Fail);
        assert!(is_trouble(&sig));
    }
}
