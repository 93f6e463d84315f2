//! A Codex `.jsonl.zst` rollout, decompressed in memory with a pure-Rust zstd decoder and never
//! written: whole for the transcript (capped), or as a stream for the summary.

use super::super::SessionError;
use std::io::{BufReader, Read};
use std::path::Path;

/// The most a compressed rollout is decompressed to in memory (the summary streams instead).
pub const MAX_DECOMPRESSED: u64 = 512 << 20;

/// A reader of the decompressed rollout.
pub(crate) fn reader(path: &Path) -> Result<impl Read + use<>, SessionError> {
    let file = std::fs::File::open(path).map_err(|source| SessionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ruzstd::decoding::StreamingDecoder::new(BufReader::new(file)).map_err(|e| {
        SessionError::Format {
            path: path.to_path_buf(),
            problem: format!("not a zstd file: {e}"),
        }
    })
}

/// The decompressed rollout.
///
/// # Errors
/// The file cannot be read, is not zstd, is damaged, or decompresses to more than
/// [`MAX_DECOMPRESSED`] bytes.
pub fn decompress(path: &Path) -> Result<Vec<u8>, SessionError> {
    let mut out = Vec::new();
    reader(path)?
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|e| SessionError::Format {
            path: path.to_path_buf(),
            problem: format!("cannot be decompressed: {e}"),
        })?;
    if out.len() as u64 > MAX_DECOMPRESSED {
        return Err(SessionError::Format {
            path: path.to_path_buf(),
            problem: format!(
                "decompresses to more than {} MiB; too large to read in memory",
                MAX_DECOMPRESSED >> 20
            ),
        });
    }
    Ok(out)
}
