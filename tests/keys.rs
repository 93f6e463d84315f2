//! Headless key tests: every binding of the table, pressed as a key event through `update`,
//! checked against the model and, for board keys, the store file on disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::keymap::Scope;
use beadboard::app::model::{Model, Overlay, Pane, Pending, StatusKind, Timestamps};
use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use beadboard::persist::run::{Manifest, State};
use common::dash::{Home, press, status, type_text};
use std::fs;

fn store_file(home: &Home) -> String {
    fs::read_to_string(home.ntm().join("sessions/webapp/assignments.json")).unwrap()
}

fn on_disk(home: &Home, bead: &str) -> AssignmentStatus {
    AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .get(bead)
        .unwrap()
        .status
        .clone()
}

/// Selects `bead` on the board by moving with the keys.
fn select_card(model: &mut Model, bead: &str) {
    press(model, "3");
    for _ in 0..8 {
        press(model, "h");
    }
    for _ in 0..6 {
        for _ in 0..10 {
            if model
                .board
                .selected_card()
                .is_some_and(|c| c.bead_id == bead)
            {
                return;
            }
            press(model, "j");
        }
        press(model, "l g");
    }
    panic!("{bead} not reachable");
}

#[test]
fn every_binding_is_reachable_in_its_scope() {
    let home = Home::golden();
    let model = home.model(200, 50, true);
    for b in model.keymap.bindings() {
        let context: Vec<Scope> = match b.scope {
            Scope::Always | Scope::Global | Scope::List | Scope::Runs => {
                vec![Scope::Always, Scope::Runs, Scope::List, Scope::Global]
            }
            Scope::Transcript => vec![Scope::Always, Scope::Transcript, Scope::List, Scope::Global],
            Scope::Board => vec![Scope::Always, Scope::Board, Scope::List, Scope::Global],
            Scope::Confirm => vec![Scope::Confirm, Scope::Always],
            Scope::Prompt => vec![Scope::Prompt, Scope::Always],
            Scope::Overlay => vec![Scope::Always, Scope::Overlay],
            Scope::Help => vec![Scope::Always, Scope::Help],
            Scope::Picker => vec![Scope::Always, Scope::Picker],
            Scope::Results => vec![Scope::Always, Scope::Results],
        };
        for key in &b.keys {
            let resolved = model.keymap.resolve(&context, *key);
            assert!(
                resolved.is_some(),
                "{key} in {:?} resolves to nothing",
                b.scope
            );
            if b.scope == Scope::List {
                // Pane scopes may refine a list key (G in the transcript also follows), never drop it.
                assert!(
                    resolved == Some(b.action)
                        || model.keymap.resolve(
                            &[Scope::Always, Scope::Board, Scope::List, Scope::Global],
                            *key
                        ) == Some(b.action)
                );
            } else {
                assert_eq!(resolved, Some(b.action), "{key} in {:?}", b.scope);
            }
        }
    }
}

#[test]
fn global_keys() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    press(&mut m, "Tab");
    assert_eq!(m.focus, Pane::Transcript);
    press(&mut m, "Tab Tab");
    assert_eq!(m.focus, Pane::Runs);
    press(&mut m, "S-Tab");
    assert_eq!(m.focus, Pane::Board);
    press(&mut m, "1");
    assert_eq!(m.focus, Pane::Runs);
    press(&mut m, "2");
    assert_eq!(m.focus, Pane::Transcript);
    press(&mut m, "3");
    assert_eq!(m.focus, Pane::Board);
    press(&mut m, "?");
    assert!(matches!(m.overlay, Some(Overlay::Help { .. })));
    press(&mut m, "Down Down PgDn Up PgUp End Home C-d C-u");
    assert!(matches!(&m.overlay, Some(Overlay::Help { scroll: 0, filter }) if filter.is_empty()));
    // Typing filters the help; Esc clears the filter first, then closes.
    type_text(&mut m, "wrap");
    assert!(matches!(&m.overlay, Some(Overlay::Help { filter, .. }) if filter == "wrap"));
    press(&mut m, "Esc");
    assert!(matches!(&m.overlay, Some(Overlay::Help { filter, .. }) if filter.is_empty()));
    press(&mut m, "Esc");
    assert!(m.overlay.is_none());
    for close in ["?", "Enter"] {
        press(&mut m, "?");
        press(&mut m, close);
        assert!(m.overlay.is_none(), "{close} closes help");
    }
    press(&mut m, "p");
    assert!(m.paused.is_some());
    press(&mut m, "p");
    assert!(m.paused.is_none());
    press(&mut m, "q");
    assert!(m.quit);
    let mut m = home.model(80, 24, true);
    press(&mut m, "? C-c");
    assert!(m.quit, "Ctrl-C quits even from an overlay");
}

