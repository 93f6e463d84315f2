//! A dashboard model on copies of fixtures, with deterministic times, for view and key tests.

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
