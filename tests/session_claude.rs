//! Claude Code sessions (issue 18): golden files Claude Code wrote (via claude-code-log's
//! fixtures), and our own lines for every record type in the spec: prompts, replies, thinking,
//! tool calls and results, sub-agents in all three layouts, API errors, compaction, titles,
//! steering, images, saved outputs, unknown and malformed lines, the turn's state, and
//! summaries that count each response once. Every test ends by proving the files it read are
//! byte-identical. (The edges, a 12 MB line, a file cut mid-line, the live registry:
//! `session_claude_edges.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "session/claude_records.rs"]
mod claude_records;
mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::claude::subagents;
use beadboard::persist::session::{
    Agent, Decoded, EntryKind, SessionSource, Summarizer, Tokens, TurnState, decode_line, summarize,
};
use claude_records::every_record;
use serde_json::json;
use session::{decode_file, entries, fixture, kinds, of_kind, untouched, write_lines};
use std::path::{Path, PathBuf};

fn decode_one(line: &serde_json::Value) -> Decoded {
    decode_line(Agent::Claude, line.to_string().as_bytes())
}

fn listed(root: &Path, name: &str) -> beadboard::persist::session::SessionFile {
    session::listed_where(Agent::Claude, root, |s| {
        s.source.key().file_name().is_some_and(|n| n == name)
    })
}

#[test]
fn golden_real_sidechain_file_shows_each_block_once_and_counts_each_response_once() {
    let root = fixture("claude-code-log/claude");
    let file =
        root.join("projects/e--Workspace-src-github-claude-code-log/sidechain_integrated.jsonl");
    untouched(&root, || {
        let decoded = decode_file(Agent::Claude, &file);
        let all = entries(&decoded);
        assert_eq!(
            kinds(&all),
            vec![
                (
                    "subagent".into(),
                    "Research data-border-color usage and CSS class mat...".into()
                ),
                (
                    "tool_result".into(),
                    "Perfect! Now I have a complete understanding. Let ...".into()
                ),
                (
                    "response".into(),
                    "I'll research how `data-border-color` is used thro...".into()
                ),
                ("tool_call".into(), "data-border-color".into()),
                (
                    "tool_result".into(),
                    "  3130â†’                # Simplified: no \"Tool Re...".into()
                ),
                (
                    "response".into(),
                    "Excellent research! The sub-assistant has identifi...".into()
                ),
            ]
        );
        let spawn = &all[0];
        assert_eq!(
            spawn.call_id.as_deref(),
            Some("toolu_01JA2mLseQCAW3MdwPE4qWEk")
        );
        assert_eq!(
            spawn.subagent.as_ref().unwrap().description,
            "general-purpose: Research data-border-color usage and CSS class mat..."
        );
        assert_eq!(
            all[1].call_id, spawn.call_id,
            "the result is linked to its call"
        );
        assert_eq!(all[1].subagent.as_ref().unwrap().id, "e1c84ba5");
        assert_eq!(
            all.iter().map(|e| e.sidechain).collect::<Vec<_>>(),
            vec![false, false, true, true, true, false]
        );
        assert_eq!(all[3].tool.as_deref(), Some("Grep"));
        assert_eq!(all[2].model.as_deref(), Some("claude-sonnet-4-5-20250929"));

        let s = summarize(&listed(&root, "sidechain_integrated.jsonl"), None).unwrap();
        let s = s.summary();
        assert_eq!(s.id, "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358");
        assert_eq!(s.cwd, r"e:\Workspace\src\github\claude-code-log");
        // msg_017zj… is split over two lines with the same usage: counted once.
        assert_eq!(
            s.tokens,
            Tokens {
                input: 9,
                output: 365 + 183 + 190,
                cache_read: 141_272,
                cache_write: 141_272 + 19_830 + 2_952,
            }
        );
        assert_eq!(s.turns, 0, "no prompt in this excerpt");
        assert_eq!(
            s.turn,
            TurnState::Working,
            "the last response asked for a tool"
        );
        assert_eq!(s.subagents.len(), 1);
        assert_eq!(s.subagents[0].id, "e1c84ba5");
        assert_eq!(s.model.as_deref(), Some("claude-sonnet-4-5-20250929"));
    });
}

