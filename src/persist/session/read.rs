//! Reading sessions: one line into entries ([`decode_line`]), and a session file into its
//! summary ([`summarize`]), from scratch or from where an earlier summary stopped when the file
//! only grew, in bounded memory (`lines`).

mod lines;
pub use lines::{CHUNK, LONG, LineReader, MAX_SQUEEZED};

use super::entry::Decoded;
use super::listing::{SessionFile, SessionSource};
use super::summary::{Progress, Summarizer};
use super::{Agent, SessionError, claude, codex, gemini, opencode};
use crate::persist::run::cache::FileStamp;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Decodes one line (without its newline) of an append-only session file: a Claude transcript
/// or a Codex rollout (Gemini's lines decode too, one message each, before upserts and
/// rewinds are applied; OpenCode has no lines).
#[must_use]
pub fn decode_line(agent: Agent, line: &[u8]) -> Decoded {
    match agent {
        Agent::Claude => claude::decode_line(line),
        Agent::Codex => codex::decode_line(line),
        Agent::Gemini => gemini::decode_line(line),
        Agent::OpenCode => Decoded::Malformed {
            problem: format!("{agent} sessions are not read by lines"),
        },
    }
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SessionError + '_ {
    move |source| SessionError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Summarises a session: reads it whole, or, when `previous` summarised the same file and the
/// file only grew since (same inode, not smaller, and the byte before `read_to` still a
/// newline), reads only what was appended; an unchanged file is not read at all. A file that
/// shrank or was replaced is read again from the start.
///
/// # Errors
/// The file cannot be opened or read; the error names it.
pub fn summarize(
    file: &SessionFile,
    previous: Option<Summarizer>,
) -> Result<Summarizer, SessionError> {
    summarize_with(file, previous, &mut LineReader::new())
}

/// [`summarize`], reading lines with `lines` (whose buffers say how much the read held).
///
/// # Errors
/// The file cannot be opened or read; the error names it.
pub fn summarize_with(
    file: &SessionFile,
    previous: Option<Summarizer>,
    lines: &mut LineReader,
) -> Result<Summarizer, SessionError> {
    match &file.source {
        SessionSource::Document(path) if is_zst(path) => {
            let stamp = stamp_of(path)?;
            if let Some(p) = previous.filter(|p| p.stamp() == Some(stamp)) {
                return Ok(p);
            }
            let mut s = Summarizer::new(file.agent, file.source.clone());
            lines.feed(&mut s, codex::zst_forward_reader(path)?, path)?;
            s.set_stamp(Some(stamp));
            finish(file, path, &mut s);
            Ok(s)
        }
        SessionSource::Document(path) if is_legacy_json(path) => {
            let stamp = stamp_of(path)?;
            if let Some(p) = previous.filter(|p| p.stamp() == Some(stamp)) {
                return Ok(p);
            }
            let doc = gemini::read_legacy(path, false)?;
            let mut s = Summarizer::new(file.agent, file.source.clone());
            doc.summarize(s.summary_mut());
            s.set_stamp(Some(stamp));
            finish(file, path, &mut s);
            Ok(s)
        }
        SessionSource::Lines(path) | SessionSource::Document(path) => {
            let mut s = summarize_lines(file, path, previous, lines)?;
            finish(file, path, &mut s);
            Ok(s)
        }
        SessionSource::Database { db, session } => {
            if let Some(p) = previous.filter(|p| p.stamp().is_some() && p.stamp() == file.stamp) {
                return Ok(p);
            }
            let summary = opencode::read::summarize(db, session)?;
            let mut s = Summarizer::new(file.agent, file.source.clone());
            *s.summary_mut() = summary;
            s.set_stamp(file.stamp);
            Ok(s)
        }
    }
}

/// Whether `previous` can go on reading the file whose identity is now `stamp`.
fn can_continue(previous: &Summarizer, stamp: &FileStamp, file: &mut File) -> bool {
    let Some(before) = previous.stamp() else {
        return false;
    };
    let read_to = previous.summary().read_to;
    let resumable = matches!(previous.summary().source, SessionSource::Lines(_))
        && matches!(
            previous.progress(),
            Progress::Claude(_) | Progress::Codex(_)
        );
    if !resumable || before.ino != stamp.ino || stamp.size < read_to {
        return false;
    }
    if read_to == 0 {
        return true;
    }
    let mut byte = [0u8; 1];
    file.seek(SeekFrom::Start(read_to - 1)).is_ok()
        && file.read_exact(&mut byte).is_ok()
        && byte[0] == b'\n'
}

fn summarize_lines(
    listed: &SessionFile,
    path: &Path,
    previous: Option<Summarizer>,
    lines: &mut LineReader,
) -> Result<Summarizer, SessionError> {
    let mut file = File::open(path).map_err(io_error(path))?;
    let stamp = FileStamp::of(&file.metadata().map_err(io_error(path))?);
    let mut s = match previous {
        Some(p) if p.stamp() == Some(stamp) && p.summary().source == listed.source => return Ok(p),
        Some(p) if p.summary().source == listed.source && can_continue(&p, &stamp, &mut file) => p,
        _ => Summarizer::new(listed.agent, listed.source.clone()),
    };
    file.seek(SeekFrom::Start(s.summary().read_to))
        .map_err(io_error(path))?;
    lines.feed(&mut s, file, path)?;
    s.set_stamp(Some(stamp));
    Ok(s)
}

/// Gemini's legacy single-document conversation.
pub(crate) fn is_legacy_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

fn is_zst(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "zst")
}

fn stamp_of(path: &Path) -> Result<FileStamp, SessionError> {
    Ok(FileStamp::of(
        &std::fs::metadata(path).map_err(io_error(path))?,
    ))
}

/// What each format learns outside its lines, once the lines are read.
pub(crate) fn finish(listed: &SessionFile, path: &Path, s: &mut Summarizer) {
    let spawns = match s.progress() {
        Progress::Claude(p) => Some(p.spawns.clone()),
        Progress::Codex(_) | Progress::Gemini(_) | Progress::Whole => None,
    };
    let summary = s.summary_mut();
    if summary.id.is_empty()
        && let Some(id) = &listed.id_hint
    {
        summary.id.clone_from(id);
    }
    if let Some(spawns) = spawns {
        claude::subagents::resolve(path, &mut summary.subagents, &spawns);
    }
    if listed.agent == Agent::Gemini {
        gemini::place::place(path, summary);
    }
}
