//! Fuzzing the parsers with proptest: manifests, transcript lines, bridge lines and store
//! documents never panic on any input (arbitrary bytes, JSON-ish text from a grammar, and
//! fixture files with bytes replaced, deleted and inserted); an error always names the file;
//! whatever decodes survives a round trip through Go's encoding unchanged (decode, encode,
//! decode gives the same value and the same bytes); and the incremental transcript reader, fed
//! a file in arbitrary pieces, reports exactly what a one-shot read does, dropping no line.
//!
//! By default each property runs a few dozen cases, so the file takes seconds in debug.
//! A long fuzz:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --test fuzz
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::persist::assignment::StoreDocument;
use beadboard::persist::gojson::{Style, encode, parse_document};
use beadboard::persist::run::lines::{complete_end, read_after, read_before};
use beadboard::persist::run::{
    BridgeMessage, Manifest, Peek, TailEvent, TranscriptEntry, TranscriptTail,
};
use common::fixture;
use proptest::prelude::*;
use proptest::sample::Index;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

/// The default config, with few cases unless `PROPTEST_CASES` asks for more.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 48;
    }
    config
}

static MANIFESTS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    [
        "examples/agentpair/runs/43d7567239bfd176/3/manifest.json",
        "upstream/agentpair/home-agentpair/runs/43d7567239bfd176/1/manifest.json",
        "upstream/agentpair/home-agentpair/runs/ea93126eefee3546/2/manifest.json",
    ]
    .iter()
    .map(|rel| fs::read(fixture(rel)).unwrap())
    .collect()
});

static STORES: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    [
        "examples/ntm/sessions/webapp/assignments.json",
        "upstream/ntm/home-ntm/sessions/webapp/assignments.json",
    ]
    .iter()
    .map(|rel| fs::read(fixture(rel)).unwrap())
    .collect()
});

static LINES: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    [
        "examples/agentpair/runs/43d7567239bfd176/3/transcript.jsonl",
        "examples/agentpair/runs/43d7567239bfd176/3/bridge.jsonl",
        "upstream/agentpair/home-agentpair/runs/43d7567239bfd176/1/transcript.jsonl",
    ]
    .iter()
    .flat_map(|rel| {
        let text = fs::read(fixture(rel)).unwrap();
        text.split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect::<Vec<_>>()
    })
    .collect()
});

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Replace(Index, u8),
    Delete(Index),
    Insert(Index, Vec<u8>),
}

/// Bytes that make JSON interesting when inserted.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "-",
    "0",
    "1e999",
    "\\u",
    "\\ud800",
    "\\",
    "\"id\":",
    "\"ID\":\"1\",",
    "\"state\":\"x\",",
    "\n",
    "\r",
    "\u{2028}",
    "é",
    "\u{0}",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
        any::<Index>().prop_map(Edit::Delete),
        (any::<Index>(), prop::sample::select(TOKENS))
            .prop_map(|(i, t)| Edit::Insert(i, t.as_bytes().to_vec())),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(i, b)| Edit::Insert(i, b)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        match e {
            Edit::Replace(i, b) if !bytes.is_empty() => {
                let at = i.index(bytes.len());
                bytes[at] = *b;
            }
            Edit::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i.index(bytes.len()));
            }
            Edit::Insert(i, b) => {
                let at = i.index(bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

/// A fixture from `corpus` with a few edits.
fn mutated(corpus: &'static LazyLock<Vec<Vec<u8>>>) -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), prop::collection::vec(edit(), 1..6))
        .prop_map(move |(pick, edits)| apply(pick.get(corpus.as_slice()).clone(), &edits))
}

/// Key names of the formats, in random letter case (Go matches keys case-insensitively).
const KEYS: &[&str] = &[
    "id",
    "state",
    "prompt",
    "created_at",
    "updated_at",
    "completed_at",
    "metadata",
    "error",
    "max_iterations",
    "type",
    "timestamp",
    "run_id",
    "iteration",
    "content",
    "duration",
    "session_name",
    "assignments",
    "version",
    "bead_id",
    "status",
    "pane",
    "assigned_at",
    "retry_count",
    "fail_reason",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (prop::sample::select(KEYS), any::<u32>()).prop_map(|(k, case)| {
            k.chars()
                .enumerate()
                .map(|(i, c)| if ((case >> (i % 32)) & 1) == 1 && case % 3 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                })
                .collect()
        }),
        1 => "[a-zA-Z_]{0,6}",
    ]
}

