//! `beadboard search`, run as a real process over transcripts written byte by byte: matches in
//! the first and the last line, a complete last line without a newline, a half-written last
//! line, CRLF lines, text inside JSON escapes, and no matches in keys, metadata or escape
//! sequences.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::{Manifest, State, repo_id_from_path};
use serde_json::Value;
use std::path::Path;

/// Writes a run of repo `repo` with a transcript of exactly `transcript`.
/// Its completion time is November `day`, which orders the runs (most recent first).
fn run(root: &Path, repo: &str, id: i64, day: u32, transcript: &str) {
    let repo_id = repo_id_from_path(repo);
    let dir = root.join("runs").join(&repo_id).join(id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let mut m = Manifest::new(id, repo, &repo_id, "search fixture");
    m.state = State::Completed;
    let done = format!("2026-11-{day:02}T12:00:00Z");
    m.completed_at = Some(beadboard::persist::gojson::parse_time(&done).unwrap());
    std::fs::write(dir.join("manifest.json"), m.to_bytes()).unwrap();
    std::fs::write(dir.join("transcript.jsonl"), transcript).unwrap();
}

fn line(kind: &str, day: u32, field: &str, text: &str) -> String {
    format!(
        r#"{{"type":"{kind}","timestamp":"2026-11-{day:02}T10:00:00Z","run_id":1,"iteration":1,"agent":"codex","{field}":"{text}"}}"#
    )
}

/// An agentpair root with three runs (see the module documentation).
fn corpus() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let first = r#"{"type":"start","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"FIRSTLINE go","metadata":{"max_iterations":20,"primary_agent":"codex","review_mode":"claudex"}}"#;
    let webapp = [
        first.to_owned(),
        line(
            "result",
            2,
            "content",
            r#"say \"hello\" then line one\nline two; caf\u00e9 \u001b[31mred\u001b[0m \\path"#,
        ),
        line("result", 3, "content", "crlf marker") + "\r",
        line("error", 4, "error", "LASTLINE boom"),
    ]
    .join("\n")
        + "\n";
    run(root.path(), "/src/webapp", 1, 10, &webapp);
    let half = line("result", 5, "content", "ok")
        + "\n"
        + r#"{"type":"result","timestamp":"2026-11-05T10:00:00Z","run_id":2,"content":"halfwritten marker"#;
    run(root.path(), "/src/api", 2, 9, &half);
    let unterminated = line("result", 6, "content", "unterminated but complete");
    run(root.path(), "/src/api", 3, 8, &unterminated);
    root
}

/// The matches of `args` as JSON objects (exit code 0 with matches, 1 without, as grep).
fn search(root: &Path, args: &[&str]) -> Vec<Value> {
    let home = tempfile::tempdir().unwrap();
    let out = common::beadboard(home.path())
        .env("BEADBOARD_AGENTPAIR_DIR", root)
        .env("BEADBOARD_NTM_DIR", root.join("none"))
        .arg("search")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let found: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let code = if found.is_empty() { 1 } else { 0 };
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    found
}

