//! `beadboard transcript` of an agent session: its entries as text (the same glyphs, labels
//! and headlines as the Transcript pane) or JSON, read a stretch at a time so memory does not
//! grow with the session; `--follow` keeps printing what is appended (a session read whole is
//! read again on every change, and the entries beyond those printed are printed).

use super::super::CliError;
use super::super::output::{print_json, print_json_line};
use crate::app::model::transcript::{Format, Line, LineContent, LineTail, Source};
use crate::app::work::{formats, tail};
use crate::persist::gojson;
use crate::persist::run::RunSummary;
use crate::persist::session::{Entry, SessionSource};
use crate::present::summary::session as summary;
use crate::present::{naming, sanitize, text, time};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// How a session's entries are printed.
struct Printer {
    json: bool,
    /// JSON: one entry per line (following), else one array at the end.
    lines: bool,
    /// The entries of the array printed at the end.
    collected: Vec<Value>,
    /// Tools by call id, to name the results after their calls.
    calls: summary::CallNames,
    run: Value,
    offset: chrono::FixedOffset,
    path: String,
}

/// An entry as JSON, with the run's name and reference under `beadboard`.
#[must_use]
pub fn entry_json(e: &Entry, run: &Value) -> Value {
    json!({
        "kind": e.kind.as_str(),
        "time": e.time.map(|t| gojson::format_time(&t.fixed_offset())),
        "actor": e.actor,
        "tool": e.tool,
        "call_id": e.call_id,
        "text": e.text,
        "cut": e.cut,
        "is_error": e.is_error,
        "model": e.model,
        "sidechain": e.sidechain,
        "subagent": e.subagent.as_ref().map(|s| json!({
            "id": s.id,
            "description": s.description,
            "path": s.path.as_ref().map(|p| p.to_string_lossy()),
        })),
        "saved_output": e.saved_output.as_ref().map(|p| p.to_string_lossy()),
        "beadboard": run,
    })
}

/// One entry as a line of text (and its body below), as `transcript` prints agentpair's.
fn print_text(e: &Entry, offset: chrono::FixedOffset) -> std::io::Result<()> {
    use std::io::Write as _;
    let s = summary::summarize(e);
    let when = e.time.map_or_else(
        || "--:--:--".to_owned(),
        |t| time::stamp(t, crate::clock::now(), offset),
    );
    let label = format!("{} {}", s.glyph, text::fit(&s.label, 9));
    let indent = if e.kind == crate::persist::session::EntryKind::ToolResult {
        " "
    } else {
        ""
    };
    // With a body, its first line heads the entry and the rest follows below.
    let head = s
        .body
        .as_deref()
        .and_then(|b| b.lines().next())
        .map_or_else(|| s.headline.clone(), sanitize::one_line);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{when}  {}  {indent}{label}  {head}",
        text::fit(&sanitize::one_line(&e.actor), 7),
    )?;
    if let Some(body) = &s.body {
        for line in body.trim_end().lines().skip(1) {
            writeln!(out, "            │ {line}")?;
        }
    }
    for note in summary::notes(e) {
        writeln!(out, "            │ {note}")?;
    }
    Ok(())
}

impl Printer {
    fn entry(&mut self, e: &Entry) -> std::io::Result<()> {
        self.calls.note(e);
        let mut named;
        let e = if e.tool.is_none() {
            named = e.clone();
            self.calls.name(&mut named);
            &named
        } else {
            e
        };
        if !self.json {
            return print_text(e, self.offset);
        }
        let value = entry_json(e, &self.run);
        if self.lines {
            return print_json_line(&value);
        }
        self.collected.push(value);
        Ok(())
    }

