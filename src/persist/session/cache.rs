//! The session summary cache: what each agent session's summary was, and where its reading
//! stopped, keyed by a hash of the session's path and checked against the file's identity
//! ([`FileStamp`]), so a start with 6,000 sessions reads a few files instead of 4 GB, and a
//! grown session is read only from where it stopped.
//!
//! One file per session root (a Claude or Codex or Gemini directory, an OpenCode database),
//! `<cache dir>/sessions-<hash of the agent and the root's absolute path>.jsonl`, so two
//! configurations never overwrite each other's summaries: a header line naming the format,
//! its version, the root (by that hash) and the entry count, then one JSON array per session (see `row`).
//! No transcript path and no transcript text is written beyond what the Runs pane shows (the
//! first prompt's head, the title, the cwd). Written atomically, mode 0600, in a 0700
//! directory. It is only ever a shortcut: a corrupt, cut or foreign file is ignored (with
//! [`SessionCache::problem`] saying why) and rewritten on the next save. A root whose file
//! would be written as it was loaded (a start where no session changed) is not written at all.
//! The one global file of version 1 (`sessions.jsonl`) is not read; it is removed at the first
//! save.

mod row;

use super::listing::SessionFile;
use super::summary::{Progress, Resume, SessionSummary, Summarizer};
use super::{Agent, SessionError, SessionRoots, read::summarize};
use crate::persist::atomic;
use crate::persist::parallel;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The cache format; a file with another version is ignored and rewritten. Version 3: an
/// OpenCode session's times are its parts' own, so summaries cached by version 2 are worked out
/// again once.
pub const SESSION_CACHE_VERSION: u32 = 3;

/// What the header line says the file is.
const FORMAT: &str = "beadboard session summaries";

/// The one global cache file of version 1 (every root's sessions together; no longer read).
pub const SESSION_CACHE_FILE: &str = "sessions.jsonl";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Header {
    format: String,
    version: u32,
    /// The hash of `<agent> <absolute root path>` (the path itself is not written): a file
    /// whose name matches another root's by chance is told apart.
    root: String,
    entries: usize,
}

/// One root's cache file.
#[derive(Debug)]
struct RootFile {
    agent: Agent,
    /// The root as configured (sessions listed under it start with it).
    root: PathBuf,
    /// What the header names: the hash of the agent and the root's absolute path.
    label: String,
    file: PathBuf,
    /// The SHA-256 of the file as loaded, when it was read whole and found good.
    digest: Option<[u8; 32]>,
}

impl RootFile {
    /// Whether the session `summary` was listed under this root.
    fn holds(&self, summary: &SessionSummary) -> bool {
        summary.agent == self.agent && summary.source.key().starts_with(&self.root)
    }
}

/// The summaries cached, as loaded.
#[derive(Default)]
pub struct SessionCache {
    dir: PathBuf,
    files: Vec<RootFile>,
    /// Boxed: the table stays small (6,000 sessions), and a row leaves it without a copy.
    rows: HashMap<String, Box<row::Row>>,
    problem: Option<String>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("files", &self.files)
            .field("entries", &self.rows.len())
            .field("problem", &self.problem)
            .finish()
    }
}

/// The key of a session: the first 16 bytes of the SHA-256 of its path, in hex.
fn key(file: &SessionFile) -> String {
    hex16(file.source.key().as_os_str().as_encoded_bytes())
}