#[test]
fn list_keys_and_filter() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    let names = |m: &Model| {
        m.runs
            .selected()
            .map(|r| r.run_key.clone() + "@" + &r.repo_key[..4])
            .unwrap()
    };
    let first = names(&m);
    press(&mut m, "j");
    assert_ne!(names(&m), first);
    press(&mut m, "k");
    assert_eq!(names(&m), first);
    press(&mut m, "Down Down Up");
    assert_eq!(m.runs.selected_index(), Some(1));
    press(&mut m, "G");
    assert_eq!(m.runs.selected_index(), Some(5));
    press(&mut m, "g");
    assert_eq!(m.runs.selected_index(), Some(0));
    press(&mut m, "End Home PgDn");
    assert_eq!(m.runs.selected_index(), Some(5));
    press(&mut m, "PgUp C-d");
    assert_eq!(m.runs.selected_index(), Some(5));
    press(&mut m, "C-u");
    assert_eq!(m.runs.selected_index(), Some(0));
    press(&mut m, "/");
    type_text(&mut m, "rate");
    assert_eq!(m.runs.visible().len(), 1, "filter applies as you type");
    press(&mut m, "Backspace Backspace Backspace Backspace");
    type_text(&mut m, "api");
    press(&mut m, "Enter");
    assert_eq!(
        (m.runs.filter(), m.runs.visible().len()),
        ("api", 3),
        "two api runs and a prompt naming /api/login"
    );
    press(&mut m, "Esc");
    assert!(m.runs.filter().is_empty(), "Esc clears the filter");
    press(&mut m, "/");
    type_text(&mut m, "zzz");
    press(&mut m, "Esc");
    assert!(
        m.runs.filter().is_empty() && m.overlay.is_none(),
        "Esc in the filter prompt clears it"
    );
}

#[test]
fn runs_keys() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    press(&mut m, "a");
    assert!(m.runs.visible().all(|r| !r.is_complete()));
    press(&mut m, "a G Enter");
    assert_eq!(m.focus, Pane::Transcript);
    assert_eq!(m.transcript.reference, "webapp #4");
    assert_eq!(m.transcript.len(), 18);
}

#[test]
fn close_stale_run_refuses_live_and_closes_stale() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    m.settings.stale_after = std::time::Duration::from_secs(3600 * 24 * 365 * 10);
    press(&mut m, "C");
    assert!(status(&m).contains("looks live"), "{}", status(&m));
    assert!(m.overlay.is_none());
    m.settings.stale_after = std::time::Duration::ZERO;
    let dir = m.runs.selected().unwrap().dir.clone();
    press(&mut m, "C");
    assert!(
        matches!(&m.overlay, Some(Overlay::Confirm(c)) if c.pending == Pending::CloseRun(dir.clone()))
    );
    press(&mut m, "n");
    assert_eq!(
        Manifest::load(&dir.join("manifest.json")).unwrap().state,
        State::Working,
        "n writes nothing"
    );
    press(&mut m, "C Esc");
    assert!(m.overlay.is_none());
    press(&mut m, "C y");
    let manifest = Manifest::load(&dir.join("manifest.json")).unwrap();
    assert_eq!(manifest.state, State::Cancelled);
    assert!(manifest.completed_at.is_some());
    let transcript = fs::read_to_string(dir.join("transcript.jsonl")).unwrap();
    let last: Vec<serde_json::Value> = transcript
        .lines()
        .rev()
        .take(2)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        (last[1]["type"].as_str(), last[1]["state"].as_str()),
        (Some("state"), Some("cancelled"))
    );
    assert_eq!(
        (last[0]["type"].as_str(), last[0]["state"].as_str()),
        (Some("end"), Some("cancelled"))
    );
    assert!(status(&m).contains("closed as cancelled"));
    press(&mut m, "G C");
    assert!(status(&m).contains("already completed"), "{}", status(&m));
}

