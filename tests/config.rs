//! Settings precedence through the real binary: flags > environment > config file > defaults,
//! and bad config values rejected at start with a message naming the file and the cause.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

fn beadboard(home: &Path) -> Command {
    let mut cmd = common::beadboard(home);
    cmd.env("XDG_CONFIG_HOME", home.join("xdg"));
    cmd
}

fn runs_dir_used(cmd: &mut Command) -> String {
    let out = cmd.arg("runs").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn flags_beat_env_beat_config_beat_defaults() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(
        runs_dir_used(&mut beadboard(h)).contains(&format!("{}/.agentpair/runs", h.display())),
        "default under $HOME"
    );
    std::fs::create_dir_all(h.join("xdg/beadboard")).unwrap();
    std::fs::write(
        h.join("xdg/beadboard/config.toml"),
        "agentpair_dir = \"~/from-config\"\n",
    )
    .unwrap();
    assert!(
        runs_dir_used(&mut beadboard(h)).contains(&format!("{}/from-config/runs", h.display()))
    );
    assert!(
        runs_dir_used(beadboard(h).env("BEADBOARD_AGENTPAIR_DIR", "/from-env"))
            .contains("/from-env/runs")
    );
    assert!(
        runs_dir_used(
            beadboard(h)
                .env("BEADBOARD_AGENTPAIR_DIR", "/from-env")
                .args(["--agentpair-dir", "/from-flag"])
        )
        .contains("/from-flag/runs")
    );
    std::fs::write(h.join("other.toml"), "agentpair_dir = \"/from-other\"\n").unwrap();
    assert!(
        runs_dir_used(beadboard(h).arg("--config").arg(h.join("other.toml")))
            .contains("/from-other/runs")
    );
}

#[test]
fn stale_after_from_config_and_flag() {
    let home = common::copy_fixture("upstream/agentpair");
    let h = home.path();
    // Written five minutes before the program's clock (not when the test copied them).
    common::dash::freeze_times(h);
    std::fs::create_dir_all(h.join("xdg/beadboard")).unwrap();
    std::fs::write(
        h.join("xdg/beadboard/config.toml"),
        "agentpair_dir = \"~/home-agentpair\"\nstale_after = \"1000d\"\n",
    )
    .unwrap();
    let out = runs_dir_used(&mut beadboard(h));
    assert!(!out.contains("stale"), "{out}");
    let out = runs_dir_used(beadboard(h).args(["--stale-after", "1ms"]));
    assert!(out.contains("⚠ stale"), "{out}");
}

#[test]
fn bad_config_is_rejected_at_start_naming_the_file() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let conf = h.join("xdg/beadboard/config.toml");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    for (text, expect) in [
        (
            "[keys]\ntoggle_follow = \"w\"\n",
            "key w would mean both toggle_follow and toggle_wrap in Transcript",
        ),
        ("[keys]\nteleport = \"x\"\n", "unknown action \"teleport\""),
        ("stale_after = 5\n", "stale_after"),
        ("colour = \"red\"\n", "unknown field `colour`"),
    ] {
        std::fs::write(&conf, text).unwrap();
        for args in [&[][..], &["runs"][..]] {
            let out = beadboard(h).args(args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            // A bad setting is a bad value: exit 2, as a bad flag.
            assert_eq!(out.status.code(), Some(2), "{args:?} with {text:?}: {err}");
            assert!(
                err.contains(&conf.display().to_string()) && err.contains(expect),
                "{err}"
            );
        }
    }
    // A TOML error keeps toml's lines: where, the line itself, a caret under the cause.
    std::fs::write(&conf, "stale_after = \"5m\"\npoll = tru\n").unwrap();
    let out = beadboard(h).arg("runs").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].ends_with("config.toml: TOML parse error at line 2, column 8"),
        "{err}"
    );
    assert!(lines.contains(&"2 | poll = tru"), "{err}");
    assert!(lines.contains(&"  |        ^^^"), "{err}");
    std::fs::remove_file(&conf).unwrap();
    let out = beadboard(h)
        .args(["--stale-after", "soon", "runs"])
        .output()
        .unwrap();
    // Checked by clap, as its own usage errors are: exit 2, in its words.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid value 'soon' for '--stale-after <DURATION>'"),
        "{err}"
    );
}

#[test]
fn help_and_version_explain_themselves() {
    let home = tempfile::tempdir().unwrap();
    let out = beadboard(home.path()).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for word in [
        "demo",
        "runs",
        "transcript",
        "assign",
        "--agentpair-dir",
        "BEADBOARD_NTM_DIR",
        "--stale-after",
        "Exit codes",
    ] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
    for sub in [
        "demo",
        "runs",
        "transcript",
        "assignments",
        "stats",
        "assign",
        "start",
        "complete",
        "fail",
        "reassign",
        "retry",
        "remove",
    ] {
        let out = beadboard(home.path())
            .args([sub, "--help"])
            .output()
            .unwrap();
        assert!(
            out.status.success() && !out.stdout.is_empty(),
            "{sub} --help"
        );
    }
    let out = beadboard(home.path()).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("beadboard {}\n", env!("CARGO_PKG_VERSION"))
    );
}
