//! `beadboard status`: how things stand right now — runs by state, beads by status, and what
//! needs attention with the reason. `--short` prints one line for a tmux status bar
//! (`set -g status-right '#(beadboard status --short)'`); `--json` the same facts as JSON.

use super::CliError;
use super::json::{AttentionItem, Counts, StatusJson};
use super::output::{Out, errln, leave, outln};
use crate::config::{Roots, cache_dir};
use crate::events::{Item, ItemKind, last_assigned};
use crate::persist::assignment::{AssignmentStats, AssignmentStore, read_history, read_sessions};
use crate::persist::natural::{self, NaturalKey};
use crate::persist::parallel;
use crate::persist::run::{LoadOptions, Paths, RunLoader, RunState, RunSummary, State};
use crate::persist::session::{Agent, AgentState};
use crate::present::attention::{self, Level, ReasonCode, Succession, Thresholds};
use std::collections::{HashMap, HashSet};

mod report;
use crate::present::glyphs::AGENT_STATES;
use crate::present::{glyphs, naming};
use chrono::Utc;

/// Counts and conditions, gathered once.
struct Standing {
    runs: Vec<(String, usize)>,
    /// Agent sessions by state (in [`AGENT_STATES`]'s order; states with none left out).
    agents: Vec<(AgentState, usize)>,
    stale: usize,
    /// Each session's counts, and how many of its beads need attention.
    sessions: Vec<(String, AssignmentStats, usize)>,
    attention: Vec<Flagged>,
    /// Items that need attention but were acknowledged in the dashboard (`A`).
    acknowledged: usize,
}

/// Something that needs attention.
struct Flagged {
    /// `run` or `bead`.
    kind: ItemKind,
    /// `api #4`, or the bead id.
    name: String,
    /// `<repo id>/<run id>`, or `<session>/<bead>`.
    reference: String,
    /// Why, in words.
    reason: String,
    /// Why, as a code.
    code: ReasonCode,
    /// The NTM session (beads) or the run's tmux session.
    session: Option<String>,
    /// The agent, for a session.
    agent: Option<Agent>,
}

/// Every session's store: its counts, and its beads' conditions at `now` (`None`: it could
/// not be read, and was reported).
type Stores = Vec<(
    String,
    Option<(AssignmentStats, Vec<(Item, Flagged, String)>)>,
)>;

fn stores(roots: &Roots, limits: &Thresholds, now: chrono::DateTime<Utc>) -> Stores {
    // A sessions directory that cannot be read is named, as `assignments` names it, instead
    // of looking like a root without sessions.
    let listed = read_sessions(&roots.ntm).unwrap_or_else(|e| {
        errln!("beadboard: {e}");
        Vec::new()
    });
    let loaded = parallel::map(&listed, parallel::threads(), |s| {
        AssignmentStore::load_store(&roots.ntm, &s.name).map(|store| {
            // The history says when a retried bead was retried (the store keeps the first
            // `assigned_at`).
            let retried = match read_history(&store.history_path()) {
                Ok(records) => last_assigned(&records),
                Err(e) => {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        errln!("beadboard: {}: {e}", store.history_path().display());
                    }
                    Default::default()
                }
            };
            let beads: Vec<_> = store
                .list()
                .into_iter()
                .map(|a| {
                    let since = retried
                        .get(&a.bead_id)
                        .copied()
                        .unwrap_or_default()
                        .max(a.assigned_at.with_timezone(&Utc));
                    let c = attention::bead_condition_since(a, since, now, limits);
                    let item = Item::Bead {
                        session: s.name.clone(),
                        bead: a.bead_id.clone(),
                    };
                    let flagged = Flagged {
                        kind: ItemKind::Bead,
                        name: a.bead_id.clone(),
                        reference: format!("{}/{}", s.name, a.bead_id),
                        reason: c.reason,
                        code: c.code,
                        session: Some(s.name.clone()),
                        agent: None,
                    };
                    (
                        item,
                        flagged,
                        (c.level == Level::Attention).then_some(c.key),
                    )
                })
                .collect();
            (store.stats(), beads)
        })
    });
    listed
        .into_iter()
        .zip(loaded)
        .map(|(s, result)| match result {
            Ok((stats, beads)) => {
                let needing = beads
                    .into_iter()
                    .filter_map(|(i, f, key)| key.map(|k| (i, f, k)))
                    .collect();
                (s.name, Some((stats, needing)))
            }
            Err(e) => {
                errln!("beadboard: {e}");
                (s.name, None)
            }
        })
        .collect()
}

