//! Listing OpenCode's sessions and reading one whole, each in one read transaction.

use super::super::entry::Decoded;
use super::super::listing::{SessionFile, SessionSource};
use super::super::summary::{SessionSummary, first_prompt};
use super::super::text::from_millis;
use super::super::{Agent, SessionError, SubagentLink, Summarizer, TurnState};
use super::entries::message;
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
    let conn = open(db)?;
    // One read transaction: the session as it was at one moment, whatever writers do.
    let tx = conn.unchecked_transaction().map_err(db_error(db))?;
    let result = read_in(&tx, db, id).map_err(db_error(db));
    drop(tx);
    result
}

fn read_in(
    conn: &Connection,
    db: &Path,
    id: &str,
) -> rusqlite::Result<(Vec<Decoded>, SessionSummary)> {
    let schema = Schema::probe(conn, &TABLES)?;
    read_with(conn, &schema, db, id)
}

/// The tables a session is read from.
pub(super) const TABLES: [&str; 3] = ["session", "message", "part"];

/// A session read whole on `conn`, whose schema is known.
pub(super) fn read_with(
    conn: &Connection,
    schema: &Schema,
    db: &Path,
    id: &str,
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
    let messages = messages(conn, schema, id)?;
    let mut items = Vec::new();
    for (data, parts) in &messages {
        let (entries, c) = message(data, parts);
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
        items.push(Decoded::from_entries(entries));
    }
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
    if messages.is_empty() {
        s.turn = TurnState::Unknown;
    }
    Ok((items, s))
}

/// Every message's `data` and its parts' `data`, in order.
type Messages = Vec<(Vec<u8>, Vec<Vec<u8>>)>;

fn messages(conn: &Connection, schema: &Schema, id: &str) -> rusqlite::Result<Messages> {
    if !schema.has_table("message") || !schema.has("message", "data") {
        return Ok(Vec::new());
    }
    let order = if schema.has("message", "time_created") {
        "time_created, id"
    } else {
        "id"
    };
    let sql = format!("SELECT id, data FROM message WHERE session_id = ?1 ORDER BY {order}");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, text_bytes(r, 1)?)))?;
    let mut messages: Vec<(String, Vec<u8>, Vec<Vec<u8>>)> = rows
        .map(|r| r.map(|(id, data)| (id, data, Vec::new())))
        .collect::<Result<_, _>>()?;
    if schema.has_table("part") && schema.has("part", "data") && schema.has("part", "message_id") {
        let scope = if schema.has("part", "session_id") {
            "session_id = ?1"
        } else {
            "message_id IN (SELECT id FROM message WHERE session_id = ?1)"
        };
        let sql =
            format!("SELECT message_id, data FROM part WHERE {scope} ORDER BY message_id, id");
        let mut stmt = conn.prepare(&sql)?;
        let parts = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, text_bytes(r, 1)?)))?;
        let index: std::collections::HashMap<String, usize> = messages
            .iter()
            .enumerate()
            .map(|(i, (id, _, _))| (id.clone(), i))
            .collect();
        for part in parts {
            let (message_id, data) = part?;
            if let Some(&i) = index.get(&message_id) {
                messages[i].2.push(data);
            }
        }
    }
    Ok(messages
        .into_iter()
        .map(|(_, data, parts)| (data, parts))
        .collect())
}

/// A TEXT or BLOB column's bytes (NULL is empty).
fn text_bytes(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Vec<u8>> {
    use rusqlite::types::ValueRef;
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
        _ => Vec::new(),
    })
}
