//! Which `ntm assign` command(s) carry out a seed operation on a schema-9 store (ntm-v9.md's
//! table), the exact printable command line, and the refusals and confirmations that come
//! before running anything.

use crate::persist::assignment::v9::{NtmRow, NtmStatus, NtmView, Refusal, RowAction, is_pane_id};
use std::fmt;
use std::path::{Path, PathBuf};

/// Where `ntm` must act: a session, and the `HOME` that makes NTM's `$HOME/.ntm` the root
/// beadboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The tmux session.
    pub session: String,
    /// `HOME` to run `ntm` with, when it is not the current one.
    pub home: Option<PathBuf>,
}

impl Target {
    /// The target for `session` when beadboard's NTM root is `ntm_root` and the user's home is
    /// `home`: NTM always uses `$HOME/.ntm`, so a root named `.ntm` elsewhere is reached by
    /// running `ntm` with `HOME` set to its parent.
    ///
    /// # Errors
    /// [`PlanError::UnreachableRoot`] for a root `ntm` cannot be pointed at.
    pub fn new(ntm_root: &Path, session: &str, home: Option<&Path>) -> Result<Target, PlanError> {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let own = home.is_some_and(|h| canonical(&h.join(".ntm")) == canonical(ntm_root));
        let home = if own {
            None
        } else if ntm_root.file_name().is_some_and(|n| n == ".ntm") {
            Some(
                ntm_root
                    .parent()
                    .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
            )
        } else {
            return Err(PlanError::UnreachableRoot(ntm_root.to_path_buf()));
        };
        Ok(Target {
            session: session.to_owned(),
            home,
        })
    }
}

/// One `ntm` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NtmCommand {
    /// The arguments after `ntm`.
    pub args: Vec<String>,
    /// `HOME` to run it with, when not the current one.
    pub home: Option<PathBuf>,
    /// What this step does, in words.
    pub purpose: String,
}

/// Quotes one word for a POSIX shell, only when it needs it.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%+-./:=@_,".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

impl NtmCommand {
    fn new(target: &Target, args: Vec<String>, purpose: String) -> NtmCommand {
        NtmCommand {
            args,
            home: target.home.clone(),
            purpose,
        }
    }

    /// The argv, starting with `ntm`.
    #[must_use]
    pub fn argv(&self) -> Vec<String> {
        std::iter::once("ntm".to_owned())
            .chain(self.args.iter().cloned())
            .collect()
    }

    /// The exact command line, as a user could paste it into a shell (with `HOME=…` first
    /// when it is run with another home).
    #[must_use]
    pub fn display(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        if let Some(home) = &self.home {
            words.push(format!("HOME={}", shell_word(&home.to_string_lossy())));
        }
        words.extend(self.argv().iter().map(|w| shell_word(w)));
        words.join(" ")
    }
}

impl fmt::Display for NtmCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// What to run for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The commands, in order; a later one runs only if the earlier succeeded.
    pub steps: Vec<NtmCommand>,
    /// A warning the user must confirm beyond the command itself (e.g. `--force`).
    pub confirm: Option<String>,
    /// Things worth knowing before running (e.g. NTM may refuse the whole session).
    pub warnings: Vec<String>,
}

impl Plan {
    /// Every command line, in order.
    #[must_use]
    pub fn command_lines(&self) -> Vec<String> {
        self.steps.iter().map(NtmCommand::display).collect()
    }
}

/// Why nothing will run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The row may not be touched.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// A pane that is not a pane selector NTM takes.
    #[error("pane {0:?}: give a %N tmux pane id (or a pane index N, or W.P)")]
    BadPane(String),
    /// Reassigning an assigned row needs a pane: it is clear, then assign to that pane.
    #[error(
        "{0} is assigned: reassigning it is `ntm assign --clear` then a new assignment, which needs a pane (--pane %N)"
    )]
    NeedsPane(String),
    /// `ntm` cannot be pointed at this root.
    #[error(
        "NTM keeps its stores in $HOME/.ntm; beadboard's NTM root is {}, which `ntm` cannot be pointed at (name the directory .ntm: beadboard then runs ntm with HOME set to its parent)",
        .0.display()
    )]
    UnreachableRoot(PathBuf),
}

/// `--flag VALUE` as the spec writes it, or `--flag=VALUE` when the value could read as a flag.
fn flag_value(flag: &str, value: &str) -> Vec<String> {
    if value.starts_with('-') || value.is_empty() {
        vec![format!("{flag}={value}")]
    } else {
        vec![flag.to_owned(), value.to_owned()]
    }
}

fn pane_ok(pane: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    is_pane_id(pane)
        || digits(pane)
        || pane
            .split_once('.')
            .is_some_and(|(w, p)| digits(w) && digits(p))
}

fn check_pane(pane: &str) -> Result<String, PlanError> {
    let pane = pane.trim();
    if pane_ok(pane) {
        Ok(pane.to_owned())
    } else {
        Err(PlanError::BadPane(pane.to_owned()))
    }
}

fn session_warnings(view: Option<&NtmView>, bead: &str) -> Vec<String> {
    let Some(view) = view else {
        return Vec::new();
    };
    let blocking: Vec<String> = view
        .blocking_rows()
        .into_iter()
        .filter(|b| b != bead)
        .collect();
    if blocking.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{} has no %N pane identity: NTM will likely refuse (PANE_IDENTITY_MIGRATION_REQUIRED)",
            blocking.join(", ")
        )]
    }
}

