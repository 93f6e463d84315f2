//! The observer on real files: runs and stores change, events come out once.

use super::*;
use crate::persist::assignment::AssignmentStore;
use crate::persist::run::{Manager, Paths, RunConfig, RunRecord, State};
use crate::present::attention::Thresholds;

/// How far past its threshold a condition is said to change (see `attention::past`).
const MS: chrono::TimeDelta = chrono::Duration::milliseconds(1);

fn attention(events: &[Event]) -> Vec<(String, Level, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Attention {
                name, level, new, ..
            } => Some((name.clone(), *level, *new)),
            _ => None,
        })
        .collect()
}

#[test]
fn runs_report_state_changes_and_attention_once() {
    let root = tempfile::tempdir().unwrap();
    let mut run = Manager::new(Paths::new(root.path()), "/src/webapp")
        .create("task", &RunConfig::default())
        .unwrap();
    let record = RunRecord::load(run.dir()).unwrap();
    // "Now" is when the files were written, so the test holds on any date.
    let now = record.last_activity().unwrap();
    let mut o = Observer::new(Thresholds::default());
    let first = o.run(run.dir(), Some(&record), now);
    assert!(matches!(&first[..], [Event::Run { from: None, to: Some(s), .. }] if s == "submitted"));
    o.settle();

    run.transcript
        .log_error("codex", 1, "rate limited")
        .unwrap();
    let record = RunRecord::load(run.dir()).unwrap();
    let events = o.run(run.dir(), Some(&record), now);
    assert_eq!(
        attention(&events),
        vec![("webapp #1".into(), Level::Attention, true)]
    );
    assert!(
        o.run(run.dir(), Some(&record), now).is_empty(),
        "same look, no news"
    );
    assert_eq!(
        o.needing_attention(),
        vec![Item::Run(run.dir().to_path_buf())]
    );
    assert!(o.acknowledge(&Item::Run(run.dir().to_path_buf())));
    assert!(o.needing_attention().is_empty(), "acknowledged");

    run.transcript
        .log_error("codex", 2, "rate limited again")
        .unwrap();
    let events = o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    assert_eq!(
        attention(&events),
        vec![("webapp #1".into(), Level::Attention, true)]
    );
    assert_eq!(o.needing_attention().len(), 1, "a new error counts again");

    run.manifest.set_state(State::Completed);
    run.save().unwrap();
    run.transcript.log_signal("claude", 2, "PASS").unwrap();
    let events = o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    assert!(
        matches!(&events[0], Event::Run { from: Some(f), to: Some(t), .. } if f == "submitted" && t == "completed")
    );
    assert_eq!(
        attention(&events),
        vec![("webapp #1".into(), Level::Finished, true)]
    );
    assert!(o.needing_attention().is_empty());

    // Finished and fine, it is no longer remembered: its vanishing is no news.
    assert!(o.runs::<RunRecord>(&[], now).is_empty());
    // One that is remembered (running) vanishing is.
    run.manifest.set_state(State::Working);
    run.save().unwrap();
    o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    let gone = o.runs::<RunRecord>(&[], now);
    assert!(
        matches!(&gone[..], [Event::Run { to: None, .. }]),
        "{gone:?}"
    );
}

