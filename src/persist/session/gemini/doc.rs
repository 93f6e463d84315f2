//! A Gemini conversation as Gemini itself rebuilds it from its file: the metadata line, then
//! message records upserted by `id` (the last copy wins, in the first copy's place), `$set`
//! patches, and `$rewindTo` (that message and every later one dropped; an unknown target drops
//! them all). Kept per message: what its summary needs, and its entries when a transcript is
//! wanted. Fed line by line, so a growing file is read once.

use super::super::entry::{Decoded, Entry, EntryKind};
use super::super::skim::{Json, Squeezed, record, squeezed_record};
use super::super::summary::{SessionSummary, Tokens, first_prompt};
use super::super::text::json_time;
use super::super::{SubagentLink, TurnState};
use super::decode::{RUNNING, message_entries, parts_text};
use super::{Header, Message};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// How much of each prompt is kept (for the first one's head and ids: a rewind can drop the
/// first prompt and make a later one first).
const PROMPT_KEEP: usize = 4096;

/// What a message counts for in the summary.
#[derive(Debug, Clone, Default, PartialEq)]
struct Counts {
    user: bool,
    /// A person's prompt: its text (the first one's head and ids are kept).
    prompt: Option<String>,
    tokens: Tokens,
    model: Option<String>,
    time: Option<DateTime<Utc>>,
    /// What this message says about the turn, when it is the last that says anything.
    turn: Option<TurnState>,
    /// Sub-agents its tool calls started: (agent id, description).
    subagents: Vec<(String, String)>,
}

/// One place in the conversation.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    /// A message (by id), what it counts for, and its entries when they are kept.
    Message(String, Box<Counts>, Vec<Entry>),
    /// A line that is not a record, a rewind, or a replaced context: shown as a note.
    Note(Decoded),
}

/// A Gemini conversation being rebuilt.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Doc {
    keep_entries: bool,
    slots: Vec<Slot>,
    /// The place the last record changed (a message upserted, a note added).
    touched: Option<usize>,
    index: HashMap<String, usize>,
    pub session_id: String,
    pub started: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub title: Option<String>,
    pub subagent: bool,
    pub directory: Option<String>,
    /// Messages let go from the front (see [`Doc::keep_last`]).
    dropped: u64,
}

impl Doc {
    /// An empty conversation; `keep_entries` for a transcript, not only a summary.
    pub fn new(keep_entries: bool) -> Doc {
        Doc {
            keep_entries,
            ..Doc::default()
        }
    }

    fn note(&mut self, d: Decoded) {
        if self.keep_entries {
            self.touched = Some(self.slots.len());
            self.slots.push(Slot::Note(d));
        }
    }

    fn state_note(&mut self, time: Option<DateTime<Utc>>, kind: EntryKind, text: String) {
        let mut e = Entry::new(kind, "gemini");
        e.time = time;
        e.text = text;
        self.note(Decoded::Entries(vec![e]));
    }

    /// Applies one line of a `.jsonl` conversation.
    pub fn apply_line(&mut self, line: &[u8]) {
        self.apply_record(record(line));
    }

    /// Applies one long line of a `.jsonl` conversation, squeezed.
    pub fn apply_squeezed(&mut self, line: &Squeezed) {
        self.apply_record(squeezed_record(line));
    }

    fn apply_record(&mut self, record: Result<Json<'_>, String>) {
        match record {
            Ok(v) => self.apply(v),
            Err(problem) => self.note(Decoded::Malformed { problem }),
        }
    }

    /// Applies one record (a line's object, or a legacy document's message).
    pub fn apply(&mut self, v: Json<'_>) {
        let m = Message::of(v);
        if let Some(target) = m.rewind_to {
            let target = target.str().unwrap_or_default();
            self.rewind(&target);
        } else if m.id.is_some_and(|i| i.is_string()) {
            self.upsert(&m);
        } else if let Some(set) = m.set.filter(|s| s.is_object()) {
            self.header(Header::of(set));
            if let Some(n) = set.get("messages").map(|list| list.items().count()) {
                self.state_note(
                    None,
                    EntryKind::Compaction,
                    format!("context replaced ({n} messages)"),
                );
            }
        } else {
            self.header(Header::of(v));
        }
    }

