//! Unit tests of the beads reader and the ready rule on small in-memory inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use chrono::DateTime;

fn parse(text: &str) -> BeadsFile {
    parse_beads(Path::new("t.jsonl"), text.as_bytes())
}

fn ids<'a>(beads: impl IntoIterator<Item = &'a Bead>) -> Vec<&'a str> {
    beads.into_iter().map(|b| b.id.as_str()).collect()
}

fn now() -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-02-05T00:00:00Z").unwrap()
}

fn bead(id: &str, status: &str, deps: &[(&str, &str)]) -> Bead {
    Bead {
        id: id.into(),
        status: status.into(),
        dependencies: deps
            .iter()
            .map(|(to, kind)| Dependency {
                depends_on_id: (*to).into(),
                kind: (*kind).into(),
            })
            .collect(),
        ..Bead::default()
    }
}

const NOBODY: &dyn Fn(&str) -> bool = &|_| false;

#[test]
fn reads_fields_and_defaults() {
    let f = parse(concat!(
        r#"{"id":"a-1","title":"T","description":"D","status":" In_Progress ","priority":0,"#,
        r#""issue_type":"Bug","assignee":"BlueLake","labels":["x","y"],"extra":{"k":1},"#,
        r#""dependencies":[{"issue_id":"a-1","depends_on_id":"a-2","type":"blocks"}],"#,
        r#""created_at":"2026-02-03T11:20:02.004117765Z","updated_at":"2026-02-04T10:00:00+02:00"}"#,
        "\n",
        r#"{"id":"a-2"}"#
    ));
    assert!(f.notes.is_empty(), "{:?}", f.notes);
    let [a, b] = f.beads.as_slice() else { panic!() };
    assert_eq!(
        (a.status.as_str(), a.priority, a.issue_type.as_str()),
        ("in_progress", 0, "bug")
    );
    assert_eq!(
        (a.title.as_str(), a.assignee.as_str(), a.line),
        ("T", "BlueLake", 1)
    );
    assert_eq!(a.labels, ["x", "y"]);
    assert_eq!(a.dependencies[0].depends_on_id, "a-2");
    assert!(a.created_at.is_some() && a.updated_at.is_some());
    assert_eq!(
        (b.status.as_str(), b.priority, b.issue_type.as_str()),
        ("open", 2, "task")
    );
    assert_eq!((b.title.as_str(), b.line), ("", 2));
}

#[test]
fn bad_lines_are_noted_and_skipped() {
    let mut bytes = b"\xEF\xBB\xBF{\"id\":\"ok-1\"}\r\n\r\n   \n{not json\nnull\n[1]\n".to_vec();
    bytes.extend_from_slice(b"{\"id\":\"bad-\xFF\"}\n{\"title\":\"no id\"}\n{\"id\":7}\n");
    bytes.extend_from_slice(b"{\"id\":\"  \"}\n{\"id\":\"ok-2\"}");
    let f = parse_beads(Path::new("t.jsonl"), &bytes);
    assert_eq!(ids(&f.beads), ["ok-1", "ok-2"]);
    assert_eq!(f.beads[1].line, 11);
    let lines: Vec<&str> = f
        .notes
        .iter()
        .map(|n| n.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "t.jsonl:4",
            "t.jsonl:5",
            "t.jsonl:6",
            "t.jsonl:7",
            "t.jsonl:8",
            "t.jsonl:9",
            "t.jsonl:10"
        ]
    );
    assert!(f.notes[0].contains("invalid JSON"), "{}", f.notes[0]);
    assert!(f.notes[1].contains("null is not a JSON object"));
    assert!(f.notes[2].contains("an array is not a JSON object"));
    assert!(f.notes[3].contains("not valid UTF-8"));
    assert!(f.notes[4].contains("no \"id\""));
    assert!(f.notes[5].contains("the number 7"));
    assert!(f.notes[6].contains("empty \"id\""));
}

