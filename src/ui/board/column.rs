//! One board column as drawn: its header (glyph, word or its short form, and the count, which
//! is always kept), its rule (heavy for the selected column), its cards, and what is scrolled
//! out of view above and below; and the row that names the columns hidden left and right.

use super::geometry::{Grid, stack};
use crate::app::model::Column;
use crate::present::{glyphs, sanitize, text};
use crate::ui::View;
use crate::ui::chrome::row;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

/// `◂ 2 more (◇4 ○1)` at the left, `(✗1) 1 more ▸` at the right: what is out of view.
pub(super) fn render_strip(
    buf: &mut Buffer,
    area: Rect,
    model: &View<'_>,
    grid: &Grid,
    columns: &[Column<'_>],
) {
    let t = &model.theme;
    let (left, right) = grid.hidden();
    let summary = |range: std::ops::Range<usize>| {
        columns[range]
            .iter()
            .map(|c| format!("{}{}", column_glyph(c), c.ids.len()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let left_text = (left > 0).then(|| (format!("◂ {left} more"), summary(0..left)));
    let right_text = (right > 0).then(|| {
        (
            format!("{right} more ▸"),
            summary(grid.count - right..grid.count),
        )
    });
    let detailed: usize = [&left_text, &right_text]
        .iter()
        .filter_map(|x| x.as_ref())
        .map(|(m, s)| text::width(m) + text::width(s) + 4)
        .sum();
    let with_detail = detailed <= usize::from(area.width);
    let style = t.title();
    if let Some((marker, detail)) = left_text {
        let mut spans = vec![Span::styled(marker, style)];
        if with_detail {
            spans.push(Span::styled(format!(" ({detail})"), t.muted()));
        }
        row(buf, area, spans);
    }
    if let Some((marker, detail)) = right_text {
        let mut spans = Vec::new();
        if with_detail {
            spans.push(Span::styled(format!("({detail}) "), t.muted()));
        }
        spans.push(Span::styled(marker, style));
        let w = u16::try_from(spans.iter().map(|s| text::width(&s.content)).sum::<usize>())
            .unwrap_or(area.width)
            .min(area.width);
        row(
            buf,
            Rect {
                x: area.x + area.width - w,
                width: w,
                ..area
            },
            spans,
        );
    }
}

/// A column's glyph: `◇` ready, the status glyph, `?` for statuses beyond the known ones.
fn column_glyph(column: &Column<'_>) -> &'static str {
    match column.status {
        _ if column.ready => "◇",
        Some(s) => glyphs::assignment_status(s),
        None => "?",
    }
}

/// A column's word, and its short form for narrow columns.
fn column_words(column: &Column<'_>) -> (String, String) {
    let word = match column.status {
        _ if column.ready => "ready".to_owned(),
        Some(s) => sanitize::one_line(s.as_str()),
        None => "other".to_owned(),
    };
    let short = match word.as_str() {
        "ready" => "rdy".to_owned(),
        "assigned" => "asgn".to_owned(),
        "working" => "work".to_owned(),
        "completed" => "done".to_owned(),
        "failed" => "fail".to_owned(),
        "reassigned" => "reasg".to_owned(),
        other => text::truncate(other, 5),
    };
    (word, short)
}

/// `○ assigned 12`, or `○ asgn 12`, or `○ 12`: the count is always kept.
#[must_use]
fn column_title(column: &Column<'_>, width: usize) -> String {
    let glyph = column_glyph(column);
    let count = column.ids.len();
    let (word, short) = column_words(column);
    [
        format!("{glyph} {word} {count}"),
        format!("{glyph} {short} {count}"),
    ]
    .into_iter()
    .find(|t| text::width(t) <= width)
    .unwrap_or_else(|| format!("{glyph} {count}"))
}

pub(super) fn render_column(
    buf: &mut Buffer,
    area: Rect,
    model: &View<'_>,
    column: &Column<'_>,
    selected: bool,
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
    let style = if column.ready {
        t.title()
    } else {
        t.status(column.status)
    };
    let selected_row = if selected { board.selected_row() } else { None };
    let placed = stack(model, t, column, area, selected_row, now);
    let title = column_title(column, usize::from(inner.width));
    let header_style = match (selected, focused) {
        (true, true) => style.add_modifier(Modifier::BOLD).patch(t.selected()),
        (true, false) => style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        _ => style.add_modifier(Modifier::BOLD),
    };
    row(
        buf,
        Rect { height: 1, ..inner },
        vec![Span::styled(title, header_style)],
    );
    let mut rule = Vec::new();
    if placed.above > 0 {
        rule.push(Span::styled(format!("↑{} ", placed.above), t.muted()));
    }
    let used: usize = rule.iter().map(|s| text::width(&s.content)).sum();
    let line = if selected { "━" } else { "─" };
    rule.push(Span::styled(
        line.repeat(usize::from(inner.width).saturating_sub(used)),
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
    for (i, y, card) in &placed.cards {
        let is_selected = selected_row == Some(*i);
        let bar = if is_selected { "▌" } else { "▎" };
        let marked = column.ids.get(*i).is_some_and(|k| board.is_marked(k));
        for (k, line) in card.iter().enumerate() {
            // A marked card's first row starts with `●` instead of its bar.
            let mut spans = if marked && k == 0 {
                vec![Span::styled("●", t.title())]
            } else {
                vec![Span::styled(bar, style)]
            };
            spans.extend(line.spans.iter().cloned());
            let rect = Rect {
                x: inner.x,
                y: y + u16::try_from(k).unwrap_or(0),
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
        }
    }
    if placed.below > 0 {
        let last = Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        };
        row(
            buf,
            last,
            vec![Span::styled(format!("↓ {} more", placed.below), t.muted())],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::assignment::AssignmentStatus;

    #[test]
    fn column_titles_keep_the_count_and_shorten_the_word() {
        let ids: Vec<crate::app::model::CardKey> = (0..12)
            .map(|i| crate::app::model::CardKey::new("s", &format!("b-{i}")))
            .collect();
        let completed = AssignmentStatus::Completed;
        let column = Column {
            ready: false,
            status: Some(&completed),
            ids: &ids,
        };
        assert_eq!(column_title(&column, 20), "✓ completed 12");
        assert_eq!(column_title(&column, 10), "✓ done 12");
        assert_eq!(column_title(&column, 5), "✓ 12");
        let claiming = AssignmentStatus::Other("claiming".into());
        let claiming = Column {
            ready: false,
            status: Some(&claiming),
            ids: &ids[..3],
        };
        assert_eq!(column_title(&claiming, 9), "◌ clai… 3");
        let unknown = AssignmentStatus::Other("paused".into());
        let other = Column {
            ready: false,
            status: Some(&unknown),
            ids: &ids[..3],
        };
        assert_eq!(column_title(&other, 9), "? paus… 3");
        let ready = Column {
            ready: true,
            status: None,
            ids: &ids[..1],
        };
        assert_eq!(column_title(&ready, 7), "◇ rdy 1");
    }
}
