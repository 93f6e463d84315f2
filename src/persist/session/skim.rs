//! A zero-copy look into JSON: [`Json`] is one value's bytes, and its fields, items and
//! strings are found by skipping over the others with `memchr`, never building them. Agents'
//! lines hold 12 MB tool outputs and base64 images next to the few small fields a summary or
//! a transcript row needs; this reads those fields at memory speed and decodes only the head
//! of a huge string (with its full decoded size counted, not built).
//!
//! It is lenient: it checks that strings close and that each object or array closes (counting
//! its own kind of bracket), not every escape, number or nested bracket; callers that must
//! tell a malformed line validate it with `serde_json` first.

use memchr::{memchr, memchr3};
use std::borrow::Cow;

mod iter;
mod squeeze;
pub(crate) use iter::{Fields, Items};
pub(crate) use squeeze::{Squeezed, Squeezer};

/// Declares a struct of optional [`Json`] fields, each read from its key, with `of(v)` that
/// finds them all in one pass over the object `v`.
macro_rules! fields {
    ($(#[$doc:meta])* $name:ident { $($field:ident = $key:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default)]
        pub(crate) struct $name<'a> {
            $(pub $field: Option<$crate::persist::session::skim::Json<'a>>,)*
        }

        impl<'a> $name<'a> {
            /// The fields of the object `v`, in one pass over it.
            pub(crate) fn of(v: $crate::persist::session::skim::Json<'a>) -> $name<'a> {
                let [$($field),*] = v.pick([$($key),*]);
                $name { $($field),* }
            }
        }
    };
}
pub(crate) use fields;

/// One JSON value's bytes, without surrounding whitespace, and the squeezed line it is in
/// when it is in one (whose cut strings' whole sizes it then gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Json<'a> {
    raw: &'a [u8],
    line: Option<&'a Squeezed>,
}

/// A string's head, decoded, and its full decoded size when the head is not all of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Head {
    /// At most the asked number of bytes, cut on a character boundary.
    pub text: String,
    /// The whole string's size in bytes (decoded) when `text` is shorter.
    pub cut: Option<u64>,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// The index just past the string whose opening quote is at `at`.
fn skip_str(b: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        let q = i + memchr(b'"', b.get(i..)?)?;
        // A quote preceded by an odd number of backslashes is escaped.
        let mut slashes = 0;
        while q - slashes > at + 1 && b[q - slashes - 1] == b'\\' {
            slashes += 1;
        }
        if slashes % 2 == 0 {
            return Some(q + 1);
        }
        i = q + 1;
    }
}

/// The index just past the value that starts at `at` (a non-whitespace byte).
fn skip_value(b: &[u8], at: usize) -> Option<usize> {
    match *b.get(at)? {
        b'"' => skip_str(b, at),
        open @ (b'{' | b'[') => {
            let close = if open == b'{' { b'}' } else { b']' };
            let mut depth = 0usize;
            let mut i = at;
            loop {
                let j = i + memchr3(b'"', open, close, b.get(i..)?)?;
                match b[j] {
                    b'"' => i = skip_str(b, j)?,
                    c if c == open => {
                        depth += 1;
                        i = j + 1;
                    }
                    _ => {
                        depth -= 1;
                        i = j + 1;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                }
            }
        }
        b',' | b':' | b'}' | b']' => None,
        _ => {
            let mut i = at;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b':' | b'"') && !is_ws(b[i]) {
                i += 1;
            }
            Some(i)
        }
    }
}

/// One JSONL record: the object a line holds, or why it is not one (the line is checked with
/// `serde_json` first, so a malformed line is told from a record of an unknown shape).
pub(crate) fn record(line: &[u8]) -> Result<Json<'_>, String> {
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(line) {
        return Err(format!("invalid JSON: {e}"));
    }
    Json::new(line)
        .filter(|v| v.is_object())
        .ok_or_else(|| "not a JSON object".to_owned())
}

/// [`record`] of a squeezed line: its values give the whole sizes of the strings cut.
pub(crate) fn squeezed_record(line: &Squeezed) -> Result<Json<'_>, String> {
    record(&line.bytes).map(|v| Json {
        line: Some(line),
        ..v
    })
}

/// The value of field `key` in the object `bytes` seems to hold, found without checking the
/// rest of it (so a field written first costs only its own bytes): a quick look, for callers
/// that treat an answer they cannot get as "anything".
pub(crate) fn field<'a>(bytes: &'a [u8], key: &str) -> Option<Json<'a>> {
    let start = skip_ws(bytes, 0);
    let object = Json {
        raw: bytes.get(start..)?,
        line: None,
    };
    object.get(key)
}

