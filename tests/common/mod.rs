//! Helpers shared by the integration tests (a fixed clock, fixture paths, temp homes).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStore, Clock};
use beadboard::persist::gojson::{self, GoTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The real binary with a clean environment (only `PATH`) and `home` as `HOME`, so no setting
/// of the machine running the tests leaks in. Its clock reads [`dash::now`] (moving on from
/// there), never the day the tests run, and the golden data's situations count as news (see
/// [`dash::GOLDEN_WINDOW`]).
pub fn beadboard(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_beadboard"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home);
    for (k, v) in dash::pinned() {
        cmd.env(k, v);
    }
    cmd
}

/// Runs a command to its end: its exit code, stdout and stderr.
pub fn run(cmd: &mut std::process::Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The repository's fixture directory.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A clock that starts at 2026-11-22T10:00:00Z and advances one second per reading.
pub fn ticking_clock() -> Clock {
    let counter = Arc::new(AtomicI64::new(0));
    Clock::from_fn(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        at(n)
    })
}

/// 2026-11-22T10:00:00Z plus `seconds`.
pub fn at(seconds: i64) -> GoTime {
    gojson::parse_time("2026-11-22T10:00:00Z").unwrap() + chrono::Duration::seconds(seconds)
}

/// A store for session `s` in a fresh temp NTM root, with a ticking clock.
pub fn new_store() -> (tempfile::TempDir, AssignmentStore) {
    let home = tempfile::tempdir().unwrap();
    let store = AssignmentStore::new(home.path(), "s")
        .unwrap()
        .with_clock(ticking_clock());
    (home, store)
}

/// Copies a fixture tree into a fresh temp directory and returns it.
pub fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(rel), dir.path());
    dir
}

/// Recursively copies `from` into `to`, making every copy writable.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

pub mod needs;
#[allow(unused_imports)] // Not every test binary skips.
pub use needs::require;

pub mod terminal;

pub mod cli;

pub mod schema;

/// NTM's strict read of a schema-9 store, written out from the spec.
pub mod strict;

/// Real OpenSSH servers on 127.0.0.1 for the tests of hosts over ssh.
pub mod sshd;

pub mod watch;

/// OpenCode databases written from SQL.
pub mod opencode;

/// The Transcript pane's entries, as text.
pub mod transcript;

