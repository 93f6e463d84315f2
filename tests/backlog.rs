//! The beads backlog on the board, headless: the ready column holds open, unblocked beads no
//! store has a record of, in priority order; `n` assigns one through the store's `assign` (the
//! card moves to "assigned", the file and the history log say so); a new session gets its
//! store; the column follows changes to the beads file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::{Change, Msg};
use beadboard::app::model::{Model, Overlay};
use beadboard::app::step;
use beadboard::config::Roots;
use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, read_history};
use common::dash::{Home, now, press, screen, status, type_text};

fn model(home: &Home, beads: &std::path::Path) -> Model {
    home.model_with(200, 50, true, Some(beads.to_path_buf()))
}

fn ready_ids(m: &Model) -> Vec<String> {
    let columns = m.board.columns();
    assert!(columns[0].ready, "the ready column comes first");
    columns[0].ids.iter().map(|k| k.bead.clone()).collect()
}

fn beads_file(home: &Home) -> std::path::PathBuf {
    home.ntm().join("beads/issues.jsonl")
}

#[test]
fn the_ready_column_holds_open_unblocked_unassigned_beads_in_order() {
    let home = Home::golden();
    let m = model(&home, &beads_file(&home));
    assert_eq!(
        ready_ids(&m),
        ["wa-0rr8", "wa-7hq2.1", "wa-d2hf", "wa-c7ny"]
    );
    let text = screen(&m);
    assert!(text.contains("◇ ready 4"), "{text}");
    assert!(text.contains("wa-0rr8 P1 task"), "{text}");
    let plain = Home::golden().model(200, 50, true);
    assert!(
        !plain.board.columns()[0].ready,
        "no beads file, no ready column"
    );
}

#[test]
fn n_assigns_a_ready_bead_through_the_store() {
    let home = Home::golden();
    let mut m = model(&home, &beads_file(&home));
    press(&mut m, "3");
    for _ in 0..6 {
        press(&mut m, "h");
    }
    press(&mut m, "g");
    assert_eq!(
        m.board.selected_ready().map(|b| b.id.as_str()),
        Some("wa-0rr8")
    );
    press(&mut m, "s");
    assert!(
        status(&m).contains("wa-0rr8 is ready, not assigned yet: n assigns it"),
        "{}",
        status(&m)
    );
    press(&mut m, "n");
    let Some(Overlay::Form(form)) = &m.overlay else {
        panic!("no form")
    };
    assert_eq!(form.value(0), "webapp");
    assert!(
        form.value(4)
            .starts_with("Work on bead wa-0rr8: Add DOMPurify-based sanitizer utility.")
    );
    press(&mut m, "Enter");
    let Some(Overlay::Form(form)) = &m.overlay else {
        panic!("the form stays open")
    };
    assert_eq!(form.error.as_deref(), Some("pane must be a whole number"));
    type_text(&mut m, "7");
    press(&mut m, "Enter");
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert!(
        status(&m).starts_with("wa-0rr8 assigned (pane 7, claude)"),
        "{}",
        status(&m)
    );

    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    let record = store.get("wa-0rr8").unwrap();
    assert_eq!(record.status, AssignmentStatus::Assigned);
    assert_eq!((record.pane, record.agent_type.as_str()), (7, "claude"));
    assert_eq!(record.agent_name, "webapp_claude_7");
    assert_eq!(record.bead_title, "Add DOMPurify-based sanitizer utility");
    let history = read_history(&store.history_path()).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.bead_id == "wa-0rr8" && h.op == "assign")
    );
    assert_eq!(
        ready_ids(&m),
        ["wa-7hq2.1", "wa-d2hf", "wa-c7ny"],
        "the card left the ready column"
    );
    assert_eq!(
        m.board.selected_card().map(|c| c.bead_id.as_str()),
        Some("wa-0rr8"),
        "and the selection followed it"
    );
}

#[test]
fn n_into_a_new_session_starts_its_store() {
    let home = Home::golden();
    let mut m = model(&home, &beads_file(&home));
    press(&mut m, "3 h h h h h h g n");
    // Into the session field: clear it and name a new session.
    press(&mut m, "S-Tab C-u");
    type_text(&mut m, "fresh");
    press(&mut m, "Tab");
    type_text(&mut m, "2");
    press(&mut m, "Enter");
    assert_eq!(m.board.session.as_deref(), Some("fresh"), "{}", status(&m));
    let store = AssignmentStore::load_store(&home.ntm(), "fresh").unwrap();
    assert_eq!(store.get("wa-0rr8").unwrap().agent_name, "fresh_claude_2");
    assert!(
        !ready_ids(&m).contains(&"wa-0rr8".to_owned()),
        "taken in any session"
    );
}

#[test]
fn the_ready_column_follows_the_beads_file() {
    let home = Home::golden();
    let beads = beads_file(&home);
    let mut m = model(&home, &beads);
    let mut text = std::fs::read_to_string(&beads).unwrap();
    text.push_str("{\"id\":\"wa-zz01\",\"title\":\"Urgent hotfix\",\"status\":\"open\",\"priority\":0,\"issue_type\":\"bug\"}\n");
    text.push_str("not json\n");
    std::fs::write(&beads, text).unwrap();
    step(&mut m, Msg::Disk(Change::Beads), now());
    assert_eq!(ready_ids(&m)[0], "wa-zz01", "priority 0 first");
    let shown = screen(&m);
    assert!(
        shown.contains("line(s) of") && shown.contains("skipped"),
        "{shown}"
    );
    std::fs::remove_file(&beads).unwrap();
    step(&mut m, Msg::Disk(Change::Beads), now());
    assert!(ready_ids(&m).is_empty());
    assert!(screen(&m).contains("⚠ beads:"), "the missing file is named");
}

#[test]
fn the_watcher_reports_beads_file_changes() {
    let home = Home::golden();
    let beads = beads_file(&home);
    let roots = Roots {
        agentpair: home.agentpair(),
        ntm: home.ntm(),
        beads: Some(beads.clone()),
        agents: Default::default(),
    };
    let c = beadboard::app::watch::Classifier::new(&roots.agentpair, &roots.ntm)
        .with_beads(Some(&beads));
    assert_eq!(c.classify(&beads), Some(Change::Beads));
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join(".beads/issues.jsonl");
    let c = beadboard::app::watch::Classifier::new(&roots.agentpair, &roots.ntm)
        .with_beads(Some(&elsewhere));
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    assert!(
        c.targets()
            .iter()
            .any(|(dir, _)| dir == elsewhere.parent().unwrap()),
        "a beads file outside the roots gets its own watch"
    );
}
