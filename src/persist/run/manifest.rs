//! `run.Manifest`: `manifest.json`, every field of the seed plus any unknown keys, read with
//! Go's rules and written byte-for-byte as Go's `json.MarshalIndent` would.

use super::{RunError, State};
use crate::persist::atomic;
use crate::persist::gojson::{self, Fields, GoTime, Kind, Object, ObjectBuilder, Style};
use std::fs;
use std::path::Path;

/// Mode of a newly created manifest (agentpair writes 0600; an existing file keeps its mode).
pub const MANIFEST_MODE: u32 = 0o600;

/// The manifest's keys as Go writes them, in struct order, with their types.
const PLAIN_FIELDS: [(&str, Kind); 20] = [
    ("id", Kind::Int),
    ("repo_path", Kind::String),
    ("repo_id", Kind::String),
    ("prompt", Kind::String),
    ("state", Kind::String),
    ("primary_agent", Kind::String),
    ("review_mode", Kind::String),
    ("max_iterations", Kind::Int),
    ("current_iteration", Kind::Int),
    ("claude_session_id", Kind::String),
    ("codex_session_id", Kind::String),
    ("worktree_path", Kind::String),
    ("tmux_session", Kind::String),
    ("proof_command", Kind::String),
    ("done_signal", Kind::String),
    ("created_at", Kind::Time),
    ("updated_at", Kind::Time),
    ("completed_at", Kind::Time),
    ("error", Kind::String),
    ("metadata", Kind::Object),
];

/// Metadata about a run (`manifest.json`). Field order is the Go struct's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The run identifier (same as the directory name).
    pub id: i64,
    /// The working directory agentpair ran in.
    pub repo_path: String,
    /// The 16-hex repo hash.
    pub repo_id: String,
    /// The task prompt.
    pub prompt: String,
    /// The current run state.
    pub state: State,
    /// The main worker agent (`codex` or `claude`).
    pub primary_agent: String,
    /// The review configuration (`claudex`, `claude`, `codex`).
    pub review_mode: String,
    /// The iteration limit.
    pub max_iterations: i64,
    /// The iteration counter as last saved (it lags the transcript).
    pub current_iteration: i64,
    /// Claude's session id (omitted when empty).
    pub claude_session_id: String,
    /// Codex's session id (omitted when empty).
    pub codex_session_id: String,
    /// The git worktree, when one was used (omitted when empty).
    pub worktree_path: String,
    /// The tmux session name, when one was used (omitted when empty).
    pub tmux_session: String,
    /// The proof command (omitted when empty).
    pub proof_command: String,
    /// The done signal.
    pub done_signal: String,
    /// Creation time.
    pub created_at: GoTime,
    /// Time of the last save.
    pub updated_at: GoTime,
    /// When the run reached a terminal state (omitted when unset).
    pub completed_at: Option<GoTime>,
    /// Failure text (omitted when empty).
    pub error: String,
    /// Free-form metadata (omitted when empty; written with sorted keys, as Go does).
    pub metadata: Object,
    /// Keys agentpair does not know, kept in file order and written back unchanged.
    pub extra: Object,
}

impl Manifest {
    /// `NewManifest`: defaults `submitted`, `codex`, `claudex`, 20 iterations, `DONE`, with
    /// `created_at` = `updated_at` = now.
    #[must_use]
    pub fn new(id: i64, repo_path: &str, repo_id: &str, prompt: &str) -> Manifest {
        let now = gojson::now();
        Manifest {
            id,
            repo_path: repo_path.to_owned(),
            repo_id: repo_id.to_owned(),
            prompt: prompt.to_owned(),
            state: State::Submitted,
            primary_agent: "codex".to_owned(),
            review_mode: "claudex".to_owned(),
            max_iterations: 20,
            current_iteration: 0,
            claude_session_id: String::new(),
            codex_session_id: String::new(),
            worktree_path: String::new(),
            tmux_session: String::new(),
            proof_command: String::new(),
            done_signal: "DONE".to_owned(),
            created_at: now,
            updated_at: now,
            completed_at: None,
            error: String::new(),
            metadata: Object::new(),
            extra: Object::new(),
        }
    }

    /// `LoadManifest`: reads and decodes `path`.
    ///
    /// # Errors
    /// A missing or unreadable file, invalid JSON, or a field of the wrong type; the error names
    /// the file.
    pub fn load(path: &Path) -> Result<Manifest, RunError> {
        let bytes = fs::read(path).map_err(RunError::io(path))?;
        Manifest::from_bytes(&bytes, path)
    }

