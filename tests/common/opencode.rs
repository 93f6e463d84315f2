//! OpenCode databases made in the tests from SQL, with OpenCode's schema (`session.sql.ts`,
//! `message-v2.ts`): the tables, and one row of each at a time, so that a test writes the
//! sessions it reads (and can go on writing while they are read).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rusqlite::{Connection, params};
use std::path::Path;

/// OpenCode's tables (the columns the readers use, and some they do not), in WAL mode.
pub const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT, parent_id TEXT, slug TEXT,
        directory TEXT, title TEXT, version TEXT, time_created INTEGER, time_updated INTEGER,
        time_compacting INTEGER, time_archived INTEGER);
    CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER,
        time_updated INTEGER, data TEXT);
    CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT,
        time_created INTEGER, time_updated INTEGER, data TEXT);
    CREATE INDEX message_session ON message(session_id);
    CREATE INDEX part_session ON part(session_id);";

/// A new database at `db` with OpenCode's tables.
pub fn create(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    conn
}

/// A session in `/home/dev/webapp`, made at 2025-08-20T14:00:00Z and changed at `updated` (ms).
pub fn session_row(conn: &Connection, id: &str, parent: Option<&str>, title: &str, updated: i64) {
    session_in(
        conn,
        (id, parent),
        "/home/dev/webapp",
        title,
        (1_755_698_400_000, updated),
    );
}

/// A session (`id`, its parent) in `directory`, made and changed at `times` (ms).
pub fn session_in(
    conn: &Connection,
    (id, parent): (&str, Option<&str>),
    directory: &str,
    title: &str,
    (created, updated): (i64, i64),
) {
    conn.execute(
        "INSERT INTO session (id, parent_id, directory, title, time_created, time_updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, parent, directory, title, created, updated],
    )
    .unwrap();
}

/// A message of `session` made at `at` (ms), its `data` as OpenCode stores it.
pub fn message_row(conn: &Connection, session: &str, id: &str, at: i64, data: &serde_json::Value) {
    conn.execute(
        "INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?1, ?2, ?3, ?3, ?4)",
        params![id, session, at, data.to_string()],
    )
    .unwrap();
}

/// A part of `message`, its `data` as OpenCode stores it.
pub fn part_row(
    conn: &Connection,
    session: &str,
    message: &str,
    id: &str,
    data: &serde_json::Value,
) {
    conn.execute(
        "INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?1, ?2, ?3, 0, 0, ?4)",
        params![id, message, session, data.to_string()],
    )
    .unwrap();
}
