//! The Runs pane takes a scan page by page: the first page (every active run and the most
//! recent finished ones) is listed at once with "reading N of M…" in the pane's title, later
//! pages are appended in order, a run read again meanwhile is never listed twice, and what the
//! first scan finds is shown but not announced. A rescan's pages are gathered and replace the
//! list only when complete, so the list never shows half of one; what it finds new is news.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::effect::Effect;
use beadboard::app::event::Msg;
use beadboard::app::keymap::Keymap;
use beadboard::app::model::{Model, Settings};
use beadboard::app::outcome::{Outcome, RunRead};
use beadboard::app::step;
use beadboard::config::Roots;
use beadboard::events::Event;
use beadboard::persist::run::{LoadOptions, Paths, RunLoader, RunPage, ToSummary};
use common::dash::{Home, now, screen};
use std::path::{Path, PathBuf};

/// Writes run `id` of repo `repo` in `state`, updated `minutes` before [`now`].
fn write_run(root: &Path, repo: &str, id: u32, state: &str, minutes: i64) -> PathBuf {
    let dir = root.join("runs").join(repo).join(id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let at = (now() - chrono::Duration::minutes(minutes)).to_rfc3339();
    let done = if matches!(state, "completed" | "failed") {
        format!(r#","completed_at":"{at}""#)
    } else {
        String::new()
    };
    let manifest = format!(
        r#"{{"id":{id},"repo_path":"/src/{repo}","repo_id":"{repo}","prompt":"task {id}","state":"{state}","max_iterations":9,"current_iteration":1,"created_at":"{at}","updated_at":"{at}"{done}}}"#
    );
    let path = dir.join("manifest.json");
    std::fs::write(&path, manifest).unwrap();
    let file = std::fs::File::options().append(true).open(&path).unwrap();
    file.set_modified((now() - chrono::Duration::minutes(minutes)).into())
        .unwrap();
    dir
}

/// 2 active runs and 10 finished ones (run 5 failed), each a minute apart.
fn history(home: &Home) {
    let root = home.agentpair();
    for id in 1..=12u32 {
        let state = match id {
            11 | 12 => "working",
            5 => "failed",
            _ => "completed",
        };
        write_run(&root, "api", id, state, i64::from(100 - id));
    }
}

/// A new model on `home`, and the work it asked for first (none of it run).
fn unstarted(home: &Home) -> (Model, Vec<Effect>) {
    let roots = Roots {
        agentpair: home.agentpair(),
        ntm: home.ntm(),
        beads: None,
        agents: Default::default(),
    };
    // The golden store's situations (February) count as news, as in the other view tests.
    let settings = Settings {
        attention_window: common::dash::GOLDEN_WINDOW,
        ..Settings::default()
    };
    let mut m = Model::new(roots, settings, Keymap::default(), (100, 20), now());
    let effects = m.take_effects();
    (m, effects)
}

/// A model on `home` that has asked for its first scan (not yet run).
fn fresh(home: &Home) -> Model {
    let (m, effects) = unstarted(home);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ScanRuns { now: at, .. } if *at == now())),
        "the first scan is asked for, as of the model's clock"
    );
    m
}

/// The pages a scan of `home` hands out: 2 finished runs in the first page, then 4 a page.
fn pages(home: &Home) -> Vec<RunPage> {
    let mut options = LoadOptions::new(now());
    options.first_finished = 2;
    options.page_size = 4;
    RunLoader::open(&Paths::new(home.agentpair()), &options).collect()
}

fn deliver(m: &mut Model, page: RunPage) {
    let msg = Msg::Done(Outcome::RunsPage {
        runs: page.runs,
        first: page.first,
        loaded: page.loaded,
        total: page.total,
        problems: Vec::new(),
    });
    step(m, msg, now());
}

fn names(m: &Model) -> Vec<String> {
    m.runs.all().map(|r| r.run_key.clone()).collect()
}

