//! The beads reader and ready rule against files: NTM's example `issues.jsonl` (exactly which
//! beads are ready, in what order, and why each other one is not), broken input, a blocking
//! chain, parent-child propagation, and property tests (arbitrary bytes never panic the reader;
//! `ready` agrees with a naive reference model and never returns a closed, blocked or taken bead).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::beads::{
    Bead, BeadIndex, BeadsFile, Dependency, NotReady, parse_beads, read_beads, ready, ready_at,
};
use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn read(rel: &str) -> BeadsFile {
    read_beads(&fixture(rel)).unwrap()
}

fn ids<'a>(beads: impl IntoIterator<Item = &'a Bead>) -> Vec<&'a str> {
    beads.into_iter().map(|b| b.id.as_str()).collect()
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-02-05T00:00:00Z").unwrap()
}

const NOBODY: &dyn Fn(&str) -> bool = &|_| false;

/// Every bead's reason for not being ready, as the board would print it.
fn reasons(file: &BeadsFile, taken: &dyn Fn(&str) -> bool) -> BTreeMap<String, String> {
    let index = BeadIndex::new(&file.beads);
    file.beads
        .iter()
        .map(|b| {
            let why = b.why_not_ready(&index, taken, now());
            let why = why.map_or_else(|| "ready".to_owned(), |w| w.to_string());
            (b.id.clone(), why)
        })
        .collect()
}

/// Why each bead of the example file is or is not ready, by id.
const EXAMPLE_REASONS: [(&str, &str); 13] = [
    ("wa-0rr8", "ready"),
    ("wa-1f6b", "ready"),
    ("wa-2c9d", "status is in_progress"),
    ("wa-3kd9", "status is closed"),
    ("wa-5tq0", "status is in_progress"),
    ("wa-6wz3", "blocked by wa-0rr8 (blocks, open)"),
    ("wa-7hq2", "status is in_progress"),
    ("wa-7hq2.1", "ready"),
    ("wa-8m1x", "status is closed"),
    ("wa-9p4e", "ready"),
    (
        "wa-a4mv",
        "blocked by child wa-0rr8 is open, child wa-6wz3 is open",
    ),
    ("wa-c7ny", "ready"),
    ("wa-d2hf", "ready"),
];

#[test]
fn example_file_ready_order_and_why_the_rest_are_not() {
    let file = read("examples/ntm/beads/issues.jsonl");
    assert!(file.notes.is_empty(), "{:?}", file.notes);
    assert_eq!(file.beads.len(), 13);
    let want = [
        "wa-0rr8",
        "wa-7hq2.1",
        "wa-9p4e",
        "wa-1f6b",
        "wa-d2hf",
        "wa-c7ny",
    ];
    assert_eq!(ids(ready_at(&file.beads, NOBODY, now())), want);
    let why = reasons(&file, NOBODY);
    let why: Vec<(&str, &str)> = why.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(why, EXAMPLE_REASONS);
}

