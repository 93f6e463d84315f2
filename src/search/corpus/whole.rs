//! Searching a session not read by lines (Gemini's legacy document, read as a stream; an
//! OpenCode session): each record that holds the text is a match, numbered by its place among
//! the records (it has no line of its own).

use super::{CorpusSearch, Done, Hit};
use crate::persist::session::{Decoded, Entry, SessionSource, gemini};
use crate::search::session_text;
use std::time::SystemTime;

/// When a session read whole last changed: its file's modification time (`None` for a
/// database session, which is always read).
fn stamp(source: &SessionSource) -> Option<SystemTime> {
    std::fs::metadata(source.file()?).ok()?.modified().ok()
}

impl CorpusSearch {
    /// The matches in a session not read by lines; the bytes counted are its entries' text.
    /// One unchanged since `since` is not read. Gemini's legacy document is read as a stream,
    /// keeping only the text that matches (memory holds its largest message, not all of it).
    pub(super) fn whole(
        &self,
        target: usize,
        source: &SessionSource,
        since: Option<SystemTime>,
    ) -> Done {
        if let (Some(since), Some(stamp)) = (since, stamp(source))
            && stamp < since
        {
            return Done::nothing(0);
        }
        let read = match source {
            SessionSource::Document(path) if path.extension().is_some_and(|e| e == "json") => {
                let keep = |e: &Entry| self.query.matches_text(&session_text(e));
                gemini::search_legacy(path, keep)
                    .map(|(items, bytes)| (bytes, self.record_hits(target, &items).1))
            }
            _ => crate::persist::session::read_document(source)
                .map(|document| self.record_hits(target, &document.items)),
        };
        match read {
            Ok((bytes, hits)) => Done {
                bytes,
                hits: Ok(hits),
            },
            Err(e) => Done {
                bytes: 0,
                hits: Err(e.to_string()),
            },
        }
    }

    /// The matches among a session's records (`items`, in order): for each record, its first
    /// entry that holds the text (when it is not older than `since`); and the bytes of the
    /// entries' text.
    pub(super) fn record_hits(&self, target: usize, items: &[Decoded]) -> (u64, Vec<Hit>) {
        let mut bytes = 0;
        let mut hits = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Decoded::Entries(entries) = item else {
                continue;
            };
            bytes += entries.iter().map(|e| e.text.len() as u64).sum::<u64>();
            let Some(e) = entries
                .iter()
                .find(|e| self.query.matches_text(&session_text(e)))
            else {
                continue;
            };
            let time = e.time.map(|t| t.fixed_offset());
            if let Some(since) = self.since
                && time.is_none_or(|t| t < since)
            {
                continue;
            }
            hits.push(Hit {
                target,
                offset: 0,
                line: i as u64 + 1,
                entry_type: e.kind.as_str().to_owned(),
                time,
                text: self.query.snippet(&session_text(e), self.context),
            });
        }
        (bytes, hits)
    }
}
