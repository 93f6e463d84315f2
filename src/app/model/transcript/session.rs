//! Agent sessions in the Transcript pane: opening one (by windows and a tail, or read whole),
//! taking a whole read while keeping the cursor on the same entry, and sub-agents: Enter on a
//! sub-agent's entry opens its transcript with the parent's name as a breadcrumb, Esc comes
//! back to the parent at the same entry.

use super::{Format, Line, LineContent, Source, TranscriptPane};
use crate::app::effect::TranscriptRead;
use crate::persist::session::{Agent, Entry, EntryKind, SessionSource, SubagentLink};
use std::path::PathBuf;

/// The whole text of a cut entry, read on the worker when the entry is expanded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Whole {
    /// None asked for.
    #[default]
    None,
    /// Being read: the entry's record offset and full size.
    Reading(u64, u64),
    /// Read: the entry's record offset and full size, and the text in pieces.
    Read(u64, u64, Vec<String>),
    /// It could not be read: why.
    Failed(u64, u64, String),
}

impl Whole {
    /// The whole text's pieces, when they are those of the entry at `offset` cut from
    /// `size` bytes.
    #[must_use]
    pub fn pieces(&self, offset: u64, size: u64) -> Option<&[String]> {
        match self {
            Whole::Read(o, s, pieces) if *o == offset && *s == size => Some(pieces),
            _ => None,
        }
    }

    /// Why the whole text of that entry could not be read, or that it is being read.
    #[must_use]
    pub fn note(&self, offset: u64, size: u64) -> Option<String> {
        match self {
            Whole::Reading(o, s) if *o == offset && *s == size => {
                Some("reading the whole entry…".to_owned())
            }
            Whole::Failed(o, s, why) if *o == offset && *s == size => {
                Some(format!("the whole entry cannot be read: {why}"))
            }
            _ => None,
        }
    }
}

/// Where a sub-agent's transcript was opened from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    /// The title the parent was shown with.
    pub reference: String,
    /// The parent's file (or database).
    pub path: PathBuf,
    /// How the parent is read.
    pub source: Source,
    /// The sub-agent's entry in the parent (its line's offset, or its index in a document).
    pub offset: u64,
}

impl TranscriptPane {
    /// Opens an agent session's transcript at its end, following it: `key` is the run's key
    /// (what the Runs pane selects it by), `reference` its name as shown.
    pub fn open_session(
        &mut self,
        key: PathBuf,
        reference: String,
        agent: Agent,
        source: &SessionSource,
    ) {
        self.close();
        self.run = Some(key);
        self.show(reference, agent, source);
        self.load_end();
    }

    /// Opens an agent session's transcript at the entry at `offset` (a match of the search of
    /// every transcript), not following.
    pub fn open_session_at(
        &mut self,
        key: PathBuf,
        reference: String,
        agent: Agent,
        source: &SessionSource,
        offset: u64,
    ) {
        self.close();
        self.run = Some(key);
        self.show(reference, agent, source);
        self.follow = false;
        self.go_to(offset);
    }

    /// Points the pane at a session's file (nothing is read yet).
    fn show(&mut self, reference: String, agent: Agent, source: &SessionSource) {
        self.source = Source::of_session(agent, source);
        self.path = match source {
            SessionSource::Lines(p) | SessionSource::Document(p) => p.clone(),
            SessionSource::Database { db, .. } => db.clone(),
        };
        self.reference = reference;
    }

    /// Goes to the entry at `offset` (a line's offset, or an index in a document).
    fn go_to(&mut self, offset: u64) {
        if self.source.is_document() {
            self.want_index = Some(offset);
            self.reload_document();
        } else {
            self.jump_to(offset);
            self.outbox.push(TranscriptRead::Stat);
        }
    }

    /// How the open transcript is read.
    #[must_use]
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Asks for a session read whole (once at a time; a change meanwhile asks again after).
    pub(super) fn reload_document(&mut self) {
        if self.window_busy {
            self.poll_again = true;
            return;
        }
        self.window_busy = true;
        self.outbox.push(TranscriptRead::Document);
    }

    /// Takes a session read whole. The cursor stays on the entry it was on (the same kind,
    /// time and text), or goes where it was asked to, or to the end while following.
    pub(super) fn apply_document(&mut self, lines: Vec<Line>, exists: bool) {
        self.window_busy = false;
        let was = self
            .lines
            .get(self.cursor)
            .map(|l| (l.offset, l.content.clone()));
        self.lines = lines;
        self.start = 0;
        self.end = self.lines.len() as u64;
        self.at_end = true;
        self.file_len = self.lines.len() as u64;
        self.exists = exists;
        self.error = None;
        let last = self.lines.len().saturating_sub(1);
        self.cursor = if let Some(at) = self.want_index.take() {
            self.follow = false;
            usize::try_from(at).unwrap_or(last).min(last)
        } else if self.follow {
            last
        } else {
            was.and_then(|(offset, content)| {
                let same = |l: &Line| l.content == content;
                // The same entry, nearest to where it was (an upsert keeps its place; a
                // rewind drops what came after it).
                let near = usize::try_from(offset).unwrap_or(0).min(last);
                (near..self.lines.len())
                    .chain((0..near).rev())
                    .find(|&i| same(&self.lines[i]))
                    .or(Some(near))
            })
            .unwrap_or(last)
        };
        self.top = self.top.min(self.cursor);
        if let Some(query) = self.want_search.take() {
            self.follow = false;
            self.cursor = 0;
            self.search_for(&query);
        }
        if std::mem::take(&mut self.poll_again) {
            self.reload_document();
        }
    }

