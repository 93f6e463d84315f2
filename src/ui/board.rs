//! The Board pane: with a beads file, first a "ready" column (open, unblocked, unassigned beads
//! with priority and type badges); then one column per status (assigned, working, completed,
//! failed, reassigned, and "other" for statuses beyond those), each with a count (cards:
//! `board/cards.rs`). Banners name a read-only store (newer schema), store notes and beads-file
//! problems.

use super::chrome::{empty_message, pane_block, row};
use crate::app::model::{Column, Pane};
use crate::present::{glyphs, sanitize, text};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

mod cards;

use cards::{bead_lines, card_lines};

/// Draws the pane.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
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
    if board.session.is_none() && board.listing {
        let lines = vec![format!(
            "Reading sessions in {}…",
            board.sessions_dir().display()
        )];
        empty_message(buf, inner, lines, t);
        return;
    }
    if let (Some(session), None, true) = (&board.session, &board.store, board.loading) {
        let lines = vec![format!(
            "Reading the store of session {}…",
            sanitize::one_line(session)
        )];
        empty_message(buf, inner, lines, t);
        return;
    }
    if board.session.is_none() && !board.backlog {
        let lines = match &board.sessions_problem {
            Some(problem) => vec![
                "The sessions directory cannot be read:".to_owned(),
                sanitize::one_line(problem),
            ],
            None => vec![
                format!("No assignment stores in {}", board.sessions_dir().display()),
                "(looked for sessions/*/assignments.json; they appear here live)".to_owned(),
            ],
        };
        empty_message(buf, inner, lines, t);
        return;
    }
    let mut banners: Vec<Span<'static>> = Vec::new();
    if let Some(store) = &board.store {
        if let Some(view) = store.ntm() {
            // Today's NTM: what the store is and what beadboard may do with it.
            for f in crate::present::ntm_row::store_facts(&view) {
                let style = match f.tone {
                    crate::present::ntm_row::Tone::Block => t.error(),
                    crate::present::ntm_row::Tone::Warn
                    | crate::present::ntm_row::Tone::Pending => t.warning(),
                    _ => t.muted(),
                };
                banners.push(Span::styled(
                    format!("{} ", sanitize::one_line(&f.text)),
                    style,
                ));
            }
        } else if store.is_read_only() {
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
        banners_row(buf, &mut inner, banner);
    }
    if let Some(problem) = &model.backlog.problem {
        banners_row(
            buf,
            &mut inner,
            Span::styled(
                format!("⚠ beads: {}", sanitize::one_line(problem)),
                t.warning(),
            ),
        );
    } else if let Some(file) = &model.backlog.file
        && !file.notes.is_empty()
    {
        let note = format!(
            "⚠ {} line(s) of {} skipped: {}",
            file.notes.len(),
            file.path.display(),
            sanitize::one_line(&file.notes[0])
        );
        banners_row(buf, &mut inner, Span::styled(note, t.warning()));
    }
    if board.session.is_none() {
        banners_row(
            buf,
            &mut inner,
            Span::styled(
                format!(
                    "No assignment stores yet in {}: n on a ready bead starts one",
                    board.sessions_dir().display()
                ),
                t.muted(),
            ),
        );
    }
    if board.store.is_none() && !board.backlog {
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

/// Puts one banner row at the top of `inner` and shrinks it (while at least 4 rows remain).
fn banners_row(buf: &mut Buffer, inner: &mut Rect, banner: Span<'static>) {
    if inner.height < 4 {
        return;
    }
    row(
        buf,
        Rect {
            height: 1,
            ..*inner
        },
        vec![banner],
    );
    *inner = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..*inner
    };
}

fn render_column(
    buf: &mut Buffer,
    area: Rect,
    model: &View<'_>,
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
    let style = if column.ready {
        t.title()
    } else {
        t.status(column.status)
    };
    let (glyph, word) = match column.status {
        _ if column.ready => ("◇", "ready".to_owned()),
        Some(s) => (glyphs::assignment_status(s), s.as_str().to_owned()),
        None => ("?", "other".to_owned()),
    };
    let width = usize::from(inner.width.saturating_sub(2));
    let height = usize::from(inner.height.saturating_sub(2));
    // Only the cards in view are laid out: walk back from the selection while it fits.
    let session = board.session.as_deref().unwrap_or_default();
    let lines_of = |i: usize| {
        let Some(id) = column.ids.get(i) else {
            return Vec::new();
        };
        if column.ready {
            return board
                .ready_bead(id)
                .map_or_else(Vec::new, |b| bead_lines(b, width, now, t));
        }
        board.card(id).map_or_else(Vec::new, |c| {
            let attention = model.observer.bead_condition(session, &c.bead_id, now);
            card_lines(c, width, now, t, attention.as_ref().map(|(c, a)| (c, *a)))
        })
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
