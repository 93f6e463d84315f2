//! Linking runs and beads "where the data allows": a run whose prompt names a bead id (NTM's
//! default prompt is "Work on bead {ID}: …") belongs to that bead.

use crate::persist::run::{RunSummary, is_id_char};

/// True when the run's prompt names `bead_id`: in its head, or, for a cut prompt, among the id
/// words kept from the whole prompt (a word that is the id, or the id and a `.` suffix).
#[must_use]
pub fn run_mentions(run: &RunSummary, bead_id: &str) -> bool {
    if run
        .session()
        .is_some_and(|s| s.bead.as_deref() == Some(bead_id))
    {
        return true;
    }
    if !run.prompt_cut() {
        return mentions(run.prompt_head(), bead_id);
    }
    !bead_id.is_empty()
        && run.prompt_ids().iter().any(|w| {
            w.strip_prefix(bead_id)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
}

/// True when `text` contains `bead_id` as a whole token (not inside a longer id).
#[must_use]
pub fn mentions(text: &str, bead_id: &str) -> bool {
    if bead_id.is_empty() {
        return false;
    }
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

    #[test]
    fn a_cut_prompt_links_by_its_id_words_as_the_whole_text_would() {
        use crate::persist::run::{Manifest, ManifestSummary, RunKind};
        let pad = "word ".repeat(60);
        for (tail, id) in [
            ("Work on wa-1f6b.", "wa-1f6b"),
            ("Work on wa-1f6b.2 now", "wa-1f6b"),
            ("Work on wa-1f6bx", "wa-1f6b"),
            ("Work on xwa-1f6b", "wa-1f6b"),
            ("Work on bd-7", "bd-7"),
            ("Work on bd-77", "bd-7"),
        ] {
            let prompt = format!("{pad}{tail}");
            let summary = RunSummary {
                dir: "/r/a/1".into(),
                repo_key: "a".into(),
                run_key: "1".into(),
                kind: RunKind::Agentpair(ManifestSummary::of(&Manifest::new(
                    1, "/r", "a", &prompt,
                ))),
                activity: None,
                peek: None,
                stamp: None,
            };
            assert!(summary.prompt_cut());
            assert_eq!(
                run_mentions(&summary, id),
                mentions(&prompt, id),
                "{tail} / {id}"
            );
        }
    }
}
