//! `M`: the last status messages, newest first, each with the time it was said and how long
//! ago (worked out as it is drawn), errors and warnings included, so a message that expired
//! from the status line can still be read. Esc closes it, as it closes `?`.

use super::{centered, wrap};
use crate::app::model::StatusKind;
use crate::present::{sanitize, time};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// The lines of the list at `now`, for a box `width` columns wide.
#[must_use]
pub fn lines(model: &View<'_>, now: DateTime<Utc>, width: usize) -> Vec<Line<'static>> {
    let t = &model.theme;
    if model.messages.is_empty() {
        return vec![Line::from(Span::styled("no messages yet", t.muted()))];
    }
    let offset = model.settings.display_offset;
    let mut out = Vec::new();
    for m in model.messages.iter().rev() {
        let (glyph, style) = match m.kind {
            StatusKind::Info => ("ℹ", t.text()),
            StatusKind::Success => ("✓", t.good()),
            StatusKind::Warning => ("⚠", t.warning()),
            StatusKind::Error => ("✗", t.error()),
        };
        let when = time::stamp(m.since, now, offset);
        let ago = time::ago(now, m.since);
        let head = format!("{when} {ago:>9}  ");
        let text = sanitize::one_line(&model.status_text(m, now));
        let line = Line::from(vec![
            Span::styled(head, t.muted()),
            Span::styled(format!("{glyph} {text}"), style),
        ]);
        out.extend(wrap::wrap(&line, width));
    }
    out
}

/// Draws the list over `area`, scrolled by `scroll` rows.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, scroll: usize, now: DateTime<Utc>) {
    let t = &model.theme;
    let rect = centered(area, 100, area.height.saturating_sub(2));
    Clear.render(rect, buf);
    let title = vec![
        Span::styled(" messages ", t.title()),
        Span::styled(
            format!(
                "· last {} · newest first · ↑/↓ scroll · Esc closes ",
                model.messages.len()
            ),
            t.muted(),
        ),
    ];
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(t.border(true))
        .title(Line::from(title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let all = lines(model, now, usize::from(inner.width));
    super::scrolled(buf, inner, &all, scroll);
}
