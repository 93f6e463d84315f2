//! Driving the real binary inside a private tmux server.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Printed by the wrapper shell when beadboard exits.
pub const EXITED: &str = "BEADBOARD-EXITED";

/// How long to wait for screen text (env `BEADBOARD_E2E_TIMEOUT_SECS`, default 15).
pub fn timeout() -> Duration {
    let secs = std::env::var("BEADBOARD_E2E_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    Duration::from_secs(secs)
}

/// A tmux server running one command in a window of a given size.
pub struct Session {
    socket: String,
    /// A marker in the command's environment, to find its process.
    pub marker: String,
}

impl Session {
    /// Starts `args` of the beadboard binary at `width`×`height` with `env`, inside a shell
    /// that prints [`EXITED`] and the exit code when it ends.
    pub fn start(width: u16, height: u16, args: &[&str], env: &[(&str, &Path)]) -> Session {
        Session::start_via(width, height, &[], args, env)
    }

    /// As [`Session::start`], with the command run through `wrapper` (words put before
    /// it, e.g. `unshare -U -r`).
    pub fn start_via(
        width: u16,
        height: u16,
        wrapper: &[&str],
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> Session {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let socket = format!("beadboard-test-{}-{n}", std::process::id());
        let marker = format!("{}-{n}", std::process::id());
        let mut command: String = wrapper.iter().map(|w| format!("'{w}' ")).collect();
        command.push_str(&format!("env BEADBOARD_E2E_MARKER={marker}"));
        for (k, v) in env {
            command.push_str(&format!(" {k}='{}'", v.display()));
        }
        command.push_str(&format!(" '{}'", env!("CARGO_BIN_EXE_beadboard")));
        for a in args {
            command.push_str(&format!(" '{a}'"));
        }
        let shell = format!("{command}; echo {EXITED}-$?; sleep 60");
        Session::start_shell(width, height, None, &shell, socket, marker)
    }

    /// A session (named `main`) running `shell` as is, on a private server whose config
    /// file is `conf` (none: `/dev/null`).
    pub fn start_shell(
        width: u16,
        height: u16,
        conf: Option<&Path>,
        shell: &str,
        socket: String,
        marker: String,
    ) -> Session {
        let session = Session { socket, marker };
        let conf = conf.map_or_else(|| "/dev/null".to_owned(), |p| p.display().to_string());
        let out = session.tmux(&[
            "-f",
            &conf,
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            shell,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        session
    }

    /// Starts beadboard (with `args`) on `home`'s roots, `HOME` set to it, plus `extra`
    /// environment variables.
    pub fn open(
        home: &super::dash::Home,
        width: u16,
        height: u16,
        args: &[&str],
        extra: &[(&str, std::path::PathBuf)],
    ) -> Session {
        let env = home.env(extra);
        let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
        Session::start(width, height, args, &env)
    }

    /// A fresh socket name and process marker.
    pub fn fresh_names() -> (String, String) {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        (
            format!("beadboard-test-{}-{n}", std::process::id()),
            format!("{}-{n}", std::process::id()),
        )
    }

    /// The beadboard command line [`Session::start`] runs (with its marker), to run it
    /// elsewhere.
    pub fn command_line(marker: &str, args: &[&str], env: &[(&str, &Path)]) -> String {
        let mut command = format!("env BEADBOARD_E2E_MARKER={marker}");
        for (k, v) in env {
            command.push_str(&format!(" {k}='{}'", v.display()));
        }
        command.push_str(&format!(" '{}'", env!("CARGO_BIN_EXE_beadboard")));
        for a in args {
            command.push_str(&format!(" '{a}'"));
        }
        command
    }

    /// The server's socket name (`tmux -L <name>`).
    pub fn socket(&self) -> &str {
        &self.socket
    }

    /// Runs a tmux command on this session's server.
    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// Waits until the screen contains `text`; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(|s| s.contains(text), &format!("{text:?}"))
    }

    /// Waits until `check` accepts the screen.
    pub fn wait_until(&self, check: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + timeout();
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Types keys (tmux key names: `q`, `Enter`, `Escape`, `Tab`, `C-c`, ...).
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    /// Types literal text.
    pub fn type_text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "main", "-l", text])
                .status
                .success()
        );
    }

    /// Closes the pane as a user closing the tmux window would (its process gets SIGHUP).
    pub fn close_pane(&self) {
        assert!(self.tmux(&["kill-pane", "-t", "main"]).status.success());
    }

    /// Whether the pane is on the alternate screen (a TUI that did not restore it is).
    pub fn alternate_on(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// The pid of the beadboard process started by this session.
    pub fn pid(&self) -> u32 {
        let deadline = Instant::now() + timeout();
        loop {
            for entry in std::fs::read_dir("/proc").unwrap().flatten() {
                let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
                let exe = std::fs::read_link(entry.path().join("exe")).unwrap_or_default();
                let wanted = format!("BEADBOARD_E2E_MARKER={}", self.marker);
                if exe.file_name().is_some_and(|n| n == "beadboard")
                    && environ.split(|b| *b == 0).any(|v| v == wanted.as_bytes())
                {
                    return pid;
                }
            }
            assert!(Instant::now() < deadline, "beadboard process not found");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let socket = self.tmux(&["display-message", "-p", "#{socket_path}"]);
        let _ = self.tmux(&["kill-server"]);
        let path = String::from_utf8_lossy(&socket.stdout).trim().to_owned();
        if !path.is_empty() {
            let _ = std::fs::remove_file(path);
        }
    }
}
