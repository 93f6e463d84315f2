//! Claude sub-agent transcripts, found beside their parent and linked to the `Task`/`Agent`
//! call that started each one. Three layouts exist:
//!
//! - current: `<session id>/subagents/agent-<agent id>.jsonl` with `agent-<agent id>.meta.json`
//!   (`{"agentType","description","toolUseId"}`), workflows one or two levels deeper;
//! - 2.0.x: a sibling `agent-<agent id>.jsonl` in the project directory, named by the
//!   `agentId` on the parent's tool result line;
//! - older still: the sub-agent's lines inside the parent's file (`isSidechain`), which the
//!   decoder marks and which need no file.

use super::super::entry::{Entry, EntryKind, SubagentLink};
use std::path::{Path, PathBuf};

/// How deep under `subagents/` transcripts are looked for.
const MAX_DEPTH: usize = 3;

/// A `.meta.json` larger than this is not read.
const MAX_META: u64 = 64 * 1024;

/// One sub-agent transcript of a Claude session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubagentFile {
    /// The agent id (the file is `agent-<agent id>.jsonl`).
    pub agent_id: String,
    /// The parent's tool call that started it, when its `.meta.json` says.
    pub tool_use_id: Option<String>,
    /// `agentType: description`, when its `.meta.json` says.
    pub description: String,
    /// The transcript.
    pub path: PathBuf,
}

/// The sub-agent transcripts in the side directory of the session whose transcript is
/// `session` (`<dir>/<session id>/subagents/**`), sorted by path. Unreadable ones are skipped.
#[must_use]
pub fn find(session: &Path) -> Vec<SubagentFile> {
    let Some(side) = side_dir(session) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(&side.join("subagents"), 0, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// `<dir>/<session id>` for `<dir>/<session id>.jsonl`.
fn side_dir(session: &Path) -> Option<PathBuf> {
    let stem = session.file_stem()?;
    Some(session.with_file_name(stem))
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<SubagentFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth + 1 < MAX_DEPTH {
            walk(&path, depth + 1, out);
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(agent_id) = name
            .strip_prefix("agent-")
            .and_then(|n| n.strip_suffix(".jsonl"))
        else {
            continue;
        };
        let (tool_use_id, description) = read_meta(&path.with_extension("meta.json"));
        out.push(SubagentFile {
            agent_id: agent_id.to_owned(),
            tool_use_id,
            description,
            path,
        });
    }
}

/// A `.meta.json`'s tool call id and `agentType: description` (nothing when unreadable).
fn read_meta(path: &Path) -> (Option<String>, String) {
    let read = || -> Option<serde_json::Value> {
        let file = std::fs::File::open(path).ok()?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_META), &mut bytes).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    let Some(meta) = read() else {
        return (None, String::new());
    };
    let s = |k: &str| meta.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    let description = match (s("agentType"), s("description")) {
        ("", d) => d.to_owned(),
        (t, "") => t.to_owned(),
        (t, d) => format!("{t}: {d}"),
    };
    let id = meta
        .get("toolUseId")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    (id, description)
}

/// The 2.0.x sibling transcript of agent `agent_id`, if it exists.
fn sibling(session: &Path, agent_id: &str) -> Option<PathBuf> {
    if agent_id.is_empty() || agent_id.contains('/') {
        return None;
    }
    let path = session.with_file_name(format!("agent-{agent_id}.jsonl"));
    path.is_file().then_some(path)
}

/// Completes a summary's sub-agent links (each started by the tool call in `spawns` at the same
/// index): the agent id and transcript from `.meta.json` files or the older sibling files; then
/// adds the transcripts no call is known for (a workflow's agents).
pub(crate) fn resolve(session: &Path, links: &mut Vec<SubagentLink>, spawns: &[String]) {
    links.truncate(spawns.len());
    let files = find(session);
    let mut used = vec![false; files.len()];
    for (i, link) in links.iter_mut().enumerate() {
        let call = spawns.get(i).map(String::as_str);
        let by_call = files
            .iter()
            .position(|f| f.tool_use_id.is_some() && f.tool_use_id.as_deref() == call);
        let by_id = || files.iter().position(|f| f.agent_id == link.id);
        if let Some(at) = by_call.or_else(by_id) {
            used[at] = true;
            link.id.clone_from(&files[at].agent_id);
            link.path = Some(files[at].path.clone());
            if link.description.is_empty() {
                link.description.clone_from(&files[at].description);
            }
        } else if Some(link.id.as_str()) != call {
            link.path = sibling(session, &link.id);
        }
    }
    for (file, _) in files.into_iter().zip(used).filter(|(_, used)| !used) {
        links.push(SubagentLink {
            id: file.agent_id,
            description: file.description,
            path: Some(file.path),
        });
    }
}

/// Links a session's decoded entries to its sub-agents' transcripts: each
/// [`EntryKind::Subagent`] entry gets the agent id and transcript of the sub-agent its call
/// started (from `.meta.json`, or from the `agentId` its tool result names and the sibling
/// file); tool results that name an agent get its transcript too.
pub fn link<'a>(session: &Path, entries: impl IntoIterator<Item = &'a mut Entry>) {
    let mut entries: Vec<&mut Entry> = entries.into_iter().collect();
    let files = find(session);
    let agent_of_call: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::ToolResult)
        .filter_map(|e| Some((e.call_id.clone()?, e.subagent.as_ref()?.id.clone())))
        .collect();
    for e in &mut entries {
        let call = e.call_id.clone();
        let Some(link) = e.subagent.as_mut() else {
            continue;
        };
        if e.kind == EntryKind::Subagent
            && let Some(f) = files
                .iter()
                .find(|f| f.tool_use_id.is_some() && f.tool_use_id == call)
        {
            link.id.clone_from(&f.agent_id);
            link.path = Some(f.path.clone());
            continue;
        }
        if link.id.is_empty()
            && let Some((_, agent)) = agent_of_call.iter().find(|(c, _)| Some(c) == call.as_ref())
        {
            link.id.clone_from(agent);
        }
        if link.path.is_none() && !link.id.is_empty() {
            link.path = files
                .iter()
                .find(|f| f.agent_id == link.id)
                .map(|f| f.path.clone())
                .or_else(|| sibling(session, &link.id));
        }
    }
}