#[test]
fn wrong_field_types_fall_back_with_a_note() {
    let f = parse(concat!(
        r#"{"id":"w-1","title":5,"priority":"high","labels":"ui","status":false,"#,
        r#""created_at":"yesterday","pinned":"yes","dependencies":[7,{"depends_on_id":"w-2"},"#,
        r#"{"type":"blocks"},{"depends_on_id":"w-3","type":"related"}]}"#
    ));
    let b = &f.beads[0];
    assert_eq!(
        (b.title.as_str(), b.priority, b.status.as_str()),
        ("", 2, "open")
    );
    assert!(b.labels.is_empty() && b.created_at.is_none() && !b.pinned);
    let deps: Vec<(&str, &str)> = b
        .dependencies
        .iter()
        .map(|d| (d.depends_on_id.as_str(), d.kind.as_str()))
        .collect();
    assert_eq!(deps, [("w-2", "blocks"), ("w-3", "related")]);
    assert_eq!(f.notes.len(), 9, "{:#?}", f.notes);
    assert!(f.notes.iter().all(|n| n.starts_with("t.jsonl:1: w-1: ")));
}

#[test]
fn priority_accepts_br_strings_and_keeps_odd_numbers() {
    let f = parse(
        "{\"id\":\"a\",\"priority\":\"P1\"}\n{\"id\":\"b\",\"priority\":\" 3 \"}\n{\"id\":\"c\",\"priority\":7}\n{\"id\":\"d\",\"priority\":1.5}\n{\"id\":\"e\",\"priority\":null}",
    );
    let p: Vec<i64> = f.beads.iter().map(|b| b.priority).collect();
    assert_eq!(p, [1, 3, 7, 2, 2]);
    assert_eq!(f.notes.len(), 1);
    assert!(f.notes[0].starts_with("t.jsonl:4: d: \"priority\""));
}

#[test]
fn a_duplicate_id_keeps_the_later_line_in_the_first_place() {
    let f = parse(
        "{\"id\":\"d\",\"title\":\"old\"}\n{\"id\":\"e\"}\n{\"id\":\"d\",\"title\":\"new\"}\n",
    );
    assert_eq!(ids(&f.beads), ["d", "e"]);
    assert_eq!((f.beads[0].title.as_str(), f.beads[0].line), ("new", 3));
    assert_eq!(f.notes.len(), 1);
    assert!(f.notes[0].starts_with("t.jsonl:3: duplicate id \"d\" (earlier on line 1)"));
}

#[test]
fn huge_line_and_deep_nesting_do_not_break_the_reader() {
    let big = "x".repeat(3 << 20);
    let deep = format!(
        "{{\"id\":\"deep\",\"k\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let f = parse(&format!(
        "{{\"id\":\"big\",\"description\":\"{big}\"}}\n{deep}\n"
    ));
    assert_eq!(ids(&f.beads), ["big"]);
    assert_eq!(f.beads[0].description.len(), big.len());
    assert_eq!(f.notes.len(), 1);
    assert!(f.notes[0].starts_with("t.jsonl:2: skipped: invalid JSON"));
}

#[test]
fn missing_and_unreadable_files_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let missing = read_beads(&dir.path().join("nope.jsonl")).unwrap_err();
    assert!(missing.is_not_found());
    assert!(missing.to_string().ends_with("nope.jsonl: no such file"));
    let unreadable = read_beads(dir.path()).unwrap_err();
    assert!(!unreadable.is_not_found());
    assert_eq!(unreadable.path(), dir.path());
}

#[test]
fn blocks_chain_and_unknown_targets() {
    let beads = vec![
        bead("a", "open", &[]),
        bead("b", "open", &[("a", "blocks")]),
        bead(
            "c",
            "open",
            &[("b", "blocks"), ("a", "related"), ("z", "discovered-from")],
        ),
        bead("d", "open", &[("gone", "waits-for")]),
        bead("e", "open", &[("d", "conditional-blocks")]),
    ];
    assert_eq!(ids(ready_at(&beads, NOBODY, now())), ["a"]);
    let index = BeadIndex::new(&beads);
    assert_eq!(
        beads[2]
            .blocked_by(&index)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["b (blocks, open)"]
    );
    assert_eq!(
        beads[3].blocked_by(&index)[0].to_string(),
        "gone (waits-for, not in the file)"
    );
    let mut closed = beads.clone();
    closed[0].status = "closed".into();
    closed[3].status = "tombstone".into();
    assert_eq!(ids(ready_at(&closed, NOBODY, now())), ["b", "e"]);
}

