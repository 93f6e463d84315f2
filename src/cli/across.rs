//! `--host NAME` (repeatable; `local` is this machine): a subcommand run on several machines at
//! once. A reading subcommand runs on each host through its channel (the host's own code, on
//! its own data and settings, its arguments sent as data) and here for `local`; results are
//! merged as each host gives them: lines as they come (`watch`, `search`, `transcript
//! --follow`), one JSON array of every host's records, each host's JSON object, or each host's
//! text as a block. Every JSON record says its `host`; with several hosts, every line of text
//! starts with `host:`. A move goes to the one host named, which makes it under its own lock,
//! expecting the bead as that host's snapshot showed it (see [`crate::cli::moves`]). A host
//! that is down is said to be down, with why, and the others go on.

use super::args::Command;
use super::assignments::call_of;
use super::output::{JsonItems, LineSink, Out, errln};
use super::{CliError, exit};
use crate::config::Resolved;
use crate::remote::client::Options;
use crate::remote::protocol::{Expected, Move, MoveOutcome, MoveResult};
use crate::remote::{Connection, Host, HostState, LOCAL, Update};
use std::collections::BTreeMap;
use std::sync::mpsc::{self, Sender};

/// The hosts named, in order, once each: this machine or a configured host.
fn chosen<'a>(
    names: &'a [String],
    settings: &'a Resolved,
) -> Result<Vec<Option<&'a Host>>, CliError> {
    let mut chosen: Vec<(&str, Option<&Host>)> = Vec::new();
    for name in names {
        if chosen.iter().any(|(n, _)| n == name) {
            continue;
        }
        let host = if name == LOCAL {
            None
        } else {
            let host = settings.hosts.iter().find(|h| h.name == *name).ok_or_else(|| {
                let known: Vec<&str> = std::iter::once(LOCAL)
                    .chain(settings.hosts.iter().map(|h| h.name.as_str()))
                    .collect();
                CliError::usage(format!(
                    "invalid value '{name}' for '--host <NAME>': no such host (hosts: {}; add one as [[hosts]] in the config file)",
                    known.join(", ")
                ))
            })?;
            Some(host)
        };
        chosen.push((name, host));
    }
    Ok(chosen.into_iter().map(|(_, h)| h).collect())
}

/// The subcommand's arguments as a host's command line parser reads them.
fn args_of(command: &Command) -> Option<Vec<String>> {
    let mut args: Vec<String> = Vec::new();
    let flag = |on: bool, name: &str, args: &mut Vec<String>| {
        if on {
            args.push(name.to_owned());
        }
    };
    let positional = match command {
        Command::Runs { all, json } => {
            args.push("runs".into());
            flag(*all, "--all", &mut args);
            flag(*json, "--json", &mut args);
            None
        }
        Command::Transcript {
            run,
            follow,
            json,
            last,
        } => {
            args.push("transcript".into());
            flag(*follow, "--follow", &mut args);
            flag(*json, "--json", &mut args);
            if let Some(n) = last {
                args.extend(["-n".to_owned(), n.to_string()]);
            }
            Some(run.clone())
        }
        Command::Assignments {
            session,
            status,
            json,
        } => {
            args.push("assignments".into());
            if let Some(s) = status {
                args.extend(["--status".to_owned(), s.clone()]);
            }
            flag(*json, "--json", &mut args);
            session.clone()
        }
        Command::Status { short, json, all } => {
            args.push("status".into());
            flag(*short, "--short", &mut args);
            flag(*json, "--json", &mut args);
            flag(*all, "--all", &mut args);
            None
        }
        Command::Watch {
            json,
            snapshot,
            no_entries,
        } => {
            args.push("watch".into());
            flag(*json, "--json", &mut args);
            flag(*snapshot, "--snapshot", &mut args);
            flag(*no_entries, "--no-entries", &mut args);
            None
        }
        Command::Sessions { json } => {
            args.push("sessions".into());
            flag(*json, "--json", &mut args);
            None
        }
        Command::Search(s) => {
            args.push("search".into());
            if let Some(r) = &s.repo {
                args.extend(["--repo".to_owned(), r.clone()]);
            }
            if let Some(d) = &s.since {
                args.extend(["--since".to_owned(), d.clone()]);
            }
            flag(s.json, "--json", &mut args);
            Some(s.pattern.clone())
        }
        Command::Stats { session, json } => {
            args.push("stats".into());
            flag(*json, "--json", &mut args);
            Some(session.clone())
        }
        Command::Doctor { json } => {
            args.push("doctor".into());
            flag(*json, "--json", &mut args);
            None
        }
        _ => return None,
    };
    if let Some(p) = positional {
        // After `--`, a name that starts with `-` is a name.
        args.extend(["--".to_owned(), p]);
    }
    Some(args)
}

