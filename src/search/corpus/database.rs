//! Searching an OpenCode database's sessions in one read of it: one read-only connection, the
//! `message` and `part` rows streamed once each, and only the sessions that may hold the text
//! read whole (then matched exactly as any session read whole, so the matches are the same).
//!
//! A session may hold the text when one of its rows does: a row whose entries show only text
//! its JSON holds as written (a text, reasoning or tool part) when the query's raw pattern (the
//! query as JSON may spell it, escapes included) is in its bytes; any other row (a file's label,
//! a patch, a compaction, a message's error, …) when its entries, decoded alone, hold the text.
//! A query that an entry's kind or actor could hold (`response`, `user`, …) or that spans
//! lines reads every session whole.

use super::{CorpusSearch, Done, plan};
use crate::persist::session::EntryKind;
use crate::persist::session::opencode::scan::{DatabaseScan, own_entries};
use crate::search::session_text;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::Ordering;

/// Rows read between two looks at the cancel flag.
const CANCEL_EVERY: u64 = 4096;

impl CorpusSearch {
    /// Whether an entry could show the query in its kind or actor, or across its lines (so
    /// that no row can be passed over by its bytes).
    fn in_shown_words(&self) -> bool {
        let kinds = [
            EntryKind::Prompt,
            EntryKind::Response,
            EntryKind::Signal,
            EntryKind::Thinking,
            EntryKind::ToolCall,
            EntryKind::ToolResult,
        ];
        let actors = ["user", "opencode"];
        self.query.text().contains('\n')
            || kinds.iter().any(|k| self.query.matches_text(k.as_str()))
            || actors.iter().any(|a| self.query.matches_text(a))
    }

    /// Searches the sessions `sessions` (indexes into `files`, all of database `db`), telling
    /// what each held; the bytes counted are its rows' JSON. A database that cannot be read is
    /// one problem, told with its first session.
    pub(super) fn database(
        &self,
        db: &Path,
        files: &plan::Plan,
        sessions: &[usize],
    ) -> Vec<(usize, Done)> {
        let scan = match DatabaseScan::open(db) {
            Ok(scan) => scan,
            Err(e) => return failed(sessions, &e.to_string()),
        };
        let by_id: HashMap<&str, usize> = sessions
            .iter()
            .filter_map(|&i| Some((files.file(i)?.database()?.1, i)))
            .collect();
        let everything = self.in_shown_words();
        let raw = self.query.raw();
        let mut bytes: HashMap<usize, u64> = HashMap::new();
        let mut maybe: HashSet<usize> = HashSet::new();
        let mut read = 0u64;
        let streamed = scan.rows(|id, row| {
            read += 1;
            if read.is_multiple_of(CANCEL_EVERY) && self.cancel.load(Ordering::Relaxed) {
                return false;
            }
            let Some(&i) = by_id.get(id) else {
                return true; // a sub-agent's session, or one not searched
            };
            *bytes.entry(i).or_default() += row.data().len() as u64;
            if everything || maybe.contains(&i) {
                return true;
            }
            let holds = match own_entries(row) {
                Some(entries) => entries
                    .iter()
                    .any(|e| self.query.matches_text(&session_text(e))),
                None => raw.is_match(row.data()),
            };
            if holds {
                maybe.insert(i);
            }
            true
        });
        if let Err(e) = streamed {
            return failed(sessions, &e.to_string());
        }
        let mut out = Vec::with_capacity(sessions.len());
        for &i in sessions {
            if self.cancel.load(Ordering::Relaxed) {
                break;
            }
            let size = bytes.get(&i).copied().unwrap_or(0);
            let Some(file) = files.file(i) else {
                continue;
            };
            let Some((_, id)) = file.database() else {
                continue;
            };
            let done = if everything || maybe.contains(&i) {
                match scan.read(id) {
                    Ok((items, _)) => Done {
                        bytes: size,
                        hits: Ok(self.record_hits(file.target, &items).1),
                    },
                    Err(e) => Done {
                        bytes: size,
                        hits: Err(e.to_string()),
                    },
                }
            } else {
                Done::nothing(size)
            };
            out.push((i, done));
        }
        out
    }
}

/// Every session of a database that could not be read: the problem told once.
fn failed(sessions: &[usize], why: &str) -> Vec<(usize, Done)> {
    sessions
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let done = if n == 0 {
                Done {
                    bytes: 0,
                    hits: Err(why.to_owned()),
                }
            } else {
                Done::nothing(0)
            };
            (i, done)
        })
        .collect()
}
