//! `A`: acknowledging everything that needs attention and is shown under the current filter
//! (the Runs list as filtered, or the board's cards), after `y`/`n`; and keeping
//! acknowledgements across restarts in the cache directory: read back at start, taken when
//! their item is seen in the very situation acknowledged, and the rest forgotten once every
//! run, session and store has been read, so the file only holds what still applies.

use super::{Confirm, Model, Overlay, Pane, Pending, StatusKind};
use crate::app::effect::Effect;
use crate::events::Item;
use crate::persist::acks::Acknowledgement;
use crate::present::sanitize;
use chrono::{DateTime, Utc};

/// Names listed in the question before `… and N more`.
const LISTED: usize = 5;

/// Where the acknowledgements kept across restarts stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// Not kept (no cache directory).
    Off,
    /// Being read back.
    Reading,
    /// Read back; some may wait for their item to be seen.
    Restored,
    /// Everything was read once: what was not seen is forgotten.
    Settled,
}

impl Model {
    /// The items shown in the focused pane under its filter that need attention and were not
    /// acknowledged, in screen order.
    #[must_use]
    pub fn shown_needing_attention(&self) -> Vec<Item> {
        let counts = |item: &Item| self.observer.standing(item).is_some_and(|s| s.counts());
        match self.focus {
            Pane::Runs | Pane::Transcript => self
                .runs
                .visible()
                .map(|r| Item::Run(r.dir.clone()))
                .filter(counts)
                .collect(),
            Pane::Board => self
                .board
                .columns()
                .iter()
                .flat_map(|c| c.ids)
                .filter(|k| !k.is_ready())
                .map(crate::app::model::CardKey::item)
                .filter(counts)
                .collect(),
        }
    }

    /// `A`: asks whether to acknowledge every item shown that needs attention.
    pub fn ask_acknowledge(&mut self) {
        let items = self.shown_needing_attention();
        let Some(first) = items.first() else {
            let text = if self.observer.attention_count() > 0 {
                "nothing shown here needs attention (i goes to what does)"
            } else {
                "nothing needs attention"
            };
            self.say(StatusKind::Info, text);
            return;
        };
        let title = match items.len() {
            1 => format!("Acknowledge {}?", self.item_name(first)),
            n => format!("Acknowledge these {n}?"),
        };
        let lines = self.acknowledge_lines(&items, self.clock);
        self.overlay = Some(Overlay::Confirm(Confirm {
            title,
            lines,
            pending: Pending::Acknowledge(items),
        }));
    }

    fn item_name(&self, item: &Item) -> String {
        self.observer
            .standing(item)
            .map(|s| sanitize::one_line(&s.name))
            .unwrap_or_default()
    }

    /// What `A`'s question says of `items` as drawn at `now`: each one's reason worked out
    /// again, so a duration in it is never the one from when `A` was pressed.
    #[must_use]
    pub fn acknowledge_lines(&self, items: &[Item], now: DateTime<Utc>) -> Vec<String> {
        let filter = match self.focus {
            Pane::Runs | Pane::Transcript => self.runs.filter().to_owned(),
            Pane::Board => self.board.filter.clone(),
        };
        let mut lines: Vec<String> = items
            .iter()
            .take(LISTED)
            .map(|i| {
                let why = self.reason_at(i, now).unwrap_or_default();
                format!("⚑ {}: {}", self.item_name(i), sanitize::one_line(&why))
            })
            .collect();
        if items.len() > LISTED {
            lines.push(format!("… and {} more", items.len() - LISTED));
        }
        if !filter.is_empty() {
            lines.push(format!(
                "(what the filter /{} shows)",
                sanitize::one_line(&filter)
            ));
        }
        lines.push("Each counts again when its situation changes.".to_owned());
        lines
    }

    /// Acknowledges `items` (each in its situation now) and keeps the acknowledgements.
    pub fn acknowledge(&mut self, items: &[Item]) {
        let done = items
            .iter()
            .filter(|i| self.observer.acknowledge(i))
            .count();
        let left = self.observer.attention_count();
        let text = format!("acknowledged {done}; {left} still need attention");
        self.say(StatusKind::Success, text);
        self.save_acknowledgements();
    }

    /// Asks for the acknowledgements to be written to the cache directory.
    pub fn save_acknowledgements(&mut self) {
        let (Some(dir), false) = (self.settings.cache_dir.clone(), self.acks == Acks::Off) else {
            return;
        };
        let items: Vec<Acknowledgement> = self
            .observer
            .acknowledgements()
            .into_iter()
            .map(|(item, key)| Acknowledgement {
                item: (&item).into(),
                key,
            })
            .collect();
        self.outbox.push(Effect::SaveAcks { dir, items });
    }

    /// Takes the acknowledgements read back from the cache directory.
    pub fn restore_acknowledgements(&mut self, read: Result<Vec<Acknowledgement>, String>) {
        match read {
            Ok(items) => {
                self.observer
                    .restore_acknowledged(items.into_iter().map(|a| (a.item.into(), a.key)));
            }
            Err(why) => self.say(
                StatusKind::Warning,
                format!("acknowledgements not restored: {why}"),
            ),
        }
        self.acks = Acks::Restored;
        self.settle_acknowledgements();
    }

    /// Once every run, agent session and store has been read, forgets the acknowledgements
    /// read back whose item was not seen, and writes what is left.
    pub fn settle_acknowledgements(&mut self) {
        let everything_read = !self.runs.loading
            && self.runs.progress.is_none()
            && self.runs.agent_reports().is_some()
            && self.sessions_observed;
        if self.acks == Acks::Restored && everything_read {
            self.acks = Acks::Settled;
            // Written once now: what was not seen, or was seen in another situation, is gone.
            self.observer.forget_unseen_acknowledgements();
            self.save_acknowledgements();
        }
    }
}
