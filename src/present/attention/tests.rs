//! Conditions on runs and beads made with an injected `now`: old and superseded failures,
//! FAIL streaks, staleness, the window, and beads.

use super::*;
use crate::persist::assignment::AssignmentStore;
use crate::persist::run::{
    Manager, Manifest, Paths, Peek, RunConfig, RunRecord, RunSummary, ToSummary, Trouble,
};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// A run of `prompt` in `repo`, `state`, started at `started` and (when finished) finished
/// at `ended`, with no files.
fn run(id: i64, repo: &str, prompt: &str, state: State, started: &str, ended: &str) -> RunSummary {
    let mut m = Manifest::new(id, repo, "0123456789abcdef", prompt);
    m.state = state;
    m.created_at = at(started).fixed_offset();
    m.updated_at = at(ended).fixed_offset();
    if m.state.is_terminal() {
        m.completed_at = Some(at(ended).fixed_offset());
    }
    RunSummary::of_manifest(&m)
}

fn fails(n: u32, iteration: i64) -> Option<Box<Peek>> {
    Some(Box::new(Peek {
        iteration,
        trouble: Some(Trouble {
            offset: 900,
            agent: "claude".into(),
            iteration,
            error: None,
            fails: n,
            since: 100,
        }),
    }))
}

#[test]
fn a_failed_run_needs_attention_only_while_recent() {
    let limits = Thresholds::default();
    let failed = run(
        4,
        "/src/api",
        "fix it",
        State::Failed,
        "2026-11-22T09:00:00Z",
        "2026-11-22T10:00:00Z",
    );
    let c = run_condition(&failed, at("2026-11-22T16:00:00Z"), &limits, false);
    assert_eq!((c.level, c.reason.as_str()), (Level::Attention, "failed"));
    // A day after it failed, it is history: shown, not counted.
    let day_later = at("2026-11-23T10:00:01Z");
    assert_eq!(
        run_condition(&failed, day_later, &limits, false).level,
        Level::Fine
    );
    assert_eq!(
        run_changes_at(&failed, at("2026-11-22T16:00:00Z"), &limits),
        Some(at("2026-11-23T10:00:00.001Z")),
        "it leaves the window, just past its end, with no file changing"
    );
    // A clock that reads the window's very end still sees the failure, and is told the
    // change is still to come (it used to be told nothing, and the run stayed flagged).
    let end = at("2026-11-23T10:00:00Z");
    assert_eq!(
        run_condition(&failed, end, &limits, false).level,
        Level::Attention
    );
    assert_eq!(
        run_changes_at(&failed, end, &limits),
        Some(at("2026-11-23T10:00:00.001Z"))
    );
    assert_eq!(
        run_condition(&failed, at("2026-11-23T10:00:00.001Z"), &limits, false).level,
        Level::Fine
    );
    assert_eq!(run_changes_at(&failed, day_later, &limits), None);
    // The window is the config's.
    let hour = Thresholds {
        window: std::time::Duration::from_secs(3600),
        ..limits
    };
    assert_eq!(
        run_condition(&failed, at("2026-11-22T11:00:01Z"), &hour, false).level,
        Level::Fine
    );
}

#[test]
fn a_failed_run_a_later_run_took_over_needs_nobody() {
    let limits = Thresholds::default();
    let now = at("2026-11-22T16:00:00Z");
    let failed = run(
        4,
        "/src/api",
        "Work on bead wa-9: fix it",
        State::Failed,
        "2026-11-22T09:00:00Z",
        "2026-11-22T10:00:00Z",
    );
    let again = run(
        5,
        "/src/api",
        "Work on bead wa-9: fix it",
        State::Working,
        "2026-11-22T11:00:00Z",
        "2026-11-22T15:59:00Z",
    );
    let other_bead = run(
        6,
        "/src/api",
        "Work on bead wa-10: other",
        State::Working,
        "2026-11-22T12:00:00Z",
        "2026-11-22T15:59:00Z",
    );
    let same_bead = run(
        7,
        "/src/web",
        "wa-9 again, differently",
        State::Working,
        "2026-11-22T13:00:00Z",
        "2026-11-22T15:59:00Z",
    );
    let earlier = run(
        3,
        "/src/api",
        "Work on bead wa-9: fix it",
        State::Completed,
        "2026-11-22T08:00:00Z",
        "2026-11-22T08:30:00Z",
    );

    let mut s = Succession::default();
    assert!(s.note(&failed));
    assert!(!s.note(&earlier), "an earlier start moves nothing");
    assert!(
        !s.superseded(&failed, |_| true),
        "an earlier run takes nothing over"
    );
    s.note(&other_bead);
    assert!(
        !s.superseded(&failed, |w| w.starts_with("wa-")),
        "another bead"
    );
    // Same repo and prompt.
    let mut by_prompt = s.clone();
    by_prompt.note(&again);
    assert!(by_prompt.superseded(&failed, |_| false));
    // Same bead, another prompt: only when the word is a known bead id.
    s.note(&same_bead);
    assert!(
        !s.superseded(&failed, |_| false),
        "wa-9 is not known as a bead"
    );
    assert!(s.superseded(&failed, |w| w == "wa-9"));

    let c = run_condition(&failed, now, &limits, true);
    assert_eq!(c.level, Level::Fine);
    assert_eq!(c.reason, "failed; a later run has started");
}

