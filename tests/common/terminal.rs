//! Helpers for the terminal end-to-end tests: what a frame laid out for a size looks like,
//! and the state of a process (alive, stopped, gone, what it watches), read from `/proc`.

use super::dash::Home;
use super::tmux::Session;
use std::path::Path;
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

/// Whether `screen` (a `capture-pane -p` of a `width`×`height` pane) is a dashboard frame laid
/// out for exactly that size: the footer's right-aligned `? help` ends in the last column of the
/// last row, the panes' bottom border ends in the last column three rows up, and the header
/// shows the screen tabs (right-aligned, each with a trailing space that capture-pane trims) only
/// where not all panes fit (below 160×40). A frame drawn for another
/// size, or an old frame cut or padded by tmux, fails at least one of these.
pub fn laid_out_for(screen: &str, width: u16, height: u16) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    let (w, h) = (usize::from(width), usize::from(height));
    if lines.len() != h || h < 4 {
        return false;
    }
    let footer = lines[h - 1];
    let border = lines[h - 3];
    let header = lines[0];
    let wide = width >= 160 && height >= 40;
    footer.ends_with("? help")
        && footer.width() == w
        && (border.ends_with('┛') || border.ends_with('┘'))
        && border.width() == w
        && header.starts_with("beadboard")
        && if wide {
            !header.contains("1 Runs")
        } else {
            header.ends_with("3 Board") && header.width() + 1 == w
        }
}

/// Waits until `s`'s pane shows a dashboard frame laid out for `w`×`h`; returns the screen.
pub fn wait_layout(s: &Session, w: u16, h: u16) -> String {
    s.wait_until(
        |screen| laid_out_for(screen, w, h) && screen.contains("webapp #2"),
        &format!("a frame laid out for {w}×{h}"),
    )
}

/// Starts the dashboard on `home` at `w`×`h`, waits for its first frame laid out for that
/// size, and returns the session and the process id.
pub fn open(home: &Home, w: u16, h: u16) -> (Session, u32) {
    let s = Session::open(home, w, h, &[], &[]);
    wait_layout(&s, w, h);
    let pid = s.pid();
    (s, pid)
}

/// The state letter of `pid` (`S` sleeping, `R` running, `T` stopped, `Z` zombie), or `None`
/// when there is no such process.
pub fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Whether `pid` runs (or sleeps or is stopped): it exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    state(pid).is_some_and(|s| s != 'Z')
}

/// Whether `pid` has an inotify watch on `dir` (its inode in one of the process's inotify
/// descriptors' `/proc/PID/fdinfo`): the dashboard has seen the directory and will hear of
/// what happens in it.
pub fn watching(pid: u32, dir: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(dir) else {
        return false;
    };
    let wanted = format!(" ino:{:x} ", meta.ino());
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|l| l.as_os_str() == "anon_inode:inotify")
            && std::fs::read_to_string(format!(
                "/proc/{pid}/fdinfo/{}",
                fd.file_name().to_string_lossy()
            ))
            .is_ok_and(|info| info.contains(&wanted))
    })
}

/// Waits until `pid` is gone (or a zombie nobody reaped), panicking after the end-to-end tests'
/// generous deadline (how soon it goes is a benchmark's business, not a test's).
pub fn wait_gone(pid: u32, what: &str) {
    let limit = super::tmux::timeout();
    let start = Instant::now();
    while alive(pid) {
        assert!(
            start.elapsed() < limit,
            "beadboard {pid} still running {limit:?} after {what} (state {:?})",
            state(pid)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until `check` accepts `pid`'s state letter.
pub fn wait_state(pid: u32, check: impl Fn(Option<char>) -> bool, what: &str) {
    let deadline = Instant::now() + super::tmux::timeout();
    while !check(state(pid)) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: state {:?}",
            state(pid)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Every live beadboard process whose environment carries `marker`.
pub fn pids_with_marker(marker: &str) -> Vec<u32> {
    let wanted = format!("BEADBOARD_E2E_MARKER={marker}");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|pid| {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
            exe.file_name().is_some_and(|n| n == "beadboard")
                && environ.split(|b| *b == 0).any(|v| v == wanted.as_bytes())
                && alive(*pid)
        })
        .collect()
}

/// Sends `signal` to `pid`.
pub fn kill(pid: u32, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
}

/// The bytes of `path`, to compare before and after.
pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Names of the files in `dir` (to see that no temp or lock file was left behind).
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether a live (not zombie) process is in process group `pgid`, from /proc.
pub fn group_alive(pgid: i32) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // pid (comm) state ppid pgrp …; comm may hold spaces, so split after its ')'.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
        fields.len() > 2 && fields[2] == pgid.to_string() && fields[0] != "Z"
    })
}

/// Waits (generously) until no live process is left in process group `pgid`.
pub fn wait_group_gone(pgid: i32) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while group_alive(pgid) {
        assert!(
            std::time::Instant::now() < until,
            "process group {pgid} still has processes"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
