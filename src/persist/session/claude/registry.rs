//! Claude Code's live registry (≥ 2.1.139): one `sessions/<pid>.json` per running Claude
//! process in each Claude root: `{"pid","sessionId","cwd","startedAt","procStart","version",
//! "kind","entrypoint","status","waitingFor","updatedAt","name"}`. Every field is optional; a
//! file that cannot be read or is not JSON is reported, never fatal. The file can be stale
//! (after `/clear` it names the new session while an old one may still be written), so it is a
//! hint to check against the transcripts, with [`crate::persist::session::live::pid_alive`].

use super::super::TurnState;
use super::super::text::json_time;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A registry file larger than this is not read.
const MAX_FILE: u64 = 256 * 1024;

/// One `sessions/<pid>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegistryEntry {
    /// The file.
    pub file: PathBuf,
    /// The Claude process (`pid`, else the file name).
    pub pid: Option<u32>,
    /// The session it says it is writing.
    pub session_id: Option<String>,
    /// Its working directory.
    pub cwd: Option<String>,
    /// `busy`, `idle` or `waiting` (newer builds may write other words).
    pub status: Option<String>,
    /// What it waits for, when `waiting`.
    pub waiting_for: Option<String>,
    /// When the process started.
    pub started_at: Option<DateTime<Utc>>,
    /// When the file was last updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// The process start time as the kernel counts it (`procStart`), to tell a reused pid.
    pub proc_start: Option<String>,
    /// The session's name, when set.
    pub name: Option<String>,
    /// `interactive`, `background`, …
    pub kind: Option<String>,
    /// The Claude Code version.
    pub version: Option<String>,
}

impl RegistryEntry {
    /// What the status says about the turn: `busy` is working, `waiting` is waiting (for what
    /// `waitingFor` says), `idle` is a turn that ended; other words say nothing.
    #[must_use]
    pub fn turn(&self) -> Option<TurnState> {
        match self.status.as_deref()? {
            "busy" | "working" => Some(TurnState::Working),
            "waiting" | "blocked" => Some(TurnState::Waiting(
                self.waiting_for.clone().unwrap_or_default(),
            )),
            "idle" | "done" => Some(TurnState::Ended),
            _ => None,
        }
    }

    /// Reads one registry file.
    ///
    /// # Errors
    /// The file cannot be read, is too large, or is not a JSON object; the text says which.
    pub fn read(file: &Path) -> Result<RegistryEntry, String> {
        let meta = std::fs::metadata(file).map_err(|e| e.to_string())?;
        if meta.len() > MAX_FILE {
            return Err(format!(
                "{} bytes, too large for a registry file",
                meta.len()
            ));
        }
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("invalid JSON: {e}"))?;
        let Some(obj) = value.as_object() else {
            return Err("not a JSON object".to_owned());
        };
        let s = |k: &str| match obj.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let time = |k: &str| {
            let raw = serde_json::to_vec(obj.get(k)?).ok()?;
            json_time(super::super::skim::Json::new(&raw))
        };
        let from_name = file
            .file_stem()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse().ok());
        Ok(RegistryEntry {
            file: file.to_path_buf(),
            pid: obj
                .get("pid")
                .and_then(Value::as_u64)
                .and_then(|p| u32::try_from(p).ok())
                .or(from_name),
            session_id: s("sessionId"),
            cwd: s("cwd"),
            status: s("status").or_else(|| s("state")),
            waiting_for: s("waitingFor"),
            started_at: time("startedAt"),
            updated_at: time("updatedAt"),
            proc_start: s("procStart"),
            name: s("name"),
            kind: s("kind"),
            version: s("version"),
        })
    }
}

/// Every registry file of every Claude root, and the ones that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    /// The entries, by file path.
    pub entries: Vec<RegistryEntry>,
    /// Files that could not be read, and why.
    pub problems: Vec<(PathBuf, String)>,
}

impl Registry {
    /// Reads `sessions/*.json` in each of `roots` (a missing directory has none).
    #[must_use]
    pub fn read(roots: &[PathBuf]) -> Registry {
        let mut registry = Registry::default();
        for root in roots {
            let dir = root.join("sessions");
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    registry.problems.push((dir, e.to_string()));
                    continue;
                }
            };
            let mut files: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for file in files {
                match RegistryEntry::read(&file) {
                    Ok(entry) => registry.entries.push(entry),
                    Err(why) => registry.problems.push((file, why)),
                }
            }
        }
        registry
    }

    /// The entry naming session `id`, the most recently updated if several do.
    #[must_use]
    pub fn for_session(&self, id: &str) -> Option<&RegistryEntry> {
        self.entries
            .iter()
            .filter(|e| e.session_id.as_deref() == Some(id))
            .max_by_key(|e| e.updated_at)
    }
}
