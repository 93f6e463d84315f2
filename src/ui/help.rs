//! The `?` help: every binding of the table, grouped by where it applies (and, while polling,
//! why live updates are polled).

use super::{centered, wrap};
use crate::ui::View;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// The help lines (also used by tests).
#[must_use]
pub fn lines(model: &View<'_>) -> Vec<Line<'static>> {
    let t = &model.theme;
    let mut out = Vec::new();
    if let crate::app::model::Live::Polling(why) = &model.live {
        out.push(Line::from(Span::styled("Live updates", t.title())));
        out.push(Line::from(Span::styled(
            format!(
                "  polling every {} s: {}",
                crate::app::watch::POLL_INTERVAL.as_secs(),
                crate::present::sanitize::one_line(why)
            ),
            t.warning(),
        )));
        out.push(Line::default());
    }
    for (scope, items) in model.keymap.help() {
        out.push(Line::from(Span::styled(scope.to_owned(), t.title())));
        for (keys, label) in items {
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {keys:<22}"),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(label),
            ]));
        }
        out.push(Line::default());
    }
    out
}

/// Draws the help over `area`, scrolled by `scroll` rows.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, scroll: usize) {
    let t = &model.theme;
    let rect = centered(area, 72, area.height.saturating_sub(2));
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(t.border(true))
        .title(Line::from(vec![
            Span::styled(" keys ", t.title()),
            Span::styled("· j/k scroll · Esc closes ", t.muted()),
        ]));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let all: Vec<Line<'static>> = lines(model)
        .iter()
        .flat_map(|l| wrap::wrap(l, usize::from(inner.width)))
        .collect();
    super::scrolled(buf, inner, &all, scroll);
}
