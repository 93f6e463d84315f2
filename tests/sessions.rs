//! The session picker and the all-sessions board, headless and as drawn: the picker lists
//! every session most recently changed first with its counts per status (or why its store
//! cannot be read), filters as you type, Enter shows the chosen session's board and Esc closes
//! it; the "all sessions" entry shows every session's cards on one board, each naming its
//! session, and a key on a card acts on that card's session's store (and by its rules: a
//! schema-9 session's card goes through NTM's moves, a seed-era one's through the store's).
//! Snapshots at 80×24, 120×40 and 200×50 with a fixed clock and fixed file times.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::model::{CardKey, Model, Overlay, Pane, PickRow, SessionPicker};
use common::dash::{Home, press, screen, status, type_text};
use common::ntm9::press9;
use insta::assert_snapshot;

/// The open picker.
fn picker(model: &Model) -> &SessionPicker {
    match &model.overlay {
        Some(Overlay::Sessions(p)) => p,
        other => panic!("the picker is not open: {other:?}"),
    }
}

/// The session names of the picker's rows, in order (`*` for the all-sessions entry).
fn rows(model: &Model) -> Vec<String> {
    let p = picker(model);
    p.rows()
        .iter()
        .map(|r| match r {
            PickRow::All => "*".to_owned(),
            PickRow::Session(_) | PickRow::HostSession(_) => p.session(*r).unwrap().name.clone(),
        })
        .collect()
}

/// The screen with the temp home's path as `[HOME]`.
fn shot(home: &Home, model: &Model) -> String {
    screen(model).replace(&home.dir.path().display().to_string(), "[HOME]")
}

/// A model on the board with the picker open.
fn with_picker(home: &Home, w: u16, h: u16) -> Model {
    let mut m = home.model(w, h, true);
    press(&mut m, "3 S");
    m
}

/// A model showing the all-sessions board.
fn all_sessions(home: &Home, w: u16, h: u16) -> Model {
    let mut m = with_picker(home, w, h);
    press(&mut m, "Home Enter");
    assert!(m.board.is_merged(), "{}", screen(&m));
    m
}

fn store_text(home: &Home, session: &str) -> String {
    std::fs::read_to_string(
        home.ntm()
            .join("sessions")
            .join(session)
            .join("assignments.json"),
    )
    .unwrap()
}

/// The record of `bead` in `session`'s store file.
fn record(home: &Home, session: &str, bead: &str) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(&store_text(home, session)).unwrap();
    doc["assignments"][bead].clone()
}

#[test]
fn the_picker_lists_the_most_recently_changed_first_with_counts() {
    let home = Home::sessions();
    let m = with_picker(&home, 120, 40);
    assert_eq!(rows(&m), ["*", "api", "webapp", "billing", "broken"]);
    let p = picker(&m);
    let api = &p.sessions()[0];
    let stats = api.stats.unwrap();
    assert_eq!(
        (
            stats.assigned,
            stats.working,
            stats.completed,
            stats.failed,
            stats.total
        ),
        (1, 1, 1, 0, 3)
    );
    let webapp = &p.sessions()[1];
    assert_eq!(webapp.stats.unwrap().total, 8);
    let broken = &p.sessions()[3];
    assert!(broken.stats.is_none());
    assert!(
        broken
            .problem
            .as_deref()
            .unwrap()
            .contains("assignments.json"),
        "{:?}",
        broken.problem
    );
    // The board showed webapp (opened at start as the newest... until api changed later):
    // the picker opens on the session the board shows.
    let shown = m.board.session.clone().unwrap();
    let selected = p.selected_row().and_then(|r| p.session(r)).unwrap();
    assert_eq!(selected.name, shown);
}

#[test]
fn typing_filters_and_enter_switches_the_board() {
    let home = Home::sessions();
    let mut m = with_picker(&home, 120, 40);
    type_text(&mut m, "bi");
    assert_eq!(rows(&m), ["billing"]);
    assert!(screen(&m).contains("/bi"), "{}", screen(&m));
    press(&mut m, "Backspace");
    assert_eq!(rows(&m), ["webapp", "billing", "broken"]);
    type_text(&mut m, "zzz");
    assert!(rows(&m).is_empty());
    assert!(screen(&m).contains("no session matches `bzzz`"));
    press(&mut m, "Enter");
    assert!(m.overlay.is_some(), "nothing to open: the picker stays");
    press(&mut m, "C-u");
    type_text(&mut m, "bill");
    press(&mut m, "Enter");
    assert!(m.overlay.is_none());
    assert_eq!(m.board.session.as_deref(), Some("billing"));
    assert_eq!(m.focus, Pane::Board);
    assert!(screen(&m).contains("Board billing"), "{}", screen(&m));
    assert_eq!(
        m.board.selected_key(),
        Some(&CardKey::new("billing", "bl-1"))
    );
}

