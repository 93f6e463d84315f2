//! End to end, in tmux, on the real binary: a pane runs a stand-in `claude` (a script of that
//! name on PATH that writes Claude's registry file `sessions/<its pid>.json` naming its session,
//! then waits on a fifo with its own pid), and a schema-9 NTM store assigns bead `wa-02` to that
//! pane's `%N`. The dashboard, in another window of the same tmux server, shows the card bound
//! to the session's run; `t` opens the run's transcript, where lines appended to the session
//! file appear; Esc comes back to the card; when the stand-in exits, the card is flagged.
//! `assignments --json` gives the same binding. Every step waits on text, never a fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::Home;
use common::tmux::{EXITED, Session, timeout};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

const SESSION: &str = "e2e0b1d5-7c3a-4f2e-9b8d-1a2b3c4d5e6f";
const RUN: &str = "api claude e2e0b1";
/// A session no pane has.
const OTHER: &str = "0a4e2b7c-1d3f-4e5a-8b9c-0d1e2f3a4b5c";

/// The stand-in: registers itself as Claude does (its pid, its session, its start as the
/// kernel counts it), says so, and waits for a line on its fifo, keeping its pid.
const STANDIN: &str = r#"#!/bin/sh
dir="$CLAUDE_CONFIG_DIR/sessions"
mkdir -p "$dir"
start=$(cut -d' ' -f22 "/proc/$$/stat" 2>/dev/null)
printf '{"pid":%s,"sessionId":"%s","cwd":"%s","status":"busy","kind":"interactive","procStart":"%s"}' \
  "$$" "$STANDIN_SESSION" "$PWD" "$start" > "$dir/$$.json.tmp"
mv "$dir/$$.json.tmp" "$dir/$$.json"
echo "stand-in claude $$ ready"
read line < "$STANDIN_FIFO"
"#;

fn out(s: &Session, args: &[&str]) -> String {
    String::from_utf8_lossy(&s.tmux(args).stdout)
        .trim()
        .to_owned()
}

fn wait_until(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + timeout();
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

fn record(kind: &str, text: &str, n: u32) -> String {
    record_of(SESSION, "/home/dev/api", kind, text, n)
}

/// Line `n` of session `id` in `cwd`: a prompt (`user`) or a reply.
fn record_of(id: &str, cwd: &str, kind: &str, text: &str, n: u32) -> String {
    let uuid = format!("{id}-{n}");
    let at = format!("2026-01-05T10:00:{:02}.000Z", n % 60);
    match kind {
        "user" => serde_json::json!({
            "type": "user", "cwd": cwd, "sessionId": id, "uuid": uuid,
            "timestamp": at, "message": {"role": "user", "content": text},
        }),
        _ => serde_json::json!({
            "type": "assistant", "cwd": cwd, "sessionId": id, "uuid": uuid,
            "timestamp": at,
            "message": {"id": format!("msg-{n}"), "type": "message", "role": "assistant",
                "model": "claude-sonnet-4-5", "stop_reason": "end_turn",
                "content": [{"type": "text", "text": text}],
                "usage": {"input_tokens": 3, "output_tokens": 2}},
        }),
    }
    .to_string()
}

/// A tmux server whose main window holds a placeholder (the dashboard replaces it) and a second
/// window runs the stand-in; the stand-in's session file, and a schema-9 store whose working
/// row `wa-02` names the stand-in's pane.
struct World {
    home: Home,
    server: Session,
    fifo: PathBuf,
    session_file: PathBuf,
    pane: String,
}

impl World {
    fn new() -> World {
        let home = Home::empty();
        std::fs::create_dir_all(home.agentpair()).unwrap();
        let claude = home.claude();
        let bin = home.dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let script = bin.join("claude");
        std::fs::write(&script, STANDIN).unwrap();
        let chmod = std::process::Command::new("chmod")
            .arg("755")
            .arg(&script)
            .status()
            .unwrap();
        assert!(chmod.success());
        let fifo = home.dir.path().join("standin.fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // The session Claude would have written: a prompt and a reply.
        let projects = claude.join("projects/-home-dev-api");
        std::fs::create_dir_all(&projects).unwrap();
        let session_file = projects.join(format!("{SESSION}.jsonl"));
        std::fs::write(
            &session_file,
            format!(
                "{}\n{}\n",
                record("user", "Harden the login form", 1),
                record("assistant", "Looking at the form first.", 2)
            ),
        )
        .unwrap();
        // Another session, newer, in another project: the one the Runs pane shows first.
        let web = claude.join("projects/-home-dev-web");
        std::fs::create_dir_all(&web).unwrap();
        std::fs::write(
            web.join(format!("{OTHER}.jsonl")),
            record_of(OTHER, "/home/dev/web", "user", "Tidy the web styles", 30) + "\n",
        )
        .unwrap();
        let (socket, marker) = Session::fresh_names();
        let server = Session::start_shell(200, 50, None, "exec sleep 600", socket, marker);
        let standin = format!(
            "env PATH='{}':/usr/bin:/bin CLAUDE_CONFIG_DIR='{}' STANDIN_SESSION={SESSION} \
             STANDIN_FIFO='{}' sh -c 'claude; echo standin-exited; exec sleep 600'",
            bin.display(),
            claude.display(),
            fifo.display()
        );
        let pane = out(
            &server,
            &[
                "new-window",
                "-d",
                "-t",
                "main",
                "-P",
                "-F",
                "#{pane_id}",
                "-c",
                &home.dir.path().display().to_string(),
                &standin,
            ],
        );
        assert!(pane.starts_with('%'), "{pane}");
        let registry = claude.join("sessions");
        wait_until("the stand-in's registry file", || {
            std::fs::read_dir(&registry).is_ok_and(|d| {
                d.flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "json"))
            })
        });
        write_store(&home.ntm(), &pane);
        World {
            home,
            server,
            fifo,
            session_file,
            pane,
        }
    }

    /// The environment the dashboard and the CLI run with.
    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        self.home.env(&[("CLAUDE_CONFIG_DIR", self.home.claude())])
    }

    /// Makes the stand-in exit (its fifo gets a line).
    fn end_standin(&self) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&self.fifo)
            .unwrap();
        f.write_all(b"bye\n").unwrap();
    }
}

