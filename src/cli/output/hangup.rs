//! Noticing that standard output's reader went away while nothing is being written: a
//! `--follow` or `watch` waiting for news would otherwise find out only at its next write,
//! which may never come. A thread waits in poll(2) on fd 1 for POLLERR (a pipe whose reader
//! closed), POLLHUP (a hung-up terminal or socket) or POLLNVAL (no stdout at all); a file or a
//! live terminal never wakes it.

use rustix::event::{PollFd, PollFlags, poll};
use rustix::io::Errno;

/// Calls `gone` (once, on its own thread) when stdout's reader goes away.
pub fn on_reader_gone(gone: impl FnOnce() + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name("stdout-hangup".to_owned())
        .spawn(move || {
            let stdout = std::io::stdout();
            loop {
                // No events asked for: poll(2) always reports POLLERR, POLLHUP and POLLNVAL.
                let mut fds = [PollFd::new(&stdout, PollFlags::empty())];
                match poll(&mut fds, None) {
                    Ok(_) if !fds[0].revents().is_empty() => break,
                    Ok(_) | Err(Errno::INTR) => {}
                    // poll itself failing leaves the next write to find out.
                    Err(_) => return,
                }
            }
            gone();
        });
    // Without the thread, a closed reader is still noticed at the next write.
    drop(spawned);
}
