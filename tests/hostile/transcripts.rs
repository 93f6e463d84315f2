//! Broken lines among good ones in `transcript.jsonl`: invalid UTF-8, `null`, wrong field
//! types, 100,000 levels of nesting, and lines of more than 10 MiB (a valid entry, and garbage).

use crate::common::dash::{Home, screen};
use crate::support::{Snapshot, assert_names, cli, deep_arrays, empty_home};
use beadboard::app::model::transcript::LineContent;
use beadboard::persist::run::{TailEvent, Transcript, TranscriptLine, TranscriptTail};
use serde_json::Value;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

const RUN: &str = "runs/43d7567239bfd176/30";
/// A little over agentpair's 10 MiB line limit.
const BIG: usize = 10 * 1024 * 1024 + 16;

fn good(kind: &str, rest: &str) -> Vec<u8> {
    format!(r#"{{"type":"{kind}","timestamp":"2026-11-22T16:00:00Z","run_id":30{rest}}}"#)
        .into_bytes()
}

/// `line` with its `_` replaced by the Latin-1 byte of `é` (invalid as UTF-8).
fn latin1(mut line: Vec<u8>) -> Vec<u8> {
    let at = line.iter().rposition(|b| *b == b'_').unwrap();
    line[at] = 0xe9;
    line
}

/// What a line must read as: an entry (`Some((true, _))`), unreadable with this cause
/// (`Some((false, cause))`), or nothing, being blank (`None`).
type Expected = Option<(bool, &'static str)>;

/// The transcript's lines, and what each must read as.
fn lines() -> Vec<(Vec<u8>, Expected)> {
    let mut big_entry = br#"{"type":"result","timestamp":"2026-11-22T16:00:01Z","run_id":30,"iteration":1,"agent":"codex","content":""#.to_vec();
    big_entry.extend(std::iter::repeat_n(b'a', BIG));
    big_entry.extend_from_slice(b"\"}");
    vec![
        (good("start", r#","content":"go""#), Some((true, ""))),
        (
            b"\xff\xfe\x00garbage \x80".to_vec(),
            Some((false, "expected value")),
        ),
        (good("iteration", r#","iteration":1"#), Some((true, ""))),
        (
            b"null".to_vec(),
            Some((false, "field \"entry\": expected a JSON object, found null")),
        ),
        (
            // "café" in Latin-1: one invalid UTF-8 byte inside a string.
            latin1(good("result", r#","agent":"claude","content":"caf_""#)),
            Some((true, "")),
        ),
        (
            good("iteration", r#","iteration":"x""#),
            Some((
                false,
                "field \"iteration\": expected an integer, found the string \"x\"",
            )),
        ),
        (big_entry, Some((true, ""))),
        (
            b"#garbage ".repeat(BIG / 9 + 1),
            Some((false, "expected value")),
        ),
        (Vec::new(), None),
        (
            good("signal", r#","agent":"claude","signal":"PASS""#),
            Some((true, "")),
        ),
        (
            br#"{"type":"end","run_id":"30"}"#.to_vec(),
            Some((false, "field \"run_id\": expected an integer")),
        ),
        (
            deep_arrays(100_000),
            Some((false, "recursion limit exceeded")),
        ),
        // The last line has no newline: a finished writer may leave it so.
        (good("end", r#","state":"completed""#), Some((true, ""))),
    ]
}

fn contents() -> Vec<u8> {
    let all = lines();
    let mut bytes = Vec::new();
    for (i, (line, _)) in all.iter().enumerate() {
        bytes.extend_from_slice(line);
        if i + 1 < all.len() {
            bytes.push(b'\n');
        }
    }
    bytes
}

fn setup() -> (Home, PathBuf) {
    let home = Home::golden();
    let dir = home.agentpair().join(RUN);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("manifest.json"),
        r#"{"id":30,"repo_path":"/home/dev/src/webapp","prompt":"hostile transcript","state":"working","created_at":"2026-11-22T16:00:00Z","max_iterations":20}"#,
    )
    .unwrap();
    let path = dir.join("transcript.jsonl");
    fs::write(&path, contents()).unwrap();
    (home, path)
}

/// Checks a lenient reading against `lines()`: every non-blank line is there, in place.
fn check_lines(read: &[TranscriptLine]) {
    let expected: Vec<(u64, bool, &str)> = lines()
        .iter()
        .enumerate()
        .filter_map(|(i, (_, e))| e.map(|(ok, cause)| (i as u64 + 1, ok, cause)))
        .collect();
    assert_eq!(read.len(), expected.len(), "one item per non-blank line");
    for (item, (number, ok, cause)) in read.iter().zip(expected) {
        match item {
            TranscriptLine::Entry(_) => assert!(ok, "line {number} read as an entry"),
            TranscriptLine::Malformed { line, problem, .. } => {
                assert!(!ok, "line {number} reported unreadable: {problem}");
                assert_eq!(*line, number);
                assert!(problem.contains(cause), "line {line}: {problem}");
            }
        }
    }
}

/// Appends `bytes` to `path` in pieces of odd sizes, polling `tail` after each.
fn feed_in_pieces(path: &Path, bytes: &[u8], tail: &mut TranscriptTail) -> Vec<TailEvent> {
    let mut events = Vec::new();
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    let mut at = 0;
    for size in [1, 7, 100, 4093, 65_537, 1_048_573, 3_000_017]
        .into_iter()
        .cycle()
    {
        if at >= bytes.len() {
            break;
        }
        let end = (at + size).min(bytes.len());
        file.write_all(&bytes[at..end]).unwrap();
        at = end;
        events.extend(tail.poll().unwrap());
    }
    events.extend(tail.take_unterminated(false));
    events
}

#[test]
fn broken_transcript_lines_are_reported_in_place_and_good_lines_read() {
    let (home, path) = setup();
    let before = Snapshot::take(home.dir.path());

    // Upstream's reader stops at the first bad line and says where.
    let transcript = Transcript::new(&path, 30);
    let err = transcript.read_all().unwrap_err();
    assert_eq!((err.line, err.entries.len()), (2, 1));
    assert_names(&err.to_string(), &path, &["line 2:"]);
    // The lenient reader reads every good line and reports every bad one, in place.
    let read = transcript.read_lines().unwrap();
    check_lines(&read);
    let TranscriptLine::Entry(cafe) = &read[4] else {
        panic!("line 5 is an entry")
    };
    assert_eq!(cafe.content, "caf\u{fffd}");
    let TranscriptLine::Entry(big) = &read[6] else {
        panic!("line 7 is an entry")
    };
    assert_eq!(big.content.len(), BIG);

    // The incremental reader, fed the same bytes in odd pieces, drops nothing either.
    let scratch = tempfile::tempdir().unwrap();
    let fed = scratch.path().join("transcript.jsonl");
    let mut tail = TranscriptTail::new(&fed);
    let events = feed_in_pieces(&fed, &contents(), &mut tail);
    assert!(!events.contains(&TailEvent::Reset), "no spurious reset");
    let incremental: Vec<TranscriptLine> = events
        .into_iter()
        .filter_map(TailEvent::into_line)
        .collect();
    assert_eq!(
        incremental, read,
        "piecewise reading equals one-shot reading"
    );
    assert_eq!(tail.offset(), contents().len() as u64);

    // The binary prints good entries and marks each bad line where it is.
    let bin_home = empty_home();
    let none = home.dir.path().join("no-ntm");
    let reference = "43d7567239bfd176/30";
    let text = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["transcript", reference],
    );
    assert_eq!(text.code, 0, "{}", text.err);
    for (number, (_, expected)) in lines().iter().enumerate() {
        let marked = format!("⚠ line {} unreadable: ", number + 1);
        match expected {
            Some((false, cause)) => assert!(
                text.out.contains(&format!("{marked}{cause}")),
                "{marked}{cause} missing"
            ),
            _ => assert!(!text.out.contains(&marked)),
        }
    }
    assert!(text.out.contains("PASS") && text.out.contains("caf\u{fffd}"));
    let json = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["transcript", reference, "--json"],
    );
    assert_eq!(json.code, 0, "{}", json.err);
    let entries: Vec<Value> = serde_json::from_str(&json.out).unwrap();
    assert_eq!(
        entries.len(),
        6,
        "every good line, including the 10 MiB one"
    );
    for (number, (_, expected)) in lines().iter().enumerate() {
        if let Some((false, cause)) = expected {
            let said = format!(
                "beadboard: {} line {}: unreadable: {cause}",
                path.display(),
                number + 1
            );
            assert!(
                json.err.contains(&said),
                "{said} missing from:\n{}",
                json.err
            );
        }
    }
    let runs = cli(
        &home.agentpair(),
        &none,
        bin_home.path(),
        &["runs", "--all"],
    );
    assert!(
        runs.code == 0 && runs.out.contains("hostile transcript"),
        "{runs:?}"
    );

    // The dashboard opens it (the run is active and started last, so it is listed first) and
    // marks bad lines.
    let model = home.model(160, 40, false);
    assert_eq!(model.transcript.run_dir(), path.parent());
    assert_eq!(model.transcript.error, None);
    let unreadable = model
        .transcript
        .lines()
        .iter()
        .filter(|l| matches!(l.content, LineContent::Unreadable { .. }))
        .count();
    assert!(unreadable >= 1, "{:?}", model.transcript.lines().len());
    let screen = screen(&model);
    assert!(
        screen.contains("unreadable") && screen.contains("PASS"),
        "{screen}"
    );

    before.assert_same(
        &Snapshot::take(home.dir.path()),
        "reading a broken transcript",
    );
}