    /// The metadata line, or a `$set` patch.
    pub fn header(&mut self, h: Header<'_>) {
        let s = |j: Option<Json<'_>>| j.and_then(Json::str).map(|s| s.into_owned());
        if let Some(id) = s(h.session_id) {
            self.session_id = id;
        }
        self.started = json_time(h.start_time).or(self.started);
        self.updated = json_time(h.last_updated).or(self.updated);
        self.title = s(h.summary).or(self.title.take());
        if let Some(kind) = h.kind {
            self.subagent = kind.is_str("subagent");
        }
        if let Some(dir) = h
            .directories
            .and_then(|d| d.items().next())
            .and_then(Json::str)
        {
            self.directory = Some(dir.into_owned());
        }
    }

    fn upsert(&mut self, m: &Message<'_>) {
        let id = m.id.and_then(Json::str).unwrap_or_default().into_owned();
        let time = json_time(m.timestamp);
        let counts = Box::new(counts(m, time));
        let entries = if self.keep_entries {
            message_entries(m, time)
        } else {
            Vec::new()
        };
        match self.index.get(&id) {
            Some(&at) => {
                self.touched = Some(at);
                self.slots[at] = Slot::Message(id, counts, entries);
            }
            None => {
                self.touched = Some(self.slots.len());
                self.index.insert(id.clone(), self.slots.len());
                self.slots.push(Slot::Message(id, counts, entries));
            }
        }
    }

    /// Empties the text of the entries `keep` says no to in the place the last record
    /// changed (a search keeps the conversation's places and what matches, not all its text),
    /// and gives the bytes of text that place had. An entry kept or not is the same answer
    /// after: one `keep` would take once emptied keeps its text.
    pub fn thin_last(&mut self, keep: impl Fn(&Entry) -> bool) -> u64 {
        let entries = match self.touched.take().and_then(|at| self.slots.get_mut(at)) {
            Some(Slot::Message(_, _, entries) | Slot::Note(Decoded::Entries(entries))) => entries,
            _ => return 0,
        };
        let mut bytes = 0;
        for e in entries {
            bytes += e.text.len() as u64;
            if !keep(e) {
                let text = std::mem::take(&mut e.text);
                if keep(e) {
                    e.text = text;
                }
            }
        }
        bytes
    }

    /// Lets go of the oldest places once there are twice `n`, keeping the last `n` (a
    /// transcript of a document too large to keep whole). The index is rebuilt then, so an
    /// upsert or a rewind still finds what is kept.
    pub fn keep_last(&mut self, n: usize) {
        if self.slots.len() <= n.saturating_mul(2) {
            return;
        }
        let cut = self.slots.len() - n;
        self.dropped += self
            .slots
            .drain(..cut)
            .filter(|s| matches!(s, Slot::Message(..)))
            .count() as u64;
        self.touched = self.touched.and_then(|t| t.checked_sub(cut));
        self.index.clear();
        for (i, slot) in self.slots.iter().enumerate() {
            if let Slot::Message(id, ..) = slot {
                self.index.insert(id.clone(), i);
            }
        }
    }

    /// How many messages [`Doc::keep_last`] let go of.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Puts `note` first (what a transcript of part of the conversation left out).
    pub fn lead(&mut self, note: Entry) {
        self.slots
            .insert(0, Slot::Note(Decoded::Entries(vec![note])));
        self.touched = None;
        for i in self.index.values_mut() {
            *i += 1;
        }
    }

    fn rewind(&mut self, target: &str) {
        let at = self.index.get(target).copied().unwrap_or(0);
        let dropped = self.slots[at..]
            .iter()
            .filter(|s| matches!(s, Slot::Message(..)))
            .count();
        self.slots.truncate(at);
        self.index.retain(|_, i| *i < at);
        self.touched = None;
        self.state_note(
            None,
            EntryKind::State,
            format!("rewound: {dropped} message(s) dropped"),
        );
    }

    /// The conversation's items, in order.
    pub fn items(self) -> Vec<Decoded> {
        self.slots
            .into_iter()
            .filter_map(|slot| match slot {
                Slot::Message(_, _, entries) => {
                    (!entries.is_empty()).then_some(Decoded::Entries(entries))
                }
                Slot::Note(d) => Some(d),
            })
            .collect()
    }

