//! Listing OpenCode's sessions and reading one whole, each in one read transaction.

use super::super::entry::Decoded;
use super::super::listing::{SessionFile, SessionSource};
use super::super::summary::{SessionSummary, first_prompt};
use super::super::text::from_millis;
use super::super::{Agent, SessionError, SubagentLink, Summarizer, TurnState};
use super::entries::Message;
use super::{Schema, db_error, open};
use crate::persist::run::cache::FileStamp;
use rusqlite::Connection;
use std::collections::HashSet;
use std::path::Path;

/// The sessions with no parent (top-level), each with an identity made of the database file's
/// inode and the session's `time_updated` (so a cache can tell a changed session). A missing
/// database has none.
pub(crate) fn list(db: &Path) -> (Vec<SessionFile>, Vec<(std::path::PathBuf, String)>) {
    let ino = match std::fs::metadata(db) {
        Ok(meta) => std::os::unix::fs::MetadataExt::ino(&meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => return (Vec::new(), vec![(db.to_path_buf(), e.to_string())]),
    };
    match rows(db) {
        Ok(rows) => {
            let sessions = rows
                .into_iter()
                .filter(|(_, parent, _)| parent.is_none())
                .map(|(id, _, updated)| SessionFile {
                    agent: Agent::OpenCode,
                    source: SessionSource::Database {
                        db: db.to_path_buf(),
                        session: id.clone(),
                    },
                    id_hint: Some(id),
                    stamp: Some(FileStamp {
                        ino,
                        size: 0,
                        mtime_ns: updated.saturating_mul(1_000_000),
                        ctime_ns: 0,
                    }),
                })
                .collect();
            (sessions, Vec::new())
        }
        Err(e) => (Vec::new(), vec![(db.to_path_buf(), e.to_string())]),
    }
}

/// `(id, parent_id, time_updated)` of every session.
fn rows(db: &Path) -> Result<Vec<(String, Option<String>, i64)>, SessionError> {
    let conn = open(db)?;
    let schema = Schema::probe(&conn, &["session"]).map_err(db_error(db))?;
    if !schema.has_table("session") {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, {}, {} FROM session",
        schema.col("session", "parent_id"),
        schema.col("session", "time_updated"),
    );
    let mut stmt = conn.prepare(&sql).map_err(db_error(db))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            ))
        })
        .map_err(db_error(db))?;
    rows.collect::<Result<_, _>>().map_err(db_error(db))
}

/// A session read whole: its messages' entries (in order) and its summary.
pub(crate) fn read(db: &Path, id: &str) -> Result<(Vec<Decoded>, SessionSummary), SessionError> {
    read_in(db, id, true)
}

/// A session's summary, its messages read one at a time (their entries are let go of as soon
/// as they are counted: memory holds one message, never the session).
pub(crate) fn summarize(db: &Path, id: &str) -> Result<SessionSummary, SessionError> {
    read_in(db, id, false).map(|(_, summary)| summary)
}

fn read_in(
    db: &Path,
    id: &str,
    keep_items: bool,
) -> Result<(Vec<Decoded>, SessionSummary), SessionError> {
    let conn = open(db)?;
    // One read transaction: the session as it was at one moment, whatever writers do.
    let tx = conn.unchecked_transaction().map_err(db_error(db))?;
    let result = Schema::probe(&tx, &TABLES)
        .and_then(|schema| read_with(&tx, &schema, db, id, keep_items))
        .map_err(db_error(db));
    drop(tx);
    result
}

/// The tables a session is read from.
pub(super) const TABLES: [&str; 3] = ["session", "message", "part"];

