//! The footer: key hints of the focused scope, from the binding table, of only the actions
//! that apply to the selection (on a card, the moves its status allows; on a ready bead,
//! assigning it; `C` on a stale run; `i` while something needs you). The most important one
//! comes first, as the table orders them; help and quit stay visible at the right however
//! narrow the terminal. On a store of today's NTM (schema 9) a card's keys are those NTM
//! allows for the row (`ui/moves.rs`); a row NTM forbids every move on says why, first.

use super::chrome::row;
use super::moves;
use crate::app::action::Action;
use crate::app::model::{Model, Overlay, Pane};
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
    // The selected card, and its own session's store (on the all-sessions board too).
    let entry = board
        .selected_entry()
        .filter(|_| model.focus == Pane::Board);
    let writable = entry
        .and_then(|(k, _)| board.store_of(&k.session))
        .is_some_and(|s| !s.is_read_only());
    let card = entry.map(|(_, c)| c);
    let marks = match model.focus {
        Pane::Board => board.marked.len(),
        Pane::Runs => model.runs.marked.len(),
        Pane::Transcript => 0,
    };
    // Another host's card: its moves are offered by its status as the host reported it (the
    // host checks the transition under its own lock and says when it refuses).
    if let Some(remote) = board
        .selected_remote()
        .filter(|_| model.focus == Pane::Board)
        && marks == 0
    {
        match action {
            Action::Start | Action::Complete | Action::Fail | Action::Reassign | Action::Retry => {
                return target(action).is_some_and(|to| is_valid_transition(&remote.status, &to));
            }
            Action::Remove => return true,
            // Details, marks, its agent's transcript and its pane are this machine's only.
            Action::CardDetails
            | Action::ToggleMark
            | Action::CardTranscript
            | Action::OpenInTmux
            | Action::AssignReady => return false,
            _ => {}
        }
    }
    // With cards marked, a move applies to every one (each refused or made on its own).
    if marks > 0
        && model.focus == Pane::Board
        && (target(action).is_some() || action == Action::Remove)
    {
        return true;
    }
    if let Some(row_action) = moves::row_action(action)
        && let Some((key, card)) = entry
        && model.is_v9(&key.session)
    {
        return moves::refusal(model, &key.session, card, row_action).is_none();
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
        Action::PickSession => board.sessions.len() > 1 || board.is_merged(),
        Action::OpenTranscript if matches!(model.overlay, Some(Overlay::Results)) => model
            .corpus
            .as_ref()
            .is_some_and(|c| c.selected_hit().is_some()),
        Action::OpenTranscript => model.runs.selected().is_some(),
        Action::CloseStaleRun => model.runs.selected().is_some_and(|r| {
            r.session().is_none() && !r.is_complete() && r.is_stale(now, model.settings.stale_after)
        }),
        Action::NextAttention | Action::Acknowledge => waiting,
        // A one-field prompt has no other field to go to.
        Action::NextField | Action::PreviousField => match &model.overlay {
            Some(Overlay::Form(form)) => form.fields.len() > 1,
            _ => true,
        },
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
    if model.overlay.is_some() || model.focus != Pane::Board {
        return None;
    }
    let (key, card) = model.board.selected_entry()?;
    if !model.is_v9(&key.session) {
        return None;
    }
    let (brief, _) = moves::blocked(model, &key.session, card)?;
    Some([
        format!("✗ no moves: {brief} (Enter: why)"),
        format!("✗ no moves: {brief}"),
        "✗ no moves (Enter: why)".to_owned(),
    ])
}

/// One hint laid out in the footer: where it is, its keys and label, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// Its cells.
    pub area: Rect,
    /// The keys, as shown.
    pub keys: String,
    /// What it does, in words.
    pub label: &'static str,
    /// The action (a click on the hint does it).
    pub action: Action,
}