#[test]
fn transcript_keys() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    press(&mut m, "G Enter");
    assert!(m.transcript.follow);
    press(&mut m, "k");
    assert!(!m.transcript.follow);
    assert!(status(&m).contains("follow paused"));
    press(&mut m, "G");
    assert!(m.transcript.follow && m.transcript.cursor == 17);
    press(&mut m, "f");
    assert!(!m.transcript.follow);
    press(&mut m, "f");
    assert!(m.transcript.follow);
    press(&mut m, "/");
    type_text(&mut m, "pass");
    press(&mut m, "Enter");
    let matches = m.transcript.search.as_ref().unwrap().matches.clone();
    assert!(matches.len() >= 3, "{matches:?}");
    let at = m.transcript.cursor;
    press(&mut m, "n");
    assert_ne!(m.transcript.cursor, at);
    press(&mut m, "N");
    assert_eq!(m.transcript.cursor, at);
    press(&mut m, "Esc");
    assert!(m.transcript.search.is_none());
    press(&mut m, "g e");
    let fail_line = m.transcript.cursor;
    assert!(m.transcript.lines()[fail_line].is_trouble());
    // Above the first, E wraps around to the last trouble line and says so; e from the last
    // wraps back to the first.
    press(&mut m, "E");
    assert!(
        status(&m).contains("E wrapped around to the last"),
        "{}",
        status(&m)
    );
    let last = m.transcript.cursor;
    assert!(m.transcript.lines()[last].is_trouble() && last >= fail_line);
    press(&mut m, "e");
    assert_eq!(m.transcript.cursor, fail_line);
    assert!(
        status(&m).contains("e wrapped around to the first"),
        "{}",
        status(&m)
    );
    press(&mut m, "w");
    assert!(!m.transcript.wrap);
    press(&mut m, "t");
    assert_eq!(m.transcript.timestamps, Timestamps::Relative);
    press(&mut m, "t t");
    assert_eq!(m.transcript.timestamps, Timestamps::Absolute);
    press(&mut m, "Enter");
    assert!(matches!(m.overlay, Some(Overlay::Detail { line, .. }) if line == fail_line));
    press(&mut m, "Esc j PgDn PgUp End Home C-d C-u");
    assert!(m.overlay.is_none());
}

