//! The board worker's reads: the sessions (with when each store last changed, and at a glance
//! for the session picker), one store,
//! every store for attention (and the all-sessions board), and a bead's history.

use crate::app::outcome::{Outcome, SeenStore, SessionSeen, StoreRead};
use crate::persist::assignment::{
    AssignmentStore, BACKUP_SUFFIX, HISTORY_FILE, HistoryCursor, HistoryRecord,
    one_session_overview, read_history, read_history_since, read_sessions, session_overview,
    storage_dir_in,
};
use std::path::Path;

/// The sessions, each with its store's modification time.
pub fn sessions(ntm: &Path, open_newest: bool) -> Outcome {
    let result = read_sessions(ntm)
        .map(|found| {
            found
                .into_iter()
                .map(|s| {
                    let mut backup = s.store_path.clone().into_os_string();
                    backup.push(BACKUP_SUFFIX);
                    let modified = std::fs::metadata(&s.store_path)
                        .or_else(|_| std::fs::metadata(&backup))
                        .and_then(|m| m.modified())
                        .ok();
                    (s, modified)
                })
                .collect()
        })
        .map_err(|e| e.to_string());
    Outcome::SessionsListed {
        result,
        open_newest,
    }
}

/// One session's store.
pub fn store(ntm: &Path, session: String) -> Outcome {
    let read = read_store(ntm, &session);
    Outcome::StoreLoaded { session, read }
}

/// One session's store as read (a vanished session directory is `Gone`).
fn read_store(ntm: &Path, session: &str) -> StoreRead {
    match AssignmentStore::load_store(ntm, session) {
        Ok(store) => StoreRead::Loaded(Box::new(store)),
        Err(_) if !storage_dir_in(ntm).join(session).exists() => StoreRead::Gone,
        Err(e) => StoreRead::Failed(e.to_string()),
    }
}

/// Every session's store (`whole`: kept whole for the all-sessions board; otherwise only its
/// records) and history log.
pub fn observe(ntm: &Path, announce: bool, whole: bool) -> Outcome {
    let sessions = crate::persist::assignment::list_sessions(ntm)
        .into_iter()
        .map(|s| {
            let read = match read_store(ntm, &s.name) {
                read if whole => SeenStore::Whole(read),
                StoreRead::Loaded(store) => SeenStore::Records(Some(store.get_all())),
                StoreRead::Gone => SeenStore::Records(Some(Vec::new())),
                StoreRead::Failed(_) => SeenStore::Records(None),
            };
            let log = storage_dir_in(ntm).join(&s.name).join(HISTORY_FILE);
            let history = read_history_since(&log, HistoryCursor::default()).ok();
            SessionSeen {
                session: s.name,
                read,
                history,
            }
        })
        .collect();
    Outcome::SessionsObserved { sessions, announce }
}

/// Every session at a glance, for the session picker (the stores are read on every core), or
/// only the one whose store changed.
pub fn overview(ntm: &Path, only: Option<String>) -> Outcome {
    if let Some(session) = only {
        let overview = one_session_overview(ntm, &session);
        return Outcome::SessionOverviewOf { session, overview };
    }
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    Outcome::SessionOverview(session_overview(ntm, threads).map_err(|e| e.to_string()))
}

/// A history log's records, oldest first (a missing log has none).
fn read_log(path: &Path) -> Result<Vec<HistoryRecord>, String> {
    match read_history(path) {
        Ok(all) => Ok(all),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// A session's history log.
pub fn history(path: &Path, session: String) -> Outcome {
    Outcome::HistoryRead {
        session,
        result: read_log(path),
    }
}

/// What was appended to a session's history log since `cursor`.
pub fn follow_history(path: &Path, session: String, cursor: HistoryCursor) -> Outcome {
    Outcome::HistoryFollowed {
        session,
        result: read_history_since(path, cursor).map_err(|e| format!("{}: {e}", path.display())),
    }
}