/// The acknowledgements the dashboard keeps (`A`), by item (none when unreadable).
fn acknowledged() -> HashMap<Item, String> {
    let Some(dir) = cache_dir() else {
        return HashMap::new();
    };
    match crate::persist::acks::load(&dir) {
        Ok(items) => items.into_iter().map(|a| (a.item.into(), a.key)).collect(),
        Err(e) => {
            errln!("beadboard: {e}");
            HashMap::new()
        }
    }
}

/// Runs before beads; runs by directory and beads by session and id, ids compared as numbers.
fn item_order(a: &Item, b: &Item) -> std::cmp::Ordering {
    match (a, b) {
        (Item::Run(a), Item::Run(b)) => {
            natural::compare(&a.to_string_lossy(), &b.to_string_lossy())
        }
        (
            Item::Bead { session, bead },
            Item::Bead {
                session: s2,
                bead: b2,
            },
        ) => natural::compare(session, s2).then_with(|| natural::compare(bead, b2)),
        // Only this machine's items are gathered here; another host's come last.
        (Item::Run(_), _) | (Item::Bead { .. }, Item::HostBead { .. }) => std::cmp::Ordering::Less,
        (_, Item::Run(_)) | (Item::HostBead { .. }, Item::Bead { .. }) => {
            std::cmp::Ordering::Greater
        }
        (Item::HostBead { .. }, Item::HostBead { .. }) => a.cmp(b),
    }
}

