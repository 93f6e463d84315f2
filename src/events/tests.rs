//! The observer on real files: runs and stores change, events come out once.

use super::*;
use crate::persist::assignment::AssignmentStore;
use crate::persist::run::{Manager, Paths, RunConfig, RunRecord, State};
use crate::present::attention::Thresholds;

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
    let now = Utc::now();
    let mut o = Observer::new(Thresholds::default());
    let first = o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    assert!(matches!(&first[..], [Event::Run { from: None, to: Some(s), .. }] if s == "submitted"));
    o.settle();

    run.transcript.log_signal("claude", 1, "FAIL").unwrap();
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

    run.transcript.log_signal("claude", 2, "FAIL").unwrap();
    let events = o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    assert_eq!(
        attention(&events),
        vec![("webapp #1".into(), Level::Attention, true)]
    );
    assert_eq!(o.needing_attention().len(), 1, "a new FAIL counts again");

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

    let gone = o.runs::<RunRecord>(&[], now);
    assert!(matches!(&gone[..], [Event::Run { to: None, .. }]));
}

#[test]
fn stale_runs_and_waiting_beads_come_due_by_the_clock() {
    let root = tempfile::tempdir().unwrap();
    let run = Manager::new(Paths::new(root.path()), "/src/api")
        .create("task", &RunConfig::default())
        .unwrap();
    let mut store = AssignmentStore::new(root.path(), "s").unwrap();
    let a = store.assign("wa-1", "One", 1, "claude", "", "").unwrap();
    let now = Utc::now();
    let mut o = Observer::new(Thresholds::default());
    o.run(run.dir(), Some(&RunRecord::load(run.dir()).unwrap()), now);
    o.store("s", &store.list(), now);
    o.settle();
    let due = o.next_change().unwrap();
    assert!(due > now && due <= now + chrono::Duration::minutes(10));
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
    assert_eq!(o.next_change(), None);

    store.mark_working("wa-1").unwrap();
    let events = o.store("s", &store.list(), later);
    assert!(events.iter().any(|e| matches!(e, Event::Bead { from: Some(f), to: Some(t), .. } if f == "assigned" && t == "working")));
    assert_eq!(
        attention(&events),
        vec![("wa-1".into(), Level::Fine, false)]
    );
    let json = serde_json::to_string(&events[0]).unwrap();
    assert!(json.starts_with("{\"event\":\"bead\""), "{json}");
    assert!(o.bead_condition("s", &a.bead_id).is_some());
    let removed = o.store("s", &[], later);
    assert!(matches!(&removed[..], [Event::Bead { to: None, .. }]));
}
