//! The Transcript pane's state: a bounded window of the open run's lines around the cursor
//! (read from the end on open, extended as the cursor moves, read again around a search hit),
//! the live tail that appends new lines, follow mode, the cursor, search (run in the
//! background over the whole file), error navigation, wrap and timestamp modes. Memory and
//! work do not grow with the file: a 1 GB transcript opens as fast as a small one.
//!
//! The pane never reads the file itself. It asks the transcript worker for reads (queued in
//! its outbox) and takes the replies in `apply`; the tail travels with a poll and comes back
//! with its reply, so only one read of new lines is ever in flight.

mod apply;

pub use apply::Note;
mod find;
mod lines;
mod load;
mod navigation;
mod remote;

pub use remote::{FOLLOW_IDS, Follow};
mod session;
mod source;
mod subagents;

pub use lines::{Line, LineContent, MAX_MATCHES, Search, Timestamps};
pub use navigation::Found;
pub use session::{Crumb, Whole};
pub use source::{Format, LineTail, Source, Tail};

use crate::app::effect::{Effect, TranscriptJob, TranscriptRead};
use crate::app::search::SearchRequest;
use crate::persist::run::TRANSCRIPT_FILE;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::search::smart_contains;

/// How long a final line without a newline is held back before it is taken as complete.
const UNTERMINATED_GRACE: Duration = Duration::from_secs(1);

/// The transcript of the open run.
#[derive(Debug)]
pub struct TranscriptPane {
    run: Option<PathBuf>,
    path: PathBuf,
    /// How the open transcript is read.
    source: Source,
    /// The open run's name as shown (`webapp #3`).
    pub reference: String,
    lines: Vec<Line>,
    /// Offset of the window's first line, and just after its last.
    start: u64,
    end: u64,
    /// The window reaches the end of complete lines; the tail reads on from there.
    at_end: bool,
    /// The tail, when it is here (not travelling with a poll).
    tail: Option<Tail>,
    /// A poll has the tail.
    tail_away: bool,
    /// Where a sub-agent's transcript was opened from, outermost first (Esc goes back).
    crumbs: Vec<session::Crumb>,
    /// A document read: where to put the cursor when it arrives (an entry's index).
    want_index: Option<u64>,
    /// The whole text of a cut entry, read when it is expanded.
    pub whole: Whole,
    /// A search to run once a session read whole arrives.
    want_search: Option<String>,
    /// The tail that is away was replaced meanwhile: drop it when it comes back.
    stale_tail_away: bool,
    /// Something changed while the tail was away: poll again when it is back.
    poll_again: bool,
    /// Where the tail last stood (for a search's end while it is away).
    tail_offset: u64,
    /// Which opening of which file this is; replies for an earlier one are dropped.
    open_id: u64,
    /// A read of more lines for the window is in flight (one at a time).
    window_busy: bool,
    /// A move that ran past the window, to finish when more lines arrive.
    want_move: isize,
    /// Reads asked for, for the event loop to hand to the transcript worker.
    outbox: Vec<TranscriptRead>,
    file_len: u64,
    /// Stay at the end as lines arrive.
    pub follow: bool,
    /// The selected line (index in the window).
    pub cursor: usize,
    /// First visible line (a hint the view keeps the cursor in sight with).
    pub top: usize,
    /// Wrap long lines (else cut them).
    pub wrap: bool,
    /// With wrap off: how many columns the cut lines are scrolled to the right.
    pub x_offset: usize,
    /// How times are shown.
    pub timestamps: Timestamps,
    /// The active search.
    pub search: Option<Search>,
    /// A read error, if the file cannot be read.
    pub error: Option<String>,
    /// Whether the file exists (a new run has none yet).
    pub exists: bool,
    held_since: Option<DateTime<Utc>>,
    next_search_id: u64,
    /// A search waiting to be started by the event loop.
    pending_search: Option<SearchRequest>,
    /// The run is another host's: its lines come by a follow (see `remote.rs`).
    remote: Option<remote::RemoteTail>,
    /// Follows and their ends for the host lane.
    remote_outbox: Vec<Effect>,
    /// The next follow's number (its id is [`remote::FOLLOW_IDS`] above it).
    next_follow: u64,
}

