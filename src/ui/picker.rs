//! The session picker, drawn over the panes: the "all sessions" entry with the totals, then
//! one row per session, most recently changed first, then other hosts' sessions
//! (`gpu1:webapp`, counted from their cards): its name, how long ago its store changed
//! (computed now), its counts per status (glyph and word in the header row, so no count relies
//! on colour) and its total, or why its store cannot be read. Names and reasons that do not fit
//! end in `…`. Where the rows are is [`list_area`], shared with the mouse.

use super::{View, centered};
use crate::app::model::{Model, Overlay, PickRow, SessionPicker};
use crate::persist::assignment::{AssignmentStats, AssignmentStatus, SessionOverview};
use crate::present::{glyphs, sanitize, text, time};
use crate::ui::wrap::cut;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// The picker's box on the screen: as tall as every session's row needs (so it does not
/// jump while typing filters it), up to the screen less a margin.
fn frame(model: &Model) -> Rect {
    let area = Rect::new(0, 0, model.size.0, model.size.1);
    // Borders, the header row, the all-sessions row, the sessions and a note row.
    let rows = match &model.overlay {
        Some(Overlay::Sessions(p)) => p.sessions().len() + p.hosts.len(),
        _ => 0,
    };
    let wanted = u16::try_from(rows.saturating_add(5))
        .unwrap_or(u16::MAX)
        .max(8);
    centered(
        area,
        area.width.saturating_sub(4).min(104),
        area.height.saturating_sub(4).min(wanted),
    )
}

