//! The observer's indexes give the answers a walk over everything would: after any sequence of
//! runs, stores, hosts' beads, agents' facts, acknowledgements and ticks, the attention count
//! kept equals the count walked, the flagged runs filed by key are exactly the watched runs that
//! need attention, judging every flagged run again (as a walk after each change did) would
//! change none of them, and the clock's index holds each watched item's next change as judging
//! it afresh would name it.

use super::due::DueItem;
use super::*;
use crate::present::attention::ReasonCode;
use crate::present::attention::agent::AgentFacts;

/// Prompts the runs are of: some share a bead word, some a whole prompt.
const PROMPTS: [&str; 4] = [
    "Work on bead b-0: fix it",
    "Work on bead b-1: test it",
    "Work on b-0 and b-1",
    "task",
];

/// Run `n` of prompt `p`, started `start` minutes after [`base`], in `state` as of `at`.
fn run_of(
    n: usize,
    p: usize,
    start: i64,
    state: State,
    trouble: bool,
    at: DateTime<Utc>,
) -> RunSummary {
    let mut r = run(n, state, trouble.then_some(7), at);
    if let RunKind::Agentpair(m) = &mut r.kind {
        m.prompt_head = PROMPTS[p % PROMPTS.len()].to_owned();
        m.created_at = (base() + chrono::Duration::minutes(start)).fixed_offset();
    }
    r
}

/// One change the observer is told of.
#[derive(Debug, Clone)]
enum Op {
    /// Run `n` of prompt `p`, started at minute `start`, in state `s` (0 working, 1 working
    /// with a FAIL streak, 2 failed, 3 completed).
    Run {
        n: usize,
        p: usize,
        start: i64,
        s: u8,
    },
    /// Run `n` is gone.
    RunGone(usize),
    /// Session `session`'s store holds beads `b-0`…`b-3` as `statuses` say (0: absent, 1
    /// assigned, 2 working, 3 failed, 4 completed).
    Store { session: usize, statuses: [u8; 4] },
    /// Another host says bead `n` needs a look (with a situation of its own), or nothing.
    Host { n: usize, said: Option<u8> },
    /// Bead `n` of session `session` has its issue closed, or not.
    Facts {
        session: usize,
        n: usize,
        closed: bool,
    },
    /// Acknowledge the `k`th item that needs attention.
    Ack(usize),
    /// Acknowledgements read back: the current ones, and one of an unseen item.
    Restore,
    /// The clock moves on this many minutes, and ticks.
    Tick(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..6usize, 0..4usize, 0..40i64, 0..4u8)
            .prop_map(|(n, p, start, s)| Op::Run { n, p, start, s }),
        1 => (0..6usize).prop_map(Op::RunGone),
        3 => (0..2usize, proptest::array::uniform4(0..5u8))
            .prop_map(|(session, statuses)| Op::Store { session, statuses }),
        1 => (0..3usize, proptest::option::of(0..3u8)).prop_map(|(n, said)| Op::Host { n, said }),
        1 => (0..2usize, 0..4usize, any::<bool>())
            .prop_map(|(session, n, closed)| Op::Facts { session, n, closed }),
        2 => (0..8usize).prop_map(Op::Ack),
        1 => Just(Op::Restore),
        2 => prop_oneof![0..15i64, 500..1600i64].prop_map(Op::Tick),
    ]
}

fn status(code: u8) -> Option<AssignmentStatus> {
    match code {
        1 => Some(AssignmentStatus::Assigned),
        2 => Some(AssignmentStatus::Working),
        3 => Some(AssignmentStatus::Failed),
        4 => Some(AssignmentStatus::Completed),
        _ => None,
    }
}

fn host_item(n: usize) -> Item {
    Item::HostBead {
        host: "gpu1".to_owned(),
        session: "s".to_owned(),
        bead: format!("h-{n}"),
    }
}

