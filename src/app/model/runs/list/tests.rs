//! The list kept in step one run at a time says exactly what sorting and filtering every run
//! again would: random adds, changes, removals, filters, toggles and orders (every
//! [`RunOrder`]), checked against that.

use super::*;
use crate::persist::run::{Manifest, RunRecord, State, ToSummary};
use chrono::{DateTime, Utc};
use proptest::prelude::*;

/// Run `n` of repo `r % 3`, in `state`, last active `minute` minutes into the day.
fn summary(n: usize, state: &State, minute: i64) -> RunSummary {
    let at: DateTime<Utc> = "2026-03-30T00:00:00Z".parse().unwrap();
    let at = (at + chrono::Duration::minutes(minute)).fixed_offset();
    let repo = ["api", "web", "cli"][n % 3];
    let id = i64::try_from(n).unwrap();
    let mut manifest = Manifest::new(id, &format!("/src/{repo}"), repo, &format!("task {n}"));
    manifest.state = state.clone();
    manifest.created_at = at;
    manifest.updated_at = at;
    manifest.completed_at = state.is_terminal().then_some(at);
    RunRecord {
        dir: PathBuf::from(format!("/ap/runs/{repo}/{n}")),
        repo_key: repo.to_owned(),
        run_key: n.to_string(),
        manifest,
        activity: Activity::default(),
        peek: None,
    }
    .to_summary()
    .into_owned()
}

#[derive(Debug, Clone)]
enum Op {
    Upsert(usize, usize, i64),
    Touch(usize, i64),
    Remove(usize),
    Append(Vec<(usize, usize, i64)>),
    Filter(usize),
    ActiveOnly(bool),
    Order(usize),
}

const STATES: [State; 4] = [
    State::Working,
    State::Reviewing,
    State::Completed,
    State::Failed,
];
const FILTERS: [&str; 4] = ["", "api", "#1", "task 2"];

fn op() -> impl Strategy<Value = Op> {
    let run = || (0..40usize, 0..STATES.len(), 0..300i64);
    prop_oneof![
        4 => run().prop_map(|(n, s, m)| Op::Upsert(n, s, m)),
        3 => (0..40usize, 0..300i64).prop_map(|(n, m)| Op::Touch(n, m)),
        1 => (0..40usize).prop_map(Op::Remove),
        1 => proptest::collection::vec(run(), 0..8).prop_map(Op::Append),
        1 => (0..FILTERS.len()).prop_map(Op::Filter),
        1 => any::<bool>().prop_map(Op::ActiveOnly),
        1 => (0..RunOrder::ALL.len()).prop_map(Op::Order),
    ]
}

/// What the list should say, worked out from scratch.
fn check(list: &RunList) {
    let mut all: Vec<&RunSummary> = list.entries.values().map(|e| &*e.run).collect();
    assert_eq!(list.order(), list.order);
    all.sort_by(|a, b| list.order.compare(a, b).then_with(|| a.dir.cmp(&b.dir)));
    let dirs = |runs: Vec<&RunSummary>| runs.iter().map(|r| r.dir.clone()).collect::<Vec<_>>();
    assert_eq!(dirs(list.all().collect()), dirs(all.clone()));
    let shown: Vec<&RunSummary> = all
        .iter()
        .copied()
        .filter(|r| naming::filter(r, &list.filter).is_some())
        .filter(|r| !(list.active_only && r.is_complete()))
        .collect();
    assert_eq!(dirs(list.shown().collect()), dirs(shown.clone()));
    for (i, r) in shown.iter().enumerate() {
        assert_eq!(list.shown_position(&r.dir), Some(i));
        assert_eq!(list.shown_at(i).map(|s| &s.dir), Some(&r.dir));
    }
    let widest = shown.iter().map(|r| text::width(&naming::name(*r))).max();
    assert_eq!(list.longest_name(), widest.unwrap_or(0));
    let active: Vec<&RunSummary> = all.iter().copied().filter(|r| !r.is_complete()).collect();
    assert_eq!(dirs(list.active().collect()), dirs(active));
    let mut finished = StateCounts::default();
    for r in all.iter().filter(|r| r.is_complete()) {
        finished.count(r, true);
    }
    assert_eq!(list.finished(), &finished);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn kept_in_step_it_says_what_sorting_everything_again_would(
        first in 0..RunOrder::ALL.len(),
        ops in proptest::collection::vec(op(), 1..60)
    ) {
        let mut list = RunList::default();
        list.set_order(RunOrder::ALL[first]);
        for op in ops {
            match op {
                Op::Upsert(n, s, m) => list.upsert(summary(n, &STATES[s], m)),
                Op::Touch(n, m) => {
                    let dir = summary(n, &State::Working, 0).dir;
                    let activity = Activity {
                        transcript_modified: Some(
                            std::time::UNIX_EPOCH
                                + std::time::Duration::from_secs(1_774_828_800 + 60 * m.unsigned_abs()),
                        ),
                        ..Activity::default()
                    };
                    list.touch(&dir, activity, None);
                }
                Op::Remove(n) => list.remove(&summary(n, &State::Working, 0).dir),
                Op::Append(runs) => {
                    let runs = runs
                        .into_iter()
                        .map(|(n, s, m)| Arc::new(summary(n, &STATES[s], m)))
                        .collect();
                    list.append(runs);
                }
                Op::Filter(f) => list.set_filter(FILTERS[f].to_owned()),
                Op::ActiveOnly(on) => list.set_active_only(on),
                Op::Order(o) => list.set_order(RunOrder::ALL[o]),
            }
            check(&list);
        }
    }
}
