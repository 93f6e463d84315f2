//! `beadboard status` as text: runs and agents by state, each session's beads, and what needs
//! attention with the reason. Each list is capped at [`SHOWN`] lines with `… and N more
//! (--all)`, so a year of history reads in one screen; `--all` lists everything.

use super::Standing;
use crate::cli::CliError;
use crate::cli::output::{Out, outln};
use crate::persist::run::State;
use crate::present::{glyphs, sanitize};

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
        Some(format!("  … and {more} more (--all)")),
    )
}

/// Writes the report, line by line.
///
/// # Errors
/// As [`Out::line`].
pub(super) fn write(out: &mut Out, s: &Standing, all: bool) -> Result<(), CliError> {
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
    let (sessions, more) = capped(&s.sessions, all);
    for (name, st, _) in sessions {
        // Schema 9's claim states when a record is in one, so the counts add up.
        let claims = if st.claiming + st.claimed > 0 {
            format!("◌ {} claiming  ◍ {} claimed  ", st.claiming, st.claimed)
        } else {
            String::new()
        };
        outln!(
            out,
            "beads    {}: {claims}○ {} assigned  ▶ {} working  ✓ {} completed  ✗ {} failed  → {} reassigned",
            sanitize::one_line(name),
            st.assigned,
            st.working,
            st.completed,
            st.failed,
            st.reassigned
        )?;
    }
    if let Some(more) = more {
        outln!(out, "{more}")?;
    }
    let acked = match s.acknowledged {
        0 => String::new(),
        n => format!(" ({n} acknowledged not listed)"),
    };
    if s.attention.is_empty() {
        outln!(out, "nothing needs attention{acked}")?;
        return Ok(());
    }
    outln!(out, "needs attention ({}){acked}:", s.attention.len())?;
    let (flagged, more) = capped(&s.attention, all);
    for f in flagged {
        // A run by its name; a bead with its session, which its id alone does not say.
        let label = if f.kind == crate::events::ItemKind::Run {
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
    if let Some(more) = more {
        outln!(out, "{more}")?;
    }
    Ok(())
}
