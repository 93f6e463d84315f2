//! An assistant message read from its `data` and parts: when each entry is stamped, and a
//! task's answer without its markup.

use super::*;
use chrono::{DateTime, Utc};
use serde_json::json;

const T0: i64 = 1_766_000_000_000;

fn at(ms: i64) -> Option<DateTime<Utc>> {
    from_millis(ms)
}

fn read(parts: &[serde_json::Value]) -> Vec<Entry> {
    let data = json!({"role": "assistant", "time": {"created": T0, "completed": T0 + 90_000}});
    let parts: Vec<Vec<u8>> = parts.iter().map(|p| p.to_string().into_bytes()).collect();
    message(data.to_string().as_bytes(), &parts).0
}

#[test]
fn a_part_has_its_own_time_else_its_messages_completed_time() {
    let tool = json!({"type": "tool", "callID": "c1", "tool": "bash", "state": {
        "status": "completed", "input": {"command": "cargo test"}, "output": "ok",
        "time": {"start": T0 + 10_000, "end": T0 + 20_000}}});
    let out = read(&[
        json!({"type": "reasoning", "text": "Look first.", "time": {"start": T0 + 1_000, "end": T0 + 2_000}}),
        tool,
        json!({"type": "text", "text": "Ran it.", "time": {"end": T0 + 25_000}}),
        json!({"type": "text", "text": "Done."}),
    ]);
    let times: Vec<_> = out.iter().map(|e| e.time).collect();
    assert_eq!(
        times,
        [
            at(T0 + 1_000),
            at(T0 + 10_000),
            at(T0 + 20_000),
            at(T0 + 25_000),
            at(T0 + 90_000)
        ]
    );
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "never backwards: {times:?}"
    );
}

#[test]
fn a_tasks_result_is_its_answer_and_still_names_the_child() {
    let output = "<task id=\"ses_child1\" state=\"completed\">\n<task_result>\nsrc/cmd/list.rs builds the table\n</task_result>\n</task>";
    let out = read(&[
        json!({"type": "tool", "callID": "t1", "tool": "task", "state": {
        "status": "completed", "output": output,
        "input": {"description": "find the list command", "subagent_type": "explore"},
        "time": {"start": T0 + 10_000, "end": T0 + 40_000}}}),
    ]);
    assert_eq!(out[0].kind, EntryKind::Subagent);
    assert_eq!(
        out[0].subagent.as_ref().map(|s| s.id.as_str()),
        Some("ses_child1")
    );
    assert_eq!(out[1].kind, EntryKind::ToolResult);
    assert_eq!(out[1].text, "src/cmd/list.rs builds the table");
}
