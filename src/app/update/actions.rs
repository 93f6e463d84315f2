//! Actions on the panes and on the help and detail overlays.

use super::board;
use crate::app::action::Action;
use crate::app::model::transcript::Found;
use crate::app::model::{Form, Model, Overlay, Pane, Pending, StatusKind, Timestamps, Topic};
use crate::ui::layout;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;

/// The inner size (width, rows of items) of `pane` at the current terminal size.
fn pane_size(model: &Model, pane: Pane) -> (u16, u16) {
    let arrange = layout::Arrange::of(model).focused(pane);
    let areas = layout::areas(Rect::new(0, 0, model.size.0, model.size.1), arrange);
    areas.of(pane).map_or((model.size.0, model.size.1), |r| {
        (r.width.saturating_sub(2), r.height.saturating_sub(2))
    })
}

fn page(model: &Model, pane: Pane) -> isize {
    let (_, rows) = pane_size(model, pane);
    isize::try_from(rows.saturating_sub(2)).unwrap_or(10).max(1)
}

/// Keeps the transcript's scroll hint where the view put it, so it never jumps.
pub(super) fn settle_transcript(model: &mut Model, now: DateTime<Utc>) {
    let (w, h) = pane_size(model, Pane::Transcript);
    model.transcript.top = crate::ui::effective_top(model, w, h, now);
}

pub(super) fn settle_runs(model: &mut Model) {
    let (_, h) = pane_size(model, Pane::Runs);
    model
        .runs
        .scroll_to_selection(usize::from(h.saturating_sub(1)));
    model.open_selected_transcript();
}