impl Observer {
    /// Applies one change at `now`.
    fn apply(
        &mut self,
        op: &Op,
        now: &mut DateTime<Utc>,
        facts: &mut HashMap<String, HashMap<String, AgentFacts>>,
    ) {
        match op {
            Op::Run { n, p, start, s } => {
                let state = match s {
                    0 | 1 => State::Working,
                    2 => State::Failed,
                    _ => State::Completed,
                };
                // On the minute: the clock, moved on in whole minutes, often lands exactly on
                // a threshold (a window's end, the stale limit), where the condition has not
                // changed yet; the tick there must still name the change just after it.
                let r = run_of(*n, *p, *start, state, *s == 1, *now);
                self.run(&r.dir.clone(), Some(&r), *now);
            }
            Op::RunGone(n) => {
                let dir = PathBuf::from(format!("/runs/{n}"));
                self.run::<RunSummary>(&dir, None, *now);
            }
            Op::Store { session, statuses } => {
                let beads: Vec<Assignment> = statuses
                    .iter()
                    .enumerate()
                    .filter_map(|(n, s)| Some(bead(n, status(*s)?, *now)))
                    .collect();
                self.store(
                    &format!("s{session}"),
                    &beads.iter().collect::<Vec<_>>(),
                    *now,
                );
            }
            Op::Host { n, said } => {
                let said = said.map(|k| {
                    let record = HostBead {
                        name: format!("gpu1:h-{n}"),
                        session: "s".to_owned(),
                        state: "failed".to_owned(),
                    };
                    let condition = Condition {
                        level: Level::Attention,
                        code: ReasonCode::Failed,
                        reason: "failed".to_owned(),
                        key: format!("failed@{k}"),
                    };
                    (record, condition)
                });
                self.host_bead(&host_item(*n), said, *now, true);
            }
            Op::Facts { session, n, closed } => {
                let beads = facts.entry(format!("s{session}")).or_default();
                if *closed {
                    let f = AgentFacts {
                        pane_name: "%1".to_owned(),
                        pane: None,
                        run: None,
                        issue_closed: Some(Some(*now)),
                    };
                    beads.insert(format!("b-{n}"), f);
                } else {
                    beads.remove(&format!("b-{n}"));
                }
                self.agents(facts.clone(), *now);
            }
            Op::Ack(k) => {
                let items = self.needing_attention();
                if !items.is_empty() {
                    self.acknowledge(&items[k % items.len()]);
                }
            }
            Op::Restore => {
                let mut acks = self.acknowledgements();
                acks.push((host_item(2), "failed@1".to_owned()));
                self.restore_acknowledged(acks);
            }
            Op::Tick(minutes) => {
                *now += chrono::Duration::minutes(*minutes);
                self.tick(*now);
            }
        }
    }

    /// What a walk over every watched run and item says, against the indexes.
    fn check_indexes(&self, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.attention_count(), self.attention_walked());
        let mut flagged: Vec<PathBuf> = self
            .runs
            .iter()
            .filter(|(_, s)| s.condition.level == Level::Attention)
            .map(|(dir, _)| dir.clone())
            .collect();
        flagged.sort();
        prop_assert_eq!(self.flagged.dirs(), flagged);
        // The clock's index: each watched item's next change, as judged afresh now.
        let mut changing = 0;
        for (dir, seen) in &self.runs {
            let fresh = attention::run_changes_at(&seen.record, now, &self.limits);
            changing += usize::from(fresh.is_some());
            prop_assert_eq!(
                self.due.of(&DueItem::Run(dir.clone())),
                fresh,
                "{}",
                dir.display()
            );
        }
        for (session, beads) in &self.beads {
            for (bead, seen) in beads {
                let facts = self.agents.get(session, bead);
                let (_, fresh) = agents::judge(
                    &self.limits,
                    &self.assigned,
                    facts,
                    session,
                    &seen.record,
                    now,
                );
                changing += usize::from(fresh.is_some());
                prop_assert_eq!(self.due.of(&DueItem::bead(session, bead)), fresh);
            }
        }
        prop_assert_eq!(self.due.len(), changing, "no item left behind in the index");
        for seen in self
            .runs
            .values()
            .filter(|s| s.condition.level == Level::Attention)
        {
            let judged = self.judge_run(&seen.record, now);
            prop_assert_eq!(
                (judged.level, &judged.key),
                (seen.condition.level, &seen.condition.key),
                "{}: judged again now",
                seen.record.dir.display()
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The indexed answers equal the walked ones after every change.
    #[test]
    fn the_indexes_answer_as_a_walk_would(ops in proptest::collection::vec(op(), 1..80)) {
        let mut o = Observer::new(Thresholds::default());
        let mut now = base() + chrono::Duration::minutes(45);
        let mut facts = HashMap::new();
        for op in &ops {
            o.apply(op, &mut now, &mut facts);
            o.check_indexes(now)?;
        }
    }
}

#[test]
fn a_later_run_takes_over_only_the_failures_it_shares_a_key_with() {
    let mut o = Observer::new(Thresholds::default());
    let now = base() + chrono::Duration::minutes(45);
    let failed_b0 = run_of(0, 0, 0, State::Failed, false, now);
    let failed_task = run_of(1, 3, 0, State::Failed, false, now);
    o.run(&failed_b0.dir.clone(), Some(&failed_b0), now);
    o.run(&failed_task.dir.clone(), Some(&failed_task), now);
    assert_eq!(o.attention_count(), 2);
    // A later run of another prompt naming b-0: b-0 is not a bead yet.
    let later = run_of(2, 2, 5, State::Working, false, now);
    o.run(&later.dir.clone(), Some(&later), now);
    assert_eq!(o.attention_count(), 2, "b-0 is not known as a bead");
    // A store names b-0: the failure of b-0 is taken over, the other is not.
    let b0 = bead(0, AssignmentStatus::Working, now);
    o.store("s0", &[&b0], now);
    assert_eq!(o.attention_count(), 1);
    assert!(
        o.standing(&Item::Run(failed_b0.dir.clone()))
            .is_some_and(|s| s.condition.level == Level::Fine)
    );
    assert_eq!(
        o.needing_attention(),
        vec![Item::Run(failed_task.dir.clone())]
    );
    o.check_indexes(now).unwrap();
}
