//! Golden tests: files written by upstream's own Go code (tests/fixtures/upstream) and the
//! composed examples (tests/fixtures/examples) load without loss, compare equal to what the
//! upstream loaders read back (`upstream-read.json`), and are written back byte-for-byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, StoreDocument};
use beadboard::persist::gojson::{self, Style};
use beadboard::persist::run::{
    self, Bridge, Manifest, Paths, Transcript, TranscriptLine, message_id,
};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// Two values print identically with Go's encoder (same keys, same order, same values).
fn same(a: &Value, b: &Value) -> bool {
    gojson::encode(a, Style::DOCUMENT) == gojson::encode(b, Style::DOCUMENT)
}

#[test]
fn upstream_agentpair_runs_load_as_upstream_reads_them() {
    let root = fixture("upstream/agentpair/home-agentpair");
    let expected = json(&fixture("upstream/agentpair/upstream-read.json"));
    let paths = Paths::new(&root);
    let repos = run::list_all_repos(&paths).unwrap();
    assert_eq!(repos, vec!["43d7567239bfd176", "ea93126eefee3546"]);
    let mut checked = 0;
    for repo in &repos {
        let runs = expected[repo].as_array().unwrap();
        for want in runs {
            let id = want["manifest"]["id"].as_i64().unwrap();
            let dir = paths.runs_dir().join(repo).join(id.to_string());
            let manifest = run::load_manifest_by_path(&dir).unwrap();
            assert!(
                same(&manifest.to_value(), &want["manifest"]),
                "manifest {repo}/{id}"
            );
            let raw = fs::read(dir.join("manifest.json")).unwrap();
            assert_eq!(
                manifest.to_bytes(),
                raw,
                "{repo}/{id}: bytes written back differ"
            );
            let entries = Transcript::new(dir.join("transcript.jsonl"), id)
                .read_all()
                .unwrap();
            let want_entries = want["entries"].as_array().unwrap();
            assert_eq!(entries.len(), want_entries.len());
            for (got, want) in entries.iter().zip(want_entries) {
                assert!(same(&got.to_value(), want), "{repo}/{id}: {got:?}");
            }
            let text = fs::read_to_string(dir.join("transcript.jsonl")).unwrap();
            let rewritten: String = entries.iter().map(|e| e.to_line()).collect();
            assert_eq!(
                rewritten, text,
                "{repo}/{id}: JSONL lines written back differ"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 5);
}

#[test]
fn upstream_agentpair_states_and_queries() {
    let paths = Paths::new(fixture("upstream/agentpair/home-agentpair"));
    let webapp = run::Manager::new(paths.clone(), "/home/dev/src/webapp");
    assert_eq!(webapp.list().unwrap(), vec![1, 2, 3]);
    let active: Vec<i64> = webapp.list_active().unwrap().iter().map(|m| m.id).collect();
    assert_eq!(active, vec![2]);
    let failed = webapp.load(3).unwrap();
    assert_eq!(failed.manifest.state, run::State::Failed);
    assert_eq!(failed.manifest.error, "context canceled");
    assert_eq!(
        failed.manifest.prompt,
        "Task 3: implement <feature> & tests"
    );
    let report = run::scan_runs(&paths);
    assert!(report.problems.is_empty());
    assert_eq!(report.runs.len(), 5);
    assert!(
        !report.runs[0].manifest.is_complete(),
        "active runs sort first"
    );
}

#[test]
fn example_run_round_trips_and_bridge_ids_verify() {
    let dir = fixture("examples/agentpair/runs/43d7567239bfd176/3");
    let raw = fs::read(dir.join("manifest.json")).unwrap();
    let manifest = Manifest::from_bytes(&raw, &dir).unwrap();
    assert_eq!(manifest.to_bytes(), raw);
    assert_eq!(
        manifest.repo_id,
        run::repo_id_from_path(&manifest.repo_path)
    );
    assert!(manifest.prompt.contains(" & cover"));
    let lines = Transcript::new(dir.join("transcript.jsonl"), 3)
        .read_lines()
        .unwrap();
    assert_eq!(lines.len(), 18);
    assert!(lines.iter().all(|l| matches!(l, TranscriptLine::Entry(_))));
    let (messages, bad) = Bridge::new(dir.join("bridge.jsonl"), 3).read_all().unwrap();
    assert_eq!((messages.len(), bad), (5, 0));
    for m in &messages {
        assert_eq!(message_id(m), m.id, "bridge id of {}", m.message_type);
    }
    let status = Bridge::new(dir.join("bridge.jsonl"), 3).status().unwrap();
    assert_eq!(status.by_type.get("review"), Some(&2));
}

#[test]
fn upstream_ntm_store_loads_as_upstream_reads_it() {
    let root = fixture("upstream/ntm/home-ntm");
    let expected = json(&fixture("upstream/ntm/upstream-read.json"));
    let store = AssignmentStore::load_store(&root, "webapp").unwrap();
    let got: Vec<Value> = store.list().iter().map(|a| a.to_value()).collect();
    let want = expected["assignments"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(same(g, w), "{g} != {w}");
    }
    let stats = serde_json::to_value(store.stats()).unwrap();
    assert!(same(&stats, &expected["stats"]));
    assert_eq!(
        store.document().version,
        expected["version"].as_i64().unwrap()
    );
    assert_eq!(
        store.document().session_name,
        expected["session"].as_str().unwrap()
    );
    assert_eq!(
        store.get("wa-3c4d").unwrap().bead_title,
        "Fix <script> escaping & quotes \"x\""
    );
}

#[test]
fn store_files_round_trip_byte_for_byte() {
    for rel in [
        "upstream/ntm/home-ntm/sessions/webapp/assignments.json",
        "upstream/ntm/home-ntm/sessions/webapp/assignments.json.bak",
        "examples/ntm/sessions/webapp/assignments.json",
    ] {
        let raw = fs::read(fixture(rel)).unwrap();
        let doc = StoreDocument::from_bytes(&raw).unwrap();
        assert_eq!(doc.to_bytes(), raw, "{rel}");
    }
}

#[test]
fn example_store_has_all_five_columns() {
    let store = AssignmentStore::load_store(&fixture("examples/ntm"), "webapp").unwrap();
    let s = store.stats();
    assert_eq!(
        (
            s.total,
            s.assigned,
            s.working,
            s.completed,
            s.failed,
            s.reassigned
        ),
        (8, 1, 2, 2, 2, 1)
    );
    assert_eq!(store.get("wa-1f6b").unwrap().retry_count, 1);
    assert_eq!(
        store.list_by_status(&AssignmentStatus::Reassigned)[0].bead_id,
        "wa-2c9d"
    );
}

/// Upstream's own verdict on all 25 (from, to) pairs, reproduced through the real store on disk.
#[test]
fn transitions_match_upstream_verdicts() {
    let table = fs::read_to_string(fixture("upstream/ntm/transitions.tsv")).unwrap();
    let mut pairs = 0;
    for row in table.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (from, to, verdict) = (cols[0], cols[1], cols[2]);
        let home = tempfile::tempdir().unwrap();
        let mut store = AssignmentStore::new(home.path(), "s").unwrap();
        let bead = format!("b-{from}");
        store.assign(&bead, "t", 1, "claude", "", "p").unwrap();
        let mut doc = store.document().clone();
        doc.assignments.get_mut(&bead).unwrap().status = AssignmentStatus::parse(from);
        fs::write(store.path(), doc.to_bytes()).unwrap();
        let before = fs::read(store.path()).unwrap();
        let result = store.update_status(&bead, AssignmentStatus::parse(to));
        match verdict {
            "ok" => {
                let record = result.unwrap();
                assert_eq!(record.status.as_str(), to);
            }
            error => {
                let err = result.unwrap_err();
                assert!(err.is_invalid_transition());
                assert_eq!(format!("error: {err}"), error, "{from} -> {to}");
                assert_eq!(
                    fs::read(store.path()).unwrap(),
                    before,
                    "{from} -> {to} changed the file"
                );
            }
        }
        pairs += 1;
    }
    assert_eq!(pairs, 25);
}
