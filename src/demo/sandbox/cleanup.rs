//! Removing the sandboxes that killed demos left behind. A demo removes its sandbox when it
//! exits; one killed (SIGKILL, a crash, a closed machine) cannot, so the next demo does: a
//! `beadboard-demo-*` directory of this user whose lock no running demo holds and that was not
//! kept is removed.

use super::{KEPT_FILE, LOCK_FILE, PREFIX};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A directory without a lock file younger than this may be a demo being created: left alone.
const BEING_CREATED: Duration = Duration::from_secs(60);

/// This process's user, from `/proc/self` (`None` where there is no `/proc`: nothing is
/// removed then).
fn own_uid() -> Option<u32> {
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

/// Why a directory in the temp dir is not removed, or `None` when it is abandoned.
fn keep_reason(dir: &Path, uid: u32) -> Option<&'static str> {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return Some("unreadable");
    };
    if !meta.is_dir() {
        return Some("not a directory");
    }
    if meta.uid() != uid {
        return Some("another user's");
    }
    if dir.join(KEPT_FILE).exists() {
        return Some("kept");
    }
    match std::fs::File::open(dir.join(LOCK_FILE)) {
        // Locking succeeds only when no running demo holds it (released again on drop).
        Ok(lock) => lock.try_lock().is_err().then_some("in use"),
        Err(_) => {
            let young = meta
                .modified()
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_none_or(|age| age < BEING_CREATED);
            young.then_some("being created")
        }
    }
}

/// Removes the abandoned demo sandboxes in `parent`; returns the ones removed. Errors are
/// skipped: a sandbox that cannot be removed now is tried again next time.
pub fn remove_abandoned(parent: &Path) -> Vec<PathBuf> {
    let Some(uid) = own_uid() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        if keep_reason(&dir, uid).is_none() && std::fs::remove_dir_all(&dir).is_ok() {
            removed.push(dir);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{Corpus, Sandbox};

    #[test]
    fn removes_what_killed_demos_left_and_nothing_else() {
        let parent = tempfile::tempdir().unwrap();
        let corpus = Corpus::load().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-30T09:00:00Z")
            .unwrap()
            .to_utc();
        let running = Sandbox::create_in(parent.path(), 1, &corpus, now).unwrap();
        let name = running
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with(&format!("beadboard-demo-{}-", std::process::id())),
            "{name}"
        );
        // A killed demo's sandbox: the lock file is there, nobody holds it.
        let killed = parent.path().join("beadboard-demo-999999-abc");
        std::fs::create_dir_all(killed.join("agentpair/runs")).unwrap();
        std::fs::write(killed.join(LOCK_FILE), "").unwrap();
        // One kept with --keep, one being created, and something else altogether.
        let (kept, marked) = Sandbox::create_in(parent.path(), 2, &corpus, now)
            .unwrap()
            .keep();
        marked.unwrap();
        let creating = parent.path().join("beadboard-demo-999998-new");
        std::fs::create_dir(&creating).unwrap();
        let other = parent.path().join("someone-else");
        std::fs::create_dir(&other).unwrap();
        assert_eq!(remove_abandoned(parent.path()), vec![killed.clone()]);
        assert!(!killed.exists());
        for stays in [
            running.path(),
            kept.as_path(),
            creating.as_path(),
            other.as_path(),
        ] {
            assert!(stays.is_dir(), "{} was removed", stays.display());
        }
        assert_eq!(
            keep_reason(running.path(), own_uid().unwrap()),
            Some("in use")
        );
        // Once the running demo ends, its sandbox goes with it.
        let path = running.path().to_path_buf();
        drop(running);
        assert!(!path.exists());
    }

    /// Quitting removes the sandbox within its budget; one whose removal outlasts the budget
    /// is left unlocked and unmarked (the next demo's sweep takes what is left), and the
    /// removal goes on meanwhile.
    #[test]
    fn disposing_removes_the_sandbox_or_leaves_it_to_the_sweep() {
        let parent = tempfile::tempdir().unwrap();
        let corpus = Corpus::load().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-30T09:00:00Z")
            .unwrap()
            .to_utc();
        let sandbox = Sandbox::create_in(parent.path(), 1, &corpus, now).unwrap();
        let path = sandbox.path().to_path_buf();
        assert!(sandbox.dispose(Duration::from_secs(120)));
        assert!(!path.exists());

        let sandbox = Sandbox::create_in(parent.path(), 2, &corpus, now).unwrap();
        let path = sandbox.path().to_path_buf();
        let uid = own_uid().unwrap();
        if !sandbox.dispose(Duration::ZERO) && path.join(LOCK_FILE).exists() {
            // Not held by anyone and not kept: abandoned, whatever the removal has reached.
            assert_ne!(keep_reason(&path, uid), Some("in use"));
            assert_ne!(keep_reason(&path, uid), Some("kept"));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while path.exists() {
            assert!(std::time::Instant::now() < deadline, "never removed");
            std::thread::yield_now();
        }
    }
}
