//! [`SessionSummary`]: what the Runs pane, `status`, attention and the JSON records need of a
//! session, built incrementally by a [`Summarizer`] fed the session's records in order, so a
//! growing file is summarised by reading only what was appended.

use super::skim::{Json, Squeezed};
use super::{Agent, SessionSource, SubagentLink, TurnState, claude, codex, gemini};
use crate::persist::run::cache::FileStamp;
use crate::persist::run::{PROMPT_HEAD, id_words};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Token totals, each API response counted once (Claude repeats a response's usage on every
/// line of it; Gemini re-appends a message as it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tokens {
    /// Input tokens (not counting cache reads).
    pub input: u64,
    /// Output tokens (reasoning included where the agent counts it so).
    pub output: u64,
    /// Tokens read from the prompt cache.
    pub cache_read: u64,
    /// Tokens written to the prompt cache.
    pub cache_write: u64,
}

impl Tokens {
    /// Everything counted.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.input + self.output + self.cache_read + self.cache_write
    }

    /// These totals less `other` (never below zero).
    #[must_use]
    pub fn saturating_sub(self, other: Tokens) -> Tokens {
        Tokens {
            input: self.input.saturating_sub(other.input),
            output: self.output.saturating_sub(other.output),
            cache_read: self.cache_read.saturating_sub(other.cache_read),
            cache_write: self.cache_write.saturating_sub(other.cache_write),
        }
    }
}

impl std::ops::AddAssign for Tokens {
    fn add_assign(&mut self, other: Tokens) {
        self.input = self.input.saturating_add(other.input);
        self.output = self.output.saturating_add(other.output);
        self.cache_read = self.cache_read.saturating_add(other.cache_read);
        self.cache_write = self.cache_write.saturating_add(other.cache_write);
    }
}

/// One agent session, compactly.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionSummary {
    /// Which agent wrote it.
    pub agent: Agent,
    /// The provider's session id (Claude `sessionId`, Codex `session_meta.id`, Gemini
    /// `sessionId`, OpenCode `ses_…`).
    pub id: String,
    /// Where it is read from.
    pub source: SessionSource,
    /// The working directory the agent ran in (from the records: Claude's encoding of it in the
    /// directory name cannot be reversed).
    pub cwd: String,
    /// The session's title when the agent gave it one (Claude `ai-title`, OpenCode `title`).
    pub title: Option<String>,
    /// The first prompt's first [`crate::persist::run::PROMPT_HEAD`] characters.
    pub prompt_head: String,
    /// Id-like words of the whole first prompt when it is longer than its head (see
    /// [`crate::persist::run::id_words`]), so a bead id past the head still links.
    pub prompt_ids: Vec<String>,
    /// The model of the last response.
    pub model: Option<String>,
    /// The first record's time.
    pub started_at: Option<DateTime<Utc>>,
    /// The last record's time.
    pub last_entry_at: Option<DateTime<Utc>>,
    /// Turns: prompts a person gave (ITER in the Runs pane).
    pub turns: u64,
    /// Token totals.
    pub tokens: Tokens,
    /// What the transcript's end says.
    pub turn: TurnState,
    /// Sub-agents started by this session (they are never runs of their own).
    pub subagents: Vec<SubagentLink>,
    /// The session this one is a sub-agent of, when it is one.
    pub parent: Option<String>,
    /// Bytes of the file read so far (complete lines only); 0 for a database.
    pub read_to: u64,
}

/// What a summariser keeps besides the summary, per agent, to go on from where it stopped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Progress {
    /// Claude: recent response ids (usage counted once), open tool calls, sub-agent starts.
    Claude(claude::summary::Progress),
    /// Codex: tasks and prompts seen, open tool calls.
    Codex(codex::summary::Progress),
    /// Gemini: the conversation rebuilt so far (`None` once only the summary is kept, as in
    /// the cache: a grown file is then read again whole).
    Gemini(Option<Box<gemini::doc::Doc>>),
    /// Nothing to keep (a source read whole every time).
    Whole,
}

