//! Long lines: one with no candidate is passed over as it is read (the buffer stays small),
//! one with a candidate is read again whole; either way the matches, their offsets and their
//! numbers are those of checking every line whole.

use super::{Event, LONG_LINE, Lines, READ};
use crate::search::{LineFormat, Query, line_text};
use std::io::{Seek, Write};
use std::sync::atomic::AtomicBool;

fn entry(content: &str) -> String {
    format!(
        r#"{{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"{content}"}}"#
    )
}

/// The matching lines of `text` (offset, number), each line checked whole.
fn every_line_whole(text: &str, q: &Query) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if q.raw().is_match(body.as_bytes()) && q.matches_text(&line_text(body.as_bytes()).1) {
            out.push((offset, i as u64 + 1));
        }
        offset += line.len() as u64;
    }
    out
}

/// The matching lines the scanner reports, and the buffer's size after.
fn scanned(text: &str, q: &Query) -> (Vec<(u64, u64)>, usize) {
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file.rewind().unwrap();
    scanned_from(&file, text, q)
}

/// The same, `text` compressed and read as it decompresses.
fn scanned_compressed(text: &str, q: &Query) -> (Vec<(u64, u64)>, usize) {
    let mut file = tempfile::tempfile().unwrap();
    let packed = ruzstd::encoding::compress_to_vec(
        text.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    file.write_all(&packed).unwrap();
    let reader = crate::persist::session::codex::Decompressed::new(file).unwrap();
    scanned_from(reader, text, q)
}

fn scanned_from(
    reader: impl std::io::Read + std::io::Seek,
    text: &str,
    q: &Query,
) -> (Vec<(u64, u64)>, usize) {
    let cancel = AtomicBool::new(false);
    let lines = Lines {
        query: q,
        cancel: &cancel,
        complete_tail: true,
        numbers: true,
        format: LineFormat::Agentpair,
    };
    let mut buf = Vec::new();
    let mut found = Vec::new();
    let done = lines
        .scan(reader, 0, u64::MAX, &mut buf, |e| {
            if let Event::Line(offset, number, _) = e {
                found.push((offset, number.unwrap()));
            }
        })
        .unwrap();
    assert_eq!(done.to, text.len() as u64);
    (found, buf.capacity())
}

#[test]
fn long_lines_match_as_if_each_were_read_whole() {
    let pad = |n: usize| "x".repeat(n);
    let long = LONG_LINE * 3;
    let mut lines = vec![
        entry("the needle first"),
        entry(&pad(long)),
        entry(&format!("{} the needle at its end", pad(long))),
        entry("a needle between"),
        entry(&format!("{} caf\\u00e9 needle, escaped", pad(long))),
        entry(&format!(
            "{} NEEDLE in capitals {}",
            pad(long / 2),
            pad(long)
        )),
        "not json, but a needle".to_owned(),
    ];
    // The needle at many places around where reads end.
    for k in 0..24 {
        lines.push(entry(&format!(
            "{}needle{}",
            pad(LONG_LINE + k * 65_531),
            pad(9)
        )));
        lines.push(entry(&pad(LONG_LINE + k * 65_531)));
    }
    lines.push(entry("the last needle, with no newline"));
    let text = lines.join("\n");
    for query in [
        "needle",
        "Needle",
        "needle at its",
        "café needle",
        "nothing like it",
    ] {
        let q = Query::new(query).unwrap();
        let (found, _) = scanned(&text, &q);
        assert_eq!(found, every_line_whole(&text, &q), "{query}");
    }
    assert_eq!(
        scanned(&text, &Query::new("needle").unwrap()).0.len(),
        lines.len() - 24 - 1,
        "every line with a needle, escaped or in capitals"
    );
}

#[test]
fn a_long_line_without_a_candidate_is_never_gathered() {
    let text = format!(
        "{}\n{}\n",
        entry("short"),
        entry(&"y".repeat(LONG_LINE * 8))
    );
    let q = Query::new("needle").unwrap();
    let (found, capacity) = scanned(&text, &q);
    assert!(found.is_empty());
    // Grown only as far as a long line and one read (not doubled past it): half a MiB.
    assert!(capacity <= LONG_LINE + READ, "{capacity}");
    assert!(capacity <= 512 * 1024, "{capacity}");
    // With a candidate at its end it is read whole.
    let text = format!(
        "{}\n",
        entry(&format!("{}needle", "y".repeat(LONG_LINE * 8)))
    );
    let (found, capacity) = scanned(&text, &q);
    assert_eq!(found, vec![(0, 1)]);
    assert!(capacity > LONG_LINE * 8, "{capacity}");
}

#[test]
fn a_compressed_file_is_scanned_as_a_plain_one_in_the_same_bounded_buffer() {
    let pad = |n: usize| "y".repeat(n);
    let text = [
        entry("a short needle"),
        entry(&pad(LONG_LINE * 8)),
        entry(&format!(
            "{}needle at the end of a long line",
            pad(LONG_LINE * 2)
        )),
        entry("after it, a needle again"),
        entry(&format!(
            "{} no needle here, Needle there",
            pad(LONG_LINE + 17)
        )),
    ]
    .join("\n")
        + "\n";
    for query in ["needle", "Needle", "after it", "nothing like it"] {
        let q = Query::new(query).unwrap();
        let found = scanned_compressed(&text, &q).0;
        assert_eq!(found, every_line_whole(&text, &q), "{query}");
        assert_eq!(found, scanned(&text, &q).0, "{query}");
    }
    // Eight megabytes decompressed, passed over in a buffer of a long line's size at most.
    let (found, capacity) = scanned_compressed(&text, &Query::new("zebra").unwrap());
    assert!(found.is_empty());
    assert!(capacity <= 2 * LONG_LINE, "{capacity}");
}

#[test]
fn a_cancel_inside_one_huge_transcript_stops_within_a_read() {
    // 32 MiB of entries, a match in each: cancelled at the first, the scan stops at its next
    // look at the flag, having read at most the read it was in and the one before.
    let line = entry("needle in a long transcript") + "\n";
    let text = line.repeat((32 << 20) / line.len());
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file.rewind().unwrap();
    let q = Query::new("needle").unwrap();
    let cancel = AtomicBool::new(false);
    let lines = Lines {
        query: &q,
        cancel: &cancel,
        complete_tail: true,
        numbers: true,
        format: LineFormat::Agentpair,
    };
    let mut seen = 0;
    let done = lines
        .scan(&file, 0, u64::MAX, &mut Vec::new(), |e| {
            if let Event::Line(..) = e {
                seen += 1;
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        })
        .unwrap();
    assert!(done.cancelled);
    assert!(done.to <= 2 * READ as u64, "read {} bytes", done.to);
    assert!(seen <= 2 * READ / line.len(), "{seen} matches given");
}
