//! App-level tests: the real model and update, with disk changes injected as the watcher would
//! send them (and once through the real watcher), checked on the model and the drawn screen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::event::{Change, Msg};
use beadboard::app::model::Pane;
use beadboard::app::step;
use beadboard::app::update::next_wakeup;
use beadboard::app::watch::Watch;
use beadboard::persist::assignment::AssignmentStore;
use beadboard::persist::run::{Manager, Paths, RunConfig, Transcript};
use common::dash::{Home, now, screen};
use std::fs;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[test]
fn an_appended_transcript_line_is_shown() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    step(
        &mut m,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Enter,
        )),
        now(),
    );
    let dir = m.transcript.run_dir().unwrap().to_path_buf();
    let before = m.transcript.len();
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_error("claude", 3, "rate limited: 429 from upstream")
        .unwrap();
    step(&mut m, Msg::Disk(Change::Transcript(dir.clone())), now());
    assert_eq!(m.transcript.len(), before + 1);
    assert!(
        screen(&m).contains("rate limited: 429 from upstream"),
        "{}",
        screen(&m)
    );
    // Appending half a line shows nothing until the rest arrives.
    let path = dir.join("transcript.jsonl");
    let line = "{\"type\":\"signal\",\"run_id\":2,\"iteration\":3,\"agent\":\"codex\",\"signal\":\"DONE\"}\n";
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, &line.as_bytes()[..20]))
        .unwrap();
    step(&mut m, Msg::Disk(Change::Transcript(dir.clone())), now());
    assert_eq!(m.transcript.len(), before + 1);
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, &line.as_bytes()[20..]))
        .unwrap();
    step(&mut m, Msg::Disk(Change::Transcript(dir)), now());
    assert_eq!(m.transcript.len(), before + 2);
    assert!(screen(&m).contains("DONE"));
}

#[test]
fn a_store_changed_by_another_program_is_reloaded() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    m.focus = Pane::Board;
    let mut other = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    other
        .assign(
            "wa-zz01",
            "Brand new bead from NTM",
            9,
            "codex",
            "RedStone",
            "",
        )
        .unwrap();
    assert!(!screen(&m).contains("wa-zz01"));
    step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    assert!(screen(&m).contains("wa-zz01"));
    assert_eq!(m.board.store.as_ref().unwrap().stats().total, 9);
}

#[test]
fn a_manifest_caught_mid_write_keeps_its_last_good_copy() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    let dir = m.runs.selected().unwrap().dir.clone();
    let manifest = dir.join("manifest.json");
    let good = fs::read(&manifest).unwrap();
    fs::write(&manifest, b"").unwrap();
    step(&mut m, Msg::Disk(Change::Run(dir.clone())), now());
    assert!(m.runs.all().any(|r| r.dir == dir), "still listed");
    assert!(screen(&m).contains("1 unreadable"), "{}", screen(&m));
    assert!(
        next_wakeup(&m, now()).unwrap() <= Duration::from_millis(200),
        "a retry is scheduled"
    );
    fs::write(&manifest, &good).unwrap();
    step(&mut m, Msg::Tick, now() + chrono::Duration::seconds(1));
    assert!(m.runs.problems().is_empty());
    assert!(!screen(&m).contains("unreadable"));
}

#[test]
fn new_runs_appear_and_removed_ones_go() {
    let home = Home::golden();
    let mut m = home.model(200, 50, true);
    let created = Manager::new(Paths::new(home.agentpair()), "/home/dev/src/brand-new")
        .create("Ship the thing", &RunConfig::default())
        .unwrap();
    step(&mut m, Msg::Disk(Change::Runs), now());
    step(
        &mut m,
        Msg::Disk(Change::Run(created.dir().to_path_buf())),
        now(),
    );
    assert!(screen(&m).contains("brand-new #1"));
    fs::remove_dir_all(created.dir()).unwrap();
    step(
        &mut m,
        Msg::Disk(Change::Run(created.dir().to_path_buf())),
        now(),
    );
    assert!(!screen(&m).contains("brand-new #1"));
}

