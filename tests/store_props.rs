//! Property tests: random sequences of store operations, run against the real store on disk and
//! against a tiny reference model. After every step the store agrees with the model, the file
//! reloads to exactly what memory holds, and a rejected operation leaves the file byte-identical.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{
    AssignmentStatus as S, AssignmentStore, Clock, StoreError, read_history,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;

#[derive(Debug, Clone)]
enum Op {
    Assign(u8, i64),
    Start(u8),
    Complete(u8),
    Fail(u8),
    Retry(u8),
    Reassign(u8, i64),
    Remove(u8),
    Reload,
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    let bead = 0u8..5;
    prop_oneof![
        4 => (bead.clone(), 0i64..4).prop_map(|(b, p)| Op::Assign(b, p)),
        4 => bead.clone().prop_map(Op::Start),
        3 => bead.clone().prop_map(Op::Complete),
        3 => bead.clone().prop_map(Op::Fail),
        3 => bead.clone().prop_map(Op::Retry),
        3 => (bead.clone(), 0i64..4).prop_map(|(b, p)| Op::Reassign(b, p)),
        1 => bead.prop_map(Op::Remove),
        1 => Just(Op::Reload),
        1 => Just(Op::Clear),
    ]
}

#[derive(Debug, Clone, PartialEq)]
struct Card {
    status: S,
    pane: i64,
    retries: i64,
    /// `claude` as assigned, `codex` once reassigned.
    agent: String,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Ok,
    NotFound,
    Invalid,
    /// A reassignment to the pane and agent it already has.
    Same,
}

/// The reference model: the transition table written out by hand, independently of the code.
fn model_step(model: &mut BTreeMap<String, Card>, op: &Op) -> Outcome {
    let key = |b: &u8| format!("b{b}");
    // A reassignment to the pane and agent the card already has changes nothing: refused.
    if let Op::Reassign(b, p) = op
        && model
            .get(&key(b))
            .is_some_and(|c| c.status == S::Working && c.pane == *p && c.agent == "codex")
    {
        return Outcome::Same;
    }
    let mut moving = |b: &u8, allowed: &[S], to: S, f: &dyn Fn(&mut Card)| -> Outcome {
        match model.get_mut(&key(b)) {
            None => Outcome::NotFound,
            Some(card) if !allowed.contains(&card.status) => Outcome::Invalid,
            Some(card) => {
                card.status = to;
                f(card);
                Outcome::Ok
            }
        }
    };
    match op {
        Op::Assign(b, p) => {
            model.insert(
                key(b),
                Card {
                    status: S::Assigned,
                    pane: *p,
                    retries: 0,
                    agent: "claude".to_owned(),
                },
            );
            Outcome::Ok
        }
        Op::Start(b) => moving(b, &[S::Assigned], S::Working, &|_| {}),
        Op::Complete(b) => moving(b, &[S::Working], S::Completed, &|_| {}),
        Op::Fail(b) => moving(b, &[S::Assigned, S::Working], S::Failed, &|_| {}),
        Op::Retry(b) => moving(b, &[S::Failed], S::Assigned, &|c| c.retries += 1),
        Op::Reassign(b, p) => {
            let p = *p;
            moving(b, &[S::Working], S::Assigned, &move |c| {
                c.pane = p;
                c.agent = "codex".to_owned();
            })
        }
        Op::Remove(b) => {
            model.remove(&key(b));
            Outcome::Ok
        }
        Op::Reload => Outcome::Ok,
        Op::Clear => {
            model.clear();
            Outcome::Ok
        }
    }
}

fn store_step(
    store: &mut AssignmentStore,
    home: &std::path::Path,
    clock: &Clock,
    op: &Op,
) -> Result<(), StoreError> {
    let key = |b: &u8| format!("b{b}");
    match op {
        Op::Assign(b, p) => store
            .assign(&key(b), "title", *p, "claude", "", "prompt")
            .map(drop),
        Op::Start(b) => store.mark_working(&key(b)).map(drop),
        Op::Complete(b) => store.mark_completed(&key(b)).map(drop),
        Op::Fail(b) => store.mark_failed(&key(b), "reason").map(drop),
        Op::Retry(b) => store.retry(&key(b)).map(drop),
        Op::Reassign(b, p) => store.reassign(&key(b), *p, "codex", "other").map(drop),
        Op::Remove(b) => store.remove(&key(b)).map(drop),
        Op::Reload => {
            *store = AssignmentStore::load_store(home, "s")
                .unwrap()
                .with_clock(clock.clone());
            Ok(())
        }
        Op::Clear => store.clear(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn store_agrees_with_the_reference_model(ops in proptest::collection::vec(op(), 1..25)) {
        let home = tempfile::tempdir().unwrap();
        let clock = common::ticking_clock();
        let mut store = AssignmentStore::new(home.path(), "s").unwrap().with_clock(clock.clone());
        let mut model = BTreeMap::new();
        for op in &ops {
            let before = fs::read(store.path()).ok();
            let expected = model_step(&mut model, op);
            let got = store_step(&mut store, home.path(), &clock, op);
            let outcome = match &got {
                Ok(()) => Outcome::Ok,
                Err(StoreError::NotFound { .. }) => Outcome::NotFound,
                Err(StoreError::InvalidTransition(_)) => Outcome::Invalid,
                Err(StoreError::SameTarget { .. }) => Outcome::Same,
                Err(other) => panic!("unexpected error {other}"),
            };
            prop_assert_eq!(&outcome, &expected, "op {:?}", op);
            if outcome != Outcome::Ok {
                prop_assert_eq!(fs::read(store.path()).ok(), before, "rejected {:?} changed the file", op);
            }
            let seen: BTreeMap<String, Card> = store
                .list()
                .into_iter()
                .map(|a| (a.bead_id.clone(), Card {
                    status: a.status.clone(),
                    pane: a.pane,
                    retries: a.retry_count,
                    agent: a.agent_type.clone(),
                }))
                .collect();
            prop_assert_eq!(&seen, &model, "after {:?}", op);
            if store.path().exists() {
                let reloaded = AssignmentStore::load_store(home.path(), "s").unwrap();
                prop_assert_eq!(reloaded.document(), store.document(), "load(save(x)) != x after {:?}", op);
                prop_assert_eq!(reloaded.document().to_bytes(), fs::read(store.path()).unwrap());
            }
        }
        let history = read_history(&store.history_path()).unwrap();
        prop_assert!(history.windows(2).all(|w| w[0].time <= w[1].time), "history times go backwards");
    }
}