/// A session read on `conn`, whose schema is known: its summary, and its entries when
/// `keep_items` (else none).
pub(super) fn read_with(
    conn: &Connection,
    schema: &Schema,
    db: &Path,
    id: &str,
    keep_items: bool,
) -> rusqlite::Result<(Vec<Decoded>, SessionSummary)> {
    let mut s = Summarizer::new(
        Agent::OpenCode,
        SessionSource::Database {
            db: db.to_path_buf(),
            session: id.to_owned(),
        },
    )
    .into_summary();
    s.id = id.to_owned();
    if schema.has_table("session") {
        let c = |col| schema.col("session", col);
        let sql = format!(
            "SELECT {}, {}, {}, {}, {} FROM session WHERE id = ?1",
            c("title"),
            c("directory"),
            c("time_created"),
            c("time_updated"),
            c("parent_id"),
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([id])?;
        if let Some(r) = rows.next()? {
            s.title = r.get::<_, Option<String>>(0)?.filter(|t| !t.is_empty());
            s.cwd = r.get::<_, Option<String>>(1)?.unwrap_or_default();
            s.started_at = r.get::<_, Option<i64>>(2)?.and_then(from_millis);
            s.last_entry_at = r.get::<_, Option<i64>>(3)?.and_then(from_millis);
            s.parent = r.get::<_, Option<String>>(4)?;
        }
        if schema.has("session", "parent_id") {
            let sql = format!(
                "SELECT id, {} FROM session WHERE parent_id = ?1 ORDER BY id",
                c("title")
            );
            let mut stmt = conn.prepare(&sql)?;
            let children = stmt.query_map([id], |r| {
                Ok(SubagentLink {
                    id: r.get(0)?,
                    description: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    path: Some(db.to_path_buf()),
                })
            })?;
            s.subagents = children.collect::<Result<_, _>>()?;
        }
    }
    let mut items = Vec::new();
    let count = each_message(conn, schema, id, |entries, c| {
        if c.user {
            s.turns += 1;
            first_prompt(&mut s, c.prompt.as_deref().unwrap_or_default());
        }
        s.tokens += c.tokens;
        s.model = c.model.or(s.model.take());
        if s.cwd.is_empty() {
            s.cwd = c.cwd.unwrap_or_default();
        }
        if let Some(t) = c.turn {
            s.turn = t;
        }
        for e in &entries {
            s.last_entry_at = s.last_entry_at.max(e.time);
        }
        if keep_items {
            items.push(Decoded::from_entries(entries));
        }
    })?;
    items.retain(|d| *d != Decoded::Skip);
    let children: HashSet<&str> = s.subagents.iter().map(|l| l.id.as_str()).collect();
    super::task::link(
        items.iter_mut().flat_map(|d| match d {
            Decoded::Entries(e) => e.as_mut_slice(),
            Decoded::Skip | Decoded::Malformed { .. } => &mut [],
        }),
        &children,
        db,
    );
    if count == 0 {
        s.turn = TurnState::Unknown;
    }
    Ok((items, s))
}

/// Calls `f` with each message's entries and counts, in order, one message at a time, its
/// parts read one by one (memory holds one message and one part: only their ids are ever
/// sorted, never their JSON); says how many messages there were.
fn each_message(
    conn: &Connection,
    schema: &Schema,
    id: &str,
    mut f: impl FnMut(Vec<crate::persist::session::Entry>, super::entries::Counts),
) -> rusqlite::Result<usize> {
    if !schema.has_table("message") || !schema.has("message", "data") {
        return Ok(0);
    }
    let order = if schema.has("message", "time_created") {
        "time_created, id"
    } else {
        "id"
    };
    // The messages' ids in their order (a sort of ids, not of data), then each one's data.
    let sql = format!("SELECT rowid, id FROM message WHERE session_id = ?1 ORDER BY {order}");
    let messages: Vec<(i64, String)> = conn
        .prepare(&sql)?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut data_of = conn.prepare("SELECT data FROM message WHERE rowid = ?1")?;
    let mut parts = if schema.has_table("part")
        && schema.has("part", "data")
        && schema.has("part", "message_id")
    {
        Some(Parts::prepare(conn, schema.has("part", "session_id"))?)
    } else {
        None
    };
    for (rowid, message_id) in &messages {
        let mut rows = data_of.query([rowid])?;
        let data = match rows.next()? {
            Some(row) => text_bytes(row, 0)?,
            None => continue, // cannot happen in one read transaction
        };
        let mut m = Message::new(&data);
        if let Some(parts) = parts.as_mut() {
            parts.each(message_id, id, |part| m.part(part))?;
        }
        let (entries, counts) = m.finish();
        f(entries, counts);
    }
    Ok(messages.len())
}

/// The statements a message's parts are read with, in their ids' order.
struct Parts<'c> {
    /// The parts' ids in their rows' order.
    ids: rusqlite::Statement<'c>,
    /// Their data in their rows' order (the ids' too, as a rule: no sort).
    by_row: rusqlite::Statement<'c>,
    /// Their rowids sorted by id (rows out of order: only the ids are sorted).
    by_id: rusqlite::Statement<'c>,
    /// One part's data, by rowid.
    one: rusqlite::Statement<'c>,
    of_session: bool,
}

impl<'c> Parts<'c> {
    fn prepare(conn: &'c Connection, of_session: bool) -> rusqlite::Result<Parts<'c>> {
        // A part is its session's when the part says so (`+`: found by its message's index).
        let scope = if of_session {
            "message_id = ?1 AND +session_id = ?2"
        } else {
            "message_id = ?1"
        };
        Ok(Parts {
            ids: conn.prepare(&format!("SELECT id FROM part WHERE {scope} ORDER BY rowid"))?,
            by_row: conn.prepare(&format!(
                "SELECT data FROM part WHERE {scope} ORDER BY rowid"
            ))?,
            by_id: conn.prepare(&format!("SELECT rowid FROM part WHERE {scope} ORDER BY id"))?,
            one: conn.prepare("SELECT data FROM part WHERE rowid = ?1")?,
            of_session,
        })
    }

    /// Calls `f` with each part's data of the message, in the parts' ids' order, one part in
    /// memory at a time.
    fn each(
        &mut self,
        message: &str,
        session: &str,
        mut f: impl FnMut(&[u8]),
    ) -> rusqlite::Result<()> {
        let both = [message, session];
        let params: &[&str] = if self.of_session { &both } else { &both[..1] };
        let params = rusqlite::params_from_iter(params);
        let ids: Vec<String> = self
            .ids
            .query_map(params.clone(), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if ids.windows(2).all(|w| w[0] < w[1]) {
            let mut rows = self.by_row.query(params)?;
            while let Some(row) = rows.next()? {
                f(as_bytes(row)?);
            }
            return Ok(());
        }
        let rowids: Vec<i64> = self
            .by_id
            .query_map(params, |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for rowid in rowids {
            let mut rows = self.one.query([rowid])?;
            if let Some(row) = rows.next()? {
                f(as_bytes(row)?);
            }
        }
        Ok(())
    }
}

/// A row's first column as bytes, where SQLite holds them (NULL is empty).
fn as_bytes<'r>(row: &'r rusqlite::Row<'_>) -> rusqlite::Result<&'r [u8]> {
    use rusqlite::types::ValueRef;
    Ok(match row.get_ref(0)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => t,
        _ => &[],
    })
}

/// A TEXT or BLOB column's bytes (NULL is empty).
fn text_bytes(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Vec<u8>> {
    use rusqlite::types::ValueRef;
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
        _ => Vec::new(),
    })
}
