//! Printing a JSON value exactly as Go's `encoding/json` prints it.

use serde_json::Value;
use std::fmt::Write as _;

/// How a document is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `json.MarshalIndent(v, "", "  ")` layout when true; compact `json.Marshal` when false.
    pub pretty: bool,
    /// Go's default HTML escaping of `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`.
    pub escape_html: bool,
}

impl Style {
    /// Manifest and assignment store files: indented, HTML escaping on.
    pub const DOCUMENT: Style = Style {
        pretty: true,
        escape_html: true,
    };
    /// Transcript, bridge and history lines: compact, HTML escaping off.
    pub const LINE: Style = Style {
        pretty: false,
        escape_html: false,
    };
    /// Compact with HTML escaping on (the input of agentpair's bridge message ids).
    pub const COMPACT_HTML: Style = Style {
        pretty: false,
        escape_html: true,
    };
}

/// Encodes `value` the way Go would: object keys in the order given, numbers as their literal
/// text, strings with Go's escaping. Pretty output has no final newline, as `MarshalIndent`.
#[must_use]
pub fn encode(value: &Value, style: Style) -> String {
    let mut out = String::with_capacity(256);
    write_value(&mut out, value, style, 0);
    out
}

/// Writes `value` at nesting `depth` (for pretty layout).
pub fn write_value(out: &mut String, value: &Value, style: Style, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_string(out, s, style.escape_html),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_value(out, item, style, depth + 1);
            }
            newline(out, style, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_string(out, key, style.escape_html);
                out.push(':');
                if style.pretty {
                    out.push(' ');
                }
                write_value(out, item, style, depth + 1);
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if style.pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

/// Writes `s` as a JSON string with Go's escaping rules (Go 1.22+): short escapes for
/// `\n \r \t \b \f`, `\u00XX` for other control bytes, U+2028/U+2029 always escaped, and
/// `<`, `>`, `&` escaped only when `escape_html` is set. DEL and non-ASCII text are raw.
pub fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        let escaped: Option<&str> = match ch {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '<' if escape_html => Some("\\u003c"),
            '>' if escape_html => Some("\\u003e"),
            '&' if escape_html => Some("\\u0026"),
            '\u{2028}' => Some("\\u2028"),
            '\u{2029}' => Some("\\u2029"),
            c if (c as u32) < 0x20 => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match escaped {
            Some(text) => out.push_str(text),
            None => {
                let _ = write!(out, "\\u{:04x}", ch as u32);
            }
        }
        start = i + ch.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_escape_like_go() {
        let mut out = String::new();
        write_string(
            &mut out,
            "a<b>&\"\\\n\r\t\u{8}\u{c}\u{1}\u{1b}\u{7f}é\u{2028}\u{2029}",
            true,
        );
        assert_eq!(
            out,
            r#""a\u003cb\u003e\u0026\"\\\n\r\t\b\f\u0001\u001b"#.to_owned()
                + "\u{7f}é\\u2028\\u2029\""
        );
        let mut raw = String::new();
        write_string(&mut raw, "<&>", false);
        assert_eq!(raw, "\"<&>\"");
    }

    #[test]
    fn pretty_layout_matches_marshal_indent() {
        let v = json!({"a": 1, "b": {"c": [1, 2], "d": {}}, "e": []});
        assert_eq!(
            encode(&v, Style::DOCUMENT),
            "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [\n      1,\n      2\n    ],\n    \"d\": {}\n  },\n  \"e\": []\n}"
        );
        assert_eq!(
            encode(&v, Style::LINE),
            r#"{"a":1,"b":{"c":[1,2],"d":{}},"e":[]}"#
        );
    }

    #[test]
    fn number_literals_survive() {
        // Digits are kept exactly (no float rounding, no overflow); serde_json only spells an
        // exponent with its sign.
        let v: Value = serde_json::from_str(
            r#"{"x":1.50,"y":1e400,"z":-0,"w":123456789012345678901234567890}"#,
        )
        .unwrap();
        assert_eq!(
            encode(&v, Style::LINE),
            r#"{"x":1.50,"y":1e+400,"z":-0,"w":123456789012345678901234567890}"#
        );
    }
}