#[test]
fn one_fail_is_the_loop_at_work_three_in_a_row_need_a_look() {
    let limits = Thresholds::default();
    let now = at("2026-11-22T16:00:00Z");
    let mut r = run(
        4,
        "/src/api",
        "p",
        State::Working,
        "2026-11-22T15:00:00Z",
        "2026-11-22T15:59:00Z",
    );
    r.peek = fails(1, 1);
    assert_eq!(
        run_condition(&r, now, &limits, false).level,
        Level::Fine,
        "FAIL, iterating"
    );
    r.peek = fails(2, 2);
    assert_eq!(run_condition(&r, now, &limits, false).level, Level::Fine);
    r.peek = fails(3, 3);
    let c = run_condition(&r, now, &limits, false);
    assert_eq!(c.level, Level::Attention);
    assert_eq!(
        c.reason,
        "FAIL from claude in 3 iterations in a row (iteration 3)"
    );
    assert_eq!(c.key, "fail_signal@100");
    r.peek = fails(4, 4);
    assert_eq!(
        run_condition(&r, now, &limits, false).key,
        "fail_signal@100",
        "the same streak is the same situation"
    );
    let strict = Thresholds {
        fail_streak: 1,
        ..limits
    };
    r.peek = fails(1, 1);
    assert_eq!(
        run_condition(&r, now, &strict, false).level,
        Level::Attention
    );
}

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
fn from_transcripts_fail_then_pass_and_errors() {
    let limits = Thresholds::default();
    let (_r, passed) = run_with(|t| {
        t.log_iteration(1).unwrap();
        t.log_signal("claude", 1, "FAIL").unwrap();
        t.log_iteration(2).unwrap();
        t.log_signal("claude", 2, "PASS").unwrap();
    });
    // "Now" is when the files were written, so the test holds on any date.
    let now = passed.last_activity().unwrap();
    assert_eq!(
        run_condition(&passed, now, &limits, false).level,
        Level::Fine
    );
    assert!(
        passed.peek.as_ref().unwrap().trouble.is_none(),
        "the PASS resolved it"
    );

    let (_r, iterating) = run_with(|t| {
        t.log_signal("claude", 1, "FAIL").unwrap();
        t.log_iteration(2).unwrap();
    });
    assert_eq!(
        run_condition(&iterating, now, &limits, false).level,
        Level::Fine
    );

    let (_r, failing) = run_with(|t| {
        for n in 1..=3 {
            t.log_iteration(n).unwrap();
            t.log_signal("claude", n, "FAIL").unwrap();
        }
    });
    let c = run_condition(&failing, now, &limits, false);
    assert_eq!(c.level, Level::Attention);
    assert!(
        c.reason.starts_with("FAIL from claude in 3 iterations"),
        "{}",
        c.reason
    );
    assert!(c.key.starts_with("fail_signal@"));
    assert_eq!(c.code, ReasonCode::FailSignal);

    let (_r, resolved) = run_with(|t| {
        t.log_error("codex", 1, "rate limited\u{1b}[2J").unwrap();
        t.log_signal("claude", 1, "done").unwrap();
    });
    assert_eq!(
        run_condition(&resolved, now, &limits, false).level,
        Level::Fine
    );

    let (_r, erring) = run_with(|t| {
        t.log_signal("claude", 1, "PASS").unwrap();
        t.log_error("codex", 2, "rate limited\u{1b}[2J").unwrap();
    });
    let c = run_condition(&erring, now, &limits, false);
    assert_eq!(c.reason, "error from codex in iteration 2: rate limited");
}

#[test]
fn limits_staleness_endings_and_the_window() {
    let limits = Thresholds::default();
    let mut r = run(
        4,
        "/src/api",
        "p",
        State::Working,
        "2026-11-22T15:00:00Z",
        "2026-11-22T15:50:00Z",
    );
    let now = at("2026-11-22T15:55:00Z");
    assert_eq!(run_condition(&r, now, &limits, false).level, Level::Fine);
    let later = at("2026-11-22T16:05:00Z");
    let stale = run_condition(&r, later, &limits, false);
    assert_eq!(stale.level, Level::Attention);
    assert_eq!(stale.reason, "stale: quiet for 15m00s");
    assert_eq!(
        run_changes_at(&r, now, &limits),
        Some(at("2026-11-22T16:00:00.001Z"))
    );
    assert_eq!(
        run_changes_at(&r, later, &limits),
        Some(at("2026-11-23T15:50:00.001Z")),
        "stale until it leaves the window"
    );
    assert_eq!(
        run_condition(&r, at("2026-11-23T15:50:01Z"), &limits, false).level,
        Level::Fine,
        "quiet for longer than the window: history"
    );

    let RunKind::Agentpair(m) = &mut r.kind else {
        unreachable!()
    };
    m.current_iteration = 20;
    let c = run_condition(&r, now, &limits, false);
    assert_eq!(c.reason, "at its iteration limit (20/20)");

    let RunKind::Agentpair(m) = &mut r.kind else {
        unreachable!()
    };
    m.state = State::Completed;
    m.completed_at = Some(now.fixed_offset());
    assert_eq!(
        run_condition(&r, later, &limits, false).level,
        Level::Finished
    );
    assert_eq!(run_changes_at(&r, later, &limits), None);
}

