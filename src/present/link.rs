//! Linking runs and beads "where the data allows": a run whose prompt names a bead id (NTM's
//! default prompt is "Work on bead {ID}: …") belongs to that bead.

use crate::persist::run::{RunSummary, is_id_char};
use std::collections::HashSet;

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

/// The ids of `beads` that the run's prompt names, each as [`run_mentions`] tells it, found
/// by the prompt's words (a run costs one pass over its prompt, however many beads there are).
#[must_use]
pub fn named_beads<'b>(run: &RunSummary, beads: &HashSet<&'b str>) -> Vec<&'b str> {
    let mut out: Vec<&'b str> = Vec::new();
    let mut consider = |candidate: &str| {
        if let Some(&id) = beads.get(candidate)
            && !out.contains(&id)
            && run_mentions(run, id)
        {
            out.push(id);
        }
    };
    if let Some(bead) = run.session().and_then(|s| s.bead.as_deref()) {
        consider(bead);
    }
    // A bead id named in a prompt is a word of it (a run of id characters), or the start of
    // one that goes on with a `.` (`wa-1f6b.2`).
    let mut words = |word: &str| {
        for (end, _) in word
            .match_indices('.')
            .chain(std::iter::once((word.len(), "")))
        {
            consider(&word[..end]);
        }
    };
    if run.prompt_cut() {
        run.prompt_ids().iter().for_each(|w| words(w));
    } else {
        run.prompt_head()
            .split(|c: char| !is_id_char(c))
            .for_each(&mut words);
    }
    // An id that is not one word cannot be found by words: asked about as it is.
    for &id in beads {
        if !id.chars().all(is_id_char) && !out.contains(&id) && run_mentions(run, id) {
            out.push(id);
        }
    }
    out
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

    fn agentpair_run(prompt: &str) -> RunSummary {
        use crate::persist::run::{Manifest, ManifestSummary, RunKind};
        RunSummary {
            dir: "/r/a/1".into(),
            repo_key: "a".into(),
            run_key: "1".into(),
            kind: RunKind::Agentpair(ManifestSummary::of(&Manifest::new(1, "/r", "a", prompt))),
            activity: None,
            peek: None,
            stamp: None,
        }
    }

    #[test]
    fn the_beads_a_prompt_names_are_those_it_mentions_one_by_one() {
        let ids = [
            "wa-1f6b",
            "wa-1f6",
            "bd-7",
            "bd-77",
            "wa-1f6b.2",
            "x y",
            "a.b",
            "",
            "Work",
        ];
        let pad = "word ".repeat(60);
        for prompt in [
            "Work on bead wa-1f6b: Add CSV export.",
            "Work on wa-1f6b.2 now, then bd-7.",
            "(bd-77) and xwa-1f6b and wa-1f6bx",
            "ids: x y and a.b.c",
            "",
            &format!("{pad}Work on wa-1f6b.2 and bd-77"),
            &format!("{pad}Work on bd-7, x y"),
        ] {
            let run = agentpair_run(prompt);
            let beads: HashSet<&str> = ids.iter().copied().collect();
            let mut named = named_beads(&run, &beads);
            named.sort_unstable();
            let mut one_by_one: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| run_mentions(&run, id))
                .collect();
            one_by_one.sort_unstable();
            assert_eq!(named, one_by_one, "{prompt}");
        }
        let run = agentpair_run("Work on bead wa-1f6b.2 and bd-7");
        let mut named = named_beads(&run, &ids.iter().copied().collect());
        named.sort_unstable();
        assert_eq!(named, ["Work", "bd-7", "wa-1f6b", "wa-1f6b.2"]);
    }

    #[test]
    fn a_cut_prompt_links_by_its_id_words_as_the_whole_text_would() {
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
            let summary = agentpair_run(&prompt);
            assert!(summary.prompt_cut());
            assert_eq!(
                run_mentions(&summary, id),
                mentions(&prompt, id),
                "{tail} / {id}"
            );
        }
    }
}
