//! The incremental reader against a live writer that splits lines at arbitrary points: every
//! entry arrives exactly once, in order, with nothing reported as malformed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::persist::run::{TailEvent, TranscriptTail};
use std::fs::OpenOptions;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

#[test]
fn reader_keeps_up_with_a_writer_that_splits_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("transcript.jsonl");
    let total = 3000;
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let path = path.clone();
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let mut file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap();
            let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
            for n in 1..=total {
                let line = format!(
                    "{{\"type\":\"result\",\"run_id\":1,\"iteration\":{n},\"content\":\"{}\"}}\r\n",
                    "x".repeat(n % 300)
                );
                let bytes = line.as_bytes();
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let cut = usize::try_from(seed % bytes.len() as u64).unwrap();
                file.write_all(&bytes[..cut]).unwrap();
                file.flush().unwrap();
                if n % 97 == 0 {
                    thread::yield_now();
                }
                file.write_all(&bytes[cut..]).unwrap();
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut tail = TranscriptTail::new(&path);
    let mut seen = Vec::new();
    loop {
        let finished = done.load(Ordering::SeqCst);
        for event in tail.poll().unwrap() {
            match event {
                TailEvent::Entry { entry, .. } => seen.push(entry.iteration),
                other => panic!("unexpected {other:?}"),
            }
        }
        if finished && tail.pending_len() == 0 && seen.len() == total {
            break;
        }
        if finished {
            // One more poll picks up whatever was written after the last one.
            let rest = tail.poll().unwrap();
            for event in rest {
                if let TailEvent::Entry { entry, .. } = event {
                    seen.push(entry.iteration);
                }
            }
            break;
        }
    }
    writer.join().unwrap();
    assert_eq!(
        seen,
        (1..=i64::try_from(total).unwrap()).collect::<Vec<_>>()
    );
}