#[test]
fn beads() {
    let home = tempfile::tempdir().unwrap();
    let mut store = AssignmentStore::new(home.path(), "s").unwrap();
    let a = store.assign("a", "A", 1, "claude", "", "").unwrap();
    let limits = Thresholds::default();
    let t0 = a.assigned_at.with_timezone(&Utc);
    let ms = chrono::Duration::milliseconds(1);
    assert_eq!(bead_condition(&a, t0, &limits).level, Level::Fine);
    let late = bead_condition(&a, t0 + chrono::Duration::minutes(14), &limits);
    assert_eq!(late.level, Level::Attention);
    assert_eq!(late.reason, "assigned 14m00s ago, not started");
    assert_eq!(
        bead_changes_at(&a, t0, &limits),
        Some(t0 + chrono::Duration::minutes(10) + ms)
    );
    // At the threshold itself the bead is not late yet: the change is still just ahead.
    let threshold = t0 + chrono::Duration::minutes(10);
    assert_eq!(bead_condition(&a, threshold, &limits).level, Level::Fine);
    assert_eq!(
        bead_changes_at(&a, threshold, &limits),
        Some(threshold + ms)
    );
    assert_eq!(
        bead_changes_at(&a, threshold + ms, &limits),
        Some(t0 + chrono::Duration::hours(24) + ms)
    );
    assert_eq!(
        bead_condition(&a, t0 + chrono::Duration::hours(25), &limits).level,
        Level::Fine,
        "waiting for a day: history"
    );
    store.mark_working("a").unwrap();
    let failed = store.mark_failed("a", "pane died").unwrap();
    let failed_at = failed.failed_at.unwrap().with_timezone(&Utc);
    let c = bead_condition(&failed, failed_at, &limits);
    assert_eq!(
        (c.level, c.reason.as_str()),
        (Level::Attention, "failed: pane died")
    );
    assert_eq!(
        bead_changes_at(&failed, failed_at, &limits),
        Some(failed_at + chrono::Duration::hours(24) + chrono::Duration::milliseconds(1))
    );
    assert_eq!(
        bead_condition(&failed, failed_at + chrono::Duration::hours(25), &limits).level,
        Level::Fine
    );
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
        bead_changes_at_since(&retried, retry, now, &limits),
        Some(retry + chrono::Duration::minutes(10) + chrono::Duration::milliseconds(1))
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

#[test]
fn a_working_bead_s_pane_gone_is_news_only_while_its_work_is_recent() {
    use crate::binding::PaneState;
    let home = tempfile::tempdir().unwrap();
    let mut store = AssignmentStore::new(home.path(), "s").unwrap();
    store.assign("a", "A", 1, "claude", "", "").unwrap();
    let a = store.mark_working("a").unwrap();
    let started = a.started_at.unwrap().with_timezone(&Utc);
    let limits = Thresholds::default();
    let gone = agent::AgentFacts {
        pane_name: "%1".to_owned(),
        pane: Some(PaneState::Gone),
        ..Default::default()
    };
    let hour = started + chrono::Duration::hours(1);
    let c = bead_condition_with(&a, started, Some(&gone), hour, &limits);
    assert_eq!((c.level, c.code), (Level::Attention, ReasonCode::PaneGone));
    assert_eq!(
        bead_changes_at_with(&a, started, Some(&gone), hour, &limits),
        Some(started + chrono::Duration::hours(24) + chrono::Duration::milliseconds(1)),
        "it leaves the window a day after the work started"
    );
    let month = started + chrono::Duration::days(30);
    let old = bead_condition_with(&a, started, Some(&gone), month, &limits);
    assert_eq!(old.level, Level::Fine, "last month's pane: history");
    // An issue closed an hour ago is news, however old the work.
    let closed = agent::AgentFacts {
        issue_closed: Some(Some(month - chrono::Duration::hours(1))),
        ..gone.clone()
    };
    let c = bead_condition_with(&a, started, Some(&closed), month, &limits);
    assert_eq!(
        (c.level, c.code),
        (Level::Attention, ReasonCode::IssueClosed)
    );
}
