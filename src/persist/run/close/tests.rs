//! Closing runs: refusals, what is written, and the iteration kept.

use super::*;
use crate::persist::gojson::{self, GoTime};
use crate::persist::run::{Manager, Paths, RunConfig, TranscriptEntry};

#[test]
fn closes_a_quiet_run_and_refuses_live_or_finished_ones() {
    let home = tempfile::tempdir().unwrap();
    let m = Manager::new(Paths::new(home.path()), "/repo");
    let mut run = m.create("p", &RunConfig::default()).unwrap();
    run.manifest.set_state(State::Working);
    run.save().unwrap();
    let err = close_run(
        run.dir(),
        State::Cancelled,
        "",
        false,
        Duration::from_secs(600),
    )
    .unwrap_err();
    assert!(matches!(err, RunError::Live { .. }), "{err}");
    let closed = close_run(run.dir(), State::Cancelled, "stuck", false, Duration::ZERO).unwrap();
    assert_eq!(closed.state, State::Cancelled);
    assert!(closed.completed_at.is_some());
    assert_eq!(closed.metadata["close_reason"], "stuck");
    let entries = run.transcript.read_all().unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| e.entry_type.clone())
            .collect::<Vec<_>>(),
        vec![EntryType::State, EntryType::End]
    );
    assert_eq!(entries[1].state, Some(State::Cancelled));
    let again = close_run(run.dir(), State::Cancelled, "", true, Duration::ZERO).unwrap_err();
    assert!(matches!(again, RunError::AlreadyFinished { .. }));
    assert!(close_run(run.dir(), State::Working, "", true, Duration::ZERO).is_err());
}

/// 2026-03-30T09:00:00Z plus `seconds`.
fn at(seconds: i64) -> GoTime {
    gojson::parse_time("2026-03-30T09:00:00Z").unwrap() + chrono::Duration::seconds(seconds)
}

/// A run whose manifest says `state`/`saved_iteration`, last saved at `saved`, with the
/// transcript `entries` (type, iteration, seconds), as agentpair left it when its process died.
fn died(
    home: &Path,
    state: State,
    saved_iteration: i64,
    saved: i64,
    entries: &[(EntryType, i64, i64)],
) -> std::path::PathBuf {
    let mut run = Manager::new(Paths::new(home), "/repo")
        .create("p", &RunConfig::default())
        .unwrap();
    run.manifest.state = state;
    run.manifest.current_iteration = saved_iteration;
    run.manifest.created_at = at(0);
    run.manifest.updated_at = at(saved);
    run.manifest
        .save_as_is(&run.dir().join(MANIFEST_FILE))
        .unwrap();
    for (entry_type, iteration, seconds) in entries {
        let mut e = TranscriptEntry::new(entry_type.clone());
        e.timestamp = at(*seconds);
        e.run_id = run.manifest.id;
        e.iteration = *iteration;
        run.transcript.append_as_is(&e).unwrap();
    }
    run.dir().to_path_buf()
}

fn closed_iteration(dir: &Path) -> i64 {
    let closed = close_run(dir, State::Cancelled, "stale", false, Duration::ZERO).unwrap();
    let on_disk = Manifest::load(&dir.join(MANIFEST_FILE)).unwrap();
    assert_eq!(on_disk.current_iteration, closed.current_iteration);
    assert_eq!(on_disk.state, State::Cancelled);
    closed.current_iteration
}

#[test]
fn closing_keeps_the_iteration_the_transcript_is_on() {
    use EntryType::{Execute, Iteration, Result, Start, State as StateLine};
    let home = tempfile::tempdir().unwrap();
    // Died inside iteration 1: the manifest was last saved as working/0 before it began.
    let first = died(
        home.path(),
        State::Working,
        0,
        2,
        &[
            (Start, 0, 1),
            (StateLine, 0, 2),
            (Iteration, 1, 3),
            (Execute, 1, 3),
            (Result, 1, 60),
        ],
    );
    assert_eq!(closed_iteration(&first), 1);
    // Died in iteration 2, after a FAIL consensus saved working/1.
    let second = died(
        home.path(),
        State::Working,
        1,
        100,
        &[
            (Start, 0, 1),
            (Iteration, 1, 3),
            (Result, 1, 99),
            (Iteration, 2, 101),
        ],
    );
    assert_eq!(closed_iteration(&second), 2);
    // Saved reviewing/2 after codex's DONE in iteration 2: nothing is ahead of the manifest.
    let reviewing = died(
        home.path(),
        State::Reviewing,
        2,
        200,
        &[
            (Start, 0, 1),
            (Iteration, 1, 3),
            (Iteration, 2, 150),
            (Result, 2, 199),
        ],
    );
    assert_eq!(closed_iteration(&reviewing), 2);
    // Resumed at 3 (the transcript counts from 1 again): agentpair's counter is on 4.
    let resumed = died(
        home.path(),
        State::Working,
        3,
        500,
        &[
            (Start, 0, 1),
            (Iteration, 3, 300),
            (Start, 0, 499),
            (Iteration, 1, 501),
            (Result, 1, 560),
        ],
    );
    assert_eq!(closed_iteration(&resumed), 4);
    // Never started an iteration: stays 0.
    let never = died(home.path(), State::Submitted, 0, 2, &[(Start, 0, 1)]);
    assert_eq!(closed_iteration(&never), 0);
}

#[test]
fn a_manifest_saved_after_the_transcript_still_keeps_the_transcript_iteration() {
    // The save time is later than every line (another tool saved it): the transcript's own
    // iteration number is still a floor.
    let home = tempfile::tempdir().unwrap();
    let dir = died(
        home.path(),
        State::Working,
        0,
        1000,
        &[(EntryType::Start, 0, 1), (EntryType::Iteration, 1, 3)],
    );
    assert_eq!(closed_iteration(&dir), 1);
}