    /// Decodes manifest bytes; `path` is only used in error messages.
    ///
    /// # Errors
    /// Invalid JSON or a field of the wrong type.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Manifest, RunError> {
        // Valid UTF-8 (nearly always) is checked fast; anything else becomes U+FFFD, as in Go.
        let text = std::str::from_utf8(bytes).map_or_else(
            |_| String::from_utf8_lossy(bytes),
            std::borrow::Cow::Borrowed,
        );
        if let Some(m) = Manifest::from_plain(&text) {
            return Ok(m);
        }
        let value = gojson::parse_document(text.as_bytes()).map_err(|source| RunError::Syntax {
            path: path.to_path_buf(),
            source,
        })?;
        Manifest::from_value(value).map_err(|source| RunError::Field {
            path: path.to_path_buf(),
            source,
        })
    }

    /// A manifest as agentpair writes it, decoded without a JSON tree (`None`: anything
    /// unusual, which [`Manifest::from_value`] decides with all of Go's rules).
    fn from_plain(text: &str) -> Option<Manifest> {
        let (slots, extra) = gojson::decode_plain(text, &PLAIN_FIELDS)?;
        let mut slots = slots.into_iter();
        let mut next = || slots.next().unwrap_or_default();
        Some(Manifest {
            id: next().int(),
            repo_path: next().string(),
            repo_id: next().string(),
            prompt: next().string(),
            state: State::parse(&next().string()),
            primary_agent: next().string(),
            review_mode: next().string(),
            max_iterations: next().int(),
            current_iteration: next().int(),
            claude_session_id: next().string(),
            codex_session_id: next().string(),
            worktree_path: next().string(),
            tmux_session: next().string(),
            proof_command: next().string(),
            done_signal: next().string(),
            created_at: next().time().unwrap_or_else(gojson::zero_time),
            updated_at: next().time().unwrap_or_else(gojson::zero_time),
            completed_at: next().time(),
            error: next().string(),
            metadata: next().object(),
            extra,
        })
    }

    /// Decodes a JSON value with Go's rules, keeping unknown keys.
    ///
    /// # Errors
    /// A non-object or a field of the wrong type.
    pub fn from_value(value: serde_json::Value) -> Result<Manifest, gojson::FieldError> {
        let mut f = Fields::from_value(value, "manifest")?;
        Ok(Manifest {
            id: f.int("id")?,
            repo_path: f.string("repo_path")?,
            repo_id: f.string("repo_id")?,
            prompt: f.string("prompt")?,
            state: State::parse(&f.string("state")?),
            primary_agent: f.string("primary_agent")?,
            review_mode: f.string("review_mode")?,
            max_iterations: f.int("max_iterations")?,
            current_iteration: f.int("current_iteration")?,
            claude_session_id: f.string("claude_session_id")?,
            codex_session_id: f.string("codex_session_id")?,
            worktree_path: f.string("worktree_path")?,
            tmux_session: f.string("tmux_session")?,
            proof_command: f.string("proof_command")?,
            done_signal: f.string("done_signal")?,
            created_at: f.time("created_at")?,
            updated_at: f.time("updated_at")?,
            completed_at: f.optional_time("completed_at")?,
            error: f.string("error")?,
            metadata: f.object("metadata")?,
            extra: f.into_rest(),
        })
    }

    /// The manifest as an ordered JSON object, exactly the keys Go writes, then unknown keys.
    #[must_use]
    pub fn to_value(&self) -> serde_json::Value {
        ObjectBuilder::new()
            .int("id", self.id)
            .string("repo_path", &self.repo_path)
            .string("repo_id", &self.repo_id)
            .string("prompt", &self.prompt)
            .string("state", self.state.as_str())
            .string("primary_agent", &self.primary_agent)
            .string("review_mode", &self.review_mode)
            .int("max_iterations", self.max_iterations)
            .int("current_iteration", self.current_iteration)
            .string_omitempty("claude_session_id", &self.claude_session_id)
            .string_omitempty("codex_session_id", &self.codex_session_id)
            .string_omitempty("worktree_path", &self.worktree_path)
            .string_omitempty("tmux_session", &self.tmux_session)
            .string_omitempty("proof_command", &self.proof_command)
            .string("done_signal", &self.done_signal)
            .time("created_at", &self.created_at)
            .time("updated_at", &self.updated_at)
            .time_omitempty("completed_at", self.completed_at.as_ref())
            .string_omitempty("error", &self.error)
            .map_omitempty("metadata", &self.metadata)
            .extra(&self.extra)
            .build()
    }

    /// The file bytes: two-space indent, `<>&` escaped, no final newline.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        gojson::encode(&self.to_value(), Style::DOCUMENT).into_bytes()
    }

    /// `Save`: sets `updated_at` to now and replaces `path` atomically and durably (agentpair
    /// truncates in place; we write a temp file, fsync and rename).
    ///
    /// # Errors
    /// Any I/O error; the file on disk is then unchanged, and so is `self`.
    pub fn save(&mut self, path: &Path) -> Result<(), RunError> {
        let previous = self.updated_at;
        self.updated_at = gojson::now();
        let result = atomic::write_atomic(path, &self.to_bytes(), MANIFEST_MODE);
        if result.is_err() {
            self.updated_at = previous;
        }
        result.map_err(RunError::io(path))
    }

    /// Writes the manifest exactly as it is (no `updated_at` change), atomically: for restoring
    /// or importing a manifest, and seeding the demo's history.
    ///
    /// # Errors
    /// Any I/O error; the file on disk is then unchanged.
    pub fn save_as_is(&self, path: &Path) -> Result<(), RunError> {
        atomic::write_atomic(path, &self.to_bytes(), MANIFEST_MODE).map_err(RunError::io(path))
    }

    /// `SetState`: sets the state and `updated_at`; a terminal state also sets `completed_at`.
    pub fn set_state(&mut self, state: State) {
        let terminal = state.is_terminal();
        self.state = state;
        self.updated_at = gojson::now();
        if terminal {
            self.completed_at = Some(gojson::now());
        }
    }

    /// `IncrementIteration`: one more iteration, and `updated_at` = now.
    pub fn increment_iteration(&mut self) {
        self.current_iteration += 1;
        self.updated_at = gojson::now();
    }

    /// `IsComplete`: the state is completed, failed or cancelled.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.state.is_terminal()
    }

    /// `IsSingleAgent`: true iff `review_mode` is exactly `claude` or `codex` (upstream's rule,
    /// which is not a reliable marker of single-agent runs).
    #[must_use]
    pub fn is_single_agent(&self) -> bool {
        self.review_mode == "claude" || self.review_mode == "codex"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_WRITTEN: &str = r#"{
  "id": 3,
  "repo_path": "/home/dev/src/webapp",
  "repo_id": "43d7567239bfd176",
  "prompt": "a \u003cb\u003e \u0026 c",
  "state": "failed",
  "primary_agent": "codex",
  "review_mode": "claudex",
  "max_iterations": 20,
  "current_iteration": 2,
  "tmux_session": "agentpair-3",
  "done_signal": "DONE",
  "created_at": "2026-11-22T15:58:56.84Z",
  "updated_at": "2026-11-22T15:58:56.845777979Z",
  "completed_at": "2026-11-22T15:58:56Z",
  "error": "context canceled"
}"#;

    #[test]
    fn the_plain_decoder_agrees_with_go_rules_or_declines() {
        let exact = |text: &str| {
            let value = gojson::parse_document(text.as_bytes()).unwrap();
            Manifest::from_value(value).unwrap()
        };
        let plain = Manifest::from_plain(GO_WRITTEN).unwrap();
        assert_eq!(plain, exact(GO_WRITTEN));
        let extra = r#"{"id":1,"state":"paused","x-extra":{"b":[1,2.50]},"metadata":{"z":1}}"#;
        assert_eq!(Manifest::from_plain(extra).unwrap(), exact(extra));
        for declined in [
            r#"{"ID":1}"#,
            r#"{"id":1,"id":2}"#,
            r#"{"prompt":null}"#,
            r#"{"completed_at":null}"#,
            r#"{"created_at":"soon"}"#,
        ] {
            assert!(Manifest::from_plain(declined).is_none(), "{declined}");
        }
    }

    #[test]
    fn round_trips_byte_for_byte() {
        let m = Manifest::from_bytes(GO_WRITTEN.as_bytes(), Path::new("m")).unwrap();
        assert_eq!(m.prompt, "a <b> & c");
        assert_eq!(m.state, State::Failed);
        assert_eq!(String::from_utf8(m.to_bytes()).unwrap(), GO_WRITTEN);
    }

    #[test]
    fn unknown_keys_and_states_survive() {
        let text = r#"{"id":1,"state":"paused","x-extra":{"b":[1,2.50]},"metadata":{"z":1,"a":2}}"#;
        let m = Manifest::from_bytes(text.as_bytes(), Path::new("m")).unwrap();
        assert_eq!(m.state, State::Other("paused".into()));
        let out = String::from_utf8(m.to_bytes()).unwrap();
        assert!(out.contains("\"state\": \"paused\""));
        assert!(out.contains("\"metadata\": {\n    \"a\": 2,\n    \"z\": 1\n  },\n  \"x-extra\": {\n    \"b\": [\n      1,\n      2.50\n    ]\n  }\n}"), "{out}");
    }

    #[test]
    fn wrong_types_name_the_file_and_field() {
        let err =
            Manifest::from_bytes(br#"{"id":"3"}"#, Path::new("/r/manifest.json")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/r/manifest.json: field \"id\": expected an integer, found the string \"3\""
        );
        let err = Manifest::from_bytes(b"", Path::new("/r/manifest.json")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/r/manifest.json: invalid JSON"),
            "{err}"
        );
    }

    #[test]
    fn lifecycle_methods() {
        let mut m = Manifest::new(1, "/r", "id", "p");
        assert!(!m.is_complete());
        assert!(!m.is_single_agent());
        m.increment_iteration();
        assert_eq!(m.current_iteration, 1);
        m.set_state(State::Working);
        assert!(m.completed_at.is_none());
        m.set_state(State::Cancelled);
        assert!(m.is_complete());
        assert!(m.completed_at.is_some());
        m.review_mode = "claude".into();
        assert!(m.is_single_agent());
    }

    #[test]
    fn save_is_atomic_and_sets_updated_at() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        let mut m = Manifest::new(1, "/r", "id", "p");
        let before = m.updated_at;
        m.save(&path).unwrap();
        assert!(m.updated_at >= before);
        let back = Manifest::load(&path).unwrap();
        assert_eq!(back, m);
        let bytes = fs::read(&path).unwrap();
        assert_ne!(bytes.last(), Some(&b'\n'));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o077, 0);
    }
}
