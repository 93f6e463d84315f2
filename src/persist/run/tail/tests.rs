//! Tests of the incremental reader against files written piece by piece.

use super::*;
use std::fs::{self, OpenOptions};
use std::io::Write;

fn entry(n: i64) -> String {
    format!(
        "{{\"type\":\"iteration\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"run_id\":1,\"iteration\":{n}}}"
    )
}

fn append(path: &Path, text: &str) {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

fn iterations(events: &[TailEvent]) -> Vec<i64> {
    events
        .iter()
        .filter_map(|e| match e {
            TailEvent::Entry { entry, .. } => Some(entry.iteration),
            _ => None,
        })
        .collect()
}

#[test]
fn partial_lines_are_held_back_until_complete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let mut tail = TranscriptTail::new(&path);
    assert!(
        tail.poll().unwrap().is_empty(),
        "missing file reads as empty"
    );
    let line = entry(1);
    append(&path, &line[..10]);
    assert!(tail.poll().unwrap().is_empty());
    assert_eq!(tail.pending_len(), 10);
    append(&path, &format!("{}\n{}", &line[10..], &entry(2)[..5]));
    assert_eq!(iterations(&tail.poll().unwrap()), vec![1]);
    append(&path, &format!("{}\r\n\n{}\n", &entry(2)[5..], entry(3)));
    let events = tail.poll().unwrap();
    assert_eq!(iterations(&events), vec![2, 3]);
    assert!(
        matches!(events[1], TailEvent::Entry { line: 4, .. }),
        "blank line counted: {events:?}"
    );
    assert_eq!(tail.offset(), fs::metadata(&path).unwrap().len());
}

#[test]
fn malformed_lines_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(
        &path,
        &format!(
            "{}\nnot json\nnull\n{{\"run_id\":\"x\"}}\n{}\n",
            entry(1),
            entry(2)
        ),
    );
    let events = TranscriptTail::new(&path).poll().unwrap();
    assert_eq!(iterations(&events), vec![1, 2]);
    let bad: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            TailEvent::Malformed { line, .. } => Some(*line),
            _ => None,
        })
        .collect();
    assert_eq!(bad, vec![2, 3, 4]);
}

#[test]
fn truncation_and_replacement_start_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, &format!("{}\n{}\n", entry(1), entry(2)));
    let mut tail = TranscriptTail::new(&path);
    assert_eq!(iterations(&tail.poll().unwrap()), vec![1, 2]);
    fs::write(&path, format!("{}\n", entry(9))).unwrap();
    assert_eq!(
        tail.poll().unwrap(),
        vec![TailEvent::Reset],
        "a reset comes alone"
    );
    assert_eq!(iterations(&tail.poll().unwrap()), vec![9]);
    let other = dir.path().join("new.jsonl");
    fs::write(
        &other,
        format!("{}\n{}\n{}\n", entry(5), entry(6), entry(7)),
    )
    .unwrap();
    fs::rename(&other, &path).unwrap();
    assert_eq!(tail.poll().unwrap(), vec![TailEvent::Reset]);
    assert_eq!(iterations(&tail.poll().unwrap()), vec![5, 6, 7]);
    fs::remove_file(&path).unwrap();
    assert_eq!(tail.poll().unwrap(), vec![TailEvent::Reset]);
}

#[test]
fn long_lines_read_and_over_long_lines_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let big = "x".repeat(17 * 1024 * 1024);
    append(
        &path,
        &format!(
            "{{\"type\":\"result\",\"run_id\":1,\"content\":\"{big}\"}}\n{}\n",
            entry(2)
        ),
    );
    let events = TranscriptTail::new(&path).poll().unwrap();
    match &events[0] {
        TailEvent::Entry { entry, .. } => assert_eq!(entry.content.len(), big.len()),
        other => panic!("{other:?}"),
    }
    let mut small = TranscriptTail::new(&path).with_max_line(1024 * 1024);
    let events = small.poll().unwrap();
    assert!(
        matches!(&events[0], TailEvent::Malformed { line: 1, problem, .. } if problem.contains("longer than"))
    );
    assert_eq!(iterations(&events), vec![2]);
}

#[test]
fn unterminated_final_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, &format!("{}\n{}", entry(1), entry(2)));
    let mut tail = TranscriptTail::new(&path);
    assert_eq!(iterations(&tail.poll().unwrap()), vec![1]);
    assert!(tail.take_unterminated(true).is_some());
    append(&path, &format!("\n{}\n", entry(3)));
    let events = tail.poll().unwrap();
    assert_eq!(iterations(&events), vec![3]);
    assert!(matches!(events[0], TailEvent::Entry { line: 3, .. }));
    assert_eq!(
        iterations(&TranscriptTail::new(&path).poll_final().unwrap()),
        vec![1, 2, 3]
    );
}

#[test]
fn budgeted_polls_resume() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let text: String = (1..=5000).map(|n| entry(n) + "\n").collect();
    append(&path, &text);
    let mut tail = TranscriptTail::new(&path);
    let mut events = Vec::new();
    let mut turns = 0;
    while tail.poll_some(64 * 1024, &mut events).unwrap() {
        turns += 1;
    }
    assert!(turns > 1);
    assert_eq!(iterations(&events), (1..=5000).collect::<Vec<_>>());
}
