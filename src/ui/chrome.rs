//! The frame around the panes: the status line (result of the last action, or the filter or
//! search being typed, and the data paths), pane borders and empty-pane messages, and the
//! "terminal too small" message. The header is `header.rs`, the key hints `footer.rs`.

use super::layout::MIN_SIZE;
use super::{Theme, centered, dialog};
use crate::app::model::{Overlay, StatusKind};
use crate::present::text;
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Writes `spans` into one row, cut to its width.
pub fn row(buf: &mut Buffer, area: Rect, spans: Vec<Span<'static>>) {
    let line = super::wrap::cut(&Line::from(spans), usize::from(area.width));
    buf.set_line(area.x, area.y, &line, area.width);
}

/// The status line: what the last action did, or the filter or search being typed.
pub fn status(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
    let t = &model.theme;
    if let Some(Overlay::Form(form)) = &model.overlay
        && dialog::is_inline(form)
    {
        dialog::inline(buf, area, model, form);
        return;
    }
    if let Some(w) = model
        .writes
        .iter()
        .find(|w| w.waiting.is_some())
        .or(model.writes.first())
    {
        // A change under way is what the user is waiting for: say it, computed now.
        let more = match model.writes.len() {
            1 => String::new(),
            n => format!(" (+{} more under way)", n - 1),
        };
        row(
            buf,
            area,
            vec![Span::styled(
                format!("⋯ {}{more}", w.describe()),
                t.warning(),
            )],
        );
        return;
    }
    let roots = roots(model, usize::from(area.width));
    let Some(s) = model.shown_status(now) else {
        row(buf, area, vec![Span::styled(roots, t.muted())]);
        return;
    };
    let (glyph, style) = match s.kind {
        StatusKind::Info => ("ℹ", t.text()),
        StatusKind::Success => ("✓", t.good()),
        StatusKind::Warning => ("⚠", t.warning()),
        StatusKind::Error => ("✗", t.error()),
    };
    let message = format!("{glyph} {}", model.status_text(s, now));
    row(buf, area, vec![Span::styled(message.clone(), style)]);
    // The data paths stay at the right while the message leaves room for them.
    let (m, r) = (text::width(&message), text::width(&roots));
    if m + 3 + r <= usize::from(area.width) {
        let w = u16::try_from(r).unwrap_or(0);
        let x = area.x + area.width - w;
        row(
            buf,
            Rect {
                x,
                width: w,
                ..area
            },
            vec![Span::styled(roots, t.muted())],
        );
    }
}

/// `runs ~/ap · stores ~/ntm`: where the data comes from, each path shortened to fit half of
/// `width`. The only place the paths are shown.
fn roots(model: &View<'_>, width: usize) -> String {
    let home = model.settings.home.as_deref();
    let each = (width.saturating_sub(16) / 2).clamp(12, 60);
    format!(
        "runs {} · stores {}",
        text::short_path(&model.roots.agentpair.to_string_lossy(), home, each),
        text::short_path(&model.roots.ntm.to_string_lossy(), home, each)
    )
}

/// The message shown below 60×15.
pub fn too_small(buf: &mut Buffer, area: Rect, t: &Theme) {
    // Whole phrases to a line, so a line never breaks inside one (nor inside parentheses).
    let phrases = [
        format!("terminal too small: {}×{},", area.width, area.height),
        format!("need at least {}×{}", MIN_SIZE.0, MIN_SIZE.1),
        "(q quits)".to_owned(),
    ];
    let mut lines: Vec<String> = Vec::new();
    for phrase in phrases {
        match lines.last_mut() {
            Some(last)
                if text::width(last) + 1 + text::width(&phrase) <= usize::from(area.width) =>
            {
                last.push(' ');
                last.push_str(&phrase);
            }
            _ => lines.push(phrase),
        }
    }
    let height = u16::try_from(lines.len()).unwrap_or(3).min(area.height);
    let rect = centered(area, area.width, height);
    let rows: Vec<Line<'static>> = lines.into_iter().map(Line::from).collect();
    Paragraph::new(rows)
        .style(t.warning())
        .centered()
        .render(rect, buf);
}

/// A pane's frame: a thick border when focused (visible without colour), a title.
#[must_use]
pub fn pane_block(
    title: Line<'static>,
    focused: bool,
    t: &Theme,
) -> ratatui::widgets::Block<'static> {
    use ratatui::widgets::{Block, BorderType};
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(t.border(focused))
        .title(title)
}

/// Centred, muted lines explaining an empty pane.
pub fn empty_message(buf: &mut Buffer, area: Rect, lines: Vec<String>, t: &Theme) {
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        y: area.y + area.height.saturating_sub(height) / 2,
        height,
        ..area
    };
    Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
        .style(t.muted())
        .centered()
        .wrap(Wrap { trim: true })
        .render(rect, buf);
}