#[test]
fn golden_current_subagent_layout_is_linked_through_meta_json_and_never_listed() {
    let root = fixture("claude-code-log/claude");
    let parent =
        root.join("projects/-workspace-example-app/55550000-0000-4000-8000-000000000001.jsonl");
    let side =
        root.join("projects/-workspace-example-app/55550000-0000-4000-8000-000000000001/subagents");
    untouched(&root, || {
        let names = session::listed_names(Agent::Claude, &root);
        assert_eq!(
            names,
            vec![
                "55550000-0000-4000-8000-000000000001.jsonl",
                "dag_compact_after_rewind.jsonl",
                "session_id_steering_order.jsonl",
                "sidechain_integrated.jsonl",
            ],
            "sub-agent transcripts are not sessions"
        );
        let file = listed(&root, "55550000-0000-4000-8000-000000000001.jsonl");
        assert_eq!(
            file.id_hint.as_deref(),
            Some("55550000-0000-4000-8000-000000000001")
        );
        assert!(matches!(file.source, SessionSource::Lines(_)));
        let s = summarize(&file, None).unwrap().into_summary();
        assert_eq!(s.turns, 1);
        assert_eq!(
            s.prompt_head,
            "Give me a tour of the repository: its structure, then compare the web and jobs modules side by side."
        );
        assert_eq!(s.cwd, "/workspace/example-app");
        assert_eq!(
            s.tokens,
            Tokens {
                input: 600,
                output: 200,
                ..Tokens::default()
            }
        );
        assert_eq!(s.turn, TurnState::Ended);
        let subs: Vec<(&str, &str, Option<&Path>)> = s
            .subagents
            .iter()
            .map(|l| (l.id.as_str(), l.description.as_str(), l.path.as_deref()))
            .collect();
        let a1 = side.join("agent-showcol1.jsonl");
        let a2 = side.join("agent-showcol2.jsonl");
        assert_eq!(
            subs,
            vec![
                (
                    "showcol1",
                    "general-purpose: Survey the web module",
                    Some(a1.as_path())
                ),
                (
                    "showcol2",
                    "general-purpose: Survey the jobs module",
                    Some(a2.as_path())
                ),
            ]
        );

        let mut all = entries(&decode_file(Agent::Claude, &parent));
        subagents::link(&parent, &mut all);
        let spawned = of_kind(&all, &EntryKind::Subagent);
        assert_eq!(spawned.len(), 2);
        assert_eq!(
            spawned[0].subagent.as_ref().unwrap().path.as_deref(),
            Some(a1.as_path())
        );
        assert_eq!(spawned[1].subagent.as_ref().unwrap().id, "showcol2");
        assert_eq!(spawned[0].tool.as_deref(), Some("Agent"));
        let mcp = &of_kind(&all, &EntryKind::ToolCall)[0];
        assert_eq!(
            mcp.tool.as_deref(),
            Some("mcp__plugin_showcase_example__inspect_repository_structure")
        );
        assert_eq!(mcp.text, ".");
        // The sub-agent's own file reads like any transcript, every line a sidechain.
        let own = entries(&decode_file(Agent::Claude, &a2));
        assert!(own.iter().all(|e| e.sidechain));
        assert_eq!(own[0].kind, EntryKind::Prompt);
    });
}

#[test]
fn golden_steering_and_compaction() {
    let root = fixture("claude-code-log/claude");
    untouched(&root, || {
        let steering = listed(&root, "session_id_steering_order.jsonl");
        let s = summarize(&steering, None).unwrap().into_summary();
        assert_eq!(s.turns, 3, "two typed prompts and one steering message");
        assert_eq!(s.prompt_head, "Please start the migration.");
        let all = entries(&decode_file(Agent::Claude, steering.source.file().unwrap()));
        assert_eq!(all[2].kind, EntryKind::Prompt);
        assert_eq!(all[2].text, "actually — focus on the parser first");

        let dag = listed(&root, "dag_compact_after_rewind.jsonl");
        let s = summarize(&dag, None).unwrap().into_summary();
        assert_eq!(s.turns, 5, "the summary after compaction is not a prompt");
        assert_eq!(
            s.tokens,
            Tokens {
                input: 50,
                output: 25,
                ..Tokens::default()
            }
        );
        assert_eq!(s.id, "s1");
        assert_eq!(s.turn, TurnState::Ended);
        let all = entries(&decode_file(Agent::Claude, dag.source.file().unwrap()));
        let compactions = of_kind(&all, &EntryKind::Compaction);
        assert_eq!(compactions.len(), 2);
        assert_eq!(
            compactions[0].text,
            "Conversation compacted (auto, 150000 tokens before)"
        );
        assert!(
            compactions[1]
                .text
                .starts_with("This session is being continued")
        );
        assert_eq!(all.len(), 12, "nothing before the boundary is dropped");
    });
}

