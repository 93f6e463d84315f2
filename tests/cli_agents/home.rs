//! The home of the command-line agent-session tests: the dashboard's Claude fixture copied to
//! `claude/`, no agentpair runs or stores, and the binary pointed at it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;
use std::path::PathBuf;
use std::process::Command;

/// The fixture's `webapp` session.
pub const WEBAPP: &str = "88a8d761-7b9a-4bf1-a8ca-c1febe6bf358";
/// The fixture's `api` session.
pub const API: &str = "c3fb0a4e-2d1f-4e55-9a0b-7d2e8f6a1b90";

/// A home with the Claude fixture at `claude/` and no agentpair runs or stores.
pub struct Sessions {
    /// The HOME.
    pub dir: tempfile::TempDir,
}

impl Sessions {
    /// A fresh copy.
    pub fn new() -> Sessions {
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(
            &common::fixture("sessions/app/claude"),
            &dir.path().join("claude"),
        );
        Sessions { dir }
    }

    /// Where the Claude sessions are.
    pub fn claude(&self) -> PathBuf {
        self.dir.path().join("claude")
    }

    /// The `webapp` session's file.
    pub fn webapp(&self) -> PathBuf {
        self.claude()
            .join("projects/-home-dev-webapp")
            .join(format!("{WEBAPP}.jsonl"))
    }

    /// The binary, with HOME here and the Claude sessions pointed at by the variable.
    pub fn cmd(&self) -> Command {
        let mut cmd = common::beadboard(self.dir.path());
        cmd.env("BEADBOARD_CLAUDE_DIR", self.claude())
            .env("BEADBOARD_AGENTPAIR_DIR", self.dir.path().join("ap"))
            .env("BEADBOARD_NTM_DIR", self.dir.path().join("ntm"));
        cmd
    }

    /// `beadboard ARGS`: its exit code, stdout and stderr.
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        common::run(self.cmd().args(args))
    }
}
