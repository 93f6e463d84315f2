//! OpenCode's sessions: rows of its SQLite database (`opencode.db`, WAL mode): `session`,
//! `message` and `part`, each message and part a JSON `data` column updated in place as tools
//! progress. See `../shared/spec/agent-sessions.md` §4.
//!
//! The database is opened read-only (`SQLITE_OPEN_READ_ONLY`, `PRAGMA query_only`), with a
//! short busy timeout; its journal mode is never changed and no write lock is ever taken, so
//! OpenCode's writers are never blocked. Each read is one read transaction, so a session is
//! seen as it was at one moment. Tables are probed in `sqlite_master` and columns with
//! `table_info` before any query: a table or column a build lacks reads as empty.
//!
//! - Listing (`list`): one query over `session` (sub-agent sessions, which have a
//!   `parent_id`, are left out).
//! - `read`: a session's entries and summary.
//! - `task`: the `task` tool's part, the entry of the sub-agent it starts (a child session,
//!   linked so that it opens from its parent's transcript).
//! - [`scan`]: a search's one read of the whole database.

mod entries;
pub(super) mod read;
pub mod scan;
mod task;

use super::SessionError;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

/// How long a read waits for a lock before giving up (a checkpoint, never a writer in WAL).
const BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// SQLite's page cache per connection, in KiB (its default is 2,000 KiB). Every read here is
/// one pass (a session's rows, or a search's stream of every row), which the kernel's own page
/// cache serves as well: a search's connections held 4 MB of pages at the dashboard's peak
/// (heaptrack; issue 18 in BENCHMARKS.md).
const PAGE_CACHE_KIB: i64 = 256;

/// The error of a database call, naming the database.
pub(crate) fn db_error(db: &Path) -> impl Fn(rusqlite::Error) -> SessionError + '_ {
    move |e| SessionError::Database {
        path: db.to_path_buf(),
        problem: e.to_string(),
    }
}

/// Whether `db` is in WAL mode (its header's read and write versions are 2) with no `-wal`
/// file beside it: nothing is writing to it, and its main file holds all of it.
fn quiet_wal(db: &Path) -> bool {
    let mut header = [0u8; 20];
    let read =
        std::fs::File::open(db).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header));
    let wal = read.is_ok() && header[18] == 2 && header[19] == 2;
    let mut journal = db.as_os_str().to_owned();
    journal.push("-wal");
    wal && !Path::new(&journal).exists()
}

/// `file:` URI of a path, percent-encoded.
fn uri(db: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::from("file:");
    for &b in db.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A read-only connection to the database `db`. A WAL database nobody is writing (no `-wal`
/// file) is opened `immutable`, because even a read-only connection would otherwise leave
/// `-wal` and `-shm` files beside it; while OpenCode runs, those exist and are shared.
pub(crate) fn open(db: &Path) -> Result<Connection, SessionError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if quiet_wal(db) {
        let uri = format!("{}?immutable=1", uri(db));
        Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
    } else {
        Connection::open_with_flags(db, flags)
    }
    .map_err(db_error(db))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db_error(db))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(db_error(db))?;
    conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)
        .map_err(db_error(db))?;
    Ok(conn)
}

/// The database's tables and, for each one asked about, its columns.
pub(crate) struct Schema {
    tables: HashSet<String>,
    columns: Vec<(String, HashSet<String>)>,
}

impl Schema {
    /// Probes `sqlite_master` and the columns of `tables`.
    pub(crate) fn probe(conn: &Connection, tables: &[&str]) -> rusqlite::Result<Schema> {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let names: HashSet<String> = stmt
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        let mut columns = Vec::new();
        for table in tables.iter().filter(|t| names.contains(**t)) {
            let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
            let cols: HashSet<String> = stmt
                .query_map([], |row| row.get::<_, String>(1))?
                .collect::<Result<_, _>>()?;
            columns.push(((*table).to_owned(), cols));
        }
        Ok(Schema {
            tables: names,
            columns,
        })
    }

    /// Whether the table exists.
    pub(crate) fn has_table(&self, table: &str) -> bool {
        self.tables.contains(table)
    }

    /// Whether the table has the column.
    pub(crate) fn has(&self, table: &str, column: &str) -> bool {
        self.columns
            .iter()
            .any(|(t, cols)| t == table && cols.contains(column))
    }

    /// `column` when the table has it, else `NULL` (for a select list).
    pub(crate) fn col<'a>(&self, table: &str, column: &'a str) -> &'a str {
        if self.has(table, column) {
            column
        } else {
            "NULL"
        }
    }
}