#[test]
fn paused_changes_wait_until_resumed() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    m.paused = Some(Default::default());
    let mut other = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    other.assign("wa-late", "t", 1, "codex", "", "").unwrap();
    step(&mut m, Msg::Disk(Change::Store("webapp".into())), now());
    assert!(m.board.store.as_ref().unwrap().get("wa-late").is_none());
    assert!(screen(&m).contains("paused (1 waiting)"), "{}", screen(&m));
    beadboard::app::act(&mut m, beadboard::app::action::Action::TogglePause, now());
    assert!(m.board.store.as_ref().unwrap().get("wa-late").is_some());
}

#[test]
fn resizing_changes_the_layout() {
    let home = Home::golden();
    let mut m = home.model(80, 24, true);
    assert!(!screen(&m).contains("Board webapp"));
    step(&mut m, Msg::Resize(200, 50), now());
    m.size = (200, 50);
    assert!(screen(&m).contains("Board webapp") && screen(&m).contains("Transcript"));
    step(&mut m, Msg::Resize(40, 10), now());
    assert!(screen(&m).contains("terminal too small"));
}

#[test]
fn sleeping_is_the_default() {
    let home = Home::empty();
    let m = home.model(80, 24, true);
    assert_eq!(
        next_wakeup(&m, now()),
        None,
        "nothing on screen moves with the clock: sleep until something happens"
    );
    let busy = Home::golden().model(80, 24, true);
    assert!(
        next_wakeup(&busy, now()).unwrap() <= Duration::from_secs(1),
        "active runs show a running clock"
    );
    // Only finished runs: their ages ("now", "5s ago") still move on, every second.
    let finished = Home::golden();
    for dir in ["runs/43d7567239bfd176/2", "runs/ea93126eefee3546/2"] {
        let _ = fs::remove_dir_all(finished.agentpair().join(dir));
    }
    let mut done = finished.model(80, 24, true);
    done.runs.set_active_only(false);
    assert!(
        done.runs.all().all(|r| r.is_complete()),
        "only finished runs"
    );
    assert!(next_wakeup(&done, now()).unwrap() <= Duration::from_secs(1));
}

#[test]
fn the_real_watcher_reports_a_grown_transcript() {
    let home = Home::golden();
    let dir = home.agentpair().join("runs/43d7567239bfd176/2");
    let (tx, rx) = mpsc::channel();
    let watch = Watch::start(
        &beadboard::config::Roots {
            agentpair: home.agentpair(),
            ntm: home.ntm(),
            beads: None,
            agents: Default::default(),
        },
        &tx,
        None,
    );
    assert!(watch.polling.is_none(), "{:?}", watch.polling);
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_iteration(3)
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let canonical = fs::canonicalize(&dir).unwrap();
    loop {
        let msg = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no event within 5 s");
        if matches!(&msg, Msg::Disk(Change::Transcript(d)) if *d == canonical) {
            break;
        }
    }
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store.mark_working("wa-9p4e").unwrap();
    loop {
        let msg = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no store event within 5 s");
        if matches!(&msg, Msg::Disk(Change::Store(s)) if s == "webapp") {
            break;
        }
    }
    drop(watch);
}

/// The dashboard's watcher watches run directories one by one while they are unfinished, and
/// lets go of a finished one: once unwatched, a change in it raises no event (a later change to
/// the store, watched all along, arrives alone: one inotify queue keeps events in order).
#[test]
fn a_finished_runs_watch_is_dropped() {
    let home = Home::golden();
    let dir = fs::canonicalize(home.agentpair().join("runs/43d7567239bfd176/2")).unwrap();
    let roots = beadboard::config::Roots {
        agentpair: home.agentpair(),
        ntm: home.ntm(),
        beads: None,
        agents: Default::default(),
    };
    let (tx, rx) = mpsc::channel();
    let classifier =
        beadboard::app::watch::Classifier::new(&roots.agentpair, &roots.ntm).with_listed_runs();
    let mut watch = Watch::start_with(&roots, classifier, &tx, None);
    assert!(watch.polling.is_none(), "{:?}", watch.polling);
    watch.watch_runs(vec![dir.clone()]).unwrap();
    assert_eq!(watch.runs_watched(), 1);
    let deadline = Instant::now() + Duration::from_secs(60);
    let next = || {
        rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no event within the deadline")
    };
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_iteration(3)
        .unwrap();
    while !matches!(next(), Msg::Disk(Change::Transcript(d)) if d == dir) {}
    watch.unwatch_runs(std::slice::from_ref(&dir));
    assert_eq!(watch.runs_watched(), 0);
    // Events of the append above not taken yet are taken now, up to a first sentinel.
    let mut store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    store.mark_working("wa-9p4e").unwrap();
    while !matches!(next(), Msg::Disk(Change::Store(s)) if s == "webapp") {}
    while rx.try_recv().is_ok() {}
    Transcript::new(dir.join("transcript.jsonl"), 2)
        .log_iteration(4)
        .unwrap();
    store.mark_completed("wa-9p4e").unwrap();
    loop {
        match next() {
            Msg::Disk(Change::Store(s)) if s == "webapp" => break,
            Msg::Disk(Change::Transcript(d) | Change::Run(d) | Change::RunActivity(d))
                if d == dir =>
            {
                panic!("an unwatched run's change raised an event")
            }
            _ => {}
        }
    }
    // The keeper forgets it: a rewatch does not watch it again.
    watch.attach().unwrap();
    assert_eq!(watch.runs_watched(), 0);
}

