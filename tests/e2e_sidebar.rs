//! End to end in a tmux sidebar: the real binary in a 64×45 pane shows Runs and the Board at
//! once, every bead id on the board whole (ids 11–14 characters long), and `l`/`h` reach every
//! column and come back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::sidebar::SIDEBAR_IDS;
use common::tmux::Session;

/// The columns, left to right, as their headers read.
const COLUMNS: [&str; 6] = [
    "◇ ready 3",
    "○ assigned 3",
    "▶ working 2",
    "✓ completed 2",
    "✗ failed 1",
    "→ reassigned 1",
];

#[test]
fn a_64x45_pane_shows_runs_and_every_bead_id_and_reaches_every_column() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::sidebar();
    let s = Session::open(&home, 64, 45, &[], &[("BEADBOARD_BEADS", home.beads())]);
    // Two panes at once, without a key pressed.
    let first = s.wait_until(
        |screen| {
            screen.contains("Runs 5")
                && screen.contains("◇ ready 3")
                && screen.contains("Board sidebar")
                && screen.contains("webapp #2")
        },
        "Runs and Board stacked",
    );
    let mut seen = vec![first];
    s.send(&["3"]);
    seen.push(s.wait_for("n assign"));
    for header in &COLUMNS[1..] {
        s.send(&["l"]);
        // Wait for the column's header to be on screen with the focus in it (its own keys in
        // the footer differ per column, so wait on the header and settle on the next frame).
        seen.push(s.wait_for(header));
    }
    // At the last column nothing is hidden to the right any more.
    seen.push(s.wait_until(
        |screen| !screen.contains("more ▸") && screen.contains("◂ "),
        "the right end",
    ));
    for _ in 1..COLUMNS.len() {
        s.send(&["h"]);
    }
    seen.push(s.wait_until(
        |screen| !screen.contains("◂ ") && screen.contains("more ▸"),
        "the left end",
    ));
    let all = seen.concat();
    for header in COLUMNS {
        assert!(all.contains(header), "{header} never shown:\n{all}");
    }
    for id in SIDEBAR_IDS {
        assert!(all.contains(id), "{id} never shown whole:\n{all}");
    }
    // No id is ever cut: no screen shows the start of an id (past its first `-`, so the
    // session name `sidebar…` in a message does not count) followed by `…`.
    for screen in &seen {
        for id in SIDEBAR_IDS {
            let past_dash = id.find('-').map_or(1, |i| i + 2);
            for cut in past_dash..id.len() {
                assert!(
                    !screen.contains(&format!("{}…", &id[..cut])),
                    "{id} cut:\n{screen}"
                );
            }
        }
    }
    s.send(&["q"]);
    s.wait_for(common::tmux::EXITED);
}
