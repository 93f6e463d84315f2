//! One open channel of a host: spawning it, reading its frames (hello, snapshot, events,
//! heartbeats, pongs), pinging it for the latency, judging its silence, and how it ended.

use super::{Heard, Outcome, Supervisor, Update};
use crate::process::{Channel, GRACE};
use crate::remote::failure::{DownReason, classify};
use crate::remote::protocol::{Frame, PROTOCOL, Request};
use crate::remote::quote::channel_argv;
use crate::remote::state::{HostState, Silence, Verdict};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, Command};
use std::sync::atomic::Ordering;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

impl Supervisor {
    /// Opens the channel and follows it until it closes (or the connection is dropped).
    pub(super) fn session(&mut self) -> Outcome {
        let host = self.host.clone();
        let argv = match channel_argv(&host, self.options.alive_interval) {
            Ok(argv) => argv,
            Err(e) => {
                return self.down(DownReason::Protocol {
                    host: host.name.clone(),
                    detail: e.to_string(),
                });
            }
        };
        let mut command = Command::new(&argv[0]);
        command.args(&argv[1..]);
        let (channel, stdin, stdout) = match Channel::spawn(command) {
            Ok(spawned) => spawned,
            Err(e) => {
                return self.down(DownReason::CannotStart {
                    host: host.name.clone(),
                    program: argv[0].clone(),
                    detail: e.to_string(),
                });
            }
        };
        self.pid.store(channel.id(), Ordering::SeqCst);
        self.generation += 1;
        let generation = self.generation;
        let heard = self.heard.clone();
        let reader = std::thread::Builder::new()
            .name(format!("host-{}-reader", host.name))
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if heard.send(Heard::Line(generation, line)).is_err() {
                        return;
                    }
                }
                let _ = heard.send(Heard::End(generation));
            });
        if let Err(e) = reader {
            return self.down(DownReason::CannotStart {
                host: host.name.clone(),
                program: argv[0].clone(),
                detail: e.to_string(),
            });
        }
        let mut open = Open {
            stdin,
            pings: HashMap::new(),
            next_ping: 1,
            version: None,
            live_since: None,
            stale: false,
            capabilities: Vec::new(),
        };
        let outcome = self.follow(&mut open, generation);
        let stable = open
            .live_since
            .is_some_and(|t| t.elapsed() >= self.options.backoff.cap);
        match outcome {
            Followed::Stopped => Outcome::Stopped,
            Followed::Closed => {
                let ended = channel.finish(GRACE * 5);
                let why = match (&open.version, ended.status.and_then(|s| s.code())) {
                    // It said hello, so the remote beadboard ran: its end is not a missing binary.
                    (Some(_), Some(127)) => classify(&host, None, &ended.stderr),
                    _ => classify(&host, ended.status, &ended.stderr),
                };
                Outcome::Down(why, stable)
            }
            Followed::GiveUp(why) => {
                drop(channel.finish(Duration::ZERO));
                Outcome::Down(why, stable)
            }
        }
    }

    /// Reads frames until the channel closes, the host goes silent or speaks another protocol,
    /// or the connection is dropped.
    fn follow(&mut self, open: &mut Open, generation: u64) -> Followed {
        let silence = Silence {
            heartbeat: self.host.heartbeat,
        };
        let mut last = Instant::now();
        loop {
            let wait = silence
                .next_check(last, Instant::now())
                .saturating_duration_since(Instant::now());
            let line = match self.rx.recv_timeout(wait) {
                Ok(Heard::Stop) | Err(RecvTimeoutError::Disconnected) => return Followed::Stopped,
                Ok(Heard::End(g)) if g == generation => return Followed::Closed,
                Ok(Heard::Line(g, line)) if g == generation => line,
                Ok(Heard::Send(request)) => {
                    let channel = open
                        .version
                        .is_some()
                        .then_some((&mut open.stdin, open.capabilities.as_slice()));
                    self.request(*request, channel);
                    continue;
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => {
                    match silence.judge(last, Instant::now()) {
                        Verdict::Fresh => {}
                        Verdict::Stale => {
                            if let (Some(version), false) = (&open.version, open.stale) {
                                open.stale = true;
                                self.state(HostState::Stale {
                                    version: version.clone(),
                                    last_data: last,
                                });
                            }
                        }
                        Verdict::Down => {
                            return Followed::GiveUp(DownReason::Silent {
                                host: self.host.name.clone(),
                                quiet: last.elapsed(),
                            });
                        }
                    }
                    continue;
                }
            };
            last = Instant::now();
            if let Some(end) = self.frame(open, &line) {
                return end;
            }
        }
    }

    /// Handles one line from the host.
    fn frame(&mut self, open: &mut Open, line: &str) -> Option<Followed> {
        let host = self.host.name.clone();
        let frame = match serde_json::from_str::<Frame>(line) {
            Ok(frame) => frame,
            Err(e) => {
                return Some(Followed::GiveUp(DownReason::Protocol {
                    host,
                    detail: format!("cannot read a frame ({e})"),
                }));
            }
        };
        if open.version.is_none() && !matches!(frame, Frame::Hello { .. }) {
            return Some(Followed::GiveUp(DownReason::Protocol {
                host,
                detail: "its first line is not a hello".to_owned(),
            }));
        }
        if open.stale {
            open.stale = false;
            self.live(open, None);
        }
        let frame = self.answer(frame)?;
        match frame {
            Frame::Hello {
                protocol,
                version,
                capabilities,
            } => {
                if protocol != PROTOCOL {
                    return Some(Followed::GiveUp(DownReason::Incompatible {
                        host,
                        theirs: protocol,
                        version,
                    }));
                }
                open.version = Some(version);
                self.report(Update::Capabilities {
                    host,
                    capabilities: capabilities.clone(),
                });
                open.capabilities = capabilities;
                open.live_since = Some(Instant::now());
                self.live(open, None);
                open.ping();
                self.send_pending(&mut open.stdin, &open.capabilities);
            }
            Frame::Snapshot { events, .. } => self.report(Update::Snapshot { host, events }),
            Frame::Event { event } => self.report(Update::Event { host, event }),
            Frame::Heartbeat { .. } => open.ping(),
            Frame::Pong { id } => {
                if let Some(sent) = open.pings.remove(&id) {
                    self.live(open, Some(sent.elapsed()));
                }
            }
            // Answers went to `answer`; an error about no request in particular says nothing
            // the state does not.
            Frame::Error { .. }
            | Frame::Waiting { .. }
            | Frame::Moved { .. }
            | Frame::Tail { .. }
            | Frame::Hits { .. }
            | Frame::Output { .. }
            | Frame::Exit { .. }
            | Frame::SearchEnd { .. } => {}
        }
        None
    }

    fn live(&self, open: &Open, latency: Option<Duration>) {
        if let Some(version) = &open.version {
            self.state(HostState::Live {
                version: version.clone(),
                latency,
            });
        }
    }
}

/// How following a channel ended.
enum Followed {
    Stopped,
    Closed,
    GiveUp(DownReason),
}

/// An open channel's side of the conversation.
struct Open {
    stdin: ChildStdin,
    /// Pings sent and not yet answered, by id.
    pings: HashMap<u64, Instant>,
    next_ping: u64,
    version: Option<String>,
    live_since: Option<Instant>,
    stale: bool,
    /// What the host said it can do.
    capabilities: Vec<String>,
}

impl Open {
    /// Sends a ping (one outstanding at a time; a host that does not read is judged by its
    /// silence, not by a write that blocks).
    fn ping(&mut self) {
        // A ping unanswered for a minute is lost (the host's silence is judged on its own).
        self.pings
            .retain(|_, sent| sent.elapsed() < Duration::from_secs(60));
        if !self.pings.is_empty() {
            return;
        }
        let id = self.next_ping;
        self.next_ping += 1;
        let Ok(line) = crate::remote::protocol::line(&Request::Ping { id }) else {
            return;
        };
        if writeln!(self.stdin, "{line}")
            .and_then(|()| self.stdin.flush())
            .is_ok()
        {
            self.pings.insert(id, Instant::now());
        }
    }
}
