//! End to end, in tmux, on the real binary: a Claude session's sub-agent, opened from its
//! parent's entry, reads on live as its transcript grows (the session's side directory is
//! watched while it is shown). Every step waits on screen text, never a fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::tmux::Session;
use std::io::Write;

const WEBAPP: &str = "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358";

#[test]
fn a_subagent_opened_under_its_parent_reads_on_as_it_grows() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::sessions_only();
    let file = home
        .claude()
        .join("projects/-home-dev-webapp")
        .join(WEBAPP)
        .join("subagents/agent-a1b2c3.jsonl");
    let s = Session::open(
        &home,
        200,
        50,
        &[],
        &[("BEADBOARD_CLAUDE_DIR", home.claude())],
    );
    s.wait_for("webapp claude 88a8d7");
    s.send(&["1", "/"]);
    s.type_text("webapp");
    s.send(&["Enter", "Enter"]);
    s.wait_for("Transcript webapp claude 88a8d7");
    s.send(&["/"]);
    s.type_text("Found 3");
    s.send(&["Enter"]);
    // The match is the sub-agent's result; its entry is just above, and Enter opens it.
    s.wait_for("/Found 3 1/1");
    s.send(&["k", "Enter"]);
    s.wait_until(
        |sc| {
            sc.contains("Transcript webapp claude 88a8d7 › ")
                && sc.contains("Find every cookie write")
        },
        "the sub-agent's transcript under its parent",
    );
    s.send(&["G"]);
    let line = r#"{"parentUuid":"s4","isSidechain":true,"cwd":"/home/dev/webapp","sessionId":"88a8d761-7b9a-4bf1-a8ca-c1febe6bf358","agentId":"a1b2c3","type":"assistant","message":{"id":"msg_s3","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"And one more in src/legacy.js"}],"stop_reason":"end_turn"},"uuid":"s5","timestamp":"2026-11-22T15:01:40.000Z"}"#;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    writeln!(f, "{line}").unwrap();
    drop(f);
    s.wait_for("And one more in src/legacy.js");
    s.send(&["q"]);
}
