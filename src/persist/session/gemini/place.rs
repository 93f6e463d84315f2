//! Where a Gemini conversation belongs, from where its file is: the working directory (the
//! project directory's `.project_root`, else the reverse of `projects.json`, else the legacy
//! directory named by the root's SHA-256), the parent of a sub-agent
//! (`chats/<parent id>/<id>.jsonl`) and the files of its own sub-agents, for its summary and
//! for its transcript's sub-agent entries ([`link`]).

use super::super::SubagentLink;
use super::super::entry::{Entry, EntryKind};
use super::super::summary::SessionSummary;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Small files (a marker, the registry) are read up to this size.
const MAX_SMALL: u64 = 1 << 20;

fn read_small(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, MAX_SMALL), &mut text).ok()?;
    Some(text)
}

/// The project root a project directory (`tmp/<slug>`) stands for.
fn project_root(project: &Path, gemini_root: &Path) -> Option<String> {
    if let Some(root) = read_small(&project.join(".project_root")).map(|t| t.trim().to_owned())
        && !root.is_empty()
    {
        return Some(root);
    }
    let slug = project.file_name()?.to_string_lossy().into_owned();
    let registry: serde_json::Value =
        serde_json::from_str(&read_small(&gemini_root.join("projects.json"))?).ok()?;
    let projects = registry.get("projects")?.as_object()?;
    projects
        .iter()
        .find(|(_, v)| v.as_str() == Some(slug.as_str()))
        .or_else(|| {
            projects.iter().find(|(root, _)| {
                let digest = Sha256::digest(root.as_bytes());
                digest
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
                    == slug
            })
        })
        .map(|(root, _)| root.clone())
}

/// Fills in what the file's place says: the cwd (when the conversation did not), the parent of
/// a sub-agent, and the sub-agents' transcripts (`chats/<session id>/<agent id>.jsonl`, those
/// no tool call names included).
pub(crate) fn place(path: &Path, s: &mut SessionSummary) {
    let Some(dir) = path.parent() else { return };
    let in_chats = dir.file_name().is_some_and(|n| n == "chats");
    let chats = if in_chats { Some(dir) } else { dir.parent() };
    let Some(chats) = chats else { return };
    if !in_chats {
        s.parent = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    }
    let project = chats.parent();
    let gemini_root = project.and_then(Path::parent).and_then(Path::parent);
    if s.cwd.is_empty()
        && let (Some(project), Some(root)) = (project, gemini_root)
        && let Some(cwd) = project_root(project, root)
    {
        s.cwd = cwd;
    }
    if s.id.is_empty() {
        return;
    }
    let side = chats.join(&s.id);
    for link in &mut s.subagents {
        let file = side.join(format!("{}.jsonl", link.id));
        link.path = file.is_file().then_some(file);
    }
    let Ok(entries) = std::fs::read_dir(&side) else {
        return;
    };
    let mut others: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .filter(|p| {
            !s.subagents
                .iter()
                .any(|l| l.path.as_deref() == Some(p.as_path()))
        })
        .collect();
    others.sort();
    for file in others {
        s.subagents.push(SubagentLink {
            id: file
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            description: String::new(),
            path: Some(file),
        });
    }
}

/// The `chats/` directory a conversation's file is in (a sub-agent's is one level deeper, in
/// `chats/<parent session id>/`).
fn chats_of(path: &Path) -> Option<&Path> {
    path.ancestors()
        .skip(1)
        .take(2)
        .find(|d| d.file_name().is_some_and(|n| n == "chats"))
}

/// Where the sub-agents of the conversation with session id `id`, whose file is `path`, write
/// their own: `chats/<id>/` (gemini-cli's `chatRecordingService.ts` nests a sub-agent's file
/// under its parent's complete session id).
#[must_use]
pub fn side_dir(path: &Path, id: &str) -> Option<PathBuf> {
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        return None;
    }
    Some(chats_of(path)?.join(id))
}

/// The directories that can be the side directory of the conversation whose file is `path`,
/// known by its name alone: a sub-agent's file is named by its whole id; a main one's ends
/// with the id's first eight characters, which the directories of `chats/` are matched on.
fn side_dirs(path: &Path) -> Vec<PathBuf> {
    let (Some(chats), Some(stem)) = (chats_of(path), path.file_stem().and_then(|s| s.to_str()))
    else {
        return Vec::new();
    };
    if path.parent() != Some(chats) {
        return side_dir(path, stem).into_iter().collect();
    }
    let Some(prefix) = stem.rsplit('-').next().filter(|p| !p.is_empty()) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(chats)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// Links the sub-agent entries of the conversation whose file is `path` that have no
/// transcript yet to the sub-agents' files (`chats/<session id>/<agent id>.jsonl`), where
/// those exist.
pub fn link<'a>(path: &Path, entries: impl IntoIterator<Item = &'a mut Entry>) {
    let mut dirs: Option<Vec<PathBuf>> = None;
    for e in entries {
        let Some(link) = e.subagent.as_mut() else {
            continue;
        };
        if e.kind != EntryKind::Subagent || link.path.is_some() || link.id.is_empty() {
            continue;
        }
        if link.id.contains(['/', '\\']) || link.id.starts_with('.') {
            continue;
        }
        let name = format!("{}.jsonl", link.id);
        link.path = dirs
            .get_or_insert_with(|| side_dirs(path))
            .iter()
            .map(|d| d.join(&name))
            .find(|f| f.is_file());
    }
}
