//! Codex sub-agent threads: claude-code-log's parent that spawns one (`collab_tool_call`) and
//! its thread's rollout naming its parent, and our own rollout of a current build, which names
//! its thread by `sub_agent_activity` (with the rest of a turn: reasoning, a failed command, a
//! stream error and its tokens).

use super::session::{decode_file, entries, kinds, of_kind, untouched};
use super::{codex_roots, fixture, listed};
use beadboard::persist::session::{Agent, EntryKind, list, summarize};

#[test]
fn golden_subagent_rollouts_name_their_parent_and_the_parent_its_child() {
    let home = fixture("claude-code-log/codex");
    untouched(&home, || {
        let listing = list(&codex_roots(&home));
        assert!(listing.problems.is_empty());
        assert_eq!(
            listing.sessions.len(),
            4,
            "three dated rollouts and one flat one"
        );
        let child = summarize(&listed(&home, "33333333-3333-4333-8333-333333333333"), None)
            .unwrap()
            .into_summary();
        assert_eq!(
            child.parent.as_deref(),
            Some("22222222-2222-4222-8222-222222222222")
        );
        let parent_file = listed(&home, "22222222-2222-4222-8222-222222222222");
        let parent = summarize(&parent_file, None).unwrap().into_summary();
        assert_eq!(parent.parent, None);
        assert_eq!(parent.subagents.len(), 1);
        assert_eq!(
            parent.subagents[0].id,
            "33333333-3333-4333-8333-333333333333"
        );
        let all = entries(&decode_file(
            Agent::Codex,
            parent_file.source.file().unwrap(),
        ));
        let spawn = &of_kind(&all, &EntryKind::Subagent)[0];
        assert_eq!(
            spawn.subagent.as_ref().unwrap().id,
            "33333333-3333-4333-8333-333333333333"
        );
        assert_eq!(spawn.call_id.as_deref(), Some("call-spawn-001"));
    });
}

#[test]
fn a_current_sub_agent_thread_is_named_by_its_start_and_found_in_the_day_directories() {
    // Codex at HEAD persists `sub_agent_activity` (not `collab_agent_spawn_end`): the parent
    // names its thread when it starts; the thread's own rollout names its parent.
    let home = fixture("own/codex");
    let parent_id = "0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f";
    let thread = "0198c7a2-6c2f-7d4e-8a21-3b5c7d9e1f20";
    untouched(&home, || {
        let child = summarize(&listed(&home, thread), None)
            .unwrap()
            .into_summary();
        assert_eq!(child.parent.as_deref(), Some(parent_id));
        let parent_file = listed(&home, parent_id);
        let parent = summarize(&parent_file, None).unwrap().into_summary();
        assert_eq!(parent.parent, None);
        let ids: Vec<(&str, &str)> = (parent.subagents.iter())
            .map(|s| (s.id.as_str(), s.description.as_str()))
            .collect();
        assert_eq!(
            ids,
            [(thread, "/root/tests")],
            "started once, interacted later"
        );
        let path = parent_file.source.file().unwrap();
        let mut all = entries(&decode_file(Agent::Codex, path));
        let spawns = of_kind(&all, &EntryKind::Subagent);
        assert_eq!(spawns.len(), 1);
        // Its other lines: the reasoning summary (never its encrypted content), a command
        // that failed, a stream error, the answer; its tokens once.
        let failed: Vec<(String, String)> = kinds(&all)
            .into_iter()
            .zip(&all)
            .filter(|(_, e)| e.is_error)
            .map(|(k, _)| (k.0, k.1.lines().next().unwrap_or_default().to_owned()))
            .collect();
        let p = |k: &str, t: &str| (k.to_owned(), t.to_owned());
        assert_eq!(
            failed,
            [
                p("tool_result", "Exit code: 1"),
                p(
                    "error",
                    "stream disconnected before completion; retrying 1/5 in 200ms"
                )
            ]
        );
        let thinking = of_kind(&all, &EntryKind::Thinking);
        assert!(
            thinking[0].text.contains("Run the login test"),
            "{thinking:?}"
        );
        assert!(!all.iter().any(|e| e.text.contains("gAAAAB")));
        assert_eq!(parent.tokens.output, 812);
        assert_eq!(spawns[0].subagent.as_ref().unwrap().path, None);
        beadboard::persist::session::codex::subagents::link(path, &mut all);
        let linked = of_kind(&all, &EntryKind::Subagent)[0]
            .subagent
            .clone()
            .unwrap();
        let file = linked.path.unwrap();
        assert!(file.ends_with(format!("rollout-2026-08-20T16-00-05-{thread}.jsonl")));
    });
}
