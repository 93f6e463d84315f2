//! The list kept in step one run at a time says exactly what sorting and filtering every run
//! again would: random adds, changes, removals, filters, toggles and orders (every
//! [`RunOrder`]), checked against that; and the newest run naming the bead followed is the one
//! a look through every run finds.

use super::*;
use crate::persist::run::{Manifest, RunRecord, State, ToSummary};
use chrono::{DateTime, Utc};
use proptest::prelude::*;

/// Run `n` of repo `r % 3`, in `state`, last active `minute` minutes into the day, its prompt
/// naming bead `n % 8` (`task 5`).
fn summary(n: usize, state: &State, minute: i64) -> RunSummary {
    let at: DateTime<Utc> = "2026-03-30T00:00:00Z".parse().unwrap();
    let at = (at + chrono::Duration::minutes(minute)).fixed_offset();
    let repo = ["api", "web", "cli"][n % 3];
    let id = i64::try_from(n).unwrap();
    let mut manifest = Manifest::new(
        id,
        &format!("/src/{repo}"),
        repo,
        &format!("task {}", n % 8),
    );
    manifest.state = state.clone();
    manifest.created_at = at;
    manifest.updated_at = at;
    manifest.completed_at = state.is_terminal().then_some(at);
    RunRecord {
        dir: PathBuf::from(format!("/ap/runs/{repo}/{n}")),
        repo_key: repo.into(),
        run_key: n.to_string(),
        manifest,
        activity: Activity::default(),
        peek: None,
    }
    .to_summary()
    .into_owned()
}

/// The moment sessions are decided at: 150 minutes into the day.
fn decided_at() -> DateTime<Utc> {
    "2026-03-30T02:30:00Z".parse().unwrap()
}

/// Agent session `n`, its last record `minute` minutes into the day, its process unknown,
/// alive or gone (`alive` 0, 1, 2), decided at [`decided_at`] with an hour as the quiet
/// threshold (so one quiet since before minute 90 is finished).
fn session(n: usize, minute: i64, alive: usize) -> RunSummary {
    use crate::persist::run::{RunKind, SessionRun};
    use crate::persist::session::{Agent, SessionSource, Summarizer};
    let dir = PathBuf::from(format!("/s/{n}.jsonl"));
    let mut summary =
        Summarizer::new(Agent::Claude, SessionSource::Lines(dir.clone())).into_summary();
    summary.id = format!("{n:08}-0000-4000-8000-000000000000");
    summary.cwd = "/src/api".to_owned();
    let at: DateTime<Utc> = "2026-03-30T00:00:00Z".parse().unwrap();
    summary.last_entry_at = Some(at + chrono::Duration::minutes(minute));
    let mut run = SessionRun::new(
        summary,
        None,
        std::time::Duration::from_secs(3600),
        decided_at(),
    );
    run.alive = [None, Some(true), Some(false)][alive];
    run.decide(decided_at());
    RunSummary {
        dir,
        repo_key: Default::default(),
        run_key: n.to_string(),
        kind: RunKind::Session(Box::new(run)),
        activity: None,
        peek: None,
        stamp: None,
    }
}

