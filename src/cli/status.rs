//! `beadboard status`: how things stand right now — runs by state, beads by status, and what
//! needs attention with the reason. `--short` prints one line for a tmux status bar
//! (`set -g status-right '#(beadboard status --short)'`); `--json` the same facts as JSON.

use super::CliError;
use super::output::print_json;
use crate::config::Roots;
use crate::events::{Item, Observer};
use crate::persist::assignment::{AssignmentStats, AssignmentStore, list_sessions, read_history};
use crate::persist::run::{Paths, State, scan_runs};
use crate::present::attention::Thresholds;
use crate::present::{glyphs, naming, sanitize};
use chrono::Utc;
use serde_json::{Map, Value, json};

/// Counts and conditions, gathered once.
struct Standing {
    runs: Vec<(String, usize)>,
    stale: usize,
    sessions: Vec<(String, AssignmentStats)>,
    attention: Vec<Flagged>,
}

/// Something that needs attention.
struct Flagged {
    /// `run` or `bead`.
    kind: &'static str,
    /// `api #4`, or the bead id.
    name: String,
    /// `<repo id>/<run id>`, or `<session>/<bead>`.
    reference: String,
    /// Why, in words.
    reason: String,
}

fn gather(roots: &Roots, limits: Thresholds) -> Standing {
    let now = Utc::now();
    let report = scan_runs(&Paths::new(&roots.agentpair));
    for p in &report.problems {
        eprintln!("beadboard: skipped {p}");
    }
    let mut observer = Observer::new(limits);
    observer.runs(&report.runs, now);
    let mut runs: Vec<(String, usize)> = Vec::new();
    for r in &report.runs {
        let state = r.manifest.state.as_str().to_owned();
        match runs.iter_mut().find(|(s, _)| *s == state) {
            Some((_, n)) => *n += 1,
            None => runs.push((state, 1)),
        }
    }
    let stale = report
        .runs
        .iter()
        .filter(|r| r.is_stale(now, limits.stale_after))
        .count();
    let mut sessions = Vec::new();
    for s in list_sessions(&roots.ntm) {
        match AssignmentStore::load_store(&roots.ntm, &s.name) {
            Ok(store) => {
                // The history says when a retried bead was retried (the store keeps the
                // first `assigned_at`).
                match read_history(&store.history_path()) {
                    Ok(records) => drop(observer.history(&s.name, &records, now)),
                    Err(e) => eprintln!("beadboard: {}: {e}", store.history_path().display()),
                }
                observer.store(&s.name, &store.list(), now);
                sessions.push((s.name, store.stats()));
            }
            Err(e) => eprintln!("beadboard: {e}"),
        }
    }
    let attention = observer
        .needing_attention()
        .iter()
        .filter_map(|item| {
            let s = observer.standing(item)?;
            let (kind, name, reference) = match item {
                Item::Run(dir) => {
                    let run = report.runs.iter().find(|r| &r.dir == dir)?;
                    ("run", naming::name(run), naming::reference(run))
                }
                Item::Bead { session, bead } => ("bead", bead.clone(), format!("{session}/{bead}")),
            };
            Some(Flagged {
                kind,
                name,
                reference,
                reason: s.condition.reason,
            })
        })
        .collect();
    Standing {
        runs,
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
pub fn status(roots: &Roots, limits: Thresholds, short: bool, json: bool) -> Result<(), CliError> {
    let s = gather(roots, limits);
    if json {
        let mut runs = Map::new();
        for (state, n) in &s.runs {
            runs.insert(state.clone(), json!(n));
        }
        let mut beads = Map::new();
        for (name, st) in &s.sessions {
            beads.insert(
                name.clone(),
                json!({"total": st.total, "assigned": st.assigned, "working": st.working,
                       "completed": st.completed, "failed": st.failed, "reassigned": st.reassigned}),
            );
        }
        let items: Vec<Value> = s
            .attention
            .iter()
            .map(|f| {
                json!({"kind": f.kind, "name": f.name, "reference": f.reference,
                       "id": f.reference, "reason": f.reason})
            })
            .collect();
        print_json(&json!({
            "attention": s.attention.len(),
            "runs": runs,
            "stale": s.stale,
            "beads": beads,
            "needs_attention": items,
            "line": short_line(&s),
        }))?;
        return Ok(());
    }
    if short {
        println!("{}", short_line(&s));
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
    let stale = if s.stale > 0 {
        format!("  (⚠ {} stale)", s.stale)
    } else {
        String::new()
    };
    println!(
        "runs     {}{stale}",
        if runs.is_empty() {
            "none".to_owned()
        } else {
            runs.join("  ")
        }
    );
    if s.sessions.is_empty() {
        println!("beads    no sessions");
    }
    for (name, st) in &s.sessions {
        println!(
            "beads    {}: ○ {} assigned  ▶ {} working  ✓ {} completed  ✗ {} failed  → {} reassigned",
            sanitize::one_line(name),
            st.assigned,
            st.working,
            st.completed,
            st.failed,
            st.reassigned
        );
    }
    if s.attention.is_empty() {
        println!("nothing needs attention");
    } else {
        println!("needs attention ({}):", s.attention.len());
        for f in &s.attention {
            // A run by its name; a bead with its session, which its id alone does not say.
            let label = if f.kind == "run" {
                &f.name
            } else {
                &f.reference
            };
            println!(
                "  ⚑ {:<4} {:<24} {}",
                f.kind,
                sanitize::one_line(label),
                f.reason
            );
        }
    }
    Ok(())
}