#[test]
fn board_keys_call_the_store_and_move_cards() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    select_card(&mut m, "wa-9p4e");
    // Start and complete cannot be reversed by the table: they ask first (y is yes).
    press(&mut m, "s y");
    assert_eq!(on_disk(&home, "wa-9p4e"), AssignmentStatus::Working);
    assert_eq!(
        m.board.selected_card().unwrap().bead_id,
        "wa-9p4e",
        "the selection follows the card"
    );
    assert_eq!(
        m.board.column, 1,
        "the card moved to the working column at once"
    );
    press(&mut m, "c y");
    assert_eq!(on_disk(&home, "wa-9p4e"), AssignmentStatus::Completed);
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Success);

    let before = store_file(&home);
    press(&mut m, "s");
    assert_eq!(
        status(&m),
        "[ASSIGN] Invalid transition completed -> working for wa-9p4e"
    );
    assert_eq!(
        store_file(&home),
        before,
        "a forbidden move changes nothing on disk"
    );
    press(&mut m, "x");
    assert_eq!(
        status(&m),
        "[ASSIGN] Invalid transition completed -> failed for wa-9p4e"
    );
    assert!(
        m.overlay.is_none(),
        "no reason is asked for a move that cannot happen"
    );

    select_card(&mut m, "wa-5tq0");
    press(&mut m, "x Enter");
    assert!(
        matches!(&m.overlay, Some(Overlay::Form(f)) if f.error.is_some()),
        "a reason is required"
    );
    type_text(&mut m, "tests hang");
    press(&mut m, "Enter");
    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    assert_eq!(
        (
            store.get("wa-5tq0").unwrap().status.clone(),
            store.get("wa-5tq0").unwrap().fail_reason.as_str()
        ),
        (AssignmentStatus::Failed, "tests hang")
    );
    press(&mut m, "R");
    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    assert_eq!(store.get("wa-5tq0").unwrap().retry_count, 1);

    select_card(&mut m, "wa-7hq2");
    press(&mut m, "r C-u");
    type_text(&mut m, "x");
    press(&mut m, "Enter");
    assert!(
        matches!(&m.overlay, Some(Overlay::Form(f)) if f.error.as_deref() == Some("pane must be a whole number"))
    );
    press(&mut m, "C-u");
    type_text(&mut m, "7");
    press(&mut m, "Tab C-u");
    type_text(&mut m, "claude");
    press(&mut m, "Down C-u");
    type_text(&mut m, "GreenHill");
    press(&mut m, "S-Tab Up Enter");
    let r = AssignmentStore::load_store(&home.ntm(), "webapp")
        .unwrap()
        .get("wa-7hq2")
        .cloned()
        .unwrap();
    assert_eq!(
        (
            r.status,
            r.pane,
            r.agent_type.as_str(),
            r.agent_name.as_str()
        ),
        (AssignmentStatus::Assigned, 7, "claude", "GreenHill")
    );

    select_card(&mut m, "wa-2c9d");
    press(&mut m, "d n");
    assert!(
        AssignmentStore::load_store(&home.ntm(), "webapp")
            .unwrap()
            .get("wa-2c9d")
            .is_some()
    );
    press(&mut m, "d Enter");
    assert!(
        AssignmentStore::load_store(&home.ntm(), "webapp")
            .unwrap()
            .get("wa-2c9d")
            .is_some(),
        "Enter is not yes"
    );
    press(&mut m, "Esc d y");
    assert!(
        AssignmentStore::load_store(&home.ntm(), "webapp")
            .unwrap()
            .get("wa-2c9d")
            .is_none()
    );
    press(&mut m, "d Esc");
    let history =
        fs::read_to_string(home.ntm().join("sessions/webapp/assignments.history.jsonl")).unwrap();
    assert_eq!(
        history.lines().count(),
        6,
        "start, complete, fail, retry, reassign, remove: {history}"
    );
}

#[test]
fn board_columns_and_sessions() {
    let home = Home::golden();
    common::copy_tree(
        &home.ntm().join("sessions/webapp"),
        &home.ntm().join("sessions/zeta"),
    );
    let mut m = home.model(80, 24, true);
    press(&mut m, "3");
    let first = m.board.session.clone().unwrap();
    press(&mut m, "l Right");
    assert_eq!(m.board.column, 2);
    press(&mut m, "h Left");
    assert_eq!(m.board.column, 0);
    // `]` cycles; `S` picks (tests/sessions.rs).
    press(&mut m, "]");
    assert_ne!(m.board.session.clone().unwrap(), first);
    press(&mut m, "]");
    assert_eq!(m.board.session.clone().unwrap(), first);
}

#[test]
fn read_only_stores_refuse_moves_with_the_reason() {
    let home = Home::golden();
    let path = home.ntm().join("sessions/webapp/assignments.json");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("\"version\": 1", "\"version\": 9");
    fs::write(&path, &text).unwrap();
    let mut m = home.model(80, 24, true);
    select_card(&mut m, "wa-9p4e");
    // A schema-9 file without a generation: NTM's strict read refuses it, so beadboard does
    // not write to it either, and says why.
    press(&mut m, "s");
    assert!(
        status(&m).contains("read-only") && status(&m).contains("missing persistence generation"),
        "{}",
        status(&m)
    );
    press(&mut m, "x");
    assert!(status(&m).contains("read-only"));
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}
