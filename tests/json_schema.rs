//! One JSON vocabulary: the schemas in `assets/schema/` are the ones generated from the output
//! types (regenerate with `BEADBOARD_UPDATE_SCHEMAS=1 cargo test --test json_schema`), and
//! every `--json` output of the real binary over the fixtures — `status`, `runs`,
//! `transcript` (and `--follow`), `assignments`, a change's record, `stats`, `sessions`,
//! `search`, `doctor`, `hosts`, `watch`'s lines — and the hook's payload validate against its schema
//! (`tests/ntm_cli.rs` validates the steps a change on today's NTM store prints).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::events::Observer;
use beadboard::persist::assignment::AssignmentStore;
use beadboard::persist::run::{Paths, RunSummary, ToSummary, Transcript, scan_runs};
use beadboard::present::attention::Thresholds;
use common::dash::Home;
use common::schema::{self, check};
use common::watch::Stream;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;
use std::sync::Arc;

#[test]
fn the_checked_in_schemas_are_the_generated_ones() {
    let update = std::env::var_os("BEADBOARD_UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let dir = schema::dir();
    let mut differ = Vec::new();
    let mut names = BTreeSet::new();
    for (name, schema) in beadboard::cli::json::schemas() {
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = dir.join(format!("{name}.json"));
        names.insert(format!("{name}.json"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            differ.push(name);
        }
    }
    assert!(
        differ.is_empty(),
        "assets/schema/ differs from the output types for {differ:?}; regenerate with \
         BEADBOARD_UPDATE_SCHEMAS=1 cargo test --test json_schema, then read the diff"
    );
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(present, names, "a schema in assets/schema/ of no output");
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The golden runs and store, and the dashboard's Claude sessions, as every command sees them.
fn beadboard(home: &Home) -> Command {
    let mut cmd = common::beadboard(home.dir.path());
    cmd.env("BEADBOARD_CLAUDE_DIR", home.claude());
    for (k, v) in home.env(&[]) {
        cmd.env(k, v);
    }
    cmd
}

/// Runs `ARGS`, which must succeed, and gives its stdout.
fn out(home: &Home, args: &[&str]) -> String {
    let (code, out, err) = common::run(beadboard(home).args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn the_deprecated_fields_are_marked_and_a_bad_code_is_refused() {
    let status: Value = parse(&std::fs::read_to_string(schema::dir().join("status.json")).unwrap());
    assert_eq!(status["properties"]["attention"]["deprecated"], true);
    let home = Home::golden();
    let mut value = parse(&out(&home, &["status", "--json"]));
    check("status", &value);
    // The schema has teeth: a code that is not one is refused.
    value["needs_attention"][0]["reason_code"] = Value::from("somewhat_bad");
    assert!(!schema::validator("status").is_valid(&value));
}

#[test]
fn every_listing_validates() {
    let home = Home::with_sessions();
    let status = parse(&out(&home, &["status", "--json"]));
    check("status", &status);
    let flagged = status["needs_attention"].as_array().unwrap();
    for kind in ["run", "bead"] {
        assert!(flagged.iter().any(|f| f["kind"] == kind), "{status:#}");
    }
    for f in flagged.iter().filter(|f| f["kind"] == "bead") {
        assert_eq!(f["session"], "webapp", "{f}");
    }

    let runs = parse(&out(&home, &["runs", "--all", "--json"]));
    check("runs", &runs);
    let runs = runs.as_array().unwrap();
    let agents: BTreeSet<&str> = runs
        .iter()
        .map(|r| r["beadboard"]["agent"].as_str().unwrap())
        .collect();
    assert!(
        agents.contains("agentpair") && agents.contains("claude"),
        "{agents:?}"
    );

    for agent in ["agentpair", "claude"] {
        let run = runs
            .iter()
            .find(|r| r["beadboard"]["agent"] == agent)
            .unwrap();
        let reference = run["beadboard"]["reference"].as_str().unwrap();
        let entries = parse(&out(&home, &["transcript", reference, "--json"]));
        assert!(!entries.as_array().unwrap().is_empty(), "{reference}");
        check("transcript", &entries);
        // With --follow: one entry per line (the last 10 first).
        let follow =
            Stream::spawn(beadboard(&home).args(["transcript", reference, "--json", "--follow"]));
        let line = follow.next_line(common::tmux::timeout()).unwrap();
        check("transcript-follow", &parse(&line));
    }

    for args in [
        &["assignments", "--json"][..],
        &["assignments", "webapp", "--json"],
    ] {
        let records = parse(&out(&home, args));
        check("assignments", &records);
        assert!(
            records
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["session"] == "webapp")
        );
    }
    let stats = parse(&out(&home, &["stats", "webapp", "--json"]));
    check("stats", &stats);
    assert_eq!(stats["session"], "webapp");
    check("sessions", &parse(&out(&home, &["sessions", "--json"])));
    check("doctor", &parse(&out(&home, &["doctor", "--json"])));
    // No host configured: this machine alone (tests/remote_hosts.rs and tests/ssh_hosts.rs
    // validate live and down hosts).
    let hosts = parse(&out(&home, &["hosts", "--json"]));
    check("hosts", &hosts);
    assert_eq!(hosts[0]["host"], "local", "{hosts}");

    let hits = out(&home, &["search", "test", "--json"]);
    let mut found = BTreeSet::new();
    for line in hits.lines() {
        let hit = parse(line);
        check("search", &hit);
        found.insert(hit["reference"].as_str().unwrap().to_owned());
    }
    assert!(found.len() > 1, "{hits}");

    // A change prints the record it made, in the same vocabulary.
    let record = parse(&out(&home, &["start", "webapp", "wa-9p4e", "--json"]));
    check("assignment", &record);
    assert_eq!(record["session"], "webapp");
}

#[test]
fn a_store_of_todays_ntm_validates() {
    let home = Home::ntm9("05-retry-failed");
    let stats = parse(&out(&home, &["stats", "webapp", "--json"]));
    check("stats", &stats);
    assert!(stats["claimed"].is_u64(), "{stats}");
    check(
        "assignments",
        &parse(&out(&home, &["assignments", "--json"])),
    );
    check("sessions", &parse(&out(&home, &["sessions", "--json"])));
    check("status", &parse(&out(&home, &["status", "--json"])));
}

#[test]
fn every_watch_line_validates() {
    let home = Home::with_sessions();
    let stream = Stream::spawn(beadboard(&home).args(["watch", "--json", "--snapshot"]));
    let mut events = BTreeSet::new();
    let mut each = |v: &Value| {
        check("watch", v);
        events.insert(v["event"].as_str().unwrap().to_owned());
    };
    stream.expect_each("ready", |v| v["event"] == "ready", &mut each);
    Transcript::new(
        home.agentpair()
            .join("runs/43d7567239bfd176/2/transcript.jsonl"),
        2,
    )
    .log_signal("claude", 9, "FAIL")
    .unwrap();
    stream.expect_each("entry", |v| v["event"] == "entry", &mut each);
    for event in ["run", "bead", "attention", "ready", "entry"] {
        assert!(events.contains(event), "no {event} event in {events:?}");
    }
}

#[test]
fn the_hook_payload_validates() {
    let home = Home::golden();
    let now = common::dash::now();
    let mut observer = Observer::new(Thresholds::default());
    let runs: Vec<Arc<RunSummary>> = scan_runs(&Paths::new(home.agentpair()))
        .runs
        .iter()
        .map(ToSummary::to_shared)
        .collect();
    let mut events = observer.runs(&runs, now);
    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    events.extend(observer.store("webapp", &store.list(), now));
    let notices: Vec<_> = events
        .iter()
        .filter_map(beadboard::app::notices::notice_for)
        .collect();
    let kinds: std::collections::HashSet<_> = notices.iter().map(|n| n.kind).collect();
    assert_eq!(kinds.len(), 2, "runs and beads: {notices:?}");
    for notice in notices {
        let value = parse(&notice.to_json().unwrap());
        check("hook", &value);
        assert_eq!(value["id"], value["reference"]);
    }
}
