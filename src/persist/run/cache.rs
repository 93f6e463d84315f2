//! The run summary cache: what each run's manifest said, keyed by the run's path and the
//! manifest file's identity (inode, size, modification and change times), so a start with a
//! year of history reads a single file instead of twenty thousand manifests.
//!
//! One file per agentpair root, `<cache dir>/runs-<16 hex of the root path>.jsonl`: a header
//! line naming the format, its version and the root, then one entry per run. It is only ever a
//! shortcut: an entry is used only while the manifest's identity is unchanged and the manifest
//! had been quiet for a moment when it was read (so a change within the file system's
//! timestamp granularity is never missed); a corrupt, truncated or foreign file is ignored and
//! rewritten; deleting it costs one slower start. Written atomically, mode 0600, in a 0700
//! directory.

mod row;

use super::summary::ManifestSummary;
use crate::persist::atomic;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The cache format; a file with another version is ignored and rewritten.
pub const CACHE_VERSION: u32 = 2;

/// What the header line says the file is.
const FORMAT: &str = "beadboard run summaries";

/// How long a manifest must have been unchanged, when read, for its summary to be kept: file
/// times are coarser than the time a rewrite takes.
pub const SETTLE: Duration = Duration::from_secs(2);

/// A file's identity: a rewrite in place changes its times, a replacement its inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Inode number.
    pub ino: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Status change time, nanoseconds since the Unix epoch.
    pub ctime_ns: i64,
}

