//! Decoding a transcript line straight into a [`TranscriptEntry`], without building a JSON tree
//! first: what opening a transcript (thousands of lines at once) and searching spend their time
//! on. It handles the lines agentpair writes — every known key at most once, spelled as Go
//! writes it, no `null`s — and declines anything else (`None`), which the exact decoder
//! (Go's rules: any key case, repeated keys, `null` as absent, its error messages) then reads.
//! Both give the same entry for every line this one accepts.

use super::{EntryType, TranscriptEntry};
use crate::persist::gojson::{self, Object};
use crate::persist::run::State;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// The keys an entry has, as Go writes them.
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

/// Decodes `text` (one line, valid UTF-8); `None` when the exact decoder must decide.
pub(super) fn parse(text: &str) -> Option<TranscriptEntry> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entry = de.deserialize_map(EntryVisitor).ok()??;
    de.end().ok()?;
    Some(entry)
}

/// A key, borrowed from the line when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    /// `None`: declined.
    type Value = Option<TranscriptEntry>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transcript entry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut e = TranscriptEntry::new(EntryType::parse(""));
        let mut seen = [false; KNOWN.len()];
        let mut extra = Object::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let known = KNOWN.iter().position(|k| k.eq_ignore_ascii_case(&key));
            let Some(i) = known else {
                extra.insert(key.into_owned(), map.next_value::<Value>()?);
                continue;
            };
            if KNOWN[i] != key || std::mem::replace(&mut seen[i], true) {
                return Ok(None); // another spelling, or said twice: Go's rules decide
            }
            let string = |v: Option<String>| v.ok_or(());
            let int = |v: Option<serde_json::Number>| v.and_then(|n| n.as_i64()).ok_or(());
            let ok = match KNOWN[i] {
                "type" => string(map.next_value()?).map(|s| e.entry_type = EntryType::parse(&s)),
                "timestamp" => string(map.next_value()?).and_then(|s| {
                    e.timestamp = gojson::parse_time(&s).map_err(|_| ())?;
                    Ok(())
                }),
                "run_id" => int(map.next_value()?).map(|n| e.run_id = n),
                "iteration" => int(map.next_value()?).map(|n| e.iteration = n),
                "duration" => int(map.next_value()?).map(|n| e.duration = n),
                "agent" => string(map.next_value()?).map(|s| e.agent = s),
                "state" => string(map.next_value()?)
                    .map(|s| e.state = (!s.is_empty()).then(|| State::parse(&s))),
                "content" => string(map.next_value()?).map(|s| e.content = s),
                "signal" => string(map.next_value()?).map(|s| e.signal = s),
                "error" => string(map.next_value()?).map(|s| e.error = s),
                _ => map
                    .next_value::<Option<Object>>()?
                    .ok_or(())
                    .map(|m| e.metadata = m),
            };
            if ok.is_err() {
                return Ok(None);
            }
        }
        e.extra = extra;
        Ok(Some(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact decoder, for comparison.
    fn exact(line: &str) -> Result<TranscriptEntry, String> {
        let value = gojson::parse_document(line.as_bytes()).map_err(|e| e.to_string())?;
        TranscriptEntry::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn agrees_with_the_exact_decoder_or_declines() {
        let lines = [
            r#"{"type":"result","timestamp":"2026-03-30T09:15:45.925360352Z","run_id":3,"iteration":1,"agent":"codex","content":"a & <b>\n\u001b[31m caf\u00e9","duration":221513278708}"#,
            r#"{"type":"start","timestamp":"2026-03-30T09:15:45Z","run_id":3,"content":"p","metadata":{"z":1,"a":[1.50,{"b":null}]}}"#,
            r#"{"type":"state","run_id":1,"state":"working","x-extra":{"k":"v"},"zz":1e400,"x-extra":2}"#,
            r#"{"type":"state","run_id":1,"state":""}"#,
            r#"{"tool":"bash","type":"tool_call"}"#,
            r#"{}"#,
            r#" { "type" : "end" , "duration" : -5 } "#,
            r#"{"Type":"result","run_id":1}"#,
            r#"{"type":"result","type":"error"}"#,
            r#"{"type":null,"run_id":1}"#,
            r#"{"run_id":1.0}"#,
            r#"{"run_id":"1"}"#,
            r#"{"run_id":99999999999999999999}"#,
            r#"{"timestamp":"yesterday"}"#,
            r#"{"metadata":[1]}"#,
            r#"{"metadata":null}"#,
            r#"{"content":"x"} trailing"#,
            r#"[1,2]"#,
            r#"{"content":"x""#,
        ];
        let mut accepted = 0;
        for line in lines {
            // Declined lines go to the exact decoder, error messages and all.
            if let Some(fast) = parse(line) {
                accepted += 1;
                assert_eq!(Ok(fast), exact(line), "{line}");
            }
        }
        assert_eq!(accepted, 7);
    }
}
