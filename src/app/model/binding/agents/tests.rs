//! The incremental agent refreshes against the full one: after any sequence of session reads,
//! liveness news and store changes, the cards, the facts and the run → cards table are those a
//! full refresh makes; with binding on and looks taken too, the panes kept for the next look
//! are those every store's active cards name, every look asked for is at those panes, and after
//! each look (most changing a pane or two of the last one's findings) the runs' ties are those
//! it makes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::in_step;
use crate::app::effect::Effect;
use crate::app::event::Msg;
use crate::app::keymap::Keymap;
use crate::app::model::binding::Known;
use crate::app::model::{Model, Settings};
use crate::app::outcome::{AgentRead, Outcome};
use crate::binding::{Bindings, Bound, PaneRef, PaneState, Rule};
use crate::config::Roots;
use crate::persist::assignment::{Assignment, AssignmentStatus};
use crate::persist::run::{RunKind, RunSummary, SessionRun};
use crate::persist::session::{Agent, SessionSource, Summarizer, TurnState};
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Sessions (stores), panes per session, agent sessions (runs), beads per store.
const STORES: usize = 2;
const PANES: i64 = 4;
const RUNS: usize = 3;
const BEADS: usize = 5;

fn now() -> DateTime<Utc> {
    "2026-08-20T15:00:00Z".parse().unwrap()
}

fn key(k: usize) -> PathBuf {
    PathBuf::from(format!("/s/{k}.jsonl"))
}

/// Agent session `k` as read, its prompt and start saying which read it is.
fn session_run(k: usize, read: u8) -> Arc<RunSummary> {
    let file = key(k);
    let mut summary =
        Summarizer::new(Agent::Claude, SessionSource::Lines(file.clone())).into_summary();
    summary.id = format!("id-{k}");
    summary.cwd = "/home/dev/api".into();
    summary.prompt_head = format!("work on read {read}");
    summary.started_at = Some(now() - Duration::minutes(i64::from(read)));
    summary.last_entry_at = summary.started_at;
    if read.is_multiple_of(2) {
        summary.turn = TurnState::Ended;
    }
    let run = SessionRun::new(summary, None, std::time::Duration::ZERO, now());
    Arc::new(RunSummary {
        dir: file,
        repo_key: Default::default(),
        run_key: format!("id-{k}"),
        kind: RunKind::Session(Box::new(run)),
        activity: None,
        peek: None,
        stamp: None,
    })
}

/// A dashboard whose last look bound pane `p` of store `s` to run `(s + p) % (RUNS + 1)` (the
/// last of which is never listed) and found the highest-numbered pane of each store gone.
fn model() -> Model {
    model_binding(None)
}

/// [`model`], binding on `tmux`'s panes (`None`: off; the looks asked for are only collected).
fn model_binding(tmux: Option<crate::tmux::Tmux>) -> Model {
    let roots = Roots {
        agentpair: "/t/ap".into(),
        ntm: "/t/ntm".into(),
        beads: None,
        agents: Default::default(),
    };
    let mut model = Model::new(
        roots,
        Settings::default(),
        Keymap::default(),
        (120, 40),
        now(),
    );
    model.binder = crate::app::model::Binder::new(tmux);
    model.take_effects();
    let mut panes = std::collections::BTreeMap::new();
    for s in 0..STORES {
        for p in 0..PANES {
            let k = (s + usize::try_from(p).unwrap()) % (RUNS + 1);
            let (pane, state) = pane_state(s, p, (p != PANES - 1).then_some(k));
            panes.insert(pane, state);
        }
    }
    model.binder.known = Known::Panes(Bindings {
        at: Some(now()),
        panes,
    });
    model.binder.first = false;
    model.sessions_observed = true;
    model.backlog.closed.insert("b-1".into(), Some(now()));
    model.refresh_agents(now());
    model
}

