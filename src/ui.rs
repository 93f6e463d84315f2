//! Views: pure functions of the model, the theme and a `now` passed in. Nothing here changes
//! the model or touches a file; `render` draws one frame. The theme belongs to the views, not
//! to the model: the event loop owns it and hands it to `render`.

mod ansi;
mod board;
mod card;
mod chrome;
mod dialog;
pub mod footer;
mod header;
mod help;
mod hit;
mod hosts;
pub mod layout;
mod messages;
mod moves;
mod picker;
pub mod redraw;
mod results;
mod runs;
mod theme;
mod transcript;
pub mod wrap;

pub use board::columns_in_view;
pub use hit::{Target, hit};
pub use layout::{Areas, LayoutMode};
pub use picker::{row_at as picker_row_at, rows_in_view as picker_rows_in_view};
pub use results::rows as results_rows;
pub use theme::Theme;
pub use transcript::effective_top;

use crate::app::model::{Model, Overlay, Pending};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;

/// The model as the views see it: its state, and the theme to draw it in (the views read the
/// model's fields through it as through the model itself).
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// What to show.
    pub model: &'a Model,
    /// How to colour it.
    pub theme: &'a Theme,
}

impl std::ops::Deref for View<'_> {
    type Target = Model;

    fn deref(&self) -> &Model {
        self.model
    }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, model: &Model, theme: &Theme, now: DateTime<Utc>) {
    let model = &View { model, theme };
    let area = frame.area();
    let buf = frame.buffer_mut();
    if LayoutMode::of(area.width, area.height) == LayoutMode::TooSmall {
        chrome::too_small(buf, area, theme);
        return;
    }
    let areas = layout::areas(area, layout::Arrange::of(model));
    // Counted once: the header shows it, the footer offers `i` by it.
    let waiting = model.observer.attention_count();
    header::render(buf, areas.header, model, waiting, now);
    if let Some(r) = areas.runs {
        runs::render(buf, r, model, now);
    }
    if let Some(r) = areas.transcript {
        transcript::render(buf, r, model, now);
    }
    if let Some(r) = areas.board {
        board::render(buf, r, model, now);
    }
    chrome::status(buf, areas.status, model, now);
    footer::render(buf, areas.footer, model, waiting, now);
    match &model.overlay {
        Some(Overlay::Help { scroll, filter }) => {
            help::render(buf, area, model, *scroll, filter, now)
        }
        Some(Overlay::Detail { line, scroll }) => {
            transcript::detail(buf, area, model, *line, *scroll, now)
        }
        Some(Overlay::Card {
            session,
            bead,
            history,
            scroll,
        }) => {
            let key = crate::app::model::CardKey::new(session, bead);
            card::render(buf, area, model, &key, history.as_ref(), *scroll, now);
        }
        Some(Overlay::Confirm(c)) => dialog::confirm(buf, area, model, c, now),
        Some(Overlay::Messages { scroll }) => messages::render(buf, area, model, *scroll, now),
        Some(Overlay::Sessions(p)) => picker::render(buf, model, p, now),
        Some(Overlay::Results) => results::render(buf, area, model, now),
        // A new search typed from the results list: the list stays in sight under the prompt.
        Some(Overlay::Form(f)) if f.pending == Pending::SearchAll(true) => {
            results::render(buf, area, model, now);
        }
        Some(Overlay::Form(f)) if !dialog::is_inline(f) => dialog::form(buf, area, model, f, now),
        _ => {}
    }
}

/// Draws `rows` into `inner`, scrolled by `scroll` rows (clamped so the last row can reach the
/// bottom but no further): the body of every scrollable overlay.
pub fn scrolled(
    buf: &mut ratatui::buffer::Buffer,
    inner: Rect,
    rows: &[ratatui::text::Line<'_>],
    scroll: usize,
) {
    let max_scroll = rows.len().saturating_sub(usize::from(inner.height));
    for (i, row) in rows
        .iter()
        .skip(scroll.min(max_scroll))
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + u16::try_from(i).unwrap_or(0);
        buf.set_line(inner.x, y, row, inner.width);
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
