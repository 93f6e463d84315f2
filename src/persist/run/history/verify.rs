//! Checking runs already known against the disk without reading a manifest: the root is
//! listed and every manifest stat'ed (as the loader starts), and a run whose manifest has
//! another identity than the one its summary was taken from, a run that appeared and a run
//! that vanished are named. Cheap enough to run after watching starts (so nothing changed
//! before the watch is missed) and now and then to notice runs no watch covers.

use super::super::cache::FileStamp;
use super::super::{Paths, RunError};
use super::listing::visit_runs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// What a check found.
#[derive(Debug, Default)]
pub struct RunChanges {
    /// Run directories that appeared, vanished or whose manifest changed, in listing order
    /// (vanished ones last).
    pub changed: Vec<PathBuf>,
    /// Run directories listed.
    pub listed: usize,
    /// Run directories with no manifest yet (being made): worth watching for one.
    pub unborn: Vec<PathBuf>,
    /// Directories that could not be listed and manifests that could not be stat'ed.
    pub problems: Vec<RunError>,
}

/// Compares `known` (each run directory with the stamp its summary was taken from, `None`
/// when not known) with what is under `paths` now, on `threads` threads. Only the runs that
/// differ are kept while listing, so a check of twenty thousand runs holds little.
#[must_use]
pub fn changed_runs(
    paths: &Paths,
    known: &[(&Path, Option<FileStamp>)],
    threads: usize,
) -> RunChanges {
    let mut sorted: Vec<(&Path, Option<FileStamp>)> = known.to_vec();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let seen: Vec<AtomicBool> = sorted.iter().map(|_| AtomicBool::new(false)).collect();
    let listed = AtomicUsize::new(0);
    let mut problems = Vec::new();
    let (mut changed, unborn) = visit_runs(&paths.runs_dir(), threads, &mut problems, |found| {
        listed.fetch_add(1, Ordering::Relaxed);
        match sorted.binary_search_by(|(dir, _)| (*dir).cmp(found.dir.as_path())) {
            Ok(i) => {
                seen[i].store(true, Ordering::Relaxed);
                (sorted[i].1 != Some(found.stamp)).then_some(found.dir)
            }
            Err(_) => Some(found.dir),
        }
    });
    changed.extend(
        sorted
            .iter()
            .zip(&seen)
            .filter(|(_, seen)| !seen.load(Ordering::Relaxed))
            .map(|((dir, _), _)| dir.to_path_buf()),
    );
    RunChanges {
        changed,
        listed: listed.into_inner(),
        unborn,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::run::{MANIFEST_FILE, Manifest};

    fn write(dir: &std::path::Path, prompt: &str) {
        std::fs::create_dir_all(dir).unwrap();
        let m = Manifest::new(1, "/r", "id", prompt);
        std::fs::write(dir.join(MANIFEST_FILE), m.to_bytes()).unwrap();
    }

    fn stamp(dir: &std::path::Path) -> Option<FileStamp> {
        std::fs::metadata(dir.join(MANIFEST_FILE))
            .ok()
            .map(|m| FileStamp::of(&m))
    }

    #[test]
    fn names_runs_that_appeared_changed_or_vanished_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = Paths::new(tmp.path());
        let runs = paths.runs_dir();
        let (same, edited, gone, new) = (
            runs.join("aa/1"),
            runs.join("aa/2"),
            runs.join("bb/3"),
            runs.join("bb/4"),
        );
        for d in [&same, &edited, &gone] {
            write(d, "p");
        }
        let known: Vec<_> = [&same, &edited, &gone]
            .into_iter()
            .map(|d| (d.as_path(), stamp(d)))
            .collect();
        assert!(changed_runs(&paths, &known, 2).changed.is_empty());
        // A longer manifest: another size, whatever the clock's granularity.
        write(&edited, "a longer prompt than before");
        std::fs::remove_dir_all(&gone).unwrap();
        write(&new, "p");
        let found = changed_runs(&paths, &known, 2);
        let mut got = found.changed.clone();
        got.sort();
        let mut want = vec![edited, new, gone.clone()];
        want.sort();
        assert_eq!(got, want);
        assert_eq!(found.changed.last(), Some(&gone), "vanished runs come last");
        assert_eq!(found.listed, 3);
        // A run known without a stamp is always checked again.
        let unknown = vec![(same.as_path(), None)];
        assert!(changed_runs(&paths, &unknown, 1).changed.contains(&same));
    }
}