/// Bead `b-<n>` as `status`, in pane `pane`.
fn bead(n: usize, status: u8, pane: i64) -> Assignment {
    let t = (now() - Duration::hours(1)).fixed_offset();
    let mut a = Assignment::new(&format!("b-{n}"), "a bead", pane, "claude", "", "", t);
    a.status = match status {
        0 => AssignmentStatus::Assigned,
        1 | 2 => AssignmentStatus::Working,
        _ => AssignmentStatus::Completed,
    };
    if a.status == AssignmentStatus::Working {
        a.started_at = Some(t);
    }
    if a.status == AssignmentStatus::Completed {
        a.completed_at = Some(t);
    }
    a
}

#[derive(Debug, Clone)]
enum Step {
    /// Run `k` read again (`None`: its file is gone).
    Read(usize, Option<u8>),
    /// What the registry says of run `k`'s process.
    Alive(usize, bool),
    /// Store `s` read: (bead, status, pane) records.
    Store(usize, Vec<(usize, u8, i64)>),
    /// A look ends: pane `p` of store `s` as [`pane_state`] says.
    Look(Vec<(usize, i64, Option<usize>)>),
    /// A look ends finding what the last one found (nothing if it found nothing) but for these
    /// panes: as [`pane_state`] says, or not asked about (`None`).
    Change(Vec<(usize, i64, Option<Option<usize>>)>),
    /// A look fails.
    Failed,
    /// The periodic look falls due.
    Due,
    /// Every store read for the first time (with nothing in them: the stores' own steps say
    /// what they hold).
    Observed,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..RUNS, proptest::option::weighted(0.85, 0u8..6)).prop_map(|(k, r)| Step::Read(k, r)),
        (0..RUNS, any::<bool>()).prop_map(|(k, a)| Step::Alive(k, a)),
        (
            0..STORES,
            proptest::collection::vec((0..BEADS, 0u8..4, 0..PANES), 0..BEADS)
        )
            .prop_map(|(s, r)| Step::Store(s, r)),
    ]
}

/// [`step`], and the stores' first read.
fn step_starting() -> impl Strategy<Value = Step> {
    prop_oneof![6 => step(), 1 => Just(Step::Observed)]
}

/// [`step`], and looks ending (most finding what the last one found but for a pane or two),
/// failing or falling due.
fn step_looking() -> impl Strategy<Value = Step> {
    let state = proptest::option::of(0..=RUNS + 1);
    let pane = (0..STORES, 0..PANES, state.clone());
    let change = (0..STORES, 0..PANES, proptest::option::weighted(0.8, state));
    prop_oneof![
        4 => step(),
        1 => proptest::collection::vec(pane, 0..6).prop_map(Step::Look),
        2 => proptest::collection::vec(change, 1..3).prop_map(Step::Change),
        1 => Just(Step::Failed),
        1 => Just(Step::Due),
    ]
}

/// Pane `p` of store `s`: bound to run `k` (run `RUNS` is never listed), holding no agent
/// (`k` past that), or gone (`None`).
fn pane_state(s: usize, p: i64, k: Option<usize>) -> (PaneRef, PaneState) {
    let pane = PaneRef::Index {
        session: format!("s{s}"),
        index: p,
    };
    let state = match k {
        None => PaneState::Gone,
        Some(k) if k > RUNS => PaneState::NoAgent {
            pane: format!("%{s}{p}"),
        },
        Some(k) => PaneState::Bound(Bound {
            pane: format!("%{s}{p}"),
            agent: Agent::Claude,
            pid: 100 + u32::try_from(k).unwrap(),
            session: format!("id-{k}"),
            key: Some(key(k)),
            rule: Rule::Registry,
        }),
    };
    (pane, state)
}

