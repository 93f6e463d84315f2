//! The Board pane: one column per status (assigned, working, completed, failed, reassigned,
//! and "other" for statuses beyond those), each with a count; cards show bead id, title, pane,
//! agent, age, retry count and fail reason. A read-only store (newer schema) shows a banner.

use super::Theme;
use super::chrome::{empty_message, pane_block, row};
use crate::app::model::{Column, Model, Pane};
use crate::persist::assignment::Assignment;
use crate::present::{glyphs, sanitize, text, time};
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Rows a card takes (plus one blank row between cards).
fn card_lines(
    card: &Assignment,
    width: usize,
    now: DateTime<Utc>,
    t: &Theme,
) -> Vec<Line<'static>> {
    let mut first = vec![Span::styled(
        sanitize::one_line(&card.bead_id),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if card.retry_count > 0 {
        first.push(Span::styled(format!(" ↻{}", card.retry_count), t.warning()));
    }
    let age = time::ago(now, card.assigned_at.with_timezone(&Utc));
    let agent = if card.agent_name.is_empty() {
        sanitize::one_line(&card.agent_type)
    } else {
        format!(
            "{}/{}",
            sanitize::one_line(&card.agent_type),
            sanitize::one_line(&card.agent_name)
        )
    };
    let title = sanitize::one_line(&card.bead_title);
    let mut title_rows = super::wrap::wrap(&Line::from(title.clone()), width);
    if title_rows.len() > 2 {
        let first_len: usize = title_rows[0].spans.iter().map(|s| s.content.len()).sum();
        let rest = title[first_len.min(title.len())..].trim_start().to_owned();
        title_rows.truncate(1);
        title_rows.push(super::wrap::cut(&Line::from(rest), width));
    }
    let mut lines = vec![Line::from(first)];
    lines.extend(title_rows);
    lines.extend([Line::from(vec![
        Span::styled(format!("p{} ", card.pane), t.muted()),
        Span::styled(agent, t.agent(&card.agent_type)),
        Span::styled(format!(" · {age}"), t.muted()),
    ])]);
    if card.status == crate::persist::assignment::AssignmentStatus::Failed
        && !card.reason().is_empty()
    {
        lines.push(Line::from(Span::styled(
            format!("✗ {}", sanitize::one_line(card.reason())),
            t.error(),
        )));
    }
    lines
        .into_iter()
        .map(|l| super::wrap::cut(&l, width))
        .collect()
}

/// Draws the pane.
pub fn render(buf: &mut Buffer, area: Rect, model: &Model, now: DateTime<Utc>) {
    let t = &model.theme;
    let board = &model.board;
    let focused = model.focus == Pane::Board && model.overlay.is_none();
    let mut title = vec![Span::styled(" Board ", t.title())];
    if let Some(session) = &board.session {
        title.push(Span::raw(format!(
            "{} ",
            text::truncate(&sanitize::one_line(session), 24)
        )));
        if board.sessions.len() > 1 {
            let at = board
                .sessions
                .iter()
                .position(|s| s == session)
                .map_or(0, |i| i + 1);
            title.push(Span::styled(
                format!("· session {at}/{} (S next) ", board.sessions.len()),
                t.muted(),
            ));
        }
    }
    if !board.filter.is_empty() {
        title.push(Span::styled(
            format!(
                "· /{} ",
                text::truncate(&sanitize::one_line(&board.filter), 20)
            ),
            t.warning(),
        ));
    }
    let block = pane_block(Line::from(title), focused, t);
    let mut inner = block.inner(area);
    block.render(area, buf);
    if board.session.is_none() {
        let lines = vec![
            format!("No assignment stores in {}", board.sessions_dir().display()),
            "(looked for sessions/*/assignments.json; they appear here live)".to_owned(),
        ];
        empty_message(buf, inner, lines, t);
        return;
    }
    let mut banners: Vec<Span<'static>> = Vec::new();
    if let Some(store) = &board.store {
        if store.is_read_only() {
            banners.push(Span::styled(
                format!(
                    "READ-ONLY: schema {} (a newer NTM); moves are refused",
                    store.document().version
                ),
                t.warning(),
            ));
        }
        for note in store.notes() {
            banners.push(Span::styled(
                format!("⚠ {}", sanitize::one_line(&note)),
                t.warning(),
            ));
        }
    }
    if let Some(e) = &board.error {
        banners.push(Span::styled(
            format!("✗ {}", sanitize::one_line(e)),
            t.error(),
        ));
    }
    for banner in banners {
        if inner.height < 4 {
            break;
        }
        row(buf, Rect { height: 1, ..inner }, vec![banner]);
        inner = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
    }
    if board.store.is_none() {
        return;
    }
    let columns = board.columns();
    let count = u16::try_from(columns.len()).unwrap_or(1).max(1);
    let col_width = inner.width / count;
    for (i, column) in columns.iter().enumerate() {
        let x = inner.x + col_width * u16::try_from(i).unwrap_or(0);
        let width = if i + 1 == columns.len() {
            inner.width - col_width * (count - 1)
        } else {
            col_width
        };
        let rect = Rect { x, width, ..inner };
        let selected_row = if i == board.column {
            board.selected_row()
        } else {
            None
        };
        render_column(buf, rect, model, column, selected_row, focused, now);
    }
}

fn render_column(
    buf: &mut Buffer,
    area: Rect,
    model: &Model,
    column: &Column<'_>,
    selected: Option<usize>,
    focused: bool,
    now: DateTime<Utc>,
) {
    let (board, t) = (&model.board, &model.theme);
    if area.width < 4 || area.height < 2 {
        return;
    }
    let inner = Rect {
        width: area.width - 1,
        ..area
    };
    let style = t.status(column.status);
    let (glyph, word) = match column.status {
        Some(s) => (glyphs::assignment_status(s), s.as_str().to_owned()),
        None => ("?", "other".to_owned()),
    };
    let width = usize::from(inner.width.saturating_sub(2));
    let height = usize::from(inner.height.saturating_sub(2));
    // Only the cards in view are laid out: walk back from the selection while it fits.
    let lines_of = |i: usize| {
        column
            .ids
            .get(i)
            .and_then(|id| board.card(id))
            .map_or_else(Vec::new, |c| card_lines(c, width, now, t))
    };
    let mut start = selected
        .unwrap_or(0)
        .min(column.ids.len().saturating_sub(1));
    if selected.is_some() {
        let mut used = lines_of(start).len() + 1;
        while start > 0 {
            let above = lines_of(start - 1).len() + 1;
            if used + above > height {
                break;
            }
            used += above;
            start -= 1;
        }
    } else {
        start = 0;
    }
    let header = vec![
        Span::styled(
            format!("{glyph} {word} "),
            style.add_modifier(Modifier::BOLD),
        ),
        Span::styled(column.ids.len().to_string(), t.muted()),
    ];
    row(buf, Rect { height: 1, ..inner }, header);
    let mut rule = Vec::new();
    if start > 0 {
        rule.push(Span::styled(format!("↑{start} "), t.muted()));
    }
    let used = rule
        .iter()
        .map(|s| crate::present::text::width(&s.content))
        .sum::<usize>();
    rule.push(Span::styled(
        "─".repeat(usize::from(inner.width).saturating_sub(used)),
        style,
    ));
    row(
        buf,
        Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        },
        rule,
    );
    let mut y = inner.y + 2;
    let bottom = inner.y + inner.height;
    for i in start..column.ids.len() {
        let card = lines_of(i);
        if usize::from(bottom - y) < card.len() {
            let hidden = column.ids.len() - i;
            let last = Rect {
                x: inner.x,
                y: bottom - 1,
                width: inner.width,
                height: 1,
            };
            row(
                buf,
                last,
                vec![Span::styled(format!("↓ {hidden} more"), t.muted())],
            );
            break;
        }
        let is_selected = selected == Some(i);
        for line in &card {
            let mut spans = vec![Span::styled("▎", style)];
            spans.extend(line.spans.iter().cloned());
            let rect = Rect {
                x: inner.x,
                y,
                width: inner.width,
                height: 1,
            };
            if is_selected {
                let highlight = if focused {
                    t.selected()
                } else {
                    Style::new().add_modifier(Modifier::BOLD)
                };
                buf.set_style(rect, highlight);
                for s in spans.iter_mut().skip(1) {
                    s.style = s.style.patch(highlight);
                }
            }
            row(buf, rect, spans);
            y += 1;
        }
        y += 1;
        if y >= bottom {
            break;
        }
    }
}
