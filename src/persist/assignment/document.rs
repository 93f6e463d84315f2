//! The store file as a document: `session_name`, `assignments` (sorted by bead id, as Go
//! writes map keys), `updated_at`, `version`, plus any unknown top-level keys.

use super::Assignment;
use crate::persist::gojson::{
    self, FieldError, FieldSink, Fields, GoTime, Object, ObjectBuilder, ObjectWriter, Style,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// The content of `assignments.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreDocument {
    /// The tmux session name as stored (normally the directory name).
    pub session_name: String,
    /// Records by bead id, in bytewise key order.
    pub assignments: BTreeMap<String, Assignment>,
    /// Time of the last save.
    pub updated_at: GoTime,
    /// Schema version: 1 for NTM up to v1.19; today's NTM writes 9 (read-only for us).
    pub version: i64,
    /// Unknown top-level keys (e.g. schema 9's `persistence_generation`), kept as read.
    pub extra: Object,
    /// Bead ids whose record was `null` (seed-era NTM would crash on them); never written back.
    pub null_records: Vec<String>,
}

impl StoreDocument {
    /// An empty schema-1 store, as `NewStore` makes it.
    #[must_use]
    pub fn new(session_name: &str, now: GoTime) -> StoreDocument {
        StoreDocument {
            session_name: session_name.to_owned(),
            assignments: BTreeMap::new(),
            updated_at: now,
            version: 1,
            extra: Object::new(),
            null_records: Vec::new(),
        }
    }

    /// True for schemas newer than 1, which we read but never write.
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.version > 1
    }

    /// Decodes a store file with Go's rules: a missing or `null` `assignments` is empty, a
    /// `null` record is skipped (and listed in `null_records`).
    ///
    /// # Errors
    /// Invalid JSON, or a field or record of the wrong type (named in the error).
    pub fn from_bytes(bytes: &[u8]) -> Result<StoreDocument, DocumentError> {
        let value = gojson::parse_document(bytes).map_err(DocumentError::Syntax)?;
        StoreDocument::from_value(value).map_err(DocumentError::Field)
    }

    fn from_value(value: Value) -> Result<StoreDocument, FieldError> {
        let mut f = Fields::from_value(value, "store")?;
        let session_name = f.string("session_name")?;
        let mut assignments = BTreeMap::new();
        let mut null_records = Vec::new();
        for (bead, record) in f.object("assignments")? {
            if record.is_null() {
                null_records.push(bead);
                continue;
            }
            let record = Assignment::from_keyed_value(&bead, record)
                .map_err(|e| e.within(&format!("assignments.{bead}")))?;
            assignments.insert(bead, record);
        }
        Ok(StoreDocument {
            session_name,
            assignments,
            updated_at: f.time("updated_at")?,
            version: f.int("version")?,
            extra: f.into_rest(),
            null_records,
        })
    }

    /// The document as an ordered JSON object in Go's field order.
    #[must_use]
    pub fn to_value(&self) -> Value {
        let mut records = Object::new();
        for (bead, record) in &self.assignments {
            records.insert(bead.clone(), record.to_value());
        }
        let mut b = ObjectBuilder::new();
        FieldSink::string(&mut b, "session_name", &self.session_name);
        FieldSink::value(&mut b, "assignments", &Value::Object(records));
        self.write_tail(&mut b);
        b.build()
    }

    /// Keys that today's NTM declares between `assignments` and `updated_at`; for a schema
    /// above 1 they are written there (Go's struct order), not after `version` with the rest.
    const BETWEEN: [&'static str; 2] = ["cleared_generations", "persistence_generation"];

    /// Everything after `assignments`: schema-9 keys in their place, `updated_at`, `version`,
    /// then unknown keys in file order.
    fn write_tail(&self, s: &mut impl FieldSink) {
        let placed = self.version > 1;
        if placed {
            for key in Self::BETWEEN {
                if let Some(value) = self.extra.get(key) {
                    s.value(key, value);
                }
            }
        }
        s.time("updated_at", &self.updated_at);
        s.int("version", self.version);
        for (key, value) in &self.extra {
            if !(placed && Self::BETWEEN.contains(&key.as_str())) {
                s.value(key, value);
            }
        }
    }

    /// The file bytes: two-space indent, `<>&` escaped, no final newline; streamed straight
    /// into the output (no intermediate tree), byte-identical to [`Self::to_value`] encoded.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::with_capacity(512 + 400 * self.assignments.len());
        let mut w = ObjectWriter::begin(&mut out, Style::DOCUMENT, 0);
        w.string("session_name", &self.session_name);
        let mut records = w.object("assignments");
        for (bead, record) in &self.assignments {
            let mut r = records.object(bead);
            record.write_fields(&mut r);
            r.end();
        }
        records.end();
        self.write_tail(&mut w);
        w.end();
        out.into_bytes()
    }
}

/// Why a store file could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON (empty, cut off, or garbage).
    #[error("invalid JSON: {0}")]
    Syntax(#[source] serde_json::Error),
    /// JSON, but a field has the wrong type.
    #[error("{0}")]
    Field(#[source] FieldError),
}
