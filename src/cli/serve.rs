//! `beadboard serve --stdio` (hidden): this machine's side of a host channel, run by another
//! beadboard over ssh. It speaks [`crate::remote::protocol`] on stdin and stdout: a hello, then
//! the snapshot and the changes from the same stream as `beadboard watch` (transcript entries
//! left out: transcripts are never sent whole), heartbeats, answers to requests (moves,
//! tails, searches: see [`requests`]), and what is appended to the transcripts the client
//! follows, pushed as the stream's watcher sees it ([`follow`]). It opens no socket, and ends when stdin closes or
//! stdout's reader goes away, once the moves under way are made and recorded.

mod follow;
mod framed;
mod journal;
mod requests;
mod searches;

pub use journal::Journal;
use searches::Searches;

use follow::Follows;

use super::CliError;
use super::output::on_reader_gone;
use super::watch::{self, WatchOptions};
use crate::app::event::Msg;
use crate::config::Roots;
use crate::present::attention::Thresholds;
use crate::remote::protocol::{self, Frame, Request};
use std::io::{BufRead, Write};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Writes one frame as a line and flushes it (stdout is shared by the stream, the request
/// answers and the heartbeats; each line is written whole under its lock).
pub(super) fn send(frame: &Frame) -> Result<(), CliError> {
    let line = protocol::line(frame)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|_| CliError::closed())
}

/// The moves and searches under way, each on its own thread.
type Running = Arc<Mutex<Vec<JoinHandle<()>>>>;

/// Answers requests from stdin until it closes, then stops the stream.
fn answer_requests(roots: &Roots, running: &Running, follows: &Follows, stop: Sender<Msg>) {
    let journal = Journal::default_place();
    let searches = Searches::default();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(Request::Ping { id }) => Frame::Pong { id },
            Ok(Request::Tail { id, run, from, max }) => requests::tail(roots, id, &run, from, max),
            Ok(Request::Follow { id, run, from }) => {
                follows.follow(roots, id, &run, from);
                continue;
            }
            Ok(Request::Unfollow { id }) => {
                follows.unfollow(id);
                continue;
            }
            Ok(Request::Move { id, key, mv }) => {
                let (roots, journal) = (roots.clone(), journal.clone());
                spawn(running, "serve-move", move || {
                    let _ = send(&requests::make_move(
                        &roots,
                        journal.as_ref(),
                        id,
                        &key,
                        &mv,
                    ));
                });
                continue;
            }
            Ok(Request::Run {
                id,
                args,
                host,
                prefixed,
            }) => {
                // Not waited for at the end: a run (a `watch`) may go on until the channel ends.
                let _ = std::thread::Builder::new()
                    .name("serve-run".to_owned())
                    .spawn(move || requests::run(id, &args, &host, prefixed));
                continue;
            }
            Ok(Request::Search { id, spec }) => {
                let roots = roots.clone();
                // Registered here, before its thread starts: a cancel read next finds it.
                let ticket = searches.start(id);
                spawn(running, "serve-search", move || {
                    requests::search(&roots, &spec, ticket, crate::config::cache_dir(), send);
                });
                continue;
            }
            Ok(Request::Cancel { id }) => {
                // An id no search under way has (ended, or never asked) is ignored.
                searches.cancel(id);
                continue;
            }
            Err(e) => Frame::Error {
                id: serde_json::from_str::<serde_json::Value>(&line)
                    .ok()
                    .and_then(|v| v["id"].as_u64()),
                message: format!("cannot read the request ({e})"),
            },
        };
        if send(&answer).is_err() {
            break;
        }
    }
    let _ = stop.send(Msg::Stop("the channel closed".to_owned()));
}

/// Runs `job` on its own thread, kept in `running` (run at once if no thread can be made).
fn spawn(running: &Running, name: &str, job: impl FnOnce() + Send + 'static) {
    let job = Arc::new(Mutex::new(Some(job)));
    let run = {
        let job = Arc::clone(&job);
        move || {
            if let Some(job) = job.lock().ok().and_then(|mut j| j.take()) {
                job();
            }
        }
    };
    match std::thread::Builder::new().name(name.to_owned()).spawn(run) {
        Ok(handle) => {
            if let Ok(mut running) = running.lock() {
                running.retain(|h| !h.is_finished());
                running.push(handle);
            }
        }
        Err(_) => {
            if let Some(job) = job.lock().ok().and_then(|mut j| j.take()) {
                job();
            }
        }
    }
}

/// Waits for the moves and searches under way (a move is never cut off by the channel's end).
fn finish(running: &Running) {
    loop {
        let handles = running
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default();
        if handles.is_empty() {
            return;
        }
        for handle in handles {
            let _ = handle.join();
        }
    }
}

/// Sends a heartbeat every `interval` until stdout fails.
fn beat(interval: Duration, stop: Sender<Msg>) {
    for seq in 1.. {
        std::thread::sleep(interval);
        if send(&Frame::Heartbeat {
            seq,
            at: crate::clock::now(),
        })
        .is_err()
        {
            break;
        }
    }
    let _ = stop.send(Msg::Stop("the channel closed".to_owned()));
}

/// Serves the channel until it closes.
///
/// # Errors
/// A closed channel is a quiet end ([`CliError::closed`]); the stream's own errors otherwise.
pub fn serve(
    roots: &Roots,
    limits: Thresholds,
    poll: bool,
    heartbeat: Duration,
) -> Result<(), CliError> {
    send(&protocol::hello())?;
    let (tx, rx) = mpsc::channel::<Msg>();
    let stop = tx.clone();
    on_reader_gone(move || {
        let _ = stop.send(Msg::Stop("stdout's reader went away".to_owned()));
    });
    let running: Running = Arc::default();
    let follows = Follows::default();
    for (name, job) in [
        ("serve-requests", Job::Requests),
        ("serve-heartbeat", Job::Heartbeat),
    ] {
        let stop = tx.clone();
        let (roots, running, follows) = (roots.clone(), Arc::clone(&running), follows.clone());
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || match job {
                Job::Requests => answer_requests(&roots, &running, &follows, stop),
                Job::Heartbeat => beat(heartbeat, stop),
            })?;
    }
    let options = WatchOptions {
        json: true,
        snapshot: true,
        no_entries: true,
        poll,
    };
    let mut framed = framed::Framed::new(follows);
    let streamed = watch::stream(&mut framed, roots, limits, options, (tx, rx));
    finish(&running);
    streamed
}

#[derive(Clone, Copy)]
enum Job {
    Requests,
    Heartbeat,
}
