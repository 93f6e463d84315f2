//! The session summary cache (issue 18): a start reads one cache file, not every transcript;
//! a session that only grew is read from where its summary stopped; the file holds no
//! transcript path and no transcript text beyond the first prompt's head; it is written 0600 in
//! a 0700 directory; a corrupt, cut or foreign file is ignored and rewritten.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::{SessionCache, SessionRoots, Summarizer, list, summarize_all};
use session::fixture;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A home with sessions of three agents (copies of the fixtures).
fn home() -> (tempfile::TempDir, SessionRoots) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &fixture("claude-code-log/claude"),
        &dir.path().join("claude"),
    );
    common::copy_tree(&fixture("claude-code-log/codex"), &dir.path().join("codex"));
    common::copy_tree(&fixture("own/gemini"), &dir.path().join("gemini"));
    let roots = SessionRoots {
        claude: vec![dir.path().join("claude")],
        codex: Some(dir.path().join("codex")),
        gemini: Some(dir.path().join("gemini")),
        ..SessionRoots::default()
    };
    (dir, roots)
}

fn all(roots: &SessionRoots, cache: &mut SessionCache) -> Vec<Summarizer> {
    let listing = list(roots);
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    summarize_all(&listing.sessions, cache)
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

fn summaries(s: &[Summarizer]) -> Vec<beadboard::persist::session::SessionSummary> {
    s.iter().map(|s| s.summary().clone()).collect()
}

#[test]
fn a_second_start_uses_the_cache_and_stores_no_path_and_no_transcript() {
    let (home, roots) = home();
    let cache_dir = home.path().join("cache/beadboard");
    let mut cache = SessionCache::load(&cache_dir);
    assert!(cache.is_empty() && cache.problem().is_none());
    let first = all(&roots, &mut cache);
    assert_eq!(first.len(), 12);
    cache.save(&first).unwrap();

    let text = std::fs::read_to_string(cache_dir.join("sessions.jsonl")).unwrap();
    let home_path = home.path().to_string_lossy().into_owned();
    assert!(!text.contains(&home_path), "no transcript path is stored");
    assert!(
        !text.contains("sessions/2026"),
        "no transcript path is stored"
    );
    assert!(
        !text.contains("Both modules are surveyed"),
        "no reply text is stored"
    );
    assert!(
        text.contains("Give me a tour of the repository"),
        "the prompt head is"
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache_dir.join("sessions.jsonl")), 0o600);
    assert_eq!(mode(&cache_dir), 0o700);

    // A mark in the cache that no transcript has: it shows only if the cache is used.
    let marked = text.replace(
        "Give me a tour of the repository",
        "MARKED tour of the repository",
    );
    std::fs::write(cache_dir.join("sessions.jsonl"), marked).unwrap();
    let mut cache = SessionCache::load(&cache_dir);
    assert_eq!(cache.len(), 12);
    let second = all(&roots, &mut cache);
    let heads: Vec<&str> = second
        .iter()
        .map(|s| s.summary().prompt_head.as_str())
        .collect();
    assert!(heads.iter().any(|h| h.starts_with("MARKED")), "{heads:?}");
    let mut unmarked = summaries(&second);
    for s in &mut unmarked {
        s.prompt_head = s.prompt_head.replace("MARKED", "Give me a");
    }
    assert_eq!(unmarked, summaries(&first), "everything else as read");
}

#[test]
fn a_grown_session_goes_on_from_its_cached_summary() {
    let (home, roots) = home();
    let cache_dir = home.path().join("cache");
    let mut cache = SessionCache::load(&cache_dir);
    let first = all(&roots, &mut cache);
    cache.save(&first).unwrap();
    let claude = home
        .path()
        .join("claude/projects/-tmp-project/session_id_steering_order.jsonl");
    let gemini = home
        .path()
        .join("gemini/tmp/webapp/chats/session-2026-08-20T14-00-9f1c2d3e.jsonl");
    let codex = home.path().join("codex/sessions/2026/01/03/rollout-2026-01-03T04-05-06-22222222-2222-4222-8222-222222222222.jsonl");
    let append = |p: &Path, line: &str| {
        let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
        std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes()).unwrap();
    };
    append(
        &claude,
        r#"{"type":"user","message":{"role":"user","content":"one more thing"},"timestamp":"2026-07-11T08:00:00Z"}"#,
    );
    append(
        &gemini,
        r#"{"id":"k11","type":"user","content":"and another","timestamp":"2026-08-20T15:00:00.000Z"}"#,
    );
    append(
        &codex,
        r#"{"timestamp":"2026-01-03T05:00:00Z","type":"event_msg","payload":{"type":"task_started"}}"#,
    );
    let mut cache = SessionCache::load(&cache_dir);
    let continued = all(&roots, &mut cache);
    let fresh = all(&roots, &mut SessionCache::default());
    assert_eq!(summaries(&continued), summaries(&fresh));
    let find = |p: &Path| {
        continued
            .iter()
            .find(|s| s.path().is_some_and(|f| f == p))
            .unwrap()
            .summary()
            .clone()
    };
    assert_eq!(find(&claude).turns, 4);
    assert_eq!(find(&gemini).turns, 3);
    assert_eq!(
        find(&codex).turns,
        1,
        "one task_started: turns count tasks now"
    );
}

#[test]
fn a_corrupt_cut_or_foreign_cache_is_ignored_and_rewritten() {
    let (home, roots) = home();
    let cache_dir = home.path().join("cache");
    std::fs::create_dir_all(&cache_dir).unwrap();
    let file = cache_dir.join("sessions.jsonl");
    for (bytes, why) in [
        ("garbage\n", "not a beadboard cache"),
        (
            "{\"format\":\"beadboard run summaries\",\"version\":2,\"entries\":0}\n",
            "not a beadboard session cache",
        ),
        (
            "{\"format\":\"beadboard session summaries\",\"version\":99,\"entries\":0}\n",
            "cache version 99",
        ),
        (
            "{\"format\":\"beadboard session summaries\",\"version\":1,\"entries\":3}\n",
            "cut off",
        ),
    ] {
        std::fs::write(&file, bytes).unwrap();
        let mut cache = SessionCache::load(&cache_dir);
        assert!(
            cache.problem().unwrap().contains(why),
            "{:?}",
            cache.problem()
        );
        assert!(cache.is_empty());
        let summaries = all(&roots, &mut cache);
        cache.save(&summaries).unwrap();
        let again = SessionCache::load(&cache_dir);
        assert!(again.problem().is_none());
        assert_eq!(again.len(), summaries.len());
    }
}
