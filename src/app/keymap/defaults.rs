//! The default key bindings: one row per binding, (scope, keys, action, label, in footer); the
//! lists drawn over the panes (help, search results, session picker) are in
//! `defaults/overlays.rs`. [`default_bindings`] is the whole table, in order.

mod overlays;

use super::{Key, Scope};
use crate::app::action::Action;
use crossterm::event::KeyCode;

/// One row of the table: (scope, keys, action, label, shown in the footer).
pub type Row = (Scope, &'static [Key], Action, &'static str, bool);

/// Every default binding, in the order help and the README list them.
pub fn default_bindings() -> impl Iterator<Item = &'static Row> {
    DEFAULT_BINDINGS.iter().chain(overlays::OVERLAY_BINDINGS)
}

const fn c(ch: char) -> Key {
    Key::char(ch)
}

const fn k(code: KeyCode) -> Key {
    Key::code(code)
}

/// The default bindings of the panes and dialogs (the overlays' follow: see
/// [`default_bindings`]).
const DEFAULT_BINDINGS: &[Row] = &[
    (
        Scope::Always,
        &[Key::ctrl('c')],
        Action::ForceQuit,
        "quit now",
        false,
    ),
    (
        Scope::Always,
        &[Key::ctrl('z')],
        Action::Suspend,
        "suspend",
        false,
    ),
    (Scope::Global, &[c('q')], Action::Quit, "quit", true),
    (Scope::Global, &[c('?')], Action::ToggleHelp, "help", true),
    (
        Scope::Global,
        &[k(KeyCode::Tab)],
        Action::NextPane,
        "next pane",
        true,
    ),
    (
        Scope::Global,
        &[k(KeyCode::BackTab)],
        Action::PreviousPane,
        "previous pane",
        false,
    ),
    (Scope::Global, &[c('1')], Action::ShowRuns, "Runs", false),
    (
        Scope::Global,
        &[c('2')],
        Action::ShowTranscript,
        "Transcript",
        false,
    ),
    (Scope::Global, &[c('3')], Action::ShowBoard, "Board", false),
    (
        Scope::Global,
        &[c('p')],
        Action::TogglePause,
        "pause live updates",
        false,
    ),
    (
        Scope::Global,
        &[c('i')],
        Action::NextAttention,
        "next needing attention",
        true,
    ),
    (
        Scope::Global,
        &[c('F')],
        Action::SearchAll,
        "search every transcript",
        true,
    ),
    (Scope::Global, &[c('y')], Action::Yank, "copy", false),
    (
        Scope::Global,
        &[c('A')],
        Action::Acknowledge,
        "acknowledge",
        false,
    ),
    (
        Scope::Global,
        &[k(KeyCode::Esc)],
        Action::Dismiss,
        "clear / back",
        false,
    ),
    (
        Scope::List,
        &[c('j'), k(KeyCode::Down)],
        Action::Down,
        "down",
        true,
    ),
    (
        Scope::List,
        &[c('k'), k(KeyCode::Up)],
        Action::Up,
        "up",
        true,
    ),
    (
        Scope::List,
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        "first",
        false,
    ),
    (
        Scope::List,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "last",
        false,
    ),
    (
        Scope::List,
        &[k(KeyCode::PageDown), Key::ctrl('d')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::List,
        &[k(KeyCode::PageUp), Key::ctrl('u')],
        Action::PageUp,
        "page up",
        false,
    ),
    (Scope::List, &[c('/')], Action::Filter, "filter", true),
    (
        Scope::Runs,
        &[k(KeyCode::Enter)],
        Action::OpenTranscript,
        "open transcript",
        true,
    ),
    (
        Scope::Runs,
        &[c('a')],
        Action::ToggleActiveOnly,
        "active/all",
        true,
    ),
    (
        Scope::Runs,
        &[c('C')],
        Action::CloseStaleRun,
        "close stale run",
        true,
    ),
    (
        Scope::Runs,
        &[c('o')],
        Action::OpenInTmux,
        "switch to its tmux session",
        false,
    ),
    (
        Scope::Transcript,
        &[c('f')],
        Action::ToggleFollow,
        "follow",
        true,
    ),
    (
        Scope::Transcript,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "end + follow",
        false,
    ),
    (Scope::Transcript, &[c('/')], Action::Search, "search", true),
    (
        Scope::Transcript,
        &[c('n')],
        Action::NextMatch,
        "next match",
        false,
    ),
    (
        Scope::Transcript,
        &[c('N')],
        Action::PreviousMatch,
        "previous match",
        false,
    ),
    (
        Scope::Transcript,
        &[c('e')],
        Action::NextError,
        "next error",
        true,
    ),
    (
        Scope::Transcript,
        &[c('E')],
        Action::PreviousError,
        "previous error",
        false,
    ),
    (
        Scope::Transcript,
        &[c('w')],
        Action::ToggleWrap,
        "wrap",
        true,
    ),
    (
        Scope::Transcript,
        &[c('t')],
        Action::CycleTimestamps,
        "timestamps",
        true,
    ),
    (
        Scope::Transcript,
        &[c('O')],
        Action::OpenPager,
        "open in $PAGER",
        false,
    ),
    (
        Scope::Transcript,
        &[c('h'), k(KeyCode::Left)],
        Action::ScrollLeft,
        "scroll left",
        false,
    ),
    (
        Scope::Transcript,
        &[c('l'), k(KeyCode::Right)],
        Action::ScrollRight,
        "scroll right",
        false,
    ),
    (
        Scope::Transcript,
        &[k(KeyCode::Enter)],
        Action::ExpandEntry,
        "expand entry",
        true,
    ),
    (
        Scope::Board,
        &[c('h'), k(KeyCode::Left)],
        Action::ColumnLeft,
        "column left",
        false,
    ),
    (
        Scope::Board,
        &[c('l'), k(KeyCode::Right)],
        Action::ColumnRight,
        "column right",
        false,
    ),
    (Scope::Board, &[c('s')], Action::Start, "start", true),
    (Scope::Board, &[c('c')], Action::Complete, "complete", true),
    (Scope::Board, &[c('x')], Action::Fail, "fail", true),
    (Scope::Board, &[c('r')], Action::Reassign, "reassign", true),
    (Scope::Board, &[c('R')], Action::Retry, "retry", true),
    (Scope::Board, &[c('d')], Action::Remove, "remove", true),
    (
        Scope::Board,
        &[c('u')],
        Action::Undo,
        "undo last move",
        false,
    ),
    (
        Scope::Board,
        &[c('n')],
        Action::AssignReady,
        "assign ready bead",
        true,
    ),
    (
        Scope::Board,
        &[k(KeyCode::Enter)],
        Action::CardDetails,
        "details + history",
        false,
    ),
    (
        Scope::Board,
        &[c('o')],
        Action::OpenInTmux,
        "go to its tmux pane",
        false,
    ),
    (
        Scope::Board,
        &[c('t')],
        Action::CardTranscript,
        "its agent's transcript",
        true,
    ),
    (
        Scope::Board,
        &[c('S')],
        Action::PickSession,
        "pick session",
        true,
    ),
    (
        Scope::Board,
        &[c(']')],
        Action::NextSession,
        "next session",
        false,
    ),
    (Scope::Confirm, &[c('y')], Action::Confirm, "yes", true),
    (
        Scope::Confirm,
        &[c('n'), k(KeyCode::Esc), Key::ctrl('c')],
        Action::Cancel,
        "no",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::Enter)],
        Action::Confirm,
        "accept",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::Esc), Key::ctrl('c')],
        Action::Cancel,
        "cancel",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::Tab), k(KeyCode::Down)],
        Action::NextField,
        "next field",
        true,
    ),
    (
        Scope::Prompt,
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        Action::PreviousField,
        "previous field",
        false,
    ),
    (
        Scope::Prompt,
        &[Key::ctrl('o')],
        Action::EditField,
        "edit in $EDITOR",
        false,
    ),
    (
        Scope::Overlay,
        &[k(KeyCode::Esc), c('q'), c('?'), k(KeyCode::Enter)],
        Action::Dismiss,
        "close",
        true,
    ),
    (Scope::Overlay, &[c('y')], Action::Yank, "copy", true),
    (
        Scope::Overlay,
        &[c('j'), k(KeyCode::Down)],
        Action::Down,
        "down",
        true,
    ),
    (
        Scope::Overlay,
        &[c('k'), k(KeyCode::Up)],
        Action::Up,
        "up",
        true,
    ),
    (
        Scope::Overlay,
        &[k(KeyCode::PageDown), Key::ctrl('d'), c(' ')],
        Action::PageDown,
        "page down",
        false,
    ),
    (
        Scope::Overlay,
        &[k(KeyCode::PageUp), Key::ctrl('u')],
        Action::PageUp,
        "page up",
        false,
    ),
    (
        Scope::Overlay,
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        "top",
        false,
    ),
    (
        Scope::Overlay,
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        "bottom",
        false,
    ),
];
