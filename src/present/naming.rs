//! How a run is named, everywhere outside the dashboard's loop: its **name**, `api #4` (the
//! repo directory's last component, `#`, the run id) or, for an agent session,
//! `webapp claude 88a8d7` (repo, agent, short id), which people read and type, and its
//! **reference**, `ea93126eefee3546/4` (repo id / run id) or the session's id, which is
//! unique. Every text output uses the name, every JSON output carries both, and every argument
//! that names a run accepts either, or a session id's prefix of six characters or more (see
//! [`resolve`]). The Runs pane's filter is in [`filter`].

mod filter;
mod sessions;

pub use filter::{Highlights, filter, find};

use super::{sanitize, text};
use crate::persist::run::{RunRecord, RunState, RunSummary};
use crate::persist::session::Agent;
use std::fmt;

/// What naming, resolving and filtering read of a run: a full [`RunRecord`] or a
/// [`RunSummary`] alike, agentpair run or agent session.
pub trait Named {
    /// The manifest's repo path; a session's working directory.
    fn repo_path(&self) -> &str;
    /// The repo directory's name (normally the 16-hex repo id); empty for a session.
    fn repo_key(&self) -> &str;
    /// The run directory's name (normally the decimal run id); a session's id.
    fn run_key(&self) -> &str;
    /// The state's word (`working`, `completed`, a session's `idle`).
    fn state_word(&self) -> &str;
    /// The prompt, or as much of it as is kept (a summary keeps its head).
    fn prompt(&self) -> &str;
    /// The tmux session name (empty when none).
    fn tmux_session(&self) -> &str;
    /// The agent that wrote a session; `None` for an agentpair run.
    fn agent(&self) -> Option<Agent>;
    /// A run on another host: the host, the host's name for the run, and whether the host is
    /// shown in front of it (more than one host is shown). `None` for this machine's runs.
    fn remote_name(&self) -> Option<(&str, &str, bool)> {
        None
    }
}

/// Implements [`Named`] for pointers to something named, by looking through them.
macro_rules! named_through {
    ($($ptr:ty),*) => {$(
        impl<T: Named + ?Sized> Named for $ptr {
            fn repo_path(&self) -> &str {
                (**self).repo_path()
            }
            fn repo_key(&self) -> &str {
                (**self).repo_key()
            }
            fn run_key(&self) -> &str {
                (**self).run_key()
            }
            fn state_word(&self) -> &str {
                (**self).state_word()
            }
            fn prompt(&self) -> &str {
                (**self).prompt()
            }
            fn tmux_session(&self) -> &str {
                (**self).tmux_session()
            }
            fn agent(&self) -> Option<Agent> {
                (**self).agent()
            }
            fn remote_name(&self) -> Option<(&str, &str, bool)> {
                (**self).remote_name()
            }
        }
    )*};
}

named_through!(&T, std::sync::Arc<T>);

impl Named for RunRecord {
    fn repo_path(&self) -> &str {
        &self.manifest.repo_path
    }
    fn repo_key(&self) -> &str {
        &self.repo_key
    }
    fn run_key(&self) -> &str {
        &self.run_key
    }
    fn state_word(&self) -> &str {
        self.manifest.state.as_str()
    }
    fn prompt(&self) -> &str {
        &self.manifest.prompt
    }
    fn tmux_session(&self) -> &str {
        &self.manifest.tmux_session
    }
    fn agent(&self) -> Option<Agent> {
        None
    }
}

impl Named for RunSummary {
    fn repo_path(&self) -> &str {
        RunSummary::repo_path(self)
    }
    fn repo_key(&self) -> &str {
        &self.repo_key
    }
    fn run_key(&self) -> &str {
        &self.run_key
    }
    fn state_word(&self) -> &str {
        match self.state() {
            RunState::Agentpair(s) => s.as_str(),
            RunState::Agent(a) => a.as_str(),
        }
    }
    fn prompt(&self) -> &str {
        self.prompt_head()
    }
    fn tmux_session(&self) -> &str {
        RunSummary::tmux_session(self)
    }
    fn agent(&self) -> Option<Agent> {
        RunSummary::agent(self)
    }
    fn remote_name(&self) -> Option<(&str, &str, bool)> {
        self.remote_run()
            .map(|r| (r.host.as_str(), r.name.as_str(), r.prefixed))
    }
}

/// The run's name: `api #4` for an agentpair run, `webapp claude 88a8d7` (repo, agent, short
/// id) for an agent session; a run on another host as the host names it, with the host in
/// front while more than one host is shown (`gpu1:api #4`). What the screen, the CLI's text
/// and the notices call it.
#[must_use]
pub fn name<R: Named + ?Sized>(run: &R) -> String {
    if let Some((host, name, prefixed)) = run.remote_name() {
        let name = sanitize::one_line(name);
        return if prefixed { on_host(host, &name) } else { name };
    }
    match run.agent() {
        Some(agent) => session_name(run.repo_path(), agent, run.run_key()),
        None => name_of(run.repo_path(), run.run_key()),
    }
}

