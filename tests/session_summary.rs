//! Incremental summaries (issue 18): a summariser fed a session in pieces, cut anywhere (mid
//! line included), gives the same summary as one read of the whole; and a file that grows in
//! steps, summarised each time from where the last summary stopped, ends with the summary a
//! fresh read gives. Property-tested over the split points, for every line-based format
//! (Gemini's upserts and rewinds included).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::{Agent, SessionFile, SessionSource, Summarizer, summarize};
use proptest::prelude::*;
use session::fixture;
use std::path::{Path, PathBuf};

/// Every line of the given fixture files, concatenated.
fn corpus(files: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        out.extend(std::fs::read(fixture(f)).unwrap());
    }
    out
}

fn claude_corpus() -> Vec<u8> {
    let mut bytes = corpus(&[
        "claude-code-log/claude/projects/-workspace-example-app/55550000-0000-4000-8000-000000000001.jsonl",
        "claude-code-log/claude/projects/e--Workspace-src-github-claude-code-log/sidechain_integrated.jsonl",
        "claude-code-log/claude/projects/-tmp-project/session_id_steering_order.jsonl",
        "claude-code-log/claude/projects/-tmp/dag_compact_after_rewind.jsonl",
    ]);
    bytes.extend_from_slice(
        concat!(
            r#"{"type":"custom-title","customTitle":"mine"}"#, "\n",
            r#"{"type":"ai-title","aiTitle":"theirs"}"#, "\n",
            r#"{"type":"assistant","isApiErrorMessage":true,"error":"rate_limit","message":{"content":[{"type":"text","text":"limit"}]}}"#, "\n",
        )
        .as_bytes(),
    );
    bytes
}

fn codex_corpus() -> Vec<u8> {
    corpus(&[
        "claude-code-log/codex/sessions/2026/01/03/rollout-2026-01-03T04-05-06-22222222-2222-4222-8222-222222222222.jsonl",
        "claude-code-log/codex/sessions/2026/01/02/rollout-2026-01-02T03-04-05-11111111-1111-4111-8111-111111111111.jsonl",
        "claude-code-log/codex/sessions/rollout-44444444-4444-4444-8444-444444444444.jsonl",
        "claude-code-log/codex/malformed/rollout-66666666-6666-4666-8666-666666666666.jsonl",
    ])
}

fn gemini_corpus() -> Vec<u8> {
    corpus(&["own/gemini/tmp/webapp/chats/session-2026-08-20T14-00-9f1c2d3e.jsonl"])
}

/// Byte offsets from fractions of `len`, sorted.
fn offsets(len: usize, fractions: &[f64]) -> Vec<usize> {
    let mut cuts: Vec<usize> = fractions
        .iter()
        .map(|f| (f * len as f64) as usize)
        .collect();
    cuts.sort_unstable();
    cuts
}

/// Feeds `bytes` in pieces cut at `cuts`, carrying each incomplete line to the next piece.
fn fed_in_pieces(agent: Agent, bytes: &[u8], cuts: &[usize]) -> Summarizer {
    let mut s = Summarizer::new(agent, SessionSource::Lines(PathBuf::from("/s.jsonl")));
    let mut pending: Vec<u8> = Vec::new();
    let mut at = 0;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        pending.extend_from_slice(&bytes[at..cut]);
        at = cut;
        let used = s.feed(&pending);
        pending.drain(..used);
    }
    s
}

fn whole(agent: Agent, bytes: &[u8]) -> Summarizer {
    let mut s = Summarizer::new(agent, SessionSource::Lines(PathBuf::from("/s.jsonl")));
    s.feed(bytes);
    s
}

fn listed(agent: Agent, path: &Path) -> SessionFile {
    SessionFile {
        agent,
        source: SessionSource::Lines(path.to_path_buf()),
        id_hint: None,
        stamp: None,
    }
}

fn check_pieces(agent: Agent, bytes: &[u8], fractions: &[f64]) {
    let cuts = offsets(bytes.len(), fractions);
    let pieces = fed_in_pieces(agent, bytes, &cuts);
    assert_eq!(
        pieces.summary(),
        whole(agent, bytes).summary(),
        "cut at {cuts:?}"
    );
}

/// Writes `bytes` to a file in steps (cut at `cuts`), summarising after each from the last
/// summary, and compares the end with a fresh summary.
fn check_growing_file(agent: Agent, bytes: &[u8], fractions: &[f64]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.jsonl");
    let file = listed(agent, &path);
    let cuts = offsets(bytes.len(), fractions);
    let mut previous = None;
    let mut out = std::fs::File::create(&path).unwrap();
    let mut at = 0;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        std::io::Write::write_all(&mut out, &bytes[at..cut]).unwrap();
        at = cut;
        previous = Some(summarize(&file, previous).unwrap());
    }
    let fresh = summarize(&file, None).unwrap();
    assert_eq!(
        previous.unwrap().summary(),
        fresh.summary(),
        "grown at {cuts:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn claude_in_pieces_equals_whole(fractions in prop::collection::vec(0.0f64..1.0, 0..12)) {
        check_pieces(Agent::Claude, &claude_corpus(), &fractions);
    }

    #[test]
    fn codex_in_pieces_equals_whole(fractions in prop::collection::vec(0.0f64..1.0, 0..12)) {
        check_pieces(Agent::Codex, &codex_corpus(), &fractions);
    }

    #[test]
    fn gemini_in_pieces_equals_whole(fractions in prop::collection::vec(0.0f64..1.0, 0..12)) {
        check_pieces(Agent::Gemini, &gemini_corpus(), &fractions);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_growing_claude_file_is_summarised_from_where_it_stopped(fractions in prop::collection::vec(0.0f64..1.0, 1..6)) {
        check_growing_file(Agent::Claude, &claude_corpus(), &fractions);
    }

    #[test]
    fn a_growing_codex_file_is_summarised_from_where_it_stopped(fractions in prop::collection::vec(0.0f64..1.0, 1..6)) {
        check_growing_file(Agent::Codex, &codex_corpus(), &fractions);
    }

    #[test]
    fn a_growing_gemini_file_is_summarised_from_where_it_stopped(fractions in prop::collection::vec(0.0f64..1.0, 1..6)) {
        check_growing_file(Agent::Gemini, &gemini_corpus(), &fractions);
    }
}

#[test]
fn an_unchanged_file_is_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.jsonl");
    std::fs::write(&path, claude_corpus()).unwrap();
    let file = listed(Agent::Claude, &path);
    let mut first = summarize(&file, None).unwrap();
    // A mark no read of the file would give: it survives only if nothing is read again.
    first.feed_line(br#"{"type":"custom-title","customTitle":"marked"}"#);
    let again = summarize(&file, Some(first.clone())).unwrap();
    assert_eq!(again.summary().title.as_deref(), Some("marked"));
    std::fs::write(&path, claude_corpus().repeat(2)).unwrap();
    let grown = summarize(&file, Some(first)).unwrap();
    assert_eq!(
        grown.summary().title.as_deref(),
        Some("mine"),
        "read again once it grew"
    );
}