/// A look's end, finding `panes` (`Err`: failing).
fn looked(model: &mut Model, panes: Result<BTreeMap<PaneRef, PaneState>, ()>) -> Vec<Effect> {
    let at = now();
    let looked = crate::app::outcome::Looked {
        result: panes
            .map(|panes| Bindings {
                at: Some(at),
                panes,
            })
            .map_err(|()| "no tmux server".to_owned()),
        gone: Vec::new(),
    };
    crate::app::update::update(model, Msg::Done(Outcome::Bound(Box::new(looked))), at)
}

/// Takes one step; returns the work it asked for.
fn take(model: &mut Model, step: Step) -> Vec<Effect> {
    let at = now();
    match step {
        Step::Read(k, read) => {
            let read = match read {
                Some(r) => AgentRead::Loaded(session_run(k, r), None),
                None => AgentRead::Gone,
            };
            let loaded = Outcome::AgentLoaded { key: key(k), read };
            crate::app::update::update(model, Msg::Done(loaded), at)
        }
        Step::Alive(k, alive) => {
            let news = Outcome::AgentsAlive(vec![(key(k), Some(alive), None)]);
            crate::app::update::update(model, Msg::Done(news), at)
        }
        Step::Store(s, records) => {
            let mut by_bead = std::collections::BTreeMap::new();
            for (n, status, pane) in records {
                by_bead.insert(n, bead(n, status, pane));
            }
            let records: Vec<Assignment> = by_bead.into_values().collect();
            model.observe_records(&format!("s{s}"), &records, at);
            model.take_effects()
        }
        Step::Look(found) => {
            let panes = found.into_iter().map(|(s, p, k)| pane_state(s, p, k));
            looked(model, Ok(panes.collect()))
        }
        Step::Change(changes) => {
            let mut panes = match &model.binder.known {
                Known::Panes(b) => b.panes.clone(),
                Known::Nothing | Known::Failed(_) => BTreeMap::new(),
            };
            for (s, p, state) in changes {
                let (pane, found) = pane_state(s, p, state.flatten());
                match state {
                    Some(_) => panes.insert(pane, found),
                    None => panes.remove(&pane),
                };
            }
            looked(model, Ok(panes))
        }
        Step::Failed => looked(model, Err(())),
        Step::Due => {
            model.bind_due(at + Duration::days(1));
            model.take_effects()
        }
        Step::Observed => {
            let observed = Outcome::SessionsObserved {
                sessions: Vec::new(),
                announce: false,
            };
            crate::app::update::update(model, Msg::Done(observed), at)
        }
    }
}

/// Whether settling every watched item would change nothing: each situation that needs a look
/// was noted as announced when it was told (so telling the agents' news only to drop it, before
/// the stores' first read, leaves the observer as settling everything did).
fn settled_already(model: &Model) -> bool {
    let mut settled = model.observer.clone();
    settled.settle();
    settled.announcements_remembered() == model.observer.announcements_remembered()
}

/// How many notices are about beads.
fn bead_notices(model: &Model) -> usize {
    model
        .notices
        .iter()
        .filter(|e| matches!(e, crate::events::Event::Attention { kind, .. } if *kind == crate::events::ItemKind::Bead))
        .count()
}

/// The panes of each look asked for among `effects`.
fn looks(effects: Vec<Effect>) -> Vec<Vec<PaneRef>> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Bind(job) => Some(job.wanted),
            _ => None,
        })
        .collect()
}

/// Whether the panes kept for the next look are those every store's active cards name, and
/// every look asked for among `effects` (a step's) was at those panes.
fn looks_in_step(model: &Model, effects: Vec<Effect>) -> bool {
    let wanted: std::collections::BTreeSet<PaneRef> = model
        .observer
        .records()
        .filter(|(_, a)| super::super::active(&a.status))
        .map(|(session, a)| PaneRef::of(session, a))
        .collect();
    let wanted: Vec<PaneRef> = wanted.into_iter().collect();
    let asked = looks(effects).iter().all(|panes| *panes == wanted);
    let (named, _, _) = model.binder.wanted_kept();
    asked && named.iter().eq(wanted.iter())
}