#[test]
fn example_file_with_the_example_assignment_store() {
    let store = std::fs::read(fixture("examples/ntm/sessions/webapp/assignments.json")).unwrap();
    let store: serde_json::Value = serde_json::from_slice(&store).unwrap();
    let assigned: HashSet<String> = store["assignments"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let taken = |id: &str| assigned.contains(id);
    let file = read("examples/ntm/beads/issues.jsonl");
    assert_eq!(
        ids(ready_at(&file.beads, &taken, now())),
        ["wa-0rr8", "wa-7hq2.1", "wa-d2hf", "wa-c7ny"]
    );
    let why = reasons(&file, &taken);
    assert_eq!(
        (why["wa-9p4e"].as_str(), why["wa-1f6b"].as_str()),
        ("already assigned", "already assigned")
    );
    // `ready` (the clock-reading form) agrees while nothing is deferred.
    assert_eq!(
        ready(&file.beads, &taken),
        ready_at(&file.beads, &taken, now())
    );
}

#[test]
fn broken_file_notes_every_bad_line_and_keeps_the_good_ones() {
    let file = read("beads/broken.jsonl");
    assert_eq!(ids(&file.beads), ["ok-1", "typed-1", "ok-2", "dup-dep"]);
    let ok2 = &file.beads[2];
    assert_eq!(
        (ok2.title.as_str(), ok2.status.as_str(), ok2.line),
        ("Second good bead", "open", 13)
    );
    let typed = &file.beads[1];
    assert_eq!(
        (typed.priority, typed.labels.len(), typed.dependencies.len()),
        (2, 0, 0)
    );
    assert!(typed.created_at.is_none());
    let path = fixture("beads/broken.jsonl").display().to_string();
    let expected: [(usize, &str); 14] = [
        (3, "skipped: invalid JSON"),
        (4, "skipped: null is not a JSON object"),
        (5, "skipped: an array is not a JSON object"),
        (6, "skipped: not valid UTF-8"),
        (7, "skipped: the issue has no \"id\""),
        (8, "skipped: \"id\" is the number 42, not a string"),
        (9, "typed-1: \"priority\" is the string \"high\""),
        (9, "typed-1: \"created_at\": \"last tuesday\" is not"),
        (9, "typed-1: \"labels\" is the string \"security\""),
        (9, "typed-1: \"dependencies\" is an object, not an array"),
        (
            12,
            "dup-dep: dependency 1 on \"ok-1\" has no string \"type\"",
        ),
        (12, "dup-dep: dependency 2 dropped: it has no"),
        (12, "dup-dep: dependency 3 dropped: the string \"ok-2\""),
        (13, "duplicate id \"ok-2\" (earlier on line 11)"),
    ];
    assert_eq!(file.notes.len(), expected.len(), "{:#?}", file.notes);
    for (note, (line, start)) in file.notes.iter().zip(expected) {
        let prefix = format!("{path}:{line}: {start}");
        assert!(
            note.starts_with(&prefix),
            "{note:?} should start with {prefix:?}"
        );
    }
    assert_eq!(
        ids(ready_at(&file.beads, NOBODY, now())),
        ["ok-1", "ok-2", "typed-1"]
    );
}

#[test]
fn blocking_chain_unblocks_one_link_at_a_time() {
    let file = read("beads/chain.jsonl");
    assert!(file.notes.is_empty());
    assert_eq!(ids(ready_at(&file.beads, NOBODY, now())), ["ch-a"]);
    let why = reasons(&file, NOBODY);
    assert_eq!(why["ch-b"], "blocked by ch-a (blocks, open)");
    assert_eq!(why["ch-c"], "blocked by ch-b (blocks, open)");
    let closed = read("beads/chain_a_closed.jsonl");
    assert_eq!(ids(ready_at(&closed.beads, NOBODY, now())), ["ch-b"]);
    assert_eq!(
        reasons(&closed, NOBODY)["ch-c"],
        "blocked by ch-b (blocks, open)"
    );
}

#[test]
fn parent_child_propagates_blocking_like_beads() {
    let mut file = read("beads/parent_child.jsonl");
    assert!(file.notes.is_empty());
    assert_eq!(
        ids(ready_at(&file.beads, NOBODY, now())),
        ["pc-gate", "pc-done", "pc-held.1", "pc-open.1", "pc-links"]
    );
    let why = reasons(&file, NOBODY);
    assert_eq!(
        why["pc-epic"],
        "blocked by pc-gate (blocks, open), child pc-epic.1 is open"
    );
    assert_eq!(
        why["pc-epic.1"],
        "blocked by parent pc-epic is blocked, child pc-epic.1.1 is open"
    );
    assert_eq!(why["pc-epic.1.1"], "blocked by parent pc-epic.1 is blocked");
    assert_eq!(why["pc-open"], "blocked by child pc-open.1 is open");
    assert_eq!(why["pc-held"], "status is blocked");
    // Closing the gate frees the leaf; the parents wait for their open children.
    file.beads[0].status = "closed".into();
    assert_eq!(
        ids(ready_at(&file.beads, NOBODY, now())),
        [
            "pc-done",
            "pc-epic.1.1",
            "pc-held.1",
            "pc-open.1",
            "pc-links"
        ]
    );
    let index = BeadIndex::new(&file.beads);
    let epic1 = index.get("pc-epic.1").unwrap();
    assert!(
        matches!(epic1.why_not_ready(&index, NOBODY, now()), Some(NotReady::Blocked(b)) if b.len() == 1)
    );
}

// ----- properties -----

const STATUSES: [&str; 6] = [
    "open",
    "open",
    "in_progress",
    "blocked",
    "closed",
    "tombstone",
];
const KINDS: [&str; 6] = [
    "blocks",
    "parent-child",
    "related",
    "waits-for",
    "discovered-from",
    "parent-child",
];

fn beads_strategy() -> impl Strategy<Value = (Vec<Bead>, Vec<bool>)> {
    let dep = (0usize..9, 0usize..KINDS.len());
    let bead = (
        0usize..STATUSES.len(),
        0i64..5,
        0i64..4,
        prop::collection::vec(dep, 0..4),
    );
    (
        prop::collection::vec(bead, 0..9),
        prop::collection::vec(any::<bool>(), 9),
    )
        .prop_map(|(raw, taken)| {
            let beads = raw
                .into_iter()
                .enumerate()
                .map(|(i, (s, p, day, deps))| Bead {
                    id: format!("b{i}"),
                    status: STATUSES[s].into(),
                    priority: p,
                    created_at: Some(now() - chrono::Duration::days(day)),
                    // Targets up to b8 may not exist: an unknown target must block.
                    dependencies: deps
                        .into_iter()
                        .map(|(t, k)| Dependency {
                            depends_on_id: format!("b{t}"),
                            kind: KINDS[k].into(),
                        })
                        .collect(),
                    ..Bead::default()
                })
                .collect();
            (beads, taken)
        })
}

/// The rule, written the slow, obvious way: a fixpoint over "blocked through dependencies".
fn model_ready(beads: &[Bead], taken: &dyn Fn(&str) -> bool) -> HashSet<String> {
    let find = |id: &str| beads.iter().find(|b| b.id == id);
    let unfinished = |id: &str| find(id).is_none_or(|t| !t.is_terminal());
    let mut blocked: HashSet<&str> = beads
        .iter()
        .filter(|b| {
            b.dependencies
                .iter()
                .any(|d| d.is_blocking() && unfinished(&d.depends_on_id))
        })
        .map(|b| b.id.as_str())
        .collect();
    loop {
        let more: Vec<&str> = beads
            .iter()
            .filter(|b| !blocked.contains(b.id.as_str()))
            .filter(|b| b.parents().any(|p| blocked.contains(p)))
            .map(|b| b.id.as_str())
            .collect();
        if more.is_empty() {
            break;
        }
        blocked.extend(more);
    }
    let open_child = |id: &str| {
        beads
            .iter()
            .any(|c| !c.is_terminal() && c.parents().any(|p| p == id))
    };
    beads
        .iter()
        .filter(|b| {
            b.is_open() && !taken(&b.id) && !blocked.contains(b.id.as_str()) && !open_child(&b.id)
        })
        .map(|b| b.id.clone())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let file = parse_beads(Path::new("fuzz.jsonl"), &bytes);
        let lines = bytes.split(|b| *b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
        prop_assert!(file.beads.len() <= lines);
        prop_assert!(file.notes.iter().all(|n| n.starts_with("fuzz.jsonl:")));
    }

    #[test]
    fn reader_never_panics_on_mangled_issue_lines(
        cuts in prop::collection::vec((0usize..400, any::<u8>()), 0..6)
    ) {
        let mut bytes = std::fs::read(fixture("examples/ntm/beads/issues.jsonl")).unwrap();
        for (at, byte) in cuts {
            let len = bytes.len();
            bytes[(at * len / 400).min(len - 1)] = byte;
        }
        let file = parse_beads(Path::new("m.jsonl"), &bytes);
        prop_assert!(file.beads.len() <= 13);
        let _ = ready_at(&file.beads, NOBODY, now());
    }

    #[test]
    fn ready_matches_the_model_and_never_returns_closed_blocked_or_taken((beads, taken) in beads_strategy()) {
        let taken = |id: &str| id[1..].parse::<usize>().is_ok_and(|i| taken[i]);
        let got = ready_at(&beads, &taken, now());
        let index = BeadIndex::new(&beads);
        for b in &beads {
            prop_assert_eq!(b.is_ready(&index, &taken, now()), b.why_not_ready(&index, &taken, now()).is_none());
        }
        for b in &got {
            prop_assert!(b.is_open() && !b.is_terminal());
            prop_assert!(!b.is_blocked(&index) && b.blocked_by(&index).is_empty());
            prop_assert!(!taken(&b.id));
        }
        for w in got.windows(2) {
            prop_assert!((w[0].priority, w[0].created_at, &w[0].id) <= (w[1].priority, w[1].created_at, &w[1].id));
        }
        let got: HashSet<String> = got.iter().map(|b| b.id.clone()).collect();
        prop_assert_eq!(got, model_ready(&beads, &taken));
    }
}
