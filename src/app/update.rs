//! `update`: the only place the model changes, and where the work to do is decided. A key is
//! resolved through the binding table to an [`Action`]; actions that change files ask for
//! exactly one persistence-layer method (the store's transition, or closing a run) to run on a
//! worker; disk changes ask for only what changed; workers' outcomes are taken in `done.rs`.
//! `update` returns the effects for the event loop to hand to the workers.

mod actions;
mod board;
mod bound;
mod corpus;
mod disk;
mod done;
mod forms;
mod mouse;
mod moves;
mod ntm;
mod picker;
mod reach;
mod remote;
mod tmux;
mod undo;

pub use disk::apply_change;

use super::action::Action;
use super::effect::Effect;
use super::event::Msg;
use super::keymap::Key;
use super::model::{Live, Model, Overlay, StatusKind};
use crate::present::sanitize::one_line;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Applies one message; returns the work it asks for.
pub fn update(model: &mut Model, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
    model.clock = now;
    match msg {
        Msg::Key(event) => {
            if let Some(key) = Key::from_event(&event) {
                match model.keymap.resolve(&model.scopes(), key) {
                    Some(action) => apply(model, action, now),
                    None => forms::type_into(model, key),
                }
            }
        }
        Msg::Resize(w, h) => model.size = (w, h),
        Msg::Disk(change) => match &mut model.paused {
            Some(pending) => {
                pending.insert(change);
            }
            None => apply_change(model, change),
        },
        Msg::Report(text) => model.say(StatusKind::Warning, text),
        Msg::Failed(text) => model.say(
            StatusKind::Error,
            format!("internal error (please report it): {}", one_line(&text)),
        ),
        Msg::WatchFailed(reason) => {
            model.say(
                StatusKind::Warning,
                format!("file events failed ({reason}); polling instead"),
            );
            model.live = Live::Polling(reason.clone());
            model.outbox.push(Effect::PollInstead(reason));
        }
        Msg::Tick => {
            model.transcript.accept_unterminated(now);
            // Another host's run shown and its follow lost with the channel: follow it again.
            model.transcript.resume_remote();
            model.runs.retry_due(now);
            model.runs.verify_due(now);
            model.runs.check_alive_due(now);
            let redecided = model.runs.redecide_due(now);
            for key in &redecided {
                model.observe_run(key, now);
                model.refresh_run_agents(key, now);
            }
            model.bind_due(now);
            model.observe_clock(now);
        }
        Msg::Done(outcome) => done::apply_outcome(model, outcome, now),
        Msg::Host(news) => model.host_news(news, now),
        Msg::Mouse(event) => mouse::handle(model, event, now),
        Msg::Tty(_) => {}
        Msg::Returned(returned) => forms::returned(model, returned),
        Msg::Stop(_) => model.quit = true,
    }
    model.reconcile_status();
    model.note_focus();
    model.follow_card();
    model.take_effects()
}

/// Carries out one action.
pub fn apply(model: &mut Model, action: Action, now: DateTime<Utc>) {
    model.clock = now;
    let had_dialog = matches!(model.overlay, Some(Overlay::Confirm(_) | Overlay::Form(_)));
    apply_action(model, action, now);
    model.reconcile_status();
    model.note_focus();
    if !had_dialog && matches!(model.overlay, Some(Overlay::Confirm(_) | Overlay::Form(_))) {
        // A dialog says what it needs itself; an older message under it would only confuse.
        model.status = None;
    }
}

fn apply_action(model: &mut Model, action: Action, now: DateTime<Utc>) {
    if matches!(model.overlay, Some(Overlay::Confirm(_) | Overlay::Form(_))) {
        forms::dialog_action(model, action, now);
        return;
    }
    if matches!(model.overlay, Some(Overlay::Sessions(_))) {
        picker::action(model, action);
        return;
    }
    if matches!(model.overlay, Some(Overlay::Results)) {
        corpus::action(model, action, now);
        return;
    }
    if matches!(
        model.overlay,
        Some(
            Overlay::Help { .. }
                | Overlay::Detail { .. }
                | Overlay::Card { .. }
                | Overlay::Messages { .. }
        )
    ) {
        actions::overlay_action(model, action);
        return;
    }
    actions::pane_action(model, action, now);
}
/// Whether anything on screen is relative to the clock: run ages and elapsed times, card
/// ages, relative transcript times (then the screen is redrawn every second).
fn shows_relative_times(model: &Model) -> bool {
    !model.runs.is_empty()
        || model.transcript.timestamps == super::model::Timestamps::Relative
        || model.board.columns().iter().any(|c| !c.ids.is_empty())
        || model.overlay.is_some()
        || model.hosts.shows_clock()
}

/// How long the loop may sleep before something on screen needs a fresh look without any
/// event: a held-back transcript line, a manifest to re-read, a status message to take down,
/// or a visible clock. `None` means sleep until an event arrives.
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
    consider(model.binder.next_check(now));
    consider(
        model
            .observer
            .next_change()
            .map(|t| t.signed_duration_since(now).to_std().unwrap_or_default()),
    );
    // A status message disappears when it expires, with no event to wake the loop.
    consider(model.shown_status(now).map(|s| {
        s.expires_at()
            .signed_duration_since(now)
            .to_std()
            .unwrap_or_default()
    }));
    let until_next_second = Duration::from_nanos(u64::from(
        1_000_000_000 - now.timestamp_subsec_nanos().min(999_999_999),
    ));
    if shows_relative_times(model) {
        // "now", "5s ago", elapsed times and ages move on: redraw on the next second.
        consider(Some(until_next_second));
    }
    next
}
