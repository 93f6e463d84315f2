//! One look at the world for [`super::decide`]: every tmux pane, the agent in each pane's
//! process tree (with its cwd and, but for Claude, its open files) and Claude's registry; then
//! [`bind`], the look and the decision together, for a worker or the CLI.

use super::detect::find_agent;
use super::{Bindings, Candidate, Found, Hint, PaneRef, Scene, decide};
use crate::persist::session::Agent;
use crate::persist::session::claude::registry::Registry;
use crate::persist::session::live::{self, ProcessTable, TreeLimits};
use crate::tmux::Tmux;
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What Claude's registry files under `roots` say, with whether each process still runs (a
/// reused pid told apart by its start, where the system says).
fn hints(roots: &[PathBuf]) -> Vec<Hint> {
    Registry::read(roots)
        .entries
        .into_iter()
        .filter_map(|e| {
            let pid = e.pid?;
            let alive = match &e.proc_start {
                Some(start) => {
                    live::same_process(pid, start).or_else(|| Some(live::pid_alive(pid)))
                }
                None => Some(live::pid_alive(pid)),
            };
            Some(Hint {
                pid,
                session: e.session_id?,
                proc_start: e.proc_start,
                alive,
            })
        })
        .collect()
}

/// Every pane of `tmux`'s server and the agent in each (Claude's registry under
/// `claude_roots` is read when a Claude runs in one).
///
/// # Errors
/// tmux cannot be asked, or the processes cannot be listed (in words).
pub fn gather(tmux: &Tmux, claude_roots: &[PathBuf]) -> Result<Scene, String> {
    let panes = tmux.live_panes().map_err(|e| format!("tmux: {e}"))?;
    if panes.is_empty() {
        return Ok(Scene::default());
    }
    let table = ProcessTable::read().map_err(|e| format!("processes: {e}"))?;
    let mut agents = BTreeMap::new();
    for pane in &panes {
        let mut tree = table.tree(pane.pid, TreeLimits::default());
        let Some((i, agent)) = find_agent(&tree) else {
            continue;
        };
        let mut process = tree.swap_remove(i);
        process.cwd = live::cwd(process.pid);
        // Claude opens its transcript only to append a line: its descriptors say nothing.
        if agent != Agent::Claude {
            process.open_files = live::open_files(process.pid);
        }
        agents.insert(pane.info.pane_id.clone(), Found { agent, process });
    }
    let registry = if agents.values().any(|f| f.agent == Agent::Claude) {
        hints(claude_roots)
    } else {
        Vec::new()
    };
    Ok(Scene {
        panes,
        agents,
        registry,
    })
}

/// Looks ([`gather`]) and decides ([`decide`]) the state of each of `wanted`; sessions' cwds
/// are made canonical once each.
///
/// # Errors
/// As [`gather`].
pub fn bind<C: std::borrow::Borrow<Candidate>>(
    tmux: &Tmux,
    claude_roots: &[PathBuf],
    wanted: &[PaneRef],
    candidates: &[C],
    at: DateTime<Utc>,
) -> Result<Bindings, String> {
    let scene = gather(tmux, claude_roots)?;
    let cache: RefCell<HashMap<String, PathBuf>> = RefCell::default();
    let canonical = |cwd: &str| -> PathBuf {
        cache
            .borrow_mut()
            .entry(cwd.to_owned())
            .or_insert_with(|| Path::new(cwd).canonicalize().unwrap_or_else(|_| cwd.into()))
            .clone()
    };
    Ok(decide(&scene, wanted, candidates, &canonical, at))
}