/// Where the picker's rows are (below its header row), for the view and the mouse.
#[must_use]
pub fn list_area(model: &Model) -> Rect {
    let inner = Block::bordered().inner(frame(model));
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// How many rows show at once (what a page is).
#[must_use]
pub fn rows_in_view(model: &Model) -> usize {
    usize::from(list_area(model).height).max(1)
}

/// The row (an index into the rows shown) at `(x, y)`, when the picker is open.
#[must_use]
pub fn row_at(model: &Model, x: u16, y: u16) -> Option<usize> {
    let Some(Overlay::Sessions(p)) = &model.overlay else {
        return None;
    };
    let area = list_area(model);
    if !area.contains(ratatui::layout::Position { x, y }) {
        return None;
    }
    let start = first_row(p, usize::from(area.height));
    let row = start + usize::from(y - area.y);
    (row < p.rows().len()).then_some(row)
}

/// The first row in view.
fn first_row(p: &SessionPicker, shown: usize) -> usize {
    crate::present::scroll::window_start(p.top, p.selected, shown, p.rows().len())
}

/// The four statuses with a column of counts (the rest is in the total).
const COUNTED: [(AssignmentStatus, &str); 4] = [
    (AssignmentStatus::Assigned, "asgn"),
    (AssignmentStatus::Working, "work"),
    (AssignmentStatus::Completed, "done"),
    (AssignmentStatus::Failed, "fail"),
];

/// Width of a count column (`○ asgn`) and of the total.
const COUNT: usize = 6;
/// Width of the changed column (`59m ago`).
const CHANGED: usize = 8;

fn count_of(stats: &AssignmentStats, status: &AssignmentStatus) -> usize {
    match status {
        AssignmentStatus::Assigned => stats.assigned,
        AssignmentStatus::Working => stats.working,
        AssignmentStatus::Completed => stats.completed,
        AssignmentStatus::Failed => stats.failed,
        _ => 0,
    }
}

/// The widths: (name, whether the changed column shows).
fn widths(width: usize) -> (usize, bool) {
    let counts = (COUNT + 1) * (COUNTED.len() + 1);
    let with_changed = width.saturating_sub(2 + CHANGED + 1 + counts);
    if with_changed >= 14 {
        (with_changed, true)
    } else {
        (width.saturating_sub(2 + counts).max(4), false)
    }
}

fn pad(s: &str, width: usize) -> String {
    let cut = text::truncate(s, width);
    let fill = width.saturating_sub(text::width(&cut));
    format!("{cut}{}", " ".repeat(fill))
}

fn right(s: &str, width: usize) -> String {
    format!("{s:>width$}")
}

/// The header row: `session … changed  ○ asgn  ▶ work  ✓ done  ✗ fail  total`.
fn header(model: &View<'_>, width: usize) -> Line<'static> {
    let t = &model.theme;
    let (name, changed) = widths(width);
    let mut spans = vec![Span::styled(
        format!("  {}", pad("session", name)),
        t.muted(),
    )];
    if changed {
        spans.push(Span::styled(
            format!(" {}", right("changed", CHANGED)),
            t.muted(),
        ));
    }
    for (status, word) in &COUNTED {
        let head = format!("{} {word}", glyphs::assignment_status(status));
        spans.push(Span::styled(
            format!(" {}", right(&head, COUNT)),
            t.status(Some(status)),
        ));
    }
    spans.push(Span::styled(
        format!(" {}", right("total", COUNT)),
        t.muted(),
    ));
    cut(&Line::from(spans), width)
}

/// What a row says after its name: when it changed, then counts or the problem.
struct Row<'a> {
    name: String,
    changed: Option<std::time::SystemTime>,
    stats: Option<AssignmentStats>,
    problem: Option<&'a str>,
    bold: bool,
}

fn row_line(
    model: &View<'_>,
    row: &Row<'_>,
    width: usize,
    selected: bool,
    now: DateTime<Utc>,
) -> Line<'static> {
    let t = &model.theme;
    let (name_width, changed) = widths(width);
    let base = if row.bold {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let mut spans = vec![
        Span::styled(if selected { "▌ " } else { "  " }, t.title()),
        Span::styled(pad(&sanitize::one_line(&row.name), name_width), base),
    ];
    if changed {
        let ago = row.changed.map_or_else(
            || "-".to_owned(),
            |c| time::ago(now, DateTime::<Utc>::from(c)),
        );
        spans.push(Span::styled(
            format!(" {}", right(&ago, CHANGED)),
            t.muted(),
        ));
    }
    match (row.problem, &row.stats) {
        (Some(problem), _) => spans.push(Span::styled(
            format!(" ✗ {}", sanitize::one_line(problem)),
            t.error(),
        )),
        (None, Some(stats)) => {
            for (status, _) in &COUNTED {
                let n = count_of(stats, status);
                let style = if n == 0 {
                    t.muted()
                } else {
                    t.status(Some(status))
                };
                spans.push(Span::styled(
                    format!(" {}", right(&n.to_string(), COUNT)),
                    style,
                ));
            }
            spans.push(Span::styled(
                format!(" {}", right(&stats.total.to_string(), COUNT)),
                base,
            ));
        }
        (None, None) => {}
    }
    let mut line = cut(&Line::from(spans), width);
    if selected {
        // The whole row in reverse video (the `▌` says it without colour).
        let fill = width.saturating_sub(crate::ui::wrap::line_width(&line));
        line.spans.push(Span::raw(" ".repeat(fill)));
        line = line.patch_style(t.selected());
    }
    line
}

/// A problem as the row shows it: the session's own directory left out of its paths (the row
/// names the session), so the cause fits.
fn short_problem(s: &SessionOverview, problem: &str) -> String {
    match s.store_path.parent() {
        Some(dir) => problem.replace(&format!("{}/", dir.display()), ""),
        None => problem.to_owned(),
    }
}

/// The all-sessions entry: every session's counts summed, the latest change.
fn all_row(p: &SessionPicker) -> Row<'static> {
    let sessions = p.sessions();
    let mut stats = AssignmentStats::default();
    for s in sessions.iter().filter_map(|s| s.stats.as_ref()) {
        stats.total += s.total;
        stats.assigned += s.assigned;
        stats.working += s.working;
        stats.completed += s.completed;
        stats.failed += s.failed;
        stats.reassigned += s.reassigned;
        stats.claiming += s.claiming;
        stats.claimed += s.claimed;
    }
    let read = matches!(p.list, Some(Ok(_)));
    Row {
        name: if read {
            format!("{} ({})", crate::app::model::ALL_SESSIONS, sessions.len())
        } else {
            crate::app::model::ALL_SESSIONS.to_owned()
        },
        changed: sessions.iter().filter_map(|s| s.changed).max(),
        stats: read.then_some(stats),
        problem: None,
        bold: true,
    }
}

