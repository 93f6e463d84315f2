//! Watching agent sessions with a few watches, none of them recursive: Claude's `projects/`
//! and each project directory in it (and `sessions/`, its live registry), Codex's
//! `sessions/` with its newest year, month and two newest day directories (where Codex's
//! sub-agent threads write their rollouts too), Gemini's `tmp/` with each project's directory
//! and `chats/` (a session's sub-agents' `chats/<id>/` is watched while it is shown), and the
//! directory of OpenCode's database (its `-wal` file changes on every write). A new directory
//! (a project, a day) is seen in its parent, which asks for the watches to be set up again.

use crate::app::event::Change;
use crate::persist::session::{Agent, SessionRoots};
use std::path::{Path, PathBuf};

/// Where agent sessions are, as the watcher sees them.
#[derive(Debug, Clone, Default)]
pub struct AgentDirs {
    /// Claude roots (each has `projects/` and `sessions/`).
    claude: Vec<PathBuf>,
    /// Codex's `sessions/`.
    codex: Option<PathBuf>,
    /// Gemini's `tmp/`.
    gemini: Option<PathBuf>,
    /// OpenCode's database.
    opencode: Option<PathBuf>,
}

/// The directories of `dir`, sorted (none when it cannot be read).
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Whether `path` is directly in `dir`, and its name.
fn name_in<'p>(path: &'p Path, dir: &Path) -> Option<&'p str> {
    (path.parent()? == dir).then_some(())?;
    path.file_name()?.to_str()
}

impl AgentDirs {
    /// The places of `roots` to watch (sources switched off are left out).
    #[must_use]
    pub fn of(roots: &SessionRoots) -> AgentDirs {
        let on = |agent| roots.enabled(agent);
        AgentDirs {
            claude: if on(Agent::Claude) {
                roots.claude.clone()
            } else {
                Vec::new()
            },
            codex: roots
                .codex
                .as_ref()
                .filter(|_| on(Agent::Codex))
                .map(|c| c.join("sessions")),
            gemini: roots
                .gemini
                .as_ref()
                .filter(|_| on(Agent::Gemini))
                .map(|g| g.join("tmp")),
            opencode: roots.opencode.clone().filter(|_| on(Agent::OpenCode)),
        }
    }

