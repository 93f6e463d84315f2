//! One simulated Claude Code or Codex session, appended record by record in the agent's own
//! format and layout (Claude: `claude/projects/<encoded cwd>/<uuid>.jsonl`, a response split over
//! lines that share `message.id`; Codex: `codex/sessions/YYYY/MM/DD/rollout-…-<uuid>.jsonl`,
//! `{timestamp, type, payload}` lines from `session_meta` to `task_complete`), so the dashboard
//! reads it through the same readers as a real one. Its first prompt is NTM's, naming the bead,
//! which links the session to its card. A Claude session may end on an API error.

mod records;

use super::catalog::Bead;
use super::corpus::Corpus;
use super::script::Outcome;
use chrono::{DateTime, Utc};
use records::Records;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Which agent writes the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Claude Code.
    Claude,
    /// Codex CLI.
    Codex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Think,
    Call,
    Output,
    Reply,
    Finished,
}

/// A session in progress.
#[derive(Debug)]
pub struct Session {
    file: PathBuf,
    records: Records,
    /// The bead the session works on.
    pub bead: Option<String>,
    phase: Phase,
    calls_left: u32,
    fails: bool,
    /// Set once the session has ended.
    pub outcome: Option<Outcome>,
}

/// Claude's directory name for a cwd: every character but `[A-Za-z0-9]` becomes `-`.
fn encode(cwd: &str) -> String {
    cwd.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A uuid-shaped id.
fn uuid(rng: &mut fastrand::Rng) -> String {
    let mut hex = |n: usize| -> String {
        (0..n)
            .map(|_| char::from_digit(rng.u32(..16), 16).unwrap_or('0'))
            .collect()
    };
    format!("{}-{}-4{}-8{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

impl Session {
    /// Starts a session of `kind` on `bead` under `agents` (the sandbox's directory holding
    /// `claude/` and `codex/`) at `now`: its first records, up to the prompt. It makes 1–3
    /// tool calls; a Claude session that `may_fail` sometimes ends on an API error.
    ///
    /// # Errors
    /// Any write error.
    pub fn begin(
        agents: &Path,
        kind: Kind,
        bead: &Bead,
        may_fail: bool,
        rng: &mut fastrand::Rng,
        now: DateTime<Utc>,
    ) -> std::io::Result<Session> {
        let id = uuid(rng);
        let file = match kind {
            Kind::Claude => agents
                .join("claude/projects")
                .join(encode(&bead.repo))
                .join(format!("{id}.jsonl")),
            Kind::Codex => agents
                .join("codex/sessions")
                .join(now.format("%Y/%m/%d").to_string())
                .join(format!(
                    "rollout-{}-{id}.jsonl",
                    now.format("%Y-%m-%dT%H-%M-%S")
                )),
        };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut session = Session {
            file,
            records: Records::new(kind, id, bead.repo.clone()),
            bead: Some(bead.id.clone()),
            phase: Phase::Think,
            calls_left: rng.u32(1..=3),
            fails: may_fail && kind == Kind::Claude && rng.u8(..100) < 20,
            outcome: None,
        };
        let lines = session.records.prompt(&bead.prompt(), now);
        session.append(&lines)?;
        Ok(session)
    }

    /// The session's file.
    #[must_use]
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Appends `lines` (each a record) as the agent does: open, append, close.
    fn append(&self, lines: &[String]) -> std::io::Result<()> {
        let mut text = String::new();
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.file)?
            .write_all(text.as_bytes())
    }

    /// Writes the session's next step at `now`: thinking, a tool call, its output, and at
    /// last the reply (or the API error) that ends it.
    ///
    /// # Errors
    /// Any write error.
    pub fn step(
        &mut self,
        corpus: &Corpus,
        rng: &mut fastrand::Rng,
        now: DateTime<Utc>,
    ) -> std::io::Result<()> {
        let r = &mut self.records;
        let (lines, next) = match self.phase {
            Phase::Think => (
                r.thinking(&Corpus::pick(&corpus.thoughts, rng), now),
                Phase::Call,
            ),
            Phase::Call => (
                r.call(&Corpus::pick(&corpus.commands, rng), now),
                Phase::Output,
            ),
            Phase::Output => {
                self.calls_left = self.calls_left.saturating_sub(1);
                let failing = rng.u8(..100) < 15;
                let output = Corpus::pick(&corpus.tool_outputs, rng);
                let next = if self.calls_left > 0 {
                    Phase::Think
                } else {
                    Phase::Reply
                };
                (r.output(&output, failing, now), next)
            }
            Phase::Reply if self.fails => {
                let error = Corpus::pick(&corpus.api_errors, rng);
                self.outcome = Some(Outcome::Failed(error.clone()));
                (r.api_error(&error, now), Phase::Finished)
            }
            Phase::Reply => {
                self.outcome = Some(Outcome::Completed);
                (
                    r.reply(&Corpus::pick(&corpus.primary_done, rng), now),
                    Phase::Finished,
                )
            }
            Phase::Finished => return Ok(()),
        };
        self.phase = next;
        self.append(&lines)
    }
}

#[cfg(test)]
mod tests;
