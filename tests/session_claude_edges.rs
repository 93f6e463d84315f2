//! Claude Code sessions at their edges (issue 18): the older sibling layout and inline
//! sidechains, a 12 MB line, a file cut mid-line and then finished, the live registry, and a
//! search past the cut of a long output. Every test ends by proving the files it read are
//! byte-identical. (The golden files and every record type: `session_claude.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "session/claude_records.rs"]
mod claude_records;
mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::claude::registry::{Registry, RegistryEntry};
use beadboard::persist::session::claude::subagents;
use beadboard::persist::session::{
    Agent, Decoded, EntryKind, MAX_ENTRY_TEXT, SessionRoots, SessionSource, TurnState, decode_line,
    list, summarize,
};
use claude_records::every_record;
use serde_json::json;
use session::{entries, of_kind, untouched, write_lines};
use std::path::Path;

fn claude_roots(root: &Path) -> SessionRoots {
    session::roots(Agent::Claude, root)
}

fn listed(root: &Path, name: &str) -> beadboard::persist::session::SessionFile {
    session::listed_where(Agent::Claude, root, |s| {
        s.source.key().file_name().is_some_and(|n| n == name)
    })
}

#[test]
fn the_older_sibling_layout_and_inline_sidechains_attach_to_the_parent() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("projects/-p");
    let parent = project.join("0b5c9c1e-0000-4000-8000-000000000001.jsonl");
    write_lines(&parent, &[
        json!({"type": "user", "sessionId": "0b5c", "message": {"role": "user", "content": "survey"}}).to_string(),
        json!({"type": "assistant", "message": {"id": "m", "content": [{"type": "tool_use", "id": "toolu_t",
            "name": "Task", "input": {"subagent_type": "Explore", "description": "Look around"}}]}}).to_string(),
        json!({"type": "assistant", "isSidechain": true, "agentId": "abc123", "message": {"id": "s",
            "content": [{"type": "text", "text": "looking"}], "usage": {"input_tokens": 7, "output_tokens": 1}}}).to_string(),
        json!({"type": "user", "agentId": "abc123", "message": {"role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_t", "content": "found it"}]}}).to_string(),
    ]);
    let sibling = project.join("agent-abc123.jsonl");
    write_lines(&sibling, &[json!({"type": "user", "isSidechain": true, "message": {"role": "user", "content": "Look around"}}).to_string()]);
    untouched(dir.path(), || {
        let listing = list(&claude_roots(dir.path()));
        assert_eq!(listing.sessions.len(), 1, "the sibling is not a session");
        let s = summarize(&listing.sessions[0], None)
            .unwrap()
            .into_summary();
        assert_eq!(s.subagents.len(), 1);
        assert_eq!(s.subagents[0].id, "abc123");
        assert_eq!(s.subagents[0].description, "Explore: Look around");
        assert_eq!(s.subagents[0].path.as_deref(), Some(sibling.as_path()));
        assert_eq!(s.tokens.input, 7, "a sidechain's usage counts");
        assert_eq!(s.turns, 1);
        let mut all = entries(&session::decode_file(Agent::Claude, &parent));
        subagents::link(&parent, &mut all);
        let spawn = &of_kind(&all, &EntryKind::Subagent)[0];
        assert_eq!(
            spawn.subagent.as_ref().unwrap().path.as_deref(),
            Some(sibling.as_path())
        );
        assert!(all[2].sidechain && !all[3].sidechain);
    });
}

