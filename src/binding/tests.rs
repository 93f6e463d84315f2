//! The binding rules with made-up process trees, registries and sessions, at a fixed moment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::tmux::PaneInfo;
use std::path::Path;

mod rules;

fn t(hms: &str) -> DateTime<Utc> {
    format!("2026-08-20T{hms}Z").parse().unwrap()
}

fn now() -> DateTime<Utc> {
    t("15:00:00")
}

fn words(argv: &[&str]) -> Vec<String> {
    argv.iter().map(|w| (*w).to_owned()).collect()
}

fn live_pane(id: &str, session: &str, window: i64, index: i64, pid: u32) -> LivePane {
    LivePane {
        info: PaneInfo {
            session_id: "$1".into(),
            session_name: session.into(),
            window_id: format!("@{window}"),
            window_index: window,
            window_active: window == 1,
            window_name: "w".into(),
            pane_id: id.into(),
            pane_index: index,
            pane_active: false,
        },
        pid,
        path: "/home/dev/app".into(),
    }
}

fn process(pid: u32, argv: &[&str], cwd: &str, started: &str) -> Process {
    Process {
        pid,
        ppid: 1,
        argv: words(argv),
        cwd: Some(cwd.into()),
        started_at: Some(t(started)),
        start_ticks: Some(u64::from(pid) * 10),
        open_files: Vec::new(),
    }
}

fn session(id: &str, agent: Agent, cwd: &str, started: &str) -> Candidate {
    listed(id, agent, cwd, started, None)
}

/// A sub-agent's session, of parent `p`.
fn subagent(id: &str, agent: Agent, cwd: &str, started: &str) -> Candidate {
    listed(id, agent, cwd, started, Some("p"))
}

/// A session as the Runs list holds it (its key is its file), as a candidate.
fn listed(id: &str, agent: Agent, cwd: &str, started: &str, parent: Option<&str>) -> Candidate {
    use crate::persist::run::{RunKind, RunSummary, SessionRun};
    use crate::persist::session::{SessionSource, Summarizer};
    let file = PathBuf::from(format!("/s/{id}.jsonl"));
    let mut summary = Summarizer::new(agent, SessionSource::Lines(file.clone())).into_summary();
    summary.id = id.into();
    summary.cwd = cwd.into();
    summary.started_at = Some(t(started));
    summary.parent = parent.map(str::to_owned);
    let run = SessionRun::new(summary, None, std::time::Duration::ZERO, now());
    let run = Arc::new(RunSummary {
        dir: file,
        repo_key: Default::default(),
        run_key: id.into(),
        kind: RunKind::Session(Box::new(run)),
        activity: None,
        peek: None,
        stamp: None,
    });
    Candidate::of(&run).unwrap()
}

/// A scene of panes `%1`…: each `(pane, agent process)`; every pane in session `api`, window
/// 1, its index its number.
fn scene(agents: Vec<(&str, Agent, Process)>) -> Scene {
    let mut s = Scene::default();
    for (pane, agent, process) in agents {
        let n: i64 = pane[1..].parse().unwrap();
        s.panes.push(live_pane(
            pane,
            "api",
            1,
            n,
            1000 + u32::try_from(n).unwrap(),
        ));
        s.agents.insert(pane.to_owned(), Found { agent, process });
    }
    s
}

fn ids(panes: &[&str]) -> Vec<PaneRef> {
    panes.iter().map(|p| PaneRef::Id((*p).to_owned())).collect()
}

fn run(s: &Scene, panes: &[&str], candidates: &[Candidate]) -> Vec<PaneState> {
    let b = decide(
        s,
        &ids(panes),
        candidates,
        &|c: &str| PathBuf::from(c),
        now(),
    );
    assert_eq!(b.at, Some(now()));
    ids(panes)
        .iter()
        .map(|r| b.get(r).unwrap().clone())
        .collect()
}

fn bound(state: &PaneState) -> (&str, Rule) {
    match state {
        PaneState::Bound(b) => (b.session.as_str(), b.rule),
        other => panic!("not bound: {other:?}"),
    }
}

fn why(state: &PaneState) -> &Unbound {
    match state {
        PaneState::Unbound { why, .. } => why,
        other => panic!("not unbound: {other:?}"),
    }
}

const APP: &str = "/home/dev/app";

#[test]
fn agents_are_told_by_their_first_three_words() {
    let cases: [(&[&str], Option<Agent>); 9] = [
        (&["claude"], Some(Agent::Claude)),
        (&["/usr/local/bin/codex", "resume", "x"], Some(Agent::Codex)),
        (
            &["node", "/usr/lib/node_modules/.bin/gemini"],
            Some(Agent::Gemini),
        ),
        (
            &["node", "--no-warnings", "/opt/claude.js"],
            Some(Agent::Claude),
        ),
        (&["opencode.exe"], Some(Agent::OpenCode)),
        (&["bash", "-l"], None),
        (&["vim", "claude.md"], None),
        (&["node", "a", "b", "/bin/claude"], None),
        (&[], None),
    ];
    for (argv, want) in cases {
        assert_eq!(agent_of(&words(argv)), want, "{argv:?}");
    }
}

