//! Tests of run summaries: prompt heads and their id words, and the display orders.
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
            (0i64..4, proptest::option::of(0i64..5), "[a-c/]{1,3}", "[0-9]{1,2}", 0i64..4),
            0..24,
        )
    ) {
        let mut list: Vec<RunSummary> = runs
            .into_iter()
            .map(|(state, done, repo, run, started)| {
                let mut m = Manifest::new(1, "/r", &repo, "p");
                m.created_at = chrono::DateTime::from_timestamp(1_600_000_000 + started, 0)
                    .unwrap()
                    .fixed_offset();
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
                    repo_key: repo.into(),
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

fn listed(run: &str, started: i64, state: State) -> RunSummary {
    let mut m = Manifest::new(run.parse().unwrap(), "/r", "repo", "p");
    m.state = state;
    m.created_at = chrono::DateTime::from_timestamp(1_600_000_000 + started, 0)
        .unwrap()
        .fixed_offset();
    m.updated_at = m.created_at;
    RunSummary {
        dir: PathBuf::from(format!("/x/repo/{run}")),
        repo_key: "repo".into(),
        run_key: run.into(),
        kind: RunKind::Agentpair(ManifestSummary::of(&m)),
        activity: None,
        peek: None,
        stamp: None,
    }
}

fn ids(runs: &[RunSummary]) -> Vec<&str> {
    runs.iter().map(|r| r.run_key.as_str()).collect()
}

#[test]
fn the_default_order_is_state_then_newest_start_then_id_as_a_number() {
    let mut runs = vec![
        listed("88", 5, State::Completed),
        listed("9", 5, State::Completed),
        listed("90", 5, State::Completed),
        listed("10", 5, State::Completed),
        listed("3", 1, State::Working),
        listed("4", 2, State::Working),
        listed("100", 9, State::Failed),
    ];
    sort_summaries(&mut runs);
    assert_eq!(ids(&runs), ["4", "3", "100", "9", "10", "88", "90"]);
    // Activity changes a row's ACTIVITY, not its place.
    let before = ids(&runs).join(",");
    let mut touched = runs.clone();
    let far = chrono::DateTime::from_timestamp(1_900_000_000, 0).unwrap();
    if let RunKind::Agentpair(m) = &mut touched[1].kind {
        m.updated_at = far.fixed_offset();
    }
    touched.sort_by(display_order);
    assert_eq!(ids(&touched).join(","), before);
    assert!(touched[1].last_activity() > touched[0].last_activity());
}

#[test]
fn every_order_compares_ids_as_numbers() {
    let runs: Vec<RunSummary> = ["10", "9", "100", "11"]
        .iter()
        .map(|id| listed(id, 7, State::Completed))
        .collect();
    for order in RunOrder::ALL {
        let mut sorted = runs.clone();
        sorted.sort_by(|a, b| order.compare(a, b));
        assert_eq!(ids(&sorted), ["9", "10", "11", "100"], "{order:?}");
    }
    assert_eq!(RunOrder::Id.next(), RunOrder::State);
    assert_eq!(RunOrder::parse("activity"), Some(RunOrder::Activity));
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
