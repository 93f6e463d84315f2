//! The session summary cache (issue 18): a start reads one cache file, not every transcript;
//! a session that only grew is read from where its summary stopped; the file holds no
//! transcript path and no transcript text beyond the first prompt's head; it is written 0600 in
//! a 0700 directory; a corrupt, cut or foreign file is ignored and rewritten; each root has its
//! own file, so two configurations never overwrite each other's summaries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "session/support.rs"]
mod session;

use beadboard::persist::session::{
    Resume, SESSION_CACHE_VERSION, SessionCache, SessionRoots, SessionSummary, Summarizer, list,
    summarize_all,
};
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

/// What the cache writes of `s`.
fn parts(s: &[Summarizer]) -> impl Iterator<Item = (&SessionSummary, &Resume)> {
    s.iter().map(Summarizer::parts)
}

/// The cache file of the only root of `roots`.
fn file_of(cache_dir: &Path, roots: &SessionRoots) -> std::path::PathBuf {
    let cache = SessionCache::load(cache_dir, roots);
    let files: Vec<&Path> = cache.files().collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].to_path_buf()
}

fn summaries(s: &[Summarizer]) -> Vec<SessionSummary> {
    s.iter().map(|s| s.summary().clone()).collect()
}

#[test]
fn a_second_start_uses_the_cache_and_stores_no_path_and_no_transcript() {
    let (home, roots) = home();
    let cache_dir = home.path().join("cache/beadboard");
    let mut cache = SessionCache::load(&cache_dir, &roots);
    assert!(cache.is_empty() && cache.problem().is_none());
    let first = all(&roots, &mut cache);
    assert_eq!(first.len(), 12);
    cache.save(parts(&first)).unwrap();

    let files: Vec<std::path::PathBuf> = cache.files().map(Path::to_path_buf).collect();
    assert_eq!(files.len(), 3, "one file per root");
    let text: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
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
    for f in &files {
        assert_eq!(mode(f), 0o600);
    }
    assert_eq!(mode(&cache_dir), 0o700);

    // A mark in the cache that no transcript has: it shows only if the cache is used.
    for f in &files {
        let marked = std::fs::read_to_string(f).unwrap().replace(
            "Give me a tour of the repository",
            "MARKED tour of the repository",
        );
        std::fs::write(f, marked).unwrap();
    }
    let mut cache = SessionCache::load(&cache_dir, &roots);
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
    let mut cache = SessionCache::load(&cache_dir, &roots);
    let first = all(&roots, &mut cache);
    cache.save(parts(&first)).unwrap();
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
    let mut cache = SessionCache::load(&cache_dir, &roots);
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
    let (home, all_roots) = home();
    let roots = SessionRoots {
        codex: all_roots.codex.clone(),
        ..SessionRoots::default()
    };
    let cache_dir = home.path().join("cache");
    std::fs::create_dir_all(&cache_dir).unwrap();
    let file = file_of(&cache_dir, &roots);
    // The header names the root by a hash: the one a file this beadboard wrote has.
    let own_root = {
        let mut cache = SessionCache::load(&cache_dir, &roots);
        let read = all(&roots, &mut cache);
        cache.save(parts(&read)).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        header["root"].as_str().unwrap().to_owned()
    };
    assert!(!own_root.contains('/'), "no path in the header: {own_root}");
    let header = |root: &str, entries: usize| {
        format!(
            "{{\"format\":\"beadboard session summaries\",\"version\":{SESSION_CACHE_VERSION},\"root\":{root:?},\"entries\":{entries}}}\n"
        )
    };
    for (bytes, why) in [
        ("garbage\n".to_owned(), "not a beadboard cache"),
        (
            "{\"format\":\"beadboard run summaries\",\"version\":2,\"root\":\"\",\"entries\":0}\n"
                .to_owned(),
            "not a beadboard session cache",
        ),
        (
            "{\"format\":\"beadboard session summaries\",\"version\":99,\"root\":\"\",\"entries\":0}\n"
                .to_owned(),
            "cache version 99",
        ),
        (
            header(&own_root, 0).replace(&format!("\"version\":{SESSION_CACHE_VERSION}"), "\"version\":2"),
            "cache version 2",
        ),
        (header("0123456789abcdef", 0), "the cache of another root"),
        (header(&own_root, 3), "cut off"),
    ] {
        std::fs::write(&file, bytes).unwrap();
        let mut cache = SessionCache::load(&cache_dir, &roots);
        assert!(
            cache.problem().unwrap().contains(why),
            "{:?}",
            cache.problem()
        );
        assert!(cache.is_empty());
        let summaries = all(&roots, &mut cache);
        cache.save(parts(&summaries)).unwrap();
        let again = SessionCache::load(&cache_dir, &roots);
        assert!(again.problem().is_none());
        assert_eq!(again.len(), summaries.len());
    }
}

