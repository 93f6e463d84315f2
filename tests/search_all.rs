//! The search of every transcript in the dashboard (`F`), headless with a fixed clock: the
//! results list fills as matches stream in from the worker; a newer search stops the older one
//! and drops its results; Esc stops the worker and then closes the list; Enter opens the
//! match's run at the matching entry; `repo:` and `since:` narrow it. Snapshots of the list at
//! 80×24, 120×40 and 200×50.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::effect::{CorpusJob, Effect};
use beadboard::app::event::Msg;
use beadboard::app::model::corpus::CorpusState;
use beadboard::app::model::{Model, Overlay, Pane};
use beadboard::app::outcome::{CorpusEnd, Outcome};
use beadboard::app::update::update;
use beadboard::app::work::{self, Sink};
use beadboard::app::{keymap::Key, step};
use common::dash::{Home, now, press, screen, status, type_text};
use crossterm::event::{KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use insta::assert_snapshot;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// Presses `key` through `update` and returns the work it asks for, not done yet.
fn press_held(m: &mut Model, key: &str) -> Vec<Effect> {
    let key = Key::parse(key).unwrap();
    update(
        m,
        Msg::Key(KeyEvent::new(key.code, KeyModifiers::NONE)),
        now(),
    )
}

/// Types `query` into the search prompt (`F`) and presses Enter; returns the search's job,
/// not run yet.
fn ask(m: &mut Model, query: &str) -> CorpusJob {
    press(m, "F");
    type_text(m, query);
    let effects = press_held(m, "Enter");
    let mut jobs: Vec<CorpusJob> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::SearchCorpus(job) => Some(job),
            _ => None,
        })
        .collect();
    assert_eq!(jobs.len(), 1, "one search asked for");
    jobs.pop().unwrap()
}

/// Runs a search's job as its worker does, returning what it reported, in order.
fn run(job: &CorpusJob) -> Vec<Msg> {
    let out: Arc<Mutex<Vec<Msg>>> = Arc::default();
    let sink = {
        let out = Arc::clone(&out);
        Sink::new(move |msg| out.lock().unwrap().push(msg))
    };
    work::execute(Effect::SearchCorpus(job.clone()), &sink);
    std::mem::take(&mut *out.lock().unwrap())
}

fn hits_of(msg: &Msg) -> usize {
    match msg {
        Msg::Done(Outcome::Corpus(u)) => u.hits.len(),
        _ => 0,
    }
}

fn end_of(msg: &Msg) -> Option<CorpusEnd> {
    match msg {
        Msg::Done(Outcome::Corpus(u)) => u.end.clone(),
        _ => None,
    }
}

/// The run directory of the worked example (shown as `webapp #4`).
fn run4(home: &Home) -> std::path::PathBuf {
    home.agentpair().join("runs/43d7567239bfd176/4")
}

#[test]
fn the_targets_share_the_listed_runs_not_copies() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    let job = ask(&mut m, "tests");
    assert_eq!(job.targets.len(), m.runs.all().len());
    for t in job.targets.iter() {
        let listed = m.runs.get_shared(t.run_dir()).unwrap();
        assert!(
            std::ptr::eq(Arc::as_ptr(listed), t.run()),
            "{} is a copy of its run",
            t.reference()
        );
    }
}

#[test]
fn the_list_fills_as_matches_stream_in() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    let job = ask(&mut m, "tests");
    assert_eq!(m.overlay, Some(Overlay::Results));
    assert_eq!(
        job.targets.len(),
        m.runs.all().len(),
        "every run is searched"
    );
    assert!(screen(&m).contains("⋯ searching: 0 of 6 transcripts"));
    assert!(screen(&m).contains("no matches yet"));
    let messages = run(&job);
    // The first matches are reported at once, before the rest and before the end.
    assert!(messages.len() >= 3, "{} messages", messages.len());
    assert_eq!(
        hits_of(&messages[0]),
        1,
        "the first transcript's match first"
    );
    assert!(end_of(&messages[0]).is_none());
    assert_eq!(end_of(messages.last().unwrap()), Some(CorpusEnd::Finished));
    let mut messages = messages.into_iter();
    step(&mut m, messages.next().unwrap(), now());
    let c = m.corpus.as_ref().unwrap();
    assert_eq!((c.hits.len(), &c.state), (1, &CorpusState::Running));
    let shown = screen(&m);
    assert!(shown.contains("⋯ searching"), "{shown}");
    assert!(shown.contains("▌ api #2 line 1 ● start"), "{shown}");
    for msg in messages {
        step(&mut m, msg, now());
    }
    let c = m.corpus.as_ref().unwrap();
    assert_eq!((c.hits.len(), &c.state), (10, &CorpusState::Done));
    let shown = screen(&m);
    assert!(shown.contains("✓ 10 matches in 6 transcripts"), "{shown}");
    assert!(
        shown.contains("webapp #4 line 11 ◂ result"),
        "every match listed, in the Runs pane's order:\n{shown}"
    );
}

