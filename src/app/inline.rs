//! The workers' code without the threads: effects run right here, their outcomes fed back
//! through `update` until no work is left. For tests and headless use, never for the event loop
//! (which hands effects to the workers and waits on nothing but its channel).

use super::effect::Effect;
use super::event::Msg;
use super::model::Model;
use super::work::{self, Sink};
use super::{action, update};
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

/// Runs `effects` right here, on this thread, feeding every outcome back through `update`
/// until no work is left: the workers' code, without the threads. For tests and headless use,
/// never for the event loop.
pub fn settle(model: &mut Model, effects: Vec<Effect>, now: DateTime<Utc>) {
    let queue: Arc<Mutex<VecDeque<Msg>>> = Arc::default();
    let sink = {
        let queue = Arc::clone(&queue);
        Sink::new(move |msg| {
            queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push_back(msg);
        })
    };
    let mut pending: VecDeque<Effect> = effects.into();
    // A bound on rounds, in case replies kept asking for more forever (they do not).
    for _ in 0..10_000 {
        while let Some(effect) = pending.pop_front() {
            work::execute(effect, &sink);
        }
        let messages: Vec<Msg> = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
            .collect();
        if messages.is_empty() {
            return;
        }
        for msg in messages {
            pending.extend(update::update(model, msg, now));
        }
    }
}

/// Does, right here, whatever work the model has asked for since its last update (see
/// [`settle`]): for tests that call model methods directly.
pub fn settle_pending(model: &mut Model, now: DateTime<Utc>) {
    let effects = model.take_effects();
    settle(model, effects, now);
}

/// One action through `update::apply`, with the work it asks for done at once (see
/// [`settle`]).
pub fn act(model: &mut Model, action: action::Action, now: DateTime<Utc>) {
    update::apply(model, action, now);
    let effects = model.take_effects();
    settle(model, effects, now);
}

/// One message through `update`, with the work it asks for done at once (see [`settle`]).
pub fn step(model: &mut Model, msg: Msg, now: DateTime<Utc>) {
    let effects = update::update(model, msg, now);
    settle(model, effects, now);
}
