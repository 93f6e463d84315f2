//! What is kept per store change against a walk of everything: after any sequence of store
//! changes (beads named, moved between stores, dropped, stores gone or unreadable), reads of
//! the beads file (open, closed, blocked, deferred, parents) and moves of the clock (forward
//! and back), the ready column is, bead for bead and in order, what the whole file's readiness
//! index makes with every store's ids, and the panes wanted are those of every active card.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::app::event::Msg;
use crate::app::keymap::Keymap;
use crate::app::model::{CardKey, Model, Settings};
use crate::app::outcome::{Outcome, SeenStore, SessionSeen};
use crate::binding::PaneRef;
use crate::config::Roots;
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::beads::{Bead, BeadIndex, parse_beads};
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

/// Bead ids (`b0`…), sessions (stores) and panes per session.
const IDS: usize = 10;
const SESSIONS: usize = 3;
const PANES: i64 = 3;

/// Bead `n`'s id: of three lengths, so the ready rows' widths differ.
fn bead_id(n: usize) -> String {
    format!("b{n}{}", "-".repeat(n % 3))
}

fn start() -> DateTime<Utc> {
    "2026-08-20T15:00:00Z".parse().unwrap()
}

/// One record of a store: bead, status (by number) and pane.
type Record = (usize, usize, i64);

/// One bead of the file: id, status, priority, created (minutes, none), deferred until
/// (minutes from the start, none), dependencies (target, kind).
type BeadSpec = (
    usize,
    usize,
    i64,
    Option<i64>,
    Option<i64>,
    Vec<(usize, usize)>,
);

#[derive(Debug, Clone)]
enum Op {
    /// A store read again (no records: gone).
    Store(usize, Vec<Record>),
    /// Every store observed at once (`None`: unreadable, kept as last seen).
    Observed(Vec<(usize, Option<Vec<Record>>)>),
    /// The beads file read (`None`: unreadable).
    Beads(Option<Vec<BeadSpec>>),
    /// The clock moves by this many minutes (back too) and the column is refreshed.
    Clock(i64),
    /// The board's filter is set (one bead, every bead, none).
    Filter(usize),
}

/// The filters: every card, only `b1`'s (its id and title), every bead (titles and types).
const FILTERS: [&str; 3] = ["", "1", "t"];

fn record() -> impl Strategy<Value = Record> {
    (0..IDS, 0..6usize, 0..PANES)
}

fn records() -> impl Strategy<Value = Vec<Record>> {
    prop::collection::vec(record(), 0..6)
}

fn bead() -> impl Strategy<Value = BeadSpec> {
    let deps = prop::collection::vec((0..IDS + 1, 0..3usize), 0..3);
    (
        0..IDS,
        0..5usize,
        0..3i64,
        prop::option::of(0..4i64),
        prop::option::of(-20..40i64),
        deps,
    )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..SESSIONS, records()).prop_map(|(s, r)| Op::Store(s, r)),
        1 => prop::collection::vec((0..SESSIONS, prop::option::of(records())), 0..4)
            .prop_map(Op::Observed),
        2 => prop::option::weighted(0.9, prop::collection::vec(bead(), 0..14)).prop_map(Op::Beads),
        2 => (-15..30i64).prop_map(Op::Clock),
        1 => (0..FILTERS.len()).prop_map(Op::Filter),
    ]
}

fn status(n: usize) -> AssignmentStatus {
    match n {
        0 => AssignmentStatus::Assigned,
        1 => AssignmentStatus::Working,
        2 => AssignmentStatus::Completed,
        3 => AssignmentStatus::Failed,
        4 => AssignmentStatus::Other("claimed".into()),
        _ => AssignmentStatus::Reassigned,
    }
}

fn assignments(records: &[Record]) -> Vec<Assignment> {
    let mut seen = HashSet::new();
    records
        .iter()
        .filter(|(bead, ..)| seen.insert(*bead))
        .map(|&(bead, s, pane)| {
            let at = start().fixed_offset();
            let mut a = Assignment::new(&bead_id(bead), "t", pane, "claude", "", "", at);
            a.status = status(s);
            a
        })
        .collect()
}

