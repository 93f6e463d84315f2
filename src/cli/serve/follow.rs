//! The transcripts a client follows ([`crate::remote::protocol::Request::Follow`]): each one's
//! file and where the client stands in it. A follow sends the last stretch (or from the offset
//! asked) at once; then, each time the stream's file watcher reports a change to that file (or
//! looks at everything again), whatever was appended is pushed, in whole lines, at most
//! [`crate::remote::protocol::TAIL_MAX`] bytes a frame, until the client unfollows. Nothing is
//! read or sent of a transcript no one follows. One lock over every follow keeps a follow's
//! first read and the pushes in order.

use super::requests::{read_chunk, transcript_of};
use super::send;
use crate::app::event::Change;
use crate::cli::CliError;
use crate::config::Roots;
use crate::persist::run::TRANSCRIPT_FILE;
use crate::remote::protocol::{Frame, TAIL_MAX};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One transcript followed.
#[derive(Debug)]
struct Followed {
    reference: String,
    path: PathBuf,
    /// Where the next push starts (`None`: the last stretch, not sent yet).
    next: Option<u64>,
}

/// Every follow of the channel, by id (shared by the request reader and the stream).
#[derive(Debug, Clone, Default)]
pub(super) struct Follows(Arc<Mutex<BTreeMap<u64, Followed>>>);

impl Follows {
    /// Starts following `reference` for the follow `id`: sends what is there from `from` (the
    /// last stretch with `None`) at once, or an error when there is no such transcript.
    pub(super) fn follow(&self, roots: &Roots, id: u64, reference: &str, from: Option<u64>) {
        let path = match transcript_of(roots, reference) {
            Ok(path) => path,
            Err(message) => {
                let _ = send(&Frame::Error {
                    id: Some(id),
                    message,
                });
                return;
            }
        };
        let Ok(mut follows) = self.0.lock() else {
            return;
        };
        let mut followed = Followed {
            reference: reference.to_owned(),
            path,
            next: from,
        };
        // The first answer is sent even when empty: it says the size, and that it follows.
        if push(id, &mut followed, true) == Ok(true) {
            follows.insert(id, followed);
        }
    }

    /// Stops the follow `id` (nothing is sent).
    pub(super) fn unfollow(&self, id: u64) {
        if let Ok(mut follows) = self.0.lock() {
            follows.remove(&id);
        }
    }

    /// Pushes what was appended to the files `change` touched (every followed file when the
    /// stream looked at everything again).
    pub(super) fn changed(&self, change: &Change) -> Result<(), CliError> {
        let Ok(mut follows) = self.0.lock() else {
            return Ok(());
        };
        let touched = |path: &PathBuf| match change {
            Change::Transcript(dir) | Change::RunActivity(dir) | Change::Run(dir) => {
                *path == dir.join(TRANSCRIPT_FILE)
            }
            Change::Agent(file) => path == file,
            Change::Runs | Change::Roots | Change::AgentDirs | Change::AgentLive => true,
            _ => false,
        };
        let mut gone = Vec::new();
        for (id, followed) in follows.iter_mut().filter(|(_, f)| touched(&f.path)) {
            if !push(*id, followed, false)? {
                gone.push(*id);
            }
        }
        for id in gone {
            follows.remove(&id);
        }
        Ok(())
    }
}

/// Sends what `followed`'s file holds past where it stands, a frame per [`TAIL_MAX`] bytes,
/// until it is caught up (`first`: at least one frame). A file cut shorter starts over from
/// its last stretch (the client sees a chunk from before where it stood, and starts over too).
/// An error reading it is sent as the follow's error, and ends it (`false`).
///
/// # Errors
/// The channel is closed.
fn push(id: u64, followed: &mut Followed, first: bool) -> Result<bool, CliError> {
    let mut sent = false;
    loop {
        let chunk = match read_chunk(&followed.path, &followed.reference, followed.next, TAIL_MAX) {
            Ok(chunk) => chunk,
            Err(message) => {
                send(&Frame::Error {
                    id: Some(id),
                    message,
                })?;
                return Ok(false);
            }
        };
        if followed.next.is_some_and(|n| chunk.size < n) {
            // Cut shorter or replaced: the last stretch again.
            followed.next = None;
            continue;
        }
        let moved = chunk.next > chunk.from || followed.next.is_none();
        if !moved && (sent || !first) {
            return Ok(true);
        }
        followed.next = Some(chunk.next);
        let caught_up = chunk.next >= chunk.size || chunk.next == chunk.from;
        send(&Frame::Tail { id, chunk })?;
        sent = true;
        if caught_up {
            return Ok(true);
        }
    }
}
