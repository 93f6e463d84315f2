//! Deciding whether a candidate line really matches, without parsing it when that is certain.
//!
//! The raw pattern finds the query as JSON spells it anywhere in a line: in a key, in a
//! timestamp, inside an escape sequence, in metadata. The truth is the entry's readable text
//! (see [`super::query::searchable_text`]). A quick walk over the line's JSON decides most lines
//! at memory speed: an occurrence counts when it lies cleanly inside the value of a field whose
//! text is searched, with nothing before it (in that field or an earlier one) that the screen
//! would change (a `\u` escape, a tab, a control or invisible character); it does not count
//! inside a key or another field. Anything unusual — a line that might not parse as an entry,
//! a key spelled in another case or twice, a `null`, an escape before the match, non-ASCII
//! text in a case-insensitive search — is left to the full parser, which is exact.

use super::query::{Query, line_text};
use crate::persist::gojson;

/// The fields whose text is searched, in the order the text joins them.
const SEARCHED: [&str; 6] = ["type", "agent", "state", "content", "signal", "error"];
/// Every key an entry has (the rest are kept but not searched).
const KNOWN: [&str; 11] = [
    "type",
    "timestamp",
    "run_id",
    "iteration",
    "agent",
    "state",
    "content",
    "signal",
    "error",
    "duration",
    "metadata",
];

/// Does the line (no newline; a trailing `\r` is ignored) match, given the raw occurrences of
/// the query in it (byte ranges, in order; taken only as far as needed)?
pub fn line_matches(
    line: &[u8],
    occurrences: impl IntoIterator<Item = (usize, usize)>,
    query: &Query,
) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match quick(line, occurrences, query.is_case_sensitive()) {
        Some(verdict) => verdict,
        None => query.matches_text(&line_text(line).1),
    }
}

/// Where a searched field's value is, and the first place in it the screen would change.
#[derive(Clone, Copy)]
struct Value {
    start: usize,
    end: usize,
    dirty: Option<usize>,
}

/// `Some(verdict)` when the walk is certain, `None` when the line needs the full parser.
fn quick(
    line: &[u8],
    occurrences: impl IntoIterator<Item = (usize, usize)>,
    sensitive: bool,
) -> Option<bool> {
    let fields = walk(line)?;
    let mut unsure = false;
    for (s, e) in occurrences {
        let e = e.min(line.len());
        let Some(i) = fields
            .iter()
            .position(|f| f.is_some_and(|v| v.start <= s && s < v.end))
        else {
            continue; // in a key or a field that is not searched
        };
        let Some(v) = fields[i] else { continue };
        let escaped = line[v.start..s]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count()
            % 2
            == 1;
        if escaped {
            continue; // starts inside an escape sequence (`\n` for "n…")
        }
        let earlier_dirty = fields[..i].iter().flatten().any(|f| f.dirty.is_some());
        let dirty_before = v.dirty.is_some_and(|d| d < e);
        let folding = !sensitive && !line[s..e].is_ascii();
        if earlier_dirty || dirty_before || folding {
            unsure = true;
            continue;
        }
        return Some(true);
    }
    (!unsure).then_some(false)
}

/// Walks a compact JSON object line; `None` unless it is certainly a readable entry in the
/// plain form the quick check understands.
fn walk(line: &[u8]) -> Option<[Option<Value>; 6]> {
    let mut fields: [Option<Value>; 6] = [None; 6];
    let mut seen = [false; 11];
    let mut i = skip_ws(line, 0);
    if line.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(line, i + 1);
    if line.get(i) == Some(&b'}') {
        return (skip_ws(line, i + 1) == line.len()).then_some(fields);
    }
    loop {
        if line.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(line, i + 1)?;
        let key = &line[i + 1..key_end];
        if key.contains(&b'\\') {
            return None;
        }
        i = skip_ws(line, key_end + 1);
        if line.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(line, i + 1);
        let known = KNOWN
            .iter()
            .position(|k| k.as_bytes().eq_ignore_ascii_case(key));
        match known {
            Some(k) if KNOWN[k].as_bytes() != key || seen[k] => return None,
            Some(k) => {
                seen[k] = true;
                i = known_value(line, i, KNOWN[k], &mut fields)?;
            }
            None => i = skip_value(line, i, 0)?,
        }
        i = skip_ws(line, i);
        match line.get(i) {
            Some(b',') => i = skip_ws(line, i + 1),
            Some(b'}') => return (skip_ws(line, i + 1) == line.len()).then_some(fields),
            _ => return None,
        }
    }
}

