//! `run.Transcript`: appending entries to `transcript.jsonl` the way agentpair does, and reading
//! it back, both upstream's way (stop at the first bad line) and leniently (report bad lines,
//! keep going).

use super::{EntryType, RunError, State, TranscriptEntry, TranscriptTail};
use crate::persist::atomic;
use crate::persist::gojson::{self, Object};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Mode of a newly created JSONL file (agentpair: 0644 minus the umask).
pub const JSONL_MODE: u32 = 0o644;

/// We never write a line this long or longer: agentpair's scanner rejects lines of 10 MiB.
pub const MAX_WRITE_LINE: usize = 10 * 1024 * 1024;

/// The audit log of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    path: PathBuf,
    run_id: i64,
}

/// One line as the lenient reader sees it: an entry, or a line it could not read.
#[derive(Debug, Clone, PartialEq)]
pub enum TranscriptLine {
    /// A readable entry.
    Entry(Box<TranscriptEntry>),
    /// A line that is not a valid entry; shown as unreadable, never dropped silently.
    Malformed {
        /// 1-based line number.
        line: u64,
        /// Why it could not be read.
        problem: String,
        /// The start of the raw line, for display.
        preview: String,
    },
}

/// Upstream `ReadAll`'s failure: the entries before the first bad line, and why it stopped.
#[derive(Debug, thiserror::Error)]
#[error("{}: line {line}: {problem}", path.display())]
pub struct ReadAllError {
    /// The transcript.
    pub path: PathBuf,
    /// The 1-based number of the first bad line.
    pub line: u64,
    /// Why it is bad.
    pub problem: String,
    /// Entries read before it.
    pub entries: Vec<TranscriptEntry>,
}

impl Transcript {
    /// `NewTranscript`: the transcript at `path` for run `run_id` (nothing is touched on disk).
    #[must_use]
    pub fn new(path: impl Into<PathBuf>, run_id: i64) -> Transcript {
        Transcript {
            path: path.into(),
            run_id,
        }
    }

    /// `Path`: the file path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The run id stamped on appended entries.
    #[must_use]
    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// `Append`: stamps the entry with now (UTC) and the run id, then appends it as one line
    /// with a single write and an fsync (creating the file 0644 if needed).
    ///
    /// # Errors
    /// An I/O error, or a line of 10 MiB or more (which agentpair could not read back).
    pub fn append(&self, entry: &mut TranscriptEntry) -> Result<(), RunError> {
        entry.timestamp = gojson::now();
        entry.run_id = self.run_id;
        append_line(&self.path, &entry.to_line())
    }

    /// Appends an entry exactly as given, keeping its timestamp and run id: for replaying or
    /// importing entries recorded elsewhere (and seeding the demo's history).
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn append_as_is(&self, entry: &TranscriptEntry) -> Result<(), RunError> {
        append_line(&self.path, &entry.to_line())
    }

    fn append_new(
        &self,
        entry_type: EntryType,
        fill: impl FnOnce(&mut TranscriptEntry),
    ) -> Result<TranscriptEntry, RunError> {
        let mut entry = TranscriptEntry::new(entry_type);
        fill(&mut entry);
        self.append(&mut entry)?;
        Ok(entry)
    }

