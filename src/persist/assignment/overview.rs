//! Every session at a glance, for a session picker: its name, when its store last changed and
//! its counts per status, most recently changed first. The stores are read on every core.

use super::publish::{BACKUP_SUFFIX, with_suffix};
use super::{
    AssignmentStats, AssignmentStore, PersistenceError, STORE_FILE, SessionInfo, read_sessions,
    storage_dir_in,
};
use crate::persist::parallel;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One session, summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOverview {
    /// The session name (the directory name).
    pub name: String,
    /// Its `assignments.json` path.
    pub store_path: PathBuf,
    /// When the store (or, without one, its backup) last changed.
    pub changed: Option<SystemTime>,
    /// Counts per status; `None` when the store could not be read.
    pub stats: Option<AssignmentStats>,
    /// Why the store could not be read (naming the file and the cause).
    pub problem: Option<String>,
}

/// Every session under `<ntm dir>/sessions` with a store, most recently changed first (then by
/// name), each store read to count its records.
///
/// # Errors
/// A sessions directory that exists and cannot be listed (see [`read_sessions`]); an
/// unreadable store is not an error but that session's [`SessionOverview::problem`].
pub fn session_overview(
    ntm_dir: &Path,
    threads: usize,
) -> Result<Vec<SessionOverview>, PersistenceError> {
    let sessions = read_sessions(ntm_dir)?;
    let mut all = parallel::map(&sessions, threads, |s| overview_of(ntm_dir, s));
    sort_overviews(&mut all);
    Ok(all)
}

/// One session, summed up (after its store changed); `None` when it has no store any more.
#[must_use]
pub fn one_session_overview(ntm_dir: &Path, session: &str) -> Option<SessionOverview> {
    let store_path = storage_dir_in(ntm_dir).join(session).join(STORE_FILE);
    let present = store_path.exists() || with_suffix(&store_path, BACKUP_SUFFIX).exists();
    present.then(|| {
        let info = SessionInfo {
            name: session.to_owned(),
            store_path,
        };
        overview_of(ntm_dir, &info)
    })
}

/// Most recently changed first, then by name (the order [`session_overview`] returns).
pub fn sort_overviews(all: &mut [SessionOverview]) {
    all.sort_by(|a, b| b.changed.cmp(&a.changed).then_with(|| a.name.cmp(&b.name)));
}

fn overview_of(ntm_dir: &Path, s: &SessionInfo) -> SessionOverview {
    let changed = std::fs::metadata(&s.store_path)
        .or_else(|_| std::fs::metadata(with_suffix(&s.store_path, BACKUP_SUFFIX)))
        .and_then(|m| m.modified())
        .ok();
    let (stats, problem) = match AssignmentStore::load_store(ntm_dir, &s.name) {
        Ok(store) => (Some(store.stats()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    SessionOverview {
        name: s.name.clone(),
        store_path: s.store_path.clone(),
        changed,
        stats,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn most_recently_changed_first_with_counts_and_problems() {
        let root = tempfile::tempdir().unwrap();
        let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        for (i, name) in ["old", "new", "mid"].iter().enumerate() {
            let mut store = AssignmentStore::new(root.path(), name).unwrap();
            for b in 0..=i {
                store
                    .assign(&format!("b{b}"), "t", 1, "claude", "", "")
                    .unwrap();
            }
        }
        let broken = root.path().join("sessions/broken");
        std::fs::create_dir_all(&broken).unwrap();
        std::fs::write(broken.join(STORE_FILE), "{").unwrap();
        let times = [("old", 0), ("mid", 10), ("new", 20), ("broken", 5)];
        for (name, secs) in times {
            let path = root.path().join("sessions").join(name).join(STORE_FILE);
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(base + Duration::from_secs(secs))
                .unwrap();
        }
        let all = session_overview(root.path(), 4).unwrap();
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["new", "mid", "broken", "old"]);
        assert_eq!(
            one_session_overview(root.path(), "mid").as_ref(),
            Some(&all[1])
        );
        assert_eq!(one_session_overview(root.path(), "nowhere"), None);
        let total = |i: usize| all[i].stats.map(|s| s.total);
        assert_eq!([total(0), total(1), total(3)], [Some(2), Some(3), Some(1)]);
        assert!(all[2].stats.is_none());
        assert!(
            all[2]
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("broken")),
            "{:?}",
            all[2].problem
        );
    }
}
