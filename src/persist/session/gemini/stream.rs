//! A legacy Gemini document (`session-….json`, one JSON object with a `messages` array) read
//! as a stream: the document is parsed as it is read and each message is taken on its own, so
//! memory holds the largest message, never the document. Of the other top-level fields, the
//! metadata the conversation keeps (`sessionId`, `startTime`, …) is applied as it comes; the
//! rest is passed over.

use super::super::skim::record;
use super::doc::Doc;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::io::Read;

/// The top-level fields a conversation's metadata is read from (`super::Header`'s).
const HEADER: [&str; 6] = [
    "sessionId",
    "startTime",
    "lastUpdated",
    "summary",
    "kind",
    "directories",
];

/// Applies the metadata and each message of the legacy document `reader` holds to `doc` as
/// they are read, and calls `after` once each message is applied.
///
/// # Errors
/// The document is not one whole JSON object (a read error, or a document caught half
/// rewritten), in words.
pub(super) fn messages(
    reader: impl Read,
    doc: &mut Doc,
    after: impl FnMut(&mut Doc),
) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    de.deserialize_map(Top { doc, after })
        .and_then(|()| de.end())
        .map_err(|e| e.to_string())
}

/// The document's top-level object: its `messages` taken one by one, the rest passed over.
struct Top<'d, F> {
    doc: &'d mut Doc,
    after: F,
}

impl<'de, F: FnMut(&mut Doc)> Visitor<'de> for Top<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Gemini conversation object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut messages_read = false;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "messages" && !messages_read {
                messages_read = true;
                map.next_value_seed(Messages {
                    doc: &mut *self.doc,
                    after: &mut self.after,
                })?;
            } else if HEADER.contains(&key.as_str()) && !seen.contains(&key) {
                // One field at a time, as the first copy of each reads whole.
                let value = map.next_value::<Box<RawValue>>()?;
                let field = format!("{{{}:{}}}", serde_json::json!(key), value.get());
                if let Ok(v) = record(field.as_bytes()) {
                    self.doc.header(super::Header::of(v));
                }
                seen.push(key);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `messages` value: an array of messages (anything else holds none).
struct Messages<'d, F> {
    doc: &'d mut Doc,
    after: F,
}

impl<'de, F: FnMut(&mut Doc)> DeserializeSeed<'de> for Messages<'_, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(&mut Doc)> Visitor<'de> for Messages<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            if let Ok(message) = record(raw.get().as_bytes()) {
                self.doc.apply(message);
                (self.after)(self.doc);
            }
        }
        Ok(())
    }

    // Not a list: no messages, as reading the document whole finds.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A reader that says how much of it has been read.
    struct Counted<'a> {
        bytes: &'a [u8],
        read: Rc<Cell<usize>>,
    }

    impl Read for Counted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let at = self.read.get();
            let n = buf.len().min(self.bytes.len() - at);
            buf[..n].copy_from_slice(&self.bytes[at..at + n]);
            self.read.set(at + n);
            Ok(n)
        }
    }

    #[test]
    fn each_message_is_taken_as_soon_as_it_is_read_never_the_whole_document() {
        let message = |i: usize| {
            serde_json::json!({"id": format!("m{i}"), "type": "user",
                "timestamp": "2026-07-01T09:00:10.000Z", "content": "word ".repeat(2_000)})
        };
        let list: Vec<_> = (0..300).map(message).collect();
        let doc = serde_json::json!({"sessionId": "s", "messages": list, "lastUpdated": "x"});
        let bytes = serde_json::to_vec_pretty(&doc).unwrap();
        assert!(bytes.len() > 3_000_000);
        let read = Rc::new(Cell::new(0));
        let reader = std::io::BufReader::with_capacity(
            8192,
            Counted {
                bytes: &bytes,
                read: read.clone(),
            },
        );
        // Where each message starts in the document.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let starts: Vec<usize> = (0..300)
            .map(|i| text.find(&format!("\"id\": \"m{i}\"")).unwrap())
            .collect();
        let mut d = Doc::new(true);
        let mut applied = 0;
        let mut ahead = Vec::new();
        messages(reader, &mut d, |d| {
            // Read so far: this message, and at most a read buffer of the next.
            applied += 1;
            let next = starts.get(applied).copied().unwrap_or(bytes.len());
            ahead.push(read.get().saturating_sub(next));
            assert_eq!(d.thin_last(|_| false), 10_000, "its text, then emptied");
        })
        .unwrap();
        assert_eq!(applied, 300);
        assert!(ahead.iter().all(|a| *a <= 8192), "{:?}", ahead.iter().max());
        assert_eq!(read.get(), bytes.len());
    }
}