    /// Writes what the conversation says into `s`.
    pub fn summarize(&self, s: &mut SessionSummary) {
        if s.id.is_empty() || !self.session_id.is_empty() {
            s.id.clone_from(&self.session_id);
        }
        s.title.clone_from(&self.title);
        if let Some(dir) = &self.directory {
            s.cwd.clone_from(dir);
        }
        s.started_at = self.started;
        if self.subagent && s.parent.is_none() {
            s.parent = Some("?".to_owned());
        }
        (s.turns, s.tokens, s.model, s.turn) = (0, Tokens::default(), None, TurnState::Unknown);
        (s.prompt_head, s.prompt_ids) = (String::new(), Vec::new());
        s.subagents.clear();
        let mut last = self.updated;
        for slot in &self.slots {
            let Slot::Message(_, c, _) = slot else {
                continue;
            };
            if c.user {
                s.turns += 1;
            }
            if let Some(p) = &c.prompt {
                first_prompt(s, p);
            }
            s.tokens += c.tokens;
            s.model = c.model.clone().or(s.model.take());
            if let Some(t) = &c.turn {
                s.turn = t.clone();
            }
            last = last.max(c.time);
            s.subagents
                .extend(c.subagents.iter().map(|(id, description)| SubagentLink {
                    id: id.clone(),
                    description: description.clone(),
                    path: None,
                }));
        }
        s.last_entry_at = last;
        if s.started_at.is_none() {
            s.started_at = self.slots.iter().find_map(|slot| match slot {
                Slot::Message(_, c, _) => c.time,
                Slot::Note(_) => None,
            });
        }
    }
}

/// What one message record counts for.
fn counts(m: &Message<'_>, time: Option<DateTime<Utc>>) -> Counts {
    let ty = m.ty.and_then(Json::str).unwrap_or_default();
    let mut c = Counts {
        time,
        ..Counts::default()
    };
    match ty.as_ref() {
        "user" => {
            c.user = true;
            let head = m.content.map(parts_text).unwrap_or_default().text;
            c.prompt = Some(head);
            c.turn = Some(TurnState::Working);
        }
        "gemini" => {
            if let Some(t) = m.tokens.filter(|t| t.is_object()) {
                let [input, output, cached, thoughts] =
                    t.pick(["input", "output", "cached", "thoughts"]);
                let n = |j: Option<Json<'_>>| j.and_then(Json::u64).unwrap_or(0);
                c.tokens = Tokens {
                    input: n(input).saturating_sub(n(cached)),
                    output: n(output) + n(thoughts),
                    cache_read: n(cached),
                    cache_write: 0,
                };
            }
            c.model = m.model.and_then(Json::str).map(|s| s.into_owned());
            let mut turn = TurnState::Ended;
            for call in m.tool_calls.into_iter().flat_map(Json::items) {
                let [name, status, agent, display_name] =
                    call.pick(["name", "status", "agentId", "displayName"]);
                let name = name.and_then(Json::str).unwrap_or_default();
                let status = status.and_then(Json::str).unwrap_or_default();
                if status == "awaiting_approval" {
                    turn = TurnState::Waiting(format!("approval: {name}"));
                } else if RUNNING.contains(&status.as_ref()) && turn == TurnState::Ended {
                    turn = TurnState::Working;
                }
                if let Some(agent) = agent.and_then(Json::str) {
                    let description = display_name.and_then(Json::str).unwrap_or(name.clone());
                    c.subagents
                        .push((agent.into_owned(), description.into_owned()));
                }
            }
            c.turn = Some(turn);
        }
        "error" => {
            let text = m.content.map(parts_text).unwrap_or_default().text;
            c.turn = Some(TurnState::Failed(super::super::text::cut(&text, 200).text));
        }
        _ => {}
    }
    if c.prompt.as_ref().is_some_and(|p| p.len() > PROMPT_KEEP) {
        c.prompt = c
            .prompt
            .map(|p| super::super::text::cut(&p, PROMPT_KEEP).text);
    }
    c
}
