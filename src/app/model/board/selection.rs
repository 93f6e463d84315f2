//! The selected card, kept by its [`CardKey`]: it follows a card a transition moves to another
//! column, moves by row and by column, and falls back to the nearest card when its own goes.

use super::{BoardPane, CardKey};
use crate::persist::assignment::Assignment;

impl BoardPane {
    /// The selected card or ready bead's key.
    #[must_use]
    pub fn selected_key(&self) -> Option<&CardKey> {
        self.selected.as_ref()
    }

    /// The selected card (not a ready bead), with its key.
    #[must_use]
    pub fn selected_entry(&self) -> Option<(&CardKey, &Assignment)> {
        let key = self.selected.as_ref().filter(|k| !k.is_ready())?;
        let card = self.card(key).filter(|a| self.matches(&key.session, a))?;
        Some((key, card))
    }

    /// The selected card.
    #[must_use]
    pub fn selected_card(&self) -> Option<&Assignment> {
        self.selected_entry().map(|(_, card)| card)
    }

    /// The selected card's row within its column.
    #[must_use]
    pub fn selected_row(&self) -> Option<usize> {
        let key = self.selected.as_ref()?;
        self.columns()
            .get(self.column)?
            .ids
            .iter()
            .position(|k| k == key)
    }

    /// Selects `key` wherever it is (after a transition moved it), else keeps the column.
    pub fn follow(&mut self, key: CardKey) {
        self.selected = Some(key);
        self.fix_selection();
    }

    /// Selects `bead`: the open session's card, else the ready bead, else the card of the
    /// first merged session that has it (after a transition moved it, or to show it).
    pub fn follow_bead(&mut self, bead: &str) {
        let key = match (&self.merged, &self.session) {
            (None, Some(session))
                if self.ready_bead(bead).is_none()
                    || self.card(&CardKey::new(session, bead)).is_some() =>
            {
                CardKey::new(session, bead)
            }
            (Some(merged), _) if self.ready_bead(bead).is_none() => merged
                .stores
                .iter()
                .find(|(_, store)| store.get(bead).is_some())
                .map_or_else(|| CardKey::ready(bead), |(s, _)| CardKey::new(s, bead)),
            _ => CardKey::ready(bead),
        };
        self.follow(key);
    }

    /// Makes the selection valid: the selected card's column, or the nearest card.
    pub fn fix_selection(&mut self) {
        self.rebuild();
        let (found, count, nearest) = {
            let columns = self.columns();
            let found = self
                .selected
                .as_ref()
                .and_then(|key| columns.iter().position(|col| col.ids.contains(key)));
            let count = columns.len();
            let column = self.column.min(count.saturating_sub(1));
            // The selected column's first card; if it has none, the nearest column's that has.
            let nearest = (0..count)
                .flat_map(|d| [column.checked_sub(d), Some(column + d)])
                .flatten()
                .filter(|&c| c < count)
                .find_map(|c| columns[c].ids.first().map(|key| (c, key.clone())));
            (found, count, nearest)
        };
        if count == 0 {
            return;
        }
        match (found, nearest) {
            (Some(c), _) => self.column = c,
            (None, Some((c, key))) => {
                self.column = c;
                self.selected = Some(key);
            }
            (None, None) => {
                self.column = self.column.min(count - 1);
                self.selected = None;
            }
        }
    }

    /// Moves the selection within the column.
    pub fn move_row(&mut self, delta: isize) {
        let row = self
            .selected_row()
            .unwrap_or(0)
            .saturating_add_signed(delta);
        self.select_row(row);
    }

    /// Selects row `row` of the current column (clamped).
    pub fn select_row(&mut self, row: usize) {
        let pick = self
            .columns()
            .get(self.column)
            .and_then(|c| c.ids.get(row.min(c.ids.len().saturating_sub(1))).cloned());
        if pick.is_some() {
            self.selected = pick;
        }
    }

    /// Scrolls the columns as little as needed for the selected one to be among the `shown`
    /// in view.
    pub fn scroll_columns(&mut self, shown: usize) {
        let count = self.columns().len();
        self.first_column =
            crate::present::scroll::window_start(self.first_column, self.column, shown, count);
    }

    /// Selects the column `delta` away (clamped), keeping the row where possible.
    pub fn move_column(&mut self, delta: isize) {
        let row = self.selected_row().unwrap_or(0);
        let count = self.columns().len();
        self.column = self
            .column
            .saturating_add_signed(delta)
            .min(count.saturating_sub(1));
        self.selected = None;
        let pick = self
            .columns()
            .get(self.column)
            .and_then(|c| c.ids.get(row.min(c.ids.len().saturating_sub(1))).cloned());
        self.selected = pick;
    }
}
