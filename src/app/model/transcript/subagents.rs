//! Sub-agents read live: while a Claude session is shown (or one of its sub-agents, opened
//! from it), its side directory (`<id>/`, with `subagents/`) is watched, so the sub-agent shown
//! reads what is appended as its parent would, and the parent's sub-agent entries whose
//! transcript did not exist when they were read are linked to it once it does.

use super::{Format, Line, LineContent, TranscriptPane};
use crate::app::effect::TranscriptRead;
use crate::persist::session::Agent;
use std::path::{Path, PathBuf};

impl TranscriptPane {
    /// The side directory of the Claude session shown, or of the parent of the sub-agent
    /// shown: where its sub-agents' transcripts are (`None` for anything else).
    #[must_use]
    pub fn subagent_side(&self) -> Option<PathBuf> {
        self.run.as_ref()?;
        if self.source.format() != Format::Session(Agent::Claude) || self.source.is_document() {
            return None;
        }
        let root = self.crumbs.first().map_or(&self.path, |c| &c.path);
        let stem = root.file_stem()?;
        Some(root.with_file_name(stem))
    }

    /// Something at `path` changed in the side directory of the Claude session shown: a
    /// sub-agent shown reads what was appended to it (and anything else, a directory having
    /// appeared, is a reason to look); the session itself has its sub-agent entries linked
    /// again when one has no transcript yet.
    pub fn subagent_changed(&mut self, path: &Path) {
        let Some(side) = self.subagent_side() else {
            return;
        };
        if !path.starts_with(&side) {
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
