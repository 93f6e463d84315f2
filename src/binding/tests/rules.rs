//! The binding rules in order, with made-up processes, registries and sessions: the registry,
//! an open file, the command line, the newest session in the cwd; two agents of a kind in one
//! cwd left unbound; one pane per session; sub-agents never bound.

use super::*;
#[test]
fn the_registry_comes_first() {
    let mut s = scene(vec![(
        "%1",
        Agent::Claude,
        process(100, &["claude", "--resume", "named"], APP, "14:00:00"),
    )]);
    s.registry.push(Hint {
        pid: 100,
        session: "reg".into(),
        proc_start: Some("1000".into()),
        alive: Some(true),
    });
    let sessions = [
        session("reg", Agent::Claude, APP, "14:01:00"),
        session("named", Agent::Claude, APP, "13:00:00"),
        session("newest", Agent::Claude, APP, "14:30:00"),
    ];
    let states = run(&s, &["%1"], &sessions);
    assert_eq!(bound(&states[0]), ("reg", Rule::Registry));
    let PaneState::Bound(b) = &states[0] else {
        unreachable!()
    };
    assert_eq!((b.pane.as_str(), b.pid), ("%1", 100));
    assert_eq!(b.key.as_deref(), Some(Path::new("/s/reg.jsonl")));
    // A session the registry names before it is written is still the pane's, with no run.
    let states = run(&s, &["%1"], &sessions[1..]);
    let PaneState::Bound(b) = &states[0] else {
        panic!("{states:?}")
    };
    assert_eq!((b.session.as_str(), b.key.as_ref()), ("reg", None));
}

#[test]
fn a_reused_pid_s_registry_file_is_not_the_process_s() {
    let mut s = scene(vec![(
        "%1",
        Agent::Claude,
        process(100, &["claude"], APP, "14:00:00"),
    )]);
    // The file was written by an earlier process with pid 100 (another start).
    s.registry.push(Hint {
        pid: 100,
        session: "old".into(),
        proc_start: Some("555".into()),
        alive: Some(false),
    });
    let sessions = [
        session("old", Agent::Claude, APP, "13:00:00"),
        session("mine", Agent::Claude, APP, "14:02:00"),
    ];
    assert_eq!(
        bound(&run(&s, &["%1"], &sessions)[0]),
        ("mine", Rule::CwdTime)
    );
}

#[test]
fn a_codex_rollout_held_open_is_its_session_never_a_sub_agent_s() {
    let mut p = process(200, &["codex"], APP, "14:00:00");
    p.open_files = vec![
        "/home/dev/.codex/log/codex-tui.log".into(),
        "/s/sub.jsonl".into(),
        "/s/held.jsonl".into(),
    ];
    let s = scene(vec![("%2", Agent::Codex, p)]);
    let sub = subagent("sub", Agent::Codex, APP, "14:40:00");
    let sessions = [
        session("held", Agent::Codex, APP, "14:01:00"),
        session("newer", Agent::Codex, APP, "14:30:00"),
        sub,
    ];
    assert_eq!(
        bound(&run(&s, &["%2"], &sessions)[0]),
        ("held", Rule::OpenFile)
    );
}

#[test]
fn the_command_line_names_a_resumed_session() {
    let s = scene(vec![
        (
            "%1",
            Agent::Claude,
            process(100, &["claude", "--resume", "old"], APP, "14:00:00"),
        ),
        (
            "%2",
            Agent::Codex,
            process(200, &["codex", "resume", "sub"], APP, "14:00:00"),
        ),
    ]);
    let sub = subagent("sub", Agent::Codex, APP, "13:00:00");
    let sessions = [
        session("old", Agent::Claude, APP, "09:00:00"),
        session("newest", Agent::Claude, APP, "14:30:00"),
        sub,
    ];
    let states = run(&s, &["%1", "%2"], &sessions);
    assert_eq!(bound(&states[0]), ("old", Rule::Argv));
    // A sub-agent's id on the command line binds nothing; no top-level codex session fits.
    assert_eq!(why(&states[1]), &Unbound::NoSession);
}

#[test]
fn the_newest_session_within_the_cwd_started_after_the_process() {
    let s = scene(vec![(
        "%1",
        Agent::Codex,
        process(200, &["codex"], APP, "14:00:00"),
    )]);
    let mut sessions = vec![
        session("before", Agent::Codex, APP, "13:59:00"),
        session("first", Agent::Codex, APP, "14:00:30"),
        session("within", Agent::Codex, "/home/dev/app/web", "14:20:00"),
        session("elsewhere", Agent::Codex, "/home/dev/other", "14:40:00"),
        // `/home/dev/app-old` is not within `/home/dev/app`.
        session("prefix", Agent::Codex, "/home/dev/app-old", "14:45:00"),
        session("claude", Agent::Claude, APP, "14:50:00"),
    ];
    assert_eq!(
        bound(&run(&s, &["%1"], &sessions)[0]),
        ("within", Rule::CwdTime)
    );
    // Two sessions at the newest moment: no guess.
    sessions.push(session("twin", Agent::Codex, APP, "14:20:00"));
    assert_eq!(why(&run(&s, &["%1"], &sessions)[0]), &Unbound::NoSession);
    // Nothing started after the process: unbound.
    let old = [session("before", Agent::Codex, APP, "13:59:00")];
    assert_eq!(why(&run(&s, &["%1"], &old)[0]), &Unbound::NoSession);
    // A process whose start is not known is never bound by the clock.
    let mut unknown = s.clone();
    if let Some(f) = unknown.agents.get_mut("%1") {
        f.process.started_at = None;
    }
    assert_eq!(
        why(&run(&unknown, &["%1"], &sessions[..3])[0]),
        &Unbound::NoSession
    );
}

