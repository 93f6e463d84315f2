//! The process table from `/proc` (Linux): each `/proc/<pid>/stat` for the parent and start,
//! `/proc/stat`'s `btime` and the clock tick for the start on the wall clock; a process's
//! command line, working directory and open files from its own `/proc` entries.

use super::ProcessRow;
use crate::persist::session::SessionError;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// When the system booted, from `/proc/stat` (`btime`, seconds since the epoch).
fn boot_time() -> Option<i64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// The wall-clock time of a start `ticks` after boot.
fn wall(boot: Option<i64>, ticks: u64, per_second: u64) -> Option<DateTime<Utc>> {
    let per_second = per_second.max(1);
    let ms = i64::try_from(ticks.checked_mul(1000)? / per_second).ok()?;
    DateTime::from_timestamp_millis(boot?.checked_mul(1000)?.checked_add(ms)?)
}

/// Every process's parent and start.
pub(super) fn table() -> Result<Vec<ProcessRow>, SessionError> {
    let proc_dir = Path::new("/proc");
    let entries = std::fs::read_dir(proc_dir).map_err(|source| SessionError::Io {
        path: proc_dir.to_path_buf(),
        source,
    })?;
    let boot = boot_time();
    let per_second = rustix::param::clock_ticks_per_second();
    let mut rows = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        // Gone since the listing: not a process any more.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((ppid, start)) = super::stat_fields(&stat) else {
            continue;
        };
        rows.push(ProcessRow {
            pid,
            ppid,
            start_ticks: Some(start),
            started_at: wall(boot, start, per_second),
            argv: None,
        });
    }
    Ok(rows)
}

/// The command line of `pid` (`None`: gone). A kernel thread has an empty one.
pub(super) fn argv(pid: u32) -> Option<Vec<String>> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let mut words: Vec<String> = raw
        .split(|b| *b == 0)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    // The command line ends in a NUL, which leaves one empty word.
    if words.last().is_some_and(String::is_empty) {
        words.pop();
    }
    Some(words)
}

pub(super) fn cwd(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/cwd")).ok()
}

pub(super) fn open_files(pid: u32) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    let mut fds: Vec<(u32, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let fd = e.file_name().to_str()?.parse().ok()?;
            let target = std::fs::read_link(e.path()).ok()?;
            // Pipes, sockets and anonymous inodes read as `pipe:[…]`, not as paths.
            target.is_absolute().then_some((fd, target))
        })
        .collect();
    fds.sort_by_key(|(fd, _)| *fd);
    fds.into_iter().map(|(_, p)| p).collect()
}