#[test]
fn the_first_scan_is_listed_page_by_page_in_order_and_not_announced() {
    let home = Home::empty();
    history(&home);
    let mut m = fresh(&home);
    assert!(screen(&m).contains("Reading runs in"), "{}", screen(&m));
    let mut pages = pages(&home).into_iter();
    deliver(&mut m, pages.next().unwrap());
    assert_eq!(
        names(&m),
        ["12", "11", "10", "9"],
        "active, then the 2 most recent"
    );
    let shown = screen(&m);
    assert!(
        shown.contains("Runs 4 · by state · reading 4 of 12…"),
        "{shown}"
    );
    assert_eq!(m.runs.selected().unwrap().run_key, "12");

    for page in pages {
        deliver(&mut m, page);
    }
    let all: Vec<String> = [
        "12", "11", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(names(&m), all);
    let shown = screen(&m);
    assert!(shown.contains("Runs 12 "), "{shown}");
    assert!(
        !shown.contains(" of 12…"),
        "the title stops saying so: {shown}"
    );
    assert!(
        m.notices.is_empty(),
        "what the first scan found was there before: {:?}",
        m.notices
    );
    assert!(
        m.observer.attention_count() >= 1,
        "the failed run still shows as needing attention"
    );
}

#[test]
fn a_run_read_again_during_the_first_scan_keeps_its_newer_copy() {
    let home = Home::empty();
    history(&home);
    let mut m = fresh(&home);
    let mut pages = pages(&home).into_iter();
    deliver(&mut m, pages.next().unwrap());
    // Run 2 changes before its page arrives: the change is read at once.
    let dir = write_run(&home.agentpair(), "api", 2, "failed", 1);
    let record = beadboard::persist::run::RunRecord::load(&dir).unwrap();
    let read = RunRead::Loaded(Box::new(record.to_summary().into_owned()));
    step(
        &mut m,
        Msg::Done(Outcome::RunLoaded {
            dir: dir.clone(),
            read,
            retry: false,
        }),
        now(),
    );
    for page in pages {
        deliver(&mut m, page);
    }
    assert_eq!(m.runs.all().len(), 12, "listed once: {:?}", names(&m));
    let run = m.runs.get(&dir).unwrap();
    assert_eq!(run.state().as_str(), "failed", "the newer copy");
}

#[test]
fn a_rescan_replaces_the_list_only_when_complete_and_announces_what_is_new() {
    let home = Home::empty();
    history(&home);
    let mut m = fresh(&home);
    for page in pages(&home) {
        deliver(&mut m, page);
    }
    // Meanwhile: run 3 vanished, run 13 appeared and failed.
    std::fs::remove_dir_all(home.agentpair().join("runs/api/3")).unwrap();
    write_run(&home.agentpair(), "api", 13, "failed", 0);
    let mut rescan = pages(&home).into_iter();
    deliver(&mut m, rescan.next().unwrap());
    assert_eq!(
        m.runs.all().len(),
        12,
        "the whole old list stays until the rescan ends"
    );
    assert!(m.runs.get(&home.agentpair().join("runs/api/3")).is_some());
    assert!(!screen(&m).contains(" of 12…"), "a rescan is quiet");
    for page in rescan {
        deliver(&mut m, page);
    }
    assert_eq!(m.runs.all().len(), 12);
    assert!(m.runs.get(&home.agentpair().join("runs/api/3")).is_none());
    let new = home.agentpair().join("runs/api/13");
    assert!(m.runs.get(&new).is_some());
    let announced = m.notices.iter().any(
        |e| matches!(e, Event::Attention { reference, new: true, .. } if reference == "api/13"),
    );
    assert!(announced, "the new failed run is news: {:?}", m.notices);
}

#[test]
fn once_watching_starts_only_runs_that_changed_meanwhile_are_read_again() {
    let home = Home::empty();
    history(&home);
    let mut m = fresh(&home);
    for page in pages(&home) {
        deliver(&mut m, page);
    }
    // Between the scan and the watch: run 4 failed, run 3 vanished, run 13 appeared.
    let changed = write_run(&home.agentpair(), "api", 4, "failed", 0);
    std::fs::remove_dir_all(home.agentpair().join("runs/api/3")).unwrap();
    let new = write_run(&home.agentpair(), "api", 13, "working", 0);
    let watching = Msg::Done(Outcome::Watching {
        polling: None,
        fell_back: false,
    });
    let effects = beadboard::app::update::update(&mut m, watching, now());
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::ScanRuns { .. })),
        "no second scan of the whole history"
    );
    let Some(Effect::VerifyRuns { known, .. }) = effects
        .iter()
        .find(|e| matches!(e, Effect::VerifyRuns { .. }))
    else {
        panic!("the listed runs are checked against the disk: {effects:?}");
    };
    assert_eq!(known.len(), 12, "every listed run, with its stamp");
    assert!(known.iter().all(|r| r.stamp.is_some()));
    beadboard::app::settle(&mut m, effects, now());
    assert_eq!(m.runs.all().len(), 12, "{:?}", names(&m));
    assert_eq!(m.runs.get(&changed).unwrap().state().as_str(), "failed");
    assert!(m.runs.get(&home.agentpair().join("runs/api/3")).is_none());
    assert!(m.runs.get(&new).is_some());
}

