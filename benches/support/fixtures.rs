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
        agents: Default::default(),
    };
    Model::load_at(
        roots,
        Settings::default(),
        Keymap::default(),
        (200, 50),
        chrono::Utc::now(),
    )
}

/// A schema-9 store of `beads` beads, each a copy of NTM's own `wa-01` row (assigned, with a
/// claim, a reservation and a sent dispatch) on its own `%N` pane, with its `.bak` equal to it,
/// as NTM leaves them.
pub fn write_v9_store(ntm: &Path, session: &str, beads: usize) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upstream/ntm-v9/00-start/assignments.json");
    let mut doc = StoreDocument::from_bytes(&std::fs::read(golden).unwrap()).unwrap();
    let template = doc.assignments["wa-01"].clone();
    doc.session_name = session.to_owned();
    doc.assignments.clear();
    for i in 0..beads {
        let id = format!("bb-{i:05}");
        let mut a = template.clone();
        a.bead_id.clone_from(&id);
        a.extra
            .insert("occupancy_key".into(), format!("%{i}").into());
        a.extra
            .insert("idempotency_key".into(), format!("{i:064x}").into());
        doc.assignments.insert(id, a);
    }
    let dir = ntm.join("sessions").join(session);
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = doc.to_bytes();
    std::fs::write(dir.join("assignments.json"), &bytes).unwrap();
    std::fs::write(dir.join("assignments.json.bak"), &bytes).unwrap();
}
