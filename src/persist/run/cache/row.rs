//! How a cache entry is written: a JSON array rather than an object (a year of runs makes a
//! 20,000-line file, and repeating the field names would double it).

use super::super::State;
use super::super::summary::ManifestSummary;
use super::{CachedRun, FileStamp};
use crate::persist::gojson::{self, GoTime};
use chrono::Offset as _;
use serde::{Deserialize, Serialize};

/// A time as `(seconds, nanoseconds, UTC offset in seconds)`.
type TimeRow = (i64, u32, i32);

/// [`CachedRun`] on disk: `[key, [ino, size, mtime, ctime], [id, repo_path, prompt_head,
/// prompt_cut, state, max_iterations, current_iteration, tmux_session, created_at, updated_at,
/// completed_at, prompt_ids]]`.
#[derive(Serialize, Deserialize)]
pub(super) struct EntryRow(String, StampRow, ManifestRow);

/// `(ino, size, mtime_ns, ctime_ns)`.
type StampRow = (u64, u64, i64, i64);

/// The [`ManifestSummary`] fields in declaration order.
type ManifestRow = (
    i64,
    String,
    String,
    bool,
    String,
    i64,
    i64,
    String,
    TimeRow,
    TimeRow,
    Option<TimeRow>,
    Vec<String>,
);

fn time_row(t: &GoTime) -> TimeRow {
    (
        t.timestamp(),
        t.timestamp_subsec_nanos(),
        t.offset().local_minus_utc(),
    )
}

/// The time a row names; an impossible one (only a damaged file has it) is the zero time,
/// which no manifest's stamp will match anyway once it is rewritten.
fn row_time((secs, nanos, offset): TimeRow) -> GoTime {
    let offset = chrono::FixedOffset::east_opt(offset).unwrap_or(chrono::Utc.fix());
    chrono::DateTime::from_timestamp(secs, nanos)
        .map_or_else(gojson::zero_time, |t| t.with_timezone(&offset))
}

impl From<CachedRun> for EntryRow {
    fn from(e: CachedRun) -> EntryRow {
        let s = e.stamp;
        let m = e.manifest;
        EntryRow(
            e.key,
            (s.ino, s.size, s.mtime_ns, s.ctime_ns),
            (
                m.id,
                m.repo_path.to_string(),
                m.prompt_head,
                m.prompt_cut,
                m.state.as_str().to_owned(),
                m.max_iterations,
                m.current_iteration,
                m.tmux_session,
                time_row(&m.created_at),
                time_row(&m.updated_at),
                m.completed_at.as_ref().map(time_row),
                m.prompt_ids,
            ),
        )
    }
}

impl From<EntryRow> for CachedRun {
    fn from(EntryRow(key, stamp, m): EntryRow) -> CachedRun {
        CachedRun {
            key,
            stamp: FileStamp {
                ino: stamp.0,
                size: stamp.1,
                mtime_ns: stamp.2,
                ctime_ns: stamp.3,
            },
            manifest: ManifestSummary {
                id: m.0,
                repo_path: m.1.into(),
                prompt_head: m.2,
                prompt_cut: m.3,
                state: State::parse(&m.4),
                max_iterations: m.5,
                current_iteration: m.6,
                tmux_session: m.7,
                created_at: row_time(m.8),
                updated_at: row_time(m.9),
                completed_at: m.10.map(row_time),
                prompt_ids: m.11,
            },
        }
    }
}