impl Default for TranscriptPane {
    fn default() -> Self {
        TranscriptPane {
            run: None,
            path: PathBuf::new(),
            source: Source::Lines(Format::Agentpair),
            reference: String::new(),
            lines: Vec::new(),
            start: 0,
            end: 0,
            at_end: true,
            tail: None,
            tail_away: false,
            crumbs: Vec::new(),
            want_index: None,
            whole: Whole::None,
            want_search: None,
            stale_tail_away: false,
            poll_again: false,
            tail_offset: 0,
            open_id: 0,
            window_busy: false,
            want_move: 0,
            outbox: Vec::new(),
            file_len: 0,
            follow: true,
            cursor: 0,
            top: 0,
            wrap: true,
            x_offset: 0,
            timestamps: Timestamps::Absolute,
            search: None,
            error: None,
            exists: false,
            held_since: None,
            next_search_id: 1,
            pending_search: None,
            remote: None,
            remote_outbox: Vec::new(),
            next_follow: 0,
        }
    }
}

impl TranscriptPane {
    /// Opens the transcript of the run in `dir` at its end, following it (the lines arrive
    /// when the worker has read them).
    pub fn open(&mut self, dir: PathBuf, reference: String) {
        self.close();
        self.source = Source::Lines(Format::Agentpair);
        self.path = dir.join(TRANSCRIPT_FILE);
        self.run = Some(dir);
        self.reference = reference;
        self.load_end();
    }

    /// Opens the transcript of the run in `dir` at the line that starts at `offset` (a match
    /// of the search of every transcript): the lines around it are read and the cursor lands on
    /// it, not following; the file's size is read too.
    pub fn open_at(&mut self, dir: PathBuf, reference: String, offset: u64) {
        self.close();
        self.source = Source::Lines(Format::Agentpair);
        self.path = dir.join(TRANSCRIPT_FILE);
        self.run = Some(dir);
        self.reference = reference;
        self.follow = false;
        self.jump_to(offset);
        self.outbox.push(TranscriptRead::Stat);
    }

    /// Shows no transcript.
    pub fn close(&mut self) {
        self.cancel_search();
        // Another host's run no longer shown: its follow ends (with what was not sent yet).
        let mut remote_outbox = std::mem::take(&mut self.remote_outbox);
        remote_outbox.extend(self.unfollow_remote());
        let (wrap, timestamps, next_search_id, open_id, next_follow) = (
            self.wrap,
            self.timestamps,
            self.next_search_id,
            self.open_id,
            self.next_follow,
        );
        *self = TranscriptPane {
            wrap,
            x_offset: 0,
            timestamps,
            next_search_id,
            open_id: open_id + 1,
            remote_outbox,
            next_follow,
            ..TranscriptPane::default()
        };
    }

    /// The open run's directory.
    #[must_use]
    pub fn run_dir(&self) -> Option<&Path> {
        self.run.as_deref()
    }

    /// The open session's agent (`None`: an agentpair run, or nothing open).
    #[must_use]
    pub fn agent(&self) -> Option<crate::persist::session::Agent> {
        match self.source.format() {
            Format::Session(agent) if self.run.is_some() => Some(agent),
            _ => None,
        }
    }

