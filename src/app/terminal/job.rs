//! Whether stopping ourselves is safe: a stopped process only comes back when something sends
//! it SIGCONT, normally the job-control shell it was started from (`fg`). When our process
//! group is orphaned (no member has a parent in another group of the same session, e.g.
//! beadboard is a tmux pane's own command) nothing will, so the kernel ignores terminal stop
//! signals for it and so do we.

use rustix::process::{getpgrp, getsid};

/// One process as `/proc/PID/stat` describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proc {
    /// Its id.
    pub pid: i32,
    /// Its parent's id.
    pub ppid: i32,
    /// Its process group.
    pub pgrp: i32,
    /// Its session.
    pub session: i32,
}

/// Reads pid, ppid, pgrp and session from a `/proc/PID/stat` line (the command name, in
/// parentheses, may itself contain spaces and parentheses).
#[must_use]
pub fn parse_stat(line: &str) -> Option<Proc> {
    let (head, rest) = line.rsplit_once(')')?;
    let pid = head.split_whitespace().next()?.parse().ok()?;
    let mut fields = rest.split_whitespace().skip(1);
    let mut next = || fields.next()?.parse::<i32>().ok();
    Some(Proc {
        pid,
        ppid: next()?,
        pgrp: next()?,
        session: next()?,
    })
}

/// POSIX's orphaned process group: no member of `pgrp` has a parent in a different group of
/// the same `session`.
#[must_use]
pub fn orphaned(pgrp: i32, session: i32, procs: &[Proc]) -> bool {
    !procs.iter().filter(|p| p.pgrp == pgrp).any(|member| {
        procs
            .iter()
            .find(|p| p.pid == member.ppid)
            .is_some_and(|parent| parent.session == session && parent.pgrp != pgrp)
    })
}

fn processes() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter_map(|line| parse_stat(&line))
        .collect()
}

/// Why suspending now would leave beadboard stopped for good, if it would.
#[must_use]
pub fn cannot_stop() -> Option<&'static str> {
    let pgrp = getpgrp().as_raw_pid();
    let session = getsid(None).ok()?.as_raw_pid();
    let procs = processes();
    // Without /proc we cannot tell; stopping is what the user asked for.
    if procs.is_empty() || !orphaned(pgrp, session, &procs) {
        return None;
    }
    Some("not suspended: no shell here could bring beadboard back with fg (q quits)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pid: i32, ppid: i32, pgrp: i32, session: i32) -> Proc {
        Proc {
            pid,
            ppid,
            pgrp,
            session,
        }
    }

    #[test]
    fn stat_lines_with_odd_command_names_parse() {
        let line = "4242 (we ird) (x)) S 17 4242 17 34816 4242 4194560 0 0";
        assert_eq!(parse_stat(line), Some(p(4242, 17, 4242, 17)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn a_job_started_from_a_shell_is_not_orphaned() {
        // tmux server 1 (its own session) → bash 10 (session leader) → beadboard 20 (job 20).
        let procs = [p(1, 0, 1, 1), p(10, 1, 10, 10), p(20, 10, 20, 10)];
        assert!(!orphaned(20, 10, &procs));
        // A job whose leader is a `sh -c` wrapper that forked beadboard in its group.
        let procs = [p(10, 1, 10, 10), p(20, 10, 20, 10), p(21, 20, 20, 10)];
        assert!(!orphaned(20, 10, &procs));
    }

    #[test]
    fn a_panes_own_command_is_orphaned() {
        // tmux server 1 → beadboard 10, leader of its own session and group.
        assert!(orphaned(10, 10, &[p(1, 0, 1, 1), p(10, 1, 10, 10)]));
        // tmux server 1 → sh -c 10 → beadboard 11, both in sh's group (no job control).
        let procs = [p(1, 0, 1, 1), p(10, 1, 10, 10), p(11, 10, 10, 10)];
        assert!(orphaned(10, 10, &procs));
    }
}