/// The body's lines: the rows in view, or what there is instead.
fn body(model: &View<'_>, p: &SessionPicker, area: Rect, now: DateTime<Utc>) -> Vec<Line<'static>> {
    let t = &model.theme;
    let width = usize::from(area.width);
    let shown = usize::from(area.height);
    let start = first_row(p, shown);
    let mut out: Vec<Line<'static>> = Vec::new();
    let problems: Vec<(usize, String)> = p
        .sessions()
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.problem.as_ref().map(|e| (i, short_problem(s, e))))
        .collect();
    for (i, row) in p.rows().iter().enumerate().skip(start).take(shown) {
        let line = match row {
            PickRow::All => all_row(p),
            PickRow::Session(_) | PickRow::HostSession(_) => {
                let Some(s) = p.session(*row) else {
                    continue;
                };
                let own = match row {
                    PickRow::Session(k) => Some(*k),
                    _ => None,
                };
                Row {
                    name: s.name.clone(),
                    changed: s.changed,
                    stats: s.stats,
                    problem: problems
                        .iter()
                        .find(|(j, _)| Some(*j) == own)
                        .map(|(_, e)| e.as_str()),
                    bold: false,
                }
            }
        };
        out.push(row_line(model, &line, width, i == p.selected, now));
    }
    let note = match &p.list {
        None => Some(format!(
            "reading the sessions in {}…",
            model.board.sessions_dir().display()
        )),
        Some(Err(e)) => Some(format!(
            "✗ the sessions cannot be listed: {}",
            sanitize::one_line(e)
        )),
        Some(Ok(all)) if all.is_empty() && p.hosts.is_empty() => Some(format!(
            "no sessions with a store in {}",
            model.board.sessions_dir().display()
        )),
        Some(Ok(_)) if p.rows().iter().all(|r| *r == PickRow::All) && !p.filter.is_empty() => {
            Some(format!(
                "no session matches `{}` (Backspace or Ctrl-U clears)",
                sanitize::one_line(&p.filter)
            ))
        }
        // The selected session's store cannot be read: the whole cause, as far as it fits.
        Some(Ok(_)) => p
            .selected_row()
            .and_then(|r| p.session(r))
            .and_then(|s| s.problem.as_ref().map(|e| (s, e)))
            .map(|(s, e)| {
                format!(
                    "✗ {}: {}",
                    sanitize::one_line(&s.name),
                    sanitize::one_line(&short_problem(s, e))
                )
            }),
    };
    if let Some(note) = note {
        let style = if note.starts_with('✗') {
            t.error()
        } else {
            t.muted()
        };
        out.push(cut(
            &Line::from(Span::styled(format!("  {note}"), style)),
            width,
        ));
    }
    out
}

/// Draws the picker.
pub fn render(buf: &mut Buffer, model: &View<'_>, p: &SessionPicker, now: DateTime<Utc>) {
    let t = &model.theme;
    let rect = frame(model);
    Clear.render(rect, buf);
    let mut title = vec![Span::styled(" sessions ", t.title())];
    if p.filter.is_empty() {
        title.push(Span::styled(
            "· type to filter · Enter opens · Esc closes ",
            t.muted(),
        ));
    } else {
        let shown = p.rows().iter().filter(|r| **r != PickRow::All).count();
        title.push(Span::styled(
            format!("· /{}▏ ", sanitize::one_line(&p.filter)),
            t.warning(),
        ));
        title.push(Span::styled(
            format!("· {shown} of {} ", p.sessions().len()),
            t.muted(),
        ));
    }
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(t.border(true))
        .title(cut(
            &Line::from(title),
            usize::from(rect.width.saturating_sub(2)),
        ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.height == 0 {
        return;
    }
    buf.set_line(
        inner.x,
        inner.y,
        &header(model, usize::from(inner.width)),
        inner.width,
    );
    let area = list_area(model);
    for (i, line) in body(model, p, area, now).iter().enumerate() {
        let y = area.y + u16::try_from(i).unwrap_or(u16::MAX);
        if y >= area.bottom() {
            break;
        }
        buf.set_line(area.x, y, line, area.width);
    }
}
