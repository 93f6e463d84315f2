//! The hook channel against real shell commands: the JSON on stdin, the environment, failures
//! and timeouts reported through the callback, never blocking the caller, and the cap on how
//! many hooks run at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::notification::{
    HookNotifier, ItemKind, MAX_RUNNING_HOOKS, Notice, NoticeKind, Notifier, NotifyConfig,
};
use chrono::TimeZone;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any condition may take to come true before a test fails.
const PATIENCE: Duration = Duration::from_secs(10);

fn notice(event: NoticeKind) -> Notice {
    Notice {
        event,
        at: chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 10, 0, 0)
            .unwrap(),
        kind: ItemKind::Bead,
        name: "wa-1f6b".into(),
        reference: "webapp/wa-1f6b".into(),
        item: "bead wa-1f6b".into(),
        title: "wa-1f6b closed".into(),
        body: "claude closed \u{1b}[31mwa-1f6b\u{1b}[0m".into(),
        state: "closed".into(),
        reason_code: None,
        session: Some("webapp".into()),
        repo: None,
    }
}

/// A hook whose failures arrive on the returned receiver.
fn new_hook(command: &str, timeout: Duration) -> (HookNotifier, Receiver<String>) {
    let (tx, rx) = mpsc::channel();
    let hook = HookNotifier::new(command, timeout, move |m| {
        let _ = tx.send(m);
    });
    (hook, rx)
}

/// Polls until `check` gives a value, failing after [`PATIENCE`].
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The file's contents once it ends with a newline (a hook finished writing it).
fn wait_for_line(path: &Path) -> String {
    wait_for(&format!("{}", path.display()), || {
        std::fs::read_to_string(path)
            .ok()
            .filter(|s| s.ends_with('\n'))
    })
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display())
}

#[test]
fn hook_receives_the_notice_as_json_and_the_event_in_its_env() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("notice.json");
    let env = dir.path().join("env.txt");
    let command = format!(
        "cat > {json}.tmp && mv {json}.tmp {json}; \
         printf '%s|%s|%s\\n' \"$BEADBOARD_EVENT\" \"$BEADBOARD_TITLE\" \"$BEADBOARD_BODY\" > {env}",
        json = quoted(&json),
        env = quoted(&env)
    );
    let (mut hook, reports) = new_hook(&command, Duration::from_secs(10));
    hook.notify(&notice(NoticeKind::Finished)).unwrap();

    let text = wait_for_line(&json);
    assert_eq!(text.matches('\n').count(), 1, "one object and a newline");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["event"], "finished");
    assert_eq!(value["at"], "2026-11-22T10:00:00Z");
    assert_eq!(value["kind"], "bead");
    assert_eq!(value["reference"], "webapp/wa-1f6b");
    // Kept one release for scripts written before the one vocabulary.
    assert_eq!(value["item_kind"], "bead");
    assert_eq!(value["id"], "webapp/wa-1f6b");
    assert_eq!(value["item"], "bead wa-1f6b");
    assert_eq!(value["state"], "closed");
    assert_eq!(value["session"], "webapp");
    assert!(value["reason_code"].is_null() && value["reason"].is_null());
    assert!(value["repo"].is_null());
    let back: Notice = serde_json::from_str(&text).unwrap();
    assert_eq!(back, notice(NoticeKind::Finished));

    assert_eq!(
        wait_for_line(&env),
        "finished|wa-1f6b closed|claude closed wa-1f6b\n"
    );
    wait_for("the hook to be reaped", || {
        (hook.running() == 0).then_some(())
    });
    assert!(reports.try_recv().is_err(), "a good hook reports nothing");
}

#[test]
fn failing_and_missing_commands_are_reported() {
    let (mut hook, reports) = new_hook("echo 'no such bead' >&2; exit 3", Duration::from_secs(10));
    hook.notify(&notice(NoticeKind::Attention)).unwrap();
    let message = reports.recv_timeout(PATIENCE).unwrap();
    assert_eq!(
        message,
        "notify hook failed with exit status 3: no such bead"
    );

    let (mut hook, reports) = new_hook("beadboard-no-such-command-xyz", Duration::from_secs(10));
    hook.notify(&notice(NoticeKind::Attention)).unwrap();
    let message = reports.recv_timeout(PATIENCE).unwrap();
    assert!(
        message.starts_with("notify hook failed: command not found (exit status 127)")
            && message.contains("beadboard-no-such-command-xyz"),
        "{message}"
    );
}

/// Whether process `pid` has ended (gone, or a zombie awaiting its new parent).
fn ended(pid: &str) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
    stat.is_empty() || state == Some(Some('Z'))
}

