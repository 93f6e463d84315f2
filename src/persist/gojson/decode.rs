//! Reading JSON documents with Go's decoding rules, keeping every key we do not know.

mod lists;
mod peek;

pub use peek::FieldsRef;

use super::surrogate::replace_lone_surrogates;
use super::{GoTime, Object, parse_time, zero_time};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Parses a whole document. Invalid UTF-8 is replaced by U+FFFD first, as Go's decoder does
/// inside strings, so a stray byte never makes an otherwise readable file unreadable; so is a
/// lone UTF-16 surrogate escape such as `"\ud800"` (Go reads it as U+FFFD).
///
/// # Errors
/// Returns serde_json's syntax error (with line and column) for anything that is not JSON.
pub fn parse_document(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let text = String::from_utf8_lossy(bytes);
    match replace_lone_surrogates(&text) {
        Cow::Borrowed(s) => serde_json::from_str(s),
        Cow::Owned(s) => serde_json::from_str(&s),
    }
}

/// A field that has the wrong JSON type or an unreadable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where the field sits, e.g. `id` or `assignments.wa-3c4d.pane`.
    pub field: String,
    /// What is wrong with it, e.g. `expected an integer, found the string "3"`.
    pub problem: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field \"{}\": {}", self.field, self.problem)
    }
}

impl std::error::Error for FieldError {}

impl FieldError {
    /// A problem with the value at `field`.
    #[must_use]
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// The same problem, reported one level further out (`outer.field`).
    #[must_use]
    pub fn within(self, outer: &str) -> Self {
        FieldError {
            field: format!("{outer}.{}", self.field),
            problem: self.problem,
        }
    }
}

/// Describes a JSON value for error messages: `the string "3"`, `an array`, ...
#[must_use]
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            format!("the string {shown:?}")
        }
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// A Go `int` from a field's value (absent: 0).
fn as_int(name: &str, value: Option<Value>) -> Result<i64, FieldError> {
    match value {
        None => Ok(0),
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| {
            FieldError::new(name, format!("expected an integer, found the number {n}"))
        }),
        Some(other) => Err(FieldError::new(
            name,
            format!("expected an integer, found {}", describe(&other)),
        )),
    }
}

/// A Go `string` from a field's value (absent: "").
fn as_string(name: &str, value: Option<Value>) -> Result<String, FieldError> {
    match value {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(FieldError::new(
            name,
            format!("expected a string, found {}", describe(&other)),
        )),
    }
}

/// A Go `*time.Time` from a field's value (absent: `None`).
fn as_time(name: &str, value: Option<Value>) -> Result<Option<GoTime>, FieldError> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) => parse_time(&s)
            .map(Some)
            .map_err(|e| FieldError::new(name, e)),
        Some(other) => Err(FieldError::new(
            name,
            format!("expected a time string, found {}", describe(&other)),
        )),
    }
}

/// True when some key has an upper-case ASCII letter (a field may then be spelled several ways).
fn has_mixed_case(map: &Object) -> bool {
    map.keys()
        .any(|k| k.bytes().any(|b| b.is_ascii_uppercase()))
}

/// The scalar readers (`int`, `string`, `time`, `optional_time`), for both ways of reading
/// fields ([`Fields`] takes them out, [`FieldsRef`] reads them in place).
macro_rules! scalar_readers {
    ($ty:ty) => {
        impl $ty {
            /// A Go `int`: an integer literal in 64-bit range; absent or `null` is 0.
            ///
            /// # Errors
            /// A string, a fraction or an exponent form is an error, as in Go.
            pub fn int(&mut self, name: &str) -> Result<i64, FieldError> {
                as_int(name, self.take(name))
            }

            /// A Go `string`; absent or `null` is empty.
            ///
            /// # Errors
            /// Any non-string value is an error.
            pub fn string(&mut self, name: &str) -> Result<String, FieldError> {
                as_string(name, self.take(name))
            }

            /// A Go `time.Time`; absent or `null` is the zero time.
            ///
            /// # Errors
            /// A non-string or a string that is not RFC 3339 is an error.
            pub fn time(&mut self, name: &str) -> Result<GoTime, FieldError> {
                Ok(self.optional_time(name)?.unwrap_or_else(zero_time))
            }

            /// A Go `*time.Time`; absent or `null` is `None`.
            ///
            /// # Errors
            /// A non-string or a string that is not RFC 3339 is an error.
            pub fn optional_time(&mut self, name: &str) -> Result<Option<GoTime>, FieldError> {
                as_time(name, self.take(name))
            }
        }
    };
}

