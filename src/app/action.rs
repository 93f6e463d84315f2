//! `Action`: everything a user can ask for, the dashboard's whole vocabulary. Keys reach an
//! action through the binding table (`keymap.rs`); `update.rs` carries it out, calling the
//! persistence layer for anything that changes a file.

/// A user intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Quit at once, from anywhere (Ctrl-C).
    ForceQuit,
    /// Quit.
    Quit,
    /// Suspend to the shell (Ctrl-Z); `fg` brings the dashboard back. The event loop does it.
    Suspend,
    /// Show or hide the key help.
    ToggleHelp,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PreviousPane,
    /// Focus the Runs pane.
    ShowRuns,
    /// Focus the Transcript pane.
    ShowTranscript,
    /// Focus the Board pane.
    ShowBoard,
    /// Pause or resume live updates.
    TogglePause,
    /// Close an overlay, or clear marks, a filter or a search.
    Dismiss,
    /// Move down one item.
    Down,
    /// Move up one item.
    Up,
    /// Go to the first item.
    First,
    /// Go to the last item (in the transcript: and follow again).
    Last,
    /// Move down a page.
    PageDown,
    /// Move up a page.
    PageUp,
    /// Type a filter for the list.
    Filter,
    /// Open the selected run's transcript.
    OpenTranscript,
    /// Show active runs only, or all runs.
    ToggleActiveOnly,
    /// Close the selected stale run as cancelled (asks first).
    CloseStaleRun,
    /// Follow the end of the transcript, or stop following.
    ToggleFollow,
    /// Search the transcript.
    Search,
    /// Search every run's transcript (results stream into a list).
    SearchAll,
    /// Jump to the next search match.
    NextMatch,
    /// Jump to the previous search match.
    PreviousMatch,
    /// Jump to the next error or FAIL.
    NextError,
    /// Jump to the previous error or FAIL.
    PreviousError,
    /// Wrap long lines, or cut them.
    ToggleWrap,
    /// Timestamps: absolute, relative, off.
    CycleTimestamps,
    /// Scroll cut lines left (wrap off).
    ScrollLeft,
    /// Scroll cut lines right (wrap off).
    ScrollRight,
    /// Show the selected entry in full, with its metadata.
    ExpandEntry,
    /// Select the column to the left.
    ColumnLeft,
    /// Select the column to the right.
    ColumnRight,
    /// assigned → working.
    Start,
    /// working → completed.
    Complete,
    /// assigned|working → failed (asks for a reason).
    Fail,
    /// working → assigned to another pane and agent (asks for them).
    Reassign,
    /// failed → assigned.
    Retry,
    /// Remove the assignment (asks first).
    Remove,
    /// Show the next session's board.
    NextSession,
    /// Pick a session (or all sessions) to show on the board, typing to filter.
    PickSession,
    /// Select the next run or bead that needs attention.
    NextAttention,
    /// Acknowledge the selected item's situation (it stops counting until it changes).
    Acknowledge,
    /// Go to the selection in tmux: a run's session, or a card's pane.
    OpenInTmux,
    /// Open the transcript of the run bound to the selected card's pane (Esc comes back).
    CardTranscript,
    /// Assign the selected ready bead (asks for pane, agent and prompt).
    AssignReady,
    /// Show the selected card in full, with its history.
    CardDetails,
    /// Confirm the dialog.
    Confirm,
    /// Cancel the dialog.
    Cancel,
    /// Next field of a form.
    NextField,
    /// Previous field of a form.
    PreviousField,
    /// Copy the selection to the clipboard (OSC 52): a run's name, a transcript entry, a bead
    /// id, a card's prompt.
    Yank,
    /// Open the transcript in `$PAGER` at the selected line.
    OpenPager,
    /// Edit the focused form field in `$VISUAL`/`$EDITOR`.
    EditField,
    /// Undo the last board move exactly (every record back as it was, if nobody changed it
    /// since); right after an undo, redo it.
    Undo,
    /// Redo the move just undone, exactly.
    Redo,
    /// Mark the selected card (a move then applies to every marked card) or run, or unmark it.
    ToggleMark,
    /// List the runs by the next order (state, started, activity, repo, id).
    CycleOrder,
    /// Show the last status messages with their times, errors included.
    Messages,
}

