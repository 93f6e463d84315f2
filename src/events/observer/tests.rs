//! The observer's memory over a long life: settled episodes are forgotten, what it remembers
//! stays bounded by what it watches, and nothing is announced twice (it announces exactly what
//! an observer that remembered every announcement forever would).

use super::announced::KEYS_PER_ITEM;
use super::*;
use crate::persist::assignment::AssignmentStatus;
use crate::persist::run::{ManifestSummary, Peek, RunKind, State, Trouble};
use proptest::prelude::*;

mod indexes;

fn base() -> DateTime<Utc> {
    "2026-03-30T09:00:00Z".parse().unwrap()
}

/// A run in `/runs/<n>` last active at `at`, with a trouble at `trouble` (a transcript
/// offset), finished at `at` when its state is terminal.
fn run(n: usize, state: State, trouble: Option<u64>, at: DateTime<Utc>) -> RunSummary {
    let t = at.fixed_offset();
    RunSummary {
        dir: PathBuf::from(format!("/runs/{n}")),
        repo_key: "0123456789abcdef".into(),
        run_key: n.to_string(),
        kind: RunKind::Agentpair(ManifestSummary {
            id: i64::try_from(n).unwrap(),
            repo_path: "/src/app".into(),
            prompt_head: "task".to_owned(),
            prompt_cut: false,
            prompt_ids: Vec::new(),
            completed_at: state.is_terminal().then_some(t),
            state,
            max_iterations: 0,
            current_iteration: 1,
            tmux_session: String::new(),
            created_at: t,
            updated_at: t,
        }),
        activity: None,
        peek: Some(Box::new(Peek {
            iteration: 1,
            trouble: trouble.map(|offset| Trouble {
                offset,
                agent: "claude".to_owned(),
                iteration: 1,
                error: None,
                // A streak long enough to need a look (a lone FAIL does not).
                fails: Thresholds::default().fail_streak.max(1),
                since: offset,
            }),
        })),
        stamp: None,
    }
}

/// Bead `b-<n>` as `status` at `at`.
fn bead(n: usize, status: AssignmentStatus, at: DateTime<Utc>) -> Assignment {
    let t = at.fixed_offset();
    let mut a = Assignment::new(&format!("b-{n}"), "a bead", 1, "claude", "", "", t);
    match status {
        AssignmentStatus::Working => a.started_at = Some(t),
        AssignmentStatus::Completed => a.completed_at = Some(t),
        AssignmentStatus::Failed => {
            a.failed_at = Some(t);
            a.fail_reason = "broke".to_owned();
        }
        _ => {}
    }
    a.status = status;
    a
}

/// Every announcement, checked against an observer that remembers them all forever.
#[derive(Default)]
struct Reference {
    announced: HashSet<(String, String)>,
    news: usize,
}

impl Reference {
    fn check(&mut self, events: &[Event]) {
        for e in events {
            if let Event::Attention {
                reference,
                key,
                level,
                new,
                ..
            } = e
            {
                let expected = *level != Level::Fine
                    && self.announced.insert((reference.clone(), key.clone()));
                assert_eq!(*new, expected, "{e:?}");
                self.news += usize::from(*new);
            }
        }
    }
}

#[test]
fn settled_episodes_are_forgotten_and_the_memory_stays_bounded() {
    let mut o = Observer::new(Thresholds::default());
    let mut reference = Reference::default();
    let episodes = 3 * FORGET_AFTER;
    let mut remembered_at = Vec::new();
    for n in 0..episodes {
        let at = |m: i64| base() + chrono::Duration::minutes(i64::try_from(n).unwrap() * 10 + m);
        // A run works, reports a FAIL, then completes; a bead is assigned, fails, is cleared.
        for (m, r) in [
            (0, run(n, State::Working, None, at(0))),
            (1, run(n, State::Working, Some(100), at(1))),
            (2, run(n, State::Completed, Some(100), at(2))),
        ] {
            reference.check(&o.run(&r.dir, Some(&r), at(m)));
            reference.check(&o.tick(at(m)));
        }
        for (m, a) in [
            (0, Some(bead(n, AssignmentStatus::Assigned, at(0)))),
            (1, Some(bead(n, AssignmentStatus::Failed, at(1)))),
            (2, None),
        ] {
            reference.check(&o.store("s", &a.iter().collect::<Vec<_>>(), at(m)));
        }
        assert_eq!(o.watched(), 0, "episode {n} settled");
        remembered_at.push(o.announcements_remembered());
    }
    // Each episode announced its FAIL, its end and its bead's failure.
    assert_eq!(reference.news, 3 * episodes);
    let most = *remembered_at.iter().max().unwrap();
    assert!(most <= KEYS_PER_ITEM * FORGET_AFTER, "{most}");
    assert_eq!(
        remembered_at[episodes - 1],
        remembered_at[2 * FORGET_AFTER - 1],
        "flat once full"
    );
}