fn gather(roots: &Roots, limits: Thresholds) -> Standing {
    let now = crate::clock::now();
    let threads = parallel::threads();
    let options = LoadOptions::new(now).with_cache(cache_dir());
    let loader = RunLoader::open(&Paths::new(&roots.agentpair), &options);
    for p in loader.problems() {
        errln!("beadboard: skipped {p}");
    }
    // Finished runs need no activity to be counted or judged; active ones have theirs.
    let agent_runs = super::agents::sessions(roots, limits.stale_after, now);
    let mut all: Vec<&RunSummary> = loader.pending().collect();
    let mut runs: Vec<(String, usize)> = Vec::new();
    for r in &all {
        let state = naming::Named::state_word(*r);
        match runs.iter_mut().find(|(s, _)| s == state) {
            Some((_, n)) => *n += 1,
            None => runs.push((state.to_owned(), 1)),
        }
    }
    let agents: Vec<(AgentState, usize)> = AGENT_STATES
        .iter()
        .map(|a| {
            (
                *a,
                agent_runs
                    .iter()
                    .filter(|r| r.state() == RunState::Agent(*a))
                    .count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    all.extend(agent_runs.iter().map(|r| &**r));
    let stale = all
        .iter()
        .filter(|r| r.is_stale(now, limits.stale_after))
        .count();
    let stores = stores(roots, &limits, now);
    let bead_ids: HashSet<&str> = stores
        .iter()
        .filter_map(|(_, s)| s.as_ref())
        .flat_map(|(_, beads)| beads.iter().map(|(_, f, _)| f.name.as_str()))
        .collect();
    // A failed run that a later run of the same bead, or repo and prompt, took over needs
    // nobody: every run's start is noted first.
    let mut succession = Succession::default();
    for r in &all {
        succession.note(r);
    }
    let mut needing: Vec<(Item, Flagged, String)> = parallel::map(&all, threads, |r| {
        let superseded = succession.superseded(r, |w| bead_ids.contains(w));
        let c = attention::run_condition(r, now, &limits, superseded);
        (c.level == Level::Attention).then(|| {
            let flagged = Flagged {
                kind: ItemKind::Run,
                name: naming::name(r),
                reference: r.reference(),
                reason: c.reason,
                code: c.code,
                session: Some(r.tmux_session().to_owned()).filter(|s| !s.is_empty()),
                agent: r.agent(),
            };
            (Item::Run(r.dir.clone()), flagged, c.key)
        })
    })
    .into_iter()
    .flatten()
    .collect();
    let mut sessions = Vec::new();
    for (name, store) in stores {
        if let Some((stats, mut beads)) = store {
            sessions.push((name, stats, beads.len()));
            needing.append(&mut beads);
        }
    }
    // What the dashboard's `A` acknowledged, in the very situation it is in, is left out.
    let acks = acknowledged();
    let before = needing.len();
    needing.retain(|(item, _, key)| acks.get(item) != Some(key));
    let acknowledged = before - needing.len();
    needing.sort_by(|a, b| item_order(&a.0, &b.0));
    let attention = needing.into_iter().map(|(_, f, _)| f).collect();
    // Sessions with beads needing attention first, then those with beads under way.
    sessions.sort_by(|(an, a, af), (bn, b, bf)| {
        bf.cmp(af)
            .then_with(|| (b.assigned + b.working).cmp(&(a.assigned + a.working)))
            .then_with(|| natural::compare(an, bn))
    });
    leave(all);
    leave(loader);
    leave(agent_runs);
    Standing {
        runs,
        agents,
        stale,
        sessions,
        attention,
        acknowledged,
    }
}

/// The one-line form: `⚑3 · runs ▶2 ◎1 ✗1 · beads ○1 ▶3 ✗1`, zero counts left out.
fn short_line(s: &Standing) -> String {
    let mut parts = Vec::new();
    if !s.attention.is_empty() {
        parts.push(format!("⚑{}", s.attention.len()));
    }
    let runs: Vec<String> = s
        .runs
        .iter()
        .map(|(state, n)| (State::parse(state), n))
        .filter(|(state, _)| !matches!(state, State::Completed | State::Cancelled))
        .map(|(state, n)| format!("{}{n}", glyphs::run_state(&state)))
        .collect();
    if !runs.is_empty() {
        parts.push(format!("runs {}", runs.join(" ")));
    }
    let agents: Vec<String> = s
        .agents
        .iter()
        .filter(|(a, _)| *a != AgentState::Finished)
        .map(|(a, n)| format!("{}{n}", glyphs::agent_state(*a)))
        .collect();
    if !agents.is_empty() {
        parts.push(format!("agents {}", agents.join(" ")));
    }
    let (mut claiming, mut claimed, mut assigned, mut working, mut failed) = (0, 0, 0, 0, 0);
    for (_, st, _) in &s.sessions {
        claiming += st.claiming;
        claimed += st.claimed;
        assigned += st.assigned;
        working += st.working;
        failed += st.failed;
    }
    let beads: Vec<String> = [
        ("◌", claiming),
        ("◍", claimed),
        ("○", assigned),
        ("▶", working),
        ("✗", failed),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(g, n)| format!("{g}{n}"))
    .collect();
    if !beads.is_empty() {
        parts.push(format!("beads {}", beads.join(" ")));
    }
    if parts.is_empty() {
        "idle".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// Prints the status. The text lists are capped at [`report::SHOWN`] lines each, with `… and N more
/// (--all)`; `all` lists everything; `--json` always lists everything.
///
/// # Errors
/// When the output cannot be written.
pub fn status(
    out: &mut Out,
    roots: &Roots,
    limits: Thresholds,
    short: bool,
    json: bool,
    all: bool,
) -> Result<(), CliError> {
    let s = gather(roots, limits);
    if json {
        let value = StatusJson {
            runs: Counts(s.runs.clone()),
            agents: Counts(
                s.agents
                    .iter()
                    .map(|(a, n)| (a.as_str().to_owned(), *n))
                    .collect(),
            ),
            stale: s.stale,
            beads: s
                .sessions
                .iter()
                .map(|(name, st, _)| (NaturalKey(name.clone()), *st))
                .collect(),
            needs_attention: s
                .attention
                .iter()
                .map(|f| AttentionItem {
                    kind: f.kind,
                    name: f.name.clone(),
                    reference: f.reference.clone(),
                    reason: f.reason.clone(),
                    reason_code: f.code,
                    session: f.session.clone(),
                    agent: f.agent.map(|a| a.as_str().to_owned()),
                    id: f.reference.clone(),
                })
                .collect(),
            acknowledged: s.acknowledged,
            line: short_line(&s),
            attention: s.attention.len(),
        };
        out.json(&serde_json::to_value(&value)?)?;
        return Ok(());
    }
    if short {
        outln!(out, "{}", short_line(&s))?;
        return Ok(());
    }
    report::write(out, &s, all)
}
