//! The event loop's contract, headless, with the real worker threads: `update` never waits.
//! A board key while another program holds the store's lock returns at once with the write
//! recorded as pending; the wait is reported ("waiting for NTM's lock on webapp… Esc
//! cancels"); a second key on the same card is refused; other updates (a transcript line)
//! are taken meanwhile; Esc cancels and nothing is written; once the lock is free the change
//! lands.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::{Change, Msg};
use beadboard::app::model::{Model, Pane, PendingWrite, Settings};
use beadboard::app::update::update;
use beadboard::app::work::Sink;
use beadboard::app::worker::Workers;
use beadboard::persist::lock::FileLock;
use beadboard::persist::run::Transcript;
use common::dash::{Home, now, press, screen, status};
use crossterm::event::{KeyCode, KeyEvent};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// A model driven by real workers, as the event loop drives it (without a terminal).
struct Loop {
    model: Model,
    workers: Workers,
    rx: Receiver<Msg>,
}

impl Loop {
    fn new(home: &Home) -> Loop {
        let (tx, rx) = mpsc::channel();
        let sink = Sink::new(move |m| {
            let _ = tx.send(m);
        });
        let workers = Workers::start(sink, None);
        let mut model = home.model(120, 40, false);
        model.settings = Settings {
            lock_timeout: Duration::from_secs(30),
            ..model.settings.clone()
        };
        Loop { model, workers, rx }
    }

    /// Sends `msg` through `update` and hands its effects to the workers.
    fn send(&mut self, msg: Msg) {
        let effects = update(&mut self.model, msg, now());
        self.workers.run_all(effects);
    }

    fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::from(code)));
    }

    /// Takes worker messages until `done` holds (at most 10 s).
    fn pump_until(&mut self, what: &str, done: impl Fn(&Model) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(&self.model) {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!("timed out waiting for {what}:\n{}", screen(&self.model))
            });
            self.send(msg);
        }
    }

    fn pending(&self) -> Option<&PendingWrite> {
        self.model.writes.first()
    }
}

fn select_working_card(l: &mut Loop) {
    l.model.focus = Pane::Board;
    press(&mut l.model, "l");
    l.model.board.follow_bead("wa-5tq0");
    assert_eq!(
        l.model.board.selected_card().map(|c| c.bead_id.as_str()),
        Some("wa-5tq0")
    );
}

#[test]
fn a_held_lock_never_blocks_update_and_esc_cancels_the_wait() {
    let home = Home::golden();
    let store = home.ntm().join("sessions/webapp/assignments.json");
    let before = std::fs::read(&store).unwrap();
    let mut l = Loop::new(&home);
    select_working_card(&mut l);
    let lock = FileLock::acquire(
        &home.ntm().join("sessions/webapp/assignments.json.lock"),
        Duration::from_secs(1),
        || {},
    )
    .unwrap();

    // c asks first (completed cannot be reversed by the table); y is yes. `update` returns
    // while the lock is held (by this very thread: a wait inside `update` could never end),
    // with the write recorded as pending; how long it takes is measured in benches/
    // (BENCHMARKS.md: a board key through `update`).
    l.key(KeyCode::Char('c'));
    l.key(KeyCode::Char('y'));
    assert!(l.pending().is_some(), "the write is recorded as pending");
    l.pump_until("the lock wait to be reported", |m| {
        m.writes.first().is_some_and(|w| w.waiting.is_some())
    });
    let shown = screen(&l.model);
    assert!(
        shown.contains("waiting for NTM's lock on webapp… Esc cancels"),
        "{shown}"
    );

    // A second key on the same card cannot race the first.
    l.key(KeyCode::Char('c'));
    l.key(KeyCode::Char('y'));
    assert!(
        status(&l.model).contains("still under way"),
        "{}",
        status(&l.model)
    );
    assert_eq!(l.model.writes.len(), 1);

    // The rest of the dashboard goes on: a transcript line arrives while the write waits.
    let run = home.agentpair().join("runs/43d7567239bfd176/2");
    l.model.runs.select_dir(&run);
    l.model.open_selected_transcript();
    l.workers.run_all(l.model.take_effects());
    l.pump_until("the transcript to open", |m| !m.transcript.is_empty());
    Transcript::new(run.join("transcript.jsonl"), 2)
        .log_error("claude", 3, "appended while a write waits")
        .unwrap();
    l.send(Msg::Disk(Change::Transcript(run.clone())));
    l.pump_until("the appended line", |m| {
        m.transcript
            .lines()
            .iter()
            .any(|line| line.searchable().contains("appended while a write waits"))
    });
    assert!(l.pending().is_some(), "still waiting for the lock");

    // Esc stops the wait; nothing is written.
    l.key(KeyCode::Esc);
    l.pump_until("the cancelled write", |m| m.writes.is_empty());
    assert!(
        status(&l.model).contains("nothing was written"),
        "{}",
        status(&l.model)
    );
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "the store is untouched"
    );
    drop(lock);
}

#[test]
fn a_write_waits_for_the_lock_and_lands_when_it_is_released() {
    let home = Home::golden();
    let mut l = Loop::new(&home);
    select_working_card(&mut l);
    let lock = FileLock::acquire(
        &home.ntm().join("sessions/webapp/assignments.json.lock"),
        Duration::from_secs(1),
        || {},
    )
    .unwrap();
    l.key(KeyCode::Char('c'));
    l.key(KeyCode::Char('y'));
    l.pump_until("the lock wait to be reported", |m| {
        m.writes.first().is_some_and(|w| w.waiting.is_some())
    });
    drop(lock);
    l.pump_until("the write to finish", |m| m.writes.is_empty());
    assert!(
        status(&l.model).contains("wa-5tq0 completed (pane 5, gemini)"),
        "{}",
        status(&l.model)
    );
    let on_disk =
        beadboard::persist::assignment::AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    assert_eq!(on_disk.get("wa-5tq0").unwrap().status.as_str(), "completed");
    assert_eq!(
        l.model.board.selected_card().map(|c| c.status.as_str()),
        Some("completed"),
        "the card moved with the change"
    );
}