/// NTM's own store (`00-start`) as session `webapp`, its working row `wa-02` on `pane`; the
/// other rows on panes no tmux server has.
fn write_store(ntm: &Path, pane: &str) {
    let from = common::fixture("upstream/ntm-v9/00-start/assignments.json");
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(from).unwrap()).unwrap();
    let rows = doc["assignments"].as_object_mut().unwrap();
    for (i, (bead, row)) in rows.iter_mut().enumerate() {
        let id = if bead == "wa-02" {
            pane.to_owned()
        } else {
            format!("%{}", 9000 + i)
        };
        row["occupancy_key"] = id.clone().into();
        row["dispatch_target"] = id.into();
    }
    let bytes = serde_json::to_vec_pretty(&doc).unwrap();
    let dir = ntm.join("sessions/webapp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("assignments.json"), &bytes).unwrap();
    std::fs::write(dir.join("assignments.json.bak"), &bytes).unwrap();
}

#[test]
fn a_card_leads_to_its_agent_and_tells_when_it_exits() {
    if !common::require("tmux") {
        return;
    }
    let world = World::new();
    let s = &world.server;
    let env = world.env();
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let dashboard = Session::command_line(&s.marker, &[], &env);
    let shell = format!("{dashboard}; echo {EXITED}-$?; sleep 60");
    out(s, &["respawn-pane", "-k", "-t", "main:0", &shell]);
    // The Runs pane shows the newest session first, another project's.
    s.wait_for("Transcript web claude 0a4e2b");
    s.send(&["3"]);
    // The card shows the run bound to its pane (cut to the column's width)…
    s.wait_for(&format!("⇄ {}", &RUN[..13]));
    // Only wa-02's card, selected.
    s.send(&["/"]);
    s.type_text("wa-02");
    s.send(&["Enter"]);
    s.wait_until(
        |sc| sc.contains("▌wa-02") && !sc.contains("wa-01"),
        "the filtered board",
    );
    // …and its details name it in full, with how it was told.
    s.send(&["Enter"]);
    s.wait_until(
        |sc| sc.contains(&format!("⇄ {RUN}")) && sc.contains("told by its registry"),
        "the card's details naming its run",
    );
    s.send(&["Escape"]);
    s.wait_until(
        |sc| !sc.contains("told by its registry"),
        "the details closed",
    );
    // `t`: the card's run, in the Transcript pane, focused.
    s.send(&["t"]);
    s.wait_until(
        |sc| sc.contains(&format!("┏ Transcript {RUN}")) && sc.contains("Looking at the form"),
        "the bound run's transcript",
    );
    // Lines appended to the session file appear (measured, never asserted on time).
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&world.session_file)
        .unwrap();
    let appended = Instant::now();
    writeln!(
        f,
        "{}",
        record("assistant", "Appended while you watched.", 3)
    )
    .unwrap();
    drop(f);
    s.wait_for("Appended while you watched.");
    eprintln!("appended line on screen after {:?}", appended.elapsed());
    // Esc: back to the board, the same card selected.
    s.send(&["Escape"]);
    s.wait_until(
        |sc| sc.contains("┏ Board webapp") && sc.contains("▌wa-02"),
        "the board focused, wa-02 selected",
    );
    // The stand-in exits: the pane lives on, its agent does not.
    world.end_standin();
    wait_until("the stand-in to exit", || {
        out(s, &["capture-pane", "-p", "-t", &world.pane]).contains("standin-exited")
    });
    // The card is flagged, and its run is finished.
    s.wait_until(
        |sc| {
            sc.contains("▌⊖ agent exited")
                && sc
                    .lines()
                    .any(|l| l.contains("■ finished") && l.contains(RUN))
        },
        "wa-02 flagged: its agent exited",
    );
    s.send(&["q"]);
    s.wait_for(EXITED);
}

#[test]
fn assignments_json_names_each_record_s_bound_run() {
    if !common::require("tmux") {
        return;
    }
    let world = World::new();
    let s = &world.server;
    let socket = out(s, &["display-message", "-p", "#{socket_path}"]);
    let pid = out(s, &["display-message", "-p", "#{pid}"]);
    let mut cmd = common::beadboard(world.home.dir.path());
    for (k, v) in world.env() {
        cmd.env(k, v);
    }
    cmd.env("TMUX", format!("{socket},{pid},0"));
    cmd.args(["assignments", "webapp", "--json"]);
    let (code, stdout, stderr) = common::run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let records: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let run_of = |bead: &str| {
        records
            .iter()
            .find(|r| r["bead_id"] == bead)
            .unwrap_or_else(|| panic!("{bead} in {stdout}"))["run"]
            .clone()
    };
    assert_eq!(
        run_of("wa-02"),
        serde_json::json!({"name": RUN, "reference": SESSION}),
        "{stdout}"
    );
    // Its pane is on no server (assigned), or it is finished (failed): no run.
    assert!(run_of("wa-01").is_null(), "{stdout}");
    assert!(run_of("wa-05").is_null(), "{stdout}");
    world.end_standin();
}
