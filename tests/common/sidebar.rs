//! The sidebar fixture ([`Home::sidebar`]): the golden runs, and a session whose bead ids are
//! 11 to 14 characters long in every column, with a beads file of ready beads.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::dash::{Home, freeze_times, now};
use std::path::PathBuf;

/// Every bead id of the sidebar fixture, ready beads included.
pub const SIDEBAR_IDS: [&str; 12] = [
    "sidebar-ux-7q2",
    "docs-keys-t3b",
    "perf-idle-cpu",
    "auth-7k2m9x1q",
    "notif-push-9b",
    "i18n-fr-de-77",
    "api-rl-8h3k2",
    "ui-dark-m0de9",
    "db-migr-20x7",
    "e2e-flaky-c4t",
    "csv-export-r1",
    "obs-otel-tr4c3",
];

impl Home {
    /// A home for the sidebar layout: the golden runs, and a session `sidebar` whose bead
    /// ids are 11 to 14 characters long in every column (assigned, with a retry and an
    /// attention flag, working, completed, failed, reassigned), plus a beads file of ready
    /// beads with long ids (`ntm/beads/issues.jsonl`, see [`Home::beads`]). Every time in
    /// it is fixed relative to [`now`].
    pub fn sidebar() -> Home {
        use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore, Clock};
        let home = Home::empty();
        super::copy_tree(
            &super::fixture("upstream/agentpair/home-agentpair"),
            &home.agentpair(),
        );
        let tick = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        // From 50 minutes before `now`, one minute later at every reading.
        let clock = Clock::from_fn(move || {
            let n = tick.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (now() - chrono::Duration::minutes(50) + chrono::Duration::minutes(n)).fixed_offset()
        });
        let mut store = AssignmentStore::new(&home.ntm(), "sidebar")
            .unwrap()
            .with_clock(clock);
        let cards: [(&str, &str, i64, &str); 9] = [
            (
                "auth-7k2m9x1q",
                "Rotate refresh tokens on every login",
                1,
                "claude",
            ),
            (
                "notif-push-9b",
                "Send push notifications for failed builds",
                2,
                "codex",
            ),
            (
                "api-rl-8h3k2",
                "Rate-limit POST /api/login per client, not per proxy",
                3,
                "codex",
            ),
            (
                "ui-dark-m0de9",
                "Dark mode toggle on the settings page",
                4,
                "gemini",
            ),
            (
                "db-migr-20x7",
                "Migrate the session store to Redis",
                5,
                "claude",
            ),
            (
                "e2e-flaky-c4t",
                "Fix the flaky checkout end-to-end test",
                6,
                "codex",
            ),
            ("csv-export-r1", "Add CSV export to reports", 7, "claude"),
            (
                "obs-otel-tr4c3",
                "Add OpenTelemetry tracing to the API gateway",
                8,
                "gemini",
            ),
            (
                "i18n-fr-de-77",
                "French and German translations",
                9,
                "codex",
            ),
        ];
        for (id, title, pane, agent) in cards {
            store
                .assign(
                    id,
                    title,
                    pane,
                    agent,
                    &format!("sidebar_{agent}_{pane}"),
                    "",
                )
                .unwrap();
        }
        for id in [
            "api-rl-8h3k2",
            "ui-dark-m0de9",
            "db-migr-20x7",
            "e2e-flaky-c4t",
        ] {
            store.mark_working(id).unwrap();
        }
        for id in ["db-migr-20x7", "e2e-flaky-c4t"] {
            store.mark_completed(id).unwrap();
        }
        store
            .mark_failed("csv-export-r1", "tests still red after two tries")
            .unwrap();
        store.mark_failed("notif-push-9b", "agent crashed").unwrap();
        store.retry("notif-push-9b").unwrap();
        store.mark_working("obs-otel-tr4c3").unwrap();
        store
            .update_status("obs-otel-tr4c3", AssignmentStatus::Reassigned)
            .unwrap();
        let beads = home.beads();
        std::fs::create_dir_all(beads.parent().unwrap()).unwrap();
        let line = |id: &str, title: &str, priority: u8, kind: &str, hours: i64| {
            let created = (now() - chrono::Duration::hours(hours)).to_rfc3339();
            format!(
                r#"{{"id":"{id}","title":"{title}","status":"open","priority":{priority},"issue_type":"{kind}","created_at":"{created}"}}"#
            )
        };
        let file = [
            line(
                "sidebar-ux-7q2",
                "Portrait layout for tall narrow tmux panes",
                1,
                "feature",
                5,
            ),
            line(
                "docs-keys-t3b",
                "Regenerate the README key table",
                2,
                "docs",
                30,
            ),
            line(
                "perf-idle-cpu",
                "Keep idle CPU under one percent",
                3,
                "task",
                50,
            ),
        ]
        .join("\n");
        std::fs::write(&beads, file + "\n").unwrap();
        freeze_times(home.dir.path());
        home
    }

    /// The beads file of [`Home::sidebar`].
    pub fn beads(&self) -> PathBuf {
        self.ntm().join("beads/issues.jsonl")
    }
}