impl Progress {
    fn new(agent: Agent) -> Progress {
        match agent {
            Agent::Claude => Progress::Claude(claude::summary::Progress::default()),
            Agent::Codex => Progress::Codex(codex::summary::Progress::default()),
            Agent::Gemini => Progress::Gemini(Some(Box::new(gemini::doc::Doc::new(false)))),
            Agent::OpenCode => Progress::Whole,
        }
    }
}

/// Builds a [`SessionSummary`] from a session's records, in order, one complete line at a
/// time; it can be kept and fed what is appended later (the result is the same as one read of
/// the whole file).
#[derive(Debug, Clone)]
pub struct Summarizer {
    summary: SessionSummary,
    resume: Resume,
}

/// Where a [`Summarizer`] stopped, without its summary: what it keeps besides the summary to
/// go on, and the identity of the file when it was last read. Kept apart from the summary
/// once the summary has moved into its run, so that no summary is held twice (the cache is
/// written from the run's summary and this).
#[derive(Debug, Clone)]
pub struct Resume {
    progress: Progress,
    stamp: Option<FileStamp>,
}

impl Resume {
    /// The file's identity when it was last read (`None`: not read from a file yet).
    #[must_use]
    pub fn stamp(&self) -> Option<FileStamp> {
        self.stamp
    }

    /// The progress kept (for the cache).
    pub(crate) fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Keeps only what the cache keeps: a Gemini conversation rebuilt so far is let go (its
    /// file, if it grows, is then read again whole). For a session whose summariser is not
    /// kept to read on.
    pub fn slim(&mut self) {
        if let Progress::Gemini(doc) = &mut self.progress {
            *doc = None;
        }
    }
}

impl Summarizer {
    /// A summariser for a session read from `source`.
    #[must_use]
    pub fn new(agent: Agent, source: SessionSource) -> Summarizer {
        Summarizer {
            summary: SessionSummary {
                agent,
                id: String::new(),
                source,
                cwd: String::new(),
                title: None,
                prompt_head: String::new(),
                prompt_ids: Vec::new(),
                model: None,
                started_at: None,
                last_entry_at: None,
                turns: 0,
                tokens: Tokens::default(),
                turn: TurnState::Unknown,
                subagents: Vec::new(),
                parent: None,
                read_to: 0,
            },
            resume: Resume {
                progress: Progress::new(agent),
                stamp: None,
            },
        }
    }

    /// The summary so far.
    #[must_use]
    pub fn summary(&self) -> &SessionSummary {
        &self.summary
    }

    /// The summary, kept.
    #[must_use]
    pub fn into_summary(self) -> SessionSummary {
        self.summary
    }

    /// The file the summary is read from, when it is a file.
    #[must_use]
    pub fn path(&self) -> Option<&PathBuf> {
        self.summary.source.file()
    }

    /// The file's identity when it was last read (`None`: not read from a file yet).
    #[must_use]
    pub fn stamp(&self) -> Option<FileStamp> {
        self.resume.stamp
    }

    /// Feeds one complete record (a line without its newline); `read_to` is not moved.
    pub fn feed_line(&mut self, line: &[u8]) {
        match &mut self.resume.progress {
            Progress::Claude(p) => claude::summary::feed(Json::new(line), &mut self.summary, p),
            Progress::Codex(p) => codex::summary::feed(Json::new(line), &mut self.summary, p),
            Progress::Gemini(Some(doc)) => {
                doc.apply_line(line);
                doc.summarize(&mut self.summary);
            }
            Progress::Gemini(None) | Progress::Whole => {}
        }
    }

    /// Feeds one complete long record, squeezed (see [`Squeezed`]): the summary is the one
    /// the whole line gives. `read_to` is not moved.
    pub(crate) fn feed_squeezed(&mut self, line: &Squeezed) {
        if line.bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let (summary, progress) = (&mut self.summary, &mut self.resume.progress);
        match progress {
            Progress::Claude(p) => claude::summary::feed(Json::squeezed(line), summary, p),
            Progress::Codex(p) => codex::summary::feed(Json::squeezed(line), summary, p),
            Progress::Gemini(Some(doc)) => {
                doc.apply_squeezed(line);
                doc.summarize(summary);
            }
            Progress::Gemini(None) | Progress::Whole => {}
        }
    }