    /// The open transcript's file.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.run.as_ref().map(|_| self.path.as_path())
    }

    /// The lines in memory (a window of the file around the cursor).
    #[must_use]
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Lines in memory.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line is in memory.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// True when the whole file is in memory (then `len` is its number of lines).
    #[must_use]
    pub fn is_whole(&self) -> bool {
        self.start == 0 && self.at_end
    }

    /// True while the window's first read has not arrived.
    #[must_use]
    pub fn is_loading(&self) -> bool {
        self.run.is_some() && self.window_busy && self.lines.is_empty()
    }

    /// The file's size in bytes.
    #[must_use]
    pub fn file_len(&self) -> u64 {
        self.file_len
    }

    /// Where the cursor is in the file, 0.0 (start) to 1.0 (end), for the scrollbar.
    #[must_use]
    pub fn position(&self) -> f64 {
        let offset = self.lines.get(self.cursor).map_or(0, |l| l.offset);
        if self.file_len == 0 {
            1.0
        } else {
            offset as f64 / self.file_len as f64
        }
    }

    /// The reads and the search the pane asked for, as effects for the workers.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        let mut out = std::mem::take(&mut self.remote_outbox);
        if self.remote.is_some() {
            // Nothing of another host's run is read here: only its follow goes out.
            self.outbox.clear();
            self.pending_search = None;
            return out;
        }
        out.extend(std::mem::take(&mut self.outbox).into_iter().map(|read| {
            Effect::Transcript(TranscriptJob {
                open: self.open_id,
                path: self.path.clone(),
                source: self.source.clone(),
                read,
            })
        }));
        if let Some(request) = self.pending_search.take() {
            out.push(Effect::Search(request));
        }
        out
    }

    /// A search the event loop should start on a background thread.
    pub fn take_search_request(&mut self) -> Option<SearchRequest> {
        self.pending_search.take()
    }

    /// Asks for what was appended since the last read (the file changed).
    pub fn refresh(&mut self) {
        if self.run.is_none() {
            return;
        }
        if self.source.is_document() {
            return self.reload_document();
        }
        if !self.at_end {
            // Scrolled back: appended lines are not in the window; only the size moves on.
            self.outbox.push(TranscriptRead::Stat);
            return;
        }
        if self.tail_away {
            self.poll_again = true;
            return;
        }
        match self.tail.take() {
            Some(tail) => {
                self.tail_away = true;
                self.outbox.push(TranscriptRead::Poll(tail));
            }
            // The last read failed (unreadable, say): try again now that something changed.
            None if !self.window_busy => self.load_end(),
            None => {}
        }
    }

    /// When the pane next needs a look without any event: a final line without newline is
    /// taken once it has stayed unfinished for a moment.
    #[must_use]
    pub fn next_check(&self, now: DateTime<Utc>) -> Option<Duration> {
        let since = self.held_since?;
        let due = since + chrono::Duration::from_std(UNTERMINATED_GRACE).unwrap_or_default();
        Some(due.signed_duration_since(now).to_std().unwrap_or_default())
    }

    /// Asks for a final line without a newline to be taken, if it has been held long enough.
    pub fn accept_unterminated(&mut self, now: DateTime<Utc>) {
        if self.next_check(now) != Some(Duration::ZERO) {
            return;
        }
        if let Some(tail) = self.tail.take() {
            self.held_since = None;
            self.tail_away = true;
            self.outbox.push(TranscriptRead::Unterminated(tail));
        }
    }

    /// Names each tool result whose entry does not name its tool after the call it answers
    /// (Claude's results carry only the call's id), looking through the lines in memory.
    fn name_results(&mut self) {
        let mut calls = crate::present::summary::session::CallNames::default();
        for l in &self.lines {
            if let LineContent::Session(e) = &l.content {
                calls.note(e);
            }
        }
        for l in &mut self.lines {
            if let LineContent::Session(e) = &mut l.content {
                calls.name(e);
            }
        }
    }

    fn push(&mut self, line: Line) {
        if let Some(search) = &mut self.search
            && search.done
            && !search.capped
            && search.matches.len() < MAX_MATCHES
            && smart_contains(&line.searchable(), &search.query)
            && search.matches.last().is_none_or(|&m| m < line.offset)
        {
            search.matches.push(line.offset);
        }
        self.lines.push(line);
        if self.follow {
            self.cursor = self.lines.len() - 1;
        }
        self.trim_front();
    }
}

#[cfg(test)]
mod tests;