#[test]
fn a_newer_search_stops_the_older_and_drops_its_results() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    let older = ask(&mut m, "tests");
    // From the list, F asks again; what was typed is selected, so typing replaces it.
    let newer = ask(&mut m, "sliding-window");
    assert!(newer.id > older.id);
    assert!(
        older.cancel.load(Ordering::Relaxed),
        "the older search is told to stop"
    );
    for msg in run(&older) {
        step(&mut m, msg, now());
    }
    let c = m.corpus.as_ref().unwrap();
    assert_eq!(c.id, newer.id);
    assert!(c.hits.is_empty(), "the older search's matches are dropped");
    assert_eq!(c.state, CorpusState::Running);
    for msg in run(&newer) {
        step(&mut m, msg, now());
    }
    let c = m.corpus.as_ref().unwrap();
    assert_eq!((c.hits.len(), &c.state), (1, &CorpusState::Done));
    assert_eq!(c.hits[0].line, 5);
}

#[test]
fn esc_stops_the_worker_then_closes_the_list() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    let job = ask(&mut m, "tests");
    press(&mut m, "Esc");
    assert!(
        job.cancel.load(Ordering::Relaxed),
        "Esc sets the cancel flag"
    );
    assert_eq!(m.overlay, Some(Overlay::Results), "the list stays");
    assert!(screen(&m).contains("■ stopping"));
    // The worker, started now, stops at once and says so.
    let messages = run(&job);
    assert_eq!(end_of(messages.last().unwrap()), Some(CorpusEnd::Cancelled));
    assert!(messages.iter().all(|msg| hits_of(msg) == 0));
    for msg in messages {
        step(&mut m, msg, now());
    }
    let c = m.corpus.as_ref().unwrap();
    assert_eq!(c.state, CorpusState::Stopped);
    assert!(c.progress.files_done < c.progress.files);
    assert!(screen(&m).contains("■ stopped after 0 of 6 transcripts"));
    press(&mut m, "Esc");
    assert_eq!(m.overlay, None, "a second Esc closes the list");
}

#[test]
fn closing_the_list_while_searching_stops_the_worker() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    let job = ask(&mut m, "tests");
    press(&mut m, "Esc Esc");
    assert_eq!(m.overlay, None);
    assert!(job.cancel.load(Ordering::Relaxed));
    // A new prompt offers what was typed; Esc there goes back to the panes.
    press(&mut m, "F");
    let Some(Overlay::Form(form)) = &m.overlay else {
        panic!("no prompt: {:?}", m.overlay);
    };
    assert_eq!(form.value(0), "tests");
    press(&mut m, "Esc");
    assert_eq!(m.overlay, None);
}

#[test]
fn enter_opens_the_run_at_the_matching_entry() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    // Another run's transcript is open, and the Runs filter hides the run with the match.
    m.runs.set_filter("api #2".into());
    m.runs.ensure_selection();
    m.open_selected_transcript();
    beadboard::app::settle_pending(&mut m, now());
    press(&mut m, "F");
    type_text(&mut m, "sliding-window");
    press(&mut m, "Enter");
    let c = m.corpus.as_ref().unwrap();
    assert_eq!((c.hits.len(), &c.state), (1, &CorpusState::Done));
    let offset = c.hits[0].offset;
    assert!(
        screen(&m).contains("▌ webapp #4 line 5 ◂ result"),
        "{}",
        screen(&m)
    );
    press(&mut m, "Enter");
    assert_eq!(m.overlay, None, "the list closes");
    assert_eq!(m.focus, Pane::Transcript);
    assert_eq!(m.transcript.run_dir(), Some(run4(&home).as_path()));
    assert_eq!(m.runs.selected().unwrap().dir, run4(&home));
    assert!(m.runs.filter().is_empty(), "the filter gave way");
    let line = &m.transcript.lines()[m.transcript.cursor];
    assert_eq!(line.offset, offset);
    assert_eq!(line.number, Some(5));
    assert!(line.searchable().contains("sliding-window"));
    assert!(!m.transcript.follow);
    assert!(status(&m).contains("webapp #4, line 5"), "{}", status(&m));
    // In the same run, another match moves the cursor there.
    press(&mut m, "F");
    type_text(&mut m, "trust proxy");
    press(&mut m, "Enter j Enter");
    let line = &m.transcript.lines()[m.transcript.cursor];
    assert_eq!(line.number, Some(11), "the second match of `trust proxy`");
}