#[test]
fn a_finished_run_resumed_is_noticed_by_the_minutely_check_and_then_watched() {
    let home = Home::empty();
    history(&home);
    let mut m = fresh(&home);
    for page in pages(&home) {
        deliver(&mut m, page);
    }
    let watching = Msg::Done(Outcome::Watching {
        polling: None,
        fell_back: false,
    });
    let runs = home.agentpair().join("runs/api");
    let asked: Vec<u32> = (1..=12)
        .filter(|i| m.runs.watch_asked(&runs.join(i.to_string())))
        .collect();
    assert_eq!(
        asked,
        [11, 12],
        "only the unfinished runs get a watch of their own"
    );
    let effects = beadboard::app::update::update(&mut m, watching, now());
    beadboard::app::settle(&mut m, effects, now());
    // agentpair resumes finished run 2: no watch sees it, the next check does.
    let resumed = write_run(&home.agentpair(), "api", 2, "working", 0);
    let soon = now() + chrono::Duration::seconds(30);
    let effects = beadboard::app::update::update(&mut m, Msg::Tick, soon);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::VerifyRuns { .. })),
        "not before a minute has passed"
    );
    let later = now() + chrono::Duration::seconds(61);
    let effects = beadboard::app::update::update(&mut m, Msg::Tick, later);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::VerifyRuns { .. })),
        "{effects:?}"
    );
    beadboard::app::settle(&mut m, effects, later);
    assert_eq!(
        m.runs.get(&resumed).unwrap().state().as_str(),
        "working",
        "read again"
    );
    assert!(m.runs.watch_asked(&resumed), "and watched from now on");
    assert!(
        !m.runs.watch_asked(&runs.join("3")),
        "finished runs are not"
    );
    // It finishes again: once read (and its end observed), its watch is let go.
    write_run(&home.agentpair(), "api", 2, "completed", 0);
    beadboard::app::step(
        &mut m,
        Msg::Disk(beadboard::app::event::Change::Run(resumed.clone())),
        later,
    );
    assert_eq!(m.runs.get(&resumed).unwrap().state().as_str(), "completed");
    // (The run whose transcript is open keeps its watch until it is closed; this one's is not.)
    assert_ne!(m.transcript.run_dir(), Some(resumed.as_path()));
    assert!(!m.runs.watch_asked(&resumed), "its watch is dropped");
    assert_eq!(
        m.runs.watches(),
        2,
        "the two unfinished runs alone are watched"
    );
}

#[test]
fn finished_fine_runs_are_not_remembered_yet_a_run_finishing_is_news() {
    let home = Home::empty();
    history(&home);
    let mut m = fresh(&home);
    for page in pages(&home) {
        deliver(&mut m, page);
    }
    let runs = home.agentpair().join("runs/api");
    let load = |dir: &Path| {
        beadboard::persist::run::RunRecord::load(dir)
            .unwrap()
            .to_summary()
            .into_owned()
    };
    // Seen again, a finished run that is fine is no news (and nothing was kept of it).
    let done = load(&runs.join("4"));
    assert!(m.observer.run(&done.dir, Some(&done), now()).is_empty());
    let standing = m
        .observer
        .standing(&beadboard::events::Item::Run(done.dir.clone()));
    assert!(standing.is_none(), "{standing:?}");
    // The failed one is remembered: it needs a look.
    let failed = beadboard::events::Item::Run(runs.join("5"));
    assert!(m.observer.standing(&failed).is_some());
    // A running one that finishes: the change is news, then it is forgotten.
    let dir = write_run(&home.agentpair(), "api", 12, "completed", 0);
    let finished = load(&dir);
    let events = m.observer.run(&dir, Some(&finished), now());
    assert!(
        events.iter().any(
            |e| matches!(e, Event::Run { from: Some(f), to: Some(t), .. }
            if f == "working" && t == "completed")
        ),
        "{events:?}"
    );
    assert!(m.observer.run(&dir, Some(&finished), now()).is_empty());
}

/// A store read before every store's first (quiet) read, as the board's own read of its
/// session can be, finds what was there before the dashboard started: shown, not announced.
#[test]
fn a_store_read_before_the_first_quiet_read_of_every_store_announces_nothing() {
    let home = Home::golden();
    let (mut m, early) = unstarted(&home);
    assert!(
        !early
            .iter()
            .any(|e| matches!(e, Effect::ObserveSessions { .. })),
        "the stores are read for attention after the first page of runs"
    );
    let store =
        beadboard::persist::assignment::AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    let loaded = Msg::Done(Outcome::StoreLoaded {
        session: "webapp".into(),
        read: beadboard::app::outcome::StoreRead::Loaded(Box::new(store)),
    });
    let effects = beadboard::app::update::update(&mut m, loaded, now());
    assert!(m.notices.is_empty(), "{:?}", m.notices);
    assert!(
        m.observer.attention_count() >= 1,
        "yet what needs a look shows"
    );
    // Watching starts before the first page: it asks for no announcing read either.
    let watching = Msg::Done(Outcome::Watching {
        polling: None,
        fell_back: false,
    });
    let more = beadboard::app::update::update(&mut m, watching, now());
    assert!(
        !effects
            .iter()
            .chain(&more)
            .any(|e| matches!(e, Effect::ObserveSessions { announce: true, .. })),
        "{more:?}"
    );
    // The first page asks for every store's first read, quietly.
    let page = RunLoader::open(&Paths::new(home.agentpair()), &LoadOptions::new(now()))
        .next()
        .unwrap();
    let first = Msg::Done(Outcome::RunsPage {
        runs: page.runs,
        first: true,
        loaded: page.loaded,
        total: page.total,
        problems: Vec::new(),
    });
    let effects = beadboard::app::update::update(&mut m, first, now());
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::ObserveSessions {
                announce: false,
                ..
            }
        )),
        "{effects:?}"
    );
    beadboard::app::settle(&mut m, effects, now());
    assert!(m.sessions_observed);
    assert!(m.notices.is_empty(), "{:?}", m.notices);
}
