//! End to end over real OpenSSH, in tmux, on the real binary: this machine's golden data and
//! two hosts, `alpha` and `beta`, each its own `sshd -D` on 127.0.0.1 with its own HOME and
//! data (`tests/common/sshd.rs`). All three hosts' runs appear under the HOST column; a key on
//! one of alpha's cards moves it in alpha's store only (this machine's and beta's files are
//! byte for byte as they were); killing beta's sshd and its connections marks beta down while
//! alpha's changes keep reaching the screen. Every step waits on screen text, never a sleep.
//! Skipped, saying so, without sshd or tmux; under `BEADBOARD_REQUIRE_ALL` that fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::sshd::{Kind, Lab};
use common::tmux::Session;
use std::path::PathBuf;

const BIN: &str = env!("CARGO_BIN_EXE_beadboard");

fn store(home: &std::path::Path) -> PathBuf {
    home.join(".ntm/sessions/webapp/assignments.json")
}

#[test]
fn two_ssh_hosts_and_local_then_one_killed_while_the_other_goes_on() {
    if !common::require("sshd") || !common::require("tmux") {
        return;
    }
    let home = Home::golden();
    let lab = Lab::new();
    let (alpha, mut beta) = (
        lab.host("alpha", Kind::Trusted),
        lab.host("beta", Kind::Trusted),
    );
    alpha.with_data();
    beta.with_data();
    let config = home.dir.path().join(".config/beadboard/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let mut text = String::new();
    for name in ["alpha", "beta"] {
        text += &format!(
            "[[hosts]]\nname = {name:?}\nssh_command = {:?}\nbeadboard = {BIN:?}\nheartbeat = \"500ms\"\n",
            lab.ssh_command()
        );
    }
    std::fs::write(&config, text).unwrap();
    let s = Session::open(&home, 120, 40, &[], &[]);
    s.wait_until(
        |s| {
            s.contains("HOST")
                && s.contains("alpha api #2")
                && s.contains("beta  api #2")
                && s.contains("local api #2")
        },
        "all three hosts' runs with the HOST column",
    );
    // A key on alpha's card: alpha's store moves; this machine's and beta's do not.
    let others = [
        home.ntm().join("sessions/webapp/assignments.json"),
        store(&beta.home),
    ];
    let before = others.clone().map(|p| std::fs::read(p).unwrap());
    s.send(&["3"]);
    s.wait_for("alpha:wa-9p4e");
    let mut presses = 0;
    // The cursor walks the column down to alpha's card (flagged `⚑` or not).
    let selected =
        |screen: &str| screen.contains("▌alpha:wa-9p4e") || screen.contains("▌⚑ alpha:wa-9p4e");
    while !selected(&s.screen()) {
        assert!(presses < 12, "alpha's card never selected:\n{}", s.screen());
        let before = s.screen();
        s.send(&["j"]);
        s.wait_until(|now| now != before, "the selection moved");
        presses += 1;
    }
    s.send(&["s"]);
    s.wait_for("Start alpha:wa-9p4e on alpha?");
    s.send(&["y"]);
    s.wait_for("✓ alpha: wa-9p4e ▶ working");
    let moved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store(&alpha.home)).unwrap()).unwrap();
    assert_eq!(
        moved["assignments"]["wa-9p4e"]["status"], "working",
        "{moved}"
    );
    for (path, was) in others.iter().zip(&before) {
        assert!(
            &std::fs::read(path).unwrap() == was,
            "{} is byte for byte as it was",
            path.display()
        );
    }
    s.send(&["1"]);
    // beta's sshd and every connection it holds die: beta is down, with why.
    beta.stop();
    s.wait_until(
        |s| s.contains("⇅2/3") && s.contains("✗ beta: down"),
        "beta down: two hosts of three live in the header, and the Runs pane's host line",
    );
    // alpha goes on: a change on its disk reaches the screen.
    let manifest = alpha
        .home
        .join(".agentpair/runs/43d7567239bfd176/2/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("\"working\"", "\"failed\"")).unwrap();
    let after = s.wait_until(
        |s| s.contains("✗ failed    alpha webapp #2") && s.contains("beta: down"),
        "alpha's run failed while beta is down",
    );
    assert!(after.contains("▶ working   local webapp #2"), "{after}");
    s.send(&["q"]);
    s.wait_for(common::tmux::EXITED);
}