#[test]
fn stale_runs_and_waiting_beads_come_due_by_the_clock() {
    let root = tempfile::tempdir().unwrap();
    let run = Manager::new(Paths::new(root.path()), "/src/api")
        .create("task", &RunConfig::default())
        .unwrap();
    let mut store = AssignmentStore::new(root.path(), "s").unwrap();
    let a = store.assign("wa-1", "One", 1, "claude", "", "").unwrap();
    // "Now" is when the bead was assigned, so the test holds on any date.
    let now = a.assigned_at.with_timezone(&Utc);
    let mut o = Observer::new(Thresholds::default());
    o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    o.store("s", &store.list(), now);
    o.settle();
    let due = o.next_change().unwrap();
    assert!(due > now && due <= now + chrono::Duration::minutes(10) + MS);
    assert!(o.tick(now).is_empty(), "nothing due yet");
    let later = now + chrono::Duration::minutes(11);
    let events = o.tick(later);
    let mut got = attention(&events);
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            ("api #1".into(), Level::Attention, true),
            ("wa-1".into(), Level::Attention, true)
        ]
    );
    assert!(o.tick(later).is_empty(), "announced once");
    // Next, both leave the window: a day after they began, they are history.
    let leaves = o.next_change().unwrap();
    assert!(
        leaves > now + chrono::Duration::hours(23)
            && leaves <= now + chrono::Duration::hours(24) + MS
    );
    let day_later = now + chrono::Duration::hours(25);
    let mut aged = o.clone();
    let expired = aged.tick(day_later);
    let mut got = attention(&expired);
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            ("api #1".into(), Level::Fine, false),
            ("wa-1".into(), Level::Fine, false)
        ],
        "history is no news"
    );
    assert_eq!(aged.attention_count(), 0);

    store.mark_working("wa-1").unwrap();
    let events = o.store("s", &store.list(), later);
    assert!(events.iter().any(|e| matches!(e, Event::Bead { from: Some(f), to: Some(t), .. } if f == "assigned" && t == "working")));
    assert_eq!(
        attention(&events),
        vec![("wa-1".into(), Level::Fine, false)]
    );
    let json = serde_json::to_string(&events[0]).unwrap();
    assert!(json.starts_with("{\"event\":\"bead\""), "{json}");
    assert!(o.bead_condition("s", &a.bead_id, now).is_some());
    let removed = o.store("s", &[], later);
    assert!(matches!(&removed[..], [Event::Bead { to: None, .. }]));
}

/// A store in `root` whose clock reads `minutes` after 2026-03-30T09:00:00Z.
fn store_at(
    root: &std::path::Path,
) -> (
    AssignmentStore,
    std::sync::Arc<std::sync::atomic::AtomicI64>,
    impl Fn(i64) -> DateTime<Utc>,
) {
    use std::sync::atomic::Ordering;
    let base = crate::persist::gojson::parse_time("2026-03-30T09:00:00Z").unwrap();
    let minutes = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let read = minutes.clone();
    let clock = crate::persist::assignment::Clock::from_fn(move || {
        base + chrono::Duration::minutes(read.load(Ordering::SeqCst))
    });
    let store = AssignmentStore::new(root, "s").unwrap().with_clock(clock);
    let at = move |m: i64| (base + chrono::Duration::minutes(m)).with_timezone(&Utc);
    (store, minutes, at)
}