scalar_readers!(Fields);
scalar_readers!(FieldsRef<'_>);

/// Takes typed fields out of a JSON object one by one; what is left over is the set of
/// unknown keys, in file order, to be written back unchanged.
#[derive(Debug)]
pub struct Fields {
    map: Object,
    /// Some key has an upper-case ASCII letter, so a field may be spelled several ways.
    mixed_case: bool,
}

impl Fields {
    /// Starts from a value that must be an object.
    ///
    /// # Errors
    /// Anything other than an object (including `null`) is an error naming what was found.
    pub fn from_value(value: Value, what: &str) -> Result<Self, FieldError> {
        match value {
            Value::Object(map) => {
                let mixed_case = has_mixed_case(&map);
                Ok(Fields { map, mixed_case })
            }
            other => Err(FieldError::new(
                what,
                format!("expected a JSON object, found {}", describe(&other)),
            )),
        }
    }

    /// Removes the value for `name` as Go's decoder sees it: every key that matches ignoring
    /// ASCII case is the same field, applied in file order, so the last one that is not `null`
    /// wins (a `null` leaves a Go value field as it was, so it counts as absent). Every
    /// spelling is consumed: none is kept as an unknown key to be written back, where it would
    /// change what Go reads from our file (and our own round trip would not be stable).
    pub fn take(&mut self, name: &str) -> Option<Value> {
        self.take_all(name).into_iter().rfind(|v| !v.is_null())
    }

    /// Removes every value for `name` (all spellings, `null`s included), in file order.
    fn take_all(&mut self, name: &str) -> Vec<Value> {
        if !self.mixed_case && !name.bytes().any(|b| b.is_ascii_uppercase()) {
            // All keys are lower case: only the exact key can match (the common case, fast).
            return self.map.shift_remove(name).into_iter().collect();
        }
        let keys: Vec<String> = self
            .map
            .keys()
            .filter(|k| k.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        keys.iter()
            .filter_map(|k| self.map.shift_remove(k))
            .collect()
    }

    /// A Go `map[string]any`; absent or `null` is empty. When the field is spelled more than
    /// once, Go decodes each into the same map in turn: objects are merged (later keys win) and
    /// a `null` empties it.
    ///
    /// # Errors
    /// Any non-object value is an error.
    pub fn object(&mut self, name: &str) -> Result<Object, FieldError> {
        let mut merged = Object::new();
        for value in self.take_all(name) {
            match value {
                Value::Null => merged.clear(),
                Value::Object(map) if merged.is_empty() => merged = map,
                Value::Object(map) => merged.extend(map),
                other => {
                    return Err(FieldError::new(
                        name,
                        format!("expected an object, found {}", describe(&other)),
                    ));
                }
            }
        }
        Ok(merged)
    }

    /// The keys nobody asked for, in file order.
    #[must_use]
    pub fn into_rest(self) -> Object {
        self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_rules() {
        let mut f = Fields::from_value(
            json!({"ID": 3, "name": null, "when": "2026-01-02T03:04:05Z", "other": [1]}),
            "doc",
        )
        .unwrap();
        assert_eq!(f.int("id").unwrap(), 3);
        assert_eq!(f.string("name").unwrap(), "");
        assert_eq!(
            f.time("when").unwrap().to_rfc3339(),
            "2026-01-02T03:04:05+00:00"
        );
        assert_eq!(f.time("missing").unwrap(), zero_time());
        let rest = f.into_rest();
        assert_eq!(rest.keys().collect::<Vec<_>>(), vec!["other"]);
    }

    #[test]
    fn wrong_types_are_named() {
        let v = parse_document(br#"{"id":"3","n":3.5,"t":5}"#).unwrap();
        let mut f = Fields::from_value(v, "doc").unwrap();
        assert_eq!(
            f.int("id").unwrap_err().to_string(),
            "field \"id\": expected an integer, found the string \"3\""
        );
        assert!(f.int("n").unwrap_err().problem.contains("3.5"));
        assert!(f.time("t").is_err());
        assert!(Fields::from_value(json!([]), "manifest").is_err());
    }

    #[test]
    fn every_spelling_of_a_field_is_consumed_and_the_last_wins() {
        let v = parse_document(
            br#"{"error":"","ERROR":"x","Error":null,"metadata":{"a":1},"MetaData":{"b":2},"k":1}"#,
        )
        .unwrap();
        let mut f = Fields::from_value(v, "doc").unwrap();
        assert_eq!(f.string("error").unwrap(), "x");
        let metadata = f.object("metadata").unwrap();
        assert_eq!(metadata.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(f.into_rest().keys().collect::<Vec<_>>(), vec!["k"]);
    }

    #[test]
    fn invalid_utf8_becomes_replacement_char() {
        let v = parse_document(b"{\"s\":\"a\xffb\"}").unwrap();
        assert_eq!(v["s"], "a\u{fffd}b");
    }
}
