//! The headless CLI with agent sessions, run as a real process on copies of the dashboard's
//! own Claude fixture: `runs`, `transcript`, `search`, `status` and `watch` cover them; every
//! `--json` run record carries the same facts; sessions are named by name, id or a unique id
//! prefix of six characters or more. Nothing here depends on the wall clock's value: the
//! states asserted (failed) do not move with it. (`doctor`, and sources pointed elsewhere or
//! switched off: `cli_agents_sources.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "cli_agents/home.rs"]
mod home;

use common::run;
use home::{API, Sessions, WEBAPP};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

#[test]
fn runs_lists_sessions_and_every_record_carries_the_same_facts() {
    let s = Sessions::new();
    let (code, out, err) = s.run(&["runs"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("RUN "), "{out}");
    let webapp = out
        .lines()
        .find(|l| l.starts_with("webapp claude 88a8d7"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        webapp.contains("✗ failed") && webapp.contains("Fix the flaky login test"),
        "{webapp}"
    );
    assert!(out.contains("api claude c3fb0a"), "{out}");
    let (code, out, err) = s.run(&["runs", "--json"]);
    assert_eq!(code, 0, "{err}");
    let runs: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(runs.len(), 2);
    for r in &runs {
        let b = &r["beadboard"];
        for key in [
            "name",
            "reference",
            "agent",
            "cwd",
            "state",
            "started_at",
            "last_activity_at",
            "stale",
        ] {
            assert!(b.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let webapp = runs
        .iter()
        .find(|r| r["beadboard"]["reference"] == WEBAPP)
        .unwrap();
    let b = &webapp["beadboard"];
    assert_eq!(
        (&b["name"], &b["agent"], &b["cwd"], &b["state"]),
        (
            &Value::from("webapp claude 88a8d7"),
            &Value::from("claude"),
            &Value::from("/home/dev/webapp"),
            &Value::from("failed")
        )
    );
    assert_eq!(b["started_at"], "2026-11-22T15:00:03.12Z");
    assert_eq!(webapp["model"], "claude-sonnet-4-5-20250929");
    assert_eq!(webapp["turns"], 1);
    assert!(webapp["tokens"]["total"].as_u64().unwrap() > 0);
}

#[test]
fn agentpair_records_gain_agent_and_cwd() {
    let home = common::dash::Home::golden();
    let (code, out, err) = run(common::beadboard(home.dir.path())
        .env("BEADBOARD_AGENTPAIR_DIR", home.agentpair())
        .env("BEADBOARD_NTM_DIR", home.ntm())
        .args(["runs", "--all", "--json"]));
    assert_eq!(code, 0, "{err}");
    let runs: Vec<Value> = serde_json::from_str(&out).unwrap();
    let first = &runs[0];
    // The manifest's own keys first, then beadboard's, as before, then the machine's name.
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys[keys.len() - 2..], ["beadboard", "host"]);
    let b = &first["beadboard"];
    assert_eq!(b["agent"], "agentpair");
    assert_eq!(b["cwd"], first["repo_path"]);
    assert_eq!(b["state"], first["state"]);
    assert!(b["name"].as_str().unwrap().contains(" #"));
}

#[test]
fn transcript_takes_a_session_by_name_id_or_prefix() {
    let s = Sessions::new();
    for spec in ["webapp claude 88a8d7", WEBAPP, "88a8d761-7b9a", "88a8d7"] {
        let (code, out, err) = s.run(&["transcript", spec]);
        assert_eq!(code, 0, "{spec}: {err}");
        assert!(out.starts_with("webapp claude 88a8d7 · ✗ failed"), "{out}");
        assert!(
            out.contains("❯ prompt     Fix the flaky login test (bead bd-12)")
                && out.contains("◂ Bash")
                && out.contains("[image png")
                && out.contains("→ whole output saved in /home/dev/.claude/projects/")
                && out.contains("↳ sub-agent  general-purpose: Survey the cookie code")
                && out.contains("⚠ line 15 unreadable: invalid JSON"),
            "{out}"
        );
    }
    let (code, _, err) = s.run(&["transcript", "88a8d"]);
    assert_eq!(code, 2, "a bad value");
    assert!(
        err.contains("\"88a8d\" is too short to name a session: give at least 6 characters"),
        "{err}"
    );
    // A second session whose id starts the same: six characters are ambiguous now.
    let twin = s
        .webapp()
        .with_file_name("88a8d7ff-0000-4000-8000-000000000000.jsonl");
    std::fs::copy(s.webapp(), &twin).unwrap();
    let text = std::fs::read_to_string(&twin)
        .unwrap()
        .replace(WEBAPP, "88a8d7ff-0000-4000-8000-000000000000");
    std::fs::write(&twin, text).unwrap();
    let (code, _, err) = s.run(&["transcript", "88a8d7"]);
    assert_eq!(code, 2, "ambiguous: a bad value");
    assert!(
        err.contains("88a8d7 could be any of 2 runs: ")
            && err.contains("webapp claude 88a8d7 (88a8d761-")
            && err.contains("webapp claude 88a8d7 (88a8d7ff-")
            && err.contains("give more of the session id"),
        "{err}"
    );
    let (code, out, err) = s.run(&["transcript", "88a8d76", "--json"]);
    assert_eq!(code, 0, "{err}");
    let entries: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(entries[0]["type"], "prompt");
    assert_eq!(entries[0]["beadboard"]["reference"], WEBAPP);
    let failed = entries
        .iter()
        .find(|e| e["type"] == "tool_result" && e["is_error"] == true)
        .unwrap();
    assert_eq!(failed["tool"], "Bash");
    assert!(
        err.contains("line 15: unreadable: invalid JSON"),
        "unreadable lines are said on stderr: {err}"
    );
}

#[test]
fn transcript_follow_prints_what_a_session_appends() {
    let s = Sessions::new();
    let mut child = s
        .cmd()
        .args(["transcript", API, "--follow", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["type"], "prompt");
    let second: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(second["tool"], "Edit");
    let file = s
        .claude()
        .join(format!("projects/-home-dev-api/{API}.jsonl"));
    let mut f = std::fs::OpenOptions::new().append(true).open(file).unwrap();
    writeln!(
        f,
        r#"{{"type":"assistant","sessionId":"{API}","timestamp":"2026-11-22T16:04:30.000Z","message":{{"id":"m9","role":"assistant","content":[{{"type":"text","text":"Rate limiting is in."}}]}}}}"#
    )
    .unwrap();
    let third: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(third["text"], "Rate limiting is in.");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn search_and_status_cover_sessions() {
    let s = Sessions::new();
    let (code, out, err) = s.run(&["search", "cookie", "--json"]);
    assert_eq!(code, 0, "{err}");
    let hits: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|h| h["name"] == "webapp claude 88a8d7"),
        "{out}"
    );
    assert!(hits.iter().any(|h| h["type"] == "response"), "{out}");
    let (code, out, _) = s.run(&["search", "cache_read_input_tokens"]);
    assert_eq!(
        (code, out.as_str()),
        (1, ""),
        "keys never match (exit 1, as grep)"
    );
    let (code, out, err) = s.run(&["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    let status: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["agents"]["failed"], 1);
    let flagged = status["needs_attention"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["reference"] == WEBAPP)
        .unwrap();
    assert_eq!(flagged["agent"], "claude");
    assert!(
        flagged["reason"]
            .as_str()
            .unwrap()
            .contains("session limit")
    );
    let (code, out, _) = s.run(&["status"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("✗ 1 failed") && out.contains("webapp claude 88a8d7"),
        "{out}"
    );
}

#[test]
fn watch_streams_a_session_s_new_entries() {
    let s = Sessions::new();
    let mut child = s
        .cmd()
        .args(["watch", "--json", "--snapshot"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || -> Value { serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap() };
    // The snapshot names both sessions as runs.
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let e = next();
        if e["event"] == "run" {
            seen.push(e["name"].as_str().unwrap().to_owned());
        }
    }
    seen.sort();
    assert_eq!(seen, ["api claude c3fb0a", "webapp claude 88a8d7"]);
    while next()["event"] != "ready" {}
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(s.webapp())
        .unwrap();
    writeln!(
        f,
        r#"{{"type":"user","sessionId":"{WEBAPP}","timestamp":"2026-11-22T16:10:00.000Z","message":{{"role":"user","content":"Also fix the logout test"}}}}"#
    )
    .unwrap();
    let entry = loop {
        let e = next();
        if e["event"] == "entry" {
            break e;
        }
    };
    assert_eq!(entry["name"], "webapp claude 88a8d7");
    assert_eq!(entry["reference"], WEBAPP);
    assert_eq!(entry["entry"]["type"], "prompt");
    assert_eq!(entry["entry"]["text"], "Also fix the logout test");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A session that starts after `ready` is reported from its first line: all of it is news.
#[test]
fn watch_reports_a_new_session_from_its_first_line() {
    let s = Sessions::new();
    let mut child = s
        .cmd()
        .args(["watch", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + common::tmux::timeout();
    let next = || -> Value {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        serde_json::from_str(&rx.recv_timeout(left).expect("an event in time")).unwrap()
    };
    while next()["event"] != "ready" {}
    let id = "5e55105e-0000-4000-8000-000000000001";
    let line = |uuid: &str, text: &str| {
        format!(
            r#"{{"cwd":"/home/dev/webapp","sessionId":"{id}","type":"user","message":{{"role":"user","content":"{text}"}},"uuid":"{uuid}","timestamp":"2026-11-22T16:20:00.000Z"}}"#
        )
    };
    std::fs::write(
        s.claude()
            .join("projects/-home-dev-webapp")
            .join(format!("{id}.jsonl")),
        format!(
            "{}\n{}\n",
            line("n1", "First words"),
            line("n2", "Second words")
        ),
    )
    .unwrap();
    let mut texts = Vec::new();
    while texts.len() < 2 {
        let e = next();
        if e["event"] == "entry" && e["reference"] == id {
            texts.push(e["entry"]["text"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(texts, ["First words", "Second words"]);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn assignments_json_names_the_run_whose_prompt_names_the_bead() {
    let s = Sessions::new();
    let home = s.dir.path();
    common::copy_tree(&common::fixture("examples/ntm"), &home.join("ntm"));
    // Two agentpair runs name bead wa-1f6b (the newer wins), the webapp session names wa-9p4e.
    let example = common::fixture("examples/agentpair/runs/43d7567239bfd176/3");
    for (run, prompt, created) in [
        (
            "5",
            "Work on bead wa-1f6b: retry the export",
            "2026-03-31T09:00:00Z",
        ),
        (
            "6",
            "Work on bead wa-1f6b: Add CSV export.",
            "2026-04-01T09:00:00Z",
        ),
        (
            "7",
            "Work on bead wa-1f6bx: not this one",
            "2026-04-02T09:00:00Z",
        ),
    ] {
        let dir = home.join("ap/runs/43d7567239bfd176").join(run);
        common::copy_tree(&example, &dir);
        let path = dir.join("manifest.json");
        let mut manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        manifest["id"] = run.parse::<u64>().unwrap().into();
        manifest["prompt"] = prompt.into();
        manifest["created_at"] = created.into();
        std::fs::write(&path, manifest.to_string()).unwrap();
    }
    let session = std::fs::read_to_string(s.webapp()).unwrap();
    std::fs::write(
        s.webapp(),
        session.replace("(bead bd-12)", "(bead wa-9p4e)"),
    )
    .unwrap();
    // No tmux server is asked about the active records' panes: none is there.
    let (code, out, err) =
        run(s
            .cmd()
            .env("TMUX_TMPDIR", home)
            .args(["assignments", "webapp", "--json"]));
    assert_eq!(code, 0, "{err}");
    let records: Vec<Value> = serde_json::from_str(&out).unwrap();
    let run_of = |bead: &str| {
        records
            .iter()
            .find(|r| r["bead_id"] == bead)
            .unwrap_or_else(|| panic!("{bead} in {out}"))["run"]
            .clone()
    };
    assert_eq!(
        run_of("wa-1f6b"),
        serde_json::json!({"name": "webapp #6", "reference": "43d7567239bfd176/6"}),
        "a failed record's run, by its prompt: {out}"
    );
    assert_eq!(
        run_of("wa-9p4e"),
        serde_json::json!({"name": "webapp claude 88a8d7", "reference": WEBAPP}),
        "{out}"
    );
    assert!(
        run_of("wa-5tq0").is_null() && run_of("wa-3kd9").is_null(),
        "{out}"
    );
}
