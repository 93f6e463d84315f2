//! The `?` help: the focused pane's keys first, then the keys of lists and of everywhere, then
//! the rest of the binding table, then what every glyph means. Typing filters it (keys, words
//! and glyphs); while polling, it says why live updates are polled; with hosts configured, it
//! starts with each host's state in full (why one is down, when it is tried again).

use super::{centered, wrap};
use crate::app::keymap::Scope;
use crate::app::model::Pane;
use crate::present::glyphs::LEGEND;
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// The binding groups, the focused pane's first, then lists and everywhere, then the others in
/// table order.
fn ordered_groups(model: &View<'_>) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let focused = match model.focus {
        Pane::Runs => Scope::Runs,
        Pane::Transcript => Scope::Transcript,
        Pane::Board => Scope::Board,
    };
    let first = [focused.title(), Scope::List.title(), Scope::Global.title()];
    let mut groups = model.keymap.help();
    groups.sort_by_key(|(title, _)| first.iter().position(|f| f == title).unwrap_or(first.len()));
    groups
}

/// Whether `text` contains the lowercase `needle`, ignoring case.
fn has(text: &str, needle: &str) -> bool {
    text.to_lowercase().contains(needle)
}

/// The help lines for `filter` (also used by tests).
#[must_use]
pub fn lines(model: &View<'_>, filter: &str, now: DateTime<Utc>) -> Vec<Line<'static>> {
    let t = &model.theme;
    let needle = filter.trim().to_lowercase();
    let mut out = Vec::new();
    if !model.hosts.list.is_empty() {
        out.push(Line::from(Span::styled("Hosts", t.title())));
        if model.hosts.local {
            out.push(Line::from(Span::styled(
                "  ● local: this machine",
                t.good(),
            )));
        }
        for h in &model.hosts.list {
            out.push(Line::from(Span::styled(
                format!(
                    "  {} {}",
                    super::hosts::glyph(&h.status),
                    super::hosts::full(h, now)
                ),
                super::hosts::style(&h.status, t),
            )));
        }
        out.push(Line::default());
    }
    if let crate::app::model::Live::Polling(why) = &model.live {
        out.push(Line::from(Span::styled("Live updates", t.title())));
        out.push(Line::from(Span::styled(
            format!(
                "  polling every {} s: {}",
                crate::app::watch::POLL_INTERVAL.as_secs(),
                crate::present::sanitize::one_line(why)
            ),
            t.warning(),
        )));
        out.push(Line::default());
    }
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut found = false;
    for (scope, items) in ordered_groups(model) {
        let keep: Vec<_> = items
            .into_iter()
            .filter(|(keys, label)| {
                needle.is_empty()
                    || has(keys, &needle)
                    || has(label, &needle)
                    || has(scope, &needle)
            })
            .collect();
        if keep.is_empty() {
            continue;
        }
        found = true;
        out.push(Line::from(Span::styled(scope.to_owned(), t.title())));
        for (keys, label) in keep {
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), bold),
                Span::raw(label),
            ]));
        }
        out.push(Line::default());
    }
    for (place, entries) in LEGEND {
        let keep: Vec<_> = entries
            .iter()
            .filter(|(glyph, meaning)| {
                needle.is_empty()
                    || has(glyph, &needle)
                    || has(meaning, &needle)
                    || has(place, &needle)
            })
            .collect();
        if keep.is_empty() {
            continue;
        }
        found = true;
        out.push(Line::from(Span::styled(
            format!("glyphs: {place}"),
            t.title(),
        )));
        for (glyph, meaning) in keep {
            out.push(Line::from(vec![
                Span::styled(format!("  {glyph:<4}"), bold),
                Span::raw(*meaning),
            ]));
        }
        out.push(Line::default());
    }
    if !found {
        out.push(Line::from(Span::styled(
            format!("nothing matches `{}` (Esc clears)", filter.trim()),
            t.muted(),
        )));
    }
    out
}

/// Draws the help over `area`, scrolled by `scroll` rows, filtered by `filter`.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    model: &View<'_>,
    scroll: usize,
    filter: &str,
    now: DateTime<Utc>,
) {
    let t = &model.theme;
    let rect = centered(area, 72, area.height.saturating_sub(2));
    Clear.render(rect, buf);
    let mut title = vec![Span::styled(" keys ", t.title())];
    if filter.is_empty() {
        title.push(Span::styled(
            "· type to filter · ↑/↓ scroll · Esc closes ",
            t.muted(),
        ));
    } else {
        title.push(Span::styled(
            format!("· /{}▏ ", crate::present::sanitize::one_line(filter)),
            t.warning(),
        ));
        title.push(Span::styled("· Esc clears ", t.muted()));
    }
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(t.border(true))
        .title(Line::from(title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let all: Vec<Line<'static>> = lines(model, filter, now)
        .iter()
        .flat_map(|l| wrap::wrap(l, usize::from(inner.width)))
        .collect();
    super::scrolled(buf, inner, &all, scroll);
}
