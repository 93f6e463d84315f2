//! The sessions the binder may bind ([`Candidates`]), kept one session at a time: a session
//! read, new or gone changes its own entry, and only a listing of every session builds them
//! all again. They are sorted by key, each sharing its listed run, so a change costs a search and a shift of
//! pointers (never a walk over every run), and a look under way keeps the list it was given.

use crate::binding::Candidate;
use crate::persist::run::RunSummary;
use std::path::Path;
use std::sync::Arc;

/// Every session that may be bound, sorted by key.
#[derive(Debug, Clone, Default)]
pub struct Candidates(Arc<Vec<Candidate>>);

impl Candidates {
    /// Makes them again from every listed run (a listing of every session).
    pub fn replace<'a>(&mut self, runs: impl Iterator<Item = &'a Arc<RunSummary>>) {
        let mut list: Vec<Candidate> = runs.filter_map(Candidate::of).collect();
        list.sort_by(|a, b| a.key().cmp(b.key()));
        self.0 = Arc::new(list);
    }

    /// Takes one session as it is now listed (`None`: not listed, or not a session).
    pub fn set(&mut self, key: &Path, run: Option<&Arc<RunSummary>>) {
        let fresh = run.and_then(Candidate::of);
        let at = self.0.binary_search_by(|c| c.key().as_path().cmp(key));
        match (at, fresh) {
            (Ok(i), Some(c)) => {
                if !Arc::ptr_eq(self.0[i].run(), c.run()) {
                    Arc::make_mut(&mut self.0)[i] = c;
                }
            }
            (Err(i), Some(c)) => Arc::make_mut(&mut self.0).insert(i, c),
            (Ok(i), None) => {
                Arc::make_mut(&mut self.0).remove(i);
            }
            (Err(_), None) => {}
        }
    }

    /// The list, shared (a look takes it).
    #[must_use]
    pub fn shared(&self) -> Arc<Vec<Candidate>> {
        Arc::clone(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::session::{Agent, SessionSource, Summarizer};
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// Session `n` in cwd `/src/<cwd>`.
    fn session(n: usize, cwd: usize) -> Arc<RunSummary> {
        use crate::app::work::agents::{Judge, Liveness, as_run};
        let file = PathBuf::from(format!("/claude/projects/-src/{n:04}.jsonl"));
        let mut summary = Summarizer::new(Agent::Claude, SessionSource::Lines(file)).into_summary();
        summary.id = format!("{n:04}");
        summary.cwd = format!("/src/{cwd}");
        let judge = Judge {
            quiet: std::time::Duration::from_secs(600),
            now: chrono::DateTime::UNIX_EPOCH,
        };
        Arc::new(as_run(summary, None, &Liveness::new(), &judge))
    }

    proptest! {
        /// After any sequence of sessions read, gone and listed, the list kept is the list
        /// made from every session listed.
        #[test]
        fn kept_one_at_a_time_as_made_from_all(
            steps in proptest::collection::vec((0..12usize, proptest::option::of(0..3usize), 0..10u8), 1..60)
        ) {
            let mut listed: BTreeMap<PathBuf, Arc<RunSummary>> = BTreeMap::new();
            let mut kept = Candidates::default();
            for (n, cwd, kind) in steps {
                let key = session(n, 0).dir.clone();
                match cwd {
                    Some(cwd) => { listed.insert(key.clone(), session(n, cwd)); }
                    None => { listed.remove(&key); }
                }
                if kind == 0 {
                    kept.replace(listed.values());
                } else {
                    kept.set(&key, listed.get(&key));
                }
                let mut made = Candidates::default();
                made.replace(listed.values().rev());
                prop_assert_eq!(kept.shared(), made.shared());
            }
        }
    }
}