/// How the hosts' outputs are put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    /// Each line as it comes.
    Lines,
    /// Each host's text as a block, when it ends.
    Blocks,
    /// One array of every host's records.
    Array,
    /// Each host's object, when it ends.
    Objects,
}

fn merge_of(command: &Command) -> Merge {
    match command {
        Command::Watch { .. } | Command::Search(_) | Command::Transcript { follow: true, .. } => {
            Merge::Lines
        }
        Command::Runs { json: true, .. }
        | Command::Transcript { json: true, .. }
        | Command::Assignments { json: true, .. }
        | Command::Sessions { json: true } => Merge::Array,
        Command::Status { json: true, .. }
        | Command::Stats { json: true, .. }
        | Command::Doctor { json: true } => Merge::Objects,
        _ => Merge::Blocks,
    }
}

/// Runs `command` on the hosts named (see the module documentation).
///
/// # Errors
/// An unknown host or a subcommand that cannot run elsewhere (exit 2); otherwise the worst of
/// the hosts' ends (a match or a record on any host is success).
pub fn run(
    out: &mut Out,
    settings: &Resolved,
    command: &Command,
    names: &[String],
) -> Result<(), CliError> {
    let hosts = chosen(names, settings)?;
    if let Some(call) = call_of(command) {
        return match hosts.as_slice() {
            [None] => super::assignments::change(out, &settings.roots, command),
            [Some(host)] if call.4 => Err(CliError::usage(format!(
                "--dry-run prints the ntm command lines on this machine; it cannot be used with --host {}",
                host.name
            ))),
            [Some(host)] => {
                let mv = Move {
                    session: call.0,
                    bead: call.1,
                    action: call.2,
                    expected: Expected::default(),
                };
                remote_move(out, host, mv, call.3)
            }
            _ => Err(CliError::usage(
                "a move is made on one host: give --host once".to_owned(),
            )),
        };
    }
    if let [None] = hosts.as_slice() {
        return super::dispatch(command, settings, out);
    }
    let Some(args) = args_of(command) else {
        return Err(CliError::usage(
            "--host works with runs, transcript, assignments, status, watch, sessions, search, stats, doctor and the moves".to_owned(),
        ));
    };
    let prefixed = hosts.len() > 1;
    let (tx, rx) = mpsc::channel();
    let mut connections = BTreeMap::new();
    let mut waiting: Vec<String> = Vec::new();
    for host in &hosts {
        match host {
            None => {
                local(command, settings, prefixed, tx.clone());
                waiting.push(LOCAL.to_owned());
            }
            Some(host) => {
                let connection =
                    Connection::start((*host).clone(), Options::default(), tx.clone())?;
                let _ = connection.run(args.clone(), prefixed);
                waiting.push(host.name.clone());
                connections.insert(host.name.clone(), connection);
            }
        }
    }
    drop(tx);
    let mut merged = Merged {
        how: merge_of(command),
        buffers: BTreeMap::new(),
        items: JsonItems::default(),
        codes: Vec::new(),
        several: prefixed,
    };
    while !waiting.is_empty() {
        let Ok(update) = rx.recv() else { break };
        let (host, end) = match update {
            Update::Output { host, line, .. } => {
                merged.line(out, &host, line)?;
                continue;
            }
            Update::Exit {
                host,
                code,
                message,
                ..
            } => (host, (code, message)),
            Update::Lost { host, why, .. } => (host, (exit::FAILED, why)),
            Update::State {
                host,
                state: HostState::Down { why, .. },
            } => {
                let said = format!("{host} is down: {why}");
                (host, (exit::FAILED, said))
            }
            _ => continue,
        };
        if let Some(at) = waiting.iter().position(|h| *h == host) {
            waiting.remove(at);
            // A host that ended is not tried again.
            drop(connections.remove(&host));
            merged.end(out, &host, end)?;
        }
    }
    merged.finish(out)
}

