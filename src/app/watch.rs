//! Live updates: notify watches both data roots; each event path is classified into a
//! [`Change`] and sent to the loop. The NTM root is watched recursively. The agentpair root is
//! too for the headless `watch` command; the dashboard watches only its runs directory, each
//! repo directory and the run directories it asks for (every unfinished run), so a year of
//! history costs a few dozen watches rather than one per run. If watching cannot be set up (watch limits, a file
//! system without events), notify's poll watcher takes over and the header says so. The
//! watcher lives on a thread of its own, the watch keeper: setting up watches walks the
//! roots, which the event loop must never wait for.

use super::effect::Effect;
use super::event::{Change, Msg};
use super::outcome::Outcome;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

mod agents;
mod classify;
mod filesystem;

pub use agents::AgentDirs;
pub use classify::Classifier;

pub use filesystem::{fs_type_in, network_fs};

/// How often the poll watcher rescans when events are not available.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// A short reason for the header and status line, with the remedy where there is one.
fn explain(error: &notify::Error, path: &Path) -> String {
    match &error.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "watch limit reached: raise fs.inotify.max_user_watches".to_owned()
        }
        notify::ErrorKind::Io(e) if e.raw_os_error() == Some(libc::EMFILE) => {
            "too many watchers: raise fs.inotify.max_user_instances".to_owned()
        }
        _ => format!("cannot watch {}: {error}", path.display()),
    }
}

/// Whether watching failed because the path is gone.
fn vanished(error: &notify::Error) -> bool {
    match &error.kind {
        notify::ErrorKind::PathNotFound => true,
        notify::ErrorKind::Io(e) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// The running watcher.
pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    classifier: Classifier,
    /// `None` while events work; the reason while polling.
    pub polling: Option<String>,
    /// Run directories watched one by one (with [`Classifier::with_listed_runs`]).
    run_dirs: std::collections::BTreeSet<PathBuf>,
    /// The side directory of the Claude session shown (its sub-agents), watched while it is.
    side: Option<PathBuf>,
}

fn handler(
    classifier: Classifier,
    tx: Sender<Msg>,
) -> impl FnMut(notify::Result<notify::Event>) + Send + 'static {
    move |result: notify::Result<notify::Event>| match result {
        Ok(event) => {
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            if event.need_rescan() {
                // Events were dropped (the kernel's queue overflowed): look at everything again.
                let _ = tx.send(Msg::Disk(Change::Roots));
                return;
            }
            for path in &event.paths {
                if let Some(change) = classifier.classify(path) {
                    let _ = tx.send(Msg::Disk(change));
                }
            }
        }
        Err(e) => {
            let _ = tx.send(Msg::WatchFailed(e.to_string()));
        }
    }
}

impl Watch {
    /// Starts watching both roots with file events, or polling if events cannot be used
    /// (`force_poll` asks for polling from the start).
    #[must_use]
    pub fn start(
        roots: &crate::config::Roots,
        tx: &Sender<Msg>,
        force_poll: Option<String>,
    ) -> Watch {
        let classifier = Classifier::new(&roots.agentpair, &roots.ntm).with_agents(&roots.agents);
        Watch::start_with(roots, classifier, tx, force_poll)
    }

    /// As [`Watch::start`], classifying (and choosing what to watch) with `classifier`.
    #[must_use]
    pub fn start_with(
        roots: &crate::config::Roots,
        classifier: Classifier,
        tx: &Sender<Msg>,
        force_poll: Option<String>,
    ) -> Watch {
        let (agentpair, ntm) = (roots.agentpair.as_path(), roots.ntm.as_path());
        let classifier = classifier.with_beads(roots.beads.as_deref());
        let force_poll = force_poll.or_else(|| {
            [agentpair, ntm].into_iter().find_map(|root| {
                network_fs(root).map(|t| {
                    format!(
                        "{t} file system at {}: changes from other machines raise no events",
                        root.display()
                    )
                })
            })
        });
        if force_poll.is_none() {
            match notify::recommended_watcher(handler(classifier.clone(), tx.clone())) {
                Ok(w) => {
                    let mut watch = Watch {
                        watcher: Box::new(w),
                        classifier: classifier.clone(),
                        polling: None,
                        run_dirs: std::collections::BTreeSet::new(),
                        side: None,
                    };
                    match watch.attach() {
                        Ok(()) => return watch,
                        Err(reason) => return Watch::polling(classifier, tx, reason),
                    }
                }
                Err(e) => return Watch::polling(classifier, tx, explain(&e, agentpair)),
            }
        }
        Watch::polling(classifier, tx, force_poll.unwrap_or_default())
    }

