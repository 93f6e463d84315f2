//! `beadboard doctor`: where beadboard looks for everything and what it finds there: the
//! agentpair runs, the NTM stores, the beads file, the config file, and each agent session
//! source (Claude Code, Codex, Gemini, OpenCode) with how many sessions it holds, or that it
//! is not there or switched off, and what could not be read.

use super::CliError;
use super::json::{DoctorJson, DoctorProblem, DoctorRoot, DoctorSource};
use super::output::{Out, Table, outln};
use crate::config::{Resolved, home_dir};
use crate::persist::assignment::list_sessions;
use crate::persist::run::Paths;
use crate::persist::session::{self, SourceReport};
use crate::present::{sources, text};
use std::path::Path;

/// How many run directories are under the runs directory (`None`: it is not there).
fn count_runs(runs: &Path) -> Option<usize> {
    let repos = std::fs::read_dir(runs).ok()?;
    Some(
        repos
            .flatten()
            .filter_map(|repo| std::fs::read_dir(repo.path()).ok())
            .map(|dir| {
                dir.flatten()
                    .filter(|e| e.path().join(crate::persist::run::MANIFEST_FILE).is_file())
                    .count()
            })
            .sum(),
    )
}

fn report_json(r: &SourceReport) -> DoctorSource {
    DoctorSource {
        agent: r.agent.as_str().to_owned(),
        path: r.path.to_string_lossy().into_owned(),
        found: r.found,
        disabled: r.disabled,
        sessions: r.sessions,
        status: sources::found(r),
    }
}

/// `doctor [--json]`.
///
/// # Errors
/// Output that cannot be written.
pub fn doctor(out: &mut Out, settings: &Resolved, as_json: bool) -> Result<(), CliError> {
    let roots = &settings.roots;
    let runs_dir = Paths::new(&roots.agentpair).runs_dir();
    let runs = count_runs(&runs_dir);
    let stores = roots
        .ntm
        .join("sessions")
        .is_dir()
        .then(|| list_sessions(&roots.ntm).len());
    let listing = session::list(&roots.agents);
    let reports = roots.agents.reports_with(&listing);
    if as_json {
        let lossy = |p: &Path| p.to_string_lossy().into_owned();
        let value = DoctorJson {
            agentpair: DoctorRoot {
                path: lossy(&runs_dir),
                found: runs.is_some(),
                runs: Some(runs),
                stores: None,
            },
            ntm: DoctorRoot {
                path: lossy(&roots.ntm.join("sessions")),
                found: stores.is_some(),
                runs: None,
                stores: Some(stores),
            },
            beads: roots.beads.as_deref().map(lossy),
            config: settings.config_file.as_deref().map(lossy),
            sources: reports.iter().map(report_json).collect(),
            problems: listing
                .problems
                .iter()
                .map(|(p, why)| DoctorProblem {
                    path: lossy(p),
                    problem: why.to_string(),
                })
                .collect(),
        };
        out.json(&serde_json::to_value(value)?)?;
        return Ok(());
    }
    let home = home_dir();
    let short = |p: &Path| text::short_path(&p.to_string_lossy(), home.as_deref(), 200);
    let count = |n: Option<usize>, one: &str, many: &str| match n {
        None => "not found".to_owned(),
        Some(1) => format!("1 {one}"),
        Some(n) => format!("{n} {many}"),
    };
    let mut table = Table::new(&["SOURCE", "WHERE", "FOUND"]);
    table.row(vec![
        "agentpair".into(),
        short(&runs_dir),
        count(runs, "run", "runs"),
    ]);
    table.row(vec![
        "ntm".into(),
        short(&roots.ntm.join("sessions")),
        count(stores, "store", "stores"),
    ]);
    table.row(vec![
        "beads".into(),
        roots.beads.as_deref().map_or_else(|| "-".to_owned(), short),
        roots.beads.as_deref().map_or_else(
            || "none (.beads/issues.jsonl here, or --beads)".to_owned(),
            beads_found,
        ),
    ]);
    for r in &reports {
        table.row(vec![
            r.agent.as_str().into(),
            short(&r.path),
            sources::found(r),
        ]);
    }
    table.row(vec![
        "config".into(),
        settings
            .config_file
            .as_deref()
            .map_or_else(|| "-".to_owned(), short),
        if settings.config_file.is_some() {
            "read"
        } else {
            "none"
        }
        .into(),
    ]);
    table.print(out)?;
    for (path, why) in &listing.problems {
        outln!(
            out,
            "⚠ {}: {}",
            short(path),
            crate::present::sanitize::one_line(why)
        )?;
    }
    if reports.is_empty() {
        outln!(
            out,
            "No agent session source is set: $HOME is not set, and no --claude-dir, --codex-dir, --gemini-dir or --opencode-db was given."
        )?;
    }
    Ok(())
}

/// Whether the beads file given is there: `found` only for a file, never for a path that is
/// missing or names a directory.
fn beads_found(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => "found".to_owned(),
        Ok(_) => "not a file".to_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "not found".to_owned(),
        Err(e) => format!("unreadable: {e}"),
    }
}
