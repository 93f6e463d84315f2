//! The Transcript pane's state: the open run's lines (entries, and unreadable lines kept in
//! place), the live tail reader that appends only new lines, follow mode, the cursor, search
//! and error navigation, wrap and timestamp modes.

use crate::persist::run::{TRANSCRIPT_FILE, TailEvent, TranscriptEntry, TranscriptTail};
use crate::present::{sanitize, summary};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What one transcript line holds.
#[derive(Debug, Clone, PartialEq)]
pub enum LineContent {
    /// A readable entry.
    Entry(Box<TranscriptEntry>),
    /// A line that could not be read, shown as such.
    Unreadable {
        /// Why.
        problem: String,
        /// The start of the raw text.
        preview: String,
    },
}

/// One line of the transcript file.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the file.
    pub number: u64,
    /// Its content.
    pub content: LineContent,
}

impl Line {
    /// True for error entries, FAIL signals and unreadable lines.
    #[must_use]
    pub fn is_trouble(&self) -> bool {
        match &self.content {
            LineContent::Entry(e) => summary::is_trouble(e),
            LineContent::Unreadable { .. } => true,
        }
    }

    /// The text search looks in (sanitised).
    #[must_use]
    pub fn searchable(&self) -> String {
        match &self.content {
            LineContent::Entry(e) => {
                let state = e
                    .state
                    .as_ref()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default();
                let parts = [
                    e.entry_type.as_str(),
                    &e.agent,
                    &state,
                    &e.content,
                    &e.signal,
                    &e.error,
                ];
                sanitize::plain(&parts.join("\n"))
            }
            LineContent::Unreadable { problem, preview } => {
                sanitize::plain(&format!("{problem}\n{preview}"))
            }
        }
    }
}

/// How times are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamps {
    /// Time of day.
    Absolute,
    /// `5m ago`.
    Relative,
    /// Not shown.
    Off,
}

/// An active search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// What was searched for (smart case: case-sensitive only with an uppercase letter).
    pub query: String,
    /// Indices of matching lines.
    pub matches: Vec<usize>,
    /// Which match the cursor is on.
    pub current: Option<usize>,
}

/// Does `text` contain `query` (smart case)?
#[must_use]
pub fn smart_contains(text: &str, query: &str) -> bool {
    if query.chars().any(char::is_uppercase) {
        text.contains(query)
    } else {
        text.to_lowercase().contains(&query.to_lowercase())
    }
}

/// How long a final line without a newline is held back before it is taken as complete.
const UNTERMINATED_GRACE: Duration = Duration::from_secs(1);

/// The transcript of the open run.
#[derive(Debug)]
pub struct TranscriptPane {
    run: Option<PathBuf>,
    /// The open run's name as shown (`webapp #3`).
    pub reference: String,
    lines: Vec<Line>,
    tail: Option<TranscriptTail>,
    /// Stay at the end as lines arrive.
    pub follow: bool,
    /// The selected line.
    pub cursor: usize,
    /// First visible line (a hint the view keeps the cursor in sight with).
    pub top: usize,
    /// Wrap long lines (else cut them).
    pub wrap: bool,
    /// How times are shown.
    pub timestamps: Timestamps,
    /// The active search.
    pub search: Option<Search>,
    /// A read error, if the file cannot be read.
    pub error: Option<String>,
    /// Whether the file exists (a new run has none yet).
    pub exists: bool,
    held_since: Option<DateTime<Utc>>,
}

impl Default for TranscriptPane {
    fn default() -> Self {
        TranscriptPane {
            run: None,
            reference: String::new(),
            lines: Vec::new(),
            tail: None,
            follow: true,
            cursor: 0,
            top: 0,
            wrap: true,
            timestamps: Timestamps::Absolute,
            search: None,
            error: None,
            exists: false,
            held_since: None,
        }
    }
}

impl TranscriptPane {
    /// Opens the transcript of the run in `dir`, following its end.
    pub fn open(&mut self, dir: PathBuf, reference: String) {
        let (wrap, timestamps) = (self.wrap, self.timestamps);
        *self = TranscriptPane {
            wrap,
            timestamps,
            ..TranscriptPane::default()
        };
        self.tail = Some(TranscriptTail::new(dir.join(TRANSCRIPT_FILE)));
        self.run = Some(dir);
        self.reference = reference;
        self.refresh(Utc::now());
    }

    /// Shows no transcript.
    pub fn close(&mut self) {
        let (wrap, timestamps) = (self.wrap, self.timestamps);
        *self = TranscriptPane {
            wrap,
            timestamps,
            ..TranscriptPane::default()
        };
    }

    /// The open run's directory.
    #[must_use]
    pub fn run_dir(&self) -> Option<&Path> {
        self.run.as_deref()
    }

    /// The lines read so far.
    #[must_use]
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Number of lines.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when there are no lines.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Reads what was appended since the last read; returns whether anything changed.
    pub fn refresh(&mut self, now: DateTime<Utc>) -> bool {
        let Some(tail) = self.tail.as_mut() else {
            return false;
        };
        let before = (self.lines.len(), self.error.is_some());
        match tail.poll() {
            Ok(events) => {
                self.error = None;
                for event in events {
                    self.apply(event);
                }
            }
            Err(e) => self.error = Some(format!("{}: {e}", tail.path().display())),
        }
        self.exists = self.tail.as_ref().is_some_and(|t| t.path().exists());
        self.held_since = match (
            self.tail.as_ref().map(TranscriptTail::pending_len),
            self.held_since,
        ) {
            (Some(n), since) if n > 0 => Some(since.unwrap_or(now)),
            _ => None,
        };
        (self.lines.len(), self.error.is_some()) != before
    }

