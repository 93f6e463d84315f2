//! End to end, in a real tmux: `c` asks first, `n` (and Enter) write nothing, `c` `y`
//! completes, and `u` gives the store file back byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::{AssignmentStatus, AssignmentStore};
use common::dash::Home;
use common::tmux::{EXITED, Session};
use std::fs;

#[test]
fn c_asks_n_writes_nothing_y_completes_and_u_restores_the_exact_bytes() {
    if !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let path = home.ntm().join("sessions/webapp/assignments.json");
    let before = fs::read(&path).unwrap();
    let s = Session::open(&home, 100, 30, &[], &[]);
    s.wait_for("webapp #2");
    s.send(&["3", "l"]);
    s.wait_for("▶ working 2");
    s.send(&["c"]);
    s.wait_for("Complete wa-5tq0?");
    s.send(&["n"]);
    s.wait_until(|x| !x.contains("Complete wa-5tq0?"), "the dialog closed");
    assert_eq!(fs::read(&path).unwrap(), before, "n writes nothing");
    // Enter is not yes: the dialog stays until n closes it, and nothing is written.
    s.send(&["c"]);
    s.wait_for("Complete wa-5tq0?");
    s.send(&["Enter", "n"]);
    s.wait_until(|x| !x.contains("Complete wa-5tq0?"), "the dialog closed");
    assert_eq!(fs::read(&path).unwrap(), before, "Enter writes nothing");
    s.send(&["c"]);
    s.wait_for("Complete wa-5tq0?");
    s.send(&["y"]);
    s.wait_for("wa-5tq0 completed");
    let store = AssignmentStore::load_store(&home.ntm(), "webapp").unwrap();
    assert_eq!(
        store.get("wa-5tq0").unwrap().status,
        AssignmentStatus::Completed
    );
    s.send(&["u"]);
    s.wait_for("completed undone");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "u restores the exact bytes"
    );
    s.wait_for("▶ working 2");
    s.send(&["q"]);
    s.wait_for(&format!("{EXITED}-0"));
}
