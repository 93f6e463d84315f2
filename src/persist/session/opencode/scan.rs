//! A search's one read of an OpenCode database ([`DatabaseScan`]): one read-only connection
//! and one read transaction for every session searched, the `message` and `part` rows streamed
//! once each (their JSON looked at where SQLite holds it, never copied), and only the sessions a
//! search picks out of them read whole.
//!
//! Most rows show only text their JSON holds as written (a text or reasoning part, a tool
//! part, the bookkeeping parts that show nothing): a search finds those through the raw bytes.
//! The others show words of their own (a file's or image's label, a patch's count, a
//! compaction, a sub-task, a retry, a part of a type not known, a message's error):
//! [`own_entries`] decodes such a row alone, so that its words are searched too.

use super::super::entry::{Decoded, Entry};
use super::super::skim::{self, Json};
use super::super::summary::SessionSummary;
use super::entries::{message, part_entries};
use super::read::{TABLES, read_with};
use super::{Schema, SessionError, db_error, open};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::path::{Path, PathBuf};

/// One row of a session's, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    /// A message's `data` (its role, times, tokens, error).
    Message(&'a [u8]),
    /// A part's `data` (its text, tool call, file, …).
    Part(&'a [u8]),
}

impl<'a> Row<'a> {
    /// The row's JSON bytes.
    #[must_use]
    pub fn data(self) -> &'a [u8] {
        match self {
            Row::Message(d) | Row::Part(d) => d,
        }
    }
}

/// The part types whose entries show only their JSON's text as written (besides their kind
/// and actor), or nothing.
const AS_WRITTEN: [&str; 6] = [
    "text",
    "reasoning",
    "tool",
    "step-start",
    "step-finish",
    "snapshot",
];

/// The entries a row shows in words of its own, decoded alone (a part as under a message of
/// either role, so both its kinds are there); `None` for a part whose entries show only text
/// its JSON holds as written. A message row's own entries are its error (or, when its JSON is
/// not an object, the row shown as unreadable).
#[must_use]
pub fn own_entries(row: Row<'_>) -> Option<Vec<Entry>> {
    match row {
        Row::Message(data) => Some(message(data, &[]).0),
        Row::Part(data) => {
            let ty = skim::field(data, "type");
            if ty.is_some_and(|t| AS_WRITTEN.iter().any(|w| t.is_str(w))) {
                return None;
            }
            // As a message reads its parts: one that is not whole JSON shows nothing.
            let Some(part) = Json::new(data) else {
                return Some(Vec::new());
            };
            let mut running = false;
            let mut out = part_entries(part, false, None, &mut running);
            out.extend(part_entries(part, true, None, &mut running));
            Some(out)
        }
    }
}

/// One database, open for a search: a read-only connection holding one read transaction, so
/// every row and every session read is as of one moment, whatever OpenCode writes meanwhile
/// (its writers are never blocked: the database is in WAL mode, or opened immutable when
/// nobody writes to it).
pub struct DatabaseScan {
    conn: Connection,
    schema: Schema,
    db: PathBuf,
}

impl DatabaseScan {
    /// Opens `db` and begins the read transaction.
    ///
    /// # Errors
    /// The database cannot be opened or read; the error names it.
    pub fn open(db: &Path) -> Result<DatabaseScan, SessionError> {
        let conn = open(db)?;
        // Deferred: the snapshot is taken by the first read and kept until the connection
        // closes (which ends the transaction).
        conn.execute_batch("BEGIN").map_err(db_error(db))?;
        let schema = Schema::probe(&conn, &TABLES).map_err(db_error(db))?;
        Ok(DatabaseScan {
            conn,
            schema,
            db: db.to_path_buf(),
        })
    }

    /// Streams every message row and then every part row to `each` with its session's id, in
    /// the tables' order. `each` returns false to stop (a cancelled search).
    ///
    /// # Errors
    /// A read fails; the error names the database.
    pub fn rows(&self, mut each: impl FnMut(&str, Row<'_>) -> bool) -> Result<(), SessionError> {
        let s = &self.schema;
        let mut queries = Vec::new();
        if s.has("message", "data") && s.has("message", "session_id") {
            queries.push(("SELECT session_id, data FROM message", false));
        }
        if s.has("part", "data") {
            if s.has("part", "session_id") {
                queries.push(("SELECT session_id, data FROM part", true));
            } else if s.has("part", "message_id") && s.has("message", "session_id") {
                queries.push((
                    "SELECT m.session_id, p.data FROM part p JOIN message m ON p.message_id = m.id",
                    true,
                ));
            }
        }
        for (sql, part) in queries {
            if !self.stream(sql, part, &mut each)? {
                break;
            }
        }
        Ok(())
    }

    /// One query's rows; false when `each` asked to stop.
    fn stream(
        &self,
        sql: &str,
        part: bool,
        each: &mut impl FnMut(&str, Row<'_>) -> bool,
    ) -> Result<bool, SessionError> {
        let error = db_error(&self.db);
        let mut stmt = self.conn.prepare(sql).map_err(&error)?;
        let mut rows = stmt.query([]).map_err(&error)?;
        while let Some(r) = rows.next().map_err(&error)? {
            let ValueRef::Text(session) = r.get_ref(0).map_err(&error)? else {
                continue;
            };
            let Ok(session) = std::str::from_utf8(session) else {
                continue;
            };
            let data = match r.get_ref(1).map_err(&error)? {
                ValueRef::Text(t) | ValueRef::Blob(t) => t,
                _ => &[],
            };
            let row = if part {
                Row::Part(data)
            } else {
                Row::Message(data)
            };
            if !each(session, row) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A session read whole, as [`crate::persist::session::read_document`] reads it, in this
    /// scan's transaction.
    ///
    /// # Errors
    /// A read fails; the error names the database.
    pub fn read(&self, session: &str) -> Result<(Vec<Decoded>, SessionSummary), SessionError> {
        read_with(&self.conn, &self.schema, &self.db, session, true).map_err(db_error(&self.db))
    }
}