/// The footer's hints, laid out in `area`: the keys that apply to the selection from the
/// binding table, whole ones only, with help and quit pinned to the right. The footer draws
/// exactly these, and a click on one does its action.
#[must_use]
pub fn hints(model: &Model, area: Rect, waiting: usize, now: DateTime<Utc>) -> Vec<Hint> {
    let pinned_actions = [Action::ToggleHelp, Action::Quit];
    let scopes = model.scopes();
    let waiting = waiting > 0;
    let (mut pinned, mut others) = (Vec::new(), Vec::new());
    for (keys, label, action) in model
        .keymap
        .hint_actions_where(&scopes, |a| offered(model, a, now, waiting))
    {
        if model.overlay.is_none() && pinned_actions.contains(&action) {
            pinned.push((keys, label, action));
        } else {
            others.push((keys, label, action));
        }
    }
    let width = |keys: &str, label: &str| text::width(keys) + 1 + text::width(label);
    let sep = 3;
    let pinned_width: usize = pinned.iter().map(|(k, l, _)| width(k, l)).sum::<usize>()
        + sep * pinned.len().saturating_sub(1);
    let rest_width = usize::from(area.width).saturating_sub(pinned_width + sep);
    let lead = lead(model, rest_width).map_or(0, |l| text::width(&l));
    let mut out = Vec::new();
    let mut x = lead;
    for (keys, label, action) in others {
        let start = if out.is_empty() && lead == 0 {
            0
        } else {
            x + sep
        };
        let w = width(&keys, label);
        if start + w > rest_width {
            break;
        }
        out.push(place(area, start, w, keys, label, action));
        x = start + w;
    }
    let mut x = usize::from(area.width).saturating_sub(pinned_width);
    for (keys, label, action) in pinned {
        let w = width(&keys, label);
        out.push(place(area, x, w, keys, label, action));
        x += w + sep;
    }
    out
}

fn place(
    area: Rect,
    x: usize,
    w: usize,
    keys: String,
    label: &'static str,
    action: Action,
) -> Hint {
    let to = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    Hint {
        area: Rect {
            x: area.x.saturating_add(to(x)),
            width: to(w).min(area.width.saturating_sub(to(x))),
            ..area
        },
        keys,
        label,
        action,
    }
}

/// What the footer says before its keys: why a schema-9 card has no moves, in the longest
/// form that fits in `room` columns.
fn lead(model: &Model, room: usize) -> Option<String> {
    no_moves(model)
        .into_iter()
        .flatten()
        .find(|w| text::width(w) <= room)
}

/// Draws the footer (see [`hints`]); `waiting`: how many items need attention (counted once
/// per frame).
pub fn render(buf: &mut Buffer, area: Rect, model: &View<'_>, waiting: usize, now: DateTime<Utc>) {
    let t = &model.theme;
    let laid = hints(model, area, waiting, now);
    let pinned = laid
        .iter()
        .filter(|h| h.action == Action::ToggleHelp || h.action == Action::Quit)
        .map(|h| usize::from(h.area.width) + 3)
        .sum::<usize>();
    if let Some(why) = lead(model, usize::from(area.width).saturating_sub(pinned)) {
        let width = u16::try_from(text::width(&why)).unwrap_or(u16::MAX);
        let mut spans = vec![Span::styled(why, t.warning())];
        if laid
            .first()
            .is_some_and(|h| h.area.x == area.x.saturating_add(width + 3))
        {
            spans.push(Span::styled(" · ", t.muted()));
        }
        row(buf, area, spans);
    }
    for (i, hint) in laid.iter().enumerate() {
        let mut spans = vec![
            Span::styled(hint.keys.clone(), Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" "),
            Span::styled(hint.label, t.muted()),
        ];
        // The separator before the next hint, when it follows on directly.
        if let Some(next) = laid.get(i + 1)
            && next.area.x == hint.area.x + hint.area.width + 3
        {
            spans.push(Span::styled(" · ", t.muted()));
        }
        let width = spans.iter().map(|s| text::width(&s.content)).sum::<usize>();
        row(
            buf,
            Rect {
                width: u16::try_from(width)
                    .unwrap_or(u16::MAX)
                    .min(area.right().saturating_sub(hint.area.x)),
                x: hint.area.x,
                ..area
            },
            spans,
        );
    }
}
