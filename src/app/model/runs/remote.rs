//! Other hosts' runs in the Runs list: each is put in or taken out as its host reports it
//! (see `model/hosts/apply.rs`), keyed by its host ([`crate::persist::run::remote_key`]), and
//! never read from this machine's disk.

use super::RunsPane;
use crate::persist::run::RunSummary;
use std::path::Path;
use std::sync::Arc;

impl RunsPane {
    /// Lists (or lists again) a run another host reported; returns it as listed.
    pub fn put_remote(&mut self, run: RunSummary) -> Arc<RunSummary> {
        let run = Arc::new(run);
        self.list.upsert_shared(Arc::clone(&run));
        self.ensure_selection();
        run
    }

    /// Takes a run another host no longer has (or a snapshot left out) off the list.
    pub fn drop_remote(&mut self, key: &Path) {
        if self.list.get(key).is_some_and(|r| r.host().is_some()) {
            self.list.remove(key);
            self.marked.remove(key);
            self.ensure_selection();
        }
    }
}
