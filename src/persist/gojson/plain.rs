//! Decoding a JSON object straight into typed fields, without building a JSON tree first: what
//! reading thousands of manifests or transcript lines at once spends its time on. It handles
//! documents as Go writes them — each known key at most once, spelled exactly, no `null`s — and
//! declines anything else (`None`), which [`super::Fields`] then reads with all of Go's rules
//! (any key case, repeated keys, `null` as absent) and its exact error messages. For every
//! document it accepts, both give the same values.

use super::{GoTime, Object, parse_time};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A known field's Go type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `string`.
    String,
    /// `int` (an integer literal in 64-bit range).
    Int,
    /// `time.Time` or `*time.Time` (an RFC 3339 string).
    Time,
    /// `map[string]any` (an object).
    Object,
}

/// A known field's value; `Absent` when the key was not there.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Slot {
    /// The key was not in the document.
    #[default]
    Absent,
    /// A string.
    String(String),
    /// An integer.
    Int(i64),
    /// A time.
    Time(GoTime),
    /// An object.
    Object(Object),
}

impl Slot {
    /// The string, or empty.
    #[must_use]
    pub fn string(self) -> String {
        match self {
            Slot::String(s) => s,
            _ => String::new(),
        }
    }

    /// The integer, or 0.
    #[must_use]
    pub fn int(&self) -> i64 {
        match self {
            Slot::Int(n) => *n,
            _ => 0,
        }
    }

    /// The time, if there was one.
    #[must_use]
    pub fn time(&self) -> Option<GoTime> {
        match self {
            Slot::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// The object, or an empty one.
    #[must_use]
    pub fn object(self) -> Object {
        match self {
            Slot::Object(o) => o,
            _ => Object::new(),
        }
    }
}

/// Decodes `text` (valid UTF-8): the known `fields`' values in their order, and every other
/// key in document order. `None` when Go's full rules must decide (or the text is not a JSON
/// object of the right types, which they report).
#[must_use]
pub fn decode_plain(text: &str, fields: &[(&str, Kind)]) -> Option<(Vec<Slot>, Object)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let decoded = de.deserialize_map(PlainVisitor { fields }).ok()??;
    de.end().ok()?;
    Some(decoded)
}

/// A key, borrowed from the text when it has no escapes.
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

struct PlainVisitor<'f> {
    fields: &'f [(&'f str, Kind)],
}

impl<'de> Visitor<'de> for PlainVisitor<'_> {
    /// `None`: declined.
    type Value = Option<(Vec<Slot>, Object)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut slots = vec![Slot::Absent; self.fields.len()];
        let mut rest = Object::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let known = self
                .fields
                .iter()
                .position(|(name, _)| name.eq_ignore_ascii_case(&key));
            let Some(i) = known else {
                rest.insert(key.into_owned(), map.next_value::<Value>()?);
                continue;
            };
            if self.fields[i].0 != key || slots[i] != Slot::Absent {
                return Ok(None); // another spelling, or said twice: Go's rules decide
            }
            let slot = match self.fields[i].1 {
                Kind::String => map.next_value::<Option<String>>()?.map(Slot::String),
                Kind::Int => map
                    .next_value::<Option<serde_json::Number>>()?
                    .and_then(|n| n.as_i64())
                    .map(Slot::Int),
                Kind::Time => map
                    .next_value::<Option<String>>()?
                    .and_then(|s| parse_time(&s).ok())
                    .map(Slot::Time),
                Kind::Object => map.next_value::<Option<Object>>()?.map(Slot::Object),
            };
            match slot {
                Some(slot) => slots[i] = slot,
                None => return Ok(None), // null, or a value Go would refuse
            }
        }
        Ok(Some((slots, rest)))
    }
}
