//! A listed run's directory as the key of the list's map and sets, read through the run's own
//! summary: the list keeps no copy of any path (with the year and a month of agent sessions,
//! 26,000 copies were 2.7 MB of the dashboard's peak, by heaptrack; issue 18 in BENCHMARKS.md).

use crate::persist::run::RunSummary;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// A run, compared, ordered and hashed by its directory alone, as that [`Path`] would be (so
/// the map and sets are searched by `&Path`).
#[derive(Debug, Clone)]
pub(super) struct DirKey(pub(super) Arc<RunSummary>);

impl DirKey {
    /// The key of `run` (shares it).
    pub(super) fn of(run: &Arc<RunSummary>) -> DirKey {
        DirKey(Arc::clone(run))
    }

    fn path(&self) -> &Path {
        &self.0.dir
    }
}

impl Borrow<Path> for DirKey {
    fn borrow(&self) -> &Path {
        self.path()
    }
}

impl PartialEq for DirKey {
    fn eq(&self, other: &DirKey) -> bool {
        self.path() == other.path()
    }
}

impl Eq for DirKey {}

impl Hash for DirKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.path().hash(state);
    }
}

impl PartialOrd for DirKey {
    fn partial_cmp(&self, other: &DirKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DirKey {
    fn cmp(&self, other: &DirKey) -> Ordering {
        self.path().cmp(other.path())
    }
}
