//! How many finished runs are in each state, kept as runs come and go, so the header counts a
//! year of history without looking at it on every frame (a finished run's state no longer
//! changes; the active runs are few and counted as they are drawn).

use crate::persist::run::{RunState, RunSummary, State};
use crate::persist::session::AgentState;
use std::collections::BTreeMap;

/// Finished runs by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateCounts {
    agentpair: BTreeMap<State, usize>,
    agents: BTreeMap<AgentState, usize>,
}

impl StateCounts {
    /// Counts `run` in (`add`) or out.
    pub(super) fn count(&mut self, run: &RunSummary, add: bool) {
        fn step<K: Ord + Clone>(map: &mut BTreeMap<K, usize>, key: &K, add: bool) {
            if add {
                *map.entry(key.clone()).or_default() += 1;
            } else if let Some(n) = map.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    map.remove(key);
                }
            }
        }
        match run.state() {
            RunState::Agentpair(s) => step(&mut self.agentpair, s, add),
            RunState::Agent(a) => step(&mut self.agents, &a, add),
        }
    }

    /// Each state with its count (none zero).
    pub fn iter(&self) -> impl Iterator<Item = (RunState<'_>, usize)> {
        let runs = self
            .agentpair
            .iter()
            .map(|(s, n)| (RunState::Agentpair(s), *n));
        let agents = self.agents.iter().map(|(a, n)| (RunState::Agent(*a), *n));
        runs.chain(agents)
    }
}
