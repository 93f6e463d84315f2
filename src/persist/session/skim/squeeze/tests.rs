//! A squeezed line reads as the whole line: every string's head, its decoded and raw sizes,
//! and whether `serde_json` takes the line, whatever the escapes and wherever the pieces are
//! cut.

use super::super::{Json, record, squeezed_record};
use super::{KEEP, Squeezed, Squeezer};
use proptest::prelude::*;

/// Squeezes `line` fed in pieces cut at `cuts`.
fn squeeze(line: &[u8], keep: u64, cuts: &[usize]) -> Squeezed {
    let mut s = Squeezer::keeping(keep, usize::MAX);
    let mut at = 0;
    for &cut in cuts.iter().chain(std::iter::once(&line.len())) {
        let cut = cut.clamp(at, line.len());
        s.push(&line[at..cut]);
        at = cut;
    }
    s.finish().cloned().expect("within its room")
}

/// Every string value of an object or array (one level), in order.
fn strings(v: Json<'_>) -> Vec<Json<'_>> {
    let mut out: Vec<Json<'_>> = v.fields().map(|(_, v)| v).collect();
    out.extend(v.items());
    out.into_iter().filter(|v| v.is_string()).collect()
}

/// Asserts the squeezed line reads as the line, for heads of up to `max` bytes.
fn reads_the_same(line: &[u8], squeezed: &Squeezed, max: usize) {
    assert_eq!(
        record(line).is_ok(),
        squeezed_record(squeezed).is_ok(),
        "serde's verdict"
    );
    let (Some(whole), Some(cut)) = (Json::new(line), Json::squeezed(squeezed)) else {
        assert_eq!(
            Json::new(line).is_some(),
            Json::squeezed(squeezed).is_some()
        );
        return;
    };
    assert_eq!(whole.raw_len(), cut.raw_len(), "the line's size");
    let (a, b) = (strings(whole), strings(cut));
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        for m in [0, 1, 2, 3, 5, max / 2, max]
            .into_iter()
            .filter(|m| *m <= max)
        {
            assert_eq!(a.head(m), b.head(m), "head({m}) of {:?}", a.raw());
        }
        assert_eq!(a.raw_len(), b.raw_len());
        let full = a.head(usize::MAX).unwrap().text.len() as u64;
        assert_eq!(b.cut_len().unwrap_or(full), full, "decoded size");
        // What is kept of a string is bounded, however dense its escapes.
        let kept = b.head(usize::MAX).unwrap().text.len();
        assert!(kept <= max + 1 + 16, "{kept} bytes kept of {full}");
    }
}

/// A string body of pieces: plain text, multi-byte characters, escapes of every kind,
/// surrogate pairs and lone halves, and escapes `serde_json` rejects.
fn body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z ]{1,9}",
        Just("é".to_owned()),
        Just("😀".to_owned()),
        Just("\\n".to_owned()),
        Just("\\\"".to_owned()),
        Just("\\\\".to_owned()),
        Just("\\u00e9".to_owned()),
        Just("\\ud83d\\ude00".to_owned()),
        Just("\\ud83d".to_owned()),
        Just("\\ude00".to_owned()),
        Just("\\u+abc".to_owned()),
        Just("\\uzz".to_owned()),
        Just("\\x".to_owned()),
        Just("\u{1}".to_owned()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_squeezed_line_reads_as_the_whole_line(
        bodies in prop::collection::vec(body(), 1..4),
        keep in 4u64..40,
        fractions in prop::collection::vec(0.0f64..1.0, 0..6),
    ) {
        let fields: Vec<String> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| format!("\"k{i}\": \"{b}\""))
            .collect();
        let line = format!("{{{}, \"n\": [1, \"{}\"]}}", fields.join(", "), bodies[0]);
        let mut cuts: Vec<usize> = fractions.iter().map(|f| (f * line.len() as f64) as usize).collect();
        cuts.sort_unstable();
        let squeezed = squeeze(line.as_bytes(), keep, &cuts);
        prop_assert_eq!(&squeezed, &squeeze(line.as_bytes(), keep, &[]), "pieces change nothing");
        reads_the_same(line.as_bytes(), &squeezed, usize::try_from(keep).unwrap() - 1);
    }
}

#[test]
fn a_12_mb_output_keeps_its_head_and_sizes_only() {
    let text = "line of output\\n".repeat(800_000);
    // An escape every few bytes (the escape pending never empties).
    let dense = "ab\\n\\\"".repeat(1_000_000);
    let line = format!(
        r#"{{"type":"user","message":{{"content":[{{"type":"tool_result","tool_use_id":"t1","content":"{text}"}}]}},"image":"{}","dense":"{dense}","timestamp":"2026-12-01T10:00:00Z"}}"#,
        "QUJD".repeat(1_000_000)
    );
    assert!(line.len() > 20_000_000);
    let squeezed = squeeze(line.as_bytes(), KEEP, &[1 << 20, 5 << 20]);
    assert!(
        squeezed.bytes.len() < 4 * KEEP as usize,
        "{}",
        squeezed.bytes.len()
    );
    assert_eq!(squeezed.cuts.len(), 3);
    let max = crate::persist::session::MAX_ENTRY_TEXT;
    reads_the_same(line.as_bytes(), &squeezed, max);
    let v = Json::squeezed(&squeezed).unwrap();
    assert_eq!(v.get("image").unwrap().raw_len(), 4_000_002);
    assert_eq!(
        v.get("timestamp").unwrap().str().unwrap(),
        "2026-12-01T10:00:00Z"
    );
}

#[test]
fn a_line_outgrowing_its_room_is_given_up_and_a_short_one_is_kept_as_it_is() {
    let line = format!("[{}]", "\"ab\",".repeat(1000) + "1");
    let mut s = Squeezer::keeping(KEEP, 100);
    s.push(line.as_bytes());
    assert!(s.finish().is_none());
    assert!(s.capacity() < 4096, "{}", s.capacity());
    s.reset();
    s.push(b"{\"a\": \"short\", \"b\": [1, 2]}");
    let kept = s.finish().unwrap();
    assert_eq!(kept.bytes, b"{\"a\": \"short\", \"b\": [1, 2]}");
    assert!(kept.cuts.is_empty());
}

#[test]
fn a_line_cut_inside_a_long_string_stays_unclosed() {
    let line = format!("{{\"a\": \"{}", "x".repeat(1000));
    let mut s = Squeezer::keeping(10, usize::MAX);
    s.push(line.as_bytes());
    let kept = s.finish().unwrap();
    assert_eq!(kept.bytes, b"{\"a\": \"xxxxxxxxxx");
    assert!(Json::squeezed(kept).is_none());
}
