//! Odd input a script author meets, through the real binary on a private HOME: a sessions
//! directory that is a file, a `--beads` that is missing or a directory, and an agent
//! session's transcript header (its state and turn count worded as the other outputs word
//! them), a negative pane index, `hosts` with a long host name, `sessions` with a store it
//! cannot read, what `search --help` says its JSON holds, and schema 9's claim states counted
//! wherever beads are counted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::Setup;
use common::run;
use std::path::Path;

/// The binary on `home`, with no agentpair runs, no agent sessions, and `ntm` as NTM's root.
fn cmd(home: &Path, ntm: &Path) -> std::process::Command {
    let mut cmd = common::beadboard(home);
    cmd.env("BEADBOARD_AGENTPAIR_DIR", home.join("ap"))
        .env("BEADBOARD_NTM_DIR", ntm)
        .env("BEADBOARD_CLAUDE", "off")
        .env("BEADBOARD_CODEX", "off")
        .env("BEADBOARD_GEMINI", "off")
        .env("BEADBOARD_OPENCODE", "off")
        .current_dir(home);
    cmd
}

#[test]
fn status_names_a_sessions_directory_it_cannot_read() {
    let home = tempfile::tempdir().unwrap();
    let ntm = home.path().join("ntm");
    std::fs::create_dir(&ntm).unwrap();
    // A file where NTM's sessions directory should be.
    std::fs::write(ntm.join("sessions"), "not a directory").unwrap();
    let sessions = ntm.join("sessions").display().to_string();
    for json in [false, true] {
        let mut c = cmd(home.path(), &ntm);
        c.arg("status");
        if json {
            c.arg("--json");
        }
        let (code, _, err) = run(&mut c);
        assert_eq!(code, 0, "json {json}: {err}");
        assert!(
            err.contains(&sessions) && err.contains("Not a directory"),
            "json {json}: the directory and the cause are named: {err:?}"
        );
    }
}

#[test]
fn doctor_finds_no_beads_file_that_is_missing_or_a_directory() {
    let home = tempfile::tempdir().unwrap();
    let ntm = home.path().join("ntm");
    let file = home.path().join("issues.jsonl");
    std::fs::write(&file, "").unwrap();
    for (beads, want) in [
        (home.path().join("missing.jsonl"), "not found"),
        (home.path().to_path_buf(), "not a file"),
        (file, "found"),
    ] {
        let (code, out, err) = run(cmd(home.path(), &ntm)
            .arg("--beads")
            .arg(&beads)
            .arg("doctor"));
        assert_eq!(code, 0, "{err}");
        let line = out
            .lines()
            .find(|l| l.starts_with("beads "))
            .unwrap_or_else(|| panic!("no beads line: {out}"));
        assert!(
            line.trim_end().ends_with(&format!("  {want}")),
            "{}: {line:?}",
            beads.display()
        );
    }
}

#[test]
fn a_session_transcript_header_words_its_state_and_turns_as_the_listing_does() {
    let home = tempfile::tempdir().unwrap();
    let ntm = home.path().join("ntm");
    let (code, out, err) = run(cmd(home.path(), &ntm)
        .env(
            "BEADBOARD_CLAUDE_DIR",
            common::fixture("sessions/app/claude"),
        )
        .env("BEADBOARD_CLAUDE", "on")
        .args(["transcript", "88a8d7", "-n", "1"]));
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("webapp claude 88a8d7 · ✗ failed · 1 turn · "),
        "{header:?}"
    );
}

#[test]
fn a_negative_pane_index_is_a_bad_value_and_nothing_is_written() {
    let setup = Setup::new();
    let before = setup.store();
    for args in [
        &[
            "assign",
            "webapp",
            "wa-new",
            "--title",
            "T",
            "--pane",
            "-3",
            "--agent-type",
            "claude",
        ][..],
        &[
            "reassign",
            "webapp",
            "wa-7hq2",
            "--pane=-1",
            "--agent-type",
            "claude",
        ][..],
    ] {
        let out = setup.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("--pane"), "{args:?}: the flag is named: {err}");
        assert_eq!(setup.store(), before, "{args:?}: the store is untouched");
    }
}

