//! The frame around the panes: the header (roots, counts, live status, screens), the status
//! line (result of the last action, or the filter/search being typed), the footer (key hints
//! from the binding table), and the "terminal too small" message.

use super::layout::{LayoutMode, MIN_SIZE};
use super::{Theme, centered, dialog};
use crate::app::model::{Live, Overlay, Pane, StatusKind};
use crate::persist::run::State;
use crate::present::{glyphs, text};
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Writes `spans` into one row, cut to its width.
pub fn row(buf: &mut Buffer, area: Rect, spans: Vec<Span<'static>>) {
    let line = super::wrap::cut(&Line::from(spans), usize::from(area.width));
    buf.set_line(area.x, area.y, &line, area.width);
}

/// The part of a reason before its first colon (`watch limit reached: raise …`).
fn gist(reason: &str) -> &str {
    reason.split(':').next().unwrap_or(reason).trim()
}

/// The header: title, roots and counts, live status, and which screen is shown.
pub fn header(buf: &mut Buffer, area: Rect, model: &View<'_>, _now: DateTime<Utc>) {
    let t = &model.theme;
    let home = model.settings.home.as_deref();
    let mut spans = vec![Span::styled("beadboard", t.title()), Span::raw(" ")];
    spans.push(match (&model.paused, &model.live) {
        (Some(pending), _) => {
            Span::styled(format!("⏸ paused ({} waiting)", pending.len()), t.warning())
        }
        (None, Live::Watching) => Span::styled("● live", t.good()),
        (None, Live::Polling(why)) => Span::styled(
            // The gist only; the status line and `?` carry the whole reason.
            format!("◌ polling ({})", text::truncate(gist(why), 32)),
            t.warning(),
        ),
    });
    let waiting = model.observer.attention_count();
    if waiting > 0 {
        let label = if area.width >= 100 {
            format!(" ⚑ {waiting} need you (i)")
        } else {
            format!(" ⚑{waiting}")
        };
        spans.push(Span::styled(
            label,
            t.warning().add_modifier(ratatui::style::Modifier::BOLD),
        ));
    }
    spans.push(Span::raw("  "));
    let runs = model.runs.all();
    let show_roots = area.width >= 160;
    if show_roots {
        spans.push(Span::styled(
            text::short_path(&model.roots.agentpair.to_string_lossy(), home, 44),
            t.muted(),
        ));
        spans.push(Span::raw(" "));
    }
    if runs.is_empty() && model.runs.loading {
        spans.push(Span::styled("reading runs… ", t.muted()));
    } else if runs.is_empty() {
        spans.push(Span::styled("no runs ", t.muted()));
    } else {
        for state in State::KNOWN {
            let n = runs.iter().filter(|r| r.manifest.state == state).count();
            if n > 0 {
                spans.push(Span::styled(
                    format!("{}{n} ", glyphs::run_state(&state)),
                    t.run_state(&state),
                ));
            }
        }
        let other = runs
            .iter()
            .filter(|r| matches!(r.manifest.state, State::Other(_)))
            .count();
        if other > 0 {
            spans.push(Span::styled(format!("?{other} "), t.warning()));
        }
        let stale = runs
            .iter()
            .filter(|r| r.is_stale(_now, model.settings.stale_after))
            .count();
        if stale > 0 {
            spans.push(Span::styled(format!("⚠{stale} stale "), t.warning()));
        }
    }
    if !model.runs.problems().is_empty() {
        spans.push(Span::styled(
            format!("⚠{} unreadable ", model.runs.problems().len()),
            t.error(),
        ));
    }
    spans.push(Span::styled("· ", t.muted()));
    if show_roots {
        spans.push(Span::styled(
            text::short_path(&model.roots.ntm.to_string_lossy(), home, 44),
            t.muted(),
        ));
        spans.push(Span::raw(" "));
    }
    match (&model.board.session, &model.board.store) {
        (Some(s), Some(store)) => spans.push(Span::raw(format!(
            "{} {} beads ",
            text::truncate(s, 20),
            store.stats().total
        ))),
        (Some(s), None) if model.board.loading => spans.push(Span::styled(
            format!("{} reading… ", text::truncate(s, 20)),
            t.muted(),
        )),
        (None, _) if model.board.listing => {
            spans.push(Span::styled("reading sessions… ", t.muted()));
        }
        (Some(s), None) => spans.push(Span::styled(
            format!("{} unreadable ", text::truncate(s, 20)),
            t.error(),
        )),
        (None, _) => spans.push(Span::styled("no sessions ", t.muted())),
    }
    let screens = screens(model, *buf.area(), t);
    let screens_width: usize = screens.iter().map(|s| text::width(&s.content)).sum();
    let left_width = usize::from(area.width).saturating_sub(screens_width + 1);
    row(
        buf,
        Rect {
            width: u16::try_from(left_width).unwrap_or(area.width),
            ..area
        },
        spans,
    );
    if screens_width > 0 && left_width > 20 {
        let x = area.x + u16::try_from(left_width + 1).unwrap_or(0);
        row(
            buf,
            Rect {
                x,
                width: area.width.saturating_sub(x - area.x),
                ..area
            },
            screens,
        );
    }
}

