//! Helpers shared by the integration tests (a fixed clock, fixture paths, temp homes).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::assignment::{AssignmentStore, Clock};
use beadboard::persist::gojson::{self, GoTime};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

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

    /// The clock views are rendered with: 2026-11-22T16:05:00Z.
    pub fn now() -> DateTime<Utc> {
        "2026-11-22T16:05:00Z".parse().unwrap()
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
                File::options().append(true).open(&path).unwrap().set_modified(file_time()).unwrap();
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
            Home { dir: tempfile::tempdir().unwrap() }
        }

        /// The golden runs (upstream files plus the worked example as run 4) and the example store.
        pub fn golden() -> Home {
            let home = Home::empty();
            super::copy_tree(&super::fixture("upstream/agentpair/home-agentpair"), &home.agentpair());
            super::copy_tree(&super::fixture("examples/agentpair/runs/43d7567239bfd176/3"), &home.agentpair().join("runs/43d7567239bfd176/4"));
            super::copy_tree(&super::fixture("examples/ntm"), &home.ntm());
            freeze_times(home.dir.path());
            home
        }

        /// The agentpair root.
        pub fn agentpair(&self) -> PathBuf {
            self.dir.path().join("ap")
        }

        /// The NTM root.
        pub fn ntm(&self) -> PathBuf {
            self.dir.path().join("ntm")
        }

        /// A model of size `w`×`h` on these roots (home = the temp dir, so paths show as `~/…`).
        pub fn model(&self, w: u16, h: u16, color: bool) -> Model {
            let roots = Roots { agentpair: self.agentpair(), ntm: self.ntm(), beads: None };
            let settings = Settings { home: Some(self.dir.path().to_path_buf()), ..Settings::default() };
            let theme = Theme { color, ..Theme::default() };
            Model::load(roots, settings, Keymap::default(), theme, (w, h))
        }
    }

    /// Draws `model` into a test terminal of its size.
    pub fn draw(model: &Model) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(model.size.0, model.size.1)).unwrap();
        terminal.draw(|f| beadboard::ui::render(f, model, now())).unwrap();
        terminal
    }

    /// The screen as text, one line per row.
    pub fn screen(model: &Model) -> String {
        let terminal = draw(model);
        let buf = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
