//! `beadboard status` as text: runs and agents by state, each session's beads, and what needs
//! attention with the reason. Each list is capped at [`SHOWN`] lines with `… and N more
//! (--all)`, so a year of history reads in one screen; `--all` lists everything.

use super::Standing;
use crate::persist::run::State;
use crate::present::{glyphs, sanitize};
use std::fmt::Write as _;

/// How many lines each list shows without `--all`.
pub const SHOWN: usize = 10;

/// The first lines of a list: all of them with `all`, else [`SHOWN`], and the note for the
/// rest.
fn capped<T>(items: &[T], all: bool) -> (&[T], Option<String>) {
    if all || items.len() <= SHOWN {
        return (items, None);
    }
    let more = items.len() - SHOWN;
    (
        &items[..SHOWN],
        Some(format!("  … and {more} more (--all)\n")),
    )
}

/// The report.
pub(super) fn text(s: &Standing, all: bool) -> String {
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
    // One write for the whole report.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "runs     {}{stale}",
        if runs.is_empty() {
            "none".to_owned()
        } else {
            runs.join("  ")
        }
    );
    if !agents.is_empty() {
        let _ = writeln!(out, "agents   {}", agents.join("  "));
    }
    if s.sessions.is_empty() {
        out.push_str("beads    no sessions\n");
    }
    let (sessions, more) = capped(&s.sessions, all);
    for (name, st, _) in sessions {
        let _ = writeln!(
            out,
            "beads    {}: ○ {} assigned  ▶ {} working  ✓ {} completed  ✗ {} failed  → {} reassigned",
            sanitize::one_line(name),
            st.assigned,
            st.working,
            st.completed,
            st.failed,
            st.reassigned
        );
    }
    out.extend(more);
    let acked = match s.acknowledged {
        0 => String::new(),
        n => format!(" ({n} acknowledged not listed)"),
    };
    if s.attention.is_empty() {
        let _ = writeln!(out, "nothing needs attention{acked}");
        return out;
    }
    let _ = writeln!(out, "needs attention ({}){acked}:", s.attention.len());
    let (flagged, more) = capped(&s.attention, all);
    for f in flagged {
        // A run by its name; a bead with its session, which its id alone does not say.
        let label = if f.kind == "run" {
            &f.name
        } else {
            &f.reference
        };
        let _ = writeln!(
            out,
            "  ⚑ {:<4} {:<24} {}",
            f.kind,
            sanitize::one_line(label),
            f.reason
        );
    }
    out.extend(more);
    out
}
