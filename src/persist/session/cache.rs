//! The session summary cache: what each agent session's summary was, and where its reading
//! stopped, keyed by a hash of the session's path and checked against the file's identity
//! ([`FileStamp`]), so a start with 6,000 sessions reads one file instead of 4 GB, and a grown
//! session is read only from where it stopped.
//!
//! One file, `<cache dir>/sessions.jsonl`: a header line naming the format, its version and the
//! entry count, then one JSON array per session (see `row`). No transcript path and no
//! transcript text is written beyond what the Runs pane shows (the first prompt's head, the
//! title, the cwd). Written atomically, mode 0600, in a 0700 directory. It is only ever a
//! shortcut: a corrupt, cut or foreign file is ignored (with [`SessionCache::problem`] saying
//! why) and rewritten on the next save.

mod row;

use super::listing::SessionFile;
use super::summary::{Progress, Summarizer};
use super::{SessionError, read::summarize};
use crate::persist::atomic;
use crate::persist::parallel;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::BufRead;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The cache format; a file with another version is ignored and rewritten.
pub const SESSION_CACHE_VERSION: u32 = 1;

/// What the header line says the file is.
const FORMAT: &str = "beadboard session summaries";

/// The cache file's name in the cache directory.
pub const SESSION_CACHE_FILE: &str = "sessions.jsonl";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Header {
    format: String,
    version: u32,
    entries: usize,
}

/// The summaries cached, as loaded.
#[derive(Default)]
pub struct SessionCache {
    file: PathBuf,
    rows: HashMap<String, row::Row>,
    problem: Option<String>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("file", &self.file)
            .field("entries", &self.rows.len())
            .field("problem", &self.problem)
            .finish()
    }
}

/// The key of a session: the first 16 bytes of the SHA-256 of its path, in hex.
fn key(file: &SessionFile) -> String {
    let path = file.source.key();
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The directory sub-agent paths are kept relative to.
fn base(file_key: &Path) -> PathBuf {
    file_key.parent().map(Path::to_path_buf).unwrap_or_default()
}

impl SessionCache {
    /// Loads `<cache_dir>/sessions.jsonl`. Never fails: a missing file is an empty cache, and an
    /// unreadable, corrupt or foreign one is an empty cache with [`SessionCache::problem`]
    /// saying why.
    #[must_use]
    pub fn load(cache_dir: &Path) -> SessionCache {
        let file = cache_dir.join(SESSION_CACHE_FILE);
        let mut cache = SessionCache {
            file,
            ..SessionCache::default()
        };
        match std::fs::File::open(&cache.file) {
            Ok(f) => match parse(std::io::BufReader::new(f)) {
                Ok(rows) => cache.rows = rows,
                Err(why) => {
                    cache.problem = Some(format!("{}: {why}; ignored", cache.file.display()))
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => cache.problem = Some(format!("{}: {e}; ignored", cache.file.display())),
        }
        cache
    }

    /// The cache file.
    #[must_use]
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Why the file on disk was not used, if it was not.
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

    /// Takes the cached summariser of `file`, to give [`summarize`] as the previous one (it
    /// is used as it is while the file's identity is unchanged, and continued when the file
    /// only grew). `None` when the session is not cached (or was cached for another agent).
    pub fn take(&mut self, file: &SessionFile) -> Option<Summarizer> {
        let row = self.rows.remove(&key(file))?;
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

    /// Replaces the cache file with `summaries` (atomically: temp file, fsync, rename).
    ///
    /// # Errors
    /// The cache directory or file cannot be written (the cache is then just not used).
    pub fn save<'a>(
        &self,
        summaries: impl IntoIterator<Item = &'a Summarizer>,
    ) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        // The header counts the rows; the rows are written to the file one by one (the file
        // is never whole in memory).
        let summaries: Vec<&Summarizer> = summaries.into_iter().collect();
        let header = Header {
            format: FORMAT.to_owned(),
            version: SESSION_CACHE_VERSION,
            entries: summaries.len(),
        };
        atomic::write_atomic_with(&self.file, 0o600, |out| {
            serde_json::to_writer(&mut *out, &header).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
            for s in summaries {
                let summary = s.summary();
                let listed = SessionFile {
                    agent: summary.agent,
                    source: summary.source.clone(),
                    id_hint: None,
                    stamp: None,
                };
                let progress = match s.progress() {
                    Progress::Gemini(_) => &Progress::Gemini(None),
                    p => p,
                };
                let row = row::to_row(
                    key(&listed),
                    summary,
                    progress,
                    s.stamp(),
                    &base(&summary.source.key()),
                );
                serde_json::to_writer(&mut *out, &row).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })
    }
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
fn parse(mut reader: impl BufRead) -> Result<HashMap<String, row::Row>, String> {
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
    let mut rows = HashMap::with_capacity(header.entries.min(1 << 20));
    let mut count = 0;
    while next(&mut line)? {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        count += 1;
        if count > header.entries {
            return Err(format!(
                "more entries than the {} announced",
                header.entries
            ));
        }
        let row: row::Row =
            serde_json::from_slice(&line).map_err(|e| format!("entry {count}: {e}"))?;
        rows.insert(row.0.clone(), row);
    }
    if count != header.entries {
        return Err(format!(
            "{count} entries where the header announces {} (cut off?)",
            header.entries
        ));
    }
    Ok(rows)
}
