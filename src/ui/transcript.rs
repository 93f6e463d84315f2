//! The Transcript pane: the open run's lines, live. Following keeps the end in view; otherwise
//! the view keeps the cursor in sight. A scrollbar shows where the view is; the expanded entry
//! overlay shows one line in full with its metadata.

mod detail;
mod rows;

pub use detail::detail;

pub use rows::RowContext;

use super::chrome::{empty_message, pane_block};
use crate::app::model::{Model, Pane, TranscriptPane};
use crate::present::{sanitize, text, time};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget};

/// Where the view is pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// This line is the first shown.
    Top(usize),
    /// This line's last row is the last row shown.
    Bottom(usize),
}

fn context<'a>(model: &View<'a>, width: usize, now: DateTime<Utc>) -> RowContext<'a> {
    let pane = &model.model.transcript;
    // Lines are in time order: the first and last dated ones say how much date is needed.
    let lines = pane.lines();
    let first = lines.iter().find_map(rows::line_time);
    let last = lines.iter().rev().find_map(rows::line_time);
    let offset = model.model.settings.display_offset;
    let dated = [first, last]
        .into_iter()
        .flatten()
        .map(|t| time::Dated::of(t, now, offset))
        .max()
        .unwrap_or(time::Dated::Today);
    RowContext {
        dated,
        theme: model.theme,
        settings: &model.model.settings,
        now,
        width,
        wrap: pane.wrap,
        offset: if pane.wrap { 0 } else { pane.x_offset },
        timestamps: pane.timestamps,
        search: pane.search.as_ref().map(|s| s.query.as_str()),
        agent: pane.agent().map(crate::persist::session::Agent::as_str),
    }
}

fn anchor(pane: &TranscriptPane, height: usize, ctx: &RowContext<'_>) -> Anchor {
    if pane.is_empty() {
        return Anchor::Top(0);
    }
    let last = pane.len() - 1;
    if pane.follow {
        return Anchor::Bottom(last);
    }
    let cursor = pane.cursor.min(last);
    let top = pane.top.min(cursor);
    let mut total = 0;
    for line in &pane.lines()[top..=cursor] {
        total += rows::rows(line, ctx, false).len();
        if total > height {
            return Anchor::Bottom(cursor);
        }
    }
    // The view is always filled: lines above are never hidden while rows below stay empty
    // (opening at a match near the end pins the last line to the bottom instead).
    if top > 0 {
        for line in &pane.lines()[cursor + 1..] {
            if total >= height {
                return Anchor::Top(top);
            }
            total += rows::rows(line, ctx, false).len();
        }
        if total < height {
            return Anchor::Bottom(last);
        }
    }
    Anchor::Top(top)
}

/// The first line on screen for a pane `height` rows tall and `width` wide (update keeps it as
/// the scroll position, so the view does not jump).
#[must_use]
pub fn effective_top(model: &Model, width: u16, height: u16, now: DateTime<Utc>) -> usize {
    // Rows do not depend on colours: any theme lays them out the same.
    let theme = super::Theme::default();
    let view = View {
        model,
        theme: &theme,
    };
    let pane = &model.transcript;
    let ctx = context(&view, usize::from(width.saturating_sub(1)), now);
    match anchor(pane, usize::from(height), &ctx) {
        Anchor::Top(t) => t,
        Anchor::Bottom(b) => {
            let mut total = 0;
            for i in (0..=b).rev() {
                total += rows::rows(&pane.lines()[i], &ctx, false).len();
                if total >= usize::from(height) {
                    return i;
                }
            }
            0
        }
    }
}

