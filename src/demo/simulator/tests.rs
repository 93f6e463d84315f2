//! The simulator on a hand-driven clock: it moves, and it is still moving after the time a
//! visitor might watch (ten minutes at `--speed 4`), at any speed.

use super::*;
use crate::persist::beads::{read_beads, ready_at};
use crate::persist::run::{TRANSCRIPT_FILE, scan_runs};
use std::collections::BTreeSet;
use std::sync::atomic::AtomicU64;

/// A scratch directory, in memory where the system has one (`/dev/shm`): the simulator syncs
/// every write to disk, as the persistence layer does, and forty minutes of demo are thousands of
/// writes.
fn scratch() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

fn base() -> DateTime<Utc> {
    "2026-03-30T09:00:00Z".parse().unwrap()
}

/// A sandbox and a simulator at `speed` whose clock is the returned counter (milliseconds).
fn driven(dir: &std::path::Path, speed: f64) -> (Sandbox, Simulator, Arc<AtomicU64>) {
    let corpus = Corpus::load().unwrap();
    let sandbox = Sandbox::create_in(dir, 42, &corpus, base()).unwrap();
    let millis = Arc::new(AtomicU64::new(0));
    let read = Arc::clone(&millis);
    let clock: Elapsed = Arc::new(move || Duration::from_millis(read.load(Ordering::SeqCst)));
    let sim = Simulator::with_clock(&sandbox, corpus, 42, speed, base(), clock).unwrap();
    (sandbox, sim, millis)
}

/// What an onlooker sees moving: run directories, transcript lines, ready bead ids.
#[derive(Debug)]
struct Look {
    runs: usize,
    lines: usize,
    ready: BTreeSet<String>,
}

fn look(sandbox: &Sandbox, at: DateTime<Utc>) -> Look {
    let roots = sandbox.roots();
    let report = scan_runs(&Paths::new(&roots.agentpair));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let lines = report
        .runs
        .iter()
        .map(|r| {
            std::fs::read(r.dir.join(TRANSCRIPT_FILE))
                .map(|b| b.iter().filter(|c| **c == b'\n').count())
                .unwrap_or(0)
        })
        .sum();
    let store = AssignmentStore::load_store(&roots.ntm, SESSION).unwrap();
    let file = read_beads(&roots.beads.unwrap()).unwrap();
    assert!(file.notes.is_empty(), "{:?}", file.notes);
    let taken = |id: &str| store.get(id).is_some();
    let ready = ready_at(&file.beads, &taken, at.fixed_offset())
        .iter()
        .map(|b| b.id.clone())
        .collect();
    Look {
        runs: report.runs.len(),
        lines,
        ready,
    }
}

/// Runs the simulator until its clock reads `until`, a second at a time.
fn run_until(sim: &mut Simulator, millis: &AtomicU64, until: Duration) {
    while Duration::from_millis(millis.load(Ordering::SeqCst)) < until {
        millis.fetch_add(1000, Ordering::SeqCst);
        sim.advance();
    }
}

#[test]
fn the_world_moves() {
    let dir = scratch();
    let (sandbox, mut sim, millis) = driven(dir.path(), 1.0);
    let before = look(&sandbox, base());
    assert_eq!(before.ready.len(), 5, "{before:?}");
    run_until(&mut sim, &millis, Duration::from_secs(90));
    let after = look(&sandbox, base() + chrono::Duration::seconds(90));
    assert!(after.runs > before.runs, "runs were started");
    let store = AssignmentStore::load_store(&sandbox.roots().ntm, SESSION).unwrap();
    assert!(store.stats().total > 7, "ready beads were assigned");
    let history = crate::persist::assignment::read_history(&store.history_path()).unwrap();
    assert!(history.iter().any(|h| h.op == "start"));
    // The store's times are the simulator's clock.
    let latest = history.iter().map(|h| h.time.to_utc()).max().unwrap();
    assert!(latest > base() && latest <= base() + chrono::Duration::seconds(90));
}

/// Ten minutes at `--speed 4` (forty minutes of demo): new runs, new transcript lines and
/// new ready beads are still coming at the end.
#[test]
fn still_moving_after_ten_minutes_at_speed_four() {
    let dir = scratch();
    let (sandbox, mut sim, millis) = driven(dir.path(), 4.0);
    run_until(&mut sim, &millis, Duration::from_secs(8 * 60));
    let earlier = look(&sandbox, base() + chrono::Duration::minutes(8));
    run_until(&mut sim, &millis, Duration::from_secs(10 * 60));
    let end = look(&sandbox, base() + chrono::Duration::minutes(10));
    assert!(
        sim.ticks() > 1500,
        "about 40 demo minutes: {} steps",
        sim.ticks()
    );
    assert!(
        end.runs >= earlier.runs + 5,
        "runs still start: {earlier:?} then {end:?}"
    );
    assert!(end.lines > earlier.lines + 50, "transcripts still grow");
    assert!(!end.ready.is_empty(), "ready beads at the end: {end:?}");
    assert!(
        end.ready.difference(&earlier.ready).next().is_some(),
        "new ready beads keep coming: {earlier:?} then {end:?}"
    );
    // It stays small: old completed records are cleared, the beads file keeps few closed.
    let store = AssignmentStore::load_store(&sandbox.roots().ntm, SESSION).unwrap();
    assert!(
        store.stats().completed <= KEEP_COMPLETED,
        "{:?}",
        store.stats()
    );
    assert!(store.stats().total < 40, "{:?}", store.stats());
    // Nor does what it remembers: no change is kept for an undo that never comes.
    assert!(sim.store.take_changes().is_empty());
    // Runs keep finishing, too.
    let report = scan_runs(&Paths::new(&sandbox.roots().agentpair));
    let finished = report
        .runs
        .iter()
        .filter(|r| {
            r.manifest.is_complete()
                && r.finished_at()
                    .is_some_and(|t| t > base() + chrono::Duration::minutes(8))
        })
        .count();
    assert!(finished >= 5, "runs still finish: {finished}");
}

#[test]
fn any_speed_keeps_a_sane_pace() {
    for (speed, at_least, at_most) in [(0.25, 1, 40), (1000.0, 100, 16 * 60)] {
        let dir = scratch();
        let (_sandbox, mut sim, millis) = driven(dir.path(), speed);
        run_until(&mut sim, &millis, Duration::from_secs(60));
        let ticks = sim.ticks();
        assert!(
            (at_least..=at_most).contains(&ticks),
            "speed {speed}: {ticks} steps in a minute"
        );
    }
}