impl Action {
    /// Every action, for tests and for validating key overrides.
    pub const ALL: [Action; 61] = [
        Action::ForceQuit,
        Action::Quit,
        Action::Suspend,
        Action::ToggleHelp,
        Action::NextPane,
        Action::PreviousPane,
        Action::ShowRuns,
        Action::ShowTranscript,
        Action::ShowBoard,
        Action::TogglePause,
        Action::Dismiss,
        Action::Down,
        Action::Up,
        Action::First,
        Action::Last,
        Action::PageDown,
        Action::PageUp,
        Action::Filter,
        Action::OpenTranscript,
        Action::ToggleActiveOnly,
        Action::CloseStaleRun,
        Action::ToggleFollow,
        Action::Search,
        Action::SearchAll,
        Action::NextMatch,
        Action::PreviousMatch,
        Action::NextError,
        Action::PreviousError,
        Action::ToggleWrap,
        Action::CycleTimestamps,
        Action::ScrollLeft,
        Action::ScrollRight,
        Action::ExpandEntry,
        Action::ColumnLeft,
        Action::ColumnRight,
        Action::Start,
        Action::Complete,
        Action::Fail,
        Action::Reassign,
        Action::Retry,
        Action::Remove,
        Action::NextSession,
        Action::PickSession,
        Action::NextAttention,
        Action::Acknowledge,
        Action::OpenInTmux,
        Action::CardTranscript,
        Action::AssignReady,
        Action::CardDetails,
        Action::Confirm,
        Action::Cancel,
        Action::NextField,
        Action::PreviousField,
        Action::Yank,
        Action::OpenPager,
        Action::EditField,
        Action::Undo,
        Action::Redo,
        Action::ToggleMark,
        Action::CycleOrder,
        Action::Messages,
    ];

    /// The action's name in the config file's `[keys]` table (snake case).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Action::ForceQuit => "force_quit",
            Action::Quit => "quit",
            Action::Suspend => "suspend",
            Action::ToggleHelp => "toggle_help",
            Action::NextPane => "next_pane",
            Action::PreviousPane => "previous_pane",
            Action::ShowRuns => "show_runs",
            Action::ShowTranscript => "show_transcript",
            Action::ShowBoard => "show_board",
            Action::TogglePause => "toggle_pause",
            Action::Dismiss => "dismiss",
            Action::Down => "down",
            Action::Up => "up",
            Action::First => "first",
            Action::Last => "last",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Filter => "filter",
            Action::OpenTranscript => "open_transcript",
            Action::ToggleActiveOnly => "toggle_active_only",
            Action::CloseStaleRun => "close_stale_run",
            Action::ToggleFollow => "toggle_follow",
            Action::Search => "search",
            Action::SearchAll => "search_all",
            Action::NextMatch => "next_match",
            Action::PreviousMatch => "previous_match",
            Action::NextError => "next_error",
            Action::PreviousError => "previous_error",
            Action::ToggleWrap => "toggle_wrap",
            Action::CycleTimestamps => "cycle_timestamps",
            Action::ScrollLeft => "scroll_left",
            Action::ScrollRight => "scroll_right",
            Action::ExpandEntry => "expand_entry",
            Action::ColumnLeft => "column_left",
            Action::ColumnRight => "column_right",
            Action::Start => "start",
            Action::Complete => "complete",
            Action::Fail => "fail",
            Action::Reassign => "reassign",
            Action::Retry => "retry",
            Action::Remove => "remove",
            Action::NextSession => "next_session",
            Action::PickSession => "pick_session",
            Action::NextAttention => "next_attention",
            Action::Acknowledge => "acknowledge",
            Action::OpenInTmux => "open_in_tmux",
            Action::CycleOrder => "cycle_order",
            Action::Messages => "messages",
            Action::CardTranscript => "card_transcript",
            Action::AssignReady => "assign_ready",
            Action::CardDetails => "card_details",
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
            Action::NextField => "next_field",
            Action::PreviousField => "previous_field",
            Action::Yank => "yank",
            Action::OpenPager => "open_pager",
            Action::EditField => "edit_field",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::ToggleMark => "toggle_mark",
        }
    }

    /// The action called `name`, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}
