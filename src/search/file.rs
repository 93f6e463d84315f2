//! Searching one transcript in the background (the transcript pane's `/`): the raw-bytes
//! scanner over the whole file, progress about every 50 ms, cancelled through a shared flag;
//! and finding the next or previous trouble (error, FAIL, unreadable line).

use super::query::Query;
use super::scanner::{CHUNK, Event, Lines};
use crate::persist::run::TranscriptEntry;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// A search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Which search this is (updates for older searches are ignored).
    pub id: u64,
    /// The transcript.
    pub path: PathBuf,
    /// What to look for.
    pub query: String,
    /// Scan bytes before this offset (the end of complete lines when the search started).
    pub until: u64,
    /// Set to stop early.
    pub cancel: Arc<AtomicBool>,
    /// How the transcript's lines decode.
    pub format: super::LineFormat,
}

/// Progress of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchUpdate {
    /// The search.
    pub id: u64,
    /// Offsets of lines found since the last update, ascending.
    pub offsets: Vec<u64>,
    /// Bytes scanned so far.
    pub scanned: u64,
    /// Bytes to scan.
    pub total: u64,
    /// The search has finished (or was cancelled, or failed).
    pub done: bool,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// How often progress is reported.
const REPORT_EVERY: Duration = Duration::from_millis(50);

/// Runs the search, calling `report` with progress about every 50 ms and once at the end.
pub fn scan(request: &SearchRequest, mut report: impl FnMut(SearchUpdate)) {
    let total = request.until;
    let update = |offsets, scanned, done, error| SearchUpdate {
        id: request.id,
        offsets,
        scanned,
        total,
        done,
        error,
    };
    let (file, query) = match (File::open(&request.path), Query::new(&request.query)) {
        (Ok(f), Ok(q)) => (f, q),
        (Err(e), _) => {
            let why = format!("{}: {e}", request.path.display());
            return report(update(Vec::new(), 0, true, Some(why)));
        }
        (_, Err(e)) => return report(update(Vec::new(), 0, true, Some(e.to_string()))),
    };
    let lines = Lines {
        query: &query,
        cancel: &request.cancel,
        complete_tail: false,
        numbers: false,
        format: request.format,
    };
    let mut found = Vec::new();
    let mut last_report = Instant::now();
    let mut buf = Vec::new();
    let result = lines.scan(&file, 0, total, &mut buf, |event| match event {
        Event::Line(offset, _, _) => found.push(offset),
        Event::Progress(scanned) if last_report.elapsed() >= REPORT_EVERY => {
            report(update(std::mem::take(&mut found), scanned, false, None));
            last_report = Instant::now();
        }
        Event::Progress(_) => {}
    });
    match result {
        Ok(s) => report(update(
            found,
            if s.cancelled { s.to } else { total },
            true,
            None,
        )),
        Err(e) => {
            let why = format!("{}: {e}", request.path.display());
            report(update(found, 0, true, Some(why)));
        }
    }
}

