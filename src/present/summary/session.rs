//! How an agent session's entry reads at a glance, in the same shape as an agentpair entry's
//! ([`EntrySummary`]): a tool result names its call and is indented under it, thinking is one
//! collapsed line, a cut entry says how much is shown and that Enter reads it whole, a saved
//! output says where it is, an unknown record says so.

use super::{Emphasis, EntrySummary};
use crate::persist::session::{Entry, EntryKind, MAX_ENTRY_TEXT};
use crate::present::sanitize::{one_line, plain};
use crate::present::{glyphs, text};

/// The label of an entry: its kind's word, or the tool's name for calls and results.
fn label(e: &Entry) -> String {
    let tool = e.tool.as_deref().map(one_line).filter(|t| !t.is_empty());
    match (&e.kind, tool) {
        (EntryKind::ToolCall, Some(tool)) => tool,
        (EntryKind::ToolResult, Some(tool)) => tool,
        (EntryKind::ToolCall, None) => "call".to_owned(),
        (EntryKind::ToolResult, None) => "result".to_owned(),
        (EntryKind::Compaction, _) => "compacted".to_owned(),
        (EntryKind::Subagent, _) => "sub-agent".to_owned(),
        (other, _) => plain(other.as_str()),
    }
}

/// Summarises a session's entry (all text sanitised).
#[must_use]
pub fn summarize(e: &Entry) -> EntrySummary {
    let body_text = plain(&e.text);
    let multi_line = body_text.trim_end().contains('\n');
    let first = one_line(e.text.lines().find(|l| !l.trim().is_empty()).unwrap_or(""));
    let emphasis = if e.is_error || e.kind == EntryKind::Error {
        Emphasis::Error
    } else {
        match e.kind {
            EntryKind::Compaction | EntryKind::State | EntryKind::Subagent => Emphasis::Milestone,
            _ => Emphasis::Normal,
        }
    };
    let headline = match &e.kind {
        // Collapsed: the first line only, Enter shows the rest.
        EntryKind::Thinking => first,
        EntryKind::Subagent => {
            let what = e
                .subagent
                .as_ref()
                .map(|s| one_line(&s.description))
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| one_line(&e.text));
            if e.subagent.as_ref().is_some_and(|s| s.path.is_some()) {
                format!("{what} (Enter opens its transcript)")
            } else {
                what
            }
        }
        EntryKind::Compaction if first.is_empty() => "the conversation was compacted".to_owned(),
        EntryKind::Unknown(kind) => {
            format!(
                "unknown record type {}: {}",
                one_line(kind),
                one_line(&e.text)
            )
        }
        _ => one_line(&e.text),
    };
    let long_result = e.kind == EntryKind::ToolResult && body_text.chars().count() > 100;
    let body = match e.kind {
        EntryKind::Thinking | EntryKind::Subagent | EntryKind::Unknown(_) => None,
        _ if multi_line || long_result => Some(body_text),
        _ => None,
    };
    EntrySummary {
        glyph: glyphs::entry_kind(&e.kind),
        label: label(e),
        headline,
        body,
        emphasis,
    }
}

/// What is said under an entry beyond its text: how much of a cut entry is shown, and where a
/// saved output is. Empty for most entries.
#[must_use]
pub fn notes(e: &Entry) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(size) = e.cut {
        let shown = e.text.len().min(MAX_ENTRY_TEXT) as u64;
        out.push(format!(
            "… cut: {} of {} shown (Enter reads it whole)",
            text::bytes(shown),
            text::bytes(size)
        ));
    }
    if let Some(path) = &e.saved_output {
        out.push(format!(
            "→ whole output saved in {}",
            one_line(&path.to_string_lossy())
        ));
    }
    out
}

/// The tools calls were made to, by call id, so a result can name the call it answers
/// (Claude's results carry only the call's id).
#[derive(Debug, Default)]
pub struct CallNames(std::collections::HashMap<String, String>);

impl CallNames {
    /// Remembers the tool of a call (or of a sub-agent's start, which is a call too).
    pub fn note(&mut self, e: &Entry) {
        if matches!(e.kind, EntryKind::ToolCall | EntryKind::Subagent)
            && let (Some(id), Some(tool)) = (&e.call_id, &e.tool)
        {
            self.0.insert(id.clone(), tool.clone());
        }
    }

    /// Names a result that does not name its tool after the call it answers, when known.
    pub fn name(&self, e: &mut Entry) {
        if e.kind == EntryKind::ToolResult
            && e.tool.is_none()
            && let Some(tool) = e.call_id.as_ref().and_then(|c| self.0.get(c))
        {
            e.tool = Some(tool.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_name_their_call_and_cut_entries_say_so() {
        let mut e = Entry {
            kind: EntryKind::ToolResult,
            tool: Some("Bash".into()),
            text: "1 failing\nlogin".into(),
            is_error: true,
            cut: Some(12_000_000),
            ..Entry::default()
        };
        let s = summarize(&e);
        assert_eq!((s.label.as_str(), s.emphasis), ("Bash", Emphasis::Error));
        assert_eq!(s.body.as_deref(), Some("1 failing\nlogin"));
        assert_eq!(
            notes(&e),
            ["… cut: 15 B of 11.4 MB shown (Enter reads it whole)"]
        );
        e.kind = EntryKind::Thinking;
        e.cut = None;
        let s = summarize(&e);
        assert_eq!((s.headline.as_str(), s.body), ("1 failing", None));
        e.kind = EntryKind::Unknown("queue-thing".into());
        assert!(
            summarize(&e)
                .headline
                .starts_with("unknown record type queue-thing")
        );
    }
}