/// A time string, often valid, sometimes just out of range (month 13, second 60, year 0).
fn time_text() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(0u32), 1970u32..2100, Just(9999)],
        0u32..14,
        0u32..33,
        0u32..25,
        0u32..61,
        prop_oneof![0u32..60, Just(60)],
        prop_oneof![Just(String::new()), "\\.[0-9]{1,10}"],
        prop_oneof![
            Just("Z"),
            Just("+02:00"),
            Just("-05:30"),
            Just(""),
            Just("z")
        ],
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, zone)| {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{zone}")
        })
}

/// A JSON string literal (quotes and escapes included).
fn string_literal() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z0-9 <>&]{1,4}",
        Just("\\n".to_owned()),
        Just("\\\"".to_owned()),
        Just("\\\\".to_owned()),
        Just("\\u00e9".to_owned()),
        Just("\\u2028".to_owned()),
        Just("\\ud83d\\ude00".to_owned()),
        Just("\u{1b}[31m".to_owned()),
        Just("é".to_owned()),
    ];
    prop_oneof![
        3 => prop::collection::vec(piece, 0..5).prop_map(|p| format!("\"{}\"", p.concat())),
        2 => time_text().prop_map(|t| format!("\"{t}\"")),
        1 => prop::sample::select(&["working", "claiming", "failed", "result", "DONE"][..])
            .prop_map(|s| format!("\"{s}\"")),
    ]
}

fn number_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (0i64..30).prop_map(|n| n.to_string()),
        "-?[0-9]{1,22}(\\.[0-9]{1,4})?([eE][-+]?[0-9]{1,3})?",
    ]
}

/// JSON-ish text: a value of the grammar, then perhaps cut short or with a token glued in.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        number_literal(),
        string_literal(),
    ];
    let value = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key(), inner), 0..6).prop_map(|pairs| {
                let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    });
    let document = prop::collection::vec((key(), value), 0..10).prop_map(|pairs| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", body.join(",\n  "))
    });
    (
        document,
        prop::option::weighted(0.2, (any::<Index>(), prop::sample::select(TOKENS))),
    )
        .prop_map(|(text, damage)| match damage {
            None => text,
            Some((at, token)) => {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                format!("{}{token}{}", &text[..at], &text[at..])
            }
        })
}

/// Manifest bytes: decoding never panics; errors name the file; what decodes round-trips.
fn check_manifest(bytes: &[u8]) {
    let path = Path::new("/fuzz/runs/r/1/manifest.json");
    match Manifest::from_bytes(bytes, path) {
        Err(e) => assert!(
            e.to_string().starts_with("/fuzz/runs/r/1/manifest.json: "),
            "{e}"
        ),
        Ok(first) => {
            let written = first.to_bytes();
            let again = Manifest::from_bytes(&written, path).unwrap_or_else(|e| {
                panic!(
                    "what we write we read back: {e}\n{}",
                    String::from_utf8_lossy(&written)
                )
            });
            assert_eq!(first, again, "{}", String::from_utf8_lossy(&written));
            assert_eq!(written, again.to_bytes());
        }
    }
}

/// A transcript or bridge line: never panics; entries round-trip through their line form.
fn check_line(bytes: &[u8]) {
    if let Ok(first) = TranscriptEntry::parse_line(bytes) {
        let line = first.to_line();
        let again = TranscriptEntry::parse_line(line.trim_end_matches('\n').as_bytes())
            .unwrap_or_else(|e| panic!("what we write we read back: {e}\n{line}"));
        assert_eq!(first, again, "{line}");
        assert_eq!(line, again.to_line());
    }
    if let Ok(first) = BridgeMessage::parse_line(bytes) {
        let line = encode(&first.to_value(), Style::LINE);
        assert_eq!(
            Some(first),
            BridgeMessage::parse_line(line.as_bytes()).ok(),
            "{line}"
        );
    }
}

/// A store document: never panics; the streamed bytes equal the encoded tree; round-trips.
fn check_store(bytes: &[u8]) {
    let Ok(mut first) = StoreDocument::from_bytes(bytes) else {
        return;
    };
    let written = first.to_bytes();
    assert_eq!(
        written,
        encode(&first.to_value(), Style::DOCUMENT).into_bytes()
    );
    let again = StoreDocument::from_bytes(&written).unwrap_or_else(|e| {
        panic!(
            "what we write we read back: {e}\n{}",
            String::from_utf8_lossy(&written)
        )
    });
    first.null_records.clear();
    assert_eq!(first, again, "{}", String::from_utf8_lossy(&written));
    assert_eq!(written, again.to_bytes());
}