impl<'a> Json<'a> {
    /// The value `bytes` hold (whitespace around it allowed), if its structure is whole.
    pub fn new(bytes: &'a [u8]) -> Option<Json<'a>> {
        let start = skip_ws(bytes, 0);
        let end = skip_value(bytes, start)?;
        (skip_ws(bytes, end) == bytes.len()).then(|| Json {
            raw: &bytes[start..end],
            line: None,
        })
    }

    /// The value a squeezed line holds (see [`Json::new`]).
    pub fn squeezed(line: &'a Squeezed) -> Option<Json<'a>> {
        Json::new(&line.bytes).map(|v| Json {
            line: Some(line),
            ..v
        })
    }

    /// Where this value is in its squeezed line: its first byte's offset and its last's.
    fn span(self) -> Option<(&'a Squeezed, usize, usize)> {
        let line = self.line?;
        let start = (self.raw.as_ptr() as usize).checked_sub(line.bytes.as_ptr() as usize)?;
        Some((line, start, start + self.raw.len().checked_sub(1)?))
    }

    /// The string's whole sizes when it was cut in a squeezed line.
    fn cut(self) -> Option<squeeze::Cut> {
        if !self.is_string() {
            return None;
        }
        let (line, _, end) = self.span()?;
        line.cut_ending_at(end).copied()
    }

    /// The value's size as written (a string cut in a squeezed line counts whole).
    pub fn raw_len(self) -> usize {
        let left_out = self.span().map_or(0, |(line, start, end)| {
            usize::try_from(line.left_out(start, end + 1)).unwrap_or(usize::MAX)
        });
        self.raw.len().saturating_add(left_out)
    }

    /// The whole decoded size of a string cut in a squeezed line (`None` for any other value:
    /// [`Json::str`] gives all of it).
    pub fn cut_len(self) -> Option<u64> {
        self.cut().map(|c| c.decoded)
    }

    /// The value's bytes.
    pub fn raw(self) -> &'a [u8] {
        self.raw
    }

    /// An object.
    pub fn is_object(self) -> bool {
        self.raw.first() == Some(&b'{')
    }

    /// An array.
    pub fn is_array(self) -> bool {
        self.raw.first() == Some(&b'[')
    }

    /// A string.
    pub fn is_string(self) -> bool {
        self.raw.first() == Some(&b'"')
    }

    /// An object's fields in order: each key's raw (still escaped) bytes and its value.
    pub fn fields(self) -> Fields<'a> {
        Fields {
            b: self.raw,
            i: if self.is_object() { 1 } else { self.raw.len() },
            line: self.line,
        }
    }