    /// `LogStart`: `{type:start, content:prompt, metadata}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_start(&self, prompt: &str, metadata: Object) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::Start, |e| {
            e.content = prompt.to_owned();
            e.metadata = metadata;
        })
    }

    /// `LogIteration`: `{type:iteration, iteration}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_iteration(&self, iteration: i64) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::Iteration, |e| e.iteration = iteration)
    }

    /// `LogExecute`: `{type:execute, agent, iteration, content}` (agentpair passes "<n> messages").
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_execute(
        &self,
        agent: &str,
        iteration: i64,
        prompt: &str,
    ) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::Execute, |e| {
            e.agent = agent.to_owned();
            e.iteration = iteration;
            e.content = prompt.to_owned();
        })
    }

    /// `LogResult`: `{type:result, agent, iteration, content, duration}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_result(
        &self,
        agent: &str,
        iteration: i64,
        result: &str,
        duration: Duration,
    ) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::Result, |e| {
            e.agent = agent.to_owned();
            e.iteration = iteration;
            e.content = result.to_owned();
            e.duration = duration_nanos(duration);
        })
    }

    /// `LogSignal`: `{type:signal, agent, iteration, signal}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_signal(
        &self,
        agent: &str,
        iteration: i64,
        signal: &str,
    ) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::Signal, |e| {
            e.agent = agent.to_owned();
            e.iteration = iteration;
            e.signal = signal.to_owned();
        })
    }

    /// `LogState`: `{type:state, state}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_state(&self, state: &State) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::State, |e| e.state = Some(state.clone()))
    }

    /// `LogError`: `{type:error, agent, iteration, error}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_error(
        &self,
        agent: &str,
        iteration: i64,
        error: &str,
    ) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::Error, |e| {
            e.agent = agent.to_owned();
            e.iteration = iteration;
            e.error = error.to_owned();
        })
    }

    /// `LogEnd`: `{type:end, state, duration}`.
    ///
    /// # Errors
    /// As [`Transcript::append`].
    pub fn log_end(&self, state: &State, total: Duration) -> Result<TranscriptEntry, RunError> {
        self.append_new(EntryType::End, |e| {
            e.state = Some(state.clone());
            e.duration = duration_nanos(total);
        })
    }

    /// `ReadAll`, with upstream's semantics: a missing file is no entries; reading stops at
    /// the first bad line (blank lines and lines of 10 MiB or more are bad), returning the
    /// entries before it inside the error. A final line without `\n` is accepted.
    ///
    /// # Errors
    /// [`ReadAllError`] at the first bad line; an unreadable file is reported as line 0.
    pub fn read_all(&self) -> Result<Vec<TranscriptEntry>, ReadAllError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(ReadAllError {
                    path: self.path.clone(),
                    line: 0,
                    problem: e.to_string(),
                    entries: Vec::new(),
                });
            }
        };
        let mut entries = Vec::new();
        let body = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        if body.is_empty() {
            return Ok(entries);
        }
        for (index, line) in body.split(|b| *b == b'\n').enumerate() {
            let line_no = index as u64 + 1;
            let fail = |problem: String, entries: Vec<TranscriptEntry>| ReadAllError {
                path: self.path.clone(),
                line: line_no,
                problem,
                entries,
            };
            if line.len() >= MAX_WRITE_LINE {
                return Err(fail("token too long".to_owned(), entries));
            }
            match TranscriptEntry::parse_line(line) {
                Ok(entry) => entries.push(entry),
                Err(problem) => return Err(fail(problem, entries)),
            }
        }
        Ok(entries)
    }

    /// Reads every line leniently: bad lines are reported in place and reading goes on; blank
    /// lines are skipped; lines up to [`super::DEFAULT_MAX_LINE`] are read.
    ///
    /// # Errors
    /// Only an unreadable file (a missing one is simply empty).
    pub fn read_lines(&self) -> Result<Vec<TranscriptLine>, RunError> {
        let mut tail = TranscriptTail::new(&self.path);
        let events = tail.poll_final().map_err(RunError::io(&self.path))?;
        Ok(events
            .into_iter()
            .filter_map(super::TailEvent::into_line)
            .collect())
    }
}

/// Appends one JSONL line (ending in `\n`) the way agentpair does, refusing lines of 10 MiB
/// or more, which agentpair's reader could not read back.
///
/// # Errors
/// An I/O error or a line that is too long.
pub(super) fn append_line(path: &Path, line: &str) -> Result<(), RunError> {
    if line.len() >= MAX_WRITE_LINE {
        return Err(RunError::LineTooLong {
            path: path.to_path_buf(),
            size: line.len(),
        });
    }
    atomic::append_durably(path, line.as_bytes(), JSONL_MODE).map_err(RunError::io(path))
}

fn duration_nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn log_methods_write_agentpair_lines() {
        let dir = tempfile::tempdir().unwrap();
        let t = Transcript::new(dir.path().join("transcript.jsonl"), 7);
        let mut md = Object::new();
        md.insert("review_mode".into(), "claudex".into());
        md.insert("max_iterations".into(), 20.into());
        t.log_start("fix <x> & y", md).unwrap();
        t.log_state(&State::Working).unwrap();
        t.log_iteration(1).unwrap();
        t.log_execute("codex", 1, "1 messages").unwrap();
        t.log_result("codex", 1, "out", Duration::from_millis(1500))
            .unwrap();
        t.log_signal("claude", 1, "FAIL").unwrap();
        t.log_error("loop", 1, "boom").unwrap();
        t.log_end(&State::Completed, Duration::from_secs(42))
            .unwrap();
        let text = fs::read_to_string(t.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8);
        assert!(lines[0].starts_with(r#"{"type":"start","timestamp":""#));
        assert!(lines[0].ends_with(r#","run_id":7,"content":"fix <x> & y","metadata":{"max_iterations":20,"review_mode":"claudex"}}"#), "{}", lines[0]);
        assert!(lines[4].ends_with(
            r#","run_id":7,"iteration":1,"agent":"codex","content":"out","duration":1500000000}"#
        ));
        assert!(lines[7].ends_with(r#","run_id":7,"state":"completed","duration":42000000000}"#));
        let all = t.read_all().unwrap();
        assert_eq!(all.len(), 8);
        assert_eq!(all[5].signal, "FAIL");
    }

    #[test]
    fn read_all_stops_at_first_bad_line_like_upstream() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        fs::write(
            &path,
            "{\"type\":\"start\",\"run_id\":1}\r\n\n{\"type\":\"end\",\"run_id\":1}\n",
        )
        .unwrap();
        let t = Transcript::new(&path, 1);
        let err = t.read_all().unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.entries.len(), 1);
        let lenient = t.read_lines().unwrap();
        assert_eq!(lenient.len(), 2, "blank line skipped, both entries read");
        assert!(
            Transcript::new(dir.path().join("missing"), 1)
                .read_all()
                .unwrap()
                .is_empty()
        );
    }
}
