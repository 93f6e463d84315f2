//! The Board pane: with a beads file, first a "ready" column (open, unblocked, unassigned beads
//! with priority and type badges); then one column per status (assigned, working, completed,
//! failed, reassigned, and "other" for statuses beyond those), each with a count (cards:
//! `board/cards.rs`; where the columns and cards go: `board/geometry.rs`). Banners name a
//! read-only store (newer schema), store notes and beads-file problems. The all-sessions board
//! merges every session's cards into the same columns, each card naming its session; its
//! banners name each session whose store cannot be read.
//!
//! The selected column is marked without colour: its rule is heavy (`━`) and, while the board
//! has the focus, its header is in reverse video. The selected card is reverse video while the
//! board has the focus, and keeps a heavy bar (`▌`) when it does not. A marked card starts
//! with `●`, and the title counts the marks.

mod cards;
mod column;
pub mod geometry;
mod remote;

use super::chrome::{empty_message, pane_block, row};
use crate::app::model::{Model, Pane};
use crate::present::{sanitize, text};
use crate::ui::View;
use chrono::{DateTime, Utc};
use column::{render_column, render_strip};
use geometry::{Grid, grid};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// What the pane says instead of columns: still reading, or nothing to show.
fn message(model: &Model) -> Option<Vec<String>> {
    let board = &model.board;
    if let Some(merged) = &board.merged {
        let dir = board.sessions_dir();
        return if merged.reading && merged.stores.is_empty() {
            Some(vec![format!(
                "Reading every session's store in {}…",
                dir.display()
            )])
        } else if merged.count() == 0 && !board.backlog {
            Some(vec![
                format!("No assignment stores in {}", dir.display()),
                "(looked for sessions/*/assignments.json; they appear here live)".to_owned(),
            ])
        } else {
            None
        };
    }
    // Other hosts' sessions are shown whatever this machine has (or while it is read).
    if board.session.is_none() && (board.has_remote() || board.host_session.is_some()) {
        return None;
    }
    if board.session.is_none() && board.listing {
        return Some(vec![format!(
            "Reading sessions in {}…",
            board.sessions_dir().display()
        )]);
    }
    if let (Some(session), None, true) = (&board.session, &board.store, board.loading) {
        return Some(vec![format!(
            "Reading the store of session {}…",
            sanitize::one_line(session)
        )]);
    }
    if board.session.is_none() && !board.backlog {
        return Some(match &board.sessions_problem {
            Some(problem) => vec![
                "The sessions directory cannot be read:".to_owned(),
                sanitize::one_line(problem),
            ],
            None => vec![
                format!("No assignment stores in {}", board.sessions_dir().display()),
                "(looked for sessions/*/assignments.json; they appear here live)".to_owned(),
            ],
        });
    }
    None
}

/// How a banner reads.
#[derive(Debug, Clone, Copy)]
enum Tone {
    Warning,
    Error,
    Muted,
}

/// The banners of the all-sessions board: the stores that cannot be read (each by name),
/// what is special about some (schema 9, read-only) and the stores' notes, each naming its
/// session.
fn merged_banners(
    merged: &crate::app::model::Merged,
    dir: &std::path::Path,
) -> Vec<(Tone, String)> {
    // The banner names the session: its directory is left out of the paths, so the cause fits.
    let short = |session: &str, text: &str| {
        let own = format!("{}/", dir.join(session).display());
        sanitize::one_line(&text.replace(&own, ""))
    };
    let mut out: Vec<(Tone, String)> = merged
        .problems
        .iter()
        .map(|(session, why)| {
            let kept = if merged.stores.contains_key(session) {
                " (its last good read is shown)"
            } else {
                ""
            };
            (
                Tone::Error,
                format!(
                    "✗ {}: {}{kept}",
                    sanitize::one_line(session),
                    short(session, why)
                ),
            )
        })
        .collect();
    let v9 = merged.stores.values().filter(|s| s.ntm().is_some()).count();
    if v9 > 0 {
        out.push((
            Tone::Muted,
            format!(
                "{v9} of these sessions are today's NTM's (schema 9): their cards follow NTM's rules"
            ),
        ));
    }
    let newer: Vec<&str> = merged
        .stores
        .iter()
        .filter(|(_, s)| s.ntm().is_none() && s.is_read_only())
        .map(|(name, _)| name.as_str())
        .collect();
    if !newer.is_empty() {
        out.push((
            Tone::Warning,
            format!(
                "READ-ONLY (a newer schema; moves are refused): {}",
                sanitize::one_line(&newer.join(", "))
            ),
        ));
    }
    for (session, store) in &merged.stores {
        for note in store.notes() {
            out.push((
                Tone::Warning,
                format!(
                    "⚠ {}: {}",
                    sanitize::one_line(session),
                    short(session, &note)
                ),
            ));
        }
    }
    out
}

