//! `update`: the only place the model changes. A key is resolved through the binding table to
//! an [`Action`]; actions that change files call exactly one persistence-layer method (the
//! store's transition, or closing a run) and show its result or its own error text; disk
//! changes reload only what changed.

mod actions;
mod board;
mod disk;
mod forms;
mod tmux;

pub use disk::apply_change;

use super::action::Action;
use super::event::Msg;
use super::keymap::Key;
use super::model::{Live, Model, Overlay, StatusKind};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Applies one message; returns whether the screen needs redrawing.
pub fn update(model: &mut Model, msg: Msg, now: DateTime<Utc>) -> bool {
    match msg {
        Msg::Key(event) => {
            let Some(key) = Key::from_event(&event) else {
                return false;
            };
            match model.keymap.resolve(&model.scopes(), key) {
                Some(action) => {
                    apply(model, action, now);
                    true
                }
                None => forms::type_into(model, key),
            }
        }
        Msg::Resize(w, h) => {
            model.size = (w, h);
            true
        }
        Msg::Disk(change) => match &mut model.paused {
            Some(pending) => {
                pending.insert(change);
                true
            }
            None => apply_change(model, change, now),
        },
        Msg::Report(text) => {
            model.say(StatusKind::Warning, text);
            true
        }
        Msg::WatchFailed(reason) => {
            model.say(
                StatusKind::Warning,
                format!("file events failed ({reason}); polling instead"),
            );
            model.live = Live::Polling(reason);
            true
        }
        Msg::Tick => {
            model.transcript.accept_unterminated(now);
            model.runs.retry_due(now);
            model.observe_clock(now);
            true
        }
        Msg::Search(progress) => {
            let changed = model.transcript.apply_search(progress);
            if let Some(s) = &model.transcript.search
                && s.done
            {
                let text = match s.matches.len() {
                    0 => format!("no match for {:?}", s.query),
                    1 => format!("1 match for {:?} (n/N move)", s.query),
                    n => format!("{n} matches for {:?} (n/N move)", s.query),
                };
                model.say(super::model::StatusKind::Info, text);
            }
            changed
        }
        Msg::Mouse(_) | Msg::Tty(_) => false,
        Msg::Stop(_) => {
            model.quit = true;
            true
        }
    }
}

/// Carries out one action.
pub fn apply(model: &mut Model, action: Action, now: DateTime<Utc>) {
    if matches!(model.overlay, Some(Overlay::Confirm(_) | Overlay::Form(_))) {
        forms::dialog_action(model, action, now);
        return;
    }
    if matches!(
        model.overlay,
        Some(Overlay::Help { .. } | Overlay::Detail { .. } | Overlay::Card { .. })
    ) {
        actions::overlay_action(model, action);
        return;
    }
    actions::pane_action(model, action, now);
}

/// How long the loop may sleep before something on screen needs a fresh look without any
/// event: a held-back transcript line, a manifest to re-read, or a visible clock. `None` means
/// sleep until an event arrives.
#[must_use]
pub fn next_wakeup(model: &Model, now: DateTime<Utc>) -> Option<Duration> {
    let mut next: Option<Duration> = None;
    let mut consider = |d: Option<Duration>| {
        if let Some(d) = d {
            next = Some(next.map_or(d, |n| n.min(d)));
        }
    };
    consider(model.transcript.next_check(now));
    consider(model.runs.next_check(now));
    consider(
        model
            .observer
            .next_change()
            .map(|t| t.signed_duration_since(now).to_std().unwrap_or_default()),
    );
    let until_next_second = Duration::from_nanos(u64::from(
        1_000_000_000 - now.timestamp_subsec_nanos().min(999_999_999),
    ));
    let active_shown = model
        .runs
        .visible()
        .iter()
        .any(|r| !r.manifest.is_complete());
    let relative_times = model.transcript.timestamps == super::model::Timestamps::Relative;
    if active_shown || relative_times {
        consider(Some(until_next_second));
    } else {
        // "5m ago" and staleness still move on, slowly.
        consider(Some(Duration::from_secs(60)));
    }
    next
}
