//! A session read whole ([`read_document`]): what the Transcript pane shows of a source that is
//! rewritten in place or cannot be read by lines (Gemini's files, a Codex `.jsonl.zst`, an
//! OpenCode session), and of any other session when all of it is wanted at once.

use super::entry::{Decoded, Entry};
use super::listing::{SessionFile, SessionSource};
use super::read::{decode_line, finish, io_error, is_legacy_json};
use super::summary::SessionSummary;
use super::{Agent, SessionError, Summarizer, claude, codex, gemini, opencode};
use std::path::Path;

/// The most of a plain session file [`read_document`] reads whole; a larger one is read by
/// lines (its tail, then windows) instead.
pub const MAX_DOCUMENT: u64 = codex::MAX_DECOMPRESSED;

/// A whole session: its records in order, as decoded, and its summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// One item per record shown, in order: entries, or a malformed record (shown marked, in
    /// place). Known noise is left out.
    pub items: Vec<Decoded>,
    /// The session's summary.
    pub summary: SessionSummary,
}

impl Document {
    /// Every entry, in order (malformed records left out).
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.items.iter().flat_map(|item| match item {
            Decoded::Entries(e) => e.as_slice(),
            Decoded::Skip | Decoded::Malformed { .. } => &[],
        })
    }
}

/// The agent whose lines a plain file holds: Codex's files are `rollout-*`, Claude's the rest.
fn agent_of_lines(path: &Path) -> Agent {
    let name = path.file_name().map(|n| n.to_string_lossy());
    if name.is_some_and(|n| n.starts_with("rollout-")) {
        Agent::Codex
    } else {
        Agent::Claude
    }
}

/// Reads a session whole: every record decoded, and its summary. A line-by-line file's last
/// line without its newline (still being written) is left for later; in a compressed rollout,
/// which is complete, it is decoded like any other.
///
/// # Errors
/// The file cannot be read or is not the format its place says, a plain file is larger than
/// [`MAX_DOCUMENT`], a compressed one decompresses to more than
/// [`codex::MAX_DECOMPRESSED`]; each error names the file.
pub fn read_document(source: &SessionSource) -> Result<Document, SessionError> {
    match source {
        SessionSource::Lines(path) => {
            let bytes = read_whole(path)?;
            Ok(lines_document(
                agent_of_lines(path),
                source,
                path,
                &bytes,
                false,
            ))
        }
        SessionSource::Document(path) if path.extension().is_some_and(|e| e == "zst") => {
            let bytes = codex::decompress(path)?;
            Ok(lines_document(Agent::Codex, source, path, &bytes, true))
        }
        SessionSource::Document(path) => {
            let mut read_to = 0;
            let mut whole = None;
            let doc = if is_legacy_json(path) {
                let size = std::fs::metadata(path).map_err(io_error(path))?.len();
                if size > gemini::MAX_LEGACY {
                    // Its entries are those of its end: its summary reads all of it.
                    whole = Some(gemini::read_legacy(path, false)?);
                }
                gemini::read_legacy(path, true)?
            } else {
                let bytes = read_whole(path)?;
                let end = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
                read_to = end as u64;
                let mut doc = gemini::doc::Doc::new(true);
                for line in bytes[..end].split(|b| *b == b'\n') {
                    if !line.iter().all(u8::is_ascii_whitespace) {
                        doc.apply_line(line);
                    }
                }
                doc
            };
            let mut s = Summarizer::new(Agent::Gemini, source.clone());
            whole.as_ref().unwrap_or(&doc).summarize(s.summary_mut());
            s.summary_mut().read_to = read_to;
            finish(&unlisted(Agent::Gemini, source), path, &mut s);
            Ok(Document {
                items: doc.items(),
                summary: s.into_summary(),
            })
        }
        SessionSource::Database { db, session } => {
            let (items, summary) = opencode::read::read(db, session)?;
            Ok(Document { items, summary })
        }
    }
}

/// What a transcript shows of a session: the items of [`read_document`], without the
/// summary where it costs more than they do (a legacy Gemini document over
/// [`gemini::MAX_LEGACY`] gives the entries of its end, read from the end, where its summary
/// reads all of it).
///
/// # Errors
/// As [`read_document`].
pub fn read_items(source: &SessionSource) -> Result<Vec<Decoded>, SessionError> {
    match source {
        SessionSource::Document(path) if is_legacy_json(path) => {
            Ok(gemini::read_legacy(path, true)?.items())
        }
        _ => read_document(source).map(|d| d.items),
    }
}

/// A file's bytes, if it is at most [`MAX_DOCUMENT`] long.
fn read_whole(path: &Path) -> Result<Vec<u8>, SessionError> {
    let size = std::fs::metadata(path).map_err(io_error(path))?.len();
    if size > MAX_DOCUMENT {
        return Err(SessionError::Format {
            path: path.to_path_buf(),
            problem: format!("{size} bytes, too large to read whole; read it by lines"),
        });
    }
    std::fs::read(path).map_err(io_error(path))
}

/// A session known only by its source.
fn unlisted(agent: Agent, source: &SessionSource) -> SessionFile {
    SessionFile {
        agent,
        source: source.clone(),
        id_hint: None,
        stamp: None,
    }
}

/// A document from JSONL bytes (`complete`: the last line counts without its newline).
fn lines_document(
    agent: Agent,
    source: &SessionSource,
    path: &Path,
    bytes: &[u8],
    complete: bool,
) -> Document {
    let end = if complete {
        bytes.len()
    } else {
        memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1)
    };
    let mut items: Vec<Decoded> = bytes[..end]
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .map(|l| decode_line(agent, l))
        .filter(|d| *d != Decoded::Skip)
        .collect();
    if agent == Agent::Claude {
        let entries = items.iter_mut().flat_map(|item| match item {
            Decoded::Entries(e) => e.as_mut_slice(),
            Decoded::Skip | Decoded::Malformed { .. } => &mut [],
        });
        claude::subagents::link(path, entries);
    }
    let mut summarizer = Summarizer::new(agent, source.clone());
    summarizer.feed(&bytes[..end]);
    if complete && end > 0 && bytes[end - 1] != b'\n' {
        summarizer.feed_line(&bytes[memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1)..]);
    }
    finish(&unlisted(agent, source), path, &mut summarizer);
    Document {
        items,
        summary: summarizer.into_summary(),
    }
}