fn hex16(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The directory sub-agent paths are kept relative to.
fn base(file_key: &Path) -> PathBuf {
    file_key.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The roots of `roots` that are switched on, each with its agent.
fn enabled_roots(roots: &SessionRoots) -> Vec<(Agent, PathBuf)> {
    let on = |agent| roots.enabled(agent);
    let mut out: Vec<(Agent, PathBuf)> = Vec::new();
    if on(Agent::Claude) {
        out.extend(roots.claude.iter().map(|c| (Agent::Claude, c.clone())));
    }
    for (agent, root) in [
        (Agent::Codex, &roots.codex),
        (Agent::Gemini, &roots.gemini),
        (Agent::OpenCode, &roots.opencode),
    ] {
        if let Some(root) = root.as_ref().filter(|_| on(agent)) {
            out.push((agent, root.clone()));
        }
    }
    out
}

impl SessionCache {
    /// Loads the cache of each root of `roots` switched on from `cache_dir`. Never fails: a
    /// missing file is an empty cache for its root, and an unreadable, corrupt or foreign one
    /// is empty with [`SessionCache::problem`] saying why.
    #[must_use]
    pub fn load(cache_dir: &Path, roots: &SessionRoots) -> SessionCache {
        let mut cache = SessionCache {
            dir: cache_dir.to_path_buf(),
            ..SessionCache::default()
        };
        for (agent, root) in enabled_roots(roots) {
            let absolute = std::path::absolute(&root).unwrap_or_else(|_| root.clone());
            let label = hex16(format!("{} {}", agent.as_str(), absolute.display()).as_bytes());
            let name = format!("sessions-{}.jsonl", &label[..16]);
            let file = cache_dir.join(name);
            let mut digest = None;
            match std::fs::File::open(&file) {
                Ok(f) => {
                    let mut read = Hashed::new(f);
                    let reader = std::io::BufReader::new(&mut read);
                    match parse(reader, &label, &mut cache.rows) {
                        Ok(()) => digest = Some(read.digest()),
                        Err(why) => {
                            cache.problem = Some(format!("{}: {why}; ignored", file.display()));
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => cache.problem = Some(format!("{}: {e}; ignored", file.display())),
            }
            cache.files.push(RootFile {
                agent,
                root,
                label,
                file,
                digest,
            });
        }
        cache
    }

    /// The cache directory.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache files, one per root.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.file.as_path())
    }

    /// Why a file on disk was not used, if one was not.
    #[must_use]
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// How many sessions are cached.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing is cached.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether any root's cache file exists on disk.
    #[must_use]
    pub fn any_file(&self) -> bool {
        self.files.iter().any(|f| f.file.exists())
    }

    /// Takes the cached summariser of `file`, to give [`summarize`] as the previous one (it
    /// is used as it is while the file's identity is unchanged, and continued when the file
    /// only grew). `None` when the session is not cached (or was cached for another agent).
    pub fn take(&mut self, file: &SessionFile) -> Option<Summarizer> {
        let row = *self.rows.remove(&key(file))?;
        if row.1 != file.agent.as_str() {
            return None;
        }
        let mut s = Summarizer::new(file.agent, file.source.clone());
        let (progress, stamp) = row::from_row(row, s.summary_mut(), &base(&file.source.key()));
        let summary = s.into_summary();
        Some(Summarizer::from_parts(summary, progress, stamp))
    }

    /// Lets go of the rows no session took (sessions gone since the cache was written): once
    /// every listed session has taken its own, the rest is only memory.
    pub fn forget_the_rest(&mut self) {
        self.rows = HashMap::new();
    }

    /// Replaces each root's cache file with the summaries of its sessions in `entries`
    /// (atomically: temp file, fsync, rename); a root with none gets no file, and loses the
    /// one it had. Every root is written, even when one fails.
    ///
    /// # Errors
    /// A cache file cannot be written (the cache is then just not used); the first error,
    /// naming its file.
    pub fn save<'a>(
        &self,
        entries: impl IntoIterator<Item = (&'a SessionSummary, &'a Resume)>,
    ) -> std::io::Result<()> {
        let mut by_root: Vec<Vec<(&SessionSummary, &Resume)>> =
            self.files.iter().map(|_| Vec::new()).collect();
        for (summary, resume) in entries {
            // The most specific root (roots may nest).
            let at = (self.files.iter().enumerate())
                .filter(|(_, f)| f.holds(summary))
                .max_by_key(|(_, f)| f.root.as_os_str().len())
                .map(|(i, _)| i);
            if let Some(rows) = at.and_then(|i| by_root.get_mut(i)) {
                rows.push((summary, resume));
            }
        }
        let mut first_error = None;
        for (root, rows) in self.files.iter().zip(by_root) {
            let written = if rows.is_empty() {
                match std::fs::remove_file(&root.file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            } else {
                write_root(root, &rows)
            };
            if let Err(e) = written {
                let e = std::io::Error::new(e.kind(), format!("{}: {e}", root.file.display()));
                first_error.get_or_insert(e);
            }
        }
        // The global file of version 1 holds sessions of roots that may not be these: only
        // memory and disk now.
        let _ = std::fs::remove_file(self.dir.join(SESSION_CACHE_FILE));
        first_error.map_or(Ok(()), Err)
    }
}

/// What reads through it is hashed (SHA-256) on the way: a cache file's digest, taken as it
/// is parsed.
struct Hashed<R> {
    inner: R,
    hasher: Sha256,
}

impl<R> Hashed<R> {
    fn new(inner: R) -> Hashed<R> {
        Hashed {
            inner,
            hasher: Sha256::new(),
        }
    }

    fn digest(self) -> [u8; 32] {
        self.hasher.finalize().into()
    }
}

impl<R: std::io::Read> std::io::Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R> std::io::Write for Hashed<R> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes one root's file: the header counts the rows; the rows are written to the file one
/// by one (the file is never whole in memory). A file that would be written as it was loaded
/// is left alone (hashed first, not compared in memory).
fn write_root(root: &RootFile, rows: &[(&SessionSummary, &Resume)]) -> std::io::Result<()> {
    if let Some(loaded) = root.digest {
        let mut hashed = Hashed::new(());
        write_rows(&mut hashed, root, rows)?;
        if hashed.digest() == loaded {
            return Ok(());
        }
    }
    atomic::make_private_parent(&root.file)?;
    atomic::write_atomic_with(&root.file, 0o600, |out| write_rows(out, root, rows))
}

/// The header and the rows of one root's file, written to `out`.
fn write_rows(
    out: &mut dyn std::io::Write,
    root: &RootFile,
    rows: &[(&SessionSummary, &Resume)],
) -> std::io::Result<()> {
    let header = Header {
        format: FORMAT.to_owned(),
        version: SESSION_CACHE_VERSION,
        root: root.label.clone(),
        entries: rows.len(),
    };
    serde_json::to_writer(&mut *out, &header).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    for (summary, resume) in rows {
        let listed = SessionFile {
            agent: summary.agent,
            source: summary.source.clone(),
            id_hint: None,
            stamp: None,
        };
        let progress = match resume.progress() {
            Progress::Gemini(_) => &Progress::Gemini(None),
            p => p,
        };
        let row = row::to_row(
            key(&listed),
            summary,
            progress,
            resume.stamp(),
            &base(&summary.source.key()),
        );
        serde_json::to_writer(&mut *out, &row).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Summarises every session in `files` on every core, each from its cached summary when the
/// cache has one (see [`SessionCache::take`]); results in the files' order.
pub fn summarize_all(
    files: &[SessionFile],
    cache: &mut SessionCache,
) -> Vec<Result<Summarizer, SessionError>> {
    let work: Vec<(&SessionFile, Mutex<Option<Summarizer>>)> = files
        .iter()
        .map(|f| (f, Mutex::new(cache.take(f))))
        .collect();
    parallel::map(&work, parallel::threads(), |(file, previous)| {
        let previous = previous.lock().ok().and_then(|mut p| p.take());
        summarize(file, previous)
    })
}

/// Reads a cache file line by line: the header must name this format and version, and exactly
/// the number of entries it announces must follow.
fn parse(
    mut reader: impl BufRead,
    root: &str,
    rows: &mut HashMap<String, Box<row::Row>>,
) -> Result<(), String> {
    let mut line = Vec::new();
    let mut next = |line: &mut Vec<u8>| -> Result<bool, String> {
        line.clear();
        let n = reader
            .read_until(b'\n', line)
            .map_err(|e| format!("cannot be read: {e}"))?;
        Ok(n > 0)
    };
    if !next(&mut line)? {
        return Err("empty".to_owned());
    }
    let header: Header =
        serde_json::from_slice(&line).map_err(|_| "not a beadboard cache".to_owned())?;
    if header.format != FORMAT {
        return Err("not a beadboard session cache".to_owned());
    }
    if header.version != SESSION_CACHE_VERSION {
        return Err(format!(
            "cache version {} (this beadboard writes {SESSION_CACHE_VERSION})",
            header.version
        ));
    }
    if header.root != root {
        return Err("the cache of another root".to_owned());
    }
    // A file found bad half-way adds nothing: the keys it added are taken out again.
    let mut added: Vec<String> = Vec::new();
    let result = read_rows(&mut next, &mut line, header.entries, rows, &mut added);
    if result.is_err() {
        for k in added {
            rows.remove(&k);
        }
    }
    result
}

/// The rows after the header, into `rows` (their keys into `added`).
fn read_rows(
    next: &mut impl FnMut(&mut Vec<u8>) -> Result<bool, String>,
    line: &mut Vec<u8>,
    entries: usize,
    rows: &mut HashMap<String, Box<row::Row>>,
    added: &mut Vec<String>,
) -> Result<(), String> {
    let mut count = 0;
    while next(line)? {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        count += 1;
        if count > entries {
            return Err(format!("more entries than the {} announced", entries));
        }
        let row: row::Row =
            serde_json::from_slice(&line[..]).map_err(|e| format!("entry {count}: {e}"))?;
        added.push(row.0.clone());
        rows.insert(row.0.clone(), Box::new(row));
    }
    if count != entries {
        return Err(format!(
            "{count} entries where the header announces {} (cut off?)",
            entries
        ));
    }
    Ok(())
}
