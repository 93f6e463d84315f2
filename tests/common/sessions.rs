//! Several NTM sessions for the session picker and the all-sessions board: the golden home
//! (session `webapp`, its store changed 5 minutes before [`now`]) plus `api` (changed 1 minute
//! before), `billing` (2 hours before) and `broken` (a store that is not JSON, 3 days before).
//! Every record and file time is fixed, so relative times on screen never depend on the day.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::dash::{Home, file_time};
use std::fs::File;
use std::path::Path;
use std::time::Duration;

/// One record: bead id, title, status, pane, agent type.
pub type Row<'a> = (&'a str, &'a str, &'a str, i64, &'a str);

/// Writes a seed-era store for `session` under `ntm` with `rows` (assigned at fixed times
/// in the day before [`super::dash::now`]), changed `ago` before [`file_time`]'s reference.
pub fn write_store(ntm: &Path, session: &str, rows: &[Row<'_>], ago: Duration) {
    let dir = ntm.join("sessions").join(session);
    std::fs::create_dir_all(&dir).unwrap();
    let mut records = serde_json::Map::new();
    for (i, (bead, title, status, pane, agent)) in rows.iter().enumerate() {
        let mut r = serde_json::json!({
            "bead_id": bead,
            "bead_title": title,
            "pane": pane,
            "agent_type": agent,
            "agent_name": format!("{session}_{agent}_{pane}"),
            "status": status,
            "assigned_at": format!("2026-11-22T1{i}:00:00Z"),
            "prompt_sent": format!("Work on bead {bead}: {title}."),
        });
        if *status != "assigned" {
            r["started_at"] = serde_json::json!(format!("2026-11-22T1{i}:05:00Z"));
        }
        if *status == "completed" {
            r["completed_at"] = serde_json::json!(format!("2026-11-22T1{i}:30:00Z"));
        }
        records.insert((*bead).to_owned(), r);
    }
    let doc = serde_json::json!({ "session_name": session, "assignments": records });
    let path = dir.join("assignments.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    set_changed(&path, ago);
}

/// Sets `path`'s modification time to `ago` before the frozen file time plus 5 minutes (that
/// is, `ago` before [`super::dash::now`]).
pub fn set_changed(path: &Path, ago: Duration) {
    let at = file_time() + Duration::from_secs(300) - ago;
    File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(at)
        .unwrap();
}

impl Home {
    /// The golden home plus sessions `api`, `billing` and `broken` (see the module doc).
    pub fn sessions() -> Home {
        let home = Home::golden();
        let ntm = home.ntm();
        write_store(
            &ntm,
            "api",
            &[
                (
                    "api-1",
                    "Rate limit the token endpoint",
                    "assigned",
                    1,
                    "claude",
                ),
                ("api-2", "Paginate /v2/orders", "working", 2, "codex"),
                ("api-3", "Drop the v1 routes", "completed", 3, "claude"),
            ],
            Duration::from_secs(60),
        );
        write_store(
            &ntm,
            "billing",
            &[("bl-1", "Invoice PDF footer", "working", 1, "gemini")],
            Duration::from_secs(2 * 3600),
        );
        let broken = ntm.join("sessions/broken");
        std::fs::create_dir_all(&broken).unwrap();
        std::fs::write(broken.join("assignments.json"), "{").unwrap();
        set_changed(
            &broken.join("assignments.json"),
            Duration::from_secs(3 * 86_400),
        );
        home
    }
}
