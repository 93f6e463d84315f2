//! The card detail's lines for a row of today's NTM (schema 9): its `%N` pane identity (or
//! why it has none), then what NTM records of it (generation, claim, reservation and its
//! paths, dispatch, errors, the clear barrier, a requested outcome and its reason, a
//! completion event), with times relative to the frame's `now`, and the moves NTM allows: the
//! keys that act, or the whole reason none does.

use crate::persist::assignment::Assignment;
use crate::persist::assignment::v9::NtmRow;
use crate::present::ntm_row::detail_facts;
use crate::ui::View;
use crate::ui::moves;
use chrono::{DateTime, Utc};
use ratatui::style::Style;
use ratatui::text::Span;

/// The labelled facts of one row.
pub(super) struct Facts {
    lines: Vec<(&'static str, String)>,
    /// The row has a `%N` pane identity.
    has_pane: bool,
}

impl Facts {
    /// The facts of `card` when its session's store is today's NTM's.
    pub(super) fn of(
        model: &View<'_>,
        session: &str,
        card: &Assignment,
        now: DateTime<Utc>,
    ) -> Option<Facts> {
        if !model.is_v9(session) {
            return None;
        }
        let row = NtmRow::new(card);
        let lines = detail_facts(&row, now)
            .into_iter()
            .filter(|(label, _)| *label != "status")
            .collect();
        Some(Facts {
            lines,
            has_pane: row.pane_id().is_some(),
        })
    }

    /// The width labels are padded to: the widest label, at least 10 (`moves` among them).
    pub(super) fn pad(&self) -> usize {
        self.lines
            .iter()
            .map(|(l, _)| l.len())
            .chain([10])
            .max()
            .unwrap_or(10)
    }

    /// The `pane` line's value (taken out of the rest): the `%N` pane, or why there is none.
    pub(super) fn take_pane(&mut self, model: &View<'_>) -> Option<Vec<Span<'static>>> {
        let i = self.lines.iter().position(|(l, _)| *l == "pane")?;
        let (_, text) = self.lines.remove(i);
        let style = if self.has_pane {
            Style::new()
        } else {
            model.theme.error()
        };
        Some(vec![Span::styled(text, style)])
    }

    /// The other lines, styled.
    pub(super) fn rest(self, model: &View<'_>) -> Vec<(&'static str, Vec<Span<'static>>)> {
        let t = &model.theme;
        self.lines
            .into_iter()
            .map(|(label, text)| {
                let style = match label {
                    l if l.ends_with("error") || l == "unreadable" => t.error(),
                    "requested" => t.fg(t.info),
                    "completion event" => t.warning(),
                    _ => Style::new(),
                };
                (label, vec![Span::styled(text, style)])
            })
            .collect()
    }
}

/// `s start · x fail · d remove`, or `none: <why>`.
pub(super) fn moves_line(model: &View<'_>, session: &str, card: &Assignment) -> Vec<Span<'static>> {
    let t = &model.theme;
    if let Some((_, why)) = moves::blocked(model, session, card) {
        return vec![Span::styled(format!("none: {why}"), t.error())];
    }
    let mut spans = Vec::new();
    for (action, row_action) in moves::ROW_KEYS {
        if moves::refusal(model, session, card, row_action).is_some() {
            continue;
        }
        let Some(key) = model
            .keymap
            .key_for(crate::app::keymap::Scope::Board, action)
        else {
            continue;
        };
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", t.muted()));
        }
        spans.push(Span::styled(
            key.to_string(),
            Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {row_action}")));
    }
    spans
}
