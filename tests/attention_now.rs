//! Attention means "needs you now", on runs made with an injected `now`: an old failure and
//! one a later run took over need nobody, one review FAIL is the loop at work, and what `A`
//! acknowledged stays acknowledged across a restart (a new model reading the cache directory).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_arguments
)]

mod common;

use beadboard::app::event::Msg;
use beadboard::app::keymap::Keymap;
use beadboard::app::model::{Model, Overlay, Settings};
use beadboard::app::step;
use beadboard::config::Roots;
use beadboard::persist::run::{EntryType, Manifest, State, TranscriptEntry, repo_id_from_path};
use chrono::{DateTime, Utc};
use common::dash::{press, status};
use std::path::{Path, PathBuf};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// The clock of these tests.
fn now() -> DateTime<Utc> {
    at("2026-11-22T16:05:00Z")
}

/// Writes run `id` of `repo` with `prompt`, `state`, started at `started` and last saved (and
/// finished, when it is) at `ended`; its transcript's entries carry `signals` (one iteration
/// each).
fn write_run(
    root: &Path,
    repo: &str,
    id: i64,
    prompt: &str,
    state: State,
    started: &str,
    ended: &str,
    signals: &[&str],
) -> PathBuf {
    let dir = root
        .join("runs")
        .join(repo_id_from_path(repo))
        .join(id.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let mut m = Manifest::new(id, repo, &repo_id_from_path(repo), prompt);
    m.state = state.clone();
    m.created_at = at(started).fixed_offset();
    m.updated_at = at(ended).fixed_offset();
    if state.is_terminal() {
        m.completed_at = Some(at(ended).fixed_offset());
    }
    m.save_as_is(&dir.join("manifest.json")).unwrap();
    let mut lines = String::new();
    for (n, signal) in signals.iter().enumerate() {
        let n = i64::try_from(n).unwrap() + 1;
        let mut it = TranscriptEntry::new(EntryType::Iteration);
        it.iteration = n;
        it.timestamp = at(ended).fixed_offset();
        lines.push_str(&it.to_line());
        let mut s = TranscriptEntry::new(EntryType::Signal);
        s.iteration = n;
        s.agent = "claude".into();
        s.signal = (*signal).into();
        s.timestamp = at(ended).fixed_offset();
        lines.push_str(&s.to_line());
    }
    std::fs::write(dir.join("transcript.jsonl"), lines).unwrap();
    // The files changed when the run last did something.
    let t = std::time::SystemTime::from(at(ended));
    for f in ["manifest.json", "transcript.jsonl"] {
        std::fs::File::options()
            .write(true)
            .open(dir.join(f))
            .unwrap()
            .set_modified(t)
            .unwrap();
    }
    dir
}

fn model(root: &Path, cache: &Path) -> Model {
    let roots = Roots {
        agentpair: root.join("ap"),
        ntm: root.join("ntm"),
        beads: None,
        agents: Default::default(),
    };
    let settings = Settings {
        cache_dir: Some(cache.to_path_buf()),
        ..Settings::default()
    };
    Model::load_at(roots, settings, Keymap::default(), (120, 40), now())
}

fn flagged(m: &Model) -> Vec<String> {
    let mut names: Vec<String> = m
        .observer
        .needing_attention()
        .iter()
        .filter_map(|i| m.observer.standing(i).map(|s| s.name))
        .collect();
    names.sort();
    names
}

#[test]
fn only_what_needs_you_now_counts() {
    let home = tempfile::tempdir().unwrap();
    let ap = home.path().join("ap");
    // A year-old failure: history.
    write_run(
        &ap,
        "/src/api",
        1,
        "old work",
        State::Failed,
        "2025-11-20T09:00:00Z",
        "2025-11-20T10:00:00Z",
        &[],
    );
    // A failure this morning that a later run of the same prompt took over.
    write_run(
        &ap,
        "/src/api",
        2,
        "fix the importer",
        State::Failed,
        "2026-11-22T08:00:00Z",
        "2026-11-22T09:00:00Z",
        &[],
    );
    write_run(
        &ap,
        "/src/api",
        3,
        "fix the importer",
        State::Completed,
        "2026-11-22T09:30:00Z",
        "2026-11-22T10:00:00Z",
        &["PASS"],
    );
    // A failure this afternoon nothing took over: this one needs you.
    write_run(
        &ap,
        "/src/api",
        4,
        "add the export",
        State::Failed,
        "2026-11-22T14:00:00Z",
        "2026-11-22T15:00:00Z",
        &[],
    );
    // Running, FAIL then PASS: the loop at work.
    write_run(
        &ap,
        "/src/web",
        1,
        "style the page",
        State::Working,
        "2026-11-22T15:00:00Z",
        "2026-11-22T16:04:00Z",
        &["FAIL", "PASS"],
    );
    // Running, FAIL once and iterating: still the loop at work.
    write_run(
        &ap,
        "/src/web",
        2,
        "fix the header",
        State::Working,
        "2026-11-22T15:00:00Z",
        "2026-11-22T16:04:00Z",
        &["FAIL"],
    );
    // Running, three FAILs in a row: needs you.
    write_run(
        &ap,
        "/src/web",
        3,
        "fix the footer",
        State::Working,
        "2026-11-22T15:00:00Z",
        "2026-11-22T16:04:00Z",
        &["FAIL", "FAIL", "FAIL"],
    );
    let cache = home.path().join("cache");
    let m = model(home.path(), &cache);
    assert_eq!(flagged(&m), ["api #4", "web #3"]);
    let (c, _) = m
        .observer
        .run_condition(
            &ap.join("runs")
                .join(repo_id_from_path("/src/web"))
                .join("3"),
            now(),
        )
        .unwrap();
    assert_eq!(
        c.reason,
        "FAIL from claude in 3 iterations in a row (iteration 3)"
    );
    let header = common::dash::screen(&m);
    assert!(header.contains("⚑ 2 need you (i)"), "{header}");
    // A day later both are history.
    let mut later = m;
    step(&mut later, Msg::Tick, now() + chrono::Duration::hours(25));
    assert!(flagged(&later).is_empty(), "{:?}", flagged(&later));
}

#[test]
fn acknowledged_stays_acknowledged_across_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let ap = home.path().join("ap");
    write_run(
        &ap,
        "/src/api",
        4,
        "add the export",
        State::Failed,
        "2026-11-22T14:00:00Z",
        "2026-11-22T15:00:00Z",
        &[],
    );
    write_run(
        &ap,
        "/src/api",
        5,
        "add the import",
        State::Failed,
        "2026-11-22T14:30:00Z",
        "2026-11-22T15:10:00Z",
        &[],
    );
    let cache = home.path().join("cache");
    let mut m = model(home.path(), &cache);
    assert_eq!(flagged(&m), ["api #4", "api #5"]);
    // `A` asks first; Enter is not yes.
    press(&mut m, "A");
    assert!(matches!(&m.overlay, Some(Overlay::Confirm(c)) if c.title == "Acknowledge these 2?"));
    press(&mut m, "Enter");
    assert!(m.overlay.is_some(), "Enter is not yes");
    press(&mut m, "n");
    assert_eq!(flagged(&m).len(), 2, "n acknowledges nothing");
    // Under a filter, only what is shown.
    press(&mut m, "/");
    common::dash::type_text(&mut m, "#4");
    press(&mut m, "Enter");
    press(&mut m, "A y");
    assert!(
        status(&m).starts_with("acknowledged 1; 1 still need"),
        "{}",
        status(&m)
    );
    assert_eq!(flagged(&m), ["api #5"]);
    let effects = m.take_effects();
    beadboard::app::settle(&mut m, effects, now());
    assert!(cache.join("acknowledged.json").exists());

    // A new model reading the same cache directory: still acknowledged.
    let again = model(home.path(), &cache);
    assert_eq!(flagged(&again), ["api #5"]);
    // The run fails again (a new situation): it counts again, and the old acknowledgement
    // is dropped from the file.
    write_run(
        &ap,
        "/src/api",
        4,
        "add the export",
        State::Failed,
        "2026-11-22T14:00:00Z",
        "2026-11-22T15:30:00Z",
        &[],
    );
    let changed = model(home.path(), &cache);
    assert_eq!(flagged(&changed), ["api #4", "api #5"]);
    let kept = beadboard::persist::acks::load(&cache).unwrap();
    assert!(kept.is_empty(), "{kept:?}");
}

/// `A`'s question says each reason as it is when drawn: a stale run's quiet time grows while
/// the question waits for an answer.
#[test]
fn the_question_says_how_long_as_it_is_drawn() {
    let home = tempfile::tempdir().unwrap();
    let ap = home.path().join("ap");
    write_run(
        &ap,
        "/src/api",
        7,
        "port the importer",
        State::Working,
        "2026-11-22T15:00:00Z",
        "2026-11-22T15:30:00Z",
        &[],
    );
    let cache = home.path().join("cache");
    let mut m = model(home.path(), &cache);
    press(&mut m, "A");
    let asked = common::dash::screen_at(&m, now());
    assert!(asked.contains("api #7: stale: quiet for 35m00s"), "{asked}");
    let later = common::dash::screen_at(&m, now() + chrono::Duration::minutes(10));
    assert!(later.contains("api #7: stale: quiet for 45m00s"), "{later}");
}