    /// The directories to watch now (each not recursively): only those that exist, or else
    /// the nearest existing parent of a root, to see it appear.
    #[must_use]
    pub fn targets(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let base = |dir: &Path, out: &mut Vec<PathBuf>| -> bool {
            if dir.is_dir() {
                out.push(dir.to_path_buf());
                return true;
            }
            if let Some(parent) = dir.ancestors().skip(1).find(|a| a.is_dir()) {
                out.push(parent.to_path_buf());
            }
            false
        };
        for root in &self.claude {
            let projects = root.join("projects");
            if base(&projects, &mut out) {
                out.extend(subdirs(&projects));
            }
            base(&root.join("sessions"), &mut out);
        }
        if let Some(sessions) = &self.codex
            && base(sessions, &mut out)
        {
            // The newest year, its newest month, and that month's two newest days.
            if let Some(year) = subdirs(sessions).pop() {
                let month = subdirs(&year).pop();
                out.push(year);
                if let Some(month) = month {
                    let days = subdirs(&month);
                    out.push(month);
                    out.extend(days.into_iter().rev().take(2));
                }
            }
        }
        if let Some(tmp) = &self.gemini
            && base(tmp, &mut out)
        {
            for project in subdirs(tmp) {
                let chats = project.join("chats");
                out.push(project);
                if chats.is_dir() {
                    out.push(chats);
                }
            }
        }
        if let Some(db) = &self.opencode
            && let Some(dir) = db.parent()
        {
            base(dir, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    /// What a change at `path` means for agent sessions, if anything.
    #[must_use]
    pub fn classify(&self, path: &Path) -> Option<Change> {
        for root in &self.claude {
            let projects = root.join("projects");
            if let Ok(rest) = path.strip_prefix(&projects) {
                let depth = rest.components().count();
                let side = rest.components().nth(2).map(|c| c.as_os_str());
                return match depth {
                    0 | 1 => Some(Change::AgentDirs),
                    2 if path.extension().is_some_and(|e| e == "jsonl") => {
                        Some(Change::Agent(path.to_path_buf()))
                    }
                    // A session's side directory appeared, or something in its sub-agents'
                    // (watched while the session is shown).
                    2 => Some(Change::Subagent(path.to_path_buf())),
                    _ if side.is_some_and(|s| s == "subagents") => {
                        Some(Change::Subagent(path.to_path_buf()))
                    }
                    _ => None,
                };
            }
            let registry = root.join("sessions");
            if path == registry {
                return Some(Change::AgentDirs);
            }
            if name_in(path, &registry).is_some_and(|n| n.ends_with(".json")) {
                return Some(Change::AgentLive);
            }
        }
        if let Some(sessions) = &self.codex
            && let Ok(rest) = path.strip_prefix(sessions)
        {
            let name = path.file_name()?.to_str()?;
            return match rest.components().count() {
                0..=3 => Some(Change::AgentDirs),
                4 if name.starts_with("rollout-")
                    && (name.ends_with(".jsonl") || name.ends_with(".jsonl.zst")) =>
                {
                    Some(Change::Agent(path.to_path_buf()))
                }
                _ => None,
            };
        }
        if let Some(tmp) = &self.gemini
            && let Ok(rest) = path.strip_prefix(tmp)
        {
            let parts: Vec<_> = rest.components().collect();
            let chats = parts.get(1).is_some_and(|c| c.as_os_str() == "chats");
            let session = parts
                .get(2)
                .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with("session-"));
            return match parts.len() {
                0..=1 => Some(Change::AgentDirs),
                2 if chats => Some(Change::AgentDirs),
                3 if chats && session => Some(Change::Agent(path.to_path_buf())),
                // A session's sub-agents' directory (`chats/<session id>/`) or something in
                // it (watched while the session is shown).
                _ if chats => Some(Change::Subagent(path.to_path_buf())),
                _ => None,
            };
        }
        if let Some(dir) = self.opencode.as_deref().and_then(Path::parent)
            && path == dir
        {
            return Some(Change::AgentDirs);
        }
        if let Some(db) = &self.opencode
            && let (Some(dir), Some(name)) = (db.parent(), db.file_name())
            && let Some(changed) = name_in(path, dir)
        {
            let name = name.to_string_lossy();
            let wal = format!("{name}-wal");
            return (changed == name || changed == wal).then(|| Change::Agent(db.clone()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_session_files_and_directories() {
        let roots = SessionRoots {
            claude: vec!["/h/.claude".into()],
            codex: Some("/h/.codex".into()),
            gemini: Some("/h/.gemini".into()),
            opencode: Some("/h/oc/opencode.db".into()),
            ..SessionRoots::default()
        };
        let dirs = AgentDirs::of(&roots);
        let c = |p: &str| dirs.classify(Path::new(p));
        let agent = |p: &str| Some(Change::Agent(PathBuf::from(p)));
        let f = "/h/.claude/projects/-h-webapp/88a8d761.jsonl";
        assert_eq!(c(f), agent(f));
        assert_eq!(c("/h/.claude/projects/-h-webapp"), Some(Change::AgentDirs));
        // Beside a session: its side directory and its sub-agents' (not its saved outputs).
        for p in [
            "/h/.claude/projects/-h-webapp/88a8d761/subagents/agent-1.jsonl",
            "/h/.claude/projects/-h-webapp/88a8d761/subagents/wf/agent-2.jsonl",
            "/h/.claude/projects/-h-webapp/88a8d761/subagents",
            "/h/.claude/projects/-h-webapp/88a8d761",
        ] {
            assert_eq!(c(p), Some(Change::Subagent(PathBuf::from(p))), "{p}");
        }
        assert_eq!(
            c("/h/.claude/projects/-h-webapp/88a8d761/tool-results/x.txt"),
            None
        );
        assert_eq!(c("/h/.claude/sessions/4242.json"), Some(Change::AgentLive));
        assert_eq!(c("/h/.claude/sessions"), Some(Change::AgentDirs));
        assert_eq!(c("/h/.claude/history.jsonl"), None);
        let r = "/h/.codex/sessions/2026/08/20/rollout-2026-08-20T14-00-01-0198.jsonl";
        assert_eq!(c(r), agent(r));
        assert_eq!(c(&format!("{r}.zst")), agent(&format!("{r}.zst")));
        assert_eq!(c("/h/.codex/sessions/2026/08/21"), Some(Change::AgentDirs));
        let g = "/h/.gemini/tmp/webapp/chats/session-2026-08-20T14-00-9f1c2d3e.jsonl";
        assert_eq!(c(g), agent(g));
        // A session's sub-agents' directory, and their files in it.
        for p in [
            "/h/.gemini/tmp/webapp/chats/9f1c2d3e-4b5a",
            "/h/.gemini/tmp/webapp/chats/9f1c2d3e-4b5a/sub-1.jsonl",
        ] {
            assert_eq!(c(p), Some(Change::Subagent(PathBuf::from(p))), "{p}");
        }
        assert_eq!(c("/h/.gemini/tmp/webapp/logs.json"), None);
        assert_eq!(c("/h/.gemini/tmp/webapp"), Some(Change::AgentDirs));
        assert_eq!(c("/h/oc/opencode.db-wal"), agent("/h/oc/opencode.db"));
        assert_eq!(c("/h/oc/other.db"), None);
        assert_eq!(c("/elsewhere"), None);
    }

    #[test]
    fn watches_the_newest_codex_days_and_every_claude_project() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        for d in [
            ".claude/projects/-a",
            ".claude/projects/-b",
            ".codex/sessions/2025/12/31",
            ".codex/sessions/2026/01/01",
            ".codex/sessions/2026/02/01",
            ".codex/sessions/2026/02/02",
            ".codex/sessions/2026/02/03",
        ] {
            std::fs::create_dir_all(h.join(d)).unwrap();
        }
        let roots = SessionRoots {
            claude: vec![h.join(".claude")],
            codex: Some(h.join(".codex")),
            ..SessionRoots::default()
        };
        let targets = AgentDirs::of(&roots).targets();
        let rel: Vec<String> = targets
            .iter()
            .map(|t| t.strip_prefix(h).unwrap().display().to_string())
            .collect();
        assert_eq!(
            rel,
            [
                ".claude",
                ".claude/projects",
                ".claude/projects/-a",
                ".claude/projects/-b",
                ".codex/sessions",
                ".codex/sessions/2026",
                ".codex/sessions/2026/02",
                ".codex/sessions/2026/02/02",
                ".codex/sessions/2026/02/03",
            ]
        );
    }
}
