//! Panics that are caught and reported instead of ending the program: a worker's job, or an
//! item of a parallel map (whose panic is raised again on the thread that asked for the map).
//!
//! A thread marks itself with [`mark_caught`] (a parallel map's helpers) or runs a job through
//! [`catch`] (the dashboard's workers). A panic hook asks [`caught_here`]: such a panic is not
//! the end of the program, so the dashboard's hook leaves the terminal alone and prints nothing
//! over the screen; it keeps the message with [`record`] for [`catch`] to report.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, PanicHookInfo};
use std::sync::{Mutex, PoisonError};

thread_local! {
    static CAUGHT: Cell<bool> = const { Cell::new(false) };
}

/// The last caught panic's message and place, as a hook recorded it.
static LAST: Mutex<Option<String>> = Mutex::new(None);

/// This thread's panics are caught and reported by whoever waits for its work.
pub fn mark_caught() {
    CAUGHT.with(|c| c.set(true));
}

/// Whether a panic on this thread is caught and reported (see the module documentation).
#[must_use]
pub fn caught_here() -> bool {
    CAUGHT.with(Cell::get)
}

/// Keeps `info` (message and place) for the [`catch`] that will report it.
pub fn record(info: &PanicHookInfo<'_>) {
    let text = match info.location() {
        Some(at) => format!(
            "{} at {}:{}",
            payload_text(info.payload()),
            at.file(),
            at.line()
        ),
        None => payload_text(info.payload()),
    };
    *LAST.lock().unwrap_or_else(PoisonError::into_inner) = Some(text);
}

/// The words a panic carried (`panic!("…")` gives a `&str` or a `String`).
fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Runs `f`; a panic in it (or raised again in it from a parallel map) becomes `Err` with its
/// message and, when a hook recorded it, its place.
///
/// # Errors
/// The panic's message.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    let before = CAUGHT.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CAUGHT.with(|c| c.set(before));
    result.map_err(|payload| {
        LAST.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_else(|| payload_text(payload.as_ref()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_its_message_and_the_thread_goes_on() {
        let err = catch(|| -> u8 { panic!("bad {}", 7) }).unwrap_err();
        assert!(err.contains("bad 7"), "{err}");
        assert!(!caught_here(), "the mark is the catch's only");
        assert_eq!(catch(|| 3), Ok(3));
    }
}