/// Draws the pane.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
    let t = &model.theme;
    let pane = &model.transcript;
    let focused = model.focus == Pane::Transcript && model.overlay.is_none();
    let mut title = vec![Span::styled(" Transcript ", t.title())];
    if !pane.reference.is_empty() {
        let size = if pane.source().format() != crate::app::model::transcript::Format::Agentpair
            && pane.is_whole()
        {
            format!("{} entries", pane.len())
        } else if pane.is_whole() {
            format!("{} lines", pane.len())
        } else {
            crate::present::text::bytes(pane.file_len())
        };
        title.push(Span::raw(format!(
            "{} · {size} ",
            text::truncate(&pane.reference, 30)
        )));
        title.push(if pane.follow {
            Span::styled("· ● following ", t.good())
        } else {
            Span::styled("· ⏸ paused (G follows) ", t.warning())
        });
        if let Some(s) = &pane.search {
            let at = s.current.map_or(0, |c| c + 1);
            let progress = if s.done || s.total == 0 {
                String::new()
            } else {
                format!(" searching {}%", s.scanned * 100 / s.total)
            };
            let query = text::truncate(&sanitize::one_line(&s.query), 16);
            let text = if s.capped {
                format!("· /{query} {at} of first {} matches ", s.matches.len())
            } else {
                format!("· /{query} {at}/{}{progress} ", s.matches.len())
            };
            title.push(Span::styled(text, t.warning()));
        }
        if !pane.crumbs().is_empty() {
            title.push(Span::styled("· Esc back ", t.muted()));
        }
        if !pane.wrap && pane.x_offset > 0 {
            let text = format!("· no wrap, from column {} (h/l) ", pane.x_offset + 1);
            title.push(Span::styled(text, t.muted()));
        } else if !pane.wrap {
            title.push(Span::styled("· no wrap (h/l scroll) ", t.muted()));
        }
    }
    let block = pane_block(Line::from(title), focused, t);
    let inner = block.inner(area);
    block.render(area, buf);
    if pane.run_dir().is_none() {
        empty_message(
            buf,
            inner,
            vec![
                "No run selected.".to_owned(),
                "Pick one in Runs (1) and press Enter.".to_owned(),
            ],
            t,
        );
        return;
    }
    if let Some(e) = &pane.error {
        empty_message(
            buf,
            inner,
            vec![
                "The transcript cannot be read:".to_owned(),
                sanitize::one_line(e),
            ],
            t,
        );
        return;
    }
    if pane.is_empty() {
        let msg = if pane.is_loading() {
            "Reading the transcript…"
        } else if pane.exists {
            "The transcript is empty so far; new entries appear here live."
        } else if pane.source().format() != crate::app::model::transcript::Format::Agentpair {
            "Nothing to show yet: the session has no entries (they appear here live)."
        } else {
            "No transcript yet: this run has not written transcript.jsonl (it appears here live)."
        };
        empty_message(buf, inner, vec![msg.to_owned()], t);
        return;
    }
    let height = usize::from(inner.height);
    // One column for the cursor gutter; rows are laid out for, and drawn in, the rest (the
    // scrollbar is on the border), so nothing laid out falls off the edge.
    let row_width = inner.width.saturating_sub(1);
    let ctx = context(model, usize::from(row_width), now);
    let mut shown: Vec<(usize, Line<'static>)> = Vec::new();
    match anchor(pane, height, &ctx) {
        Anchor::Top(top) => {
            for (i, line) in pane.lines().iter().enumerate().skip(top) {
                shown.extend(rows::rows(line, &ctx, false).into_iter().map(|r| (i, r)));
                if shown.len() >= height {
                    break;
                }
            }
            shown.truncate(height);
        }
        Anchor::Bottom(bottom) => {
            let mut reversed: Vec<(usize, Line<'static>)> = Vec::new();
            for i in (0..=bottom).rev() {
                reversed.extend(
                    rows::rows(&pane.lines()[i], &ctx, false)
                        .into_iter()
                        .rev()
                        .map(|r| (i, r)),
                );
                if reversed.len() >= height {
                    break;
                }
            }
            reversed.truncate(height);
            reversed.reverse();
            shown = reversed;
        }
    }
    let first_line_shown = shown.first().map_or(0, |(i, _)| *i);
    let last_line_shown = shown.last().map_or(0, |(i, _)| *i);
    let cut_off = shown.len() >= height;
    let mark_cursor = !pane.follow;
    let mut previous = None;
    for (row_index, (line_index, line)) in shown.into_iter().enumerate() {
        let y = inner.y + u16::try_from(row_index).unwrap_or(0);
        let is_cursor = mark_cursor && line_index == pane.cursor;
        let first_row = previous != Some(line_index);
        previous = Some(line_index);
        let gutter = if is_cursor {
            Span::styled("▌", t.title())
        } else {
            Span::raw(" ")
        };
        buf.set_span(inner.x, y, &gutter, 1);
        let row_rect = Rect {
            x: inner.x + 1,
            y,
            width: row_width,
            height: 1,
        };
        buf.set_line(row_rect.x, y, &line, row_rect.width);
        if is_cursor && first_row {
            let style = if focused {
                t.selected()
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            buf.set_style(row_rect, style);
        }
    }
    let (first_shown, last_shown) = (first_line_shown, last_line_shown);
    if pane.is_whole() && first_shown == 0 && last_shown + 1 >= pane.len() && !cut_off {
        return;
    }
    // Position by bytes: the file may be far larger than the lines in memory.
    let shown_bytes: u64 = pane.lines()[first_shown..=last_shown]
        .iter()
        .map(|l| l.size + 1)
        .sum();
    let permille = |bytes: u64| {
        usize::try_from(bytes.saturating_mul(1000) / pane.file_len().max(1)).unwrap_or(1000)
    };
    let first_offset = pane.lines()[first_shown].offset;
    let mut state = ScrollbarState::new(1000usize.saturating_sub(permille(shown_bytes)).max(1))
        .position(permille(first_offset))
        .viewport_content_length(permille(shown_bytes).max(1));
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .render(
            area.inner(ratatui::layout::Margin {
                horizontal: 0,
                vertical: 1,
            }),
            buf,
            &mut state,
        );
}