    fn polling(classifier: Classifier, tx: &Sender<Msg>, reason: String) -> Watch {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let poller = notify::PollWatcher::new(handler(classifier.clone(), tx.clone()), config);
        let mut watch = match poller {
            Ok(p) => Watch {
                watcher: Box::new(p),
                classifier,
                polling: Some(reason),
                run_dirs: std::collections::BTreeSet::new(),
                side: None,
            },
            Err(e) => {
                // Not even polling works: keep a poller-less watch; the header says so.
                let noop = notify::NullWatcher;
                return Watch {
                    watcher: Box::new(noop),
                    classifier,
                    polling: Some(format!("{reason}; polling failed too: {e}")),
                    run_dirs: std::collections::BTreeSet::new(),
                    side: None,
                };
            }
        };
        let _ = watch.attach();
        watch
    }

    /// (Re)adds the watches, e.g. after a root appeared.
    ///
    /// # Errors
    /// Why a watch could not be added.
    pub fn attach(&mut self) -> Result<(), String> {
        for (path, mode) in self.classifier.targets() {
            let _ = self.watcher.unwatch(&path);
            match self.watcher.watch(&path, mode) {
                Ok(()) => {}
                // Gone since it was listed (a root or repo directory being removed): its
                // removal raised its own event, which watches again.
                Err(e) if vanished(&e) => {}
                Err(e) => return Err(explain(&e, &path)),
            }
        }
        let dirs: Vec<PathBuf> = self.run_dirs.iter().cloned().collect();
        self.watch_runs(dirs)?;
        let side = self.side.take();
        self.watch_side(side)
    }

    /// Watches where a session's sub-agents write (a Claude session's side directory `<id>/`,
    /// with their transcripts under `subagents/`; a Gemini one's `chats/<id>/`), recursively,
    /// instead of the one watched before (`None`: none). One that does not exist yet is
    /// remembered: its parent (the project directory, `chats/`) is watched, and its appearing
    /// asks for it again.
    ///
    /// # Errors
    /// Why the watch could not be added (a watch limit).
    pub fn watch_side(&mut self, side: Option<PathBuf>) -> Result<(), String> {
        if let Some(old) = self.side.take() {
            let _ = self.watcher.unwatch(&old);
        }
        if let Some(dir) = &side
            && dir.is_dir()
        {
            match self.watcher.watch(dir, RecursiveMode::Recursive) {
                Err(e) if !vanished(&e) => return Err(explain(&e, dir)),
                _ => {}
            }
        }
        self.side = side;
        Ok(())
    }

    /// Watches a directory that just appeared, and everything under it, now, before it is read.
    /// notify adds its own watch on a new directory only after the event saying it appeared is
    /// handled, so a file written there in between would raise no event. Nothing to do while
    /// polling (the poller looks at everything) or when the directory is gone again.
    ///
    /// # Errors
    /// Why the watch could not be added (a watch limit).
    pub fn cover(&mut self, dir: &Path) -> Result<(), String> {
        if self.polling.is_some() {
            return Ok(());
        }
        match self.watcher.watch(dir, RecursiveMode::Recursive) {
            Err(e) if !vanished(&e) => Err(explain(&e, dir)),
            _ => Ok(()),
        }
    }

    /// Also watches these run directories (not recursively). A directory that is gone is
    /// forgotten; running out of watches is the error.
    ///
    /// # Errors
    /// Why a watch could not be added (a watch limit).
    pub fn watch_runs(&mut self, dirs: Vec<PathBuf>) -> Result<(), String> {
        for dir in dirs {
            let _ = self.watcher.unwatch(&dir);
            match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.run_dirs.insert(dir);
                }
                // Out of watches: every later change needs polling to be seen.
                Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                    return Err(explain(&e, &dir));
                }
                // Gone already, or unreadable: its vanishing raised its own event, and the
                // minutely check still looks at its manifest.
                Err(_) => {
                    self.run_dirs.remove(&dir);
                }
            }
        }
        Ok(())
    }
}

