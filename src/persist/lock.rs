//! The cross-process `flock` on a sidecar lock file (`assignments.json.lock`), the protocol
//! today's NTM uses: opened `O_CREAT|O_RDWR` with mode 0600, never deleted, exclusive lock
//! retried every 10 ms until a deadline, or until the caller cancels (a UI sets a flag). Waits
//! are bounded and reported, never silent.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// How long a writer waits for another program's lock before giving up, unless told otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The lock file could not be opened or locked.
    #[error("cannot lock {path}: {source}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// Another program held the lock for longer than the timeout.
    #[error("waiting for {} held by another program: gave up after {:.1}s", file_name(.path), .waited.as_secs_f64())]
    Timeout {
        /// The lock file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
    /// The wait was cancelled by the user before the lock came free.
    #[error("stopped waiting for {} (cancelled after {:.1}s)", file_name(.path), .waited.as_secs_f64())]
    Cancelled {
        /// The lock file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// An exclusive `flock` held until dropped (closing the descriptor releases it).
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Takes the exclusive lock on `path`, creating the file if needed, retrying every 10 ms
    /// for at most `timeout`. `on_wait` is called once if the lock is busy, so a caller can
    /// say what it is waiting for.
    ///
    /// # Errors
    /// [`LockError::Timeout`] when another holder keeps it too long; [`LockError::Io`] otherwise.
    pub fn acquire(
        path: &Path,
        timeout: Duration,
        on_wait: impl FnMut(),
    ) -> Result<FileLock, LockError> {
        FileLock::acquire_cancellable(path, timeout, &AtomicBool::new(false), on_wait)
    }

    /// As [`FileLock::acquire`], and also gives up as soon as `cancel` is set (checked every
    /// 10 ms while the lock is busy), so a user can stop a long wait.
    ///
    /// # Errors
    /// [`LockError::Cancelled`], [`LockError::Timeout`], or [`LockError::Io`].
    pub fn acquire_cancellable(
        path: &Path,
        timeout: Duration,
        cancel: &AtomicBool,
        mut on_wait: impl FnMut(),
    ) -> Result<FileLock, LockError> {
        let io_error = |source| LockError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
            .map_err(io_error)?;
        let started = Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(FileLock { _file: file }),
                Err(TryLockError::WouldBlock) => {
                    let waited = started.elapsed();
                    if cancel.load(Ordering::SeqCst) {
                        return Err(LockError::Cancelled {
                            path: path.to_path_buf(),
                            waited,
                        });
                    }
                    if waited >= timeout {
                        return Err(LockError::Timeout {
                            path: path.to_path_buf(),
                            waited,
                        });
                    }
                    if !told {
                        told = true;
                        on_wait();
                    }
                    thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::Error(e)) => return Err(io_error(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_times_out_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assignments.json.lock");
        let held = FileLock::acquire(&path, DEFAULT_LOCK_TIMEOUT, || {}).unwrap();
        let mut waited = false;
        let err =
            FileLock::acquire(&path, Duration::from_millis(50), || waited = true).unwrap_err();
        assert!(waited);
        assert!(
            err.to_string()
                .starts_with("waiting for assignments.json.lock held by another program"),
            "{err}"
        );
        drop(held);
        FileLock::acquire(&path, Duration::from_millis(50), || {}).unwrap();
    }

    #[test]
    fn a_cancelled_wait_stops_before_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let _held = FileLock::acquire(&path, DEFAULT_LOCK_TIMEOUT, || {}).unwrap();
        let cancel = AtomicBool::new(false);
        let err = FileLock::acquire_cancellable(&path, Duration::from_secs(600), &cancel, || {
            cancel.store(true, Ordering::SeqCst);
        })
        .unwrap_err();
        assert!(matches!(err, LockError::Cancelled { .. }), "{err}");
        assert!(
            err.to_string().starts_with("stopped waiting for x.lock"),
            "{err}"
        );
    }
}
