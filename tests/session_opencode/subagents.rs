//! An OpenCode sub-agent nests under its parent and opens from it (issue 18): the `task`
//! tool's part names its child session (`state.metadata.sessionId`, as OpenCode's task tool
//! writes it, running or done; else `<task id="…">` in its output), the entry is linked to
//! that session in the same database when the session is the parent's child, and Enter on
//! it in the dashboard shows the child's transcript with the parent as breadcrumb, reading on
//! as OpenCode writes to it; Esc returns to the parent's entry. The child is never listed as a run.

use super::common::dash::{Home, now};
use super::common::transcript::session_texts;
use super::{create, message_row, part_row, session_row};
use beadboard::app::action::Action;
use beadboard::app::event::{Change, Msg};
use beadboard::app::{act, step};
use beadboard::persist::session::{Agent, EntryKind, SessionSource, read_document};
use serde_json::json;
use std::path::Path;

/// A parent session whose assistant ran two tasks (one done, named by its metadata; one
/// running, named by its output's tag only in an older shape) and one naming a session
/// that is not its child; the first child's own conversation.
fn parent_with_tasks(db: &Path) {
    let c = create(db);
    session_row(&c, "ses_p", None, "Add --json", 1_755_698_470_000);
    session_row(
        &c,
        "ses_c1",
        Some("ses_p"),
        "find the list command (@explore subagent)",
        1,
    );
    session_row(
        &c,
        "ses_c2",
        Some("ses_p"),
        "check the docs (@general subagent)",
        1,
    );
    session_row(&c, "ses_other", None, "someone else's", 1);
    let at = 1_755_698_403_000i64;
    message_row(
        &c,
        "ses_p",
        "msg_1",
        at,
        &json!({"role": "user", "time": {"created": at}}),
    );
    part_row(
        &c,
        "ses_p",
        "msg_1",
        "prt_1",
        &json!({"type": "text", "text": "Add --json"}),
    );
    // A command run as a sub-agent: the first task call below is its.
    part_row(
        &c,
        "ses_p",
        "msg_1",
        "prt_1b",
        &json!({"type": "subtask", "prompt": "look around",
        "description": "find the list command", "agent": "explore"}),
    );
    message_row(
        &c,
        "ses_p",
        "msg_2",
        at + 1,
        &json!({"role": "assistant",
        "time": {"created": at + 1}, "modelID": "claude-sonnet-4-5"}),
    );
    let task = |status: &str, description: &str, state: serde_json::Value| {
        let mut s = json!({"status": status, "input": {"description": description,
            "prompt": "look around", "subagent_type": "explore"}});
        s.as_object_mut()
            .unwrap()
            .extend(state.as_object().unwrap().clone());
        json!({"type": "tool", "callID": format!("call_{description}"), "tool": "task", "state": s})
    };
    for (id, part) in [
        (
            "prt_2",
            task(
                "completed",
                "find the list command",
                json!({
            "metadata": {"sessionId": "ses_c1", "parentSessionId": "ses_p"},
            "output": "<task id=\"ses_c1\" state=\"completed\">\n<task_result>\nsrc/cmd/list.rs\n</task_result>\n</task>"}),
            ),
        ),
        (
            "prt_3",
            task(
                "running",
                "check the docs",
                json!({
            "metadata": {}, "output": "<task id=\"ses_c2\" state=\"running\">"}),
            ),
        ),
        (
            "prt_4",
            task(
                "completed",
                "not mine",
                json!({"metadata": {"sessionId": "ses_other"},
            "output": "done"}),
            ),
        ),
    ] {
        part_row(&c, "ses_p", "msg_2", id, &part);
    }
    message_row(
        &c,
        "ses_c1",
        "msg_c1",
        at + 2,
        &json!({"role": "user", "time": {"created": at + 2}}),
    );
    part_row(
        &c,
        "ses_c1",
        "msg_c1",
        "prt_c1",
        &json!({"type": "text", "text": "look around"}),
    );
    message_row(
        &c,
        "ses_c1",
        "msg_c2",
        at + 3,
        &json!({"role": "assistant",
        "time": {"created": at + 3, "completed": at + 4}}),
    );
    part_row(
        &c,
        "ses_c1",
        "msg_c2",
        "prt_c2",
        &json!({"type": "text",
        "text": "The list command is in src/cmd/list.rs"}),
    );
}

