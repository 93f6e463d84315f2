//! `beadboard::tmux` against real, private tmux servers (`tmux -L <unique> -f /dev/null`):
//! pane resolution with 1-based indexes, exact session names, odd names, actionable errors,
//! and switching a real client (a `tmux attach` running inside another private server).
//! Skipped when tmux is missing, unless `BEADBOARD_REQUIRE_ALL` (or `BEADBOARD_REQUIRE_TMUX`)
//! is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::tmux::{Outcome, Tmux, TmuxError, inside_tmux_env};
use std::ffi::OsStr;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// How long to wait for tmux to show an effect (env `BEADBOARD_E2E_TIMEOUT_SECS`, default 15).
fn timeout() -> Duration {
    let secs = std::env::var("BEADBOARD_E2E_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    Duration::from_secs(secs)
}

/// A private tmux server, killed (and its socket removed) on drop.
struct Server {
    name: String,
    /// The server's pid and socket path, to clean up even after a test stopped it.
    pid_and_socket: String,
}

impl Server {
    /// A fresh server with `base-index 1` and `pane-base-index 1` and a 200×50 session.
    fn start(first_session: &str) -> Server {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let mut server = Server {
            name: format!("bb-tmuxctl-{}-{n}", std::process::id()),
            pid_and_socket: String::new(),
        };
        let setup = "start-server ; set -g base-index 1 ; set -g pane-base-index 1 ; \
                     new-session -d -x 200 -y 50 -s";
        let mut args: Vec<&str> = setup.split_whitespace().collect();
        args.push(first_session);
        server.ok(&args);
        server.pid_and_socket = server.ok(&["display-message", "-p", "#{pid} #{socket_path}"]);
        server
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-u", "-L", &self.name, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .unwrap()
    }

    /// Runs `args`, asserting success; returns stdout without the final newline.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "tmux {args:?} failed: {stderr}");
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }

    /// The API on this server.
    fn api(&self) -> Tmux {
        Tmux::with_socket_name(&self.name)
    }

    /// `format` expanded for `target` (`display-message -p`).
    fn show(&self, target: &str, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", target, format])
    }

    /// `window_index.pane_index` of the session's current pane.
    fn current(&self, session: &str) -> String {
        self.show(&format!("={session}:"), "#{window_index}.#{pane_index}")
    }

    /// Polls `list-clients` until its (only) line starts with `want`; panics after the timeout.
    fn wait_client(&self, want: &str) {
        let format = "#{client_session} #{window_index}.#{pane_index} #{pane_id}";
        let deadline = Instant::now() + timeout();
        loop {
            let clients = self.ok(&["list-clients", "-F", format]);
            if clients.starts_with(want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no client on {want:?}: {clients:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Adds window `window` (1-based) with `panes` panes to `session` (which has window 1).
    fn add_panes(&self, session: &str, window: u32, panes: u32) {
        let target = format!("={session}:{window}");
        if window > 1 {
            self.ok(&["new-window", "-d", "-t", &target]);
        }
        for _ in 1..panes {
            self.ok(&["split-window", "-d", "-t", &target]);
        }
    }

    /// Runs the shell command `cmd` with `TMUX` unset, in a detached 100×30 session of this
    /// (outer) server, so that it can attach to another server as a real client.
    fn run_outside(&self, cmd: &str) {
        let shell = format!("env -u TMUX -u TMUX_PANE {cmd}");
        let size = ["-x", "100", "-y", "30"];
        self.ok(&[&["new-session", "-d", "-s", "outer"], &size[..], &[&shell]].concat());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let Some((pid, socket)) = self.pid_and_socket.split_once(' ') else {
            return;
        };
        let _ = Command::new("kill").args(["-CONT", pid]).status();
        let _ = self.tmux(&["kill-server"]);
        let _ = std::fs::remove_file(socket);
    }
}

/// Session `webapp`: window 1 with panes 1–3, window 2 with panes 1–2 (as tmux reports).
fn webapp_server() -> Server {
    let server = Server::start("webapp");
    server.add_panes("webapp", 1, 3);
    server.add_panes("webapp", 2, 2);
    let format = "#{window_index}.#{pane_index}";
    let layout = server.ok(&["list-panes", "-s", "-t", "=webapp:", "-F", format]);
    let layout: Vec<&str> = layout.split('\n').collect();
    assert_eq!(layout, ["1.1", "1.2", "1.3", "2.1", "2.2"]);
    server
}

#[test]
fn tmux_jump_honours_base_indexes_and_prefers_the_active_window() {
    if !common::require("tmux") {
        return;
    }
    let server = webapp_server();
    let api = server.api();
    server.ok(&["select-pane", "-t", "=webapp:2.1"]);
    server.ok(&["select-window", "-t", "=webapp:2"]);
    // Pane 2 is in both windows: the active one (2) wins. No client: selected, then the error.
    let err = api.jump_to_pane("webapp", 2).unwrap_err();
    assert!(matches!(err, TmuxError::NoClient { .. }), "{err}");
    assert_eq!(server.current("webapp"), "2.2");
    let target = api.find_pane("webapp", 2).unwrap();
    assert!(target.is_ambiguous());
    let said = "webapp pane 2 of window 2 (the session has 2 windows)";
    assert_eq!(target.to_string(), said);
    // Pane 3 is only in window 1, which becomes the current window.
    let target = api.select_pane("webapp", 3).unwrap();
    assert_eq!(server.current("webapp"), "1.3");
    assert_eq!(target.to_string(), "webapp pane 3 (window 1)");
    assert_eq!(target.pane.pane_id, server.show("=webapp:", "#{pane_id}"));
    // By pane id: back to window 2's first pane.
    let id = server.show("=webapp:2.1", "#{pane_id}");
    let target = api.select_pane_id(&id).unwrap();
    assert_eq!((target.pane.window_index, target.pane.pane_index), (2, 1));
    assert_eq!(server.current("webapp"), "2.1");
}

#[test]
fn tmux_missing_panes_sessions_and_servers_are_explained() {
    if !common::require("tmux") {
        return;
    }
    let server = webapp_server();
    let api = server.api();
    let err = api.jump_to_pane("webapp", 7).unwrap_err();
    let said = r#"tmux session "webapp" has no pane 7 (panes: 1, 2, 3)"#;
    assert_eq!(err.to_string(), said);
    for err in [
        api.jump_to_pane("nope", 1).unwrap_err(),
        api.switch_to_session("nope").unwrap_err(),
        api.open_session("nope", false).unwrap_err(),
        api.open_pane("nope", 1, true).unwrap_err(),
    ] {
        assert_eq!(err.to_string(), r#"tmux session "nope" does not exist"#);
    }
    let err = api.jump_to_pane_id("%999").unwrap_err();
    assert_eq!(err.to_string(), "tmux pane %999 does not exist");
    // A detached server has no client to switch: the error says how to attach.
    let err = api.switch_to_session("webapp").unwrap_err().to_string();
    let attach = format!("attach with tmux -L {} attach -t webapp", server.name);
    let want = "no tmux client to switch";
    assert!(err.starts_with(want) && err.ends_with(&attach), "{err}");
    // A hung server (stopped) is given up on, not waited for.
    let (pid, _) = server.pid_and_socket.split_once(' ').unwrap();
    assert!(
        Command::new("kill")
            .args(["-STOP", pid])
            .status()
            .unwrap()
            .success()
    );
    let hung = api.clone().with_timeout(Duration::from_millis(300));
    let err = hung.jump_to_pane("webapp", 1).unwrap_err().to_string();
    let said = "tmux list-panes did not answer within 0.3s (killed)";
    assert_eq!(err, said);
    let none = Tmux::with_socket_name(format!("{}-never-started", server.name));
    let err = none.has_session("webapp").unwrap_err().to_string();
    let want = "no tmux server is running (tmux: ";
    assert!(err.starts_with(want), "{err}");
}

#[test]
fn tmux_session_names_match_exactly() {
    if !common::require("tmux") {
        return;
    }
    let server = Server::start("webapp");
    server.ok(&["new-window", "-d", "-t", "=webapp:", "-n", "web"]);
    let api = server.api();
    // `-t web` would find webapp (prefix match); `-t =web` its window named web.
    assert!(!api.has_session("web").unwrap());
    let err = api.find_pane("web", 1).unwrap_err();
    assert!(matches!(err, TmuxError::NoSuchSession { .. }), "{err}");
    server.ok(&["new-session", "-d", "-s", "web"]);
    server.add_panes("web", 1, 2);
    let panes = api.panes("web").unwrap();
    assert_eq!(panes.len(), 2);
    assert!(panes.iter().all(|p| p.session_name == "web"));
    api.select_pane("web", 2).unwrap();
    assert_eq!(server.current("web"), "1.2");
    assert_eq!(server.current("webapp"), "1.1");
}

#[test]
fn tmux_odd_session_names_work() {
    if !common::require("tmux") {
        return;
    }
    let server = Server::start("my app");
    server.add_panes("my app", 1, 2);
    // tmux stores "my.app:x" as "my_app_x"; the name it was created with still finds it.
    server.ok(&["new-session", "-d", "-s", "my.app:x"]);
    server.add_panes("my_app_x", 1, 3);
    let api = server.api();
    assert!(api.has_session("my app").unwrap());
    assert!(api.has_session("my.app:x").unwrap());
    api.select_pane("my app", 2).unwrap();
    assert_eq!(server.current("my app"), "1.2");
    let outcome = api.open_pane("my.app:x", 3, false).unwrap().to_string();
    assert_eq!(server.current("my_app_x"), "1.3");
    let attach = format!("attach with tmux -L {} attach -t my_app_x", server.name);
    let said = format!("selected my_app_x pane 3 (window 1); not inside tmux: {attach}");
    assert_eq!(outcome, said);
}

#[test]
fn tmux_switches_a_real_client() {
    if !common::require("tmux") {
        return;
    }
    let inner = webapp_server();
    inner.ok(&["new-session", "-d", "-s", "dash"]);
    let outer = Server::start("unused");
    outer.run_outside(&format!("tmux -L {} attach -t =dash", inner.name));
    inner.wait_client("dash ");
    let api = inner.api();

    api.switch_to_session("webapp").unwrap();
    inner.wait_client("webapp ");
    let outcome = api.open_session("dash", true).unwrap();
    let session = "dash".to_owned();
    assert_eq!(outcome, Outcome::Switched { session });
    inner.wait_client("dash ");

    let target = api.jump_to_pane("webapp", 3).unwrap();
    inner.wait_client(&format!("webapp 1.3 {}", target.pane.pane_id));

    let id = inner.show("=webapp:2.2", "#{pane_id}");
    api.switch_to_session("dash").unwrap();
    inner.wait_client("dash ");
    let outcome = api.open_pane_id(&id, true).unwrap();
    assert_eq!(outcome.to_string(), "selected webapp pane 2 (window 2)");
    inner.wait_client(&format!("webapp 2.2 {id}"));
}

#[test]
fn tmux_attach_command_quotes_odd_names() {
    if !common::require("tmux") {
        return;
    }
    let name = "it's $HOME; my.app";
    let inner = Server::start(name);
    let api = inner.api();
    let attach = api.attach_command(name);
    let want = format!(r"tmux -L {} attach -t 'it'\''s \$HOME; my_app'", inner.name);
    assert_eq!(attach, want);
    let outcome = api.open_session(name, false).unwrap().to_string();
    assert_eq!(outcome, format!("not inside tmux: attach with {attach}"));
    // The command, run by a shell, attaches to exactly that session.
    let outer = Server::start("unused");
    outer.run_outside(&attach);
    inner.wait_client(r"it's \$HOME; my_app ");
}

#[test]
fn tmux_inside_needs_a_non_empty_tmux_variable() {
    assert!(!inside_tmux_env(None));
    assert!(!inside_tmux_env(Some(OsStr::new(""))));
    let value = OsStr::new("/tmp/tmux-1000/default,4242,0");
    assert!(inside_tmux_env(Some(value)));
}