/// The beads file's text: times in two offsets, so instants compare and not clock readings.
fn file_text(beads: &[BeadSpec]) -> String {
    let statuses = ["open", "open", "closed", "in_progress", "open"];
    let kinds = ["blocks", "parent-child", "related"];
    let time = |minutes: i64| {
        let t = start() + Duration::minutes(minutes);
        if minutes % 2 == 0 {
            t.to_rfc3339()
        } else {
            t.with_timezone(&chrono::FixedOffset::east_opt(7200).unwrap())
                .to_rfc3339()
        }
    };
    let mut text = String::new();
    for (id, s, priority, created, defer, deps) in beads {
        let mut line = format!(
            r#"{{"id":"{}","title":"t{id}","status":"{}","priority":{priority}"#,
            bead_id(*id),
            statuses[*s]
        );
        if let Some(c) = created {
            write!(line, r#","created_at":"{}""#, time(*c)).unwrap();
        }
        if let Some(d) = defer {
            write!(line, r#","defer_until":"{}""#, time(*d)).unwrap();
        }
        let deps: Vec<String> = deps
            .iter()
            .map(|(to, k)| {
                format!(
                    r#"{{"depends_on_id":"{}","type":"{}"}}"#,
                    bead_id(*to),
                    kinds[*k]
                )
            })
            .collect();
        writeln!(line, r#","dependencies":[{}]}}"#, deps.join(",")).unwrap();
        text.push_str(&line);
    }
    text
}

fn model() -> Model {
    let roots = Roots {
        agentpair: "/nowhere/ap".into(),
        ntm: "/nowhere/ntm".into(),
        beads: Some("/nowhere/beads.jsonl".into()),
        agents: Default::default(),
    };
    let settings = Settings {
        bind_panes: Some(crate::tmux::Tmux::default()),
        ..Settings::default()
    };
    let mut m = Model::new(roots, settings, Keymap::default(), (120, 40), start());
    m.take_effects();
    m
}

/// The ready column as made from scratch: the whole file indexed, every store's ids taken
/// (the observer's, and the board's own stores, as the column was made before).
fn ready_walked(m: &Model, now: DateTime<Utc>) -> Vec<Bead> {
    let Some(file) = &m.backlog.file else {
        return Vec::new();
    };
    let mut taken: HashSet<&str> = m.observer.bead_ids();
    if let Some(store) = &m.board.store {
        taken.extend(store.list().iter().map(|a| a.bead_id.as_str()));
    }
    if let Some(merged) = &m.board.merged {
        for store in merged.stores.values() {
            taken.extend(store.list().iter().map(|a| a.bead_id.as_str()));
        }
    }
    BeadIndex::new(&file.beads)
        .ready(&|id| taken.contains(id), now.fixed_offset())
        .into_iter()
        .cloned()
        .collect()
}

/// The panes every active card of every store names, walked.
fn wanted_walked(m: &Model) -> BTreeSet<PaneRef> {
    m.observer
        .records()
        .filter(|(_, a)| super::super::binding::active(&a.status))
        .map(|(session, a)| PaneRef::of(session, a))
        .collect()
}

fn apply(m: &mut Model, op: &Op, now: DateTime<Utc>) {
    match op {
        Op::Store(s, records) => m.observe_records(&format!("s{s}"), &assignments(records), now),
        Op::Observed(stores) => {
            let sessions = stores
                .iter()
                .map(|(s, records)| SessionSeen {
                    session: format!("s{s}"),
                    read: SeenStore::Records(records.as_deref().map(assignments)),
                    history: None,
                })
                .collect();
            let observed = Outcome::SessionsObserved {
                sessions,
                announce: true,
            };
            crate::app::update::update(m, Msg::Done(observed), now);
        }
        Op::Beads(beads) => {
            let read = beads.as_ref().map_or_else(
                || Err("unreadable".to_owned()),
                |b| {
                    Ok(parse_beads(
                        "/nowhere/beads.jsonl".as_ref(),
                        file_text(b).as_bytes(),
                    ))
                },
            );
            crate::app::update::update(m, Msg::Done(Outcome::BeadsRead(read)), now);
        }
        Op::Clock(_) => m.refresh_ready(now),
        Op::Filter(f) => m.board.set_filter(FILTERS[*f].to_owned()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn kept_per_store_change_equals_the_walk(ops in prop::collection::vec(op(), 1..40)) {
        let mut m = model();
        let mut now = start();
        for (step, op) in ops.iter().enumerate() {
            if let Op::Clock(minutes) = op {
                now += Duration::minutes(*minutes);
            }
            apply(&mut m, op, now);
            let kept: Vec<&Bead> = m.board.ready_beads().collect();
            let walked = ready_walked(&m, now);
            prop_assert_eq!(kept, walked.iter().collect::<Vec<_>>(), "ready after step {}: {:?}", step, op);
            let shown: Vec<String> = m.board.columns().first().map(|c| {
                c.ids.iter().map(|k| k.bead.clone()).collect()
            }).unwrap_or_default();
            let filter = &m.board.filter;
            let ids: Vec<String> = walked
                .iter()
                .filter(|b| filter != "1" || b.id == bead_id(1))
                .map(|b| b.id.clone())
                .collect();
            prop_assert_eq!(shown, ids, "the ready column after step {}", step);
            // The board as kept equals the board laid out whole: columns, widths, selection.
            let laid = |m: &Model| {
                let columns: Vec<Vec<CardKey>> =
                    m.board.columns().iter().map(|c| c.ids.to_vec()).collect();
                (columns, m.board.widest(), m.board.selected_key().cloned(), m.board.column)
            };
            let kept = laid(&m);
            m.board.fix_selection();
            prop_assert_eq!(kept, laid(&m), "the board as laid out whole after step {}", step);
            let (named, asked, changed) = m.binder.wanted_kept();
            let wanted = wanted_walked(&m);
            prop_assert_eq!(&named, &wanted, "panes named after step {}: {:?}", step, op);
            prop_assert_eq!(changed, named != asked, "in step with the ask after step {}", step);
            if matches!(op, Op::Store(..) | Op::Observed(..)) {
                // A store change asks for a look whenever the panes differ from the last ask.
                prop_assert_eq!(&asked, &wanted, "asked after step {}: {:?}", step, op);
            }
        }
    }
}