/// `(reference's run, line, type)` of each match.
fn places(matches: &[Value]) -> Vec<(String, u64, String)> {
    matches
        .iter()
        .map(|m| {
            let reference = m["reference"].as_str().unwrap();
            let run = reference.rsplit('/').next().unwrap().to_owned();
            (
                run,
                m["line"].as_u64().unwrap(),
                m["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn at(run: &str, line: u64, kind: &str) -> (String, u64, String) {
    (run.to_owned(), line, kind.to_owned())
}

#[test]
fn finds_the_first_and_last_lines_and_names_the_run() {
    let root = corpus();
    let first = search(root.path(), &["FIRSTLINE"]);
    assert_eq!(places(&first), [at("1", 1, "start")]);
    let m = &first[0];
    assert_eq!(m["name"], "webapp #1");
    assert_eq!(m["run"], m["name"], "kept one release");
    assert_eq!(
        m["reference"],
        format!("{}/1", repo_id_from_path("/src/webapp"))
    );
    assert_eq!(m["time"], "2026-11-01T10:00:00Z");
    assert_eq!(m["text"], "FIRSTLINE go");
    assert_eq!(m["offset"], 0);
    let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "kind",
            "name",
            "reference",
            "line",
            "type",
            "time",
            "text",
            "offset",
            "run",
            "host"
        ]
    );
    assert_eq!(
        places(&search(root.path(), &["lastline"])),
        [at("1", 4, "error")],
        "smart case: lowercase finds any case"
    );
    assert!(
        search(root.path(), &["Lastline"]).is_empty(),
        "uppercase: exact case"
    );
}

#[test]
fn a_last_line_counts_once_it_is_complete() {
    let root = corpus();
    assert_eq!(
        places(&search(root.path(), &["unterminated but"])),
        [at("3", 1, "result")],
        "a complete last line without a newline"
    );
    assert!(
        search(root.path(), &["halfwritten"]).is_empty(),
        "a half-written last line is not an entry yet"
    );
}

#[test]
fn crlf_lines_and_json_escapes_are_searched_as_text() {
    let root = corpus();
    let crlf = search(root.path(), &["crlf marker"]);
    assert_eq!(places(&crlf), [at("1", 3, "result")]);
    assert_eq!(
        crlf[0]["text"], "crlf marker",
        "no carriage return in the text"
    );
    for query in [
        "say \"hello\"",
        "line one\nline two",
        "café",
        "CAFÉ then",
        "\\path",
        " \\path",
        "red",
        "hello\" then",
    ] {
        let found = search(root.path(), &[query]);
        let expected = if query == "CAFÉ then" {
            vec![]
        } else {
            vec![at("1", 2, "result")]
        };
        assert_eq!(places(&found), expected, "{query:?}");
    }
    assert_eq!(
        places(&search(root.path(), &["café \u{1b}"])),
        [],
        "control characters are not text"
    );
}

#[test]
fn keys_metadata_and_escape_sequences_never_match() {
    let root = corpus();
    for query in [
        "review_mode",
        "primary_agent",
        "claudex",
        "content",
        "timestamp",
        "run_id",
        "2026-11",
        "u00e9",
        "31mred",
        "nline two",
        "\"type\"",
    ] {
        assert!(
            search(root.path(), &[query]).is_empty(),
            "{query:?} matched"
        );
    }
    assert_eq!(
        places(&search(root.path(), &["codex"])),
        // Runs as the Runs pane lists them: the newest start first.
        [
            at("3", 1, "result"),
            at("2", 1, "result"),
            at("1", 2, "result"),
            at("1", 3, "result"),
            at("1", 4, "error")
        ],
        "the agent field is text; the start line's metadata is not"
    );
}

#[test]
fn repo_and_since_narrow_the_search() {
    let root = corpus();
    let all = search(root.path(), &["codex", "--repo", "api"]);
    assert!(
        all.iter()
            .all(|m| m["name"].as_str().unwrap().starts_with("api #"))
    );
    assert_eq!(all.len(), 2);
    let prefix = &repo_id_from_path("/src/webapp")[..6];
    assert_eq!(search(root.path(), &["codex", "--repo", prefix]).len(), 3);
    assert_eq!(
        search(root.path(), &["codex", "--repo", "/src/webapp"]).len(),
        3
    );
    let recent = search(root.path(), &["codex", "--since", "2026-11-04"]);
    assert_eq!(
        places(&recent),
        [
            at("3", 1, "result"),
            at("2", 1, "result"),
            at("1", 4, "error")
        ],
        "entries from November 4 on"
    );
    let later = search(root.path(), &["codex", "--since", "2026-11-05T10:00:01Z"]);
    assert_eq!(places(&later), [at("3", 1, "result")]);
    let home = tempfile::tempdir().unwrap();
    let out = common::beadboard(home.path())
        .env("BEADBOARD_AGENTPAIR_DIR", root.path())
        .args(["search", "x", "--since", "last tuesday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
    let out = common::beadboard(home.path())
        .env("BEADBOARD_AGENTPAIR_DIR", root.path())
        .args(["search", "x", "--repo", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no runs of repo \"nope\""));
}

#[test]
fn line_numbers_and_offsets_hold_beyond_the_first_chunk() {
    let root = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut offsets = Vec::new();
    for n in 1..=90_000u32 {
        let content = if n == 1 || n == 88_888 {
            format!("needle-{n}")
        } else {
            format!("filler line {n} with some words to make it longer than usual")
        };
        offsets.push(text.len());
        text.push_str(&line("result", 7, "content", &content));
        text.push('\n');
    }
    assert!(text.len() > 9 * 1024 * 1024, "more than one 8 MiB chunk");
    run(root.path(), "/src/big", 1, 10, &text);
    let found = search(root.path(), &["needle-"]);
    let lines: Vec<(u64, u64)> = found
        .iter()
        .map(|m| (m["line"].as_u64().unwrap(), m["offset"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [(1, 0), (88_888, offsets[88_887] as u64)],
        "line numbers and offsets count every line before"
    );
}
