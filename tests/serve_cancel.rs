//! A host's search cancelled on its channel (`beadboard serve --stdio`, driven by hand): the
//! search is asked, its first matches read, then the reading stops while the cancel is sent.
//! The search's matches are many times what a pipe holds, so it cannot have finished by
//! then: it waits to write. Reading again, its end comes saying it was cancelled, with fewer
//! transcripts searched than there are; a cancel for it afterwards is ignored (a ping is
//! answered next, nothing else). Synchronised on frames, never on time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{ChildStdout, Stdio};

/// Transcripts in the corpus, and matching entries in each: about 20 MB of matches, far
/// more than any pipe holds.
const RUNS: usize = 400;
const LINES: usize = 150;

/// `RUNS` agentpair runs under `root`, every entry of every transcript matching `needle`.
fn corpus(root: &Path) {
    let repo = root.join("runs/43d7567239bfd176");
    let filler = "x".repeat(200);
    for id in 1..=RUNS {
        let run = repo.join(id.to_string());
        std::fs::create_dir_all(&run).unwrap();
        let at = format!("2026-11-22T{:02}:{:02}:00Z", 10 + id / 60, id % 60);
        let manifest = json!({
            "id": id, "repo_path": "/home/dev/src/webapp", "repo_id": "43d7567239bfd176",
            "prompt": format!("task {id}"), "state": "completed", "primary_agent": "codex",
            "tmux_session": format!("agentpair-{id}"), "created_at": at, "updated_at": at,
        });
        std::fs::write(run.join("manifest.json"), manifest.to_string()).unwrap();
        let entry = json!({"type": "result", "timestamp": at, "run_id": id,
            "content": format!("{filler} needle {filler}")});
        std::fs::write(
            run.join("transcript.jsonl"),
            format!("{entry}\n").repeat(LINES),
        )
        .unwrap();
    }
}

/// The next frame.
fn frame(out: &mut BufReader<ChildStdout>) -> Value {
    let mut line = String::new();
    assert!(out.read_line(&mut line).unwrap() > 0, "the channel ended");
    serde_json::from_str(&line).unwrap()
}

/// Reads frames until one satisfies `wanted`, counting the matches of search `id` on the way.
fn until(
    out: &mut BufReader<ChildStdout>,
    id: u64,
    wanted: impl Fn(&Value) -> bool,
) -> (Value, usize) {
    let mut hits = 0;
    loop {
        let f = frame(out);
        assert_ne!(f["frame"], "error", "{f}");
        if wanted(&f) {
            return (f, hits);
        }
        if f["frame"] == "hits" && f["id"] == id {
            hits += 1;
        }
    }
}

#[test]
fn a_search_cancelled_mid_way_ends_early_and_says_so() {
    let home = tempfile::tempdir().unwrap();
    corpus(&home.path().join("agentpair"));
    let mut child = common::beadboard(home.path())
        .env("BEADBOARD_AGENTPAIR_DIR", home.path().join("agentpair"))
        .env("BEADBOARD_NTM_DIR", home.path().join("ntm"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .args(["serve", "--stdio", "--heartbeat-ms", "3600000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let hello = frame(&mut out);
    assert!(
        hello["capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("cancel")),
        "{hello}"
    );
    let mut ask = |request: Value| writeln!(stdin, "{request}").and_then(|()| stdin.flush());
    ask(json!({"request": "search", "id": 5, "pattern": "needle"})).unwrap();
    let (first, _) = until(&mut out, 5, |f| {
        f["frame"] == "hits" || f["frame"] == "search_end"
    });
    assert_eq!(first["frame"], "hits", "{first}");
    // Nothing read while the cancel goes: the search waits to write, far from its end.
    ask(json!({"request": "cancel", "id": 5})).unwrap();
    let (end, hits) = until(&mut out, 5, |f| f["frame"] == "search_end" && f["id"] == 5);
    let done = &end["done"];
    assert_eq!(done["cancelled"], true, "{end}");
    assert_eq!(done["total"], RUNS, "{end}");
    let files = done["files"].as_u64().unwrap();
    assert!(files < RUNS as u64, "{end}");
    assert_eq!(
        hits + 1,
        files as usize,
        "one frame of matches per transcript: {end}"
    );
    // A cancel of a search that ended is ignored: the ping's answer is next.
    ask(json!({"request": "cancel", "id": 5})).unwrap();
    ask(json!({"request": "ping", "id": 6})).unwrap();
    let (pong, _) = until(&mut out, 5, |f| f["frame"] == "pong");
    assert_eq!(pong["id"], 6);
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
