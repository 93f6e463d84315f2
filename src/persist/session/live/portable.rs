//! The process table from `ps` (macOS, the BSDs, and Linux with the `portable` feature): one
//! `ps -A -o pid=,ppid=,lstart=,command=` gives every process's parent, start (to the second,
//! local time) and command line (split at spaces: `ps` joins the words); `lsof` gives a
//! process's working directory and open files.

use super::ProcessRow;
use crate::persist::session::SessionError;
use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// How long `ps` or `lsof` may take (a hung one is no answer).
const DEADLINE: Duration = Duration::from_secs(10);

/// Runs `program args…` in the C locale (English month names, as parsed) through
/// [`crate::process`] (in a group of its own, stopped at [`DEADLINE`]) and returns its stdout,
/// or why not.
fn output(program: &str, args: &[&str]) -> Result<String, String> {
    let mut command = Command::new(program);
    command.args(args).env("LC_ALL", "C");
    let out = crate::process::Child::new(command)
        .deadline(DEADLINE)
        .run()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() && out.stdout.is_empty() {
        return Err(format!(
            "{program}: {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A `ps` start time, `Thu Aug 20 14:00:03 2026` in local time (the weekday is not needed).
fn lstart(words: &[&str]) -> Option<DateTime<Utc>> {
    let text = words.get(1..)?.join(" ");
    let naive = NaiveDateTime::parse_from_str(&text, "%b %d %H:%M:%S %Y").ok()?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// One line of `ps -o pid=,ppid=,lstart=,command=`.
pub(super) fn parse_line(line: &str) -> Option<ProcessRow> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let pid = words.first()?.parse().ok()?;
    let ppid = words.get(1)?.parse().ok()?;
    let started_at = words.get(2..7).and_then(lstart);
    let argv = words
        .get(7..)
        .unwrap_or_default()
        .iter()
        .map(|w| (*w).to_owned())
        .collect();
    Some(ProcessRow {
        pid,
        ppid,
        start_ticks: None,
        started_at,
        argv: Some(argv),
    })
}

pub(super) fn table() -> Result<Vec<ProcessRow>, SessionError> {
    let text = output("ps", &["-A", "-o", "pid=,ppid=,lstart=,command="]).map_err(|problem| {
        SessionError::Format {
            path: PathBuf::from("ps"),
            problem,
        }
    })?;
    Ok(text.lines().filter_map(parse_line).collect())
}

/// `ps` gave every command line with the table.
pub(super) fn argv(_pid: u32) -> Option<Vec<String>> {
    None
}

/// The `n` (name) lines of `lsof -F` output whose descriptor (`f` line) `keep` accepts, with
/// the descriptor.
pub(super) fn lsof_names(text: &str, keep: impl Fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut fd = String::new();
    for line in text.lines() {
        if let Some(f) = line.strip_prefix('f') {
            f.clone_into(&mut fd);
        } else if let Some(name) = line.strip_prefix('n')
            && name.starts_with('/')
            && keep(&fd)
        {
            out.push((fd.clone(), PathBuf::from(name)));
        }
    }
    out
}

pub(super) fn cwd(pid: u32) -> Option<PathBuf> {
    let text = output("lsof", &["-a", "-p", &pid.to_string(), "-d", "cwd", "-Ffn"]).ok()?;
    lsof_names(&text, |fd| fd == "cwd")
        .into_iter()
        .next()
        .map(|(_, p)| p)
}

pub(super) fn open_files(pid: u32) -> Vec<PathBuf> {
    let Ok(text) = output("lsof", &["-a", "-p", &pid.to_string(), "-Ffn"]) else {
        return Vec::new();
    };
    // Numbered descriptors only (not `cwd`, `txt`, `mem`, …).
    let mut files: Vec<(u32, PathBuf)> = lsof_names(&text, |fd| fd.parse::<u32>().is_ok())
        .into_iter()
        .filter_map(|(fd, p)| Some((fd.parse().ok()?, p)))
        .collect();
    files.sort_by_key(|(fd, _)| *fd);
    files.into_iter().map(|(_, p)| p).collect()
}
