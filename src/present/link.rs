//! Linking runs and beads "where the data allows": a run whose prompt names a bead id (NTM's
//! default prompt is "Work on bead {ID}: …") belongs to that bead.

/// True when `text` contains `bead_id` as a whole token (not inside a longer id).
#[must_use]
pub fn mentions(text: &str, bead_id: &str) -> bool {
    if bead_id.is_empty() {
        return false;
    }
    let is_id_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.';
    text.match_indices(bead_id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + bead_id.len()..].chars().next();
        !before.is_some_and(is_id_char) && !after.is_some_and(|c| is_id_char(c) && c != '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_ids_only() {
        assert!(mentions("Work on bead wa-1f6b: Add CSV export.", "wa-1f6b"));
        assert!(!mentions("Work on bead wa-1f6bx", "wa-1f6b"));
        assert!(!mentions("xwa-1f6b", "wa-1f6b"));
        assert!(!mentions("anything", ""));
    }
}