    /// Feeds the complete lines at the start of `bytes` (which starts at `read_to` in the
    /// file), moves `read_to` past them and says how many bytes that was; a last line without
    /// its newline is left for the next call.
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        let mut used = 0;
        while let Some(n) = memchr::memchr(b'\n', &bytes[used..]) {
            let line = &bytes[used..used + n];
            if !line.iter().all(u8::is_ascii_whitespace) {
                match &mut self.resume.progress {
                    // The conversation is summarised once, after all the lines.
                    Progress::Gemini(Some(doc)) => doc.apply_line(line),
                    _ => self.feed_line(line),
                }
            }
            used += n + 1;
        }
        if let Progress::Gemini(Some(doc)) = &self.resume.progress {
            doc.summarize(&mut self.summary);
        }
        self.summary.read_to += used as u64;
        used
    }

    /// Steps over `n` bytes the summary does not read (a line too long to summarise).
    pub(crate) fn step_over(&mut self, n: u64) {
        self.summary.read_to += n;
    }

    /// Records the identity of the file the summary was read from.
    pub(crate) fn set_stamp(&mut self, stamp: Option<FileStamp>) {
        self.resume.stamp = stamp;
    }

    /// The summary to change in place (for what a format learns outside its lines).
    pub(crate) fn summary_mut(&mut self) -> &mut SessionSummary {
        &mut self.summary
    }

    /// The progress kept (for the cache).
    pub(crate) fn progress(&self) -> &Progress {
        &self.resume.progress
    }

    /// The summary and where the summariser stopped, borrowed together (what the cache
    /// writes).
    #[must_use]
    pub fn parts(&self) -> (&SessionSummary, &Resume) {
        (&self.summary, &self.resume)
    }

    /// The summary and where the summariser stopped, apart: the summary can move into its
    /// run while only the rest is kept beside it.
    #[must_use]
    pub fn split(self) -> (SessionSummary, Resume) {
        (self.summary, self.resume)
    }

    /// A summariser put back together from a summary and where it stopped (see
    /// [`Summarizer::split`]).
    #[must_use]
    pub fn join(summary: SessionSummary, resume: Resume) -> Summarizer {
        Summarizer { summary, resume }
    }

    /// A summariser put back together (from the cache).
    pub(crate) fn from_parts(
        summary: SessionSummary,
        progress: Progress,
        stamp: Option<FileStamp>,
    ) -> Summarizer {
        Summarizer::join(summary, Resume { progress, stamp })
    }
}

/// Notes a prompt a person gave: one more turn, and the first one's head and id words.
pub(crate) fn note_prompt(summary: &mut SessionSummary, text: &str) {
    summary.turns += 1;
    first_prompt(summary, text);
}

/// Keeps the first prompt's head and id words (later prompts change nothing).
pub(crate) fn first_prompt(summary: &mut SessionSummary, text: &str) {
    if !summary.prompt_head.is_empty() {
        return;
    }
    let text = text.trim();
    match text.char_indices().nth(PROMPT_HEAD) {
        Some((at, _)) => {
            summary.prompt_head = text[..at].to_owned();
            summary.prompt_ids = id_words(text);
        }
        None => summary.prompt_head = text.to_owned(),
    }
}

/// Notes a record's time: the first is the start, the latest the last entry.
pub(crate) fn note_time(summary: &mut SessionSummary, time: Option<DateTime<Utc>>) {
    let Some(t) = time else { return };
    if summary.started_at.is_none() {
        summary.started_at = Some(t);
    }
    if summary.last_entry_at.is_none_or(|last| t > last) {
        summary.last_entry_at = Some(t);
    }
}
