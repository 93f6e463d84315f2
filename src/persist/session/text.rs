//! Text shared by every format: cutting to [`MAX_ENTRY_TEXT`], one-line tool arguments, image
//! labels (`[image png 1.2 MB]`, never base64), sizes in words and the agents' times.

use super::MAX_ENTRY_TEXT;
use super::entry::Entry;
use super::skim::{Head, Json};
use chrono::{DateTime, Utc};

/// How long a one-line summary (a tool call's arguments) may be.
pub(crate) const ONE_LINE: usize = 400;

/// `text` cut to `max` bytes on a character boundary, and its full size when it was cut.
pub(crate) fn cut(text: &str, max: usize) -> Head {
    if text.len() <= max {
        return Head {
            text: text.to_owned(),
            cut: None,
        };
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Head {
        text: text[..end].to_owned(),
        cut: Some(text.len() as u64),
    }
}

/// Puts a head into an entry's text (and its size into `cut` when it was cut).
pub(crate) fn set_text(entry: &mut Entry, head: Head) {
    entry.text = head.text;
    entry.cut = head.cut;
}

/// A JSON string's display head (at most [`MAX_ENTRY_TEXT`]); other values as their JSON.
pub(crate) fn display(v: Json<'_>) -> Head {
    if v.is_string() {
        return v.head(MAX_ENTRY_TEXT).unwrap_or_default();
    }
    raw_head(v, MAX_ENTRY_TEXT)
}

/// A value's raw JSON as one line, cut to `max` bytes.
pub(crate) fn raw_head(v: Json<'_>, max: usize) -> Head {
    let raw = v.raw();
    let take = raw.len().min(max);
    let mut text = String::from_utf8_lossy(&raw[..take]).into_owned();
    if text.contains(['\n', '\r']) {
        text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut head = cut(&text, max);
    if raw.len() > take {
        head.cut = Some(raw.len() as u64);
    }
    head
}

/// A size in words: `512 B`, `3.4 kB`, `1.2 MB`, `2.0 GB`.
#[must_use]
pub fn size_words(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (unit, word) in UNITS {
        if bytes >= unit {
            return format!("{:.1} {word}", bytes as f64 / unit as f64);
        }
    }
    format!("{bytes} B")
}

/// How an image (or any inline binary) is shown: `[image png 1.2 MB]`, from its media type and
/// the length of its base64 data (never the data itself).
#[must_use]
pub fn image_label(media_type: &str, base64_len: usize) -> String {
    let (kind, sub) = media_type.split_once('/').unwrap_or(("file", media_type));
    let kind = if kind.is_empty() { "file" } else { kind };
    let sub = if sub.is_empty() { "?" } else { sub };
    let bytes = (base64_len as u64 / 4) * 3;
    format!("[{kind} {sub} {}]", size_words(bytes))
}

/// The one-line summary of a tool call's arguments: the command, path, pattern or query when
/// the arguments have one, else their JSON on one line; at most [`ONE_LINE`] bytes, with the
/// full size in `cut` when more was left out.
pub(crate) fn args_line(input: Json<'_>) -> Head {
    const KEYS: [&str; 14] = [
        "command",
        "cmd",
        "file_path",
        "path",
        "notebook_path",
        "pattern",
        "url",
        "query",
        "description",
        "prompt",
        "objective",
        "task",
        "skill",
        "input",
    ];
    if input.is_string() {
        return first_line(&input.str().unwrap_or_default());
    }
    if input.is_object() {
        let picked = input.pick(KEYS);
        for v in picked.into_iter().flatten() {
            if v.is_string() {
                let line = first_line(&v.str().unwrap_or_default());
                if !line.text.is_empty() {
                    return line;
                }
            } else if v.is_array() {
                let words: Vec<String> = v
                    .items()
                    .filter_map(|w| w.str().map(|s| s.into_owned()))
                    .collect();
                if !words.is_empty() {
                    return first_line(&words.join(" "));
                }
            }
        }
    }
    raw_head(input, ONE_LINE)
}

/// The first line of `text`, at most [`ONE_LINE`] bytes; `cut` is the whole text's size when
/// anything was left out.
pub(crate) fn first_line(text: &str) -> Head {
    let trimmed = text.trim_start();
    let line = trimmed.lines().next().unwrap_or_default();
    let mut head = cut(line, ONE_LINE);
    if head.text.len() < text.trim().len() {
        head.cut = Some(text.len() as u64);
    }
    head
}

/// An RFC 3339 time (`2026-08-20T14:00:03.120Z`, any offset), in UTC.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A time given as milliseconds since the Unix epoch.
pub(crate) fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// A JSON time: an RFC 3339 string or epoch milliseconds.
pub(crate) fn json_time(v: Option<Json<'_>>) -> Option<DateTime<Utc>> {
    let v = v?;
    if v.is_string() {
        return parse_time(&v.str()?);
    }
    from_millis(v.f64()? as i64)
}

/// The whole text of an entry its decoder cut from `size` bytes, read from its record's line.
/// The decoders keep only [`MAX_ENTRY_TEXT`] bytes of a text, so the record is read again as
/// JSON: the whole text is its string of exactly that size (a tool's output, a reply), or,
/// when the entry's text was joined from several, the longest one.
#[must_use]
pub fn whole_text(line: &[u8], size: u64) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(line).ok()?;
    let mut strings = Vec::new();
    collect_strings(&value, &mut strings);
    let size = usize::try_from(size).ok()?;
    strings
        .iter()
        .find(|s| s.len() == size)
        .or_else(|| strings.iter().max_by_key(|s| s.len()))
        .map(|s| (*s).to_owned())
}

fn collect_strings<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_sizes_and_lines() {
        assert_eq!(image_label("image/png", 1_600_000), "[image png 1.2 MB]");
        assert_eq!(image_label("", 40), "[file ? 30 B]");
        assert_eq!(size_words(3_400), "3.4 kB");
        let j = br#"{"command":"npm test\n-- login","timeout":5}"#;
        let h = args_line(Json::new(j).unwrap());
        assert_eq!(h.text, "npm test");
        assert!(h.cut.is_some());
        let h = args_line(Json::new(br#"{"a":1}"#).unwrap());
        assert_eq!((h.text.as_str(), h.cut), (r#"{"a":1}"#, None));
        assert_eq!(
            parse_time("2026-08-20T16:00:03.120+02:00").map(|t| t.to_rfc3339()),
            Some("2026-08-20T14:00:03.120+00:00".to_owned())
        );
    }
}
