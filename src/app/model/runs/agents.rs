//! Agent sessions in the Runs pane: listed and summarised by the agents worker (a session
//! whose file has not changed is not read again), read again one at a time as their files
//! grow, their processes asked after while any is alive, and their states decided again when
//! the clock alone changes them (a session with no known process finishes once quiet). The
//! sources found (and where) are kept for the empty pane and `doctor`.

use super::RunsPane;
use crate::app::effect::{AgentLoad, AgentScan, AgentTarget, Effect};
use crate::app::outcome::{AgentRead, AgentsFound};
use crate::app::work::agents::{Judge, Resumes, rejoin};
use crate::persist::run::{RunKind, RunSummary};
use crate::persist::session::{
    Agent, SessionFile, SessionRoots, SessionSource, SourceReport, TurnState,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How often the processes of sessions with a live one are asked after (a process that exits
/// writes nothing to say so).
pub const ALIVE_EVERY: Duration = Duration::from_secs(5);

/// Whether a scan of the sessions is under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Scan {
    /// None asked for.
    #[default]
    Idle,
    /// One is under way.
    Running,
    /// One is under way, and another was asked for meanwhile.
    Again,
    /// One was asked for while the runs' first listing was being read: it starts when that
    /// ends, so the start's two biggest reads never overlap (their peaks would add up).
    AfterRuns,
}

/// The agent sessions' side of the pane.
#[derive(Debug, Default)]
pub struct Agents {
    /// Where the agents keep their sessions.
    roots: SessionRoots,
    /// Quiet this long with no known process: finished (the stale threshold).
    quiet: Duration,
    /// Where the reading of each unfinished session stopped, by key, to read on from there
    /// (its summary is its run's; a session that finishes lets go of its entry).
    resumes: Resumes,
    /// Each source looked at by the last scan (`None` before the first one ends).
    reports: Option<Vec<SourceReport>>,
    /// Sessions or directories that could not be read, and why.
    problems: BTreeMap<PathBuf, String>,
    scan: Scan,
    /// When the live processes are next asked after.
    next_alive: Option<DateTime<Utc>>,
    /// Files not listed that changed while a listing was under way: read on their own once it
    /// lands, unless it names them.
    unknown: std::collections::HashSet<PathBuf>,
    /// Keys of files found to be no session of their own (a Codex sub-agent's rollout, a stray
    /// file): their changes ask for nothing again.
    not_sessions: std::collections::HashSet<PathBuf>,
    /// The earliest moment a listed session's state changes with the clock alone (worked out
    /// again whenever the sessions change, so the loop's every wake-up costs nothing here).
    next_decide: Option<DateTime<Utc>>,
}

impl RunsPane {
    /// Lists the agent sessions under `roots`, their states decided with `quiet` as the
    /// threshold (nothing is asked for when every source is switched off or none is set).
    pub fn watch_agents(&mut self, roots: SessionRoots, quiet: Duration, now: DateTime<Utc>) {
        self.agents.roots = roots;
        self.agents.quiet = quiet;
        self.scan_agents(now);
    }

    /// Where the agents' sessions are looked for.
    #[must_use]
    pub fn agent_roots(&self) -> &SessionRoots {
        &self.agents.roots
    }

    /// What the last scan found of each source (`None` before the first scan ends).
    #[must_use]
    pub fn agent_reports(&self) -> Option<&[SourceReport]> {
        self.agents.reports.as_deref()
    }

    /// Sessions or directories that could not be read, and why.
    #[must_use]
    pub fn agent_problems(&self) -> &BTreeMap<PathBuf, String> {
        &self.agents.problems
    }

    fn judge(&self, now: DateTime<Utc>) -> Judge {
        Judge {
            quiet: self.agents.quiet,
            now,
        }
    }

    fn any_source(&self) -> bool {
        let r = &self.agents.roots;
        let set = |agent| match agent {
            Agent::Claude => !r.claude.is_empty(),
            Agent::Codex => r.codex.is_some(),
            Agent::Gemini => r.gemini.is_some(),
            Agent::OpenCode => r.opencode.is_some(),
        };
        Agent::ALL.into_iter().any(|a| set(a) && r.enabled(a))
    }

    /// Asks for every session to be listed again (one scan at a time; one asked for meanwhile
    /// runs when it ends).
    pub fn scan_agents(&mut self, now: DateTime<Utc>) {
        if !self.any_source() {
            self.agents.reports = Some(Vec::new());
            return;
        }
        match self.agents.scan {
            Scan::Running | Scan::Again => {
                self.agents.scan = Scan::Again;
                return;
            }
            Scan::AfterRuns => return,
            Scan::Idle if self.loading || self.progress.is_some() => {
                self.agents.scan = Scan::AfterRuns;
                return;
            }
            Scan::Idle => self.agents.scan = Scan::Running,
        }
        let known = self
            .list
            .all_shared()
            .filter(|r| r.session().is_some())
            .map(|r| (r.dir.clone(), Arc::clone(r)))
            .collect();
        self.outbox.push(Effect::ScanAgents(Box::new(AgentScan {
            roots: self.agents.roots.clone(),
            known,
            previous: std::mem::take(&mut self.agents.resumes),
            judge: self.judge(now),
            cache_dir: self.cache_dir.clone(),
        })));
    }

    /// Starts the scan of the sessions that waited for the runs' first listing, once it is
    /// read whole.
    pub fn runs_listed(&mut self, now: DateTime<Utc>) {
        if self.agents.scan == Scan::AfterRuns && !self.loading && self.progress.is_none() {
            self.agents.scan = Scan::Idle;
            self.scan_agents(now);
        }
    }

    /// Takes a scan: the sessions listed replace those listed before. Returns the sessions
    /// new to the list, and whether this was the first scan (its findings were there before
    /// the dashboard started).
    pub fn apply_agents(
        &mut self,
        found: AgentsFound,
        now: DateTime<Utc>,
    ) -> (Vec<Arc<RunSummary>>, bool) {
        let AgentsFound {
            runs,
            summarizers,
            reports,
            problems,
        } = found;
        let first = self.agents.reports.is_none();
        // A changed file the listing does not name as a session (nor as a session's database)
        // is no session: its next changes ask for no listing.
        let databases: std::collections::HashSet<&Path> = runs
            .iter()
            .filter_map(|r| match &r.session()?.summary.source {
                SessionSource::Database { db, .. } => Some(db.as_path()),
                _ => None,
            })
            .collect();
        let listed: std::collections::HashSet<&Path> =
            runs.iter().map(|r| r.dir.as_path()).collect();
        // Files that changed while the listing was under way and that it does not name: each
        // is read on its own (made after the listing looked, or no session at all).
        let mut unlisted = Vec::new();
        for path in std::mem::take(&mut self.agents.unknown) {
            let key = SessionSource::Lines(path.clone()).key();
            if !listed.contains(key.as_path()) && !databases.contains(path.as_path()) {
                unlisted.push((path, key));
            }
        }
        self.agents.resumes.extend(summarizers);
        self.agents.reports = Some(reports);
        self.agents.problems = problems.into_iter().collect();
        let runs = runs.into_iter().map(|r| self.tied(r, now)).collect();
        let added = self.list.replace_sessions(runs);
        self.ensure_selection();
        let again = self.agents.scan == Scan::Again;
        self.agents.scan = Scan::Idle;
        if again {
            self.scan_agents(now);
        }
        for (path, key) in unlisted {
            self.load_agent(AgentTarget::New(path), key, now);
        }
        self.plan_alive(now);
        (added, first)
    }

    /// A file under a session root changed: the session it belongs to is read again, or, for
    /// a file not listed (a new session, as a rule), that file is read on its own: nothing
    /// else is listed. Only a change that names no one session (the OpenCode database) lists
    /// every session again. While a listing is under way, a file not listed waits for it (see
    /// [`RunsPane::apply_agents`]), so the start's listing still finds no session known.
    pub fn agent_changed(&mut self, path: &Path, now: DateTime<Utc>) {
        let key = SessionSource::Lines(path.to_path_buf()).key();
        let listed = self
            .list
            .get(&key)
            .and_then(|r| r.session())
            .map(|s| (s.agent(), s.summary.source.clone(), s.summary.id.clone()));
        if let Some((agent, source, id)) = listed.filter(|(_, s, _)| s.file().is_some()) {
            let file = SessionFile {
                agent,
                source,
                id_hint: Some(id),
                stamp: None,
            };
            return self.load_agent(AgentTarget::Listed(file), key, now);
        }
        if self.agents.not_sessions.contains(&key) {
            return;
        }
        if self.is_database(path) {
            return self.scan_agents(now);
        }
        if self.agents.scan != Scan::Idle {
            self.agents.unknown.insert(path.to_path_buf());
            return;
        }
        self.load_agent(AgentTarget::New(path.to_path_buf()), key, now);
    }

    /// Asks for one session (or one file not listed yet) to be read, from where its reading
    /// stopped (with its run's summary).
    fn load_agent(&mut self, file: AgentTarget, key: PathBuf, now: DateTime<Utc>) {
        let previous = self.agents.resumes.remove(&key);
        let previous = previous.and_then(|r| rejoin(self.list.get(&key)?, r));
        self.outbox.push(Effect::LoadAgent(Box::new(AgentLoad {
            roots: self.agents.roots.clone(),
            file,
            previous,
            judge: self.judge(now),
        })));
    }

    /// Whether `path` is the OpenCode database (its changes name no one session).
    fn is_database(&self, path: &Path) -> bool {
        self.agents.roots.opencode.as_deref() == Some(path)
    }

    /// Forgets which files were found to be no session (checked again at the next change):
    /// a session whose first record was not written yet when it was listed is not missed for
    /// long.
    pub(super) fn forget_not_sessions(&mut self) {
        self.agents.not_sessions.clear();
    }

    /// Takes one session read again.
    pub fn apply_agent(&mut self, key: &Path, read: AgentRead, now: DateTime<Utc>) {
        match read {
            // A sub-agent's rollout read as a session while its first record was unwritten.
            AgentRead::Loaded(run, _)
                if run.session().is_some_and(|s| s.summary.parent.is_some()) =>
            {
                self.list.remove(key);
                self.agents.resumes.remove(key);
                self.agents.not_sessions.insert(key.to_path_buf());
            }
            AgentRead::Loaded(run, resume) => {
                self.agents.problems.remove(key);
                if let Some(r) = resume.filter(|_| !run.is_complete()) {
                    self.agents.resumes.insert(key.to_path_buf(), r);
                }
                let run = self.tied(run, now);
                self.list.upsert_shared(run);
            }
            // A file not listed, gone before it was read: nothing to take.
            AgentRead::Gone if self.list.get(key).is_none() => {}
            AgentRead::Gone => {
                self.list.remove(key);
                self.agents.resumes.remove(key);
                // Moved rather than removed, perhaps (a Codex rollout compressed).
                self.scan_agents(now);
            }
            AgentRead::NotSession => {
                self.agents.not_sessions.insert(key.to_path_buf());
            }
            AgentRead::Failed(why) => {
                // A file not listed that cannot be read as a session is none, as a listing
                // would find (until the minutely check forgets it).
                if self.list.get(key).is_none() {
                    self.agents.not_sessions.insert(key.to_path_buf());
                }
                self.agents.problems.insert(key.to_path_buf(), why);
            }
        }
        self.ensure_selection();
        self.plan_alive(now);
    }

    /// Lets go of where the reading stopped of each session in `changed` that is finished now
    /// (a session finishes by the clock, or when its process ends, with no read), so only the
    /// unfinished keep theirs: a finished session whose file grows again is read whole, as one
    /// listed when finished.
    pub(super) fn let_go_finished(&mut self, changed: &[PathBuf]) {
        for key in changed {
            if self.list.get(key).is_none_or(|r| r.is_complete()) {
                self.agents.resumes.remove(key);
            }
        }
    }

    /// How many sessions keep where their reading stopped, to read on from there (the
    /// unfinished ones, never the history).
    #[must_use]
    pub fn sessions_read_on(&self) -> usize {
        self.agents.resumes.len()
    }

    /// Plans the next look at live processes, while any session has one, and works out when
    /// a state next changes with the clock. Both are kept by the list as sessions come and go
    /// (the soonest change first, and a count of live processes): per-event work looks at no
    /// session, however many are recent.
    fn plan_alive(&mut self, now: DateTime<Utc>) {
        self.agents.next_decide = self.list.next_due();
        let any = self.list.any_alive();
        self.agents.next_alive =
            any.then(|| now + chrono::Duration::from_std(ALIVE_EVERY).unwrap_or_default());
    }

    /// Asks after the processes of sessions with a live one, when that is due.
    pub fn check_alive_due(&mut self, now: DateTime<Utc>) {
        if self.agents.next_alive.is_none_or(|at| at > now) {
            return;
        }
        self.agents.next_alive = None;
        let sessions: Vec<(PathBuf, String)> = self
            .list
            .restless()
            .filter_map(|r| {
                let s = r.session()?;
                (s.alive.is_some() && s.agent() == Agent::Claude)
                    .then(|| (r.dir.clone(), s.summary.id.clone()))
            })
            .collect();
        if !sessions.is_empty() {
            self.outbox.push(Effect::CheckAlive {
                roots: self.agents.roots.clone(),
                sessions,
            });
        }
    }

    /// Takes what the registries say of sessions' processes; returns the keys of the
    /// sessions whose state changed.
    pub fn apply_alive(
        &mut self,
        updates: Vec<(PathBuf, Option<bool>, Option<TurnState>)>,
        now: DateTime<Utc>,
    ) -> Vec<PathBuf> {
        let by_key: HashMap<PathBuf, (Option<bool>, Option<TurnState>)> = updates
            .into_iter()
            .map(|(k, alive, turn)| (k, (alive, turn)))
            .collect();
        let mut changed = Vec::new();
        let ties = &self.ties;
        // What the binding saw of a process wins over a registry's word.
        let alive_of = |dir: &Path, registry: Option<bool>| match ties.get(dir) {
            Some(t) => Some(t.alive),
            None => registry,
        };
        self.list.update_restless(
            |r| {
                r.session().is_some_and(|s| {
                    by_key.get(&r.dir).is_some_and(|(alive, turn)| {
                        s.alive != alive_of(&r.dir, *alive) || s.live_turn != *turn
                    })
                })
            },
            |r| {
                if let (Some((alive, turn)), RunKind::Session(s)) =
                    (by_key.get(&r.dir), &mut r.kind)
                {
                    s.alive = alive_of(&r.dir, *alive);
                    s.live_turn.clone_from(turn);
                    s.decide(now);
                    changed.push(r.dir.clone());
                }
            },
        );
        self.ensure_selection();
        self.let_go_finished(&changed);
        self.plan_alive(now);
        changed
    }

    /// When a session's state next changes with the clock alone, or its processes are next
    /// asked after.
    #[must_use]
    pub(super) fn next_agent_check(&self) -> Option<DateTime<Utc>> {
        match (self.agents.next_decide, self.agents.next_alive) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Decides again the states the clock has changed by `now`; returns the keys of the
    /// sessions whose state changed.
    pub fn redecide_due(&mut self, now: DateTime<Utc>) -> Vec<PathBuf> {
        if self.agents.next_decide.is_none_or(|t| t > now) {
            return Vec::new();
        }
        let mut changed = Vec::new();
        self.list.update_due(now, |r| {
            if let RunKind::Session(s) = &mut r.kind {
                s.decide(now);
                changed.push(r.dir.clone());
            }
        });
        if !changed.is_empty() {
            self.ensure_selection();
            self.let_go_finished(&changed);
        }
        let alive = self.agents.next_alive;
        self.plan_alive(now);
        // Deciding again is no reason to ask after the processes sooner.
        self.agents.next_alive = alive.or(self.agents.next_alive);
        changed
    }
}
