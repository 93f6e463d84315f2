//! Gemini CLI's sessions: `tmp/<project>/chats/session-<minute>-<id8>.jsonl` under `~/.gemini`
//! (`$GEMINI_CLI_HOME/.gemini`). Since v0.39 a conversation is JSONL: a metadata line, message
//! records appended again each time they change (the last copy wins), `$set` metadata patches
//! and `$rewindTo` rewinds. Before, it was one JSON document rewritten in place
//! (`session-….json`), read whole and tolerated half-written. Sub-agents write
//! `chats/<parent session id>/<id>.jsonl`. See `../shared/spec/agent-sessions.md` §3.
//!
//! - [`decode_line`]: one record into entries (before upserts and rewinds are applied).
//! - `doc`: the conversation rebuilt as Gemini rebuilds it, for summaries and transcripts.
//! - `place`: the cwd (the project's `.project_root` or `projects.json`), the parent of a
//!   sub-agent and the sub-agents' files, from where the file is.
//! - [`search_legacy`]: a legacy document read as a stream, for search.
//! - `tail`: the end of a legacy document too large to keep whole ([`MAX_LEGACY`]), for a
//!   transcript.
//! - Listing (`list`): stat only, each project on its own thread.

mod decode;
pub(super) mod doc;
pub(super) mod list;
pub mod place;
mod stream;
mod tail;

use super::SessionError;
use super::entry::{Decoded, Entry, EntryKind};
use super::skim::{Json, record};
use super::text::json_time;
use std::path::Path;

/// A legacy document larger than this is not kept whole for its transcript: its end is read
/// (see `tail`). Its summary and a search read any size, as a stream.
pub const MAX_LEGACY: u64 = 256 << 20;

super::skim::fields! {
    /// The fields of a Gemini record (a message, a patch, a rewind or the metadata line).
    Message {
        id = "id",
        ty = "type",
        timestamp = "timestamp",
        content = "content",
        display_content = "displayContent",
        tool_calls = "toolCalls",
        thoughts = "thoughts",
        tokens = "tokens",
        model = "model",
        set = "$set",
        rewind_to = "$rewindTo",
    }
}

super::skim::fields! {
    /// The metadata fields (of the first line, a `$set` patch, or a legacy document).
    Header {
        session_id = "sessionId",
        start_time = "startTime",
        last_updated = "lastUpdated",
        summary = "summary",
        kind = "kind",
        directories = "directories",
    }
}

/// Decodes one line of a Gemini `.jsonl` conversation on its own: a message's entries, the
/// metadata line as a state, a rewind as a state, a patch as [`Decoded::Skip`]. (A transcript
/// applies upserts and rewinds: see [`crate::persist::session::read_document`].)
#[must_use]
pub fn decode_line(line: &[u8]) -> Decoded {
    let v = match record(line) {
        Ok(v) => v,
        Err(problem) => return Decoded::Malformed { problem },
    };
    let m = Message::of(v);
    if let Some(target) = m.rewind_to {
        let mut e = Entry::new(EntryKind::State, "gemini");
        e.text = format!("rewound to {}", target.str().unwrap_or_default());
        return Decoded::Entries(vec![e]);
    }
    if m.id.is_some() {
        return Decoded::from_entries(decode::message_entries(&m, json_time(m.timestamp)));
    }
    if m.set.is_some() {
        return Decoded::Skip;
    }
    let h = Header::of(v);
    let mut e = Entry::new(EntryKind::State, "gemini");
    e.time = json_time(h.start_time);
    e.text = format!(
        "session {}",
        h.session_id.and_then(Json::str).unwrap_or_default()
    );
    Decoded::Entries(vec![e])
}

/// Rebuilds a legacy single-document conversation (`session-….json`), reading it as a stream
/// (memory holds its largest message; with `keep_entries`, its entries too). With
/// `keep_entries`, a document over [`MAX_LEGACY`] gives its last messages only, led by an
/// entry saying what is left out (see `tail`), in bounded memory.
///
/// # Errors
/// The file cannot be read, or is not a whole JSON object (Gemini rewrites it in place, so a
/// read can catch it half-written: reading again later is the remedy).
pub(crate) fn read_legacy(path: &Path, keep_entries: bool) -> Result<doc::Doc, SessionError> {
    let format = |problem: String| SessionError::Format {
        path: path.to_path_buf(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(super::read::io_error(path))?;
    let size = file.metadata().map_err(super::read::io_error(path))?.len();
    if keep_entries && size > MAX_LEGACY {
        return tail::read_end(path, size);
    }
    let mut d = doc::Doc::new(keep_entries);
    stream::messages(std::io::BufReader::new(file), &mut d, |_| {})
        .map_err(|why| format(format!("{why} (being rewritten?)")))?;
    Ok(d)
}

/// A legacy document's conversation (`session-….json`) read as a stream, never whole in
/// memory, keeping the text of only the entries `keep` says yes to: the records shown, in
/// order, as [`crate::persist::session::read_document`] gives them (each entry `keep` takes
/// whole, the others with no text), and the bytes of text read. What a search needs of a
/// document of any size.
///
/// # Errors
/// The file cannot be opened or read, or is not one whole JSON object (Gemini rewrites it in
/// place, so a read can catch it half-written); the error names the file.
pub fn search_legacy(
    path: &Path,
    keep: impl Fn(&Entry) -> bool,
) -> Result<(Vec<Decoded>, u64), SessionError> {
    let file = std::fs::File::open(path).map_err(super::read::io_error(path))?;
    let mut doc = doc::Doc::new(true);
    let mut bytes = 0;
    stream::messages(std::io::BufReader::new(file), &mut doc, |d| {
        bytes += d.thin_last(&keep);
    })
    .map_err(|why| SessionError::Format {
        path: path.to_path_buf(),
        problem: format!("{why} (being rewritten?)"),
    })?;
    Ok((doc.items(), bytes))
}
