//! Go's reading of UTF-16 surrogate escapes: a `\uD800`–`\uDFFF` escape that is not half of a
//! valid high-low pair decodes to U+FFFD in Go (`"\ud800"` is one replacement character),
//! where serde_json rejects the whole document. We rewrite such lone escapes to `\ufffd` before
//! parsing, so a line Go reads is never dropped as unreadable.

use std::borrow::Cow;

/// The value of four hex digits at `at`, if they are there.
fn hex4(bytes: &[u8], at: usize) -> Option<u16> {
    let digits = bytes.get(at..at + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

fn is_high(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

/// True when the text has a `\u` escape starting with `d`/`D` somewhere (cheap pre-check).
fn may_have_surrogates(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"\\u").any(|i| matches!(bytes.get(i + 2), Some(b'd' | b'D')))
}

/// `text` with every lone surrogate escape inside a string replaced by `\ufffd`, as Go decodes
/// it; valid pairs and everything else are left exactly as they are.
#[must_use]
pub fn replace_lone_surrogates(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !may_have_surrogates(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => {
                let Some(unit) = (bytes.get(i + 1) == Some(&b'u'))
                    .then(|| hex4(bytes, i + 2))
                    .flatten()
                else {
                    i += 2;
                    continue;
                };
                if !is_high(unit) && !is_low(unit) {
                    i += 6;
                    continue;
                }
                let paired = is_high(unit)
                    && bytes.get(i + 6..i + 8) == Some(b"\\u")
                    && hex4(bytes, i + 8).is_some_and(is_low);
                if paired {
                    i += 12;
                    continue;
                }
                // `i` sits on an ASCII backslash, so both slice ends are char boundaries.
                let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                o.push_str(&text[copied..i]);
                o.push_str("\\ufffd");
                i += 6;
                copied = i;
            }
            _ => i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_halves_become_replacement_and_pairs_stay() {
        let cases = [
            (r#"{"a":"\ud800"}"#, r#"{"a":"\ufffd"}"#),
            (r#"{"a":"x\uDC00y"}"#, r#"{"a":"x\ufffdy"}"#),
            (r#"{"a":"\ud83d\ude00"}"#, r#"{"a":"\ud83d\ude00"}"#),
            (r#"{"a":"\ud800\u0041"}"#, r#"{"a":"\ufffd\u0041"}"#),
            (
                r#"{"a":"\ud800\ud83d\ude00"}"#,
                r#"{"a":"\ufffd\ud83d\ude00"}"#,
            ),
            (r#"{"a":"\\ud800"}"#, r#"{"a":"\\ud800"}"#),
            (r#"{"\ud800":1}"#, r#"{"\ufffd":1}"#),
            (r#"{"a":"é\udfff"}"#, r#"{"a":"é\ufffd"}"#),
        ];
        for (input, want) in cases {
            assert_eq!(replace_lone_surrogates(input), want, "{input}");
        }
        assert!(matches!(
            replace_lone_surrogates(r#"{"a":"plain \u0041"}"#),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn go_reads_a_lone_surrogate_as_one_replacement_character() {
        let v = crate::persist::gojson::parse_document(br#"{"a":"x\ud800y"}"#).unwrap();
        assert_eq!(v["a"], "x\u{fffd}y");
    }
}