/// Any JSON value: encoding in every style and decoding again gives it back, byte-stable.
fn check_value(bytes: &[u8]) {
    let Ok(value) = parse_document(bytes) else {
        return;
    };
    for style in [Style::DOCUMENT, Style::LINE, Style::COMPACT_HTML] {
        let text = encode(&value, style);
        let again = parse_document(text.as_bytes())
            .unwrap_or_else(|e| panic!("what we write we read back: {e}\n{text}"));
        assert_eq!(value, again, "{text}");
        assert_eq!(text, encode(&again, style));
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_break_a_parser(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check_manifest(&bytes);
        check_line(&bytes);
        check_store(&bytes);
        check_value(&bytes);
    }

    #[test]
    fn grammar_built_json_never_breaks_a_parser(text in json_text()) {
        check_manifest(text.as_bytes());
        check_line(text.replace('\n', " ").as_bytes());
        check_store(text.as_bytes());
        check_value(text.as_bytes());
    }

    #[test]
    fn mutated_manifests_never_break_the_decoder(bytes in mutated(&MANIFESTS)) {
        check_manifest(&bytes);
        check_value(&bytes);
    }

    #[test]
    fn mutated_stores_never_break_the_decoder(bytes in mutated(&STORES)) {
        check_store(&bytes);
        check_value(&bytes);
    }

    #[test]
    fn mutated_lines_never_break_the_decoder(bytes in mutated(&LINES)) {
        check_line(&bytes);
    }
}

/// Transcript content: good lines, bad lines, blank ones, `\r\n`, long ones, maybe no final
/// newline.
fn transcript() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => any::<Index>().prop_map(|i| i.get(LINES.as_slice()).clone()),
        2 => mutated(&LINES),
        1 => prop::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| b.into_iter().filter(|c| *c != b'\n').collect()),
        1 => prop::sample::select(&["", " ", "\r", "null", "{}", "[]"][..])
            .prop_map(|s| s.as_bytes().to_vec()),
    ];
    (prop::collection::vec(line, 0..12), any::<bool>()).prop_map(|(lines, final_newline)| {
        let mut text = lines.join(&b"\n"[..]);
        if final_newline && !text.is_empty() {
            text.push(b'\n');
        }
        text
    })
}

/// Writes `text` to a fresh file in pieces ending at `cuts`, polling a tail after each, and
/// returns the events (including a last unterminated line) and the one-shot reading.
fn read_both_ways(
    text: &[u8],
    cuts: &[Index],
    max_line: usize,
) -> (Vec<TailEvent>, Vec<TailEvent>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("transcript.jsonl");
    let mut ends: Vec<usize> = cuts.iter().map(|c| c.index(text.len() + 1)).collect();
    ends.push(text.len());
    ends.sort_unstable();
    let mut file = fs::File::create(&path).unwrap();
    let mut tail = TranscriptTail::new(&path).with_max_line(max_line);
    let mut piecewise = Vec::new();
    let mut at = 0;
    for end in ends {
        file.write_all(&text[at..end]).unwrap();
        at = end;
        piecewise.extend(tail.poll().unwrap());
    }
    piecewise.extend(tail.take_unterminated(false));
    let once = TranscriptTail::new(&path)
        .with_max_line(max_line)
        .poll_final()
        .unwrap();
    (piecewise, once)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_tail_fed_in_pieces_reads_what_a_one_shot_read_does(
        text in transcript(),
        cuts in prop::collection::vec(any::<Index>(), 0..8),
        small in any::<bool>(),
    ) {
        let max_line = if small { 48 } else { 1 << 20 };
        let (piecewise, once) = read_both_ways(&text, &cuts, max_line);
        prop_assert_eq!(&piecewise, &once);
        // No line dropped: every non-blank line is reported, in order, with its number (and
        // so is every over-long one, which is skipped unread).
        let expected: Vec<u64> = text
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace) || l.len() > max_line)
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let numbers: Vec<u64> = once
            .iter()
            .map(|e| match e {
                TailEvent::Entry { line, .. } | TailEvent::Malformed { line, .. } => *line,
                TailEvent::Reset => 0,
            })
            .collect();
        prop_assert_eq!(numbers, expected);
    }

    #[test]
    fn window_reads_agree_forwards_and_backwards(
        text in transcript(),
        max_line in 1usize..200,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("transcript.jsonl");
        fs::write(&path, &text).unwrap();
        let file = fs::File::open(&path).unwrap();
        let end = complete_end(&file, text.len() as u64).unwrap();
        let forwards = read_after(&file, 0, end, usize::MAX, usize::MAX, max_line).unwrap();
        let backwards = read_before(&file, end, usize::MAX, usize::MAX, max_line).unwrap();
        prop_assert_eq!(forwards, backwards);
        // The transcript peek reads the end of any file without panicking.
        let _ = Peek::read(dir.path());
    }
}