    /// When the pane next needs a look without any event: a final line without newline is
    /// taken once it has stayed unfinished for a moment.
    #[must_use]
    pub fn next_check(&self, now: DateTime<Utc>) -> Option<Duration> {
        let since = self.held_since?;
        let due = since + chrono::Duration::from_std(UNTERMINATED_GRACE).unwrap_or_default();
        Some(due.signed_duration_since(now).to_std().unwrap_or_default())
    }

    /// Takes a final line without a newline if it has been held long enough and parses.
    pub fn accept_unterminated(&mut self, now: DateTime<Utc>) -> bool {
        if self.next_check(now) != Some(Duration::ZERO) {
            return false;
        }
        self.held_since = None;
        let event = self.tail.as_mut().and_then(|t| t.take_unterminated(true));
        match event {
            Some(e) => {
                self.apply(e);
                true
            }
            None => false,
        }
    }

    fn apply(&mut self, event: TailEvent) {
        match event {
            TailEvent::Reset => {
                self.lines.clear();
                self.cursor = 0;
                self.top = 0;
                self.search = None;
            }
            TailEvent::Entry { line, entry, .. } => self.push(Line {
                number: line,
                content: LineContent::Entry(entry),
            }),
            TailEvent::Malformed {
                line,
                problem,
                preview,
                ..
            } => {
                self.push(Line {
                    number: line,
                    content: LineContent::Unreadable { problem, preview },
                });
            }
        }
    }

    fn push(&mut self, line: Line) {
        if let Some(search) = &mut self.search
            && smart_contains(&line.searchable(), &search.query)
        {
            search.matches.push(self.lines.len());
        }
        self.lines.push(line);
        if self.follow {
            self.cursor = self.lines.len() - 1;
        }
    }

    /// Moves the cursor; moving up stops following. Returns true if following was paused.
    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let last = self.lines.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        let paused = self.follow && delta < 0;
        if delta < 0 {
            self.follow = false;
        }
        paused
    }

    /// Goes to the first line (stops following).
    pub fn first(&mut self) {
        self.cursor = 0;
        self.top = 0;
        self.follow = false;
    }

    /// Goes to the last line and follows again.
    pub fn last(&mut self) {
        self.cursor = self.lines.len().saturating_sub(1);
        self.follow = true;
    }

    /// Searches every line; the cursor goes to the first match at or after it.
    pub fn search_for(&mut self, query: &str) {
        let matches: Vec<usize> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| smart_contains(&l.searchable(), query))
            .map(|(i, _)| i)
            .collect();
        let current = matches
            .iter()
            .position(|&i| i >= self.cursor)
            .or(if matches.is_empty() { None } else { Some(0) });
        if let Some(c) = current {
            self.cursor = matches[c];
            self.follow = false;
        }
        self.search = Some(Search {
            query: query.to_owned(),
            matches,
            current,
        });
    }

    /// Moves to the next (or previous) match, wrapping around. Returns false without matches.
    pub fn step_match(&mut self, forward: bool) -> bool {
        let Some(search) = &mut self.search else {
            return false;
        };
        if search.matches.is_empty() {
            return false;
        }
        let n = search.matches.len();
        let next = match (search.current, forward) {
            (None, _) => 0,
            (Some(c), true) => (c + 1) % n,
            (Some(c), false) => (c + n - 1) % n,
        };
        search.current = Some(next);
        self.cursor = search.matches[next];
        self.follow = false;
        true
    }

    /// Moves to the next (or previous) error, FAIL or unreadable line. Returns false if none.
    pub fn step_error(&mut self, forward: bool) -> bool {
        let found = if forward {
            (self.cursor + 1..self.lines.len()).find(|&i| self.lines[i].is_trouble())
        } else {
            (0..self.cursor).rev().find(|&i| self.lines[i].is_trouble())
        };
        match found {
            Some(i) => {
                self.cursor = i;
                self.follow = false;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(path: &Path, text: &str) {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }

    #[test]
    fn follows_searches_and_jumps_to_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TRANSCRIPT_FILE);
        write(
            &path,
            "{\"type\":\"start\",\"run_id\":1,\"content\":\"Hello\"}\n{\"type\":\"error\",\"run_id\":1,\"error\":\"boom\"}\nnot json\n",
        );
        let mut pane = TranscriptPane::default();
        pane.open(dir.path().to_path_buf(), "r/1".into());
        assert_eq!(pane.len(), 3);
        assert_eq!(pane.cursor, 2, "following puts the cursor on the last line");
        assert!(pane.move_by(-2));
        assert!(!pane.follow);
        assert!(pane.step_error(true));
        assert_eq!(pane.cursor, 1);
        assert!(pane.step_error(true));
        assert_eq!(pane.cursor, 2, "unreadable lines count as trouble");
        pane.search_for("hello");
        assert_eq!(pane.search.as_ref().unwrap().matches, vec![0]);
        assert_eq!(pane.cursor, 0);
        pane.search_for("HELLO");
        assert!(
            pane.search.as_ref().unwrap().matches.is_empty(),
            "smart case"
        );
        write(&path, "{\"type\":\"end\",\"run_id\":1}\n");
        assert!(pane.refresh(Utc::now()));
        assert_eq!(pane.cursor, 0, "not following: the cursor stays");
        pane.last();
        write(&path, "{\"type\":\"end\",\"run_id\":1}");
        pane.refresh(Utc::now());
        assert_eq!(pane.len(), 4);
        assert!(pane.next_check(Utc::now()).is_some());
        assert!(pane.accept_unterminated(Utc::now() + chrono::Duration::seconds(2)));
        assert_eq!((pane.len(), pane.cursor), (5, 4));
    }
}