#[test]
fn two_agents_of_a_kind_in_one_cwd_are_left_unbound() {
    let s = scene(vec![
        (
            "%1",
            Agent::Claude,
            process(100, &["claude"], APP, "14:00:00"),
        ),
        (
            "%2",
            Agent::Claude,
            process(101, &["claude"], "/home/dev/app/web", "14:01:00"),
        ),
        (
            "%3",
            Agent::Codex,
            process(200, &["codex"], APP, "14:00:00"),
        ),
        (
            "%4",
            Agent::Claude,
            process(102, &["claude"], "/home/dev/other", "14:00:00"),
        ),
    ]);
    let sessions = [
        session("c1", Agent::Claude, APP, "14:02:00"),
        session("c2", Agent::Claude, "/home/dev/app/web", "14:03:00"),
        session("x1", Agent::Codex, APP, "14:04:00"),
        session("o1", Agent::Claude, "/home/dev/other", "14:05:00"),
    ];
    let states = run(&s, &["%1", "%2", "%3", "%4"], &sessions);
    let shared = Unbound::Shared {
        agents: 2,
        cwd: APP.into(),
    };
    assert_eq!(why(&states[0]), &shared);
    assert!(matches!(why(&states[1]), Unbound::Shared { agents: 2, .. }));
    assert_eq!(bound(&states[2]), ("x1", Rule::CwdTime));
    assert_eq!(bound(&states[3]), ("o1", Rule::CwdTime));
    assert_eq!(
        shared.to_string(),
        "2 agents of its kind share /home/dev/app"
    );
    // Once the registry tells one of them apart, the other is alone in the cwd.
    let mut told = s.clone();
    told.registry.push(Hint {
        pid: 101,
        session: "c2".into(),
        proc_start: None,
        alive: Some(true),
    });
    let states = run(&told, &["%1", "%2"], &sessions);
    assert_eq!(bound(&states[0]), ("c1", Rule::CwdTime));
    assert_eq!(bound(&states[1]), ("c2", Rule::Registry));
}

#[test]
fn a_session_is_bound_to_one_pane_at_most() {
    let mut s = scene(vec![
        (
            "%1",
            Agent::Claude,
            process(100, &["claude", "--resume", "s1"], APP, "14:00:00"),
        ),
        (
            "%12",
            Agent::Claude,
            process(
                101,
                &["claude", "--resume", "s1"],
                "/home/dev/b",
                "14:00:00",
            ),
        ),
        (
            "%3",
            Agent::Claude,
            process(102, &["claude"], "/home/dev/c", "14:00:00"),
        ),
    ]);
    // A live Claude outside every pane is writing `c-new`.
    s.registry.push(Hint {
        pid: 999,
        session: "c-new".into(),
        proc_start: None,
        alive: Some(true),
    });
    // A dead one claims nothing.
    s.registry.push(Hint {
        pid: 998,
        session: "c-mid".into(),
        proc_start: None,
        alive: Some(false),
    });
    let sessions = [
        session("s1", Agent::Claude, APP, "13:00:00"),
        session("c-old", Agent::Claude, "/home/dev/c", "14:01:00"),
        session("c-mid", Agent::Claude, "/home/dev/c", "14:02:00"),
        session("c-new", Agent::Claude, "/home/dev/c", "14:03:00"),
    ];
    let states = run(&s, &["%1", "%12", "%3"], &sessions);
    assert_eq!(bound(&states[0]), ("s1", Rule::Argv));
    let taken = why(&states[1]);
    assert_eq!(
        taken,
        &Unbound::Taken {
            session: "s1".into(),
            by: "%1".into()
        }
    );
    assert_eq!(taken.to_string(), "its session s1 is %1's");
    assert_eq!(bound(&states[2]), ("c-mid", Rule::CwdTime));
}

#[test]
fn sub_agents_are_never_bound() {
    let mut s = scene(vec![(
        "%1",
        Agent::Claude,
        process(100, &["claude"], APP, "14:00:00"),
    )]);
    let newest = subagent("agent-a1", Agent::Claude, APP, "14:30:00");
    let sessions = [session("main", Agent::Claude, APP, "14:01:00"), newest];
    assert_eq!(
        bound(&run(&s, &["%1"], &sessions)[0]),
        ("main", Rule::CwdTime)
    );
    // Not even when the registry names one.
    s.registry.push(Hint {
        pid: 100,
        session: "agent-a1".into(),
        proc_start: None,
        alive: Some(true),
    });
    assert_eq!(
        bound(&run(&s, &["%1"], &sessions)[0]),
        ("main", Rule::CwdTime)
    );
}