impl Watch {
    /// Stops watching these run directories (watched by [`Watch::watch_runs`]); they are
    /// forgotten, so a rewatch or a fall back to polling does not watch them again.
    pub fn unwatch_runs(&mut self, dirs: &[PathBuf]) {
        for dir in dirs {
            if self.run_dirs.remove(dir) {
                // Already gone with its directory, or never added (a watch limit): nothing to undo.
                let _ = self.watcher.unwatch(dir);
            }
        }
    }

    /// How many run directories are watched one by one.
    #[must_use]
    pub fn runs_watched(&self) -> usize {
        self.run_dirs.len()
    }
}

/// Starts the watch keeper: it sets up watching (or polling) for `roots`, says how live
/// updates arrive, and then takes [`Effect::Rewatch`] and [`Effect::PollInstead`]. File events
/// go straight to `tx`; a request that panics is reported as [`Msg::Failed`].
pub fn spawn_keeper(
    roots: crate::config::Roots,
    tx: Sender<Msg>,
    force_poll: Option<String>,
) -> Option<Sender<Effect>> {
    let (requests, rx) = std::sync::mpsc::channel::<Effect>();
    std::thread::Builder::new()
        .name("beadboard-watch".to_owned())
        .spawn(move || {
            let classifier = || {
                Classifier::new(&roots.agentpair, &roots.ntm)
                    .with_listed_runs()
                    .with_agents(&roots.agents)
            };
            let mut watch = Watch::start_with(&roots, classifier(), &tx, force_poll.clone());
            let tell = |watch: &Watch| {
                let fell_back = watch.polling.is_some() && watch.polling != force_poll;
                let _ = tx.send(Msg::Done(Outcome::Watching {
                    polling: watch.polling.clone(),
                    fell_back,
                }));
            };
            tell(&watch);
            while let Ok(effect) = rx.recv() {
                // A bug in one request is reported, and the keeper goes on with the next.
                let handled = crate::panics::catch(|| match effect {
                    Effect::Rewatch => {
                        if let Err(reason) = watch.attach() {
                            let _ = tx.send(Msg::WatchFailed(reason));
                        }
                        // Only now is every later change sure to raise an event: rescan.
                        let _ = tx.send(Msg::Done(Outcome::Rewatched));
                    }
                    Effect::WatchRuns(dirs) => {
                        if let Err(reason) = watch.watch_runs(dirs.clone()) {
                            let _ = tx.send(Msg::WatchFailed(reason));
                        }
                        // Only now is every later change to them sure to raise an event.
                        let _ = tx.send(Msg::Done(Outcome::RunsWatched(dirs)));
                    }
                    Effect::UnwatchRuns(dirs) => watch.unwatch_runs(&dirs),
                    Effect::WatchSubagents(side) => {
                        if let Err(reason) = watch.watch_side(side.clone()) {
                            let _ = tx.send(Msg::WatchFailed(reason));
                        }
                        // Only now is every later change in it sure to raise an event.
                        let _ = tx.send(Msg::Done(Outcome::SubagentsWatched(side)));
                    }
                    Effect::PollInstead(reason) if watch.polling.is_none() => {
                        let dirs: Vec<PathBuf> = watch.run_dirs.iter().cloned().collect();
                        let side = watch.side.take();
                        watch = Watch::start_with(&roots, classifier(), &tx, Some(reason));
                        let _ = watch.watch_runs(dirs);
                        let _ = watch.watch_side(side);
                        tell(&watch);
                    }
                    _ => {}
                });
                if let Err(panic) = handled {
                    let _ = tx.send(Msg::Failed(format!(
                        "the file watcher stopped on a bug: {panic}"
                    )));
                }
            }
        })
        .ok()
        .map(|_| requests)
}

#[cfg(test)]
mod tests;
