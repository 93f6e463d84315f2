//! Go `encoding/json` compatibility: the bytes Go's encoder writes, and Go's decoding rules.
//!
//! Upstream files are written by Go's `json.MarshalIndent` (manifest, store) and by a
//! `json.Encoder` with HTML escaping off (JSONL lines). To be byte-compatible we build an
//! ordered [`serde_json::Value`] in Go struct-field order and print it here with Go's escaping
//! and layout. Decoding follows Go: `null` leaves a field at its zero value, a wrong type is an
//! error, keys match case-insensitively when no exact key exists, and invalid UTF-8 becomes
//! U+FFFD (so does a lone UTF-16 surrogate escape). Unknown keys are handed back so callers can
//! keep them.

mod build;
mod decode;
mod encode;
mod plain;
mod sink;
mod surrogate;
mod time;

pub use build::{ObjectBuilder, go_map};
pub use decode::{FieldError, Fields, FieldsRef, describe, parse_document};
pub use encode::{Style, encode, write_string, write_value};
pub use plain::{Kind, Slot, decode_plain};
pub use sink::{FieldSink, ObjectWriter};
pub use surrogate::replace_lone_surrogates;
pub use time::{GoTime, format_time, now, parse_time, zero_time};

/// An ordered JSON object, as read from a file (key order preserved).
pub type Object = serde_json::Map<String, serde_json::Value>;
