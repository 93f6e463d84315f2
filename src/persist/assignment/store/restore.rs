//! Putting a removed record back exactly as it was (the dashboard's undo of a remove): under
//! the lock, only if the bead has no record again meanwhile, logged to the history as
//! `restore`. Not an upstream method; the file stays one upstream reads as written.

use super::AssignmentStore;
use super::change::history_record;
use crate::persist::assignment::{Assignment, StoreError};

impl AssignmentStore {
    /// Puts `record` back under its bead id, as it was when it was removed.
    ///
    /// # Errors
    /// [`StoreError::Occupied`] when the bead has a record again; read-only, lock and I/O errors.
    pub fn restore(&mut self, record: &Assignment) -> Result<Assignment, StoreError> {
        let path = self.path().to_path_buf();
        self.change(None, |doc, now| {
            if let Some(there) = doc.assignments.get(&record.bead_id) {
                return Err(StoreError::Occupied {
                    path: path.clone(),
                    bead_id: record.bead_id.clone(),
                    status: there.status.to_string(),
                });
            }
            doc.assignments
                .insert(record.bead_id.clone(), record.clone());
            let log = vec![history_record(
                "restore",
                &record.bead_id,
                None,
                Some(record),
                "",
                now,
            )];
            Ok((record.clone(), log))
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::persist::assignment::{AssignmentStore, StoreError};

    #[test]
    fn a_removed_record_comes_back_byte_for_byte_unless_the_bead_is_taken_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AssignmentStore::new(dir.path(), "s").unwrap();
        store.assign("b-1", "One", 2, "claude", "n", "go").unwrap();
        store.mark_working("b-1").unwrap();
        let before = std::fs::read(store.path()).unwrap();
        let removed = store.remove("b-1").unwrap().unwrap();
        let back = store.restore(&removed).unwrap();
        assert_eq!(back, removed);
        let reread = AssignmentStore::load_store(dir.path(), "s").unwrap();
        assert_eq!(reread.get("b-1"), Some(&removed));
        let after = std::fs::read(store.path()).unwrap();
        let strip = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| !l.contains("\"updated_at\""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&after), strip(&before), "only updated_at differs");
        store.remove("b-1").unwrap();
        store.assign("b-1", "One", 5, "codex", "", "").unwrap();
        let taken = store.restore(&removed).unwrap_err();
        assert!(matches!(taken, StoreError::Occupied { .. }), "{taken}");
        assert_eq!(store.get("b-1").unwrap().pane, 5, "nothing was overwritten");
    }
}