#[test]
fn the_selected_sessions_problem_is_shown_whole() {
    let home = Home::sessions();
    let mut m = with_picker(&home, 120, 40);
    press(&mut m, "End");
    let shown = screen(&m);
    let note = shown
        .lines()
        .find(|l| l.contains("✗ broken:"))
        .unwrap_or_else(|| panic!("no note:\n{shown}"));
    assert!(
        note.contains("load failed at assignments.json: invalid JSON"),
        "{note}"
    );
    press(&mut m, "Enter");
    assert_eq!(m.board.session.as_deref(), Some("broken"));
    assert!(m.board.error.is_some(), "the board says why too");
}

#[test]
fn a_store_changed_while_the_picker_is_open_moves_its_row() {
    use beadboard::app::event::{Change, Msg};
    let home = Home::sessions();
    let mut m = with_picker(&home, 120, 40);
    common::sessions::write_store(
        &home.ntm(),
        "billing",
        &[
            ("bl-1", "Invoice PDF footer", "completed", 1, "gemini"),
            ("bl-2", "Dunning emails", "assigned", 2, "claude"),
        ],
        std::time::Duration::ZERO,
    );
    beadboard::app::step(
        &mut m,
        Msg::Disk(Change::Store("billing".into())),
        common::dash::now(),
    );
    assert_eq!(rows(&m), ["*", "billing", "api", "webapp", "broken"]);
    let billing = picker(&m).sessions()[0].stats.unwrap();
    assert_eq!(
        (billing.assigned, billing.completed, billing.total),
        (1, 1, 2)
    );
    let selected = picker(&m)
        .selected_row()
        .and_then(|r| picker(&m).session(r));
    assert_eq!(
        selected.unwrap().name,
        "api",
        "the selection stays on its session"
    );
}

#[test]
fn esc_closes_the_picker_and_leaves_the_board_as_it_was() {
    let home = Home::sessions();
    let mut m = with_picker(&home, 120, 40);
    let before = m.board.session.clone();
    press(&mut m, "Down Down Esc");
    assert!(m.overlay.is_none());
    assert_eq!(m.board.session, before);
}

#[test]
fn the_all_sessions_board_has_every_sessions_cards_each_naming_its_session() {
    let home = Home::sessions();
    let m = all_sessions(&home, 200, 50);
    let merged = m.board.merged.as_ref().unwrap();
    let names: Vec<&str> = merged.stores.keys().map(String::as_str).collect();
    assert_eq!(names, ["api", "billing", "webapp"]);
    assert!(merged.problems.contains_key("broken"));
    let cards: usize = m.board.columns().iter().map(|c| c.ids.len()).sum();
    assert_eq!(cards, 3 + 1 + 8);
    let shown = screen(&m);
    assert!(shown.contains("all sessions (4)"), "{shown}");
    assert!(shown.contains("@api") && shown.contains("@billing") && shown.contains("@webapp"));
    assert!(
        shown.contains("✗ broken:"),
        "the unreadable store is named:\n{shown}"
    );
    // The board's filter matches a card's session on this board.
    let mut m = m;
    m.board.set_filter("billing".to_owned());
    let cards: Vec<CardKey> = m
        .board
        .columns()
        .iter()
        .flat_map(|c| c.ids.to_vec())
        .collect();
    assert_eq!(cards, [CardKey::new("billing", "bl-1")]);
}

#[test]
fn the_all_sessions_board_follows_changes_on_disk() {
    use beadboard::app::event::{Change, Msg};
    let home = Home::sessions();
    let mut m = all_sessions(&home, 200, 50);
    // Another program moves api-1 to working, and a new session appears.
    common::sessions::write_store(
        &home.ntm(),
        "api",
        &[(
            "api-1",
            "Rate limit the token endpoint",
            "working",
            1,
            "claude",
        )],
        std::time::Duration::ZERO,
    );
    beadboard::app::step(
        &mut m,
        Msg::Disk(Change::Store("api".into())),
        common::dash::now(),
    );
    let api = m.board.card(&CardKey::new("api", "api-1")).unwrap();
    assert_eq!(api.status.as_str(), "working");
    assert!(m.board.card(&CardKey::new("api", "api-2")).is_none());
    common::sessions::write_store(
        &home.ntm(),
        "docs",
        &[("dc-1", "Write the runbook", "assigned", 1, "claude")],
        std::time::Duration::ZERO,
    );
    beadboard::app::step(&mut m, Msg::Disk(Change::Sessions), common::dash::now());
    assert!(m.board.is_merged());
    assert!(m.board.card(&CardKey::new("docs", "dc-1")).is_some());
    assert!(screen(&m).contains("all sessions (5)"), "{}", screen(&m));
    // Back on one session's board, the merged stores are dropped.
    press(&mut m, "S");
    type_text(&mut m, "docs");
    press(&mut m, "Enter");
    assert!(m.board.merged.is_none());
    assert_eq!(m.board.session.as_deref(), Some("docs"));
    assert!(m.board.card(&CardKey::new("api", "api-1")).is_none());
}

