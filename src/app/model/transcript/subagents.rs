//! Sub-agents read live: while a session is shown (or one of its sub-agents, opened from
//! it), where its sub-agents write is watched, so the sub-agent shown reads what is appended
//! as its parent would, and the parent's sub-agent entries whose transcript did not exist when
//! they were read are linked to it once it does. Claude's sub-agents write in the session's
//! side directory (`<id>/`, with `subagents/`), Gemini's in `chats/<session id>/`, both
//! watched while the session is shown; Codex's threads write their own rollouts in the day
//! directories, which are watched always.

use super::{Format, Line, LineContent, TranscriptPane};
use crate::app::effect::TranscriptRead;
use crate::persist::session::Agent;
use std::path::{Path, PathBuf};

impl TranscriptPane {
    /// Where the sub-agents of the session shown write (or of the parent of the sub-agent
    /// shown): a Claude session's side directory; a Gemini one's `chats/<session id>/`, given
    /// its session id. `None` for anything else (Codex's sub-agents write where is watched
    /// anyway).
    #[must_use]
    pub fn subagent_side(&self, session_id: Option<&str>) -> Option<PathBuf> {
        self.run.as_ref()?;
        let root = self.crumbs.first().map_or(&self.path, |c| &c.path);
        match self.source.format() {
            Format::Session(Agent::Claude) if !self.source.is_document() => {
                let stem = root.file_stem()?;
                Some(root.with_file_name(stem))
            }
            Format::Session(Agent::Gemini) => {
                crate::persist::session::gemini::place::side_dir(root, session_id?)
            }
            _ => None,
        }
    }

    /// Something at `path` changed in `side`, where the sub-agents of the session shown write
    /// (see [`TranscriptPane::subagent_side`]): a sub-agent shown reads what was appended to
    /// it (and anything else, a directory having appeared, is a reason to look); the session
    /// itself has its sub-agent entries linked again when one has no transcript yet.
    pub fn subagent_changed(&mut self, path: &Path, side: Option<&Path>) {
        let Some(side) = side else {
            return;
        };
        if self.run.is_none() || !path.starts_with(side) {
            return;
        }
        if !self.crumbs.is_empty() {
            let a_file = path
                .extension()
                .is_some_and(|e| e == "jsonl" || e == "json");
            if path == self.path || !a_file {
                self.refresh();
            }
            return;
        }
        self.relink();
    }

    /// A Codex rollout at `path` changed: if it is not the one shown and the Codex session
    /// shown has a sub-agent entry with no transcript yet, it may be that thread's, so the
    /// entries are linked again.
    pub fn rollout_changed(&mut self, path: &Path) {
        if self.run.is_none()
            || self.source.format() != Format::Session(Agent::Codex)
            || !self.crumbs.is_empty()
            || path == self.path
        {
            return;
        }
        self.relink();
    }

    /// Asks for the sub-agent entries shown to be linked again, when one has no transcript.
    fn relink(&mut self) {
        let unlinked = self.lines.iter().any(|l| {
            matches!(&l.content, LineContent::Session(e)
                if e.subagent.as_ref().is_some_and(|s| s.path.is_none()))
        });
        if !unlinked {
            return;
        }
        let lines: Vec<Line> = self
            .lines
            .iter()
            .filter(|l| matches!(&l.content, LineContent::Session(e) if e.subagent.is_some()))
            .cloned()
            .collect();
        self.outbox.push(TranscriptRead::Link(lines));
    }

    /// Takes sub-agent entries linked again: each gives its link to the same entry in memory
    /// (the same record, kind and call), if it is still there.
    pub(super) fn apply_linked(&mut self, linked: Vec<Line>) {
        for l in linked {
            let LineContent::Session(new) = l.content else {
                continue;
            };
            let same = self.lines.iter_mut().find_map(|m| match &mut m.content {
                LineContent::Session(e)
                    if m.offset == l.offset
                        && e.kind == new.kind
                        && e.call_id == new.call_id
                        && e.subagent.is_some() =>
                {
                    Some(e)
                }
                _ => None,
            });
            if let Some(e) = same {
                e.subagent = new.subagent;
            }
        }
    }
}