    /// An array's items in order.
    pub fn items(self) -> Items<'a> {
        Items {
            b: self.raw,
            i: if self.is_array() { 1 } else { self.raw.len() },
            line: self.line,
        }
    }

    /// The value of an object's field `key` (the first one, as most readers do).
    pub fn get(self, key: &str) -> Option<Json<'a>> {
        self.fields()
            .find(|(k, _)| *k == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// The values of several fields, in one pass over the object.
    pub fn pick<const N: usize>(self, keys: [&str; N]) -> [Option<Json<'a>>; N] {
        let mut out = [None; N];
        let mut left = N;
        for (k, v) in self.fields() {
            if let Some(i) = keys.iter().position(|want| want.as_bytes() == k)
                && out[i].is_none()
            {
                out[i] = Some(v);
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        out
    }

    /// A string's content, decoded (borrowed when it has no escapes); `None` for other values.
    /// A string cut in a squeezed line gives what was kept of it.
    pub fn str(self) -> Option<Cow<'a, str>> {
        let body = self.string_body()?;
        if memchr(b'\\', body).is_none()
            && let Ok(s) = std::str::from_utf8(body)
        {
            return Some(Cow::Borrowed(s));
        }
        Some(Cow::Owned(self.head(usize::MAX)?.text))
    }

    /// True when this is the string `want` (compared without decoding).
    pub fn is_str(self, want: &str) -> bool {
        self.string_body() == Some(want.as_bytes())
    }

    /// A string's first `max` bytes, decoded, and its full decoded size when that is more:
    /// what shows a 12 MB output without building it.
    pub fn head(self, max: usize) -> Option<Head> {
        let body = self.string_body()?;
        let mut out: Vec<u8> = Vec::with_capacity(body.len().min(max).min(1 << 16));
        let mut i = 0;
        while i < body.len() && out.len() < max {
            let plain = memchr(b'\\', &body[i..]).map_or(body.len(), |j| i + j);
            let room = max - out.len();
            if plain - i > room {
                out.extend_from_slice(&body[i..i + room]);
                i += room;
                break;
            }
            out.extend_from_slice(&body[i..plain]);
            i = plain;
            if i < body.len() {
                let (ch, used) = unescape(&body[i..]);
                let mut buf = [0u8; 4];
                let enc = ch.encode_utf8(&mut buf).as_bytes();
                if enc.len() > max - out.len() {
                    break;
                }
                out.extend_from_slice(enc);
                i += used;
            }
        }
        let whole = self.cut().map(|c| c.decoded);
        if i < body.len() || whole.is_some() {
            let full = whole.unwrap_or_else(|| out.len() as u64 + decoded_len(&body[i..]));
            trim_partial_char(&mut out);
            return Some(Head {
                text: String::from_utf8_lossy(&out).into_owned(),
                cut: Some(full),
            });
        }
        Some(Head {
            text: String::from_utf8_lossy(&out).into_owned(),
            cut: None,
        })
    }

    /// A non-negative integer.
    pub fn u64(self) -> Option<u64> {
        std::str::from_utf8(self.raw)
            .ok()?
            .parse()
            .ok()
            .or_else(|| {
                let f = self.f64()?;
                (f >= 0.0 && f.fract() == 0.0 && f < 1.8e19).then_some(f as u64)
            })
    }

    /// A number.
    pub fn f64(self) -> Option<f64> {
        std::str::from_utf8(self.raw).ok()?.parse().ok()
    }

    /// `true` or `false`.
    pub fn bool(self) -> Option<bool> {
        match self.raw {
            b"true" => Some(true),
            b"false" => Some(false),
            _ => None,
        }
    }

    fn string_body(self) -> Option<&'a [u8]> {
        (self.raw.len() >= 2 && self.is_string()).then(|| &self.raw[1..self.raw.len() - 1])
    }
}

/// The character an escape at the start of `b` (a backslash) stands for, and its length.
pub(super) fn unescape(b: &[u8]) -> (char, usize) {
    let simple = |c: u8| match c {
        b'n' => Some('\n'),
        b't' => Some('\t'),
        b'r' => Some('\r'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'"' => Some('"'),
        b'\\' => Some('\\'),
        b'/' => Some('/'),
        _ => None,
    };
    let hex = |s: &[u8]| -> Option<u32> {
        let s = std::str::from_utf8(s.get(..4)?).ok()?;
        u32::from_str_radix(s, 16).ok()
    };
    match b.get(1) {
        Some(b'u') => match b.get(2..).and_then(hex) {
            Some(hi @ 0xD800..=0xDBFF) => {
                let lo = (b.get(6) == Some(&b'\\') && b.get(7) == Some(&b'u'))
                    .then(|| b.get(8..).and_then(hex))
                    .flatten();
                match lo {
                    Some(lo @ 0xDC00..=0xDFFF) => {
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        (char::from_u32(c).unwrap_or('\u{FFFD}'), 12)
                    }
                    _ => ('\u{FFFD}', 6),
                }
            }
            Some(c) => (char::from_u32(c).unwrap_or('\u{FFFD}'), 6),
            None => ('\u{FFFD}', b.len().min(2)),
        },
        Some(&c) => (simple(c).unwrap_or('\u{FFFD}'), 2),
        None => ('\u{FFFD}', 1),
    }
}

/// Drops a character cut off at the end of `b` (a head ends inside it).
fn trim_partial_char(b: &mut Vec<u8>) {
    for back in 1..=b.len().min(3) {
        let c = b[b.len() - back];
        if c & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back for the lead
        }
        let need = match c {
            0xF0..=0xF7 => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        if need > back {
            b.truncate(b.len() - back);
        }
        return;
    }
}

/// The decoded size of an escaped string body, counted without decoding it.
fn decoded_len(body: &[u8]) -> u64 {
    let mut n = 0u64;
    let mut i = 0;
    while i < body.len() {
        match memchr(b'\\', &body[i..]) {
            None => return n + (body.len() - i) as u64,
            Some(j) => {
                n += j as u64;
                let (ch, used) = unescape(&body[i + j..]);
                n += ch.len_utf8() as u64;
                i += j + used;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests;
