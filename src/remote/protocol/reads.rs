//! What a host reads for the client on request: a transcript's bytes from an offset
//! ([`TailChunk`], at most [`super::TAIL_MAX`] per answer, whole lines where it can) and a
//! search of every transcript ([`SearchSpec`], its matches streamed, then [`SearchDone`]).

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// A piece of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TailChunk {
    /// The run's reference, as asked.
    pub run: String,
    /// Where the bytes start in the file.
    pub from: u64,
    /// The bytes, base64 (exactly as on disk). They end at a line's end unless one line alone
    /// is longer than the cap.
    pub data: String,
    /// Where the next request starts (`from` + the bytes sent).
    pub next: u64,
    /// The file's size when read.
    pub size: u64,
}

impl TailChunk {
    /// A chunk of `bytes` read at `from` in a file of `size` bytes.
    #[must_use]
    pub fn new(run: &str, from: u64, bytes: &[u8], size: u64) -> TailChunk {
        TailChunk {
            run: run.to_owned(),
            from,
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
            next: from + bytes.len() as u64,
            size,
        }
    }

    /// The bytes.
    ///
    /// # Errors
    /// The data is not base64.
    pub fn bytes(&self) -> Result<Vec<u8>, base64::DecodeError> {
        base64::engine::general_purpose::STANDARD.decode(&self.data)
    }
}

/// A search of every transcript on the host, as `beadboard search` takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchSpec {
    /// The text (smart case).
    pub pattern: String,
    /// Only runs of this repo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// Only entries since this (`2h`, `2026-11-01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// How a search on a host ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDone {
    /// Matches found.
    pub hits: u64,
    /// Transcripts searched (fewer than [`Self::total`] when cancelled).
    pub files: u64,
    /// Transcripts there were to search (0 from a host older than `cancel`).
    #[serde(default)]
    pub total: u64,
    /// It was stopped by a [`super::Request::Cancel`] before the end (absent when not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    /// Why it could not run (a bad pattern, an unknown repo), with the CLI's exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exit code the local CLI would end with (0 found, 1 nothing, 2 bad usage, 4 error).
    #[serde(default)]
    pub code: u8,
}
