//! The headless views of attention: `beadboard status` (plain, `--short` for a tmux status bar,
//! `--json`) and `beadboard watch --json`, the event stream, driven by real changes made by
//! other processes (the CLI itself and direct appends), read line by line with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::Transcript;
use common::dash::Home;
use common::watch::Stream;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn beadboard(home: &Home) -> Command {
    let mut c = common::beadboard(home.dir.path());
    c.arg("--agentpair-dir")
        .arg(home.agentpair())
        .arg("--ntm-dir")
        .arg(home.ntm());
    c
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn status_counts_and_names_what_needs_attention() {
    let home = Home::golden();
    let text = output(beadboard(&home).arg("status"));
    assert!(
        text.contains("beads    webapp: ○ 1 assigned  ▶ 2 working"),
        "{text}"
    );
    assert!(text.contains("⚑ bead webapp/wa-1f6b"), "{text}");
    assert!(text.contains("failed: pane no longer exists"), "{text}");
    let json: Value =
        serde_json::from_str(&output(beadboard(&home).args(["status", "--json"]))).unwrap();
    let n = json["attention"].as_u64().unwrap();
    assert_eq!(json["needs_attention"].as_array().unwrap().len() as u64, n);
    assert_eq!(json["beads"]["webapp"]["failed"], 2);
    let short = output(beadboard(&home).args(["status", "--short"]));
    assert_eq!(short.lines().count(), 1, "one line: {short:?}");
    assert!(short.starts_with(&format!("⚑{n} · runs ▶")), "{short}");
    assert!(short.contains("beads ○1 ▶2 ✗2"), "{short}");
    let empty = Home::empty();
    assert_eq!(
        output(beadboard(&empty).args(["status", "--short"])).trim(),
        "idle"
    );
}

/// A running `watch ARGS` on `home`.
fn watch(home: &Home, args: &[&str]) -> Stream {
    Stream::spawn(beadboard(home).arg("watch").args(args))
}

/// Waits for the stream's `ready` event: from then on, every change is reported.
fn ready(s: &Stream) -> Value {
    let ready = s.expect("ready", |v| v["event"] == "ready");
    assert!(ready["at"].is_string(), "{ready}");
    ready
}

#[test]
fn watch_streams_transitions_entries_and_attention() {
    let home = Home::golden();
    // Every review FAIL needs a look (by default three in a row do).
    let config = home.dir.path().join(".config/beadboard");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "fail_streak = 1\n").unwrap();
    let s = watch(&home, &["--json"]);
    ready(&s);
    output(beadboard(&home).args(["complete", "webapp", "wa-5tq0"]));
    let bead = s.expect("bead transition", |v| {
        v["event"] == "bead" && v["bead"] == "wa-5tq0"
    });
    assert_eq!(
        (bead["from"].as_str(), bead["to"].as_str()),
        (Some("working"), Some("completed"))
    );
    assert_eq!(bead["session"], "webapp");
    assert_eq!(
        (bead["name"].as_str(), bead["reference"].as_str()),
        (Some("wa-5tq0"), Some("webapp/wa-5tq0"))
    );
    let done = s.expect("finished", |v| {
        v["event"] == "attention" && v["name"] == "wa-5tq0"
    });
    assert_eq!(
        (done["level"].as_str(), done["new"].as_bool()),
        (Some("finished"), Some(true))
    );

    let dir = home.agentpair().join("runs/43d7567239bfd176/2");
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_signal("claude", 9, "FAIL")
        .unwrap();
    let entry = s.expect("entry", |v| v["event"] == "entry");
    assert_eq!(entry["run"], "43d7567239bfd176/2");
    // Named as everywhere: the name and the reference (the same as `runs --json` gives).
    assert_eq!(
        (entry["name"].as_str(), entry["reference"].as_str()),
        (Some("webapp #2"), Some("43d7567239bfd176/2"))
    );
    assert_eq!(entry["entry"]["signal"], "FAIL");
    let flag = s.expect("attention", |v| {
        v["event"] == "attention" && v["kind"] == "run"
    });
    assert_eq!(flag["reason"], "FAIL signal from claude in iteration 9");
    assert_eq!(flag["state"], "working");
    assert_eq!(
        (flag["name"].as_str(), flag["reference"].as_str()),
        (Some("webapp #2"), Some("43d7567239bfd176/2"))
    );

    std::fs::write(dir.join("transcript.jsonl").as_path(), b"").unwrap();
    append(&dir.join("transcript.jsonl"), b"not json\n");
    let bad = s.expect("unreadable entry", |v| {
        v["event"] == "entry" && v["entry"].is_null()
    });
    assert!(
        bad["problem"].as_str().unwrap().starts_with("line 1:"),
        "{bad}"
    );
}

fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

#[test]
fn watch_snapshot_starts_with_the_current_state_and_no_entries_leaves_them_out() {
    let home = Home::golden();
    let s = watch(&home, &["--json", "--snapshot", "--no-entries"]);
    // The snapshot comes first, then `ready`.
    let first = s.next_line(common::tmux::timeout()).unwrap();
    let first: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["event"], "run", "{first}");
    assert!(
        first["from"].is_null() && first["to"].is_string(),
        "{first}"
    );
    assert_eq!(first["reference"], first["run"], "{first}");
    assert!(first["name"].as_str().unwrap().contains(" #"), "{first}");
    let mut flagged = false;
    let mut runs = std::collections::BTreeSet::from([first["dir"].to_string()]);
    let mut finished = 0;
    let ready = s.expect("ready", |v| {
        flagged |= v["event"] == "attention" && v["name"] == "wa-1f6b";
        if v["event"] == "run" && runs.insert(v["dir"].to_string()) {
            finished += usize::from(v["to"] == "completed");
        }
        v["event"] == "ready"
    });
    assert!(flagged, "the snapshot names a bead needing attention");
    // Every run and the one NTM session; the snapshot says every run, finished ones that need
    // no one included.
    assert_eq!(
        (ready["runs"].as_u64(), ready["sessions"].as_u64()),
        (Some(runs_in(&home)), Some(1))
    );
    assert_eq!(runs.len() as u64, runs_in(&home), "{runs:?}");
    assert!(finished > 0, "a completed run is in the snapshot: {runs:?}");
    assert!(ready.get("polling").is_none(), "file events here: {ready}");
    let dir = home.agentpair().join("runs/43d7567239bfd176/2");
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_error("codex", 9, "boom")
        .unwrap();
    let flag = s.expect("attention", |v| v["event"] != "bead");
    assert_eq!(
        flag["event"], "attention",
        "no entry events with --no-entries: {flag}"
    );
}

