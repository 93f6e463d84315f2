//! `beadboard status`: how things stand right now — runs by state, beads by status, and what
//! needs attention with the reason. `--short` prints one line for a tmux status bar
//! (`set -g status-right '#(beadboard status --short)'`); `--json` the same facts as JSON.

use super::CliError;
use super::json::{AttentionItem, Counts, StatusJson};
use super::output::{Out, errln, leave, outln};
use crate::config::{Roots, cache_dir};
use crate::events::{Item, ItemKind, last_assigned};
use crate::persist::assignment::{AssignmentStats, AssignmentStore, list_sessions, read_history};
use crate::persist::parallel;
use crate::persist::run::{LoadOptions, Paths, RunLoader, RunState, RunSummary, State};
use crate::persist::session::{Agent, AgentState};
use crate::present::attention::{self, Level, ReasonCode, Thresholds};
use crate::present::glyphs::AGENT_STATES;
use crate::present::{glyphs, naming, sanitize};
use chrono::Utc;

/// Counts and conditions, gathered once.
struct Standing {
    runs: Vec<(String, usize)>,
    /// Agent sessions by state (in [`AGENT_STATES`]'s order; states with none left out).
    agents: Vec<(AgentState, usize)>,
    stale: usize,
    sessions: Vec<(String, AssignmentStats)>,
    attention: Vec<Flagged>,
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

fn gather(roots: &Roots, limits: Thresholds) -> Standing {
    let now = Utc::now();
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
    // What needs attention, in the observer's order (runs by directory, then beads).
    let mut attention: Vec<(Item, Flagged)> = parallel::map(&all, threads, |r| {
        let c = attention::run_condition(r, now, &limits);
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
            (Item::Run(r.dir.clone()), flagged)
        })
    })
    .into_iter()
    .flatten()
    .collect();
    let listed = list_sessions(&roots.ntm);
    let loaded = parallel::map(&listed, threads, |s| {
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
            let needing: Vec<_> = store
                .list()
                .into_iter()
                .filter_map(|a| {
                    let since = retried
                        .get(&a.bead_id)
                        .copied()
                        .unwrap_or_default()
                        .max(a.assigned_at.with_timezone(&Utc));
                    let c = attention::bead_condition_since(a, since, now, &limits);
                    (c.level == Level::Attention).then(|| {
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
                        (item, flagged)
                    })
                })
                .collect();
            (store.stats(), needing)
        })
    });
    let mut sessions = Vec::new();
    for (s, result) in listed.into_iter().zip(loaded) {
        match result {
            Ok((stats, mut needing)) => {
                sessions.push((s.name, stats));
                attention.append(&mut needing);
            }
            Err(e) => errln!("beadboard: {e}"),
        }
    }
    attention.sort_by(|a, b| a.0.cmp(&b.0));
    let attention = attention.into_iter().map(|(_, f)| f).collect();
    leave(all);
    leave(loader);
    leave(agent_runs);
    Standing {
        runs,
        agents,
        stale,
        sessions,
        attention,
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
    let (mut assigned, mut working, mut failed) = (0, 0, 0);
    for (_, st) in &s.sessions {
        assigned += st.assigned;
        working += st.working;
        failed += st.failed;
    }
    let beads: Vec<String> = [("○", assigned), ("▶", working), ("✗", failed)]
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

/// Prints the status.
///
/// # Errors
/// When the output cannot be written.
pub fn status(
    out: &mut Out,
    roots: &Roots,
    limits: Thresholds,
    short: bool,
    json: bool,
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
                .map(|(name, st)| (name.clone(), *st))
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
    let runs: Vec<String> = s
        .runs
        .iter()
        .map(|(state, n)| {
            format!(
                "{} {n} {}",
                glyphs::run_state(&State::parse(state)),
                sanitize::one_line(state)
            )
        })
        .collect();
    let agents: Vec<String> = s
        .agents
        .iter()
        .map(|(a, n)| format!("{} {n} {}", glyphs::agent_state(*a), a.as_str()))
        .collect();
    let stale = if s.stale > 0 {
        format!("  (⚠ {} stale)", s.stale)
    } else {
        String::new()
    };
    outln!(
        out,
        "runs     {}{stale}",
        if runs.is_empty() {
            "none".to_owned()
        } else {
            runs.join("  ")
        }
    )?;
    if !agents.is_empty() {
        outln!(out, "agents   {}", agents.join("  "))?;
    }
    if s.sessions.is_empty() {
        outln!(out, "beads    no sessions")?;
    }
    for (name, st) in &s.sessions {
        outln!(
            out,
            "beads    {}: ○ {} assigned  ▶ {} working  ✓ {} completed  ✗ {} failed  → {} reassigned",
            sanitize::one_line(name),
            st.assigned,
            st.working,
            st.completed,
            st.failed,
            st.reassigned
        )?;
    }
    if s.attention.is_empty() {
        outln!(out, "nothing needs attention")?;
    } else {
        outln!(out, "needs attention ({}):", s.attention.len())?;
        for f in &s.attention {
            // A run by its name; a bead with its session, which its id alone does not say.
            let label = if f.kind == ItemKind::Run {
                &f.name
            } else {
                &f.reference
            };
            outln!(
                out,
                "  ⚑ {:<4} {:<24} {}",
                f.kind.as_str(),
                sanitize::one_line(label),
                f.reason
            )?;
        }
    }
    Ok(())
}