impl FileStamp {
    /// The stamp of a file's metadata.
    #[must_use]
    pub fn of(meta: &Metadata) -> FileStamp {
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        FileStamp {
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// The stamp of a `statx` result (inode, size, modification and change times; Linux).
    #[cfg(all(target_os = "linux", not(feature = "portable")))]
    #[must_use]
    pub fn of_statx(st: &rustix::fs::Statx) -> FileStamp {
        let ns = |t: &rustix::fs::StatxTimestamp| {
            t.tv_sec
                .saturating_mul(1_000_000_000)
                .saturating_add(i64::from(t.tv_nsec))
        };
        FileStamp {
            ino: st.stx_ino,
            size: st.stx_size,
            mtime_ns: ns(&st.stx_mtime),
            ctime_ns: ns(&st.stx_ctime),
        }
    }

    /// True when the file had not changed for [`SETTLE`] at `now`.
    #[must_use]
    pub fn settled(&self, now: SystemTime) -> bool {
        let now_ns = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        let settle = i64::try_from(SETTLE.as_nanos()).unwrap_or(i64::MAX);
        self.mtime_ns.max(self.ctime_ns).saturating_add(settle) <= now_ns
    }
}

/// One run's entry (written as a JSON array, see `row`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "row::EntryRow", into = "row::EntryRow")]
pub struct CachedRun {
    /// `<repo dir>/<run dir>`.
    pub key: String,
    /// The manifest's identity when it was read.
    pub stamp: FileStamp,
    /// What it said.
    pub manifest: ManifestSummary,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Header {
    format: String,
    version: u32,
    root: String,
    entries: usize,
}

/// The cache of one agentpair root, as loaded.
#[derive(Debug)]
pub struct SummaryCache {
    file: PathBuf,
    root: String,
    /// Keys (sorted), the stamps they were cached with, and where their summaries are.
    keys: Vec<(String, FileStamp, usize)>,
    /// The summaries, in the file's order; taken ones are `None`.
    summaries: Vec<Option<ManifestSummary>>,
    problem: Option<String>,
}

/// The cache directory: `$BEADBOARD_CACHE_DIR`, else `$XDG_CACHE_HOME/beadboard`, else
/// `~/.cache/beadboard` (`None` without a home).
#[must_use]
pub fn default_cache_dir(
    explicit: Option<&Path>,
    xdg_cache_home: Option<&Path>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    let nonempty = |p: &&Path| !p.as_os_str().is_empty();
    explicit
        .filter(nonempty)
        .map(Path::to_path_buf)
        .or_else(|| {
            xdg_cache_home
                .filter(nonempty)
                .filter(|p| p.is_absolute())
                .map(|p| p.join("beadboard"))
        })
        .or_else(|| home.filter(nonempty).map(|h| h.join(".cache/beadboard")))
}

impl SummaryCache {
    /// Loads the cache of the root whose `runs` directory is `runs_dir` from `cache_dir`. Never
    /// fails: a missing file is an empty cache, and an unreadable, corrupt or foreign one is an
    /// empty cache with [`SummaryCache::problem`] saying why (it is rewritten on save).
    #[must_use]
    pub fn load(cache_dir: &Path, runs_dir: &Path) -> SummaryCache {
        let root = std::path::absolute(runs_dir)
            .unwrap_or_else(|_| runs_dir.to_path_buf())
            .to_string_lossy()
            .into_owned();
        let digest = Sha256::digest(root.as_bytes());
        let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let file = cache_dir.join(format!("runs-{name}.jsonl"));
        let mut cache = SummaryCache {
            file,
            root,
            keys: Vec::new(),
            summaries: Vec::new(),
            problem: None,
        };
        match std::fs::File::open(&cache.file) {
            Ok(file) => match parse(std::io::BufReader::new(file), &cache.root) {
                Ok((keys, summaries)) => (cache.keys, cache.summaries) = (keys, summaries),
                Err(why) => {
                    cache.problem = Some(format!("{}: {why}; ignored", cache.file.display()));
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

    /// How many entries were loaded.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when nothing was loaded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Where the summary of run `<repo>/<run>` is, if it is cached and its manifest's identity
    /// is still `stamp` (see [`SummaryCache::take`]).
    #[must_use]
    pub fn lookup(&self, repo: &str, run: &str, stamp: &FileStamp) -> Option<usize> {
        // Compares `k` with `<repo>/<run>` without building the latter.
        let compare = |k: &str| {
            let k = k.as_bytes();
            let head = k.len().min(repo.len());
            k[..head]
                .cmp(repo.as_bytes())
                .then_with(|| k.get(head..head + 1).cmp(&Some(b"/".as_slice())))
                .then_with(|| k.get(head + 1..).unwrap_or_default().cmp(run.as_bytes()))
        };
        let i = self.keys.binary_search_by(|(k, _, _)| compare(k)).ok()?;
        let (_, cached, at) = &self.keys[i];
        (cached == stamp).then_some(*at)
    }

    /// Takes the summary [`SummaryCache::lookup`] found.
    pub fn take(&mut self, index: usize) -> Option<ManifestSummary> {
        self.summaries.get_mut(index)?.take()
    }

    /// Replaces the file with `entries`, atomically (temp file, fsync, rename).
    ///
    /// # Errors
    /// The cache directory or file cannot be written (the cache is then just not used).
    pub fn save(&self, entries: &[CachedRun]) -> std::io::Result<()> {
        atomic::make_private_parent(&self.file)?;
        let header = Header {
            format: FORMAT.to_owned(),
            version: CACHE_VERSION,
            root: self.root.clone(),
            entries: entries.len(),
        };
        // Streamed to the file: a year's 8 MB is never whole in memory.
        atomic::write_atomic_with(&self.file, 0o600, |out| {
            serde_json::to_writer(&mut *out, &header).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
            for e in entries {
                serde_json::to_writer(&mut *out, e).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })
    }
}

/// The keys of a parsed cache (sorted, with their stamps and where their summaries are) and
/// the summaries in the file's order.
type Parsed = (
    Vec<(String, FileStamp, usize)>,
    Vec<Option<ManifestSummary>>,
);

/// Reads a cache file line by line (never the whole file at once): the header must name this
/// format, version and root, and exactly the number of entries it announces must follow.
fn parse(mut reader: impl std::io::BufRead, root: &str) -> Result<Parsed, String> {
    let mut line = Vec::new();
    let mut next_line = |line: &mut Vec<u8>| -> Result<bool, String> {
        line.clear();
        let n = reader
            .read_until(b'\n', line)
            .map_err(|e| format!("cannot be read: {e}"))?;
        Ok(n > 0)
    };
    if !next_line(&mut line)? {
        return Err("empty".to_owned());
    }
    let header: Header =
        serde_json::from_slice(&line).map_err(|_| "not a beadboard cache".to_owned())?;
    if header.format != FORMAT {
        return Err("not a beadboard cache".to_owned());
    }
    if header.version != CACHE_VERSION {
        return Err(format!(
            "cache version {} (this beadboard writes {CACHE_VERSION})",
            header.version
        ));
    }
    if header.root != root {
        return Err(format!("the cache of another root ({})", header.root));
    }
    // The header's count is only trusted as far as the file's lines go.
    let room = header.entries.min(1 << 20);
    let (mut keys, mut summaries) = (Vec::with_capacity(room), Vec::with_capacity(room));
    while next_line(&mut line)? {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let n = summaries.len();
        if n == header.entries {
            return Err(format!(
                "more entries than the {} the header announces",
                header.entries
            ));
        }
        let entry: CachedRun =
            serde_json::from_slice(&line).map_err(|e| format!("entry {}: {e}", n + 1))?;
        keys.push((entry.key, entry.stamp, n));
        summaries.push(Some(entry.manifest));
    }
    if summaries.len() != header.entries {
        return Err(format!(
            "{} entries where the header announces {} (cut off?)",
            summaries.len(),
            header.entries
        ));
    }
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok((keys, summaries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_dir_prefers_explicit_then_xdg_then_home() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            default_cache_dir(Some(&p("/c")), Some(&p("/x")), Some(&p("/h"))),
            Some(p("/c"))
        );
        assert_eq!(
            default_cache_dir(None, Some(&p("/x")), Some(&p("/h"))),
            Some(p("/x/beadboard"))
        );
        assert_eq!(
            default_cache_dir(Some(&p("")), Some(&p("rel")), Some(&p("/h"))),
            Some(p("/h/.cache/beadboard")),
            "an empty or relative setting is ignored, as the XDG spec says"
        );
        assert_eq!(default_cache_dir(None, None, None), None);
    }
}