/// While other programs (the real CLI, in separate processes) assign, start and complete beads,
/// the dashboard re-reads the store as fast as it can: every view it shows is a state that was
/// committed (no read error, no torn file, no bead moving backwards, counts that add up), and
/// the last one has every change.
#[test]
fn the_board_stays_consistent_while_other_programs_write() {
    let home = Home::empty();
    AssignmentStore::new(&home.ntm(), "busy")
        .unwrap()
        .assign("seed", "Seed", 0, "claude", "", "")
        .unwrap();
    let mut m = home.model(120, 30, true);
    m.board.open_session("busy");
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let ntm = home.ntm();
            let private = home.dir.path().to_path_buf();
            std::thread::spawn(move || {
                for b in 0..12 {
                    let bead = format!("w{w}-{b:02}");
                    let steps: [&[&str]; 3] = [
                        &[
                            "assign",
                            "busy",
                            &bead,
                            "--title",
                            "T",
                            "--pane",
                            "1",
                            "--agent-type",
                            "codex",
                        ],
                        &["start", "busy", &bead],
                        &["complete", "busy", &bead],
                    ];
                    for args in steps {
                        let out = common::beadboard(&private)
                            .arg("--ntm-dir")
                            .arg(&ntm)
                            .args(args)
                            .output()
                            .unwrap();
                        assert!(
                            out.status.success(),
                            "{args:?}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                }
            })
        })
        .collect();
    let rank = |s: &str| {
        ["assigned", "working", "completed"]
            .iter()
            .position(|x| *x == s)
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut views = 0;
    let mut last_total = 0;
    while views < 20 || writers.iter().any(|w| !w.is_finished()) {
        step(&mut m, Msg::Disk(Change::Store("busy".into())), now());
        assert_eq!(m.board.error, None, "a read during writes failed");
        let store = m.board.store.as_ref().unwrap();
        let total = store.stats().total;
        assert!(
            total >= last_total,
            "beads vanished: {last_total} -> {total}"
        );
        last_total = total;
        let shown: usize = m.board.columns().iter().map(|c| c.ids.len()).sum();
        assert_eq!(shown, total, "the columns show every bead once");
        for a in store.get_all() {
            let r =
                rank(a.status.as_str()).unwrap_or_else(|| panic!("unexpected status {}", a.status));
            let before = seen.insert(a.bead_id.clone(), r).unwrap_or(0);
            assert!(r >= before, "{} went backwards", a.bead_id);
        }
        views += 1;
    }
    for w in writers {
        w.join().unwrap();
    }
    step(&mut m, Msg::Disk(Change::Store("busy".into())), now());
    let stats = m.board.store.as_ref().unwrap().stats();
    assert_eq!(
        (stats.total, stats.completed),
        (37, 36),
        "every change arrived"
    );
    m.focus = Pane::Board;
    assert!(screen(&m).contains("✓ completed 36"), "{}", screen(&m));
}

/// A sessions directory that cannot be listed is named on the board, not shown as "no stores".
#[test]
fn an_unreadable_sessions_directory_is_named() {
    let home = Home::empty();
    fs::create_dir_all(home.ntm()).unwrap();
    fs::write(home.ntm().join("sessions"), b"not a directory").unwrap();
    let mut m = home.model(120, 30, true);
    m.focus = Pane::Board;
    let text = screen(&m);
    assert!(
        text.contains("The sessions directory cannot be read:") && text.contains("sessions"),
        "{text}"
    );
}
