//! A home with sessions of all four agents, every one read through the real readers as the
//! dashboard reads its roots: Claude Code's from the dashboard's own fixture
//! (`sessions/app/claude`), Codex's and Gemini's from the hand-written ones in their shapes
//! (`sessions/own/`), and an OpenCode database written here from SQL with OpenCode's schema.
//! Each session has the entries its agent writes: a prompt, thinking, a tool call with its
//! result, a failed one, an error (Gemini's is one its `$rewindTo` dropped, so its failed call
//! is what is marked) and a sub-agent.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::dash::{Home, freeze_times};
use crate::common::opencode::{create, message_row, part_row, session_in};
use crate::common::{copy_tree, fixture};
use serde_json::json;
use std::path::Path;

/// The OpenCode session's id (its run is `cli-tool opencode <last 6>`).
pub const OPENCODE: &str = "ses_5b1e2c3d9ffeAbCdEfGhIjKl";

/// 2026-11-22T15:20:00Z in ms: the OpenCode session starts 45 minutes before the views' clock.
const T0: i64 = 1_795_360_800_000;

/// The golden runs and store, and sessions of Claude Code, Codex, Gemini and OpenCode.
pub fn every_agent() -> Home {
    let home = Home::with_sessions();
    let dir = home.dir.path();
    copy_tree(&fixture("sessions/own/codex"), &dir.join("codex"));
    copy_tree(&fixture("sessions/own/gemini"), &dir.join("gemini"));
    std::fs::create_dir_all(dir.join("opencode")).unwrap();
    opencode_session(&dir.join("opencode/opencode.db"));
    freeze_times(dir);
    home
}

/// An OpenCode session in `/home/dev/cli-tool`: a prompt, a step with reasoning, a task
/// that ran a sub-agent (its child session), a command and its output, a read that failed
/// and the answer (its text part has no time of its own: it is stamped when its message
/// completed); then a step that ended on a provider error. The child session's own
/// prompt and answer.
fn opencode_session(db: &Path) {
    let c = create(db);
    let child = "ses_5b1e2c3dc001ChildSession";
    session_in(
        &c,
        (OPENCODE, None),
        "/home/dev/cli-tool",
        "Add --json to the list command",
        (T0, T0 + 1_200_000),
    );
    session_in(
        &c,
        (child, Some(OPENCODE)),
        "/home/dev/cli-tool",
        "find the list command (@explore subagent)",
        (T0 + 10_000, T0 + 40_000),
    );
    let user = |at: i64| json!({"role": "user", "time": {"created": at}});
    message_row(&c, OPENCODE, "msg_01", T0, &user(T0));
    let text = |t: &str| json!({"type": "text", "text": t});
    let prompt = text("Add --json to the list command (bd-31)");
    part_row(&c, OPENCODE, "msg_01", "prt_01", &prompt);
    message_row(
        &c,
        OPENCODE,
        "msg_02",
        T0 + 4_000,
        &json!({"role": "assistant",
        "time": {"created": T0 + 4_000, "completed": T0 + 90_000},
        "modelID": "claude-sonnet-4-5", "providerID": "anthropic",
        "path": {"cwd": "/home/dev/cli-tool", "root": "/home/dev/cli-tool"},
        "tokens": {"input": 3_400, "output": 420, "reasoning": 60,
            "cache": {"read": 18_000, "write": 1_200}}, "finish": "stop"}),
    );
    let tool = |call: &str, name: &str, state: serde_json::Value| json!({"type": "tool", "callID": call, "tool": name, "state": state});
    let task_output = format!(
        "<task id=\"{child}\" state=\"completed\">\n<task_result>\nsrc/cmd/list.rs builds the table\n</task_result>\n</task>"
    );
    for (id, part) in [
        ("prt_02", json!({"type": "step-start"})),
        (
            "prt_03",
            json!({"type": "reasoning",
            "text": "The list command prints a table.\nFind where the rows are built first.",
            "time": {"start": T0 + 4_500, "end": T0 + 8_000}}),
        ),
        (
            "prt_04",
            tool(
                "toolu_task",
                "task",
                json!({"status": "completed",
                "input": {"description": "find the list command", "prompt": "Where is the list command built?",
                    "subagent_type": "explore"},
                "metadata": {"sessionId": child, "parentSessionId": OPENCODE},
                "output": task_output,
                "time": {"start": T0 + 10_000, "end": T0 + 40_000}}),
            ),
        ),
        (
            "prt_05",
            tool(
                "toolu_bash",
                "bash",
                json!({"status": "completed",
                "input": {"command": "cargo test list"}, "title": "cargo test list",
                "output": "test result: ok. 4 passed; 0 failed",
                "time": {"start": T0 + 50_000, "end": T0 + 62_000}}),
            ),
        ),
        (
            "prt_06",
            tool(
                "toolu_read",
                "read",
                json!({"status": "error",
                "input": {"filePath": "/home/dev/cli-tool/src/cmd/list_json.rs"},
                "error": "ENOENT: no such file or directory",
                "time": {"start": T0 + 63_000, "end": T0 + 63_100}}),
            ),
        ),
        (
            "prt_07",
            text("Done: `list --json` prints one object per item."),
        ),
        ("prt_08", json!({"type": "step-finish", "tokens": {}})),
    ] {
        part_row(&c, OPENCODE, "msg_02", id, &part);
    }
    message_row(
        &c,
        OPENCODE,
        "msg_03",
        T0 + 1_100_000,
        &user(T0 + 1_100_000),
    );
    let more = text("Now add --json to show as well");
    part_row(&c, OPENCODE, "msg_03", "prt_09", &more);
    message_row(
        &c,
        OPENCODE,
        "msg_04",
        T0 + 1_200_000,
        &json!({"role": "assistant", "time": {"created": T0 + 1_200_000},
        "modelID": "claude-sonnet-4-5", "providerID": "anthropic",
        "error": {"name": "APIError", "data": {"message": "Overloaded: the provider is at capacity"}}}),
    );
    message_row(&c, child, "msg_c1", T0 + 11_000, &user(T0 + 11_000));
    let asked = text("Where is the list command built?");
    part_row(&c, child, "msg_c1", "prt_c1", &asked);
    message_row(
        &c,
        child,
        "msg_c2",
        T0 + 39_000,
        &json!({"role": "assistant",
        "time": {"created": T0 + 39_000, "completed": T0 + 40_000}, "modelID": "claude-haiku-4-5"}),
    );
    let found = text("src/cmd/list.rs builds the table");
    part_row(&c, child, "msg_c2", "prt_c2", &found);
}