    fn line(&mut self, l: &Line) -> std::io::Result<()> {
        match &l.content {
            LineContent::Session(e) => self.entry(e),
            LineContent::Unreadable { problem, preview } => {
                let place = l.place();
                if self.json {
                    eprintln!("beadboard: {} {place}: unreadable: {problem}", self.path);
                    return Ok(());
                }
                use std::io::Write as _;
                writeln!(
                    std::io::stdout().lock(),
                    "          ⚠ {place} unreadable: {problem}: {}",
                    sanitize::one_line(preview)
                )
            }
            LineContent::Entry(_) => Ok(()),
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        if self.json && !self.lines {
            print_json(&Value::Array(std::mem::take(&mut self.collected)))?;
        }
        Ok(())
    }
}

/// Prints the transcript of the session `run` (its summary's source), and with `follow`
/// keeps printing. A reader that went away (`| head`) ends it quietly.
///
/// # Errors
/// The session cannot be read; output that cannot be written.
pub fn print(run: &RunSummary, follow: bool, as_json: bool) -> Result<(), CliError> {
    match print_all(run, follow, as_json) {
        Err(Stop::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(Stop::Output(e)) => Err(e.into()),
        Err(Stop::Failed(e)) => Err(e),
        Ok(()) => Ok(()),
    }
}

/// Why printing stopped.
enum Stop {
    /// The output could not be written.
    Output(std::io::Error),
    /// Something else.
    Failed(CliError),
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Stop {
        Stop::Output(e)
    }
}

impl From<CliError> for Stop {
    fn from(e: CliError) -> Stop {
        Stop::Failed(e)
    }
}

fn print_all(run: &RunSummary, follow: bool, as_json: bool) -> Result<(), Stop> {
    let Some(s) = run.session() else {
        return Err(CliError::new("not an agent session").into());
    };
    let agent = s.agent();
    let source = Source::of_session(agent, &s.summary.source);
    let mut printer = Printer {
        json: as_json,
        lines: follow,
        collected: Vec::new(),
        calls: summary::CallNames::default(),
        run: json!({"name": naming::name(run), "reference": naming::reference(run)}),
        offset: crate::clock::local_offset(),
        path: s.summary.source.key().display().to_string(),
    };
    if !as_json {
        use std::io::Write as _;
        let model = s.summary.model.as_deref().unwrap_or("-");
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{} · {} · {} turns · {} · model {model} · {} tokens",
            naming::name(run),
            s.state.as_str(),
            s.summary.turns,
            sanitize::one_line(&s.summary.cwd),
            s.summary.tokens.total()
        )?;
        writeln!(
            out,
            "prompt: {}\n",
            sanitize::one_line(&s.summary.prompt_head)
        )?;
    }
    match (&source, &s.summary.source) {
        (Source::Lines(Format::Session(_)), SessionSource::Lines(path)) => {
            let mut tail = LineTail {
                path: path.clone(),
                agent,
                offset: 0,
                lines: 0,
                identity: None,
            };
            read_lines(&mut tail, &mut printer)?;
            printer.finish()?;
            if follow {
                follow_changes(path, || read_lines(&mut tail, &mut printer))?;
            }
        }
        (_, other) => {
            let mut printed = 0;
            read_whole(other, &mut printed, &mut printer)?;
            printer.finish()?;
            if follow {
                let file = other.file().cloned().unwrap_or_else(|| other.key());
                follow_changes(&file, || read_whole(other, &mut printed, &mut printer))?;
            }
        }
    }
    Ok(())
}

/// Prints what was appended since the tail's offset.
fn read_lines(tail: &mut LineTail, printer: &mut Printer) -> Result<(), Stop> {
    let path = tail.path.clone();
    let agent = tail.agent;
    let mut failed = None;
    let reset = tail::poll_lines_each(tail, |mut lines| {
        crate::app::work::transcript::link(&path, Format::Session(agent), &mut lines);
        for l in &lines {
            if failed.is_none()
                && let Err(e) = printer.line(l)
            {
                failed = Some(e);
            }
        }
    })
    .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    if let Some(e) = failed {
        return Err(Stop::Output(e));
    }
    if reset {
        eprintln!(
            "beadboard: {} was truncated or replaced; reading it again from the start",
            path.display()
        );
    }
    Ok(())
}

/// Reads a session whole and prints the entries beyond the first `printed`.
fn read_whole(
    source: &SessionSource,
    printed: &mut usize,
    printer: &mut Printer,
) -> Result<(), Stop> {
    let items = formats::read_document(source).map_err(CliError::from)?;
    let lines = crate::app::work::transcript::document_lines(items);
    for l in lines.iter().skip(*printed) {
        printer.line(l)?;
    }
    *printed = (*printed).max(lines.len());
    Ok(())
}

/// Calls `read` each time the file at `path` changes (Ctrl-C stops).
fn follow_changes(path: &Path, mut read: impl FnMut() -> Result<(), Stop>) -> Result<(), Stop> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |_event| {
        let _ = tx.send(());
    })
    .map_err(CliError::from)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    watcher
        .watch(dir, RecursiveMode::NonRecursive)
        .map_err(CliError::from)?;
    loop {
        // Woken by the watcher; the timeout is a safety net for file systems that drop events.
        let _ = rx.recv_timeout(Duration::from_secs(1));
        while rx.try_recv().is_ok() {}
        read()?;
    }
}