#[derive(Debug, Clone)]
enum Op {
    Session(usize, i64, usize),
    /// The restless sessions decided again this many minutes after [`decided_at`].
    Redecide(i64),
    Upsert(usize, usize, i64),
    Touch(usize, i64),
    Remove(usize),
    Append(Vec<(usize, usize, i64)>),
    Filter(usize),
    ActiveOnly(bool),
    Order(usize),
    /// Follow the newest run naming bead `k` (`None`: none).
    Follow(Option<usize>),
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
        3 => (0..20usize, 0..150i64, 0..3usize).prop_map(|(n, m, a)| Op::Session(n, m, a)),
        1 => (0..120i64).prop_map(Op::Redecide),
        1 => proptest::option::of(0..9usize).prop_map(Op::Follow),
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
        // The draw's walk from its first row.
        let mut from = list.shown().skip(i);
        assert_eq!(from.len(), shown.len() - i);
        assert_eq!(from.next().map(|s| &s.dir), Some(&r.dir));
    }
    let widest = shown.iter().map(|r| text::width(&naming::name(*r))).max();
    assert_eq!(list.longest_name(), widest.unwrap_or(0));
    let active: Vec<&RunSummary> = all.iter().copied().filter(|r| !r.is_complete()).collect();
    assert_eq!(dirs(list.active().collect()), dirs(active));
    if let Some(f) = &list.follow {
        let walked = list.newest_naming_walked(&f.bead).map(|r| r.dir.clone());
        let kept = list
            .newest_naming(&f.bead)
            .map(|n| n.map(|r| r.dir.clone()));
        assert_eq!(kept, Some(walked), "the newest run naming {}", f.bead);
    }
    let mut finished = StateCounts::default();
    for r in all.iter().filter(|r| r.is_complete()) {
        finished.count(r, true);
    }
    assert_eq!(list.finished(), &finished);
    let mut unfinished = StateCounts::default();
    for r in all.iter().filter(|r| !r.is_complete()) {
        unfinished.count(r, true);
    }
    assert_eq!(list.unfinished_counts(), &unfinished);
    // The stale runs, found from the quietest without looking at every active run.
    let threshold = std::time::Duration::from_secs(10 * 60);
    for minutes in [0, 5, 30, 90, 200] {
        let now = decided_at() + chrono::Duration::minutes(minutes);
        let stale = all.iter().filter(|r| r.is_stale(now, threshold)).count();
        assert_eq!(list.stale(now, threshold), stale, "at +{minutes} min");
    }
    // The restless sessions: those the clock or a process can still change, and only those.
    let restless = |r: &RunSummary| {
        r.session()
            .is_some_and(|s| s.alive.is_some() || s.changes_at().is_some())
    };
    let mut expected = dirs(all.iter().copied().filter(|r| restless(r)).collect());
    let mut got = dirs(list.restless().collect());
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    // The next change with the clock, and whether any process is live, kept in step.
    let due = all
        .iter()
        .filter_map(|r| r.session().and_then(|s| s.changes_at()))
        .min();
    assert_eq!(list.next_due(), due);
    let alive = all
        .iter()
        .any(|r| r.session().is_some_and(|s| s.alive == Some(true)));
    assert_eq!(list.any_alive(), alive);
    for r in list.restless() {
        let s = r.session().unwrap();
        assert!(
            !(r.is_complete() && s.alive.is_none()),
            "a finished session with no process is settled: {}",
            r.dir.display()
        );
    }
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
                Op::Follow(k) => list.follow_bead(k.map(|k| k.to_string()).as_deref()),
                Op::Session(n, m, a) => list.upsert(session(n, m, a)),
                Op::Redecide(m) => {
                    let at = decided_at() + chrono::Duration::minutes(m);
                    let due = list
                        .all()
                        .filter(|r| r.session().and_then(|s| s.changes_at()).is_some_and(|t| t <= at))
                        .count();
                    let changed = list.update_due(at, |r| {
                        if let crate::persist::run::RunKind::Session(s) = &mut r.kind {
                            s.decide(at);
                        }
                    });
                    assert_eq!(changed, due, "every session due, and only those");
                }
            }
            check(&list);
        }
    }
}

/// The list's map and sets hold each run's directory through the run itself, never a copy of
/// the path, and never an older summary of a run than the one listed (a map keeps its old key
/// on insert: an upsert or a second listing of the same run must not keep the old one alive).
#[test]
fn the_list_keeps_no_copy_of_a_directory_and_no_stale_run() {
    let mut list = RunList::default();
    list.append(
        (0..30)
            .map(|n| Arc::new(summary(n, &State::Completed, 5)))
            .collect(),
    );
    list.replace_sessions((0..10).map(|n| Arc::new(session(n, 140, 1))).collect());
    // The same runs again, changed: their new summaries replace the old ones everywhere.
    list.upsert(summary(3, &State::Working, 100));
    list.replace_sessions((0..10).map(|n| Arc::new(session(n, 145, 1))).collect());
    // Run 4 is kept as unreadable and read again in the same rescan: the rescan's copy wins.
    let four = summary(4, &State::Failed, 7).dir;
    list.replace(
        (0..30)
            .map(|n| Arc::new(summary(n, &State::Failed, 7)))
            .collect(),
        |dir| dir == four,
    );
    assert_eq!(list.len(), 40);
    let same = |key: &DirKey| {
        let listed = list.get(&key.0.dir).expect("every key is listed");
        assert!(
            Arc::ptr_eq(&key.0, listed),
            "{:?} keyed by a stale run",
            key.0.dir
        );
    };
    for (key, entry) in &list.entries {
        assert!(Arc::ptr_eq(&key.0, &entry.run), "{:?}", entry.run.dir);
        same(key);
    }
    assert_eq!(list.sessions.len(), 10);
    list.sessions.iter().for_each(same);
    assert_eq!(list.restless.len(), 10, "alive sessions are restless");
    list.restless.iter().for_each(same);
    // Every listed run is shared by its key and the order: its summary is the one copy.
    assert!(list.all_shared().all(|r| Arc::strong_count(r) >= 2));
}