#[test]
fn hosts_is_a_table_with_a_header_and_aligned_columns() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    // Hosts that are down at once (their ssh cannot be run): no network, no waiting.
    std::fs::write(
        &config,
        "[[hosts]]\nname = \"a-very-long-host-name-indeed\"\nssh_command = [\"/nonexistent/ssh\"]\n\
         [[hosts]]\nname = \"gpu1\"\nssh_command = [\"/nonexistent/ssh\"]\n",
    )
    .unwrap();
    let (code, out, err) = run(cmd(home.path(), &home.path().join("ntm"))
        .arg("--config")
        .arg(&config)
        .args(["hosts", "--timeout", "60s"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("HOST "), "a header: {out}");
    // Every row's state starts where the header's STATE does.
    let at = lines[0].find("STATE").unwrap();
    for line in &lines[1..] {
        let (_, rest) = line.split_at(at);
        assert!(
            rest.starts_with("live ") || rest.starts_with("down "),
            "aligned: {out}"
        );
        assert_eq!(line.trim_end(), *line, "no trailing blanks: {line:?}");
    }
}

#[test]
fn an_unreadable_store_does_not_push_the_sessions_columns_apart() {
    let setup = Setup::new();
    let store = setup.ntm.path().join("sessions/broken/assignments.json");
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    std::fs::write(&store, "{ not json").unwrap();
    let out = setup.run(&["sessions"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    // The header and the readable session's row as they are without the broken one.
    assert!(
        lines[0].starts_with("SESSION  CHANGED  TOTAL  ○ ASSIGNED  ▶ WORKING"),
        "{text}"
    );
    let webapp = lines.iter().find(|l| l.starts_with("webapp ")).unwrap();
    assert_eq!(
        webapp.find(" 8 ").map(|i| i + 1),
        lines[0].find("TOTAL"),
        "the count sits under TOTAL: {text}"
    );
    let broken = lines.iter().find(|l| l.starts_with("broken ")).unwrap();
    assert!(broken.contains("⚠ unreadable: "), "{text}");
    assert!(broken.contains(&store.display().to_string()), "{text}");
}

#[test]
fn search_help_names_the_json_keys_the_schema_has() {
    let home = tempfile::tempdir().unwrap();
    let (code, help, err) =
        run(cmd(home.path(), &home.path().join("ntm")).args(["search", "--help"]));
    assert_eq!(code, 0, "{err}");
    // The --json line (wrapped or not), up to the next option.
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let from = flat.find("--json ").unwrap() + "--json ".len();
    let said = &flat[from..flat[from..].find(" -h, --help").unwrap() + from];
    let keys: Vec<&str> = said
        .rsplit_once(": ")
        .unwrap_or_else(|| panic!("no list of keys: {said:?}"))
        .1
        .split(", ")
        .collect();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/schema/search.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let current: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .filter(|k| schema["properties"][k]["deprecated"] != true && *k != "host")
        .collect();
    assert_eq!(keys, current, "{said:?}");
}

/// A store of today's NTM (schema 9) holds beads in its two claim states: every count of
/// `sessions` and `status`, text and JSON, adds up to the total.
#[test]
fn claim_states_are_counted_so_the_counts_add_up() {
    let home = tempfile::tempdir().unwrap();
    let ntm = home.path().join("ntm");
    let store = ntm.join("sessions/webapp");
    std::fs::create_dir_all(&store).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upstream/ntm-v9/05-retry-failed/assignments.json");
    std::fs::copy(fixture, store.join("assignments.json")).unwrap();
    let output = |args: &[&str]| {
        let (code, out, err) = run(cmd(home.path(), &ntm).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    let sum = |v: &serde_json::Value| {
        [
            "claiming",
            "claimed",
            "assigned",
            "working",
            "completed",
            "failed",
            "reassigned",
        ]
        .iter()
        .map(|k| v[*k].as_u64().unwrap_or(0))
        .sum::<u64>()
    };
    // The store: 2 assigned, 1 working, 1 claimed, 1 claiming.
    let listed: serde_json::Value = serde_json::from_str(&output(&["sessions", "--json"])).unwrap();
    let webapp = &listed[0];
    assert_eq!(
        (webapp["claiming"].as_u64(), webapp["claimed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(sum(webapp), webapp["total"].as_u64().unwrap(), "{webapp}");
    let status: serde_json::Value = serde_json::from_str(&output(&["status", "--json"])).unwrap();
    let beads = &status["beads"]["webapp"];
    assert_eq!(sum(beads), beads["total"].as_u64().unwrap(), "{beads}");
    let stats: serde_json::Value =
        serde_json::from_str(&output(&["stats", "webapp", "--json"])).unwrap();
    assert_eq!(sum(&stats), stats["total"].as_u64().unwrap(), "{stats}");
    // Text: the table's claim columns, the status line and its short form.
    let table = output(&["sessions"]);
    let header = table.lines().next().unwrap();
    assert!(
        header.contains("◌ CLAIMING") && header.contains("◍ CLAIMED"),
        "{table}"
    );
    let row: Vec<u64> = table
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(
        row[0],
        row[1..].iter().sum::<u64>(),
        "TOTAL is the sum: {table}"
    );
    let text = output(&["status"]);
    assert!(
        text.contains("webapp: ◌ 1 claiming  ◍ 1 claimed  ○ 2 assigned"),
        "{text}"
    );
    let short = output(&["status", "--short"]);
    assert!(short.contains("beads ◌1 ◍1 ○2 ▶1"), "{short}");
}
