//! Listing Gemini conversations: `tmp/<project>/chats/session-*.jsonl` and the legacy
//! `session-*.json` (unless its `.jsonl` successor is there: resuming migrates one into the
//! other), stat only, each project on its own thread. Sub-agents' directories
//! (`chats/<parent id>/`) are not listed.

use super::super::listing::dir::{self, Problem};
use super::super::{Agent, SessionFile, SessionSource};
use std::path::{Path, PathBuf};

fn is_chat(name: &str) -> bool {
    name.starts_with("session-") && (name.ends_with(".jsonl") || name.ends_with(".json"))
}

/// Every main conversation under `root/tmp`.
pub(crate) fn list(root: &Path) -> (Vec<SessionFile>, Vec<Problem>) {
    let (projects, mut problems) = dir::read(&root.join("tmp"), |_| false);
    let chats: Vec<PathBuf> = dir::dirs(&projects).map(|p| p.path.join("chats")).collect();
    let (sessions, mut more) = dir::each(&chats, |chats| {
        let (found, problems) = dir::read(chats, is_chat);
        let names: Vec<&str> = dir::files(&found).map(|(f, _)| f.name.as_str()).collect();
        let sessions: Vec<SessionFile> = dir::files(&found)
            .filter(|(f, _)| {
                !(f.name.ends_with(".json") && names.contains(&format!("{}l", f.name).as_str()))
            })
            .map(|(f, stamp)| SessionFile {
                agent: Agent::Gemini,
                source: SessionSource::Document(f.path.clone()),
                id_hint: None,
                stamp: Some(stamp),
            })
            .collect();
        (sessions, problems)
    });
    problems.append(&mut more);
    (sessions, problems)
}