#[test]
fn a_task_part_is_the_sub_agent_entry_linked_to_its_child_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opencode.db");
    parent_with_tasks(&db);
    let doc = read_document(&SessionSource::Database {
        db: db.clone(),
        session: "ses_p".into(),
    })
    .unwrap();
    let links: Vec<_> = doc
        .entries()
        .filter(|e| e.kind == EntryKind::Subagent)
        .map(|e| {
            let link = e.subagent.clone().unwrap();
            (e.text.clone(), link.id, link.description, link.path)
        })
        .collect();
    let linked = Some(db.clone());
    assert_eq!(
        links,
        vec![
            (
                "look around".into(),
                "ses_c1".into(),
                "explore: find the list command".into(),
                linked.clone()
            ),
            (
                "find the list command".into(),
                "ses_c1".into(),
                "explore: find the list command".into(),
                linked.clone()
            ),
            (
                "check the docs".into(),
                "ses_c2".into(),
                "explore: check the docs".into(),
                linked
            ),
            (
                "not mine".into(),
                "ses_other".into(),
                "explore: not mine".into(),
                None
            ),
        ],
        "a session that is not the parent's child is not linked"
    );
    let result = doc
        .entries()
        .find(|e| e.kind == EntryKind::ToolResult)
        .unwrap();
    assert_eq!(
        result.call_id.as_deref(),
        Some("call_find the list command")
    );
    assert!(result.text.contains("src/cmd/list.rs"), "{}", result.text);
}

#[test]
fn enter_on_a_task_opens_the_child_session_under_its_parent_and_esc_returns() {
    let home = Home::empty();
    std::fs::create_dir_all(home.dir.path().join("opencode")).unwrap();
    let db = home.dir.path().join("opencode/opencode.db");
    parent_with_tasks(&db);
    let mut m = home.model(120, 40, true);
    let opencode: Vec<usize> = m
        .runs
        .visible()
        .enumerate()
        .filter(|(_, r)| r.agent() == Some(Agent::OpenCode))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        opencode.len(),
        2,
        "the parent and the other top-level session, not the children"
    );
    let parent = m
        .runs
        .visible()
        .position(|r| r.session().is_some_and(|s| s.summary.id == "ses_p"))
        .unwrap();
    m.runs.select_index(parent);
    act(&mut m, Action::OpenTranscript, now());
    act(&mut m, Action::First, now());
    for _ in 0..m.transcript.lines().len() {
        if m.transcript.subagent_here().is_some() {
            break;
        }
        act(&mut m, Action::Down, now());
    }
    assert!(
        m.transcript.subagent_here().is_some(),
        "{:?}",
        session_texts(&m)
    );
    let at = m.transcript.cursor;
    act(&mut m, Action::ExpandEntry, now());
    assert_eq!(m.transcript.crumbs().len(), 1, "{:?}", session_texts(&m));
    assert!(
        m.transcript
            .reference
            .ends_with(" › explore: find the list command"),
        "{}",
        m.transcript.reference
    );
    assert!(
        session_texts(&m)
            .iter()
            .any(|t| t == "The list command is in src/cmd/list.rs"),
        "{:?}",
        session_texts(&m)
    );
    // It reads on as OpenCode writes to it (the database's change, as the watcher tells it).
    let c = rusqlite::Connection::open(&db).unwrap();
    message_row(
        &c,
        "ses_c1",
        "msg_c3",
        1_755_698_403_009,
        &json!({"role": "assistant",
        "time": {"created": 1_755_698_403_009i64, "completed": 1_755_698_403_010i64}}),
    );
    part_row(
        &c,
        "ses_c1",
        "msg_c3",
        "prt_c3",
        &json!({"type": "text",
        "text": "and its test in tests/list.rs"}),
    );
    drop(c);
    step(&mut m, Msg::Disk(Change::Agent(db.clone())), now());
    assert!(
        session_texts(&m)
            .iter()
            .any(|t| t == "and its test in tests/list.rs"),
        "{:?}",
        session_texts(&m)
    );
    act(&mut m, Action::Dismiss, now());
    assert!(m.transcript.crumbs().is_empty());
    assert_eq!(m.transcript.cursor, at, "back at the sub-agent's entry");
    assert!(session_texts(&m).iter().any(|t| t == "Add --json"));
}
