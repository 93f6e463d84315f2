//! The headless CLI as a test runs it: a private HOME, the upstream agentpair runs and the
//! dashboard's Claude sessions (read only), and a fresh copy of the example NTM store (changes
//! write to it).

use std::process::{Command, Output};

/// One case's data and HOME, removed when dropped.
pub struct Setup {
    /// The private HOME (also the working directory).
    pub home: tempfile::TempDir,
    /// The NTM root, a copy of `examples/ntm`.
    pub ntm: tempfile::TempDir,
}

impl Setup {
    /// Fresh copies.
    pub fn new() -> Setup {
        Setup {
            home: tempfile::tempdir().unwrap(),
            ntm: super::copy_fixture("examples/ntm"),
        }
    }

    /// `beadboard ARGS` on this data.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = super::beadboard(self.home.path());
        cmd.env(
            "BEADBOARD_AGENTPAIR_DIR",
            super::fixture("upstream/agentpair/home-agentpair"),
        )
        .env("BEADBOARD_NTM_DIR", self.ntm.path())
        .env(
            "BEADBOARD_CLAUDE_DIR",
            super::fixture("sessions/app/claude"),
        )
        .current_dir(self.home.path())
        .args(args);
        cmd
    }

    /// Runs `beadboard ARGS` to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// The bytes of session `webapp`'s store.
    pub fn store(&self) -> Vec<u8> {
        std::fs::read(self.ntm.path().join("sessions/webapp/assignments.json")).unwrap()
    }
}

/// The binary on these roots, with `home` (each test's own) as its HOME.
pub fn on_roots(
    home: &std::path::Path,
    agentpair: &std::path::Path,
    ntm: &std::path::Path,
) -> Command {
    let mut cmd = super::beadboard(home);
    cmd.env("BEADBOARD_AGENTPAIR_DIR", agentpair)
        .env("BEADBOARD_NTM_DIR", ntm);
    cmd
}