/// `gpu1:api #4`: a name on another host, the host in front.
#[must_use]
pub fn on_host(host: &str, name: &str) -> String {
    format!("{}:{name}", sanitize::one_line(host))
}

/// `api #4` from a repo path and a run directory's name.
fn name_of(repo_path: &str, run_key: &str) -> String {
    text::run_name(&sanitize::one_line(repo_path), &sanitize::one_line(run_key))
}

/// `webapp claude 88a8d7`: the last component of the session's working directory, the agent
/// and [`short_id`].
#[must_use]
pub fn session_name(cwd: &str, agent: Agent, id: &str) -> String {
    // A session may have run on Windows (`C:\src\webapp`).
    let cwd = sanitize::one_line(cwd).replace('\\', "/");
    format!("{} {agent} {}", text::repo_base(&cwd), short_id(id))
}

/// Six letters or digits that tell a session from its neighbours: the first six of its id
/// (`88a8d761-…` → `88a8d7`). Ids that begin with their creation time, where sessions started
/// the same day share the first six, give their last six instead: a UUID of version 7 (Codex)
/// and an OpenCode `ses_…` id.
#[must_use]
pub fn short_id(id: &str) -> String {
    let alnum = |s: &str| -> Vec<char> { s.chars().filter(char::is_ascii_alphanumeric).collect() };
    let timed = is_uuid_v7(id) || id.starts_with("ses_");
    let chars = alnum(id.strip_prefix("ses_").unwrap_or(id));
    let pick: String = if timed {
        chars[chars.len().saturating_sub(SHORT_ID)..]
            .iter()
            .collect()
    } else {
        chars.iter().take(SHORT_ID).collect()
    };
    if pick.is_empty() {
        "?".to_owned()
    } else {
        pick.to_ascii_lowercase()
    }
}

/// How many characters [`short_id`] keeps, and the shortest id prefix [`resolve`] takes.
pub const SHORT_ID: usize = 6;

/// A UUID (8-4-4-4-12 hex digits) of version 7, which starts with its creation time.
fn is_uuid_v7(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
        && groups[2].starts_with('7')
}

/// The run's reference, `<repo id>/<run id>` (its two directory names): unique under a root;
/// a session's id.
#[must_use]
pub fn reference<R: Named + ?Sized>(run: &R) -> String {
    match run.agent() {
        Some(_) => run.run_key().to_owned(),
        None => format!("{}/{}", run.repo_key(), run.run_key()),
    }
}

/// The repo part of a name: the last component of the repo path (`?` when there is none).
fn repo_name<R: Named + ?Sized>(run: &R) -> String {
    let name = name(run);
    let cut = name.rfind(" #").unwrap_or(name.len());
    name[..cut].to_owned()
}

/// How a run was named on the command line or in a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec<'a> {
    /// `api #4`, or `#4` (no repo given).
    Name {
        /// The repo name, empty for `#4`.
        repo: &'a str,
        /// The run id.
        id: &'a str,
    },
    /// `REPO_ID/ID`, where the repo id may be a unique prefix.
    Reference {
        /// The repo id or a prefix of it.
        repo: &'a str,
        /// The run id.
        id: &'a str,
    },
    /// A bare `ID`.
    Id(&'a str),
}

impl<'a> Spec<'a> {
    /// Reads `text` as a name (`api #4`, `#4`), a reference (`REPO_ID/ID`) or an id (`4`).
    /// `None` when it is none of them (empty, or an id part that is not a run id).
    #[must_use]
    pub fn parse(text: &'a str) -> Option<Spec<'a>> {
        let text = text.trim();
        let is_id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if let Some((repo, id)) = text.rsplit_once('#') {
            let id = id.trim();
            return is_id(id).then(|| Spec::Name {
                repo: repo.trim(),
                id,
            });
        }
        if let Some((repo, id)) = text.rsplit_once('/') {
            return (!repo.is_empty() && !repo.contains('/') && is_id(id))
                .then_some(Spec::Reference { repo, id });
        }
        is_id(text).then_some(Spec::Id(text))
    }

    /// The run id it names.
    #[must_use]
    pub fn id(&self) -> &'a str {
        match self {
            Spec::Name { id, .. } | Spec::Reference { id, .. } | Spec::Id(id) => id,
        }
    }
}