/// Whether the ties are those the last look makes (it would change none of them again), each
/// run it found bound to a pane tied to the bead of the first active card (by session, then
/// bead) naming that pane, worked out from every store's records.
fn ties_in_step(model: &Model) -> bool {
    if !model.tie_changes(&[]).is_empty() {
        return false;
    }
    let Known::Panes(bindings) = &model.binder.known else {
        return true;
    };
    let mut naming: HashMap<PaneRef, BTreeSet<(String, String)>> = HashMap::new();
    for (session, a) in model.observer.records() {
        if crate::app::model::binding::active(&a.status) {
            let cards = naming.entry(PaneRef::of(session, a)).or_default();
            cards.insert((session.to_owned(), a.bead_id.clone()));
        }
    }
    let mut beads: HashMap<PathBuf, Option<String>> = HashMap::new();
    for (pane, state) in &bindings.panes {
        if let Some(key) = state.bound().and_then(|b| b.key.as_ref()) {
            let first = naming.get(pane).and_then(|c| c.first());
            beads.insert(key.clone(), first.map(|(_, bead)| bead.clone()));
        }
    }
    let ties = model.runs.ties();
    beads
        .iter()
        .all(|(key, bead)| ties.get(key).map(|t| &t.bead) == Some(bead))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn incremental_refreshes_equal_the_full_one(steps in proptest::collection::vec(step(), 1..24)) {
        let mut model = model();
        for step in steps {
            take(&mut model, step.clone());
            prop_assert!(in_step(&model), "out of step after {step:?}");
        }
    }

    #[test]
    fn before_the_stores_first_read_agents_news_is_shown_not_announced(
        steps in proptest::collection::vec(step_starting(), 1..24)
    ) {
        let mut model = model();
        model.sessions_observed = false;
        for step in steps {
            let observed = model.sessions_observed;
            let told = bead_notices(&model);
            take(&mut model, step.clone());
            prop_assert!(observed || bead_notices(&model) == told, "announced after {step:?}");
            prop_assert!(settled_already(&model), "left unsettled after {step:?}");
            prop_assert!(in_step(&model), "out of step after {step:?}");
        }
    }

    #[test]
    fn looks_are_at_the_panes_every_store_names(
        steps in proptest::collection::vec(step_looking(), 1..32)
    ) {
        let mut model = model_binding(Some(crate::tmux::Tmux::default()));
        for step in steps {
            let look = matches!(step, Step::Look(_) | Step::Change(_) | Step::Failed);
            let effects = take(&mut model, step.clone());
            prop_assert!(looks_in_step(&model, effects), "looks out of step after {step:?}");
            prop_assert!(in_step(&model), "out of step after {step:?}");
            prop_assert!(!look || ties_in_step(&model), "ties out of step after {step:?}");
        }
    }
}

/// A session coming while a look is under way asks for another at the panes named since, not
/// at those named when the first was asked for (so the property above compares something).
#[test]
fn a_look_asked_for_meanwhile_is_at_the_panes_named_since() {
    let mut model = model_binding(Some(crate::tmux::Tmux::default()));
    let first = take(&mut model, Step::Store(0, vec![(2, 1, 1)]));
    assert_eq!(looks(first).len(), 1, "a card with a pane asks for a look");
    let named = take(&mut model, Step::Store(1, vec![(3, 0, 2)]));
    let came = take(&mut model, Step::Read(0, Some(1)));
    assert!(
        looks(named).is_empty() && looks(came).is_empty(),
        "one look at a time"
    );
    let ended = take(&mut model, Step::Look(Vec::new()));
    let both = vec![
        PaneRef::Index {
            session: "s0".into(),
            index: 1,
        },
        PaneRef::Index {
            session: "s1".into(),
            index: 2,
        },
    ];
    assert_eq!(looks(ended), vec![both]);
}
