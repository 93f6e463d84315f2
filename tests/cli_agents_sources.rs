//! The headless CLI with agent sessions, run as a real process on copies of the dashboard's
//! own Claude fixture: `doctor` says where each source is and what it holds, and every source
//! is pointed elsewhere or switched off by flag, variable and config file. (Listing, transcripts,
//! search, status and watch: `cli_agents.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "cli_agents/home.rs"]
mod home;

use common::run;
use home::Sessions;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn doctor_says_where_each_source_is_and_what_it_holds() {
    let s = Sessions::new();
    let (code, out, err) = s.run(&["doctor"]);
    assert_eq!(code, 0, "{err}");
    let claude = out.lines().find(|l| l.starts_with("claude")).unwrap();
    assert!(claude.ends_with("2 sessions"), "{out}");
    let codex = out.lines().find(|l| l.starts_with("codex")).unwrap();
    assert!(
        codex.contains("~/.codex") && codex.ends_with("not found"),
        "{out}"
    );
    let (code, out, _) = s.run(&["--codex=off", "doctor", "--json"]);
    assert_eq!(code, 0);
    let doctor: Value = serde_json::from_str(&out).unwrap();
    let sources = doctor["sources"].as_array().unwrap();
    let get = |agent: &str| sources.iter().find(|r| r["agent"] == agent).unwrap();
    assert_eq!(get("claude")["sessions"], 2);
    assert_eq!(get("claude")["path"], s.claude().to_string_lossy().as_ref());
    assert_eq!(get("codex")["status"], "switched off");
    assert_eq!(get("gemini")["found"], false);
}

#[test]
fn a_source_is_switched_off_by_flag_variable_or_config_file() {
    let s = Sessions::new();
    let names = |out: &str| -> Vec<String> {
        let runs: Vec<Value> = serde_json::from_str(out).unwrap();
        runs.iter()
            .map(|r| r["beadboard"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, out, _) = s.run(&["runs", "--json"]);
    assert_eq!(names(&out).len(), 2);
    let (_, out, _) = s.run(&["--claude=off", "runs", "--json"]);
    assert!(names(&out).is_empty());
    let (_, out, _) = run(s
        .cmd()
        .env("BEADBOARD_CLAUDE", "off")
        .args(["runs", "--json"]));
    assert!(names(&out).is_empty());
    let config = s.dir.path().join("config.toml");
    std::fs::write(&config, "[sources]\nclaude = false\n").unwrap();
    let (_, out, _) = run(s
        .cmd()
        .env("BEADBOARD_CONFIG", &config)
        .args(["runs", "--json"]));
    assert!(names(&out).is_empty());
    // The flag beats the file.
    let (_, out, _) =
        run(s
            .cmd()
            .env("BEADBOARD_CONFIG", &config)
            .args(["--claude=on", "runs", "--json"]));
    assert_eq!(names(&out).len(), 2);
    // Pointed elsewhere by the config file (the variable unset).
    std::fs::write(
        &config,
        format!("claude_dir = {:?}\n", s.claude().to_string_lossy()),
    )
    .unwrap();
    let (_, out, _) = run(s
        .cmd()
        .env_remove("BEADBOARD_CLAUDE_DIR")
        .env("BEADBOARD_CONFIG", &config)
        .args(["runs", "--json"]));
    assert_eq!(names(&out).len(), 2);
}

/// Codex's, Gemini's and OpenCode's sources are pointed elsewhere and switched off the same
/// three ways as Claude's: the config file, over it the variable, over both the flag; `doctor`
/// says where each is looked for, or that it is off.
#[test]
fn every_other_source_is_pointed_and_switched_off_by_flag_variable_or_config_file() {
    let s = Sessions::new();
    let config = s.dir.path().join("config.toml");
    let source = |cmd: &mut Command, agent: &str| -> Value {
        let (code, out, err) = run(cmd
            .env("BEADBOARD_CONFIG", &config)
            .args(["doctor", "--json"]));
        assert_eq!(code, 0, "{err}");
        let doctor: Value = serde_json::from_str(&out).unwrap();
        let sources = doctor["sources"].as_array().unwrap();
        sources
            .iter()
            .find(|r| r["agent"] == agent)
            .unwrap()
            .clone()
    };
    for (agent, flag, var, key) in [
        ("codex", "--codex-dir", "BEADBOARD_CODEX_DIR", "codex_dir"),
        (
            "gemini",
            "--gemini-dir",
            "BEADBOARD_GEMINI_DIR",
            "gemini_dir",
        ),
        (
            "opencode",
            "--opencode-db",
            "BEADBOARD_OPENCODE_DB",
            "opencode_db",
        ),
    ] {
        let place = |by: &str| s.dir.path().join(format!("{agent}-by-{by}"));
        let path = |v: &Value| PathBuf::from(v["path"].as_str().unwrap());
        let file = place("file");
        std::fs::write(&config, format!("{key} = {:?}\n", file.to_string_lossy())).unwrap();
        assert_eq!(
            path(&source(&mut s.cmd(), agent)),
            file,
            "{agent}: the file"
        );
        let mut by_var = s.cmd();
        by_var.env(var, place("variable"));
        assert_eq!(
            path(&source(&mut by_var, agent)),
            place("variable"),
            "{agent}: the variable"
        );
        let mut by_flag = s.cmd();
        by_flag
            .env(var, place("variable"))
            .arg(flag)
            .arg(place("flag"));
        assert_eq!(
            path(&source(&mut by_flag, agent)),
            place("flag"),
            "{agent}: the flag"
        );

        let off = |v: Value| v["status"] == "switched off";
        assert!(!off(source(&mut s.cmd(), agent)), "{agent}: on by default");
        std::fs::write(&config, format!("[sources]\n{agent} = false\n")).unwrap();
        assert!(off(source(&mut s.cmd(), agent)), "{agent}: off by the file");
        let switch = format!("BEADBOARD_{}", agent.to_uppercase());
        let mut on = s.cmd();
        on.env(&switch, "on");
        assert!(
            !off(source(&mut on, agent)),
            "{agent}: the variable beats the file"
        );
        std::fs::write(&config, "").unwrap();
        let mut by_var = s.cmd();
        by_var.env(&switch, "off");
        assert!(
            off(source(&mut by_var, agent)),
            "{agent}: off by the variable"
        );
        let mut by_flag = s.cmd();
        by_flag.env(&switch, "on").arg(format!("--{agent}=off"));
        assert!(
            off(source(&mut by_flag, agent)),
            "{agent}: the flag beats the variable"
        );
    }
}
