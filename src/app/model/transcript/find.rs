//! Search in the transcript: started here, run on a worker over the whole file, its progress
//! taken back here; `n`/`N` move between the matches.

use super::{MAX_MATCHES, Search, TranscriptPane, smart_contains};
use crate::app::search::{SearchRequest, SearchUpdate};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

impl TranscriptPane {
    /// Starts a search of the whole file (run by the event loop on a background thread).
    pub fn search_for(&mut self, query: &str) {
        self.cancel_search();
        let id = self.next_search_id;
        self.next_search_id += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        if self.source.is_document() {
            return self.search_in_memory(id, query, cancel);
        }
        let until = self.end.max(self.tail_offset);
        self.search = Some(Search {
            id,
            query: query.to_owned(),
            matches: Vec::new(),
            current: None,
            scanned: 0,
            total: until,
            done: false,
            capped: false,
            cancel: Arc::clone(&cancel),
        });
        self.pending_search = Some(SearchRequest {
            id,
            path: self.path.clone(),
            query: query.to_owned(),
            until,
            cancel,
            format: self.source.format(),
        });
    }

    /// Searches a session read whole, at once: every entry is in memory.
    fn search_in_memory(&mut self, id: u64, query: &str, cancel: Arc<AtomicBool>) {
        let mut matches: Vec<u64> = self
            .lines
            .iter()
            .filter(|l| smart_contains(&l.searchable(), query))
            .map(|l| l.offset)
            .collect();
        matches.dedup();
        let total = self.lines.len() as u64;
        self.search = Some(Search {
            id,
            query: query.to_owned(),
            matches,
            current: None,
            scanned: total,
            total,
            done: true,
            capped: false,
            cancel,
        });
        self.apply_search(SearchUpdate {
            id,
            offsets: Vec::new(),
            scanned: total,
            total,
            done: true,
            error: None,
        });
    }

    /// Stops a running search (Esc).
    pub fn cancel_search(&mut self) {
        if let Some(s) = &self.search {
            s.cancel.store(true, Ordering::Relaxed);
        }
        self.pending_search = None;
    }

    /// Takes progress of the background search; the first match at or after the cursor is
    /// jumped to. Returns whether anything changed.
    pub fn apply_search(&mut self, update: SearchUpdate) -> bool {
        let cursor_offset = self.lines.get(self.cursor).map_or(0, |l| l.offset);
        let Some(search) = &mut self.search else {
            return false;
        };
        if search.id != update.id {
            return false;
        }
        search.matches.extend(update.offsets);
        search.scanned = update.scanned;
        search.done = update.done;
        if search.matches.len() > MAX_MATCHES {
            // More than enough: the first ones are kept, the scan is stopped, and the pane
            // says so.
            search.matches.truncate(MAX_MATCHES);
            search.capped = true;
            search.done = true;
            search.cancel.store(true, Ordering::Relaxed);
        }
        if search.current.is_none() {
            let pick = search.matches.iter().position(|&m| m >= cursor_offset).or(
                if update.done && !search.matches.is_empty() {
                    Some(0)
                } else {
                    None
                },
            );
            if let Some(i) = pick {
                search.current = Some(i);
                let offset = search.matches[i];
                self.jump_to(offset);
            }
        }
        true
    }

    /// Moves to the next (or previous) match, wrapping around. Returns false without matches.
    pub fn step_match(&mut self, forward: bool) -> bool {
        let cursor_offset = self.lines.get(self.cursor).map_or(0, |l| l.offset);
        let Some(search) = &mut self.search else {
            return false;
        };
        if search.matches.is_empty() {
            return false;
        }
        let n = search.matches.len();
        let next = if forward {
            search
                .matches
                .iter()
                .position(|&m| m > cursor_offset)
                .unwrap_or(0)
        } else {
            search
                .matches
                .iter()
                .rposition(|&m| m < cursor_offset)
                .unwrap_or(n - 1)
        };
        search.current = Some(next);
        let offset = search.matches[next];
        self.jump_to(offset);
        true
    }
}