/// Offset of the first (forward) or last (backward) error, FAIL or unreadable line whose start
/// lies in `from..to`, found by scanning raw bytes for the markers agentpair writes
/// (`"type":"error"`, `"error":"`, `"signal":"FAIL"`), or for an agent session the words its
/// failures carry (`error`, `fail`, `abort`, in any case), and decoding the candidates.
#[must_use]
pub fn find_trouble(
    path: &std::path::Path,
    from: u64,
    to: u64,
    forward: bool,
    format: super::LineFormat,
) -> Option<u64> {
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let to = to.min(len);
    let markers = match format {
        super::LineFormat::Agentpair => {
            regex::bytes::Regex::new(r#""type":"error"|"error":"|"signal":"FAIL""#)
        }
        super::LineFormat::Session(_) => regex::bytes::Regex::new(r"(?i)error|fail|abort"),
    }
    .ok()?;
    let mut pos = from;
    // A start that is not a line start: skip to the next line.
    if from > 0 {
        let mut byte = [0u8; 1];
        file.read_exact_at(&mut byte, from - 1).ok()?;
        if byte[0] != b'\n' {
            let mut probe = vec![0u8; usize::try_from((to - from).min(CHUNK as u64)).ok()?];
            file.read_exact_at(&mut probe, from).ok()?;
            pos = from + memchr::memchr(b'\n', &probe)? as u64 + 1;
        }
    }
    let mut last = None;
    let mut buf = Vec::new();
    while pos < to {
        let want = usize::try_from((len - pos).min(CHUNK as u64)).ok()?;
        buf.resize(want, 0);
        file.read_exact_at(&mut buf, pos).ok()?;
        let end = memchr::memrchr(b'\n', &buf)?;
        let region = &buf[..=end];
        let mut at = 0;
        while let Some(m) = markers.find_at(region, at) {
            let start = memchr::memrchr(b'\n', &region[..m.start()]).map_or(0, |i| i + 1);
            let line_end =
                memchr::memchr(b'\n', &region[m.start()..]).map_or(region.len(), |i| m.start() + i);
            let offset = pos + start as u64;
            if offset >= to {
                break;
            }
            let line = &region[start..line_end];
            let trouble = match format {
                super::LineFormat::Agentpair => match TranscriptEntry::parse_line(line) {
                    Ok(e) => crate::present::summary::is_trouble(&e),
                    Err(_) => true,
                },
                super::LineFormat::Session(agent) => {
                    match crate::persist::session::decode_line(agent, line) {
                        crate::persist::session::Decoded::Entries(entries) => {
                            entries.iter().any(|e| {
                                e.is_error || e.kind == crate::persist::session::EntryKind::Error
                            })
                        }
                        crate::persist::session::Decoded::Skip => false,
                        crate::persist::session::Decoded::Malformed { .. } => true,
                    }
                }
            };
            if trouble {
                if forward {
                    return Some(offset);
                }
                last = Some(offset);
            }
            at = line_end + 1;
            if at >= region.len() {
                break;
            }
        }
        pos += region.len() as u64;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_text_not_keys_with_smart_case() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let text = "{\"type\":\"result\",\"run_id\":1,\"content\":\"a \\\"quoted\\\" Limiter here\"}\n{\"type\":\"state\",\"run_id\":1,\"state\":\"working\"}\nnot json but limiter\n{\"type\":\"error\",\"run_id\":1,\"error\":\"limiter broke & <died>\"}\n";
        std::fs::write(&path, text).unwrap();
        let run = |query: &str| {
            let mut offsets = Vec::new();
            let mut finished = false;
            let request = SearchRequest {
                id: 1,
                path: path.clone(),
                query: query.to_owned(),
                until: text.len() as u64,
                cancel: Arc::default(),
                format: crate::search::LineFormat::Agentpair,
            };
            scan(&request, |u| {
                offsets.extend(u.offsets);
                finished |= u.done;
            });
            assert!(finished);
            offsets
        };
        let second = text.find("{\"type\":\"state\"").unwrap() as u64;
        let third = text.find("not json").unwrap() as u64;
        let fourth = text.find("{\"type\":\"error\"").unwrap() as u64;
        assert_eq!(run("limiter"), vec![0, third, fourth]);
        assert_eq!(run("Limiter"), vec![0], "uppercase: case-sensitive");
        assert_eq!(
            run("\"quoted\""),
            vec![0],
            "quotes are found through JSON escaping"
        );
        assert_eq!(run("& <died>"), vec![fourth]);
        assert_eq!(run("working"), vec![second]);
        assert!(run("run_id").is_empty(), "keys never match");
        assert!(run("2026").is_empty());
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn escapes_and_cancellation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let text =
            "{\"type\":\"result\",\"run_id\":1,\"content\":\"\\u001b[31mred\\u001b[0m alert\"}\n"
                .repeat(50);
        std::fs::write(&path, &text).unwrap();
        let collect = |query: &str, cancel: bool| {
            let flag = Arc::new(AtomicBool::new(cancel));
            let request = SearchRequest {
                id: 1,
                path: path.clone(),
                query: query.to_owned(),
                until: text.len() as u64,
                cancel: flag,
                format: crate::search::LineFormat::Agentpair,
            };
            let mut out = (0, false);
            scan(&request, |u| {
                out.0 += u.offsets.len();
                out.1 |= u.done;
            });
            out
        };
        assert_eq!(
            collect("u001b", false),
            (0, true),
            "escape sequences are not text"
        );
        assert_eq!(collect("red", false), (50, true));
        assert_eq!(
            collect("alert", true),
            (0, true),
            "a cancelled search stops at once and says so"
        );
    }
}
