//! Attention, headless: conditions derived from the golden data, the header count, `i` walking
//! the items in screen order, `A` acknowledging until the situation changes, notifications
//! delivered once per situation through a capturing notifier (never for the item the user is
//! looking at), time-driven conditions, and a card's details with its history.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::{Change, Msg};
use beadboard::app::model::{Overlay, Pane};
use beadboard::app::notices::deliver;
use beadboard::app::step;
use beadboard::events::Item;
use beadboard::notification::{Capture, ItemKind, NoticeKind};
use beadboard::persist::assignment::AssignmentStore;
use beadboard::persist::run::Transcript;
use beadboard::present::attention::ReasonCode;
use common::dash::{Home, now, press, screen, status};

const RUN_2: &str = "runs/43d7567239bfd176/2";
const API_2: &str = "runs/ea93126eefee3546/2";

#[test]
fn the_golden_data_needs_attention_where_it_should() {
    let home = Home::golden();
    let m = home.model(200, 50, true);
    let mut got: Vec<String> = m
        .attention_order()
        .iter()
        .map(|i| match i {
            Item::Run(dir) => format!(
                "run {}",
                dir.strip_prefix(home.agentpair()).unwrap().display()
            ),
            Item::Bead { session, bead } => format!("bead {session}/{bead}"),
            Item::HostBead {
                host,
                session,
                bead,
            } => format!("bead {host}:{session}/{bead}"),
        })
        .collect();
    got.sort();
    // Failed runs and beads, runs that are stale by the file times, and the bead assigned in
    // February and never started.
    assert!(
        got.contains(&"run runs/43d7567239bfd176/3".to_owned()),
        "{got:?}"
    );
    assert!(got.contains(&"bead webapp/wa-1f6b".to_owned()), "{got:?}");
    assert!(got.contains(&"bead webapp/wa-9p4e".to_owned()), "{got:?}");
    assert!(
        !got.iter().any(|g| g.contains("wa-3kd9")),
        "a completed bead is finished, not waiting: {got:?}"
    );
    let count = m.observer.attention_count();
    assert_eq!(count, got.len());
    assert!(
        screen(&m).contains(&format!("⚑ {count} need you (i)")),
        "{}",
        screen(&m)
    );
}

#[test]
fn i_walks_the_items_and_a_acknowledges_until_they_change() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    let total = m.observer.attention_count();
    let mut visited = Vec::new();
    for _ in 0..total {
        press(&mut m, "i");
        assert!(
            status(&m).starts_with("needs attention ("),
            "{}",
            status(&m)
        );
        visited.push(m.selected_item().unwrap());
    }
    let mut unique = visited.clone();
    unique.dedup();
    assert_eq!(unique.len(), total, "each item once: {visited:?}");
    press(&mut m, "i");
    assert_eq!(m.selected_item(), Some(visited[0].clone()), "wraps around");

    // Go to the failed bead wa-1f6b and acknowledge it.
    while m.selected_item()
        != Some(Item::Bead {
            session: "webapp".into(),
            bead: "wa-1f6b".into(),
        })
    {
        press(&mut m, "i");
    }
    assert_eq!(m.focus, Pane::Board);
    assert!(screen(&m).contains("⚑ wa-1f6b"), "{}", screen(&m));
    // `A` acknowledges what is shown: filtered down to wa-1f6b, after y.
    press(&mut m, "/");
    common::dash::type_text(&mut m, "wa-1f6b");
    press(&mut m, "Enter A");
    assert!(
        matches!(m.overlay, Some(Overlay::Confirm(_))),
        "A asks first"
    );
    press(&mut m, "y");
    assert!(status(&m).starts_with("acknowledged 1;"), "{}", status(&m));
    assert_eq!(m.observer.attention_count(), total - 1);
    assert!(
        screen(&m).contains("⚐ wa-1f6b"),
        "acknowledged cards keep a hollow flag"
    );
    press(&mut m, "A");
    assert!(
        m.overlay.is_none() && status(&m).starts_with("nothing shown here needs attention"),
        "acknowledging twice changes nothing: {}",
        status(&m)
    );
    assert_eq!(m.observer.attention_count(), total - 1);

    // The same bead fails again (retry, then fail): a new situation, counted again.
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store.retry("wa-1f6b").unwrap();
    store.mark_failed("wa-1f6b", "crashed again").unwrap();
    step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    assert_eq!(m.observer.attention_count(), total);
}

#[test]
fn notices_come_once_per_situation_and_skip_what_you_look_at() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    let mut capture = Capture::new();
    deliver(&mut m, &mut capture);
    assert!(
        capture.take().is_empty(),
        "what needed attention at start is not news"
    );

    // An error entry in a run that is not selected (one review FAIL would be the loop at
    // work, no news).
    let selected = m.runs.selected().unwrap().dir.clone();
    let other = [RUN_2, API_2]
        .iter()
        .map(|r| home.agentpair().join(r))
        .find(|d| *d != selected)
        .unwrap();
    Transcript::new(other.join("transcript.jsonl"), 2)
        .log_error("claude", 7, "agent crashed")
        .unwrap();
    for _ in 0..2 {
        step(&mut m, Msg::Disk(Change::Transcript(other.clone())), now());
    }
    deliver(&mut m, &mut capture);
    let got = capture.take();
    assert_eq!(got.len(), 1, "one notice for one situation: {got:?}");
    let n = &got[0];
    assert_eq!((n.event, n.kind), (NoticeKind::Attention, ItemKind::Run));
    assert_eq!(n.body, "error from claude in iteration 7: agent crashed");
    assert!(n.title.ends_with("needs attention"), "{}", n.title);
    assert_eq!(n.reason_code, Some(ReasonCode::Error));
    assert!(
        n.repo
            .as_deref()
            .is_some_and(|r| r.starts_with("/home/dev/src/"))
    );

    // The same in the selected run: the user is looking at it.
    Transcript::new(selected.join("transcript.jsonl"), 2)
        .log_error("claude", 7, "agent crashed")
        .unwrap();
    step(
        &mut m,
        Msg::Disk(Change::Transcript(selected.clone())),
        now(),
    );
    deliver(&mut m, &mut capture);
    assert!(capture.take().is_empty(), "no notice for the selected run");

    // A bead finishing.
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store.mark_completed("wa-5tq0").unwrap();
    step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    deliver(&mut m, &mut capture);
    let got = capture.take();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].event, got[0].kind),
        (NoticeKind::Finished, ItemKind::Bead)
    );
    assert_eq!(got[0].reference, "webapp/wa-5tq0");
    assert_eq!(got[0].reason_code, Some(ReasonCode::Completed));
    assert_eq!(got[0].session.as_deref(), Some("webapp"));
}

