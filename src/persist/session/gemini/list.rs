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

/// The conversation a file at `path` (in `root/tmp/<project>/chats/`) is, as [`list`] would
/// list it, or `None` when it is none (a sub-agent's, another file, a legacy `.json` beside its
/// `.jsonl` successor).
pub(crate) fn one(root: &Path, path: &Path) -> Option<SessionFile> {
    let rest = path.strip_prefix(root.join("tmp")).ok()?;
    let parts: Vec<_> = rest.components().collect();
    let name = path.file_name()?.to_str()?;
    let in_chats = parts.len() == 3 && parts[1].as_os_str() == "chats";
    if !in_chats || !is_chat(name) {
        return None;
    }
    if name.ends_with(".json") && path.with_extension("jsonl").exists() {
        return None;
    }
    Some(SessionFile {
        agent: Agent::Gemini,
        source: SessionSource::Document(path.to_path_buf()),
        id_hint: None,
        stamp: dir::stamp(path),
    })
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