/// `1 Runs 2 Transcript 3 Board`, the shown ones marked, when not all fit at once in `frame`
/// (the whole frame's area: the layout follows the frame, never a remembered size).
fn screens(model: &View<'_>, frame: Rect, t: &Theme) -> Vec<Span<'static>> {
    let mode = LayoutMode::of(frame.width, frame.height);
    if mode == LayoutMode::Wide {
        return Vec::new();
    }
    let areas = super::layout::areas(frame, model.focus);
    let mut spans = Vec::new();
    for (n, pane) in [(1, Pane::Runs), (2, Pane::Transcript), (3, Pane::Board)] {
        let label = format!(" {n} {} ", pane.title());
        let style = if areas.of(pane).is_some() {
            t.selected().add_modifier(Modifier::BOLD)
        } else {
            t.muted()
        };
        spans.push(Span::styled(label, style));
    }
    spans
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
    if let Some(s) = model.shown_status(now) {
        let (glyph, style) = match s.kind {
            StatusKind::Info => ("ℹ", t.text()),
            StatusKind::Success => ("✓", t.good()),
            StatusKind::Warning => ("⚠", t.warning()),
            StatusKind::Error => ("✗", t.error()),
        };
        row(
            buf,
            area,
            vec![Span::styled(format!("{glyph} {}", s.text), style)],
        );
    } else {
        let home = model.settings.home.as_deref();
        let roots = format!(
            "runs {} · stores {}",
            text::short_path(&model.roots.agentpair.to_string_lossy(), home, 40),
            text::short_path(&model.roots.ntm.to_string_lossy(), home, 40)
        );
        row(buf, area, vec![Span::styled(roots, t.muted())]);
    }
}

/// The footer: key hints of the focused scope, from the binding table; help and quit stay
/// visible at the right however narrow the terminal.
pub fn footer(buf: &mut Buffer, area: Rect, model: &View<'_>) {
    use crate::app::action::Action;
    let t = &model.theme;
    let hint = |keys: String, label: &'static str| {
        vec![
            Span::styled(keys, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" "),
            Span::styled(label, t.muted()),
        ]
    };
    let sep = || Span::styled(" · ", t.muted());
    let pinned_actions = [Action::ToggleHelp, Action::Quit];
    let scopes = model.scopes();
    let mut pinned: Vec<Span<'static>> = Vec::new();
    let mut others: Vec<(String, &'static str)> = Vec::new();
    for (keys, label) in model.keymap.hints(&scopes) {
        let is_pinned = model.overlay.is_none()
            && pinned_actions.iter().any(|a| {
                model
                    .keymap
                    .key_for(crate::app::keymap::Scope::Global, *a)
                    .is_some_and(|k| k.to_string() == keys)
            });
        if is_pinned {
            if !pinned.is_empty() {
                pinned.push(sep());
            }
            pinned.extend(hint(keys, label));
        } else {
            others.push((keys, label));
        }
    }
    let pinned_width: usize = pinned.iter().map(|s| text::width(&s.content)).sum();
    let rest_width = usize::from(area.width).saturating_sub(pinned_width + 3);
    // Only whole hints: stop at the first that does not fit.
    let mut rest: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (keys, label) in others {
        let w = text::width(&keys) + 1 + text::width(label) + if rest.is_empty() { 0 } else { 3 };
        if used + w > rest_width {
            break;
        }
        used += w;
        if !rest.is_empty() {
            rest.push(sep());
        }
        rest.extend(hint(keys, label));
    }
    row(
        buf,
        Rect {
            width: u16::try_from(rest_width).unwrap_or(area.width),
            ..area
        },
        rest,
    );
    if !pinned.is_empty() {
        let x = area.x
            + area
                .width
                .saturating_sub(u16::try_from(pinned_width).unwrap_or(0));
        row(
            buf,
            Rect {
                x,
                width: area.width.saturating_sub(x - area.x),
                ..area
            },
            pinned,
        );
    }
}

/// The message shown below 60×15.
pub fn too_small(buf: &mut Buffer, area: Rect, t: &Theme) {
    let msg = format!(
        "terminal too small: {}×{}, need at least {}×{} (q quits)",
        area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
    );
    let height = 3.min(area.height);
    let rect = centered(area, area.width, height);
    Paragraph::new(msg)
        .style(t.warning())
        .wrap(Wrap { trim: true })
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