#[test]
fn a_slow_hook_is_killed_at_its_timeout_without_blocking_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let late = dir.path().join("late");
    // The sleep runs as a grandchild, so killing only `sh` would leave it behind; it would run
    // far longer than any test, so only a kill ends it.
    let command = format!(
        "sleep 1000 & echo $! > {pid}.tmp && mv {pid}.tmp {pid}; wait; touch {late}",
        pid = quoted(&pid_file),
        late = quoted(&late)
    );
    let (mut hook, reports) = new_hook(&command, Duration::from_millis(500));
    hook.notify(&notice(NoticeKind::Attention)).unwrap();
    assert_eq!(hook.running(), 1, "notify returned while the hook runs");

    let message = reports.recv_timeout(PATIENCE).unwrap();
    assert_eq!(message, "notify hook timed out after 500ms and was killed");
    let pid = wait_for_line(&pid_file).trim().to_owned();
    wait_for("the hook's sleep to be killed", || {
        ended(&pid).then_some(())
    });
    assert!(!late.exists(), "the hook went on after being killed");
    wait_for("the hook to be reaped", || {
        (hook.running() == 0).then_some(())
    });
}

/// A hook that leaves a grandchild holding its stderr open and exits: its failure is reported
/// at once (not at the timeout, which is far away) and the grandchild is stopped with its
/// group.
#[test]
fn a_hook_whose_grandchild_holds_its_stderr_is_reported_and_the_grandchild_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let command = format!(
        "sleep 1000 & echo $! > {pid}.tmp && mv {pid}.tmp {pid}; echo oops >&2; exit 3",
        pid = quoted(&pid_file),
    );
    let (mut hook, reports) = new_hook(&command, Duration::from_secs(3600));
    hook.notify(&notice(NoticeKind::Attention)).unwrap();
    let message = reports.recv_timeout(PATIENCE).unwrap();
    assert_eq!(message, "notify hook failed with exit status 3: oops");
    let pid = wait_for_line(&pid_file).trim().to_owned();
    wait_for("the hook's grandchild to be stopped", || {
        ended(&pid).then_some(())
    });
    wait_for("the hook to be reaped", || {
        (hook.running() == 0).then_some(())
    });
}

#[test]
fn at_most_a_few_hooks_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let gate = dir.path().join("gate");
    // Each hook logs its notice, then waits for the gate file (at most ~2 s).
    let command = format!(
        "cat >> {log}; i=0; while [ ! -e {gate} ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done",
        log = quoted(&log),
        gate = quoted(&gate)
    );
    let (mut hook, reports) = new_hook(&command, Duration::from_secs(10));
    for _ in 0..MAX_RUNNING_HOOKS + 2 {
        hook.notify(&notice(NoticeKind::Attention)).unwrap();
    }
    assert_eq!(hook.running(), MAX_RUNNING_HOOKS);
    for _ in 0..2 {
        let message = reports.recv_timeout(PATIENCE).unwrap();
        assert_eq!(
            message,
            format!(
                "notify hook skipped for bead wa-1f6b: {MAX_RUNNING_HOOKS} hooks still running"
            )
        );
    }
    wait_for("every running hook to log", || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        (text.lines().count() == MAX_RUNNING_HOOKS).then_some(())
    });
    std::fs::write(&gate, "").unwrap();
    wait_for("the hooks to finish", || {
        (hook.running() == 0).then_some(())
    });

    // With room again, the next notice runs.
    hook.notify(&notice(NoticeKind::Finished)).unwrap();
    wait_for("the next hook to log", || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        (text.lines().count() == MAX_RUNNING_HOOKS + 1).then_some(())
    });
    wait_for("the last hook to finish", || {
        (hook.running() == 0).then_some(())
    });
    assert!(reports.try_recv().is_err());
}

#[test]
fn config_builds_a_terminal_and_hook_fanout_that_respects_on() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let config: NotifyConfig = toml::from_str(&format!(
        "bell = true\nhook = \"cat >> {}\"\nhook_timeout = 5\non = [\"finished\"]\n",
        log.display()
    ))
    .unwrap();
    let (tx, reports) = mpsc::channel();
    let terminal = SharedBuf::default();
    let mut fanout = config.build(terminal.clone(), false, move |m| {
        let _ = tx.send(m);
    });
    assert_eq!(fanout.len(), 2);
    fanout.notify(&notice(NoticeKind::Attention)).unwrap();
    assert!(
        terminal.0.lock().unwrap().is_empty(),
        "attention was not wanted"
    );
    fanout.notify(&notice(NoticeKind::Finished)).unwrap();
    assert_eq!(*terminal.0.lock().unwrap(), b"\x07");
    let text = wait_for_line(&log);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["event"], "finished");
    assert!(reports.recv_timeout(Duration::from_millis(200)).is_err());
}

/// A terminal stand-in the test can read while the fan-out owns a clone.
#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