fn reasons(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Attention { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

fn history(store: &AssignmentStore) -> Vec<crate::persist::assignment::HistoryRecord> {
    crate::persist::assignment::read_history(&store.history_path()).unwrap()
}

#[test]
fn a_retried_bead_waits_from_the_retry_by_the_history() {
    use std::sync::atomic::Ordering;
    let root = tempfile::tempdir().unwrap();
    let (mut store, minutes, at) = store_at(root.path());
    store.assign("wa-1", "One", 1, "claude", "", "").unwrap();
    minutes.store(5, Ordering::SeqCst);
    store.mark_failed("wa-1", "pane died").unwrap();
    minutes.store(65, Ordering::SeqCst);
    let retried = store.retry("wa-1").unwrap();
    assert_eq!(
        retried.assigned_at.with_timezone(&Utc),
        at(0),
        "upstream keeps it"
    );
    // Seen first (at start) one minute after the retry, with the history: not flagged.
    let mut o = Observer::new(Thresholds::default());
    o.history("s", &history(&store), at(66));
    let events = o.store("s", &store.list(), at(66));
    assert_eq!(attention(&events), vec![], "{:?}", reasons(&events));
    assert_eq!(
        o.bead_condition("s", "wa-1", at(66)).unwrap().0.level,
        Level::Fine
    );
    // It comes due ten minutes after the retry, and says so.
    assert_eq!(o.next_change(), Some(at(75) + MS));
    let events = o.tick(at(76));
    assert_eq!(reasons(&events), ["retried 11m00s ago, not started"]);
    // Without the history, the store alone says what it says.
    let mut blind = Observer::new(Thresholds::default());
    let events = blind.store("s", &store.list(), at(66));
    assert_eq!(reasons(&events), ["assigned 1h06m ago, not started"]);
    // ...until the history comes: then it is fine again.
    let events = blind.history("s", &history(&store), at(66));
    assert_eq!(
        attention(&events),
        vec![("wa-1".into(), Level::Fine, false)]
    );
}

/// A session's history log read whole each time, or followed as it grows.
struct Log {
    follow: bool,
    cursor: crate::persist::assignment::HistoryCursor,
}

impl Log {
    fn read(&mut self, o: &mut Observer, store: &AssignmentStore, at: DateTime<Utc>) -> Vec<Event> {
        if !self.follow {
            return o.history("s", &history(store), at);
        }
        let tail =
            crate::persist::assignment::read_history_since(&store.history_path(), self.cursor)
                .unwrap();
        self.cursor = tail.cursor;
        o.history_read("s", &tail, at)
    }
}

#[test]
fn a_retry_seen_live_counts_from_when_it_was_seen_until_the_history_has_it() {
    retry_seen_live(false);
}

#[test]
fn a_history_followed_as_it_grows_says_what_the_whole_history_says() {
    retry_seen_live(true);
}

fn retry_seen_live(follow: bool) {
    use std::sync::atomic::Ordering;
    let root = tempfile::tempdir().unwrap();
    let (mut store, minutes, at) = store_at(root.path());
    store.assign("wa-1", "One", 1, "claude", "", "").unwrap();
    minutes.store(5, Ordering::SeqCst);
    store.mark_failed("wa-1", "pane died").unwrap();
    let mut o = Observer::new(Thresholds::default());
    let mut log = Log {
        follow,
        cursor: Default::default(),
    };
    log.read(&mut o, &store, at(6));
    o.store("s", &store.list(), at(6));
    o.settle();
    minutes.store(65, Ordering::SeqCst);
    store.retry("wa-1").unwrap();
    // The store changed; its history line has not been read yet.
    let events = o.store("s", &store.list(), at(66));
    assert_eq!(
        attention(&events),
        vec![("wa-1".into(), Level::Fine, false)],
        "{:?}",
        reasons(&events)
    );
    assert_eq!(
        o.next_change(),
        Some(at(76) + MS),
        "counted from the sighting"
    );
    // The history arrives: the exact time of the retry replaces the sighting.
    assert!(log.read(&mut o, &store, at(66)).is_empty());
    assert_eq!(o.next_change(), Some(at(75) + MS));
    let events = o.tick(at(80));
    assert_eq!(reasons(&events), ["retried 15m00s ago, not started"]);
    // Started, failed and retried again: the new retry counts.
    minutes.store(81, Ordering::SeqCst);
    store.mark_working("wa-1").unwrap();
    minutes.store(82, Ordering::SeqCst);
    store.mark_failed("wa-1", "again").unwrap();
    minutes.store(90, Ordering::SeqCst);
    store.retry("wa-1").unwrap();
    o.store("s", &store.list(), at(91));
    assert_eq!(
        o.bead_condition("s", "wa-1", at(91)).unwrap().0.level,
        Level::Fine
    );
    assert_eq!(o.next_change(), Some(at(101) + MS), "seen live at 91");
    log.read(&mut o, &store, at(91));
    assert_eq!(o.next_change(), Some(at(100) + MS), "the history says 90");
}

#[test]
fn the_next_change_is_the_earliest_of_every_session_and_exact() {
    let root = tempfile::tempdir().unwrap();
    let mut o = Observer::new(Thresholds::default());
    let mut first = None;
    let mut stores = Vec::new();
    for s in 0..50 {
        let mut store = AssignmentStore::new(root.path(), &format!("s{s}")).unwrap();
        store.assign("wa-1", "One", 1, "claude", "", "").unwrap();
        let at = store.list()[0].assigned_at.with_timezone(&Utc);
        first = Some(first.map_or(at, |f: DateTime<Utc>| f.min(at)));
        o.store(&format!("s{s}"), &store.list(), at);
        stores.push(store);
    }
    let first = first.unwrap();
    let due = o.next_change().unwrap();
    assert!(due > first && due <= first + chrono::Duration::minutes(10) + MS);
    // Every bead starts working: nothing will come due, but the bound stays until a tick.
    for (s, store) in stores.iter_mut().enumerate() {
        store.mark_working("wa-1").unwrap();
        o.store(&format!("s{s}"), &store.list(), first);
    }
    assert_eq!(
        o.next_change(),
        None,
        "exact at once: nothing will come due"
    );
    assert!(o.tick(due).is_empty(), "nothing is due");
}