/// A dashboard model on copies of fixtures, with deterministic times, for view and key tests.
pub mod dash {
    use beadboard::app::keymap::Keymap;
    use beadboard::app::model::{Model, Settings};
    use beadboard::config::Roots;
    use beadboard::ui::Theme;
    use chrono::{DateTime, Utc};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::fs::File;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, SystemTime};

    thread_local! {
        /// The theme the views of this test are drawn in: the event loop owns the theme, not
        /// the model, so the test keeps the one its last model was made for (colour or not).
        static THEME: std::cell::RefCell<Theme> = std::cell::RefCell::new(Theme::default());
    }

    /// The theme this test's views are drawn in (see [`Home::model`]).
    pub fn theme() -> Theme {
        THEME.with(|t| t.borrow().clone())
    }

    /// An attention window that takes in the golden data's March situations (see
    /// [`Home::model_at`]).
    pub const GOLDEN_WINDOW: Duration = Duration::from_secs(400 * 24 * 3600);

    /// The clock views are rendered with: 2026-11-22T16:05:00Z.
    pub fn now() -> DateTime<Utc> {
        NOW.parse().unwrap()
    }

    /// [`now`] as text.
    pub const NOW: &str = "2026-11-22T16:05:00Z";

    /// The environment that sets the real program's clock to [`now`] (`BEADBOARD_NOW`; it
    /// moves on from there), its zone to UTC, and its attention window to [`GOLDEN_WINDOW`]:
    /// what the tests see never depends on the day or the place they run.
    pub fn pinned() -> [(&'static str, PathBuf); 3] {
        [
            ("BEADBOARD_NOW", PathBuf::from(NOW)),
            ("TZ", PathBuf::from("UTC")),
            ("BEADBOARD_ATTENTION_WINDOW", PathBuf::from("400days")),
        ]
    }

    /// File times are set to this (2026-11-22T16:00:00Z), five minutes before `now`.
    pub fn file_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_363_200)
    }

    /// Sets every file's modification time under `dir` to `file_time()`.
    pub fn freeze_times(dir: &Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                freeze_times(&path);
            } else {
                File::options()
                    .append(true)
                    .open(&path)
                    .unwrap()
                    .set_modified(file_time())
                    .unwrap();
            }
        }
    }

    /// A home directory holding `ap` (agentpair) and `ntm` roots.
    pub struct Home {
        /// The temp directory (removed on drop).
        pub dir: tempfile::TempDir,
    }

    impl Home {
        /// Empty roots.
        pub fn empty() -> Home {
            Home {
                dir: tempfile::tempdir().unwrap(),
            }
        }

        /// The golden runs (upstream files plus the worked example as run 4) and the example store.
        pub fn golden() -> Home {
            let home = Home::empty();
            super::copy_tree(
                &super::fixture("upstream/agentpair/home-agentpair"),
                &home.agentpair(),
            );
            super::copy_tree(
                &super::fixture("examples/agentpair/runs/43d7567239bfd176/3"),
                &home.agentpair().join("runs/43d7567239bfd176/4"),
            );
            super::copy_tree(&super::fixture("examples/ntm"), &home.ntm());
            freeze_times(home.dir.path());
            home
        }

        /// The golden runs and store, and the dashboard's own Claude sessions
        /// (`sessions/app/claude`, copied to `claude/`).
        pub fn with_sessions() -> Home {
            let home = Home::golden();
            super::copy_tree(&super::fixture("sessions/app/claude"), &home.claude());
            freeze_times(home.dir.path());
            home
        }

        /// Only the dashboard's own Claude sessions, no runs and no store.
        pub fn sessions_only() -> Home {
            let home = Home::empty();
            super::copy_tree(&super::fixture("sessions/app/claude"), &home.claude());
            freeze_times(home.dir.path());
            home
        }

        /// Claude's config directory (sessions under `projects/`), when there is one.
        pub fn claude(&self) -> PathBuf {
            self.dir.path().join("claude")
        }

        /// Where the agents' sessions are: Claude's, Codex's and Gemini's directories and
        /// OpenCode's `opencode/opencode.db` here, when they exist.
        pub fn agents(&self) -> beadboard::persist::session::SessionRoots {
            let gemini = self.dir.path().join("gemini");
            let codex = self.dir.path().join("codex");
            let opencode = self.dir.path().join("opencode/opencode.db");
            beadboard::persist::session::SessionRoots {
                claude: if self.claude().is_dir() {
                    vec![self.claude()]
                } else {
                    Vec::new()
                },
                gemini: gemini.is_dir().then_some(gemini),
                codex: codex.is_dir().then_some(codex),
                opencode: opencode.is_file().then_some(opencode),
                ..Default::default()
            }
        }

        /// The agentpair root.
        pub fn agentpair(&self) -> PathBuf {
            self.dir.path().join("ap")
        }

        /// The NTM root.
        pub fn ntm(&self) -> PathBuf {
            self.dir.path().join("ntm")
        }

        /// The environment that points beadboard at these roots, with `HOME` (and the XDG
        /// config and cache directories) here, plus `extra`.
        pub fn env<'a>(&self, extra: &[(&'a str, PathBuf)]) -> Vec<(&'a str, PathBuf)> {
            // The program's clock and attention window as the views' (see `pinned`).
            let mut env: Vec<(&'a str, PathBuf)> = pinned().to_vec();
            env.extend([
                ("BEADBOARD_AGENTPAIR_DIR", self.agentpair()),
                ("BEADBOARD_NTM_DIR", self.ntm()),
                ("HOME", self.dir.path().to_path_buf()),
                ("XDG_CONFIG_HOME", self.dir.path().join(".config")),
                ("XDG_CACHE_HOME", self.dir.path().join(".cache")),
            ]);
            // A test's own settings come last and win.
            env.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
            env.extend(extra.iter().cloned());
            env
        }

        /// A model of size `w`×`h` on these roots (home = the temp dir, so paths show as `~/…`).
        pub fn model(&self, w: u16, h: u16, color: bool) -> Model {
            self.model_with(w, h, color, None)
        }

        /// As [`Home::model`], with a beads file behind the board's ready column.
        pub fn model_with(&self, w: u16, h: u16, color: bool, beads: Option<PathBuf>) -> Model {
            self.model_at(w, h, color, beads, now())
        }

        /// As [`Home::model_with`], loaded at `at` instead of [`now`].
        pub fn model_at(
            &self,
            w: u16,
            h: u16,
            color: bool,
            beads: Option<PathBuf>,
            at: DateTime<Utc>,
        ) -> Model {
            let roots = Roots {
                agentpair: self.agentpair(),
                ntm: self.ntm(),
                beads,
                agents: self.agents(),
            };
            let settings = Settings {
                home: Some(self.dir.path().to_path_buf()),
                // The golden data is from March 2026 and the views' clock reads November: these
                // tests look at what it flags, so its situations count as news here. The window
                // itself is tested on its own (tests/attention_now.rs), at its default.
                attention_window: GOLDEN_WINDOW,
                ..Settings::default()
            };
            THEME.with(|t| {
                *t.borrow_mut() = Theme {
                    color,
                    ..Theme::default()
                }
            });
            Model::load_at(roots, settings, Keymap::default(), (w, h), at)
        }
    }

    /// Presses keys by name (`j`, `Enter`, `C-u`, `S-Tab`), as the event loop would.
    pub fn press(model: &mut Model, keys: &str) {
        press_at(model, keys, now());
    }

    /// As [`press`], at `at`.
    pub fn press_at(model: &mut Model, keys: &str, at: DateTime<Utc>) {
        use beadboard::app::{event::Msg, keymap::Key, step};
        use crossterm::event::{KeyEvent, KeyModifiers};
        for name in keys.split_whitespace() {
            let key = Key::parse(name).unwrap_or_else(|| panic!("bad key {name}"));
            let mods = if key.ctrl {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::NONE
            };
            step(model, Msg::Key(KeyEvent::new(key.code, mods)), at);
        }
    }

    /// Types text into whatever has the keyboard (a form field).
    pub fn type_text(model: &mut Model, text: &str) {
        use beadboard::app::{event::Msg, step};
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        for c in text.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            step(model, Msg::Key(key), now());
        }
    }

    /// The status line's text.
    pub fn status(model: &Model) -> String {
        model
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    /// Draws `model` into a test terminal of its size.
    pub fn draw(model: &Model) -> Terminal<TestBackend> {
        draw_at(model, now())
    }

    /// Draws `model` as at `at`.
    pub fn draw_at(model: &Model, at: DateTime<Utc>) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(model.size.0, model.size.1)).unwrap();
        terminal
            .draw(|f| beadboard::ui::render(f, model, &theme(), at))
            .unwrap();
        terminal
    }

    /// The screen as text, one line per row.
    pub fn screen(model: &Model) -> String {
        screen_at(model, now())
    }

    /// The screen as text as drawn at `at`.
    pub fn screen_at(model: &Model, at: DateTime<Utc>) -> String {
        let terminal = draw_at(model, at);
        let buf = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            let mut hidden = 0;
            for x in 0..buf.area.width {
                // The cells a wide symbol covers are not shown, as a terminal does not show them.
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                let symbol = buf[(x, y)].symbol();
                hidden = beadboard::present::text::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// The sidebar fixture: bead ids 11–14 characters long in every column.
pub mod sidebar;

/// Stores written by today's NTM (schema 9) for dashboard tests.
pub mod ntm9;

/// Several sessions, for the session picker and the all-sessions board.
pub mod sessions;

/// Text measured differently by terminals, and a run that shows it.
pub mod widths;

/// Driving the real binary inside a private tmux server.
pub mod tmux {
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
}
