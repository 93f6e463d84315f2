//! The demo's sandbox: a directory under the system temp dir (never `$HOME`), named
//! `beadboard-demo-<pid>-…` so it says what it is and whose, holding an agentpair root with a
//! realistic history of runs, one run that went stale, an NTM session store of beads, a
//! beads `issues.jsonl`, and Claude Code's and Codex's session directories (`claude/`,
//! `codex/`; a finished session of each in the history). History is written through the persistence layer with past timestamps;
//! file times are set to match. While the demo runs it holds a lock on `.demo.lock` inside, so
//! the next demo can tell a sandbox left behind by a killed one (and removes it) from a running
//! one; a sandbox kept with `--keep` is marked `.kept` and left alone.

mod cleanup;

pub use cleanup::remove_abandoned;

use super::catalog::{Bead, Catalog};
use super::corpus::Corpus;
use super::history::{Failure, write_history, write_session, write_stale};
use super::work::Work;
use crate::config::Roots;
use crate::persist::assignment::{AssignmentStore, Clock};
use crate::persist::run::Paths;
use chrono::{DateTime, Duration as Span, Utc};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// The tmux session name of the demo's store.
pub const SESSION: &str = "demo";

/// What every sandbox's name starts with (then the process id and a random part).
pub const PREFIX: &str = "beadboard-demo-";

/// The lock file a running demo holds.
const LOCK_FILE: &str = ".demo.lock";

/// The marker of a sandbox kept with `--keep`.
const KEPT_FILE: &str = ".kept";

/// How many beads the sandbox starts with: 4 finished, 1 stale, 2 waiting, 5 ready.
const FIRST_BEADS: usize = 12;

/// The sandbox on disk.
#[derive(Debug)]
pub struct Sandbox {
    dir: tempfile::TempDir,
    /// Held while the demo runs (released when dropped).
    _lock: File,
    /// The beads and their file.
    pub catalog: Catalog,
}

/// The pane and agent a bead is given: panes 1–2 claude, 3–4 codex, 5–6 gemini.
#[must_use]
pub fn agent_for_pane(pane: i64) -> (&'static str, String) {
    let kind = match pane {
        1 | 2 => "claude",
        3 | 4 => "codex",
        _ => "gemini",
    };
    (kind, format!("{SESSION}_{kind}_{pane}"))
}

impl Sandbox {
    /// Creates and fills a sandbox from `seed` under the system temp dir, after removing the
    /// sandboxes that killed demos left there.
    ///
    /// # Errors
    /// Any I/O error while creating it.
    pub fn create(seed: u64, corpus: &Corpus) -> Result<Sandbox, Failure> {
        let parent = std::env::temp_dir();
        remove_abandoned(&parent);
        Sandbox::create_in(&parent, seed, corpus, crate::clock::now())
    }