fn assign_step(target: &Target, bead: &str, pane: &str, prompt: Option<&str>) -> NtmCommand {
    let mut args = vec![
        "assign".to_owned(),
        target.session.clone(),
        format!("--pane={pane}"),
        format!("--beads={bead}"),
    ];
    if let Some(p) = prompt.filter(|p| !p.is_empty()) {
        args.push(format!("--prompt={p}"));
    }
    args.push("--json".to_owned());
    NtmCommand::new(target, args, format!("assign {bead} to pane {pane}"))
}

fn clear_step(target: &Target, bead: &str, force: bool) -> NtmCommand {
    let mut args = vec!["assign".to_owned(), target.session.clone()];
    args.extend(flag_value("--clear", bead));
    if force {
        args.push("--force".to_owned());
    }
    args.push("--json".to_owned());
    NtmCommand::new(target, args, format!("clear {bead}'s assignment"))
}

/// Assign a ready bead: `ntm assign S --pane=P --beads=ID [--prompt=P] --json`.
///
/// # Errors
/// [`PlanError::BadPane`].
pub fn plan_assign(
    target: &Target,
    bead: &str,
    pane: &str,
    prompt: Option<&str>,
    view: Option<&NtmView>,
) -> Result<Plan, PlanError> {
    let pane = check_pane(pane)?;
    Ok(Plan {
        steps: vec![assign_step(target, bead, &pane, prompt)],
        confirm: None,
        warnings: session_warnings(view, bead),
    })
}

/// Where a reassignment goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReassignTo {
    /// A pane (`%N` preferred).
    Pane(String),
    /// Any idle agent of a type (`claude`, `codex`, `gemini`).
    AgentType(String),
}

/// Reassign: from `working`, `ntm assign S --reassign ID --to-pane=P|--to-type=T --json`;
/// from `assigned`, NTM refuses that, so it is two commands: `--clear ID`, then an assign to
/// the pane.
///
/// # Errors
/// A refusal for the row, [`PlanError::NeedsPane`], [`PlanError::BadPane`].
pub fn plan_reassign(
    target: &Target,
    row: &NtmRow,
    to: &ReassignTo,
    prompt: Option<&str>,
    view: Option<&NtmView>,
) -> Result<Plan, PlanError> {
    if let Some(refusal) = row.refusal(RowAction::Reassign) {
        return Err(refusal.into());
    }
    let bead = row.bead();
    let warnings = session_warnings(view, bead);
    if row.status() == Some(NtmStatus::Assigned) {
        let ReassignTo::Pane(pane) = to else {
            return Err(PlanError::NeedsPane(bead.to_owned()));
        };
        let pane = check_pane(pane)?;
        return Ok(Plan {
            steps: vec![
                clear_step(target, bead, false),
                assign_step(target, bead, &pane, prompt),
            ],
            confirm: None,
            warnings,
        });
    }
    let to_flag = match to {
        ReassignTo::Pane(p) => format!("--to-pane={}", check_pane(p)?),
        ReassignTo::AgentType(t) => format!("--to-type={}", t.trim()),
    };
    let mut args = vec!["assign".to_owned(), target.session.clone()];
    args.extend(flag_value("--reassign", bead));
    args.push(to_flag.clone());
    if let Some(p) = prompt.filter(|p| !p.is_empty()) {
        args.push(format!("--prompt={p}"));
    }
    args.push("--json".to_owned());
    let purpose = format!("reassign {bead} ({})", to_flag.trim_start_matches("--"));
    Ok(Plan {
        steps: vec![NtmCommand::new(target, args, purpose)],
        confirm: None,
        warnings,
    })
}

/// Retry a failed bead: `ntm assign S --retry ID --json`.
///
/// # Errors
/// A refusal for the row (not failed, an unacknowledged event, …).
pub fn plan_retry(
    target: &Target,
    row: &NtmRow,
    view: Option<&NtmView>,
) -> Result<Plan, PlanError> {
    if let Some(refusal) = row.refusal(RowAction::Retry) {
        return Err(refusal.into());
    }
    let bead = row.bead();
    let mut args = vec!["assign".to_owned(), target.session.clone()];
    args.extend(flag_value("--retry", bead));
    args.push("--json".to_owned());
    Ok(Plan {
        steps: vec![NtmCommand::new(target, args, format!("retry {bead}"))],
        confirm: None,
        warnings: session_warnings(view, bead),
    })
}

/// Remove: `ntm assign S --clear ID --json`; a completed row needs `--force`, which the plan
/// includes and asks to confirm ([`Plan::confirm`]).
///
/// # Errors
/// A refusal for the row.
pub fn plan_remove(target: &Target, row: &NtmRow) -> Result<Plan, PlanError> {
    if let Some(refusal) = row.refusal(RowAction::Remove) {
        return Err(refusal.into());
    }
    let bead = row.bead();
    let completed = row.status() == Some(NtmStatus::Completed);
    Ok(Plan {
        steps: vec![clear_step(target, bead, completed)],
        confirm: completed.then(|| {
            format!("{bead} is completed: NTM clears a completed assignment only with --force")
        }),
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