#[test]
fn every_record_type_maps_to_its_entry_kind() {
    let lines = every_record();
    let decoded: Vec<Decoded> = lines.iter().map(decode_one).collect();
    let shown: Vec<String> = decoded
        .iter()
        .map(|d| match d {
            Decoded::Skip => "skip".to_owned(),
            Decoded::Malformed { .. } => "malformed".to_owned(),
            Decoded::Entries(e) => e
                .iter()
                .map(|e| e.kind.as_str())
                .collect::<Vec<_>>()
                .join("+"),
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            "skip",
            "signal",
            "prompt",
            "thinking",
            "tool_call",
            "skip",
            "tool_result",
            "compaction",
            "compaction",
            "signal",
            "error",
            "state",
            "state",
            "state",
            "skip",
            "prompt",
            "skip",
            "skip",
            "skip",
            "skip",
            "signal",
            "signal",
            "response",
            "brand-new-thing",
            "error",
        ]
    );
    let all = entries(&decoded);
    let prompt = &of_kind(&all, &EntryKind::Prompt)[0];
    assert_eq!(
        prompt.text,
        "Fix the flaky login test bd-42\n[image png 1.2 MB]"
    );
    assert!(all.iter().all(|e| !e.text.contains("AAAA")), "never base64");
    assert!(
        all.iter().all(|e| !e.text.contains("SIGNATURE")),
        "never a signature"
    );
    let result = &of_kind(&all, &EntryKind::ToolResult)[0];
    assert!(result.is_error);
    assert_eq!(
        result.saved_output.as_deref(),
        Some(Path::new(
            "/home/dev/.claude/projects/-home-dev-webapp/sess-1/tool-results/toolu_1.txt"
        ))
    );
    assert!(result.text.contains("saved to"), "the text says where");
    let call = &of_kind(&all, &EntryKind::ToolCall)[0];
    assert_eq!(
        (call.tool.as_deref(), call.text.as_str()),
        (Some("Bash"), "npm test -- login")
    );
    let errors = of_kind(&all, &EntryKind::Error);
    assert_eq!(
        errors[1].text,
        "rate_limit 429: You've hit your session limit · resets 9:50pm"
    );
    assert!(errors.iter().all(|e| e.is_error));
    let unknown = &all[all.len() - 2];
    assert_eq!(unknown.kind, EntryKind::Unknown("brand-new-thing".into()));
    assert!(unknown.text.contains("\"payload\":1"), "shown as it is");
    assert!(matches!(
        decode_line(Agent::Claude, b"{\"type\":\"user\",\"message\":"),
        Decoded::Malformed { .. }
    ));
    assert!(matches!(
        decode_line(Agent::Claude, b"[1,2]"),
        Decoded::Malformed { .. }
    ));
}

#[test]
fn the_summary_of_every_record_counts_turns_tokens_titles_and_the_failure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("projects/-home-dev-webapp/sess-1.jsonl");
    write_lines(
        &path,
        &every_record()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    let s = untouched(dir.path(), || {
        summarize(&listed(dir.path(), "sess-1.jsonl"), None)
            .unwrap()
            .into_summary()
    });
    assert_eq!(s.turns, 2, "the typed prompt and the steering message");
    assert_eq!(s.prompt_head, "Fix the flaky login test bd-42");
    assert_eq!(
        s.title.as_deref(),
        Some("login flake"),
        "a person's title wins"
    );
    assert_eq!(
        s.tokens,
        Tokens {
            input: 8,
            output: 108,
            cache_read: 100,
            cache_write: 50
        },
        "msg_1's last line replaces its first; msg_2 adds"
    );
    assert_eq!(s.model.as_deref(), Some("claude-sonnet-4-5"));
    assert_eq!(
        s.turn,
        TurnState::Failed("You've hit your session limit · resets 9:50pm".into())
    );
    assert_eq!(
        s.started_at.unwrap().to_rfc3339(),
        "2026-08-20T14:00:00+00:00"
    );
    assert_eq!(
        s.last_entry_at.unwrap().to_rfc3339(),
        "2026-08-20T15:40:00+00:00"
    );
}

#[test]
fn turn_state_follows_the_end_of_the_transcript() {
    let user = |text: &str| json!({"type": "user", "message": {"role": "user", "content": text}});
    let tool = json!({"type": "assistant", "message": {"id": "a", "stop_reason": "tool_use",
        "content": [{"type": "tool_use", "id": "t1", "name": "Read", "input": {"file_path": "/x"}}]}});
    let result = json!({"type": "user", "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "x"}]}});
    let done = json!({"type": "assistant", "message": {"id": "b", "stop_reason": "end_turn", "content": [{"type": "text", "text": "done"}]}});
    let mut s = Summarizer::new(
        Agent::Claude,
        SessionSource::Lines(PathBuf::from("/x.jsonl")),
    );
    let mut step = |line: &serde_json::Value| {
        s.feed_line(line.to_string().as_bytes());
        s.summary().turn.clone()
    };
    assert_eq!(step(&user("go")), TurnState::Working);
    assert_eq!(step(&tool), TurnState::Working);
    assert_eq!(step(&result), TurnState::Working);
    assert_eq!(step(&done), TurnState::Ended);
    assert_eq!(step(&user("again")), TurnState::Working);
    assert_eq!(
        step(&user("[Request interrupted by user]")),
        TurnState::Ended
    );
}
