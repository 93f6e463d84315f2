//! End to end, in tmux, on a store written by today's NTM (schema 9, `00-start` from NTM's
//! own code): the claiming and claimed columns are on the board, the claiming card with its
//! claim badge; `s` starts a bead by NTM's direct-write protocol; `x` asks NTM to fail one,
//! with a reason, as its terminal request, and its card says "failure requested" until NTM's
//! watcher (simulated) records the outcome; `r` shows the exact `ntm assign` command in a
//! dialog, runs nothing on `n`, and runs it (a stand-in `ntm` on PATH records the call) on `y`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::tmux::Session;
use serde_json::Value;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const STANDIN: &str = r#"#!/bin/sh
dir="$(dirname "$0")"
{ for a in "$@"; do printf '[%s]' "$a"; done; echo; } >> "$dir/calls"
echo '{"command":"assign","subcommand":"reassign","session":"webapp","timestamp":"2026-08-22T10:00:00Z","success":true,"data":{},"warnings":[]}'
"#;

struct V9Home {
    home: tempfile::TempDir,
}

impl V9Home {
    fn new() -> V9Home {
        V9Home::with_standin(STANDIN)
    }

    /// As [`V9Home::new`], with `standin` as the `ntm` on PATH.
    fn with_standin(standin: &str) -> V9Home {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".ntm/sessions/webapp");
        fs::create_dir_all(&dir).unwrap();
        let golden = common::fixture("upstream/ntm-v9/00-start");
        for name in ["assignments.json", "assignments.json.bak"] {
            fs::copy(golden.join(name), dir.join(name)).unwrap();
        }
        let bin = home.path().join("bin");
        fs::create_dir_all(&bin).unwrap();
        fs::write(bin.join("ntm"), standin).unwrap();
        fs::set_permissions(bin.join("ntm"), fs::Permissions::from_mode(0o755)).unwrap();
        V9Home { home }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.home.path().join(rel)
    }

    fn row(&self, bead: &str) -> Value {
        let text = fs::read_to_string(self.path(".ntm/sessions/webapp/assignments.json")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        doc["assignments"][bead].clone()
    }

    fn generation(&self) -> u64 {
        let text = fs::read_to_string(self.path(".ntm/sessions/webapp/assignments.json")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        doc["persistence_generation"].as_u64().unwrap()
    }

    fn calls(&self) -> String {
        fs::read_to_string(self.path("bin/calls")).unwrap_or_default()
    }

    fn open(&self) -> Session {
        let path = format!("{}:/usr/bin:/bin", self.path("bin").display());
        let mut env: Vec<(&str, PathBuf)> = common::dash::pinned().to_vec();
        env.extend([
            ("HOME", self.home.path().to_path_buf()),
            ("PATH", PathBuf::from(path)),
            ("BEADBOARD_NTM_DIR", self.path(".ntm")),
            ("BEADBOARD_AGENTPAIR_DIR", self.path("none")),
        ]);
        let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
        Session::start(200, 50, &[], &env)
    }
}

/// Filters the board down to one card (so it is selected whatever the order).
fn only(s: &Session, bead: &str) {
    s.send(&["/"]);
    s.type_text(bead);
    s.send(&["Enter"]);
    s.wait_for(&format!("/{bead}"));
}

/// `r` on the selected wa-01, pane %9, confirmed: until NTM's answer is shown.
fn reassign_wa01_to_pane_9(s: &Session) {
    s.send(&["r"]);
    s.wait_for("Reassign wa-01 with ntm assign");
    s.type_text("%9");
    s.send(&["Enter"]);
    s.wait_for("through ntm?");
    s.send(&["y"]);
    s.wait_for("wa-01: ntm done");
}

/// Whether a card on `screen` says "⇥ failure requested", on one row or wrapped onto two.
fn requested(screen: &str) -> bool {
    let rows: Vec<&str> = screen.lines().collect();
    rows.iter().any(|r| r.contains("⇥ failure requested"))
        || rows.windows(2).any(|w| {
            w[0].find("⇥ failure").is_some_and(|x| {
                let col = w[0][..x].chars().count();
                let below: String = w[1].chars().skip(col.saturating_sub(2)).take(14).collect();
                below.contains("requested")
            })
        })
}

#[test]
fn the_board_acts_on_todays_ntm_the_way_it_allows() {
    if !common::require("tmux") {
        return;
    }
    let home = V9Home::new();
    let s = home.open();
    s.wait_until(
        |x| x.contains("claiming") && x.contains("claimed") && x.contains("wa-04"),
        "the claiming and claimed columns with their cards",
    );
    // The claiming card says where its claim stands, and the footer why nothing acts on it.
    s.send(&["3"]);
    only(&s, "wa-04");
    s.wait_until(
        |x| {
            x.contains("◌ claiming 1")
                && x.contains("◔ claim unknown")
                && x.contains("⇢ pending %5")
                && x.contains("✗ no moves: NTM is still claiming it")
        },
        "the claiming card with its claim badge",
    );
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("/wa-04"), "the filter cleared");
    let before = home.generation();

    // s: a direct write of assigned → working, one generation on.
    only(&s, "wa-01");
    s.send(&["s"]);
    // It cannot be reversed by the table: it asks first.
    s.wait_for("y yes");
    s.send(&["y"]);
    s.wait_for("wa-01 started");
    assert_eq!(home.row("wa-01")["status"], "working");
    assert_eq!(home.generation(), before + 1);

    // x: asks for a reason, then writes NTM's failure request (never a bare status).
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("/wa-01"), "the filter cleared");
    only(&s, "wa-02");
    s.send(&["x"]);
    s.wait_for("Ask NTM to fail wa-02");
    s.type_text("tests still red");
    s.send(&["Enter"]);
    s.wait_for("wa-02 failure requested");
    // The card says so too (the status line has no ⇥; a column 15 wide wraps the badge after
    // "failure"), and the row stays in working.
    s.wait_until(
        |x| requested(x) && x.contains("▶ working 1"),
        "the failure request on wa-02's card",
    );
    let row = home.row("wa-02");
    assert_eq!(row["status"], "working", "the status is NTM's to change");
    assert_eq!(row["pending_terminal_status"], "failed");
    assert_eq!(row["pending_terminal_reason"], "tests still red");
    assert_eq!(row["clear_state"], "reservation_releasing");

    // r: the exact ntm command in a dialog; n runs nothing, y runs it.
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("/wa-02"), "the filter cleared");
    only(&s, "wa-01");
    s.send(&["r"]);
    s.wait_for("Reassign wa-01 with ntm assign");
    s.type_text("%9");
    s.send(&["Enter"]);
    let dialog = s.wait_for("through ntm?");
    assert!(
        dialog.contains("ntm assign webapp --reassign wa-01 --to-pane=%9 --json")
            || dialog.contains("ntm assign webapp --reassign=wa-01 --to-pane=%9 --json"),
        "{dialog}"
    );
    let unchanged = fs::read(home.path(".ntm/sessions/webapp/assignments.json")).unwrap();
    s.send(&["n"]);
    s.wait_until(|x| !x.contains("through ntm?"), "the dialog closed");
    assert_eq!(home.calls(), "", "nothing ran");
    reassign_wa01_to_pane_9(&s);
    assert!(home.calls().contains("[--to-pane=%9]"), "{}", home.calls());
    assert_eq!(
        fs::read(home.path(".ntm/sessions/webapp/assignments.json")).unwrap(),
        unchanged,
        "the file is NTM's to write on this route"
    );

    // wa-02 still says "failure requested" while the store has not changed…
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("/wa-01"), "the filter cleared");
    only(&s, "wa-02");
    s.wait_until(
        |x| requested(x) && x.contains("⇥ reason: tests"),
        "the request still on wa-02's card",
    );
    // …until NTM's watcher records the outcome: then it is a failed card with its reason.
    common::ntm9::ntm_finishes(
        &home.path(".ntm/sessions/webapp"),
        "wa-02",
        "2026-11-30T00:05:00Z",
    );
    s.wait_until(
        |x| !x.contains("⇥ failure") && x.contains("✗ failed 1") && x.contains("✗ tests still"),
        "wa-02 failed, its request gone",
    );
    assert_eq!(home.row("wa-02")["status"], "failed");
}

/// An `ntm` that leaves a grandchild holding its stdout open and exits: the dashboard's worker
/// still comes back with NTM's answer (it never waits for the pipe's end), the board stays live,
/// and the grandchild is stopped with `ntm`'s process group.
#[test]
fn an_ntm_whose_grandchild_holds_stdout_does_not_hang_the_board() {
    if !common::require("tmux") {
        return;
    }
    let standin = format!(
        "{}\necho $$ > \"$dir/pgid\"\nsleep 1000 &\n",
        STANDIN.trim_end()
    );
    let home = V9Home::with_standin(&standin);
    let s = home.open();
    s.wait_for("wa-01");
    s.send(&["3"]);
    only(&s, "wa-01");
    reassign_wa01_to_pane_9(&s);
    // Live: a key is answered.
    s.send(&["Escape"]);
    s.wait_until(|x| !x.contains("/wa-01"), "the filter cleared");
    let pgid: i32 = fs::read_to_string(home.path("bin/pgid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    common::terminal::wait_group_gone(pgid);
}