#[test]
fn a_key_on_an_all_sessions_card_acts_on_that_cards_session() {
    let home = Home::sessions();
    let mut m = all_sessions(&home, 200, 50);
    let webapp_before = store_text(&home, "webapp");
    let billing_before = store_text(&home, "billing");
    m.board.follow(CardKey::new("api", "api-1"));
    press(&mut m, "s y");
    assert_eq!(
        record(&home, "api", "api-1")["status"],
        "working",
        "{}",
        status(&m)
    );
    assert_eq!(store_text(&home, "webapp"), webapp_before);
    assert_eq!(store_text(&home, "billing"), billing_before);
    assert!(m.board.is_merged(), "the board stays merged");
    assert_eq!(m.board.selected_key(), Some(&CardKey::new("api", "api-1")));
    assert_eq!(
        m.board
            .card(&CardKey::new("api", "api-1"))
            .unwrap()
            .status
            .as_str(),
        "working",
        "the board shows the write"
    );
    // Fail asks for a reason and names the card's session; it is written to that store.
    m.board.follow(CardKey::new("billing", "bl-1"));
    press(&mut m, "x");
    let Some(Overlay::Form(form)) = &m.overlay else {
        panic!("no form: {:?}", m.overlay)
    };
    assert_eq!(form.title, "Fail bl-1 in session billing");
    type_text(&mut m, "invoice service down");
    press(&mut m, "Enter");
    let bl = record(&home, "billing", "bl-1");
    assert_eq!(bl["status"], "failed");
    assert_eq!(bl["fail_reason"], "invoice service down");
    assert_eq!(store_text(&home, "webapp"), webapp_before);
    // The card detail is that session's card.
    press(&mut m, "Enter");
    let Some(Overlay::Card { session, bead, .. }) = &m.overlay else {
        panic!("no card detail: {:?}", m.overlay)
    };
    assert_eq!((session.as_str(), bead.as_str()), ("billing", "bl-1"));
    assert!(
        screen(&m).contains("invoice service down"),
        "{}",
        screen(&m)
    );
}

#[test]
fn each_card_follows_its_own_sessions_rules() {
    // Session `webapp` is today's NTM's (schema 9, NTM's own `00-start`), `api` is seed-era.
    let home = Home::ntm9("00-start");
    common::sessions::write_store(
        &home.ntm(),
        "api",
        &[("api-2", "Paginate /v2/orders", "working", 2, "codex")],
        std::time::Duration::from_secs(60),
    );
    let mut m = home.model9(200, 50);
    press9(&mut m, "S Home Enter");
    assert!(m.board.is_merged());
    assert!(m.is_v9("webapp"));
    assert!(!m.is_v9("api"));
    // `x` on the schema-9 card writes NTM's failure request, not a failed status.
    m.board.follow(CardKey::new("webapp", "wa-02"));
    press9(&mut m, "x");
    type_text(&mut m, "tests still red");
    press9(&mut m, "Enter");
    let v9 = store_text(&home, "webapp");
    assert!(v9.contains("tests still red"), "{}", status(&m));
    assert_eq!(
        m.board
            .card(&CardKey::new("webapp", "wa-02"))
            .unwrap()
            .status
            .as_str(),
        "working",
        "NTM's watcher changes the status, not beadboard"
    );
    // The same key on the seed-era card fails it in its own store.
    m.board.follow(CardKey::new("api", "api-2"));
    press9(&mut m, "x");
    type_text(&mut m, "flaky");
    press9(&mut m, "Enter");
    assert_eq!(
        record(&home, "api", "api-2")["status"],
        "failed",
        "{}",
        status(&m)
    );
    assert_eq!(record(&home, "api", "api-2")["fail_reason"], "flaky");
    assert_eq!(
        store_text(&home, "webapp"),
        v9,
        "the schema-9 store is left alone"
    );
    // `c` on a claimed schema-9 card is refused (NTM has no claimed → completed), nothing
    // written; on the seed-era board's rules it would not even be a card state.
    m.board.follow(CardKey::new("webapp", "wa-03"));
    press9(&mut m, "c");
    assert_eq!(store_text(&home, "webapp"), v9);
}

#[test]
fn picker_80x24_and_120x40() {
    let home = Home::sessions();
    for (w, h) in [(80, 24), (120, 40)] {
        let m = with_picker(&home, w, h);
        assert_snapshot!(format!("picker_{w}x{h}"), shot(&home, &m));
    }
}

#[test]
fn picker_filtered_200x50() {
    let home = Home::sessions();
    let mut m = with_picker(&home, 200, 50);
    type_text(&mut m, "b");
    assert_snapshot!("picker_filtered_200x50", shot(&home, &m));
}

#[test]
fn all_sessions_80x24_120x40_200x50() {
    let home = Home::sessions();
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let m = all_sessions(&home, w, h);
        assert_snapshot!(format!("all_sessions_{w}x{h}"), shot(&home, &m));
    }
}
