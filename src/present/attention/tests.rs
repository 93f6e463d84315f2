//! Conditions derived from real run directories and store records.

use super::*;
use crate::persist::assignment::AssignmentStore;
use crate::persist::run::{Manager, Paths, RunConfig, RunRecord, RunSummary, ToSummary};

fn run_with(log: impl FnOnce(&crate::persist::run::Transcript)) -> (tempfile::TempDir, RunSummary) {
    let root = tempfile::tempdir().unwrap();
    let run = Manager::new(Paths::new(root.path()), "/src/webapp")
        .create("task", &RunConfig::default())
        .unwrap();
    log(&run.transcript);
    let record = RunRecord::load(run.dir())
        .unwrap()
        .to_summary()
        .into_owned();
    (root, record)
}

#[test]
fn trouble_needs_attention_until_resolved() {
    let limits = Thresholds::default();
    let (_r, fine) = run_with(|t| {
        t.log_signal("codex", 1, "PASS").unwrap();
    });
    // "Now" is when the files were written, so the test holds on any date.
    let now = fine.last_activity().unwrap();
    assert_eq!(run_condition(&fine, now, &limits).level, Level::Fine);

    let (_r, failing) = run_with(|t| {
        t.log_signal("claude", 2, "FAIL").unwrap();
    });
    let c = run_condition(&failing, now, &limits);
    assert_eq!(c.level, Level::Attention);
    assert_eq!(c.reason, "FAIL signal from claude in iteration 2");
    assert!(c.key.starts_with("fail_signal@"));
    assert_eq!(c.code, ReasonCode::FailSignal);

    let (_r, resolved) = run_with(|t| {
        t.log_error("codex", 1, "rate limited\u{1b}[2J").unwrap();
        t.log_signal("claude", 1, "done").unwrap();
    });
    assert_eq!(run_condition(&resolved, now, &limits).level, Level::Fine);

    let (_r, erring) = run_with(|t| {
        t.log_signal("claude", 1, "PASS").unwrap();
        t.log_error("codex", 2, "rate limited\u{1b}[2J").unwrap();
    });
    let c = run_condition(&erring, now, &limits);
    assert_eq!(c.reason, "error from codex in iteration 2: rate limited");
}

#[test]
fn limits_staleness_and_endings() {
    let limits = Thresholds::default();
    let (_r, mut run) = run_with(|_| {});
    let now = run.last_activity().unwrap();
    assert_eq!(run_condition(&run, now, &limits).level, Level::Fine);
    let later = now + chrono::Duration::minutes(11);
    let stale = run_condition(&run, later, &limits);
    assert_eq!(stale.level, Level::Attention);
    assert!(
        stale.reason.starts_with("stale: quiet for 1"),
        "{}",
        stale.reason
    );
    assert!(run_changes_at(&run, &limits).is_some_and(|t| t > now && t < later));

    let RunKind::Agentpair(m) = &mut run.kind else {
        unreachable!()
    };
    m.current_iteration = 20;
    let c = run_condition(&run, now, &limits);
    assert_eq!(c.reason, "at its iteration limit (20/20)");

    let RunKind::Agentpair(m) = &mut run.kind else {
        unreachable!()
    };
    m.state = State::Completed;
    m.completed_at = Some(now.fixed_offset());
    assert_eq!(run_condition(&run, later, &limits).level, Level::Finished);
    assert_eq!(run_changes_at(&run, &limits), None);
    let RunKind::Agentpair(m) = &mut run.kind else {
        unreachable!()
    };
    m.state = State::Failed;
    let failed = run_condition(&run, later, &limits);
    assert_eq!(
        (failed.level, failed.reason.as_str()),
        (Level::Attention, "failed")
    );
}

#[test]
fn beads() {
    let home = tempfile::tempdir().unwrap();
    let mut store = AssignmentStore::new(home.path(), "s").unwrap();
    let a = store.assign("a", "A", 1, "claude", "", "").unwrap();
    let limits = Thresholds::default();
    let t0 = a.assigned_at.with_timezone(&Utc);
    assert_eq!(bead_condition(&a, t0, &limits).level, Level::Fine);
    let late = bead_condition(&a, t0 + chrono::Duration::minutes(14), &limits);
    assert_eq!(late.level, Level::Attention);
    assert_eq!(late.reason, "assigned 14m00s ago, not started");
    assert_eq!(
        bead_changes_at(&a, &limits),
        Some(t0 + chrono::Duration::minutes(10))
    );
    store.mark_working("a").unwrap();
    let failed = store.mark_failed("a", "pane died").unwrap();
    let c = bead_condition(&failed, t0, &limits);
    assert_eq!(
        (c.level, c.reason.as_str()),
        (Level::Attention, "failed: pane died")
    );
    assert_eq!(bead_changes_at(&failed, &limits), None);
    let retried = store.retry("a").unwrap();
    assert_ne!(bead_condition(&retried, t0, &limits).key, c.key);
}

#[test]
fn a_retried_bead_waits_from_the_retry() {
    let home = tempfile::tempdir().unwrap();
    let mut store = AssignmentStore::new(home.path(), "s").unwrap();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    store.mark_failed("a", "gone").unwrap();
    let retried = store.retry("a").unwrap();
    let limits = Thresholds::default();
    let t0 = retried.assigned_at.with_timezone(&Utc);
    let retry = t0 + chrono::Duration::minutes(65);
    let now = retry + chrono::Duration::minutes(1);
    // From the store alone: the first assignment.
    assert_eq!(
        bead_condition(&retried, now, &limits).reason,
        "assigned 1h06m ago, not started"
    );
    // From the retry: fine, due ten minutes after it, then flagged as retried.
    assert_eq!(
        bead_condition_since(&retried, retry, now, &limits).level,
        Level::Fine
    );
    assert_eq!(
        bead_changes_at_since(&retried, retry, &limits),
        Some(retry + chrono::Duration::minutes(10))
    );
    let late = bead_condition_since(
        &retried,
        retry,
        retry + chrono::Duration::minutes(12),
        &limits,
    );
    assert_eq!(
        (late.level, late.reason.as_str()),
        (Level::Attention, "retried 12m00s ago, not started")
    );
    assert_eq!(late.key, format!("not_started@{}", retry.to_rfc3339()));
    // A time before the store's own never moves the wait back.
    let early = t0 - chrono::Duration::hours(1);
    assert_eq!(
        bead_condition_since(&retried, early, now, &limits),
        bead_condition(&retried, now, &limits)
    );
}