/// One step of an item's life.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Working, or assigned (a bead), as of now.
    Work,
    /// A new trouble (a run), or started (a bead).
    Trouble,
    Complete,
    Fail,
    /// Gone from the disk, or from the store.
    Gone,
    /// Seen again as it was this many steps ago (an undo, a store read as gone for a moment,
    /// a resumed run); not itself a step.
    Again(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Work),
        Just(Step::Trouble),
        Just(Step::Complete),
        Just(Step::Fail),
        Just(Step::Gone),
        (1..=2usize).prop_map(Step::Again),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Runs and beads come and go, settle and come back, with the clock moving on: the
    /// observer announces exactly what one that never forgot would, so nothing twice.
    #[test]
    fn nothing_is_announced_twice(
        steps in proptest::collection::vec((0..4usize, any::<bool>(), step(), 0..15i64), 1..120)
    ) {
        let mut o = Observer::new(Thresholds::default());
        let mut reference = Reference::default();
        let mut runs: Vec<Vec<Option<RunSummary>>> = vec![vec![None]; 4];
        let mut beads: Vec<Vec<Option<Assignment>>> = vec![vec![None]; 4];
        let mut now = base();
        let mut offset = 0;
        for (n, is_run, step, minutes) in steps {
            now += chrono::Duration::minutes(minutes);
            offset += 1;
            if is_run {
                // A trouble lasts while the run works (its end resolves it).
                let last = runs[n].last().cloned().flatten().filter(|r| !r.is_complete());
                let trouble = last.as_ref().and_then(|r| r.peek.as_ref()?.trouble.as_ref());
                let trouble = trouble.map(|t| t.offset);
                let next = match step {
                    Step::Work => Some(run(n, State::Working, trouble, now)),
                    Step::Trouble => Some(run(n, State::Working, Some(offset), now)),
                    Step::Complete => Some(run(n, State::Completed, trouble, now)),
                    Step::Fail => Some(run(n, State::Failed, trouble, now)),
                    Step::Gone => None,
                    Step::Again(k) => runs[n].iter().rev().nth(k).cloned().flatten(),
                };
                let dir = PathBuf::from(format!("/runs/{n}"));
                reference.check(&o.run(&dir, next.as_ref(), now));
                if !matches!(step, Step::Again(_)) {
                    runs[n].push(next);
                }
            } else {
                let next = match step {
                    Step::Work => Some(bead(n, AssignmentStatus::Assigned, now)),
                    Step::Trouble => Some(bead(n, AssignmentStatus::Working, now)),
                    Step::Complete => Some(bead(n, AssignmentStatus::Completed, now)),
                    Step::Fail => Some(bead(n, AssignmentStatus::Failed, now)),
                    Step::Gone => None,
                    Step::Again(k) => beads[n].iter().rev().nth(k).cloned().flatten(),
                };
                let mut now_in_store: Vec<Option<Assignment>> =
                    beads.iter().map(|b| b.last().cloned().flatten()).collect();
                now_in_store[n].clone_from(&next);
                if !matches!(step, Step::Again(_)) {
                    beads[n].push(next);
                }
                let store: Vec<&Assignment> = now_in_store.iter().flatten().collect();
                reference.check(&o.store("s", &store, now));
            }
            reference.check(&o.tick(now));
            prop_assert!(o.announcements_remembered() <= KEYS_PER_ITEM * 8);
        }
    }
}
