//! A dashboard with a beads file and many stores, for the cost of one store change against how
//! many beads the other stores and the file hold: `beads` working beads spread over 20
//! stores (each in its own pane, so binding wants every one of them), a beads file naming
//! those beads and as many again that no store has (the ready column), and a small store,
//! `live`, whose records change.
#![allow(dead_code)]

use beadboard::app::model::{Model, Settings};
use beadboard::persist::assignment::{Assignment, AssignmentStatus};
use chrono::{DateTime, Duration, Utc};

/// Stores the working beads are spread over.
pub const STORES: usize = 20;

/// Records of the store that changes.
pub const LIVE: usize = 10;

/// The moment the dashboard is built at.
pub fn at() -> DateTime<Utc> {
    "2026-03-30T12:00:00Z".parse().unwrap()
}

/// A record of `bead` in pane `pane`, in `status`.
pub fn record(bead: &str, pane: i64, status: AssignmentStatus) -> Assignment {
    let when = (at() - Duration::hours(1)).fixed_offset();
    let mut a = Assignment::new(bead, "a bead", pane, "claude", "", "", when);
    a.status = status;
    a
}

/// The `live` store's records: `LIVE` beads, the first one in `first`'s status.
pub fn live(first: AssignmentStatus) -> Vec<Assignment> {
    (0..LIVE)
        .map(|i| {
            let status = if i == 0 {
                first.clone()
            } else {
                AssignmentStatus::Working
            };
            record(&format!("lb-{i:02}"), i64::try_from(i).unwrap(), status)
        })
        .collect()
}

/// The beads file: `bb-i` (in a store) and `rb-i` (ready) for each `i < beads`, and the
/// `live` store's beads; priorities and ages vary so the ready order is not the file's.
fn beads_file(beads: usize) -> beadboard::persist::beads::BeadsFile {
    use std::fmt::Write as _;
    let mut text = String::new();
    let ids = (0..beads)
        .flat_map(|i| [format!("bb-{i:05}"), format!("rb-{i:05}")])
        .chain((0..LIVE).map(|i| format!("lb-{i:02}")));
    for (n, id) in ids.enumerate() {
        let created = at() - Duration::minutes(i64::try_from(n % 997).unwrap());
        writeln!(
            text,
            r#"{{"id":"{id}","title":"bead {id}","status":"open","priority":{},"created_at":"{}"}}"#,
            n % 4,
            created.to_rfc3339()
        )
        .unwrap();
    }
    beadboard::persist::beads::parse_beads(
        std::path::Path::new("/bench/beads.jsonl"),
        text.as_bytes(),
    )
}

/// The dashboard: binding on, its beads file read, its stores observed (as a moment after it
/// starts), the `live` store read once.
pub fn dashboard(beads: usize) -> Model {
    use beadboard::app::event::Msg;
    use beadboard::app::keymap::Keymap;
    use beadboard::app::outcome::{Outcome, SeenStore, SessionSeen};
    use beadboard::config::Roots;
    let roots = Roots {
        agentpair: "/bench/ap".into(),
        ntm: "/bench/ntm".into(),
        beads: Some("/bench/beads.jsonl".into()),
        agents: Default::default(),
    };
    let settings = Settings {
        bind_panes: Some(beadboard::tmux::Tmux::default()),
        ..Settings::default()
    };
    let now = at();
    let mut model = Model::new(roots, settings, Keymap::default(), (200, 50), now);
    let mut stores: Vec<Vec<Assignment>> = vec![Vec::new(); STORES];
    for i in 0..beads {
        let pane = i64::try_from(i / STORES).unwrap();
        let a = record(&format!("bb-{i:05}"), pane, AssignmentStatus::Working);
        stores[i % STORES].push(a);
    }
    let sessions = stores
        .into_iter()
        .enumerate()
        .map(|(n, records)| SessionSeen {
            session: format!("s{n}"),
            read: SeenStore::Records(Some(records)),
            history: None,
        })
        .chain([SessionSeen {
            session: "live".to_owned(),
            read: SeenStore::Records(Some(live(AssignmentStatus::Working))),
            history: None,
        }])
        .collect();
    let observed = Outcome::SessionsObserved {
        sessions,
        announce: false,
    };
    beadboard::app::update::update(&mut model, Msg::Done(observed), now);
    let read = Outcome::BeadsRead(Ok(beads_file(beads)));
    beadboard::app::update::update(&mut model, Msg::Done(read), now);
    model.take_effects();
    model
}
