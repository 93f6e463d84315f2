//! Fixtures the benchmarks share: a store document of N beads spread over the first few
//! statuses, written where NTM keeps it, and a dashboard model on a pair of roots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use beadboard::app::keymap::Keymap;
use beadboard::app::model::{Model, Settings};
use beadboard::config::Roots;
use beadboard::persist::assignment::{Assignment, AssignmentStatus, StoreDocument};
use beadboard::persist::gojson;
use std::path::Path;

/// A store of `beads` beads (`bb-00000`…), cycling through the first `statuses` statuses,
/// each assigned a second after the one before.
pub fn store(session: &str, beads: usize, statuses: usize) -> StoreDocument {
    let now = gojson::now();
    let mut doc = StoreDocument::new(session, now);
    for i in 0..beads {
        let id = format!("bb-{i:05}");
        let at = now + chrono::Duration::seconds(i64::try_from(i).unwrap());
        let mut a = Assignment::new(&id, &format!("Benchmark bead {i}"), 1, "claude", "", "", at);
        a.status = AssignmentStatus::KNOWN[i % statuses].clone();
        doc.assignments.insert(id, a);
    }
    doc
}

/// Writes `doc` as `<ntm>/sessions/<session>/assignments.json`.
pub fn write_store(ntm: &Path, doc: &StoreDocument) {
    let dir = ntm.join("sessions").join(&doc.session_name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("assignments.json"), doc.to_bytes()).unwrap();
}

/// The dashboard at 200×50 on `<home>/ap` and `<home>/ntm`.
pub fn model(home: &Path) -> Model {
    let roots = Roots {
        agentpair: home.join("ap"),
        ntm: home.join("ntm"),
        beads: None,
    };
    Model::load_at(
        roots,
        Settings::default(),
        Keymap::default(),
        (200, 50),
        chrono::Utc::now(),
    )
}
