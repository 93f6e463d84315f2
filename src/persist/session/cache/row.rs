//! How a cached summary is written: one JSON array per session, no field names (6,000
//! sessions make a 6,000-line file). No transcript path is written: the key is a hash of the
//! session's path, and sub-agent transcripts are kept relative to the session's directory.

use super::super::summary::{Progress, SessionSummary, Tokens};
use super::super::{Agent, SubagentLink, TurnState, claude, codex};
use crate::persist::run::cache::FileStamp;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// `[ino, size, mtime_ns, ctime_ns]`.
type StampRow = (u64, u64, i64, i64);

/// `[input, output, cache_read, cache_write]`.
type TokensRow = (u64, u64, u64, u64);

/// Claude's progress: recent response ids with their usage, open calls, sub-agent calls, and
/// whether the title is a person's.
type ClaudeRow = (Vec<(String, TokensRow)>, Vec<String>, Vec<String>, bool);

/// Codex's progress: tasks, prompts, open calls.
type CodexRow = (u64, u64, Vec<String>);

/// One cached session.
#[derive(Serialize, Deserialize)]
pub(super) struct Row(
    pub String,
    pub String,
    pub Option<StampRow>,
    pub SummaryRow,
    pub Option<ClaudeRow>,
    pub Option<CodexRow>,
);

/// [`SessionSummary`] without its source: `[id, cwd, title, prompt_head, prompt_ids, model,
/// started_ms, last_ms, turns, tokens, [turn word, text], subagents [[id, description,
/// path relative to the session's directory]], parent, read_to]`.
pub(super) type SummaryRow = (
    String,
    String,
    Option<String>,
    String,
    Vec<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    u64,
    TokensRow,
    (String, String),
    Vec<(String, String, Option<String>)>,
    Option<String>,
    u64,
);

fn tokens_row(t: Tokens) -> TokensRow {
    (t.input, t.output, t.cache_read, t.cache_write)
}

fn row_tokens((input, output, cache_read, cache_write): TokensRow) -> Tokens {
    Tokens {
        input,
        output,
        cache_read,
        cache_write,
    }
}

fn turn_row(t: &TurnState) -> (String, String) {
    let (word, text) = match t {
        TurnState::Working => ("working", ""),
        TurnState::Waiting(w) => ("waiting", w.as_str()),
        TurnState::Ended => ("ended", ""),
        TurnState::Failed(f) => ("failed", f.as_str()),
        TurnState::Unknown => ("unknown", ""),
    };
    (word.to_owned(), text.to_owned())
}

fn row_turn((word, text): (String, String)) -> TurnState {
    match word.as_str() {
        "working" => TurnState::Working,
        "waiting" => TurnState::Waiting(text),
        "ended" => TurnState::Ended,
        "failed" => TurnState::Failed(text),
        _ => TurnState::Unknown,
    }
}

fn millis(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

/// The row of a summary whose session's directory is `base`, under `key`.
pub(super) fn to_row(
    key: String,
    s: &SessionSummary,
    progress: &Progress,
    stamp: Option<FileStamp>,
    base: &Path,
) -> Row {
    let subagents = s
        .subagents
        .iter()
        .map(|l| {
            let rel = l.path.as_deref().and_then(|p| p.strip_prefix(base).ok());
            (
                l.id.clone(),
                l.description.clone(),
                rel.map(|r| r.to_string_lossy().into_owned()),
            )
        })
        .collect();
    let summary = (
        s.id.clone(),
        s.cwd.clone(),
        s.title.clone(),
        s.prompt_head.clone(),
        s.prompt_ids.clone(),
        s.model.clone(),
        millis(s.started_at),
        millis(s.last_entry_at),
        s.turns,
        tokens_row(s.tokens),
        turn_row(&s.turn),
        subagents,
        s.parent.clone(),
        s.read_to,
    );
    let (claude, codex) = match progress {
        Progress::Claude(p) => (
            Some((
                p.recent
                    .iter()
                    .map(|(i, t)| (i.clone(), tokens_row(*t)))
                    .collect(),
                p.open.clone(),
                p.spawns.clone(),
                p.custom_title,
            )),
            None,
        ),
        Progress::Codex(p) => (None, Some((p.tasks, p.prompts, p.open.clone()))),
        Progress::Gemini(_) | Progress::Whole => (None, None),
    };
    Row(
        key,
        s.agent.as_str().to_owned(),
        stamp.map(|st| (st.ino, st.size, st.mtime_ns, st.ctime_ns)),
        summary,
        claude,
        codex,
    )
}

/// The parts of a summary back from its row (into `s`, which has its agent and source), and
/// its progress and stamp.
pub(super) fn from_row(
    row: Row,
    s: &mut SessionSummary,
    base: &Path,
) -> (Progress, Option<FileStamp>) {
    let Row(_, _, stamp, summary, claude, codex) = row;
    let (
        id,
        cwd,
        title,
        head,
        ids,
        model,
        started,
        last,
        turns,
        tokens,
        turn,
        subs,
        parent,
        read_to,
    ) = summary;
    (s.id, s.cwd, s.title, s.prompt_head, s.prompt_ids, s.model) =
        (id, cwd, title, head, ids, model);
    s.started_at = started.and_then(DateTime::from_timestamp_millis);
    s.last_entry_at = last.and_then(DateTime::from_timestamp_millis);
    (s.turns, s.tokens, s.turn) = (turns, row_tokens(tokens), row_turn(turn));
    s.subagents = subs
        .into_iter()
        .map(|(id, description, rel)| SubagentLink {
            id,
            description,
            path: rel.map(|r| base.join(r)),
        })
        .collect();
    (s.parent, s.read_to) = (parent, read_to);
    let progress = match (s.agent, claude, codex) {
        (Agent::Claude, Some((recent, open, spawns, custom_title)), _) => {
            Progress::Claude(claude::summary::Progress {
                recent: recent
                    .into_iter()
                    .map(|(i, t)| (i, row_tokens(t)))
                    .collect(),
                open,
                spawns,
                custom_title,
            })
        }
        (Agent::Codex, _, Some((tasks, prompts, open))) => {
            Progress::Codex(codex::summary::Progress {
                tasks,
                prompts,
                open,
            })
        }
        (Agent::Gemini, _, _) => Progress::Gemini(None),
        _ => Progress::Whole,
    };
    let stamp = stamp.map(|(ino, size, mtime_ns, ctime_ns)| FileStamp {
        ino,
        size,
        mtime_ns,
        ctime_ns,
    });
    (progress, stamp)
}
