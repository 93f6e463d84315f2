//! Stores written by today's NTM (schema 9) for dashboard tests: a home whose NTM root holds
//! one folder of NTM's golden stores (`tests/fixtures/upstream/ntm-v9/*`) as session `webapp`,
//! and the fixed clock they are drawn at, a little after NTM wrote them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::dash::{Home, freeze_times, press_at, screen_at};
use beadboard::app::model::Model;
use chrono::{DateTime, Utc};

/// The clock schema-9 views are drawn at: 2026-11-30T00:00:00Z, 18m35s after NTM wrote
/// `00-start` (its rows were assigned at 2026-11-29T23:41:24–25Z).
pub fn now9() -> DateTime<Utc> {
    "2026-11-30T00:00:00Z".parse().unwrap()
}

impl Home {
    /// A home whose NTM root has session `webapp` with the two files NTM left in `folder`
    /// (`assignments.json` and `.bak`, copied; no lock file, as a reader never needs one).
    pub fn ntm9(folder: &str) -> Home {
        let home = Home::empty();
        let from = super::fixture("upstream/ntm-v9").join(folder);
        let to = home.ntm().join("sessions/webapp");
        std::fs::create_dir_all(&to).unwrap();
        for name in ["assignments.json", "assignments.json.bak"] {
            if from.join(name).exists() {
                std::fs::copy(from.join(name), to.join(name)).unwrap();
            }
        }
        std::fs::create_dir_all(home.agentpair()).unwrap();
        freeze_times(home.dir.path());
        home
    }

    /// The session's primary store file.
    pub fn store9(&self) -> std::path::PathBuf {
        self.ntm().join("sessions/webapp/assignments.json")
    }

    /// A model of size `w`×`h` on this home, loaded at [`now9`], with the board shown.
    pub fn model9(&self, w: u16, h: u16) -> Model {
        let mut m = self.model_at(w, h, true, None, now9());
        press9(&mut m, "3");
        m
    }
}

/// Presses keys by name at [`now9`].
pub fn press9(model: &mut Model, keys: &str) {
    press_at(model, keys, now9());
}

/// The screen as drawn at [`now9`].
pub fn screen9(model: &Model) -> String {
    screen_at(model, now9())
}

/// What NTM's watcher does once claims and leases are released: the requested status is
/// recorded with its time (and reason), the barrier fields go, the generation advances, and the
/// snapshot is published to both files.
pub fn ntm_finishes(dir: &std::path::Path, bead: &str, now: &str) {
    let path = dir.join("assignments.json");
    let mut doc =
        beadboard::persist::assignment::StoreDocument::from_bytes(&std::fs::read(&path).unwrap())
            .unwrap();
    let Some(r) = doc.assignments.get_mut(bead) else {
        return;
    };
    let Some(status) = r
        .extra
        .get("pending_terminal_status")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let reason = r
        .extra
        .get("pending_terminal_reason")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_owned();
    let t = beadboard::persist::gojson::parse_time(now).unwrap();
    r.status = beadboard::persist::assignment::AssignmentStatus::parse(&status);
    if status == "completed" {
        r.completed_at = Some(t);
    } else {
        r.failed_at = Some(t);
        r.fail_reason = reason;
    }
    for k in [
        "clear_state",
        "clear_started_at",
        "pending_terminal_status",
        "pending_terminal_reason",
    ] {
        r.extra.shift_remove(k);
    }
    let g = doc.persistence_generation().unwrap();
    doc.set_persistence_generation(g + 1);
    let bytes = doc.to_bytes();
    std::fs::write(dir.join("assignments.json.bak"), &bytes).unwrap();
    std::fs::write(&path, &bytes).unwrap();
}
