//! Discovering every run under an agentpair root (`runs/*/*/manifest.json`), with the file
//! activity a monitor needs: when each file last changed, and whether a run has gone stale.

mod peek;

pub use peek::{Peek, Trouble};

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
    /// The time of the transcript's last entry, read for finished runs (a file's time says
    /// when it was last copied or touched, not when the run last did something).
    pub last_entry: Option<DateTime<Utc>>,
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
            last_entry: None,
        }
    }

    /// As [`Activity::read`], with the time of the transcript's last entry (for a finished
    /// run, whose activity is that time).
    #[must_use]
    pub fn read_finished(run_dir: &Path) -> Activity {
        Activity {
            last_entry: last_entry_time(run_dir),
            ..Activity::read(run_dir)
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

/// How much of a transcript's end is read for its last entry's time: an entry longer than
/// this (a huge agent output) leaves the time unknown, and the manifest's says it.
const LAST_ENTRY_BYTES: u64 = 64 * 1024;

/// The time of the last readable entry among the last complete lines of the transcript in
/// `run_dir` (`None`: no transcript, or no whole entry in its last [`LAST_ENTRY_BYTES`]).
#[must_use]
pub fn last_entry_time(run_dir: &Path) -> Option<DateTime<Utc>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = fs::File::open(run_dir.join(TRANSCRIPT_FILE)).ok()?;
    let len = file.metadata().ok()?.len();
    let start = len.saturating_sub(LAST_ENTRY_BYTES);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = Vec::new();
    file.take(LAST_ENTRY_BYTES).read_to_end(&mut bytes).ok()?;
    // A line that starts before the window is not whole: skip to the first line start.
    let skip = if start > 0 {
        memchr::memchr(b'\n', &bytes)? + 1
    } else {
        0
    };
    bytes[skip..]
        .split(|b| *b == b'\n')
        .rev()
        .filter(|line| !line.is_empty())
        .take(4)
        .find_map(|line| super::TranscriptEntry::parse_line(line).ok())
        .map(|e| e.timestamp.with_timezone(&Utc))
        .filter(|t| t.timestamp() > 0)
}

/// Runs whose transcript has not changed for this long are not peeked at while scanning (they
/// are idle; the manifest's iteration is as good).
const PEEK_RECENT: std::time::Duration = std::time::Duration::from_secs(3600);

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
        let activity = if manifest.is_complete() {
            Activity::read_finished(dir)
        } else {
            Activity::read(dir)
        };
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

    /// The latest sign of life: a file change or the manifest's `updated_at`; for a finished
    /// run, its last entry's time.
    #[must_use]
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        summary::last_activity(
            Some(&self.activity),
            &self.manifest.updated_at,
            self.manifest
                .is_complete()
                .then_some(self.manifest.completed_at.as_ref()),
        )
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
    /// Runs in the default order (see [`sort_for_display`]).
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

/// The default order (see [`summary::RunOrder::State`]): unfinished runs first, then finished
/// ones, each newest start first, ties by id as a number.
pub fn sort_for_display(runs: &mut [RunRecord]) {
    runs.sort_by_cached_key(|r| {
        let started = Some(r.manifest.created_at.with_timezone(&Utc)).filter(|t| t.timestamp() > 0);
        summary::display_key(r.manifest.is_complete(), started, &r.run_key, &r.repo_key)
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