/// Runs `command` here, its output sent as a host's would be.
fn local(command: &Command, settings: &Resolved, prefixed: bool, tx: Sender<Update>) {
    let (command, settings) = (command.clone(), settings.clone());
    let _ = std::thread::Builder::new()
        .name("local-run".to_owned())
        .spawn(move || {
            let to = tx.clone();
            let lines = LineSink::new(move |line| {
                let host = LOCAL.to_owned();
                to.send(Update::Output { host, id: 0, line })
                    .map_err(|_| ())
            });
            let mut out = Out::to(Box::new(lines), None).for_host(LOCAL, prefixed);
            let done = super::dispatch(&command, &settings, &mut out).and(out.flush());
            drop(out);
            let (code, message) = match done {
                Ok(()) => (exit::OK, String::new()),
                Err(CliError { message, code }) => (code, message),
            };
            let _ = tx.send(Update::Exit {
                host: LOCAL.to_owned(),
                id: 0,
                code,
                message,
            });
        });
}

/// The hosts' outputs, put together.
struct Merged {
    how: Merge,
    buffers: BTreeMap<String, Vec<String>>,
    items: JsonItems,
    codes: Vec<u8>,
    several: bool,
}

impl Merged {
    fn line(&mut self, out: &mut Out, host: &str, line: String) -> Result<(), CliError> {
        if self.how == Merge::Lines {
            out.text(&line)?;
            out.text("\n")?;
            return out.flush();
        }
        self.buffers.entry(host.to_owned()).or_default().push(line);
        Ok(())
    }

    fn end(
        &mut self,
        out: &mut Out,
        host: &str,
        (code, message): (u8, String),
    ) -> Result<(), CliError> {
        let lines = self.buffers.remove(host).unwrap_or_default();
        match self.how {
            Merge::Lines => {}
            Merge::Blocks => {
                for line in &lines {
                    out.text(line)?;
                    out.text("\n")?;
                }
            }
            Merge::Array | Merge::Objects => {
                let text = lines.join("\n");
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                    match (self.how, value) {
                        (Merge::Array, serde_json::Value::Array(records)) => {
                            for record in &records {
                                self.items.item(out, record)?;
                            }
                        }
                        (_, value) => out.json(&value)?,
                    }
                }
            }
        }
        out.flush()?;
        if !message.is_empty() {
            if self.several {
                errln!("beadboard: {host}: {message}");
            } else {
                errln!("beadboard: {message}");
            }
        }
        self.codes.push(code);
        Ok(())
    }

    /// Success if any host succeeded and none failed; otherwise the worst end.
    fn finish(self, out: &mut Out) -> Result<(), CliError> {
        if self.how == Merge::Array {
            self.items.end(out)?;
        }
        let worst = self.codes.iter().copied().max().unwrap_or(exit::OK);
        let code = if worst > exit::NOT_FOUND || !self.codes.contains(&exit::OK) {
            worst
        } else {
            exit::OK
        };
        if code == exit::OK {
            Ok(())
        } else {
            Err(CliError {
                message: String::new(),
                code,
            })
        }
    }
}

/// Makes a move on `host`, expecting the bead as the host's snapshot shows it, and says what
/// happened as a move made here would.
fn remote_move(out: &mut Out, host: &Host, mut mv: Move, as_json: bool) -> Result<(), CliError> {
    let (tx, rx) = mpsc::channel();
    let connection = Connection::start(host.clone(), Options::default(), tx)?;
    let mut sent = None;
    let outcome: MoveOutcome = loop {
        let Ok(update) = rx.recv() else {
            return Err(CliError::failed(format!(
                "the connection to {} ended",
                host.name
            )));
        };
        match update {
            Update::Snapshot { events, .. } if sent.is_none() => {
                mv.expected = Expected::from_events(&events, &mv.session, &mv.bead);
                sent = Some(connection.send_move(mv.clone()));
            }
            Update::Waiting { what, .. } => errln!("beadboard: {}: {what}…", host.name),
            Update::Moved { id, outcome, .. } if sent.as_ref().is_some_and(|t| t.id == id) => {
                break outcome;
            }
            Update::State {
                state: HostState::Down { why, .. },
                ..
            } if sent.is_none() => {
                return Err(CliError::failed(format!("{} is down: {why}", host.name)));
            }
            Update::State {
                state: HostState::Down { why, .. },
                ..
            } => errln!(
                "beadboard: {}: the channel dropped ({why}); the move is sent again with its key once it is back",
                host.name
            ),
            _ => {}
        }
    };
    drop(connection);
    for note in &outcome.notes {
        errln!("beadboard: {}: {note}", host.name);
    }
    out.set_host(&host.name);
    let said = super::moves::Said {
        lines: outcome.lines.clone(),
        json: outcome.json.clone(),
        error: match outcome.outcome {
            MoveResult::Applied => None,
            result => Some(super::moves::MoveError::new(
                result,
                "remote",
                outcome.reason.clone().unwrap_or_default(),
            )),
        },
    };
    super::assignments::print_said(out, said, as_json)
}
