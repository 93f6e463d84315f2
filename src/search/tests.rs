//! The quick verdict agrees with the full parser on tricky lines: for every line and query
//! where the raw pattern finds the query, `line_matches` says what parsing the line and
//! searching its readable text says.

use super::{Query, line_matches, line_text};

const LINES: [&str; 16] = [
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"iteration":2,"agent":"codex","content":"plain text with codex and a \"quote\" and a \\ backslash","duration":5}"#,
    r#"{"type":"start","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"the prompt","metadata":{"review_mode":"claudex","primary_agent":"codex","n":[1,2.5,{"x":"codex"}]}}"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"\u001b[31mred\u001b[0m text\tafter a tab, caf\u00e9 and café"}"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"line one\nline two\r\nline three"}"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"Content":"case variant key with codex"}"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"first codex","content":"second"}"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":"1","content":"wrong type codex"}"#,
    r#"{"type":"result","timestamp":"not a time","run_id":1,"content":"bad time codex"}"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"agent":null,"content":"null agent codex"}"#,
    r#"{"type":"error","timestamp":"2026-11-01T10:00:00Z","run_id":1,"agent":"loop","error":"codex: timed out","x-extra":{"codex":true}}"#,
    r#"not json at all, codex"#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"content":"zero\u200bwidth codex and \u0041SCII"}"#,
    "{\"type\":\"result\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"run_id\":1,\"content\":\"invisible \u{200b} codex \u{7f} del\"}",
    r#"{"type":"signal","timestamp":"2026-11-01T10:00:00Z","run_id":1,"agent":"claude","signal":"FAIL"}"#,
    r#" { "type" : "result" , "timestamp" : "2026-11-01T10:00:00Z" , "content" : "spaced codex" } "#,
    r#"{"type":"result","timestamp":"2026-11-01T10:00:00Z","run_id":1,"agent":"\u001b]0;title\u0007codex","content":"after an unterminated-looking agent"}"#,
];

const QUERIES: [&str; 24] = [
    "codex",
    "Codex",
    "quote",
    "\"quote\"",
    "\\ back",
    "review_mode",
    "claudex",
    "prompt",
    "red",
    "31m",
    "tab",
    "café",
    "CAFÉ",
    "line two",
    "one\nline",
    "nline",
    "2026",
    "run_id",
    "content",
    "type",
    "fail",
    "FAIL",
    "timed out",
    "ascii",
];

#[test]
fn quick_verdicts_agree_with_the_parser() {
    let mut checked = 0;
    for query in QUERIES {
        let q = Query::new(query).unwrap();
        for line in LINES {
            for l in [line.to_owned(), format!("{line}\r")] {
                let bytes = l.as_bytes();
                let occurrences: Vec<(usize, usize)> = q
                    .raw()
                    .find_iter(bytes)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                let occurrences = occurrences.as_slice();
                if occurrences.is_empty() {
                    continue;
                }
                let trimmed = bytes.strip_suffix(b"\r").unwrap_or(bytes);
                let truth = q.matches_text(&line_text(trimmed).1);
                assert_eq!(
                    line_matches(bytes, occurrences.iter().copied(), &q),
                    truth,
                    "{query:?} in {l:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn text_matches_as_lowercased_whether_ascii_or_not() {
    let texts = [
        "Found it: NEEDLE-zebra-42 in the log",
        "found it: needle-zebra-42",
        "needle-zebra-4",
        "Naïve NEEDLE-Zebra-42 ✅",
        "the KELVIN sign \u{212a} lowercases to k",
        "",
    ];
    for query in [
        "needle-zebra-42",
        "naïve needle",
        "k",
        "Needle-Zebra",
        "(a+)",
    ] {
        let q = Query::new(query).unwrap();
        for text in texts {
            let want = if super::case_sensitive(query) {
                text.contains(query)
            } else {
                text.to_lowercase().contains(&query.to_lowercase())
            };
            assert_eq!(q.matches_text(text), want, "{query:?} in {text:?}");
        }
    }
}