#[test]
fn parent_child_propagates_blocking_down_but_not_open_or_status() {
    let beads = vec![
        bead("x", "open", &[]),
        bead("epic", "open", &[("x", "blocks")]),
        bead("child", "open", &[("epic", "parent-child")]),
        bead("grand", "open", &[("child", "parent-child")]),
        bead("p2", "blocked", &[]),
        bead("kid2", "open", &[("p2", "parent-child")]),
    ];
    let index = BeadIndex::new(&beads);
    assert_eq!(
        beads[3].blocked_by(&index),
        [Blocker::Parent { id: "child" }]
    );
    // The open children block their parents (br), and a parent whose *status* is blocked does
    // not pass that on: kid2 is ready, p2 is not (status, and its open child).
    assert_eq!(ids(ready_at(&beads, NOBODY, now())), ["kid2", "x"]);
    let why = beads[1].why_not_ready(&index, NOBODY, now()).unwrap();
    assert_eq!(
        why.to_string(),
        "blocked by x (blocks, open), child child is open"
    );
    let mut done = beads.clone();
    done[0].status = "closed".into();
    assert_eq!(ids(ready_at(&done, NOBODY, now())), ["grand", "kid2"]);
}

#[test]
fn cycles_and_self_edges_terminate() {
    let beads = vec![
        bead("a", "open", &[("b", "parent-child"), ("a", "parent-child")]),
        bead("b", "open", &[("a", "parent-child"), ("q", "blocks")]),
    ];
    let index = BeadIndex::new(&beads);
    assert!(beads[0].is_blocked(&index) && beads[1].is_blocked(&index));
    assert!(ready_at(&beads, NOBODY, now()).is_empty());
}

#[test]
fn hidden_deferred_taken_and_order() {
    let at = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
    let mk = |id: &str, p: i64, created: Option<_>| Bead {
        priority: p,
        created_at: created,
        ..bead(id, "open", &[])
    };
    let mut beads = vec![
        mk("n", 1, None),
        mk("m", 1, at("2026-01-02T00:00:00Z")),
        mk("l", 1, at("2026-01-02T00:00:00+01:00")),
        mk("k", 0, at("2026-01-09T00:00:00Z")),
        mk("j", 1, at("2026-01-02T00:00:00Z")),
        mk("t", 0, None),
        Bead {
            pinned: true,
            ..mk("h1", 0, None)
        },
        Bead {
            ephemeral: true,
            ..mk("h2", 0, None)
        },
        Bead {
            is_template: true,
            ..mk("h3", 0, None)
        },
        mk("x-wisp-1", 0, None),
        Bead {
            defer_until: at("2026-03-01T00:00:00Z"),
            ..mk("later", 0, None)
        },
        Bead {
            defer_until: at("2026-01-01T00:00:00Z"),
            ..mk("past", 4, None)
        },
    ];
    let taken = |id: &str| id == "t";
    assert_eq!(
        ids(ready_at(&beads, &taken, now())),
        ["k", "l", "j", "m", "n", "past"]
    );
    let index = BeadIndex::new(&beads);
    let why = |i: usize| {
        beads[i]
            .why_not_ready(&index, &taken, now())
            .unwrap()
            .to_string()
    };
    assert_eq!(
        [why(5), why(6), why(9), why(10)],
        [
            "already assigned",
            "pinned",
            "a wisp",
            "deferred until 2026-03-01T00:00:00+00:00"
        ]
    );
    beads[0].status = "in_progress".into();
    assert_eq!(
        beads[0].why_not_ready(&BeadIndex::new(&beads), NOBODY, now()),
        Some(NotReady::Status("in_progress"))
    );
}

#[test]
fn thousands_of_beads_stay_linear() {
    // A 5,000-deep parent chain under a blocked root, and an epic with 20,000 open children.
    let mut beads = vec![
        bead("root", "open", &[("gate", "blocks")]),
        bead("epic", "open", &[]),
    ];
    for i in 0..5_000 {
        let parent = if i == 0 {
            "root".to_owned()
        } else {
            format!("c{}", i - 1)
        };
        beads.push(bead(
            &format!("c{i}"),
            "open",
            &[(parent.as_str(), "parent-child")],
        ));
    }
    for i in 0..20_000 {
        beads.push(bead(&format!("k{i}"), "open", &[("epic", "parent-child")]));
    }
    let ready = ready_at(&beads, NOBODY, now());
    assert_eq!(ready.len(), 20_000);
    let index = BeadIndex::new(&beads);
    assert_eq!(
        index.get("c4999").unwrap().blocked_by(&index),
        [Blocker::Parent { id: "c4998" }]
    );
    assert_eq!(index.get("epic").unwrap().blocked_by(&index).len(), 20_000);
}
