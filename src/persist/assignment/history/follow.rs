//! Following a history log as it grows: each read takes only the lines appended since the last
//! one (the log is append-only and grows with every change, so reading it whole on every
//! change would cost more and more). A log replaced, truncated or rewritten in place is read
//! again whole, and the caller is told so.

use super::HistoryRecord;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Where a history log has been read up to: which file, and the offset just past its last
/// complete line. The default has read nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryCursor {
    /// (device, inode) of the file read.
    identity: Option<(u64, u64)>,
    /// The offset just past the last complete line read.
    offset: u64,
}

/// What a read of a history log found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTail {
    /// The records (the whole log's when `whole`, else those appended since the cursor).
    pub records: Vec<HistoryRecord>,
    /// Where the next read starts.
    pub cursor: HistoryCursor,
    /// The log was read from its start (first read, or it was replaced or cut): `records` is
    /// all of it, not an addition.
    pub whole: bool,
}

/// Reads what was appended to the log at `path` since `cursor` (leniently: unreadable lines
/// are skipped; a half-written last line waits for the next read). A missing log is an empty
/// one, read whole.
///
/// # Errors
/// An unreadable file.
pub fn read_history_since(path: &Path, cursor: HistoryCursor) -> std::io::Result<HistoryTail> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(HistoryTail {
                records: Vec::new(),
                cursor: HistoryCursor::default(),
                whole: true,
            });
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let identity = Some((meta.dev(), meta.ino()));
    // Go on from the cursor only in the same file, grown or as long, whose byte before the
    // cursor still ends a line (a log rewritten in place is read again).
    let mut start = 0;
    if cursor.offset > 0 && cursor.identity == identity && meta.len() >= cursor.offset {
        let mut before = [0u8];
        file.seek(SeekFrom::Start(cursor.offset - 1))?;
        file.read_exact(&mut before)?;
        if before[0] == b'\n' {
            start = cursor.offset;
        }
    }
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let records = bytes[..complete]
        .split(|b| *b == b'\n')
        .filter_map(HistoryRecord::parse)
        .collect();
    Ok(HistoryTail {
        records,
        cursor: HistoryCursor {
            identity,
            offset: start + complete as u64,
        },
        whole: start == 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::gojson::parse_time;

    fn record(bead: &str) -> HistoryRecord {
        HistoryRecord {
            time: parse_time("2026-03-30T09:00:00Z").unwrap(),
            bead_id: bead.to_owned(),
            op: "assign".to_owned(),
            from: String::new(),
            to: "assigned".to_owned(),
            pane_before: None,
            pane_after: Some(1),
            agent_type_before: String::new(),
            agent_type_after: "claude".to_owned(),
            agent_name_before: String::new(),
            agent_name_after: String::new(),
            reason: String::new(),
        }
    }

    fn beads(tail: &HistoryTail) -> Vec<&str> {
        tail.records.iter().map(|r| r.bead_id.as_str()).collect()
    }

    #[test]
    fn each_read_takes_only_what_was_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        let missing = read_history_since(&path, HistoryCursor::default()).unwrap();
        assert!(missing.whole && missing.records.is_empty());

        super::super::append(&path, &[record("a"), record("b")]).unwrap();
        let first = read_history_since(&path, missing.cursor).unwrap();
        assert!(first.whole);
        assert_eq!(beads(&first), ["a", "b"]);

        super::super::append(&path, &[record("c")]).unwrap();
        // Half of a line being written waits for the rest.
        let c_line = record("d").to_line();
        let (half, rest) = c_line.split_at(10);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut f, half.as_bytes()).unwrap();
        let next = read_history_since(&path, first.cursor).unwrap();
        assert!(!next.whole);
        assert_eq!(beads(&next), ["c"]);
        std::io::Write::write_all(&mut f, rest.as_bytes()).unwrap();
        let last = read_history_since(&path, next.cursor).unwrap();
        assert_eq!((beads(&last), last.whole), (vec!["d"], false));
        let none = read_history_since(&path, last.cursor).unwrap();
        assert_eq!((none.records.len(), none.whole), (0, false));
    }

    #[test]
    fn a_log_replaced_or_cut_is_read_whole_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        super::super::append(&path, &[record("a"), record("b")]).unwrap();
        let read = read_history_since(&path, HistoryCursor::default()).unwrap();

        // Replaced (a new file renamed over it).
        let other = dir.path().join("new.jsonl");
        super::super::append(&other, &[record("x"), record("y"), record("z")]).unwrap();
        std::fs::rename(&other, &path).unwrap();
        let replaced = read_history_since(&path, read.cursor).unwrap();
        assert!(replaced.whole);
        assert_eq!(beads(&replaced), ["x", "y", "z"]);

        // Cut short in place.
        std::fs::write(&path, record("q").to_line()).unwrap();
        let cut = read_history_since(&path, replaced.cursor).unwrap();
        assert_eq!((beads(&cut), cut.whole), (vec!["q"], true));

        // Rewritten in place, as long as before: the byte before the cursor no longer ends a
        // line.
        let line = record("q").to_line();
        std::fs::write(&path, format!("{}{}", &line[1..], &line[..1])).unwrap();
        let rewritten = read_history_since(&path, cut.cursor).unwrap();
        assert!(rewritten.whole);
    }
}
