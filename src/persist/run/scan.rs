//! Discovering every run under an agentpair root (`runs/*/*/manifest.json`), with the file
//! activity a monitor needs: when each file last changed, and whether a run has gone stale.

use super::{BRIDGE_FILE, MANIFEST_FILE, Manifest, Paths, RunError, TRANSCRIPT_FILE, summary};
use chrono::{DateTime, Utc};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// When a run's files last changed (absent files are `None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    /// `manifest.json` modification time.
    pub manifest_modified: Option<SystemTime>,
    /// `transcript.jsonl` modification time.
    pub transcript_modified: Option<SystemTime>,
    /// `transcript.jsonl` size in bytes.
    pub transcript_len: Option<u64>,
    /// `bridge.jsonl` modification time.
    pub bridge_modified: Option<SystemTime>,
}

impl Activity {
    /// Reads the modification times of the three files in `run_dir`.
    #[must_use]
    pub fn read(run_dir: &Path) -> Activity {
        let meta = |name: &str| fs::metadata(run_dir.join(name)).ok();
        let transcript = meta(TRANSCRIPT_FILE);
        Activity {
            manifest_modified: meta(MANIFEST_FILE).and_then(|m| m.modified().ok()),
            transcript_modified: transcript.as_ref().and_then(|m| m.modified().ok()),
            transcript_len: transcript.map(|m| m.len()),
            bridge_modified: meta(BRIDGE_FILE).and_then(|m| m.modified().ok()),
        }
    }

    /// The latest change to any of the files.
    #[must_use]
    pub fn last_change(&self) -> Option<SystemTime> {
        [
            self.manifest_modified,
            self.transcript_modified,
            self.bridge_modified,
        ]
        .into_iter()
        .flatten()
        .max()
    }
}

/// What the end of a live run's transcript says (the manifest lags: agentpair saves it only
/// at state changes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peek {
    /// The highest iteration seen near the end of the transcript.
    pub iteration: i64,
    /// The latest error entry or FAIL signal near the end that nothing has resolved since (a
    /// later PASS or DONE signal, or the run's end, resolves it).
    pub trouble: Option<Trouble>,
}

/// An error entry or a FAIL signal in a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    /// Where its line starts in the file (identifies it: a new trouble has a new offset).
    pub offset: u64,
    /// The agent that reported it.
    pub agent: String,
    /// The iteration it happened in.
    pub iteration: i64,
    /// `None` for a FAIL signal; the error text for an error entry.
    pub error: Option<String>,
}

/// How much of a transcript's end is read for a [`Peek`].
const PEEK_BYTES: u64 = 16 * 1024;

/// Runs whose transcript has not changed for this long are not peeked at while scanning (they
/// are idle; the manifest's iteration is as good).
const PEEK_RECENT: std::time::Duration = std::time::Duration::from_secs(3600);

impl Peek {
    /// Reads the last complete lines of the transcript in `run_dir` (at most 16 KiB).
    #[must_use]
    pub fn read(run_dir: &Path) -> Option<Peek> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = fs::File::open(run_dir.join(TRANSCRIPT_FILE)).ok()?;
        let len = file.metadata().ok()?.len();
        let start = len.saturating_sub(PEEK_BYTES);
        file.seek(SeekFrom::Start(start)).ok()?;
        let mut bytes = Vec::new();
        file.take(PEEK_BYTES).read_to_end(&mut bytes).ok()?;
        let skip = if start > 0 {
            memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1)
        } else {
            0
        };
        let mut peek: Option<Peek> = None;
        let mut offset = start + skip as u64;
        for line in bytes[skip..].split_inclusive(|b| *b == b'\n') {
            let at = offset;
            offset += line.len() as u64;
            if line.last() != Some(&b'\n') {
                break;
            }
            let Ok(entry) = super::TranscriptEntry::parse_line(&line[..line.len() - 1]) else {
                continue;
            };
            let p = peek.get_or_insert_with(Peek::default);
            p.iteration = p.iteration.max(entry.iteration);
            p.note(&entry, at);
        }
        peek
    }

    /// Updates the unresolved trouble with one entry at `offset`.
    fn note(&mut self, entry: &super::TranscriptEntry, offset: u64) {
        use super::EntryType;
        let signal = entry.signal.trim().to_ascii_uppercase();
        match entry.entry_type {
            EntryType::Error => {
                self.trouble = Some(Trouble {
                    offset,
                    agent: entry.agent.clone(),
                    iteration: entry.iteration,
                    error: Some(entry.error.clone()),
                });
            }
            EntryType::Signal if signal == "FAIL" => {
                self.trouble = Some(Trouble {
                    offset,
                    agent: entry.agent.clone(),
                    iteration: entry.iteration,
                    error: None,
                });
            }
            EntryType::Signal if signal == "PASS" || signal == "DONE" => self.trouble = None,
            EntryType::End => self.trouble = None,
            _ => {}
        }
    }
}

/// One run found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// The run directory.
    pub dir: PathBuf,
    /// The repo directory's name (normally the 16-hex repo id).
    pub repo_key: String,
    /// The run directory's name (normally the decimal run id).
    pub run_key: String,
    /// The manifest.
    pub manifest: Manifest,
    /// File activity.
    pub activity: Activity,
    /// What the transcript's end says, for runs that are not finished.
    pub peek: Option<Peek>,
}

