//! Tests of run summaries: prompt heads and their id words, and the display order.
use super::*;

#[test]
fn keeps_the_head_of_a_long_prompt_on_a_char_boundary() {
    let mut m = Manifest::new(1, "/r", "id", &"é".repeat(PROMPT_HEAD + 5));
    let s = ManifestSummary::of(&m);
    assert!(s.prompt_cut);
    assert_eq!(s.prompt_head.chars().count(), PROMPT_HEAD);
    m.prompt = "short".into();
    let s = ManifestSummary::of(&m);
    assert!(!s.prompt_cut);
    assert_eq!(s.prompt_head, "short");
    assert!(s.prompt_ids.is_empty());
}

proptest::proptest! {
    #[test]
    fn sorting_in_place_is_the_display_key_order(
        runs in proptest::collection::vec(
            (0i64..4, proptest::option::of(0i64..5), "[a-c/]{1,3}", "[0-9]{1,2}"),
            0..24,
        )
    ) {
        let mut list: Vec<RunSummary> = runs
            .into_iter()
            .map(|(state, done, repo, run)| {
                let mut m = Manifest::new(1, "/r", &repo, "p");
                m.state = [State::Working, State::Completed, State::Failed, State::Reviewing]
                    [usize::try_from(state).unwrap()]
                .clone();
                m.updated_at = chrono::DateTime::from_timestamp(1_700_000_000 + state * 7, 0)
                    .unwrap()
                    .fixed_offset();
                m.completed_at = done.map(|d| {
                    chrono::DateTime::from_timestamp(1_700_000_000 + d, 0)
                        .unwrap()
                        .fixed_offset()
                });
                RunSummary {
                    dir: PathBuf::from(format!("/x/{repo}/{run}")),
                    repo_key: repo,
                    run_key: run,
                    kind: RunKind::Agentpair(ManifestSummary::of(&m)),
                    activity: None,
                    peek: None,
                    stamp: None,
                }
            })
            .collect();
        let mut by_key = list.clone();
        by_key.sort_by_cached_key(RunSummary::display_key);
        sort_summaries(&mut list);
        let keys = |l: &[RunSummary]| l.iter().map(RunSummary::display_key).collect::<Vec<_>>();
        proptest::prop_assert_eq!(keys(&list), keys(&by_key));
    }
}

#[test]
fn a_cut_prompt_keeps_its_id_words() {
    let long = format!(
        "{} see bd-12 and (wa-1f6b.) twice: wa-1f6b. plain",
        "x ".repeat(200)
    );
    let m = Manifest::new(1, "/r", "id", &long);
    let s = ManifestSummary::of(&m);
    assert!(s.prompt_cut);
    assert_eq!(s.prompt_ids, ["bd-12", "wa-1f6b."]);
}
