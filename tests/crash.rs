//! Crash safety: a writer process is killed with SIGKILL at random points while it changes the
//! store, again and again. After every kill the store loads (from the primary or the backup),
//! every change the writer had reported as committed is there, and the temp files a kill leaves
//! behind are removed by the next save.
//!
//! The suite runs 40 kills; `BEADBOARD_CRASH_ITERATIONS=500 cargo test --test crash` (or
//! `scripts/crash-loop.sh`) runs the long version.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const SESSION: &str = "crash";

/// The writer: not a test of its own; the crash test runs it in a child process.
#[test]
#[ignore = "helper process for crash_safety_under_sigkill"]
fn crash_writer_process() {
    let Ok(root) = std::env::var("BEADBOARD_CRASH_ROOT") else {
        return;
    };
    let mut store = AssignmentStore::load_store(std::path::Path::new(&root), SESSION).unwrap();
    let mut out = std::io::stdout().lock();
    let first = store.stats().total;
    for i in first.. {
        let bead = format!("b{i:05}");
        store
            .assign(&bead, "crash test", 1, "claude", "", "")
            .unwrap();
        writeln!(out, "committed {bead} assigned").unwrap();
        out.flush().unwrap();
        store.mark_working(&bead).unwrap();
        writeln!(out, "committed {bead} working").unwrap();
        out.flush().unwrap();
        if i % 2 == 0 {
            store.mark_completed(&bead).unwrap();
            writeln!(out, "committed {bead} completed").unwrap();
            out.flush().unwrap();
        }
    }
}

fn next_status(s: &str) -> &'static [&'static str] {
    match s {
        "assigned" => &["assigned", "working"],
        "working" => &["working", "completed"],
        _ => &["completed"],
    }
}

fn temps(root: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(root.join("sessions").join(SESSION))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".assignments.json.") && n.ends_with(".tmp"))
        .collect()
}

#[test]
fn crash_safety_under_sigkill() {
    let iterations: u32 = std::env::var("BEADBOARD_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let root = tempfile::tempdir().unwrap();
    let mut committed: HashMap<String, String> = HashMap::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut saw_temp = false;
    for round in 0..iterations {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash_writer_process",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("BEADBOARD_CRASH_ROOT", root.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("committed ").map(str::to_owned))
                .collect::<Vec<_>>()
        });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(10 + seed % 60));
        child.kill().unwrap();
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            let (bead, status) = line.split_once(' ').unwrap();
            committed.insert(bead.to_owned(), status.to_owned());
        }
        saw_temp |= !temps(root.path()).is_empty();
        let store = AssignmentStore::load_store(root.path(), SESSION).unwrap_or_else(|e| {
            panic!("round {round}: the store does not load after SIGKILL: {e}")
        });
        for (bead, status) in &committed {
            let record = store
                .get(bead)
                .unwrap_or_else(|| panic!("round {round}: committed bead {bead} is missing"));
            assert!(
                next_status(status).contains(&record.status.as_str()),
                "round {round}: {bead} was committed as {status}, store has {}",
                record.status
            );
        }
    }
    assert!(
        committed.len() > 5,
        "the writer made progress: {}",
        committed.len()
    );
    let mut store = AssignmentStore::load_store(root.path(), SESSION).unwrap();
    store.assign("final", "t", 1, "claude", "", "").unwrap();
    assert!(
        temps(root.path()).is_empty(),
        "stray temp files survived the next save: {:?}",
        temps(root.path())
    );
    assert_eq!(
        store.get("final").unwrap().status,
        AssignmentStatus::Assigned
    );
    eprintln!(
        "{iterations} kills, {} beads committed, temp files seen after a kill: {saw_temp}",
        committed.len()
    );
}
