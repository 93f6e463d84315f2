//! What can sit on top of the panes: the key help, an entry or a card shown in full, a yes/no
//! dialog, or a small form (fail reason, reassign target, filter, search).

use super::Pane;
use std::path::PathBuf;

/// What a dialog or form will do when accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Close a stale run as cancelled.
    CloseRun(PathBuf),
    /// Remove a bead's assignment.
    RemoveBead(String),
    /// Fail a bead (the form asks for the reason).
    FailBead(String),
    /// Reassign a bead (the form asks for pane, agent type and name).
    ReassignBead(String),
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

/// One text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its label.
    pub label: &'static str,
    /// What was typed.
    pub value: String,
    /// A hint shown beside it.
    pub hint: &'static str,
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
            fields: vec![Field { label, value, hint }],
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

    /// Types a character into the focused field.
    pub fn type_char(&mut self, c: char) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.push(c);
        }
        self.error = None;
    }

    /// Deletes the last character of the focused field.
    pub fn backspace(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.pop();
        }
        self.error = None;
    }

    /// Clears the focused field.
    pub fn clear_field(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.clear();
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
}
