//! Building a JSON object in Go struct-field order, applying `omitempty` the way Go does.

use super::{GoTime, Object, format_time};
use serde_json::Value;

/// Builds an object key by key, in the order the Go struct declares its fields.
#[derive(Debug, Default)]
pub struct ObjectBuilder {
    map: Object,
}

impl ObjectBuilder {
    /// Sets `key` to `value` (used by [`super::FieldSink`]).
    pub fn insert(&mut self, key: &str, value: Value) {
        self.map.insert(key.to_owned(), value);
    }

    /// An empty object.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A string field that is always written.
    #[must_use]
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.map
            .insert(key.to_owned(), Value::String(value.to_owned()));
        self
    }

    /// A `string ,omitempty` field: left out when empty.
    #[must_use]
    pub fn string_omitempty(self, key: &str, value: &str) -> Self {
        if value.is_empty() {
            self
        } else {
            self.string(key, value)
        }
    }

    /// An integer field that is always written.
    #[must_use]
    pub fn int(mut self, key: &str, value: i64) -> Self {
        self.map.insert(key.to_owned(), Value::from(value));
        self
    }

    /// An `int ,omitempty` field: left out when zero.
    #[must_use]
    pub fn int_omitempty(self, key: &str, value: i64) -> Self {
        if value == 0 {
            self
        } else {
            self.int(key, value)
        }
    }

    /// A `time.Time` field (never omitted by Go, even when zero).
    #[must_use]
    pub fn time(mut self, key: &str, value: &GoTime) -> Self {
        self.map
            .insert(key.to_owned(), Value::String(format_time(value)));
        self
    }

    /// A `*time.Time ,omitempty` field: left out when `None`.
    #[must_use]
    pub fn time_omitempty(self, key: &str, value: Option<&GoTime>) -> Self {
        match value {
            Some(t) => self.time(key, t),
            None => self,
        }
    }

    /// A `map[string]any ,omitempty` field: left out when empty, keys sorted as Go sorts map keys.
    #[must_use]
    pub fn map_omitempty(mut self, key: &str, value: &Object) -> Self {
        if !value.is_empty() {
            self.map.insert(key.to_owned(), go_map(value));
        }
        self
    }

    /// Any other value, written as it is.
    #[must_use]
    pub fn value(mut self, key: &str, value: Value) -> Self {
        self.map.insert(key.to_owned(), value);
        self
    }

    /// Keys the Go struct does not know, in the order they were read; they never replace a
    /// field already written.
    #[must_use]
    pub fn extra(mut self, extra: &Object) -> Self {
        for (key, value) in extra {
            if !self.map.contains_key(key) {
                self.map.insert(key.clone(), value.clone());
            }
        }
        self
    }

    /// The finished object.
    #[must_use]
    pub fn build(self) -> Value {
        Value::Object(self.map)
    }
}

/// A Go `map[string]any` as Go re-encodes it: keys sorted bytewise at every level.
#[must_use]
pub fn go_map(map: &Object) -> Value {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut out = Object::new();
    for key in keys {
        if let Some(value) = map.get(key) {
            out.insert(key.clone(), go_value(value));
        }
    }
    Value::Object(out)
}

fn go_value(value: &Value) -> Value {
    match value {
        Value::Object(map) => go_map(map),
        Value::Array(items) => Value::Array(items.iter().map(go_value).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::gojson::{Style, encode};
    use serde_json::json;

    #[test]
    fn omitempty_and_sorted_maps() {
        let mut meta = Object::new();
        meta.insert("z".into(), json!(1));
        meta.insert("a".into(), json!({"y": 1, "b": 2}));
        let mut extra = Object::new();
        extra.insert("later".into(), json!(true));
        let v = ObjectBuilder::new()
            .string("s", "")
            .string_omitempty("e", "")
            .int_omitempty("n", 0)
            .map_omitempty("meta", &meta)
            .map_omitempty("none", &Object::new())
            .extra(&extra)
            .build();
        assert_eq!(
            encode(&v, Style::LINE),
            r#"{"s":"","meta":{"a":{"b":2,"y":1},"z":1},"later":true}"#
        );
    }
}