/// Actions while no dialog or overlay is open.
pub fn pane_action(model: &mut Model, action: Action, now: DateTime<Utc>) {
    match action {
        Action::ForceQuit | Action::Quit => model.quit = true,
        Action::ToggleHelp => {
            model.overlay = Some(Overlay::Help {
                scroll: 0,
                filter: String::new(),
            })
        }
        Action::NextPane => model.focus = model.focus.next(),
        Action::PreviousPane => model.focus = model.focus.previous(),
        Action::ShowRuns => model.focus = Pane::Runs,
        Action::ShowTranscript => model.focus = Pane::Transcript,
        Action::ShowBoard => model.focus = Pane::Board,
        Action::TogglePause => toggle_pause(model),
        Action::Dismiss => dismiss(model),
        Action::Filter => {
            let current = match model.focus {
                Pane::Runs => model.runs.filter().to_owned(),
                Pane::Board => model.board.filter.clone(),
                Pane::Transcript => String::new(),
            };
            model.overlay = Some(Overlay::Form(Form::single(
                "filter",
                "/ filter",
                current,
                "",
                Pending::Filter(model.focus),
            )));
        }
        Action::Down
        | Action::Up
        | Action::First
        | Action::Last
        | Action::PageDown
        | Action::PageUp => navigate(model, action, now),
        Action::OpenTranscript => {
            if model.runs.selected().is_some() {
                model.open_selected_transcript();
                model.focus = Pane::Transcript;
            }
        }
        Action::ToggleActiveOnly => {
            model.runs.set_active_only(!model.runs.active_only());
            settle_runs(model);
            let what = if model.runs.active_only() {
                "showing active runs only (a shows all)"
            } else {
                "showing all runs"
            };
            let topic = Topic::Listing(model.runs.active_only(), model.runs.filter().to_owned());
            model.say_about(topic, StatusKind::Info, what);
        }
        Action::CloseStaleRun => super::done::ask_close(model),
        Action::ToggleFollow => {
            if model.transcript.follow {
                model.transcript.follow = false;
                model.say_about(
                    Topic::Follow(false),
                    StatusKind::Info,
                    "follow paused (f or G resumes)",
                );
            } else {
                model.transcript.last();
                model.say_about(
                    Topic::Follow(true),
                    StatusKind::Info,
                    "following the end of the transcript",
                );
            }
            settle_transcript(model, now);
        }
        Action::Search => {
            model.overlay = Some(Overlay::Form(Form::single(
                "search",
                "/ search",
                String::new(),
                "",
                Pending::Search,
            )))
        }
        Action::SearchAll => super::corpus::ask(model, false),
        Action::NextMatch | Action::PreviousMatch => {
            let before = model.transcript.search.as_ref().and_then(|s| s.current);
            if model.transcript.step_match(action == Action::NextMatch) {
                let s = model
                    .transcript
                    .search
                    .as_ref()
                    .map(|s| (s.id, s.current.unwrap_or(0), s.matches.len(), s.count()));
                if let Some((id, at, of, count)) = s {
                    // Around the end (or the start), as `e`/`E` say too.
                    let wrapped = match (before, action == Action::NextMatch) {
                        (Some(b), true) if at <= b && of > 1 => " (wrapped around to the first)",
                        (Some(b), false) if at >= b && of > 1 => " (wrapped around to the last)",
                        _ => "",
                    };
                    let topic = Topic::Search(Some(id));
                    let text = format!("match {} of {count}{wrapped}", at + 1);
                    model.say_about(topic, StatusKind::Info, text);
                }
            } else {
                model.say(StatusKind::Info, "no search matches (/ searches)");
            }
            settle_transcript(model, now);
        }
        Action::NextError | Action::PreviousError => {
            let forward = action == Action::NextError;
            let found = model.transcript.step_error(forward);
            say_error_step(model, found, forward);
            settle_transcript(model, now);
        }
        Action::ToggleWrap => {
            model.transcript.wrap = !model.transcript.wrap;
            model.transcript.x_offset = 0;
            settle_transcript(model, now);
        }
        Action::ScrollLeft | Action::ScrollRight => scroll_sideways(model, action),
        Action::CycleTimestamps => {
            model.transcript.timestamps = match model.transcript.timestamps {
                Timestamps::Absolute => Timestamps::Relative,
                Timestamps::Relative => Timestamps::Off,
                Timestamps::Off => Timestamps::Absolute,
            };
            settle_transcript(model, now);
        }
        Action::ExpandEntry if model.transcript.subagent_here().is_some() => {
            match model.transcript.open_subagent() {
                Ok(()) => model.say(StatusKind::Info, "sub-agent's transcript (Esc returns)"),
                Err(why) => model.say(StatusKind::Info, why),
            }
        }
        Action::ExpandEntry => {
            // A cut entry is read whole on the worker; the overlay shows it when it arrives.
            model.transcript.read_whole(model.transcript.cursor);
            if !model.transcript.is_empty() {
                model.overlay = Some(Overlay::Detail {
                    line: model.transcript.cursor,
                    scroll: 0,
                });
            }
        }
        Action::ColumnLeft | Action::ColumnRight => {
            model
                .board
                .move_column(if action == Action::ColumnLeft { -1 } else { 1 });
            let shown = crate::ui::columns_in_view(model);
            model.board.scroll_columns(shown);
        }
        Action::Start
        | Action::Complete
        | Action::Fail
        | Action::Reassign
        | Action::Retry
        | Action::Remove => board::card_action(model, action),
        Action::PickSession => super::picker::open(model),
        Action::NextSession => {
            model.board.next_session();
            if let Some(s) = &model.board.session {
                let text = format!("session {s}");
                model.say(StatusKind::Info, text);
            }
        }
        Action::NextAttention => model.next_attention(),
        Action::Acknowledge => model.ask_acknowledge(),
        Action::Messages => model.overlay = Some(Overlay::Messages { scroll: 0 }),
        Action::CycleOrder => {
            model.runs.cycle_order();
            settle_runs(model);
            let text = format!(
                "runs ordered by {} (o orders by {})",
                model.runs.order().as_str(),
                model.runs.order().next().as_str()
            );
            model.say(StatusKind::Info, text);
        }
        Action::CardDetails => board::open_card(model),
        Action::AssignReady => board::ask_assign_ready(model),
        Action::OpenInTmux => super::tmux::open(model),
        Action::CardTranscript => super::bound::card_transcript(model),
        Action::Yank => super::reach::yank(model),
        Action::OpenPager => super::reach::open_pager(model),
        Action::Undo => super::undo::undo(model, false),
        Action::Redo => super::undo::undo(model, true),
        Action::ToggleMark => super::moves::toggle_mark(model),
        Action::Confirm
        | Action::Cancel
        | Action::NextField
        | Action::PreviousField
        | Action::EditField => {}
        Action::Suspend => {}
    }
}

/// What `e`/`E` say: that they went around the end (or the start), or that the transcript
/// has no trouble line at all.
pub(super) fn say_error_step(model: &mut Model, found: Found, forward: bool) {
    let text = match (found, forward) {
        (Found::Here | Found::Looking, _) => return,
        (Found::Wrapped, true) => "e wrapped around to the first error, FAIL or unreadable line",
        (Found::Wrapped, false) => "E wrapped around to the last error, FAIL or unreadable line",
        (Found::Nowhere, _) => "no error, FAIL or unreadable line in this transcript",
    };
    model.say(StatusKind::Info, text);
}