/// Opening a match near the end of a transcript from `F` shows it in context in a filled
/// view: the last line on the pane's last row, no empty rows below while lines above are
/// hidden (at 80×24, where the transcript has the screen).
#[test]
fn a_match_near_the_end_opens_in_a_filled_view() {
    let home = Home::golden();
    let mut m = home.model(80, 24, false);
    press(&mut m, "F");
    type_text(&mut m, "LGTM");
    press(&mut m, "Enter Enter");
    let shown = screen(&m);
    assert_eq!(m.focus, Pane::Transcript, "{shown}");
    assert!(shown.contains("LGTM"), "the match in sight:\n{shown}");
    let rows: Vec<&str> = shown.lines().collect();
    let bottom = rows
        .iter()
        .rposition(|r| r.contains('┛') || r.contains('┘'))
        .unwrap();
    assert!(
        rows[bottom - 1].contains("■ end"),
        "the last line on the last row, nothing empty below it:\n{shown}"
    );
}

#[test]
fn repo_and_since_words_narrow_the_search() {
    let home = Home::golden();
    let mut m = home.model(120, 40, false);
    press(&mut m, "F");
    type_text(&mut m, "tests repo:api");
    press(&mut m, "Enter");
    let c = m.corpus.as_ref().unwrap();
    assert_eq!(c.pattern, "tests");
    assert_eq!(c.targets.len(), 2, "the api runs only");
    assert_eq!(c.hits.len(), 2);
    // The worked example's entries are from March; the fixtures' others from 22 November.
    press(&mut m, "F");
    type_text(&mut m, "tests since:2026-11-01");
    press(&mut m, "Enter");
    assert_eq!(m.corpus.as_ref().unwrap().hits.len(), 5);
    press(&mut m, "F");
    type_text(&mut m, "tests since:1y");
    press(&mut m, "Enter");
    assert_eq!(m.corpus.as_ref().unwrap().hits.len(), 10);
    for (typed, why) in [
        ("tests since:someday", "since:\"someday\": give a duration"),
        ("tests repo:nope", "no runs of repo \"nope\""),
        ("repo:api", "type the text to find"),
    ] {
        press(&mut m, "F");
        type_text(&mut m, typed);
        press(&mut m, "Enter");
        let Some(Overlay::Form(form)) = &m.overlay else {
            panic!("{typed}: the prompt should stay open");
        };
        assert!(
            form.error.as_deref().unwrap_or("").contains(why),
            "{form:?}"
        );
        assert!(screen(&m).contains(why), "{}", screen(&m));
        press(&mut m, "Esc");
    }
}

#[test]
fn keys_and_the_wheel_move_through_the_list() {
    let home = Home::golden();
    let mut m = home.model(80, 24, false);
    press(&mut m, "F");
    type_text(&mut m, "tests");
    press(&mut m, "Enter");
    let selected = |m: &Model| m.corpus.as_ref().unwrap().selected;
    press(&mut m, "j j k");
    assert_eq!(selected(&m), 1);
    press(&mut m, "G");
    assert_eq!(selected(&m), 9);
    press(&mut m, "g PageDown");
    assert!(selected(&m) > 1);
    press(&mut m, "PageUp");
    assert_eq!(selected(&m), 0);
    let wheel = |m: &mut Model, kind| {
        let event = MouseEvent {
            kind,
            column: 40,
            row: 10,
            modifiers: KeyModifiers::NONE,
        };
        step(m, Msg::Mouse(event), now());
    };
    wheel(&mut m, MouseEventKind::ScrollDown);
    assert_eq!(selected(&m), 3);
    wheel(&mut m, MouseEventKind::ScrollUp);
    assert_eq!(selected(&m), 0);
    let shown = screen(&m);
    assert!(
        shown.contains("Enter open at this entry"),
        "the footer offers the list's keys:\n{shown}"
    );
}

/// The golden roots searched for `tests`, at `w`×`h`, the selection moved `down` rows.
fn results(w: u16, h: u16, down: usize) -> (Home, Model) {
    let home = Home::golden();
    let mut m = home.model(w, h, true);
    press(&mut m, "F");
    type_text(&mut m, "tests");
    press(&mut m, "Enter");
    for _ in 0..down {
        press(&mut m, "j");
    }
    (home, m)
}

#[test]
fn results_80x24() {
    let (_home, m) = results(80, 24, 7);
    assert_snapshot!("results_80x24", screen(&m));
}

#[test]
fn results_120x40() {
    let (_home, m) = results(120, 40, 0);
    assert_snapshot!("results_120x40", screen(&m));
}

#[test]
fn results_200x50() {
    let (_home, m) = results(200, 50, 8);
    assert_snapshot!("results_200x50", screen(&m));
}

#[test]
fn results_streaming_and_scrolled_60x15() {
    let home = Home::golden();
    let mut m = home.model(60, 15, true);
    let job = ask(&mut m, "tests");
    let mut messages = run(&job).into_iter();
    step(&mut m, messages.next().unwrap(), now());
    assert_snapshot!("results_streaming_60x15", screen(&m));
    for msg in messages {
        step(&mut m, msg, now());
    }
    press(&mut m, "G");
    assert_snapshot!("results_scrolled_60x15", screen(&m));
}
