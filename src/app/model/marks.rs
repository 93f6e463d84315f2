//! Marks. `Space` marks the selected card on the board (a move then applies to every marked
//! card) or the selected run (for batch actions to come); Esc clears them, and a move clears
//! the board's once it has started.

use super::{BoardPane, CardKey, RunsPane};

impl BoardPane {
    /// Marks the selected card, or unmarks it; returns its key and whether it is marked now
    /// (`None`: no card is selected, or a ready bead, which is assigned one at a time).
    pub fn toggle_mark(&mut self) -> Option<(CardKey, bool)> {
        let (key, _) = self.selected_entry()?;
        let key = key.clone();
        let marked = if self.marked.remove(&key) {
            false
        } else {
            self.marked.insert(key.clone());
            true
        };
        Some((key, marked))
    }

    /// Whether `key` is marked.
    #[must_use]
    pub fn is_marked(&self, key: &CardKey) -> bool {
        self.marked.contains(key)
    }

    /// The cards a move applies to: the marked ones, else the selected one.
    #[must_use]
    pub fn move_targets(&self) -> Vec<CardKey> {
        if self.marked.is_empty() {
            self.selected_entry()
                .map(|(k, _)| vec![k.clone()])
                .unwrap_or_default()
        } else {
            self.marked.iter().cloned().collect()
        }
    }
}

impl RunsPane {
    /// Marks the selected run, or unmarks it; returns whether it is marked now (`None`: no run
    /// is selected).
    pub fn toggle_mark(&mut self) -> Option<bool> {
        let dir = self.selected()?.dir.clone();
        Some(if self.marked.remove(&dir) {
            false
        } else {
            self.marked.insert(dir);
            true
        })
    }

    /// Whether the run in `dir` is marked.
    #[must_use]
    pub fn is_marked(&self, dir: &std::path::Path) -> bool {
        self.marked.contains(dir)
    }
}