impl RunRecord {
    /// Loads the run in `dir`, which sits in `runs/<repo_key>/<run_key>`.
    ///
    /// # Errors
    /// An unreadable or invalid manifest.
    pub fn load(dir: &Path) -> Result<RunRecord, RunError> {
        let manifest = Manifest::load(&dir.join(MANIFEST_FILE))?;
        let name = |p: Option<&Path>| {
            p.and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let activity = Activity::read(dir);
        let recent = activity
            .transcript_modified
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < PEEK_RECENT);
        let peek = if !manifest.is_complete() && recent {
            Peek::read(dir)
        } else {
            None
        };
        Ok(RunRecord {
            repo_key: name(dir.parent()),
            run_key: name(Some(dir)),
            activity,
            peek,
            manifest,
            dir: dir.to_path_buf(),
        })
    }

    /// The iteration the run is on: the transcript's if it is ahead of the lagging manifest.
    #[must_use]
    pub fn iteration(&self) -> i64 {
        summary::iteration(self.peek.as_ref(), self.manifest.current_iteration)
    }

    /// `<repo dir>/<run dir>`, the unambiguous way to name a run across repos.
    #[must_use]
    pub fn reference(&self) -> String {
        format!("{}/{}", self.repo_key, self.run_key)
    }

    /// The latest sign of life: a file change or the manifest's `updated_at`.
    #[must_use]
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        summary::last_activity(Some(&self.activity), &self.manifest.updated_at)
    }

    /// A run is stale when it is not finished and nothing about it changed for `threshold`.
    #[must_use]
    pub fn is_stale(&self, now: DateTime<Utc>, threshold: Duration) -> bool {
        summary::is_stale(
            self.manifest.is_complete(),
            self.last_activity(),
            now,
            threshold,
        )
    }

    /// When the run finished, or `None` while it is active.
    #[must_use]
    pub fn finished_at(&self) -> Option<DateTime<Utc>> {
        summary::finished_at(
            self.manifest.is_complete(),
            self.manifest.completed_at.as_ref(),
            || self.last_activity(),
        )
    }
}

/// What a scan found: readable runs, and one error per unreadable manifest.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// Runs, active first (latest activity first), then finished ones (latest first).
    pub runs: Vec<RunRecord>,
    /// Manifests that could not be read, each naming its file.
    pub problems: Vec<RunError>,
}

/// Walks `<base>/runs/*/*/manifest.json`. A missing root is no runs, not an error; a run
/// directory without a manifest (being created) is skipped; symbolic links are not followed.
#[must_use]
pub fn scan_runs(paths: &Paths) -> ScanReport {
    let mut report = ScanReport::default();
    let mut run_dirs = Vec::new();
    for repo_dir in subdirectories(&paths.runs_dir(), &mut report.problems) {
        run_dirs.extend(subdirectories(&repo_dir, &mut report.problems));
    }
    let loaded =
        crate::persist::parallel::map(&run_dirs, crate::persist::parallel::threads(), |dir| {
            dir.join(MANIFEST_FILE)
                .exists()
                .then(|| RunRecord::load(dir))
        });
    for result in loaded.into_iter().flatten() {
        match result {
            Ok(record) => report.runs.push(record),
            Err(e) => report.problems.push(e),
        }
    }
    sort_for_display(&mut report.runs);
    report
}

/// The subdirectories of `dir`, sorted (symbolic links are not followed); a missing `dir` has
/// none, and an unreadable one is a problem.
pub(super) fn subdirectories(dir: &Path, problems: &mut Vec<RunError>) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut dirs: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect();
            dirs.sort();
            dirs
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            problems.push(RunError::Io {
                path: dir.to_path_buf(),
                source: e,
            });
            Vec::new()
        }
    }
}

/// Active runs first (most recent activity first), then finished runs (most recently
/// finished first); ties broken by reference so the order is stable.
pub fn sort_for_display(runs: &mut [RunRecord]) {
    runs.sort_by_cached_key(|r| {
        let when = r.finished_at().or_else(|| r.last_activity());
        summary::display_key(r.manifest.is_complete(), when, r.reference())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::{Manager, RunConfig, State};

    #[test]
    fn finds_runs_reports_bad_manifests_and_sorts() {
        let home = tempfile::tempdir().unwrap();
        let paths = Paths::new(home.path());
        assert!(scan_runs(&paths).runs.is_empty());
        let m = Manager::new(paths.clone(), "/repo");
        let mut done = m.create("done", &RunConfig::default()).unwrap();
        done.manifest.set_state(State::Completed);
        done.save().unwrap();
        let active = m.create("active", &RunConfig::default()).unwrap();
        let broken = m.create("broken", &RunConfig::default()).unwrap();
        fs::write(broken.dir().join(MANIFEST_FILE), "{\"id\":").unwrap();
        fs::create_dir(paths.repo_dir("/repo").join("9")).unwrap();
        let report = scan_runs(&paths);
        assert_eq!(
            report
                .runs
                .iter()
                .map(|r| r.manifest.prompt.as_str())
                .collect::<Vec<_>>(),
            vec!["active", "done"]
        );
        assert_eq!(report.problems.len(), 1);
        assert!(
            report.problems[0]
                .to_string()
                .contains("3/manifest.json: invalid JSON")
        );
        let record = &report.runs[0];
        assert_eq!(record.reference(), format!("{}/2", active.manifest.repo_id));
        // "Now" is when the files were written, so the test holds on any date.
        let now = record.last_activity().unwrap();
        assert!(!record.is_stale(now, Duration::from_secs(600)));
        assert!(record.is_stale(now + chrono::Duration::hours(1), Duration::from_secs(600)));
        assert!(
            !report.runs[1].is_stale(now + chrono::Duration::hours(1), Duration::from_secs(600))
        );
    }
}
