//! What can sit on top of the panes: the key help, an entry or a card shown in full, a yes/no
//! dialog, a small form (fail reason, reassign target, filter, search), the results of a
//! search of every transcript, the session picker, or the last status messages.

use super::{CardKey, Pane};
use std::path::PathBuf;

/// What a dialog or form will do when accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Close a stale run as cancelled.
    CloseRun(PathBuf),
    /// Acknowledge these items (what was shown needing attention when `A` was pressed).
    Acknowledge(Vec<crate::events::Item>),
    /// A move asked about first (start, complete, remove) on these cards.
    Move {
        /// The move.
        action: crate::app::action::Action,
        /// The cards (one, or every marked card).
        cards: Vec<CardKey>,
    },
    /// Fail cards (the form asks for the reason).
    FailBead(Vec<CardKey>),
    /// Reassign cards (the form asks for pane, agent type and name).
    ReassignBead(Vec<CardKey>),
    /// Assign a ready bead (the form asks for session, pane, agent and prompt).
    AssignBead {
        /// The bead id.
        bead: String,
        /// Its title (recorded in the store).
        title: String,
    },
    /// Filter a pane's list (applied as you type).
    Filter(Pane),
    /// Search the transcript.
    Search,
    /// Search every run's transcript (true: opened from the results list, which Esc goes
    /// back to).
    SearchAll(bool),
    /// Run `ntm assign` command(s) on a schema-9 store.
    RunNtm {
        /// The session.
        session: String,
        /// The bead.
        bead: String,
        /// The operation, in words.
        verb: String,
        /// The commands.
        plan: crate::ntm::Plan,
    },
}

/// A yes/no question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The question.
    pub title: String,
    /// What will happen.
    pub lines: Vec<String>,
    /// What yes does.
    pub pending: Pending,
}

/// One text field, edited like a line: a cursor that ←/→/Home/End move, and a prefilled value
/// that starts selected, so typing replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its label.
    pub label: &'static str,
    /// What was typed.
    pub value: String,
    /// A hint shown beside it.
    pub hint: &'static str,
    /// Where the cursor is, in characters.
    pub cursor: usize,
    /// The whole value is selected (typing replaces it).
    pub selected: bool,
}

impl Field {
    /// A field holding `value`, cursor at its end, selected when it is not empty.
    #[must_use]
    pub fn new(label: &'static str, value: String, hint: &'static str) -> Field {
        Field {
            label,
            cursor: value.chars().count(),
            selected: !value.is_empty(),
            value,
            hint,
        }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Drops a selected value (before typing over or deleting it); returns whether it did.
    fn take_selection(&mut self) -> bool {
        if std::mem::take(&mut self.selected) {
            self.value.clear();
            self.cursor = 0;
            return true;
        }
        false
    }

    /// Types `c` at the cursor (replacing a selected value).
    pub fn insert(&mut self, c: char) {
        self.take_selection();
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    /// Deletes the character before the cursor (or a selected value).
    pub fn backspace(&mut self) {
        if self.take_selection() || self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
    }

    /// Deletes the character under the cursor (or a selected value).
    pub fn delete(&mut self) {
        if self.take_selection() || self.cursor >= self.value.chars().count() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
    }

    /// Moves the cursor: `Some(delta)` characters, or to the start (`None`, false) or end
    /// (`None`, true). Any move ends a selection.
    pub fn move_cursor(&mut self, delta: Option<isize>, to_end: bool) {
        self.selected = false;
        let len = self.value.chars().count();
        self.cursor = match delta {
            Some(d) => self.cursor.saturating_add_signed(d).min(len),
            None if to_end => len,
            None => 0,
        };
    }
}

/// A small form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Its title.
    pub title: String,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The field being typed in.
    pub focus: usize,
    /// What accepting does.
    pub pending: Pending,
    /// Why the last accept was refused.
    pub error: Option<String>,
}

impl Form {
    /// A form with one field.
    #[must_use]
    pub fn single(
        title: impl Into<String>,
        label: &'static str,
        value: String,
        hint: &'static str,
        pending: Pending,
    ) -> Form {
        Form {
            title: title.into(),
            fields: vec![Field::new(label, value, hint)],
            focus: 0,
            pending,
            error: None,
        }
    }

    /// The text of field `i`.
    #[must_use]
    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.value.as_str())
    }

    /// The focused field.
    pub fn field_mut(&mut self) -> Option<&mut Field> {
        self.error = None;
        self.fields.get_mut(self.focus)
    }

    /// Types a character into the focused field.
    pub fn type_char(&mut self, c: char) {
        if let Some(f) = self.field_mut() {
            f.insert(c);
        }
    }

    /// Deletes the character before the cursor in the focused field.
    pub fn backspace(&mut self) {
        if let Some(f) = self.field_mut() {
            f.backspace();
        }
    }

    /// Clears the focused field.
    pub fn clear_field(&mut self) {
        if let Some(f) = self.field_mut() {
            f.value.clear();
            f.cursor = 0;
            f.selected = false;
        }
    }

    /// Moves to the next or previous field (wrapping).
    pub fn step_field(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }
}

/// What is drawn over the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The key help, scrolled by `scroll` rows, showing what matches `filter`.
    Help {
        /// Rows scrolled.
        scroll: usize,
        /// Text typed to filter it (case-insensitive; empty shows everything).
        filter: String,
    },
    /// One transcript line in full, with its metadata.
    Detail {
        /// The line's index.
        line: usize,
        /// Rows scrolled.
        scroll: usize,
    },
    /// A card in full, with its history from `assignments.history.jsonl`.
    Card {
        /// The session whose store holds it.
        session: String,
        /// The bead.
        bead: String,
        /// Its recorded transitions, oldest first, or why they cannot be read (`None` while
        /// the history log is being read).
        history: Option<Result<Vec<crate::persist::assignment::HistoryRecord>, String>>,
        /// Rows scrolled.
        scroll: usize,
    },
    /// A yes/no question.
    Confirm(Confirm),
    /// A form.
    Form(Form),
    /// The results of the search of every transcript (`Model::corpus`), as they stream in.
    Results,
    /// The session picker.
    Sessions(Box<super::SessionPicker>),
    /// The last status messages with their times, newest first (`M`).
    Messages {
        /// Rows scrolled.
        scroll: usize,
    },
}