#[test]
fn two_configurations_keep_their_own_caches() {
    // Two Claude directories, each with its own sessions: one configuration per directory.
    let (home_a, all_a) = home();
    let (_home_b, all_b) = home();
    let cache_dir = home_a.path().join("cache");
    let only_claude = |r: &SessionRoots| SessionRoots {
        claude: r.claude.clone(),
        ..SessionRoots::default()
    };
    let (a, b) = (only_claude(&all_a), only_claude(&all_b));
    assert_ne!(file_of(&cache_dir, &a), file_of(&cache_dir, &b));

    let mut cache = SessionCache::load(&cache_dir, &a);
    let first_a = all(&a, &mut cache);
    cache.save(parts(&first_a)).unwrap();
    let file_a = file_of(&cache_dir, &a);
    let marked = std::fs::read_to_string(&file_a).unwrap().replace(
        "Give me a tour of the repository",
        "MARKED tour of the repository",
    );
    std::fs::write(&file_a, &marked).unwrap();

    // The other configuration starts, reads and saves: its own file only.
    let mut cache = SessionCache::load(&cache_dir, &b);
    assert!(cache.is_empty(), "nothing of the other root is taken");
    let first_b = all(&b, &mut cache);
    cache.save(parts(&first_b)).unwrap();
    assert_eq!(std::fs::read_to_string(&file_a).unwrap(), marked);
    assert_eq!(SessionCache::load(&cache_dir, &b).len(), first_b.len());

    // The first configuration still starts from its cache (the mark shows it was used).
    let mut cache = SessionCache::load(&cache_dir, &a);
    assert_eq!(cache.len(), first_a.len());
    let again = all(&a, &mut cache);
    assert!(
        again
            .iter()
            .any(|s| s.summary().prompt_head.starts_with("MARKED")),
        "the cache of the first configuration was kept"
    );
}

#[test]
fn the_old_global_cache_file_is_ignored_then_removed() {
    let (home, roots) = home();
    let cache_dir = home.path().join("cache");
    std::fs::create_dir_all(&cache_dir).unwrap();
    let old = cache_dir.join(beadboard::persist::session::SESSION_CACHE_FILE);
    std::fs::write(
        &old,
        "{\"format\":\"beadboard session summaries\",\"version\":1,\"entries\":0}\n",
    )
    .unwrap();
    let mut cache = SessionCache::load(&cache_dir, &roots);
    assert!(cache.problem().is_none(), "{:?}", cache.problem());
    assert!(cache.is_empty());
    let summaries = all(&roots, &mut cache);
    cache.save(parts(&summaries)).unwrap();
    assert!(!old.exists(), "the old file is removed at the first save");
    assert_eq!(
        SessionCache::load(&cache_dir, &roots).len(),
        summaries.len()
    );
}

/// Each cache file's inode, modification time and bytes (a file written again is a new
/// inode: the cache is replaced by a rename).
fn cache_files(dir: &Path) -> Vec<(std::path::PathBuf, u64, std::time::SystemTime, Vec<u8>)> {
    use std::os::unix::fs::MetadataExt;
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let meta = std::fs::metadata(&p).unwrap();
            let bytes = std::fs::read(&p).unwrap();
            (p, meta.ino(), meta.modified().unwrap(), bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_start_where_nothing_changed_writes_no_cache_file_and_a_change_writes_its_root_only() {
    use beadboard::app::work::agents::{Judge, Resumes, scan};
    use std::collections::HashMap;
    let (home, roots) = home();
    let cache_dir = home.path().join("cache/beadboard");
    let judge = Judge {
        quiet: std::time::Duration::from_secs(600),
        now: chrono::DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z")
            .unwrap()
            .to_utc(),
    };
    let start = || {
        scan(
            &roots,
            &HashMap::new(),
            Resumes::new(),
            &judge,
            Some(&cache_dir),
        )
    };
    let first = start();
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    let written = cache_files(&cache_dir);
    assert_eq!(written.len(), 3, "one file per root");

    let second = start();
    assert_eq!(second.runs.len(), first.runs.len());
    assert_eq!(cache_files(&cache_dir), written, "nothing written again");

    // A session that grew: its root's file is written again, and only that one.
    let codex = list(&roots)
        .sessions
        .into_iter()
        .find(|s| s.agent == beadboard::persist::session::Agent::Codex)
        .unwrap();
    let path = codex.source.file().unwrap().clone();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, b"{\"type\":\"event_msg\",\"timestamp\":\"2026-12-07T11:59:00Z\",\"payload\":{\"type\":\"task_started\"}}\n").unwrap();
    drop(f);
    start();
    let after = cache_files(&cache_dir);
    let changed: Vec<bool> = written.iter().zip(&after).map(|(a, b)| a != b).collect();
    assert_eq!(changed.iter().filter(|c| **c).count(), 1, "{changed:?}");
}
