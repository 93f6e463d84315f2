//! Finding every top-level session of every agent under [`SessionRoots`]: one [`SessionFile`]
//! each, with its identity for caching. Sub-agent files are found with their parent and never
//! listed as sessions of their own.

pub(crate) mod dir;

use super::{Agent, SessionRoots, claude, codex, gemini, opencode};
use crate::persist::run::cache::FileStamp;
use std::path::{Path, PathBuf};

/// Where one session's records are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionSource {
    /// An append-only JSONL file (Claude, Codex `.jsonl`): read by lines, windows and tails.
    Lines(PathBuf),
    /// A file that is rewritten or must be read whole (Gemini JSONL with upserts and rewinds,
    /// Gemini's legacy JSON document, a Codex `.jsonl.zst`).
    Document(PathBuf),
    /// An OpenCode session in its database.
    Database {
        /// The database file.
        db: PathBuf,
        /// The session id (`ses_…`).
        session: String,
    },
}

impl SessionSource {
    /// The file, for file sources.
    #[must_use]
    pub fn file(&self) -> Option<&PathBuf> {
        match self {
            SessionSource::Lines(p) | SessionSource::Document(p) => Some(p),
            SessionSource::Database { .. } => None,
        }
    }

    /// The key the session is known by everywhere (selection, watches, attention): the file's
    /// path (a Codex session keeps its `.jsonl` path when it is compressed), or
    /// `<database>/<session id>` for OpenCode.
    #[must_use]
    pub fn key(&self) -> PathBuf {
        match self {
            SessionSource::Lines(p) | SessionSource::Document(p) => {
                let text = p.to_string_lossy();
                match text.strip_suffix(".zst") {
                    Some(plain) => PathBuf::from(plain),
                    None => p.clone(),
                }
            }
            SessionSource::Database { db, session } => db.join(session),
        }
    }
}

/// One session found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFile {
    /// The agent.
    pub agent: Agent,
    /// Where it is read from.
    pub source: SessionSource,
    /// The session id when the file name says it (Claude's file stem, Codex's rollout uuid).
    pub id_hint: Option<String>,
    /// The file's identity when listed. For an OpenCode session: the database file's inode and
    /// the session's `time_updated` (milliseconds, as nanoseconds in `mtime_ns`; size and
    /// change time 0), so a changed session has a new stamp too.
    pub stamp: Option<FileStamp>,
}

/// Every session found, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// The sessions, newest first.
    pub sessions: Vec<SessionFile>,
    /// Directories or files that could not be read, and why.
    pub problems: Vec<(PathBuf, String)>,
}

impl Listing {
    /// How many sessions of `agent` were listed.
    #[must_use]
    pub fn count(&self, agent: Agent) -> usize {
        self.sessions.iter().filter(|s| s.agent == agent).count()
    }
}

/// Lists every top-level session under `roots`, newest first. It never fails as a whole: a
/// missing root has no sessions, and a directory that cannot be read is in
/// [`Listing::problems`] with the cause. Only directories are read and files stat'ed (the
/// OpenCode database is asked for its `session` rows); no session file is opened.
#[must_use]
pub fn list(roots: &SessionRoots) -> Listing {
    let mut listing = Listing::default();
    let mut add = |(sessions, problems): (Vec<SessionFile>, Vec<(PathBuf, String)>)| {
        listing.sessions.extend(sessions);
        listing.problems.extend(problems);
    };
    if roots.enabled(Agent::Claude) {
        add(claude::list::list(&roots.claude));
    }
    if let Some(home) = roots.codex.as_ref().filter(|_| roots.enabled(Agent::Codex)) {
        add(codex::list::list(home));
    }
    if let Some(root) = roots
        .gemini
        .as_ref()
        .filter(|_| roots.enabled(Agent::Gemini))
    {
        add(gemini::list::list(root));
    }
    if let Some(db) = roots
        .opencode
        .as_ref()
        .filter(|_| roots.enabled(Agent::OpenCode))
    {
        add(opencode::read::list(db));
    }
    sort_newest_first(&mut listing.sessions);
    listing
}

/// The session the file at `path` is, as [`list`] would list it, without listing anything
/// else: `None` when the file is no top-level session of an enabled agent under `roots` (a
/// sub-agent's file beside its parent, another file), or is the OpenCode database (a change to
/// it cannot be told apart by session). A Codex sub-agent's rollout is a `SessionFile` here as
/// in a listing: only its first record says what it is.
#[must_use]
pub fn file(roots: &SessionRoots, path: &Path) -> Option<SessionFile> {
    if roots.enabled(Agent::Claude)
        && let Some(found) = claude::list::one(&roots.claude, path)
    {
        return Some(found);
    }
    if let Some(home) = roots.codex.as_ref().filter(|_| roots.enabled(Agent::Codex))
        && let Some(found) = codex::list::one(home, path)
    {
        return Some(found);
    }
    roots
        .gemini
        .as_ref()
        .filter(|_| roots.enabled(Agent::Gemini))
        .and_then(|root| gemini::list::one(root, path))
}

/// Newest first (by modification time; a database session by its last update), then by key so
/// the order is stable.
pub fn sort_newest_first(sessions: &mut [SessionFile]) {
    sessions.sort_by_cached_key(|s| {
        let when = s.stamp.map_or(i64::MIN, |st| st.mtime_ns);
        (std::cmp::Reverse(when), s.source.key())
    });
}

/// True when `path` is under `root` (component-wise, so `/repo-other` is not under `/repo`).
#[must_use]
pub fn within(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
}