    /// Searches for `query` once the session read whole arrives (a match of the search of
    /// every transcript, opened in a session that has entries rather than byte offsets).
    pub fn search_when_read(&mut self, query: &str) {
        self.want_search = Some(query.to_owned());
    }

    /// The sub-agent the entry under the cursor started, when it has a transcript to open.
    #[must_use]
    pub fn subagent_here(&self) -> Option<&SubagentLink> {
        match &self.lines.get(self.cursor)?.content {
            LineContent::Session(e) if e.kind == EntryKind::Subagent => e.subagent.as_ref(),
            _ => None,
        }
    }

    /// The entry under the cursor, when it is an agent session's.
    #[must_use]
    pub fn session_entry(&self) -> Option<&Entry> {
        match &self.lines.get(self.cursor)?.content {
            LineContent::Session(e) => Some(e),
            _ => None,
        }
    }

    /// Opens the transcript of the sub-agent under the cursor, with the open one as its
    /// breadcrumb. `Err` says why it cannot be (no sub-agent here, or no transcript known).
    ///
    /// # Errors
    /// In words, for the status line.
    pub fn open_subagent(&mut self) -> Result<(), String> {
        let Format::Session(agent) = self.source.format() else {
            return Err("not an agent session".to_owned());
        };
        let Some(link) = self.subagent_here().cloned() else {
            return Err("no sub-agent on this line".to_owned());
        };
        let source = subagent_source(agent, &link)?;
        let crumb = Crumb {
            reference: self.reference.clone(),
            path: self.path.clone(),
            source: self.source.clone(),
            offset: self.lines.get(self.cursor).map_or(0, |l| l.offset),
        };
        let mut crumbs = std::mem::take(&mut self.crumbs);
        crumbs.push(crumb);
        let run = self.run.clone();
        let what = if link.description.is_empty() {
            link.id.clone()
        } else {
            link.description.clone()
        };
        let reference = format!("{} › {what}", self.reference);
        self.close();
        self.run = run;
        self.crumbs = crumbs;
        self.show(reference, agent, &source);
        self.load_end();
        Ok(())
    }

    /// Back to the parent of the sub-agent shown, at the sub-agent's entry. False when no
    /// sub-agent is shown.
    pub fn back(&mut self) -> bool {
        let mut crumbs = std::mem::take(&mut self.crumbs);
        let Some(crumb) = crumbs.pop() else {
            return false;
        };
        let run = self.run.clone();
        self.close();
        self.run = run;
        self.crumbs = crumbs;
        self.source = crumb.source;
        self.path = crumb.path;
        self.reference = crumb.reference;
        self.go_to(crumb.offset);
        true
    }

    /// Asks for the whole text of the cut entry at `index` (a session read by lines), unless
    /// it is read or being read already.
    pub fn read_whole(&mut self, index: usize) {
        let Some(line) = self.lines.get(index) else {
            return;
        };
        let LineContent::Session(e) = &line.content else {
            return;
        };
        let (Some(size), false) = (e.cut, self.source.is_document()) else {
            return;
        };
        let offset = line.offset;
        if self.whole.pieces(offset, size).is_some() || self.whole == Whole::Reading(offset, size) {
            return;
        }
        self.whole = Whole::Reading(offset, size);
        self.outbox.push(TranscriptRead::Whole { offset, size });
    }

    /// Takes a whole text read for a cut entry.
    pub(super) fn apply_whole(&mut self, offset: u64, text: Result<Vec<String>, String>) {
        let Whole::Reading(o, size) = self.whole else {
            return;
        };
        if o != offset {
            return;
        }
        self.whole = match text {
            Ok(pieces) => Whole::Read(offset, size, pieces),
            Err(why) => Whole::Failed(offset, size, why),
        };
    }

    /// The parents of the sub-agent shown, outermost first (empty when a run's own transcript
    /// is shown).
    #[must_use]
    pub fn crumbs(&self) -> &[Crumb] {
        &self.crumbs
    }
}

/// Where a sub-agent's records are, as its parent's agent keeps them.
fn subagent_source(agent: Agent, link: &SubagentLink) -> Result<SessionSource, String> {
    let Some(path) = link.path.clone() else {
        return Err(format!(
            "sub-agent {} has no transcript on disk",
            crate::present::sanitize::one_line(&link.id)
        ));
    };
    Ok(match agent {
        Agent::OpenCode => SessionSource::Database {
            db: path,
            session: link.id.clone(),
        },
        Agent::Gemini => SessionSource::Document(path),
        Agent::Claude | Agent::Codex if path.extension().is_some_and(|e| e == "zst") => {
            SessionSource::Document(path)
        }
        Agent::Claude | Agent::Codex => SessionSource::Lines(path),
    })
}