fn navigate(model: &mut Model, action: Action, now: DateTime<Utc>) {
    let page = page(model, model.focus);
    match model.focus {
        Pane::Runs => {
            match action {
                Action::Down => model.runs.move_by(1),
                Action::Up => model.runs.move_by(-1),
                Action::PageDown => model.runs.move_by(page),
                Action::PageUp => model.runs.move_by(-page),
                Action::First => model.runs.select_index(0),
                _ => model.runs.select_index(usize::MAX),
            }
            settle_runs(model);
        }
        Pane::Transcript => {
            let paused = match action {
                Action::Down => model.transcript.move_by(1),
                Action::Up => model.transcript.move_by(-1),
                Action::PageDown => model.transcript.move_by(page),
                Action::PageUp => model.transcript.move_by(-page),
                Action::First => {
                    let was = model.transcript.follow;
                    model.transcript.first();
                    was
                }
                _ => {
                    model.transcript.last();
                    false
                }
            };
            if paused {
                model.say_about(
                    Topic::Follow(false),
                    StatusKind::Info,
                    "follow paused while you scroll (G or f resumes)",
                );
            }
            settle_transcript(model, now);
        }
        Pane::Board => match action {
            Action::Down => model.board.move_row(1),
            Action::Up => model.board.move_row(-1),
            Action::PageDown => model.board.move_row(page / 4),
            Action::PageUp => model.board.move_row(-(page / 4)),
            Action::First => model.board.select_row(0),
            _ => model.board.select_row(usize::MAX),
        },
    }
}

/// How far `h`/`l` scroll cut lines.
const SIDEWAYS_STEP: usize = 8;

fn scroll_sideways(model: &mut Model, action: Action) {
    let pane = &mut model.transcript;
    if pane.wrap {
        model.say(
            StatusKind::Info,
            "lines are wrapped, nothing is cut: w turns wrapping off to scroll sideways",
        );
        return;
    }
    pane.x_offset = if action == Action::ScrollRight {
        pane.x_offset.saturating_add(SIDEWAYS_STEP).min(100_000)
    } else {
        pane.x_offset.saturating_sub(SIDEWAYS_STEP)
    };
}

/// Esc in a pane: stops a lock wait, clears a filter or search, or goes back.
pub(super) fn dismiss(model: &mut Model) {
    if model.cancel_waits() || super::moves::clear_marks(model) {
        return;
    }
    match model.focus {
        Pane::Runs if !model.runs.filter().is_empty() => {
            model.runs.set_filter(String::new());
        }
        Pane::Board if !model.board.filter.is_empty() => {
            model.board.set_filter(String::new());
        }
        Pane::Transcript if model.transcript.search.is_some() => {
            model.transcript.cancel_search();
            model.transcript.search = None;
        }
        // Out of a sub-agent: back to its parent, at its entry.
        Pane::Transcript if model.transcript.back() => {
            settle_transcript(model, model.clock);
        }
        // Back to the card the transcript was opened from, else to where a transcript or a
        // board is opened from.
        Pane::Transcript | Pane::Board => {
            if model.focus == Pane::Transcript && super::bound::back_to_card(model) {
                return;
            }
            model.focus = Pane::Runs;
            model.status = None;
        }
        Pane::Runs => model.status = None,
    }
}

fn toggle_pause(model: &mut Model) {
    match model.paused.take() {
        Some(pending) => {
            let n = pending.len();
            for change in pending {
                super::apply_change(model, change);
            }
            model.say_about(
                Topic::Pause(false),
                StatusKind::Info,
                format!("live updates resumed ({n} changes applied)"),
            );
        }
        None => {
            model.paused = Some(std::collections::HashSet::new());
            model.say_about(
                Topic::Pause(true),
                StatusKind::Info,
                "live updates paused (p resumes)",
            );
        }
    }
}

/// Actions while the help or an expanded entry is shown.
pub fn overlay_action(model: &mut Model, action: Action) {
    if action == Action::Yank {
        super::reach::yank(model);
        return;
    }
    let page = usize::from(model.size.1.saturating_sub(6)).max(1);
    if let Some(Overlay::Help { filter, scroll }) = &mut model.overlay {
        match action {
            // Esc clears what was typed first; `?` and Enter close at once.
            Action::Dismiss if !filter.is_empty() => {
                filter.clear();
                *scroll = 0;
                return;
            }
            Action::Dismiss | Action::ToggleHelp => {
                model.overlay = None;
                return;
            }
            _ => {}
        }
    }
    let Some(
        Overlay::Help { scroll, .. }
        | Overlay::Detail { scroll, .. }
        | Overlay::Card { scroll, .. }
        | Overlay::Messages { scroll },
    ) = &mut model.overlay
    else {
        return;
    };
    match action {
        Action::ForceQuit => model.quit = true,
        Action::Dismiss => model.overlay = None,
        Action::Down => *scroll += 1,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll += page,
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::First => *scroll = 0,
        Action::Last => *scroll = usize::MAX / 2,
        _ => {}
    }
}
