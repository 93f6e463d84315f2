//! Views: pure functions of the model and a `now` passed in. Nothing here changes the model or
//! touches a file; `render` draws one frame.

mod ansi;
mod board;
mod chrome;
mod dialog;
mod help;
pub mod layout;
mod runs;
mod theme;
mod transcript;
mod wrap;

pub use layout::{Areas, LayoutMode};
pub use theme::Theme;
pub use transcript::effective_top;

use crate::app::model::{Model, Overlay};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;

/// Draws the whole screen.
pub fn render(frame: &mut Frame, model: &Model, now: DateTime<Utc>) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if LayoutMode::of(area.width, area.height) == LayoutMode::TooSmall {
        chrome::too_small(buf, area, &model.theme);
        return;
    }
    let areas = layout::areas(area, model.focus);
    chrome::header(buf, areas.header, model, now);
    if let Some(r) = areas.runs {
        runs::render(buf, r, model, now);
    }
    if let Some(r) = areas.transcript {
        transcript::render(buf, r, model, now);
    }
    if let Some(r) = areas.board {
        board::render(buf, r, model, now);
    }
    chrome::status(buf, areas.status, model);
    chrome::footer(buf, areas.footer, model);
    match &model.overlay {
        Some(Overlay::Help { scroll }) => help::render(buf, area, model, *scroll),
        Some(Overlay::Detail { line, scroll }) => {
            transcript::detail(buf, area, model, *line, *scroll)
        }
        Some(Overlay::Confirm(c)) => dialog::confirm(buf, area, model, c),
        Some(Overlay::Form(f)) if !dialog::is_inline(f) => dialog::form(buf, area, model, f),
        _ => {}
    }
}

/// A rectangle of `width`×`height` centred in `area` (clamped to it).
#[must_use]
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
