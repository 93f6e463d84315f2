//! `beadboard serve --stdio` (hidden): this machine's side of a host channel, run by another
//! beadboard over ssh. It speaks [`crate::remote::protocol`] on stdin and stdout: a hello, then
//! the snapshot and the changes from the same stream as `beadboard watch` (transcript entries
//! left out: transcripts are never sent whole), heartbeats, and answers to requests. It opens
//! no socket, and ends when stdin closes or stdout's reader goes away.

use super::CliError;
use super::output::on_reader_gone;
use super::watch::{self, Ready, Sink, WatchOptions};
use crate::app::event::Msg;
use crate::config::Roots;
use crate::events::Event;
use crate::present::attention::Thresholds;
use crate::remote::protocol::{self, Frame, Request};
use std::io::{BufRead, Write};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

/// Writes one frame as a line and flushes it (stdout is shared by the stream, the request
/// answers and the heartbeats; each line is written whole under its lock).
fn send(frame: &Frame) -> Result<(), CliError> {
    let line = protocol::line(frame)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|_| CliError::closed())
}

/// The stream's events as frames: the starting state gathered into one snapshot, then one
/// frame per change.
struct Framed {
    snapshot: Vec<serde_json::Value>,
    ready: bool,
}

impl Sink for Framed {
    fn events(&mut self, events: &[Event]) -> Result<(), CliError> {
        for event in events {
            let event = serde_json::to_value(event)?;
            if self.ready {
                send(&Frame::Event { event })?;
            } else {
                self.snapshot.push(event);
            }
        }
        Ok(())
    }

    fn ready(&mut self, ready: &Ready) -> Result<(), CliError> {
        self.ready = true;
        send(&Frame::Snapshot {
            events: std::mem::take(&mut self.snapshot),
            runs: ready.runs,
            sessions: ready.sessions,
            polling: ready.polling.clone(),
        })
    }
}

/// Answers requests from stdin until it closes, then stops the stream.
fn answer_requests(stop: Sender<Msg>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(Request::Ping { id }) => Frame::Pong { id },
            Ok(Request::Tail { id, .. }) => Frame::Error {
                id: Some(id),
                message: "tail is not served yet".to_owned(),
            },
            Err(e) => Frame::Error {
                id: None,
                message: format!("cannot read the request ({e})"),
            },
        };
        if send(&answer).is_err() {
            break;
        }
    }
    let _ = stop.send(Msg::Stop("the channel closed".to_owned()));
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
    for (name, job) in [
        ("serve-requests", Job::Requests),
        ("serve-heartbeat", Job::Heartbeat),
    ] {
        let stop = tx.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || match job {
                Job::Requests => answer_requests(stop),
                Job::Heartbeat => beat(heartbeat, stop),
            })?;
    }
    let options = WatchOptions {
        json: true,
        snapshot: true,
        no_entries: true,
        poll,
    };
    let mut framed = Framed {
        snapshot: Vec::new(),
        ready: false,
    };
    watch::stream(&mut framed, roots, limits, options, (tx, rx))
}

#[derive(Clone, Copy)]
enum Job {
    Requests,
    Heartbeat,
}