#[test]
fn the_pane_agent_is_the_first_breadth_first_or_the_same_agent_it_runs() {
    let p = |pid, ppid, argv: &[&str]| Process {
        pid,
        ppid,
        argv: words(argv),
        ..Process::default()
    };
    // bash ─┬─ sh -c claude ── claude ── npm test
    //       └─ codex (deeper in pid order, shallower in the tree: first)
    let tree = vec![
        p(10, 1, &["bash"]),
        p(11, 10, &["sh", "-c", "claude"]),
        p(12, 10, &["vim"]),
        p(13, 11, &["claude", "--resume", "s1"]),
        p(14, 13, &["npm", "test"]),
    ];
    assert_eq!(find_agent(&tree), Some((3, Agent::Claude)));
    let tree = vec![
        p(10, 1, &["bash"]),
        p(12, 10, &["node", "/bin/codex"]),
        p(13, 12, &["claude"]),
    ];
    assert_eq!(find_agent(&tree), Some((1, Agent::Codex)));
    assert_eq!(find_agent(&[p(10, 1, &["bash"])]), None);
}

#[test]
fn command_lines_name_sessions_per_agent() {
    let cases: [(Agent, &[&str], Option<&str>); 11] = [
        (
            Agent::Claude,
            &["claude", "--resume", "abc-1"],
            Some("abc-1"),
        ),
        (Agent::Claude, &["claude", "--resume=abc-2"], Some("abc-2")),
        (Agent::Claude, &["claude", "-r", "abc-3"], Some("abc-3")),
        (
            Agent::Claude,
            &["claude", "--session-id", "u-4"],
            Some("u-4"),
        ),
        (Agent::Claude, &["claude", "--resume", "--model", "x"], None),
        (Agent::Gemini, &["gemini", "--resume", "latest"], None),
        (Agent::Gemini, &["gemini", "--resume", "3"], None),
        (
            Agent::Codex,
            &["codex", "resume", "0198-aa"],
            Some("0198-aa"),
        ),
        (Agent::Codex, &["codex", "--resume", "0198-aa"], None),
        (Agent::OpenCode, &["opencode", "-s", "ses_1"], Some("ses_1")),
        (Agent::Claude, &["resume", "x"], None),
    ];
    for (agent, argv, want) in cases {
        assert_eq!(
            argv_session(agent, &words(argv)).as_deref(),
            want,
            "{argv:?}"
        );
    }
}

#[test]
fn panes_are_found_by_id_or_by_index_and_said_when_gone_empty_or_ambiguous() {
    let mut s = scene(vec![(
        "%1",
        Agent::Claude,
        process(100, &["claude"], APP, "14:00:00"),
    )]);
    s.panes.push(live_pane("%5", "api", 1, 2, 1005));
    s.panes.push(live_pane("%6", "my_app", 1, 3, 1006));
    s.panes.push(live_pane("%7", "my_app", 2, 3, 1007));
    let wanted = vec![
        PaneRef::Id("%9".into()),
        PaneRef::Id("%5".into()),
        PaneRef::Index {
            session: "api".into(),
            index: 1,
        },
        PaneRef::Index {
            session: "api".into(),
            index: 4,
        },
        // `my.app` is `my_app` to tmux; index 3 is in two of its windows.
        PaneRef::Index {
            session: "my.app".into(),
            index: 3,
        },
        PaneRef::Index {
            session: "nosuch".into(),
            index: 1,
        },
    ];
    let sessions = [session("c", Agent::Claude, APP, "14:01:00")];
    let b = decide(&s, &wanted, &sessions, &|c: &str| PathBuf::from(c), now());
    let states: Vec<&PaneState> = wanted.iter().map(|r| b.get(r).unwrap()).collect();
    assert_eq!(states[0], &PaneState::Gone);
    assert_eq!(states[1], &PaneState::NoAgent { pane: "%5".into() });
    assert_eq!(bound(states[2]), ("c", Rule::CwdTime));
    assert_eq!(states[3], &PaneState::Gone);
    assert_eq!(states[4], &PaneState::Ambiguous { windows: 2 });
    assert_eq!(states[5], &PaneState::Gone);
    assert_eq!(wanted[0].to_string(), "%9");
    assert_eq!(wanted[2].to_string(), "pane 1 of api");
}

#[test]
fn a_process_without_a_cwd_uses_its_pane_s_path() {
    let mut p = process(200, &["codex"], APP, "14:00:00");
    p.cwd = None;
    let s = scene(vec![("%1", Agent::Codex, p)]);
    let sessions = [session("x", Agent::Codex, APP, "14:01:00")];
    assert_eq!(bound(&run(&s, &["%1"], &sessions)[0]), ("x", Rule::CwdTime));
}

#[test]
fn an_assignment_names_its_pane_id_or_its_index() {
    use crate::persist::assignment::Assignment;
    let mut a = Assignment::new(
        "wa-1",
        "t",
        2,
        "claude",
        "",
        "",
        crate::persist::gojson::GoTime::default(),
    );
    assert_eq!(
        PaneRef::of("api", &a),
        PaneRef::Index {
            session: "api".into(),
            index: 2
        }
    );
    a.extra.insert(
        "occupancy_key".into(),
        serde_json::Value::String("%12".into()),
    );
    assert_eq!(PaneRef::of("api", &a), PaneRef::Id("%12".into()));
}