#[test]
fn notices_for_the_selected_item_when_asked_for() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    m.settings.notify_selected = true;
    let selected = m.runs.selected().unwrap().dir.clone();
    Transcript::new(selected.join("transcript.jsonl"), 2)
        .log_error("codex", 4, "tool crashed")
        .unwrap();
    step(&mut m, Msg::Disk(Change::Transcript(selected)), now());
    let mut capture = Capture::new();
    deliver(&mut m, &mut capture);
    assert_eq!(capture.take().len(), 1);
}

#[test]
fn a_bead_waiting_too_long_is_noticed_by_the_clock_alone() {
    let home = Home::empty();
    let mut store = AssignmentStore::new(&home.ntm(), "fresh")
        .unwrap()
        .with_clock(beadboard::persist::assignment::Clock::from_fn(|| {
            now().fixed_offset()
        }));
    store.assign("fr-1", "Fresh", 1, "claude", "", "").unwrap();
    let mut m = home.model(120, 30, true);
    assert_eq!(m.observer.attention_count(), 0);
    let due = m.observer.next_change().unwrap();
    let wait = beadboard::app::update::next_wakeup(&m, now()).unwrap();
    assert!(
        wait <= std::time::Duration::from_secs(600),
        "the loop wakes in time: {wait:?}"
    );
    step(&mut m, Msg::Tick, due + chrono::Duration::seconds(1));
    assert_eq!(m.observer.attention_count(), 1);
    let mut capture = Capture::new();
    deliver(&mut m, &mut capture);
    let got = capture.take();
    assert_eq!(got.len(), 1);
    assert!(got[0].body.starts_with("assigned 10m"), "{}", got[0].body);
    assert_eq!(got[0].reason_code, Some(ReasonCode::NotStarted));
}

#[test]
fn enter_on_a_card_shows_its_history() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store
        .reassign("wa-7hq2", 6, "codex", "webapp_codex_6")
        .unwrap();
    store.mark_working("wa-7hq2").unwrap();
    step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    m.board.follow_bead("wa-7hq2");
    m.focus = Pane::Board;
    press(&mut m, "Enter");
    assert!(
        matches!(&m.overlay, Some(Overlay::Card { bead, history: Some(Ok(h)), .. }) if bead == "wa-7hq2" && h.len() == 2)
    );
    let text = screen(&m);
    assert!(
        text.contains("History (assignments.history.jsonl)"),
        "{text}"
    );
    assert!(
        text.contains("reassign")
            && text.contains("working → assigned")
            && text.contains("pane 4 → 6"),
        "{text}"
    );
    assert!(text.contains("assigned → working"), "{text}");
    store.mark_completed("wa-7hq2").unwrap();
    step(&mut m, Msg::Disk(Change::History("webapp".into())), now());
    assert!(
        screen(&m).contains("working → completed"),
        "the open card follows the log"
    );
    press(&mut m, "Esc");
    assert!(m.overlay.is_none());
}

/// A bead retried a minute ago is not flagged "assigned 1h ago, not started": the dashboard
/// reads the history log and counts the wait from the retry (the store keeps the first
/// `assigned_at`).
#[test]
fn a_retried_bead_counts_its_wait_from_the_retry() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    let home = Home::empty();
    let minutes = Arc::new(AtomicI64::new(-65));
    let clock = {
        let minutes = Arc::clone(&minutes);
        beadboard::persist::assignment::Clock::from_fn(move || {
            (now() + chrono::Duration::minutes(minutes.load(Ordering::SeqCst))).fixed_offset()
        })
    };
    let mut store = AssignmentStore::new(&home.ntm(), "rt")
        .unwrap()
        .with_clock(clock);
    store
        .assign("rt-1", "Retried", 1, "claude", "", "")
        .unwrap();
    minutes.store(-30, Ordering::SeqCst);
    store.mark_failed("rt-1", "tests red").unwrap();
    minutes.store(-1, Ordering::SeqCst);
    store.retry("rt-1").unwrap();
    let mut m = home.model(120, 40, true);
    let (condition, _) = m.observer.bead_condition("rt", "rt-1", now()).unwrap();
    assert_eq!(
        condition.level,
        beadboard::present::attention::Level::Fine,
        "{}",
        condition.reason
    );
    m.focus = beadboard::app::model::Pane::Board;
    assert!(!screen(&m).contains("not started"), "{}", screen(&m));
    // Ten minutes after the retry it is due, and says how long since the retry.
    let later = now() + chrono::Duration::minutes(10);
    step(&mut m, Msg::Tick, later);
    let (condition, _) = m.observer.bead_condition("rt", "rt-1", later).unwrap();
    assert_eq!(condition.reason, "retried 11m00s ago, not started");
}
