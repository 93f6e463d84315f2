//! The headless views of attention: `beadboard status` (plain, `--short` for a tmux status bar,
//! `--json`) and `beadboard watch --json`, the event stream, driven by real changes made by
//! other processes (the CLI itself and direct appends), read line by line with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::run::Transcript;
use common::dash::Home;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

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

/// A running `watch --json` whose stdout lines arrive on a channel.
struct Stream {
    child: Child,
    lines: Receiver<String>,
}

impl Stream {
    fn start(home: &Home, args: &[&str]) -> Stream {
        let mut child = beadboard(home)
            .arg("watch")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Stream { child, lines }
    }

    /// Reads events until one satisfies `wanted`; fails after the deadline.
    fn expect(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + common::tmux::timeout();
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left.max(Duration::from_millis(1))) {
                Ok(line) => {
                    let v: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                    if wanted(&v) {
                        return v;
                    }
                    seen.push(line);
                }
                Err(_) => panic!("no {what} event; saw:\n{}", seen.join("\n")),
            }
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the stream is watching: a change it must report arrives.
fn ready(home: &Home, s: &Stream) {
    let mut store =
        beadboard::persist::assignment::AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    let deadline = Instant::now() + common::tmux::timeout();
    for i in 0.. {
        let bead = format!("probe-{i}");
        store.assign(&bead, "probe", 1, "claude", "", "").unwrap();
        // Whatever came before (a snapshot) is passed over; the probe's own event ends it.
        let wait = Instant::now() + Duration::from_millis(300);
        while let Ok(line) = s
            .lines
            .recv_timeout(wait.saturating_duration_since(Instant::now()))
        {
            if line.contains("\"bead\":\"probe-") {
                assert!(line.contains("\"event\":\"bead\""), "{line}");
                return;
            }
        }
        assert!(Instant::now() < deadline, "watch never reported a change");
    }
}

#[test]
fn watch_streams_transitions_entries_and_attention() {
    let home = Home::golden();
    // Every review FAIL needs a look (by default three in a row do).
    let config = home.dir.path().join(".config/beadboard");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "fail_streak = 1\n").unwrap();
    let s = Stream::start(&home, &["--json"]);
    ready(&home, &s);
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
    let s = Stream::start(&home, &["--json", "--snapshot", "--no-entries"]);
    let first = s.expect("run", |v| v["event"] == "run");
    assert!(
        first["from"].is_null() && first["to"].is_string(),
        "{first}"
    );
    assert_eq!(first["reference"], first["run"], "{first}");
    assert!(first["name"].as_str().unwrap().contains(" #"), "{first}");
    s.expect("a bead needing attention", |v| {
        v["event"] == "attention" && v["name"] == "wa-1f6b"
    });
    ready(&home, &s);
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
