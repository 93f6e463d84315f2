//! Broken and odd `manifest.json` files among good runs.

use crate::common::dash::{Home, screen};
use crate::support::{FAILED, Snapshot, assert_names, cli, deep_arrays, deep_objects, empty_home};
use beadboard::persist::run::{Manager, Paths, RunError, State, load_manifest_by_path, scan_runs};
use serde_json::Value;
use std::fs;
use std::path::PathBuf;

/// The repo of the golden runs (`runs/43d7567239bfd176`).
const REPO: &str = "/home/dev/src/webapp";
const REPO_ID: &str = "43d7567239bfd176";
/// The golden home holds six readable runs.
const GOOD_RUNS: usize = 6;

/// Run id, manifest bytes, and what the error must say.
fn broken() -> Vec<(i64, Vec<u8>, Vec<&'static str>)> {
    vec![
        (10, Vec::new(), vec!["invalid JSON", "EOF while parsing"]),
        (
            11,
            b"[]".to_vec(),
            vec!["expected a JSON object, found an array"],
        ),
        (
            12,
            br#"{"id":"3"}"#.to_vec(),
            vec!["field \"id\": expected an integer, found the string \"3\""],
        ),
        (
            13,
            br#"{"id":13,"state":"working","created_at":"yesterday"}"#.to_vec(),
            vec![
                "field \"created_at\"",
                "\"yesterday\" is not an RFC 3339 time",
            ],
        ),
        (
            14,
            br#"{"id":14,"updated_at":"2026-13-01T00:00:00Z"}"#.to_vec(),
            vec!["field \"updated_at\"", "is not an RFC 3339 time"],
        ),
        (
            15,
            br#"{"id":15,"completed_at":1764000000}"#.to_vec(),
            vec!["field \"completed_at\": expected a time string, found the number"],
        ),
        (16, b"{\"id\": 16, \xff\xfe}".to_vec(), vec!["invalid JSON"]),
        (
            17,
            deep_arrays(100_000),
            vec!["invalid JSON", "recursion limit exceeded"],
        ),
        (
            18,
            deep_objects(100_000),
            vec!["invalid JSON", "recursion limit exceeded"],
        ),
    ]
}

fn manifest_path(home: &Home, id: i64) -> PathBuf {
    home.agentpair()
        .join("runs")
        .join(REPO_ID)
        .join(id.to_string())
        .join("manifest.json")
}

fn write_broken(home: &Home) {
    for (id, bytes, _) in broken() {
        let path = manifest_path(home, id);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    }
}

#[test]
fn broken_manifests_are_named_and_skipped_and_never_touched() {
    let home = Home::golden();
    write_broken(&home);
    let before = Snapshot::take(home.dir.path());

    // The library: each load names the file and the cause; a scan keeps the good runs.
    for (id, _, causes) in broken() {
        let path = manifest_path(&home, id);
        let err = load_manifest_by_path(path.parent().unwrap()).unwrap_err();
        assert_names(&err.to_string(), &path, &causes);
    }
    let paths = Paths::new(home.agentpair());
    let report = scan_runs(&paths);
    assert_eq!(report.runs.len(), GOOD_RUNS, "{:?}", report.problems);
    assert_eq!(report.problems.len(), broken().len());
    for (problem, (id, _, causes)) in report.problems.iter().zip(broken()) {
        assert_names(&problem.to_string(), &manifest_path(&home, id), &causes);
    }
    let manager = Manager::new(paths, REPO);
    assert_eq!(
        manager.list().unwrap(),
        vec![1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18],
        "listing ids reads directories, not manifests"
    );
    assert!(
        manager.list_active().is_ok(),
        "unreadable manifests are skipped"
    );
    assert!(matches!(
        manager.load(12),
        Err(RunError::Field { path, .. }) if path == manifest_path(&home, 12)
    ));

    // The binary: every broken manifest is named on stderr, the good runs are listed, exit 0.
    let bin_home = empty_home();
    let none = home.dir.path().join("no-ntm");
    let listed = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["runs", "--all"],
    );
    assert_eq!(listed.code, 0, "{listed:?}");
    for (id, _, causes) in broken() {
        let path = manifest_path(&home, id);
        assert_names(&listed.err, &path, &causes);
        assert!(
            listed
                .err
                .contains(&format!("beadboard: skipped {}: ", path.display())),
            "{}",
            listed.err
        );
    }
    assert_eq!(listed.out.lines().count(), 1 + GOOD_RUNS, "{}", listed.out);
    let json = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["runs", "--all", "--json"],
    );
    assert_eq!(json.code, 0);
    let runs: Vec<Value> = serde_json::from_str(&json.out).unwrap();
    assert_eq!(runs.len(), GOOD_RUNS);
    for (id, _, causes) in broken() {
        let shown = cli(
            &home.agentpair(),
            &none,
            bin_home.path(),
            &["transcript", &format!("{REPO_ID}/{id}")],
        );
        assert_eq!(shown.code, FAILED, "{shown:?}");
        assert_names(&shown.err, &manifest_path(&home, id), &causes);
    }

    // The dashboard lists the good runs and says which manifests it could not read.
    let model = home.model(160, 40, false);
    assert_eq!(model.runs.all().len(), GOOD_RUNS);
    assert_eq!(model.runs.problems().len(), broken().len());
    let screen = screen(&model);
    assert!(
        screen.contains(&format!("⚠{} unreadable", broken().len()))
            && screen.contains("⚠ unreadable: "),
        "{screen}"
    );

    before.assert_same(&Snapshot::take(home.dir.path()), "reading broken manifests");
}