/// `ready` is printed once every watch is in place; 50 changes made by the CLI right after it,
/// to 50 different beads by five writers at once, are all reported.
#[test]
fn every_change_after_ready_is_reported() {
    let home = Home::golden();
    let s = watch(&home, &["--json", "--no-entries"]);
    ready(&s);
    let writers: Vec<_> = (0..5)
        .map(|w| {
            let cmd = |bead: &str| {
                let mut c = beadboard(&home);
                c.args(["assign", "webapp", bead, "--title", "after ready"])
                    .args(["--pane", "7", "--agent-type", "claude"]);
                c
            };
            let cmds: Vec<(String, Command)> = (0..10)
                .map(|i| {
                    let bead = format!("ready-{w}-{i}");
                    let c = cmd(&bead);
                    (bead, c)
                })
                .collect();
            std::thread::spawn(move || {
                for (bead, mut c) in cmds {
                    let out = c.output().unwrap();
                    assert!(
                        out.status.success(),
                        "assign {bead}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let mut wanted: std::collections::BTreeSet<String> = (0..5)
        .flat_map(|w| (0..10).map(move |i| format!("ready-{w}-{i}")))
        .collect();
    while !wanted.is_empty() {
        let left = wanted.len();
        let bead = s.expect(&format!("{left} beads assigned after ready"), |v| {
            v["event"] == "bead" && v["bead"].as_str().is_some_and(|b| wanted.contains(b))
        });
        assert_eq!(bead["to"], "assigned", "{bead}");
        wanted.remove(bead["bead"].as_str().unwrap());
    }
}

/// How many runs (manifests) the home holds.
fn runs_in(home: &Home) -> u64 {
    let runs = home.agentpair().join("runs");
    let mut n = 0;
    for repo in std::fs::read_dir(runs).unwrap() {
        for run in std::fs::read_dir(repo.unwrap().path()).unwrap() {
            n += u64::from(run.unwrap().path().join("manifest.json").is_file());
        }
    }
    n
}

#[test]
fn ready_is_a_line_in_text_too() {
    let home = Home::golden();
    let s = watch(&home, &[]);
    let line = s.next_line(common::tmux::timeout()).unwrap();
    let runs = runs_in(&home);
    assert!(
        line.ends_with(&format!("  ready: watching {runs} runs and 1 session")),
        "{line:?}"
    );
}

/// A run made after `ready`, in a repo directory made after it too, is reported with what it
/// wrote straight away: its directories are watched before they are read.
#[test]
fn a_run_made_after_ready_is_reported_with_its_first_entries() {
    let home = Home::golden();
    let s = watch(&home, &["--json"]);
    ready(&s);
    let dir = home.agentpair().join("runs/0123456789abcdef/1");
    common::copy_tree(
        &common::fixture("examples/agentpair/runs/43d7567239bfd176/3"),
        &dir,
    );
    Transcript::new(dir.join("transcript.jsonl"), 1)
        .log_signal("claude", 7, "FAIL")
        .unwrap();
    // (A run that appears finished, as this copy is, is no run event: only its entries.)
    s.expect("its first entry", |v| {
        v["event"] == "entry" && v["run"] == "0123456789abcdef/1" && v["entry"]["type"] == "start"
    });
    s.expect("its last entry", |v| {
        v["event"] == "entry" && v["run"] == "0123456789abcdef/1" && v["entry"]["signal"] == "FAIL"
    });
}

/// A run that finishes lets go of its transcript's reader (the stream holds only where it
/// stopped); if the run is resumed and its transcript grows, what is new is reported, once,
/// and nothing it reported before comes again.
#[test]
fn a_finished_run_resumed_reports_only_its_new_entries() {
    let home = Home::golden();
    let s = watch(&home, &["--json"]);
    ready(&s);
    let dir = home.agentpair().join("runs/43d7567239bfd176/2");
    let transcript = Transcript::new(dir.join("transcript.jsonl"), 2);
    transcript.log_signal("claude", 5, "PASS").unwrap();
    let is_entry = |v: &Value, signal: &str| {
        v["event"] == "entry" && v["run"] == "43d7567239bfd176/2" && v["entry"]["signal"] == signal
    };
    s.expect("the entry before it finished", |v| is_entry(v, "PASS"));
    // It finishes: the manifest says so.
    let manifest_path = dir.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest["state"] = "completed".into();
    manifest["completed_at"] = "2026-11-22T16:30:00Z".into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    s.expect("it finished", |v| {
        v["event"] == "run" && v["reference"] == "43d7567239bfd176/2" && v["to"] == "completed"
    });
    // Resumed: it writes again.
    transcript.log_signal("claude", 6, "DONE").unwrap();
    let mut entries = Vec::new();
    s.expect_each(
        "the entry written after it finished",
        |v| is_entry(v, "DONE"),
        |v| {
            if v["event"] == "entry" && v["run"] == "43d7567239bfd176/2" {
                entries.push(v["entry"]["signal"].clone());
            }
        },
    );
    assert_eq!(entries, ["DONE"], "only what is new, once");
}
