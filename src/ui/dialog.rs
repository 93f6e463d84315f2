//! Dialogs: a yes/no question, a form of text fields, and the one-line filter or search
//! prompt drawn in the status line.

use super::chrome::row;
use super::{Theme, centered, wrap};
use crate::app::model::{Confirm, Field, Form, Pending};
use crate::present::{sanitize, text};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// True for forms drawn in the status line (filter and search).
#[must_use]
pub fn is_inline(form: &Form) -> bool {
    matches!(
        form.pending,
        Pending::Filter(_) | Pending::Search | Pending::SearchAll(_)
    )
}

fn frame(buf: &mut Buffer, area: Rect, title: &str, lines: usize, t: &Theme) -> Rect {
    let width = 64.min(area.width.saturating_sub(2)).max(30);
    let height = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(t.border(true))
        .title(Span::styled(
            format!(" {} ", sanitize::one_line(title)),
            t.title(),
        ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

fn hints(model: &View<'_>, now: DateTime<Utc>) -> Line<'static> {
    let t = &model.theme;
    let mut spans = Vec::new();
    // What the footer offers (a one-field prompt has no next field to go to).
    let waiting = model.observer.attention_count() > 0;
    let offered = |a| super::footer::offered(model.model, a, now, waiting);
    let hints = model.keymap.hints_where(&model.scopes(), offered);
    for (i, (keys, label)) in hints.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.muted()));
        }
        spans.push(Span::styled(
            keys,
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {label}")));
    }
    Line::from(spans)
}

/// A yes/no question. Acknowledging says each item's reason as at `now`.
pub fn confirm(buf: &mut Buffer, area: Rect, model: &View<'_>, c: &Confirm, now: DateTime<Utc>) {
    let t = &model.theme;
    let width = usize::from(64.min(area.width.saturating_sub(4)));
    let lines = match &c.pending {
        Pending::Acknowledge(items) => model.acknowledge_lines(items, now),
        _ => c.lines.clone(),
    };
    let body: Vec<Line<'static>> = lines
        .iter()
        .flat_map(|l| wrap::wrap(&Line::from(sanitize::one_line(l)), width))
        .collect();
    let inner = frame(buf, area, &c.title, body.len() + 2, t);
    for (i, line) in body.iter().enumerate() {
        buf.set_line(
            inner.x,
            inner.y + u16::try_from(i).unwrap_or(0),
            line,
            inner.width,
        );
    }
    let y = inner.y + inner.height.saturating_sub(1);
    buf.set_line(inner.x, y, &hints(model, now), inner.width);
}

/// A form with labelled fields; the focused one shows a cursor.
pub fn form(buf: &mut Buffer, area: Rect, model: &View<'_>, f: &Form, now: DateTime<Utc>) {
    let t = &model.theme;
    let extra = usize::from(f.error.is_some());
    let inner = frame(buf, area, &f.title, f.fields.len() + 2 + extra, t);
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let room = usize::from(inner.width).saturating_sub(15);
        let mut spans = vec![Span::styled(
            format!("{:>11}: ", field.label),
            if focused { t.title() } else { t.muted() },
        )];
        let value = field_spans(field, focused, room, t);
        let cut = value.last().is_some_and(|s| s.content == "…");
        spans.extend(value);
        if !field.hint.is_empty() && !cut {
            spans.push(Span::styled(format!("  {}", field.hint), t.muted()));
        }
        row(
            buf,
            Rect {
                y: inner.y + u16::try_from(i).unwrap_or(0),
                height: 1,
                ..inner
            },
            spans,
        );
    }
    if let Some(e) = &f.error {
        let y = inner.y + u16::try_from(f.fields.len()).unwrap_or(0);
        row(
            buf,
            Rect {
                y,
                height: 1,
                ..inner
            },
            vec![Span::styled(
                format!("✗ {}", sanitize::one_line(e)),
                t.error(),
            )],
        );
    }
    let y = inner.y + inner.height.saturating_sub(1);
    buf.set_line(inner.x, y, &hints(model, now), inner.width);
}

/// A field's text in `room` columns: the cursor (when focused) kept in view, a selected value
/// shown reversed, and `…` where text is cut off.
fn field_spans(field: &Field, focused: bool, room: usize, t: &Theme) -> Vec<Span<'static>> {
    // One shown character per character of the value, so the cursor lines up: anything
    // that must never reach the terminal raw (controls, bidi overrides) shows as `·`.
    let chars: Vec<char> = field
        .value
        .chars()
        .map(|c| if sanitize::is_unsafe(c) { '·' } else { c })
        .collect();
    let text_of = |cs: &[char]| cs.iter().collect::<String>();
    // Measured as drawn: characters that join into one cluster take its columns.
    let width = |cs: &[char]| text::width(&text_of(cs));
    // An unfocused field shows its start; a focused one keeps the cursor in view.
    let cursor = if focused {
        field.cursor.min(chars.len())
    } else {
        0
    };
    // Start the window so the cursor fits, with a column for it and one for a leading `…`.
    let mut start = 0;
    while start < cursor && width(&chars[start..cursor]) + 2 > room {
        start += 1;
    }
    let mut end = cursor;
    let reserve = if focused { 2 } else { 1 };
    while end < chars.len() && width(&chars[start..=end]) + reserve <= room {
        end += 1;
    }
    let mut spans = Vec::new();
    if start > 0 {
        spans.push(Span::styled("…", t.muted()));
    }
    let (before, after) = (text_of(&chars[start..cursor]), text_of(&chars[cursor..end]));
    if field.selected && focused {
        spans.push(Span::styled(before + &after, t.selected()));
        spans.push(Span::styled("▏", t.title()));
    } else {
        spans.push(Span::raw(before));
        if focused {
            spans.push(Span::styled("▏", t.title()));
        }
        spans.push(Span::raw(after));
    }
    if end < chars.len() {
        spans.push(Span::styled("…", t.muted()));
    }
    spans
}

/// The filter or search prompt, in the status line: the field, then why the last accept was
/// refused, or the keys (the longest hint that leaves the field room).
pub fn inline(buf: &mut Buffer, area: Rect, model: &View<'_>, f: &Form) {
    let t = &model.theme;
    let label = f.fields.first().map_or("", |x| x.label);
    let hints: &[&str] = match f.pending {
        Pending::Search => &["  Enter search · Esc cancel"],
        Pending::SearchAll(_) => &[
            "  repo:NAME since:7d narrow it · Enter search · Esc cancel",
            "  Enter search · Esc cancel",
        ],
        _ => &["  Enter keep · Esc clear"],
    };
    let room_with = |tail: &str| {
        usize::from(area.width).saturating_sub(text::width(label) + 2 + text::width(tail))
    };
    let (tail, style) = match &f.error {
        Some(e) => (format!("  ✗ {}", sanitize::one_line(e)), t.error()),
        None => {
            let hint = hints
                .iter()
                .find(|h| room_with(h) >= 16)
                .or(hints.last())
                .copied()
                .unwrap_or_default();
            (hint.to_owned(), t.muted())
        }
    };
    row(buf, area, {
        let room = room_with(&tail);
        let mut spans = vec![Span::styled(format!("{label}: "), t.title())];
        if let Some(field) = f.fields.first() {
            spans.extend(field_spans(field, true, room.max(8), t));
        }
        spans.push(Span::styled(tail, style));
        spans
    });
}
