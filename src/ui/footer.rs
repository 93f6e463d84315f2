//! The footer: key hints of the focused scope, from the binding table, of only the actions
//! that apply to the selection (on a card, the moves its status allows; on a ready bead,
//! assigning it; `C` on a stale run; `i` while something needs you). The most important one
//! comes first, as the table orders them; help and quit stay visible at the right however
//! narrow the terminal. On a store of today's NTM (schema 9) a card's keys are those NTM
//! allows for the row (`ui/moves.rs`); a row NTM forbids every move on says why, first.

use super::chrome::row;
use super::moves;
use crate::app::action::Action;
use crate::app::model::{Model, Pane};
use crate::persist::assignment::{AssignmentStatus, is_valid_transition};
use crate::present::text;
use crate::ui::View;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

/// The status a board key moves a card to.
#[must_use]
pub fn target(action: Action) -> Option<AssignmentStatus> {
    match action {
        Action::Start => Some(AssignmentStatus::Working),
        Action::Complete => Some(AssignmentStatus::Completed),
        Action::Fail => Some(AssignmentStatus::Failed),
        Action::Reassign => Some(AssignmentStatus::Reassigned),
        Action::Retry => Some(AssignmentStatus::Assigned),
        _ => None,
    }
}

/// Whether `action` applies to what is selected now (only those are offered); `waiting`:
/// whether anything needs attention (counted once per frame by the caller).
#[must_use]
pub fn offered(model: &Model, action: Action, now: DateTime<Utc>, waiting: bool) -> bool {
    let board = &model.board;
    let writable = board.store.as_ref().is_some_and(|s| !s.is_read_only());
    let card = board.selected_card().filter(|_| model.focus == Pane::Board);
    if let Some(row_action) = moves::row_action(action)
        && model.is_v9()
    {
        return card.is_some_and(|c| moves::refusal(model, c, row_action).is_none());
    }
    match action {
        Action::Start | Action::Complete | Action::Fail | Action::Reassign | Action::Retry => card
            .zip(target(action))
            .is_some_and(|(c, to)| writable && is_valid_transition(&c.status, &to)),
        Action::Remove => writable && card.is_some(),
        Action::CardDetails => card.is_some(),
        Action::AssignReady => {
            board.selected_ready().is_some()
                && board.store.as_ref().is_none_or(|s| !s.is_read_only())
        }
        Action::NextSession => board.sessions.len() > 1,
        Action::OpenTranscript => model.runs.selected().is_some(),
        Action::CloseStaleRun => model.runs.selected().is_some_and(|r| {
            !r.manifest.is_complete() && r.is_stale(now, model.settings.stale_after)
        }),
        Action::NextAttention | Action::Acknowledge => waiting,
        Action::ToggleFollow
        | Action::Search
        | Action::NextMatch
        | Action::PreviousMatch
        | Action::NextError
        | Action::PreviousError
        | Action::ToggleWrap
        | Action::CycleTimestamps
        | Action::ExpandEntry => !model.transcript.is_empty(),
        _ => true,
    }
}

/// `✗ no moves: …`, when the selected card is a schema-9 row NTM allows no move on (the card
/// detail, `Enter`, has the whole reason): its forms, longest first.
fn no_moves(model: &Model) -> Option<[String; 3]> {
    if model.overlay.is_some() || model.focus != Pane::Board || !model.is_v9() {
        return None;
    }
    let card = model.board.selected_card()?;
    let (brief, _) = moves::blocked(model, card)?;
    Some([
        format!("✗ no moves: {brief} (Enter: why)"),
        format!("✗ no moves: {brief}"),
        "✗ no moves (Enter: why)".to_owned(),
    ])
}

/// Draws the footer; `waiting`: how many items need attention (counted once per frame).
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, waiting: usize, now: DateTime<Utc>) {
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
    let waiting = waiting > 0;
    let mut pinned: Vec<Span<'static>> = Vec::new();
    let mut others: Vec<(String, &'static str)> = Vec::new();
    for (keys, label) in model
        .keymap
        .hints_where(&scopes, |a| offered(model, a, now, waiting))
    {
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
    // The longest form of why there are no moves that fits.
    if let Some(why) = no_moves(model)
        .into_iter()
        .flatten()
        .find(|w| text::width(w) <= rest_width)
    {
        used = text::width(&why);
        rest.push(Span::styled(why, t.warning()));
    }
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
