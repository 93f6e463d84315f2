//! Is a session's process alive: [`pid_alive`] (a signal-0 probe, no signal sent) and, on
//! Linux, [`process_start`] to tell a reused pid from the process a registry file named
//! (Claude's `procStart`). What the process is doing comes from Claude's registry
//! ([`crate::persist::session::claude::registry`]) and the transcripts' ends. Binding a tmux
//! pane to its agent's session through the process tree is built on these later.

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
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_its_start_matches() {
        let me = std::process::id();
        assert!(pid_alive(me));
        assert!(!pid_alive(0));
        if let Some(start) = process_start(me) {
            assert_eq!(same_process(me, &start.to_string()), Some(true));
            assert_eq!(same_process(me, &(start + 1).to_string()), Some(false));
        }
    }

    #[test]
    fn a_child_is_alive_until_it_is_reaped() {
        let mut child = std::process::Command::new("cat")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(pid_alive(pid));
        drop(child.stdin.take());
        child.wait().unwrap();
        // Linux hands out pids in increasing order, so this one is not reused at once.
        assert!(!pid_alive(pid));
    }
}
