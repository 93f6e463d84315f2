//! Which session is whose, from one look ([`Scene`]) and the sessions listed, with nothing
//! read: the rules of [`crate::binding`], in order, over every pane's agent at once (so the
//! claim set and the "agents sharing a cwd" rule see them all), then each wanted pane's state.

use super::detect::argv_session;
use super::{Bindings, Bound, Candidate, Found, PaneRef, PaneState, Rule, Scene, Unbound};
use crate::persist::session::Agent;
use crate::tmux::{LivePane, stored_session_name};
use chrono::{DateTime, Utc};
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A session counts as started after its process when it started at most this long before
/// (the process's start is known to the boot time's second).
const SLACK: chrono::Duration = chrono::Duration::seconds(1);

/// A pane's agent, and what is known of its session so far.
struct Agent_<'a> {
    pane: &'a str,
    found: &'a Found,
    cwd: Option<PathBuf>,
    outcome: Option<Result<Bound, Unbound>>,
}

/// The sessions claimed so far: session id → who has it.
type Claims = HashMap<String, String>;

/// `pane`'s agent takes `id` by `rule`, unless someone has it already.
fn claim(
    claims: &mut Claims,
    a: &Agent_<'_>,
    id: &str,
    key: Option<&PathBuf>,
    rule: Rule,
) -> Result<Bound, Unbound> {
    if let Some(by) = claims.get(id) {
        return Err(Unbound::Taken {
            session: id.to_owned(),
            by: by.clone(),
        });
    }
    claims.insert(id.to_owned(), a.pane.to_owned());
    Ok(Bound {
        pane: a.pane.to_owned(),
        agent: a.found.agent,
        pid: a.found.process.pid,
        session: id.to_owned(),
        key: key.cloned(),
        rule,
    })
}

/// The pane number of `%N`, to take panes in order.
fn pane_number(id: &str) -> u64 {
    id.trim_start_matches('%').parse().unwrap_or(u64::MAX)
}

/// Whether one directory is within the other.
fn related(a: &Path, b: &Path) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// Decides every pane's binding (see [`crate::binding`]) and returns the state of each of
/// `wanted`. `canonical` resolves a session's recorded cwd as the file system sees it (links
/// followed), as the process's cwd already is.
#[must_use]
pub fn decide<C: Borrow<Candidate>>(
    scene: &Scene,
    wanted: &[PaneRef],
    candidates: &[C],
    canonical: &dyn Fn(&str) -> PathBuf,
    at: DateTime<Utc>,
) -> Bindings {
    let paths: HashMap<&str, &str> = scene
        .panes
        .iter()
        .map(|p| (p.info.pane_id.as_str(), p.path.as_str()))
        .collect();
    let mut agents: Vec<Agent_<'_>> = scene
        .agents
        .iter()
        .map(|(pane, found)| Agent_ {
            pane,
            found,
            cwd: found.process.cwd.clone().or_else(|| {
                paths
                    .get(pane.as_str())
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
            }),
            outcome: None,
        })
        .collect();
    agents.sort_by_key(|a| pane_number(a.pane));
    let candidates: Vec<&Candidate> = candidates.iter().map(Borrow::borrow).collect();
    let by_id: HashMap<&str, &Candidate> = candidates.iter().map(|c| (c.id(), *c)).collect();
    let by_file: HashMap<&Path, &Candidate> = candidates
        .iter()
        .copied()
        .filter_map(|c| Some((c.file()?, c)))
        .collect();
    let mut claims = Claims::new();
    registry_rule(scene, &mut agents, &by_id, &mut claims);
    // A live Claude outside these panes has the session its registry names.
    let pids: Vec<u32> = agents.iter().map(|a| a.found.process.pid).collect();
    for h in &scene.registry {
        if h.alive == Some(true) && !pids.contains(&h.pid) {
            claims
                .entry(h.session.clone())
                .or_insert_with(|| format!("pid {}", h.pid));
        }
    }
    for a in agents.iter_mut().filter(|a| a.outcome.is_none()) {
        let held = a.found.process.open_files.iter().find_map(|f| {
            let c = by_file.get(f.as_path())?;
            (!c.subagent() && c.agent() == Some(a.found.agent)).then_some(*c)
        });
        if let Some(c) = held {
            let outcome = claim(&mut claims, a, c.id(), Some(c.key()), Rule::OpenFile);
            a.outcome = Some(outcome);
        }
    }
    for a in agents.iter_mut().filter(|a| a.outcome.is_none()) {
        let named = argv_session(a.found.agent, &a.found.process.argv);
        let Some(id) = named else { continue };
        match by_id.get(id.as_str()) {
            // A sub-agent's session is never a pane's.
            Some(c) if c.subagent() => {}
            listed => {
                let outcome = claim(&mut claims, a, &id, listed.map(|c| c.key()), Rule::Argv);
                a.outcome = Some(outcome);
            }
        }
    }
    cwd_rule(&mut agents, &candidates, canonical, &mut claims);
    let outcomes: HashMap<&str, &Agent_<'_>> = agents.iter().map(|a| (a.pane, a)).collect();
    let panes = wanted
        .iter()
        .map(|r| {
            let state = match resolve(&scene.panes, r) {
                Err(state) => state,
                Ok(pane) => match outcomes.get(pane.info.pane_id.as_str()) {
                    None => PaneState::NoAgent {
                        pane: pane.info.pane_id.clone(),
                    },
                    Some(a) => match &a.outcome {
                        Some(Ok(b)) => PaneState::Bound(b.clone()),
                        Some(Err(why)) => unbound(a, why.clone()),
                        None => unbound(a, Unbound::NoSession),
                    },
                },
            };
            (r.clone(), state)
        })
        .collect::<BTreeMap<_, _>>();
    Bindings {
        at: Some(at),
        panes,
    }
}