/// Checks the value of a known key at `i` and returns where it ends.
fn known_value(line: &[u8], i: usize, key: &str, fields: &mut [Option<Value>; 6]) -> Option<usize> {
    match key {
        "run_id" | "iteration" | "duration" => {
            let end = i + line[i..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'-'))
                .unwrap_or(line.len() - i);
            std::str::from_utf8(&line[i..end])
                .ok()?
                .parse::<i64>()
                .ok()
                .map(|_| end)
        }
        "metadata" => (line.get(i) == Some(&b'{')).then(|| skip_value(line, i, 0))?,
        _ => {
            if line.get(i) != Some(&b'"') {
                return None;
            }
            let end = string_end(line, i + 1)?;
            let raw = &line[i + 1..end];
            if key == "timestamp" {
                let text = std::str::from_utf8(raw).ok()?;
                if raw.contains(&b'\\') || gojson::parse_time(text).is_err() {
                    return None;
                }
            } else if let Some(slot) = SEARCHED.iter().position(|k| *k == key) {
                fields[slot] = Some(Value {
                    start: i + 1,
                    end,
                    dirty: first_change(raw).map(|d| i + 1 + d),
                });
            }
            Some(end + 1)
        }
    }
}

/// The end (closing quote) of the string whose contents start at `start`; `None` for a string
/// the parser would reject (an unknown escape, a raw control character) or an unclosed one.
fn string_end(line: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    loop {
        let at = i + memchr::memchr2(b'"', b'\\', &line[i..])?;
        // Without an early exit the check vectorises.
        if line[i..at].iter().fold(false, |any, b| any | (*b < 0x20)) {
            return None;
        }
        if line[at] == b'"' {
            return Some(at);
        }
        match line.get(at + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i = at + 2,
            b'u' if line.get(at + 2..at + 6)?.iter().all(u8::is_ascii_hexdigit) => i = at + 6,
            _ => return None,
        }
    }
}

/// The first offset in a (valid) raw string value where the readable text differs from a
/// plain decode: a `\u`, `\t`, `\r`, `\b` or `\f` escape, DEL, a C1 control or an invisible
/// format character.
fn first_change(raw: &[u8]) -> Option<usize> {
    let mut escape = None;
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'\\', &raw[i..]) {
        let at = i + found;
        if matches!(raw.get(at + 1), Some(b'u' | b't' | b'r' | b'b' | b'f')) {
            escape = Some(at);
            break;
        }
        i = at + 2;
        if i >= raw.len() {
            break;
        }
    }
    let del = memchr::memchr(0x7f, raw);
    let invisible = crate::present::sanitize::first_unsafe_multibyte(raw);
    [escape, del, invisible].into_iter().flatten().min()
}

/// Skips any JSON value at `i` (objects and arrays nested up to 64 deep).
fn skip_value(line: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    match line.get(i)? {
        b'"' => string_end(line, i + 1).map(|e| e + 1),
        open @ (b'{' | b'[') => {
            let close = if *open == b'{' { b'}' } else { b']' };
            let mut j = skip_ws(line, i + 1);
            if line.get(j) == Some(&close) {
                return Some(j + 1);
            }
            loop {
                if *open == b'{' {
                    if line.get(j) != Some(&b'"') {
                        return None;
                    }
                    j = skip_ws(line, string_end(line, j + 1)? + 1);
                    if line.get(j) != Some(&b':') {
                        return None;
                    }
                    j = skip_ws(line, j + 1);
                }
                j = skip_ws(line, skip_value(line, j, depth + 1)?);
                match line.get(j)? {
                    b',' => j = skip_ws(line, j + 1),
                    c if *c == close => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b'n' => None, // null: Go's rules for it differ by field; leave it to the parser
        _ => {
            let end = i + line[i..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(line.len() - i);
            let token = &line[i..end];
            let number = token
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
            (token == b"true" || token == b"false" || (number && !token.is_empty())).then_some(end)
        }
    }
}

fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while matches!(line.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}