#[test]
fn odd_but_valid_manifests_load_and_show_what_they_say() {
    let home = Home::golden();
    let odd = [
        (
            20,
            &br#"{"id":20,"state":"paused","prompt":"odd state"}"#[..],
        ),
        (21, &br#"{"id":21,"state":"","prompt":"empty state"}"#[..]),
        (
            22,
            &b"{\"id\":22,\"state\":\"working\",\"prompt\":\"caf\xe9 \xff\xfe bytes\"}"[..],
        ),
        (
            23,
            &br#"{"id":23,"state":"Completed","prompt":"case matters","created_at":null,"x":[1]}"#
                [..],
        ),
    ];
    for (id, bytes) in odd {
        let path = manifest_path(&home, id);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let before = Snapshot::take(home.dir.path());

    let load = |id| load_manifest_by_path(manifest_path(&home, id).parent().unwrap()).unwrap();
    assert_eq!(load(20).state, State::Other("paused".into()));
    assert_eq!(load(21).state, State::Other(String::new()));
    assert_eq!(load(22).prompt, "caf\u{fffd} \u{fffd}\u{fffd} bytes");
    let m23 = load(23);
    assert_eq!(m23.state, State::Other("Completed".into()));
    assert!(
        !m23.is_complete(),
        "state strings are exact, as in agentpair"
    );
    let report = scan_runs(&Paths::new(home.agentpair()));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.runs.len(), GOOD_RUNS + odd.len());

    let bin_home = empty_home();
    let none = home.dir.path().join("no-ntm");
    let listed = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["runs", "--all"],
    );
    assert_eq!(listed.code, 0, "{listed:?}");
    assert!(listed.err.is_empty(), "{}", listed.err);
    assert_eq!(listed.out.lines().count(), 1 + GOOD_RUNS + odd.len());
    let row = |prompt: &str| {
        listed
            .out
            .lines()
            .find(|l| l.contains(prompt))
            .unwrap_or_else(|| panic!("no row for {prompt}:\n{}", listed.out))
            .to_owned()
    };
    assert!(row("odd state").contains("? paused"), "{}", listed.out);
    assert!(
        row("case matters").contains("? Completed"),
        "{}",
        listed.out
    );
    assert!(row("caf\u{fffd}").contains("▶ working"), "{}", listed.out);
    let json = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["runs", "--all", "--json"],
    );
    let runs: Vec<Value> = serde_json::from_str(&json.out).unwrap();
    let states: Vec<&str> = runs.iter().filter_map(|r| r["state"].as_str()).collect();
    assert!(
        states.contains(&"paused") && states.contains(&"") && states.contains(&"Completed"),
        "{states:?}"
    );
    let odd_json = runs.iter().find(|r| r["id"] == 23).unwrap();
    assert_eq!(
        odd_json["x"],
        serde_json::json!([1]),
        "unknown keys are kept"
    );

    let model = home.model(160, 40, false);
    assert!(model.runs.problems().is_empty());
    assert_eq!(model.runs.all().len(), GOOD_RUNS + odd.len());
    let screen = screen(&model);
    assert!(screen.contains("paused"), "{screen}");

    before.assert_same(&Snapshot::take(home.dir.path()), "reading odd manifests");
}