/// The banner rows above the columns.
fn banners(model: &Model) -> Vec<(Tone, String)> {
    let board = &model.board;
    let mut out = Vec::new();
    if let Some(merged) = &board.merged {
        out.extend(merged_banners(merged, &board.sessions_dir()));
    }
    if let Some(store) = &board.store {
        if let Some(view) = store.ntm() {
            // Today's NTM: what the store is, and whether NTM (and so beadboard) may write it.
            for fact in crate::present::ntm_row::store_facts(&view) {
                let tone = match fact.tone {
                    crate::present::ntm_row::Tone::Block => Tone::Error,
                    crate::present::ntm_row::Tone::Warn
                    | crate::present::ntm_row::Tone::Pending => Tone::Warning,
                    crate::present::ntm_row::Tone::Info => Tone::Muted,
                };
                out.push((tone, sanitize::one_line(&fact.text)));
            }
        } else if store.is_read_only() {
            out.push((
                Tone::Warning,
                format!(
                    "READ-ONLY: schema {} (a newer NTM); moves are refused",
                    store.document().version
                ),
            ));
        }
        for note in store.notes() {
            out.push((Tone::Warning, format!("⚠ {}", sanitize::one_line(&note))));
        }
    }
    if let Some(e) = &board.error {
        out.push((Tone::Error, format!("✗ {}", sanitize::one_line(e))));
    }
    if let Some(problem) = &model.backlog.problem {
        out.push((
            Tone::Warning,
            format!("⚠ beads: {}", sanitize::one_line(problem)),
        ));
    } else if let Some(file) = &model.backlog.file
        && !file.notes.is_empty()
    {
        out.push((
            Tone::Warning,
            format!(
                "⚠ {} line(s) of {} skipped: {}",
                file.notes.len(),
                file.path.display(),
                sanitize::one_line(&file.notes[0])
            ),
        ));
    }
    if let Some((host, session)) = &board.host_session {
        let name = crate::present::naming::on_host(host, session);
        let text = if board.columns().iter().all(|c| c.ids.is_empty()) {
            format!("{name} has no cards now (S picks another session)")
        } else {
            format!("{name}: the session on {host} (S picks another)")
        };
        out.push((Tone::Muted, sanitize::one_line(&text)));
    } else if board.session.is_none() && board.merged.is_none() && board.has_remote() {
        out.push((
            Tone::Muted,
            "No NTM session on this machine: other hosts' sessions are shown (S picks one)"
                .to_owned(),
        ));
    } else if board.session.is_none() && board.merged.is_none() {
        out.push((
            Tone::Muted,
            format!(
                "No assignment stores yet in {}: n on a ready bead starts one",
                board.sessions_dir().display()
            ),
        ));
    }
    out
}

/// The inside of the pane `area` (its border included) and, below the banners, the part the
/// columns are laid out in (`None` when the pane shows a message or has nothing to lay out).
fn inside(model: &Model, area: Rect) -> (Rect, Vec<(Tone, Rect, String)>, Option<Rect>) {
    let mut inner = Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    if message(model).is_some() {
        return (inner, Vec::new(), None);
    }
    let whole = inner;
    let mut placed = Vec::new();
    for (tone, text) in banners(model) {
        // A banner takes a row while at least four are left.
        if inner.height < 4 {
            break;
        }
        placed.push((tone, Rect { height: 1, ..inner }, text));
        inner.y += 1;
        inner.height -= 1;
    }
    let board = &model.board;
    let columns = (board.store.is_some()
        || board.merged.is_some()
        || board.backlog
        || (board.session.is_none() && board.has_remote()))
    .then_some(inner);
    (whole, placed, columns)
}

/// Where the columns are in the pane `area`, if it shows any.
#[must_use]
pub fn columns_area(model: &Model, area: Rect) -> Option<Grid> {
    inside(model, area).2.map(|body| grid(model, body))
}

/// How many columns show at once at the model's terminal size (what `h`/`l` scroll by).
#[must_use]
pub fn columns_in_view(model: &Model) -> usize {
    let size = Rect::new(0, 0, model.size.0, model.size.1);
    let arrange = crate::ui::layout::Arrange::of(model).focused(Pane::Board);
    crate::ui::layout::areas(size, arrange)
        .board
        .and_then(|area| columns_area(model, area))
        .map_or(1, |g| g.shown.len().max(1))
}

/// Draws the pane.
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, now: DateTime<Utc>) {
    let t = &model.theme;
    let board = &model.board;
    let focused = model.focus == Pane::Board && model.overlay.is_none();
    let mut title = vec![Span::styled(" Board ", t.title())];
    if let Some(merged) = &board.merged {
        title.push(Span::raw(format!(
            "· every session ({}) ",
            text::thousands(merged.count())
        )));
        title.push(Span::styled("· S picks one ", t.muted()));
    }
    if let Some((host, session)) = &board.host_session {
        let name = crate::present::naming::on_host(host, session);
        title.push(Span::raw(format!("{} ", text::truncate(&name, 32))));
        title.push(Span::styled("· S picks ", t.muted()));
    }
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
                format!("· session {at}/{} (S picks) ", board.sessions.len()),
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
    if !board.marked.is_empty() {
        title.push(Span::styled(
            format!("· ● {} marked (Esc clears) ", board.marked.len()),
            t.title(),
        ));
    }
    pane_block(Line::from(title), focused, t).render(area, buf);
    let (inner, placed, body) = inside(model, area);
    if let Some(lines) = message(model) {
        empty_message(buf, inner, lines, t);
        return;
    }
    for (tone, rect, text) in placed {
        let style = match tone {
            Tone::Warning => t.warning(),
            Tone::Error => t.error(),
            Tone::Muted => t.muted(),
        };
        row(buf, rect, vec![Span::styled(text, style)]);
    }
    let Some(body) = body else {
        return;
    };
    let grid = grid(model, body);
    let columns = board.columns();
    if let Some(strip) = grid.strip {
        render_strip(buf, strip, model, &grid, &columns);
    }
    for (i, rect) in &grid.shown {
        let Some(column) = columns.get(*i) else {
            continue;
        };
        let selected = *i == board.column;
        render_column(buf, *rect, model, column, selected, focused, now);
    }
}