    /// Creates and fills a sandbox in `parent`, its history ending at `now`.
    ///
    /// # Errors
    /// Any I/O error while creating it.
    pub fn create_in(
        parent: &Path,
        seed: u64,
        corpus: &Corpus,
        now: DateTime<Utc>,
    ) -> Result<Sandbox, Failure> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .tempdir_in(parent)?;
        let lock = File::create(dir.path().join(LOCK_FILE))?;
        lock.try_lock()?;
        let mut rng = fastrand::Rng::with_seed(seed);
        let beads_file = dir.path().join(".beads").join("issues.jsonl");
        let mut sandbox = Sandbox {
            catalog: Catalog::new(&beads_file, FIRST_BEADS, corpus, &mut rng),
            dir,
            _lock: lock,
        };
        sandbox.seed(&mut rng, corpus, now)?;
        Ok(sandbox)
    }

    /// The sandbox directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The roots the dashboard is opened on.
    #[must_use]
    pub fn roots(&self) -> Roots {
        Roots {
            agentpair: self.path().join("agentpair"),
            ntm: self.path().join("ntm"),
            beads: Some(self.catalog.path().to_path_buf()),
            agents: crate::persist::session::SessionRoots {
                claude: vec![self.agents_dir().join("claude")],
                codex: Some(self.agents_dir().join("codex")),
                ..crate::persist::session::SessionRoots::default()
            },
        }
    }

    /// The directory holding the agents' own session directories (`claude/`, `codex/`).
    #[must_use]
    pub fn agents_dir(&self) -> PathBuf {
        self.path().to_path_buf()
    }

    /// Keeps the directory after the demo (marked, so no later demo removes it) and returns
    /// its path.
    ///
    /// # Errors
    /// When the mark cannot be written (the directory is kept anyway).
    pub fn keep(self) -> (PathBuf, std::io::Result<()>) {
        let marked = File::create(self.path().join(KEPT_FILE)).map(drop);
        let _ = std::fs::remove_file(self.path().join(LOCK_FILE));
        (self.dir.keep(), marked)
    }

    /// Removes the sandbox, waiting for that at most `budget` (a long demo's sandbox is
    /// thousands of files, and on some disks each removal waits on the device). What is not
    /// removed by then is left unlocked and unmarked, so the next demo's sweep of abandoned
    /// sandboxes ([`remove_abandoned`]) removes it. Returns whether it was removed in time.
    pub fn dispose(self, budget: Duration) -> bool {
        let Sandbox { dir, _lock, .. } = self;
        // Released first: from here on the directory is abandoned to any later sweep.
        drop(_lock);
        let path = dir.keep();
        let (done, removed) = std::sync::mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("demo-cleanup".to_owned())
            .spawn(move || {
                let _ = done.send(std::fs::remove_dir_all(&path).is_ok());
            });
        worker.is_ok() && removed.recv_timeout(budget).unwrap_or(false)
    }

    fn seed(
        &mut self,
        rng: &mut fastrand::Rng,
        corpus: &Corpus,
        now: DateTime<Utc>,
    ) -> Result<(), Failure> {
        let roots = self.roots();
        let clock_at = Arc::new(AtomicI64::new(now.timestamp()));
        let clock = {
            let at = Arc::clone(&clock_at);
            Clock::from_fn(move || {
                chrono::DateTime::from_timestamp(at.load(Ordering::SeqCst), 0)
                    .unwrap_or_default()
                    .fixed_offset()
            })
        };
        let set_clock = |minutes_ago: i64| {
            clock_at.store(
                (now - Span::minutes(minutes_ago)).timestamp(),
                Ordering::SeqCst,
            )
        };
        let mut store = AssignmentStore::new(&roots.ntm, SESSION)?.with_clock(clock);
        let paths = Paths::new(&roots.agentpair);
        let beads: Vec<Bead> = self.catalog.beads().cloned().collect();
        std::fs::create_dir_all(self.agents_dir().join("claude/projects"))?;
        std::fs::create_dir_all(self.agents_dir().join("codex/sessions"))?;
        // Finished history: three completed beads and one failed, each with its run (a Claude
        // Code session in pane 1, a Codex session in pane 3).
        for (i, bead) in beads[..4].iter().enumerate() {
            let pane = i64::try_from(i % 6).unwrap_or(0) + 1;
            let (kind, name) = agent_for_pane(pane);
            let start = 200 - 45 * i64::try_from(i).unwrap_or(0);
            set_clock(start);
            store.assign(&bead.id, &bead.title, pane, kind, &name, &bead.prompt())?;
            set_clock(start - 2);
            store.mark_working(&bead.id)?;
            let failed = i == 3;
            let began = now - Span::minutes(start - 2);
            let end = match Work::kind_for_pane(pane) {
                Some(kind) => write_session(&self.agents_dir(), kind, bead, began, corpus, rng)?,
                None => write_history(&paths, bead, began, failed, corpus, rng)?,
            };
            set_clock((now - end).num_minutes());
            if failed {
                store.mark_failed(&bead.id, &Corpus::pick(&corpus.fail_reasons, rng))?;
            } else {
                store.mark_completed(&bead.id)?;
            }
        }
        // A bead whose run died long ago: still working on the board, stale in Runs.
        let stale = &beads[4];
        set_clock(52);
        store.assign(
            &stale.id,
            &stale.title,
            5,
            "gemini",
            &format!("{SESSION}_gemini_5"),
            &stale.prompt(),
        )?;
        set_clock(50);
        store.mark_working(&stale.id)?;
        write_stale(&paths, stale, now - Span::minutes(50))?;
        // Two beads waiting to be started (the simulator starts them at once).
        for (bead, pane) in beads[5..7].iter().zip([1, 3]) {
            set_clock(3);
            let (kind, name) = agent_for_pane(pane);
            store.assign(&bead.id, &bead.title, pane, kind, &name, &bead.prompt())?;
        }
        self.catalog.write(&store)?;
        Ok(())
    }
}
