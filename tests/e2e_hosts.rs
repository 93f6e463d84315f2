//! End to end, in tmux, on the real binary: this machine's golden runs and one fake host,
//! `gpu1` (a local beadboard with its own HOME and data, reached through a fake `ssh_command`,
//! as in `remote_hosts.rs`). Both hosts' runs appear with the HOST column; the host's cards
//! appear as `gpu1:…`, and a key on one moves it in that host's store only; the host's run's
//! transcript follows it there, each append pushed to the screen; killing the host (and
//! refusing it, as a gone machine's ssh would) marks it down with why and when it is tried
//! again, while this machine's runs keep updating. `F` searches each live host too, merging
//! its matches, and says a down host was not searched.
//! Every step waits on screen text, never a fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::tmux::Session;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

const BIN: &str = env!("CARGO_BIN_EXE_beadboard");

/// A fake ssh: the command line joined for `sh -c`, as ssh does, in `<hosts>/<destination>`
/// as HOME; its pid (the remote beadboard's, after `exec`) in `ssh.pid`; a `.down` file makes
/// it fail as ssh does when the machine is gone (exit 255).
fn fake_ssh(root: &Path) -> PathBuf {
    let hosts = root.join("hosts");
    let script = root.join("fake-ssh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             while [ \"$#\" -gt 0 ] && [ \"$1\" != \"--\" ]; do dest=$1; shift; done\n\
             shift\n\
             HOME='{}'/\"$dest\"; export HOME\n\
             XDG_CONFIG_HOME=\"$HOME/.config\"; XDG_CACHE_HOME=\"$HOME/.cache\"; export XDG_CONFIG_HOME XDG_CACHE_HOME\n\
             unset BEADBOARD_AGENTPAIR_DIR BEADBOARD_NTM_DIR BEADBOARD_CONFIG BEADBOARD_POLL\n\
             cd \"$HOME\" || exit 255\n\
             if [ -e .down ]; then echo \"ssh: connect to host $dest port 22: Connection refused\" >&2; exit 255; fi\n\
             echo $$ > ssh.pid\n\
             exec sh -c \"exec $*\"\n",
            hosts.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Fake hosts `names` in a new fleet directory, each with the golden runs and the example
/// stores, configured in `home`'s config; the fleet directory (`hosts/<name>` is each HOME).
fn fleet(home: &Home, names: &[&str]) -> tempfile::TempDir {
    let fleet = tempfile::tempdir().unwrap();
    let ssh = fake_ssh(fleet.path());
    let mut config = String::new();
    for name in names {
        let there = fleet.path().join("hosts").join(name);
        common::copy_tree(
            &common::fixture("upstream/agentpair/home-agentpair"),
            &there.join(".agentpair"),
        );
        common::copy_tree(&common::fixture("examples/ntm"), &there.join(".ntm"));
        config.push_str(&format!(
            "[[hosts]]\nname = \"{name}\"\nssh_command = [\"{}\"]\nbeadboard = \"{BIN}\"\nheartbeat = \"500ms\"\n",
            ssh.display()
        ));
    }
    let path = home.dir.path().join(".config/beadboard/config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, config).unwrap();
    fleet
}

#[test]
fn two_hosts_then_one_down_while_local_goes_on() {
    let home = Home::golden();
    let fleet = fleet(&home, &["gpu1"]);
    let gpu1 = fleet.path().join("hosts/gpu1");
    let s = Session::open(&home, 120, 40, &[], &[]);
    let both = s.wait_until(
        |s| s.contains("HOST") && s.contains("gpu1  api #2") && s.contains("local api #2"),
        "both hosts' runs with the HOST column",
    );
    assert!(both.contains("▶ working   local api #2"), "{both}");
    // The host's cards, by host; a key on one moves it in that host's store only, under its
    // lock, and the answer is said as a local one is.
    let local_store = std::fs::read(home.ntm().join("sessions/webapp/assignments.json")).unwrap();
    s.send(&["3"]);
    s.wait_for("gpu1:wa-9p4e");
    s.send(&["j"]);
    s.wait_until(|s| s.contains("▌⚑ gpu1:wa-9p4e"), "gpu1's card selected");
    s.send(&["s"]);
    s.wait_for("Start gpu1:wa-9p4e on gpu1?");
    s.send(&["y"]);
    s.wait_for("✓ gpu1: wa-9p4e ▶ working");
    let remote_store: serde_json::Value = serde_json::from_slice(
        &std::fs::read(gpu1.join(".ntm/sessions/webapp/assignments.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        remote_store["assignments"]["wa-9p4e"]["status"], "working",
        "{remote_store}"
    );
    assert_eq!(
        std::fs::read(home.ntm().join("sessions/webapp/assignments.json")).unwrap(),
        local_store,
        "this machine's store is untouched"
    );
    // The host's run shown: its transcript follows it there, and what the host appends comes
    // to the screen (pushed by the host; that nothing is asked for it is `remote_stream.rs`'s).
    s.send(&["1", "/"]);
    s.type_text("gpu1");
    s.send(&["Enter", "Enter"]);
    s.wait_until(
        |s| s.contains("Transcript gpu1:api #2") && s.contains("following"),
        "gpu1's api #2 followed",
    );
    let transcript = gpu1.join(".agentpair/runs/ea93126eefee3546/2/transcript.jsonl");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&transcript)
        .unwrap();
    std::io::Write::write_all(
        &mut file,
        b"{\"type\":\"result\",\"timestamp\":\"2026-11-22T16:00:00Z\",\"run_id\":2,\"iteration\":2,\"agent\":\"codex\",\"content\":\"pushed-from-gpu1\"}\n",
    )
    .unwrap();
    s.wait_for("pushed-from-gpu1");
    s.send(&["1", "Escape"]);
    s.wait_until(
        |s| s.contains("local api #2") && s.contains("gpu1  webapp #2"),
        "the filter cleared",
    );
    // The host goes away: its channel is killed and its ssh refuses from now on.
    std::fs::write(gpu1.join(".down"), "").unwrap();
    let pid: i32 = std::fs::read_to_string(gpu1.join("ssh.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid).unwrap(),
        rustix::process::Signal::KILL,
    )
    .unwrap();
    let down = s.wait_until(
        |s| s.contains("gpu1 ✗ down, retry") && s.contains("✗ gpu1: down"),
        "gpu1 down in the header and the Runs pane's host line",
    );
    // `?` has the whole reason: ssh's own words, once the host refuses.
    s.send(&["?"]);
    s.wait_until(
        |s| s.contains("Hosts") && s.contains("Connection refused"),
        "the host's reason in the help",
    );
    s.send(&["Escape"]);
    s.wait_until(|s| !s.contains("Hosts"), "the help closed");
    // Its last runs stay listed; this machine's runs keep updating.
    assert!(down.contains("gpu1  api #2"), "{down}");
    let manifest = home
        .agentpair()
        .join("runs/43d7567239bfd176/2/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("\"working\"", "\"failed\"")).unwrap();
    let after = s.wait_until(
        |s| s.contains("✗ failed    local webapp #2") && s.contains("gpu1: down"),
        "this machine's run failed while gpu1 is down",
    );
    assert!(after.contains("▶ working   gpu1  webapp #2"), "{after}");
    s.send(&["q"]);
    s.wait_for(common::tmux::EXITED);
}

#[test]
fn search_runs_on_each_live_host_and_says_a_down_one() {
    let home = Home::golden();
    let fleet = fleet(&home, &["gpu1", "vm"]);
    // vm's machine is gone: its ssh refuses.
    std::fs::write(fleet.path().join("hosts/vm/.down"), "").unwrap();
    let s = Session::open(&home, 200, 50, &[], &[]);
    s.wait_until(
        |s| s.contains("gpu1  webapp #2") && s.contains("vm ✗ down"),
        "gpu1's runs, and vm down",
    );
    s.send(&["F"]);
    s.wait_for("F search all:");
    s.type_text("did things");
    s.send(&["Enter"]);
    // This machine's matches and gpu1's (its own copies of the golden runs), merged, each
    // named by its host; vm is said not searched, not waited for.
    let listed = s.wait_until(
        |s| {
            s.contains("local: ✓")
                && s.contains("gpu1 ✓")
                && s.contains("gpu1:api #2")
                && s.contains("1 of 20")
                && s.contains("vm ✗ not searched: down")
        },
        "both hosts' matches and vm not searched",
    );
    assert!(listed.contains("Connection refused"), "{listed}");
    // Esc closes the list (nothing is still searching).
    s.send(&["Escape"]);
    s.wait_until(|s| !s.contains("hosts: gpu1 ✓"), "the list closed");
    s.send(&["q"]);
    s.wait_for(common::tmux::EXITED);
}