/// Why a name does not pick exactly one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Not a run name at all.
    NotAName(String),
    /// No run has this name.
    Unknown {
        /// What was asked for.
        spec: String,
        /// What would help (the runs with that id, or where runs are looked for).
        hint: String,
    },
    /// Several runs have this name.
    Ambiguous {
        /// What was asked for.
        spec: String,
        /// Each candidate's name and reference.
        candidates: Vec<(String, String)>,
        /// How to name one of them unambiguously.
        remedy: &'static str,
    },
    /// A session id prefix shorter than [`SHORT_ID`] characters.
    ShortPrefix(String),
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::NotAName(spec) => write!(
                f,
                "{spec:?} is not a run name: use NAME #ID (api #4), #ID or ID (a run of the current directory's repo), or REPO_ID/ID; for an agent session its name (webapp claude 88a8d7), its id, or {SHORT_ID} or more of its id's first characters"
            ),
            NameError::ShortPrefix(spec) => write!(
                f,
                "{spec:?} is too short to name a session: give at least {SHORT_ID} characters of its id"
            ),
            NameError::Unknown { spec, hint } => write!(f, "no run {spec}: {hint}"),
            NameError::Ambiguous {
                spec,
                candidates,
                remedy,
            } => {
                let list: Vec<String> = candidates
                    .iter()
                    .map(|(name, reference)| format!("{name} ({reference})"))
                    .collect();
                write!(
                    f,
                    "{spec} could be any of {} runs: {}; {remedy}",
                    candidates.len(),
                    list.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for NameError {}

/// Finds the one run `spec` names among `runs`. `here` is the current directory's repo id:
/// `#4` and `4` mean run 4 of that repo, or, when it has none, the only run 4 there is.
/// `api #4` is the run 4 of a repo whose directory is named `api`; `REPO_ID/ID` takes a repo
/// id or a unique prefix of one. An agent session is named by its name
/// (`webapp claude 88a8d7`), its whole id, or the first [`SHORT_ID`] or more characters of
/// its id when no other session's id starts the same.
///
/// # Errors
/// A [`NameError`] saying what is wrong: not a name, no such run, a session id prefix too
/// short, or which runs it could be.
pub fn resolve<'r, R: Named>(
    spec: &str,
    runs: &'r [R],
    here: Option<&str>,
) -> Result<&'r R, NameError> {
    let shown = sanitize::one_line(spec.trim());
    let Some(parsed) = Spec::parse(spec) else {
        return sessions::resolve(spec.trim(), shown, runs);
    };
    match resolve_agentpair(parsed, shown.clone(), runs, here) {
        // All digits: a run id nobody has may still be the start of a session's id.
        Err(unknown @ NameError::Unknown { .. }) if matches!(parsed, Spec::Id(_)) => {
            sessions::resolve(spec.trim(), shown, runs).map_err(|e| match e {
                NameError::ShortPrefix(_) | NameError::Ambiguous { .. } => e,
                _ => unknown,
            })
        }
        found => found,
    }
}

fn resolve_agentpair<'r, R: Named>(
    parsed: Spec<'_>,
    shown: String,
    runs: &'r [R],
    here: Option<&str>,
) -> Result<&'r R, NameError> {
    let id = parsed.id();
    let with_id: Vec<&R> = runs
        .iter()
        .filter(|r| r.agent().is_none() && r.run_key() == id)
        .collect();
    let candidates: Vec<&R> = match parsed {
        Spec::Name { repo, .. } if !repo.is_empty() => {
            let exact: Vec<&R> = with_id
                .iter()
                .copied()
                .filter(|r| repo_name(r) == repo)
                .collect();
            if exact.is_empty() {
                with_id
                    .iter()
                    .copied()
                    .filter(|r| repo_name(r).eq_ignore_ascii_case(repo))
                    .collect()
            } else {
                exact
            }
        }
        Spec::Reference { repo, .. } => {
            let exact: Vec<&R> = with_id
                .iter()
                .copied()
                .filter(|r| r.repo_key() == repo)
                .collect();
            if exact.is_empty() {
                with_id
                    .iter()
                    .copied()
                    .filter(|r| r.repo_key().starts_with(repo))
                    .collect()
            } else {
                exact
            }
        }
        Spec::Name { .. } | Spec::Id(_) => {
            let in_here: Vec<&R> = with_id
                .iter()
                .copied()
                .filter(|r| here.is_some_and(|h| r.repo_key() == h))
                .collect();
            if in_here.is_empty() {
                with_id.clone()
            } else {
                in_here
            }
        }
    };
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(NameError::Unknown {
            spec: shown,
            hint: unknown_hint(parsed, &with_id, runs),
        }),
        many => Err(NameError::Ambiguous {
            spec: shown,
            candidates: many.iter().map(|r| (name(r), reference(r))).collect(),
            remedy: "name one by REPO_ID/ID",
        }),
    }
}

fn unknown_hint<R: Named>(parsed: Spec<'_>, with_id: &[&R], runs: &[R]) -> String {
    if runs.is_empty() {
        return "there are no runs (see `beadboard runs`)".to_owned();
    }
    if runs.iter().all(|r| r.agent().is_some()) {
        return "there are no agentpair runs (see `beadboard runs`)".to_owned();
    }
    let what = match parsed {
        Spec::Reference { repo, .. } => format!("no repo id starting with {repo:?} has it"),
        Spec::Name { repo, .. } if !repo.is_empty() => format!("no repo named {repo:?} has it"),
        _ => "no repo has it".to_owned(),
    };
    if with_id.is_empty() {
        return format!(
            "{what}, and no run has id {} (see `beadboard runs`)",
            parsed.id()
        );
    }
    let names: Vec<String> = with_id.iter().map(name).collect();
    format!("{what}; runs with id {}: {}", parsed.id(), names.join(", "))
}

#[cfg(test)]
mod tests;
