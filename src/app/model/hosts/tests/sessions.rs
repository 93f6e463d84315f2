//! Other hosts' sessions on the board and in the picker: summed up from their cards, listed
//! after this machine's (filtered by `gpu1:webapp`), one picked is shown alone, and this
//! machine's session list arriving afterwards does not take its place.

use super::*;
use crate::app::model::{CardKey, PickRow, SessionPicker};
use crate::persist::assignment::SessionInfo;

fn bead(session: &str, bead: &str, to: &str) -> Value {
    json!({"event": "bead", "at": "2026-03-30T08:59:00Z", "kind": "bead",
        "session": session, "name": bead, "reference": format!("{session}/{bead}"),
        "title": "Do it", "pane": 2, "agent": "claude", "bead": bead, "to": to})
}

fn shown(m: &Model) -> Vec<String> {
    let mut ids: Vec<String> = m
        .board
        .columns()
        .iter()
        .flat_map(|c| c.ids.iter().map(CardKey::shown_id))
        .collect();
    ids.sort();
    ids
}

#[test]
fn hosts_sessions_are_listed_picked_and_kept() {
    let mut m = model(&["gpu1", "gpu2"]);
    let now = at("2026-03-30T09:00:01Z");
    let gpu1 = vec![
        bead("webapp", "wa-1", "working"),
        bead("webapp", "wa-2", "failed"),
        bead("ml", "ml-1", "assigned"),
    ];
    step(&mut m, snapshot("gpu1", gpu1), now);
    step(
        &mut m,
        snapshot("gpu2", vec![bead("webapp", "wa-1", "completed")]),
        now,
    );
    // Summed up per host and session, in that order.
    let sessions: Vec<(String, usize, usize)> = m
        .board
        .host_sessions()
        .into_iter()
        .map(|s| (s.name(), s.stats.total, s.stats.failed))
        .collect();
    assert_eq!(
        sessions,
        [
            ("gpu1:ml".to_owned(), 1, 0),
            ("gpu1:webapp".to_owned(), 2, 1),
            ("gpu2:webapp".to_owned(), 1, 0)
        ]
    );
    // Every host's card is on the board while this machine shows no session.
    assert_eq!(
        shown(&m),
        ["gpu1:ml-1", "gpu1:wa-1", "gpu1:wa-2", "gpu2:wa-1"]
    );
    // The picker lists them after this machine's sessions; the filter finds them by host.
    let mut p = SessionPicker::new(None);
    p.set_hosts(m.board.host_sessions());
    assert_eq!(
        p.rows().len(),
        4,
        "all sessions, then gpu1's two and gpu2's"
    );
    p.set_filter("gpu1:".to_owned());
    assert_eq!(p.rows(), [PickRow::HostSession(0), PickRow::HostSession(1)]);
    p.move_by(1);
    let row = p.selected_row().unwrap();
    assert_eq!(p.host_session(row), Some(("gpu1", "webapp")));
    assert_eq!(p.session(row).unwrap().name, "gpu1:webapp");
    // New cards keep the selection on the same session.
    step(&mut m, event("gpu1", bead("api", "api-1", "working")), now);
    p.set_hosts(m.board.host_sessions());
    assert_eq!(
        p.host_session(p.selected_row().unwrap()),
        Some(("gpu1", "webapp"))
    );
    // Picked, it is shown alone.
    m.board.open_host_session("gpu1", "webapp");
    assert_eq!(shown(&m), ["gpu1:wa-1", "gpu1:wa-2"]);
    // This machine's sessions arriving do not take its place; opening one of them does.
    let info = SessionInfo {
        name: "local".to_owned(),
        store_path: "/nowhere/ntm/sessions/local/assignments.json".into(),
    };
    m.board.apply_sessions(Ok(vec![(info, None)]), true);
    assert!(m.board.host_session.is_some() && m.board.session.is_none());
    m.board.open_session("local");
    assert!(m.board.host_session.is_none());
}
