//! A child's pipes, each served by a thread of its own: stdin fed, stdout and stderr read into
//! a capped buffer that can be taken at any time, whether or not the pipe has reached its end.

use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// Writes `bytes` to the child's stdin on a thread, then closes it. A child that exits without
/// reading makes the write fail with a broken pipe, which is fine; one that never reads is
/// stopped with its group, which ends the write too.
pub(super) fn feed(mut pipe: impl Write + Send + 'static, bytes: Vec<u8>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("child-stdin".into())
        .spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
        .map(drop)
}

/// One output pipe being read: what was kept so far, and word of its end of file.
pub(super) struct Capture {
    kept: Arc<Mutex<Vec<u8>>>,
    ended: Option<Receiver<()>>,
}

impl Capture {
    /// Reads `pipe` (if any) on a thread, keeping its first `keep` bytes and dropping the
    /// rest.
    pub(super) fn start(
        pipe: Option<impl Read + Send + 'static>,
        keep: usize,
    ) -> io::Result<Capture> {
        let kept = Arc::new(Mutex::new(Vec::new()));
        let Some(mut pipe) = pipe else {
            return Ok(Capture { kept, ended: None });
        };
        let (tx, rx) = mpsc::channel();
        let into = Arc::clone(&kept);
        std::thread::Builder::new()
            .name("child-output".into())
            .spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            let mut kept = into.lock().unwrap_or_else(PoisonError::into_inner);
                            let room = keep.saturating_sub(kept.len()).min(n);
                            kept.extend_from_slice(&buf[..room]);
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
                let _ = tx.send(());
            })?;
        Ok(Capture {
            kept,
            ended: Some(rx),
        })
    }

    /// Waits until the pipe reached its end of file, or `until`; whether it did.
    pub(super) fn wait_end(&self, until: Instant) -> bool {
        let Some(ended) = &self.ended else {
            return true;
        };
        let left = until.saturating_duration_since(Instant::now());
        !matches!(ended.recv_timeout(left), Err(RecvTimeoutError::Timeout))
    }

    /// What was kept so far (the reader, if still running, keeps reading and dropping).
    pub(super) fn take(self) -> Vec<u8> {
        std::mem::take(&mut *self.kept.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
