//! The mouse: a click selects the run, card, column or pane tab under it (the same geometry
//! the views draw with, `ui::hit`), or does the footer key it lands on (the footer's hints come
//! from the one binding table); a double-click opens (a run's transcript, a card in full, a
//! transcript entry, a session in the picker); the wheel scrolls the pane under the pointer, or
//! the overlay on top (in the results of a search of every transcript and in the session
//! picker, it moves the selection).

use super::actions::{settle_runs, settle_transcript};
use crate::app::action::Action;
use crate::app::model::{Model, Overlay, Pane};
use crate::ui::{self, Target, layout};
use chrono::{DateTime, Utc};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// Two clicks on the same cell within this long are a double-click.
const DOUBLE_CLICK: chrono::Duration = chrono::Duration::milliseconds(400);

/// How many rows a wheel notch scrolls.
const WHEEL_ROWS: isize = 3;

/// Takes one mouse event.
pub fn handle(model: &mut Model, event: MouseEvent, now: DateTime<Utc>) {
    let (x, y) = (event.column, event.row);
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let double = model
                .last_click
                .take()
                .is_some_and(|(at, cx, cy)| (cx, cy) == (x, y) && now - at <= DOUBLE_CLICK);
            if !double {
                model.last_click = Some((now, x, y));
            }
            click(model, x, y, double, now);
        }
        MouseEventKind::ScrollDown => wheel(model, x, y, WHEEL_ROWS, now),
        MouseEventKind::ScrollUp => wheel(model, x, y, -WHEEL_ROWS, now),
        _ => {}
    }
}

fn screen(model: &Model) -> Rect {
    Rect::new(0, 0, model.size.0, model.size.1)
}

/// The footer key under `(x, y)`, if any.
fn footer_key(model: &Model, x: u16, y: u16, now: DateTime<Utc>) -> Option<Action> {
    let areas = layout::areas(screen(model), layout::Arrange::of(model));
    let waiting = model.observer.attention_count();
    ui::footer::hints(model, areas.footer, waiting, now)
        .into_iter()
        .find(|h| h.area.contains(Position { x, y }))
        .map(|h| h.action)
}

fn click(model: &mut Model, x: u16, y: u16, double: bool, now: DateTime<Utc>) {
    if let Some(action) = footer_key(model, x, y, now) {
        super::apply(model, action, now);
        return;
    }
    if let Some(row) = ui::picker_row_at(model, x, y) {
        super::picker::click(model, row, double);
        return;
    }
    let Some(target) = ui::hit(model, screen(model), x, y, now) else {
        return;
    };
    match target {
        Target::Tab(pane) | Target::Pane(pane) => {
            model.focus = pane;
            if double && pane == Pane::Transcript {
                super::apply(model, Action::ExpandEntry, now);
            }
        }
        Target::Run(index) => {
            model.focus = Pane::Runs;
            model.runs.select_index(index);
            settle_runs(model);
            if double {
                super::apply(model, Action::OpenTranscript, now);
            }
        }
        Target::Column(column) => select_column(model, column),
        Target::Card { column, row } => {
            select_column(model, column);
            model.board.select_row(row);
            if double {
                super::apply(model, Action::CardDetails, now);
            }
        }
    }
}

fn select_column(model: &mut Model, column: usize) {
    model.focus = Pane::Board;
    let delta =
        isize::try_from(column).unwrap_or(0) - isize::try_from(model.board.column).unwrap_or(0);
    model.board.move_column(delta);
    let shown = ui::columns_in_view(model);
    model.board.scroll_columns(shown);
}

fn wheel(model: &mut Model, x: u16, y: u16, rows: isize, now: DateTime<Utc>) {
    if matches!(model.overlay, Some(Overlay::Sessions(_))) {
        let action = if rows > 0 { Action::Down } else { Action::Up };
        super::picker::action(model, action);
        return;
    }
    if matches!(model.overlay, Some(Overlay::Results)) {
        super::corpus::wheel(model, rows);
        return;
    }
    if let Some(
        Overlay::Help { scroll, .. }
        | Overlay::Detail { scroll, .. }
        | Overlay::Card { scroll, .. }
        | Overlay::Messages { scroll },
    ) = &mut model.overlay
    {
        *scroll = scroll.saturating_add_signed(rows);
        return;
    }
    let pane = match ui::hit(model, screen(model), x, y, now) {
        Some(Target::Pane(p) | Target::Tab(p)) => p,
        Some(Target::Run(_)) => Pane::Runs,
        Some(Target::Column(_) | Target::Card { .. }) => Pane::Board,
        None => return,
    };
    match pane {
        Pane::Runs => {
            model.runs.move_by(rows);
            settle_runs(model);
        }
        Pane::Transcript => {
            model.transcript.move_by(rows);
            settle_transcript(model, now);
        }
        Pane::Board => model.board.move_row(rows.signum()),
    }
}
