//! Is a session's process alive, and which processes run where: [`pid_alive`] (a signal-0
//! probe, no signal sent); on Linux, [`process_start`] to tell a reused pid from the process a
//! registry file named (Claude's `procStart`); and [`ProcessTable`], one look at every
//! process (its parent and start), from which a tmux pane's process tree is walked
//! breadth-first within bounds ([`TreeLimits`], as NTM walks it) with each process's command
//! line, and, for the processes that matter, their working directory ([`cwd`]) and the files
//! they hold open ([`open_files`]).
//!
//! On Linux everything comes from `/proc`; elsewhere (and on Linux with the `portable`
//! feature) from `ps` and `lsof`. Nothing here decides which process is an agent or which
//! session is whose: that is the binding's (`crate::binding`).

use super::SessionError;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

#[cfg(all(target_os = "linux", not(feature = "portable")))]
mod linux;
#[cfg(all(target_os = "linux", not(feature = "portable")))]
use linux as system;
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
mod portable;
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
use portable as system;

/// True when a process with this pid exists (owned by anyone: a permission error means it
/// exists). Pid 0 and pids beyond the kernel's range are never alive.
#[must_use]
pub fn pid_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// When process `pid` started, in clock ticks since boot (field 22 of `/proc/<pid>/stat`, the
/// number Claude writes as `procStart`); `None` where there is no `/proc` or no such process.
#[must_use]
pub fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat_fields(&stat).map(|(_, start)| start)
}

/// The parent pid and start ticks of a `/proc/<pid>/stat` line. The command name (field 2) is
/// in parentheses and may hold spaces and parentheses: fields are counted after the last `)`.
pub(crate) fn stat_fields(stat: &str) -> Option<(u32, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let ppid = fields.nth(1)?.parse().ok()?;
    let start = fields.nth(17)?.parse().ok()?;
    Some((ppid, start))
}

/// Whether `pid` is still the process that started at `proc_start` (as a registry file
/// recorded it): `Some(false)` when the pid is gone or now belongs to another process, `None`
/// when it cannot be told (no `/proc`, or `proc_start` is not a number) and only
/// [`pid_alive`] can say.
#[must_use]
pub fn same_process(pid: u32, proc_start: &str) -> Option<bool> {
    let want: u64 = proc_start.trim().parse().ok()?;
    if !pid_alive(pid) {
        return Some(false);
    }
    process_start(pid).map(|now| now == want)
}

/// One process, as a pane's tree is read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Process {
    /// Its pid.
    pub pid: u32,
    /// Its parent's pid.
    pub ppid: u32,
    /// Its command line (lossy UTF-8; from `ps`, split at spaces).
    pub argv: Vec<String>,
    /// Its working directory, once read ([`cwd`]).
    pub cwd: Option<PathBuf>,
    /// When it started, when the system says.
    pub started_at: Option<DateTime<Utc>>,
    /// When it started in clock ticks since boot (Linux), what Claude's registry records as
    /// `procStart`.
    pub start_ticks: Option<u64>,
    /// The files it holds open, in descriptor order, once read ([`open_files`]).
    pub open_files: Vec<PathBuf>,
}

/// How far a pane's process tree is walked (NTM's bounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeLimits {
    /// Generations below the pane's process.
    pub depth: usize,
    /// Children looked at per process.
    pub fan_out: usize,
    /// Processes in all.
    pub nodes: usize,
}

impl Default for TreeLimits {
    fn default() -> TreeLimits {
        TreeLimits {
            depth: 8,
            fan_out: 64,
            nodes: 256,
        }
    }
}

/// What one look at the system says of a process.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessRow {
    /// Its pid.
    pub pid: u32,
    /// Its parent's pid.
    pub ppid: u32,
    /// Its start in clock ticks since boot (Linux).
    pub start_ticks: Option<u64>,
    /// Its start on the wall clock.
    pub started_at: Option<DateTime<Utc>>,
    /// Its command line, when the look gave it (`ps` does; on Linux it is read per process).
    pub argv: Option<Vec<String>>,
}

/// Every process at one moment: who is whose parent, and when each started.
#[derive(Debug, Clone, Default)]
pub struct ProcessTable {
    rows: HashMap<u32, ProcessRow>,
    children: HashMap<u32, Vec<u32>>,
}

impl ProcessTable {
    /// Looks at every process (`/proc/*/stat`, or `ps`).
    ///
    /// # Errors
    /// The process list cannot be read (no `/proc`, `ps` missing or failing).
    pub fn read() -> Result<ProcessTable, SessionError> {
        system::table().map(ProcessTable::new)
    }

    /// A table of these rows (children in pid order).
    #[must_use]
    pub fn new(rows: Vec<ProcessRow>) -> ProcessTable {
        let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
        for r in &rows {
            if r.ppid != r.pid {
                children.entry(r.ppid).or_default().push(r.pid);
            }
        }
        for kids in children.values_mut() {
            kids.sort_unstable();
        }
        ProcessTable {
            rows: rows.into_iter().map(|r| (r.pid, r)).collect(),
            children,
        }
    }

    /// How many processes it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// `root` and its descendants, breadth first (children in pid order), within `limits`;
    /// empty when `root` is not running.
    #[must_use]
    pub fn descendants(&self, root: u32, limits: TreeLimits) -> Vec<u32> {
        if !self.rows.contains_key(&root) {
            return Vec::new();
        }
        let mut out = vec![root];
        let mut queue = VecDeque::from([(root, 0usize)]);
        while let Some((pid, depth)) = queue.pop_front() {
            if depth >= limits.depth {
                continue;
            }
            let kids = self.children.get(&pid).map_or(&[][..], Vec::as_slice);
            for &kid in kids.iter().take(limits.fan_out) {
                if out.len() >= limits.nodes {
                    return out;
                }
                out.push(kid);
                queue.push_back((kid, depth + 1));
            }
        }
        out
    }

    /// The process tree under `root` (see [`ProcessTable::descendants`]), each with its
    /// command line and start; working directories and open files are read separately, for
    /// the few processes that need them. A process gone since the look is left out.
    #[must_use]
    pub fn tree(&self, root: u32, limits: TreeLimits) -> Vec<Process> {
        self.descendants(root, limits)
            .into_iter()
            .filter_map(|pid| {
                let row = self.rows.get(&pid)?;
                let argv = match &row.argv {
                    Some(argv) => argv.clone(),
                    None => system::argv(pid)?,
                };
                Some(Process {
                    pid,
                    ppid: row.ppid,
                    argv,
                    cwd: None,
                    started_at: row.started_at,
                    start_ticks: row.start_ticks,
                    open_files: Vec::new(),
                })
            })
            .collect()
    }
}

/// The working directory of `pid` (`None`: gone, or not ours to read).
#[must_use]
pub fn cwd(pid: u32) -> Option<PathBuf> {
    system::cwd(pid)
}

/// The files `pid` holds open, in descriptor order (pipes, sockets and the like left out;
/// empty when it is gone or not ours to read).
#[must_use]
pub fn open_files(pid: u32) -> Vec<PathBuf> {
    system::open_files(pid)
}

#[cfg(test)]
mod tests;