#[test]
fn a_12_mb_line_is_cut_with_its_size_and_the_lines_around_it_survive() {
    let big = "line of output\n".repeat(800_000);
    let line = json!({"type": "user", "message": {"role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "t", "content": big}]}})
    .to_string();
    assert!(line.len() > 12_000_000);
    let Decoded::Entries(e) = decode_line(Agent::Claude, line.as_bytes()) else {
        panic!("not decoded");
    };
    assert!(e[0].text.len() <= MAX_ENTRY_TEXT);
    assert!(big.starts_with(&e[0].text));
    assert_eq!(
        e[0].cut,
        Some(big.len() as u64),
        "the decoded size, escapes undone"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("projects/-p/s.jsonl");
    let before =
        json!({"type": "user", "message": {"role": "user", "content": "first"}}).to_string();
    let after = json!({"type": "assistant", "message": {"id": "z", "stop_reason": "end_turn", "content": "ok"}}).to_string();
    write_lines(&path, &[before, line, after]);
    let s = untouched(dir.path(), || {
        summarize(&listed(dir.path(), "s.jsonl"), None).unwrap()
    });
    assert_eq!(s.summary().turns, 1);
    assert_eq!(s.summary().turn, TurnState::Ended);
    assert_eq!(s.summary().read_to, std::fs::metadata(&path).unwrap().len());
}

#[test]
fn a_file_cut_mid_line_keeps_its_complete_lines_and_goes_on_when_the_line_is_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("projects/-p/s.jsonl");
    let lines: Vec<String> = every_record().iter().map(ToString::to_string).collect();
    let whole = lines.join("\n") + "\n";
    let cut_at = whole.len() - lines.last().unwrap().len() / 2;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &whole[..cut_at]).unwrap();
    let first = summarize(&listed(dir.path(), "s.jsonl"), None).unwrap();
    let complete = whole.len() - lines.last().unwrap().len() - 1;
    assert_eq!(
        first.summary().read_to,
        complete as u64,
        "the half line is held back"
    );
    assert_eq!(first.summary().turns, 2);
    assert_eq!(
        first.summary().turn,
        TurnState::Ended,
        "the API error is not read yet"
    );
    std::fs::write(&path, &whole).unwrap();
    let grown = summarize(&listed(dir.path(), "s.jsonl"), Some(first)).unwrap();
    let fresh = summarize(&listed(dir.path(), "s.jsonl"), None).unwrap();
    assert_eq!(grown.summary(), fresh.summary());
    assert!(matches!(grown.summary().turn, TurnState::Failed(_)));
    // A file that was replaced is read again from the start.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, &lines[2]).unwrap();
    let replaced = summarize(&listed(dir.path(), "s.jsonl"), Some(grown)).unwrap();
    assert_eq!(
        replaced.summary().turns,
        0,
        "no newline yet: nothing complete"
    );
}

#[test]
fn the_live_registry_reads_every_field_and_reports_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("409825.json"),
        json!({"pid": 409_825, "sessionId": "c3fb", "cwd": "/home/dev/app", "startedAt": 1_778_572_448_459_i64,
               "procStart": "20095994", "version": "2.1.139", "kind": "interactive", "status": "waiting",
               "waitingFor": "permission", "updatedAt": 1_778_681_861_222_i64, "name": "n"})
        .to_string(),
    )
    .unwrap();
    std::fs::write(sessions.join("77.json"), "{}").unwrap();
    std::fs::write(sessions.join("78.json"), "{\"pid\":").unwrap();
    std::fs::write(sessions.join("79.json"), "[1]").unwrap();
    let registry = untouched(dir.path(), || Registry::read(&[dir.path().to_path_buf()]));
    assert_eq!(registry.entries.len(), 2);
    let full = registry.for_session("c3fb").unwrap();
    assert_eq!(full.pid, Some(409_825));
    assert_eq!(full.turn(), Some(TurnState::Waiting("permission".into())));
    assert_eq!(
        full.started_at.unwrap().timestamp_millis(),
        1_778_572_448_459
    );
    assert_eq!(full.proc_start.as_deref(), Some("20095994"));
    let bare = registry
        .entries
        .iter()
        .find(|e| e.session_id.is_none())
        .unwrap();
    assert_eq!(bare.pid, Some(77), "the pid from the file name");
    assert_eq!(bare.turn(), None);
    assert_eq!(registry.problems.len(), 2);
    assert!(
        registry
            .problems
            .iter()
            .any(|(p, why)| p.ends_with("78.json") && why.contains("invalid JSON"))
    );
    assert!(
        registry
            .problems
            .iter()
            .any(|(p, why)| p.ends_with("79.json") && why == "not a JSON object")
    );
    let busy = RegistryEntry {
        status: Some("busy".into()),
        ..RegistryEntry::default()
    };
    assert_eq!(busy.turn(), Some(TurnState::Working));
}

#[test]
fn search_of_every_transcript_finds_words_past_the_cut_of_a_long_output() {
    use beadboard::search::{CorpusEvent, CorpusSearch, Query, Target};
    let big = format!(
        "{}found it: needle-zebra-42\n",
        "line of output\n".repeat(10_000)
    );
    assert!(big.len() > MAX_ENTRY_TEXT);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("projects/-p/s.jsonl");
    let prompt =
        json!({"type": "user", "message": {"role": "user", "content": "first"}}).to_string();
    let output = json!({"type": "user", "message": {"role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "t", "content": big}]}})
    .to_string();
    write_lines(&path, &[prompt, output]);
    let target = Target::of_session(Agent::Claude, SessionSource::Lines(path.clone()), "s", "/p");
    let mut hits = Vec::new();
    let outcome = untouched(dir.path(), || {
        CorpusSearch::new(Query::new("needle-zebra").unwrap()).run(&[target], |e| {
            if let CorpusEvent::Hits(h) = e {
                hits.extend(h);
            }
        })
    });
    assert_eq!(outcome.progress.files_done, 1);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].line, 2);
    assert_eq!(hits[0].entry_type, "tool_result");
    assert!(hits[0].text.contains("needle-zebra-42"), "{:?}", hits[0]);
}