fn unbound(a: &Agent_<'_>, why: Unbound) -> PaneState {
    PaneState::Unbound {
        pane: a.pane.to_owned(),
        agent: a.found.agent,
        pid: a.found.process.pid,
        why,
    }
}

/// Rule 1: the session Claude's registry names for the process, when the file is this
/// process's (its recorded start is this process's start, where both are known).
fn registry_rule(
    scene: &Scene,
    agents: &mut [Agent_<'_>],
    by_id: &HashMap<&str, &Candidate>,
    claims: &mut Claims,
) {
    for a in agents.iter_mut() {
        if a.found.agent != Agent::Claude {
            continue;
        }
        let p = &a.found.process;
        let hint = scene.registry.iter().find(|h| {
            let same_start = match (&h.proc_start, p.start_ticks) {
                (Some(recorded), Some(now)) => recorded.trim().parse() == Ok(now),
                _ => true,
            };
            h.pid == p.pid && same_start && !h.session.is_empty()
        });
        let Some(h) = hint else { continue };
        let listed = by_id.get(h.session.as_str());
        if listed.is_some_and(|c| c.subagent()) {
            continue;
        }
        let outcome = claim(
            claims,
            a,
            &h.session,
            listed.map(|c| c.key()),
            Rule::Registry,
        );
        a.outcome = Some(outcome);
    }
}

/// Rule 4: the newest session of the agent in its cwd started after it, when no other agent of
/// its kind that is still unbound shares the cwd.
fn cwd_rule(
    agents: &mut [Agent_<'_>],
    candidates: &[&Candidate],
    canonical: &dyn Fn(&str) -> PathBuf,
    claims: &mut Claims,
) {
    let open: Vec<(usize, Agent, PathBuf)> = agents
        .iter()
        .enumerate()
        .filter(|(_, a)| a.outcome.is_none())
        .filter_map(|(i, a)| Some((i, a.found.agent, a.cwd.clone()?)))
        .collect();
    for (i, agent, cwd) in &open {
        let sharing = open
            .iter()
            .filter(|(_, other, c)| other == agent && related(c, cwd))
            .count();
        let a = &agents[*i];
        let outcome = if sharing > 1 {
            Some(Err(Unbound::Shared {
                agents: sharing,
                cwd: cwd.clone(),
            }))
        } else {
            newest_after(a, cwd, candidates, canonical, claims)
        };
        agents[*i].outcome = outcome;
    }
}

/// The newest unclaimed top-level session of `a`'s agent within `cwd` that started after
/// `a`'s process (`None` when its start is not known: no guess).
fn newest_after(
    a: &Agent_<'_>,
    cwd: &Path,
    candidates: &[&Candidate],
    canonical: &dyn Fn(&str) -> PathBuf,
    claims: &mut Claims,
) -> Option<Result<Bound, Unbound>> {
    let start = a.found.process.started_at?;
    let agent = a.found.agent;
    let fits: Vec<&Candidate> = candidates
        .iter()
        .copied()
        .filter(|c| c.agent() == Some(agent) && !c.subagent() && !claims.contains_key(c.id()))
        .filter(|c| c.started_at().is_some_and(|t| t + SLACK >= start))
        .filter(|c| canonical(c.cwd()).starts_with(cwd))
        .collect();
    let newest = fits.iter().filter_map(|c| c.started_at()).max();
    let mut at_newest = fits.iter().filter(|c| c.started_at() == newest);
    Some(match (at_newest.next(), at_newest.next()) {
        (Some(c), None) => claim(claims, a, c.id(), Some(c.key()), Rule::CwdTime),
        // Two sessions started at the same moment: which is its own cannot be told.
        _ => Err(Unbound::NoSession),
    })
}

/// The live pane `r` names, or its state when there is none (gone, or an index in several
/// windows).
fn resolve<'a>(panes: &'a [LivePane], r: &PaneRef) -> Result<&'a LivePane, PaneState> {
    match r {
        PaneRef::Id(id) => panes
            .iter()
            .find(|p| &p.info.pane_id == id)
            .ok_or(PaneState::Gone),
        PaneRef::Index { session, index } => {
            let stored = stored_session_name(session);
            let matches: Vec<&LivePane> = panes
                .iter()
                .filter(|p| p.info.session_name == stored && p.info.pane_index == *index)
                .collect();
            match matches.as_slice() {
                [] => Err(PaneState::Gone),
                [one] => Ok(one),
                several => Err(PaneState::Ambiguous {
                    windows: several.len(),
                }),
            }
        }
    }
}
